"""``gisapp hotspot`` and ``gisapp lisa``: the output contract, filters and bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
from shapely.geometry import Point

from gisapp.layers.project import load_project


def gisapp(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gisapp", *map(str, args)], capture_output=True, text=True)


def test_hotspot_contract(sample_dir, tmp_path):
    out = tmp_path / "hot.gpkg"
    result = gisapp("hotspot", sample_dir / "county.gpkg", "--cell", 200, "--band", 400, "--out", out, "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert {"cells", "cell_size_m", "band_m", "fdr", "gi_bin"} <= set(summary)
    assert set(summary["gi_bin"]) == {"-3", "-2", "-1", "0", "1", "2", "3"}
    assert sum(summary["gi_bin"].values()) == summary["cells"]
    assert {spot["place"] for spot in summary["top_hotspots"]} & {"西门市场", "凤凰山市场", "武昌馆"}
    cells = pyogrio.read_dataframe(out, layer="hotspots")
    assert {"n", "gi_z", "gi_p", "gi_bin"} <= set(cells.columns)
    assert len(cells) == summary["cells"]
    project = load_project(out)  # the output carries its parameters
    params = project.layers["hotspots"].params
    assert params["method"] == "hotspot" and params["params"]["band"] == 400.0 and params["params"]["cell_size"] == 200.0
    assert params["chosen"] == {"cell_size": 200.0, "band": 400.0} and params["filters"] == {}
    assert params["summary"]["cells"] == summary["cells"] and params["software"].startswith("gisapp ")
    assert params["resolved"]["gi"]["band"] == 400.0 and params["load_report"]["rows_rejected"] == 0


def test_hotspot_auto_scale_states_why(sample_dir, tmp_path):
    result = gisapp("hotspot", sample_dir / "county.gpkg", "--out", tmp_path / "h.gpkg", "--json", "--from", "2025-01-01")
    summary = json.loads(result.stdout)
    reasons = " ".join(summary["scale"]["reasons"])
    assert "cell size" in reasons and "distance band" in reasons
    assert summary["filters"] == {"start": "2025-01-01"}


def test_filters_narrow_the_incidents(sample_dir, tmp_path):
    args = ["hotspot", sample_dir / "county.gpkg", "--cell", 200, "--band", 400, "--out", tmp_path / "h.gpkg", "--json"]
    everything = json.loads(gisapp(*args).stdout)["incidents"]
    filtered = json.loads(gisapp(*args, "--category", "扒窃", "--hours", "8-12", "--weekdays", "1-5").stdout)
    assert 30 <= filtered["incidents"] < everything / 10
    fringe = json.loads(gisapp(*args, "--within", "城乡结合部").stdout)
    assert 30 <= fringe["incidents"] < everything / 2


def test_lisa_writes_clusters(sample_dir, tmp_path):
    out = tmp_path / "lisa.gpkg"
    result = gisapp("lisa", sample_dir / "county.gpkg", "--cell", 200, "--band", 400, "--permutations", 199, "--out", out, "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["clusters"]["HH"] > 0 and summary["global_moran"]["moran_i"] > 0
    assert "lisa_cluster" in pyogrio.read_dataframe(out, layer="lisa").columns


def write_points(path, xy, crs="EPSG:4544"):
    gdf = gpd.GeoDataFrame({"case_id": [str(i) for i in range(len(xy))]}, geometry=[Point(p) for p in xy], crs=crs)
    gdf.to_file(path)
    return path


@pytest.mark.parametrize(
    "case, message",
    [
        ("few", "At least 30 incidents"),
        ("identical", "share one location"),
        ("band_below_cell", "shorter than the cell size"),
        ("empty_filter", "The filters leave no incidents"),
        ("bad_cell", "--cell takes a positive number of metres or auto"),
        ("bad_hours", "--hours takes a range"),
        ("bad_area", "No area or grid is named"),
    ],
)
def test_bad_input_is_one_sentence(tmp_path, sample_dir, case, message):
    rng = np.random.default_rng(0)
    spread = [(500000 + a, 3440000 + b) for a, b in rng.normal(0, 300, (200, 2))]
    inputs = {
        "few": write_points(tmp_path / "few.gpkg", spread[:20]),
        "identical": write_points(tmp_path / "same.gpkg", [(500000.0, 3440000.0)] * 50),
    }
    args = {
        "few": [inputs["few"]],
        "identical": [inputs["identical"]],
        "band_below_cell": [sample_dir / "county.gpkg", "--cell", 200, "--band", 100],
        "empty_filter": [sample_dir / "county.gpkg", "--from", "2030-01-01"],
        "bad_cell": [sample_dir / "county.gpkg", "--cell", "big"],
        "bad_hours": [sample_dir / "county.gpkg", "--hours", "morning"],
        "bad_area": [sample_dir / "county.gpkg", "--within", "火星市场"],
    }[case]
    result = gisapp("hotspot", *args, "--out", tmp_path / "o.gpkg")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]


def test_degrees_are_projected_never_minus_inf(tmp_path):
    rng = np.random.default_rng(1)
    lonlat = [(105.09 + a, 31.09 + b) for a, b in rng.normal(0, 0.01, (300, 2))]
    path = write_points(tmp_path / "deg.gpkg", lonlat, crs="EPSG:4326")
    result = gisapp("hotspot", path, "--cell", 200, "--band", 500, "--out", tmp_path / "o.gpkg", "--json")
    summary = json.loads(result.stdout)
    cells = pyogrio.read_dataframe(tmp_path / "o.gpkg", layer="hotspots")
    assert np.isfinite(cells["gi_z"].dropna()).all()
    assert cells.crs.to_epsg() == 4544 and summary["cell_size_m"] == 200.0
