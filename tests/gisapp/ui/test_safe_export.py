"""The window's export of selected features neutralises formulas like every other CSV gisapp writes."""

from __future__ import annotations

import csv

import geopandas as gpd
import shapely

from gisapp.ui.export import export_rows


def test_the_window_export_writes_safe_csv(tmp_path):
    data = gpd.GeoDataFrame({"address": ["=HYPERLINK(\"x\")", "ok"]}, geometry=shapely.points([105.1, 105.2], [31.1, 31.2]), crs=4326)
    path = export_rows(data, [0, 1], tmp_path / "sel.csv")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[1][0] == "'=HYPERLINK(\"x\")"
