"""``gisapp print INPUT --out MAP.pdf|MAP.png``: the printed hotspot map (A4/A3)."""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

from .brief import add_input_options, add_map_options, content_from
from .output import report_summary


#: Layer names a print can hold (gisapp.printing.map_layers.DRAWERS; repeated here so --help stays light).
ALL_LAYERS = ("kde", "hotspots", "grids", "roads", "areas", "sectors", "cluster_hulls", "cluster_points", "blind_spots", "zones", "routes",
              "plan_routes", "plan_stops", "incidents", "cameras")
DEFAULT_LAYERS = ("kde", "hotspots", "grids", "roads", "areas", "cluster_hulls", "blind_spots", "zones", "routes", "plan_routes", "plan_stops")


def register(subparsers, commands) -> None:
    from gisapp.briefing.style import DEFAULT_PRINT_TITLE

    parser = subparsers.add_parser(
        "print",
        help="print the hotspot map to PDF (vector) or PNG on A4/A3",
        description="Draw the Gi* hotspot map over grids and roads, with legend, scale bar, north arrow and inset, as PDF or PNG.",
    )
    parser.add_argument("input", help="a project or multi-layer GeoPackage")
    parser.add_argument("--out", required=True, type=Path, metavar="MAP.pdf|MAP.png", help="PDF (vector) or PNG file to write")
    parser.add_argument("--paper", help="A4 or A3 (default: the profile's, else A4)")
    parser.add_argument("--orientation", help="landscape or portrait (default: the profile's, else landscape)")
    parser.add_argument("--dpi", type=int, default=300, help="PNG resolution (default: 300)")
    parser.add_argument("--no-inset", dest="inset", action="store_false", help="leave out the county overview inset")
    add_map_options(parser, title=DEFAULT_PRINT_TITLE)
    bureau = parser.add_argument_group("bureau fields (default: the saved print profile, see --save-profile)")
    bureau.add_argument("--maker", metavar="TEXT", help="制图单位: the unit that made the map")
    bureau.add_argument("--reviewer", metavar="NAME", help="审核人: who checked it")
    bureau.add_argument("--map-date", metavar="DATE", help="制图日期 (default: today)")
    bureau.add_argument("--scale", metavar="N", help="print at 1:N, e.g. 25000 (default: the first round scale that shows the hotspots)")
    bureau.add_argument("--layers", metavar="L1,L2", help=f"layers to print, from {', '.join(ALL_LAYERS)}, or all "
                        f"(default: {','.join(DEFAULT_LAYERS)})")
    bureau.add_argument("--profile", metavar="FILE", help="read (and with --save-profile write) this profile instead of the user's")
    bureau.add_argument("--save-profile", action="store_true", help="save --maker, --reviewer, --source, --classification, --paper, "
                        "--orientation and --scale as the defaults of later prints")
    parser.add_argument("--json", action="store_true", help="print a JSON summary")
    add_input_options(parser)
    commands["print"] = run


def run(args: argparse.Namespace) -> int:
    from gisapp.briefing.style import DEFAULT_CLASSIFICATION
    from gisapp.printing import FontWarning, PrintOptions, render_map
    from gisapp.printing.layout import orientation_name, paper_name

    from gisapp.printing.profile import load_profile, save_profile

    start = time.perf_counter()
    profile = load_profile(args.profile)
    given = {"maker": args.maker, "reviewer": args.reviewer, "source": args.source, "classification": args.classification,
             "paper": args.paper, "orientation": args.orientation, "scale": args.scale}
    fields = {**profile, **{k: v for k, v in given.items() if v is not None}}
    options = PrintOptions(
        title=args.title,
        subtitle=args.subtitle,
        classification=DEFAULT_CLASSIFICATION if fields.get("classification") is None else fields["classification"],
        paper=paper_name(fields.get("paper", "A4")),  # bad paper or orientation fail before the data is read
        orientation=orientation_name(fields.get("orientation", "landscape")),
        dpi=args.dpi,
        inset=args.inset,
        layers=layer_names(args.layers),
        maker=fields.get("maker", ""),
        reviewer=fields.get("reviewer", ""),
        map_date=args.map_date or "",
        scale=scale_number(fields.get("scale")),
    )
    if args.save_profile:
        saved = save_profile({k: v for k, v in fields.items()}, args.profile)
        print(f"gisapp: saved the print profile {saved}", file=sys.stderr)
    if fields.get("source") and not args.source:
        args.source = fields["source"]
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
        "scale": printed.scale,
        "layers": printed.layers,
        "labels_dropped": printed.dropped_labels,
        "notes": content.notes,
    }
    report_summary(args, summary, [f"wrote {args.out} ({options.paper} {options.orientation}, font {printed.font.name or 'none'})"])
    return 0


def layer_names(text: str | None) -> tuple[str, ...] | None:
    """``--layers``: names from :data:`ALL_LAYERS`, or ``all``; None for the default set."""
    from gisapp.layers.errors import InputError

    if text is None:
        return None
    names = [n.strip() for n in text.replace("，", ",").split(",") if n.strip()]
    if names == ["all"]:
        return ALL_LAYERS
    unknown = [n for n in names if n not in ALL_LAYERS]
    if unknown or not names:
        raise InputError(f"--layers: unknown layer {', '.join(unknown) or '(none)'}; choose from {', '.join(ALL_LAYERS)} or all.")
    return tuple(names)


def scale_number(value) -> int | None:
    """``--scale 25000`` (also 1:25000, 1:25,000); None for automatic."""
    from gisapp.layers.errors import InputError

    if value in (None, "", "auto"):
        return None
    text = str(value).replace(",", "").replace("，", "").strip()
    text = text.split(":", 1)[1] if ":" in text else text
    try:
        number = int(float(text))
    except ValueError:
        raise InputError(f"--scale must be a number such as 25000 (for 1:25,000); got {value!r}.") from None
    if not 100 <= number <= 10_000_000:
        raise InputError(f"--scale must lie between 100 and 10,000,000; got {number:,}.")
    return number
