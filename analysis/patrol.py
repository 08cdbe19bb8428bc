"""Patrol routes: what existing routes pass (exposure), and a planned hotspot tour with a dosage schedule.

Route exposure (:func:`route_exposure`)
---------------------------------------
Each route gets a corridor of ``corridor_width_m`` (the buffer of half the
width on each side). A hotspot cell is *touched* by a route when the corridor
intersects it; an incident is in the corridor when it lies inside it. Time is
length / speed (no stops). When a route's ``shift`` names a known shift
(白班, 夜班, ...), the incidents in its corridor during those hours are counted
too: a night route past a daytime market is not much protection.

Route planning (:func:`plan_patrol`)
------------------------------------
Targets are the hotspot cells with ``gi_bin >= min_gi_bin``, worth their
incident count (``value``), at most ``max_targets`` of the most valuable.
Each target is the point of the road network nearest its cell's centre (see
:mod:`analysis.road_network`). Travel times are shortest paths over the
roads. The tour is planned with the heuristic of :mod:`analysis.orienteering`
and compared with the naive nearest-hotspot-next tour on the same network and
budget, on value and on value per minute. A Koper dosage schedule for the
planned stops comes from :mod:`analysis.dosage`.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from analysis.aggregation import point_coordinates
from analysis.dosage import DosageParams, koper_schedule
from analysis.layer_inputs import align_crs, count_in_polygons, hotspot_layer, lonlat, metric_crs_of
from analysis.layered_result import LayeredResult
from analysis.orienteering import Tour, nearest_next_tour, plan_tour
from analysis.result import report
from analysis.road_network import NetworkParams, build_road_network
from layers.errors import InputError

#: Shift names found in route tables -> (from hour, to hour), half-open, wrapping midnight.
SHIFT_HOURS = {
    "白班": (8, 20), "日班": (8, 20), "day": (8, 20),
    "夜班": (20, 8), "night": (20, 8),
    "早班": (6, 14), "中班": (14, 22), "晚班": (22, 6),
}


@dataclass
class ExposureParams:
    """Route exposure settings.

    Parameters
    ----------
    corridor_width_m : float
        Full width of the corridor around a route (half on each side).
    speed_kmh : float
        Patrol speed for the time estimate.
    min_gi_bin : int
        Hotspot cells are those with ``gi_bin`` at least this.
    """

    corridor_width_m: float = 100.0
    speed_kmh: float = 20.0
    min_gi_bin: int = 2

    def validate(self) -> None:
        if not (math.isfinite(self.corridor_width_m) and self.corridor_width_m > 0):
            raise InputError(f"The corridor width must be a positive number of metres, got {self.corridor_width_m}.")
        if not (math.isfinite(self.speed_kmh) and self.speed_kmh > 0):
            raise InputError(f"The speed must be a positive number of km/h, got {self.speed_kmh}.")

    def to_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class PlanParams:
    """Patrol planning settings.

    Parameters
    ----------
    budget_minutes : float
        Time for the whole tour, travel and stops.
    dwell_minutes : float
        Minutes stopped at each hotspot, counted in the budget. The default
        12.5 is the mean Koper stop (10-15 minutes), so a 60-minute tour
        repeated every two hours is a Koper schedule; 0 plans a drive-past.
    return_to_start : bool
        The tour ends back at the start (the station).
    min_gi_bin : int
    merge_radius_m : float
        Hotspot cells within this distance of a more valuable hotspot cell
        are served by the same stop (see :func:`hotspot_places`); 0 keeps
        every cell a stop of its own.
    max_targets : int
        At most this many hotspot places (the most valuable) are targets.
    network : NetworkParams
        Speed, class speeds and snapping.
    dosage : DosageParams
        The Koper schedule.
    """

    budget_minutes: float = 60.0
    dwell_minutes: float = 12.5
    return_to_start: bool = True
    min_gi_bin: int = 2
    merge_radius_m: float = 300.0
    max_targets: int = 50
    network: NetworkParams = field(default_factory=NetworkParams)
    dosage: DosageParams = field(default_factory=DosageParams)

    def validate(self) -> None:
        if not (math.isfinite(self.budget_minutes) and self.budget_minutes > 0):
            raise InputError(f"The time budget must be a positive number of minutes, got {self.budget_minutes}.")
        if not (math.isfinite(self.dwell_minutes) and self.dwell_minutes >= 0):
            raise InputError(f"The stop time must be 0 or more minutes, got {self.dwell_minutes}.")
        if not (math.isfinite(self.merge_radius_m) and self.merge_radius_m >= 0):
            raise InputError(f"The merge radius must be 0 or more metres, got {self.merge_radius_m}.")
        if int(self.max_targets) != self.max_targets or self.max_targets < 1:
            raise InputError(f"The number of target hotspots must be a positive whole number, got {self.max_targets}.")
        self.network.validate()
        self.dosage.validate()

    def to_dict(self) -> dict:
        out = {k: v for k, v in self.__dict__.items() if k not in ("network", "dosage")}
        return {**out, "network": self.network.to_dict(), "dosage": self.dosage.to_dict()}


# --------------------------------------------------------------------------- exposure


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
        "share_incidents_in_corridors": _share(len(np.unique(point_i)), located.sum()),
        "hotspots": {"source": source, "hot_cells": len(hot), "min_gi_bin": params.min_gi_bin},
        "hot_cells_touched": int(touched.sum()),
        "share_hot_cells_touched": _share(touched.sum(), len(hot)),
        "share_hotspot_incidents_touched": _share(union_touched_incidents, hot["n"].sum() if len(hot) else 0),
        "hot_cells_unpatrolled": int((~touched).sum()),
        "per_route": [_plain_row(row) for row in layer.drop(columns=["geometry", "hotspot_ids"]).to_dict("records")],
        "top_unpatrolled": [_plain_row(r) for r in unpatrolled.drop(columns="geometry")[["rank", "cell_id", "n", "nearest_road", "nearest_route_m"]].head(10).to_dict("records")]
        if len(unpatrolled) else [],
        "notes": notes,
    }
    report(progress, cancelled, 1.0, "Route exposure done")
    return LayeredResult(
        layer, summary, {**params.to_dict(), "hotspot_source": source},
        extra_layers={"corridors": corridor_layer, "unpatrolled_hotspots": unpatrolled},
    )


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
    names = np.full(len(cells), "", dtype=object)
    if roads is not None and len(roads) and len(cells) and "name" in roads:
        idx = shapely.STRtree(np.asarray(roads.geometry.values)).query_nearest(centres, all_matches=False)
        names[idx[0]] = roads["name"].astype("string").fillna("").to_numpy(dtype=object)[idx[1]]
    cells["nearest_road"] = names
    return cells


# --------------------------------------------------------------------------- planning


def plan_patrol(
    roads: gpd.GeoDataFrame,
    start,
    params: PlanParams | None = None,
    hotspots: gpd.GeoDataFrame | None = None,
    incidents: gpd.GeoDataFrame | None = None,
    progress=None,
    cancelled=None,
) -> LayeredResult:
    """Plan a patrol tour on the roads that visits the most hotspot value within the budget.

    Parameters
    ----------
    roads : GeoDataFrame
        Road lines in a metric CRS (the analysis CRS unless incidents are given).
    start : shapely Point or (x, y)
        The station, in the analysis CRS.
    params : PlanParams, optional
    hotspots : GeoDataFrame, optional
        Cells with ``gi_bin``; computed from ``incidents`` when not given.
    incidents : GeoDataFrame, optional
        To value each hotspot cell by its incidents (and to compute hotspots).

    Returns
    -------
    LayeredResult
        ``layer``: two lines along the roads, ``plan`` and ``naive``, with
        ``minutes``, ``km``, ``stops``, ``value``, ``value_per_minute``.
        ``extra_layers``: ``stops`` (planned stops in order, with arrival
        minute), ``dosage`` (the Koper schedule, one point per stop and
        cycle), ``unreachable_hotspots`` (with the reason).

    Raises
    ------
    InputError
        No hotspot layer and no incidents; the start farther than
        ``network.max_snap_m`` from every road; no usable road.
    """
    params = params or PlanParams()
    params.validate()
    base = incidents if incidents is not None else roads
    crs = metric_crs_of(base, "incident layer" if incidents is not None else "road layer")
    notes: list[str] = []
    roads = align_crs(roads, crs, "road", notes)
    if hotspots is None and incidents is None:
        raise InputError("Route planning needs a hotspot layer, or incidents to compute one from.")
    report(progress, cancelled, 0.0, "Building the road network")
    network = build_road_network(roads, params.network)
    sx, sy = _xy(start)
    report(progress, cancelled, 0.2, "Hotspot cells")
    if incidents is not None:
        cells, source = hotspot_layer(incidents, hotspots, notes, cancelled=cancelled)
    else:
        cells, source = hotspot_layer(_empty_points(crs), align_crs(hotspots, crs, "hotspot", notes), notes)
    hot = cells[cells["gi_bin"] >= params.min_gi_bin].reset_index(drop=True)
    hot = hot.assign(value=_cell_values(hot, incidents))
    places = hotspot_places(hot[hot["value"] > 0], params.merge_radius_m)
    considered = places.head(int(params.max_targets)).reset_index(drop=True)
    centres = considered["peak"].to_numpy() if len(considered) else np.empty(0, dtype=object)
    considered = considered.drop(columns="peak")
    report(progress, cancelled, 0.35, "Snapping the station and hotspots to the roads")
    nodes, snap_m = network.snap(
        np.concatenate([[sx], shapely.get_x(centres)]), np.concatenate([[sy], shapely.get_y(centres)]), params.network.max_snap_m
    )
    if nodes[0] < 0:
        raise InputError(
            f"The start point is {snap_m[0]:,.0f} m from the nearest road (the limit is {params.network.max_snap_m:g} m): "
            "check its coordinates, or give a station on the road network."
        )
    report(progress, cancelled, 0.5, "Travel times")
    sources = [int(n) for n in nodes if n >= 0]  # the start first; hotspots sharing a node share a row
    minutes, predecessors = network.travel(sources)
    source_row: dict[int, int] = {}
    for row, node in enumerate(sources):
        source_row.setdefault(node, row)
    reason = np.full(len(considered), "", dtype=object)
    off_road = nodes[1:] < 0
    reason[off_road] = [f"no road within {params.network.max_snap_m:g} m (nearest {d:,.0f} m)" for d in snap_m[1:][off_road]]
    target_nodes = nodes[1:]
    start_to = np.where(off_road, np.inf, minutes[0][np.where(off_road, 0, target_nodes)])
    unreachable = ~off_road & ~np.isfinite(start_to)
    reason[unreachable] = "not connected to the start by the road network"
    usable = np.flatnonzero(reason == "")
    rows = [source_row[int(target_nodes[i])] for i in usable]
    between = minutes[np.ix_(rows, target_nodes[usable])] if len(usable) else np.zeros((0, 0))
    between = np.minimum(between, between.T)
    s_to = start_to[usable]
    to_end = s_to if params.return_to_start else np.zeros(len(usable))
    values = considered["value"].to_numpy(dtype=np.float64)[usable]
    report(progress, cancelled, 0.6, "Planning the tour")
    plan = plan_tour(s_to, between, to_end, values, params.dwell_minutes, params.budget_minutes)
    naive = nearest_next_tour(s_to, between, to_end, values, params.dwell_minutes, params.budget_minutes)
    report(progress, cancelled, 0.85, "Drawing the route")
    path_nodes = [int(nodes[0])] + [int(target_nodes[i]) for i in usable]
    row_of = [0] + rows

    def line_of(tour: Tour):
        stops = [k + 1 for k in tour.order]
        seq = [0] + stops + ([0] if params.return_to_start else [])
        parts = [network.path_xy(predecessors[row_of[a]], path_nodes[a], path_nodes[b]) for a, b in itertools.pairwise(seq)]
        coords = np.vstack(parts) if parts else np.empty((0, 2))
        return shapely.linestrings(coords) if len(coords) >= 2 else shapely.LineString()

    tours = {"plan": plan, "naive": naive}
    layer = gpd.GeoDataFrame(
        {
            "tour": list(tours),
            "minutes": [round(t.minutes, 2) for t in tours.values()],
            "travel_minutes": [round(t.travel_minutes, 2) for t in tours.values()],
            "stops": [len(t.order) for t in tours.values()],
            "value": [t.value for t in tours.values()],
            "value_per_minute": [round(t.value_per_minute, 3) for t in tours.values()],
        },
        geometry=gpd.GeoSeries([line_of(t) for t in tours.values()], crs=crs),
        crs=crs,
    )
    layer["km"] = np.round(shapely.length(np.asarray(layer.geometry.values)) / 1000, 3)
    stops = _stops_layer(plan, considered, usable, s_to, between, params, network, nodes, crs)
    legs = _legs(plan, s_to, between, params.return_to_start)
    schedule, dosage_summary = koper_schedule(stops["cell_id"].tolist(), legs, params.dosage)
    dosage = _dosage_layer(schedule, stops, crs)
    unreachable_layer = considered[reason != ""].assign(reason=reason[reason != ""])
    summary = {
        "budget_minutes": params.budget_minutes,
        "speed_kmh": params.network.speed_kmh,
        "dwell_minutes": params.dwell_minutes,
        "return_to_start": params.return_to_start,
        "start": {"snapped_m": round(float(snap_m[0]), 1), "lonlat": [float(v) for v in lonlat([shapely.Point(sx, sy)], crs)[0]]},
        "network": network.summary,
        "hotspots": {
            "source": source,
            "hot_cells": len(hot),
            "places": len(places),
            "merge_radius_m": params.merge_radius_m,
            "targets_considered": len(considered),
            "reachable": len(usable),
            "unreachable": int((reason != "").sum()),
            "value": "incidents in the cell" if incidents is not None or "n" in hot.columns else "Gi* z-score",
        },
        "plan": _tour_summary(plan),
        "naive": _tour_summary(naive),
        "plan_vs_naive": {
            "value_ratio": _share(plan.value, naive.value),
            "value_per_minute_ratio": _share(plan.value_per_minute, naive.value_per_minute),
        },
        "stops": [_plain_row(r) for r in stops.drop(columns="geometry").to_dict("records")],
        "dosage": dosage_summary,
        "unreachable": [
            {"cell_id": str(c), "value": _plain(v), "reason": str(r)}
            for c, v, r in zip(unreachable_layer["cell_id"], unreachable_layer["value"], unreachable_layer["reason"])
        ],
        "heuristic": "greedy insertion by value per added minute, 2-opt, exchange; see analysis.orienteering",
        "notes": notes,
    }
    if network.summary["components"] > 1:
        notes.append(f"the road network has {network.summary['components']} disconnected parts; hotspots on other parts than the start are listed as unreachable")
    report(progress, cancelled, 1.0, "Patrol plan done")
    return LayeredResult(
        layer, summary, {**params.to_dict(), "hotspot_source": source},
        extra_layers={"stops": stops, "dosage": dosage, "unreachable_hotspots": unreachable_layer},
    )


def hotspot_places(hot: gpd.GeoDataFrame, radius_m: float) -> gpd.GeoDataFrame:
    """Group hotspot cells into places a patrol serves with one stop.

    Cells are taken in decreasing ``value``; each cell not yet served starts
    a place at its own centre and serves every unserved cell whose centre is
    within ``radius_m`` (greedy non-maximum suppression). A place is worth the
    sum of its cells' values; its stop is at the centre of its most valuable
    cell (``peak``). Deterministic: ties keep the input order.

    Returns
    -------
    GeoDataFrame
        ``cell_id`` (of the peak cell, which names the place), ``cells``
        (member ids), ``n_cells``, ``value``, ``gi_z`` (of the peak),
        ``peak`` (point), geometry = the union of the member cells; most
        valuable first.
    """
    hot = hot.sort_values("value", ascending=False, kind="stable").reset_index(drop=True)
    geoms = np.asarray(hot.geometry.values)
    centres = shapely.centroid(geoms) if len(hot) else np.empty(0, dtype=object)
    xy = shapely.get_coordinates(centres) if len(hot) else np.empty((0, 2))
    owner = np.full(len(hot), -1, dtype=np.int64)
    if radius_m > 0 and len(hot):
        from scipy.spatial import cKDTree

        neighbours = cKDTree(xy).query_ball_point(xy, radius_m * (1 + 1e-9))
    else:
        neighbours = [[i] for i in range(len(hot))]
    for i in range(len(hot)):
        if owner[i] < 0:
            members = np.asarray(neighbours[i], dtype=np.int64)
            owner[members[owner[members] < 0]] = i
    peaks = np.unique(owner)
    peaks = peaks[np.argsort(-hot["value"].to_numpy()[peaks], kind="stable")] if len(peaks) else peaks
    ids = hot["cell_id"].astype(str).to_numpy()
    values = hot["value"].to_numpy(dtype=np.float64)
    gi_z = hot["gi_z"].to_numpy(dtype=np.float64) if "gi_z" in hot else np.full(len(hot), np.nan)
    members = [np.flatnonzero(owner == p) for p in peaks]
    return gpd.GeoDataFrame(
        {
            "cell_id": ids[peaks],
            "cells": [",".join(ids[m]) for m in members],
            "n_cells": [len(m) for m in members],
            "value": [float(values[m].sum()) for m in members],
            "gi_z": gi_z[peaks] if len(peaks) else np.zeros(0),
            "peak": centres[peaks] if len(peaks) else np.empty(0, dtype=object),
        },
        geometry=gpd.GeoSeries([shapely.union_all(geoms[m]) for m in members], crs=hot.crs),
        crs=hot.crs,
    )


def _xy(start) -> tuple[float, float]:
    if isinstance(start, shapely.Geometry):
        if start.is_empty or start.geom_type != "Point":
            raise InputError("The start must be a point (a police station).")
        return float(start.x), float(start.y)
    try:
        sx, sy = (float(v) for v in start)
    except (TypeError, ValueError):
        raise InputError(f"The start must be a point or an (x, y) pair, got {start!r}.") from None
    if not (math.isfinite(sx) and math.isfinite(sy)):
        raise InputError("The start point has no finite coordinates.")
    return sx, sy


def _empty_points(crs) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs=crs), crs=crs)


def _cell_values(hot: gpd.GeoDataFrame, incidents) -> np.ndarray:
    if incidents is not None:
        return count_in_polygons(incidents, hot).astype(np.float64) if len(hot) else np.zeros(0)
    if "n" in hot.columns:
        return pd.to_numeric(hot["n"], errors="coerce").fillna(0).to_numpy(dtype=np.float64)
    return pd.to_numeric(hot.get("gi_z", 0), errors="coerce").fillna(0).clip(lower=0).to_numpy(dtype=np.float64)


def _legs(tour: Tour, start_to, between, back: bool) -> np.ndarray:
    if not tour.order:
        return np.array([0.0])
    order = tour.order
    legs = [start_to[order[0]]] + [between[a, b] for a, b in itertools.pairwise(order)]
    legs.append(start_to[order[-1]] if back else 0.0)
    return np.asarray(legs, dtype=np.float64)


def _stops_layer(plan: Tour, considered, usable, start_to, between, params: PlanParams, network, nodes, crs) -> gpd.GeoDataFrame:
    order = plan.order
    legs = _legs(plan, start_to, between, params.return_to_start)[: len(order)]
    arrive = np.cumsum(legs) + params.dwell_minutes * np.arange(len(order))
    cells = considered.iloc[usable[order]] if len(order) else considered.iloc[[]]
    target_nodes = nodes[1:][usable[order]] if len(order) else np.zeros(0, dtype=np.int64)
    points = shapely.points(network.xy[target_nodes]) if len(order) else np.empty(0, dtype=object)
    ll = lonlat(points, crs)
    return gpd.GeoDataFrame(
        {
            "order": np.arange(1, len(order) + 1),
            "cell_id": cells["cell_id"].astype(str).to_numpy(),
            "value": cells["value"].to_numpy(),
            "gi_z": np.round(cells["gi_z"].to_numpy(dtype=np.float64), 3) if "gi_z" in cells else np.full(len(order), np.nan),
            "leg_minutes": np.round(legs, 2),
            "arrive_minute": np.round(arrive, 2),
            "lon": ll[:, 0] if len(ll) else np.zeros(0),
            "lat": ll[:, 1] if len(ll) else np.zeros(0),
        },
        geometry=gpd.GeoSeries(points, crs=crs),
        crs=crs,
    )


def _dosage_layer(schedule: pd.DataFrame, stops: gpd.GeoDataFrame, crs) -> gpd.GeoDataFrame:
    where = dict(zip(stops["cell_id"], stops.geometry.values))
    geoms = [where[c] for c in schedule["stop_id"]]
    return gpd.GeoDataFrame(schedule.rename(columns={"stop_id": "cell_id"}), geometry=gpd.GeoSeries(geoms, crs=crs), crs=crs)


def _tour_summary(tour: Tour) -> dict:
    return {
        "stops": len(tour.order),
        "value": round(tour.value, 3),
        "minutes": round(tour.minutes, 2),
        "travel_minutes": round(tour.travel_minutes, 2),
        "value_per_minute": round(tour.value_per_minute, 3),
    }


def _share(part, whole) -> float | None:
    return None if not whole else round(float(part) / float(whole), 4)


def _plain(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if not np.isfinite(value) else round(float(value), 4)
    if isinstance(value, np.bool_):
        return bool(value)
    if value is None or value is pd.NA:
        return None
    return value


def _plain_row(row: dict) -> dict:
    return {k: _plain(v) for k, v in row.items()}
