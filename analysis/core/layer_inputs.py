"""Preparing the layers the camera and patrol analyses take: CRS alignment, hotspot cells, optional layers.

The incidents (or, without incidents, the first layer given) fix the analysis
CRS, which must be metric. Every other layer in another CRS is reprojected
into it and the fact is reported, so that a camera register in WGS84 and
incidents in a Gauss-Krüger zone work together.

When no hotspot layer is given, one is computed from the incidents exactly
as ``gisapp hotspot`` does by default (automatic scale, Gi*, FDR;
:func:`gisapp.analysis.hotspots.default_cells.default_hotspot_cells`), the one
definition the briefing, the printed map and the window share, and the
summary says so.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from gisapp.analysis.core.aggregation import assign_points_to_polygons, require_metric_crs
from gisapp.layers.errors import InputError


def align_crs(frame: gpd.GeoDataFrame | None, crs, what: str, notes: list[str]) -> gpd.GeoDataFrame | None:
    """``frame`` in ``crs``; reprojecting is noted in ``notes``. A layer without CRS is refused."""
    if frame is None:
        return None
    if frame.crs is None:
        raise InputError(f"The {what} layer has no coordinate system; set one (for example EPSG:4326) and try again.")
    if frame.crs.equals(crs):
        return frame
    notes.append(f"{what} reprojected from {frame.crs.to_string()} to {crs.to_string()}")
    return frame.to_crs(crs)


def metric_crs_of(frame: gpd.GeoDataFrame, what: str):
    """The CRS of ``frame``, which must be projected and in metres."""
    require_metric_crs(frame, what)
    return frame.crs


def hotspot_layer(incidents: gpd.GeoDataFrame, hotspots: gpd.GeoDataFrame | None, notes: list[str], progress=None, cancelled=None):
    """The hotspot cells to use, and a sentence saying where they came from.

    Returns
    -------
    cells : GeoDataFrame
        With ``cell_id``, ``gi_bin`` and (when available) ``gi_z``; in the incidents' CRS.
    source : str
    """
    if hotspots is not None:
        cells = align_crs(hotspots, incidents.crs, "hotspot", notes)
        if "gi_bin" not in cells.columns:
            raise InputError("The hotspot layer has no gi_bin column: give a layer written by 'gisapp hotspot'.")
        types = set(cells.geometry.dropna().geom_type.unique()) - {"Polygon", "MultiPolygon"}
        if types:
            raise InputError(f"The hotspot layer must hold polygons (cells), found {', '.join(sorted(types))}.")
        source = f"hotspot layer given ({len(cells)} cells)"
    else:
        from gisapp.analysis.hotspots.default_cells import default_hotspot_cells

        cells, source, _ = default_hotspot_cells(incidents, progress=progress, cancelled=cancelled)
    return with_cell_ids(cells.reset_index(drop=True)), source


def chosen_hotspots(inputs, value: str | None):
    """The hotspot cells a ``hotspots`` parameter names, or None when they are to be computed from the incidents.

    ``"auto"`` (or nothing) takes the input's newest result of the ``hotspot``
    method (a project the window or ``gisapp hotspot`` wrote), else None; any
    other value is a layer of the input, else a file (see
    :meth:`gisapp.analysis.core.inputs.Inputs.hotspot_cells`).
    """
    if value in (None, "", "auto"):
        return inputs.latest_result("gi_bin", "hotspot")
    if any(layer.name == value for layer in inputs.layers):
        return inputs.layer_or_file(value, "hotspot")
    return inputs.hotspot_cells(value)


def optional_layer(inputs, value: str | None, what: str) -> gpd.GeoDataFrame | None:
    """The layer of the input or the file ``value`` names (obstacles, candidate sites), or None when not set."""
    return inputs.layer_or_file(value, what) if value else None


def rejected_rows_note(rejects: list[dict], what: str) -> list[str]:
    """A note saying how many ``what`` rows the reader rejected, and the first, so that none goes missing silently."""
    if not rejects:
        return []
    first = rejects[0]
    return [f"{len(rejects)} {what} rows rejected on reading (first: row {first['row']}, {first['reason']}); see gisapp inspect"]


def nearest_road_names(points: np.ndarray, roads: gpd.GeoDataFrame | None) -> list[str]:
    """The ``name`` of the road nearest each point ("" without roads or names)."""
    if roads is None or len(roads) == 0 or len(points) == 0 or "name" not in roads:
        return [""] * len(points)
    lines = np.asarray(roads.geometry.values)
    idx = shapely.STRtree(lines).query_nearest(points, all_matches=False)
    names = np.full(len(points), "", dtype=object)
    names[idx[0]] = roads["name"].astype("string").fillna("").to_numpy(dtype=object)[idx[1]]
    return list(names)


def with_cell_ids(cells: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """A copy with a readable ``cell_id``: ``r{row}c{col}`` on a lattice, else ``grid_id``, else ``cell{n}``."""
    cells = cells.copy()
    if "cell_id" in cells.columns:
        cells["cell_id"] = cells["cell_id"].astype(str)
    elif {"row", "col"} <= set(cells.columns):
        cells["cell_id"] = "r" + cells["row"].astype(str) + "c" + cells["col"].astype(str)
    elif "grid_id" in cells.columns:
        cells["cell_id"] = cells["grid_id"].astype(str)
    else:
        cells["cell_id"] = [f"cell{i + 1}" for i in range(len(cells))]
    cells["gi_bin"] = np.asarray(cells["gi_bin"], dtype=np.float64).round().astype(np.int64) if len(cells) else cells["gi_bin"]
    return cells


def count_in_polygons(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, mask: np.ndarray | None = None) -> np.ndarray:
    """Incidents per polygon (a point on a shared edge counts once); only those where ``mask`` is True."""
    assigned = assign_points_to_polygons(points, polygons)
    keep = assigned >= 0 if mask is None else (assigned >= 0) & mask
    return np.bincount(assigned[keep], minlength=len(polygons)).astype(np.int64)


def lonlat(geometries, crs) -> np.ndarray:
    """``(n, 2)`` longitude/latitude (6 decimals) of points, or of polygon centroids."""
    from gisapp.layers.transformers import transformer

    geoms = np.asarray(geometries, dtype=object)
    if len(geoms) == 0:
        return np.empty((0, 2))
    points = np.where(shapely.get_type_id(geoms) == 0, geoms, shapely.centroid(geoms))
    import pyproj

    lon, lat = transformer(pyproj.CRS.from_user_input(crs), pyproj.CRS.from_epsg(4326)).transform(
        shapely.get_x(points), shapely.get_y(points)
    )
    return np.round(np.column_stack([lon, lat]), 6)
