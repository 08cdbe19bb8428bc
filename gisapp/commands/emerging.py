"""``gisapp emerging``: Emerging Hot Spot Analysis (space-time cube, Gi* per bin, Mann-Kendall, 17 categories)."""

from __future__ import annotations

import argparse
from pathlib import Path

from gisapp.analysis.spacetime.emerging import CATEGORIES, EmergingParams, emerging_hot_spots

from .common import Inputs, add_filter_options, add_output_options, incident_filter_from, report_summary, write_result


def register(subparsers, commands) -> None:
    parser = subparsers.add_parser(
        "emerging",
        help="emerging hot spots: new, consecutive, intensifying, persistent, ... hot and cold spots over time",
        description="Emerging Hot Spot Analysis as in ArcGIS Pro: incidents counted into cells x time steps, "
        "Gi* per bin with the previous k steps as neighbours (FDR), Mann-Kendall trend per cell, 17 categories.",
    )
    parser.add_argument("input", help="incidents file, or a GeoPackage such as sample_data/county.gpkg")
    parser.add_argument("--grid", choices=("square", "hex", "grids"), default="square", help="square fishnet (default), hexagons, or the 网格 polygons of the input")
    parser.add_argument("--grids", metavar="FILE", help="polygon file to use as the grids layer")
    parser.add_argument("--cell", type=float, default=200.0, metavar="M", help="cell size in metres (default 200)")
    parser.add_argument("--band", type=float, metavar="M", help="neighbourhood distance in metres (default: cell x 1.414, the 8 surrounding cells; queen contiguity for grids)")
    parser.add_argument("--step", choices=("day", "week", "month"), default="month", help="time step (default month)")
    parser.add_argument("--k", type=int, default=1, help="previous time steps in each bin's neighbourhood (default 1, as ArcGIS)")
    parser.add_argument("--alpha", type=float, default=0.05, help="significance level of the bins and of the trend test (default 0.05)")
    parser.add_argument("--no-fdr", action="store_true", help="no False Discovery Rate correction (ArcGIS always applies it)")
    parser.add_argument("--png", type=Path, metavar="MAP.png", help="also draw a map of the categories")
    add_filter_options(parser)
    add_output_options(parser)
    commands["emerging"] = run


def run(args: argparse.Namespace) -> int:
    inputs = Inputs(args.input, {"grids": args.grids}, args.analysis_crs)
    incident_filter = incident_filter_from(args)
    incidents = inputs.incidents(incident_filter)
    params = EmergingParams(
        grid="polygons" if args.grid == "grids" else args.grid,
        cell_size=args.cell,
        polygons=inputs.frame("grids") if args.grid == "grids" else None,
        band=args.band,
        time_step=args.step,
        k=args.k,
        start=args.date_from,
        end=args.date_to,
        alpha=args.alpha,
        fdr=not args.no_fdr,
    )
    result = emerging_hot_spots(incidents, params)
    result.params["filters"] = incident_filter.to_dict()  # the output carries every choice that made it
    write_result("emerging", result, args.out, inputs.crs)
    summary = {**result.summary, "out": str(args.out)}
    if args.png:
        from gisapp.charts import save_png
        from gisapp.charts.emerging import emerging_map

        context = inputs.frame("grids", required=False)
        title = f"时空热点分析：{summary['first_step']}～{summary['last_step']}，{'网格' if args.grid == 'grids' else f'{args.cell:g} 米格网'}，按{ {'day': '日', 'week': '周', 'month': '月'}[args.step]}"
        summary["png"] = str(save_png(emerging_map(result.layer, title, context), args.png))
    report_summary(args, summary, _lines(summary))
    return 0


def _lines(summary: dict) -> list[str]:
    band = f"{summary['band_m']:.0f} m" if summary["band_m"] else "queen contiguity"
    lines = [
        (f"Emerging hot spots: {summary['locations']:,} locations x {summary['steps']} {summary['time_step']}s "
        f"({summary['first_step']} to {summary['last_step']}), {summary['incidents']:,} incidents"),
        f"  neighbourhood {band} and {summary['k']} previous step(s); alpha {summary['alpha']:g}{' with FDR' if summary['fdr'] else ''}",
    ]
    for key, count in summary["categories"].items():
        if count and key != "no_pattern":
            lines.append(f"  {CATEGORIES[key][2]} {CATEGORIES[key][1]}: {count:,} locations, {summary['incidents_by_category'].get(key, 0):,} incidents")
    lines.append(f"  no pattern: {summary['categories']['no_pattern']:,} locations")
    lines += [f"  note: {note}" for note in summary["notes"]]
    lines.append(f"  written to {summary['out']}" + (f" and {summary['png']}" if summary.get("png") else ""))
    return lines
