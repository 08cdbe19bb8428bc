"""Global and local Moran's I (LISA): clusters (HH, LL) and outliers (HL, LH) of incident counts.

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

Global Moran's I is reported with its normal-approximation z and a
permutation p (esda ``Moran``, ``z_norm`` and ``p_sim``), with row-standardised
weights by default as in GeoDa and esda (``weights="binary"`` is the option);
its variance uses the general S1 and S2 (:mod:`gisapp.analysis.stats.moran`).

References
----------
Anselin, L. (1995). Local indicators of spatial association — LISA.
Geographical Analysis 27(2), 93-115.
"""

from __future__ import annotations

from dataclasses import asdict

import geopandas as gpd
import numpy as np

from gisapp.analysis.core.aggregation import aggregate_incidents, with_result_columns
from gisapp.analysis.core.result import AnalysisResult, report
from gisapp.analysis.hotspots.methods import AUTO, LisaParams
from gisapp.analysis.hotspots.optimized import annotate, resolve_neighbourhood, with_polygons
from gisapp.analysis.stats.inference import bh_cutoff
from gisapp.analysis.stats.moran import global_moran, local_moran
from gisapp.analysis.stats.weights import unit_weights
from gisapp.layers.errors import InputError

QUADRANTS = {1: "HH", 2: "LH", 3: "LL", 4: "HL"}
LABELS_ZH = {"HH": "高-高聚集", "LL": "低-低聚集", "HL": "高-低异常", "LH": "低-高异常", "ns": "不显著"}


def lisa(points: gpd.GeoDataFrame, params: LisaParams, progress=None, cancelled=None) -> AnalysisResult:
    """Local (and global) Moran's I of incident counts per cell.

    Returns
    -------
    AnalysisResult
        ``layer``: cells with ``n``, ``lisa_i``, ``lisa_q`` (1 HH, 2 LH, 3 LL,
        4 HL), ``lisa_p`` (folded pseudo p), ``lisa_cluster`` (HH/LL/HL/LH/ns)
        and ``lisa_label`` (Chinese). ``summary``: cell counts per cluster
        label, global Moran's I, the FDR cutoff, the scale choices.
    """
    if params.permutations < 99:
        raise InputError(f"LISA needs at least 99 permutations for its pseudo p-values; got {params.permutations}.")
    if not 0 < params.alpha < 0.5:
        raise InputError(f"alpha must lie between 0 and 0.5; got {params.alpha}.")
    report(progress, cancelled, 0.0, "Choosing the scale")
    hood = resolve_neighbourhood(points, params)
    report(progress, cancelled, 0.15, "Counting incidents into cells")
    counts = aggregate_incidents(points, hood.aggregation)
    weights, route = unit_weights(counts, hood.band, hood.k, hood.contiguity)
    report(progress, cancelled, 0.3, "Permutations")
    local = local_moran(
        counts.values, weights, params.permutations, params.seed,
        on_chunk=lambda f: report(progress, cancelled, 0.3 + 0.6 * f, "Permutations"),
    )
    cutoff = bh_cutoff(local.p_sim, params.alpha) if params.fdr else params.alpha
    significant = local.p_sim <= cutoff
    cluster = np.where(significant & (local.quadrant > 0), np.vectorize(lambda q: QUADRANTS.get(q, "ns"))(local.quadrant), "ns")
    layer = with_result_columns(
        counts.cells,
        {
            "lisa_i": local.Is,
            "lisa_q": local.quadrant,
            "lisa_p": local.p_sim,
            "lisa_cluster": cluster,
            "lisa_label": [LABELS_ZH[c] for c in cluster],
        },
    )
    notes = []
    floor = 1.0 / (params.permutations + 1)
    if params.fdr and cutoff < floor and np.nanmin(local.p_sim) <= floor * 1.0001:
        notes.append(
            f"With {counts.values.size:,} cells, {params.permutations} permutations cannot reach the FDR cutoff "
            f"(smallest pseudo p {floor:.4f}); use more permutations, larger cells, or no FDR."
        )
    report(progress, cancelled, 0.9, "Global Moran's I")
    summary = {
        **{k: v for k, v in counts.summary.items()},
        "weights": route,
        "fdr": params.fdr,
        "alpha": params.alpha,
        "p_cutoff": cutoff,
        "permutations": params.permutations,
        "clusters": {label: int((cluster == label).sum()) for label in ("HH", "LL", "HL", "LH", "ns")},
        "global_moran": global_moran(counts.values, weights, min(params.permutations, 999), params.seed, params.weights),
        "notes": notes,
    }
    result = AnalysisResult(layer, summary, {"aggregation": hood.aggregation.to_dict(), "lisa": _params_dict(params)})
    report(progress, cancelled, 1.0, "LISA done")
    return annotate(result, hood, AUTO in (params.cell_size, params.band))


def _params_dict(params: LisaParams) -> dict:
    data = asdict(params)
    data["polygons"] = None if params.polygons is None else f"{len(params.polygons)} polygons"
    return data


def run_lisa(inputs, params: LisaParams, progress=None, cancelled=None) -> AnalysisResult:
    """The ``lisa`` method: local and global Moran's I of the filtered incidents."""
    return lisa(inputs.incidents(), with_polygons(params, inputs), progress, cancelled)
