"""Camera footprints, coverage statistics and blind spots (issue 7, parts 1-2)."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from gisapp.analysis.cameras.coverage import camera_coverage
from gisapp.analysis.cameras.geometry import (
    CameraParams,
    add_shadows,
    camera_table,
    coverage_pairs,
    coverage_polygons,
    covered_mask,
    discs,
    sector_bounds,
)
from gisapp.analysis.cameras.methods import CoverageParams
from gisapp.analysis.core.result import Cancelled
from gisapp.layers.errors import AnalysisError, InputError

METRIC = "EPSG:4544"
X0, Y0 = 500_000.0, 3_400_000.0


@pytest.fixture(scope="module")
def county_coverage(county):
    return camera_coverage(county["incidents"], county["cameras"], grids=county["grids"], areas=county["areas"], roads=county["roads"])


def cameras(rows, crs=METRIC) -> gpd.GeoDataFrame:
    """Cameras from (dx, dy, kind, heading, fov, range, status) relative to (X0, Y0)."""
    frame = pd.DataFrame(rows, columns=["dx", "dy", "kind", "heading_deg", "fov_deg", "range_m", "status"])
    frame.insert(0, "camera_id", [f"C{i + 1}" for i in range(len(frame))])
    geometry = gpd.points_from_xy(X0 + frame.pop("dx"), Y0 + frame.pop("dy"))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=crs)


def brute_force_seen(x, y, table) -> np.ndarray:
    """The generator's definition (sample_data/generate.py ``covered``), per camera, in degrees."""
    active = table.active
    dx = x[:, None] - table.x[active]
    dy = y[:, None] - table.y[active]
    off = np.abs((np.degrees(np.arctan2(dx, dy)) - table.heading[active] + 180) % 360 - 180)
    return (np.hypot(dx, dy) <= table.range[active]) & ((off <= table.fov[active] / 2) | (table.fov[active] >= 360))


# --------------------------------------------------------------------------- geometry


@pytest.mark.parametrize(
    "dx, dy, seen",
    [
        (0, 50, True),  # straight ahead
        (0, 100, True),  # exactly at the range
        (0, 100.01, False),  # just beyond
        (0, -10, False),  # behind
        (50 * math.sin(math.radians(30)), 50 * math.cos(math.radians(30)), True),  # on the edge of a 60° view
        (50 * math.sin(math.radians(31)), 50 * math.cos(math.radians(31)), False),
        (0, 0, True),  # the camera's own position
    ],
)
def test_fixed_sector_membership(dx, dy, seen):
    table = camera_table(cameras([(0, 0, "fixed", 0, 60, 100, "online")]))
    assert covered_mask([X0 + dx], [Y0 + dy], table)[0] == seen


def test_heading_is_clockwise_from_north():
    table = camera_table(cameras([(0, 0, "fixed", 90, 40, 100, "online")]))  # facing east
    assert covered_mask([X0 + 50, X0 - 50, X0], [Y0, Y0, Y0 + 50], table).tolist() == [True, False, False]


def test_dome_is_a_disc_unless_a_narrower_view_is_given():
    table = camera_table(cameras([(0, 0, "dome", np.nan, 360, 50, "online"), (1000, 0, "dome", 180, 90, 50, "online")]))
    assert covered_mask([X0, X0, X0 + 1000, X0 + 1000], [Y0 + 40, Y0 - 40, Y0 - 40, Y0 + 40], table).tolist() == [True, True, True, False]
    assert table.problems() == []  # a dome needs no heading


def test_offline_camera_sees_nothing_but_is_listed():
    table = camera_table(cameras([(0, 0, "fixed", 0, 60, 100, "offline")]))
    assert not covered_mask([X0], [Y0 + 10], table)[0]
    assert len(table) == 1 and not table.active[0]
    assert shapely.area(coverage_polygons(table)[0]) > 0  # its nominal footprint is still drawn


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bucket_join_equals_brute_force(seed):
    rng = np.random.default_rng(seed)
    n = 300
    kinds = rng.choice(["fixed", "dome", "checkpoint"], n)
    rows = list(
        zip(rng.uniform(0, 3000, n), rng.uniform(0, 3000, n), kinds, rng.uniform(0, 360, n),
            np.where(kinds == "dome", 360, rng.uniform(20, 200, n)), rng.uniform(10, 150, n), rng.choice(["online", "offline"], n, p=[0.9, 0.1]))
    )
    table = camera_table(cameras(rows))
    x = X0 + rng.uniform(-100, 3100, 20_000)
    y = Y0 + rng.uniform(-100, 3100, 20_000)
    expected = brute_force_seen(x, y, table)
    points, cams = coverage_pairs(x, y, table)
    got = np.zeros_like(expected)
    active_position = np.cumsum(table.active) - 1
    got[points, active_position[cams]] = True
    np.testing.assert_array_equal(got, expected)


def test_polygons_are_valid_and_match_the_analytic_area():
    table = camera_table(cameras([(0, 0, "fixed", 37, 75, 90, "online"), (500, 0, "dome", 0, 360, 60, "online"), (900, 0, "checkpoint", 200, np.nan, np.nan, "online")]))
    polygons = coverage_polygons(table, arc_step_deg=1.0)
    assert shapely.is_valid(polygons).all()
    analytic = np.pi * table.range**2 * table.fov / 360
    np.testing.assert_allclose(shapely.area(polygons), analytic, rtol=2e-4)
    bounds = sector_bounds(table)
    assert (shapely.bounds(polygons) >= bounds[:, :2].repeat(2, axis=1) * [1, 1, 0, 0] - 1e-6).all()
    np.testing.assert_allclose(shapely.bounds(polygons), bounds, atol=0.05)


# --------------------------------------------------------------------------- bad camera values (issue 7, "Bad input")


def test_missing_heading_faces_along_the_nearest_road():
    road = gpd.GeoDataFrame({"name": ["东西路"]}, geometry=[shapely.LineString([(X0 - 500, Y0 + 5), (X0 + 500, Y0 + 5)])], crs=METRIC)
    table = camera_table(cameras([(0, 0, "fixed", np.nan, 60, 100, "online")]), roads=road)
    assert table.heading[0] == pytest.approx(90.0)
    assert "faces along 东西路" in table.notes[0]


def test_missing_heading_without_roads_becomes_a_disc():
    table = camera_table(cameras([(0, 0, "fixed", np.nan, 60, 100, "online")]))
    assert table.fov[0] == 360
    assert "treated as a disc" in table.problems()[0]["note"]


@pytest.mark.parametrize("fov", [0, -30, 400, np.nan])
def test_field_of_view_out_of_range_gets_the_default(fov):
    params = CameraParams(fixed_fov_deg=70)
    table = camera_table(cameras([(0, 0, "fixed", 0, fov, 100, "online")]), params)
    assert table.fov[0] == 70
    assert "field of view" in table.notes[0]


@pytest.mark.parametrize("reach", [0, -20, np.nan])
def test_range_not_positive_gets_the_default_and_is_reported(reach):
    table = camera_table(cameras([(0, 0, "checkpoint", 10, 40, reach, "online")]))
    assert table.range[0] == CameraParams().checkpoint_range_m
    problem = table.problems()[0]
    assert problem["camera_id"] == "C1" and problem["row"] == 1 and "range" in problem["note"]


def test_heading_wraps_and_chinese_kinds_and_statuses_are_understood():
    table = camera_table(cameras([(0, 0, "枪机", 450, 60, 100, "正常"), (0, 0, "球机", np.nan, np.nan, 50, "故障"), (0, 0, "卡口", 0, 40, 40, "")]))
    assert table.kind.tolist() == ["fixed", "dome", "checkpoint"]
    assert table.heading[0] == 90 and "taken as 90" in table.notes[0]
    assert table.online.tolist() == [True, False, True]
    assert "taken as online" in table.notes[2]


def test_camera_layer_of_lines_is_refused():
    lines = gpd.GeoDataFrame({"camera_id": ["C1"]}, geometry=[shapely.LineString([(0, 0), (1, 1)])], crs=METRIC)
    with pytest.raises(InputError, match="not points"):
        camera_table(lines)


def test_camera_without_location_is_listed_and_sees_nothing():
    frame = cameras([(0, 0, "dome", 0, 360, 50, "online"), (10, 10, "dome", 0, 360, 50, "online")])
    frame.loc[1, "geometry"] = None
    table = camera_table(frame)
    assert table.active.tolist() == [True, False]
    assert "no location" in table.notes[1]


# --------------------------------------------------------------------------- line of sight


def test_a_building_hides_what_is_behind_it():
    table = camera_table(cameras([(0, 0, "dome", 0, 360, 100, "online")]))
    building = gpd.GeoDataFrame(geometry=[shapely.box(X0 + 20, Y0 - 10, X0 + 30, Y0 + 10)], crs=METRIC)
    clipped, summary = add_shadows(table, building)
    x = np.array([X0 + 10, X0 + 50, X0 + 25, X0 - 50, X0 + 50])
    y = np.array([Y0, Y0, Y0, Y0, Y0 + 40])
    assert covered_mask(x, y, clipped).tolist() == [True, False, False, True, True]
    assert summary["cameras_clipped"] == 1
    polygon = coverage_polygons(clipped)[0]
    assert shapely.is_valid(polygon) and not polygon.contains(shapely.Point(X0 + 50, Y0))


def test_the_building_a_camera_hangs_on_casts_no_shadow():
    table = camera_table(cameras([(0, 0, "fixed", 0, 90, 100, "online")]))
    wall = gpd.GeoDataFrame(geometry=[shapely.box(X0 - 20, Y0 - 20, X0 + 20, Y0)], crs=METRIC)  # camera on its north face
    clipped, summary = add_shadows(table, wall)
    assert summary["cameras_mounted"] == 1
    assert covered_mask([X0], [Y0 + 50], clipped)[0]


def test_obstacles_must_be_polygons():
    table = camera_table(cameras([(0, 0, "dome", 0, 360, 100, "online")]))
    with pytest.raises(InputError, match="polygons"):
        add_shadows(table, gpd.GeoDataFrame(geometry=[shapely.Point(X0, Y0)], crs=METRIC))


# --------------------------------------------------------------------------- the sample county


def test_pattern_f_is_a_top_blind_spot(county, county_coverage, truth):
    f = truth["f"]
    centre = gpd.GeoSeries(gpd.points_from_xy([f["lon"]], [f["lat"]]), crs=4326).to_crs(METRIC).iloc[0]
    blind = county_coverage.layer
    holding = blind[blind.intersects(centre)]  # the cell(s) holding the alley's centre
    assert len(holding) >= 1
    assert holding["rank"].min() <= 5
    assert (holding["n_covered"] == 0).all()
    assert f["alley"] in set(holding["nearest_road"])
    assert (holding["nearest_camera_m"] > 100).all()
    incidents = county["incidents"]
    in_f = incidents["pattern"].astype(str).to_numpy() == "f"
    table = camera_table(county["cameras"])
    assert not covered_mask(incidents.geometry.x.to_numpy()[in_f], incidents.geometry.y.to_numpy()[in_f], table).any()


def test_the_watched_plaza_is_the_best_covered_area(county_coverage, truth):
    areas = county_coverage.extra_layers["area_coverage"].set_index("name")
    plaza = areas.loc[truth["e"]["name"]]
    assert plaza["area_covered_share"] > 0.5 and plaza["covered_share"] > 0.5
    assert plaza["area_covered_share"] == areas["area_covered_share"].max()
    assert plaza["cameras"] >= truth["e"]["cameras_within_radius"] * 0.8


def test_summary_is_consistent_and_serialisable(county, county_coverage):
    s = county_coverage.summary
    json.dumps(s, ensure_ascii=False)
    assert s["incidents"] == len(county["incidents"])
    assert sum(row["incidents"] for row in s["by_category"]) == s["incidents"]
    assert sum(row["covered"] for row in s["by_category"]) == s["covered"]
    assert sum(row["incidents"] for row in s["by_hour"]) == s["incidents"]
    assert s["share_covered"] <= s["share_covered_if_offline_repaired"]
    assert s["cameras"]["total"] == len(county["cameras"]) and s["cameras"]["offline"] == 10
    grids = county_coverage.extra_layers["grid_coverage"]
    assert grids["n"].sum() <= s["incidents"] and (grids["n_covered"] <= grids["n"]).all()
    cams = county_coverage.extra_layers["camera_coverage"]
    assert len(cams) == len(county["cameras"]) and (cams.loc[~cams["active"], "incidents_seen"] == 0).all()
    assert "computed" in s["hotspots"]["source"]
    blind = county_coverage.layer
    assert blind["rank"].tolist() == list(range(1, len(blind) + 1))
    assert (np.diff(blind["n_uncovered"].to_numpy()) <= 0).all()


def test_layers_in_other_crs_are_reprojected(county, county_coverage):
    cameras_wgs84 = county["cameras"].to_crs(4326)
    result = camera_coverage(county["incidents"], cameras_wgs84, hotspots=county_coverage.extra_layers["hotspot_coverage"].to_crs(4326))
    assert result.summary["covered"] == county_coverage.summary["covered"]
    assert any("camera reprojected from EPSG:4326" in note for note in result.summary["notes"])
    assert result.summary["hotspots"]["source"].startswith("hotspot layer given")
    assert len(result.layer) == len(county_coverage.layer)


def test_geographic_incidents_are_refused(county):
    with pytest.raises(AnalysisError, match="geographic"):
        camera_coverage(county["incidents"].to_crs(4326).head(100), county["cameras"])


def test_cancel_is_honoured(county):
    with pytest.raises(Cancelled):
        camera_coverage(county["incidents"], county["cameras"], cancelled=lambda: True)


def test_progress_is_reported_in_order(county):
    seen = []
    camera_coverage(county["incidents"].head(2000), county["cameras"], CoverageParams(), progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)


def test_discs_table_for_candidates():
    table = discs([X0, X0 + 100], [Y0, Y0], 30.0)
    assert covered_mask([X0 + 29, X0 + 131, X0 + 50], [Y0, Y0, Y0], table).tolist() == [True, False, False]


def test_covered_area_of_cells_equals_the_general_intersection():
    # The fast paths (contained cells whole, rectangles clipped) against a plain GEOS overlay, cell by cell.
    from gisapp.analysis.cameras.coverage import covered_area

    rng = np.random.default_rng(7)
    union = shapely.union_all(shapely.buffer(shapely.points(rng.uniform(0, 2000, (60, 2))), rng.uniform(20, 150, 60)))
    x, y = np.meshgrid(np.arange(0, 2000, 50.0), np.arange(0, 2000, 50.0))
    cells = shapely.box(x.ravel(), y.ravel(), x.ravel() + 50, y.ravel() + 50)
    triangles = shapely.polygons([[(0, 0), (300, 0), (0, 300)], [(500, 500), (900, 520), (700, 900)]])
    geoms = np.concatenate([cells, triangles])
    expected = shapely.area(shapely.intersection(geoms, union))
    np.testing.assert_allclose(covered_area(geoms, union), expected, rtol=1e-9, atol=1e-6)
    assert covered_area(geoms, shapely.Polygon()).sum() == 0
