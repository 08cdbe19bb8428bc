"""Counting incidents into cells: square fishnets, hexagon grids and polygons.

Hot-spot statistics such as Getis-Ord Gi* (Getis & Ord 1992; Ord & Getis 1995)
work on values attached to areas, so incident points are first counted into
cells. Everything here works in a projected, metric CRS: a cell size in metres
means nothing on longitude/latitude, and distances computed on degrees are the
reason the QGIS hot-spot plugin reported ``-inf`` z-scores on WGS84 data.

Conventions
-----------
- **Square cells are half-open**: cell ``(row, col)`` covers
  ``[x0 + col*s, x0 + (col+1)*s) x [y0 + row*s, y0 + (row+1)*s)``, so a point
  on an edge shared by two cells is counted once, in the cell to its east
  (north), with the same tolerance as every other edge
  (:mod:`gisapp.analysis.core.edges`). Points on the outer east (north) edge
  of the fishnet go to the last column (row) so that every point inside the
  bounds is counted. ``row`` counts
  upward from the southern edge (it is not an image row).
- **Hexagons** are flat-topped; ``cell_size`` is their height (flat side to
  flat side), which is also the distance between the centres of adjacent
  hexagons: on either grid the nearest neighbours are one cell size away, so a
  distance band must be at least the cell size. (ArcGIS Optimized Hot Spot
  Analysis also takes the hexagon cell size as the height, as far as we know;
  not re-checked against the current Esri page.) A point belongs to the
  hexagon with the nearest centre, found by cube rounding (Red Blob Games,
  "Hexagonal Grids"); a point equidistant from two centres still gets exactly
  one. ``row``/``col`` are "odd-q" offset coordinates: odd columns sit half a
  cell higher.
- **Polygons** receive the points that intersect them; a point on a shared
  boundary goes to the polygon that comes first (lowest position) in the
  polygon layer, so counts are conserved. Points in no polygon are counted and
  reported, never dropped silently.
- **Trimming** (``trim_empty=True``, fishnet and hexagons only): only cells with
  at least one incident are kept. This is what ArcGIS Optimized Hot Spot
  Analysis does when no bounding polygon says where incidents are possible
  (Esri, "How Optimized Hot Spot Analysis works"; METHODS.md, "Optimized Hot
  Spot Analysis", from Esri's tool script): without a boundary an empty
  cell cannot be told apart from a place where no incident could happen
  (a lake, a field). We keep *exactly* the non-empty cells, not a band around
  them, because the band belongs to the hot-spot step and the cell set must not
  depend on it. Consequence: a "cold spot" on a trimmed grid means "few
  incidents among places that had some", not "no incidents".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gisapp.analysis.core.edges import cell_index
from gisapp.analysis.core.result import AnalysisResult
from gisapp.layers.errors import AnalysisError, InputError, RowProblem

#: Grid kinds understood by :class:`AggregationParams`.
GRIDS = ("square", "hex", "polygons")
#: A fishnet larger than this is almost certainly a unit mistake (cell size in km or degrees).
MAX_CELLS = 25_000_000
#: Row problems listed in an InputError; the message still gives the total.
MAX_LISTED_ROWS = 1000
#: Column holding the summed weight when ``weight_field`` is given.
WEIGHT_SUM = "weight_sum"

_SQRT3 = math.sqrt(3.0)


@dataclass
class AggregationParams:
    """How incidents are counted into cells.

    Parameters
    ----------
    grid : {"square", "hex", "polygons"}
        Square fishnet, flat-topped hexagons, or the polygons in ``polygons``.
    cell_size : float, optional
        Cell width (square) or height (hexagon) in metres; required for
        ``"square"`` and ``"hex"``. Choosing it automatically is another
        module's job.
    polygons : GeoDataFrame, optional
        The areas to count into (for example 网格 grid-management cells);
        required for ``"polygons"``. Must have the incidents' CRS.
    weight_field : str, optional
        Numeric incident column to sum instead of counting (for example a loss
        amount). Missing or non-numeric values are an :class:`InputError`.
    trim_empty : bool
        Fishnet and hexagons only: keep only cells with at least one incident
        (see the module notes). Polygons are always all kept.
    """

    grid: str = "square"
    cell_size: float | None = None
    polygons: gpd.GeoDataFrame | None = None
    weight_field: str | None = None
    trim_empty: bool = True

    def to_dict(self) -> dict:
        """JSON-serialisable description; the polygon layer is summarised, not copied."""
        return {
            "grid": self.grid,
            "cell_size": None if self.cell_size is None else float(self.cell_size),
            "polygons": None if self.polygons is None else f"{len(self.polygons)} polygons",
            "weight_field": self.weight_field,
            "trim_empty": bool(self.trim_empty),
        }


# --------------------------------------------------------------------------- lattices


@dataclass(frozen=True)
class Lattice:
    """A regular grid of square or hexagonal cells.

    Attributes
    ----------
    kind : {"square", "hex"}
    origin : (float, float)
        Square: south-west corner of cell (0, 0). Hex: centre of cell (0, 0).
    cell_size : float
        Square width, or hexagon height (= distance between adjacent centres).
    shape : (int, int)
        ``(rows, cols)``.
    """

    kind: str
    origin: tuple[float, float]
    cell_size: float
    shape: tuple[int, int]

    @property
    def size(self) -> int:
        return self.shape[0] * self.shape[1]

    @property
    def _hex_radius(self) -> float:
        # Circumradius of a flat-topped hexagon whose height is cell_size.
        return self.cell_size / _SQRT3

    def centres(self, rows: np.ndarray, cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Cell centre coordinates of the given cells."""
        return self._at(rows, cols, 0.0, 0.0)

    def _at(self, rows, cols, du, dv) -> tuple[np.ndarray, np.ndarray]:
        """Points at offset ``(du, dv)`` from the cell centres, in lattice units.

        Square units are cells; hexagon units are the circumradius in x and the
        height in y. Offsets are multiples of 1/2, so ``col + du`` is exact and
        neighbouring cells get bit-identical shared corners (no slivers).
        """
        rows = np.asarray(rows, dtype=np.float64)
        cols = np.asarray(cols, dtype=np.float64)
        x0, y0 = self.origin
        s = self.cell_size
        if self.kind == "square":
            return x0 + (cols + 0.5 + du) * s, y0 + (rows + 0.5 + dv) * s
        odd = np.mod(cols, 2.0)
        return x0 + (1.5 * cols + du) * self._hex_radius, y0 + (rows + 0.5 * odd + dv) * s

    def polygons(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Cell polygons (shapely array), built in one vectorised call."""
        if self.kind == "square":
            xmin, ymin = self._at(rows, cols, -0.5, -0.5)
            xmax, ymax = self._at(rows, cols, 0.5, 0.5)
            return shapely.box(xmin, ymin, xmax, ymax)
        # flat-topped hexagon, counter-clockwise from the east vertex
        corners = [(1.0, 0.0), (0.5, 0.5), (-0.5, 0.5), (-1.0, 0.0), (-0.5, -0.5), (0.5, -0.5)]
        ring = np.stack([np.stack(self._at(rows, cols, du, dv), axis=-1) for du, dv in corners], axis=1)
        return shapely.polygons(ring)

    def locate(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cell of every point: ``(rows, cols, inside)``; exactly one cell per point."""
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        if self.kind == "square":
            rows, cols = _square_indices(x, y, self)
        else:
            rows, cols = _hex_indices(x, y, self)
        nrows, ncols = self.shape
        inside = (rows >= 0) & (rows < nrows) & (cols >= 0) & (cols < ncols)
        return rows, cols, inside


def _square_indices(x, y, lattice: Lattice):
    x0, y0 = lattice.origin
    s = lattice.cell_size
    nrows, ncols = lattice.shape
    return cell_index(y, y0, s, nrows), cell_index(x, x0, s, ncols)


def _hex_indices(x, y, lattice: Lattice):
    """Nearest flat-topped hexagon by cube rounding, as odd-q offset (row, col)."""
    x0, y0 = lattice.origin
    s = lattice.cell_size
    finite = np.isfinite(x) & np.isfinite(y)
    # Fractional axial coordinates: q along x, r along the 'down-right' axis.
    q = np.where(finite, (x - x0) / (1.5 * lattice._hex_radius), 0.0)
    r = np.where(finite, (y - y0) / s - q / 2.0, 0.0)
    q_round, r_round = _cube_round(q, r)
    cols = q_round
    rows = r_round + (q_round - (q_round & 1)) // 2
    rows[~finite] = -1
    cols[~finite] = -1
    return rows, cols


def _cube_round(q: np.ndarray, r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Round fractional axial coordinates to the hexagon that contains the point.

    Round the three cube coordinates independently, then restore q + r + s = 0
    by recomputing the one that moved most; that one is the least reliable.
    """
    s = -q - r
    rq, rr, rs = np.rint(q), np.rint(r), np.rint(s)
    dq, dr, ds = np.abs(rq - q), np.abs(rr - r), np.abs(rs - s)
    fix_q = (dq > dr) & (dq > ds)
    fix_r = ~fix_q & (dr > ds)
    rq = np.where(fix_q, -rr - rs, rq)
    rr = np.where(fix_r, -rq - rs, rr)
    return rq.astype(np.int64), rr.astype(np.int64)


def _cells_across(extent: float, step: float) -> int:
    """Number of half-open steps needed to cover ``extent`` (at least one)."""
    return max(1, int(math.ceil(extent / step)))


def square_lattice(bounds, cell_size: float) -> Lattice:
    """Square fishnet covering ``bounds = (xmin, ymin, xmax, ymax)``, origin at the south-west corner."""
    xmin, ymin, xmax, ymax = _check_bounds(bounds)
    s = _check_cell_size(cell_size)
    shape = (_cells_across(ymax - ymin, s), _cells_across(xmax - xmin, s))
    return _check_lattice_size(Lattice("square", (xmin, ymin), s, shape))


def hex_lattice(bounds, cell_size: float) -> Lattice:
    """Flat-topped hexagon lattice whose cells cover every point of ``bounds``.

    The origin (centre of cell (0, 0)) sits one cell size west and south of the
    bounds, so all offset indices of points inside the bounds are non-negative.
    A whole cell size (rather than the column spacing 1.5 R, which is
    irrational) keeps ``x - x0`` exact for well-represented coordinates, so the
    cell of a point does not depend on where the data sit (translation
    invariance, also for points exactly on a hexagon edge).
    """
    xmin, ymin, xmax, ymax = _check_bounds(bounds)
    s = _check_cell_size(cell_size)
    dx = 1.5 * s / _SQRT3  # horizontal distance between column centres
    x0, y0 = xmin - s, ymin - s
    shape = (int(math.floor((ymax - y0) / s)) + 2, int(math.floor((xmax - x0) / dx)) + 2)
    return _check_lattice_size(Lattice("hex", (x0, y0), s, shape))


def lattice_cells(lattice: Lattice, rows=None, cols=None, crs=None) -> gpd.GeoDataFrame:
    """Cells of ``lattice`` (all, or the given ones) as a GeoDataFrame with ``row``/``col``."""
    if rows is None:
        rows, cols = np.indices(lattice.shape).reshape(2, -1)
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    return gpd.GeoDataFrame(
        {"row": rows, "col": cols}, geometry=lattice.polygons(rows, cols), crs=crs
    )


def square_fishnet(bounds, cell_size: float, crs=None) -> gpd.GeoDataFrame:
    """Square fishnet polygons covering ``bounds``, with integer ``row``/``col``."""
    return lattice_cells(square_lattice(bounds, cell_size), crs=crs)


def hex_grid(bounds, cell_size: float, crs=None) -> gpd.GeoDataFrame:
    """Hexagons covering ``bounds`` (those whose interior meets the bounds), with odd-q ``row``/``col``."""
    lattice = hex_lattice(bounds, cell_size)
    keep = _hexes_over_bounds(lattice, bounds)
    rows, cols = np.nonzero(keep)
    return lattice_cells(lattice, rows, cols, crs=crs)


def _hexes_over_bounds(lattice: Lattice, bounds) -> np.ndarray:
    """Boolean raster: hexagons whose interior meets the bounds rectangle.

    Separating-axis test (two convex shapes overlap unless their projections
    on some edge normal are disjoint), done on arrays rather than with shapely
    predicates, which cost ~0.5 s per 100,000 hexagons. Strict inequalities:
    a hexagon that only touches the rectangle is not over it.
    """
    rows, cols = np.indices(lattice.shape)
    xmin, ymin, xmax, ymax = bounds
    # x and y extents from the same arithmetic as the polygon vertices, so a
    # hexagon whose flat side lies on the bounds edge is seen as touching.
    west, bottom = lattice._at(rows, cols, -1.0, -0.5)
    east, top = lattice._at(rows, cols, 1.0, 0.5)
    overlap = (west < xmax) & (east > xmin) & (bottom < ymax) & (top > ymin)
    cx, cy = lattice.centres(rows, cols)
    apothem = lattice.cell_size / 2.0
    for slope in (0.5, -0.5):  # unit normals of the slanted edges, at +-30 degrees
        centre = _SQRT3 / 2.0 * cx + slope * cy
        corners = [_SQRT3 / 2.0 * x + slope * y for x in (xmin, xmax) for y in (ymin, ymax)]
        overlap &= (centre - apothem < max(corners)) & (centre + apothem > min(corners))
    return overlap


def count_points_in_lattice(x, y, origin, cell_size, shape, weights=None, grid="square") -> np.ndarray:
    """Count (or sum ``weights`` of) points into a regular lattice with numpy binning.

    Parameters
    ----------
    x, y : array_like
        Point coordinates in metres.
    origin : (float, float)
        Square: south-west corner of cell (0, 0); hex: centre of cell (0, 0).
    cell_size : float
    shape : (int, int)
        ``(rows, cols)`` of the lattice.
    weights : array_like, optional
        One value per point; summed instead of counted.
    grid : {"square", "hex"}

    Returns
    -------
    ndarray, shape ``shape``
        ``int64`` counts, or ``float64`` sums with ``weights``. Points outside
        the lattice (and non-finite coordinates) are not counted; see
        :meth:`Lattice.locate` to find them.
    """
    lattice = Lattice(grid, (float(origin[0]), float(origin[1])), float(cell_size), tuple(shape))
    rows, cols, inside = lattice.locate(x, y)
    return _bin(lattice.shape, rows, cols, inside, weights)


def _bin(shape, rows, cols, inside, weights=None) -> np.ndarray:
    flat = rows[inside] * shape[1] + cols[inside]
    size = shape[0] * shape[1]
    if weights is None:
        return np.bincount(flat, minlength=size).reshape(shape).astype(np.int64)
    w = np.asarray(weights, dtype=np.float64)[inside]
    return np.bincount(flat, weights=w, minlength=size).reshape(shape)


def _check_bounds(bounds) -> tuple[float, float, float, float]:
    xmin, ymin, xmax, ymax = (float(v) for v in bounds)
    if not all(math.isfinite(v) for v in (xmin, ymin, xmax, ymax)) or xmax < xmin or ymax < ymin:
        raise InputError(f"The extent {bounds} is not a valid area; check the incident coordinates.")
    return xmin, ymin, xmax, ymax


def _check_cell_size(cell_size) -> float:
    if cell_size is None:
        raise InputError("A cell size in metres is needed for a square or hexagon grid.")
    s = float(cell_size)
    if not math.isfinite(s) or s <= 0:
        raise InputError(f"The cell size must be a positive number of metres, got {cell_size}.")
    return s


def _check_lattice_size(lattice: Lattice) -> Lattice:
    if lattice.size > MAX_CELLS:
        raise InputError(
            f"A {lattice.cell_size:g} m grid over this extent has {lattice.size:,} cells "
            f"(limit {MAX_CELLS:,}); choose a larger cell size."
        )
    return lattice


# --------------------------------------------------------------------------- polygons


def assign_points_to_polygons(points, polygons: gpd.GeoDataFrame) -> np.ndarray:
    """Position (0-based) of the polygon each point falls in, or -1 for none.

    A point on a boundary shared by several polygons goes to the one with the
    lowest position in ``polygons``, so every point is counted at most once.
    """
    geoms = np.asarray(points.geometry.values if hasattr(points, "geometry") else points)
    point_idx, poly_idx = polygons.sindex.query(geoms, predicate="intersects")
    assigned = np.full(len(geoms), -1, dtype=np.int64)
    if len(point_idx):
        order = np.lexsort((poly_idx, point_idx))  # by point, then lowest polygon first
        first = np.unique(point_idx[order], return_index=True)[1]
        assigned[point_idx[order][first]] = poly_idx[order][first]
    return assigned


def count_points_in_polygons(points_gdf, polygons_gdf, weights=None) -> tuple[np.ndarray, int]:
    """Count (or sum ``weights`` of) points per polygon through the spatial index.

    Returns
    -------
    counts : ndarray
        One value per polygon, in polygon order (``int64``, or ``float64`` with weights).
    outside : int
        Points (with a geometry) that fall in no polygon.
    """
    assigned = assign_points_to_polygons(points_gdf, polygons_gdf)
    return _polygon_sums(assigned, len(polygons_gdf), weights), int((assigned < 0).sum())


def _polygon_sums(assigned: np.ndarray, n_polygons: int, weights=None) -> np.ndarray:
    """Per-polygon count (int64), or sum of ``weights`` (float64), of assigned points."""
    inside = assigned >= 0
    if weights is None:
        return np.bincount(assigned[inside], minlength=n_polygons).astype(np.int64)
    w = np.asarray(weights, dtype=np.float64)[inside]
    return np.bincount(assigned[inside], weights=w, minlength=n_polygons)


# --------------------------------------------------------------------------- validation


def require_metric_crs(gdf: gpd.GeoDataFrame, what: str) -> None:
    """Raise :class:`AnalysisError` unless ``gdf`` is in a projected CRS measured in metres."""
    crs = gdf.crs
    if crs is None:
        raise AnalysisError(f"The {what} has no coordinate system; project it to a metric CRS first.")
    if not (crs.is_projected or getattr(crs, "is_engineering", False)):  # a local metric system is fine
        raise AnalysisError(
            f"The {what} is in geographic coordinates ({crs.name}); project it to a metric CRS "
            "(for example a CGCS2000 Gauss-Kruger zone) first."
        )
    unit = (crs.axis_info[0].unit_name or "").lower() if crs.axis_info else ""
    if unit not in ("metre", "meter", "m"):
        raise AnalysisError(f"The {what} is measured in '{unit}'; project it to a CRS in metres first.")


def point_coordinates(points_gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(x, y, located)``: coordinates of every row and whether it has a usable point.

    Rows without geometry (None or empty) are ``located == False``; any other
    geometry type is an :class:`InputError`, since counting a line or polygon
    by its centre would be a silent guess.
    """
    geoms = np.asarray(points_gdf.geometry.values)
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    not_point = located & (shapely.get_type_id(geoms) != 0)
    if not_point.any():
        raise InputError(
            f"{int(not_point.sum())} incident rows are not points; incidents must be point features.",
            rows=_row_problems(np.flatnonzero(not_point), "geometry is not a point"),
        )
    x = np.full(len(geoms), np.nan)
    y = np.full(len(geoms), np.nan)
    x[located] = shapely.get_x(geoms[located])
    y[located] = shapely.get_y(geoms[located])
    return x, y, located


def incident_weights(points_gdf: gpd.GeoDataFrame, weight_field: str | None) -> np.ndarray | None:
    """The weight of every incident, or None; missing or non-numeric values are an InputError."""
    if weight_field is None:
        return None
    if weight_field not in points_gdf.columns:
        raise InputError(f"The incident layer has no column '{weight_field}' to use as weight.")
    values = pd.to_numeric(points_gdf[weight_field], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    bad = np.flatnonzero(~np.isfinite(values))
    if len(bad):
        raise InputError(
            f"{len(bad)} incident rows have no numeric value in weight column '{weight_field}'; "
            "fill or remove them.",
            rows=_row_problems(bad, f"'{weight_field}' is missing or not a number"),
        )
    return values


def _row_problems(positions: np.ndarray, reason: str) -> list[RowProblem]:
    return [RowProblem(int(p) + 1, reason) for p in positions[:MAX_LISTED_ROWS]]


def _check_params(params: AggregationParams) -> None:
    if params.grid not in GRIDS:
        raise InputError(f"Unknown grid '{params.grid}'; use one of {', '.join(GRIDS)}.")
    if params.grid == "polygons":
        polys = params.polygons
        if polys is None or len(polys) == 0:
            raise InputError("Counting into polygons needs a polygon layer with at least one polygon.")
        types = set(polys.geometry.dropna().geom_type.unique()) - {"Polygon", "MultiPolygon"}
        if types:
            raise InputError(f"The aggregation layer must contain polygons, found {', '.join(sorted(types))}.")
    else:
        _check_cell_size(params.cell_size)


# --------------------------------------------------------------------------- aggregation


@dataclass
class CellCounts:
    """Incidents counted into cells: what the hot-spot step needs.

    Attributes
    ----------
    cells : GeoDataFrame
        Kept cells with ``n`` (incident count), ``weight_sum`` when weighted,
        and ``row``/``col`` for lattices.
    values : ndarray
        Value analysed per kept cell: ``weight_sum`` if weighted, else ``n``.
    lattice : Lattice or None
        The lattice, for square/hex grids.
    raster : ndarray or None
        Full-lattice values (zero where nothing was counted).
    kept : ndarray of bool or None
        Full-lattice mask of kept cells; ``cells`` are its True entries in row-major order.
    summary : dict
        ``incidents`` counted, ``incidents_outside`` (in no cell),
        ``incidents_without_location``, ``cells``, ``cells_dropped_empty``, ...
    """

    cells: gpd.GeoDataFrame
    values: np.ndarray
    lattice: Lattice | None
    raster: np.ndarray | None
    kept: np.ndarray | None
    summary: dict


def aggregate_incidents(points_gdf: gpd.GeoDataFrame, params: AggregationParams) -> CellCounts:
    """Count incidents into cells as ``params`` says; see the module notes for the conventions."""
    _check_params(params)
    require_metric_crs(points_gdf, "incident layer")
    x, y, located = point_coordinates(points_gdf)
    weights = incident_weights(points_gdf, params.weight_field)
    if weights is not None:
        weights = weights[located]
    x, y = x[located], y[located]
    if params.grid == "polygons":
        counts = _aggregate_polygons(points_gdf.geometry.values[located], weights, points_gdf.crs, params)
    else:
        counts = _aggregate_lattice(x, y, weights, points_gdf.crs, params)
    counts.summary["incidents_without_location"] = int((~located).sum())
    return counts


def _aggregate_lattice(x, y, weights, crs, params: AggregationParams) -> CellCounts:
    if len(x) == 0:
        raise AnalysisError("No incident has a location, so there is nothing to count.")
    bounds = (x.min(), y.min(), x.max(), y.max())
    build = square_lattice if params.grid == "square" else hex_lattice
    lattice = build(bounds, params.cell_size)
    rows, cols, inside = lattice.locate(x, y)
    n = _bin(lattice.shape, rows, cols, inside)
    weighted = None if weights is None else _bin(lattice.shape, rows, cols, inside, weights)
    extent = _cells_over_extent(lattice, bounds) | (n > 0)
    kept = (n > 0) if params.trim_empty else extent
    keep_rows, keep_cols = np.nonzero(kept)
    cells = lattice_cells(lattice, keep_rows, keep_cols, crs=crs)
    cells["n"] = n[kept]
    raster = n.astype(np.float64) if weighted is None else weighted
    if weighted is not None:
        cells[WEIGHT_SUM] = weighted[kept]
    summary = {
        "grid": params.grid,
        "cell_size_m": lattice.cell_size,
        "cells": int(kept.sum()),
        "cells_dropped_empty": int(extent.sum() - kept.sum()),
        "incidents": int(n.sum()),
        "incidents_outside": int((~inside).sum()),
        "weight_field": params.weight_field,
    }
    return CellCounts(cells, raster[kept], lattice, raster, kept, summary)


def _cells_over_extent(lattice: Lattice, bounds) -> np.ndarray:
    """Cells that make up the grid before trimming.

    A fishnet is built to the extent, so all its cells count. The hexagon
    lattice has a margin; only hexagons over the extent count (the caller adds
    any that received a point exactly on the extent's edge).
    """
    if lattice.kind == "square":
        return np.ones(lattice.shape, dtype=bool)
    return _hexes_over_bounds(lattice, bounds)


def _aggregate_polygons(geoms, weights, crs, params: AggregationParams) -> CellCounts:
    polys = params.polygons
    if polys.crs != crs:
        raise InputError(
            "The aggregation polygons and the incidents have different coordinate systems; "
            "project them to the same metric CRS first."
        )
    assigned = assign_points_to_polygons(geoms, polys)
    inside = assigned >= 0
    n = _polygon_sums(assigned, len(polys))
    columns = {"n": n}
    values = n.astype(np.float64)
    if weights is not None:
        values = columns[WEIGHT_SUM] = _polygon_sums(assigned, len(polys), weights)
    cells = with_result_columns(polys, columns)
    summary = {
        "grid": "polygons",
        "cell_size_m": None,
        "cells": len(polys),
        "cells_dropped_empty": 0,
        "incidents": int(inside.sum()),
        "incidents_outside": int((~inside).sum()),
        "weight_field": params.weight_field,
    }
    return CellCounts(cells, values, None, None, None, summary)


def with_result_columns(gdf: gpd.GeoDataFrame, columns: dict) -> gpd.GeoDataFrame:
    """Copy of ``gdf`` with result columns added; input columns of the same name get ``_input``."""
    clashes = {c: f"{c}_input" for c in columns if c in gdf.columns}
    out = gdf.rename(columns=clashes).copy()
    for name, values in columns.items():
        out[name] = values
    return out


def aggregate(points_gdf: gpd.GeoDataFrame, params: AggregationParams) -> AnalysisResult:
    """Count incidents into cells.

    Parameters
    ----------
    points_gdf : GeoDataFrame
        Incident points in a projected metric CRS (geographic coordinates are
        an :class:`AnalysisError`: project first).
    params : AggregationParams

    Returns
    -------
    AnalysisResult
        ``layer``: the cells with ``n`` (and ``weight_sum``); ``summary``:
        ``cells``, ``incidents`` counted, ``incidents_outside`` (points in no
        polygon; always 0 for fishnets, which cover every point),
        ``incidents_without_location``, ``cells_dropped_empty``.
    """
    counts = aggregate_incidents(points_gdf, params)
    return AnalysisResult(counts.cells, counts.summary, params.to_dict())
