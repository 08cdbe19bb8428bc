"""``gisapp patrol``: what the patrol routes pass; with ``--plan``, a hotspot tour and a Koper dosage schedule."""

from __future__ import annotations

import argparse

import numpy as np
import pyproj

from gisapp.analysis.core.road_network import NetworkParams
from gisapp.analysis.patrol.dosage import DosageParams
from gisapp.analysis.patrol.exposure import ExposureParams, route_exposure
from gisapp.analysis.patrol.plan import PlanParams, plan_patrol
from gisapp.layers.errors import InputError
from gisapp.layers.reproject import reproject
from gisapp.layers.transformers import transformer

from .common import (
    Inputs,
    add_filter_options,
    add_layer_options,
    add_output_options,
    incident_filter_from,
    layer_overrides,
    percent,
    publish,
    read_hotspot_file,
    read_plain_layer,
    reader_rejects,
)


def register(subparsers, commands) -> None:
    parser = subparsers.add_parser(
        "patrol",
        help="route exposure (incidents and hotspots along each patrol route), or --plan a hotspot tour",
        description="Without --plan: for each patrol route, its length, time, and the incidents and hotspot cells within "
        "its corridor, plus the hotspot cells no route passes. With --plan: a tour on the roads from a station that "
        "visits the most hotspot value within --budget minutes, compared with the naive nearest-hotspot-next tour, "
        "and a Koper dosage schedule (random 10-15 minute stops about every two hours per shift).",
    )
    parser.add_argument("input", help="GeoPackage with incidents, routes and roads (e.g. sample_data/county.gpkg)")
    add_layer_options(parser, ("routes", "roads"))
    parser.add_argument("--hotspots", metavar="FILE", help="hotspot cells from 'gisapp hotspot' (computed with 200 m cells, 400 m band when omitted)")
    parser.add_argument("--min-bin", type=int, default=2, choices=(1, 2, 3), help="hotspot cells: gi_bin at least this (default 2)")
    parser.add_argument("--speed", type=float, default=20.0, metavar="KMH", help="patrol speed in km/h (default 20)")
    exposure = parser.add_argument_group("route exposure")
    exposure.add_argument("--corridor", type=float, default=100.0, metavar="M", help="corridor width around each route, both sides together (default 100)")
    plan = parser.add_argument_group("route planning (--plan)")
    plan.add_argument("--plan", action="store_true", help="plan a hotspot tour instead of assessing the routes")
    plan.add_argument("--start", metavar="LON,LAT", help="the station, in WGS84 longitude,latitude")
    plan.add_argument("--stations", metavar="FILE", help="station points (派出所); the input's 'stations' layer when omitted")
    plan.add_argument("--station", metavar="NAME", help="which station (by name or id; the first one by default)")
    plan.add_argument("--budget", type=float, default=60.0, metavar="MIN", help="minutes for the tour, travel and stops (default 60)")
    plan.add_argument("--dwell", type=float, default=12.5, metavar="MIN", help="minutes stopped at each hotspot (default 12.5, the mean Koper stop; 0 drives past)")
    plan.add_argument("--merge-radius", type=float, default=300.0, metavar="M", help="hotspot cells this close to a better one share its stop (default 300)")
    plan.add_argument("--max-targets", type=int, default=50, help="the most valuable hotspot places considered (default 50)")
    plan.add_argument("--one-way", action="store_true", help="the tour need not return to the station")
    plan.add_argument("--max-snap", type=float, default=300.0, metavar="M", help="points farther than this from a road are off the network (default 300)")
    plan.add_argument("--shift", action="append", metavar="NAME=HH:MM-HH:MM", help="dosage shifts (default 白班=08:00-20:00 and 夜班=20:00-08:00; repeatable)")
    plan.add_argument("--interval", type=float, default=120.0, metavar="MIN", help="aimed-for minutes between visits to a hotspot (default 120)")
    plan.add_argument("--seed", type=int, default=20240101, help="seed of the random stop times and lengths")
    add_filter_options(parser)
    add_output_options(parser)
    commands["patrol"] = run


def run(args: argparse.Namespace) -> int:
    inputs = Inputs(args.input, layer_overrides(args, ("routes", "roads")), args.analysis_crs)
    incidents = inputs.incidents(incident_filter_from(args))
    hotspots = read_hotspot_file(args.hotspots)
    if args.plan:
        return _plan(args, inputs, incidents, hotspots)
    if args.start or args.stations or args.station:
        raise InputError("--start, --stations and --station belong to route planning: add --plan.")
    params = ExposureParams(corridor_width_m=args.corridor, speed_kmh=args.speed, min_gi_bin=args.min_bin)
    routes = inputs.frame("routes")
    on_reading = [{**r, "route_id": "", "reason": f"{r['reason']} (on reading)"} for r in reader_rejects(inputs, "routes")]
    if len(routes) == 0:
        raise InputError(f"No usable patrol route: {on_reading[0]['reason'] if on_reading else 'the routes layer is empty'}.")
    result = route_exposure(routes, incidents, params, hotspots=hotspots, roads=inputs.frame("roads", required=False))
    result.summary["routes_rejected"] = on_reading + result.summary["routes_rejected"]
    return publish(args, "route_exposure", result, inputs.crs, "gisapp patrol", _exposure_lines)


def _plan(args, inputs: Inputs, incidents, hotspots) -> int:
    start, start_note = _start_point(args, inputs)
    params = PlanParams(
        budget_minutes=args.budget,
        dwell_minutes=args.dwell,
        return_to_start=not args.one_way,
        min_gi_bin=args.min_bin,
        merge_radius_m=args.merge_radius,
        max_targets=args.max_targets,
        network=NetworkParams(speed_kmh=args.speed, max_snap_m=args.max_snap),
        dosage=DosageParams(shifts=_shifts(args.shift), interval_minutes=args.interval, seed=args.seed),
    )
    result = plan_patrol(inputs.frame("roads"), start, params, hotspots=hotspots, incidents=incidents)
    if start_note:
        result.summary["notes"].insert(0, start_note)
    return publish(args, "patrol_plan", result, inputs.crs, "gisapp patrol --plan", _plan_lines)


def _start_point(args, inputs: Inputs):
    """The station in the analysis CRS, and a note about how it was found."""
    if args.start:
        try:
            a, b = (float(v) for v in args.start.split(","))
        except ValueError:
            raise InputError(f"--start takes longitude,latitude, e.g. 105.09,31.09; got {args.start!r}.") from None
        note = ""
        if abs(a) <= 90 < abs(b) <= 180:
            a, b = b, a
            note = f"--start {args.start} looked like latitude,longitude: read as {a},{b}"
        if not (-180 <= a <= 180 and -90 <= b <= 90):
            raise InputError(f"--start {args.start} is not a longitude,latitude pair.")
        x, y = transformer(pyproj.CRS.from_epsg(4326), pyproj.CRS.from_user_input(inputs.crs)).transform(a, b)
        return (x, y), note
    stations = read_plain_layer(args.stations, "station") if args.stations else _input_stations(inputs)
    if stations is None:
        raise InputError("Route planning needs a start: --start LON,LAT, or --stations FILE (or a 'stations' layer in the input).")
    stations = reproject(stations, inputs.crs)
    points = stations[stations.geometry.geom_type == "Point"]
    if len(points) == 0:
        raise InputError("The stations layer holds no points.")
    if args.station:
        match = np.zeros(len(points), dtype=bool)
        for column in ("name", "station_id", "id"):
            if column in points:
                match |= points[column].astype(str).to_numpy() == args.station
        if not match.any():
            raise InputError(f"No station is named {args.station!r}.")
        chosen = points[match].iloc[0]
        return chosen.geometry, ""
    chosen = points.iloc[0]
    note = f"{len(points)} stations: planned from the first ({chosen.get('name', 'row 1')}); choose with --station" if len(points) > 1 else ""
    return chosen.geometry, note


def _input_stations(inputs: Inputs):
    layer = inputs.layer("stations", required=False)
    return None if layer is None else layer.data


def _shifts(items):
    if not items:
        return DosageParams().shifts
    shifts = []
    for item in items:
        name, sep, span = item.partition("=")
        start, dash, end = span.partition("-")
        if not sep or not dash or not name.strip():
            raise InputError(f"--shift takes NAME=HH:MM-HH:MM, e.g. 白班=08:00-20:00; got {item!r}.")
        shifts.append((name.strip(), start.strip(), end.strip()))
    return shifts


def _exposure_lines(s: dict) -> list[str]:
    lines = [
        f"{s['routes']} routes, corridor {s['corridor_width_m']:g} m, {s['speed_kmh']:g} km/h",
        f"hotspots: {s['hotspots']['source']}",
        (
            f"hotspot cells touched by a route: {s['hot_cells_touched']} of {s['hotspots']['hot_cells']} "
            f"({percent(s['share_hot_cells_touched'])}); {s['hot_cells_unpatrolled']} unpatrolled"
        ),
    ]
    for r in s["per_route"]:
        shift = "" if r.get("incidents_in_shift") is None else f", {r['incidents_in_shift']} in its shift"
        lines.append(
            f"  {r.get('route_id', '')} {r.get('name', '')}: {r['length_km']:g} km, {r['minutes']:g} min, {r['incidents']} incidents"
            f" ({r['incidents_per_km']:g}/km{shift}), {r['hotspot_cells']} hotspot cells"
        )
    for r in s["routes_rejected"]:
        lines.append(f"  rejected row {r['row']} ({r['route_id']}): {r['reason']}")
    if s["top_unpatrolled"]:
        lines.append("unpatrolled hotspot cells:")
        for c in s["top_unpatrolled"]:
            lines.append(f"  {c['rank']:>3}. {c['cell_id']:<10} {c['n']:>5} incidents near {c['nearest_road'] or '?'}, {c['nearest_route_m']} m from a route")
    lines += [f"note: {n}" for n in s["notes"]]
    lines.append(f"written to {s['out']} (layers {', '.join(s['layers'])})")
    return lines


def _plan_lines(s: dict) -> list[str]:
    p, n, h = s["plan"], s["naive"], s["hotspots"]
    lines = [
        f"budget {s['budget_minutes']:g} min at {s['speed_kmh']:g} km/h, {s['dwell_minutes']:g} min per stop; start snapped {s['start']['snapped_m']} m to the road",
        f"hotspots: {h['source']}",
        f"  {h['hot_cells']} hotspot cells in {h['places']} places; {h['reachable']} of the {h['targets_considered']} best reachable",
        f"plan : {p['stops']} stops, value {p['value']:g} in {p['minutes']:g} min ({p['value_per_minute']:g}/min)",
        f"naive: {n['stops']} stops, value {n['value']:g} in {n['minutes']:g} min ({n['value_per_minute']:g}/min)  [nearest hotspot next]",
    ]
    for stop in s["stops"]:
        lines.append(f"  {stop['order']:>3}. {stop['cell_id']:<10} value {stop['value']:g}, arrive at minute {stop['arrive_minute']:g}  ({stop['lon']:.5f}, {stop['lat']:.5f})")
    d = s["dosage"]
    lines.append(
        f"Koper dosage: {d['stops']} stops of about {d['stop_minutes_mean']} min over the shifts, a cycle takes ~{d['cycle_minutes_expected']:g} min"
        f" (interval {d['interval_minutes']:g}{'' if d['fits_interval'] else ', does NOT fit'}), mean revisit {d['mean_revisit_minutes']} min"
    )
    for u in s["unreachable"][:10]:
        lines.append(f"  unreachable {u['cell_id']}: {u['reason']}")
    lines += [f"note: {note}" for note in s["notes"]]
    lines.append(f"written to {s['out']} (layers {', '.join(s['layers'])})")
    return lines


