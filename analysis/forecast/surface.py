"""The one interface every forecaster shares, and the ranking of its surface.

A forecaster is a function

    forecaster(history, grid, cutoff, horizon, settings) -> Surface

that trains on the events of ``history`` before ``cutoff`` (days since the
history's origin) and returns a risk value for every candidate cell of
``grid`` for the next ``horizon`` days. Higher is riskier; the evaluation uses
only the order of the values and, for the log and Brier scores, their shares
of the total. :data:`FORECASTERS` names them; they are imported lazily so that
a forecast with one method loads only that method's dependencies.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

#: method -> "module:function" of its forecaster.
FORECASTERS = {
    "counts": "gisapp.analysis.forecast.baselines:forecast_counts",
    "kde": "gisapp.analysis.forecast.baselines:forecast_kde",
    "gistar": "gisapp.analysis.forecast.baselines:forecast_gistar",
    "prospective": "gisapp.analysis.forecast.prospective:forecast_prospective",
    "sepp": "gisapp.analysis.forecast.sepp:forecast_sepp",
    "rtm": "gisapp.analysis.forecast.rtm:forecast_rtm",
}
METHOD_LABELS_ZH = {
    "counts": "上期计数", "kde": "核密度", "gistar": "Gi*热点", "prospective": "前瞻热点",
    "sepp": "自激点过程", "rtm": "风险地形",
}


@dataclass
class ForecastSettings:
    """Every method's settings (each method reads its own).

    Parameters
    ----------
    window_days : float
        Training window of ``counts``, ``kde`` and ``gistar``: the last
        ``window_days`` before the cutoff ("last period").
    bandwidth : float
        KDE radius in metres (quartic kernel).
    band : float, optional
        Gi* distance band in metres (default cell x sqrt 2).
    space_bandwidth : float
        Prospective: spatial bandwidth in metres (400 m, Bowers et al. 2004; open_cp ``ClassicWeight``).
    time_bandwidth : float
        Prospective: time bandwidth in weeks (8, open_cp ``ClassicWeight``).
    history_days : float
        SEPP and RTM: the days of history before the cutoff they fit on.
    tolerance, max_iterations
        SEPP's EM stops when its parameters change by less than ``tolerance``
        (see :mod:`gisapp.analysis.forecast.sepp`); it gives up after ``max_iterations``.
    factors : dict
        RTM: ``{name: GeoDataFrame}`` of the risk-factor layers, in the analysis CRS.
    distances : tuple of float
        RTM: the distances (metres) at which each factor is operationalised.
    study_area : geometry, optional
        RTM: features outside it are not used.
    """

    window_days: float = 28.0
    bandwidth: float = 400.0
    band: float | None = None
    space_bandwidth: float = 400.0
    time_bandwidth: float = 8.0
    history_days: float = 365.0
    tolerance: float = 1e-5
    max_iterations: int = 300
    factors: dict = field(default_factory=dict)
    distances: tuple = (100.0, 200.0, 400.0)
    study_area: object = None


@dataclass
class Surface:
    """A forecast: one risk value per candidate cell, and how it was made.

    Attributes
    ----------
    method : str
    risk : ndarray
        Per candidate cell; higher is riskier. ``expected`` says whether it is
        the expected number of incidents in the horizon.
    parameters : dict
        The fitted or used parameters (JSON-ready).
    notes : list of str
    columns : dict
        Extra per-cell columns for the result layer (e.g. SEPP's ``mu``).
    expected : bool
    """

    method: str
    risk: np.ndarray
    parameters: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    columns: dict = field(default_factory=dict)
    expected: bool = False


def forecaster(method: str):
    """The forecaster function of ``method``."""
    module, _, function = FORECASTERS[method].partition(":")
    return getattr(importlib.import_module(module), function)


def forecast_surface(method: str, history, grid, cutoff: float, horizon: float, settings: ForecastSettings) -> Surface:
    """Run ``method``'s forecaster (see the module notes)."""
    return forecaster(method)(history, grid, cutoff, horizon, settings)


def ranks(risk: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(rank, top_pct)`` of every cell.

    ``rank`` is 1 for the riskiest cell; tied cells share the smallest rank
    (NaN counts as lowest). ``top_pct`` is the smallest area share (percent of
    the cells) whose top selection is sure to include the cell: the share of
    cells ranked at or above it, ties included.
    """
    key = pd.Series(-np.where(np.isnan(risk), -np.inf, risk))
    rank = key.rank(method="min").to_numpy().astype(np.int64)
    last = key.rank(method="max").to_numpy()
    return rank, 100.0 * last / max(risk.size, 1)


def window_mask(history, grid, start: float, stop: float) -> np.ndarray:
    """Events inside the study area with ``start <= t < stop``."""
    return history.between(start, stop) & (history.cell >= 0)
