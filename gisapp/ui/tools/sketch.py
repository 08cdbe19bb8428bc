"""Click-to-draw tools: patrol routes (lines) and areas (polygons).

Click adds a vertex, double-click finishes, dragging a vertex moves it and
right-click deletes it, both on the sketch and on features already saved (an
undoable edit). The live length and patrol time show while drawing. With
snapping on, a route follows the roads between clicks (shortest path on the
road network of :mod:`gisapp.analysis.core.road_network`).
"""

from __future__ import annotations

import numpy as np
import shapely
from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QColor, QPainterPath, QPen, QPolygonF

from ..i18n import tr
from .base import (
    DISPLAY,
    MapTool,
    empty_frame,
    format_area,
    format_length,
    geodesic_area_m2,
    geodesic_length_m,
    next_id,
    transformer,
)
from .edits import SetLayerDataCommand, replaced_geometry

PICK_PX = 7.0
#: Patrol speed for the live time estimate; the patrol analysis' default (gisapp.analysis.patrol.exposure.ExposureParams).
DEFAULT_SPEED_KMH = 20.0


class SketchTool(MapTool):
    """Vertices in display coordinates, with vertex dragging and deleting."""

    closed = False  # polygon
    kind = ""
    colour = "#1565c0"

    def __init__(self, canvas, undo_stack, parent=None):
        super().__init__(canvas, undo_stack, parent)
        self.vertices: list[tuple[float, float]] = []
        self.hover: tuple[float, float] | None = None
        self._drag: tuple | None = None  # ("sketch", i) or ("feature", layer, row, i, xy)
        self._press_pos: QPointF | None = None

    # ---- events ---------------------------------------------------------------------
    def press(self, pos, button, modifiers) -> bool:
        hit = self._pick(pos)
        if button == Qt.MouseButton.RightButton:
            if hit is not None:
                self._delete(hit)
            return True
        if button != Qt.MouseButton.LeftButton:
            return False
        self._press_pos = pos
        if hit is not None:
            self._drag = hit
            return True
        self.add_vertex(*self.world(pos))
        return True

    def move(self, pos, buttons) -> bool:
        self.hover = self.world(pos)
        if self._drag is not None:
            x, y = self.hover
            if self._drag[0] == "sketch":
                self.vertices[self._drag[1]] = (x, y)
            else:
                self._drag[4][self._drag[3]] = (x, y)
        self._changed()
        return bool(self.vertices) or self._drag is not None

    def release(self, pos, button) -> bool:
        drag, self._drag = self._drag, None
        if drag is not None and drag[0] == "feature":
            moved = self._press_pos is not None and (pos - self._press_pos).manhattanLength() > 2
            if moved:
                self._commit_feature_edit(drag[1], drag[2], drag[4], tr("Move vertex"))
        self._changed()
        return drag is not None

    def double_click(self, pos) -> bool:
        # the second press of a double click already added a vertex on top of the first: drop it
        if len(self.vertices) >= 2 and self._near(self.vertices[-1], self.vertices[-2], 4):
            self.vertices.pop()
        self.finish()
        return True

    def cancel(self) -> bool:
        had = bool(self.vertices) or self._drag is not None
        self.vertices.clear()
        self._drag = None
        self._changed()
        return had

    # ---- sketch ---------------------------------------------------------------------
    def add_vertex(self, x: float, y: float) -> None:
        self.vertices.append((x, y))
        self._changed()

    def xy(self) -> np.ndarray:
        return np.array(self.vertices, dtype=float).reshape(-1, 2)

    def length_m(self) -> float:
        xy = self.xy()
        if self.closed and len(xy) >= 3:
            xy = np.vstack([xy, xy[:1]])
        return geodesic_length_m(xy)

    def minimum_vertices(self) -> int:
        return 3 if self.closed else 2

    def finish(self):
        """Save the sketch as a feature (undoable); returns (layer, row) or None when too short."""
        if len(self.vertices) < self.minimum_vertices():
            self.message.emit(tr("Too few vertices: nothing was added."))
            self.cancel()
            return None
        xy = self.xy()
        geometry = shapely.Polygon(xy) if self.closed else shapely.LineString(xy)
        layer, row = self.save_feature(geometry)
        self.vertices.clear()
        self._changed()
        return layer, row

    def save_feature(self, geometry):  # pragma: no cover - subclasses
        raise NotImplementedError

    # ---- saved features -------------------------------------------------------------
    def _editable_layers(self):
        return [layer for layer in self.workspace.layers if layer.kind == self.kind and layer.visible]

    def _pick(self, pos: QPointF):
        for i, vertex in enumerate(self.vertices):
            if self._near_screen(pos, vertex):
                return ("sketch", i)
        if self.vertices:
            return None
        for layer in self._editable_layers():
            for row, xy in enumerate(self.layer_xy_display(layer)):
                for i, vertex in enumerate(xy):
                    if self._near_screen(pos, vertex):
                        return ("feature", layer, row, i, [tuple(v) for v in xy])
        return None

    def _delete(self, hit) -> None:
        if hit[0] == "sketch":
            del self.vertices[hit[1]]
            self._changed()
            return
        _, layer, row, i, xy = hit
        ring = xy[:-1] if self.closed and len(xy) > 1 and xy[0] == xy[-1] else xy
        if len(ring) <= self.minimum_vertices():
            self.message.emit(tr("A feature needs at least {n} vertices.").format(n=self.minimum_vertices()))
            return
        ring = [v for k, v in enumerate(ring) if k != (i % len(ring))]
        self._commit_feature_edit(layer, row, ring, tr("Delete vertex"))

    def _commit_feature_edit(self, layer, row: int, xy: list, text: str) -> None:
        points = np.array(xy, dtype=float)
        if self.closed:
            if len(points) > 1 and np.allclose(points[0], points[-1]):
                points = points[:-1]
            geometry = shapely.Polygon(points)
        else:
            geometry = shapely.LineString(points)
        t = transformer(DISPLAY, layer.data.crs)
        geometry = shapely.transform(geometry, lambda c: np.column_stack(t.transform(c[:, 0], c[:, 1])))
        self.undo_stack.push(SetLayerDataCommand(layer, replaced_geometry(layer.data, row, geometry), text))
        self.committed.emit(layer, row)

    def _near_screen(self, pos: QPointF, vertex) -> bool:
        p = self.screen(*vertex)
        return abs(p.x() - pos.x()) <= PICK_PX and abs(p.y() - pos.y()) <= PICK_PX

    def _near(self, a, b, pixels: float) -> bool:
        pa, pb = self.screen(*a), self.screen(*b)
        return abs(pa.x() - pb.x()) <= pixels and abs(pa.y() - pb.y()) <= pixels

    # ---- display --------------------------------------------------------------------
    def status_text(self) -> str:
        return tr("Length {length}").format(length=format_length(self.length_m()))

    def _changed(self) -> None:
        if self.vertices:
            self.message.emit(self.status_text())
        self.changed.emit()

    def paint(self, painter) -> None:
        points = [self.screen(*v) for v in self.vertices]
        if self._drag is not None and self._drag[0] == "feature":
            xy = self._drag[4]
            painter.setPen(QPen(QColor(self.colour), 2, Qt.PenStyle.DashLine))
            painter.drawPolyline(QPolygonF([self.screen(*v) for v in xy]))
        if not points:
            return
        if self.hover is not None and self._drag is None:
            preview = points + [self.screen(*self.hover)]
        else:
            preview = points
        painter.setPen(QPen(QColor(self.colour), 2.5))
        if self.closed and len(preview) >= 3:
            painter.setBrush(QColor(21, 101, 192, 50))
            painter.drawPolygon(QPolygonF(preview))
        else:
            path = QPainterPath(preview[0])
            for p in preview[1:]:
                path.lineTo(p)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
        painter.setBrush(QColor("#ffffff"))
        painter.setPen(QPen(QColor(self.colour), 1.5))
        for p in points:
            painter.drawEllipse(p, 4, 4)
        self._paint_label(painter, points[-1], self.status_text())

    def _paint_label(self, painter, at: QPointF, text: str) -> None:
        metrics = painter.fontMetrics()
        box = QRectF(at.x() + 10, at.y() - 24, metrics.horizontalAdvance(text) + 12, metrics.height() + 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 225))
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(QColor("#202020"))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)


class RouteTool(SketchTool):
    name = "route"
    kind = "routes"
    colour = "#00897b"

    def __init__(self, canvas, undo_stack, parent=None):
        super().__init__(canvas, undo_stack, parent)
        self.snap_to_roads = False
        self.speed_kmh = DEFAULT_SPEED_KMH
        self._network = None  # (roads frame, analysis crs, RoadNetwork)

    def hint(self) -> str:
        return tr("Route: click to add vertices, double-click to finish; drag a vertex to move it, right-click to delete it; Esc cancels")

    def status_text(self) -> str:
        metres = self.length_m()
        minutes = metres / 1000 / self.speed_kmh * 60
        return tr("Length {length}, about {minutes:.0f} min at {speed:g} km/h").format(length=format_length(metres), minutes=minutes, speed=self.speed_kmh)

    def add_vertex(self, x: float, y: float) -> None:
        if self.snap_to_roads and self.vertices:
            path = self._road_path(self.vertices[-1], (x, y))
            if path is not None and len(path) >= 2:
                self.vertices.extend(map(tuple, path[1:]))
                self._changed()
                return
        super().add_vertex(x, y)

    def _road_path(self, a, b):
        """Display-coordinate vertices along the roads from ``a`` to ``b`` (None: no roads, or not connected)."""
        from gisapp.analysis.core.road_network import build_road_network

        roads = next((layer for layer in self.workspace.layers if layer.kind == "roads"), None)
        if roads is None or len(roads.data) == 0:
            return None
        if self._network is None or self._network[0] is not roads.data:
            crs = self.canvas.window().controller.analysis_crs() if hasattr(self.canvas.window(), "controller") else None
            if crs is None:
                return None
            self._network = (roads.data, crs, build_road_network(roads.data.to_crs(crs)))
        _, crs, network = self._network
        to_metric, to_display = transformer(DISPLAY, crs), transformer(crs, DISPLAY)
        mx, my = to_metric.transform([a[0], b[0]], [a[1], b[1]])
        nodes, _ = network.snap(np.asarray(mx), np.asarray(my), max_snap_m=300.0)
        if (nodes < 0).any():
            return None
        _, predecessors = network.travel([nodes[0]])
        try:
            xy = network.path_xy(predecessors[0], int(nodes[0]), int(nodes[1]))
        except ValueError:
            return None
        x, y = to_display.transform(xy[:, 0], xy[:, 1])
        path = np.column_stack([x, y])
        path = np.vstack([[a], path, [b]])
        keep = np.r_[True, np.any(np.abs(np.diff(path, axis=0)) > 1e-6, axis=1)]  # snapping repeats nodes
        return path[keep]

    def save_feature(self, geometry):
        layer, _ = self.target_layer("routes", lambda: empty_frame(["route_id", "name", "unit", "shift"]))
        n = len(layer.data) + 1
        row = {"route_id": next_id(layer.data, "route_id", "R"), "name": tr("New route {n}").format(n=n), "unit": "", "shift": ""}
        return self.add_feature("routes", row, geometry, lambda: empty_frame(["route_id", "name", "unit", "shift"]), tr("Draw route"))


AREA_TYPES = ("market", "urban_fringe", "school", "study_area")


class AreaTool(SketchTool):
    name = "area"
    kind = "areas"
    closed = True
    colour = "#6a1b9a"

    def __init__(self, canvas, undo_stack, parent=None):
        super().__init__(canvas, undo_stack, parent)
        self.area_type = "study_area"

    def hint(self) -> str:
        return tr("Area: click the corners, double-click to close the polygon; Esc cancels")

    def status_text(self) -> str:
        return tr("Area {area}, perimeter {length}").format(area=format_area(geodesic_area_m2(self.xy())), length=format_length(self.length_m()))

    def save_feature(self, geometry):
        make = lambda: empty_frame(["area_id", "name", "area_type"])  # noqa: E731
        layer, _ = self.target_layer("areas", make)
        row = {"area_id": next_id(layer.data, "area_id", "A"), "name": tr("New area {n}").format(n=len(layer.data) + 1), "area_type": self.area_type}
        return self.add_feature("areas", row, geometry, make, tr("Draw area"))
