"""``gisapp inspect`` on every sample file: the JSON contract and the human report."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

REQUIRED = {"rows_read", "rows_loaded", "rows_rejected", "rejects", "columns", "crs", "bounds", "time_range"}


def gisapp(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gisapp", *args], capture_output=True, text=True)


@pytest.mark.parametrize("name", ["incidents.csv", "incidents_gbk.csv", "county.gpkg"])
def test_inspect_json_on_sample_files(sample_dir, name):
    result = gisapp("inspect", str(sample_dir / name), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert REQUIRED <= set(report)
    assert report["rows_loaded"] + report["rows_rejected"] == report["rows_read"]
    west, south, east, north = report["bounds"]
    assert 104.5 < west < east < 105.7 and 30.6 < south < north < 31.6
    assert report["time_range"][0].startswith("2024-01-01") and report["time_range"][1].startswith("2025-12-31")


def test_inspect_gbk_maps_chinese_headers(sample_dir):
    report = json.loads(gisapp("inspect", str(sample_dir / "incidents_gbk.csv"), "--json").stdout)
    assert report["encoding"] == "gbk"
    assert report["columns"]["x"] == "经度" and report["columns"]["occurred_at"] == "发案时间"
    assert report["columns"]["category"] == "案件类别"


def test_inspect_lists_rejects_with_rows(bad_dir):
    result = gisapp("inspect", str(bad_dir / "bad_coordinates.csv"), "--json")
    report = json.loads(result.stdout)
    assert [r["row"] for r in report["rejects"]] == [2, 3, 4, 5, 6]
    text = gisapp("inspect", str(bad_dir / "bad_coordinates.csv")).stdout
    assert "rejected row 4: placeholder coordinates (0, 0)" in text


@pytest.mark.parametrize(
    "args, message",
    [
        (["inspect", "{bad}/projected_no_crs.csv", "--crs", "nonsense"], "Unknown coordinate system 'nonsense'"),
        (["inspect", "{bad}/bad_coordinates.csv", "--map", "x"], "--map takes ROLE=COLUMN"),
        (["inspect", "{bad}/bad_coordinates.csv", "--map", "x=nope"], "Column 'nope' named in the column mapping is not in the file"),
        (["inspect", "{bad}/bad_coordinates.csv", "--kind", "hotspots"], "Unknown layer kind 'hotspots'"),
        (["inspect"], "the following arguments are required: file"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
    ],
)
def test_bad_arguments_exit_2_with_one_line(bad_dir, args, message):
    result = gisapp(*[a.format(bad=bad_dir) for a in args])
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
