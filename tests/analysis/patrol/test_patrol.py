"""Road network, orienteering, Koper dosage, route exposure and patrol planning (issue 7, parts 4-5)."""

from __future__ import annotations

import itertools
import json

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gisapp.analysis.core.result import Cancelled
from gisapp.analysis.core.road_network import NetworkParams, build_road_network
from gisapp.analysis.patrol.dosage import DosageParams, koper_schedule
from gisapp.analysis.patrol.exposure import route_exposure
from gisapp.analysis.patrol.methods import ExposureParams, PlanParams, clock_minutes
from gisapp.analysis.patrol.orienteering import nearest_next_tour, plan_tour
from gisapp.analysis.patrol.plan import hotspot_places, plan_patrol
from gisapp.layers.errors import InputError

METRIC = "EPSG:4544"
X0, Y0 = 500_000.0, 3_400_000.0


@pytest.fixture(scope="module")
def station(truth):
    seat = truth["seat_centre"]
    return gpd.GeoSeries(gpd.points_from_xy([seat["lon"]], [seat["lat"]]), crs=4326).to_crs(METRIC).iloc[0]


@pytest.fixture(scope="module")
def county_plan(county, station):
    return plan_patrol(county["roads"], station, PlanParams(budget_minutes=60), incidents=county["incidents"])


def roads(*lines, crs=METRIC) -> gpd.GeoDataFrame:
    geoms = [shapely.LineString([(X0 + x, Y0 + y) for x, y in line]) for line in lines]
    return gpd.GeoDataFrame({"name": [f"路{i + 1}" for i in range(len(geoms))], "road_class": "primary"}, geometry=geoms, crs=crs)


def square_cells(centres, size=100.0, gi_bin=3, n=None, crs=METRIC) -> gpd.GeoDataFrame:
    cells = [shapely.box(X0 + x - size / 2, Y0 + y - size / 2, X0 + x + size / 2, Y0 + y + size / 2) for x, y in centres]
    return gpd.GeoDataFrame(
        {"cell_id": [f"h{i + 1}" for i in range(len(cells))], "gi_bin": gi_bin, "gi_z": 3.0, "n": n if n is not None else 10},
        geometry=cells, crs=crs,
    )


# --------------------------------------------------------------------------- road network


def test_crossing_streets_are_joined_and_travel_time_follows_the_speed():
    network = build_road_network(roads([(-1000, 0), (1000, 0)], [(0, -1000), (0, 1000)]), NetworkParams(speed_kmh=30))
    assert network.summary["components"] == 1
    nodes, dist = network.snap([X0 + 500, X0 - 3], [Y0 + 2, Y0 + 700], 50)
    assert dist == pytest.approx([2, 3])
    minutes, _ = network.travel([nodes[0]])
    assert minutes[0, nodes[1]] == pytest.approx((500 + 700) / 500)  # 30 km/h = 500 m/min


def test_t_junction_that_misses_by_a_rounding_error_is_joined():
    lines = roads([(-500, 0), (500, 0)], [(100, 1e-9), (100, 400)])
    network = build_road_network(lines)
    assert network.summary["components"] == 1 and network.summary["dead_ends_joined"] >= 1


def test_class_speed_zero_leaves_roads_out_and_non_lines_are_counted():
    frame = roads([(0, 0), (1000, 0)], [(0, 0), (0, 1000)])
    frame.loc[1, "road_class"] = "alley"
    frame.loc[len(frame)] = ["点", "primary", shapely.Point(X0, Y0)]
    network = build_road_network(frame, NetworkParams(class_speeds_kmh={"alley": 0}))
    assert network.summary["roads_used"] == 1
    assert network.summary["roads_left_out_speed_0"] == 1 and network.summary["roads_rejected"] == 1


def test_roads_without_a_line_are_an_input_error():
    frame = gpd.GeoDataFrame({"name": ["x"]}, geometry=[shapely.Point(X0, Y0)], crs=METRIC)
    with pytest.raises(InputError, match="no usable line"):
        build_road_network(frame)


# --------------------------------------------------------------------------- orienteering


def exhaustive_best(start_to, between, values, dwell, budget) -> float:
    """Best value over every ordered subset (small k only), round trip."""
    k = len(values)
    best = 0.0
    for size in range(1, k + 1):
        for subset in itertools.permutations(range(k), size):
            t = start_to[subset[0]] + start_to[subset[-1]] + dwell * size
            t += sum(between[a, b] for a, b in itertools.pairwise(subset))
            if t <= budget + 1e-9:
                best = max(best, float(values[list(subset)].sum()))
    return best


@pytest.mark.parametrize("seed", range(6))
def test_plan_is_feasible_and_close_to_the_optimum(seed):
    rng = np.random.default_rng(seed)
    k = 6
    xy = rng.uniform(0, 10, (k + 1, 2))
    d = np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1))
    start_to, between = d[0, 1:], d[1:, 1:]
    values = rng.integers(1, 20, k).astype(float)
    budget = float(rng.uniform(10, 25))
    plan = plan_tour(start_to, between, start_to, values, 1.0, budget)
    assert plan.minutes <= budget + 1e-9
    assert plan.value >= 0.85 * exhaustive_best(start_to, between, values, 1.0, budget)
    naive = nearest_next_tour(start_to, between, start_to, values, 1.0, budget)
    assert naive.minutes <= budget + 1e-9


def test_unreachable_targets_are_never_visited():
    start_to = np.array([1.0, np.inf, 2.0])
    between = np.array([[0, np.inf, 1], [np.inf, 0, np.inf], [1, np.inf, 0]])
    plan = plan_tour(start_to, between, start_to, np.array([1.0, 100.0, 1.0]), 0.0, 60)
    assert 1 not in plan.order and sorted(plan.order) == [0, 2]


def test_plan_prefers_value_over_proximity():
    # one near low-value hotspot, one farther high-value: budget only allows one
    start_to = np.array([1.0, 5.0])
    between = np.array([[0.0, 5.5], [5.5, 0.0]])
    plan = plan_tour(start_to, between, start_to, np.array([1.0, 50.0]), 0.0, 10.5)
    naive = nearest_next_tour(start_to, between, start_to, np.array([1.0, 50.0]), 0.0, 10.5)
    assert plan.order == [1] and naive.order == [0]


# --------------------------------------------------------------------------- Koper dosage


def test_koper_stops_are_10_to_15_minutes_and_seeded():
    legs = np.array([3.0, 4.0, 5.0, 3.0])
    schedule, summary = koper_schedule(["a", "b", "c"], legs, DosageParams(seed=7))
    again, _ = koper_schedule(["a", "b", "c"], legs, DosageParams(seed=7))
    other, _ = koper_schedule(["a", "b", "c"], legs, DosageParams(seed=8))
    assert schedule.equals(again) and not schedule.equals(other)
    assert schedule["stop_minutes"].between(10, 15).all()
    assert summary["fits_interval"] and 100 <= summary["mean_revisit_minutes"] <= 140
    assert set(schedule["shift"]) == {"白班", "夜班"}
    per_shift = schedule.groupby(["shift", "stop_id"]).size()
    assert per_shift.min() >= 5  # a 12-hour shift, about every two hours


def test_koper_schedule_reports_an_overlong_cycle():
    schedule, summary = koper_schedule(["a", "b"], np.array([60.0, 60.0, 60.0]), DosageParams(shifts=[("夜班", "22:00", "06:00")]))
    assert not summary["fits_interval"]
    assert summary["mean_revisit_minutes"] > 120
    assert (schedule["arrive_min"] + schedule["stop_minutes"] <= 8 * 60).all()


@pytest.mark.parametrize("text", ["8", "25:00", "08:61", "eight"])
def test_bad_shift_times(text):
    with pytest.raises(InputError, match="shift time"):
        clock_minutes(text)


def test_stop_lengths_must_be_ordered():
    with pytest.raises(InputError, match="Stop lengths"):
        koper_schedule(["a"], np.array([5.0, 5.0]), DosageParams(stop_min=16, stop_max=15))


# --------------------------------------------------------------------------- hotspot places


def test_hotspot_places_merge_neighbouring_cells_around_the_peak():
    cells = square_cells([(0, 0), (100, 0), (1000, 0)], n=[5, 9, 4])
    cells["value"] = [5.0, 9.0, 4.0]
    places = hotspot_places(cells, 150.0)
    assert places["cell_id"].tolist() == ["h2", "h3"]
    assert places["value"].tolist() == [14.0, 4.0]
    assert places["n_cells"].tolist() == [2, 1]
    assert len(hotspot_places(cells, 0.0)) == 3


# --------------------------------------------------------------------------- route exposure


def test_route_exposure_on_the_sample_county(county, truth):
    result = route_exposure(county["routes"], county["incidents"], ExposureParams(corridor_width_m=100), roads=county["roads"])
    s = result.summary
    assert s["routes"] == 4 and s["routes_rejected"] == []
    layer = result.layer.set_index("route_id")
    assert layer.loc["R01", "length_km"] == pytest.approx(4.0, abs=0.01)
    assert layer.loc["R01", "minutes"] == pytest.approx(12.0, abs=0.1)  # 4 km at 20 km/h
    assert (layer["incidents_in_shift"] <= layer["incidents"]).all()
    assert 0 < s["share_hot_cells_touched"] < 1
    unpatrolled = result.extra_layers["unpatrolled_hotspots"]
    assert s["hot_cells_touched"] + len(unpatrolled) == s["hotspots"]["hot_cells"]
    f = truth["f"]
    centre = gpd.GeoSeries(gpd.points_from_xy([f["lon"]], [f["lat"]]), crs=4326).to_crs(METRIC).iloc[0]
    f_cells = unpatrolled[unpatrolled.intersects(centre)]
    assert len(f_cells) == 1 and f_cells["rank"].iloc[0] <= 3  # no route enters the (f) alley
    assert len(result.extra_layers["corridors"]) == 4
    json.dumps(s, ensure_ascii=False)


def test_wider_corridor_sees_more(county):
    narrow = route_exposure(county["routes"], county["incidents"], ExposureParams(corridor_width_m=40))
    wide = route_exposure(county["routes"], county["incidents"], ExposureParams(corridor_width_m=300))
    assert (wide.layer["incidents"].to_numpy() >= narrow.layer["incidents"].to_numpy()).all()
    assert wide.summary["hot_cells_touched"] >= narrow.summary["hot_cells_touched"]


def test_routes_that_are_not_lines_are_rejected_and_reported(county):
    routes = county["routes"].copy()
    routes.loc[1, "geometry"] = routes.geometry.iloc[1].buffer(10)  # a polygon
    routes.loc[2, "geometry"] = None
    result = route_exposure(routes, county["incidents"])
    assert result.summary["routes"] == 2
    reasons = {r["route_id"]: r["reason"] for r in result.summary["routes_rejected"]}
    assert reasons == {"R02": "Polygon is not a line", "R03": "no geometry"}


def test_only_non_line_routes_is_an_input_error(county):
    routes = county["routes"].copy()
    routes["geometry"] = routes.geometry.centroid
    with pytest.raises(InputError, match="routes must be line features"):
        route_exposure(routes, county["incidents"])


@pytest.mark.parametrize("params, message", [(ExposureParams(corridor_width_m=0), "--corridor takes a positive number of metres"), (ExposureParams(speed_kmh=-1), "--speed")])
def test_bad_exposure_parameters(county, params, message):
    with pytest.raises(InputError, match=message):
        route_exposure(county["routes"], county["incidents"], params)


# --------------------------------------------------------------------------- planning


def test_plan_beats_the_naive_tour_on_the_sample_county(county_plan):
    s = county_plan.summary
    assert s["plan"]["minutes"] <= 60 + 1e-6 and s["naive"]["minutes"] <= 60 + 1e-6
    assert s["plan"]["value_per_minute"] > s["naive"]["value_per_minute"]
    assert s["plan"]["value"] > s["naive"]["value"]
    assert s["hotspots"]["unreachable"] == 0 and s["network"]["components"] == 1
    json.dumps(s, ensure_ascii=False)


def test_planned_route_is_a_closed_line_on_the_roads(county, county_plan, station):
    layer = county_plan.layer.set_index("tour")
    line = layer.loc["plan", "geometry"]
    start, end = shapely.get_point(line, 0), shapely.get_point(line, -1)
    assert start.equals_exact(end, 1e-6) and start.distance(station) < 50
    assert county["roads"].union_all().buffer(1.0).contains(line)
    stops = county_plan.extra_layers["stops"]
    assert len(stops) == layer.loc["plan", "stops"] and stops["order"].tolist() == list(range(1, len(stops) + 1))
    assert (np.diff(stops["arrive_minute"].to_numpy()) > 0).all()
    assert stops["value"].sum() == layer.loc["plan", "value"]
    dosage = county_plan.extra_layers["dosage"]
    assert set(dosage["cell_id"]) == set(stops["cell_id"]) and dosage["stop_minutes"].between(10, 15).all()


def test_market_places_are_planned_stops(county_plan, truth):
    stops = county_plan.extra_layers["stops"]
    stop_points = gpd.GeoSeries(stops.geometry.values, crs=METRIC)
    markets = gpd.GeoSeries(gpd.points_from_xy([h["lon"] for h in truth["a"]["hotspots"]], [h["lat"] for h in truth["a"]["hotspots"]]), crs=4326).to_crs(METRIC)
    near = [stop_points.distance(m).min() < 400 for m in markets]
    assert sum(near) >= 2


def test_disconnected_network_reports_unreachable_hotspots():
    network_roads = roads([(0, 0), (2000, 0)], [(5000, 0), (7000, 0)])  # two separate streets
    hot = square_cells([(500, 20), (1500, 20), (6000, 20)], n=[10, 20, 30])
    result = plan_patrol(network_roads, (X0, Y0), PlanParams(budget_minutes=60, merge_radius_m=0), hotspots=hot)
    s = result.summary
    assert s["network"]["components"] == 2
    assert [u["cell_id"] for u in s["unreachable"]] == ["h3"]
    assert "not connected" in s["unreachable"][0]["reason"]
    assert sorted(result.extra_layers["stops"]["cell_id"]) == ["h1", "h2"]
    assert any("disconnected" in note for note in s["notes"])


def test_hotspot_far_from_every_road_is_unreachable():
    hot = square_cells([(500, 20), (500, 3000)])
    result = plan_patrol(roads([(0, 0), (2000, 0)]), (X0, Y0), PlanParams(merge_radius_m=0), hotspots=hot)
    assert [u["cell_id"] for u in result.summary["unreachable"]] == ["h2"]
    assert "no road within" in result.summary["unreachable"][0]["reason"]


def test_start_off_the_network_is_an_input_error():
    with pytest.raises(InputError, match="start point is 5,000 m from the nearest road"):
        plan_patrol(roads([(0, 0), (2000, 0)]), (X0 + 1000, Y0 + 5000), PlanParams(), hotspots=square_cells([(500, 20)]))


def test_hotspots_in_another_crs_are_reprojected():
    hot = square_cells([(500, 20), (1500, 20)]).to_crs(4326)
    result = plan_patrol(roads([(0, 0), (2000, 0)]), (X0, Y0), PlanParams(merge_radius_m=0), hotspots=hot)
    assert any("hotspot reprojected from EPSG:4326" in note for note in result.summary["notes"])
    assert result.summary["plan"]["stops"] == 2


def test_plan_needs_hotspots_or_incidents():
    with pytest.raises(InputError, match="hotspot layer, or incidents"):
        plan_patrol(roads([(0, 0), (2000, 0)]), (X0, Y0))


@pytest.mark.parametrize(
    "params, message",
    [
        (PlanParams(budget_minutes=0), "--budget takes a positive number of minutes; got 0"),
        (PlanParams(dwell_minutes=-1), "--dwell takes a number of minutes of at least 0; got -1"),
        (PlanParams(speed_kmh=0), "--speed takes a positive number of km/h; got 0"),
        (PlanParams(shifts=("夜班",)), "--shift takes NAME=HH:MM-HH:MM"),
        (PlanParams(shifts=()), "needs at least one shift"),
        (PlanParams(start="east"), "--start takes longitude,latitude"),
    ],
)
def test_bad_plan_parameters(params, message):
    with pytest.raises(InputError, match=message):
        plan_patrol(roads([(0, 0), (2000, 0)]), (X0, Y0), params, hotspots=square_cells([(500, 20)]))


def test_plan_cancel_is_honoured():
    with pytest.raises(Cancelled):
        plan_patrol(roads([(0, 0), (2000, 0)]), (X0, Y0), hotspots=square_cells([(500, 20)]), cancelled=lambda: True)
