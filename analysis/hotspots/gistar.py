"""Getis-Ord Gi* hot and cold spots of incident counts: the analysis entry point.

Incidents are counted into cells, each cell gets Gi* over its neighbourhood
(:mod:`gisapp.analysis.stats.gistar`), a two-sided p-value and an ArcGIS
``Gi_Bin`` (:mod:`gisapp.analysis.stats.inference`), and optionally a
conditional-permutation p (:mod:`gisapp.analysis.stats.permutation`).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import geopandas as gpd
import numpy as np

from gisapp.analysis.core.aggregation import (
    AggregationParams,
    CellCounts,
    aggregate_incidents,
    require_metric_crs,
    with_result_columns,
)
from gisapp.analysis.core.result import AnalysisResult, report
from gisapp.analysis.stats.gistar import BAND_TOLERANCE, GiStar, band_too_short, gi_star, gi_star_lattice
from gisapp.analysis.stats.inference import bh_cutoffs, checked_alphas, gi_bins, gi_p_values
from gisapp.analysis.stats.permutation import gi_permutation_p
from gisapp.analysis.stats.weights import CONTIGUITIES, unit_weights
from gisapp.layers.errors import AnalysisError, InputError

#: Fewer incidents than this cannot support a Gi* analysis (ArcGIS Optimized Hot Spot Analysis minimum).
MIN_INCIDENTS = 30
@dataclass
class GiStarParams:
    """How neighbourhoods are defined and significance judged.

    Parameters
    ----------
    band : float, optional
        Fixed distance band in metres between cell centres (polygon centroids);
        a neighbour exactly at the band distance is included.
    k : int, optional
        Number of nearest neighbours (besides the unit itself).
    contiguity : {"queen", "rook"}, optional
        Shared-border neighbours; polygon aggregation only.
    permutations : int
        Conditional permutations for ``gi_p_sim`` (0 = none).
    seed : int
        Seed of the permutation generator; the same seed gives the same ``gi_p_sim``.
    fdr : bool
        Apply the False Discovery Rate correction to ``gi_bin`` (see :func:`gi_bins`).
    alpha_levels : tuple of float
        Significance levels of bins 1, 2, 3 (largest alpha first).

    Exactly one of ``band``, ``k`` and ``contiguity`` must be given.
    """

    band: float | None = None
    k: int | None = None
    contiguity: str | None = None
    permutations: int = 0
    seed: int = 12345
    fdr: bool = True
    alpha_levels: tuple = (0.10, 0.05, 0.01)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["alpha_levels"] = [float(a) for a in self.alpha_levels]
        return out


def _check_gi_params(gi: GiStarParams, aggregation: AggregationParams) -> None:
    chosen = [name for name in ("band", "k", "contiguity") if getattr(gi, name) is not None]
    if not chosen:
        raise InputError("Choose a neighbourhood: a distance band in metres, k nearest neighbours, or contiguity.")
    if len(chosen) > 1:
        raise InputError(f"Choose one neighbourhood, not {' and '.join(chosen)}.")
    if gi.band is not None and not (math.isfinite(gi.band) and gi.band > 0):
        raise InputError(f"The distance band must be a positive number of metres, got {gi.band}.")
    if gi.k is not None and (int(gi.k) != gi.k or gi.k < 1):
        raise InputError(f"k must be a positive whole number, got {gi.k}.")
    if gi.contiguity is not None:
        if gi.contiguity not in CONTIGUITIES:
            raise InputError(f"Contiguity must be 'queen' or 'rook', got '{gi.contiguity}'.")
        if aggregation.grid != "polygons":
            raise InputError("Contiguity neighbours need polygon aggregation; use a distance band for grids.")
    if int(gi.permutations) != gi.permutations or gi.permutations < 0:
        raise InputError(f"The number of permutations must be 0 or a positive whole number, got {gi.permutations}.")
    checked_alphas(gi.alpha_levels)
    cell = aggregation.cell_size
    if gi.band is not None and aggregation.grid != "polygons" and cell and gi.band * (1 + BAND_TOLERANCE) < cell:
        raise InputError(band_too_short(gi.band, cell))


def _compute_gi(counts: CellCounts, gi: GiStarParams) -> tuple[GiStar, str]:
    """Gi* of the kept cells, by the fastest exact route; also names the route."""
    lattice = counts.lattice
    if lattice is not None and lattice.kind == "square" and gi.band is not None:
        full = gi_star_lattice(counts.raster, lattice.cell_size, gi.band, mask=counts.kept)
        kept = counts.kept
        stat = GiStar(full.z[kept], full.local_sum[kept], full.neighbours[kept], full.mean, full.sd, full.n)
        return stat, "distance band (lattice convolution)"
    weights, route = unit_weights(counts, gi.band, gi.k, gi.contiguity)
    return gi_star(counts.values, weights), route


def _require_incidents(summary: dict) -> None:
    got = summary["incidents"]
    if got >= MIN_INCIDENTS:
        return
    outside = summary["incidents_outside"]
    where = f" inside the polygons ({outside} fall outside)" if outside else ""
    raise AnalysisError(f"At least {MIN_INCIDENTS} incidents are needed, got {got}{where}.")


def _summary(counts: CellCounts, gi: GiStarParams, stat: GiStar, bins, p, route: str) -> dict:
    islands = int((stat.neighbours == 1).sum())
    levels = len(checked_alphas(gi.alpha_levels))
    summary = {
        "cells": int(stat.n),
        "cell_size_m": counts.summary.get("cell_size_m"),
        "band_m": gi.band,
        "k": gi.k,
        "contiguity": gi.contiguity,
        "weights": route,
        "fdr": bool(gi.fdr),
        "gi_bin": {str(b): int((bins == b).sum()) for b in range(-levels, levels + 1)},
        "incidents": counts.summary.get("incidents"),
        "incidents_outside": counts.summary.get("incidents_outside", 0),
        "incidents_without_location": counts.summary.get("incidents_without_location", 0),
        "cells_dropped_empty": counts.summary.get("cells_dropped_empty", 0),
        "islands": islands,
        "cells_not_tested": int(np.isnan(stat.z).sum()),
        "mean": stat.mean,
        "sd": stat.sd,
        "permutations": int(gi.permutations),
    }
    if gi.fdr:
        cutoffs = bh_cutoffs(p, checked_alphas(gi.alpha_levels))
        summary["fdr_cutoffs"] = {f"{alpha:g}": cutoff for alpha, cutoff in cutoffs.items()}
    return summary


def _permutation_p_with_progress(values, stat: GiStar, gi: GiStarParams, progress, cancelled) -> np.ndarray:
    """``gi_p_sim``, reporting progress (and checking cancel) between chunks of cells."""
    message = f"Running {gi.permutations} permutations"
    report(progress, cancelled, 0.5, message)

    def step(done: float) -> None:
        report(progress, cancelled, 0.5 + 0.45 * done, message)

    return gi_permutation_p(values, stat.local_sum, stat.neighbours, int(gi.permutations), gi.seed, on_chunk=step)


def hotspot_gi_star(
    points_gdf: gpd.GeoDataFrame,
    aggregation: AggregationParams,
    gi: GiStarParams,
    progress=None,
    cancelled=None,
) -> AnalysisResult:
    """Getis-Ord Gi* hot and cold spots of incidents.

    Incidents are counted into cells (:mod:`gisapp.analysis.core.aggregation`), each cell
    gets Gi* over its neighbourhood, a two-sided normal p-value and an ArcGIS
    ``Gi_Bin`` (FDR-corrected by default). On a square fishnet with a distance
    band the neighbourhood sums are computed by convolution; otherwise through
    sparse weights (k-d tree for bands and k-NN, libpysal for contiguity).

    Parameters
    ----------
    points_gdf : GeoDataFrame
        Incident points in a projected metric CRS.
    aggregation : AggregationParams
    gi : GiStarParams
        ``band`` and ``k`` are not chosen automatically here: give one (or contiguity).
    progress : callable, optional
        ``progress(fraction, message)``.
    cancelled : callable, optional
        Returns True to stop; :class:`gisapp.analysis.core.result.Cancelled` is raised.

    Returns
    -------
    AnalysisResult
        ``layer``: cells with ``n``, ``gi_z``, ``gi_p`` (two-sided), ``gi_bin``
        (-3..3), ``neighbours`` (W_i, the cell itself included) and, with
        permutations, ``gi_p_sim`` (see :func:`gi_permutation_p`).
        ``summary``: ``cells``, ``cell_size_m``, ``band_m``, ``fdr``,
        ``gi_bin`` counts keyed "-3".."3", ``incidents``, ``islands``, ...

    Raises
    ------
    InputError
        Missing or contradictory neighbourhood, band shorter than a cell.
    AnalysisError
        Geographic coordinates, fewer than 30 incidents, zero variance.

    References
    ----------
    Getis & Ord (1992); Ord & Getis (1995); see :func:`gi_star` and :func:`gi_bins`.
    """
    _check_gi_params(gi, aggregation)
    require_metric_crs(points_gdf, "incident layer")
    report(progress, cancelled, 0.0, "Counting incidents into cells")
    counts = aggregate_incidents(points_gdf, aggregation)
    _require_incidents(counts.summary)
    layer, summary = gi_star_of_units(counts, gi, progress, cancelled)
    report(progress, cancelled, 1.0, "Gi* done")
    return AnalysisResult(layer, summary, {"aggregation": aggregation.to_dict(), "gi": gi.to_dict()})


def gi_star_of_units(counts: CellCounts, gi: GiStarParams, progress=None, cancelled=None) -> tuple[gpd.GeoDataFrame, dict]:
    """Gi*, p, bins (and permutation p) of units that already carry their values: the cells with the
    result columns, and the summary. Shared by incident counts and values per polygon (``--value``)."""
    report(progress, cancelled, 0.3, "Computing Gi*")
    stat, route = _compute_gi(counts, gi)
    if np.isnan(stat.z).all():
        raise AnalysisError(
            "No cell could be tested: every neighbourhood is either the cell alone or the whole area; "
            "change the neighbourhood."
        )
    p = gi_p_values(stat.z)
    bins = gi_bins(stat.z, p, gi.alpha_levels, gi.fdr)
    columns = {"gi_z": stat.z, "gi_p": p, "gi_bin": bins, "neighbours": stat.neighbours}
    if gi.permutations:
        columns["gi_p_sim"] = _permutation_p_with_progress(counts.values, stat, gi, progress, cancelled)
    return with_result_columns(counts.cells, columns), _summary(counts, gi, stat, bins, p, route)
