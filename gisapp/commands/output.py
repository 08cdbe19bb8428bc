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
