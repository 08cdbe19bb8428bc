"""The camera tool: click to place, drag to aim; a small panel edits field of view, range and kind.

Headings are compass degrees (clockwise from north), as in the cameras layer.
Web Mercator is conformal, so the bearing of a drag on screen is the bearing
on the ground. Every change is one undoable edit, and the renderer redraws the
coverage sector from the layer's columns, so it follows live.
"""

from __future__ import annotations

import math

import shapely
from PyQt6.QtCore import QPointF, QRectF, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QPen
from PyQt6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QLabel, QWidget

from ..i18n import tr
from .base import MapTool, empty_frame, next_id
from .edits import SetLayerDataCommand, replaced_values

CAMERA_COLUMNS = ["camera_id", "kind", "heading_deg", "fov_deg", "range_m", "status", "name"]
PICK_PX = 8.0
def N_(text: str) -> str:
    return text


KINDS = (("fixed", N_("Fixed (枪机)")), ("dome", N_("Dome (球机)")), ("checkpoint", N_("Checkpoint (卡口)")))


def bearing(x0: float, y0: float, x1: float, y1: float) -> float:
    """Compass bearing in degrees [0, 360) from (x0, y0) to (x1, y1) in a north-up plane."""
    return math.degrees(math.atan2(x1 - x0, y1 - y0)) % 360.0


class CameraTool(MapTool):
    name = "camera"

    def __init__(self, canvas, undo_stack, parent=None):
        super().__init__(canvas, undo_stack, parent)
        self.kind, self.fov_deg, self.range_m = "fixed", 70.0, 80.0
        self.current: tuple | None = None  # (layer, row) of the camera the panel edits
        self._placing: tuple[float, float] | None = None
        self._aim: tuple | None = None  # (layer, row, x, y) of an existing camera being re-aimed
        self._heading: float | None = None

    def hint(self) -> str:
        return tr("Camera: click to place, drag to set the heading; drag from an existing camera to re-aim it; Esc cancels")

    def press(self, pos, button, modifiers) -> bool:
        if button != Qt.MouseButton.LeftButton:
            return False
        hit = self._pick(pos)
        if hit is not None:
            layer, row, x, y = hit
            self._aim, self.current = hit, (layer, row)
            self._heading = None
        else:
            self._placing = self.world(pos)
            self._heading = None
        self.changed.emit()
        return True

    def move(self, pos, buttons) -> bool:
        origin = self._placing or (self._aim[2:] if self._aim else None)
        if origin is None:
            return False
        p0 = self.screen(*origin)
        if (pos - p0).manhattanLength() > 4:
            x, y = self.world(pos)
            self._heading = bearing(origin[0], origin[1], x, y)
            self.message.emit(tr("Heading {deg:.0f}°").format(deg=self._heading))
            self.changed.emit()
        return True

    def release(self, pos, button) -> bool:
        if self._placing is not None:
            x, y = self._placing
            self._placing = None
            self.place(x, y, self._heading if self._heading is not None else 0.0)
        elif self._aim is not None:
            layer, row, _, _ = self._aim
            self._aim = None
            if self._heading is not None:
                self.set_values(layer, row, {"heading_deg": round(self._heading, 1)}, tr("Aim camera"))
        else:
            return False
        self._heading = None
        self.changed.emit()
        return True

    def cancel(self) -> bool:
        had = self._placing is not None or self._aim is not None
        self._placing = self._aim = self._heading = None
        self.changed.emit()
        return had

    def place(self, x: float, y: float, heading: float):
        layer, _ = self.target_layer("cameras", lambda: empty_frame(CAMERA_COLUMNS))
        n = len(layer.data) + 1
        row = {"camera_id": next_id(layer.data, "camera_id", "N"), "kind": self.kind, "heading_deg": round(float(heading), 1),
               "fov_deg": 360.0 if self.kind == "dome" else float(self.fov_deg), "range_m": float(self.range_m), "status": "planned",
               "name": tr("New camera {n}").format(n=n)}
        layer, row_index = self.add_feature("cameras", row, shapely.Point(x, y), lambda: empty_frame(CAMERA_COLUMNS), tr("Place camera"))
        self.current = (layer, row_index)
        return layer, row_index

    def set_values(self, layer, row: int, values: dict, text: str) -> None:
        self.undo_stack.push(SetLayerDataCommand(layer, replaced_values(layer.data, row, values), text))
        self.current = (layer, row)
        self.committed.emit(layer, row)

    def _pick(self, pos: QPointF):
        for layer in self.workspace.layers:
            if layer.kind != "cameras" or not layer.visible or layer.data.crs is None:
                continue
            from .base import DISPLAY, transformer

            xs, ys = transformer(layer.data.crs, DISPLAY).transform(layer.data.geometry.x.to_numpy(), layer.data.geometry.y.to_numpy())
            for row, (x, y) in enumerate(zip(xs, ys)):
                p = self.screen(x, y)
                if abs(p.x() - pos.x()) <= PICK_PX and abs(p.y() - pos.y()) <= PICK_PX:
                    return (layer, row, float(x), float(y))
        return None

    def paint(self, painter) -> None:
        origin = self._placing or (self._aim[2:] if self._aim else None)
        if origin is None:
            return
        centre = self.screen(*origin)
        radius = self.range_m / max(self.canvas.view.ground_resolution(), 1e-9)
        painter.setPen(QPen(QColor("#0d47a1"), 1.5))
        painter.setBrush(QColor(13, 71, 161, 70))
        rect = QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)
        heading = self._heading if self._heading is not None else 0.0
        if self.kind == "dome":
            painter.drawEllipse(rect)
        else:  # Qt angles: counter-clockwise from 3 o'clock, in 1/16 degree
            start = 90.0 - heading - self.fov_deg / 2
            painter.drawPie(rect, int(start * 16), int(self.fov_deg * 16))
        painter.setBrush(QColor("#0d47a1"))
        painter.drawEllipse(centre, 3.5, 3.5)


class CameraPanel(QWidget):
    """Field of view, range and kind of the camera being edited (and of the next one placed)."""

    edited = pyqtSignal()

    def __init__(self, tool: CameraTool, parent=None):
        super().__init__(parent)
        self.tool = tool
        self.setObjectName("cameraPanel")
        form = QFormLayout(self)
        self.kind = QComboBox(self, objectName="cameraKind")
        for value, label in KINDS:
            self.kind.addItem(tr(label), value)
        self.kind.setToolTip(tr("Dome cameras see all around; fixed and checkpoint cameras see a sector"))
        self.fov = QDoubleSpinBox(self, objectName="cameraFov", suffix="°", decimals=0)
        self.fov.setRange(1, 360)
        self.fov.setToolTip(tr("Field of view: the opening angle of the sector"))
        self.range = QDoubleSpinBox(self, objectName="cameraRange", suffix=" m", decimals=0)
        self.range.setRange(1, 5000)
        self.range.setToolTip(tr("How far the camera sees usefully (faces, plates)"))
        self.which = QLabel(self, objectName="cameraWhich")
        form.addRow(tr("Camera"), self.which)
        form.addRow(tr("Kind"), self.kind)
        form.addRow(tr("Field of view"), self.fov)
        form.addRow(tr("Range"), self.range)
        self._loading = False
        self.load()
        self.kind.currentIndexChanged.connect(self._apply)
        self.fov.valueChanged.connect(self._apply)
        self.range.valueChanged.connect(self._apply)
        tool.committed.connect(lambda layer, row: self.load())

    def load(self) -> None:
        """Show the current camera's values (or the defaults for the next one)."""
        self._loading = True  # block the echo: loading must not write back
        try:
            kind, fov, reach, name = self.tool.kind, self.tool.fov_deg, self.tool.range_m, tr("(next placed)")
            if self.tool.current is not None:
                layer, row = self.tool.current
                if row < len(layer.data):
                    data = layer.data.iloc[row]
                    kind = str(data.get("kind", kind))
                    fov = float(data.get("fov_deg", fov)) if data.get("fov_deg") == data.get("fov_deg") else fov
                    reach = float(data.get("range_m", reach)) if data.get("range_m") == data.get("range_m") else reach
                    name = str(data.get("name", data.get("camera_id", "")))
            self.kind.setCurrentIndex(max(self.kind.findData(kind), 0))
            self.fov.setValue(fov)
            self.range.setValue(reach)
            self.which.setText(name)
        finally:
            self._loading = False

    def _apply(self) -> None:
        if self._loading:
            return
        tool = self.tool
        tool.kind, tool.fov_deg, tool.range_m = self.kind.currentData(), self.fov.value(), self.range.value()
        if tool.current is not None:
            layer, row = tool.current
            values = {"kind": tool.kind, "fov_deg": 360.0 if tool.kind == "dome" else tool.fov_deg, "range_m": tool.range_m}
            tool.set_values(layer, row, values, tr("Edit camera"))
        self.edited.emit()
