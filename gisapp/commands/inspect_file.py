"""``gisapp inspect FILE``: what a reader understood of a file, and every row it rejected."""

from __future__ import annotations

import argparse

from gisapp.analysis.core.contract import parameters
from gisapp.analysis.core.input_options import ReadingOptions

from .arguments import add_params
from .method_cli import checked_options, reading_keywords
from .output import print_json

_SHOWN_REJECTS = 20


def register(subparsers, commands) -> None:
    parser = subparsers.add_parser("inspect", help="report what is understood of a layer file, and every rejected row")
    parser.add_argument("file", help="CSV, Excel, GeoJSON, GeoPackage or Shapefile (.shp or .zip)")
    parser.add_argument("--kind", help="layer kind: incidents, grids, cameras, routes, areas, roads, addresses (detected when omitted)")
    add_params(parser, parameters(ReadingOptions))
    parser.add_argument("--crs", dest="input_crs", metavar="CRS", help=argparse.SUPPRESS)  # the option's older name
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    commands["inspect"] = run


def run(args: argparse.Namespace) -> int:
    from gisapp.layers.io import read_layers

    reading = reading_keywords(ReadingOptions(**checked_options(ReadingOptions, args)))
    layers = read_layers(args.file, kind=args.kind, **{k: v for k, v in reading.items() if v not in (None, {})})
    reports = [layer.report.to_dict() for layer in layers]
    if args.json:
        print_json(summarise(args.file, reports, [layer.name for layer in layers]))
    else:
        for name, report in zip((layer.name for layer in layers), reports):
            print(describe(name, report))
    return 0


def summarise(path: str, reports: list[dict], names: list[str]) -> dict:
    """One JSON object: the single layer's report, or totals plus a report per layer for a multi-layer file."""
    if len(reports) == 1:
        return {"file": str(path), "layer": names[0], **reports[0]}
    bounds = [r["bounds"] for r in reports if r["bounds"]]
    times = [r["time_range"] for r in reports if r["time_range"]]
    return {
        "file": str(path),
        "rows_read": sum(r["rows_read"] for r in reports),
        "rows_loaded": sum(r["rows_loaded"] for r in reports),
        "rows_rejected": sum(r["rows_rejected"] for r in reports),
        "rejects": [{"layer": n, **reject} for n, r in zip(names, reports) for reject in r["rejects"]],
        "reasons": _summed(r["reasons"] for r in reports),
        "rows_without_time": sum(r["rows_without_time"] for r in reports),
        "columns": {n: r["columns"] for n, r in zip(names, reports)},
        "crs": sorted({r["crs"] for r in reports}) if len({r["crs"] for r in reports}) > 1 else reports[0]["crs"],
        "bounds": [min(b[0] for b in bounds), min(b[1] for b in bounds), max(b[2] for b in bounds), max(b[3] for b in bounds)] if bounds else None,
        "time_range": [min(t[0] for t in times), max(t[1] for t in times)] if times else None,
        "layers": [{"layer": n, **r} for n, r in zip(names, reports)],
    }


def _summed(counts) -> dict:
    total: dict[str, int] = {}
    for count in counts:
        for kind, n in count.items():
            total[kind] = total.get(kind, 0) + n
    return total


def describe(name: str, report: dict) -> str:
    """A readable block for one layer."""
    lines = [
        f"{name}  ({report['kind']})  {report['source']}" + (f"  sheet {report['sheet']}" if report.get("sheet") else ""),
        f"  rows read {report['rows_read']:,}, loaded {report['rows_loaded']:,}, rejected {report['rows_rejected']:,}"
        + (" (" + ", ".join(f"{kind} {n:,}" for kind, n in report["reasons"].items()) + ")" if report["reasons"] else ""),
        f"  coordinate system {report['crs']}" + ("" if report["georeferenced"] else " (local metres, NOT georeferenced)")
        + (f", encoding {report['encoding']}" if report["encoding"] else ""),
    ]
    if report.get("header_note") and (report.get("header_row") or 1) > 1:
        lines.append(f"  {report['header_note']['zh']} ({report['header_note']['en']})")
    coordinates = report.get("coordinates") or {}
    if coordinates.get("zone") or "surveying" in str(coordinates.get("order", "")):
        lines.append(f"  coordinates {coordinates.get('order')}, zone {coordinates.get('zone') or '?'}"
                     + (f" ({coordinates['zone_width']}°)" if coordinates.get("zone_width") else ""))
    if report.get("rows_without_time"):
        lines.append(f"  rows loaded without a time {report['rows_without_time']:,}")
    if report["columns"]:
        lines.append("  columns " + ", ".join(f"{role} ← {column}" for role, column in report["columns"].items()))
    if report["bounds"]:
        lines.append("  bounds (lon/lat) " + ", ".join(f"{v:.5f}" for v in report["bounds"]))
    if report["time_range"]:
        lines.append(f"  time range {report['time_range'][0]} … {report['time_range'][1]}")
    for warning in report["warnings"]:
        lines.append(f"  note: {warning}")
    for fix in report["corrections"][:_SHOWN_REJECTS]:
        lines.append(f"  corrected row {fix['row']}: {fix['reason']}")
    for reject in report["rejects"][:_SHOWN_REJECTS]:
        lines.append(f"  rejected row {reject['row']}: {reject['reason']}")
    hidden = len(report["rejects"]) - _SHOWN_REJECTS
    if hidden > 0:
        lines.append(f"  … and {hidden:,} more rejected rows (use --json for all)")
    return "\n".join(lines)
