"""Map furniture for matplotlib: fast collections from shapely, scale bar, north arrow, labels.

Geometries are drawn as one collection per layer (not one artist per
feature), which keeps a 5,000-cell hotspot map quick and the PDF small.
Labels are placed greedily, most important first: each label tries a list
of positions around its anchor and takes the first that overlaps no label
and no obstacle already placed; a label that fits nowhere is left out rather
than printed over another (and reported).
"""

from __future__ import annotations

import math

import numpy as np
import pyproj
import shapely
from matplotlib import patheffects
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.patches import Polygon as PolygonPatch
from matplotlib.patches import Rectangle
from matplotlib.path import Path
from matplotlib.transforms import Bbox

from gisapp.layers.transformers import transformer

WGS84 = pyproj.CRS(4326)

HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]


# --------------------------------------------------------------------------- collections


def polygon_paths(geometries) -> list[Path]:
    """One compound path per polygon or multipolygon (holes included)."""
    paths = []
    for geometry in geometries:
        if geometry is None or geometry.is_empty:
            continue
        vertices, codes = [], []
        for part in shapely.get_parts(geometry):
            for ring in [part.exterior, *part.interiors]:
                coords = np.asarray(ring.coords)
                if len(coords) < 3:
                    continue
                ring_codes = np.full(len(coords), Path.LINETO, dtype=np.uint8)
                ring_codes[0], ring_codes[-1] = Path.MOVETO, Path.CLOSEPOLY
                vertices.append(coords[:, :2])
                codes.append(ring_codes)
        if vertices:
            paths.append(Path(np.concatenate(vertices), np.concatenate(codes)))
    return paths


def add_polygons(ax, geometries, merge: bool = False, **style) -> PathCollection | None:
    """One collection for ``geometries``; ``merge`` joins them into one compound path (one style, many shapes:
    a PDF then holds one path instead of thousands, which draws and prints much faster)."""
    paths = polygon_paths(geometries)
    if not paths:
        return None
    if merge:
        paths = [Path(np.concatenate([p.vertices for p in paths]), np.concatenate([p.codes for p in paths]))]
    collection = PathCollection(paths, **style)
    ax.add_collection(collection, autolim=False)
    return collection


def line_segments(geometries) -> list[np.ndarray]:
    lines = []
    for geometry in geometries:
        if geometry is None or geometry.is_empty:
            continue
        for part in shapely.get_parts(geometry):
            coords = shapely.get_coordinates(part)
            if len(coords) >= 2:
                lines.append(coords)
    return lines


def add_lines(ax, geometries, widths=None, **style) -> LineCollection | None:
    segments, repeated = [], []
    widths = None if widths is None else list(widths)
    for i, geometry in enumerate(geometries):
        parts = line_segments([geometry])
        segments.extend(parts)
        if widths is not None:
            repeated.extend([widths[i]] * len(parts))
    if not segments:
        return None
    collection = LineCollection(segments, linewidths=repeated if widths is not None else style.pop("linewidths", 1.0), **style)
    ax.add_collection(collection, autolim=False)
    return collection


# --------------------------------------------------------------------------- extent


def fit_extent(bounds, aspect: float, pad: float = 0.06, minimum: float = 500.0) -> tuple[float, float, float, float]:
    """``bounds`` padded and widened to the frame's ``aspect`` (width / height), centred."""
    x0, y0, x1, y1 = bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w = max(x1 - x0, minimum) * (1 + 2 * pad)
    h = max(y1 - y0, minimum) * (1 + 2 * pad)
    if w / h < aspect:
        w = h * aspect
    else:
        h = w / aspect
    return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2


# --------------------------------------------------------------------------- scale bar and north arrow


def nice_length(target: float) -> float:
    """The 1, 2 or 5 x 10^k at or below ``target``."""
    if target <= 0:
        return 1.0
    exponent = math.floor(math.log10(target))
    for step in (5, 2, 1):
        if step * 10**exponent <= target:
            return step * 10**exponent
    return 10**exponent


def scale_bar(ax, extent, fontsize: float, segments: int = 4, caption: str | None = None) -> Bbox:
    """A metric scale bar in the lower-left corner, with the numeric scale (``caption``, e.g. 1:25,000) above it;
    returns its display box (an obstacle for labels)."""
    x0, y0, x1, y1 = extent
    width, height = x1 - x0, y1 - y0
    length = nice_length(width * 0.22)
    unit, divisor = ("km", 1000.0) if length >= 1000 else ("m", 1.0)
    bar_h = height * 0.008
    left, bottom = x0 + width * 0.03, y0 + height * 0.035
    pad_x, pad_y = width * 0.012, height * 0.012
    extra = height * 0.04 if caption else 0.0
    back = Rectangle((left - pad_x, bottom - pad_y), length + 2 * pad_x + width * 0.05, bar_h + height * 0.05 + pad_y + extra,
                     facecolor="white", edgecolor="#9aa4ae", linewidth=0.4, alpha=0.9, zorder=20)
    ax.add_patch(back)
    step = length / segments
    for i in range(segments):
        ax.add_patch(Rectangle((left + i * step, bottom), step, bar_h, facecolor="#222222" if i % 2 == 0 else "white",
                               edgecolor="#222222", linewidth=0.5, zorder=21))
    for value in (0, length / 2, length):
        text = f"{value / divisor:g}"
        ax.text(left + value, bottom + bar_h + height * 0.008, text, ha="center", va="bottom", fontsize=fontsize, zorder=22)
    ax.text(left + length + width * 0.012, bottom + bar_h / 2, unit, ha="left", va="center", fontsize=fontsize, zorder=22)
    if caption:
        ax.text(left, bottom + bar_h + height * 0.05, caption, ha="left", va="bottom", fontsize=fontsize, fontweight="bold", zorder=22)
    return back.get_window_extent()


def north_angle(crs, x: float, y: float) -> float:
    """Angle (degrees, anticlockwise from the map's up) of true north at ``(x, y)``."""
    crs = pyproj.CRS.from_user_input(crs)
    to_lonlat = transformer(crs, WGS84)  # cached: building one costs 0.15 s
    to_map = transformer(WGS84, crs)
    lon, lat = to_lonlat.transform(x, y)
    nx, ny = to_map.transform(lon, lat + 0.01)
    return math.degrees(math.atan2(-(nx - x), ny - y))


def north_arrow(ax, extent, crs, fontsize: float) -> Bbox:
    """A two-tone north arrow in the upper-right corner, turned to true north."""
    x0, y0, x1, y1 = extent
    width, height = x1 - x0, y1 - y0
    size = min(width, height) * 0.055
    cx, cy = x1 - width * 0.045, y1 - height * 0.10
    angle = math.radians(north_angle(crs, (x0 + x1) / 2, (y0 + y1) / 2))
    rot = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])

    def place(points):
        return (np.asarray(points) * size) @ rot.T + [cx, cy]

    ax.add_patch(PolygonPatch(place([[0, 0.6], [-0.28, -0.45], [0, -0.22]]), closed=True, facecolor="#222222", edgecolor="#222222", linewidth=0.6, zorder=21))
    ax.add_patch(PolygonPatch(place([[0, 0.6], [0.28, -0.45], [0, -0.22]]), closed=True, facecolor="white", edgecolor="#222222", linewidth=0.6, zorder=21))
    tip = place([[0, 0.95]])[0]
    ax.text(tip[0], tip[1], "北", ha="center", va="center", fontsize=fontsize * 1.15, fontweight="bold", zorder=22, path_effects=HALO)
    corners = ax.transData.transform(place([[-0.5, -0.6], [0.5, -0.6], [0.5, 1.25], [-0.5, 1.25]]))
    return Bbox.from_extents(corners[:, 0].min(), corners[:, 1].min(), corners[:, 0].max(), corners[:, 1].max())


# --------------------------------------------------------------------------- labels


#: Positions tried around an anchor: (x, y) in units of (feature radius + gap), extra lines of text
#: up or down, and the alignment. Sideways first (reads best next to a small area), then above and
#: below, then the diagonals, then further out.
_POSITIONS = [
    (1, 0, 0, "left", "center"),
    (-1, 0, 0, "right", "center"),
    (0, 1, 0.6, "center", "bottom"),
    (0, -1, -0.6, "center", "top"),
    (0.7, 0.7, 0.6, "left", "bottom"),
    (-0.7, 0.7, 0.6, "right", "bottom"),
    (0.7, -0.7, -0.6, "left", "top"),
    (-0.7, -0.7, -0.6, "right", "top"),
    (0, 1, 1.9, "center", "bottom"),
    (0, -1, -1.9, "center", "top"),
    (1.8, 0, 0, "left", "center"),
    (-1.8, 0, 0, "right", "center"),
]


def place_labels(ax, renderer, labels: list[dict], obstacles: list[Bbox], frame: Bbox) -> list[str]:
    """Place ``labels`` (dicts: text, x, y, radius_pt, priority, style) without overlaps; return those left out."""
    placed = [b for b in obstacles if b is not None]
    dropped = []
    for label in sorted(labels, key=lambda item: item["priority"]):
        radius = label.get("radius_pt", 0.0) + 2.5
        line = float(label.get("style", {}).get("fontsize", 8))
        positions = ([(0, 0, 0, "center", "center")] if label.get("inside") else []) + _POSITIONS
        for dx, dy, lines, ha, va in positions:
            artist = ax.annotate(
                label["text"], (label["x"], label["y"]), xytext=(dx * radius, dy * radius + lines * line), textcoords="offset points",
                ha=ha, va=va, zorder=30, path_effects=HALO, annotation_clip=False, **label.get("style", {}),
            )
            box = artist.get_window_extent(renderer).padded(1.5)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(box.overlaps(other) for other in placed):
                placed.append(box)
                break
            artist.remove()
        else:
            dropped.append(label["text"])
    return dropped
