"""Layer coordinates projected once to the display CRS and kept as numpy arrays (no Qt).

Each layer's features are split by geometry family: point coordinates (with the
row each came from, so a MultiPoint still selects its feature), and line and
polygon geometries. Hit tests and rubber-band queries work on these arrays and
on a lazily built STRtree, never on per-feature Python objects.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyproj
import shapely
from pyproj.exceptions import CRSError, ProjError

from gisapp.layers.errors import InputError

DISPLAY_CRS = pyproj.CRS.from_epsg(3857)
_POINT_TYPES = (shapely.GeometryType.POINT, shapely.GeometryType.MULTIPOINT)
_LINE_TYPES = (shapely.GeometryType.LINESTRING, shapely.GeometryType.LINEARRING, shapely.GeometryType.MULTILINESTRING)
_POLYGON_TYPES = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)


class ProjectionError(InputError):
    """A layer whose coordinates cannot be brought into the display CRS."""


@dataclass
class LayerGeometry:
    """A layer's features in display coordinates.

    Attributes
    ----------
    px, py, prow : arrays
        Point coordinates and the (positional) row each belongs to.
    line_rows, polygon_rows : arrays
        Rows holding lines / polygons; ``lines`` and ``polygons`` are their projected geometries.
    bounds : tuple or None
        Display-CRS bounds of everything, None for an empty layer.
    """

    n_rows: int
    px: np.ndarray = field(default_factory=lambda: np.empty(0))
    py: np.ndarray = field(default_factory=lambda: np.empty(0))
    prow: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    line_rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    lines: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    polygon_rows: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    polygons: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=object))
    bounds: tuple[float, float, float, float] | None = None
    _tree: object = None

    @property
    def shapes(self) -> np.ndarray:
        """Lines then polygons, the order ``shape_rows`` and ``tree`` use."""
        return np.concatenate([self.lines, self.polygons])

    @property
    def shape_rows(self) -> np.ndarray:
        return np.concatenate([self.line_rows, self.polygon_rows])

    def tree(self) -> shapely.STRtree:
        if self._tree is None:
            self._tree = shapely.STRtree(self.shapes)
        return self._tree

    def rows_in_box(self, box: tuple[float, float, float, float]) -> np.ndarray:
        """Rows with a feature intersecting ``box`` (display coordinates), sorted, unique."""
        xmin, ymin, xmax, ymax = box
        found = []
        if self.px.size:
            inside = (self.px >= xmin) & (self.px <= xmax) & (self.py >= ymin) & (self.py <= ymax)
            found.append(self.prow[inside])
        if self.lines.size or self.polygons.size:
            hits = self.tree().query(shapely.box(xmin, ymin, xmax, ymax), predicate="intersects")
            found.append(self.shape_rows[hits])
        return np.unique(np.concatenate(found)) if found else np.empty(0, dtype=np.int64)

    def row_at(self, x: float, y: float, tolerance: float, allowed: np.ndarray | None = None) -> int | None:
        """The row nearest (x, y) within ``tolerance`` world units: points first, then lines, then polygons."""
        if self.px.size:
            d2 = (self.px - x) ** 2 + (self.py - y) ** 2
            if allowed is not None:
                d2 = np.where(allowed[self.prow], d2, np.inf)
            best = int(np.argmin(d2))
            if d2[best] <= tolerance**2:
                return int(self.prow[best])
        if self.lines.size or self.polygons.size:
            probe = shapely.Point(x, y)
            hits = self.tree().query(probe.buffer(tolerance), predicate="intersects")
            if hits.size:
                rows = self.shape_rows[hits]
                if allowed is not None:
                    keep = allowed[rows]
                    hits, rows = hits[keep], rows[keep]
                if hits.size:
                    # Lines beat the polygons they lie on; then a polygon holding the point beats one merely
                    # within the tolerance (a neighbouring cell); then the smallest (the one on top visually).
                    shapes = self.shapes[hits]
                    is_line = hits < self.lines.size
                    outside = ~shapely.intersects(shapes, probe)
                    order = np.lexsort((shapely.area(shapes), outside, ~is_line))
                    return int(rows[order[0]])
        return None


def project_geometry(data) -> LayerGeometry:
    """Project a GeoDataFrame to the display CRS.

    Raises
    ------
    ProjectionError
        No CRS, or coordinates the transformation cannot handle.
    """
    n = len(data)
    if n == 0:
        return LayerGeometry(0)
    if data.crs is None:
        raise ProjectionError("it has no coordinate system, so gisapp cannot place it on the map; set its CRS and load it again")
    geoms = np.asarray(data.geometry.values)
    types = shapely.get_type_id(geoms)
    result = LayerGeometry(n)
    try:
        transformer = pyproj.Transformer.from_crs(data.crs, DISPLAY_CRS, always_xy=True)
    except (CRSError, ProjError) as error:
        raise ProjectionError(f"its coordinate system ({data.crs.name}) cannot be converted to the map's: {error}") from None
    point_rows = np.flatnonzero(np.isin(types, _POINT_TYPES))
    if point_rows.size:
        coords, index = shapely.get_coordinates(geoms[point_rows], return_index=True)
        x, y = _transform(transformer, coords[:, 0], coords[:, 1], data.crs)
        result.px, result.py, result.prow = x, y, point_rows[index]
    for family, attr in ((_LINE_TYPES, "lines"), (_POLYGON_TYPES, "polygons")):
        rows = np.flatnonzero(np.isin(types, family))
        if rows.size:
            shapes = geoms[rows]

            def forward(xy, _t=transformer, _crs=data.crs):
                tx, ty = _transform(_t, xy[:, 0], xy[:, 1], _crs)
                return np.column_stack([tx, ty])

            setattr(result, attr, shapely.transform(shapes, forward))
            setattr(result, f"{attr[:-1]}_rows", rows)
    result.bounds = _bounds(result)
    return result


def _transform(transformer, x, y, crs):
    try:
        tx, ty = transformer.transform(x, y, errcheck=False)
    except ProjError as error:
        raise ProjectionError(f"its coordinates cannot be converted from {crs.name}: {error}") from None
    tx, ty = np.asarray(tx, dtype=float), np.asarray(ty, dtype=float)
    bad = ~(np.isfinite(tx) & np.isfinite(ty))
    if bad.all() and tx.size:
        raise ProjectionError(f"none of its coordinates can be converted from {crs.name} (are they really in that system?)")
    if bad.any():
        # Out-of-domain coordinates stay off the map rather than corrupt the view.
        tx, ty = tx.copy(), ty.copy()
        tx[bad], ty[bad] = np.nan, np.nan
    return tx, ty


def _bounds(g: LayerGeometry):
    boxes = []
    if g.px.size:
        ok = np.isfinite(g.px)
        if ok.any():
            boxes.append((g.px[ok].min(), g.py[ok].min(), g.px[ok].max(), g.py[ok].max()))
    for shapes in (g.lines, g.polygons):
        if shapes.size:
            b = shapely.total_bounds(shapes)
            if np.all(np.isfinite(b)):
                boxes.append(tuple(b))
    if not boxes:
        return None
    arr = np.array(boxes, dtype=float)
    return float(arr[:, 0].min()), float(arr[:, 1].min()), float(arr[:, 2].max()), float(arr[:, 3].max())


def union_bounds(boxes):
    boxes = [b for b in boxes if b is not None]
    if not boxes:
        return None
    arr = np.array(boxes, dtype=float)
    return float(arr[:, 0].min()), float(arr[:, 1].min()), float(arr[:, 2].max()), float(arr[:, 3].max())
