"""Symbols beyond fills and dots: marker shapes, direction arrows and start points of lines, hatching.

A planned patrol tour must show where it starts and which way it runs; a
proposed camera site must not look like an incident; a blind spot must read
apart from the red hot cells beside it. These are drawn in screen pixels, so
they keep their size at every scale.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF

from ..icons import qcolor
from .view import MapView

#: Qt brush patterns for the hatches a style may name (:data:`gisapp.palette.HATCHES`).
HATCH_PATTERNS = {
    "diagonal": Qt.BrushStyle.BDiagPattern,
    "back_diagonal": Qt.BrushStyle.FDiagPattern,
    "cross": Qt.BrushStyle.DiagCrossPattern,
}
#: Screen distance between two direction arrows along a line.
ARROW_SPACING_PX = 110.0
#: Lines longer than this many vertices in view get no arrows (a road network, not a tour).
MAX_ARROW_VERTICES = 200_000


def marker_path(symbol: str, size: float) -> QPainterPath:
    """A marker of diameter ``size`` centred on (0, 0): circle, square, triangle, diamond or star."""
    r = size / 2.0
    path = QPainterPath()
    if symbol == "square":
        path.addRect(QRectF(-r * 0.85, -r * 0.85, r * 1.7, r * 1.7))
    elif symbol == "triangle":
        path.addPolygon(QPolygonF([QPointF(0, -r), QPointF(r * 0.95, r * 0.75), QPointF(-r * 0.95, r * 0.75), QPointF(0, -r)]))
    elif symbol == "diamond":
        path.addPolygon(QPolygonF([QPointF(0, -r), QPointF(r, 0), QPointF(0, r), QPointF(-r, 0), QPointF(0, -r)]))
    elif symbol == "star":
        points = []
        for i in range(11):
            radius = r if i % 2 == 0 else r * 0.45
            angle = math.pi / 2 + i * math.pi / 5
            points.append(QPointF(radius * math.cos(angle), -radius * math.sin(angle)))
        path.addPolygon(QPolygonF(points))
    else:
        path.addEllipse(QRectF(-r, -r, size, size))
    path.closeSubpath()
    return path


def hatch_brush(hatch: str, colour: str) -> QBrush:
    return QBrush(qcolor(colour), HATCH_PATTERNS.get(hatch, Qt.BrushStyle.BDiagPattern))


def _screen_parts(view: MapView, lines: np.ndarray) -> list[np.ndarray]:
    """Each line part's vertices in screen pixels (n x 2), parts outside the view dropped."""
    parts = shapely.get_parts(lines)
    xmin, ymin, xmax, ymax = view.extent
    box = shapely.box(xmin, ymin, xmax, ymax)
    parts = parts[shapely.intersects(parts, box)]
    out = []
    for part in parts:
        xy = shapely.get_coordinates(part)
        if len(xy) < 2:
            continue
        sx, sy = view.to_screen(xy[:, 0], xy[:, 1])
        out.append(np.column_stack([sx, sy]))
    return out


def draw_direction_arrows(painter: QPainter, view: MapView, lines: np.ndarray, colour: str, width: float) -> int:
    """Chevrons pointing along each line every :data:`ARROW_SPACING_PX` pixels; returns how many were drawn."""
    if lines.size == 0 or int(shapely.get_num_coordinates(lines).sum()) > MAX_ARROW_VERTICES:
        return 0
    size = max(5.0, width * 1.8)
    pen = QPen(QColor("#ffffff"), max(1.5, width * 0.45))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    drawn = 0
    painter.save()
    for xy in _screen_parts(view, lines):
        steps = np.hypot(*np.diff(xy, axis=0).T)
        along = np.concatenate([[0.0], np.cumsum(steps)])
        if along[-1] < ARROW_SPACING_PX * 0.6:
            continue
        for at in np.arange(ARROW_SPACING_PX / 2, along[-1], ARROW_SPACING_PX):
            i = min(int(np.searchsorted(along, at, side="right")) - 1, len(steps) - 1)
            if steps[i] <= 0:
                continue
            t = (at - along[i]) / steps[i]
            x, y = xy[i] + t * (xy[i + 1] - xy[i])
            dx, dy = (xy[i + 1] - xy[i]) / steps[i]
            # a chevron ">" pointing along (dx, dy), drawn in white over the line so it reads on any colour
            back_x, back_y = x - dx * size, y - dy * size
            chevron = QPolygonF([QPointF(back_x - dy * size * 0.7, back_y + dx * size * 0.7), QPointF(x, y),
                                 QPointF(back_x + dy * size * 0.7, back_y - dx * size * 0.7)])
            painter.setPen(QPen(qcolor(colour), pen.widthF() + 2.0, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin))
            painter.drawPolyline(chevron)
            painter.setPen(pen)
            painter.drawPolyline(chevron)
            drawn += 1
    painter.restore()
    return drawn


def draw_line_starts(painter: QPainter, view: MapView, lines: np.ndarray, colour: str, label: str, font: QFont) -> int:
    """A ringed dot and ``label`` at the first vertex of each line (one per distinct start); returns how many."""
    starts = set()
    for line in lines:
        first = shapely.get_coordinates(shapely.get_parts(line)[:1])
        if len(first):
            starts.add((round(float(first[0, 0]), 1), round(float(first[0, 1]), 1)))
    painter.save()
    painter.setFont(font)
    metrics = painter.fontMetrics()
    drawn = 0
    for x, y in sorted(starts):
        sx, sy = (float(v) for v in view.to_screen(x, y))
        if not (-20 <= sx <= view.width + 20 and -20 <= sy <= view.height + 20):
            continue
        painter.setPen(QPen(QColor("#ffffff"), 2.5))
        painter.setBrush(qcolor(colour))
        painter.drawEllipse(QPointF(sx, sy), 8.0, 8.0)
        if label:
            path = QPainterPath()
            path.addText(QPointF(sx + 11, sy + metrics.ascent() / 2 - 1), font, label)
            painter.strokePath(path, QPen(QColor(255, 255, 255, 235), 3.0))
            painter.fillPath(path, qcolor(colour))
        drawn += 1
    painter.restore()
    return drawn
