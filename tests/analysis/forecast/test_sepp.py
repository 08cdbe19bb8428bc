"""The grid SEPP: the scan against a loop, one EM step against open_cp's matrix formulas, recovery of known
parameters, the forecast beating counts and KDE on self-exciting data, non-convergence and too little history."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from gisapp.analysis.forecast.evaluation import EvaluationParams, evaluate_forecasts
from gisapp.analysis.forecast.grid import StudyGrid, prepare_history
from gisapp.analysis.forecast.sepp import OMEGA_START, THETA_START, fit_sepp, forecast_sepp, linear_scan
from gisapp.analysis.forecast.surface import ForecastSettings
from gisapp.layers.errors import InputError

from .conftest import X0, Y0, make_incidents, simulate_hawkes


def test_linear_scan_is_the_recurrence():
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0, 1, 1000), rng.normal(size=1000)
    a[rng.integers(0, 1000, 50)] = 0.0  # restarts
    expected, y = np.empty(1000), 0.0
    for j in range(1000):
        y = a[j] * y + b[j]
        expected[j] = y
    assert_allclose(linear_scan(a, b), expected, rtol=1e-10, atol=1e-12)


def _open_cp_step(cells_times, omega, theta, mu, duration):
    """One EM step written as open_cp's ``maximisation_corrected``: the full probability matrix per cell."""
    upper, weighted, diagonal, counts = [], [], [], []
    for times, m in zip(cells_times, mu):
        n = len(times)
        p = np.zeros((n, n))
        for j in range(n):
            p[:j, j] = theta * omega * np.exp(-omega * (times[j] - times[:j]))
            p[j, j] = m
        p = p / p.sum(axis=0)[None, :] if n else p
        diagonal.append(np.trace(p))
        upper.append(p.sum() - np.trace(p))
        tail = np.exp(-omega * (duration - times))
        weighted.append((p * (times[None, :] - times[:, None])).sum() + theta * np.sum((duration - times) * tail))
        counts.append(n - tail.sum())
    return sum(upper) / sum(weighted), sum(upper) / sum(counts), np.array(diagonal) / duration


def test_one_em_step_matches_the_matrix_form():
    rng = np.random.default_rng(4)
    times, cells = simulate_hawkes([0.2, 0.1, 0.3], 0.5, 0.8, 60.0, rng)
    fit = fit_sepp(times, cells, 3, 60.0, max_iterations=1)
    counts = np.bincount(cells, minlength=3)
    mu0 = counts * (1 - THETA_START) / 60.0
    omega, theta, mu = _open_cp_step([np.sort(times[cells == c]) for c in range(3)], OMEGA_START, THETA_START, mu0, 60.0)
    assert_allclose([fit.omega, fit.theta], [omega, theta], rtol=1e-9)
    assert_allclose(fit.mu, mu, rtol=1e-9)


def test_em_recovers_known_parameters_within_15_percent():
    rng = np.random.default_rng(1)
    mu = rng.uniform(0.05, 0.15, 300)
    times, cells = simulate_hawkes(mu, 0.4, 0.5, 730.0, rng)
    fit = fit_sepp(times, cells, 300, 730.0)
    assert fit.converged and not fit.fallback
    assert abs(fit.theta / 0.4 - 1) < 0.15
    assert abs(fit.omega / 0.5 - 1) < 0.15
    assert abs(fit.mu.sum() / mu.sum() - 1) < 0.15
    assert np.median(np.abs(fit.mu / mu - 1)) < 0.15  # each cell's own rate, from ~70 background events
    assert abs(fit.triggered_share - 0.4) < 0.06  # theta of the events are offspring in a stationary process


def _self_exciting_incidents(seed=7):
    """400 cells of 200 m (20 x 20) with lognormal background rates and strong, short self-excitation, one year."""
    rng = np.random.default_rng(seed)
    mu = np.exp(rng.normal(np.log(0.01), 1.0, 400))
    times, cells = simulate_hawkes(mu, 0.7, 0.25, 364.0, rng)
    row, col = np.divmod(cells, 20)
    x = X0 + col * 200 + rng.uniform(5, 195, cells.size)
    y = Y0 + row * 200 + rng.uniform(5, 195, cells.size)
    stamps = pd.Timestamp("2024-01-01") + pd.to_timedelta(times, unit="D")
    return make_incidents(x, y, stamps)


def test_sepp_beats_counts_and_kde_on_self_exciting_data():
    import shapely

    data = _self_exciting_incidents()
    area = shapely.box(X0, Y0, X0 + 4000, Y0 + 4000)
    params = EvaluationParams(methods=("counts", "kde", "sepp"), cell_size=200, period="week", coverages=(0.05,), study_area=area,
                              start="2024-04-01", end="2024-12-29")
    params.forecast.history_days = 364
    result = evaluate_forecasts(data, params)
    mean = {row["method"]: row["pai_mean"] for row in result.summary["table"]}
    assert mean["sepp"] > mean["counts"] and mean["sepp"] > mean["kde"], mean
    sepp_row = next(r for r in result.summary["table"] if r["method"] == "sepp")
    assert sepp_row["better_than_counts"] and sepp_row["verdict"] == "beats last period's counts"


def _tiny_history(n, days):
    rng = np.random.default_rng(2)
    t = np.sort(rng.uniform(0, days, n))
    data = make_incidents(X0 + rng.uniform(0, 1000, n), Y0 + rng.uniform(0, 1000, n), pd.Timestamp("2024-01-01") + pd.to_timedelta(t, unit="D"))
    history = prepare_history(data)
    grid = StudyGrid.build((X0, Y0, X0 + 1000, Y0 + 1000), 200)
    history.cell = grid.locate(history.x, history.y)
    return history, grid


def test_em_that_does_not_converge_is_reported_and_falls_back():
    history, grid = _tiny_history(400, 200)
    settings = ForecastSettings(max_iterations=2, tolerance=1e-12)
    surface = forecast_sepp(history, grid, 201.0, 7.0, settings)
    assert surface.parameters["converged"] is False and "did not converge within 2 iterations" in surface.parameters["fallback"]
    assert any("falls back" in note for note in surface.notes)
    counts = np.bincount(history.cell, minlength=grid.size)
    assert_allclose(surface.risk, counts / (201.0 - np.floor(history.first_day)) * 7.0)  # the background-only Poisson forecast


def test_too_little_history_names_the_minimum():
    history, grid = _tiny_history(20, 10)
    with pytest.raises(InputError, match="at least 30 incidents over at least 28 days"):
        forecast_sepp(history, grid, 11.0, 7.0, ForecastSettings())
