"""Extra output of ``gisapp emerging``: a map of the categories as a PNG."""

from __future__ import annotations

import argparse
from pathlib import Path

STEP_ZH = {"day": "日", "week": "周", "month": "月"}


def add_outputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--png", type=Path, metavar="MAP.png", help="also draw a map of the categories")


def write_outputs(args: argparse.Namespace, result, inputs) -> dict:
    if not args.png:
        return {}
    from gisapp.charts import save_png
    from gisapp.charts.emerging import emerging_map

    s = result.summary
    cells = "网格" if s.get("cell_size_m") is None else f"{s['cell_size_m']:g} 米格网"
    title = f"时空热点分析：{s['first_step']}～{s['last_step']}，{cells}，按{STEP_ZH.get(s['time_step'], s['time_step'])}"
    context = inputs.frame("grids", required=False)
    return {"png": str(save_png(emerging_map(result.layer, title, context), args.png))}
