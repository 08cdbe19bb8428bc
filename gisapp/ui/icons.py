"""Icons: the SVGs in ``resources/icons`` and legend swatches drawn on the fly."""

from __future__ import annotations

from functools import cache, lru_cache

from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from .i18n import RESOURCES
from .styles import hex_to_rgba

ICONS = RESOURCES / "icons"


def qcolor(colour: str) -> QColor:
    """A QColor from a style colour. Styles write alpha last (#rrggbbaa); Qt would read it first."""
    r, g, b, a = hex_to_rgba(colour)
    return QColor(r, g, b, a)


@cache
def icon(name: str) -> QIcon:
    path = ICONS / f"{name}.svg"
    return QIcon(str(path)) if path.is_file() else QIcon()


@lru_cache(maxsize=512)
def swatch(colour: str, shape: str = "polygon", size: int = 16, outline: str | None = None) -> QIcon:
    """A legend symbol: a dot for points, a stroke for lines, a box for polygons."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    fill = qcolor(colour)
    edge = qcolor(outline) if outline else fill.darker(150)
    if fill.alpha() == 0:
        edge = QColor("#707070")
    if shape == "point":
        painter.setPen(QPen(edge, 1))
        painter.setBrush(fill)
        painter.drawEllipse(QRectF(3.5, 3.5, size - 7, size - 7))
    elif shape == "line":
        painter.setPen(QPen(fill, 2.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        painter.drawLine(QPointF(2, size - 4), QPointF(size - 2, 4))
    elif shape == "sector":
        painter.setPen(QPen(edge, 1))
        wedge = QColor(fill)
        wedge.setAlphaF(0.45)
        painter.setBrush(wedge)
        painter.drawPie(QRectF(1, 1, size * 2 - 4, size * 2 - 4).translated(-size / 2 + 1, 0), 60 * 16, 60 * 16)
        painter.setBrush(fill)
        painter.drawEllipse(QPointF(size / 2, size - 3), 2.2, 2.2)
    else:
        painter.setPen(QPen(edge, 1))
        painter.setBrush(fill)
        painter.drawRect(QRectF(2.5, 2.5, size - 5, size - 5))
    painter.end()
    return QIcon(pixmap)
