"""What a command prints and writes: the summary (readable lines or ``--json``) and the result GeoPackage."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def print_json(payload: dict) -> None:
    print(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def report_summary(args: argparse.Namespace, summary: dict, lines: list[str]) -> None:
    """``--json``: the summary as JSON on stdout; otherwise readable lines."""
    if getattr(args, "json", False):
        print_json(summary)
    else:
        print("\n".join(lines))


def save_layers(layers: list, out: Path, crs) -> Path:
    """Save result layers as one gisapp project at ``out`` (atomically): it opens in gisapp with its
    provenance, and in QGIS as ordinary layers."""
    from gisapp.layers import LayerList
    from gisapp.layers.project import Project, save_project

    return save_project(Project(LayerList(layers), analysis_crs=crs.to_string() if hasattr(crs, "to_string") else str(crs)), out)


def write_table_csv(frame, path: Path, option: str) -> Path:
    """A table as CSV for Excel/WPS (UTF-8 with BOM, formula-like cells neutralised) at ``path``, named by ``option`` in errors."""
    from gisapp.layers.errors import InputError
    from gisapp.layers.io.safe_cells import write_csv

    if path.suffix.lower() != ".csv":
        raise InputError(f"{option} must name a .csv file; got {path.name}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_csv(frame, path)
    return path
