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
from dataclasses import asdict, dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gisapp.analysis.core.contract import AUTO
from gisapp.analysis.core.layer_inputs import align_crs, chosen_hotspots, count_in_polygons, hotspot_layer, lonlat, metric_crs_of
from gisapp.analysis.core.result import LayeredResult, report
from gisapp.analysis.core.road_network import NetworkParams, build_road_network
from gisapp.analysis.core.summaries import plain, plain_row, share
from gisapp.analysis.patrol.dosage import DosageParams, koper_schedule
from gisapp.analysis.patrol.methods import PlanParams
from gisapp.analysis.patrol.orienteering import Tour, nearest_next_tour, plan_tour
from gisapp.analysis.patrol.start import plan_start
from gisapp.layers.errors import InputError


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
        ``max_snap_m`` from every road; no usable road.
    """
    params = params or PlanParams()
    params.validate()
    base = incidents if incidents is not None else roads
    crs = metric_crs_of(base, "incident layer" if incidents is not None else "road layer")
    notes: list[str] = []
    roads = align_crs(roads, crs, "road", notes)
    if hotspots is None and incidents is None:
        raise InputError("Route planning needs a hotspot layer, or incidents to compute one from.")
    settings = network_settings(params)
    report(progress, cancelled, 0.0, "Building the road network")
    network = build_road_network(roads, settings)
    sx, sy = _xy(start)
    report(progress, cancelled, 0.2, "Hotspot cells")
    targets = _targets(incidents, hotspots, params, crs, notes, cancelled)
    report(progress, cancelled, 0.35, "Snapping the station and hotspots to the roads")
    nodes, snap_m = _snap(network, (sx, sy), targets.centres, params.max_snap_m)
    report(progress, cancelled, 0.5, "Travel times")
    reach = _reach(network, nodes, snap_m, params.max_snap_m, params.return_to_start)
    report(progress, cancelled, 0.6, "Planning the tour")
    tours = _tours(targets, reach, params)
    report(progress, cancelled, 0.85, "Drawing the route")
    layer = _tours_layer(tours, network, reach, params.return_to_start, crs)
    stops = _stops_layer(tours["plan"], targets.considered, reach, params, network, crs)
    schedule, dosage_summary = koper_schedule(stops["cell_id"].tolist(), _legs(tours["plan"], reach), dosage_settings(params))
    unreachable = targets.considered[reach.reason != ""].assign(reason=reach.reason[reach.reason != ""])
    summary = {
        **_settings_summary(params, lonlat([shapely.Point(sx, sy)], crs)[0], snap_m[0]),
        "network": network.summary,
        "hotspots": _hotspot_summary(targets, reach, params, incidents),
        **_comparison(tours),
        "stops": [plain_row(r) for r in stops.drop(columns="geometry").to_dict("records")],
        "dosage": dosage_summary,
        "unreachable": [
            {"cell_id": str(c), "value": plain(v), "reason": str(r)}
            for c, v, r in zip(unreachable["cell_id"], unreachable["value"], unreachable["reason"])
        ],
        "heuristic": "greedy insertion by value per added minute, 2-opt, exchange; see gisapp.analysis.patrol.orienteering",
        "notes": notes,
    }
    if network.summary["components"] > 1:
        notes.append(f"the road network has {network.summary['components']} disconnected parts; hotspots on other parts than the start are listed as unreachable")
    report(progress, cancelled, 1.0, "Patrol plan done")
    resolved = {**asdict(params), "network": settings.to_dict(), "dosage": dosage_settings(params).to_dict(), "hotspot_source": targets.source}
    return LayeredResult(
        layer, summary, resolved,
        extra_layers={"stops": stops, "dosage": _dosage_layer(schedule, stops, crs), "unreachable_hotspots": unreachable},
    )


def run_plan(inputs, params: PlanParams, progress=None, cancelled=None) -> LayeredResult:
    """The ``plan`` method: a tour on the input's roads from the start (see :func:`~gisapp.analysis.patrol.start.plan_start`)."""
    start = plan_start(inputs, params)
    result = plan_patrol(
        inputs.frame("roads"), start.xy, params, hotspots=chosen_hotspots(inputs, params.hotspots),
        incidents=inputs.incidents(), progress=progress, cancelled=cancelled,
    )
    if start.note:
        result.summary["notes"].insert(0, start.note)
    result.chosen.update(start.chosen)
    if params.hotspots == AUTO:
        result.chosen["hotspots"] = result.summary["hotspots"]["source"]
    return result


def network_settings(params: PlanParams) -> NetworkParams:
    """The road network of a plan: its speed and snapping distance, the rest as :class:`NetworkParams` has them."""
    return NetworkParams(speed_kmh=params.speed_kmh, max_snap_m=params.max_snap_m)


def dosage_settings(params: PlanParams) -> DosageParams:
    """The Koper schedule of a plan: its shifts, interval and seed, stops of 10-15 minutes."""
    return DosageParams(shifts=params.shift_spans(), interval_minutes=params.interval_minutes, seed=params.seed)


@dataclass
class _Targets:
    """The hotspot places a plan may visit."""

    hot: gpd.GeoDataFrame  # the hotspot cells, valued
    places: gpd.GeoDataFrame  # the cells grouped into places (see hotspot_places)
    considered: gpd.GeoDataFrame  # the most valuable places, at most max_targets
    centres: np.ndarray  # the stop of each considered place (its peak cell's centre)
    source: str  # where the hotspot cells came from


def _targets(incidents, hotspots, params: PlanParams, crs, notes: list[str], cancelled) -> _Targets:
    if incidents is not None:
        cells, source = hotspot_layer(incidents, hotspots, notes, cancelled=cancelled)
    else:
        cells, source = hotspot_layer(_empty_points(crs), align_crs(hotspots, crs, "hotspot", notes), notes)
    hot = cells[cells["gi_bin"] >= params.min_gi_bin].reset_index(drop=True)
    hot = hot.assign(value=_cell_values(hot, incidents))
    places = hotspot_places(hot[hot["value"] > 0], params.merge_radius_m)
    considered = places.head(int(params.max_targets)).reset_index(drop=True)
    centres = considered["peak"].to_numpy() if len(considered) else np.empty(0, dtype=object)
    return _Targets(hot, places, considered.drop(columns="peak"), centres, source)


def _snap(network, start_xy: tuple[float, float], centres: np.ndarray, max_snap_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Network nodes of the start (first) and of each target (-1: off the network), and the snapping distances."""
    sx, sy = start_xy
    nodes, snap_m = network.snap(np.concatenate([[sx], shapely.get_x(centres)]), np.concatenate([[sy], shapely.get_y(centres)]), max_snap_m)
    if nodes[0] < 0:
        raise InputError(
            f"The start point is {snap_m[0]:,.0f} m from the nearest road (the limit is {max_snap_m:g} m): "
            "check its coordinates, or give a station on the road network."
        )
    return nodes, snap_m


@dataclass
class _Reach:
    """The start and the targets on the road network, and the travel minutes between those it can reach."""

    nodes: np.ndarray  # network node of the start, then of each target (-1: off the network)
    predecessors: np.ndarray  # shortest-path trees, one row per distinct source node
    reason: np.ndarray  # why each target cannot be visited ("" when it can)
    usable: np.ndarray  # positions of the targets that can be visited
    row_of: list  # predecessors row of the start (0) and of each usable target
    start_to: np.ndarray  # minutes from the start to each usable target
    between: np.ndarray  # minutes between usable targets (the shorter way of the two)
    to_end: np.ndarray  # minutes from each usable target to the end of the tour

    @property
    def path_nodes(self) -> list[int]:
        """The network node of the start and of each usable target."""
        return [int(self.nodes[0])] + [int(self.nodes[1:][i]) for i in self.usable]


def _reach(network, nodes: np.ndarray, snap_m: np.ndarray, max_snap_m: float, return_to_start: bool) -> _Reach:
    sources = [int(n) for n in nodes if n >= 0]  # the start first; hotspots sharing a node share a row
    minutes, predecessors = network.travel(sources)
    source_row: dict[int, int] = {}
    for row, node in enumerate(sources):
        source_row.setdefault(node, row)
    target_nodes = nodes[1:]
    reason = np.full(len(target_nodes), "", dtype=object)
    off_road = target_nodes < 0
    reason[off_road] = [f"no road within {max_snap_m:g} m (nearest {d:,.0f} m)" for d in snap_m[1:][off_road]]
    start_to = np.where(off_road, np.inf, minutes[0][np.where(off_road, 0, target_nodes)])
    reason[~off_road & ~np.isfinite(start_to)] = "not connected to the start by the road network"
    usable = np.flatnonzero(reason == "")
    rows = [source_row[int(target_nodes[i])] for i in usable]
    between = minutes[np.ix_(rows, target_nodes[usable])] if len(usable) else np.zeros((0, 0))
    s_to = start_to[usable]
    return _Reach(
        nodes, predecessors, reason, usable, [0] + rows, s_to, np.minimum(between, between.T),
        s_to if return_to_start else np.zeros(len(usable)),
    )


def _tours(targets: _Targets, reach: _Reach, params: PlanParams) -> dict[str, Tour]:
    """The planned tour and, to compare it with, the naive nearest-hotspot-next tour on the same budget."""
    values = targets.considered["value"].to_numpy(dtype=np.float64)[reach.usable]
    problem = (reach.start_to, reach.between, reach.to_end, values, params.dwell_minutes, params.budget_minutes)
    return {"plan": plan_tour(*problem), "naive": nearest_next_tour(*problem)}


def _tours_layer(tours: dict[str, Tour], network, reach: _Reach, return_to_start: bool, crs) -> gpd.GeoDataFrame:
    """One line along the roads per tour, with its minutes, stops and value."""
    layer = gpd.GeoDataFrame(
        {
            "tour": list(tours),
            "minutes": [round(t.minutes, 2) for t in tours.values()],
            "travel_minutes": [round(t.travel_minutes, 2) for t in tours.values()],
            "stops": [len(t.order) for t in tours.values()],
            "value": [t.value for t in tours.values()],
            "value_per_minute": [round(t.value_per_minute, 3) for t in tours.values()],
        },
        geometry=gpd.GeoSeries([_tour_line(t, network, reach, return_to_start) for t in tours.values()], crs=crs),
        crs=crs,
    )
    layer["km"] = np.round(shapely.length(np.asarray(layer.geometry.values)) / 1000, 3)
    return layer


def _tour_line(tour: Tour, network, reach: _Reach, return_to_start: bool):
    """The tour's path along the roads, from the start through its stops (and back)."""
    seq = [0] + [k + 1 for k in tour.order] + ([0] if return_to_start else [])
    path_nodes = reach.path_nodes
    parts = [network.path_xy(reach.predecessors[reach.row_of[a]], path_nodes[a], path_nodes[b]) for a, b in itertools.pairwise(seq)]
    coords = np.vstack(parts) if parts else np.empty((0, 2))
    return shapely.linestrings(coords) if len(coords) >= 2 else shapely.LineString()


def _settings_summary(params: PlanParams, start_lonlat, snapped_m: float) -> dict:
    return {
        "budget_minutes": params.budget_minutes,
        "speed_kmh": params.speed_kmh,
        "dwell_minutes": params.dwell_minutes,
        "return_to_start": params.return_to_start,
        "start": {"snapped_m": round(float(snapped_m), 1), "lonlat": [float(v) for v in start_lonlat]},
    }


def _comparison(tours: dict[str, Tour]) -> dict:
    plan, naive = tours["plan"], tours["naive"]
    return {
        "plan": _tour_summary(plan),
        "naive": _tour_summary(naive),
        "plan_vs_naive": {
            "value_ratio": share(plan.value, naive.value),
            "value_per_minute_ratio": share(plan.value_per_minute, naive.value_per_minute),
        },
    }


def _hotspot_summary(targets: _Targets, reach: _Reach, params: PlanParams, incidents) -> dict:
    return {
        "source": targets.source,
        "hot_cells": len(targets.hot),
        "places": len(targets.places),
        "merge_radius_m": params.merge_radius_m,
        "targets_considered": len(targets.considered),
        "reachable": len(reach.usable),
        "unreachable": int((reach.reason != "").sum()),
        "value": "incidents in the cell" if incidents is not None or "n" in targets.hot.columns else "Gi* z-score",
    }


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


def _legs(tour: Tour, reach: _Reach) -> np.ndarray:
    """Travel minutes of the tour: start to the first stop, between stops, last stop to the end."""
    if not tour.order:
        return np.array([0.0])
    order = tour.order
    legs = [reach.start_to[order[0]]] + [reach.between[a, b] for a, b in itertools.pairwise(order)]
    legs.append(reach.to_end[order[-1]])
    return np.asarray(legs, dtype=np.float64)


def _stops_layer(plan: Tour, considered, reach: _Reach, params: PlanParams, network, crs) -> gpd.GeoDataFrame:
    order = plan.order
    legs = _legs(plan, reach)[: len(order)]
    arrive = np.cumsum(legs) + params.dwell_minutes * np.arange(len(order))
    picked = reach.usable[order] if len(order) else np.zeros(0, dtype=np.int64)
    cells = considered.iloc[picked]
    points = shapely.points(network.xy[reach.nodes[1:][picked]]) if len(order) else np.empty(0, dtype=object)
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
