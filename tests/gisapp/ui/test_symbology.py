"""Result layers read at county scale (issue 16): the declared default styles, drawn by the canvas.

Each test draws a small synthetic layer with the style its method declares and
reads pixels: what must be transparent is the background colour, what must be
semi-transparent mixes with what lies beneath, outlines come and go with the
scale, legends keep their order and speak the interface language.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PyQt6.QtGui import QColor, QImage, QPainter

from gisapp.analysis.catalog import method
from gisapp.layers import Layer
from gisapp.palette import (
    CLUSTER_NOISE_COLOUR,
    EMERGING_COLOURS,
    EMERGING_ORDER,
    GI_BIN_COLOURS,
    GI_BIN_FILL_OPACITY,
)
from gisapp.ui.canvas.renderer import MapRenderer
from gisapp.ui.canvas.view import MapView, lonlat_to_mercator
from gisapp.ui.styles import label_text, ui_default_style

X0, Y0 = (float(v) for v in lonlat_to_mercator(105.1, 31.1))
BACKGROUND = QColor("#336699")  # a coloured ground, so "transparent" and "semi-transparent" can be told apart


def render(layers, view):
    renderer = MapRenderer()
    image = QImage(view.width, view.height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(BACKGROUND)
    painter = QPainter(image)
    renderer.render(painter, view, layers)
    painter.end()
    return renderer, image


def cells(values: dict, size: float = 100.0, n: int = 3) -> gpd.GeoDataFrame:
    """An n x n block of ``size`` m square cells west to east, south to north, with the given columns."""
    boxes = [shapely.box(X0 + i * size, Y0 + j * size, X0 + (i + 1) * size, Y0 + (j + 1) * size) for j in range(n) for i in range(n)]
    return gpd.GeoDataFrame(values, geometry=boxes, crs=3857)


def declared(key: str, name: str | None = None) -> dict:
    m = method(key)
    return (m.layer(name) if name else m.main_layer).style


def centre_pixel(view, i, j, size=100.0):
    x, y = view.to_screen(X0 + (i + 0.5) * size, Y0 + (j + 0.5) * size)
    return int(x), int(y)


def blend(colour: str, opacity: float, ground: QColor = BACKGROUND) -> tuple[int, int, int]:
    c = QColor(colour)
    return tuple(round(opacity * a + (1 - opacity) * b) for a, b in zip((c.red(), c.green(), c.blue()), (ground.red(), ground.green(), ground.blue())))


def rgb(colour: QColor) -> tuple[int, int, int]:
    return colour.red(), colour.green(), colour.blue()


def test_hot_cells_are_semi_transparent_and_not_significant_cells_are_not_drawn(qapp):
    bins = [3, 0, -3, 2, 0, 1, 0, 0, -1]
    layer = Layer("hotspots", "result", cells({"gi_bin": bins}), style=declared("hotspot"))
    view = MapView(X0 + 150, Y0 + 150, 2.0, 200, 200)  # 50 px cells: outlines shown
    _, image = render([layer], view)
    for k, b in enumerate(bins):
        pixel = rgb(image.pixelColor(*centre_pixel(view, k % 3, k // 3)))
        if b == 0:
            assert pixel == rgb(BACKGROUND)  # not significant: the map beneath shows untouched
        else:
            assert pixel == pytest.approx(blend(GI_BIN_COLOURS[b], GI_BIN_FILL_OPACITY), abs=2)


def test_cell_outlines_only_where_cells_are_large_on_screen(qapp):
    layer = Layer("hotspots", "result", cells({"gi_bin": [3] * 9}), style=declared("hotspot"))
    fill = blend(GI_BIN_COLOURS[3], GI_BIN_FILL_OPACITY)

    def border_pixel(resolution):
        view = MapView(X0 + 150, Y0 + 150, resolution, 200, 200)
        _, image = render([layer], view)
        x, y = view.to_screen(X0 + 100, Y0 + 150)  # on the border between two hot cells
        return rgb(image.pixelColor(int(round(float(x))), int(y)))

    assert border_pixel(2.0) != pytest.approx(fill, abs=6)  # 50 px cells: a thin outline between them
    assert border_pixel(20.0) == pytest.approx(fill, abs=6)  # 5 px cells (county scale): no outline, no grey mud


def test_emerging_categories_keep_arcgis_colours_order_and_an_unfilled_no_pattern(qapp):
    categories = ["intensifying_hot", "no_pattern", "persistent_cold", "new_hot", "no_pattern", "sporadic_cold", "no_pattern",
                  "historical_hot", "no_pattern"]
    layer = Layer("emerging", "result", cells({"category": categories}), style=declared("emerging"))
    view = MapView(X0 + 150, Y0 + 150, 2.0, 200, 200)
    renderer, image = render([layer], view)
    legend = renderer.legend(layer)
    assert [label_text(e.label, "zh") for e in legend][:4] == ["新增热点", "连续热点", "加强热点", "持续热点"]
    assert [label_text(e.label, "en") for e in legend][-1] == "No pattern detected"
    assert len(legend) == len(EMERGING_ORDER)  # every category listed, whatever the data hold: a fixed legend
    hot = [QColor(EMERGING_COLOURS[k]) for k in EMERGING_ORDER if k.endswith("_hot")]
    cold = [QColor(EMERGING_COLOURS[k]) for k in EMERGING_ORDER if k.endswith("_cold")]
    assert all(c.red() > c.blue() for c in hot) and all(c.blue() > c.red() for c in cold)
    for k, category in enumerate(categories):
        pixel = rgb(image.pixelColor(*centre_pixel(view, k % 3, k // 3)))
        if category == "no_pattern":
            assert pixel == rgb(BACKGROUND)


def test_lisa_legend_is_in_chinese(qapp):
    layer = Layer("lisa", "result", cells({"lisa_cluster": ["HH", "LL", "HL", "LH", "ns", "ns", "ns", "ns", "ns"]}), style=declared("lisa"))
    legend = MapRenderer().legend(layer)
    assert [label_text(e.label, "zh") for e in legend] == ["高-高聚集", "低-低聚集", "高-低异常", "低-高异常", "不显著"]


def test_cluster_noise_is_small_grey_and_the_legend_sorts_numerically(qapp):
    ids = np.array([-1] * 30 + [1] * 10 + [2] * 10 + [10] * 10)
    rng = np.random.default_rng(1)
    points = gpd.GeoDataFrame({"cluster_id": ids, "probability": 1.0},
                              geometry=shapely.points(X0 + rng.uniform(0, 300, ids.size), Y0 + rng.uniform(0, 300, ids.size)), crs=3857)
    layer = Layer("clusters", "result", points, style=declared("cluster"))
    renderer = MapRenderer()
    legend = renderer.legend(layer)
    assert [label_text(e.label, "zh") for e in legend] == ["噪声", "1", "2", "10"]
    assert legend[0].color == CLUSTER_NOISE_COLOUR
    # a lone noise point is drawn smaller than a lone clustered one
    def drawn_pixels(cluster_id):
        one = gpd.GeoDataFrame({"cluster_id": [cluster_id], "probability": [1.0]}, geometry=[shapely.Point(X0, Y0)], crs=3857)
        _, image = render([Layer("c", "result", one, style=declared("cluster"))], MapView(X0, Y0, 1.0, 40, 40))
        return sum(image.pixelColor(x, y) != BACKGROUND for x in range(40) for y in range(40))

    assert drawn_pixels(-1) < drawn_pixels(1) / 2


def test_a_layer_without_its_method_recorded_is_styled_by_its_columns():
    assert ui_default_style("result", ["gi_bin", "gi_z"])["field"] == "gi_bin"
    assert ui_default_style("result", ["cluster_id", "probability", "outlier"]) == declared("cluster")
    assert ui_default_style("result", ["lisa_cluster", "lisa_p"]) == declared("lisa")
    # a recorded method's own declaration wins over the columns: blind spots carry gi_bin but are hatched outlines
    blind = ui_default_style("result", ["gi_bin", "n_uncovered"], "coverage", "blind_spots")
    assert blind["hatch"] and blind["fill"] == "#00000000"


def test_blind_spots_are_hatched_over_the_cells_beneath(qapp):
    hot = Layer("hotspots", "result", cells({"gi_bin": [3] * 9}), style=declared("hotspot"))
    blind = Layer("blind_spots", "result", cells({"gi_bin": [3] * 9}), style=declared("coverage", "blind_spots"))
    view = MapView(X0 + 150, Y0 + 150, 1.0, 300, 300)
    _, image = render([hot, blind], view)
    x0, y0 = centre_pixel(view, 1, 1)
    colours = {rgb(image.pixelColor(x0 + dx, y0 + dy)) for dx in range(-12, 12) for dy in range(-12, 12)}
    assert blend(GI_BIN_COLOURS[3], GI_BIN_FILL_OPACITY) in {tuple(c) for c in colours}  # the hot fill still shows
    assert len(colours) >= 2  # and hatch lines cross it


def test_camera_sites_are_stars_with_their_rank(qapp):
    sites = gpd.GeoDataFrame({"order": [1, 2]}, geometry=[shapely.Point(X0, Y0), shapely.Point(X0 + 200, Y0)], crs=3857)
    layer = Layer("camera_sites", "result", sites, style=declared("site-cameras"))
    view = MapView(X0 + 100, Y0, 1.0, 400, 100)
    _, image = render([layer], view)
    sx, sy = (int(v) for v in view.to_screen(X0, Y0))
    assert rgb(image.pixelColor(sx, sy)) == rgb(QColor(layer.style["color"]))
    # a star, not a disc: the point between two arms at the marker's radius is not filled
    r = layer.style["size"] / 2
    assert image.pixelColor(sx, sy - int(r) + 1) != BACKGROUND  # the top arm
    assert rgb(image.pixelColor(sx + int(r * 0.6), sy - int(r * 0.8))) == rgb(BACKGROUND)  # between the arms
    # the rank is written beside the star (dark text pixels to its right)
    right = [image.pixelColor(x, y) for x in range(sx + int(r) + 2, sx + int(r) + 16) for y in range(sy - 6, sy + 6)]
    assert any(c.lightness() < 80 for c in right)


def test_a_planned_tour_shows_its_start_and_direction(qapp):
    line = shapely.LineString([(X0, Y0), (X0 + 600, Y0)])
    naive = shapely.LineString([(X0, Y0), (X0, Y0 + 400)])
    tours = gpd.GeoDataFrame({"tour": ["plan", "naive"], "value_per_minute": [2.0, 1.0]}, geometry=[line, naive], crs=3857)
    layer = Layer("patrol_plan", "result", tours, style=declared("plan"))
    view = MapView(X0 + 300, Y0 + 200, 1.0, 800, 600)
    renderer, image = render([layer], view)
    sx, sy = (int(v) for v in view.to_screen(X0, Y0))
    start = QColor("#1b5e20")
    assert rgb(image.pixelColor(sx + 2, sy)) == pytest.approx(rgb(start), abs=20)  # the start dot
    # white chevrons ride on the orange planned tour, pointing east (its direction)
    row = [image.pixelColor(x, sy) for x in range(sx + 30, sx + 600)]
    assert sum(c.lightness() > 240 for c in row) >= 2
    # the naive tour is dashed: gaps along it show the ground
    column = [rgb(image.pixelColor(sx, y)) for y in range(sy - 380, sy - 40)]
    assert rgb(BACKGROUND) in column
    assert [label_text(e.label, "zh") for e in renderer.legend(layer)] == ["规划路线", "就近路线（对比）"]
