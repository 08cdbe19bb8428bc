"""Options shared by several subcommands."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from gisapp.layers.errors import InputError


def add_reading_options(parser: argparse.ArgumentParser, crs_alias: bool = False) -> None:
    """How to read a layer file: kind, column mapping, the file's CRS, layer, encoding, sheet, header row.

    ``crs_alias`` adds ``--crs`` as another name of ``--input-crs`` (``inspect``
    only: on the analyses ``--crs`` is the analysis CRS).
    """
    parser.add_argument("--kind", help="layer kind: incidents, grids, cameras, routes, areas, roads (detected when omitted)")
    parser.add_argument(
        "--map", action="append", default=[], metavar="ROLE=COLUMN",
        help="use COLUMN for ROLE, e.g. --map x=经度 --map occurred_at=报警时间, --map xy=坐标 (one column of lon,lat), "
        "--map date=发案日期 --map time=发案时间 (repeatable)",
    )
    names = ("--input-crs", "--crs") if crs_alias else ("--input-crs",)
    parser.add_argument(
        *names, dest="input_crs", metavar="CRS",
        help="the file's own coordinate system: EPSG:4326, cgcs2000, gcj02, bd09, EPSG:4544, or local (metres, not georeferenced)",
    )
    parser.add_argument("--layer", help="one layer of a GeoPackage")
    parser.add_argument("--encoding", help="force a CSV encoding (utf-8, gbk, gb18030, utf-16)")
    parser.add_argument("--sheet", help="workbook sheet: its name or 1-based position (the first sheet with cells by default)")
    parser.add_argument("--header-row", type=_row_number, metavar="N", help="1-based row of the column names (found among the first 30 rows by default)")


def _row_number(text: str) -> int:
    # argparse turns ArgumentTypeError into its one-line usage error (exit code 2).
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"takes a row number from 1; got {text!r}")
    return int(text)


def reading_options(args: argparse.Namespace) -> dict:
    """The keyword arguments for ``gisapp.layers.io.read_layers`` from parsed options."""
    return {
        "kind": args.kind,
        "columns": parse_mapping(args.map),
        "crs": args.input_crs,
        "layer": args.layer,
        "encoding": args.encoding,
        "sheet": args.sheet,
        "header_row": args.header_row,
    }


def parse_mapping(items: list[str]) -> dict[str, str]:
    mapping = {}
    for item in items:
        role, sep, column = item.partition("=")
        if not sep or not role.strip() or not column.strip():
            raise InputError(f"--map takes ROLE=COLUMN, e.g. --map x=经度; got {item!r}.")
        mapping[role.strip()] = column.strip()
    return mapping


def add_neighbourhood_options(parser: argparse.ArgumentParser) -> None:
    """Cells and neighbourhoods for Gi* and LISA: each fixed, or auto (Optimized Hot Spot logic)."""
    parser.add_argument("--cell", default="auto", help="cell size in metres, or auto (default)")
    parser.add_argument("--band", default="auto", help="distance band in metres, or auto (default)")
    parser.add_argument("--k", type=int, help="k nearest neighbours instead of a distance band")
    parser.add_argument("--contiguity", choices=("queen", "rook"), help="shared-border neighbours (polygon grids)")
    parser.add_argument("--grid", default="square", help="square, hex, or polygons: grids, areas (layers of the input) or a polygon file")
    parser.add_argument("--weight-field", help="sum this incident column instead of counting")


def neighbourhood_options(args: argparse.Namespace, inputs) -> dict:
    """Keyword arguments of ``gisapp.analysis.hotspots.optimized.NeighbourhoodParams`` from the parsed options."""
    grid, polygons = _grid(args.grid, inputs)
    return {
        "grid": grid,
        "cell_size": metres_or_auto(args.cell, "--cell"),
        "band": metres_or_auto(args.band, "--band"),
        "k": args.k,
        "contiguity": args.contiguity,
        "polygons": polygons,
        "weight_field": args.weight_field,
    }


def metres_or_auto(text: str, option: str):
    if str(text).lower() == "auto":
        return "auto"
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{option} takes metres or auto; got {text!r}.") from None
    if not math.isfinite(value) or value <= 0:
        raise InputError(f"{option} must be a positive number of metres; got {text!r}.")
    return value


def _grid(text: str, inputs):
    if text in ("square", "hex"):
        return text, None
    if Path(text).suffix:
        from gisapp.layers.io import read_layers
        from gisapp.layers.reproject import reproject

        if not Path(text).exists():
            raise InputError(f"--grid {text}: no such polygon file.")
        return "polygons", reproject(read_layers(text)[0].data, inputs.crs)
    if text not in ("grids", "areas"):
        raise InputError(f"--grid takes square, hex, grids, areas or a polygon file; got {text!r}.")
    return "polygons", inputs.frame(text)
