"""Rates and empirical Bayes smoothing against esda.smoothing and the formulas written out by hand."""

from __future__ import annotations

import esda
import libpysal
import numpy as np
import pytest
from reference_data import columbus
from scipy import sparse

from gisapp.analysis.stats.rates import global_eb, spatial_eb, unit_rates
from gisapp.analysis.stats.weights import contiguity_weights


@pytest.fixture(scope="module")
def counties():
    """Columbus neighbourhoods with made-up small populations (the case smoothing exists for) and incident counts."""
    frame = columbus()
    rng = np.random.default_rng(5)
    population = rng.integers(80, 5000, len(frame)).astype(float)
    events = rng.poisson(population * 0.004 * (1 + (frame["CRIME"].to_numpy() > 40)))
    return frame, events.astype(float), population


def test_global_eb_equals_esda(counties):
    _, e, b = counties
    theirs = esda.smoothing.Empirical_Bayes(e, b).r.ravel()
    assert np.allclose(global_eb(e, b), theirs, rtol=0, atol=1e-15)


def test_spatial_eb_equals_esda(counties):
    frame, e, b = counties
    w = libpysal.weights.Queen.from_dataframe(frame, use_index=False)
    w.id_order = list(w.id_order)  # esda asks for an explicit order
    theirs = esda.smoothing.Spatial_Empirical_Bayes(e, b, w).r.ravel()
    assert np.allclose(spatial_eb(e, b, contiguity_weights(frame, "queen")), theirs, rtol=0, atol=1e-15)


def test_global_eb_by_hand():
    """Marshall's estimator for three units, written out."""
    e, b = np.array([1.0, 30.0, 20.0]), np.array([100.0, 1000.0, 2000.0])
    theta = 51 / 3100
    r = e / b
    phi = (100 * (r[0] - theta) ** 2 + 1000 * (r[1] - theta) ** 2 + 2000 * (r[2] - theta) ** 2) / 3100 - theta / (3100 / 3)
    assert phi > 0
    w = phi / (phi + theta / b)
    assert global_eb(e, b) == pytest.approx(w * r + (1 - w) * theta, abs=1e-15)
    # The smallest population is pulled furthest towards theta.
    assert abs(global_eb(e, b)[0] - theta) / abs(r[0] - theta) < abs(global_eb(e, b)[2] - theta) / abs(r[2] - theta)


def test_negative_variance_gives_the_reference_rate():
    e, b = np.array([10.0, 10.0, 10.0]), np.array([1000.0, 1000.0, 1000.0])  # no spread at all
    assert global_eb(e, b) == pytest.approx(np.full(3, 0.01))


def test_zero_and_missing_denominators_are_reported_not_divided():
    w = sparse.csr_matrix(np.array([[0, 1, 0, 0], [1, 0, 1, 0], [0, 1, 0, 1], [0, 0, 1, 0]]))
    rates = unit_rates([3, 2, 5, 1], [1000, 0, np.nan, 500], smoothing="spatial-eb", weights=w)
    assert rates.status.tolist() == ["ok", "zero_denominator", "missing_denominator", "ok"]
    assert rates.raw[0] == pytest.approx(30.0) and rates.raw[3] == pytest.approx(20.0)
    assert np.isnan(rates.raw[1:3]).all() and np.isnan(rates.smoothed[1:3]).all()
    # Units 0 and 3 are not neighbours once 1 and 2 are left out: each is its own window.
    assert rates.smoothed[[0, 3]] == pytest.approx(rates.raw[[0, 3]])
    assert unit_rates([-1, 2], [10, 10]).status.tolist() == ["negative_numerator", "ok"]
