"""Per-zone figures for the briefing and the printed map: incidents, camera coverage, blind spots, routes.

Every table of a page quotes the zones of :func:`gisapp.analysis.hotspots.zones.hotspot_zones`;
this module adds to each zone what the other analyses found inside it, so the
主要热点 and 监控盲区 tables and the findings give one number per place.
Coverage comes from ``gisapp.analysis.cameras.coverage`` (its ``hotspot_coverage``
cells with ``n`` and ``n_covered``, and its ranked blind spots); nothing is
recounted here except which zone a point or a cell falls in.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely


def zone_of_points(points, zones: gpd.GeoDataFrame) -> np.ndarray:
    """The ``zone_id`` each point (shapely array or GeoSeries) lies in; 0 outside every zone."""
    geometries = np.asarray(getattr(points, "values", points), dtype=object)
    out = np.zeros(len(geometries), dtype=np.int64)
    if not len(geometries) or zones is None or not len(zones):
        return out
    tree = shapely.STRtree(zones.geometry.values)
    point_index, zone_index = tree.query(geometries, predicate="within")
    out[point_index] = zones["zone_id"].to_numpy()[zone_index]
    return out


def zone_of_cells(cells: gpd.GeoDataFrame, zones: gpd.GeoDataFrame) -> np.ndarray:
    """The ``zone_id`` of each cell (by a point inside it); 0 for cells in no zone."""
    if cells is None or not len(cells):
        return np.zeros(0, dtype=np.int64)
    return zone_of_points(shapely.point_on_surface(cells.geometry.values), zones)


def zone_coverage(zones: gpd.GeoDataFrame, hotspot_coverage: gpd.GeoDataFrame | None, blind: gpd.GeoDataFrame | None) -> dict[int, dict]:
    """Per zone: incidents its cameras see (``n_covered``, ``covered_share``) and its blind cells.

    ``blind_cells`` counts the zone's cells among the coverage analysis's blind
    spots, ``n_uncovered`` the incidents outside every camera's view in the
    zone, and ``site_road`` the road nearest its blind cell with the most
    unseen incidents (where a new camera would see most).
    """
    figures: dict[int, dict] = {}
    if hotspot_coverage is None or not len(zones):
        return figures
    covered = hotspot_coverage.assign(_zone=zone_of_cells(hotspot_coverage, zones))
    covered = covered[covered["_zone"] > 0]
    sums = covered.groupby("_zone")[["n", "n_covered"]].sum()
    for zone_id, row in sums.iterrows():
        n = int(row["n"])
        figures[int(zone_id)] = {"n_covered": int(row["n_covered"]), "n_seen_total": n, "covered_share": row["n_covered"] / n if n else None,
                                 "n_uncovered": n - int(row["n_covered"]), "blind_cells": 0, "site_road": ""}
    if blind is not None and len(blind):
        ranked = blind.assign(_zone=zone_of_cells(blind, zones))
        ranked = ranked[ranked["_zone"] > 0]
        for zone_id, group in ranked.groupby("_zone"):
            entry = figures.setdefault(int(zone_id), {"n_covered": None, "covered_share": None, "n_uncovered": None, "site_road": ""})
            entry["blind_cells"] = len(group)
            top = group.sort_values("n_uncovered", ascending=False).iloc[0] if "n_uncovered" in group else group.iloc[0]
            road = top.get("nearest_road") if hasattr(top, "get") else None
            entry["site_road"] = "" if road is None or pd.isna(road) else str(road)
            entry["site_uncovered"] = int(top["n_uncovered"]) if "n_uncovered" in group else None
    return figures


def zone_routes(zones: gpd.GeoDataFrame, routes: gpd.GeoDataFrame | None, corridor_m: float) -> dict[int, list[str]]:
    """Per zone, the patrol routes whose corridor (``corridor_m`` wide, centred on the route) reaches it."""
    if routes is None or not len(routes) or not len(zones):
        return {}
    names = _route_names(routes)
    corridors = shapely.buffer(routes.geometry.values, corridor_m / 2.0)
    tree = shapely.STRtree(corridors)
    zone_index, route_index = tree.query(zones.geometry.values, predicate="intersects")
    passing: dict[int, list[str]] = {}
    ids = zones["zone_id"].to_numpy()
    for z, r in zip(zone_index, route_index):
        passing.setdefault(int(ids[z]), []).append(names[r])
    return {k: list(dict.fromkeys(v)) for k, v in passing.items()}


def _route_names(routes: gpd.GeoDataFrame) -> list[str]:
    names = routes["name"] if "name" in routes else routes.get("route_id", pd.Series(index=routes.index, dtype=object))
    return [str(v) if v is not None and not pd.isna(v) and str(v) else f"路线{i + 1}" for i, v in enumerate(names)]


def top_vertices(geometries) -> np.ndarray:
    """The northernmost vertex of each geometry (the westernmost of ties): where a zone's number goes,
    on its outline, away from the area labels at the centres."""
    out = []
    for geometry in geometries:
        coords = shapely.get_coordinates(geometry)
        best = np.lexsort((coords[:, 0], -coords[:, 1]))[0]
        out.append(shapely.Point(coords[best]))
    return np.array(out, dtype=object)
