"""Tests of two Poisson rates: has the rate changed between two periods (or differs between two areas)?"""

from __future__ import annotations

from scipy import stats

from gisapp.layers.errors import InputError


def poisson_rate_test(count_a: int, exposure_a: float, count_b: int, exposure_b: float) -> dict:
    """Exact conditional test that two Poisson counts share one rate per unit of exposure.

    Returns
    -------
    dict
        ``rate_ratio`` = (b / E_b) / (a / E_a) (None when a = 0 or b + a = 0),
        ``ci95`` [low, high] of the ratio (Clopper-Pearson, exact),
        ``p_value`` (two-sided exact binomial test of b out of a + b against
        E_b / (E_a + E_b)), and ``test`` naming it.
    """
    a, b = int(count_a), int(count_b)
    if exposure_a <= 0 or exposure_b <= 0:
        raise InputError("Both periods need a positive length to compare rates.")
    n = a + b
    share = exposure_b / (exposure_a + exposure_b)
    out = {"test": "exact conditional binomial test of two Poisson rates", "rate_ratio": None, "ci95": [None, None], "p_value": 1.0}
    if n == 0:
        return out
    result = stats.binomtest(b, n, share, alternative="two-sided")
    out["p_value"] = float(result.pvalue)
    low, high = result.proportion_ci(confidence_level=0.95, method="exact")
    scale = exposure_a / exposure_b
    out["ci95"] = [None if _odds(bound) is None else _odds(bound) * scale for bound in (low, high)]
    if a > 0:
        out["rate_ratio"] = (b / exposure_b) / (a / exposure_a)
    return out


def _odds(p: float):
    if p >= 1.0:
        return None  # infinite upper bound (a = 0)
    return float(p / (1.0 - p))
