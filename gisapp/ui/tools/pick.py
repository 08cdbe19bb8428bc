"""Pick one point on the map: the tool hands the clicked position (display coordinates) to whoever asked."""

from __future__ import annotations

from PyQt6.QtCore import QPointF, Qt, pyqtSignal

from ..i18n import tr
from .base import MapTool


class PickPointTool(MapTool):
    """One left click places; Esc gives the mouse back. ``picked(x, y)`` is in the display CRS (EPSG:3857)."""

    name = "pick_point"
    picked = pyqtSignal(float, float)

    def __init__(self, canvas, undo_stack, parent=None, hint: str | None = None):
        super().__init__(canvas, undo_stack, parent)
        self._hint = hint

    def press(self, pos: QPointF, button, modifiers) -> bool:
        if button != Qt.MouseButton.LeftButton:
            return False
        x, y = self.world(pos)
        self.picked.emit(x, y)
        return True

    def hint(self) -> str:
        return self._hint or tr("Click the map where the row belongs; Esc cancels")
