"""Draw a layer list into a QPainter for a :class:`~.view.MapView`.

Per layer it keeps, until the layer's data or style change: the coordinates
projected to the display CRS (numpy arrays), the class of every feature, and
one QPainterPath per class in world coordinates. A view change only changes
the painter's world transform (cosmetic pens keep line widths in pixels), so
panning and zooming rebuild nothing; points are re-binned with numpy.
"""

from __future__ import annotations

import math
import time
import weakref
from dataclasses import dataclass, field

import numpy as np
import shapely
from PyQt6.QtCore import QPointF, QRectF, Qt
from PyQt6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QTransform

from gisapp.layers.layer import Layer

from gisapp.palette import PATROL_START_COLOUR, PATROL_START_LABEL

from ..i18n import current_language
from ..icons import qcolor
from ..styles import (
    N_,
    SELECTION_COLOUR,
    SELECTION_OUTLINE,
    Classification,
    LegendEntry,
    classify,
    darker,
    hex_to_rgba,
    label_text,
    ramp_legend,
)
from .geometry import LayerGeometry, ProjectionError, project_geometry
from .paths import path_from_geometries, path_from_runs
from .points import PointArrays, draw_points, screen_positions
from .raster import colourise, raster_of
from .symbols import draw_direction_arrows, draw_line_starts, hatch_brush
from .view import MapView

#: Labels are drawn only when at most this many labelled features are in view.
MAX_LABELS = 300
OFFLINE_CAMERA = "#8c8c8c"
_OFFLINE = {"offline", "fault", "broken", "离线", "故障"}


@dataclass
class LayerCache:
    """What the renderer keeps for one layer; dropped when the layer's data change."""

    geometry: LayerGeometry | None = None
    error: str | None = None
    style_key: object = None
    classification: Classification | None = None
    paths: dict = field(default_factory=dict)
    sectors: tuple | None = None
    label_points: tuple | None = None
    selection_key: object = None
    selection_path: QPainterPath | None = None
    points: object = None  # PointArrays
    point_codes: np.ndarray | None = None  # class per point (never -1: the default colour is the last class)
    raster_image: tuple | None = None  # (key, QImage, pixel buffer)
    typical_size: float | None = None  # median polygon width in display units (outlines by scale)


class MapRenderer:
    """Renders layers bottom to top; ``mask_for(layer)`` and ``selection_for(layer)`` give rows to show/highlight."""

    def __init__(self, mask_for=None, selection_for=None):
        self.mask_for = mask_for or (lambda layer: None)
        self.selection_for = selection_for or (lambda layer: None)
        self._caches: weakref.WeakKeyDictionary[Layer, LayerCache] = weakref.WeakKeyDictionary()
        self.last_timings: dict[str, float] = {}
        self.last_lod: dict[str, str] = {}
        self.label_font = QFont()
        self._labels: list = []
        self._label_boxes: list = []

    # ---- caches -------------------------------------------------------------------------
    def invalidate(self, layer: Layer, what: str = "data") -> None:
        if what == "data":
            self._caches.pop(layer, None)
        elif what == "style" and layer in self._caches:
            cache = self._caches[layer]
            cache.style_key, cache.classification, cache.paths, cache.sectors, cache.label_points = None, None, {}, None, None
            cache.point_codes = None

    def cache(self, layer: Layer) -> LayerCache:
        cache = self._caches.get(layer)
        if cache is None:
            cache = LayerCache()
            try:
                cache.geometry = project_geometry(layer.data)
            except ProjectionError as error:
                cache.error = str(error)
            self._caches[layer] = cache
        return cache

    def geometry(self, layer: Layer) -> LayerGeometry | None:
        return self.cache(layer).geometry

    def error(self, layer: Layer) -> str | None:
        return self.cache(layer).error

    def classification(self, layer: Layer) -> Classification:
        cache = self.cache(layer)
        style = layer.style
        key = repr(sorted(style.items(), key=lambda kv: kv[0]))
        if cache.classification is None or cache.style_key != key:
            cache.classification = _classify(layer, style)
            cache.style_key, cache.paths, cache.sectors, cache.point_codes = key, {}, None, None
        return cache.classification

    def unfilled_rows(self, layer: Layer) -> np.ndarray | None:
        """Rows drawn as nothing but (at most) an outline: polygons of a class with ``opacity`` 0; None if none."""
        g = self.geometry(layer)
        if g is None or not g.polygons.size or raster_of(layer) is not None:
            return None
        classes = self.classification(layer)
        empty = [k for k in range(len(classes.colors)) if classes.extra(k, "opacity") == 0]
        if not empty:
            return None
        return np.isin(classes.codes, empty)

    def legend(self, layer: Layer) -> list[LegendEntry]:
        raster = raster_of(layer)
        if raster is not None:
            return ramp_legend(raster.array, layer.style)
        style = layer.style
        classes = self.classification(layer)
        if style.get("type") == "single":
            return [LegendEntry(style.get("color", "#808080"), "")]
        return classes.legend()

    # ---- rendering ----------------------------------------------------------------------
    def render(self, painter: QPainter, view: MapView, layers) -> None:
        """Draw every visible layer of ``layers`` (bottom first)."""
        self.last_timings, self.last_lod = {}, {}
        self._labels: list = []
        self._label_boxes: list[QRectF] = []
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        for layer in layers:
            if not layer.visible or layer.opacity <= 0:
                continue
            start = time.perf_counter()
            painter.save()
            painter.setOpacity(layer.opacity)
            try:
                self._render_layer(painter, view, layer)
            finally:
                painter.restore()
            self.last_timings[layer.name] = (time.perf_counter() - start) * 1000
        # Labels go on top of every layer, as in QGIS: a market's name must not hide under its incidents.
        for layer, cache, field_name, mask in self._labels:
            painter.save()
            painter.setOpacity(layer.opacity)
            self._draw_labels(painter, view, layer, cache, field_name, mask)
            painter.restore()

    def _render_layer(self, painter: QPainter, view: MapView, layer: Layer) -> None:
        raster = raster_of(layer)
        if raster is not None:
            self._draw_raster(painter, view, layer, raster)
            return
        cache = self.cache(layer)
        g = cache.geometry
        if g is None or g.n_rows == 0 or g.bounds is None or not _overlaps(g.bounds, view.extent):
            return
        style = layer.style
        classes = self.classification(layer)
        mask = self.mask_for(layer)
        selected = self.selection_for(layer)
        if g.polygons.size:
            self._draw_shapes(painter, view, layer, cache, "polygons", classes, style, mask)
        if g.lines.size:
            self._draw_shapes(painter, view, layer, cache, "lines", classes, style, mask)
        if style.get("type") == "sector" and g.px.size:
            self._draw_sectors(painter, view, layer, cache, classes, style, mask)
        if g.px.size:
            if cache.points is None:
                cache.points = PointArrays(g.px, g.py)
                # One point per row, in row order (a plain point layer): masks apply without a gather.
                cache.points.rows_in_order = g.prow.size == g.n_rows and bool(np.array_equal(g.prow, np.arange(g.n_rows)))
            colours = list(classes.colors) + [classes.default]
            if cache.point_codes is None:
                codes = classes.codes[g.prow]
                cache.point_codes = np.where(codes < 0, len(colours) - 1, codes).astype(np.int16)
            keep = None if mask is None else (mask if cache.points.rows_in_order else mask[g.prow])
            size = float(style.get("size", 4))
            sizes = [float(classes.extra(k, "size", size)) for k in range(len(classes.colors))] + [size]
            sx, sy, index = cache.points.screen(view, keep, max(sizes) + 2)
            codes = cache.point_codes if index is None else cache.point_codes[index]
            self.last_lod[layer.name] = _draw_point_classes(painter, view, sx, sy, codes, colours, sizes, style)
        if style.get("label"):
            self._labels.append((layer, cache, style["label"], mask))
        if selected is not None and len(selected):
            self._draw_selection(painter, view, layer, cache, selected, style)

    def _draw_shapes(self, painter, view, layer, cache, family, classes, style, mask) -> None:
        g = cache.geometry
        rows = g.polygon_rows if family == "polygons" else g.line_rows
        shapes = g.polygons if family == "polygons" else g.lines
        stored = cache.paths.get(family)
        # Keep the mask itself with the paths: ``is`` is a safe test, an id() could be reused.
        if stored is None or stored[0] is not mask:
            codes = classes.codes[rows]
            keep = np.ones(len(rows), dtype=bool) if mask is None else mask[rows]
            paths = []
            for code in np.unique(codes[keep]):
                colour = classes.default if code < 0 else classes.colors[int(code)]
                paths.append((int(code), colour, path_from_geometries(shapes[keep & (codes == code)])))
            cache.paths[family] = (mask, paths)
        paths = cache.paths[family][1]
        transform = _world_transform(view)
        kind = style.get("type", "single")
        width = float(style.get("width", 1.5 if family == "polygons" else 2))
        if family == "polygons":
            outlined = _outlines_shown(cache, style, view)
            merged = bool(style.get("outline_merged"))
            for code, colour, path in paths:
                painter.setWorldTransform(transform)
                opacity = classes.extra(code, "opacity", style.get("fill_opacity"))
                painter.setBrush(_polygon_brush(kind, colour, style, opacity))
                # an unfilled class ("not significant", "no pattern") gets no outline either: nothing to see there
                drawn = outlined and not merged and not (opacity is not None and float(opacity) <= 0)
                painter.setPen(_pen(_polygon_outline(kind, colour, style), width if kind != "graduated" else 0.6) if drawn else Qt.PenStyle.NoPen)
                painter.drawPath(path)
                if style.get("hatch"):  # patterns are laid in screen pixels, so map the path there first
                    painter.setWorldTransform(QTransform())
                    painter.setPen(Qt.PenStyle.NoPen)
                    painter.setBrush(hatch_brush(style["hatch"], colour))
                    painter.drawPath(transform.map(path))
            if merged and outlined:  # one border around each group of touching cells: a zone, not a mesh
                painter.setWorldTransform(transform)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(_pen(_polygon_outline(kind, style.get("color", "#000000"), style), width))
                painter.drawPath(self._merged_outline(cache, mask))
            painter.setWorldTransform(QTransform())
            return
        painter.setWorldTransform(transform)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if style.get("casing"):
            for code, colour, path in paths:
                if classes.extra(code, "dash"):
                    continue  # a dashed comparison line stays light: no casing to fill its gaps
                painter.setPen(_pen(style["casing"], float(classes.extra(code, "width", width)) + 3.0))
                painter.drawPath(path)
        for code, colour, path in paths:
            pen = _pen(colour, float(classes.extra(code, "width", width)))
            if classes.extra(code, "dash"):
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawPath(path)
        painter.setWorldTransform(QTransform())
        self._draw_line_symbols(painter, view, cache, classes, style, mask, width)

    def _merged_outline(self, cache: LayerCache, mask) -> QPainterPath:
        """The outline of the union of the layer's polygons (the rows ``mask`` keeps), cached with the mask."""
        stored = cache.paths.get("merged")
        if stored is None or stored[0] is not mask:
            g = cache.geometry
            keep = np.ones(len(g.polygon_rows), dtype=bool) if mask is None else mask[g.polygon_rows]
            union = shapely.union_all(g.polygons[keep]) if keep.any() else None
            path = path_from_geometries(np.asarray([union], dtype=object)) if union is not None and not union.is_empty else QPainterPath()
            cache.paths["merged"] = (mask, path)
        return cache.paths["merged"][1]

    def _draw_line_symbols(self, painter, view, cache, classes, style, mask, width) -> None:
        """Direction arrows along the lines of undashed classes, and a marked start (planned tours)."""
        if not (style.get("arrows") or style.get("start_marker")):
            return
        g = cache.geometry
        codes = classes.codes[g.line_rows]
        keep = np.ones(len(g.line_rows), dtype=bool) if mask is None else mask[g.line_rows]
        for code in np.unique(codes[keep]):
            if classes.extra(int(code), "dash"):
                continue  # a comparison line: no arrows, no start of its own
            lines = g.lines[keep & (codes == code)]
            colour = classes.default if code < 0 else classes.colors[int(code)]
            if style.get("arrows"):
                draw_direction_arrows(painter, view, lines, colour, float(classes.extra(int(code), "width", width)))
            if style.get("start_marker"):
                draw_line_starts(painter, view, lines, PATROL_START_COLOUR, label_text(PATROL_START_LABEL, current_language()), self.label_font)

    def _draw_sectors(self, painter, view, layer, cache, classes, style, mask) -> None:
        if cache.sectors is None:
            cache.sectors = _sector_paths(layer, cache.geometry, classes)
        painter.setWorldTransform(_world_transform(view))
        for colour, path in cache.sectors:
            fill = qcolor(colour)
            fill.setAlphaF(0.22)
            painter.setBrush(fill)
            painter.setPen(_pen(darker(colour, 0.8), 0.8))
            painter.drawPath(path)
        painter.setWorldTransform(QTransform())

    def _draw_labels(self, painter, view, layer, cache, field_name, mask) -> None:
        data = layer.data
        if field_name not in data:
            return
        if cache.label_points is None:
            g = cache.geometry
            shapes = g.shapes
            anchors = shapely.get_coordinates(shapely.point_on_surface(shapes)) if shapes.size else np.empty((0, 2))
            rows = g.shape_rows
            if g.px.size:
                anchors = np.vstack([anchors, np.column_stack([g.px, g.py])])
                rows = np.concatenate([rows, g.prow])
            cache.label_points = (anchors, rows)
        anchors, rows = cache.label_points
        if not len(rows):
            return
        keep = None if mask is None else mask[rows]
        sx, sy, index = screen_positions(view, anchors[:, 0], anchors[:, 1], keep, 0)
        if index.size == 0 or index.size > MAX_LABELS:
            return
        texts = data[field_name].iloc[rows[index]].astype("string").fillna("").tolist()
        painter.setFont(self.label_font)
        metrics = painter.fontMetrics()
        halo = QPen(QColor(255, 255, 255, 230), 3.0)
        halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        style = layer.style
        beside = g_has_points(cache) and style.get("label_position", "right") == "right"
        shift = float(style.get("size", 4)) / 2 + 4 if beside else 0.0
        for x, y, text in zip(sx.tolist(), sy.tolist(), texts):
            if not text:
                continue
            width = metrics.horizontalAdvance(text)
            x = x + shift + width / 2 if beside else x  # to the right of the marker, not over it
            box = QRectF(x - width / 2 - 2, y - metrics.ascent() / 2 - 2, width + 4, metrics.height() + 4)
            if any(box.intersects(taken) for taken in self._label_boxes):
                continue  # first come, first drawn: overlapping names would be unreadable
            self._label_boxes.append(box)
            path = QPainterPath()
            path.addText(QPointF(x - width / 2, y + metrics.ascent() / 2 - 1), self.label_font, text)
            painter.strokePath(path, halo)
            painter.fillPath(path, QColor("#202020"))

    def _draw_selection(self, painter, view, layer, cache, selected, style) -> None:
        g = cache.geometry
        chosen = np.zeros(g.n_rows, dtype=bool)
        chosen[selected[(selected >= 0) & (selected < g.n_rows)]] = True
        if g.lines.size or g.polygons.size:
            # The workspace stores a new array for every selection, so identity tells a change.
            if cache.selection_key is not selected:
                shapes = g.shapes[chosen[g.shape_rows]]
                cache.selection_path = path_from_geometries(shapes)
                cache.selection_key = selected
            painter.setWorldTransform(_world_transform(view))
            fill = qcolor(SELECTION_COLOUR)
            fill.setAlphaF(0.35 if g.polygons.size else 0.0)
            painter.setBrush(fill)
            painter.setPen(_pen(SELECTION_COLOUR, 3.0))
            painter.drawPath(cache.selection_path)
            painter.setWorldTransform(QTransform())
        if g.px.size:
            sx, sy, index = screen_positions(view, g.px, g.py, chosen[g.prow], 8)
            draw_points(painter, view, sx, sy, np.zeros(index.size, dtype=np.int16), [SELECTION_COLOUR], float(style.get("size", 4)) + 3, SELECTION_OUTLINE)

    def _draw_raster(self, painter, view, layer, raster) -> None:
        from .geometry import DISPLAY_CRS

        crs = raster.crs or layer.crs
        xmin, ymin, xmax, ymax = raster.bounds
        if crs is not None and not DISPLAY_CRS.equals(crs):
            import pyproj

            t = pyproj.Transformer.from_crs(crs, DISPLAY_CRS, always_xy=True)
            xs, ys = t.transform([xmin, xmax, xmin, xmax], [ymin, ymin, ymax, ymax])
            xmin, xmax, ymin, ymax = min(xs), max(xs), min(ys), max(ys)
        style = layer.style
        cache = self._caches.get(layer)
        if cache is None:
            cache = self._caches[layer] = LayerCache()
        key = (id(getattr(layer, "raster", None)), style.get("ramp"), style.get("vmin"), style.get("vmax"))
        if cache.raster_image is None or cache.raster_image[0] != key:
            image, pixels = colourise(raster.array, style.get("ramp", "Density"), style.get("vmin"), style.get("vmax"))
            cache.raster_image = (key, image, pixels)  # the image borrows pixels: keep both
        image = cache.raster_image[1]
        left, top = view.to_screen(xmin, ymax)
        right, bottom = view.to_screen(xmax, ymin)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, bool(style.get("smooth", True)))
        painter.drawImage(QRectF(float(left), float(top), float(right - left), float(bottom - top)), image)


def _classify(layer: Layer, style: dict) -> Classification:
    if style.get("type") == "sector":
        status = layer.data["status"] if "status" in layer.data else None
        base = style.get("color", "#1f77b4")
        codes = np.zeros(len(layer.data), dtype=np.int16)
        if status is None:
            return Classification(codes, [base], [N_("Camera")], base)
        offline = status.astype("string").str.lower().isin(_OFFLINE).to_numpy(dtype=bool, na_value=False)
        codes[offline] = 1
        return Classification(codes, [base, OFFLINE_CAMERA], [N_("Camera online"), N_("Camera offline")], base)
    return classify(style, layer.data)


def _sector_paths(layer: Layer, g: LayerGeometry, classes: Classification):
    """Camera coverage wedges (domes as circles) in display coordinates, one path per class."""
    data = layer.data
    rows = g.prow
    n = rows.size

    def column(name, default):
        if name in data:
            values = np.asarray(data[name].to_numpy(dtype=float, na_value=np.nan))[rows]
            return np.where(np.isfinite(values), values, default)
        return np.full(n, float(default))

    heading = column("heading_deg", 0.0)
    fov = np.clip(column("fov_deg", 360.0), 1.0, 360.0)
    reach = np.clip(column("range_m", 50.0), 1.0, 5000.0)
    if "kind" in data:
        dome = data["kind"].astype("string").str.lower().isin({"dome", "球机"}).to_numpy(dtype=bool, na_value=False)[rows]
        fov = np.where(dome, 360.0, fov)
    lat = np.arctan(np.sinh(g.py / 6378137.0))
    radius = reach / np.cos(lat)  # Web Mercator stretches ground distances by 1/cos(latitude)
    steps = 16
    t = np.linspace(-0.5, 0.5, steps)
    bearings = np.radians(heading[:, None] + fov[:, None] * t[None, :])  # clockwise from north
    ax = g.px[:, None] + radius[:, None] * np.sin(bearings)
    ay = g.py[:, None] + radius[:, None] * np.cos(bearings)
    full = fov >= 359.0
    cx = np.where(full, ax[:, 0], g.px)
    cy = np.where(full, ay[:, 0], g.py)
    ring_x = np.column_stack([cx, ax, cx])
    ring_y = np.column_stack([cy, ay, cy])
    codes = classes.codes[rows]
    out = []
    for code in np.unique(codes):
        pick = (codes == code) & np.isfinite(g.px)
        xy = np.column_stack([ring_x[pick].ravel(), ring_y[pick].ravel()])
        starts = np.zeros(len(xy), dtype=bool)
        starts[:: steps + 2] = True
        colour = classes.default if code < 0 else classes.colors[int(code)]
        out.append((colour, path_from_runs(xy, starts, fill_odd_even=False)))
    return out


def _world_transform(view: MapView) -> QTransform:
    sx, sy, tx, ty = view.affine()
    return QTransform(sx, 0.0, 0.0, sy, tx, ty)


def _pen(colour: str, width: float) -> QPen:
    pen = QPen(qcolor(colour))
    pen.setWidthF(width)
    pen.setCosmetic(True)  # widths in pixels whatever the world transform
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def _polygon_brush(kind: str, colour: str, style: dict, opacity: float | None = None) -> QBrush:
    """The fill of one class: ``opacity`` (class, else the style's ``fill_opacity``) overrides the type's default."""
    if kind == "single" and opacity is None:
        fill = style.get("fill")
        if fill is None:
            c = qcolor(colour)
            c.setAlphaF(0.25)
            return QBrush(c)
        return QBrush(qcolor(fill)) if hex_to_rgba(fill)[3] else QBrush(Qt.BrushStyle.NoBrush)
    c = qcolor(colour)
    if opacity is not None:
        if float(opacity) <= 0:
            return QBrush(Qt.BrushStyle.NoBrush)
        c.setAlphaF(c.alphaF() * float(opacity))
    elif kind == "categorized":
        c.setAlphaF(0.28)
    return QBrush(c)


def _polygon_outline(kind: str, colour: str, style: dict) -> str:
    if style.get("outline"):
        return style["outline"]
    if kind == "graduated":
        return "#7a7a7a"
    if kind == "categorized":
        return darker(colour, 0.8)
    return style.get("color", colour)


def _outlines_shown(cache: LayerCache, style: dict, view: MapView) -> bool:
    """Whether polygon outlines are drawn at this scale (``outline_min_px``: only where cells are that large)."""
    if style.get("outline") == "none":
        return False
    least = float(style.get("outline_min_px", 0) or 0)
    if least <= 0:
        return True
    if cache.typical_size is None:
        polygons = cache.geometry.polygons
        sample = polygons[:: max(1, len(polygons) // 2000)]
        cache.typical_size = float(np.median(np.sqrt(shapely.area(sample)))) if len(sample) else 0.0
    return cache.typical_size / view.resolution >= least


def g_has_points(cache: LayerCache) -> bool:
    return cache.geometry is not None and cache.geometry.px.size > 0


def _draw_point_classes(painter, view, sx, sy, codes, colours, sizes, style) -> str:
    """Points class by class in groups of equal size, small first (cluster noise beneath the clusters)."""
    symbol = style.get("symbol", "circle")
    outline = style.get("outline", "auto")
    if len(set(sizes)) == 1:
        return draw_points(painter, view, sx, sy, codes, colours, sizes[0], outline, symbol)
    sizes_arr = np.asarray(sizes)
    lod = "none"
    for size in sorted(set(sizes)):
        in_group = np.flatnonzero(sizes_arr == size)
        pick = np.isin(codes, in_group)
        if not pick.any():
            continue
        group_colours = [colours[k] for k in in_group]
        compact = np.full(len(colours), -1, dtype=np.int16)
        compact[in_group] = np.arange(len(in_group), dtype=np.int16)
        lod = draw_points(painter, view, sx[pick], sy[pick], compact[codes[pick]], group_colours, size, outline, symbol)
    return lod


def _overlaps(a, b) -> bool:
    return not (a[2] < b[0] or a[0] > b[2] or a[3] < b[1] or a[1] > b[3]) and all(math.isfinite(v) for v in a)
