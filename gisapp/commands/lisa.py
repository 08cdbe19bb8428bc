"""``gisapp lisa``: local Moran's I clusters (HH, LL) and outliers (HL, LH), with global Moran's I."""

from __future__ import annotations

import argparse

from gisapp.analysis.hotspots.lisa import LisaParams, lisa
from gisapp.layers.errors import InputError

from .common import Inputs, add_filter_options, add_output_options, incident_filter_from, report_summary, write_result
from .options import add_neighbourhood_options, neighbourhood_options


def register(subparsers, commands) -> None:
    parser = subparsers.add_parser("lisa", help="local Moran's I: HH/LL clusters and HL/LH outliers, permutation p, FDR")
    parser.add_argument("incidents", help="incident file, or a GeoPackage/project holding an incidents layer")
    add_neighbourhood_options(parser)
    parser.add_argument("--permutations", type=int, default=999)
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--alpha", type=float, default=0.05, help="significance level of the labels (default 0.05)")
    parser.add_argument("--no-fdr", action="store_true", help="labels without the False Discovery Rate correction")
    add_filter_options(parser)
    add_output_options(parser)
    commands["lisa"] = run


def run(args: argparse.Namespace) -> int:
    if not 99 <= args.permutations <= 99_999:
        raise InputError(f"--permutations must be between 99 and 99999 for LISA; got {args.permutations}.")
    inputs = Inputs(args.incidents, analysis_crs=args.analysis_crs)
    incidents = inputs.incidents(incident_filter_from(args))
    params = LisaParams(
        **neighbourhood_options(args, inputs),
        permutations=args.permutations,
        seed=args.seed,
        fdr=not args.no_fdr,
        alpha=args.alpha,
    )
    result = lisa(incidents, params)
    path = write_result("lisa", result, args.out, inputs.crs)
    result.summary["out"] = str(path)
    report_summary(args, result.summary, describe(result.summary))
    return 0


def describe(summary: dict) -> list[str]:
    c, g = summary["clusters"], summary["global_moran"]
    return [
        f"LISA: {summary['cells']:,} cells, {summary['weights']}, {summary['permutations']} permutations, "
        f"{'FDR' if summary['fdr'] else 'alpha'} cutoff p ≤ {summary['p_cutoff']:.4f}",
        f"  clusters HH {c['HH']:,}  LL {c['LL']:,}   outliers HL {c['HL']:,}  LH {c['LH']:,}   not significant {c['ns']:,}",
        f"  global Moran's I {g['moran_i']:.4f} (z {g['z']:.2f}, permutation p {g['p_sim']:.3f})",
        *[f"  why: {reason}" for reason in summary["scale"].get("reasons", [])],
        *[f"  note: {note}" for note in summary["notes"]],
        f"  written to {summary['out']}",
    ]
