"""The grid self-exciting point process of Mohler et al. (2015), fitted by expectation-maximisation.

Each cell c has its own background rate and shares one exponential
triggering kernel (the model behind PredPol's field trials; open_cp
``seppexp``):

    lambda_c(t) = mu_c + sum over earlier events i in c of theta * omega * exp(-omega (t - t_i))

``theta`` is the expected number of events one event triggers, ``1/omega``
the mean delay of a triggered event (days here), ``mu_c`` the background
rate of cell c (events per day).

**EM** (Mohler et al. 2011, 2015; Lewis & Mohler 2011). The E-step gives
every event the probability that it is background, ``mu_c / lambda_c(t_j)``,
or triggered by event i, ``theta omega exp(-omega (t_j - t_i)) / lambda_c(t_j)``.
The M-step maximises the expected complete-data log-likelihood over the
window [0, T], with the edge correction of Lewis & Mohler (open_cp
``maximisation_corrected``) for offspring that would fall after T:

    theta = S / sum_i (1 - exp(-omega (T - t_i)))
    omega = S / (D + theta * sum_i (T - t_i) exp(-omega (T - t_i)))
    mu_c  = (sum over events j in c of P(background)) / T

where S is the expected number of triggered events and D the expected sum of
their delays. The sums over earlier events never need the n x n matrix: with
an exponential kernel ``A_j = sum_{i<j} exp(-omega (t_j - t_i))`` obeys
``A_j = r_j (A_{j-1} + 1)``, ``r_j = exp(-omega (t_j - t_{j-1}))``, a linear
recurrence that is evaluated for every cell at once by a parallel prefix
scan over the events sorted by cell and time (the first event of a cell has
``r = 0``, which restarts the recurrence). D uses the same scan. One EM
iteration is O(n log n) in numpy.

**Stopping.** EM stops when the largest change falls below ``tolerance``:
the absolute change of theta (a share), the relative change of omega
weighted by theta (the decay rate matters only as much as there is
triggering; with theta near 0 it is not identified and wanders) and the
largest change of a mu relative to the largest mu; after ``max_iterations`` it stops
anyway. When it has not converged, or the fit is explosive (theta >= 1) or
degenerate, the forecast falls back to the background-only Poisson model
(mu_c = n_c / T, theta = 0), and the result says so: it never hangs and
never passes off an unconverged fit as one.

**Forecast** for the next h days: the expected count per cell, background
plus the direct offspring of past events,
``mu_c h + theta * sum_i exp(-omega (T - t_i)) (1 - exp(-omega h))``.

References
----------
Mohler, G. O., Short, M. B., Brantingham, P. J., Schoenberg, F. P. & Tita, G. E.
(2011). Self-exciting point process modeling of crime. JASA 106(493), 100-108.
Mohler, G. O., Short, M. B., Malinowski, S., Johnson, M., Tita, G. E., Bertozzi,
A. L. & Brantingham, P. J. (2015). Randomized controlled field trials of predictive
policing. JASA 110(512), 1399-1411.
Lewis, E. & Mohler, G. (2011). A nonparametric EM algorithm for multiscale Hawkes
processes. Proceedings of the 2011 Joint Statistical Meetings.
Daws, M. et al. open_cp, QuantCrimAtLeeds/PredictCode (``open_cp/seppexp.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from gisapp.analysis.core.result import report
from gisapp.layers.errors import InputError

from .grid import StudyGrid
from .surface import ForecastSettings, Surface, window_mask

#: Fewest events and days of history an EM fit is attempted on.
MIN_EVENTS = 30
MIN_DAYS = 28.0
#: Starting values: half of the events triggered, a mean delay of a day.
THETA_START = 0.5
OMEGA_START = 1.0


@dataclass
class SeppFit:
    """The fitted model.

    Attributes
    ----------
    mu : ndarray
        Background rate per cell (events per day).
    theta, omega : float
        Triggering: expected offspring per event, decay rate (per day).
    triggered_share : float
        Expected share of the events that were triggered (S / n).
    iterations : int
    converged : bool
    change : float
        The last iteration's change (see the module notes).
    log_likelihood : float
    fallback : str
        ``""`` or why the background-only model replaced the fit.
    """

    mu: np.ndarray
    theta: float
    omega: float
    triggered_share: float
    iterations: int
    converged: bool
    change: float
    log_likelihood: float
    fallback: str = ""


def linear_scan(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``y`` with ``y_j = a_j y_{j-1} + b_j`` (``y_{-1} = 0``), by a Hillis-Steele parallel prefix scan.

    Composing the affine maps ``y -> a y + b`` is associative, so log2(n)
    vectorised passes give every prefix. With ``0 <= a <= 1`` the products only
    shrink: nothing overflows.
    """
    a = np.array(a, dtype=np.float64)
    y = np.array(b, dtype=np.float64)
    step = 1
    while step < y.size:
        y[step:] = a[step:] * y[:-step] + y[step:]
        a[step:] = a[step:] * a[:-step]
        step *= 2
    return y


def fit_sepp(times, cells, n_cells: int, duration: float, tolerance: float = 1e-5, max_iterations: int = 300,
             progress=None, cancelled=None) -> SeppFit:
    """Fit the grid model by EM (see the module notes).

    Parameters
    ----------
    times : array_like
        Event times in days from the start of the window, in [0, duration).
    cells : array_like of int
        Cell of each event, 0 .. n_cells - 1.
    n_cells : int
    duration : float
        Length T of the window in days.
    tolerance, max_iterations
        Stopping rule.
    """
    times = np.asarray(times, dtype=np.float64)
    cells = np.asarray(cells, dtype=np.int64)
    order = np.lexsort((times, cells))
    t, c = times[order], cells[order]
    n = t.size
    first = np.ones(n, dtype=bool)
    first[1:] = c[1:] != c[:-1]
    gap = np.diff(t, prepend=0.0)
    gap[first] = 0.0
    age = duration - t
    counts = np.bincount(c, minlength=n_cells).astype(np.float64)
    theta, omega = THETA_START, OMEGA_START
    mu = np.maximum(counts * (1 - theta) / duration, 1e-12)
    change, converged, iterations, loglik, triggered = np.inf, False, 0, np.nan, 0.0
    for iterations in range(1, max_iterations + 1):
        if iterations % 10 == 0:
            report(progress, cancelled, min(0.9, iterations / max_iterations), f"SEPP: EM iteration {iterations}")
        r = np.where(first, 0.0, np.exp(-omega * gap))
        earlier = linear_scan(r, r)  # A_j
        before = np.concatenate([[0.0], earlier[:-1]])
        delays = linear_scan(r, r * gap * (before + 1.0))  # B_j = sum_{i<j} (t_j - t_i) exp(-omega (t_j - t_i))
        trigger = theta * omega * earlier
        intensity = mu[c] + trigger
        background = mu[c] / intensity
        triggered = float((trigger / intensity).sum())
        delay_sum = float((theta * omega * delays / intensity).sum())
        tail = np.exp(-omega * age)
        loglik = float(np.log(intensity).sum() - mu.sum() * duration - theta * (1.0 - tail).sum())
        new_theta = triggered / max(float((1.0 - tail).sum()), 1e-300)
        denominator = delay_sum + theta * float((age * tail).sum())
        new_omega = triggered / denominator if denominator > 0 else omega
        new_mu = np.bincount(c, weights=background, minlength=n_cells) / duration
        change = max(
            abs(new_theta - theta),  # theta is a share of offspring: an absolute change
            new_theta * abs(new_omega - omega) / max(omega, 1e-12),  # omega matters only as much as there is triggering
            float(np.max(np.abs(new_mu - mu)) / max(float(mu.max()), 1e-12)),
        )
        theta, omega, mu = new_theta, new_omega, new_mu
        if not (np.isfinite(theta) and np.isfinite(omega) and omega > 0):
            break
        if change < tolerance:
            converged = True
            break
    share = triggered / n if n else 0.0
    fit = SeppFit(mu, float(theta), float(omega), share, iterations, converged, float(change), loglik)
    fit.fallback = _fallback_reason(fit, max_iterations, tolerance)
    return fit


def _fallback_reason(fit: SeppFit, max_iterations: int, tolerance: float) -> str:
    if not (np.isfinite(fit.theta) and np.isfinite(fit.omega) and fit.omega > 0):
        return "the EM estimates became degenerate (theta or omega not finite and positive)"
    if not fit.converged:
        return f"EM did not converge within {max_iterations} iterations (last change {fit.change:.2g} > tolerance {tolerance:g})"
    if fit.theta >= 1.0:
        return f"the fit is explosive (theta = {fit.theta:.3f} >= 1: each event would trigger at least one more)"
    return ""


def forecast_sepp(history, grid: StudyGrid, cutoff: float, horizon: float, settings: ForecastSettings,
                  progress=None, cancelled=None) -> Surface:
    """Fit on the last ``history_days`` before the cutoff and forecast the next ``horizon`` days.

    Raises
    ------
    InputError
        Fewer than :data:`MIN_EVENTS` events or :data:`MIN_DAYS` days of history in the window.
    """
    start = max(cutoff - settings.history_days, float(np.floor(history.first_day)))
    duration = cutoff - start
    used = window_mask(history, grid, start, cutoff)
    n = int(used.sum())
    if n < MIN_EVENTS or duration < MIN_DAYS:
        raise InputError(
            f"SEPP needs at least {MIN_EVENTS} incidents over at least {MIN_DAYS:g} days of history before the cutoff; "
            f"the window holds {n:,} incidents over {max(duration, 0):.0f} days."
        )
    times, cells = history.t[used] - start, history.cell[used]
    fit = fit_sepp(times, cells, grid.size, duration, settings.tolerance, settings.max_iterations, progress, cancelled)
    age = duration - times
    notes = []
    if fit.fallback:
        notes.append(f"SEPP: {fit.fallback}; the forecast falls back to each cell's background rate (Poisson, no triggering).")
        mu = np.bincount(cells, minlength=grid.size) / duration
        risk = mu * horizon
    else:
        mu = fit.mu
        carry = np.bincount(cells, weights=np.exp(-fit.omega * age), minlength=grid.size)
        risk = mu * horizon + fit.theta * carry * (1.0 - np.exp(-fit.omega * horizon))
    params = {
        "theta": fit.theta, "omega_per_day": fit.omega, "mean_trigger_delay_days": (1.0 / fit.omega) if fit.omega > 0 else None,
        "triggered_share": fit.triggered_share, "background_per_day": float(fit.mu.sum()), "mu_max_per_day": float(fit.mu.max()),
        "iterations": fit.iterations, "converged": fit.converged, "relative_change": fit.change, "tolerance": settings.tolerance,
        "max_iterations": settings.max_iterations, "log_likelihood": fit.log_likelihood, "fallback": fit.fallback or None,
        "history_days": duration, "training_incidents": n,
    }
    return Surface("sepp", risk, params, notes, {"mu": mu}, expected=True)
