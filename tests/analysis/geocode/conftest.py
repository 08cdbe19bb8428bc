"""A small invented county for the matcher's tests, with every position known by construction.

Metric frame EPSG:4544 (CGCS2000 3° zone, CM 105°E), origin (X0, Y0):
- 人民路 runs east from (0, 0) to (1000, 0); its plates stand every 20 m,
  odd numbers 12 m north (left of the direction of travel), even 12 m south:
  number n is at x = 10 + 20·((n - 1) // 2); plates 21 and 22 are left out;
- 解放路 runs north from (500, -500) to (500, 500) (crosses 人民路 at (500, 0));
- 正街 exists in 乐安镇 (x 5000..6000) and in 紫河镇 (x -5000..-4000), plates every 20 m;
- grids: 城关第01网格 (township 城关镇), 乐安网格 (乐安镇), 紫河网格 (紫河镇);
- areas: 西门市场 (a 100 m square with its centre at (150, 150)).
"""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import LineString, box

from gisapp.layers import Layer

CRS = "EPSG:4544"
X0, Y0 = 500_000.0, 3_440_000.0
LEFT_OUT = (21, 22)


def plate_xy(n: int) -> tuple[float, float]:
    """Where 人民路 n号 stands (local metres)."""
    return 10 + 20 * ((n - 1) // 2), 12.0 if n % 2 else -12.0


def _frame(columns: dict, geometry) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=geometry, crs=CRS)


def county_layers() -> list[Layer]:
    roads = _frame({"name": ["人民路", "解放路", "正街", "正街"]}, [
        LineString([(X0, Y0), (X0 + 1000, Y0)]), LineString([(X0 + 500, Y0 - 500), (X0 + 500, Y0 + 500)]),
        LineString([(X0 + 5000, Y0), (X0 + 6000, Y0)]), LineString([(X0 - 5000, Y0), (X0 - 4000, Y0)])])
    rows = [("人民路", n, "城关镇", *plate_xy(n)) for n in range(1, 60) if n not in LEFT_OUT]
    rows += [("正街", n, town, x0 + 20 * n, 10.0) for town, x0 in (("乐安镇", 5000), ("紫河镇", -5000)) for n in range(1, 20)]
    addresses = _frame({
        "road": [r[0] for r in rows], "house_number": [f"{r[1]}号" for r in rows], "township": [r[2] for r in rows],
        "address": [f"{r[2]}{r[0]}{r[1]}号" for r in rows],
    }, gpd.points_from_xy([X0 + r[3] for r in rows], [Y0 + r[4] for r in rows]))
    grids = _frame({"grid_id": ["G1", "G2", "G3"], "name": ["城关第01网格", "乐安网格", "紫河网格"], "township": ["城关镇", "乐安镇", "紫河镇"]},
                   [box(X0 - 300, Y0 - 800, X0 + 1300, Y0 + 800), box(X0 + 4500, Y0 - 800, X0 + 6500, Y0 + 800),
                    box(X0 - 5500, Y0 - 800, X0 - 3500, Y0 + 800)])
    areas = _frame({"name": ["西门市场"], "area_type": ["market"]}, [box(X0 + 100, Y0 + 100, X0 + 200, Y0 + 200)])
    return [Layer("addresses", "addresses", addresses), Layer("roads", "roads", roads), Layer("grids", "grids", grids),
            Layer("areas", "areas", areas)]


@pytest.fixture(scope="module")
def layers() -> list[Layer]:
    return county_layers()


@pytest.fixture(scope="module")
def gazetteer(layers):
    from gisapp.analysis.geocode import build_gazetteer

    return build_gazetteer(layers, crs=CRS)


@pytest.fixture(scope="module")
def matcher(gazetteer):
    from gisapp.analysis.geocode.match import Matcher

    return Matcher(gazetteer, 85)


def local(found) -> tuple[float, float]:
    """A match's position in the local frame."""
    return found.x - X0, found.y - Y0
