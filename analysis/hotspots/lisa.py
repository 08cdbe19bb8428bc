"""Global and local Moran's I (LISA): clusters (HH, LL) and outliers (HL, LH) of incident counts or of a value per unit.

Local Moran's I (Anselin 1995) with row-standardised weights:

    I_i = (n - 1) * z_i * sum_j w_ij z_j / sum_j z_j**2,   z = x - mean(x)

exactly ``esda.Moran_Local(y, w, transformation="r").Is``. Quadrants follow
esda/GeoDa: 1 HH (high among high), 2 LH, 3 LL, 4 HL.

Inference is by conditional permutation (the focal value fixed, its
neighbours drawn from the others), with esda/GeoDa's folded pseudo p-value
``p = (M + 1) / (R + 1)``, M the simulated values at least as extreme in the
observed tail. Under conditional randomisation I_i is a monotone function of
the sum of the drawn neighbour values, as Gi* is, so the same draws serve
both; we reuse :func:`gisapp.analysis.stats.permutation.gi_permutation_p` and halve its
two-sided value. A unit is labelled with its quadrant when ``p <= alpha``
(0.05 by default, GeoDa's default) or, with FDR on, when p is at most the
Benjamini-Hochberg cutoff (:func:`gisapp.analysis.stats.inference.bh_cutoff`); otherwise
``ns``.

**How many permutations.** A pseudo p can be no smaller than 1/(R + 1). With
N units the Benjamini-Hochberg cutoff for the m most significant ones is
``m alpha / N``, so m units at the floor pass only if ``1/(R + 1) <= m alpha / N``.
On a county fishnet (N = 19,067 cells) 999 permutations reach that only for
m >= 382 cells at the floor; with fewer, FDR labels nothing, whatever the
data. With ``permutations="auto"`` (the default) the run starts with 999 and,
when FDR labels nothing while units sit at the floor, reruns with the
smallest of 1,999, 4,999, 9,999, 19,999, 49,999, 99,999 that lets those units
pass (the engine does 19,000 cells x 10,000 permutations in about a second);
the summary says which R was used and why. A number given by the user is
used as is, with a note when it cannot reach the cutoff.

Global Moran's I is reported with its normal-approximation z and a
permutation p (esda ``Moran``, ``z_norm`` and ``p_sim``), with row-standardised
weights by default as in GeoDa and esda (``weights="binary"`` is the option);
its variance uses the general S1 and S2 (:mod:`gisapp.analysis.stats.moran`).

References
----------
Anselin, L. (1995). Local indicators of spatial association — LISA.
Geographical Analysis 27(2), 93-115.
Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate.
JRSS B 57(1), 289-300.
"""

from __future__ import annotations

import math
from dataclasses import asdict

import geopandas as gpd
import numpy as np

from gisapp.analysis.core.aggregation import CellCounts, aggregate_incidents, with_result_columns
from gisapp.analysis.core.result import AnalysisResult, report
from gisapp.analysis.hotspots.methods import AUTO, LisaParams
from gisapp.analysis.hotspots.optimized import annotate, resolve_neighbourhood, with_polygons
from gisapp.analysis.hotspots.values import finish_status, neighbourhood, require_units, unit_layer, unit_values
from gisapp.analysis.stats.inference import bh_cutoff
from gisapp.analysis.stats.moran import LocalMoran, global_moran, local_moran
from gisapp.analysis.stats.weights import unit_weights
from gisapp.layers.errors import InputError

QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
LABELS_ZH = {"HH": "高-高聚集", "LL": "低-低聚集", "HL": "高-低异常", "LH": "低-高异常", "ns": "不显著"}
#: First number of permutations with ``permutations="auto"`` (esda's and GeoDa's default).
FIRST_PERMUTATIONS = 999
#: The numbers of permutations ``auto`` may step up to, in order.
MORE_PERMUTATIONS = (1_999, 4_999, 9_999, 19_999, 49_999, 99_999)
#: Units x permutations ``auto`` will not exceed (about ten seconds on two cores).
MAX_PERMUTATION_WORK = 4e9


def lisa(points: gpd.GeoDataFrame, params: LisaParams, progress=None, cancelled=None) -> AnalysisResult:
    """Local (and global) Moran's I of incident counts per cell.

    Returns
    -------
    AnalysisResult
        ``layer``: cells with ``n``, ``lisa_i``, ``lisa_q`` (1 HH, 2 LH, 3 LL,
        4 HL), ``lisa_p`` (folded pseudo p), ``lisa_cluster`` (HH/LL/HL/LH/ns)
        and ``lisa_label`` (Chinese). ``summary``: cell counts per cluster
        label, global Moran's I, the FDR cutoff, the permutations used and
        why, the scale choices.
    """
    _check(params)
    report(progress, cancelled, 0.0, "Choosing the scale")
    hood = resolve_neighbourhood(points, params)
    report(progress, cancelled, 0.15, "Counting incidents into cells")
    counts = aggregate_incidents(points, hood.aggregation)
    weights, route = unit_weights(counts, hood.band, hood.k, hood.contiguity)
    layer, summary = lisa_of_units(counts, weights, route, params, progress, cancelled)
    result = AnalysisResult(layer, summary, {"aggregation": hood.aggregation.to_dict(), "lisa": _params_dict(params)})
    report(progress, cancelled, 1.0, "LISA done")
    return annotate(result, hood, AUTO in (params.cell_size, params.band))


def _check(params: LisaParams) -> None:
    if params.permutations != AUTO and params.permutations < 99:
        raise InputError(f"LISA needs at least 99 permutations for its pseudo p-values; got {params.permutations}.")
    if not 0 < params.alpha < 0.5:
        raise InputError(f"alpha must lie between 0 and 0.5; got {params.alpha}.")


def lisa_of_units(counts: CellCounts, weights, route: str, params: LisaParams, progress=None, cancelled=None) -> tuple[gpd.GeoDataFrame, dict]:
    """Local and global Moran's I of units that carry their values: the units with the result columns, and the summary."""
    report(progress, cancelled, 0.3, "Permutations")
    local, cutoff, permutations, chosen = _local_with_enough_permutations(counts.values, weights, params, progress, cancelled)
    significant = local.p_sim <= cutoff
    cluster = np.array([QUADRANTS.get(int(q), "ns") if s else "ns" for q, s in zip(local.quadrant, significant)], dtype=object)
    layer = with_result_columns(
        counts.cells,
        {"lisa_i": local.Is, "lisa_q": local.quadrant, "lisa_p": local.p_sim, "lisa_cluster": cluster, "lisa_label": [LABELS_ZH[c] for c in cluster]},
    )
    notes = [] if chosen else _unreachable_note(local.p_sim, cutoff, permutations, counts.values.size, params)
    report(progress, cancelled, 0.9, "Global Moran's I")
    summary = {
        **counts.summary,
        "cells": int(counts.values.size),
        "weights": route,
        "fdr": params.fdr,
        "alpha": params.alpha,
        "p_cutoff": cutoff,
        "permutations": permutations,
        "permutations_chosen": chosen,
        "clusters": {label: int((cluster == label).sum()) for label in ("HH", "LL", "HL", "LH", "ns")},
        "global_moran": global_moran(counts.values, weights, min(permutations, FIRST_PERMUTATIONS), params.seed, params.weights),
        "notes": notes,
    }
    return layer, summary


def _local_with_enough_permutations(values, weights, params: LisaParams, progress, cancelled) -> tuple[LocalMoran, float, int, str]:
    """Local Moran's I with R permutations: the user's R, or with ``auto`` as many as the FDR cutoff needs (module notes)."""
    n = int(np.size(values))
    auto = params.permutations == AUTO
    permutations = FIRST_PERMUTATIONS if auto else int(params.permutations)
    chosen = ""
    while True:
        local = local_moran(values, weights, permutations, params.seed,
                            on_chunk=lambda f, r=permutations: report(progress, cancelled, 0.3 + 0.6 * f, f"{r:,} permutations"))
        cutoff = bh_cutoff(local.p_sim, params.alpha) if params.fdr else params.alpha
        more = _permutations_needed(local.p_sim, cutoff, permutations, n, params.alpha) if auto and params.fdr else None
        if more is None:
            return local, cutoff, permutations, chosen
        at_floor = _at_floor(local.p_sim, permutations)
        chosen = (f"raised from {permutations:,} to {more:,}: with {n:,} units, {permutations:,} permutations give no p below "
                  f"1/{permutations + 1:,}, above the FDR cutoff of the {at_floor:,} most significant units "
                  f"({at_floor:,} x {params.alpha:g} / {n:,} = {at_floor * params.alpha / n:.2g})")
        permutations = more


def _at_floor(p_sim: np.ndarray, permutations: int) -> int:
    return int((p_sim <= 1.0 / (permutations + 1) * (1 + 1e-9)).sum())


def _permutations_needed(p_sim: np.ndarray, cutoff: float, permutations: int, n: int, alpha: float) -> int | None:
    """The next number of permutations to try, or None when these are enough (or more cannot help or cost too much).

    More are needed when FDR labels nothing although units sit at the smallest
    possible p, 1/(R + 1): m of them pass only when 1/(R + 1) <= m alpha / n.
    """
    at_floor = _at_floor(p_sim, permutations)
    if cutoff > 0 or at_floor == 0:
        return None
    needed = math.ceil(n / (alpha * at_floor)) - 1
    for candidate in MORE_PERMUTATIONS:
        if candidate > permutations and (candidate >= needed or candidate == MORE_PERMUTATIONS[-1]):
            return candidate if candidate * n <= MAX_PERMUTATION_WORK else None
    return None


def _unreachable_note(p_sim, cutoff: float, permutations: int, n: int, params: LisaParams) -> list[str]:
    floor = 1.0 / (permutations + 1)
    if params.fdr and cutoff < floor and np.nanmin(p_sim) <= floor * 1.0001:
        return [
            f"With {n:,} cells, {permutations:,} permutations cannot reach the FDR cutoff "
            f"(smallest pseudo p {floor:.4g}); use --permutations auto, larger cells, or no FDR."
        ]
    return []


def value_lisa(inputs, params: LisaParams, progress=None, cancelled=None) -> AnalysisResult:
    """Local and global Moran's I of a value per polygon or point (``--value``, ``--rate``, ``--per``)."""
    _check(params)
    report(progress, cancelled, 0.0, "Reading the values of the units")
    values = unit_values(inputs, params)
    notes = require_units(values)
    counts = values.counts()
    hood = neighbourhood(counts, params)
    analysed, summary = lisa_of_units(counts, hood.weights, hood.route, params, progress, cancelled)
    excluded = finish_status(values, hood.weights)
    layer = unit_layer(values, analysed, {"lisa_i": np.nan, "lisa_q": 0, "lisa_p": np.nan, "lisa_cluster": "ns", "lisa_label": "未分析"})
    summary.update(values.summary, value=values.description, units=len(layer), units_excluded=excluded,
                   notes=[*notes, *summary["notes"]], scale={"reasons": hood.reasons})
    result = AnalysisResult(layer, summary, {"values": values.summary, "lisa": _params_dict(params)})
    result.chosen.update(band=hood.band, weights=hood.route, permutations=summary["permutations"])
    report(progress, cancelled, 1.0, "LISA done")
    return result


def _params_dict(params: LisaParams) -> dict:
    data = asdict(params)
    data["polygons"] = None if params.polygons is None else f"{len(params.polygons)} polygons"
    return data


def run_lisa(inputs, params: LisaParams, progress=None, cancelled=None) -> AnalysisResult:
    """The ``lisa`` method: local and global Moran's I of the filtered incidents, or of a value per unit."""
    if params.uses_values():
        return value_lisa(inputs, params, progress, cancelled)
    result = lisa(inputs.incidents(), with_polygons(params, inputs), progress, cancelled)
    result.chosen["permutations"] = result.summary["permutations"]
    return result
