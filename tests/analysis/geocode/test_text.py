"""Normalising and taking apart Chinese addresses."""

from __future__ import annotations

import pytest

from gisapp.analysis.geocode.admin import AdminReader
from gisapp.analysis.geocode.numerals import chinese_to_int, convert_numerals
from gisapp.analysis.geocode.parse import Plate, parse, parse_plate
from gisapp.analysis.geocode.text import MAX_CHARS, clean


@pytest.mark.parametrize("text, value", [("二十一", 21), ("十二", 12), ("十", 10), ("一百零五", 105), ("两千零一", 2001),
                                         ("一二三", 123), ("三百", 300), ("九十九", 99), ("人民", None)])
def test_chinese_numerals(text, value):
    assert chinese_to_int(text) == value


def test_numerals_are_converted_only_before_an_address_unit():
    assert convert_numerals("西街四巷二十一号") == "西街4巷21号"
    assert convert_numerals("二环路一百零五号") == "二环路105号"  # 二环 is a name
    assert convert_numerals("五一路十二之三号") == "五一路12之3号"
    assert convert_numerals("十字街") == "十字街"
    assert convert_numerals("第三组") == "3组"


def test_clean_folds_width_traditional_markup_and_punctuation():
    assert clean("人民路 ２１號（农贸市场）") == ("人民路21号", "农贸市场", False)
    assert clean("<b>人民路</b>12号")[0] == "人民路12号"
    assert clean("地址：人民路12—3号")[0] == "人民路12-3号"
    assert clean("3#楼")[0] == "3号楼"
    assert clean(None) == ("", "", False) and clean(float("nan")) == ("", "", False)
    text, _, truncated = clean("路" * 10_000)
    assert truncated and len(text) == MAX_CHARS


@pytest.mark.parametrize("raw, body, plate, building, qualifiers", [
    ("乐安镇场镇西街21号附近", "乐安镇场镇西街", Plate(21), "", ("附近",)),
    ("人民路12号3栋2单元501室", "人民路", Plate(12), "3", ()),
    ("人民路12-3号东侧50米", "人民路", Plate(12, "", "3"), "", ("东侧50米",)),
    ("人民路十二之三号门口", "人民路", Plate(12, "", "3"), "", ("门口",)),
    ("甲12号", "", Plate(12, "甲"), "", ()),
    ("2号路5号", "2号路", Plate(5), "", ()),  # a numbered road keeps its 号
    ("人民路12", "人民路", Plate(12), "", ()),
    ("人民路东段12号", "人民路", Plate(12), "", ("东段",)),
    ("阳光小区3栋2单元501室", "阳光小区", None, "3", ()),
    ("西门市场东门", "西门市场", None, "", ("东门",)),
    ("12号", "", Plate(12), "", ()),
])
def test_parse(raw, body, plate, building, qualifiers):
    parsed = parse(raw)
    assert (parsed.body, parsed.plate, parsed.building, parsed.qualifiers) == (body, plate, building, qualifiers)


@pytest.mark.parametrize("raw, body", [("人民路与解放路交叉口", "人民路与解放路"), ("人民路解放路口", "人民路解放路"),
                                       ("人民路和解放路路口往东50米", "人民路和解放路"), ("人民路口", "人民路")])
def test_junctions(raw, body):
    parsed = parse(raw)
    assert parsed.junction and parsed.body == body and parsed.plate is None


def test_plate_column_forms():
    assert parse_plate("12") == Plate(12) and parse_plate("12号") == Plate(12)
    assert parse_plate("甲12号") == Plate(12, "甲") and parse_plate("十二号") == Plate(12)
    assert parse_plate("12-1号").key == "12-1" and parse_plate("号") is None


def test_administrative_prefix_is_explained_and_filters():
    reader = AdminReader(["乐安镇", "城关镇"], ["西门市场"])
    explained = reader.explain("四川省青山县乐安镇场镇")
    assert explained.complete and explained.townships == ["乐安镇"] and explained.units == ["四川省", "青山县"]
    assert reader.explain("乐安").townships == ["乐安镇"]  # the short form
    assert reader.explain("东门社区").complete  # a community before its road
    assert reader.explain("城南").unexplained == "城南"  # 城南西街 is not 西街
    assert reader.strip_prefix("三台县乐安镇正街") == ("正街", "乐安镇")
    assert reader.strip_prefix("开发区大道") == ("开发区大道", "")  # a road of its own
