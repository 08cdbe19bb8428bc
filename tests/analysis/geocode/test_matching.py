"""Matching against the invented county of conftest.py: every level, ambiguity, and the bad input of issue 14."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from gisapp.analysis.geocode import build_gazetteer, geocode_frame, match_frame
from gisapp.analysis.geocode.levels import GRID, INTERPOLATED, INTERSECTION, PLACE, PLATE, ROAD, TOWNSHIP, UNMATCHED

from .conftest import CRS, X0, Y0, county_layers, local, plate_xy


def test_exact_plate_in_every_spelling(matcher):
    for text in ("人民路23号", "城关镇人民路23号", "四川省青山县城关镇场镇人民路二十三号附近", "人民路２３號", "人民路 23 号对面",
                 "人民路23号3单元501室", "<b>人民路</b>23号"):
        found = matcher.match(text)
        assert found.level == PLATE and found.score == 100, text
        assert local(found) == pytest.approx(plate_xy(23)), text


def test_qualifiers_are_recorded(matcher):
    assert "对面" in matcher.match("人民路23号对面").note
    assert "东侧50米" in matcher.match("人民路23号东侧50米").note


def test_sub_number_falls_back_to_its_plate(matcher):
    found = matcher.match("人民路23-2号")
    assert found.level == PLATE and found.score == 95 and local(found) == pytest.approx(plate_xy(23))


def test_missing_number_is_interpolated_on_its_side(matcher):
    # 21 is left out: between 19 (x 190) and 23 (x 230) on the odd (north) side, so at x 210, 12 m north.
    found = matcher.match("人民路21号")
    assert found.level == INTERPOLATED and local(found) == pytest.approx((210.0, 12.0))
    found = matcher.match("人民路22号")  # the even side, between 20 (x 190) and 24 (x 230)
    assert found.level == INTERPOLATED and local(found) == pytest.approx((210.0, -12.0))
    assert "19号" in matcher.match("人民路21号").note


def test_number_beyond_the_road_is_road_level(matcher):
    found = matcher.match("人民路999号")
    assert found.level == ROAD and local(found) == pytest.approx((500.0, 0.0)) and found.radius == pytest.approx(500.0)


def test_homophone_typo_found_other_road_names_not(matcher):
    found = matcher.match("人名路23号")
    assert found.level == PLATE and found.score < 100 and local(found) == pytest.approx(plate_xy(23))
    for text in ("新民路23号", "人民东路23号", "城南人民路5号", "幸福路1号", "人民街23号"):
        assert matcher.match(text).level == UNMATCHED, text


def test_intersections(matcher):
    for text in ("人民路与解放路交叉口", "人民路解放路口", "解放路和人民路路口", "人民路、解放路交汇处"):
        found = matcher.match(text)
        assert found.level == INTERSECTION and local(found) == pytest.approx((500.0, 0.0)), text


def test_road_in_two_townships_is_not_guessed(matcher):
    found = matcher.match("正街5号")
    assert found.level == UNMATCHED and found.reason == "ambiguous" and len(found.candidates) == 2
    assert "乐安镇" in found.note and "紫河镇" in found.note
    for text in ("乐安镇正街5号", "乐安正街5号"):
        found = matcher.match(text)
        assert found.level == PLATE and local(found) == pytest.approx((5100.0, 10.0))
    assert local(matcher.match("紫河镇正街5号")) == pytest.approx((-4900.0, 10.0))


def test_places_grids_and_townships(matcher):
    found = matcher.match("西门市场东门")
    assert found.level == PLACE and local(found) == pytest.approx((150.0, 150.0)) and "东门" in found.note
    assert matcher.match("城关第01网格").level == GRID
    only_township = matcher.match("乐安镇")
    assert only_township.level == TOWNSHIP and local(only_township) == pytest.approx((5500.0, 0.0))


def test_bad_addresses(matcher):
    assert matcher.match("").reason == "empty" and matcher.match("   ").reason == "empty" and matcher.match(None).reason == "empty"
    assert matcher.match("12号").reason == "no_road"
    long = matcher.match("人民路23号" + "附" * 10_000)
    assert "200" in long.note  # read, truncated, and said so
    assert matcher.match("啊" * 10_000).level == UNMATCHED


def test_frame_levels_placement_and_report():
    gazetteer = build_gazetteer(county_layers(), crs=CRS)
    frame = pd.DataFrame({"发案地点": ["人民路23号", "人民路21号", "人民路", "乐安镇", "正街5号", "幸福路1号", "", "人民路23号"]})
    out, report = match_frame(frame, gazetteer, {"min_level": INTERPOLATED}, row_numbers=[2, 3, 4, 5, 6, 7, 8, 9])
    assert list(out.geocode_level) == [PLATE, INTERPOLATED, ROAD, TOWNSHIP, UNMATCHED, UNMATCHED, UNMATCHED, PLATE]
    assert out.geometry.notna().tolist() == [True, True, False, False, False, False, False, True]
    assert report["rows_read"] == 8 and report["matched"] == 3
    assert report["levels"][PLATE] == 2 and report["levels"][ROAD] == 1 and report["levels"]["坐标"] == 0
    assert report["unmatched"] == {"below_min_level": 2, "ambiguous": 1, "road_not_found": 1, "empty": 1}
    assert [r["row"] for r in report["rows"]] == [4, 5, 6, 7, 8]
    candidates = json.loads(out.geocode_candidates.iloc[4])
    assert {c["match"] for c in candidates} == {"乐安镇正街", "紫河镇正街"}
    placed, _ = geocode_frame(frame, gazetteer, {"min_level": ROAD})
    assert list(placed.index) == [0, 1, 2, 7]


def test_duplicate_plates_are_flagged_at_load_and_not_matched():
    layers = county_layers()
    addresses = layers[0].data
    twin = addresses[addresses.house_number == "23号"].copy()
    twin["geometry"] = twin.geometry.translate(0, 300)  # the same plate listed 300 m away
    layers[0].data = pd.concat([addresses, twin], ignore_index=True)
    gazetteer = build_gazetteer(layers, crs=CRS)
    assert len(gazetteer.duplicates) == 1 and gazetteer.duplicates[0]["spread_m"] == pytest.approx(300.0)
    assert gazetteer.duplicates[0]["rows"] == [21, len(addresses) + 1]  # 23号 is the 21st row (21 and 22 are left out)
    assert "300 m apart" in gazetteer.warnings[0]
    from gisapp.analysis.geocode.match import Matcher

    found = Matcher(gazetteer, 85).match("人民路23号")
    assert found.level == UNMATCHED and found.reason == "ambiguous" and len(found.candidates) == 2


def test_gazetteer_in_another_crs_is_reprojected(tmp_path):
    layers = county_layers()
    path = tmp_path / "gk.gpkg"
    for layer in layers:
        layer.data.to_crs("EPSG:4326").to_file(path, layer=layer.name, driver="GPKG")
    gazetteer = build_gazetteer([], extra_file=path, crs=CRS)  # stored in degrees, matched in the metric CRS
    from gisapp.analysis.geocode.match import Matcher

    found = Matcher(gazetteer, 85).match("人民路23号")
    assert gazetteer.crs.to_epsg() == 4544
    assert local(found) == pytest.approx(plate_xy(23), abs=0.01)


def test_gazetteer_table_rows_without_coordinates_are_rejected_with_their_row(tmp_path):
    points = county_layers()[0].data.to_crs("EPSG:4326")
    table = pd.DataFrame({"标准地址": points.address, "经度": points.geometry.x.round(7).astype(str),
                          "纬度": points.geometry.y.round(7).astype(str)})
    table.loc[[3, 7], ["经度", "纬度"]] = ""
    path = tmp_path / "标准地址.csv"
    table.to_csv(path, index=False, encoding="gbk")
    gazetteer = build_gazetteer([], extra_file=path, crs=CRS)
    assert sorted(p.row for p in gazetteer.rejects) == [4, 8]
    assert all(p.kind == "no_coordinates" for p in gazetteer.rejects), gazetteer.rejects
    from gisapp.analysis.geocode.match import Matcher

    found = Matcher(gazetteer, 85).match("城关镇人民路23号")  # roads parsed from the address text
    assert found.level == PLATE and local(found) == pytest.approx(plate_xy(23), abs=0.05)


def test_building_answers_only_for_its_building():
    layers = county_layers()
    addresses = layers[0].data
    block = addresses[addresses.house_number == "23号"].copy()
    block["building"] = "2栋"
    block["geometry"] = block.geometry.translate(0, 30)
    layers[0].data = pd.concat([addresses, block], ignore_index=True)
    from gisapp.analysis.geocode.match import Matcher

    matcher = Matcher(build_gazetteer(layers, crs=CRS), 85)
    assert local(matcher.match("人民路23号")) == pytest.approx(plate_xy(23))
    assert local(matcher.match("人民路23号2栋3单元")) == pytest.approx((plate_xy(23)[0], plate_xy(23)[1] + 30))


def test_learned_alias_wins(layers):
    from gisapp.analysis.geocode.aliases import learn
    from gisapp.analysis.geocode.match import Matcher

    lon, lat = gpd.GeoSeries.from_xy([X0 + 700], [Y0 + 40], crs=CRS).to_crs("EPSG:4326").iloc[0].coords[0]
    table = learn(None, "老电影院门口", lon, lat, PLACE, "老电影院")
    found = Matcher(build_gazetteer(layers, crs=CRS, aliases=table), 85).match("老电影院门口")
    assert found.level == PLACE and local(found) == pytest.approx((700.0, 40.0), abs=0.01) and "人工校正" in found.note


def test_markup_stays_text():
    gazetteer = build_gazetteer(county_layers(), crs=CRS)
    texts = ["<b>人民路</b>23号", "<script>alert('x')</script>幸福路"]
    out, report = match_frame(pd.DataFrame({"address": texts}), gazetteer)
    assert list(out.address) == texts  # the markup is matched around, never removed from the row
    assert report["rows"][0]["address"] == texts[1]
    assert np.isfinite(out.geometry.iloc[0].x) and out.geometry.iloc[1] is None
