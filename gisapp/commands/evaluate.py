"""``gisapp evaluate``'s own outputs: the rolling table (``--csv``), the latest hit-rate curve (``--curve-csv``) and the figure (``--png``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .output import write_table_csv


def add_outputs(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("tables and figures")
    group.add_argument("--csv", type=Path, metavar="ROLLING.csv", help="write the rolling table (one row per test period and method)")
    group.add_argument("--curve-csv", type=Path, metavar="CURVE.csv", help="write the full hit-rate curve of the latest test period")
    group.add_argument("--table-csv", type=Path, metavar="TABLE.csv", help="write the verdict table (mean PAI, spread, periods that beat counts)")
    group.add_argument("--png", type=Path, metavar="FIGURE.png", help="draw the hit-rate curves, the rolling PAI and which method wins")


def write_outputs(args: argparse.Namespace, result) -> dict:
    """Write the outputs asked for; returns ``{"csv": path, ...}`` for the summary."""
    import pandas as pd

    written = {}
    summary = result.summary
    if args.csv:
        written["csv"] = str(write_table_csv(pd.DataFrame(summary["rolling"]), args.csv, "--csv"))
    if args.curve_csv:
        curve = pd.DataFrame(summary["curve"])
        curve["coverage"] = curve["coverage"] * 100
        written["curve_csv"] = str(write_table_csv(curve.rename(columns={"coverage": "coverage_pct"}), args.curve_csv, "--curve-csv"))
    if args.table_csv:
        written["table_csv"] = str(write_table_csv(pd.DataFrame(summary["table"]), args.table_csv, "--table-csv"))
    if args.png:
        from gisapp.charts import save_png
        from gisapp.charts.evaluation import evaluation_figure

        written["png"] = str(save_png(evaluation_figure(summary), args.png))
    return written
