"""Route planning: a hotspot tour on the road network within a time budget, with a Koper dosage schedule.

Targets are the hotspot cells with ``gi_bin >= min_gi_bin``, worth their
incident count (``value``), at most ``max_targets`` of the most valuable.
Each target is the point of the road network nearest its cell's centre (see
:mod:`gisapp.analysis.core.road_network`). Travel times are shortest paths over the
roads. The tour is planned with the heuristic of :mod:`gisapp.analysis.patrol.orienteering`
and compared with the naive nearest-hotspot-next tour on the same network and
budget, on value and on value per minute. A Koper dosage schedule for the
planned stops comes from :mod:`gisapp.analysis.patrol.dosage`.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gisapp.analysis.core.layer_inputs import align_crs, count_in_polygons, hotspot_layer, lonlat, metric_crs_of
from gisapp.analysis.core.result import LayeredResult, report
from gisapp.analysis.core.road_network import NetworkParams, build_road_network
from gisapp.analysis.core.summaries import plain, plain_row, share
from gisapp.analysis.patrol.dosage import DosageParams, koper_schedule
from gisapp.analysis.patrol.orienteering import Tour, nearest_next_tour, plan_tour
from gisapp.layers.errors import InputError


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
            "value_ratio": share(plan.value, naive.value),
            "value_per_minute_ratio": share(plan.value_per_minute, naive.value_per_minute),
        },
        "stops": [plain_row(r) for r in stops.drop(columns="geometry").to_dict("records")],
        "dosage": dosage_summary,
        "unreachable": [
            {"cell_id": str(c), "value": plain(v), "reason": str(r)}
            for c, v, r in zip(unreachable_layer["cell_id"], unreachable_layer["value"], unreachable_layer["reason"])
        ],
        "heuristic": "greedy insertion by value per added minute, 2-opt, exchange; see gisapp.analysis.patrol.orienteering",
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
