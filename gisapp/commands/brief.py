"""``gisapp brief INPUT --out BRIEF.html``: an offline, self-contained HTML briefing."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from gisapp.analysis.core.contract import parameters
from gisapp.analysis.core.input_options import FilterOptions, ReadingOptions

from .arguments import add_params
from .method_cli import checked_options, incident_filter, reading_keywords
from .output import report_summary


def register(subparsers, commands) -> None:
    parser = subparsers.add_parser(
        "brief",
        help="write an interactive HTML briefing that works offline",
        description="Write one self-contained HTML briefing (no CDN, no online basemap) from a project or GeoPackage.",
    )
    parser.add_argument("input", help="a project or multi-layer GeoPackage (incidents, grids, areas, cameras, routes, roads)")
    parser.add_argument("--out", required=True, type=Path, metavar="BRIEF.html", help="the HTML file to write")
    add_map_options(parser)
    parser.add_argument("--fields", metavar="F1,F2", help="incident fields shown in popups (default: category, subcategory, time)")
    parser.add_argument("--public", action="store_true", help="aggregated layers only: no incident points, no personal data, counts < 3 suppressed")
    basemap = parser.add_mutually_exclusive_group()
    basemap.add_argument("--tiles", metavar="URL", help="an intranet XYZ tile URL, e.g. http://10.0.0.5/tiles/{z}/{x}/{y}.png")
    basemap.add_argument("--mbtiles", metavar="FILE", help="a local MBTiles file; its tiles over the map are embedded in the page")
    parser.add_argument("--outlook", action="store_true",
                        help="add next week's risk (下周风险, the best of counts/KDE/prospective/SEPP over the last 8 weeks) and the "
                             "warning list (预警, per grid); adds a rolling evaluation, several seconds")
    parser.add_argument("--json", action="store_true", help="print a JSON summary")
    add_input_options(parser)
    commands["brief"] = run


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """The reading and filter options every command shares."""
    groups: dict = {}
    add_params(parser, parameters(ReadingOptions), groups)
    add_params(parser, parameters(FilterOptions), groups)


def add_map_options(parser: argparse.ArgumentParser, title: str | None = None) -> None:
    """Options the briefing and the printed map share."""
    from gisapp.briefing.style import DEFAULT_CLASSIFICATION, DEFAULT_PUBLIC_CLASSIFICATION, DEFAULT_TITLE

    parser.add_argument("--title", default=title or DEFAULT_TITLE, help="title (default: %(default)s)")
    parser.add_argument("--subtitle", help="subtitle (default: area, date range and filters)")
    parser.add_argument("--area", help="the area named in the default subtitle (default: the --within area or 全县)")
    parser.add_argument("--classification", help=f"classification line (default: {DEFAULT_CLASSIFICATION}; with --public: {DEFAULT_PUBLIC_CLASSIFICATION}; '' for none)")
    parser.add_argument("--hotspots", metavar="FILE", help="a Gi* result layer with gi_bin (default: the project's, else computed)")
    parser.add_argument("--cell", metavar="M|auto", help="cell size in metres when Gi* is computed here; auto (default): the automatic "
                        "scale of 'gisapp hotspot', the hotspot cells coverage, patrol and site-cameras use too")
    parser.add_argument("--zone-level", type=int, choices=(1, 2, 3), default=3,
                        help="gi_bin a hot cell needs to join a hotspot zone: 3 = 99%% (default), 2 = 95%%, 1 = 90%% confidence")
    parser.add_argument("--market-days", metavar="RULE",
                        help="market days for the findings, e.g. cycle:3@2024-01-01 (every 3 days) or 逢3,6,9 (last digit of the date)")
    parser.add_argument("--source", metavar="TEXT", help="the data source named on the page (default: the input file's name)")
    group = parser.add_argument_group("layer files (instead of the input's layer of that kind)")
    for kind in ("incidents", "grids", "areas", "cameras", "routes", "roads"):
        group.add_argument(f"--{kind}", metavar="FILE", help=f"read the {kind} from FILE")


def content_from(args: argparse.Namespace):
    """Inputs + filters + hotspots -> MapContent (shared with ``gisapp print``)."""
    from gisapp.analysis.core.contract import Param, text
    from gisapp.analysis.core.inputs import Inputs
    from gisapp.briefing.content import collect_content
    from gisapp.layers.errors import InputError

    # auto: the hotspot cells of 'gisapp hotspot', shared with coverage, patrol and site-cameras
    cell = Param("cell", "float", "auto", text("cell"), text("cell"), minimum=0, above_minimum=True, unit="m", words=("auto",)).parse(
        args.cell or "auto")
    overrides = {kind: getattr(args, kind, None) for kind in ("incidents", "grids", "areas", "cameras", "routes", "roads")}
    if not Path(args.input).exists():
        raise InputError(f"{args.input} does not exist.")
    filters = incident_filter(FilterOptions(**checked_options(FilterOptions, args)))
    inputs = Inputs(args.input, overrides=overrides, reading=reading_keywords(ReadingOptions(**checked_options(ReadingOptions, args))),
                    incident_filter=filters)
    if getattr(args, "market_days", None):
        from gisapp.analysis.spacetime.temporal import MarketRule

        MarketRule.parse(args.market_days)  # a bad rule fails before the data is read
    return collect_content(inputs, filters, hotspots_path=args.hotspots, cell_size=cell, area_label=args.area,
                           zone_level=args.zone_level, source=getattr(args, "source", None))


def run(args: argparse.Namespace) -> int:
    from gisapp.briefing import BriefingOptions, write_briefing

    start = time.perf_counter()
    content = content_from(args)
    options = BriefingOptions(
        title=args.title,
        subtitle=args.subtitle,
        classification=args.classification,
        fields=[f.strip() for f in args.fields.split(",") if f.strip()] if args.fields is not None else None,
        public=args.public,
        tiles=args.tiles,
        mbtiles=args.mbtiles,
        market_rule=args.market_days,
        outlook=args.outlook,
    )
    briefing = write_briefing(content, args.out, options)
    if args.public and args.fields is not None:
        briefing.warnings.append("--fields is ignored with --public: a public briefing shows no single incident.")
    for warning in briefing.warnings:
        print(f"gisapp: warning: {warning}", file=sys.stderr)
    size = args.out.stat().st_size
    summary = {
        "out": str(args.out),
        "bytes": size,
        "seconds": round(time.perf_counter() - start, 3),
        "layers": briefing.layers,
        "public": bool(args.public),
        "incidents": content.summary.get("incidents", 0),
        "zones": [{k: z[k] for k in ("zone_id", "name", "n", "cells", "area_km2")} for z in content.summary.get("zones") or []],
        "findings": briefing.findings.to_dict() if briefing.findings else None,
        "notes": briefing.notes,
    }
    lines = [f"wrote {args.out} ({size / 1e6:.2f} MB, {len(briefing.layers)} layers: {', '.join(briefing.layers)})"]
    if briefing.findings:
        lines += [f"  {f.text}" for f in [*briefing.findings.conclusions, *briefing.findings.actions]]
    lines += [f"  note: {note}" for note in dict.fromkeys(briefing.notes)]
    report_summary(args, summary, lines)
    return 0
