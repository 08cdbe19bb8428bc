"""Automatic scale (Optimized Hot Spot logic) and the planted market hotspots of the sample county."""

from __future__ import annotations

import json

import geopandas as gpd
import libpysal
import numpy as np
import pytest
from esda import Moran
from shapely.geometry import Point

from gisapp.analysis.core.aggregation import square_lattice
from gisapp.analysis.hotspots.methods import HotspotParams
from gisapp.analysis.hotspots.optimized import optimized_hotspots
from gisapp.analysis.hotspots.scale import (
    cell_size_from_neighbours,
    choose_scale,
    first_peak,
    kth_neighbour_band,
    locational_outliers,
    moran_by_band_lattice,
    moran_by_band_points,
    standard_distance,
)
from gisapp.layers.errors import AnalysisError
from gisapp.layers.io import read_layer


@pytest.fixture(scope="module")
def county(sample_dir):
    return read_layer(sample_dir / "county.gpkg", layer="incidents", to_crs="EPSG:4544").data


@pytest.fixture(scope="module")
def truth(sample_dir):
    return json.loads((sample_dir / "truth.json").read_text(encoding="utf-8"))


def test_cell_size_rule():
    nn = np.array([0.0, 10.0, 10.0, 10.0, 40.0])  # mean 17.5, median 10 of the non-zero ones
    size, why = cell_size_from_neighbours(nn)
    assert size == pytest.approx(17.5 * 2.0)
    skewed = np.array([1.0, 1.0, 1.0, 1.0, 96.0])  # mean 20, median 1: ratio 20 beats 2
    assert cell_size_from_neighbours(skewed)[0] == pytest.approx(20.0 * 20.0)
    with pytest.raises(AnalysisError, match="share one location"):
        cell_size_from_neighbours(np.zeros(5))


def test_first_peak_then_none():
    assert first_peak([1.0, 3.0, 2.0, 5.0, 4.0]) == 1
    assert first_peak([1.0, 2.0, 3.0]) is None
    assert first_peak([None, 2.0, 1.0, 3.0, 2.0]) == 3


def test_locational_outliers_rule():
    nn = np.r_[np.full(99, 10.0), 1000.0]
    flags = locational_outliers(nn)
    assert flags[-1] and flags.sum() == 1


def counted_lattice(x, y, cell: float):
    """Counts on a square lattice over the points, the mask of non-empty cells and their centres."""
    lattice = square_lattice((x.min(), y.min(), x.max(), y.max()), cell)
    rows, cols, _ = lattice.locate(x, y)
    raster = np.zeros(lattice.shape)
    np.add.at(raster, (rows, cols), 1.0)
    mask = raster > 0
    cx, cy = lattice.centres(*np.nonzero(mask))
    return raster, mask, cx, cy


@pytest.mark.parametrize("band", [150.0, 320.0, 950.0, 1310.0])  # the last two take the FFT path
def test_moran_profile_equals_esda(band):
    rng = np.random.default_rng(3)
    x, y = rng.normal(0, 400, 600), rng.normal(0, 400, 600)
    raster, mask, cx, cy = counted_lattice(x, y, 100.0)
    w = libpysal.weights.DistanceBand(np.column_stack([cx, cy]), threshold=band * (1 + 1e-9), binary=True, silence_warnings=True)
    expected = Moran(raster[mask], w, transformation="B", permutations=0)
    for rows_ in (moran_by_band_lattice(raster, mask, 100.0, np.array([band])), moran_by_band_points(cx, cy, raster[mask], np.array([band]))):
        assert rows_[0]["moran_i"] == pytest.approx(expected.I, abs=1e-12)
        assert rows_[0]["z"] == pytest.approx(expected.z_norm, abs=1e-9)


def test_band_is_capped_at_one_standard_distance():
    rng = np.random.default_rng(5)
    x, y = rng.uniform(0, 1000, 300), rng.uniform(0, 1000, 300)  # no clustering: no peak, k-NN fallback
    choice = choose_scale(x, y)
    assert choice.band <= standard_distance(x, y) + 1e-9
    assert choice.reasons and choice.cell_size > 0


def test_kth_neighbour_fallback_k_clamped():
    x = np.arange(10.0) * 100
    band, k = kth_neighbour_band(x, np.zeros(10))
    assert k == 3 and band == pytest.approx(np.mean([300, 200, 200, 200, 200, 200, 200, 200, 200, 300]))


def test_minimum_data():
    with pytest.raises(AnalysisError, match="At least 30 incidents"):
        choose_scale(np.arange(29.0), np.arange(29.0))


def test_auto_scale_recovers_the_market_hotspots(county, truth):
    result = optimized_hotspots(county, HotspotParams())
    cells = result.layer
    summary = result.summary
    assert summary["scale"]["reasons"] and summary["band_m"] >= summary["cell_size_m"]
    for market in truth["a"]["hotspots"]:
        centre = gpd.GeoSeries([Point(market["lon"], market["lat"])], crs=4326).to_crs(cells.crs).iloc[0]
        near = cells[cells.geometry.distance(centre) <= 60]
        assert (near["gi_bin"] == 3).any(), market["name"]


def hot_concentration(cells) -> float:
    """Share of the incidents in 99 % hot cells per km² of those cells (a PAI-like intensity)."""
    hot = cells[cells["gi_bin"] == 3]
    return float(hot["n"].sum() / cells["n"].sum() / (hot.geometry.area.sum() / 1e6))


def test_fraud_control_has_no_market_like_concentration(county, truth):
    fixed = HotspotParams(cell_size=200.0, band=400.0)
    theft = optimized_hotspots(county[county["subcategory"] == "扒窃"], fixed).layer
    fraud = optimized_hotspots(county[county["subcategory"] == "电信诈骗"], fixed).layer
    # Fraud follows population, so the dense seat is mildly "hot" over a wide area; the markets'
    # pickpocketing packs far more of its incidents into far less ground.
    assert hot_concentration(theft) > 5 * hot_concentration(fraud)
    for market in truth["a"]["hotspots"]:
        centre = gpd.GeoSeries([Point(market["lon"], market["lat"])], crs=4326).to_crs(fraud.crs).iloc[0]
        assert theft.iloc[int(theft.geometry.distance(centre).argmin())]["n"] >= 100
        assert fraud.iloc[int(fraud.geometry.distance(centre).argmin())]["n"] < 20


def test_polygons_default_to_contiguity(county, sample_dir):
    grids = read_layer(sample_dir / "county.gpkg", layer="grids", to_crs="EPSG:4544").data
    result = optimized_hotspots(county, HotspotParams(grid="polygons", polygons=grids))
    assert result.summary["weights"] == "queen contiguity"
    assert "contiguity" in result.summary["scale"]["reasons"][0]
    assert len(result.layer) == len(grids)


def test_one_profile_over_many_bands_equals_band_by_band():
    """The shared-transform FFT path over a whole profile gives each band's own Moran's I."""
    rng = np.random.default_rng(8)
    x, y = rng.normal(0, 500, 900), rng.normal(0, 500, 900)
    raster, mask, cx, cy = counted_lattice(x, y, 50.0)
    bands = np.array([60.0, 300.0, 700.0, 1000.0])
    together = moran_by_band_lattice(raster, mask, 50.0, bands)
    for row, band in zip(together, bands):
        alone = moran_by_band_points(cx, cy, raster[mask], np.array([band]))[0]
        assert row["moran_i"] == pytest.approx(alone["moran_i"], abs=1e-10) and row["z"] == pytest.approx(alone["z"], abs=1e-8)
        assert row["mean_neighbours"] == pytest.approx(alone["mean_neighbours"], abs=1e-12)
