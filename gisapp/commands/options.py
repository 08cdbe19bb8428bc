"""Options shared by several subcommands."""

from __future__ import annotations

import argparse

from layers.errors import InputError


def add_reading_options(parser: argparse.ArgumentParser) -> None:
    """How to read a layer file: kind, column mapping, CRS, layer, encoding, sheet."""
    parser.add_argument("--kind", help="layer kind: incidents, grids, cameras, routes, areas, roads (detected when omitted)")
    parser.add_argument(
        "--map", action="append", default=[], metavar="ROLE=COLUMN",
        help="use COLUMN for ROLE, e.g. --map x=经度 --map occurred_at=报警时间 (repeatable)",
    )
    parser.add_argument("--crs", help="coordinate system of the file: EPSG:4326, cgcs2000, gcj02, bd09, EPSG:4544, …")
    parser.add_argument("--layer", help="one layer of a GeoPackage")
    parser.add_argument("--encoding", help="force a CSV encoding (utf-8, gbk, gb18030)")
    parser.add_argument("--sheet", help="Excel sheet name (the first sheet by default)")


def reading_options(args: argparse.Namespace) -> dict:
    """The keyword arguments for ``layers.io.read_layers`` from parsed options."""
    return {
        "kind": args.kind,
        "columns": parse_mapping(args.map),
        "crs": args.crs,
        "layer": args.layer,
        "encoding": args.encoding,
        "sheet": args.sheet,
    }


def parse_mapping(items: list[str]) -> dict[str, str]:
    mapping = {}
    for item in items:
        role, sep, column = item.partition("=")
        if not sep or not role.strip() or not column.strip():
            raise InputError(f"--map takes ROLE=COLUMN, e.g. --map x=经度; got {item!r}.")
        mapping[role.strip()] = column.strip()
    return mapping
