"""Measure distance (a polyline) or area (a polygon); nothing is saved."""

from __future__ import annotations

from ..i18n import tr
from .base import format_area, format_length, geodesic_area_m2
from .sketch import SketchTool


class MeasureTool(SketchTool):
    name = "measure"
    kind = "__none__"  # edits no layer
    colour = "#e65100"

    def __init__(self, canvas, undo_stack, parent=None):
        super().__init__(canvas, undo_stack, parent)
        self.done = False

    def hint(self) -> str:
        return tr("Measure: click points, double-click to finish; with three or more points the area is shown too")

    def status_text(self) -> str:
        text = tr("Distance {length}").format(length=format_length(self.length_m()))
        if len(self.vertices) >= 3:
            text += "  " + tr("Area {area}").format(area=format_area(geodesic_area_m2(self.xy())))
        return text

    def add_vertex(self, x: float, y: float) -> None:
        if self.done:  # a click after a finished measurement starts a new one
            self.vertices.clear()
            self.done = False
        super().add_vertex(x, y)

    def finish(self):
        self.done = True
        self.message.emit(self.status_text())
        self.changed.emit()
        return None

    def cancel(self) -> bool:
        self.done = False
        return super().cancel()
