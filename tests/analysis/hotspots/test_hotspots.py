"""Getis-Ord Gi*: agreement with esda, inference, the entry point and its refusals."""

from __future__ import annotations

import itertools
import json
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from esda import G_Local, fdr
from hypothesis import given, settings
from hypothesis import strategies as st
from libpysal.weights import KNN, DistanceBand, Queen
from scipy.stats import norm

from gisapp.analysis.core.aggregation import AggregationParams
from gisapp.analysis.core.result import Cancelled
from gisapp.analysis.hotspots.gistar import GiStarParams, hotspot_gi_star
from gisapp.analysis.stats.gistar import disc_footprint, gi_star, gi_star_lattice
from gisapp.analysis.stats.inference import bh_cutoff, gi_bins, gi_p_values
from gisapp.analysis.stats.permutation import distinct_draws, gi_permutation_p
from gisapp.analysis.stats.weights import band_weights, knn_weights
from gisapp.layers.errors import AnalysisError, InputError

UTM50 = "EPSG:32650"
X0, Y0 = 500_000.0, 3_000_000.0


@pytest.fixture(autouse=True)
def _quiet_libpysal():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands / disconnected-component warnings from libpysal
        yield


def esda_z(y, w) -> np.ndarray:
    return G_Local(np.asarray(y, dtype=float), w, transform="B", star=True, permutations=0).Zs


def clustered_raster(shape, seed) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.poisson(rng.gamma(0.8, 2.5, shape)).astype(float)


def lattice_centres(mask, cell, origin=(X0, Y0)) -> np.ndarray:
    rows, cols = np.nonzero(mask)
    return np.column_stack([origin[0] + (cols + 0.5) * cell, origin[1] + (rows + 0.5) * cell])


def clustered_incidents(n=2000, seed=0, extent=2000.0, crs=UTM50) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, extent, (4, 2))
    clustered = rng.random(n) < 0.6
    xy = rng.uniform(0, extent, (n, 2))
    xy[clustered] = centres[rng.integers(0, 4, clustered.sum())] + rng.normal(0, extent / 25, (clustered.sum(), 2))
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(X0 + xy[:, 0], Y0 + xy[:, 1]), crs=crs)


def voronoi_cells(n, seed, extent=2000.0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    frame = shapely.box(X0, Y0, X0 + extent, Y0 + extent)
    seeds = shapely.multipoints(np.column_stack([X0 + rng.uniform(0, extent, n), Y0 + rng.uniform(0, extent, n)]))
    cells = shapely.get_parts(shapely.voronoi_polygons(seeds, extend_to=frame))
    return gpd.GeoDataFrame(geometry=shapely.intersection(cells, frame), crs=UTM50)


# --------------------------------------------------------------------------- equality with esda


def test_gi_star_pins_the_esda_docstring_example():
    points = [(10, 10), (20, 10), (40, 10), (15, 20), (30, 20), (30, 30)]
    y = [2, 3, 3.2, 5, 8, 7]
    z = gi_star(y, DistanceBand(points, threshold=15).sparse).z
    expected = [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331]
    np.testing.assert_allclose(z, expected, atol=1e-8)


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("band_cells", [1.0001, 1.5, 2.3, 3.2, 5.1])  # 5.1 cells: 81 taps, the FFT path
@pytest.mark.parametrize("trimmed", [False, True])
def test_lattice_gi_star_equals_esda_on_distance_band_over_kept_centroids(seed, band_cells, trimmed):
    cell = 50.0
    raster = clustered_raster((18, 23), seed)
    mask = raster > 0 if trimmed else np.ones(raster.shape, dtype=bool)
    lattice = gi_star_lattice(raster, cell, band_cells * cell, mask=mask)
    w = DistanceBand(lattice_centres(mask, cell), band_cells * cell, binary=True, silence_warnings=True)
    expected = esda_z(raster[mask], w)
    z = lattice.z[mask]
    islands = np.asarray([w.cardinalities[i] == 0 for i in w.id_order])
    np.testing.assert_allclose(z[~islands], expected[~islands], rtol=0, atol=1e-9)
    assert np.isnan(z[islands]).all()
    assert np.isnan(lattice.z[~mask]).all()


def test_lattice_fft_path_with_float_values_equals_esda():
    rng = np.random.default_rng(4)
    raster = rng.gamma(1.0, 3.0, (30, 30))
    assert disc_footprint(10.0, 61.0).sum() > 64  # forces the FFT route
    z = gi_star_lattice(raster, 10.0, 61.0).z
    w = DistanceBand(lattice_centres(np.ones(raster.shape, bool), 10.0), 61.0, binary=True)
    np.testing.assert_allclose(z.ravel(), esda_z(raster.ravel(), w), rtol=0, atol=1e-9)


@pytest.mark.parametrize("seed", [3, 4])
def test_generic_gi_star_equals_esda_on_voronoi_queen_contiguity(seed):
    cells = voronoi_cells(120, seed)
    y = np.random.default_rng(seed).poisson(5, len(cells))
    w = Queen.from_dataframe(cells, use_index=False, silence_warnings=True)
    np.testing.assert_allclose(gi_star(y, w.sparse).z, esda_z(y, w), rtol=0, atol=1e-9)


@pytest.mark.parametrize("k", [1, 4, 9])
def test_knn_gi_star_equals_esda_knn_on_voronoi_centroids(k):
    cells = voronoi_cells(150, 7)
    c = cells.geometry.centroid
    y = np.random.default_rng(k).poisson(4, len(cells))
    ours = gi_star(y, knn_weights(c.x.to_numpy(), c.y.to_numpy(), k)).z
    expected = esda_z(y, KNN(np.column_stack([c.x, c.y]), k=k))
    np.testing.assert_allclose(ours, expected, rtol=0, atol=1e-9)


def test_band_weights_equal_libpysal_distance_band():
    rng = np.random.default_rng(8)
    xy = rng.uniform(0, 1000, (300, 2))
    ours = band_weights(xy[:, 0], xy[:, 1], 90.0)
    theirs = DistanceBand(xy, 90.0, binary=True, silence_warnings=True).sparse
    assert (ours != theirs).nnz == 0


def test_a_neighbour_exactly_at_the_band_is_included():
    footprint = disc_footprint(50.0, 150.0)
    assert footprint.shape == (7, 7) and footprint[3, 0] and footprint.sum() == 29
    w = band_weights(np.array([0.0, 150.0]), np.array([0.0, 0.0]), 150.0)
    assert w.nnz == 2


# --------------------------------------------------------------------------- inference


def test_p_is_two_sided_normal():
    z = np.array([-3.0, -1.0, 0.0, 1.644854, 2.5, np.nan])
    np.testing.assert_allclose(gi_p_values(z), 2 * norm.sf(np.abs(z)), rtol=1e-12)


def test_bins_without_fdr_follow_arcgis_thresholds():
    z = np.array([-3.0, -2.0, -1.7, 0.5, 1.7, 2.0, 3.0, np.nan])
    bins = gi_bins(z, gi_p_values(z), fdr=False)
    assert bins.tolist() == [-3, -2, -1, 0, 1, 2, 3, 0]


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("alpha", [0.10, 0.05, 0.01])
def test_bh_cutoff_equals_esda_fdr(seed, alpha):
    rng = np.random.default_rng(seed)
    p = np.concatenate([rng.uniform(0, 1, 400), rng.uniform(0, 1e-4, 40)])
    assert bh_cutoff(p, alpha) > 0
    assert bh_cutoff(p, alpha) == pytest.approx(fdr(p, alpha), rel=1e-12)


def test_bh_cutoff_rejects_nothing_when_nothing_passes():
    p = np.full(100, 0.5)
    assert bh_cutoff(p, 0.05) == 0.0
    assert (p < fdr(p, 0.05)).sum() == 0  # esda's Bonferroni fallback rejects nothing either


def test_fdr_changes_only_the_bins_and_only_downwards():
    pts = clustered_incidents(3000, seed=11)
    agg = AggregationParams(cell_size=100)
    with_fdr = hotspot_gi_star(pts, agg, GiStarParams(band=250, fdr=True)).layer
    without = hotspot_gi_star(pts, agg, GiStarParams(band=250, fdr=False)).layer
    assert with_fdr["gi_z"].equals(without["gi_z"]) and with_fdr["gi_p"].equals(without["gi_p"])
    assert (with_fdr["gi_bin"].abs() <= without["gi_bin"].abs()).all()
    assert (np.sign(with_fdr["gi_bin"]) * np.sign(without["gi_bin"]) >= 0).all()
    assert (with_fdr["gi_bin"] != without["gi_bin"]).any()


def testdistinct_draws_are_distinct_and_uniform():
    rng = np.random.default_rng(0)
    for n, m in [(1000, 12), (10, 9)]:  # Floyd's route, then the full-permutation route
        draws = distinct_draws(rng, n, m, 3000)
        assert all(len(set(row)) == m for row in draws)
    draws = distinct_draws(rng, 50, 3, 60000)
    freq = np.bincount(draws[:, 0], minlength=50) / 60000
    np.testing.assert_allclose(freq, 1 / 50, atol=0.004)


def exact_permutation_p(y, i, k, observed) -> float:
    """Two-sided p over every k-subset of the other units (what the simulation estimates)."""
    others = np.delete(y, i)
    sums = np.array([others[list(c)].sum() for c in itertools.combinations(range(len(others)), k)]) + y[i]
    return min(1.0, 2 * min((sums >= observed).mean(), (sums <= observed).mean()))


@pytest.mark.parametrize("n", [9, 40])  # full-permutation and Floyd routes of the draws
def test_permutation_p_converges_to_the_exact_conditional_p(n):
    rng = np.random.default_rng(n)
    y = rng.poisson(3, n).astype(float)
    neighbours = np.full(n, 4)  # k = 3 others
    local_sum = y + rng.choice(y, (n, 3)).sum(axis=1)
    p_sim = gi_permutation_p(y, local_sum, neighbours, 20000, seed=1)
    exact = [exact_permutation_p(y, i, 3, local_sum[i]) for i in range(n)]
    np.testing.assert_allclose(p_sim, exact, atol=0.03)


def test_permutations_are_reproducible_with_the_seed():
    pts = clustered_incidents(1500, seed=2)
    agg = AggregationParams(cell_size=100)
    a = hotspot_gi_star(pts, agg, GiStarParams(band=250, permutations=199, seed=5)).layer["gi_p_sim"]
    b = hotspot_gi_star(pts, agg, GiStarParams(band=250, permutations=199, seed=5)).layer["gi_p_sim"]
    c = hotspot_gi_star(pts, agg, GiStarParams(band=250, permutations=199, seed=6)).layer["gi_p_sim"]
    assert a.equals(b) and not a.equals(c)
    assert a.min() >= 2 / 200 and a.max() <= 1


def test_permutation_p_agrees_with_esda_p_sim():
    raster = clustered_raster((20, 20), 9)
    y = raster.ravel()
    xy = lattice_centres(np.ones(raster.shape, bool), 50.0)
    w = DistanceBand(xy, 110.0, binary=True)
    stat = gi_star(y, w.sparse)
    ours = gi_permutation_p(y, stat.local_sum, stat.neighbours, 999, seed=3)
    theirs = G_Local(y, w, transform="B", star=True, permutations=999, seed=3, n_jobs=1).p_sim
    assert np.corrcoef(ours, theirs)[0, 1] > 0.95
    # ours is two-sided, esda's folded p_sim one-sided: ours is about twice theirs
    assert np.median(ours / theirs) == pytest.approx(2.0, rel=0.15)


# --------------------------------------------------------------------------- the entry point


def test_entry_point_layer_summary_and_params():
    pts = clustered_incidents(2000, seed=1)
    result = hotspot_gi_star(pts, AggregationParams(cell_size=100), GiStarParams(band=250, permutations=99))
    layer, summary = result.layer, result.summary
    assert {"row", "col", "n", "gi_z", "gi_p", "gi_bin", "neighbours", "gi_p_sim"} <= set(layer.columns)
    assert layer.crs == pts.crs and (layer["n"] > 0).all()
    assert summary["cells"] == len(layer) and summary["incidents"] == 2000
    assert summary["cell_size_m"] == 100 and summary["band_m"] == 250 and summary["fdr"] is True
    assert sum(summary["gi_bin"].values()) == len(layer) and set(summary["gi_bin"]) == {str(b) for b in range(-3, 4)}
    assert summary["gi_bin"]["3"] > 0
    json.dumps(summary), json.dumps(result.params)
    assert result.params["gi"]["band"] == 250 and result.params["aggregation"]["cell_size"] == 100


def test_lattice_route_equals_the_sparse_route_on_the_same_cells():
    pts = clustered_incidents(2500, seed=3)
    layer = hotspot_gi_star(pts, AggregationParams(cell_size=80), GiStarParams(band=200)).layer
    centres = layer.geometry.centroid
    stat = gi_star(layer["n"], band_weights(centres.x.to_numpy(), centres.y.to_numpy(), 200.0))
    np.testing.assert_allclose(layer["gi_z"], stat.z, rtol=0, atol=1e-9)
    assert (layer["neighbours"] == stat.neighbours).all()


@pytest.mark.parametrize(
    "agg, gi",
    [
        (AggregationParams(grid="hex", cell_size=100), GiStarParams(band=250)),
        (AggregationParams(cell_size=100, trim_empty=False), GiStarParams(k=6)),
    ],
)
def test_hex_and_knn_routes_run(agg, gi):
    result = hotspot_gi_star(clustered_incidents(2000, seed=4), agg, gi)
    assert np.isfinite(result.layer["gi_z"]).all()


def test_row_order_does_not_change_the_result():
    pts = clustered_incidents(1500, seed=6)
    shuffled = pts.sample(frac=1, random_state=3)
    agg, gi = AggregationParams(cell_size=90), GiStarParams(band=200)
    a = hotspot_gi_star(pts, agg, gi).layer
    b = hotspot_gi_star(shuffled, agg, gi).layer
    assert a[["row", "col", "n", "gi_bin"]].equals(b[["row", "col", "n", "gi_bin"]])
    np.testing.assert_array_equal(a["gi_z"], b["gi_z"])


eighths = st.integers(0, 8000).map(lambda v: v / 8)


@settings(max_examples=25, deadline=None, database=None, derandomize=True)
@given(
    xy=st.lists(st.tuples(eighths, eighths), min_size=60, max_size=120),
    shift=st.tuples(st.integers(-400_000, 400_000), st.integers(-2_000_000, 2_000_000)),
    grid=st.sampled_from(["square", "hex"]),
)
def test_z_is_invariant_under_translation(xy, shift, grid):
    xy = np.array(xy)
    base = gpd.GeoDataFrame(geometry=gpd.points_from_xy(X0 + xy[:, 0], Y0 + xy[:, 1]), crs=UTM50)
    moved = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(X0 + shift[0] + xy[:, 0], Y0 + shift[1] + xy[:, 1]), crs=UTM50
    )
    agg, gi = AggregationParams(grid=grid, cell_size=125), GiStarParams(band=300)
    try:
        a = hotspot_gi_star(base, agg, gi).layer
    except AnalysisError:  # for example zero variance: then the shifted data must fail too
        with pytest.raises(AnalysisError):
            hotspot_gi_star(moved, agg, gi)
        return
    b = hotspot_gi_star(moved, agg, gi).layer
    assert a["n"].tolist() == b["n"].tolist()
    np.testing.assert_allclose(a["gi_z"], b["gi_z"], rtol=0, atol=1e-9)


def test_near_duplicate_points_on_cell_edges_give_finite_z():
    pts = clustered_incidents(600, seed=8)
    edge_x = X0 + 500.0
    extra = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(edge_x + np.array([-1e-9, 0.0, 1e-9] * 20), np.full(60, Y0 + 777.0)),
        crs=UTM50,
    )
    both = gpd.GeoDataFrame(pd.concat([pts, extra], ignore_index=True), crs=UTM50)
    result = hotspot_gi_star(both, AggregationParams(cell_size=100), GiStarParams(band=250))
    assert result.summary["incidents"] == 660
    assert np.isfinite(result.layer["gi_z"]).all()


# --------------------------------------------------------------------------- refusals and edge cases


def test_single_cell_data_is_zero_variance():
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy([X0 + 1.0] * 40, [Y0 + 1.0] * 40), crs=UTM50)
    with pytest.raises(AnalysisError, match="zero variance"):
        hotspot_gi_star(pts, AggregationParams(cell_size=50), GiStarParams(band=100))


def test_equal_counts_in_every_kept_cell_is_zero_variance():
    corner = np.arange(8) * 100.0
    x, y = np.meshgrid(np.concatenate([corner, corner + 10]), corner)  # two incidents per occupied cell
    pts = gpd.GeoDataFrame(geometry=gpd.points_from_xy(X0 + x.ravel(), Y0 + y.ravel()), crs=UTM50)
    with pytest.raises(AnalysisError, match="zero variance"):
        hotspot_gi_star(pts, AggregationParams(cell_size=50), GiStarParams(band=100))


def test_band_smaller_than_the_cell_is_an_input_error():
    with pytest.raises(InputError, match="shorter than the cell size"):
        hotspot_gi_star(clustered_incidents(100), AggregationParams(cell_size=100), GiStarParams(band=60))
    with pytest.raises(InputError, match="shorter than the cell size"):
        gi_star_lattice(clustered_raster((5, 5), 0), 100.0, 99.0)


def test_missing_or_double_neighbourhood_is_an_input_error():
    pts, agg = clustered_incidents(100), AggregationParams(cell_size=100)
    with pytest.raises(InputError, match="Choose a neighbourhood"):
        hotspot_gi_star(pts, agg, GiStarParams())
    with pytest.raises(InputError, match="not band and k"):
        hotspot_gi_star(pts, agg, GiStarParams(band=200, k=5))
    with pytest.raises(InputError, match="polygon aggregation"):
        hotspot_gi_star(pts, agg, GiStarParams(contiguity="queen"))


def test_too_few_incidents():
    with pytest.raises(AnalysisError, match="At least 30 incidents are needed, got 29"):
        hotspot_gi_star(clustered_incidents(29), AggregationParams(cell_size=100), GiStarParams(band=250))


def test_nan_weights_are_an_input_error():
    pts = clustered_incidents(100).assign(loss=1.0)
    pts.loc[[3, 10, 11], "loss"] = np.nan
    agg = AggregationParams(cell_size=100, weight_field="loss")
    with pytest.raises(InputError, match="^3 incident rows"):
        hotspot_gi_star(pts, agg, GiStarParams(band=250))


def test_geographic_coordinates_are_refused_rather_than_giving_minus_inf():
    rng = np.random.default_rng(0)
    pts = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(113.3 + rng.random(200) * 0.1, 22.5 + rng.random(200) * 0.1), crs="EPSG:4326"
    )
    with pytest.raises(AnalysisError, match="geographic coordinates"):
        hotspot_gi_star(pts, AggregationParams(cell_size=100), GiStarParams(band=250))


def test_islands_under_contiguity_get_nan_z_and_bin_zero():
    cells = voronoi_cells(60, 5)
    island = gpd.GeoDataFrame(geometry=[shapely.box(X0 + 3000, Y0, X0 + 3200, Y0 + 200)], crs=UTM50)
    polygons = gpd.GeoDataFrame(geometry=list(cells.geometry) + list(island.geometry), crs=UTM50)
    extra = gpd.GeoDataFrame(geometry=gpd.points_from_xy([X0 + 3100] * 5, [Y0 + 100] * 5), crs=UTM50)
    pts = gpd.GeoDataFrame(pd.concat([clustered_incidents(2000, seed=5), extra], ignore_index=True), crs=UTM50)
    result = hotspot_gi_star(
        pts, AggregationParams(grid="polygons", polygons=polygons), GiStarParams(contiguity="queen", permutations=99)
    )
    last = result.layer.iloc[-1]
    assert np.isnan(last["gi_z"]) and np.isnan(last["gi_p"]) and np.isnan(last["gi_p_sim"])
    assert last["gi_bin"] == 0 and last["neighbours"] == 1 and last["n"] == 5
    assert result.summary["islands"] == 1 and result.summary["cells_not_tested"] == 1
    assert np.isfinite(result.layer["gi_z"].iloc[:-1]).all()


def test_polygons_with_no_pair_within_the_band_are_an_input_error():
    polygons = voronoi_cells(40, 2)
    with pytest.raises(InputError, match="No two units"):
        hotspot_gi_star(
            clustered_incidents(500), AggregationParams(grid="polygons", polygons=polygons), GiStarParams(band=1.0)
        )


def test_a_band_covering_the_whole_area_tests_nothing():
    pts = clustered_incidents(300, extent=400)
    with pytest.raises(AnalysisError, match="No cell could be tested"):
        hotspot_gi_star(pts, AggregationParams(cell_size=100, trim_empty=False), GiStarParams(band=10_000))


def test_progress_is_reported_and_cancel_is_honoured():
    pts, agg, gi = clustered_incidents(800), AggregationParams(cell_size=100), GiStarParams(band=250, permutations=99)
    seen = []
    hotspot_gi_star(pts, agg, gi, progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    with pytest.raises(Cancelled):
        hotspot_gi_star(pts, agg, gi, cancelled=lambda: len(seen) > 0)


def test_ten_thousand_cells_with_999_permutations_is_fast():
    import time

    raster = clustered_raster((100, 100), 1)
    stat = gi_star_lattice(raster, 50.0, 150.0)
    start = time.perf_counter()
    p = gi_permutation_p(raster.ravel(), stat.local_sum.ravel(), stat.neighbours.ravel(), 999, seed=1)
    assert time.perf_counter() - start < 1.5
    assert np.isfinite(p).all()
