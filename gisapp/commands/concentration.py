"""Extra output of ``gisapp concentration``: the Lorenz curve as a PNG (default ``OUT_lorenz.png``)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_outputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--png", type=Path, metavar="LORENZ.png", help="Lorenz curve image (default: OUT_lorenz.png)")


def write_outputs(args: argparse.Namespace, result) -> dict:
    from gisapp.charts.lorenz import write_lorenz_png

    png = args.png or args.out.with_name(args.out.stem + "_lorenz.png")
    write_lorenz_png(result, png)
    return {"png": str(png)}
