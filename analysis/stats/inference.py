"""Significance of local statistics: two-sided normal p-values, the False Discovery Rate and ArcGIS confidence bins."""

from __future__ import annotations

import math

import numpy as np

from gisapp.layers.errors import InputError


def gi_p_values(z) -> np.ndarray:
    """Two-sided p-value from the standard normal: ``2 * norm.sf(|z|)`` (ArcGIS ``GiPValue``).

    esda's ``p_norm`` is the one-sided value; this is twice it. NaN stays NaN.
    """
    from scipy.special import erfc  # imported here: the command line starts sooner

    return erfc(np.abs(np.asarray(z, dtype=np.float64)) / math.sqrt(2.0))


def bh_cutoff(p_values, alpha: float) -> float:
    """Benjamini-Hochberg p cutoff: reject every p <= the returned value.

    With m valid (non-NaN) p-values sorted ascending, k is the largest i with
    ``p_(i) <= i * alpha / m`` and the cutoff is ``k * alpha / m``; 0 when no
    such i exists (nothing is significant). This is the step-up procedure of
    Benjamini & Hochberg (1995) as applied to local statistics by Caldas de
    Castro & Singer (2006). ``esda.fdr`` returns the same cutoff, except that
    it tests ``<`` rather than ``<=`` and falls back to the Bonferroni bound
    ``alpha / m`` when nothing passes (which rejects nothing either way, bar
    a p-value exactly equal to it).
    """
    return bh_cutoffs(p_values, [alpha])[float(alpha)]


def bh_cutoffs(p_values, alphas) -> dict[float, float]:
    """:func:`bh_cutoff` for several alphas, sorting the p-values once."""
    p = np.sort(np.asarray(p_values, dtype=np.float64).ravel())
    p = p[~np.isnan(p)]
    ranks = np.arange(1, p.size + 1)
    cutoffs = {}
    for alpha in alphas:
        thresholds = ranks * float(alpha) / max(p.size, 1)
        passing = np.flatnonzero(p <= thresholds)
        cutoffs[float(alpha)] = float(thresholds[passing[-1]]) if passing.size else 0.0
    return cutoffs


def gi_bins(z, p, alpha_levels=(0.10, 0.05, 0.01), fdr: bool = True) -> np.ndarray:
    """ArcGIS ``Gi_Bin``: the confidence level reached, signed like z.

    Without FDR, bin ±3 / ±2 / ±1 means p < 0.01 / 0.05 / 0.10 (for the default
    levels). With FDR, each level is tested on its own Benjamini-Hochberg
    cutoff over all units' two-sided p-values: a unit gets level L only if
    ``p <= bh_cutoff(p, alpha_L)``. z and p are never changed. NaN p gives 0.

    References
    ----------
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate: a
    practical and powerful approach to multiple testing. JRSS B 57(1), 289-300.
    Caldas de Castro, M. & Singer, B. H. (2006). Controlling the false discovery
    rate: a new application to account for multiple and dependent tests in local
    statistics of spatial association. Geographical Analysis 38(2), 180-208.
    """
    p = np.asarray(p, dtype=np.float64)
    alphas = checked_alphas(alpha_levels)
    cutoffs = bh_cutoffs(p, alphas) if fdr else {}
    bins = np.zeros(p.shape, dtype=np.int8)
    for level, alpha in enumerate(alphas, start=1):
        significant = p <= cutoffs[alpha] if fdr else p < alpha
        bins[significant] = level  # smaller alphas come later and overwrite
    return (bins * np.sign(np.nan_to_num(z))).astype(np.int8)


def checked_alphas(alpha_levels) -> list[float]:
    alphas = sorted((float(a) for a in alpha_levels), reverse=True)
    if not alphas or len(set(alphas)) != len(alphas) or not all(0 < a < 1 for a in alphas):
        raise InputError(f"Significance levels must be distinct numbers between 0 and 1, got {alpha_levels}.")
    return alphas
