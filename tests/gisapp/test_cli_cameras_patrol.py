"""``gisapp coverage``, ``gisapp site-cameras`` and ``gisapp patrol [--plan]`` on the sample county."""

from __future__ import annotations

import json

import geopandas as gpd
import pyogrio
import pytest
import shapely

from gisapp.analysis.patrol.start import NO_START
from gisapp.cli import main
from gisapp.layers.project import load_project


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def layers_in(path) -> list[str]:
    return [str(name) for name, _ in pyogrio.list_layers(str(path))]


@pytest.fixture(scope="module")
def county(sample_dir):
    return sample_dir / "county.gpkg"


@pytest.fixture(scope="module")
def small_county(county, tmp_path_factory):
    """The county with every 20th incident: the same layers, read much faster (for argument checks)."""
    path = tmp_path_factory.mktemp("small") / "small_county.gpkg"
    for name, _ in pyogrio.list_layers(str(county)):
        frame = pyogrio.read_dataframe(str(county), layer=name)
        pyogrio.write_dataframe(frame.iloc[::20] if name == "incidents" else frame, str(path), layer=name)
    return path


@pytest.fixture(scope="module")
def truth(sample_dir):
    return json.loads((sample_dir / "truth.json").read_text(encoding="utf-8"))


def test_coverage_json_and_layers(capsys, county, tmp_path, truth):
    out = tmp_path / "coverage.gpkg"
    code, stdout, _ = run(capsys, "coverage", county, "--json", "--out", out)
    assert code == 0
    summary = json.loads(stdout)
    assert 0 < summary["share_covered"] < 1
    assert {"by_category", "by_hour", "blind_spots", "areas", "grids", "cameras"} <= set(summary)
    assert any(b["nearest_road"] == truth["f"]["alley"] for b in summary["blind_spots"]["top"][:5])
    assert {"blind_spots", "camera_coverage", "hotspot_coverage", "grid_coverage", "area_coverage"} <= set(layers_in(out))
    project = load_project(out)  # every layer records how it was made, in the shape every method shares
    blind = project.layers[0]
    assert blind.name == "blind_spots" and blind.params["method"] == "coverage"
    assert blind.params["params"]["max_covered_share"] == 0.5 and blind.params["params"]["hotspots"] == "auto"
    assert blind.params["chosen"]["hotspots"].startswith("computed") and blind.params["filters"] == {}
    assert blind.params["summary"]["blind_spots"]["count"] == summary["blind_spots"]["count"]
    assert project.layers["camera_coverage"].params["part_of"] == "blind_spots"


def test_coverage_text_with_filters(capsys, county, tmp_path):
    # The hotspot cells of the same filters at 200 m / 400 m, given as --hotspots: on these 525 evening snatchings the
    # automatic scale (the default definition) picks 332 m cells and a fallback band, too coarse for one alley.
    filters = ["--category", "抢夺", "--hours", "17-24"]
    code, _, _ = run(capsys, "hotspot", county, *filters, "--cell", "200", "--band", "400", "--out", tmp_path / "h.gpkg")
    assert code == 0
    code, stdout, _ = run(capsys, "coverage", county, *filters, "--hotspots", tmp_path / "h.gpkg", "--top", "5", "--out", tmp_path / "c.gpkg")
    assert code == 0
    assert "blind spots:" in stdout and "滨河路3巷" in stdout


def test_coverage_with_a_hotspot_file_and_cameras_in_another_file(capsys, county, tmp_path):
    from gisapp.analysis.core.aggregation import AggregationParams
    from gisapp.analysis.hotspots.gistar import GiStarParams, hotspot_gi_star

    layers = {name: pyogrio.read_dataframe(str(county), layer=name) for name in ("incidents", "cameras")}
    incidents = layers["incidents"].to_crs(4544)
    hot = hotspot_gi_star(incidents, AggregationParams(cell_size=250), GiStarParams(band=500))
    hot_file = tmp_path / "hot.gpkg"
    hot.layer.to_file(hot_file, layer="hotspots")  # a plain GeoPackage with gi_bin, as another tool would write it
    cameras_file = tmp_path / "cameras.geojson"
    layers["cameras"].to_crs(4490).to_file(cameras_file)  # CGCS2000, not the county's WGS84
    code, stdout, err = run(capsys, "coverage", county, "--hotspots", hot_file, "--cameras", cameras_file, "--json", "--out", tmp_path / "c.gpkg")
    assert code == 0, err
    summary = json.loads(stdout)
    assert summary["hotspots"]["source"].startswith("hotspot layer given")
    assert summary["cameras"]["total"] == len(layers["cameras"])


def test_hotspots_auto_takes_the_projects_hotspot_result_and_a_layer_can_be_named(capsys, small_county, tmp_path):
    """One rule for both front ends: ``auto`` is the input's newest ``hotspot`` result (what the window shows), else computed."""
    from gisapp.analysis.core.aggregation import AggregationParams
    from gisapp.analysis.hotspots.gistar import GiStarParams, hotspot_gi_star
    from gisapp.layers import Layer, LayerList
    from gisapp.layers.io import read_layers
    from gisapp.layers.project import Project, save_project

    layers = read_layers(small_county)
    incidents = next(layer for layer in layers if layer.kind == "incidents").data.to_crs(4544)
    hot = hotspot_gi_star(incidents, AggregationParams(cell_size=300), GiStarParams(band=600)).layer
    other = hot.assign(gi_bin=0)  # a layer with gi_bin that the hotspot method did not make
    project = tmp_path / "project.gpkg"
    save_project(Project(LayerList([*layers, Layer("hot300", "result", hot, params={"method": "hotspot"}),
                                    Layer("mine", "result", other, params={"method": "coverage"})])), project)
    code, stdout, err = run(capsys, "coverage", project, "--json", "--out", tmp_path / "auto.gpkg")
    assert code == 0, err
    assert json.loads(stdout)["hotspots"]["source"] == f"hotspot layer given ({len(hot)} cells)"
    recorded = load_project(tmp_path / "auto.gpkg").layers["blind_spots"].params
    assert recorded["params"]["hotspots"] == "auto" and recorded["chosen"]["hotspots"] == f"hotspot layer given ({len(hot)} cells)"
    code, stdout, err = run(capsys, "patrol", project, "--hotspots", "mine", "--json", "--out", tmp_path / "named.gpkg")
    assert code == 0, err
    summary = json.loads(stdout)
    assert summary["hotspots"]["hot_cells"] == 0 and summary["hot_cells_touched"] == 0  # the named layer, whose cells are all gi_bin 0


def test_site_cameras_json(capsys, county, tmp_path):
    out = tmp_path / "sites.gpkg"
    code, stdout, _ = run(capsys, "site-cameras", county, "--n", "5", "--json", "--out", out)
    assert code == 0
    summary = json.loads(stdout)
    assert summary["share_after"] > summary["share_before"]
    assert len(summary["sites"]) == 5 and summary["optimal"] is True
    assert set(layers_in(out)) >= {"camera_sites", "new_coverage"}
    sites = gpd.read_file(out, layer="camera_sites")
    assert len(sites) == 5 and sites.crs.to_epsg() == 4544


def test_site_cameras_greedy_text(capsys, small_county, tmp_path):
    code, stdout, _ = run(capsys, "site-cameras", small_county, "--n", "3", "--method", "greedy", "--candidates", "intersections", "--out", tmp_path / "s.gpkg")
    # What was solved (greedy) and what the bound means (a guaranteed share of the optimum), never "optimum" next to "within".
    assert code == 0 and "solved: greedy selection" in stdout and "of the optimum" in stdout and "at least" in stdout


def test_patrol_exposure_json(capsys, county, tmp_path):
    out = tmp_path / "patrol.gpkg"
    code, stdout, _ = run(capsys, "patrol", county, "--corridor", "150", "--json", "--out", out)
    assert code == 0
    summary = json.loads(stdout)
    assert summary["routes"] == 4 and summary["corridor_width_m"] == 150
    assert {"route_exposure", "corridors", "unpatrolled_hotspots"} <= set(layers_in(out))


def test_patrol_plan_json(capsys, county, tmp_path, truth):
    seat = truth["seat_centre"]
    out = tmp_path / "plan.gpkg"
    code, stdout, _ = run(capsys, "patrol", county, "--plan", "--start", f"{seat['lon']},{seat['lat']}", "--budget", "60", "--json", "--out", out)
    assert code == 0
    summary = json.loads(stdout)
    assert summary["plan"]["value_per_minute"] > summary["naive"]["value_per_minute"]
    assert summary["dosage"]["stops"] > 0
    assert {"patrol_plan", "stops", "dosage", "unreachable_hotspots"} <= set(layers_in(out))
    plan = gpd.read_file(out, layer="patrol_plan")
    assert plan["tour"].tolist() == ["plan", "naive"] and plan.geometry.iloc[0].geom_type == "LineString"
    recorded = load_project(out).layers["patrol_plan"].params  # the plan method, run by the --plan switch of patrol
    assert recorded["method"] == "plan" and recorded["params"]["budget_minutes"] == 60.0
    assert recorded["chosen"]["start"] == [seat["lon"], seat["lat"]] and recorded["filters"] == {}


def stations_file(tmp_path, seat):
    stations = tmp_path / "stations.geojson"
    gpd.GeoDataFrame(
        {"name": ["城关派出所", "城东派出所"]},
        geometry=[shapely.Point(seat["lon"], seat["lat"]), shapely.Point(seat["lon"] + 0.01, seat["lat"])], crs=4326,
    ).to_file(stations)
    return stations


def test_patrol_plan_from_a_stations_file_and_swapped_start(capsys, small_county, tmp_path, truth):
    county = small_county
    seat = truth["seat_centre"]
    stations = stations_file(tmp_path, seat)
    code, stdout, _ = run(capsys, "patrol", county, "--plan", "--stations", stations, "--station", "城东派出所", "--budget", "30", "--out", tmp_path / "p.gpkg")
    assert code == 0 and "plan :" in stdout and "Koper dosage" in stdout
    code, stdout, _ = run(capsys, "patrol", county, "--plan", "--start", f"{seat['lat']},{seat['lon']}", "--json", "--out", tmp_path / "p2.gpkg")
    assert code == 0
    assert any("looked like latitude,longitude" in n for n in json.loads(stdout)["notes"])


def test_patrol_plan_starts_at_the_named_station_else_the_first(capsys, small_county, tmp_path, truth):
    seat = truth["seat_centre"]
    stations = stations_file(tmp_path, seat)
    args = ["patrol", small_county, "--plan", "--stations", stations, "--budget", "20", "--json"]
    code, stdout, err = run(capsys, *args, "--station", "城东派出所", "--out", tmp_path / "named.gpkg")
    assert code == 0, err
    assert json.loads(stdout)["start"]["lonlat"] == pytest.approx([seat["lon"] + 0.01, seat["lat"]], abs=1e-6)
    assert load_project(tmp_path / "named.gpkg").layers["patrol_plan"].params["chosen"]["station"] == "城东派出所"
    code, stdout, err = run(capsys, *args, "--out", tmp_path / "first.gpkg")
    summary = json.loads(stdout)
    assert code == 0 and summary["start"]["lonlat"] == pytest.approx([seat["lon"], seat["lat"]], abs=1e-6)
    assert any("planned from the first (城关派出所)" in note for note in summary["notes"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["site-cameras", "{county}", "--n", "900", "--candidates", "intersections"], "candidate sites"),
        (["patrol", "{county}", "--plan", "--start", "106.5,31.09"], "from the nearest road"),
        (["patrol", "{county}", "--plan"], NO_START),
        (["patrol", "{county}", "--plan", "--stations", "{tmp}/stations.geojson", "--station", "nowhere"], "No station is named 'nowhere'"),
        (["patrol", "{county}", "--start", "105.09,31.09"], "--start applies only with --plan."),
        (["patrol", "{county}", "--budget", "30"], "--budget applies only with --plan."),
        (["patrol", "{county}", "--plan", "--start", "105.09,31.09", "--corridor", "50"], "--corridor applies only without --plan."),
        (["patrol", "{county}", "--plan", "--start", "abc"], "--start takes longitude,latitude"),
        (["patrol", "{county}", "--plan", "--start", "105.09,31.09", "--shift", "夜班"], "--shift takes NAME=HH:MM-HH:MM"),
        (["patrol", "{county}", "--routes", "{tmp}/routes.geojson"], "a Polygon cannot be part of a routes layer"),
        (["coverage", "{county}", "--blind-share", "0"], "--blind-share takes a number from 0 (exclusive) to 1; got '0'."),
        (["site-cameras", "{county}", "--method", "simplex"], "--method takes one of auto, mclp, greedy"),
        (["coverage", "{county}", "--hotspots", "{tmp}/missing.gpkg"], "does not exist"),
        (["coverage", "{county}", "--from", "2030-01-01"], "The filters leave no incidents"),
    ],
)
def test_bad_input_is_one_line_exit_2(capsys, small_county, tmp_path, truth, args, message):
    gpd.GeoDataFrame({"route_id": ["R9"]}, geometry=[shapely.box(105.0, 31.0, 105.01, 31.01)], crs=4326).to_file(tmp_path / "routes.geojson")
    stations_file(tmp_path, truth["seat_centre"])
    filled = [a.format(county=small_county, tmp=tmp_path) for a in args] + ["--out", str(tmp_path / "o.gpkg")]
    code, _, err = run(capsys, *filled)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], err
