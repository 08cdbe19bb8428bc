"""The interactive map canvas: a QWidget painted with QPainter.

Two images are cached: the basemap and the layers, each valid for one view.
While the map is dragged the cached images are only shifted; the layers are
drawn again once the drag ends, and whenever the view, a layer, the filter or
the selection changes. Tiles arriving from the network redraw only the basemap.
"""

from __future__ import annotations

import time
import weakref

import numpy as np
from PyQt6.QtCore import QPoint, QPointF, QRect, QRectF, QSize, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QFont, QImage, QPainter, QPen, QPolygonF
from PyQt6.QtWidgets import QRubberBand, QWidget

from gisapp.layers import Layer

from ..i18n import tr
from ..workspace import Workspace
from .basemap import MBTilesSource, TileSource, XYZSource, draw_tiles
from .geometry import union_bounds
from .renderer import MapRenderer
from .view import MapView, nice_scale_length

BACKGROUND = {"none": "#ffffff", "project": "#f2efe9", "mbtiles": "#f2efe9", "xyz": "#f2efe9"}
CLICK_TOLERANCE_PX = 6
#: A saved view is restored only when the data span at least this share of it (else the data are fitted).
MIN_DATA_SHARE = 0.1
ZOOM_STEP = 1.25


class MapCanvas(QWidget):
    """The map. Tools: ``"pan"``, ``"select"`` (click or drag a box) and ``"identify"``."""

    cursorMoved = pyqtSignal(float, float)  # display CRS (Web Mercator) x, y
    cursorLeft = pyqtSignal()
    viewChanged = pyqtSignal()
    rendered = pyqtSignal(float)  # milliseconds the layers took
    identified = pyqtSignal(object, int)  # layer, row (-1: nothing there)
    basemapStatus = pyqtSignal(str, str)  # state, detail
    message = pyqtSignal(str)
    toolCancelled = pyqtSignal()  # Esc with nothing to drop: leave the drawing tool

    def __init__(self, workspace: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.view = MapView(width=max(self.width(), 1), height=max(self.height(), 1))
        self.renderer = MapRenderer(mask_for=workspace.mask, selection_for=workspace.selection)
        self.tool = "pan"
        self.map_tool = None  # a drawing tool (gisapp.ui.tools) that gets the mouse first
        self._space_pan = False
        self.basemap_mode = "project"
        self.tiles: TileSource | None = None
        self._layers_image: QImage | None = None
        self._base_image: QImage | None = None
        self._image_view: MapView | None = None
        self._layers_dirty = True
        self._base_dirty = True
        self._drag_origin: QPoint | None = None
        self._drag_offset = QPoint()
        self._band_origin: QPoint | None = None
        self._band = QRubberBand(QRubberBand.Shape.Rectangle, self)
        self._fitted = False
        # The view follows the data's extent (refitted when the canvas gets its size or a layer
        # arrives) until the user moves it or a saved view is applied: a fit made before the
        # window has its size would show the county as a speck.
        self._auto_fit = True
        self._basemap_layers: weakref.WeakKeyDictionary[Layer, list[Layer]] = weakref.WeakKeyDictionary()
        self.last_render_ms = 0.0
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(200, 150)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        workspace.reset.connect(self._on_reset)
        workspace.layerInserted.connect(self._on_inserted)
        workspace.layerRemoved.connect(lambda layer: self.refresh())
        workspace.layersMoved.connect(self.refresh)
        workspace.layerChanged.connect(self._on_layer_changed)
        workspace.filterChanged.connect(self._on_filter_changed)
        workspace.selectionChanged.connect(lambda layer: self.refresh())

    # ---- state --------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        return QSize(900, 650)

    def refresh(self, base: bool = False) -> None:
        self._layers_dirty = True
        self._base_dirty = self._base_dirty or base
        self.update()

    def set_map_tool(self, map_tool) -> None:
        """Hand the mouse to ``map_tool`` (None: back to pan/select/identify)."""
        if self.map_tool is not None:
            self.map_tool.cancel()
            self.map_tool.changed.disconnect(self.update)
        self.map_tool = map_tool
        if map_tool is not None:
            map_tool.changed.connect(self.update)
            self.tool = map_tool.name
            self.setCursor(Qt.CursorShape.CrossCursor)
        self.update()

    def set_tool(self, tool: str) -> None:
        if self.map_tool is not None and tool != self.map_tool.name:
            self.set_map_tool(None)
        self.tool = tool
        cursor = {"pan": Qt.CursorShape.OpenHandCursor, "select": Qt.CursorShape.CrossCursor, "identify": Qt.CursorShape.WhatsThisCursor}
        self.setCursor(cursor.get(tool, Qt.CursorShape.ArrowCursor))

    def _on_reset(self) -> None:
        self._fitted = False
        self._basemap_layers.clear()
        self.fit_to_data()
        self.refresh(base=True)

    def _on_inserted(self, layer: Layer) -> None:
        if self._auto_fit or not self._fitted:
            self.fit_to_data()
        if layer.kind in ("roads", "grids"):
            self._base_dirty = True
        self.refresh()

    def _on_layer_changed(self, layer: Layer, what: str) -> None:
        if what in ("data", "style"):
            self.renderer.invalidate(layer, what)
        if what == "data" and layer.kind in ("roads", "grids"):
            self._basemap_layers.pop(layer, None)
            self._base_dirty = True
        if what != "name":
            self.refresh()

    def _on_filter_changed(self) -> None:
        self.refresh()

    def layer_error(self, layer: Layer) -> str | None:
        """Why ``layer`` cannot be drawn (no CRS, impossible transformation), or None."""
        return self.renderer.error(layer)

    # ---- basemap ------------------------------------------------------------------------
    def set_basemap(self, mode: str, value: str = "", cache_dir=None) -> None:
        """``mode``: none, project, mbtiles (``value`` = path) or xyz (``value`` = URL template).

        Raises InputError for an unreadable MBTiles file or a malformed URL; the basemap is then unchanged.
        """
        source = None
        if mode == "mbtiles":
            source = MBTilesSource(value, self)
        elif mode == "xyz":
            source = XYZSource(value, cache_dir or _default_cache_dir(), parent=self)
        elif mode not in ("none", "project"):
            raise ValueError(f"unknown basemap mode {mode!r}")
        if self.tiles is not None:
            self.tiles.close()
            self.tiles.deleteLater()
        self.tiles = source
        self.basemap_mode = mode
        if source is not None:
            source.tileLoaded.connect(self._on_tile)
            source.statusChanged.connect(self.basemapStatus)
        self.basemapStatus.emit("ok", "")
        self.refresh(base=True)

    def _on_tile(self) -> None:
        self._base_dirty = True
        self.update()

    # ---- navigation ---------------------------------------------------------------------
    def fit_to_data(self) -> None:
        """Show every layer now if the canvas is on screen, else as soon as it is shown with its size."""
        self._auto_fit = True
        if self._has_final_size():
            self._fit_now()

    def _has_final_size(self) -> bool:
        return self.isVisible() and self.width() > 1 and self.height() > 1

    def _fit_now(self) -> None:
        bounds = self.full_bounds() or union_bounds(self._layer_bounds(layer) for layer in self.workspace.layers)
        if bounds is None:
            return
        self.view.width, self.view.height = max(self.width(), 1), max(self.height(), 1)
        self.view.fit(bounds)
        self._fitted = True
        self._view_changed()

    def shows_data(self, state: dict) -> bool:
        """Whether a saved view ``state`` shows the layers at a readable size (not a speck, not elsewhere).

        A view saved by an older version could have been fitted before the window had its size;
        such a view is not worth restoring.
        """
        bounds = self.full_bounds()
        trial = self.view.copy()
        trial.width, trial.height = max(self.width(), trial.width, 1), max(self.height(), trial.height, 1)
        if bounds is None or not trial.apply_state(state or {}):
            return False
        xmin, ymin, xmax, ymax = trial.extent
        overlap = min(xmax, bounds[2]) > max(xmin, bounds[0]) and min(ymax, bounds[3]) > max(ymin, bounds[1])
        span = max((bounds[2] - bounds[0]) / (xmax - xmin), (bounds[3] - bounds[1]) / (ymax - ymin))
        return overlap and span >= MIN_DATA_SHARE

    def set_view_state(self, state: dict) -> bool:
        if self.view.apply_state(state or {}):
            self._fitted = True
            self._auto_fit = False
            self._view_changed()
            return True
        return False

    def full_bounds(self):
        return union_bounds(self._layer_bounds(layer) for layer in self.workspace.layers if layer.visible)

    def _layer_bounds(self, layer: Layer):
        g = self.renderer.geometry(layer)
        return None if g is None else g.bounds

    def zoom_to_bounds(self, bounds) -> bool:
        if bounds is None:
            return False
        self.view.fit(bounds)
        self._fitted = True
        self._auto_fit = False
        self._view_changed()
        return True

    def zoom_full(self) -> bool:
        bounds = self.full_bounds() or union_bounds(self._layer_bounds(layer) for layer in self.workspace.layers)
        return self.zoom_to_bounds(bounds)

    def zoom_to_layer(self, layer: Layer) -> bool:
        error = self.layer_error(layer)
        if error:
            self.message.emit(tr("{name} cannot be shown: {error}").format(name=layer.name, error=error))
            return False
        if not self.zoom_to_bounds(self._layer_bounds(layer)):
            self.message.emit(tr("{name} has no features to zoom to.").format(name=layer.name))
            return False
        return True

    def zoom_to_selection(self) -> bool:
        boxes = []
        for layer in self.workspace.layers:
            rows = self.workspace.selection(layer)
            g = self.renderer.geometry(layer)
            if rows.size and g is not None:
                boxes.append(_rows_bounds(g, rows))
        return self.zoom_to_bounds(union_bounds(boxes))

    def zoom_by(self, factor: float, at: QPointF | None = None) -> None:
        at = at or QPointF(self.width() / 2, self.height() / 2)
        self.view.zoom_at(factor, at.x(), at.y())
        self._auto_fit = False
        self._view_changed()

    def _view_changed(self) -> None:
        self._layers_dirty = self._base_dirty = True
        self.update()
        self.viewChanged.emit()

    # ---- rendering ----------------------------------------------------------------------
    def resizeEvent(self, event) -> None:
        self.view.width, self.view.height = max(self.width(), 1), max(self.height(), 1)
        if self._auto_fit and self._has_final_size():
            self._fit_now()
        self._layers_dirty = self._base_dirty = True
        super().resizeEvent(event)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._auto_fit and self._has_final_size():
            self._fit_now()

    def render_layers(self) -> QImage:
        """Draw every visible layer for the current view into a transparent image (what a repaint costs)."""
        image = QImage(self.view.width, self.view.height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        start = time.perf_counter()
        self.renderer.render(painter, self.view, self.workspace.layers)
        painter.end()
        self.last_render_ms = (time.perf_counter() - start) * 1000
        self.rendered.emit(self.last_render_ms)
        return image

    def render_basemap(self) -> QImage:
        image = QImage(self.view.width, self.view.height, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor(BACKGROUND.get(self.basemap_mode, "#ffffff")))
        painter = QPainter(image)
        if self.basemap_mode == "project":
            self.renderer.render(painter, self.view, self._project_basemap_layers())
        elif self.tiles is not None:
            draw_tiles(painter, self.view, self.tiles)
        painter.end()
        return image

    def render_map(self) -> QImage:
        """Basemap and layers for the current view, composed (for export and tests)."""
        image = self.render_basemap()
        painter = QPainter(image)
        painter.drawImage(0, 0, self.render_layers())
        self._draw_overlays(painter)
        painter.end()
        return image

    def _project_basemap_layers(self) -> list[Layer]:
        """The project's roads and grids in muted basemap colours (roads with a casing)."""
        out: list[Layer] = []
        for layer in self.workspace.layers:
            if layer.kind not in ("roads", "grids") or not len(layer.data) or self.renderer.error(layer):
                continue
            twins = self._basemap_layers.get(layer)
            if twins is None:
                if layer.kind == "roads":
                    twins = [
                        Layer("casing", "roads", layer.data, style={"type": "single", "color": "#cfc8bc", "width": 4.5}),
                        Layer("road", "roads", layer.data, style={"type": "single", "color": "#ffffff", "width": 2.5}),
                    ]
                else:
                    twins = [Layer("cells", "grids", layer.data, style={"type": "single", "color": "#d6d0c4", "fill": "#fbfaf700", "width": 1})]
                self._basemap_layers[layer] = twins
            out.extend(twins)
        out.sort(key=lambda twin: twin.kind != "grids")
        return out

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(BACKGROUND.get(self.basemap_mode, "#ffffff")))
        dragging = self._drag_origin is not None and not self._drag_offset.isNull()
        if not dragging:
            if self._base_dirty or self._base_image is None or self._base_image.size() != self.size():
                self._base_image = self.render_basemap()
                self._base_dirty = False
            if self._layers_dirty or self._layers_image is None or self._layers_image.size() != self.size():
                self._layers_image = self.render_layers()
                self._layers_dirty = False
                self._image_view = self.view.copy()
        offset = self._drag_offset if dragging else QPoint()
        if self._base_image is not None:
            painter.drawImage(offset, self._base_image)
        if self._layers_image is not None:
            painter.drawImage(offset, self._layers_image)
        self._draw_overlays(painter)
        if self.map_tool is not None:  # the sketch being drawn, over everything
            self.map_tool.paint(painter)
        painter.end()

    def _draw_overlays(self, painter: QPainter) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self._draw_scale_bar(painter)
        self._draw_north_arrow(painter)
        if self.tiles is not None and self.tiles.attribution:
            font = QFont(self.font())
            font.setPointSizeF(max(font.pointSizeF() - 1.5, 6))
            painter.setFont(font)
            painter.setPen(QColor("#505050"))
            rect = QRectF(0, self.view.height - 18, self.view.width - 6, 16)
            painter.drawText(rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.tiles.attribution)
        if not len(self.workspace.layers):
            painter.setPen(QColor("#707070"))
            painter.setFont(self.font())
            painter.drawText(QRectF(0, 0, self.view.width, self.view.height), Qt.AlignmentFlag.AlignCenter, tr("Add a layer (File ▸ Add layer) or drop files here"))

    def _draw_scale_bar(self, painter: QPainter) -> None:
        ground = self.view.ground_resolution()
        metres = nice_scale_length(ground * 160)
        if metres <= 0:
            return
        length = metres / ground
        label = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"
        x0, y0 = 14.0, self.view.height - 20.0
        font = QFont(self.font())
        painter.setFont(font)
        text_w = painter.fontMetrics().horizontalAdvance(label)
        box = QRectF(x0 - 8, y0 - 24, length + text_w + 26, 34)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 200))
        painter.drawRoundedRect(box, 3, 3)
        pen = QPen(QColor("#222222"), 1.2)
        painter.setPen(pen)
        half = length / 2
        painter.setBrush(QColor("#222222"))
        painter.drawRect(QRectF(x0, y0 - 5, half, 5))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRect(QRectF(x0 + half, y0 - 5, half, 5))
        painter.drawText(QPointF(x0 + length + 8, y0 + 1), label)
        painter.drawText(QPointF(x0 - 3, y0 - 9), "0")

    def _draw_north_arrow(self, painter: QPainter) -> None:
        x, y = self.view.width - 30.0, 18.0
        painter.setPen(QPen(QColor("#222222"), 1))
        painter.setBrush(QColor("#222222"))
        painter.drawPolygon(QPolygonF([QPointF(x, y), QPointF(x - 7, y + 20), QPointF(x, y + 15)]))
        painter.setBrush(QColor("#ffffff"))
        painter.drawPolygon(QPolygonF([QPointF(x, y), QPointF(x + 7, y + 20), QPointF(x, y + 15)]))
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#222222"))
        painter.drawText(QRectF(x - 10, y + 20, 20, 16), Qt.AlignmentFlag.AlignCenter, "N")

    # ---- mouse and keys -----------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        pos = event.position().toPoint()
        space_drag = self._space_pan and event.button() == Qt.MouseButton.LeftButton
        if not space_drag and self.map_tool is not None and event.button() != Qt.MouseButton.MiddleButton:
            if self.map_tool.press(event.position(), event.button(), event.modifiers()):
                event.accept()
                return
        if event.button() == Qt.MouseButton.MiddleButton or space_drag or (event.button() == Qt.MouseButton.LeftButton and self.tool == "pan"):
            self._drag_origin = pos
            self._drag_offset = QPoint()
            self.setCursor(Qt.CursorShape.ClosedHandCursor)
        elif event.button() == Qt.MouseButton.LeftButton and self.tool in ("select", "identify"):
            self._band_origin = pos
            self._band.setGeometry(QRect(pos, QSize()))
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        pos = event.position()
        x, y = self.view.to_world(pos.x(), pos.y())
        self.cursorMoved.emit(float(x), float(y))
        if self._drag_origin is None and self.map_tool is not None:
            self.map_tool.move(pos, event.buttons())
        if self._drag_origin is not None:
            self._drag_offset = pos.toPoint() - self._drag_origin
            self.update()
        elif self._band_origin is not None and self.tool == "select":
            rect = QRect(self._band_origin, pos.toPoint()).normalized()
            if rect.width() > 3 or rect.height() > 3:
                self._band.setGeometry(rect)
                self._band.show()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event) -> None:
        self.cursorLeft.emit()
        super().leaveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        pos = event.position().toPoint()
        if self._drag_origin is None and self.map_tool is not None and self.map_tool.release(event.position(), event.button()):
            event.accept()
            return
        if self._drag_origin is not None:
            offset = pos - self._drag_origin
            self._drag_origin = None
            self._drag_offset = QPoint()
            self.set_tool(self.tool)
            if not offset.isNull():
                self.view.pan_pixels(offset.x(), offset.y())
                self._auto_fit = False
                self._view_changed()
            else:
                self.update()
        elif self._band_origin is not None:
            rect = QRect(self._band_origin, pos).normalized()
            self._band_origin = None
            self._band.hide()
            mode = _selection_mode(event.modifiers())
            if self.tool == "identify":
                self.identify_at(QPointF(pos))
            elif rect.width() <= 3 and rect.height() <= 3:
                self.select_at(QPointF(pos), mode if mode != "add" else "toggle")
            else:
                self.select_in_rect(QRectF(rect), mode)
        super().mouseReleaseEvent(event)

    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(ZOOM_STEP**steps, event.position())
        event.accept()

    def mouseDoubleClickEvent(self, event) -> None:
        if self.map_tool is not None and event.button() == Qt.MouseButton.LeftButton:
            self.map_tool.double_click(event.position())
            return
        if self.tool == "pan":
            self.zoom_by(2.0, event.position())

    def keyPressEvent(self, event) -> None:
        key = event.key()
        step = 80
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(ZOOM_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(1 / ZOOM_STEP)
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down):
            dx = {Qt.Key.Key_Left: step, Qt.Key.Key_Right: -step}.get(key, 0)
            dy = {Qt.Key.Key_Up: step, Qt.Key.Key_Down: -step}.get(key, 0)
            self.view.pan_pixels(dx, dy)
            self._auto_fit = False
            self._view_changed()
        elif key == Qt.Key.Key_Escape:
            if self.map_tool is not None:
                if not self.map_tool.cancel():  # nothing drawn: Esc leaves the tool
                    self.toolCancelled.emit()
            else:
                self.workspace.clear_selection()
        elif key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_pan = True  # Space held: a left drag pans whatever the tool
            self.setCursor(Qt.CursorShape.OpenHandCursor)
        else:
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space_pan = False
            self.setCursor(Qt.CursorShape.CrossCursor if self.map_tool is not None else Qt.CursorShape.OpenHandCursor)
            if self.map_tool is None:
                self.set_tool(self.tool)
        else:
            super().keyReleaseEvent(event)

    # ---- selection ----------------------------------------------------------------------
    def target_layer(self) -> Layer | None:
        """The layer clicks select in: the current layer, else the topmost visible one that can be drawn."""
        current = self.workspace.current_layer
        if current is not None and current.visible and not self.renderer.error(current) and getattr(current, "raster", None) is None:
            return current
        for layer in reversed(list(self.workspace.layers)):
            if layer.visible and len(layer.data) and not self.renderer.error(layer):
                return layer
        return None

    def select_at(self, pos: QPointF, mode: str = "replace") -> int | None:
        layer = self.target_layer()
        if layer is None:
            return None
        row = self.feature_at(layer, pos)
        if row is None:
            if mode == "replace":
                self.workspace.select(layer, [], "replace")
            return None
        self.workspace.select(layer, [row], mode)
        return row

    def feature_at(self, layer: Layer, pos: QPointF, drawn_only: bool = False) -> int | None:
        """The feature of ``layer`` under ``pos`` among the rows the filter keeps; ``drawn_only`` also
        skips the rows drawn as nothing (unfilled "not significant" cells)."""
        g = self.renderer.geometry(layer)
        if g is None or g.n_rows == 0:
            return None
        x, y = self.view.to_world(pos.x(), pos.y())
        tolerance = CLICK_TOLERANCE_PX * self.view.resolution
        mask = self.workspace.mask(layer)
        hidden = self.renderer.unfilled_rows(layer) if drawn_only else None
        if hidden is not None:
            mask = ~hidden if mask is None else mask & ~hidden
        return g.row_at(float(x), float(y), tolerance, mask)

    def select_in_rect(self, rect: QRectF, mode: str = "replace") -> int:
        layer = self.target_layer()
        if layer is None:
            return 0
        g = self.renderer.geometry(layer)
        if g is None:
            return 0
        x0, y1 = self.view.to_world(rect.left(), rect.top())
        x1, y0 = self.view.to_world(rect.right(), rect.bottom())
        rows = g.rows_in_box((float(x0), float(y0), float(x1), float(y1)))
        mask = self.workspace.mask(layer)
        if mask is not None:
            rows = rows[mask[rows]]
        self.workspace.select(layer, rows, mode)
        return int(rows.size)

    def identify_at(self, pos: QPointF) -> tuple[Layer | None, int]:
        """Report the topmost feature drawn under ``pos`` (what the eye sees there), whatever layer is current.

        Layers are searched top down; a feature drawn unfilled (a "not significant" cell) is
        not what the eye sees, so the search goes on beneath it.
        """
        for layer in reversed(list(self.workspace.layers)):
            if not layer.visible or layer.opacity <= 0 or self.renderer.error(layer):
                continue
            row = self.feature_at(layer, pos, drawn_only=True)
            if row is not None:
                self.identified.emit(layer, row)
                return layer, row
        self.identified.emit(None, -1)
        return None, -1

    def screen_position_of(self, layer: Layer, row: int) -> QPointF | None:
        """Where feature ``row`` of ``layer`` is drawn (its first point, or a point on its surface)."""
        g = self.renderer.geometry(layer)
        if g is None:
            return None
        hit = np.flatnonzero(g.prow == row)
        if hit.size:
            x, y = g.px[hit[0]], g.py[hit[0]]
        else:
            import shapely

            shapes_hit = np.flatnonzero(g.shape_rows == row)
            if not shapes_hit.size:
                return None
            p = shapely.point_on_surface(g.shapes[shapes_hit[0]])
            x, y = p.x, p.y
        sx, sy = self.view.to_screen(x, y)
        return QPointF(float(sx), float(sy))


def _rows_bounds(g, rows: np.ndarray):
    import shapely

    boxes = []
    pick = np.isin(g.prow, rows)
    if pick.any():
        boxes.append((g.px[pick].min(), g.py[pick].min(), g.px[pick].max(), g.py[pick].max()))
    shapes = g.shapes[np.isin(g.shape_rows, rows)]
    if shapes.size:
        boxes.append(tuple(shapely.total_bounds(shapes)))
    bounds = union_bounds(boxes)
    if bounds is not None and (bounds[2] - bounds[0] < 200 and bounds[3] - bounds[1] < 200):
        cx, cy = (bounds[0] + bounds[2]) / 2, (bounds[1] + bounds[3]) / 2
        bounds = (cx - 200, cy - 200, cx + 200, cy + 200)  # one point: show its street, not one metre
    return bounds


def _selection_mode(modifiers) -> str:
    if modifiers & Qt.KeyboardModifier.ControlModifier and modifiers & Qt.KeyboardModifier.ShiftModifier:
        return "subtract"
    if modifiers & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier):
        return "add"
    return "replace"


def _default_cache_dir():
    from pathlib import Path

    from PyQt6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation) or "."
    return Path(base) / "tiles"
