"""Route exposure: what existing patrol routes pass.

Each route gets a corridor of ``corridor_width_m`` (the buffer of half the
width on each side). A hotspot cell is *touched* by a route when the corridor
intersects it; an incident is in the corridor when it lies inside it. Time is
length / speed (no stops). When a route's ``shift`` names a known shift
(白班, 夜班, ...), the incidents in its corridor during those hours are counted
too: a night route past a daytime market is not much protection.
"""

from __future__ import annotations

from dataclasses import asdict

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gisapp.analysis.core.aggregation import point_coordinates
from gisapp.analysis.core.contract import AUTO
from gisapp.analysis.core.layer_inputs import (
    align_crs,
    chosen_hotspots,
    count_in_polygons,
    hotspot_layer,
    metric_crs_of,
    nearest_road_names,
)
from gisapp.analysis.core.result import LayeredResult, report
from gisapp.analysis.core.summaries import plain_row, share
from gisapp.analysis.patrol.methods import ExposureParams
from gisapp.layers.errors import InputError

#: Shift names found in route tables -> (from hour, to hour), half-open, wrapping midnight.
SHIFT_HOURS = {
    "白班": (8, 20), "日班": (8, 20), "day": (8, 20),
    "夜班": (20, 8), "night": (20, 8),
    "早班": (6, 14), "中班": (14, 22), "晚班": (22, 6),
}


def route_exposure(
    routes: gpd.GeoDataFrame,
    incidents: gpd.GeoDataFrame,
    params: ExposureParams | None = None,
    hotspots: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | None = None,
    progress=None,
    cancelled=None,
) -> LayeredResult:
    """What each patrol route passes: length, time, incidents and hotspot cells in its corridor.

    Parameters
    ----------
    routes : GeoDataFrame
        Lines (``route_id``, ``name``, ``unit``, ``shift``). Rows that are not
        lines are left out and listed in ``summary["routes_rejected"]``.
    incidents : GeoDataFrame
        Points in a metric CRS (the analysis CRS).
    params : ExposureParams, optional
    hotspots : GeoDataFrame, optional
        Cells with ``gi_bin``; computed from the incidents when not given.
    roads : GeoDataFrame, optional
        To name the road nearest each unpatrolled hotspot.

    Returns
    -------
    LayeredResult
        ``layer``: the routes with ``length_km``, ``minutes``, ``incidents``,
        ``incidents_per_km``, ``incidents_in_shift``, ``hotspot_cells``,
        ``hotspot_incidents``, ``hotspot_ids``. ``extra_layers``:
        ``corridors`` and ``unpatrolled_hotspots`` (ranked by incidents).
    """
    params = params or ExposureParams()
    params.validate()
    crs = metric_crs_of(incidents, "incident layer")
    notes: list[str] = []
    routes = align_crs(routes, crs, "route", notes)
    roads = align_crs(roads, crs, "road", notes)
    routes, rejected = _usable_routes(routes)
    report(progress, cancelled, 0.1, "Hotspot cells")
    cells, source = hotspot_layer(incidents, hotspots, notes, cancelled=cancelled)
    hot = cells[cells["gi_bin"] >= params.min_gi_bin].reset_index(drop=True)
    hot = hot.assign(n=count_in_polygons(incidents, hot)) if len(hot) else hot.assign(n=np.zeros(0, dtype=np.int64))
    report(progress, cancelled, 0.4, "Route corridors")
    lines = np.asarray(routes.geometry.values)
    corridors = shapely.buffer(lines, params.corridor_width_m / 2)
    _, _, located = point_coordinates(incidents)
    points = np.asarray(incidents.geometry.values)
    route_i, point_i = shapely.STRtree(points[located]).query(corridors, predicate="intersects")
    point_i = np.flatnonzero(located)[point_i]
    in_shift = _in_shift(incidents, routes, route_i, point_i)
    cell_route, cell_i = shapely.STRtree(np.asarray(hot.geometry.values)).query(corridors, predicate="intersects") if len(hot) else (np.zeros(0, int), np.zeros(0, int))
    length = shapely.length(lines)
    layer = routes.copy()
    layer["length_km"] = np.round(length / 1000, 3)
    layer["minutes"] = np.round(length / (params.speed_kmh * 1000 / 60), 1)
    layer["incidents"] = np.bincount(route_i, minlength=len(routes))
    layer["incidents_per_km"] = np.round(layer["incidents"] / np.maximum(length / 1000, 1e-9), 1)
    layer["incidents_in_shift"] = in_shift
    layer["hotspot_cells"] = np.bincount(cell_route, minlength=len(routes))
    layer["hotspot_incidents"] = np.bincount(cell_route, weights=hot["n"].to_numpy()[cell_i], minlength=len(routes)).astype(np.int64) if len(hot) else 0
    ids = hot["cell_id"].to_numpy() if len(hot) else np.zeros(0, dtype=object)
    layer["hotspot_ids"] = [",".join(ids[cell_i[cell_route == r]]) for r in range(len(routes))]
    touched = np.zeros(len(hot), dtype=bool)
    touched[cell_i] = True
    unpatrolled = _unpatrolled(hot[~touched], lines, roads)
    corridor_layer = gpd.GeoDataFrame(
        {c: routes[c].to_numpy() for c in ("route_id", "name") if c in routes}, geometry=gpd.GeoSeries(corridors, crs=crs), crs=crs
    )
    union_touched_incidents = int(hot["n"].to_numpy()[touched].sum()) if len(hot) else 0
    summary = {
        "routes": len(routes),
        "routes_rejected": rejected,
        "corridor_width_m": params.corridor_width_m,
        "speed_kmh": params.speed_kmh,
        "incidents": int(located.sum()),
        "incidents_in_any_corridor": len(np.unique(point_i)),
        "share_incidents_in_corridors": share(len(np.unique(point_i)), located.sum()),
        "hotspots": {"source": source, "hot_cells": len(hot), "min_gi_bin": params.min_gi_bin},
        "hot_cells_touched": int(touched.sum()),
        "share_hot_cells_touched": share(touched.sum(), len(hot)),
        "share_hotspot_incidents_touched": share(union_touched_incidents, hot["n"].sum() if len(hot) else 0),
        "hot_cells_unpatrolled": int((~touched).sum()),
        "per_route": [plain_row(row) for row in layer.drop(columns=["geometry", "hotspot_ids"]).to_dict("records")],
        "top_unpatrolled": [plain_row(r) for r in unpatrolled.drop(columns="geometry")[["rank", "cell_id", "n", "nearest_road", "nearest_route_m"]].head(10).to_dict("records")]
        if len(unpatrolled) else [],
        "notes": notes,
    }
    report(progress, cancelled, 1.0, "Route exposure done")
    return LayeredResult(
        layer, summary, {**asdict(params), "hotspot_source": source},
        extra_layers={"corridors": corridor_layer, "unpatrolled_hotspots": unpatrolled},
    )


def run_patrol(inputs, params: ExposureParams, progress=None, cancelled=None) -> LayeredResult:
    """The ``patrol`` method: what the input's routes pass among the filtered incidents and the hotspot cells.

    Route rows the reader rejected are listed with those the analysis leaves
    out (``routes_rejected``), so that no route goes missing silently.
    """
    routes = inputs.frame("routes")
    on_reading = [{**r, "route_id": "", "reason": f"{r['reason']} (on reading)"} for r in inputs.rejects("routes")]
    if len(routes) == 0:
        raise InputError(f"No usable patrol route: {on_reading[0]['reason'] if on_reading else 'the routes layer is empty'}.")
    result = route_exposure(
        routes, inputs.incidents(), params, hotspots=chosen_hotspots(inputs, params.hotspots),
        roads=inputs.frame("roads", required=False), progress=progress, cancelled=cancelled,
    )
    result.summary["routes_rejected"] = on_reading + result.summary["routes_rejected"]
    if params.hotspots == AUTO:
        result.chosen["hotspots"] = result.summary["hotspots"]["source"]
    return result


def _usable_routes(routes: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, list[dict]]:
    geoms = np.asarray(routes.geometry.values)
    missing = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    is_line = np.isin(shapely.get_type_id(geoms), (shapely.GeometryType.LINESTRING, shapely.GeometryType.MULTILINESTRING, shapely.GeometryType.LINEARRING))
    ok = ~missing & is_line
    ids = routes["route_id"].astype(str).to_numpy() if "route_id" in routes else np.array([str(i + 1) for i in range(len(routes))])
    rejected = [
        {"row": int(i) + 1, "route_id": ids[i], "reason": "no geometry" if missing[i] else f"{geoms[i].geom_type} is not a line"}
        for i in np.flatnonzero(~ok)
    ]
    if not ok.any():
        raise InputError(f"No route is a line ({len(routes)} rows: {rejected[0]['reason'] if rejected else 'empty layer'}); routes must be line features.")
    return routes[ok].reset_index(drop=True), rejected


def _in_shift(incidents, routes, route_i, point_i) -> list:
    if "occurred_at" not in incidents.columns or "shift" not in routes.columns:
        return [None] * len(routes)
    hours = pd.to_datetime(incidents["occurred_at"], errors="coerce").dt.hour.to_numpy(dtype=np.float64, na_value=np.nan)
    out = []
    for r, shift in enumerate(routes["shift"].astype("string").fillna("").str.strip().str.lower()):
        span = SHIFT_HOURS.get(shift) or SHIFT_HOURS.get(str(shift).lower())
        if span is None:
            out.append(None)
            continue
        h = hours[point_i[route_i == r]]
        lo, hi = span
        inside = (h >= lo) & (h < hi) if lo < hi else (h >= lo) | (h < hi)
        out.append(int(inside.sum()))
    return out


def _unpatrolled(cells: gpd.GeoDataFrame, lines: np.ndarray, roads) -> gpd.GeoDataFrame:
    cells = cells.sort_values("n", ascending=False, kind="stable").reset_index(drop=True)
    cells.insert(0, "rank", np.arange(1, len(cells) + 1))
    centres = shapely.centroid(np.asarray(cells.geometry.values)) if len(cells) else np.empty(0, dtype=object)
    if len(cells):
        idx, dist = shapely.STRtree(lines).query_nearest(centres, return_distance=True, all_matches=False)
        near = np.full(len(cells), np.nan)
        near[idx[0]] = dist
        cells["nearest_route_m"] = np.round(near, 1)
    else:
        cells["nearest_route_m"] = np.zeros(0)
    cells["nearest_road"] = nearest_road_names(centres, roads)
    return cells
