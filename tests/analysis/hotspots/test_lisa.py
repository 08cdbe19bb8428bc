"""Local and global Moran's I against esda, and on the sample county."""

from __future__ import annotations

import geopandas as gpd
import libpysal
import numpy as np
import pytest
from esda import Moran, Moran_Local

from gisapp.analysis.hotspots.lisa import global_moran, lisa, local_moran
from gisapp.analysis.hotspots.methods import LisaParams
from gisapp.analysis.stats.weights import band_weights
from gisapp.layers.errors import InputError
from gisapp.layers.io import read_layer


@pytest.fixture(scope="module")
def field():
    rng = np.random.default_rng(11)
    x, y = rng.uniform(0, 2000, 300), rng.uniform(0, 2000, 300)
    values = rng.poisson(3, 300).astype(float)
    values[(x < 500) & (y < 500)] += 10  # a high-high corner
    return x, y, values


def test_local_moran_equals_esda(field):
    x, y, values = field
    weights = band_weights(x, y, 300.0)
    mine = local_moran(values, weights, permutations=999, seed=2)
    w = libpysal.weights.DistanceBand(np.column_stack([x, y]), threshold=300.0 * (1 + 1e-9), binary=True, silence_warnings=True)
    theirs = Moran_Local(values, w, transformation="r", permutations=999, seed=2)
    assert np.allclose(mine.Is, theirs.Is, atol=1e-12)
    assert (mine.quadrant == theirs.q).all()
    # Different random draws, same test: the pseudo p-values agree closely.
    assert np.corrcoef(mine.p_sim, theirs.p_sim)[0, 1] > 0.95


def test_global_moran_equals_esda(field):
    x, y, values = field
    weights = band_weights(x, y, 300.0)
    w = libpysal.weights.DistanceBand(np.column_stack([x, y]), threshold=300.0 * (1 + 1e-9), binary=True, silence_warnings=True)
    for transform, esda_name in (("row", "R"), ("binary", "B")):
        mine = global_moran(values, weights, permutations=199, seed=1, transform=transform)
        theirs = Moran(values, w, transformation=esda_name, permutations=0)
        assert mine["moran_i"] == pytest.approx(theirs.I, abs=1e-12)
        assert mine["z"] == pytest.approx(theirs.z_norm, abs=1e-9)
        assert mine["p_sim"] == pytest.approx(1 / 200)


def test_permutations_are_reproducible(field):
    x, y, values = field
    weights = band_weights(x, y, 300.0)
    a = local_moran(values, weights, permutations=199, seed=7).p_sim
    b = local_moran(values, weights, permutations=199, seed=7).p_sim
    assert np.array_equal(a, b, equal_nan=True)


def test_lisa_on_the_county_finds_high_high_markets(sample_dir):
    incidents = read_layer(sample_dir / "county.gpkg", layer="incidents", to_crs="EPSG:4544").data
    result = lisa(incidents, LisaParams(cell_size=200.0, band=400.0, permutations=499))
    cells = result.layer
    assert result.summary["clusters"]["HH"] > 0
    west_gate = gpd.GeoSeries.from_xy([105.078368], [31.091811], crs=4326).to_crs(cells.crs).iloc[0]
    nearest = cells.iloc[int(cells.geometry.distance(west_gate).argmin())]
    assert nearest["lisa_cluster"] == "HH" and nearest["lisa_label"] == "高-高聚集"


def test_lisa_refuses_too_few_permutations(sample_dir):
    incidents = read_layer(sample_dir / "county.gpkg", layer="incidents", to_crs="EPSG:4544").data
    with pytest.raises(InputError, match="at least 99 permutations"):
        lisa(incidents, LisaParams(permutations=10))
