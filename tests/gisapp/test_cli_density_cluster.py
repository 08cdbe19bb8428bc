"""``gisapp kde``, ``gisapp cluster`` and ``gisapp concentration`` on the sample county: outputs, JSON, refusals."""

from __future__ import annotations

import json
import subprocess
import sys

import pyogrio
import pytest

from gisapp.cli import main
from gisapp.layers.project import load_project
from gisapp.layers.raster import read_geotiff


def gisapp(*args: str) -> subprocess.CompletedProcess:
    """The real entry point, in a fresh interpreter."""
    return subprocess.run([sys.executable, "-m", "gisapp", *args], check=False, capture_output=True, text=True)


def in_process(capsys, *args: str) -> subprocess.CompletedProcess:
    """``gisapp.cli.main`` in this interpreter (no start-up cost), with the same exit code and output."""
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(list(args), code, captured.out, captured.err)


def test_kde_writes_a_geotiff_and_isopleths(sample_dir, tmp_path):
    out = tmp_path / "kde.gpkg"
    result = gisapp("kde", str(sample_dir / "county.gpkg"), "--category", "扒窃", "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert {"bandwidth_m", "bandwidth_rule", "cell_size_m", "max_density", "bands", "raster", "method"} <= set(summary)
    assert summary["bandwidth_rule"] == "arcgis" and summary["filters"] == {"categories": ["扒窃"]}
    assert summary["max_density_at"]["lon"] == pytest.approx(105.0784, abs=0.002)
    raster = read_geotiff(tmp_path / "kde.tif")
    assert raster.crs.to_epsg() == 4544 and raster.array.max() == pytest.approx(summary["max_density"], rel=1e-6)
    assert raster.metadata["filters"] == {"categories": ["扒窃"]}
    project = load_project(out)
    layer = project.layers[0]
    assert layer.name == "kde_isopleths" and len(layer.data) == 4
    assert layer.params["chosen"]["bandwidth"] == pytest.approx(summary["bandwidth_m"], abs=1e-3)
    assert layer.params["summary"]["raster"].endswith("kde.tif")


def test_cluster_writes_points_hulls_and_ellipses(sample_dir, tmp_path, capsys):
    out = tmp_path / "clusters.gpkg"
    result = in_process(capsys, "cluster", str(sample_dir / "county.gpkg"), "--category", "扒窃", "--min-cluster-size", "50",
                    "--sqrt2", "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["clusters"] >= 3 and summary["largest"][0]["main_subcategory"] == "扒窃"
    assert {name for name, _ in pyogrio.list_layers(out)} >= {"clusters", "cluster_hulls", "cluster_ellipses"}
    project = load_project(out)
    points, hulls, ellipses = (layer.data for layer in project.layers)
    assert {"cluster_id", "probability", "outlier_score", "outlier"} <= set(points.columns)
    assert len(hulls) == len(ellipses) == summary["clusters"]
    assert project.layers[2].params["params"]["ellipse_sqrt2"] is True and project.layers[2].params["part_of"] == "clusters"


def test_cluster_nnh_reports_its_threshold_and_orders(sample_dir, tmp_path, capsys):
    out = tmp_path / "nnh.gpkg"
    result = in_process(capsys, "cluster", str(sample_dir / "county.gpkg"), "--category", "扒窃", "--method", "nnh",
                        "--eps", "50", "--min-cluster-size", "20", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "nnh: 4 clusters among 4,005 incidents" in result.stdout
    assert "order 1: 4 clusters, threshold 50.0 m (fixed)" in result.stdout
    hulls = load_project(out).layers[1].data
    assert list(hulls["order"]) == [1, 1, 1, 1] and hulls["count"].iloc[0] > 800
    random = in_process(capsys, "cluster", str(sample_dir / "county.gpkg"), "--category", "扒窃", "--method", "nnh",
                        "--area-km2", "30", "--min-cluster-size", "20", "--out", str(tmp_path / "nnh2.gpkg"))
    assert "random nearest-neighbour distance over 30.0 km² (given), t = 0.0" in random.stdout


def test_concentration_writes_places_and_a_lorenz_png(sample_dir, tmp_path, capsys):
    out = tmp_path / "streets.gpkg"
    result = in_process(capsys, "concentration", str(sample_dir / "county.gpkg"), "--out", str(out), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["unit"] == "roads" and summary["axis"] == "length" and "路段" in summary["sentence_zh"]
    png = tmp_path / "streets_lorenz.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 20_000
    layer = load_project(out).layers[0].data
    assert {"n", "rank", "cum_share_incidents", "cum_share_length", "top50", "top80"} <= set(layer.columns)
    text = in_process(capsys, "concentration", str(sample_dir / "county.gpkg"), "--unit", "grids", "--out", str(tmp_path / "grids.gpkg"), "--lang", "zh")
    assert text.returncode == 0, text.stderr
    assert "的区域" in text.stdout.splitlines()[0]  # the summary speaks Chinese when asked
    english = in_process(capsys, "concentration", str(sample_dir / "county.gpkg"), "--unit", "grids", "--out", str(tmp_path / "g2.gpkg"), "--lang", "en")
    assert "of areas" in english.stdout.splitlines()[0] and "的区域" not in english.stdout


@pytest.mark.parametrize("args, message", [
    (["kde", "{county}", "--bandwidth", "-5", "--out", "{tmp}/a.gpkg"], "positive number of metres"),
    (["kde", "{county}", "--out", "{tmp}/a.shp"], "--out must name a .gpkg"),
    (["kde", "{county}", "--from", "2030-01-01", "--out", "{tmp}/a.gpkg"], "The filters leave no incidents"),
    (["kde", "{county}", "--within", "无此区域", "--out", "{tmp}/a.gpkg"], "No area or grid is named"),
    (["cluster", "{county}", "--method", "dbscan", "--out", "{tmp}/a.gpkg"], "dbscan needs --eps"),
    (["cluster", "{county}", "--category", "抢劫", "--min-cluster-size", "5000", "--out", "{tmp}/a.gpkg"], "fewer than the minimum cluster size"),
    (["cluster", "{county}", "--method", "nnh", "--probability", "0.7", "--out", "{tmp}/a.gpkg"], "--probability takes a number from 0 (exclusive) to 0.5"),
    (["cluster", "{county}", "--method", "nnh", "--area-km2", "0", "--out", "{tmp}/a.gpkg"], "--area-km2 takes a positive number"),
    (["concentration", "{county}", "--unit", "streets", "--out", "{tmp}/a.gpkg"], "--unit streets: county.gpkg has no layer named"),
])
def test_bad_input_exits_2_with_one_line(sample_dir, tmp_path, capsys, args, message):
    result = in_process(capsys, *[a.format(county=sample_dir / "county.gpkg", tmp=tmp_path) for a in args])
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
