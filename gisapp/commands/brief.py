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
    parser.add_argument("--cell", default="auto", metavar="M",
                        help="cell size in metres when Gi* is computed here; auto (default): the automatic scale of 'gisapp hotspot', "
                             "the hotspot cells coverage, patrol and site-cameras use too")
    group = parser.add_argument_group("layer files (instead of the input's layer of that kind)")
    for kind in ("incidents", "grids", "areas", "cameras", "routes", "roads"):
        group.add_argument(f"--{kind}", metavar="FILE", help=f"read the {kind} from FILE")


def content_from(args: argparse.Namespace):
    """Inputs + filters + hotspots -> MapContent (shared with ``gisapp print``)."""
    from gisapp.analysis.core.contract import Param, text
    from gisapp.analysis.core.inputs import Inputs
    from gisapp.briefing.content import collect_content
    from gisapp.layers.errors import InputError

    cell = Param("cell", "float", "auto", text("cell"), text("cell"), minimum=0, above_minimum=True, unit="m", words=("auto",)).parse(args.cell)
    overrides = {kind: getattr(args, kind, None) for kind in ("incidents", "grids", "areas", "cameras", "routes", "roads")}
    if not Path(args.input).exists():
        raise InputError(f"{args.input} does not exist.")
    filters = incident_filter(FilterOptions(**checked_options(FilterOptions, args)))
    inputs = Inputs(args.input, overrides=overrides, reading=reading_keywords(ReadingOptions(**checked_options(ReadingOptions, args))),
                    incident_filter=filters)
    return collect_content(inputs, filters, hotspots_path=args.hotspots, cell_size=cell, area_label=args.area)


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
        "notes": briefing.notes,
    }
    lines = [f"wrote {args.out} ({size / 1e6:.2f} MB, {len(briefing.layers)} layers: {', '.join(briefing.layers)})"]
    lines += [f"  note: {note}" for note in dict.fromkeys(briefing.notes)]
    report_summary(args, summary, lines)
    return 0
