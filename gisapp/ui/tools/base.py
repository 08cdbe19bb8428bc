"""What every drawing tool shares: coordinates, the target layer, undo, and lengths in metres.

The canvas works in Web Mercator (EPSG:3857); layers keep their own CRS.
Tools convert with pyproj and measure on the ellipsoid (``pyproj.Geod``), so a
route's length does not depend on the display projection.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyproj
from PyQt6.QtCore import QObject, QPointF, pyqtSignal

from gisapp.layers import Layer

from .edits import AddLayerCommand, SetLayerDataCommand, appended

DISPLAY = pyproj.CRS.from_epsg(3857)
GEOD = pyproj.Geod(ellps="WGS84")
_transformers: dict = {}


def transformer(source, target) -> pyproj.Transformer:
    key = (pyproj.CRS.from_user_input(source).to_wkt(), pyproj.CRS.from_user_input(target).to_wkt())
    if key not in _transformers:
        _transformers[key] = pyproj.Transformer.from_crs(source, target, always_xy=True)
    return _transformers[key]


def geodesic_length_m(xy_display: np.ndarray) -> float:
    """Length in metres of a Web Mercator polyline."""
    if len(xy_display) < 2:
        return 0.0
    lon, lat = transformer(DISPLAY, 4326).transform(xy_display[:, 0], xy_display[:, 1])
    return float(GEOD.line_length(lon, lat))


def geodesic_area_m2(xy_display: np.ndarray) -> float:
    if len(xy_display) < 3:
        return 0.0
    lon, lat = transformer(DISPLAY, 4326).transform(xy_display[:, 0], xy_display[:, 1])
    area, _ = GEOD.polygon_area_perimeter(lon, lat)
    return abs(float(area))


def format_length(metres: float) -> str:
    return f"{metres / 1000:.2f} km" if metres >= 1000 else f"{metres:.0f} m"


def format_area(m2: float) -> str:
    return f"{m2 / 1e6:.3f} km²" if m2 >= 1e5 else f"{m2:.0f} m²"


class MapTool(QObject):
    """A canvas tool: the canvas hands it mouse and key events (in screen and display coordinates)."""

    name = "tool"
    changed = pyqtSignal()  # the overlay needs repainting
    message = pyqtSignal(str)  # status-bar text (live length, hints)
    committed = pyqtSignal(object, int)  # layer, row of the feature created or edited

    def __init__(self, canvas, undo_stack, parent: QObject | None = None):
        super().__init__(parent)
        self.canvas, self.undo_stack = canvas, undo_stack

    # the canvas calls these; each returns True when it used the event
    def press(self, pos: QPointF, button, modifiers) -> bool:
        return False

    def move(self, pos: QPointF, buttons) -> bool:
        return False

    def release(self, pos: QPointF, button) -> bool:
        return False

    def double_click(self, pos: QPointF) -> bool:
        return False

    def cancel(self) -> bool:
        """Esc: drop the unfinished sketch; False when there was nothing to drop."""
        return False

    def paint(self, painter) -> None:
        pass

    def hint(self) -> str:
        return ""

    # ---- helpers --------------------------------------------------------------------
    @property
    def workspace(self):
        return self.canvas.workspace

    def world(self, pos: QPointF) -> tuple[float, float]:
        x, y = self.canvas.view.to_world(pos.x(), pos.y())
        return float(x), float(y)

    def screen(self, x: float, y: float) -> QPointF:
        px, py = self.canvas.view.to_screen(x, y)
        return QPointF(float(px), float(py))

    def target_layer(self, kind: str, make_empty) -> tuple[Layer, bool]:
        """The current layer if it is of ``kind``, else the first of that kind, else a new one (True: new)."""
        current = self.workspace.current_layer
        if current is not None and current.kind == kind:
            return current, False
        for layer in self.workspace.layers:
            if layer.kind == kind:
                return layer, False
        return Layer(self.workspace.layers.unique_name(kind), kind, make_empty()), True

    def add_feature(self, kind: str, row: dict, geometry_display, make_empty, text: str) -> tuple[Layer, int]:
        """Undoably add one feature (given in display coordinates) to the layer of ``kind``."""
        layer, new = self.target_layer(kind, make_empty)
        crs = layer.data.crs or pyproj.CRS.from_epsg(4326)
        geometry = gpd.GeoSeries([geometry_display], crs=DISPLAY).to_crs(crs).iloc[0]
        self.undo_stack.beginMacro(text)
        if new:
            self.undo_stack.push(AddLayerCommand(self.workspace.layers, layer, text))
        self.undo_stack.push(SetLayerDataCommand(layer, appended(layer.data, row, geometry), text))
        self.undo_stack.endMacro()
        layers = self.workspace.layers
        if layer in layers and layers.index(layer) != len(layers) - 1:
            layers.move(layers.index(layer), len(layers) - 1)  # what is being drawn stays in sight, on top
        row_index = len(layer.data) - 1
        self.current = (layer, row_index)  # the feature a tool's panel edits next
        self.committed.emit(layer, row_index)
        return layer, row_index

    def layer_xy_display(self, layer: Layer) -> list[np.ndarray]:
        """Every feature's coordinates in display CRS (lines: vertices; polygons: exterior ring)."""
        import shapely

        out = []
        data = layer.data
        if data.crs is None or len(data) == 0:
            return out
        t = transformer(data.crs, DISPLAY)
        for geometry in data.geometry.values:
            if geometry is None or geometry.is_empty:
                out.append(np.empty((0, 2)))
                continue
            if geometry.geom_type == "Polygon":
                geometry = geometry.exterior
            if geometry.geom_type.startswith("Multi"):
                geometry = geometry.geoms[0]
            xy = shapely.get_coordinates(geometry)
            x, y = t.transform(xy[:, 0], xy[:, 1])
            out.append(np.column_stack([x, y]))
        return out


def empty_frame(columns: list[str], crs=4326) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({c: [] for c in columns}, geometry=gpd.GeoSeries([], crs=crs), crs=crs)


def next_id(data: gpd.GeoDataFrame, column: str, prefix: str) -> str:
    taken = set(data[column].astype(str)) if column in data else set()
    n = len(data) + 1
    while f"{prefix}{n:03d}" in taken:
        n += 1
    return f"{prefix}{n:03d}"

