"""Extra output of ``gisapp kde``: the density surface as a GeoTIFF (default ``OUT.tif``)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_outputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--raster", type=Path, metavar="OUT.tif", help="GeoTIFF to write (default: OUT.gpkg with .tif)")


def write_outputs(args: argparse.Namespace, result) -> dict:
    from gisapp.layers.raster import write_geotiff

    path = args.raster or args.out.with_suffix(".tif")
    result.raster.metadata["filters"] = result.summary.get("filters", {})
    write_geotiff(result.raster, path)
    return {"raster": str(path)}
