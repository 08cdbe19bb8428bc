"""Camera siting: the reduced MCLP, greedy and its bounds, the entry point on the sample county (issue 7, part 3)."""

from __future__ import annotations

import itertools
import json
import math

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gisapp.analysis.cameras import siting
from gisapp.analysis.cameras.methods import SitingParams
from gisapp.analysis.cameras.siting import (
    distinct_rows,
    greedy_cover,
    mclp_cover,
    ordered_gains,
    reduce_problem,
    site_cameras,
)
from gisapp.analysis.core.road_network import candidate_points
from gisapp.layers.errors import InputError

METRIC = "EPSG:4544"


@pytest.fixture(scope="module")
def county_sites(county):
    return site_cameras(county["incidents"], county["cameras"], SitingParams(n_new=6), roads=county["roads"])


def random_problem(seed, n_demand=300, n_sites=14, pairs=900):
    rng = np.random.default_rng(seed)
    demand = rng.integers(0, n_demand, pairs)
    sites = rng.integers(0, n_sites, pairs)
    weights = rng.integers(1, 6, n_demand).astype(float)
    existing = rng.random(n_demand) < 0.15
    return demand, sites, weights, existing, n_sites


def brute_force(demand, sites, weights, existing, n_sites, p) -> float:
    """max over all p-subsets of the weight covered by the subset or the existing cameras."""
    cover = np.zeros((len(weights), n_sites), dtype=bool)
    cover[demand, sites] = True
    best = 0.0
    for subset in itertools.combinations(range(n_sites), p):
        hit = existing | cover[:, list(subset)].any(axis=1)
        best = max(best, float(weights[hit].sum()))
    return best


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sparse_mclp_is_optimal_and_greedy_is_bounded(seed, monkeypatch):
    monkeypatch.setattr(siting, "SPOPT_MAX_CELLS", 0)  # the spopt route is checked against this one below
    demand, sites, weights, existing, n_sites = random_problem(seed)
    p = 3
    problem = reduce_problem(demand, sites, weights, existing, n_sites)
    optimum = brute_force(demand, sites, weights, existing, n_sites, p)
    greedy = greedy_cover(problem, p)
    exact = mclp_cover(problem, p, time_limit_s=30, warm=greedy)
    assert exact.optimal
    assert problem.existing_weight + exact.covered_weight == pytest.approx(optimum)
    assert greedy.covered_weight <= exact.covered_weight + 1e-9
    assert greedy.covered_weight >= (1 - 1 / math.e) * exact.covered_weight
    assert greedy.upper_bound >= exact.covered_weight - 1e-9


def test_spopt_route_agrees_with_the_sparse_route(monkeypatch):
    pytest.importorskip("spopt")
    demand, sites, weights, existing, n_sites = random_problem(7, n_demand=80, n_sites=10, pairs=200)
    problem = reduce_problem(demand, sites, weights, existing, n_sites)
    via_spopt = mclp_cover(problem, 3, time_limit_s=30)
    assert via_spopt.status.startswith("spopt")
    monkeypatch.setattr(siting, "SPOPT_MAX_CELLS", 0)
    sparse_route = mclp_cover(problem, 3, time_limit_s=30)
    assert sparse_route.status.startswith("sparse")
    assert via_spopt.covered_weight == pytest.approx(sparse_route.covered_weight)


def test_reduction_merges_identical_demand_and_sites():
    # demand 0 and 1 are seen by sites {0, 1}; sites 0 and 1 are identical; demand 2 by nobody; demand 3 by existing
    problem = reduce_problem(np.array([0, 0, 1, 1, 3]), np.array([0, 1, 0, 1, 2]), np.array([1.0, 2.0, 5.0, 7.0]), np.array([False, False, False, True]), 3)
    assert problem.matrix.shape == (1, 1)
    assert problem.weights.tolist() == [3.0]
    assert problem.existing_weight == 7.0
    assert problem.summary["demand_out_of_reach"] == 1


def testdistinct_rows_groups_equal_patterns():
    from scipy import sparse

    m = sparse.csr_matrix(np.array([[1, 0, 1], [0, 1, 0], [1, 0, 1], [0, 0, 0], [0, 1, 0]]))
    first, group = distinct_rows(m)
    assert group[0] == group[2] and group[1] == group[4] and len(set(group)) == 3
    assert first.tolist() == [0, 1, 3]


def test_ordered_gains_add_up():
    demand, sites, weights, existing, n_sites = random_problem(3)
    problem = reduce_problem(demand, sites, weights, existing, n_sites)
    chosen = np.array([0, 1, 2, 3])
    order, marginal, only = ordered_gains(problem, chosen)
    assert sorted(order.tolist()) == chosen.tolist()
    assert marginal.sum() == pytest.approx(siting._covered_weight(problem, chosen))
    assert (np.diff(marginal) <= 1e-9).all()
    assert (only <= marginal + 1e-9).all()


# --------------------------------------------------------------------------- candidates


def test_candidate_kinds(county):
    roads = county["roads"]
    junctions = candidate_points(roads, "intersections")
    vertices = candidate_points(roads, "vertices")
    spaced = candidate_points(roads, "spacing", 100.0)
    assert 0 < len(junctions) < len(vertices) < len(spaced)
    assert set(junctions["source"]) == {"junction"}
    assert len(spaced) >= roads.length.sum() / 100 * 0.9
    assert spaced["site_id"].is_unique
    with pytest.raises(InputError, match="spacing"):
        candidate_points(roads, "spacing", 0)
    with pytest.raises(InputError, match="Candidates"):
        candidate_points(roads, "everywhere")


# --------------------------------------------------------------------------- the sample county


def test_siting_raises_coverage_and_finds_the_blind_alley(county_sites, truth):
    s = county_sites.summary
    assert s["share_after"] > s["share_before"]
    assert s["covered_after"] == pytest.approx(s["covered_before"] + s["gain"])
    assert s["new_cameras_placed"] == 6 and s["method"] == "mclp" and s["optimal"]
    assert s["gain"] >= s["greedy"]["gain"] and s["gain"] <= s["greedy"]["upper_bound_on_optimum"] + 1e-9
    layer = county_sites.layer
    assert layer["order"].tolist() == list(range(1, 7))
    assert (np.diff(layer["marginal_gain"].to_numpy()) <= 1e-9).all()
    assert layer["marginal_gain"].sum() == pytest.approx(s["gain"])
    f = truth["f"]
    centre = gpd.GeoSeries(gpd.points_from_xy([f["lon"]], [f["lat"]]), crs=4326).to_crs(METRIC).iloc[0]
    assert layer.distance(centre).min() < f["radius_m"] + 60  # a new camera watches the blind alley
    assert f["alley"] in set(layer["road"])
    assert len(county_sites.extra_layers["new_coverage"]) == 6
    json.dumps(s, ensure_ascii=False)


def test_existing_coverage_is_not_counted_again(county):
    incidents = county["incidents"]
    result = site_cameras(incidents, county["cameras"], SitingParams(n_new=3, method="greedy"), roads=county["roads"])
    without = site_cameras(incidents, None, SitingParams(n_new=3, method="greedy"), roads=county["roads"])
    assert result.summary["covered_before"] > 0 and without.summary["covered_before"] == 0
    assert result.summary["reduction"]["demand_covered_by_existing"] == result.summary["covered_before"]


def test_user_candidates_in_another_crs_are_reprojected(county):
    sites = candidate_points(county["roads"], "intersections").to_crs(4326)
    result = site_cameras(county["incidents"], county["cameras"], SitingParams(n_new=2, method="greedy"), candidates=sites)
    assert result.summary["candidates"]["source"].startswith("user layer")
    assert any("candidate reprojected" in note for note in result.summary["notes"])
    assert result.summary["gain"] > 0


def test_more_cameras_than_candidates_is_an_input_error(county):
    few = candidate_points(county["roads"], "intersections").head(5)
    with pytest.raises(InputError, match="only 5 candidate sites"):
        site_cameras(county["incidents"], county["cameras"], SitingParams(n_new=6), candidates=few)


@pytest.mark.parametrize(
    "params, message",
    [
        (SitingParams(n_new=0), "--n takes a whole number of at least 1; got 0"),
        (SitingParams(n_new=2, new_range_m=-5), "--range takes a positive number of metres; got -5"),
        (SitingParams(n_new=2, method="simplex"), "--method takes one of auto, mclp, greedy; got 'simplex'"),
        (SitingParams(n_new=2, fixed_fov_deg=400), "--fixed-fov takes a number of degrees from 0"),
    ],
)
def test_bad_parameters(county, params, message):
    with pytest.raises(InputError, match=message):
        site_cameras(county["incidents"].head(50), county["cameras"], params, roads=county["roads"])


def test_no_candidates_at_all_is_an_input_error(county):
    with pytest.raises(InputError, match="candidate sites"):
        site_cameras(county["incidents"].head(50), county["cameras"], SitingParams(n_new=2))


def test_sites_without_gain_are_not_placed(county):
    incidents = county["incidents"].head(3)
    result = site_cameras(incidents, None, SitingParams(n_new=5, method="greedy"), roads=county["roads"])
    assert result.summary["new_cameras_placed"] <= 3
    assert result.summary["new_cameras_without_gain"] >= 2
    assert any("add coverage" in note for note in result.summary["notes"])


def test_weight_field_weights_demand(county):
    incidents = county["incidents"].head(500).copy()
    incidents["loss"] = 2.0
    result = site_cameras(incidents, None, SitingParams(n_new=1, method="greedy", weight_field="loss"), roads=county["roads"])
    assert result.summary["total_weight"] == pytest.approx(1000.0)
    assert result.summary["gain"] % 2 == 0


def test_obstacles_reduce_what_a_new_site_sees(county):
    incidents = county["incidents"]
    plain = site_cameras(incidents, None, SitingParams(n_new=1, method="greedy"), roads=county["roads"])
    site = plain.layer.geometry.iloc[0]
    walls = gpd.GeoDataFrame(geometry=[shapely.box(site.x + 5, site.y - 100, site.x + 8, site.y + 100)], crs=METRIC)
    blocked = site_cameras(incidents, None, SitingParams(n_new=1, method="greedy"), roads=county["roads"], obstacles=walls)
    assert blocked.summary["gain"] <= plain.summary["gain"]
