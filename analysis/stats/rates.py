"""Rates per unit (incidents per 10,000 residents), raw or smoothed by empirical Bayes.

A rate of a small population is unstable: one incident among 200 residents
is a rate of 50 per 10,000, two incidents double it. Maps and hot-spot tests
of raw rates are then led by the smallest units (GeoDa workbook, "Rate
Mapping"; Anselin, Lozano-Gracia & Koschinsky 2006). Empirical Bayes (EB)
smoothing pulls each rate towards a reference rate, the more so the smaller
its population:

- **Global EB** (Clayton & Kaldor 1987; the moment estimator of Marshall
  1991), as GeoDa's "Empirical Bayes" and ``esda.smoothing.Empirical_Bayes``:
  with events e_i, populations b_i, raw rates r_i = e_i / b_i, the reference
  rate θ = Σe / Σb and its variance
  φ = Σ b_i (r_i − θ)² / Σb − θ / b̄ (b̄ the mean population),

      EB_i = w_i r_i + (1 − w_i) θ,   w_i = φ / (φ + θ / b_i).

  A negative φ (less spread than Poisson noise alone) is set to 0, so every
  rate becomes θ; Marshall's rule, and esda's ``Spatial_Empirical_Bayes``
  does the same. esda's global ``Empirical_Bayes`` leaves φ negative; where φ
  is positive (the usual case) the two agree exactly.
- **Spatial EB** (GeoDa's "Spatial Empirical Bayes",
  ``esda.smoothing.Spatial_Empirical_Bayes``): the same with θ_i and φ_i
  taken over the window of unit i, i.e. i and its neighbours (the spatial
  weights of the analysis):
  θ_i = Σ_w e / Σ_w b,
  φ_i = Σ_w b_j (r_j − θ_i)² / Σ_w b − θ_i / (Σ_w b / |w|), negative φ_i set to 0.

A unit whose denominator is missing, zero or negative, or whose numerator is
missing or negative, has no rate: it is reported (``status``) and left out,
never divided by zero.

References
----------
Clayton, D. & Kaldor, J. (1987). Empirical Bayes estimates of age-standardized
relative risks for use in disease mapping. Biometrics 43(3), 671-681.
Marshall, R. J. (1991). Mapping disease and mortality rates using empirical
Bayes estimators. Applied Statistics 40(2), 283-294.
Anselin, L., Lozano-Gracia, N. & Koschinsky, J. (2006). Rate transformations
and smoothing. GeoDa Center technical report.
esda: https://pysal.org/esda/ (``esda.smoothing``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Rates are reported per this many of the denominator (per 10,000 residents).
RATE_BASE = 10_000
#: Smoothing choices: none, global empirical Bayes, spatial empirical Bayes.
SMOOTHINGS = ("none", "eb", "spatial-eb")

OK = "ok"
MISSING_NUMERATOR = "missing_numerator"
NEGATIVE_NUMERATOR = "negative_numerator"
MISSING_DENOMINATOR = "missing_denominator"
ZERO_DENOMINATOR = "zero_denominator"


@dataclass
class Rates:
    """Rates of every unit and why some have none.

    Attributes
    ----------
    raw : ndarray
        Numerator / denominator x ``base``; NaN where ``status`` is not ``"ok"``.
    smoothed : ndarray
        The smoothed rate x ``base`` (equal to ``raw`` without smoothing); NaN likewise.
    status : ndarray of str
        ``"ok"``, ``"missing_numerator"``, ``"negative_numerator"``,
        ``"missing_denominator"`` or ``"zero_denominator"`` (zero or negative).
    base : int
    smoothing : str
    """

    raw: np.ndarray
    smoothed: np.ndarray
    status: np.ndarray
    base: int
    smoothing: str

    @property
    def usable(self) -> np.ndarray:
        return self.status == OK


def rate_status(numerator, denominator) -> np.ndarray:
    """Why a unit has no rate (``"ok"`` when it has one); see :class:`Rates`."""
    e = np.asarray(numerator, dtype=np.float64)
    b = np.asarray(denominator, dtype=np.float64)
    status = np.full(e.shape, OK, dtype=object)
    status[~np.isfinite(e)] = MISSING_NUMERATOR
    status[np.isfinite(e) & (e < 0)] = NEGATIVE_NUMERATOR
    status[~np.isfinite(b)] = MISSING_DENOMINATOR
    status[np.isfinite(b) & (b <= 0)] = ZERO_DENOMINATOR
    return status


def global_eb(events, population) -> np.ndarray:
    """Global empirical Bayes rates (not scaled); every population must be positive."""
    e = np.asarray(events, dtype=np.float64)
    b = np.asarray(population, dtype=np.float64)
    theta = e.sum() / b.sum()
    raw = e / b
    phi = max(float((b * (raw - theta) ** 2).sum() / b.sum() - theta / b.mean()), 0.0)
    return _shrink(raw, theta, phi, b)


def spatial_eb(events, population, weights) -> np.ndarray:
    """Spatial empirical Bayes rates (not scaled): the window of i is i and its neighbours in ``weights``."""
    from scipy import sparse  # here, not at the top: counting incidents needs no scipy

    e = np.asarray(events, dtype=np.float64)
    b = np.asarray(population, dtype=np.float64)
    window = sparse.csr_matrix(weights, dtype=np.float64)
    window.setdiag(0)
    window.eliminate_zeros()
    window.data[:] = 1.0
    window = window + sparse.identity(e.size, format="csr")
    b_window = window @ b
    theta = (window @ e) / b_window
    raw = e / b
    size = np.asarray(window.sum(axis=1)).ravel()
    # sum_w b_j (r_j - theta_i)^2 expanded: sum e_j r_j - 2 theta_i sum e_j + theta_i^2 sum b_j
    spread = window @ (e * raw) - 2.0 * theta * (window @ e) + theta**2 * b_window
    phi = np.maximum(spread / b_window - theta / (b_window / size), 0.0)
    return _shrink(raw, theta, phi, b)


def _shrink(raw: np.ndarray, theta, phi, b: np.ndarray) -> np.ndarray:
    """``theta + (raw - theta) * phi / (phi + theta / b)``; the reference rate where both terms are 0."""
    denominator = phi + theta / b
    with np.errstate(invalid="ignore", divide="ignore"):
        weight = np.where(denominator > 0, phi / np.where(denominator > 0, denominator, 1.0), 0.0)
    return theta + (raw - theta) * weight


def unit_rates(numerator, denominator, smoothing: str = "none", weights=None, base: int = RATE_BASE) -> Rates:
    """Rates per ``base`` of the denominator, smoothed as asked, for the units that have one.

    Parameters
    ----------
    numerator, denominator : array_like
        Events (incidents) and population at risk of each unit.
    smoothing : {"none", "eb", "spatial-eb"}
    weights : sparse matrix, optional
        Neighbours among *all* units (needed for ``"spatial-eb"``); units
        without a rate are left out of every window.
    base : int

    Returns
    -------
    Rates
    """
    from scipy import sparse  # here, not at the top: counting incidents needs no scipy

    if smoothing not in SMOOTHINGS:
        raise ValueError(f"unknown smoothing {smoothing!r}; use one of {SMOOTHINGS}")
    e = np.asarray(numerator, dtype=np.float64)
    b = np.asarray(denominator, dtype=np.float64)
    status = rate_status(e, b)
    ok = status == OK
    raw = np.full(e.shape, np.nan)
    smoothed = np.full(e.shape, np.nan)
    raw[ok] = e[ok] / b[ok] * base
    if ok.any():
        if smoothing == "eb":
            smoothed[ok] = global_eb(e[ok], b[ok]) * base
        elif smoothing == "spatial-eb":
            if weights is None:
                raise ValueError("spatial empirical Bayes needs the spatial weights")
            kept = sparse.csr_matrix(weights)[ok][:, ok]
            smoothed[ok] = spatial_eb(e[ok], b[ok], kept) * base
        else:
            smoothed[ok] = raw[ok]
    return Rates(raw, smoothed, status, base, smoothing)
