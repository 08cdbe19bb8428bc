"""Every summary says how its input was read, in the summary's language (the reader's guesses can be checked).

Files shaped like police exports are written here with known traits (title
rows, Gauss-Krüger metres with the zone number in surveying order, split date
and time columns, lat/lon swapped, bare degrees); the command's readable
summary must name each trait, and the planted positions must land where they
were put.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyogrio
import pytest
from pyproj import Transformer

from gisapp.cli import main

rng = np.random.default_rng(7)
N = 400
LON = 105.08 + rng.normal(0, 0.01, N)
LAT = 31.09 + rng.normal(0, 0.01, N)
WHEN = pd.Timestamp("2024-03-01") + pd.to_timedelta(rng.integers(0, 90 * 24 * 60, N), unit="min")


def run(capsys, args: list[str], lang: str) -> list[str]:
    try:
        code = main([*args, "--lang", lang])
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out.splitlines()


def write_survey_export(path):
    """GBK, two title rows, 发案日期 + 发案时间, X坐标 = northing and Y坐标 = zone 35 + easting (EPSG:4523)."""
    east, north = Transformer.from_crs(4326, 4523, always_xy=True).transform(LON, LAT)  # independent: pyproj
    table = pd.DataFrame({"接警单编号": [f"J{i:06d}" for i in range(N)], "发案日期": WHEN.strftime("%Y年%m月%d日"),
                          "发案时间": WHEN.strftime("%H:%M"), "案件类别": "盗窃",
                          "X坐标": np.round(north, 2), "Y坐标": np.round(east, 2)})
    with open(path, "w", encoding="gbk", newline="") as f:
        f.write("某县公安局接处警警情导出表\n导出时间：2026年12月1日,,,,,\n")
        table.to_csv(f, index=False)


def test_a_survey_export_says_header_zone_order_and_times(capsys, tmp_path):
    source, out = tmp_path / "export.csv", tmp_path / "out.gpkg"
    write_survey_export(source)
    zh = run(capsys, ["emerging", str(source), "--cell", "500", "--step", "week", "--out", str(out)], "zh")
    text = "\n".join(zh)
    assert "读取：表头在第 3 行；跳过标题行 1–2" in text
    assert "EPSG:4523" in text and "东坐标带号 35" in text and "测量顺序" in text and "西安80" in text
    assert "发案时间由「发案日期」与「发案时间」两列合成" in text
    en = run(capsys, ["emerging", str(source), "--cell", "500", "--step", "week", "--out", str(out)], "en")
    assert len(en) == len(zh) and any("surveying order" in line for line in en)


@pytest.mark.parametrize("swapped", [False, True])
def test_degrees_without_a_system_are_said_in_chinese(capsys, tmp_path, swapped):
    source, out = tmp_path / "points.csv", tmp_path / "out.gpkg"
    first, second = (LAT, LON) if swapped else (LON, LAT)
    pd.DataFrame({"经度": first, "纬度": second, "时间": WHEN.strftime("%Y-%m-%d %H:%M")}).to_csv(source, index=False)
    text = "\n".join(run(capsys, ["kde", str(source), "--out", str(out)], "zh"))
    assert "未给出坐标系：数值为经纬度" in text and "No coordinate system" not in text
    assert ("经度与纬度列填反" in text) == swapped
    # the planted positions, not their mirror images, are what was analysed
    lon, lat = (pyogrio.read_dataframe(out, layer="kde_isopleths").to_crs(4326).total_bounds.reshape(2, 2).mean(axis=0))
    assert abs(lon - 105.08) < 0.02 and abs(lat - 31.09) < 0.02


def test_rows_placed_by_address_list_only_the_levels_that_count():
    from gisapp.summaries import load_lines, chooser

    geocoded = {"tried": 100, "placed": 70, "min_level": "门牌插值",
                "levels": {"坐标": 0, "门牌": 60, "门牌插值": 10, "道路": 12, "乡镇": 3, "未匹配": 15},
                "unmatched": {"below_min_level": 15, "road_not_found": 15}}
    zh, = [line for line in load_lines({"geocoded": geocoded}, chooser("zh")) if "按地址定位" in line]
    assert "定位 70 行（门牌 60，门牌插值 10）" in zh
    assert "30 行未计入：低于门牌插值级 15（道路 12，乡镇 3）；道路不在地址库中 15" in zh
    assert not any("另有" in line for line in load_lines({"geocoded": geocoded, "rows_rejected": 30}, chooser("zh")))
    assert "另有 2 行未做地址匹配" in "".join(load_lines({"geocoded": geocoded, "rows_rejected": 32}, chooser("zh")))
    en, = [line for line in load_lines({"geocoded": geocoded}, chooser("en")) if "placed by address" in line]
    assert "(door plate 60, interpolated plate 10)" in en and "below interpolated plate 15 (road 12, township 3)" in en


def test_every_reject_reason_has_a_chinese_name():
    from gisapp.layers.report import REASON_KINDS
    from gisapp.summaries.reading import REASONS_ZH

    assert set(REASONS_ZH) == set(REASON_KINDS)


def test_a_far_point_is_named_in_chinese(capsys, tmp_path):
    source, out = tmp_path / "points.csv", tmp_path / "out.gpkg"
    lon, lat = LON.copy(), LAT.copy()
    lon[17], lat[17] = 106.5, 32.2  # about 180 km away: a case geocoded to another city
    pd.DataFrame({"经度": lon, "纬度": lat, "时间": WHEN.strftime("%Y-%m-%d %H:%M")}).to_csv(source, index=False)
    text = "\n".join(run(capsys, ["kde", str(source), "--out", str(out)], "zh"))
    assert "1 个点远离其他所有点（载入后第 18 行）" in text
