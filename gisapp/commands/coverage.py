"""``gisapp coverage``: how much crime the cameras see, and the hotspots they miss (blind spots).

Also holds the small helpers the camera and patrol commands share: camera
default options, reading a hotspot or obstacle file, and writing a result with
several layers into one GeoPackage.
"""

from __future__ import annotations

import argparse

from gisapp.analysis.cameras.coverage import CoverageParams, camera_coverage
from gisapp.analysis.cameras.geometry import CameraParams

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
    rejected_note,
)


def register(subparsers, commands) -> None:
    parser = subparsers.add_parser(
        "coverage",
        help="share of incidents and hotspots the cameras see; blind spots; coverage of grids and areas",
        description="Camera coverage (天网) of incidents, hotspot cells, grid cells and areas. Blind spots are hotspot "
        "cells (gi_bin >= --min-bin) where cameras see under --blind-share of the incidents, ranked by uncovered incidents.",
    )
    parser.add_argument("input", help="GeoPackage with incidents and cameras (e.g. sample_data/county.gpkg), or an incident file")
    add_layer_options(parser, ("cameras", "grids", "areas", "roads"))
    parser.add_argument("--hotspots", metavar="FILE", help="hotspot cells from 'gisapp hotspot' (computed with 200 m cells, 400 m band when omitted)")
    parser.add_argument("--obstacles", metavar="FILE", help="building/wall polygons that block the view (line of sight)")
    parser.add_argument("--min-bin", type=int, default=2, choices=(1, 2, 3), help="hotspot cells: gi_bin at least this (default 2, 95%%)")
    parser.add_argument("--blind-share", type=float, default=0.5, metavar="S", help="blind spot: cameras see under this share of the cell's incidents (default 0.5)")
    parser.add_argument("--top", type=int, default=10, help="blind spots listed (the layer holds all)")
    add_camera_options(parser)
    add_filter_options(parser)
    add_output_options(parser)
    commands["coverage"] = run


def run(args: argparse.Namespace) -> int:
    inputs = Inputs(args.input, layer_overrides(args, ("cameras", "grids", "areas", "roads")), args.analysis_crs)
    incidents = inputs.incidents(incident_filter_from(args))
    params = CoverageParams(cameras=camera_params_from(args), min_gi_bin=args.min_bin, max_covered_share=args.blind_share, top=args.top)
    result = camera_coverage(
        incidents,
        inputs.frame("cameras"),
        params,
        hotspots=read_hotspot_file(args.hotspots),
        grids=inputs.frame("grids", required=False),
        areas=inputs.frame("areas", required=False),
        roads=inputs.frame("roads", required=False),
        obstacles=read_plain_layer(args.obstacles, "obstacle"),
    )
    result.summary["notes"] += rejected_note(reader_rejects(inputs, "cameras"), "camera")
    return publish(args, "blind_spots", result, inputs.crs, "gisapp coverage", _lines)


def _lines(s: dict) -> list[str]:
    cams = s["cameras"]
    lines = [
        (
            f"incidents {s['incidents']:,}: cameras see {s['covered']:,} ({percent(s['share_covered'])}); "
            f"with the {cams['offline']} offline cameras repaired {percent(s['share_covered_if_offline_repaired'])}"
        ),
        f"cameras {cams['total']} ({cams['online']} online), footprint {s['coverage_area_km2']} km²"
        + (f"; {cams['with_assumed_values']} with assumed values (see --json)" if cams["with_assumed_values"] else ""),
        f"hotspots: {s['hotspots']['source']}",
        (
            f"  {s['hotspots']['hot_cells']} hotspot cells, {s['hotspots']['incidents_in_hot_cells']:,} incidents, "
            f"{percent(s['hotspots']['share_covered_in_hot_cells'])} seen by cameras"
        ),
        f"blind spots: {s['blind_spots']['count']} ({s['blind_spots']['rule']})",
    ]
    for b in s["blind_spots"]["top"]:
        lines.append(
            f"  {b['rank']:>3}. {b['cell_id']:<10} {b['n_uncovered']:>5} uncovered of {b['n']:>5}  near {b['nearest_road'] or '?'}"
            f"  ({b['lon']:.5f}, {b['lat']:.5f}), nearest camera {b['nearest_camera_m']} m"
        )
    for a in s.get("areas", []):
        lines.append(f"area {a.get('name')} ({a.get('area_type')}): {a['n']} incidents, {percent(a['covered_share'])} seen, {percent(a['area_covered_share'])} of its area watched")
    for note in s["notes"]:
        lines.append(f"note: {note}")
    lines.append(f"written to {s['out']} (layers {', '.join(s['layers'])})")
    return lines




def add_camera_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("camera defaults (for cameras that lack a value; every use is reported)")
    d = CameraParams()
    group.add_argument("--fixed-fov", type=float, default=d.fixed_fov_deg, metavar="DEG", help=f"fixed camera field of view (default {d.fixed_fov_deg:g})")
    group.add_argument("--fixed-range", type=float, default=d.fixed_range_m, metavar="M", help=f"fixed camera range (default {d.fixed_range_m:g})")
    group.add_argument("--dome-range", type=float, default=d.dome_range_m, metavar="M", help=f"dome camera range (default {d.dome_range_m:g})")
    group.add_argument("--checkpoint-range", type=float, default=d.checkpoint_range_m, metavar="M", help=f"checkpoint range (default {d.checkpoint_range_m:g})")


def camera_params_from(args: argparse.Namespace) -> CameraParams:
    return CameraParams(
        fixed_fov_deg=args.fixed_fov, fixed_range_m=args.fixed_range, dome_range_m=args.dome_range, checkpoint_range_m=args.checkpoint_range
    )
