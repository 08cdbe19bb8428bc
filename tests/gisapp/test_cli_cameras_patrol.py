"""``gisapp coverage``, ``gisapp site-cameras`` and ``gisapp patrol [--plan]`` on the sample county."""

from __future__ import annotations

import json

import geopandas as gpd
import pyogrio
import pytest
import shapely

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
    project = load_project(out)
    assert project.layers[0].name == "blind_spots" and "summary" in project.layers[0].params


def test_coverage_text_with_filters(capsys, county, tmp_path):
    code, stdout, _ = run(capsys, "coverage", county, "--category", "抢夺", "--hours", "17-24", "--top", "5", "--out", tmp_path / "c.gpkg")
    assert code == 0
    assert "blind spots:" in stdout and "滨河路3巷" in stdout


def test_coverage_with_a_hotspot_file_and_cameras_in_another_file(capsys, county, tmp_path):
    from gisapp.analysis.core.aggregation import AggregationParams
    from gisapp.analysis.hotspots.gistar import GiStarParams, hotspot_gi_star
    from gisapp.commands.common import write_result

    layers = {name: pyogrio.read_dataframe(str(county), layer=name) for name in ("incidents", "cameras")}
    incidents = layers["incidents"].to_crs(4544)
    hot = hotspot_gi_star(incidents, AggregationParams(cell_size=250), GiStarParams(band=500))
    hot_file = write_result("hotspots", hot, tmp_path / "hot.gpkg", incidents.crs)
    cameras_file = tmp_path / "cameras.geojson"
    layers["cameras"].to_crs(4490).to_file(cameras_file)  # CGCS2000, not the county's WGS84
    code, stdout, err = run(capsys, "coverage", county, "--hotspots", hot_file, "--cameras", cameras_file, "--json", "--out", tmp_path / "c.gpkg")
    assert code == 0, err
    summary = json.loads(stdout)
    assert summary["hotspots"]["source"].startswith("hotspot layer given")
    assert summary["cameras"]["total"] == len(layers["cameras"])


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
    assert code == 0 and "method greedy" in stdout and "greedy within" in stdout


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


def test_patrol_plan_from_a_stations_file_and_swapped_start(capsys, small_county, tmp_path, truth):
    county = small_county
    seat = truth["seat_centre"]
    stations = tmp_path / "stations.geojson"
    gpd.GeoDataFrame({"name": ["城关派出所", "城东派出所"]}, geometry=[shapely.Point(seat["lon"], seat["lat"]), shapely.Point(seat["lon"] + 0.01, seat["lat"])], crs=4326).to_file(stations)
    code, stdout, _ = run(capsys, "patrol", county, "--plan", "--stations", stations, "--station", "城东派出所", "--budget", "30", "--out", tmp_path / "p.gpkg")
    assert code == 0 and "plan :" in stdout and "Koper dosage" in stdout
    code, stdout, _ = run(capsys, "patrol", county, "--plan", "--start", f"{seat['lat']},{seat['lon']}", "--json", "--out", tmp_path / "p2.gpkg")
    assert code == 0
    assert any("looked like latitude,longitude" in n for n in json.loads(stdout)["notes"])


@pytest.mark.parametrize(
    "args, message",
    [
        (["site-cameras", "{county}", "--n", "900", "--candidates", "intersections"], "candidate sites"),
        (["patrol", "{county}", "--plan", "--start", "106.5,31.09"], "from the nearest road"),
        (["patrol", "{county}", "--plan"], "needs a start"),
        (["patrol", "{county}", "--start", "105.09,31.09"], "add --plan"),
        (["patrol", "{county}", "--plan", "--start", "abc"], "--start takes longitude,latitude"),
        (["patrol", "{county}", "--plan", "--start", "105.09,31.09", "--shift", "夜班"], "--shift takes NAME=HH:MM-HH:MM"),
        (["patrol", "{county}", "--routes", "{tmp}/routes.geojson"], "a Polygon cannot be part of a routes layer"),
        (["coverage", "{county}", "--blind-share", "0"], "blind-spot threshold"),
        (["coverage", "{county}", "--hotspots", "{tmp}/missing.gpkg"], "does not exist"),
        (["coverage", "{county}", "--from", "2030-01-01"], "The filters leave no incidents"),
    ],
)
def test_bad_input_is_one_line_exit_2(capsys, small_county, tmp_path, args, message):
    gpd.GeoDataFrame({"route_id": ["R9"]}, geometry=[shapely.box(105.0, 31.0, 105.01, 31.01)], crs=4326).to_file(tmp_path / "routes.geojson")
    filled = [a.format(county=small_county, tmp=tmp_path) for a in args] + ["--out", str(tmp_path / "o.gpkg")]
    code, _, err = run(capsys, *filled)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], err
