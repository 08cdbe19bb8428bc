"""``gisapp compare``: compare areas (markets, urban fringe, grids, townships) and their temporal profiles."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from gisapp.analysis.spacetime.compare import ALL_LABEL, CompareParams, compare_areas
from gisapp.analysis.spacetime.temporal import MarketRule
from gisapp.layers.errors import InputError
from gisapp.layers.io import read_layers
from gisapp.layers.io.safe_cells import write_csv
from gisapp.layers.reproject import reproject

from .common import Inputs, add_filter_options, add_output_options, incident_filter_from, report_summary, write_result


def register(subparsers, commands) -> None:
    parser = subparsers.add_parser(
        "compare",
        help="compare areas: counts, rates per 10,000, change between periods, category mix, hour x weekday, trend, market days",
        description="Area comparison and temporal profiles. Choose the polygons with one of --areas, --grids, --townships or --polygons.",
    )
    parser.add_argument("input", help="incidents file, or a GeoPackage such as sample_data/county.gpkg")
    chosen = parser.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--areas", action="append", metavar="TYPE_OR_NAME", help="areas of this area_type or name, e.g. market,urban_fringe or 西门市场 (repeatable)")
    chosen.add_argument("--grids", nargs="?", const="all", metavar="ID,...", help="网格 grid cells: all, or the listed grid_id / names")
    chosen.add_argument("--townships", action="store_true", help="townships: grids dissolved by their township column, populations summed")
    chosen.add_argument("--polygons", metavar="FILE", help="any polygon file")
    parser.add_argument("--group-by", metavar="COLUMN", help="dissolve the chosen polygons by this column first, e.g. area_type")
    parser.add_argument("--name-column", default="name", help="polygon name column (default name)")
    parser.add_argument("--population-column", default="population", help="residents column for rates per 10,000 (default population)")
    parser.add_argument("--period-a", metavar="FROM:TO", help="first period compared, e.g. 2024-01-01:2024-12-31 (default: first half)")
    parser.add_argument("--period-b", metavar="FROM:TO", help="second period compared (default: second half)")
    parser.add_argument("--market-days", metavar="RULE", help="market-day rule for the market-day effect: cycle:3@2024-01-01 or digits:1,4,7 (逢一四七)")
    parser.add_argument("--mix-by", default="category", metavar="COLUMN", help="incident column of the category mix: category (default) or subcategory")
    parser.add_argument("--export-dir", type=Path, metavar="DIR", help="write the tables (CSV, JSON) and figures (PNG) into this folder")
    add_filter_options(parser)
    add_output_options(parser)
    commands["compare"] = run


def run(args: argparse.Namespace) -> int:
    # argument mistakes first, before the data are read
    period_a, period_b = _period(args.period_a, "--period-a"), _period(args.period_b, "--period-b")
    if args.market_days:
        MarketRule.parse(args.market_days)
    inputs = Inputs(args.input, None, args.analysis_crs)
    polygons, name_column, group = _polygons(args, inputs)
    incident_filter = incident_filter_from(args)
    incidents = inputs.incidents(incident_filter)
    params = CompareParams(
        name_column=name_column,
        population_column=args.population_column,
        group_column=group,
        start=args.date_from,
        end=args.date_to,
        period_a=period_a,
        period_b=period_b,
        category_column=args.mix_by,
        market_rule=args.market_days,
    )
    result = compare_areas(incidents, polygons, params)
    result.params["filters"] = incident_filter.to_dict()  # the output carries every choice that made it
    write_result("compare", result, args.out, inputs.crs)
    summary = {**result.summary, "out": str(args.out)}
    if args.export_dir:
        summary["exported"] = [str(path) for path in export(result.summary, args.export_dir)]
    shown = {k: v for k, v in summary.items() if k != "profiles"} if not args.json else summary
    report_summary(args, shown, _lines(summary))
    return 0


def _polygons(args, inputs: Inputs) -> tuple[gpd.GeoDataFrame, str, str | None]:
    """The chosen polygons in the analysis CRS, the name column, and the grouping column."""
    if args.polygons:
        frame = reproject(read_layers(args.polygons)[0].data, inputs.crs)
        return frame, args.name_column, args.group_by
    if args.areas:
        areas = inputs.frame("areas")
        wanted = {item.strip() for spec in args.areas for item in spec.replace("，", ",").split(",") if item.strip()}
        match = pd.Series(False, index=areas.index)
        for column in ("area_type", "name", "area_id"):
            if column in areas:
                match |= areas[column].astype(str).isin(wanted)
        if not match.any():
            known = sorted(set(areas.get("area_type", pd.Series(dtype=str)).astype(str)) | set(areas.get("name", pd.Series(dtype=str)).astype(str)))
            raise InputError(f"No area has the type or name {', '.join(sorted(wanted))}; known: {', '.join(known)}.")
        return areas[match], args.name_column, args.group_by
    grids = inputs.frame("grids")
    if args.townships:
        if "township" not in grids:
            raise InputError("The grids layer has no township column, so townships cannot be formed; use --grids or --polygons.")
        return grids, args.name_column, "township"
    if args.grids != "all":
        wanted = {item.strip() for item in args.grids.replace("，", ",").split(",") if item.strip()}
        match = grids["grid_id"].astype(str).isin(wanted) | grids.get("name", grids["grid_id"]).astype(str).isin(wanted)
        if not match.any():
            raise InputError(f"No grid has the id or name {', '.join(sorted(wanted))}.")
        grids = grids[match]
    return grids, args.name_column, args.group_by


def _period(text: str | None, option: str):
    if not text:
        return None
    first, sep, last = text.partition(":")
    if not sep or not first or not last:
        raise InputError(f"{option} takes FROM:TO, e.g. 2024-01-01:2024-12-31; got {text!r}.")
    return (first, last)


def export(summary: dict, folder: Path) -> list[Path]:
    """Tables as CSV (UTF-8 with BOM for Excel/WPS) and JSON, figures as PNG, into ``folder``."""
    from gisapp.charts import save_png
    from gisapp.charts.profiles import area_change_figure, hour_weekday_figure, market_day_figure, monthly_trend_figure

    folder.mkdir(parents=True, exist_ok=True)
    written = []

    def table(frame: pd.DataFrame, name: str) -> None:
        path = folder / name
        write_csv(frame, path)  # formulas from the data neutralised
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
    written.append(save_png(area_change_figure(summary["areas"], summary["periods"]), folder / "area_change.png"))
    written.append(save_png(hour_weekday_figure(profiles), folder / "hour_weekday.png"))
    written.append(save_png(monthly_trend_figure(profiles), folder / "monthly.png"))
    if any("market" in p for p in profiles.values()):
        written.append(save_png(market_day_figure(profiles), folder / "market_day.png"))
    return written


def _lines(summary: dict) -> list[str]:
    periods = summary["periods"]
    lines = [
        f"Area comparison: {len(summary['areas'])} areas, {summary['incidents']:,} incidents {periods['whole'][0]} to {periods['whole'][1]}",
        f"  period A {periods['a'][0]}..{periods['a'][1]} ({periods['days']['a']} days), B {periods['b'][0]}..{periods['b'][1]} ({periods['days']['b']} days)",
        f"  {'area':<12}{'n':>8}{'A':>7}{'B':>7}{'B/A rate':>10}{'p':>10}{'per 10k/yr':>12}{'per km²':>10}  top category",
    ]
    for row in summary["areas"]:
        rr = "—" if row["rate_ratio"] is None else f"{row['rate_ratio']:.2f}"
        rate = "—" if row["rate_10k_year"] is None else f"{row['rate_10k_year']:.1f}"
        top = f"{row['top_category']} ({row['top_share']:.0%})" if row["top_category"] else "—"
        density = "—" if row["per_km2"] is None else f"{row['per_km2']:.1f}"
        lines.append(f"  {row['name']:<12}{row['n']:>8,}{row['n_a']:>7,}{row['n_b']:>7,}{rr:>10}{row['p_change']:>10.3g}{rate:>12}{density:>10}  {top}")
    for name, profile in summary["profiles"].items():
        trend = profile["trend"]
        text = f"  {name}: monthly trend {trend['direction']}"
        if trend["mk_z"] is not None:
            text += f" (Mann-Kendall z {trend['mk_z']:.2f}, p {trend['mk_p']:.3g}, Sen {trend['sen_slope_per_month']:+.2f}/month)"
        text += f"; peak {profile['peak_hour']:02d}h on weekday {profile['peak_weekday']}"
        if "market_effect" in profile and profile["market_effect"]["rate_ratio"] is not None:
            effect = profile["market_effect"]
            text += f"; market days x{effect['rate_ratio']:.2f} (p {effect['p_value']:.3g})"
        lines.append(text)
    lines += [f"  note: {note}" for note in summary["notes"]]
    lines.append(f"  written to {summary['out']}" + (f" and {len(summary['exported'])} files in the export folder" if summary.get("exported") else ""))
    return lines


__all__ = ["ALL_LABEL", "export", "register", "run"]
