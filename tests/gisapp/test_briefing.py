"""``gisapp brief``: offline output, escaping, privacy, bad input and the compact encodings."""

from __future__ import annotations

import copy
import json
import math
import re
import sqlite3
import struct
import subprocess
import sys
import zlib

import geopandas as gpd
import numpy as np
import pytest
import shapely
from injected_markup import with_injection  # tests/support

from gisapp.analysis.core.inputs import Inputs
from gisapp.briefing import BriefingOptions, build_briefing, collect_content, encode, privacy, write_briefing
from gisapp.layers import Layer, LayerList
from gisapp.layers.errors import InputError
from gisapp.layers.filters import IncidentFilter
from gisapp.layers.project import Project, save_project

PHONE = re.compile(r"1[3-9]\d0000\d{4}")
#: A tag that loads or runs something from outside the file.
REMOTE_TAG = re.compile(r"<(?:script|link|img|iframe|source|video|audio|embed|object)\b[^>]*?(?:src|href|data)\s*=\s*[\"']?(?:https?:)?//", re.I)
CDN_HOSTS = ("jsdelivr", "cdnjs", "unpkg.com", "code.jquery", "bootstrapcdn", "googleapis", "openstreetmap", "cartocdn")


def gisapp(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gisapp", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def county(sample_dir):
    return collect_content(Inputs(sample_dir / "county.gpkg"))


@pytest.fixture(scope="module")
def default_page(county):
    return build_briefing(county, BriefingOptions())


# --------------------------------------------------------------------------- the sample county


def test_cli_writes_an_offline_briefing_of_the_county(sample_dir, tmp_path):
    out = tmp_path / "brief.html"
    result = gisapp("brief", str(sample_dir / "county.gpkg"), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    page = out.read_text(encoding="utf-8")
    assert summary["bytes"] == out.stat().st_size and summary["incidents"] == 36334
    assert summary["layers"] == ["道路", "热点分析（Gi*）", "网格", "重点区域", "热点区（编号）", "天网覆盖范围", "热点盲区", "巡逻路线", "警情点（聚合）", "警情热力"]
    assert REMOTE_TAG.search(page) is None
    assert not [host for host in CDN_HOSTS if host in page]
    assert not re.search(r"url\(\s*['\"]?https?:", page), "a style sheet fetches something"
    for name in ("西门市场", "凤凰山市场", "武昌馆", "城乡结合部", "县政府广场"):
        assert name in page
    assert "内部资料 注意保密" in page and "L.map(" in page and "leaflet.markercluster" in page.lower()


def test_page_has_every_part(default_page):
    page = default_page.html
    assert page.startswith("<!DOCTYPE html>") and '<html lang="zh-CN">' in page
    for part in ("gb-header", "gb-side", "gb-footer", "关键指标", "研判结论", "工作建议", "主要热点", "案件构成", "监控盲区", "巡逻路线暴露", "图例", "生成时间"):
        assert part in page, part
    assert page.count('class="gb-legend" data-legend=') == len(default_page.layers)  # a legend for every layer
    for label in ("热点 99% 置信", "热点 95% 置信", "热点 90% 置信", "不显著", "冷点 90% 置信", "冷点 95% 置信", "冷点 99% 置信"):
        assert label in page
    assert "gisappBrief.page(" in page  # scale bar and legend sync


def test_default_popups_carry_no_personal_data(county, default_page):
    page = default_page.html
    assert not PHONE.search(page)
    descriptions = county.incidents["description"].head(200)
    assert not any(text in page for text in descriptions)
    assert not any(address in page for address in county.incidents["address"].head(200))
    assert "A2024000001" not in page  # case ids are not shown by default either
    assert "案件类别" in page and "发案时间" in page


def test_fields_choose_what_popups_show(county):
    briefing = build_briefing(county, BriefingOptions(fields=["case_id", "description"]))
    assert "A2024000001" in briefing.html
    assert county.incidents["description"].iloc[5] in briefing.html
    assert briefing.warnings and "description" in briefing.warnings[0]
    with pytest.raises(InputError, match="--fields names nope"):
        build_briefing(county, BriefingOptions(fields=["nope"]))


def test_data_text_is_escaped(county):
    content = with_injection(county)
    briefing = build_briefing(content, BriefingOptions(title="<b>标题</b><script>alert(1)</script>", fields=["description"]))
    page = briefing.html
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    assert "\\u003cscript\\u003ewindow.__pwned=1\\u003c/script\\u003e" in page  # travels as JSON text
    assert "&lt;b&gt;标题&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<title>&lt;b&gt;" in page
    assert page.count("<script>alert") == 0


def test_text_is_never_run_as_a_template(county):
    content = copy.copy(county)
    areas = content.areas.copy()
    areas["name"] = "{{ 'jinja' ~ 'ran' }}{% if true %}x{% endif %}"
    content.areas = areas
    page = build_briefing(content, BriefingOptions(title="{{ 'jinja' ~ 'ran' }}", subtitle="{% raw %}")).html
    assert "jinjaran" not in page
    assert "{{ 'jinja' ~ 'ran' }}" in page or "{{ &#x27;jinja&#x27; ~ &#x27;ran&#x27; }}" in page


def test_public_briefing_is_aggregated(county):
    briefing = build_briefing(county, BriefingOptions(public=True, fields=["description", "case_id"]))
    page = briefing.html
    assert briefing.layers == ["道路", "热点分析（Gi*）", "网格", "重点区域", "热点区（编号）"]
    assert "gisappBrief.clusters" not in page and "gisappBrief.heat" not in page
    assert not PHONE.search(page) and "A2024000001" not in page
    assert not any(text in page for text in county.incidents["description"].head(200))
    assert "天网覆盖范围" not in page and "城关所白班市场线" not in page and "摄像头" not in "".join(f.text for f in briefing.findings.conclusions)
    assert "公开版" in page


def test_public_suppresses_small_counts(county):
    content = copy.copy(county)
    grids = content.grids.copy()
    grids.loc[grids.index[:3], "incidents"] = [1, 2, 3]
    content.grids = grids
    cells = content.hotspots
    public = privacy.public_hotspots(cells)
    assert ((public["gi_bin"] != 0) | (public["n"] >= 3)).all()
    assert len(public) < len(cells)
    page = build_briefing(content, BriefingOptions(public=True)).html
    assert '"\\u003c3"' in page  # "<3" as JSON text
    assert privacy.suppress_counts([0, 1, 2, 3, 40]) == [0, "<3", "<3", 3, 40]


def test_many_incidents_become_a_heat_map(county):
    briefing = build_briefing(county, BriefingOptions(cluster_limit=1000))
    assert "警情点（聚合）" not in briefing.layers and "警情热力" in briefing.layers
    assert any("热力图" in note for note in briefing.notes)
    assert not PHONE.search(briefing.html)


# --------------------------------------------------------------------------- bad input


def test_project_without_incidents(county, tmp_path):
    layers = LayerList([Layer(kind, kind, getattr(county, kind).to_crs(4326)) for kind in ("grids", "areas", "roads")])
    project = save_project(Project(layers), tmp_path / "no_incidents.gpkg")
    content = collect_content(Inputs(project))
    assert content.incidents is None and content.hotspots is None
    assert any("没有警情图层" in note for note in content.notes)
    briefing = write_briefing(content, tmp_path / "b.html")
    assert briefing.layers == ["道路", "网格", "重点区域"]
    with pytest.raises(InputError, match="has no incidents layer, so the filters cannot be applied"):
        collect_content(Inputs(project), IncidentFilter(categories=["盗窃"]))


def test_hotspot_layer_without_gi_bin(county, tmp_path):
    cells = county.hotspots.drop(columns=["gi_bin"]).to_crs(4326)
    path = tmp_path / "cells.gpkg"
    cells.to_file(path, layer="cells")
    project = save_project(
        Project(LayerList([Layer("incidents", "incidents", county.incidents.head(3000).to_crs(4326)), Layer("hotspots", "result", cells, params={"gi": {}})])),
        tmp_path / "p.gpkg",
    )
    result = gisapp("brief", str(project), "--out", str(tmp_path / "b.html"), "--hotspots", str(path))
    assert result.returncode == 2 and "has no gi_bin column" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    content = collect_content(Inputs(project))
    assert "gi_bin" in content.hotspots and any("没有 gi_bin" in note for note in content.notes)


def test_layers_in_any_crs_are_drawn_in_lonlat(county, tmp_path):
    layers = LayerList([
        Layer("incidents", "incidents", county.incidents.head(2000).to_crs(3857)),
        Layer("grids", "grids", county.grids.to_crs(4544)),
        Layer("roads", "roads", county.roads.to_crs(4326)),
    ])
    project = save_project(Project(layers), tmp_path / "mixed.gpkg")
    content = collect_content(Inputs(project))
    page = build_briefing(content).html
    origins = [json.loads(m) for m in re.findall(r'"origin":(\[[^\]]+\])', page)]
    assert origins and all(104.5 < lon < 105.7 and 30.6 < lat < 31.6 for lon, lat in origins)


def test_bad_basemap_options(county, tmp_path):
    with pytest.raises(InputError, match="XYZ URL template"):
        build_briefing(county, BriefingOptions(tiles="http://10.0.0.1/tiles"))
    with pytest.raises(InputError, match="either --tiles or --mbtiles"):
        build_briefing(county, BriefingOptions(tiles="http://10.0.0.1/{z}/{x}/{y}.png", mbtiles="x.mbtiles"))
    with pytest.raises(InputError, match="does not exist"):
        build_briefing(county, BriefingOptions(mbtiles=tmp_path / "missing.mbtiles"))
    with pytest.raises(InputError, match="must name an .html file"):
        write_briefing(county, tmp_path / "b.txt")


def test_intranet_tiles_only_when_asked(county, default_page):
    page = build_briefing(county, BriefingOptions(tiles="http://10.1.2.3/tiles/{z}/{x}/{y}.png")).html
    assert page.count("http://10.1.2.3/tiles/{z}/{x}/{y}.png") == 1 and "gisappBrief.xyzTiles" in page
    assert "gisappBrief.xyzTiles" not in default_page.html and "gisappBrief.embeddedTiles" not in default_page.html


def _png(colour: tuple[int, int, int]) -> bytes:
    raw = b"".join(b"\x00" + bytes(colour) * 4 for _ in range(4))
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))  # noqa: E731
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def test_mbtiles_are_embedded(county, default_page, tmp_path):
    path = tmp_path / "base.mbtiles"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        db.executemany("INSERT INTO metadata VALUES (?, ?)", [("format", "png"), ("attribution", "<b>内网</b>")])
        # the zoom-12 tile over the county seat (105.09 E, 31.09 N), stored with a TMS row
        x, y = int((105.09 + 180) / 360 * 4096), int((1 - math.asinh(math.tan(math.radians(31.09))) / math.pi) / 2 * 4096)
        db.execute("INSERT INTO tiles VALUES (12, ?, ?, ?)", (x, 4095 - y, _png((200, 210, 220))))
        db.execute("INSERT INTO tiles VALUES (12, 0, 0, ?)", (_png((0, 0, 0)),))  # far away: not embedded
    briefing = build_briefing(county, BriefingOptions(mbtiles=path))
    page = briefing.html
    assert "gisappBrief.embeddedTiles" in page
    assert page.count("data:image/png;base64,") == default_page.html.count("data:image/png;base64,") + 1
    x, y = int((105.09 + 180) / 360 * 4096), int((1 - math.asinh(math.tan(math.radians(31.09))) / math.pi) / 2 * 4096)
    assert f'"12/{x}/{y}"' in page
    assert "\\u0026lt;b\\u0026gt;内网" in page  # the attribution is HTML-escaped, then JSON-escaped
    assert REMOTE_TAG.search(page) is None


# --------------------------------------------------------------------------- encodings


def _decode(geometry: dict) -> list[np.ndarray]:
    """Python twin of briefing.js decodeFeatures for polygons: exterior rings per feature."""
    coords = np.asarray(geometry["coords"], float).reshape(-1, 2) / geometry["scale"] + geometry["origin"]
    rings, parts = geometry["offsets"][0], geometry["offsets"][1]
    return [coords[rings[parts[i]] : rings[parts[i] + 1]] for i in range(len(parts) - 1)]


def test_geometry_encoding_round_trips_to_a_metre():
    cells = gpd.GeoSeries([shapely.box(105.0, 31.0, 105.002, 31.002), shapely.box(105.01, 31.01, 105.0123456, 31.0111111)])
    encoded = encode.encode_geometries(cells.values)
    assert encoded["type"] == "POLYGON"
    for ring, cell in zip(_decode(encoded), cells):
        assert np.abs(ring - shapely.get_coordinates(cell.exterior)).max() <= 0.5 / encode.SCALE + 1e-12


def test_script_json_cannot_close_its_script():
    text = encode.script_json({"a": "</script><script>alert(1)</script>", "b": "a & b", "c": "\u2028"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["a"] == "</script><script>alert(1)</script>"


def test_times_are_minutes_after_the_first():
    import pandas as pd

    encoded = encode.encode_column(pd.Series(pd.to_datetime(["2024-01-01 08:30", None, "2024-01-02 08:31"])))
    assert encoded == {"start": [2024, 1, 1, 8, 30], "minutes": [0, -1, 1441]}


def test_personal_columns_are_recognised():
    for name in ("description", "报警人", "联系电话", "身份证号", "address", "简要案情"):
        assert privacy.is_personal(name), name
    for name in ("category", "subcategory", "occurred_at", "status", "grid_id"):
        assert not privacy.is_personal(name), name
