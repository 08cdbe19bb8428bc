"""``gisapp nearrepeat``: the Knox near-repeat test (Ratcliffe's Near Repeat Calculator) and event chains."""

from __future__ import annotations

import argparse
from pathlib import Path

from gisapp.analysis.spacetime.nearrepeat import METRICS, KnoxParams, knox_table_frame, near_repeat
from gisapp.layers.errors import InputError
from gisapp.layers.io.safe_cells import write_csv

from .common import Inputs, add_filter_options, add_output_options, incident_filter_from, report_summary, write_result


def parse_number_list(text: str, option: str) -> tuple[float, ...]:
    """``"0,100,200"`` -> (0.0, 100.0, 200.0); Chinese commas and spaces are accepted."""
    parts = [part for part in str(text).replace("，", ",").replace(" ", ",").split(",") if part]
    try:
        return tuple(float(part) for part in parts)
    except ValueError:
        raise InputError(f"{option} takes numbers separated by commas, e.g. 0,100,200,400; got {text!r}.") from None


def register(subparsers, commands) -> None:
    parser = subparsers.add_parser(
        "nearrepeat",
        help="near-repeat (Knox) test over distance x time bands, and originator / near-repeat classification",
        description="Knox test as in Ratcliffe's Near Repeat Calculator: pairs of incidents counted by distance band x time band, "
        "compared with Monte Carlo permutations of the times (p = (#sims >= observed + 1) / (R + 1)).",
    )
    parser.add_argument("input", help="incidents file, or a GeoPackage such as sample_data/county.gpkg")
    parser.add_argument("--distance-bands", default="0,100,200,400", metavar="M,M,...", help="increasing band edges in metres; a leading 0 adds the 'same location' band (default 0,100,200,400)")
    parser.add_argument("--time-bands", default="0,7,14,21", metavar="D,D,...", help="increasing band edges in days (default 0,7,14,21)")
    parser.add_argument("--metric", choices=METRICS, default="euclidean", help="distance metric (default euclidean)")
    parser.add_argument("--permutations", type=int, default=999, help="Monte Carlo permutations of the times (default 999)")
    parser.add_argument("--seed", type=int, default=12345, help="random seed; the same seed gives the same table")
    parser.add_argument("--same-location", type=float, default=0.0, metavar="M", help="distance that still counts as the same location (default 0)")
    parser.add_argument("--exact-times", action="store_true", help="use exact time differences instead of calendar days (the Calculator's convention)")
    parser.add_argument("--classify", metavar="M,D", help="band for classifying events, metres,days (default: first distance band, first time band)")
    parser.add_argument("--csv", type=Path, metavar="TABLE.csv", help="write the Knox table as CSV (UTF-8 with BOM, opens in Excel/WPS)")
    parser.add_argument("--png", type=Path, metavar="TABLE.png", help="write the Knox table as a heat-table figure")
    parser.add_argument("--title", default="近重复分析（Knox 检验）", help="title of the figure")
    add_filter_options(parser)
    add_output_options(parser)
    commands["nearrepeat"] = run


def run(args: argparse.Namespace) -> int:
    classify = parse_number_list(args.classify, "--classify") if args.classify else (None, None)
    if len(classify) != 2:
        raise InputError(f"--classify takes a distance and a number of days, e.g. 200,7; got {args.classify!r}.")
    params = KnoxParams(
        distance_bands=parse_number_list(args.distance_bands, "--distance-bands"),
        time_bands=parse_number_list(args.time_bands, "--time-bands"),
        metric=args.metric,
        permutations=args.permutations,
        seed=args.seed,
        same_location_m=args.same_location,
        whole_days=not args.exact_times,
        classify_distance=classify[0],
        classify_days=classify[1],
    )
    params.validate()  # before reading the data: a bad band is the user's first mistake to hear about
    inputs = Inputs(args.input, None, args.analysis_crs)
    incident_filter = incident_filter_from(args)
    incidents = inputs.incidents(incident_filter)
    result = near_repeat(incidents, params)
    result.params["filters"] = incident_filter.to_dict()  # the output carries every choice that made it
    write_result("nearrepeat", result, args.out, inputs.crs)
    summary = {**result.summary, "out": str(args.out)}
    if args.csv:
        if args.csv.suffix.lower() != ".csv":
            raise InputError(f"--csv must name a .csv file; got {args.csv.name}.")
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        write_csv(knox_table_frame(result.summary["knox"]), args.csv)
        summary["csv"] = str(args.csv)
    if args.png:
        from gisapp.charts import save_png
        from gisapp.charts.knox import knox_heat_table

        summary["png"] = str(save_png(knox_heat_table(result.summary["knox"], args.title), args.png))
    report_summary(args, summary, _lines(summary))
    return 0


def _lines(summary: dict) -> list[str]:
    knox = summary["knox"]
    lines = [
        (f"Knox near-repeat test: {summary['events']:,} events, {summary['pairs_within_largest_band']:,} pairs within the largest band, "
        f"{summary['permutations']:,} permutations (seed {summary['seed']}, {summary['metric']})"),
        "  Knox ratio (p) by distance band x time band:",
        "  " + " " * 22 + "".join(f"{t:>20}" for t in knox["time_bands"]),
    ]
    for d, ratios, ps in zip(knox["distance_bands"], knox["knox_ratio"], knox["p_value"]):
        cells = "".join(f"{('—' if r is None else f'{r:.2f}') + f' ({p:.3f})' + ('*' if p <= 0.05 and r is not None and r > 1 else ' '):>20}" for r, p in zip(ratios, ps))
        lines.append(f"  {d:>22}{cells}")
    lines.append("  * significantly more pairs than expected (p <= 0.05)")
    band = summary["classification_band"]
    classes = summary["classes"]
    lines.append(
        f"  events within {band['distance_m']:g} m and {band['days']:g} days: {classes['originator']} originators, {classes['near_repeat']} near repeats, "
        f"{classes['repeat']} repeats, {classes['isolated']} isolated; {summary['chains']} chains (largest {summary['largest_chain']})"
    )
    lines += [f"  note: {note}" for note in summary["notes"]]
    extra = [summary[k] for k in ("csv", "png") if summary.get(k)]
    lines.append(f"  written to {summary['out']}" + "".join(f", {path}" for path in extra))
    return lines
