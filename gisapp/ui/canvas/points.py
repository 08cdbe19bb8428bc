"""Draw point layers fast: sprites when few are visible, numpy rasterisation when many are.

Level of detail: above ``SPRITE_LIMIT`` visible points, the points are binned
to pixels with numpy, each pixel takes the class of a point on it, the class
image is dilated to the marker's disc and a one-pixel outline, and a colour
lookup turns it into one ARGB image that QPainter draws once. No Python object
is made per point. Below the limit each point is an antialiased sprite.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QImage, QPainter, QPen, QPixmap

from ..icons import qcolor
from ..styles import darker, hex_to_rgba
from .symbols import marker_path
from .view import MapView

#: At most this many visible points are drawn one by one as antialiased sprites.
SPRITE_LIMIT = 4000
#: Rasterised markers get an outline only below this many visible points.
OUTLINE_LIMIT = 20000


def screen_positions(view: MapView, x: np.ndarray, y: np.ndarray, keep: np.ndarray | None, margin: float):
    """Screen coordinates of the points inside the view (plus ``margin`` px) and their indices."""
    xmin, ymin, xmax, ymax = view.extent
    pad = margin * view.resolution
    inside = (x >= xmin - pad) & (x <= xmax + pad) & (y >= ymin - pad) & (y <= ymax + pad)
    if keep is not None:
        inside &= keep
    index = np.flatnonzero(inside)
    inv = 1.0 / view.resolution
    return (x[index] - xmin) * inv, (ymax - y[index]) * inv, index


class PointArrays:
    """A point layer's display coordinates as float32 offsets from their centre, for fast binning.

    float32 halves the memory traffic of the per-frame arithmetic; offsets from an origin keep
    millimetre precision (Web Mercator values themselves need float64).
    """

    def __init__(self, x: np.ndarray, y: np.ndarray):
        finite = np.isfinite(x) & np.isfinite(y)
        self.ox = float(np.mean(x[finite])) if finite.any() else 0.0
        self.oy = float(np.mean(y[finite])) if finite.any() else 0.0
        self.x = (x - self.ox).astype(np.float32)
        self.y = (y - self.oy).astype(np.float32)
        self.bounds = (float(x[finite].min()), float(y[finite].min()), float(x[finite].max()), float(y[finite].max())) if finite.any() else None
        self.all_finite = bool(finite.all())

    def screen(self, view: MapView, keep: np.ndarray | None, margin: float):
        """(sx, sy, index, exact): float32 screen positions of the points in view; ``index`` is None for all of them."""
        xmin, ymin, xmax, ymax = view.extent
        pad = margin * view.resolution
        b = self.bounds
        inv = np.float32(1.0 / view.resolution)
        a, c = np.float32(xmin - self.ox), np.float32(ymax - self.oy)
        if b is not None and self.all_finite and b[0] >= xmin and b[2] <= xmax and b[1] >= ymin and b[3] <= ymax:
            # The whole layer is in view (the usual overview): no per-point bounds test.
            index = None if keep is None else np.flatnonzero(keep)
        else:
            lo_x, hi_x = np.float32(xmin - pad - self.ox), np.float32(xmax + pad - self.ox)
            lo_y, hi_y = np.float32(ymin - pad - self.oy), np.float32(ymax + pad - self.oy)
            inside = (self.x >= lo_x) & (self.x <= hi_x) & (self.y >= lo_y) & (self.y <= hi_y)
            if keep is not None:
                inside &= keep
            index = np.flatnonzero(inside)
        x = self.x if index is None else self.x[index]
        y = self.y if index is None else self.y[index]
        sx = x - a
        sx *= inv
        sy = c - y
        sy *= inv
        return sx, sy, index


def draw_points(
    painter: QPainter,
    view: MapView,
    sx: np.ndarray,
    sy: np.ndarray,
    codes: np.ndarray,
    colours: list[str],
    size: float,
    outline: str | None = "auto",
    symbol: str = "circle",
) -> str:
    """Draw markers of diameter ``size`` px at screen positions; ``codes`` index ``colours``.

    ``symbol`` shapes the sprites (circle, square, triangle, diamond, star); rasterised
    markers are discs. Returns ``"sprites"`` or ``"raster"``, the level of detail used.
    """
    if sx.size == 0:
        return "none"
    if len(colours) > 31:  # many classes share few colours (clusters cycle a palette): one class per colour
        distinct, inverse = np.unique(np.asarray(colours), return_inverse=True)
        codes, colours = inverse[codes].astype(np.int16), [str(c) for c in distinct]
    if sx.size <= SPRITE_LIMIT:
        _draw_sprites(painter, sx, sy, codes, colours, size, outline, symbol)
        return "sprites"
    _draw_raster(painter, view, sx, sy, codes, colours, size, outline)
    return "raster"


def _outline_for(colour: str, outline: str | None) -> str | None:
    return darker(colour, 0.55) if outline == "auto" else outline


@lru_cache(maxsize=256)
def _sprite(colour: str, size: float, outline: str | None, symbol: str = "circle") -> QPixmap:
    extent = int(np.ceil(size + 3))
    pixmap = QPixmap(extent, extent)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(qcolor(outline)) if outline else QPen(Qt.PenStyle.NoPen)
    pen.setWidthF(1.0 if size < 10 else 1.6)
    painter.setPen(pen)
    painter.setBrush(qcolor(colour))
    if symbol == "circle":
        painter.drawEllipse(QRectF((extent - size) / 2, (extent - size) / 2, size, size))
    else:
        painter.translate(extent / 2, extent / 2)
        painter.drawPath(marker_path(symbol, size))
    painter.end()
    return pixmap


def _draw_sprites(painter, sx, sy, codes, colours, size, outline, symbol="circle") -> None:
    sprites = [_sprite(c, float(size), _outline_for(c, outline), symbol) for c in colours]
    half = sprites[0].width() / 2 if sprites else 0
    # Draw class by class so that colours layer consistently.
    for code in np.unique(codes):
        sprite = sprites[int(code)]
        pick = codes == code
        for px, py in zip((sx[pick] - half).tolist(), (sy[pick] - half).tolist()):
            painter.drawPixmap(QPointF(px, py), sprite)


@lru_cache(maxsize=32)
def _disc_levels(radius: float) -> tuple[tuple[int, tuple[tuple[int, int], ...]], ...]:
    """Offsets of a disc of ``radius`` px grouped by distance; level 0 is the farthest ring."""
    r = int(np.ceil(radius))
    dy, dx = np.mgrid[-r : r + 1, -r : r + 1]
    d2 = dx * dx + dy * dy
    inside = d2 <= radius * radius + 0.25
    distances = sorted(set(d2[inside].tolist()), reverse=True)
    return tuple(
        (level, tuple(zip(dy[inside & (d2 == dist)].tolist(), dx[inside & (d2 == dist)].tolist())))
        for level, dist in enumerate(distances)
    )


def _premultiplied(colour: str, alpha_scale: float = 1.0) -> int:
    r, g, b, a = hex_to_rgba(colour)
    a = int(round(a * alpha_scale))
    f = a / 255.0
    return (a << 24) | (int(r * f) << 16) | (int(g * f) << 8) | int(b * f)


def class_image(view: MapView, sx, sy, codes, radius: float, with_outline: bool) -> np.ndarray:
    """The H x W int16 class of each pixel: -1 empty, -2 outline, k >= 0 class k."""
    w, h = view.width, view.height
    r = max(radius, 0.5)
    pad = int(np.ceil(r)) + 2
    pw = w + 2 * pad
    ix = sx.astype(np.int32) + pad
    iy = sy.astype(np.int32) + pad
    ok = (ix >= 0) & (ix < pw) & (iy >= 0) & (iy < h + 2 * pad)
    empty = np.int16(-30000)
    seeds = np.full((h + 2 * pad) * pw, empty, dtype=np.int16)
    if ok.all():
        seeds[iy * pw + ix] = codes
    else:
        seeds[iy[ok] * pw + ix[ok]] = codes[ok]
    seeds = seeds.reshape(h + 2 * pad, pw)
    # Dilate the seeds to the marker disc. Each candidate carries (nearness, class) packed as
    # nearness * 32 + class, so the maximum takes the nearest point's class: overlapping
    # markers of different classes mix as they would when drawn, instead of one class winning.
    out = np.full((h, w), empty, dtype=np.int16)
    for level, offsets in _disc_levels(r):
        shifted = seeds + np.int16(level * 32) if level else seeds
        for dy, dx in offsets:
            np.maximum(out, shifted[pad + dy : pad + dy + h, pad + dx : pad + dx + w], out=out)
    filled = out >= 0
    out = np.where(filled, out & 31, np.int16(-1)).astype(np.int16)
    if with_outline:
        ring = np.zeros_like(filled)
        ring[1:, :] |= filled[:-1, :]
        ring[:-1, :] |= filled[1:, :]
        ring[:, 1:] |= filled[:, :-1]
        ring[:, :-1] |= filled[:, 1:]
        out[ring & ~filled] = -2
    return out


def _draw_raster(painter, view, sx, sy, codes, colours, size, outline) -> None:
    # Outlines help a few hundred markers stand apart; over tens of thousands they only add noise.
    with_outline = outline is not None and size >= 3 and sx.size < OUTLINE_LIMIT
    # A quarter pixel more than the radius rounds the small integer discs (a 4 px marker is not a plus sign).
    classes = class_image(view, sx, sy, codes, size / 2.0 + 0.25, with_outline)
    outline_colour = _outline_for(colours[0], outline) if outline == "auto" and len(colours) == 1 else (outline if outline not in (None, "auto") else "#303030")
    lut = np.zeros(len(colours) + 2, dtype=np.uint32)
    lut[0] = _premultiplied(outline_colour, 0.75) if with_outline else 0
    lut[1] = 0
    lut[2:] = [_premultiplied(c) for c in colours]
    pixels = lut[classes + 2]
    image = QImage(pixels.data, view.width, view.height, view.width * 4, QImage.Format.Format_ARGB32_Premultiplied)
    painter.drawImage(0, 0, image)
    del image  # the QImage borrows ``pixels``; drop it before the array goes
