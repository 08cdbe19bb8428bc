"""The Mann-Kendall trend test, vectorised over many series.

Emerging Hot Spot Analysis runs it on every location's series of Gi* z-scores
(ArcGIS Pro, "How Emerging Hot Spot Analysis works"); the temporal profiles run
it on monthly counts. Both need thousands of short series tested at once,
so the test here takes a 2-D array (one series per row) and loops over the
time axis only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import erfc

#: Rows processed at once; bounds the (rows x steps) temporaries.
ROW_CHUNK = 65_536


@dataclass(frozen=True)
class MannKendall:
    """Mann-Kendall statistics of each series.

    Attributes
    ----------
    s : ndarray
        S = sum over i < j of sign(x_j - x_i).
    var_s : ndarray
        Variance of S under no trend, corrected for ties.
    z : ndarray
        (S - sign(S)) / sqrt(Var S) (continuity-corrected); 0 when Var S = 0
        (every value tied); NaN for series with fewer than 3 values.
    p : ndarray
        Two-sided p-value from the standard normal: ``erfc(|z| / sqrt 2)``.
    tau : ndarray
        Kendall's tau-a against time, S / (n (n - 1) / 2).
    n : ndarray
        Number of finite values in each series.
    """

    s: np.ndarray
    var_s: np.ndarray
    z: np.ndarray
    p: np.ndarray
    tau: np.ndarray
    n: np.ndarray


def mann_kendall(series) -> MannKendall:
    """Mann-Kendall test of a monotonic trend in each row of ``series``.

    Parameters
    ----------
    series : array_like, shape (T,) or (N, T)
        One series per row, in time order. NaN values are left out of their
        row (the row's n shrinks), as if that step had not been observed.

    Returns
    -------
    MannKendall
        Arrays of shape (N,) (scalars wrapped in shape (1,) for a 1-D input).

    Notes
    -----
    With n finite values x_1..x_n and tie groups of sizes t,

        S = sum_{i<j} sign(x_j - x_i)
        Var(S) = [n(n-1)(2n+5) - sum_t t(t-1)(2t+5)] / 18
        Z = (S - sign(S)) / sqrt(Var S)

    and p = 2 (1 - Phi(|Z|)) is two-sided (Mann 1945; Kendall 1975; the tie
    correction as in Hipel & McLeod 1994, and as ArcGIS and R ``Kendall``
    apply it). The tie term is computed as sum_k (c_k - 1)(2 c_k + 5) over the
    values, where c_k is the number of values equal to x_k (itself included):
    a group of t equal values contributes t times (t-1)(2t+5).

    References
    ----------
    Mann, H. B. (1945). Nonparametric tests against trend. Econometrica 13, 245-259.
    Kendall, M. G. (1975). Rank Correlation Methods, 4th ed. Griffin, London.
    Hipel, K. W. & McLeod, A. I. (1994). Time Series Modelling of Water Resources
    and Environmental Systems. Elsevier.
    """
    x = np.asarray(series, dtype=np.float64)
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2:
        raise ValueError("series must be one- or two-dimensional")
    rows = x.shape[0]
    s = np.zeros(rows)
    ties = np.zeros(rows)
    for lo in range(0, rows, ROW_CHUNK):
        s[lo : lo + ROW_CHUNK], ties[lo : lo + ROW_CHUNK] = _s_and_ties(x[lo : lo + ROW_CHUNK])
    n = np.isfinite(x).sum(axis=1).astype(np.float64)
    var_s = (n * (n - 1) * (2 * n + 5) - ties) / 18.0
    with np.errstate(invalid="ignore", divide="ignore"):
        z = np.where(var_s > 0, (s - np.sign(s)) / np.sqrt(np.where(var_s > 0, var_s, 1.0)), 0.0)
        tau = np.where(n >= 2, s / np.maximum(n * (n - 1) / 2, 1), np.nan)
    z = np.where(n >= 3, z, np.nan)
    p = erfc(np.abs(z) / math.sqrt(2.0))
    return MannKendall(s, var_s, z, p, tau, n.astype(np.int64))


def _s_and_ties(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """S and the tie term of each row, comparing every later step with all earlier ones."""
    finite = np.isfinite(x)
    values = np.where(finite, x, 0.0)
    rows, steps = x.shape
    s = np.zeros(rows)
    equal_counts = finite.astype(np.float64)  # c_k starts at 1 (the value itself) for finite values
    for j in range(1, steps):
        both = finite[:, :j] & finite[:, j : j + 1]
        diff = values[:, j : j + 1] - values[:, :j]
        s += np.where(both, np.sign(diff), 0.0).sum(axis=1)
        equal = both & (diff == 0)
        equal_counts[:, :j] += equal
        equal_counts[:, j] += equal.sum(axis=1)
    c = equal_counts
    ties = np.where(finite, (c - 1) * (2 * c + 5), 0.0).sum(axis=1)
    return s, ties
