"""Risk terrain modelling (Caplan & Kennedy; RTMDx): which places make a cell risky, and by how much.

Each risk factor is a layer of points, lines or polygons (markets, schools,
网吧, hotels, bus stops, the urban fringe, ...). As in RTMDx it is
*operationalised* at several distances as binary variables per cell:

- **proximity** at distance D: the cell centre lies within D of a feature
  (inside a polygon counts as distance 0);
- **density** at distance D (point factors only): the number of features
  within D of the cell centre is more than two standard deviations above its
  mean over the cells (RTMDx highlights densities above +2 SD).

The incidents of the training window per cell are the response of a
Poisson regression on these variables. Variables are selected as RTMDx does
in two stages, with statsmodels: an elastic-net penalised Poisson regression
(``GLM.fit_regularized``, ``L1_wt`` 0.5, the intercept unpenalised) over a
path of penalties, and for each penalty an unpenalised refit of the
variables it kept; the model with the lowest BIC wins. The relative risk
value of a selected variable is ``exp(coefficient)`` (RTMDx's RRV): a cell
with that feature nearby has RRV times the expected count of a cell
without, the others equal. The forecast is the fitted expected count scaled
to the horizon, ``exp(b0 + x b) * horizon / window``.

References
----------
Caplan, J. M. & Kennedy, L. W. (2016). Risk Terrain Modeling: Crime Prediction and
Risk Reduction. University of California Press.
Caplan, J. M., Kennedy, L. W. & Piza, E. L. (2013). RTMDx Utility User Manual.
Rutgers Center on Public Security.
Zou, H. & Hastie, T. (2005). Regularization and variable selection via the elastic net.
JRSS B 67(2), 301-320.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import shapely
from scipy.spatial import cKDTree

from gisapp.layers.errors import InputError

from .grid import StudyGrid
from .surface import ForecastSettings, Surface, window_mask

#: Penalties on the path, from the largest that keeps any variable down by this factor.
PATH_LENGTH = 8
PATH_RANGE = 1e-3
L1_WEIGHT = 0.5
#: Density variables flag counts above mean + this many SD (RTMDx).
DENSITY_SD = 2.0


@dataclass
class Variable:
    """One operationalised factor."""

    factor: str
    operation: str  # "proximity" or "density"
    distance: float
    values: np.ndarray

    @property
    def name(self) -> str:
        return f"{self.factor}:{self.operation}<={self.distance:g}m"


def factor_variables(factors: dict, grid: StudyGrid, distances, study_area=None) -> list[Variable]:
    """Proximity (and, for points, density) variables of every factor at every distance.

    Raises
    ------
    InputError
        A factor layer with no feature in the study area (or near the grid).
    """
    area = study_area if study_area is not None else shapely.box(*_grid_bounds(grid)).buffer(max(distances))
    centres = shapely.points(grid.cx, grid.cy)
    variables = []
    for name, frame in factors.items():
        geoms = np.asarray(frame.geometry.values)
        geoms = geoms[~shapely.is_empty(geoms) & ~shapely.is_missing(geoms)]
        geoms = geoms[shapely.intersects(geoms, area)]
        if geoms.size == 0:
            raise InputError(f"The risk factor {name!r} has no feature in the study area; remove it or give a layer that covers the area.")
        tree = shapely.STRtree(geoms)
        _, distance = tree.query_nearest(centres, return_distance=True, all_matches=False)
        for d in distances:
            variables.append(Variable(name, "proximity", float(d), (distance <= d).astype(np.float64)))
        if set(shapely.get_type_id(geoms)) <= {0}:  # points: density too
            points = cKDTree(shapely.get_coordinates(geoms))
            for d in distances:
                within = points.query_ball_point(np.column_stack([grid.cx, grid.cy]), r=float(d), return_length=True).astype(float)
                cut = within.mean() + DENSITY_SD * within.std()
                variables.append(Variable(name, "density", float(d), ((within > cut) & (within > 0)).astype(np.float64)))
    return _distinct(variables)


def _grid_bounds(grid: StudyGrid):
    half = grid.cell_size / 2
    return grid.cx.min() - half, grid.cy.min() - half, grid.cx.max() + half, grid.cy.max() + half


def _distinct(variables: list[Variable]) -> list[Variable]:
    """Drop constant variables and exact duplicates (the first, shortest distance, is kept)."""
    seen, kept = set(), []
    for variable in variables:
        key = variable.values.tobytes()
        if variable.values.min() == variable.values.max() or key in seen:
            continue
        seen.add(key)
        kept.append(variable)
    return kept


def select_model(counts: np.ndarray, variables: list[Variable]) -> tuple[list[int], np.ndarray, dict]:
    """Elastic-net path, unpenalised refits, lowest BIC (see the module notes).

    Returns
    -------
    chosen : list of int
        Indices of the selected variables.
    coefficients : ndarray
        Intercept first, then one per chosen variable.
    fit : dict
        ``bic``, ``p_values`` and ``path`` (penalty, variables kept, BIC).
    """
    import statsmodels.api as sm

    y = np.asarray(counts, dtype=np.float64)
    X = np.column_stack([np.ones(y.size)] + [v.values for v in variables])
    n = y.size
    null = _refit(sm, y, X[:, :1])
    best = ([], null.params, null.bic_llf, null.pvalues)
    path = [{"alpha": None, "variables": 0, "bic": float(null.bic_llf)}]
    gradient = np.abs(X[:, 1:].T @ (y - y.mean())) / n
    top = float(gradient.max()) / L1_WEIGHT if gradient.size else 0.0
    for alpha in top * np.geomspace(1.0, PATH_RANGE, PATH_LENGTH):
        penalty = np.r_[0.0, np.full(X.shape[1] - 1, alpha)]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sparse = sm.GLM(y, X, family=sm.families.Poisson()).fit_regularized(method="elastic_net", alpha=penalty, L1_wt=L1_WEIGHT)
        kept = [k for k in range(1, X.shape[1]) if abs(sparse.params[k]) > 1e-8]
        if not kept:
            continue
        refit = _refit(sm, y, X[:, [0, *kept]])
        path.append({"alpha": float(alpha), "variables": len(kept), "bic": float(refit.bic_llf)})
        if np.isfinite(refit.bic_llf) and refit.bic_llf < best[2]:
            best = ([k - 1 for k in kept], refit.params, refit.bic_llf, refit.pvalues)
    chosen, params, bic, pvalues = best
    return chosen, np.asarray(params), {"bic": float(bic), "p_values": [float(p) for p in np.asarray(pvalues)[1:]], "path": path}


def _refit(sm, y, X):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return sm.GLM(y, X, family=sm.families.Poisson()).fit()


def forecast_rtm(history, grid: StudyGrid, cutoff: float, horizon: float, settings: ForecastSettings) -> Surface:
    """Fit the risk terrain on the last ``history_days`` and forecast the next ``horizon`` days.

    Raises
    ------
    InputError
        No factor layer, a factor with no feature in the area, no incident in the window.
    """
    if not settings.factors:
        raise InputError("Risk terrain modelling needs risk-factor layers: give --factors (e.g. areas, or areas:market,roads).")
    start = max(cutoff - settings.history_days, float(np.floor(history.first_day)))
    used = window_mask(history, grid, start, cutoff)
    if not used.any():
        raise InputError("No incident falls in the study area during the training window, so there is nothing to relate the factors to.")
    counts = np.bincount(history.cell[used], minlength=grid.size).astype(np.float64)
    variables = factor_variables(settings.factors, grid, settings.distances, settings.study_area)
    notes = []
    if not variables:
        notes.append("RTM: every factor variable is the same in every cell; the terrain is flat.")
    chosen, coefficients, fit = select_model(counts, variables) if variables else ([], np.array([np.log(max(counts.mean(), 1e-12))]), {"bic": None, "p_values": [], "path": []})
    linear = np.full(grid.size, coefficients[0])
    factors = []
    for position, k in enumerate(chosen):
        beta = float(coefficients[position + 1])
        linear += beta * variables[k].values
        factors.append({
            "variable": variables[k].name, "factor": variables[k].factor, "operation": variables[k].operation,
            "distance_m": variables[k].distance, "coefficient": beta, "relative_risk": float(np.exp(beta)),
            "p_value": fit["p_values"][position], "cells": int(variables[k].values.sum()),
        })
    factors.sort(key=lambda f: -f["relative_risk"])
    if variables and not chosen:
        notes.append("RTM: no factor improves on a flat terrain (lowest BIC without any); every cell gets the same risk.")
    risk = np.exp(linear) * (horizon / (cutoff - start))
    params = {
        "factors": factors, "candidates": len(variables), "bic": fit["bic"], "selection": "elastic net (L1_wt 0.5) path, unpenalised refit, lowest BIC",
        "distances_m": [float(d) for d in settings.distances], "history_days": cutoff - start, "training_incidents": int(used.sum()),
    }
    return Surface("rtm", risk, params, notes, expected=True)
