"""The canvas pieces on their own: view maths, paths, level of detail, sectors, rasters, basemaps."""

from __future__ import annotations

import math
import socket
import sqlite3

import geopandas as gpd
import numpy as np
import pytest
import shapely
from PyQt6.QtCore import QPointF
from PyQt6.QtGui import QColor, QImage, QPainter

from gisapp.layers import Layer
from gisapp.ui.canvas.view import MapView, lonlat_to_mercator, mercator_to_lonlat, nice_scale_length
from gisapp.ui.styles import ramp_colours, ramp_legend

from .conftest import close_error_boxes
from .test_main_window import colour_pixels


def test_zoom_keeps_the_point_under_the_cursor():
    view = MapView(1000.0, 2000.0, 10.0, 800, 600)
    before = view.to_world(200, 150)
    view.zoom_at(2.0, 200, 150)
    assert view.resolution == pytest.approx(5.0)
    assert np.allclose(view.to_world(200, 150), before)
    view.pan_pixels(10, -20)
    assert np.allclose(view.to_screen(*view.to_world(5, 5)), (5, 5))


def test_view_state_round_trip_and_scale():
    view = MapView(width=1000, height=800)
    x, y = lonlat_to_mercator(105.1, 31.1)
    view.fit((x - 5000, y - 5000, x + 5000, y + 5000))
    copy = MapView(width=1000, height=800)
    assert copy.apply_state(view.state())
    assert (copy.cx, copy.cy, copy.resolution) == pytest.approx((view.cx, view.cy, view.resolution))
    assert not copy.apply_state({"center": ["x", 1], "resolution": 1})
    assert view.latitude() == pytest.approx(31.1, abs=0.01)
    assert view.ground_resolution() == pytest.approx(view.resolution * math.cos(math.radians(31.1)), rel=1e-3)
    view.set_scale_denominator(25_000)
    assert view.scale_denominator() == pytest.approx(25_000)
    assert mercator_to_lonlat(x, y) == pytest.approx((105.1, 31.1))
    assert [nice_scale_length(v) for v in (0.7, 7, 180, 4200)] == [0.5, 5, 100, 2000]


def test_polygon_paths_keep_holes(qapp):
    from gisapp.ui.canvas.paths import path_from_geometries

    ring = shapely.box(0, 0, 10, 10).difference(shapely.box(3, 3, 6, 6))
    path = path_from_geometries(np.array([ring, shapely.MultiPolygon([shapely.box(20, 0, 22, 2), shapely.box(30, 0, 32, 2)])]))
    assert path.contains(QPointF(1, 1)) and not path.contains(QPointF(4.5, 4.5))
    assert path.contains(QPointF(21, 1)) and path.contains(QPointF(31, 1)) and not path.contains(QPointF(25, 1))
    assert path_from_geometries(np.array([], dtype=object)).isEmpty()


def _render(layers, view, mask_for=None, selection_for=None):
    from gisapp.ui.canvas.renderer import MapRenderer

    renderer = MapRenderer(mask_for=mask_for, selection_for=selection_for)
    image = QImage(view.width, view.height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    renderer.render(painter, view, layers)
    painter.end()
    return renderer, image


def _points_layer(n, seed=0, spread=2000.0):
    rng = np.random.default_rng(seed)
    x0, y0 = lonlat_to_mercator(105.1, 31.1)
    x, y = x0 + rng.normal(0, spread, n), y0 + rng.normal(0, spread, n)
    data = gpd.GeoDataFrame({"category": rng.choice(["盗窃", "诈骗"], n)}, geometry=gpd.points_from_xy(x, y), crs=3857)
    return Layer("pts", "incidents", data, style={"type": "categorized", "field": "category", "categories": {"盗窃": "#ff0000", "诈骗": "#0000ff"}, "size": 4})


def test_level_of_detail_switches_to_raster(qapp):
    view = MapView(*lonlat_to_mercator(105.1, 31.1), 20.0, 600, 400)
    few = _points_layer(500)
    renderer, image = _render([few], view)
    assert renderer.last_lod["pts"] == "sprites"
    assert colour_pixels(image, "#ff0000", 40) > 100 and colour_pixels(image, "#0000ff", 40) > 100
    many = _points_layer(200_000)
    renderer, image = _render([many], view)
    assert renderer.last_lod["pts"] == "raster"
    assert colour_pixels(image, "#ff0000", 10) > 1000 and colour_pixels(image, "#0000ff", 10) > 1000
    # a filter mask hides what it drops: only thefts left
    mask = (many.data["category"] == "盗窃").to_numpy()
    renderer, image = _render([many], view, mask_for=lambda layer: mask)
    assert colour_pixels(image, "#0000ff", 10) == 0 and colour_pixels(image, "#ff0000", 10) > 1000


def test_selection_is_highlighted(qapp):
    from gisapp.ui.styles import SELECTION_COLOUR

    view = MapView(*lonlat_to_mercator(105.1, 31.1), 20.0, 600, 400)
    layer = _points_layer(300)
    rows = np.arange(0, 300, 3)
    _, image = _render([layer], view, selection_for=lambda l: rows)
    assert colour_pixels(image, SELECTION_COLOUR, 20) > 200


def test_camera_sectors_are_wedges(qapp):
    x, y = lonlat_to_mercator(105.1, 31.1)
    data = gpd.GeoDataFrame(
        {"heading_deg": [90.0, 0.0], "fov_deg": [60.0, 360.0], "range_m": [100.0, 50.0], "kind": ["fixed", "dome"], "status": ["online", "offline"]},
        geometry=gpd.points_from_xy([x, x], [y, y + 400]), crs=3857,
    )
    cameras = Layer("cams", "cameras", data, style={"type": "sector", "color": "#0000ff", "size": 4})
    view = MapView(x, y + 150, 2.0, 400, 500)
    renderer, image = _render([cameras], view)
    legend = renderer.legend(cameras)
    assert [e.label for e in legend] == ["Camera online", "Camera offline"]
    # the fixed camera looks east: its wedge is right of it, nothing left of it
    cx, cy = (int(v) for v in view.to_screen(x, y))
    reach = 100 / math.cos(math.radians(31.1)) / view.resolution
    east = image.pixelColor(cx + int(reach * 0.6), cy)
    west = image.pixelColor(cx - int(reach * 0.6), cy)
    assert east.blue() > east.red() + 20 and west.name() == "#ffffff"


def test_raster_array_layer(qapp):
    from gisapp.ui.canvas.raster import RasterData

    x, y = lonlat_to_mercator(105.1, 31.1)
    array = np.linspace(0, 1, 100 * 100).reshape(100, 100)
    array[:10, :10] = np.nan
    layer = Layer("kde", "result", gpd.GeoDataFrame(geometry=[shapely.box(x - 500, y - 500, x + 500, y + 500)], crs=3857),
                  style={"type": "raster", "ramp": "YlOrRd"})
    layer.raster = RasterData(array, (x - 500, y - 500, x + 500, y + 500))
    view = MapView(x, y, 5.0, 300, 300)
    renderer, image = _render([layer], view)
    top_left = image.pixelColor(60, 60)  # NaN corner: transparent over white
    bottom_right = image.pixelColor(240, 240)
    assert top_left.name() == "#ffffff"
    assert bottom_right.red() > 150 and bottom_right.blue() < 80  # the hot end of YlOrRd
    # a graduated legend: five equal value ranges from the highest, over the values drawn (0.001 to 1: 0 is NaN)
    legend = renderer.legend(layer)
    assert [entry.label for entry in legend] == ["0.8 – 1", "0.6 – 0.8", "0.401 – 0.6", "0.201 – 0.401", "0.001 – 0.201"]
    assert legend[0].color == ramp_colours("YlOrRd", 64)[57][:7]  # the colour drawn at 0.9


def test_a_density_surface_legend_names_its_unit(qapp):
    from gisapp.analysis.hotspots.methods import KDE

    array = np.array([[0.0, 250.0], [500.0, 1000.0]])
    style = KDE.main_layer.style
    legend = ramp_legend(array, style)
    assert legend[0].color == "" and legend[0].label == ["起/平方公里", "incidents/km²"]
    assert [entry.label for entry in legend[1:]] == ["800 – 1,000", "600 – 800", "400 – 600", "200 – 400", "0 – 200"]


def test_layer_without_crs_is_reported(qapp):
    from gisapp.ui.canvas.renderer import MapRenderer

    layer = Layer("nocrs", "incidents", gpd.GeoDataFrame(geometry=gpd.points_from_xy([1.0], [2.0])))
    renderer = MapRenderer()
    assert "no coordinate system" in renderer.error(layer)
    assert renderer.geometry(layer) is None


# ---- basemaps ----------------------------------------------------------------------------
def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_tile_server_goes_offline_without_blocking(make_window, qtbot):
    import time

    window = make_window()
    url = f"http://127.0.0.1:{_closed_port()}/{{z}}/{{x}}/{{y}}.png"
    assert window.set_basemap("xyz", url)
    start = time.perf_counter()
    window.canvas.repaint()  # asks for tiles; must not wait for them
    assert time.perf_counter() - start < 1.0
    qtbot.waitUntil(lambda: window.basemap_state == "offline", timeout=8000)
    assert "offline" in window.basemap_label.text().lower()
    window.canvas.repaint()  # offline: no new requests, still draws the layers
    assert not window.canvas.tiles._pending


def test_corrupt_mbtiles_is_refused(make_window, tmp_path):
    window = make_window()
    bad = tmp_path / "broken.mbtiles"
    bad.write_bytes(b"this is not sqlite" * 100)
    assert not window.set_basemap("mbtiles", str(bad))
    texts = close_error_boxes()
    assert len(texts) == 1 and "broken.mbtiles" in texts[0]
    assert window.canvas.basemap_mode == "project"
    empty_db = tmp_path / "empty.mbtiles"
    sqlite3.connect(empty_db).execute("CREATE TABLE other (x)").connection.close()
    assert not window.set_basemap("mbtiles", str(empty_db))
    assert "no tiles table" in close_error_boxes()[0]


def _red_png() -> bytes:
    from PyQt6.QtCore import QBuffer, QIODevice

    image = QImage(256, 256, QImage.Format.Format_RGB32)
    image.fill(QColor("#e00000"))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


def _tile_xy(z, lon=105.1, lat=31.1):
    n = 1 << z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def test_mbtiles_basemap_draws_tiles(make_window, tmp_path):
    path = tmp_path / "county.mbtiles"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE metadata (name TEXT, value TEXT)")
        db.executemany("INSERT INTO metadata VALUES (?, ?)", [("minzoom", "0"), ("maxzoom", "4"), ("name", "test tiles")])
        db.execute("CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
        for z in range(5):
            x, y = _tile_xy(z)
            db.execute("INSERT INTO tiles VALUES (?, ?, ?, ?)", (z, x, (1 << z) - 1 - y, _red_png()))
    window = make_window()
    assert window.set_basemap("mbtiles", str(path))
    assert colour_pixels(window.canvas.render_basemap(), "#e00000") > 10_000
    assert window.settings.basemap() == ("mbtiles", str(path))


def test_xyz_tiles_arrive_asynchronously_and_are_cached(make_window, tmp_path, qtbot):
    folder = tmp_path / "tiles"
    for z in range(20):
        x, y = _tile_xy(z)
        tile = folder / str(z) / str(x) / f"{y}.png"
        tile.parent.mkdir(parents=True, exist_ok=True)
        tile.write_bytes(_red_png())
    window = make_window()
    assert window.set_basemap("xyz", folder.as_uri() + "/{z}/{x}/{y}.png")
    source = window.canvas.tiles
    window.canvas.repaint()
    qtbot.waitUntil(lambda: colour_pixels(window.canvas.render_basemap(), "#e00000") > 1000, timeout=8000)
    assert any(source.cache_dir.rglob("*.tile"))
    assert window.basemap_state in ("ok", "loading")


def test_density_raster_from_analysis(qapp):
    """A gisapp.layers.raster.Raster (what gisapp.analysis.hotspots.density returns) draws as an image; nodata is transparent."""
    import pyproj

    from gisapp.layers.raster import Raster

    x, y = lonlat_to_mercator(105.1, 31.1)
    array = np.tile(np.linspace(0.0, 10.0, 50), (50, 1))
    array[:, :25] = -9999.0
    raster = Raster(array, (x - 500, y + 500), 20.0, pyproj.CRS.from_epsg(3857), nodata=-9999.0)
    layer = Layer("density", "result", gpd.GeoDataFrame(geometry=[shapely.box(*raster.bounds)], crs=3857), style={"type": "raster", "ramp": "Reds"})
    layer.raster = raster
    view = MapView(x, y, 5.0, 300, 300)
    _, image = _render([layer], view)
    assert image.pixelColor(100, 150).name() == "#ffffff"  # west half: no data
    east = image.pixelColor(245, 150)
    assert east.red() > 100 and east.green() < 80  # the dark end of the Reds ramp
