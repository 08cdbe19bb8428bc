"""Moran's I: the global statistic and its local form (LISA), with conditional-permutation inference.

Local Moran's I (Anselin 1995) with row-standardised weights,
``I_i = (n - 1) z_i sum_j w_ij z_j / sum_j z_j**2``, equals
``esda.Moran_Local(y, w, transformation="r").Is``.

References
----------
Anselin, L. (1995). Local indicators of spatial association — LISA.
Geographical Analysis 27(2), 93-115.
Cliff, A. D. & Ord, J. K. (1981). Spatial Processes: Models and Applications. Pion.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gisapp.analysis.stats.permutation import gi_permutation_p
from gisapp.layers.errors import AnalysisError


@dataclass
class LocalMoran:
    """Local Moran's I of every unit (arrays in unit order)."""

    Is: np.ndarray
    quadrant: np.ndarray
    p_sim: np.ndarray
    lag: np.ndarray


def local_moran(values, weights, permutations: int = 999, seed: int = 12345, on_chunk=None) -> LocalMoran:
    """Local Moran's I with row-standardised ``weights`` (binary CSR, no diagonal) and folded pseudo p."""
    y = np.asarray(values, dtype=np.float64)
    z = y - y.mean()
    denominator = float((z**2).sum())
    if denominator == 0:
        raise AnalysisError("Every cell has the same count, so there is no pattern to test.")
    degree = np.asarray(weights.sum(axis=1)).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        lag = np.where(degree > 0, (weights @ z) / degree, np.nan)
    Is = (y.size - 1) * z * lag / denominator
    quadrant = np.select([(z > 0) & (lag > 0), (z <= 0) & (lag > 0), (z <= 0) & (lag <= 0), (z > 0) & (lag <= 0)], [1, 2, 3, 4], 0)
    quadrant[~np.isfinite(lag)] = 0
    two_sided = gi_permutation_p(y, weights @ y + y, degree + 1, permutations, seed, on_chunk)
    return LocalMoran(Is, quadrant, np.minimum(1.0, two_sided / 2.0) if permutations else np.full(y.size, np.nan), lag)


def global_moran(values, weights, permutations: int, seed: int) -> dict:
    """Global Moran's I (binary weights), its normal z (esda ``z_norm``) and permutation p (esda ``p_sim``)."""
    y = np.asarray(values, dtype=np.float64)
    z = y - y.mean()
    degree = np.asarray(weights.sum(axis=1)).ravel()
    row = moran_row(float("nan"), z, weights @ z, degree, float((z**2).sum()), y.size)
    rng = np.random.default_rng(seed)
    sims = np.array([moran_row(0.0, zz, weights @ zz, degree, float((z**2).sum()), y.size)["moran_i"] for zz in (rng.permutation(z) for _ in range(permutations))])
    observed = row["moran_i"]
    above = int((sims >= observed).sum())
    extreme = min(above, permutations - above)
    return {"moran_i": observed, "z": row["z"], "p_sim": (extreme + 1) / (permutations + 1), "permutations": permutations}


def moran_row(distance: float, z: np.ndarray, lag: np.ndarray, degree: np.ndarray, denominator: float, n: int) -> dict:
    s0 = float(degree.sum())
    if s0 == 0 or denominator == 0:
        return {"distance_m": distance, "moran_i": None, "z": None, "mean_neighbours": 0.0}
    moran = n / s0 * float((z * lag).sum()) / denominator
    expected = -1.0 / (n - 1)
    s1 = 2.0 * s0
    s2 = float(((2.0 * degree) ** 2).sum())
    variance = (n * n * s1 - n * s2 + 3 * s0 * s0) / ((n * n - 1) * s0 * s0) - expected**2
    zscore = (moran - expected) / np.sqrt(variance) if variance > 0 else np.nan
    return {"distance_m": distance, "moran_i": moran, "z": float(zscore), "mean_neighbours": s0 / n}
