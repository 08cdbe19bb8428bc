"""``gisapp evaluate``: how well last period's hotspot map predicted the next (hit rate, PAI, PEI, rolling)."""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from gisapp.analysis.hotspots.evaluation import METHOD_LABELS_ZH, METHODS, EvaluationParams, evaluate_forecasts
from gisapp.layers.errors import InputError
from gisapp.layers.io.safe_cells import write_csv

from .common import Inputs, add_filter_options, add_output_options, incident_filter_from, report_summary, write_result
from .nearrepeat import parse_number_list


def register(subparsers, commands) -> None:
    parser = subparsers.add_parser(
        "evaluate",
        help="forecast evaluation: train a hotspot map on one period, test it on the next (hit rate, PAI, PEI)",
        description="Rolling evaluation as in open_cp: for every period, maps trained on the previous period(s) are scored "
        "on its incidents at area coverages: hit rate, PAI (Chainey et al. 2008) and PEI (Hunt 2016).",
    )
    parser.add_argument("input", help="incidents file, or a GeoPackage such as sample_data/county.gpkg")
    parser.add_argument("--method", default=",".join(METHODS), help="maps to evaluate: counts, kde, gistar (comma-separated; default all)")
    parser.add_argument("--cell", type=float, default=200.0, metavar="M", help="grid cell size in metres (default 200)")
    parser.add_argument("--period", choices=("day", "week", "month"), default="month", help="length of a training / test period (default month)")
    parser.add_argument("--train-periods", type=int, default=1, metavar="N", help="periods before the test period used to train (default 1)")
    parser.add_argument("--coverage", default="1,5,10,20", metavar="PCT,...", help="area coverages in percent (default 1,5,10,20)")
    parser.add_argument("--bandwidth", type=float, default=400.0, metavar="M", help="KDE radius in metres, quartic kernel (default 400)")
    parser.add_argument("--band", type=float, metavar="M", help="Gi* distance band in metres (default cell x 1.414)")
    parser.add_argument("--study-area", metavar="AREA", help="restrict the candidate cells to an area or grid name, or a polygon file (default: the incidents' extent)")
    parser.add_argument("--csv", type=Path, metavar="ROLLING.csv", help="write the rolling table (one row per test period and method)")
    parser.add_argument("--curve-csv", type=Path, metavar="CURVE.csv", help="write the full hit-rate curve of the latest test period")
    parser.add_argument("--png", type=Path, metavar="FIGURE.png", help="draw the hit-rate curves and the rolling PAI")
    add_filter_options(parser)
    add_output_options(parser)
    commands["evaluate"] = run


def run(args: argparse.Namespace) -> int:
    methods = tuple(m.strip() for m in str(args.method).replace("，", ",").split(",") if m.strip())
    coverages = tuple(c / 100.0 for c in parse_number_list(args.coverage, "--coverage"))
    inputs = Inputs(args.input, None, args.analysis_crs)
    incident_filter = incident_filter_from(args)
    incidents = inputs.incidents(incident_filter)
    params = EvaluationParams(
        methods=methods,
        cell_size=args.cell,
        period=args.period,
        train_periods=args.train_periods,
        coverages=coverages,
        bandwidth=args.bandwidth,
        band=args.band,
        start=args.date_from,
        end=args.date_to,
        study_area=study_area_geometry(inputs, args.study_area) if args.study_area else None,
    )
    result = evaluate_forecasts(incidents, params)
    result.params["filters"] = incident_filter.to_dict()  # the output carries every choice that made it
    write_result("evaluation", result, args.out, inputs.crs)
    summary = {**result.summary, "out": str(args.out)}
    if args.csv:
        summary["csv"] = str(_write_csv(pd.DataFrame(result.summary["rolling"]), args.csv, "--csv"))
    if args.curve_csv:
        curve = pd.DataFrame(result.summary["curve"])
        curve["coverage"] = curve["coverage"] * 100
        summary["curve_csv"] = str(_write_csv(curve.rename(columns={"coverage": "coverage_pct"}), args.curve_csv, "--curve-csv"))
    if args.png:
        from gisapp.charts import save_png
        from gisapp.charts.evaluation import evaluation_figure

        summary["png"] = str(save_png(evaluation_figure(result.summary), args.png))
    report_summary(args, summary, _lines(summary))
    return 0


def study_area_geometry(inputs: Inputs, name: str):
    """An area or grid name or a polygon file (as ``--within``), or a township of the grids layer."""
    try:
        return inputs.area_geometry(name)
    except InputError:
        grids = inputs.frame("grids", required=False)
        if grids is not None and "township" in grids and (grids["township"].astype(str) == name).any():
            return grids[grids["township"].astype(str) == name].union_all()
        raise


def _write_csv(frame: pd.DataFrame, path: Path, option: str) -> Path:
    if path.suffix.lower() != ".csv":
        raise InputError(f"{option} must name a .csv file; got {path.name}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    write_csv(frame, path)
    return path


def _lines(summary: dict) -> list[str]:
    latest = summary["latest"]
    lines = [
        (f"Forecast evaluation: {summary['cells']:,} cells of {summary['cell_size_m']:g} m ({summary['study_area_km2']:.1f} km²), "
        f"{summary['test_periods']} test {summary['period']}s"),
        f"  latest: trained on {', '.join(latest['train_periods'])} ({latest['train_n']:,} incidents), tested on {latest['test_period']} ({latest['test_n']:,})",
    ]
    for method, by_coverage in latest["methods"].items():
        parts = []
        for pct, s in by_coverage.items():
            rate = "—" if s["hit_rate"] is None else f"{s['hit_rate']:.1%}"
            pai = "—" if s["pai"] is None else f"{s['pai']:.1f}"
            pei = "—" if s["pei"] is None else f"{s['pei']:.2f}"
            parts.append(f"{pct}%: hit {rate} PAI {pai} PEI {pei}")
        lines.append(f"  {method:7} {METHOD_LABELS_ZH[method]}  " + "; ".join(parts))
    lines.append("  mean over all test periods:")
    for method, means in summary["mean"].items():
        parts = [f"{key.split('_')[-1]}%: PAI {value:.1f}" for key, value in means.items() if key.startswith("pai_") and value is not None]
        lines.append(f"  {method:7} " + "; ".join(parts))
    lines += [f"  note: {note}" for note in summary["notes"]]
    extra = [summary[k] for k in ("csv", "curve_csv", "png") if summary.get(k)]
    lines.append(f"  written to {summary['out']}" + "".join(f", {path}" for path in extra))
    return lines
