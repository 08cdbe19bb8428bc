"""The printed map for a meeting table: every chosen layer, 8 pt type, TrueType fonts, a Chinese footer, bureau fields."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys

import geopandas as gpd
import pytest
import shapely
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text

from gisapp.analysis.core.inputs import Inputs
from gisapp.briefing import collect_content
from gisapp.layers import Layer, LayerList
from gisapp.layers.errors import InputError
from gisapp.layers.project import Project, save_project
from gisapp.printing import PrintOptions, render_map
from gisapp.printing.labels_zh import crs_label_zh, nice_scale, round_metres
from gisapp.printing.profile import load_profile, save_profile
from gisapp.printing.render import ALL_LAYERS, draw_page


@pytest.fixture(scope="module")
def county(sample_dir):
    return collect_content(Inputs(sample_dir / "county.gpkg"), cell_size="auto")


def texts(figure) -> list[Text]:
    return [t for t in figure.findobj(Text) if t.get_text().strip() and t.get_visible()]


@pytest.mark.parametrize("paper,smallest", [("A4", 8.0), ("A3", 8.0 * 297 / 210)])
def test_no_text_under_8_pt_on_a4_and_a3_scales_the_type(county, paper, smallest):
    figure = draw_page(county, PrintOptions(paper=paper, layers=ALL_LAYERS))
    sizes = [t.get_fontsize() for t in texts(figure)]
    assert len(sizes) > 40 and min(sizes) >= smallest - 1e-6


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils (pdffonts) is not installed")
def test_fonts_are_embedded_as_truetype_not_type_3(county, tmp_path):
    printed = render_map(county, tmp_path / "map.pdf", PrintOptions(maker="某县公安局"))
    result = subprocess.run(["pdffonts", str(printed.path)], capture_output=True, text=True)
    rows = result.stdout.strip().splitlines()[2:]
    assert rows and all("CID TrueType" in row and " yes " in row for row in rows), result.stdout
    assert "Type 3" not in result.stdout and "Mismatch" not in result.stderr


def test_footer_speaks_chinese_with_bureau_fields_and_scale(county):
    content = copy.copy(county)
    content.summary = {**county.summary, "rows_rejected": 7}
    figure = draw_page(content, PrintOptions(maker="某县公安局情报指挥中心", reviewer="张三", map_date="2025-01-02", scale=25000))
    words = " ".join(t.get_text() for t in texts(figure))
    assert "坐标系：CGCS2000 3度带 高斯-克吕格 中央经线105°" in words and "Gauss" not in words
    assert "数据来源：county.gpkg" in words and "制图单位：某县公安局情报指挥中心" in words and "审核人：张三" in words
    assert "制图日期：2025-01-02" in words and "比例尺 1:25,000" in words and "7 起警情未能定位，未计入" in words
    assert "44 m 方格" in words  # the cell size rounded to whole metres


def test_the_numeric_scale_is_true(county):
    figure = draw_page(county, PrintOptions(scale=25000))
    ax = max(figure.axes, key=lambda a: a.get_position().width * a.get_position().height)  # the map frame
    x0, x1 = ax.get_xlim()
    width_mm = ax.get_position().width * figure.get_figwidth() * 25.4
    assert (x1 - x0) / (width_mm / 1000) == pytest.approx(25000, rel=1e-3)


def test_a_route_map_prints_direction_and_numbered_stops(county, tmp_path):
    crs = county.crs
    line = shapely.LineString([(507400, 3441100), (508000, 3441100), (508000, 3441700)])
    plan = gpd.GeoDataFrame({"tour": ["plan", "naive"], "minutes": [40.0, 55.0], "stops": [3, 3]}, geometry=[line, line.reverse()], crs=crs)
    stops = gpd.GeoDataFrame({"order": [1, 2, 3], "arrive_minute": [5.0, 12.0, 30.0]},
                             geometry=[shapely.Point(507400, 3441100), shapely.Point(508000, 3441100), shapely.Point(508000, 3441700)], crs=crs)
    layers = [Layer(kind, kind, getattr(county, kind).to_crs(4326)) for kind in ("incidents", "roads", "areas")]
    layers += [Layer("patrol_plan", "result", plan.to_crs(4326)), Layer("stops", "result", stops.to_crs(4326))]
    content = collect_content(Inputs(save_project(Project(LayerList(layers)), tmp_path / "plan.gpkg")))
    assert len(content.plan_routes) == 1  # the plan, not its naive comparison
    options = PrintOptions(layers=("roads", "areas", "plan_routes", "plan_stops", "cameras", "incidents"))
    figure = draw_page(content, options)
    arrows = [p for p in figure.findobj(FancyArrowPatch)]
    assert len(arrows) >= 4  # direction along the route
    numbers = {t.get_text(): t.get_position() for t in texts(figure) if t.get_text() in ("1", "2", "3") and t.get_bbox_patch() is not None}
    for order, point in zip([1, 2, 3], stops.geometry):
        assert numbers[str(order)] == pytest.approx((point.x, point.y), abs=0.5)
    printed = render_map(content, tmp_path / "route.pdf", options)
    assert printed.layers == ["roads", "areas", "plan_routes", "plan_stops", "incidents"]  # no cameras in this input


def test_every_offered_layer_is_drawn(county, tmp_path):
    printed = render_map(county, tmp_path / "all.png", PrintOptions(layers=ALL_LAYERS, dpi=60))
    assert {"incidents", "cameras", "sectors", "blind_spots", "routes", "hotspots", "zones", "grids", "roads", "areas"} <= set(printed.layers)


def test_labels_in_chinese():
    assert crs_label_zh(4544) == "CGCS2000 3度带 高斯-克吕格 中央经线105°"
    assert crs_label_zh(4527) == "CGCS2000 3度带 高斯-克吕格 中央经线117°"
    assert crs_label_zh(32648).startswith("WGS84 UTM 第48带")
    assert [round_metres(v) for v in (44.29, 283.0, 1234.0)] == ["44 m", "280 m", "1,250 m"]
    assert nice_scale(23_000) == 25_000 and nice_scale(25_000) == 25_000 and nice_scale(1.3e6) == 2_000_000


def test_profile_round_trip_and_bad_file(tmp_path):
    path = tmp_path / "profile.json"
    save_profile({"maker": "某县公安局", "reviewer": "", "unknown": 1, "scale": 25000}, path)
    assert load_profile(path) == {"maker": "某县公安局", "scale": 25000}
    assert load_profile(tmp_path / "none.json") == {}
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="cannot be read"):
        load_profile(path)


def gisapp(*args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gisapp", *args], capture_output=True, text=True, env=env)


def test_cli_bureau_fields_saved_profile_and_bad_scale(sample_dir, tmp_path):
    import os

    env = {**os.environ, "GISAPP_CONFIG_DIR": str(tmp_path / "cfg")}
    out = tmp_path / "m.png"
    first = gisapp("print", str(sample_dir / "county.gpkg"), "--out", str(out), "--dpi", "50", "--maker", "某县公安局", "--scale", "1:20,000",
                   "--save-profile", "--json", env=env)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["scale"] == 20000
    saved = json.loads((tmp_path / "cfg" / "print_profile.json").read_text(encoding="utf-8"))["fields"]
    assert saved == {"maker": "某县公安局", "scale": "1:20,000"}
    again = gisapp("print", str(sample_dir / "county.gpkg"), "--out", str(out), "--dpi", "50", "--json", env=env)
    assert json.loads(again.stdout)["scale"] == 20000  # from the profile
    bad = gisapp("print", str(sample_dir / "county.gpkg"), "--out", str(out), "--scale", "big", env=env)
    assert bad.returncode == 2 and "--scale must be a number" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1
    bad = gisapp("print", str(sample_dir / "county.gpkg"), "--out", str(out), "--layers", "roads,nope", env=env)
    assert bad.returncode == 2 and "unknown layer nope" in bad.stderr


def test_the_zone_table_without_the_zones_layer_does_not_deny_the_zones(county):
    """The count line says how many hot zones there are; the empty table must not then say there are none."""
    words = lambda layers: " ".join(t.get_text() for t in texts(draw_page(county, PrintOptions(layers=layers))))
    zones = len([z for z in county.summary["zones"] if z.get("n") is not None])
    assert zones > 0
    without = words(("hotspots", "roads", "routes"))
    assert f"热点区 {zones} 个" in without and "无热点区" not in without and "编号从略" in without
    drawn = words(("hotspots", "roads", "zones"))
    assert "编号从略" not in drawn and county.summary["zones"][0]["name"] in drawn
