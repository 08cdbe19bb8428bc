"""The learned-alias table: kept in the project document, versioned, positions in WGS84."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import Point

from gisapp.analysis.geocode.aliases import checked, forget, in_crs, learn
from gisapp.layers import Layer, LayerList
from gisapp.layers.errors import InputError
from gisapp.layers.project import Project, load_project, read_geocode_aliases, save_project


def test_learn_keys_by_the_normalised_text_and_converts_positions():
    table = learn(None, "人民路 ２１號 附近", 105.0, 31.0, "门牌", "人民路21号")
    assert list(table["entries"]) == ["人民路21号附近"] and table["version"] == 1
    x, y = in_crs(table, "EPSG:4544")["人民路21号附近"]["x"], in_crs(table, "EPSG:4544")["人民路21号附近"]["y"]
    back = gpd.GeoSeries([Point(x, y)], crs="EPSG:4544").to_crs("EPSG:4326").iloc[0]
    assert (back.x, back.y) == pytest.approx((105.0, 31.0))
    assert forget(table, "人民路21号附近")["entries"] == {}


@pytest.mark.parametrize("table", [{"version": 2, "entries": {}}, {"version": "1", "entries": {}}, {"version": 1}])
def test_unknown_or_damaged_tables_are_refused(table):
    with pytest.raises(InputError):
        checked(table)


def test_bad_corrections_are_refused():
    with pytest.raises(InputError):
        learn(None, "", 105, 31, "门牌")
    with pytest.raises(InputError):
        learn(None, "人民路", 500000, 3400000, "门牌")  # metres are not degrees
    with pytest.raises(InputError):
        learn(None, "人民路", 105, 31, "未匹配")


def test_project_keeps_the_table_and_older_documents_have_none(tmp_path):
    layer = Layer("pts", "incidents", gpd.GeoDataFrame({"a": [1]}, geometry=[Point(105, 31)], crs="EPSG:4326"))
    table = learn(None, "西门市场东门", 105.08, 31.09, "地点", "西门市场")
    save_project(Project(LayerList([layer]), geocode_aliases=table), tmp_path / "p.gpkg")
    assert load_project(tmp_path / "p.gpkg").geocode_aliases == table == read_geocode_aliases(tmp_path / "p.gpkg")
    save_project(Project(LayerList([Layer("pts", "incidents", layer.data)])), tmp_path / "q.gpkg")
    assert load_project(tmp_path / "q.gpkg").geocode_aliases == {}  # absent from the document when empty
