"""Extra outputs of ``gisapp nearrepeat``: the Knox table as CSV and as a heat-table figure."""

from __future__ import annotations

import argparse
from pathlib import Path

from .output import write_table_csv


def add_outputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--csv", type=Path, metavar="TABLE.csv", help="write the Knox table as CSV (UTF-8 with BOM, opens in Excel/WPS)")
    parser.add_argument("--png", type=Path, metavar="TABLE.png", help="write the Knox table as a heat-table figure")
    parser.add_argument("--title", default="近重复分析（Knox 检验）", help="title of the figure")


def write_outputs(args: argparse.Namespace, result) -> dict:
    written = {}
    if args.csv:
        from gisapp.analysis.spacetime.nearrepeat import knox_table_frame

        written["csv"] = str(write_table_csv(knox_table_frame(result.summary["knox"]), args.csv, "--csv"))
    if args.png:
        from gisapp.charts import save_png
        from gisapp.charts.context import context_line, time_span
        from gisapp.charts.knox import knox_heat_table

        context = context_line(result.summary.get("filters"), time_span(result.layer))
        written["png"] = str(save_png(knox_heat_table(result.summary["knox"], args.title, context=context), args.png))
    return written
