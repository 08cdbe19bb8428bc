"""``gisapp geocode``: the sample county's address-only incidents against its standard addresses, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pyogrio
import pytest
from pyproj import Transformer

from gisapp.layers.project import load_project

LEVEL_KEYS = ["坐标", "门牌", "门牌插值", "交叉口", "道路", "地点", "网格", "乡镇", "未匹配"]


def gisapp(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gisapp", *map(str, args)], capture_output=True, text=True)


@pytest.fixture(scope="module")
def sample_run(sample_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("geocode") / "geocoded.gpkg"
    result = gisapp("geocode", sample_dir / "incidents_address_only.csv", "--gazetteer", sample_dir / "county.gpkg",
                    "--out", out, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), pyogrio.read_dataframe(out, layer="geocoded"), out


def _distances(layer, truth_rows) -> dict:
    """Row -> (kind, level, metres from the truth or None), measured in EPSG:4544 independently of the matcher."""
    to_metres = Transformer.from_crs("EPSG:4326", "EPSG:4544", always_xy=True)
    to_layer = Transformer.from_crs(layer.crs, "EPSG:4544", always_xy=True)
    by_row = {}
    for row, level, point, candidates in zip(layer.geocode_row, layer.geocode_level, layer.geometry, layer.geocode_candidates):
        if point is None and candidates and level != "未匹配":  # found, but below --min-level: where it was found
            first = json.loads(candidates)[0]
            point = first["x"], first["y"]
        elif point is not None:
            point = point.x, point.y
        by_row[int(row)] = (level, None if point is None else to_layer.transform(*point))
    out = {}
    for row, kind, lon, lat in truth_rows:
        level, point = by_row[row]
        distance = None
        if lon is not None and point is not None:
            x, y = to_metres.transform(lon, lat)
            distance = float(np.hypot(point[0] - x, point[1] - y))
        out[row] = (kind, level, distance)
    return out


def test_sample_done_when(sample_run, truth):
    summary, layer, _ = sample_run
    rows = _distances(layer, truth["geocode"]["truth"])
    plates = [v for v in rows.values() if v[0] == "plate"]
    exact = [v for v in plates if v[1] == "门牌" and v[2] is not None and v[2] <= 5.0]
    assert len(plates) > 1500 and len(exact) / len(plates) >= 0.95
    interpolated = [v for v in rows.values() if v[0] == "interpolated"]
    close = [v for v in interpolated if v[2] is not None and v[2] <= 40.0]
    assert len(interpolated) > 100 and len(close) / len(interpolated) >= 0.90
    assert all(v[1] == "未匹配" for v in rows.values() if v[0] == "nonexistent")  # no road that does not exist is matched
    assert all(v[1] == "交叉口" and v[2] <= 5.0 for v in rows.values() if v[0] == "intersection")
    assert all(v[1] == "坐标" and v[2] <= 1.0 for v in rows.values() if v[0] == "coordinates")
    assert all(v[1] == "乡镇" for v in rows.values() if v[0] == "township")
    assert all(v[1] == "未匹配" for v in rows.values() if v[0] in ("empty", "number_only"))


def test_json_contract(sample_run, truth):
    summary, layer, out = sample_run
    assert summary["rows_read"] == truth["geocode"]["rows"] == len(layer)
    assert list(summary["levels"]) == LEVEL_KEYS and sum(summary["levels"].values()) == summary["rows_read"]
    assert summary["matched"] == int(layer.geometry.notna().sum())
    assert sum(summary["unmatched"].values()) == summary["rows_read"] - summary["matched"] == len(summary["rows"])
    assert {"row", "reason", "address"} <= set(summary["rows"][0])
    assert summary["unmatched"]["below_min_level"] == sum(summary["levels"][k] for k in ("交叉口", "道路", "地点", "网格", "乡镇"))
    params = load_project(out).layers["geocoded"].params
    assert params["method"] == "geocode" and params["params"]["min_level"] == "门牌插值"


def test_min_level_counts_road_matches(sample_dir, sample_run, tmp_path):
    summary, _, _ = sample_run
    result = gisapp("geocode", sample_dir / "incidents_address_only.csv", "--gazetteer", sample_dir / "county.gpkg",
                    "--min-level", "道路", "--out", tmp_path / "r.gpkg", "--json")
    wider = json.loads(result.stdout)
    levels = summary["levels"]
    assert wider["matched"] == summary["matched"] + levels["交叉口"] + levels["道路"]


def test_markup_stays_text_in_every_output(sample_run):
    summary, layer, _ = sample_run
    marked = [a for a in layer["发案地点"] if "<" in str(a)]
    assert "<b>" in " ".join(marked) and "<script>alert(1)</script>" in " ".join(marked)


def test_no_gazetteer_is_one_sentence(tmp_path):
    path = tmp_path / "a.csv"
    pd.DataFrame({"发案地点": ["人民路1号", "西街2号"]}).to_csv(path, index=False)
    result = gisapp("geocode", path, "--out", tmp_path / "o.gpkg")
    assert result.returncode == 2 and "gazetteer" in result.stderr and "Traceback" not in result.stderr


def test_unknown_address_column(sample_dir, tmp_path):
    result = gisapp("geocode", sample_dir / "incidents_address_only.csv", "--gazetteer", sample_dir / "county.gpkg",
                    "--address-column", "地址X", "--out", tmp_path / "o.gpkg")
    assert result.returncode == 2 and "地址X" in result.stderr and "Traceback" not in result.stderr


def test_corrections_in_a_project_are_reused(sample_dir, tmp_path):
    from gisapp.analysis.geocode.aliases import learn
    from gisapp.layers.io import read_layers
    from gisapp.layers.project import Project, save_project

    project = tmp_path / "project.gpkg"
    layers = [layer for layer in read_layers(sample_dir / "county.gpkg") if layer.kind != "incidents"]
    save_project(Project(layers, geocode_aliases=learn(None, "老电影院门口", 105.1, 31.1, "地点", "老电影院")), project)
    table = tmp_path / "a.csv"
    pd.DataFrame({"发案地点": ["老电影院门口", "老电影院 门口", "新电影院"]}).to_csv(table, index=False, encoding="gbk")
    result = gisapp("geocode", table, "--gazetteer", project, "--min-level", "地点", "--out", tmp_path / "o.gpkg", "--json")
    summary = json.loads(result.stdout)
    assert summary["levels"]["地点"] == 2 and summary["levels"]["未匹配"] == 1
    placed = pyogrio.read_dataframe(tmp_path / "o.gpkg", layer="geocoded").to_crs("EPSG:4326")
    assert placed.geometry.iloc[0].x == pytest.approx(105.1) and placed.geometry.iloc[1].y == pytest.approx(31.1)
