"""``gisapp site-cameras --n N``: where N new cameras would see the most incidents (MCLP)."""

from __future__ import annotations

import argparse

from gisapp.analysis.cameras.siting import METHODS, SitingParams, site_cameras

from .common import (
    Inputs,
    add_filter_options,
    add_layer_options,
    add_output_options,
    incident_filter_from,
    layer_overrides,
    percent,
    publish,
    read_plain_layer,
)
from .coverage import add_camera_options, camera_params_from

CANDIDATE_KINDS = ("spacing", "intersections", "vertices")


def register(subparsers, commands) -> None:
    parser = subparsers.add_parser(
        "site-cameras",
        help="choose N new camera sites that see the most incidents (maximal covering, existing cameras kept)",
        description="Maximal covering location problem: choose --n new sites among candidates on the roads (or a point "
        "file) so that the most incidents are seen, keeping the existing online cameras. Solved optimally with spopt/PuLP "
        "(CBC) when the problem is small enough, else greedily (within 1-1/e of the optimum, usually within a few per cent).",
    )
    parser.add_argument("input", help="GeoPackage with incidents, cameras and roads (e.g. sample_data/county.gpkg)")
    parser.add_argument("--n", type=int, required=True, help="number of new cameras")
    parser.add_argument(
        "--candidates", default="spacing", metavar="KIND|FILE",
        help="candidate sites: spacing (every --spacing m along roads, plus junctions; default), intersections, vertices, or a point file",
    )
    parser.add_argument("--spacing", type=float, default=50.0, metavar="M", help="distance between candidates along roads (default 50)")
    parser.add_argument("--range", dest="new_range", type=float, default=60.0, metavar="M", help="a new (dome) camera sees a disc of this radius (default 60)")
    parser.add_argument("--method", choices=METHODS, default="auto", help="auto (default), mclp (optimal) or greedy")
    parser.add_argument("--time-limit", type=float, default=60.0, metavar="S", help="seconds the optimiser may run (default 60)")
    parser.add_argument("--weight", dest="weight_field", metavar="COLUMN", help="incident column to weight by (default 1 per incident)")
    parser.add_argument("--obstacles", metavar="FILE", help="building/wall polygons that block the view (line of sight)")
    add_layer_options(parser, ("cameras", "roads"))
    add_camera_options(parser)
    add_filter_options(parser)
    add_output_options(parser)
    commands["site-cameras"] = run


def run(args: argparse.Namespace) -> int:
    inputs = Inputs(args.input, layer_overrides(args, ("cameras", "roads")), args.analysis_crs)
    incidents = inputs.incidents(incident_filter_from(args))
    candidate_file = None if args.candidates in CANDIDATE_KINDS else args.candidates
    params = SitingParams(
        n_new=args.n,
        candidates=args.candidates if candidate_file is None else "spacing",
        spacing_m=args.spacing,
        new_range_m=args.new_range,
        method=args.method,
        time_limit_s=args.time_limit,
        weight_field=args.weight_field,
        cameras=camera_params_from(args),
    )
    candidates = read_plain_layer(candidate_file, "candidate")
    result = site_cameras(
        incidents,
        inputs.frame("cameras", required=False),
        params,
        roads=inputs.frame("roads", required=candidates is None),
        candidates=candidates,
        obstacles=read_plain_layer(args.obstacles, "obstacle"),
    )
    return publish(args, "camera_sites", result, inputs.crs, "gisapp site-cameras", _lines)


def _lines(s: dict) -> list[str]:
    g = s["greedy"]
    lines = [
        f"incidents {s['incidents']:,} ({s['weight']}); candidates {s['candidates']['count']:,} ({s['candidates']['source']})",
        f"seen by the {s['existing_cameras_used']} existing cameras: {s['covered_before']:g} ({percent(s['share_before'])})",
        f"with {s['new_cameras_placed']} new cameras: {s['covered_after']:g} ({percent(s['share_after'])}), gain {s['gain']:g}",
        f"method {s['method']}: {s['solver']} in {s['seconds']} s",
        f"greedy gain {g['gain']:g} in {g['seconds']} s; optimum at most {g['upper_bound_on_optimum']:g} (greedy within {percent(g['gap_bound'])})",
    ]
    for site in s["sites"]:
        lines.append(
            f"  {site['order']:>3}. {site['site_id']}  {site['road'] or '?':<8} ({site['lon']:.5f}, {site['lat']:.5f})  "
            f"+{site['marginal_gain']:g}  → {percent(site['cumulative_share'])}"
        )
    for note in s["notes"]:
        lines.append(f"note: {note}")
    lines.append(f"written to {s['out']} (layers {', '.join(s['layers'])})")
    return lines


