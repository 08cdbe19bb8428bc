"""``gisapp print INPUT --out MAP.pdf|MAP.png``: the printed hotspot map (A4/A3)."""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

from .brief import add_input_options, add_map_options, content_from
from .output import report_summary


def register(subparsers, commands) -> None:
    from gisapp.briefing.style import DEFAULT_PRINT_TITLE

    parser = subparsers.add_parser(
        "print",
        help="print the hotspot map to PDF (vector) or PNG on A4/A3",
        description="Draw the Gi* hotspot map over grids and roads, with legend, scale bar, north arrow and inset, as PDF or PNG.",
    )
    parser.add_argument("input", help="a project or multi-layer GeoPackage")
    parser.add_argument("--out", required=True, type=Path, metavar="MAP.pdf|MAP.png", help="PDF (vector) or PNG file to write")
    parser.add_argument("--paper", default="A4", help="A4 or A3 (default: A4)")
    parser.add_argument("--orientation", default="landscape", help="landscape or portrait (default: landscape)")
    parser.add_argument("--dpi", type=int, default=300, help="PNG resolution (default: 300)")
    parser.add_argument("--no-inset", dest="inset", action="store_false", help="leave out the county overview inset")
    add_map_options(parser, title=DEFAULT_PRINT_TITLE)
    parser.add_argument("--json", action="store_true", help="print a JSON summary")
    add_input_options(parser)
    commands["print"] = run


def run(args: argparse.Namespace) -> int:
    from gisapp.briefing.style import DEFAULT_CLASSIFICATION
    from gisapp.printing import FontWarning, PrintOptions, render_map
    from gisapp.printing.layout import orientation_name, paper_name

    start = time.perf_counter()
    options = PrintOptions(
        title=args.title,
        subtitle=args.subtitle,
        classification=DEFAULT_CLASSIFICATION if args.classification is None else args.classification,
        paper=paper_name(args.paper),  # bad paper or orientation fail before the data is read
        orientation=orientation_name(args.orientation),
        dpi=args.dpi,
        inset=args.inset,
    )
    content = content_from(args)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FontWarning)  # reported below from the result, once
        printed = render_map(content, args.out, options)
    for message in printed.warnings:
        print(f"gisapp: warning: {message}", file=sys.stderr)
    if printed.dropped_labels:
        print(f"gisapp: note: no room for the labels {', '.join(printed.dropped_labels)}", file=sys.stderr)
    summary = {
        "out": str(args.out),
        "bytes": args.out.stat().st_size,
        "seconds": round(time.perf_counter() - start, 3),
        "paper": options.paper,
        "orientation": options.orientation,
        "font": printed.font.name,
        "labels_dropped": printed.dropped_labels,
        "notes": content.notes,
    }
    report_summary(args, summary, [f"wrote {args.out} ({options.paper} {options.orientation}, font {printed.font.name or 'none'})"])
    return 0
