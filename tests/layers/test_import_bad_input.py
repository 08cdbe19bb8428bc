"""Bad, broken and hostile input to the import path: one clear sentence or per-row rejects, never an internal error."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from police_exports import make_truth, write_xlsx

from gisapp.layers.errors import InputError
from gisapp.layers.io import read_layer


def write(path, text: str, encoding: str = "utf-8") -> object:
    path.write_bytes(text.encode(encoding))
    return path


def kinds(layer) -> dict[int, str]:
    return {p.row: p.kind for p in layer.report.rejects}


def one_sentence(error: InputError) -> str:
    message = str(error)
    assert "\n" not in message and "Traceback" not in message
    return message


# ---- the bad-input list ---------------------------------------------------------------

def test_a_title_row_with_no_header_below_it(tmp_path):
    path = write(tmp_path / "t.csv", "XX县公安局2025年警情统计表\n105.1,31.1,2025-01-01\n105.2,31.2,2025-01-02\n")
    with pytest.raises(InputError) as caught:
        read_layer(path)
    assert "has no header row in its first" in one_sentence(caught.value) and "--header-row" in str(caught.value)


def test_two_candidate_header_rows_use_the_one_above_the_data(tmp_path):
    path = write(tmp_path / "t.csv", "经度,纬度,发案时间\nlon,lat,time\n105.1,31.1,2025-01-01 08:00\n105.2,31.2,2025-01-02 09:00\n")
    layer = read_layer(path)
    assert layer.report.header_row == 2 and layer.report.skipped_rows == [1] and layer.report.rows_loaded == 2
    assert any("Rows 1 and 2 both look like header rows; row 2 was used" in w for w in layer.report.warnings)


def test_a_header_repeated_further_down_is_rejected_as_such(tmp_path):
    path = write(tmp_path / "t.csv", "经度,纬度,地址\n105.1,31.1,a\n经度,纬度,地址\n105.2,31.2,b\n")
    layer = read_layer(path)
    assert layer.report.header_row == 1 and kinds(layer) == {2: "summary_row"}
    assert "header row repeated" in layer.report.rejects[0].reason


def test_date_and_time_columns_where_only_some_rows_have_times(tmp_path):
    text = "发案日期,发案时间,经度,纬度\n2025/1/1,13:43,105.1,31.1\n2025/1/2,,105.2,31.2\n2025/1/3,25:99,105.3,31.3\n2025/1/4,8时5分,105.4,31.4\n"
    layer = read_layer(write(tmp_path / "t.csv", text))
    assert layer.report.rows_rejected == 0
    assert list(layer.data["occurred_at"].astype(str)) == ["2025-01-01 13:43:00", "2025-01-02 00:00:00", "2025-01-03 00:00:00", "2025-01-04 08:05:00"]
    warned = {p.row: (p.kind, p.reason) for p in layer.report.row_warnings}
    assert warned[2] == ("no_time_of_day", "no time of day: loaded at 00:00 of its date")
    assert warned[3][0] == "no_time_of_day" and "'25:99'" in warned[3][1]
    assert layer.report.time_source == {"date": "发案日期", "time": "发案时间"}


def test_an_unreadable_date_loads_the_row_without_a_time(tmp_path):
    layer = read_layer(write(tmp_path / "t.csv", "经度,纬度,发案时间\n105.1,31.1,2024-02-30 10:00\n105.2,31.2,2024-03-01 10:00\n"))
    assert layer.report.rows_loaded == 2 and layer.report.rows_without_time == 1
    assert layer.report.row_warnings[0].kind == "unreadable_date"


def test_dms_with_minutes_of_60_or_more_is_rejected_per_row(tmp_path):
    text = "经度,纬度\n105°05'24\",31°05'24\"\n105°65'24\",31°05'24\"\n105°05'24\",31°05'75\"\n"
    layer = read_layer(write(tmp_path / "t.csv", text))
    assert kinds(layer) == {2: "bad_coordinates", 3: "bad_coordinates"}
    reasons = {p.row: p.reason for p in layer.report.rejects}
    assert "minutes 65 are 60 or more" in reasons[2] and "seconds 75 are 60 or more" in reasons[3]


def test_zone_prefix_that_disagrees_with_the_prj_is_refused(tmp_path):
    lon, lat = np.array([107.9, 108.0]), np.array([30.0, 30.1])
    x, y = pyproj.Transformer.from_crs(4326, 4524, always_xy=True).transform(lon, lat)  # zone 36
    frame = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=shapely.points(x, y), crs=4524)
    path = tmp_path / "cases.shp"
    frame.to_file(path)
    path.with_suffix(".prj").write_text(pyproj.CRS.from_epsg(4523).to_wkt("WKT1_ESRI"))  # the .prj says zone 35
    with pytest.raises(InputError) as caught:
        read_layer(path)
    message = one_sentence(caught.value)
    assert "carry zone number 36" in message
    assert "its .prj" in message and "zone 35" in message


def test_zone_prefix_that_disagrees_with_input_crs_is_refused(tmp_path):
    text = "X坐标,Y坐标\n3328000,36508000\n3329000,36509000\n"
    with pytest.raises(InputError, match="carry zone number 36 but --input-crs .*4523.* is zone 35"):
        read_layer(write(tmp_path / "t.csv", text), crs="EPSG:4523")


def test_a_combined_column_with_three_numbers_is_rejected_per_row(tmp_path):
    text = "编号,坐标\n1,\"105.1,31.1\"\n2,\"105.2,31.2,500\"\n3,\"105.3,31.3\"\n"
    layer = read_layer(write(tmp_path / "t.csv", text))
    assert kinds(layer) == {2: "bad_coordinates"}
    assert "3 values where a position needs two numbers" in layer.report.rejects[0].reason


def test_an_xls_that_is_really_html_is_read_as_its_table(tmp_path):
    html = (
        "<html><head><meta charset=\"gbk\"></head><body><table>"
        "<tr><td colspan=3>XX县警情统计表</td></tr>"
        "<tr><th>案件编号</th><th>经度</th><th>纬度</th></tr>"
        "<tr><td>0012</td><td>105.1</td><td>31.1</td></tr>"
        "<tr><td>0013</td><td>105.2</td><td>31.2</td>"
        "<tr><td>合计</td><td></td><td></td></tr></table></body></html>"
    )
    path = tmp_path / "export.xls"
    path.write_bytes(html.encode("gbk"))
    layer = read_layer(path)
    assert list(layer.data["case_id"]) == ["0012", "0013"]
    assert layer.report.header_row == 2 and kinds(layer) == {3: "summary_row"}
    assert any("HTML page" in w for w in layer.report.warnings)


def test_an_xls_of_tab_separated_text_is_read_as_text(tmp_path):
    path = write(tmp_path / "export.xls", "经度\t纬度\t地址\n105.1\t31.1\t人民路\n", encoding="gbk")
    assert read_layer(path).report.rows_loaded == 1


def test_a_password_protected_workbook_gets_one_sentence(tmp_path):
    from msoffcrypto.format.ooxml import OOXMLFile

    plain, locked = tmp_path / "plain.xlsx", tmp_path / "locked.xlsx"
    write_xlsx(plain, make_truth(5))
    with open(plain, "rb") as source, open(locked, "wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    with pytest.raises(InputError) as caught:
        read_layer(locked)
    assert "is protected with a password" in one_sentence(caught.value)


def test_a_damaged_workbook_gets_one_sentence(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(InputError, match="is not a readable xlsx workbook"):
        read_layer(path)


# ---- broken and hostile files ------------------------------------------------------------------

def test_a_5_mb_header_of_commas_is_refused_fast_and_small(tmp_path):
    path = tmp_path / "commas.csv"
    path.write_bytes(b"," * (5 << 20) + b"\n1,2\n")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with pytest.raises(InputError, match="columns in one row, more than the 1,000"):
        read_layer(path)
    assert time.perf_counter() - start < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200_000  # kB


def test_a_1_mb_field_in_a_ragged_file(tmp_path):
    big = "案" * (1 << 20)
    text = f"经度,纬度,简要案情\n105.1,31.1,\"{big}\"\n105.2,31.2\n105.3,31.3,短\n"
    layer = read_layer(write(tmp_path / "t.csv", text))
    assert layer.report.rows_loaded == 2 and kinds(layer) == {2: "ragged_row"}
    assert len(layer.data["description"].iloc[0]) == 1 << 20


def test_old_mac_line_endings(tmp_path):
    path = write(tmp_path / "mac.csv", "标题\r\r经度,纬度,地址\r105.1,31.1,a\r105.2,31.2,b\r")
    layer = read_layer(path)
    assert layer.report.rows_loaded == 2 and layer.report.header_row == 3


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le"])
def test_utf16_files(tmp_path, encoding):
    path = write(tmp_path / "u16.csv", "经度,纬度,地址\n105.1,31.1,人民路\n105.2,31.2,西街\n", encoding=encoding)
    layer = read_layer(path)
    assert list(layer.data["address"]) == ["人民路", "西街"]
    assert layer.report.encoding.startswith("utf-16")


def geojson(path, features) -> object:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": str(i)}, "geometry": g} for i, g in enumerate(features)
    ]}), encoding="utf-8")
    return path


def test_a_one_point_linestring_is_rejected_per_feature(tmp_path):
    path = geojson(tmp_path / "roads.geojson", [
        {"type": "LineString", "coordinates": [[105.0, 31.0]]},
        {"type": "LineString", "coordinates": [[105.0, 31.0], [105.1, 31.1]]},
    ])
    layer = read_layer(path)
    assert kinds(layer) == {1: "invalid_geometry"} and layer.report.rows_loaded == 1
    assert "point array must contain 0 or >1 elements" in layer.report.rejects[0].reason


@pytest.mark.parametrize("driver, suffix", [("GPKG", ".gpkg"), ("ESRI Shapefile", ".shp")])
def test_vector_coordinates_get_the_same_validation_as_csv(tmp_path, driver, suffix):
    frame = gpd.GeoDataFrame(
        {"name": ["ok", "huge", "lat95"]}, geometry=shapely.points([105.1, 1e308, 105.1], [31.1, 31.1, 95.0]), crs=4326,
    )
    path = tmp_path / f"cases{suffix}"
    frame.to_file(path, driver=driver)
    layer = read_layer(path)
    assert layer.report.rows_loaded == 1 and kinds(layer) == {2: "bad_coordinates", 3: "bad_coordinates"}
    assert np.isfinite(layer.data.total_bounds).all()


def test_geojson_coordinates_of_1e308_infinity_and_latitude_95(tmp_path):
    text = (
        '{"type":"FeatureCollection","features":['
        '{"type":"Feature","properties":{"n":1},"geometry":{"type":"Point","coordinates":[105.1,31.1]}},'
        '{"type":"Feature","properties":{"n":2},"geometry":{"type":"Point","coordinates":[1e308,31.1]}},'
        '{"type":"Feature","properties":{"n":3},"geometry":{"type":"Point","coordinates":[Infinity,31.1]}},'
        '{"type":"Feature","properties":{"n":4},"geometry":{"type":"Point","coordinates":[105.1,95]}}]}'
    )
    path = tmp_path / "cases.geojson"
    path.write_text(text)
    layer = read_layer(path)
    assert layer.report.rows_loaded == 1 and layer.report.rows_read == 4
    assert set(kinds(layer).values()) <= {"bad_coordinates", "no_geometry"} and kinds(layer)[2] == "bad_coordinates"


def test_far_away_positions_are_never_loaded_silently(tmp_path):
    # Gauss-Krüger metres in surveying order given with a zone that puts them in the sea.
    text = "案件编号,X坐标,Y坐标\n1,3442000,508000\n2,3443000,509000\n3,3444000,507000\n"
    layer = read_layer(write(tmp_path / "t.csv", text), crs="EPSG:4544")
    assert 104.9 < layer.data.geometry.x.iloc[0] < 105.2  # surveying order detected: lands in 四川
    flipped = "案件编号,经度,纬度\n1,31.1,-105.1\n2,31.2,-105.2\n"
    with pytest.raises(InputError):
        read_layer(write(tmp_path / "f.csv", flipped))


def test_control_characters_from_a_file_are_escaped_in_messages(tmp_path):
    path = write(tmp_path / "t.csv", "经度,纬度\n105.1,31.1\n")
    with pytest.raises(InputError) as caught:
        read_layer(path, columns={"x": "bad\x00\x1b[31m\x0cname"})
    message = one_sentence(caught.value)
    assert "\x00" not in message and "\x1b" not in message and "\x0c" not in message and "\\x1b" in message


def test_a_user_settings_file_adds_header_names(tmp_path, monkeypatch):
    from gisapp.layers.io import columns

    (tmp_path / "columns.toml").write_text('[aliases]\naddress = ["案发详址"]\ncategory = ["警情性质"]\n', encoding="utf-8")
    monkeypatch.setenv("GISAPP_CONFIG_DIR", str(tmp_path))
    layer = read_layer(write(tmp_path / "t.csv", "经度,纬度,案发详址,警情性质\n105.1,31.1,人民路,盗窃\n"))
    assert layer.report.columns["address"] == "案发详址" and layer.report.columns["category"] == "警情性质"
    assert columns.user_aliases_path() == tmp_path / "columns.toml"


def test_local_metres_round_trip_through_a_geopackage(tmp_path):
    from gisapp.layers.crs import analysis_crs_for, is_local

    layer = read_layer(write(tmp_path / "t.csv", "x,y,name\n1200.5,3400.25,a\n1300,3500,b\n1250,3450,c\n"))
    assert is_local(layer.crs) and layer.report.crs == "local" and not layer.report.georeferenced
    path = tmp_path / "local.gpkg"
    layer.data.to_file(path, driver="GPKG")
    again = read_layer(path)
    assert is_local(again.crs) and again.data.geometry.x.iloc[0] == pytest.approx(1200.5)
    assert analysis_crs_for(again.data) == again.crs
    with pytest.raises(InputError, match="local metres"):
        read_layer(path, to_crs="EPSG:4326")


@pytest.mark.parametrize(
    "content, name",
    [
        ("XX县公安局警情统计表\n1,2,3\n", "title.csv"),
        ("<html><body><p>no table</p></body></html>", "page.xls"),
        ("经度,纬度\n" + "\x00\x0c\x1b" * 5 + "\n", "controls.csv"),
    ],
)
def test_cli_never_exits_1_on_bad_input(tmp_path, content, name):
    path = write(tmp_path / name, content)
    result = subprocess.run([sys.executable, "-m", "gisapp", "inspect", str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gisapp: ") and "\x1b" not in lines[0]


def test_a_header_only_csv_leaves_no_thread_behind(tmp_path):
    # The rare "terminate called without an active exception" at exit: run it a few times, never an abort.
    path = write(tmp_path / "h.csv", "案件编号,经度,纬度\n")
    for _ in range(6):
        result = subprocess.run([sys.executable, "-m", "gisapp", "inspect", str(path)], capture_output=True, text=True, timeout=120)
        assert result.returncode == 2 and "terminate" not in result.stderr


def test_read_layers_json_report_for_a_far_zone_is_one_sentence(tmp_path):
    frame = pd.DataFrame({"东坐标": [35508000.0, 35509000.0], "北坐标": [442000.0, 443000.0]})
    path = tmp_path / "south.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(InputError) as caught:
        read_layer(path)
    assert "land around" in one_sentence(caught.value) and "--input-crs" in str(caught.value)


@pytest.mark.parametrize("extra, code", [([], 0), (["--layer", "nope"], 2)])
def test_gdal_warnings_stay_off_the_terminal(tmp_path, extra, code):
    import sqlite3

    path = tmp_path / "odd.gpkg"
    gpd.GeoDataFrame({"name": ["a"]}, geometry=shapely.points([105.1], [31.1]), crs=4326).to_file(path, driver="GPKG")
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA application_id = 12345")  # GDAL: "GPKG: bad application_id"
    result = subprocess.run([sys.executable, "-m", "gisapp", "inspect", str(path), *extra], capture_output=True, text=True, timeout=120)
    assert result.returncode == code
    assert "Warning" not in result.stderr and "application_id" not in result.stderr
    if code:
        assert len(result.stderr.strip().splitlines()) == 1 and "None" not in result.stderr


def test_a_one_column_address_list_takes_its_first_row_as_the_header(tmp_path):
    from gisapp.layers.io.csv import read_csv_table

    path = tmp_path / "addresses.csv"
    path.write_text("发案地点\n人民路1号\n西街2号\n", encoding="utf-8")
    table = read_csv_table(path, None)
    assert table.headers == ["发案地点"] and table.rows_read == 2
