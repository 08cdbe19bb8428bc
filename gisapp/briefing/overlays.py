"""Names and short lists for the briefing and the printed map.

Presentation only: which hot cells to list as "the top hotspots" (strongest
peaks, at least 500 m apart), how to name a spot for a reader (the nearby
market, the road, the township), and category counts. The statistics
themselves come from ``analysis`` (Gi* bins from ``gisapp.analysis.hotspots.gistar``,
camera coverage and blind spots from ``gisapp.analysis.cameras.coverage``, route exposure
from ``gisapp.analysis.patrol.exposure``).

Everything here works in a projected, metric CRS.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

#: Peaks of the top-hotspot list are at least this far apart.
PEAK_SEPARATION_M = 500.0
#: An area within this distance of a peak names it.
AREA_NAMING_M = 150.0
#: A road within this distance names a peak that no area names.
ROAD_NAMING_M = 80.0


def top_hotspots(cells: gpd.GeoDataFrame, areas=None, roads=None, grids=None, count: int = 5) -> list[dict]:
    """The strongest hot cells, at least 500 m apart, each named by a nearby area or road.

    A greedy non-maximum suppression on ``gi_z``: a county-wide Gi* marks whole
    towns as hot, so listing the top cells alone would name one market five times.
    """
    hot = cells[(cells["gi_bin"] >= 1) & np.isfinite(cells["gi_z"])] if "gi_z" in cells else cells[cells["gi_bin"] >= 1]
    if not len(hot):
        return []
    order = hot.sort_values("gi_z" if "gi_z" in hot else "gi_bin", ascending=False)
    centres = shapely.centroid(order.geometry.values)
    cx, cy = shapely.get_x(centres), shapely.get_y(centres)
    chosen: list[int] = []
    for i in range(len(order)):
        if all((cx[i] - cx[j]) ** 2 + (cy[i] - cy[j]) ** 2 >= PEAK_SEPARATION_M**2 for j in chosen):
            chosen.append(i)
            if len(chosen) == count:
                break
    out = []
    for i in chosen:
        cell = order.iloc[i]
        out.append(
            {
                "place": place_name(centres[i], areas, roads, grids),
                "grid": containing_name(centres[i], grids),
                "n": int(cell["n"]) if "n" in order and pd.notna(cell["n"]) else None,
                "gi_z": float(cell["gi_z"]) if "gi_z" in order and pd.notna(cell["gi_z"]) else None,
                "gi_bin": int(cell["gi_bin"]),
                "x": float(cx[i]),
                "y": float(cy[i]),
            }
        )
    return out


def place_name(point, areas, roads, grids=None) -> str:
    """A name for a spot: the area within 150 m, else '<road>附近' (80 m, then 400 m), else
    '<grid or township>周边' within 2 km, else ''."""
    if areas is not None and len(areas) and "name" in areas:
        named = areas[areas["area_type"].astype(str) != "urban_fringe"] if "area_type" in areas else areas  # a ring names nothing
        name = _nearest_name(named, point, AREA_NAMING_M)
        if name:
            return name
    for reach in (ROAD_NAMING_M, 5 * ROAD_NAMING_M):
        name = _nearest_name(roads, point, reach)
        if name:
            return f"{name}附近"
    if grids is not None and "township" in grids:
        name = _nearest_name(grids.assign(name=grids["township"]), point, 2000.0)
    else:
        name = _nearest_name(grids, point, 2000.0)
    return f"{name}周边" if name else ""


def _nearest_name(frame, point, reach: float) -> str:
    if frame is None or not len(frame) or "name" not in frame:
        return ""
    distance = shapely.distance(frame.geometry.values, point)
    if not len(distance) or not np.isfinite(distance).any() or np.nanmin(distance) > reach:
        return ""
    return str(frame["name"].iloc[int(np.nanargmin(distance))])


def containing_name(point, polygons) -> str:
    if polygons is None or not len(polygons) or "name" not in polygons:
        return ""
    hit = shapely.contains(polygons.geometry.values, point)
    return str(polygons["name"].iloc[int(np.argmax(hit))]) if hit.any() else ""


def category_counts(incidents: gpd.GeoDataFrame, top: int = 6) -> list[tuple[str, int]]:
    if incidents is None or "category" not in incidents or not len(incidents):
        return []
    counts = incidents["category"].fillna("未分类").astype(str).value_counts()
    return [(str(k), int(v)) for k, v in counts.head(top).items()]


def named_cells(cells: gpd.GeoDataFrame, areas=None, roads=None, grids=None, count: int = 3) -> list[dict]:
    """The first ``count`` cells (already ranked), each with a place name, grid name and incident count."""
    rows = []
    for _, cell in cells.head(count).iterrows():
        centre = cell.geometry.centroid
        rows.append(
            {
                "place": place_name(centre, areas, roads, grids),
                "grid": containing_name(centre, grids),
                "n": int(cell["n"]) if "n" in cells and pd.notna(cell["n"]) else None,
                "gi_bin": int(cell["gi_bin"]) if "gi_bin" in cells else None,
            }
        )
    return rows
