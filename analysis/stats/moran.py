"""Moran's I: the global statistic and its local form (LISA), with conditional-permutation inference.

Local Moran's I (Anselin 1995) with row-standardised weights,
``I_i = (n - 1) z_i sum_j w_ij z_j / sum_j z_j**2``, equals
``esda.Moran_Local(y, w, transformation="r").Is``.

Global Moran's I (Moran 1950; Cliff & Ord 1981),

    I = n / S0 * sum_ij w_ij z_i z_j / sum_i z_i**2,   z = y - mean(y),

is reported with **row-standardised** weights by default, as GeoDa and
esda's ``Moran`` (``transformation="r"``) do; binary weights
(``transformation="B"``) are an option named as such. Its z-score is
esda's ``z_norm``, the normality assumption of Cliff & Ord (1981):

    E[I] = -1 / (n - 1)
    Var[I] = (n² S1 - n S2 + 3 S0²) / ((n² - 1) S0²) - E[I]²
    S0 = sum_ij w_ij
    S1 = 1/2 sum_ij (w_ij + w_ji)²
    S2 = sum_i (w_i. + w_.i)²          (row sum plus column sum)

These general S1 and S2 hold for any weights, asymmetric ones included
(k nearest neighbours, and every row-standardised matrix). The shortcut
S1 = 2 S0, S2 = sum_i (2 d_i)² is exact only for binary *symmetric*
weights: :func:`moran_row` keeps it for the distance bands of the automatic
scale, which are binary and symmetric by construction.

References
----------
Moran, P. A. P. (1950). Notes on continuous stochastic phenomena.
Biometrika 37(1/2), 17-23.
Cliff, A. D. & Ord, J. K. (1981). Spatial Processes: Models and Applications. Pion.
Anselin, L. (1995). Local indicators of spatial association — LISA.
Geographical Analysis 27(2), 93-115.
esda ``Moran`` (PySAL): https://pysal.org/esda/generated/esda.Moran.html
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gisapp.analysis.stats.permutation import PERMUTATION_CHUNK_VALUES, gi_permutation_p
from gisapp.layers.errors import AnalysisError

#: The transformations of global Moran's I weights: row-standardised (GeoDa, esda default) or binary.
TRANSFORMS = ("row", "binary")


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
        raise AnalysisError("Every unit has the same value, so there is no pattern to test.")
    degree = np.asarray(weights.sum(axis=1)).ravel()
    with np.errstate(invalid="ignore", divide="ignore"):
        lag = np.where(degree > 0, (weights @ z) / degree, np.nan)
    Is = (y.size - 1) * z * lag / denominator
    quadrant = np.select([(z > 0) & (lag > 0), (z <= 0) & (lag > 0), (z <= 0) & (lag <= 0), (z > 0) & (lag <= 0)], [1, 2, 3, 4], 0)
    quadrant[~np.isfinite(lag)] = 0
    two_sided = gi_permutation_p(y, weights @ y + y, degree + 1, permutations, seed, on_chunk)
    return LocalMoran(Is, quadrant, np.minimum(1.0, two_sided / 2.0) if permutations else np.full(y.size, np.nan), lag)


def transformed(weights, transform: str = "row"):
    """``weights`` row-standardised (each row sums to 1; a row of an island stays 0) or as binary 0/1."""
    from scipy import sparse  # here, not at the top: the automatic scale needs only moran_row

    if transform not in TRANSFORMS:
        raise ValueError(f"unknown weights transform {transform!r}; use one of {TRANSFORMS}")
    w = sparse.csr_matrix(weights, dtype=np.float64)
    w.setdiag(0)
    w.eliminate_zeros()
    w.data[:] = 1.0
    if transform == "binary":
        return w
    rows = np.asarray(w.sum(axis=1)).ravel()
    scale = np.divide(1.0, rows, out=np.zeros_like(rows), where=rows > 0)
    return sparse.csr_matrix(sparse.diags(scale) @ w)


def weight_moments(weights) -> tuple[float, float, float]:
    """``(S0, S1, S2)`` of any weights matrix (Cliff & Ord 1981; esda ``W.s0``, ``W.s1``, ``W.s2``)."""
    from scipy import sparse  # here, not at the top: the automatic scale needs only moran_row

    w = sparse.csr_matrix(weights, dtype=np.float64)
    s0 = float(w.sum())
    both = w + w.T
    s1 = 0.5 * float(both.multiply(both).sum())
    s2 = float(((np.asarray(w.sum(axis=1)).ravel() + np.asarray(w.sum(axis=0)).ravel()) ** 2).sum())
    return s0, s1, s2


def moran_z(moran: float, n: int, s0: float, s1: float, s2: float) -> float:
    """z of Moran's I under the normality assumption (esda ``z_norm``), with the general S1 and S2."""
    expected = -1.0 / (n - 1)
    variance = (n * n * s1 - n * s2 + 3.0 * s0 * s0) / ((n * n - 1.0) * s0 * s0) - expected**2
    return float((moran - expected) / np.sqrt(variance)) if variance > 0 else float("nan")


def global_moran(values, weights, permutations: int, seed: int, transform: str = "row") -> dict:
    """Global Moran's I, its normal z (esda ``z_norm``) and permutation p (esda ``p_sim``).

    Parameters
    ----------
    values : array_like
        One value per unit.
    weights : sparse matrix
        Neighbours (any non-zero entry is a neighbour; the diagonal is ignored),
        symmetric or not.
    permutations : int
        Random permutations of the values for ``p_sim`` (0: none).
    seed : int
    transform : {"row", "binary"}
        Row-standardised weights (GeoDa's and esda's default) or binary ones.

    Returns
    -------
    dict
        ``moran_i``, ``expected``, ``z``, ``p_sim`` (folded, (M + 1)/(R + 1)),
        ``permutations``, ``weights`` (the transform).
    """
    y = np.asarray(values, dtype=np.float64)
    n = y.size
    z = y - y.mean()
    denominator = float((z**2).sum())
    if denominator == 0:
        raise AnalysisError("Every unit has the same value, so there is no pattern to test.")
    w = transformed(weights, transform)
    s0, s1, s2 = weight_moments(w)
    if s0 == 0:
        raise AnalysisError("No unit has a neighbour, so Moran's I cannot be computed; widen the neighbourhood.")
    scale = n / s0 / denominator
    observed = scale * float(z @ (w @ z))
    out = {"moran_i": observed, "expected": -1.0 / (n - 1), "z": moran_z(observed, n, s0, s1, s2),
           "p_sim": None, "permutations": int(permutations), "weights": transform}
    if permutations:
        sims = _permuted_moran(z, w, scale, permutations, seed)
        above = int((sims >= observed).sum())
        extreme = min(above, permutations - above)
        out["p_sim"] = (extreme + 1) / (permutations + 1)
    return out


def _permuted_moran(z: np.ndarray, w, scale: float, permutations: int, seed: int) -> np.ndarray:
    """Moran's I of ``permutations`` random permutations of ``z``, a block of permutations per sparse product."""
    rng = np.random.default_rng(seed)
    chunk = max(1, PERMUTATION_CHUNK_VALUES // max(z.size, 1))
    sims = np.empty(permutations)
    for start in range(0, permutations, chunk):
        size = min(chunk, permutations - start)
        block = np.stack([rng.permutation(z) for _ in range(size)], axis=1)
        sims[start : start + size] = scale * np.einsum("ij,ij->j", block, w @ block)
    return sims


def moran_row(distance: float, z: np.ndarray, lag: np.ndarray, degree: np.ndarray, denominator: float, n: int) -> dict:
    """Moran's I and z for one **binary symmetric** distance band, from its lag sums and degrees.

    For such weights S1 = 2 S0 and S2 = sum_i (2 d_i)² exactly (see the module
    notes), which lets the automatic scale test many bands without building
    any matrix. Use :func:`global_moran` for any other weights.
    """
    s0 = float(degree.sum())
    if s0 == 0 or denominator == 0:
        return {"distance_m": distance, "moran_i": None, "z": None, "mean_neighbours": 0.0}
    moran = n / s0 * float((z * lag).sum()) / denominator
    zscore = moran_z(moran, n, s0, 2.0 * s0, float(((2.0 * degree) ** 2).sum()))
    return {"distance_m": distance, "moran_i": moran, "z": zscore, "mean_neighbours": s0 / n}
