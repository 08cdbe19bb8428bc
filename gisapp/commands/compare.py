"""Extra output of ``gisapp compare``: the tables (CSV, JSON) and figures (PNG) in a folder (``--export-dir``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def add_outputs(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--export-dir", type=Path, metavar="DIR", help="write the tables (CSV, JSON) and figures (PNG) into this folder")


def write_outputs(args: argparse.Namespace, result) -> dict:
    if not args.export_dir:
        return {}
    return {"exported": [str(path) for path in export(result.summary, args.export_dir)]}


def export(summary: dict, folder: Path) -> list[Path]:
    """Tables as CSV (UTF-8 with BOM for Excel/WPS) and JSON, figures as PNG, into ``folder``."""
    import pandas as pd

    from gisapp.charts import save_png
    from gisapp.charts.context import context_line
    from gisapp.charts.profiles import area_change_figure, hour_weekday_figure, market_day_figure, monthly_trend_figure
    from gisapp.layers.io.safe_cells import write_csv

    folder.mkdir(parents=True, exist_ok=True)
    written = []

    def table(frame: pd.DataFrame, name: str) -> None:
        path = folder / name
        write_csv(frame, path)
        written.append(path)

    table(pd.DataFrame(summary["areas"]), "areas.csv")
    mix = pd.DataFrame(summary["category_mix"]).T.fillna(0).astype(int)
    table(mix.rename_axis("name").reset_index(), "category_mix.csv")
    profiles = summary["profiles"]
    rows = [{"area": name, "hour": h, "weekday": d + 1, "n": n} for name, p in profiles.items() for h, row in enumerate(p["hour_weekday"]) for d, n in enumerate(row)]
    table(pd.DataFrame(rows), "hour_weekday.csv")
    table(pd.DataFrame([{"area": name, **m} for name, p in profiles.items() for m in p["monthly"]]), "monthly.csv")
    trends = [{"area": name, **{k: v for k, v in p["trend"].items() if k != "notes"}} for name, p in profiles.items()]
    table(pd.DataFrame(trends), "trends.csv")
    if any("market" in p for p in profiles.values()):
        table(pd.DataFrame([{"area": name, **m} for name, p in profiles.items() if "market" in p for m in p["market"]]), "market_day.csv")
        table(pd.DataFrame([{"area": name, **p["market_effect"]} for name, p in profiles.items() if "market_effect" in p]), "market_effect.csv")
    path = folder / "summary.json"
    path.write_text(json.dumps(summary, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    written.append(path)
    context = context_line(summary.get("filters"), tuple(summary["periods"]["whole"]))
    written.append(save_png(area_change_figure(summary["areas"], summary["periods"], context=context), folder / "area_change.png"))
    written.append(save_png(hour_weekday_figure(profiles, context=context), folder / "hour_weekday.png"))
    written.append(save_png(monthly_trend_figure(profiles, context=context), folder / "monthly.png"))
    if any("market" in p for p in profiles.values()):
        written.append(save_png(market_day_figure(profiles), folder / "market_day.png"))
    return written
