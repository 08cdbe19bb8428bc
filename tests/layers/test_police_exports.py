"""Real-police-export shapes, written by the tests from known truth, read back to 1 m and to the minute.

Title and unit rows above the header, 合计/制表人 rows below, date and time in
two columns, Gauss-Krüger metres in surveying order with a zone prefix; as
.xlsx, .xls, .ods and a GBK CSV with Windows line endings.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pyproj
import pytest
from police_exports import EPSG_PLAIN, EPSG_PREFIXED, make_truth, positions_error_m, write_csv, write_ods, write_xls, write_xlsx

from gisapp.layers.errors import InputError
from gisapp.layers.io import read_layer
from gisapp.layers.report import LoadReport

WRITERS = {"xlsx": write_xlsx, "xls": write_xls, "ods": write_ods, "csv": write_csv}


@pytest.fixture(scope="module")
def truth():
    return make_truth()


def times_match(layer, truth) -> bool:
    index = layer.data["case_id"].astype(str).str[-6:].astype(int)
    return all(layer.data["occurred_at"].iloc[i] == truth.when[k] for i, k in enumerate(index))


@pytest.mark.parametrize("suffix", sorted(WRITERS))
def test_a_police_export_loads_with_true_positions_and_times(tmp_path, truth, suffix):
    path = tmp_path / f"警情统计.{suffix}"
    WRITERS[suffix](path, truth)
    layer = read_layer(path)
    report = layer.report
    assert report.rows_read == truth.n + 2 and report.rows_loaded == truth.n
    assert report.reasons == {"summary_row": 2}
    assert report.header_row == 4 and report.skipped_rows == [1, 2, 3]
    assert report.header_note["zh"] == "表头在第 4 行；跳过标题行 1–3"
    assert report.crs == f"EPSG:{EPSG_PREFIXED}"
    assert report.coordinates["order"] == "surveying (X=northing)" and report.coordinates["zone"] == 33
    assert report.columns["date"] == "发案日期" and report.columns["time"] == "发案时间"
    assert {"subcategory": "警情细类", "address": "发生地址", "unit": "处警单位", "reporter": "报警人"}.items() <= report.columns.items()
    assert positions_error_m(layer, truth) < 1.0
    assert times_match(layer, truth)
    assert report.rows_without_time == 0
    assert json.loads(json.dumps(report.to_dict()))["reasons"] == {"summary_row": 2}


def test_xlsx_sheets_are_listed_and_chosen(tmp_path, truth):
    path = tmp_path / "book.xlsx"
    write_xlsx(path, truth)
    layer = read_layer(path)
    assert layer.report.sheet == "警情" and layer.report.sheets == ["警情", "说明"]
    with pytest.raises(InputError, match="has no sheet '汇总'; its sheets are '警情', '说明'"):
        read_layer(path, sheet="汇总")
    assert read_layer(path, sheet="1").report.rows_loaded == truth.n


def test_header_row_option_overrides_detection(tmp_path, truth):
    path = tmp_path / "cases.csv"
    write_csv(path, truth)
    assert read_layer(path, header_row=4).report.rows_loaded == truth.n
    with pytest.raises(InputError, match="blank or holds only numbers"):
        read_layer(path, header_row=3)


def test_plain_zone_crs_given_strips_a_matching_prefix(tmp_path, truth):
    path = tmp_path / "cases.csv"
    write_csv(path, truth, encoding="utf-8")
    layer = read_layer(path, crs=f"EPSG:{EPSG_PLAIN}")  # same meridian (99°E), no prefix
    assert positions_error_m(layer, truth) < 1.0
    assert any("zone number 33 in front of the eastings was removed" in w for w in layer.report.warnings)


def test_surveying_order_without_prefix_and_a_given_crs(tmp_path, truth):
    east, north = pyproj.Transformer.from_crs(4326, EPSG_PLAIN, always_xy=True).transform(truth.lon, truth.lat)
    frame = pd.DataFrame({"case_id": [f"A{i:06d}" for i in range(truth.n)], "X坐标": north, "Y坐标": east})
    path = tmp_path / "plain.csv"
    frame.to_csv(path, index=False)
    layer = read_layer(path, crs=f"EPSG:{EPSG_PLAIN}")
    assert positions_error_m(layer, truth) < 1.0
    assert layer.report.coordinates["order"] == "surveying (X=northing)"
    # Without a system the zone is unknown: local metres, said so, still in GIS order.
    local = read_layer(path)
    assert local.report.crs == "local" and not local.report.georeferenced
    assert np.allclose(np.sort(local.data.geometry.x), np.sort(east), atol=1e-6)


def test_east_north_headers_in_a_6_degree_zone(tmp_path, truth):
    east, north = pyproj.Transformer.from_crs(4326, 4495, always_xy=True).transform(truth.lon, truth.lat)  # 6° zone 17
    frame = pd.DataFrame({"case_id": [f"A{i:06d}" for i in range(truth.n)], "东坐标": east, "北坐标": north})
    path = tmp_path / "six.csv"
    frame.to_csv(path, index=False)
    layer = read_layer(path)
    assert layer.report.crs == "EPSG:4495" and layer.report.coordinates["zone_width"] == 6
    assert positions_error_m(layer, truth) < 1.0


@pytest.mark.parametrize(
    "spell",
    [
        lambda d, m, s, h: f"{d}°{m:02d}'{s:05.2f}\"{h}",
        lambda d, m, s, h: f"{d}d{m:02d}m{s:.2f}s{h}",
        lambda d, m, s, h: f"{d}°{m}′{s:.2f}″{h}",
        lambda d, m, s, h: f"{'东经' if h == 'E' else '北纬'}{d}度{m}分{s:.2f}秒",
    ],
)
def test_dms_text_in_the_common_spellings(tmp_path, truth, spell):
    def dms(values, hemisphere):
        out = []
        for v in values:
            d = int(v)
            m = int((v - d) * 60)
            s = (v - d - m / 60) * 3600
            out.append(spell(d, m, s, hemisphere))
        return out

    frame = pd.DataFrame({"编号": [f"A{i:06d}" for i in range(truth.n)], "经度": dms(truth.lon, "E"), "纬度": dms(truth.lat, "N")})
    path = tmp_path / "dms.csv"
    frame.to_csv(path, index=False, encoding="utf-8")
    layer = read_layer(path)
    assert layer.report.rows_loaded == truth.n and layer.report.coordinates["shape"] == "dms"
    assert positions_error_m(layer, truth, order=np.arange(truth.n)) < 1.0


@pytest.mark.parametrize("lat_first", [False, True])
def test_one_column_of_pairs_in_either_order(tmp_path, truth, lat_first):
    pairs = [f"{b:.7f},{a:.7f}" if lat_first else f"{a:.7f},{b:.7f}" for a, b in zip(truth.lon, truth.lat)]
    path = tmp_path / "pairs.csv"
    pd.DataFrame({"编号": range(truth.n), "经纬度": pairs}).to_csv(path, index=False)
    layer = read_layer(path)
    assert layer.report.columns == {"xy": "经纬度", **{k: v for k, v in layer.report.columns.items() if k != "xy"}}
    assert positions_error_m(layer, truth, order=np.arange(truth.n)) < 1.0


def test_us_dates_with_am_pm_decide_the_order_from_the_column(tmp_path):
    stamps = ["04/08/2023 12:30:54 AM", "04/13/2023 01:05:00 PM", "12/31/2023 11:59:59 PM"]
    path = tmp_path / "chicago.csv"
    pd.DataFrame({"ID": [1, 2, 3], "Date": stamps, "Latitude": [41.88, 41.89, 41.9], "Longitude": [-87.63, -87.62, -87.61]}).to_csv(path, index=False)
    layer = read_layer(path)
    assert list(layer.data["occurred_at"].astype(str)) == ["2023-04-08 00:30:54", "2023-04-13 13:05:00", "2023-12-31 23:59:59"]
    assert layer.report.date_order["order"] == "month-first"
    assert "second number above 12" in layer.report.date_order["reason"]


def test_day_first_is_decided_from_a_day_above_12(tmp_path):
    path = tmp_path / "uk.csv"
    pd.DataFrame({"date": ["03/04/2024 10:00", "25/04/2024 11:00"], "lon": [105.1, 105.2], "lat": [31.1, 31.2]}).to_csv(path, index=False)
    layer = read_layer(path)
    assert list(layer.data["occurred_at"].astype(str)) == ["2024-04-03 10:00:00", "2024-04-25 11:00:00"]
    assert layer.report.date_order["order"] == "day-first"


def test_excel_time_cells_as_day_fractions(tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["报警日期", "报警时间", "经度", "纬度"])
    sheet.append([dt.date(2025, 3, 1), 0.5, 105.1, 31.1])  # a time cell that lost its format: half a day
    sheet.append([dt.date(2025, 3, 2), 0.75, 105.2, 31.2])
    path = tmp_path / "fractions.xlsx"
    workbook.save(path)
    layer = read_layer(path)
    assert list(layer.data["occurred_at"].astype(str)) == ["2025-03-01 12:00:00", "2025-03-02 18:00:00"]


def test_load_report_round_trips_through_json():
    report = LoadReport("x.csv", kind="incidents", rows_read=3)
    report.reject([2], "no coordinates (blank)", "no_coordinates")
    report.warn_rows([1], "unreadable date", "unreadable_date")
    data = json.loads(json.dumps(report.to_dict()))
    again = LoadReport.from_dict(data)
    assert again.to_dict() == data
    assert data["reasons"] == {"no_coordinates": 1} and data["rows_loaded"] == 2
    expected = {"source", "kind", "rows_read", "rows_loaded", "rows_rejected", "reasons", "rejects", "rows_without_time", "row_warnings",
                "row_warning_kinds", "columns", "headers", "crs", "georeferenced", "coordinates", "encoding", "sheet", "sheets", "header_row",
                "skipped_rows", "header_note", "date_order", "time_source", "bounds", "time_range", "corrections", "warnings", "geocoded"}
    assert set(data) == expected
