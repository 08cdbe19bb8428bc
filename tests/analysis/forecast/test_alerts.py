"""Early warnings: the false-alarm rate at the nominal level on stable data, planted surges found, the run of
rising steps, Benjamini-Hochberg, and the entry point on incidents (too little history, missing and zoned times)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from numpy.testing import assert_allclose
from scipy import stats

from gisapp.analysis.forecast.alerts import AlertParams, benjamini_hochberg, early_warnings, unit_alerts
from gisapp.layers.errors import InputError

from .conftest import CRS, X0, Y0, make_incidents


@pytest.mark.parametrize("rate", [2.0, 5.0, 20.0])
def test_false_alarms_on_stable_units_match_the_nominal_level(rate):
    rng = np.random.default_rng(int(rate * 10))
    counts = rng.poisson(rate, (40_000, 9))  # 40,000 stable units (or replicates), 8 baseline weeks + the latest
    warnings = early_warnings(counts, np.full(9, 7.0), 8, 0.05, fdr=False)
    assert abs(warnings.alert.mean() - 0.05) < 0.006, warnings.alert.mean()


def test_false_alarms_with_months_of_unequal_length():
    rng = np.random.default_rng(5)
    lengths = np.array([31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=float)
    counts = rng.poisson(lengths * 0.3, (30_000, 12))
    assert abs(early_warnings(counts, lengths, 11, 0.05, fdr=False).alert.mean() - 0.05) < 0.007


def test_the_p_value_is_the_conditional_binomial_mid_p():
    warnings = early_warnings(np.array([[3, 4, 2, 3, 9]]), np.full(5, 7.0), 4, 0.05, fdr=False)
    n, share = 9 + 12, 0.2
    assert warnings.expected[0] == pytest.approx(3.0)
    assert warnings.p[0] == pytest.approx(stats.binom.sf(9, n, share) + 0.5 * stats.binom.pmf(9, n, share))
    assert warnings.alert[0] and warnings.ratio[0] == pytest.approx(3.0)


def test_planted_surges_are_flagged_and_stable_units_stay_quiet():
    rng = np.random.default_rng(9)
    counts = rng.poisson(4.0, (200, 13))
    surged = np.arange(10)
    counts[surged, -1] = rng.poisson(16.0, surged.size)  # 4x in the latest week
    warnings = early_warnings(counts, np.full(13, 7.0), 12, 0.05, fdr=True)
    assert warnings.alert[surged].mean() >= 0.9
    assert warnings.alert[10:].sum() <= 2


def test_rising_steps_count_the_run_above_expectation():
    counts = np.array([[2, 2, 2, 2, 3, 4, 6, 9], [2, 2, 2, 2, 9, 1, 2, 9]])
    warnings = early_warnings(counts, np.full(8, 7.0), 4, 0.05, fdr=False)
    assert list(warnings.rising) == [4, 1]


def test_benjamini_hochberg_by_hand():
    p = np.array([0.01, 0.04, 0.03, 0.5])
    # sorted 0.01, 0.03, 0.04, 0.5 -> x4/1, x4/2, x4/3, x4/4 = 0.04, 0.06, 0.0533, 0.5 -> monotone from the top
    assert_allclose(benjamini_hochberg(p), [0.04, 0.05333333, 0.05333333, 0.5])


def _weekly_incidents(weeks=12, surge_grid=1):
    """Two square grids; grid 1's last full week holds a planted surge. Weeks start on Monday 2024-01-01."""
    rng = np.random.default_rng(1)
    rows = []
    for week in range(weeks):
        for unit in (0, 1):
            n = rng.poisson(5) if not (unit == surge_grid and week == weeks - 1) else 30
            for _ in range(n):
                day = pd.Timestamp("2024-01-01") + pd.Timedelta(days=7 * week + rng.uniform(0, 7))
                rows.append((X0 + 500 * unit + rng.uniform(10, 490), Y0 + rng.uniform(10, 490), day))
    x, y, t = zip(*rows)
    grids = gpd.GeoDataFrame({"grid_id": ["G1", "G2"], "name": ["一网格", "二网格"]},
                             geometry=[shapely.box(X0, Y0, X0 + 500, Y0 + 500), shapely.box(X0 + 500, Y0, X0 + 1000, Y0 + 500)], crs=CRS)
    return make_incidents(np.array(x), np.array(y), list(t)), grids


def test_unit_alerts_flag_the_surging_grid():
    data, grids = _weekly_incidents()
    result = unit_alerts(data, grids, AlertParams(step="week", baseline=8, fdr=False))
    layer = result.layer.set_index("unit_id")
    assert bool(layer.loc["G2", "alert"]) and not bool(layer.loc["G1", "alert"])
    assert result.summary["alert_list"][0]["name"] == "二网格" and result.summary["latest_step"] == "2024-03-18"


def test_too_little_history_names_the_minimum():
    data, grids = _weekly_incidents(weeks=5)
    with pytest.raises(InputError, match="at least 9 complete weeks of history .* cover 5"):
        unit_alerts(data, grids, AlertParams(step="week", baseline=8))


def test_missing_and_zoned_times_are_handled():
    data, grids = _weekly_incidents()
    data = data.copy()
    data.loc[data.index[:3], "occurred_at"] = pd.NaT
    zoned = data.assign(occurred_at=data["occurred_at"].dt.tz_localize("Asia/Shanghai").dt.tz_convert("UTC"))
    plain = unit_alerts(data, grids, AlertParams(baseline=8, fdr=False))
    converted = unit_alerts(zoned, grids, AlertParams(baseline=8, fdr=False))
    assert plain.summary["incidents_without_time"] == 3
    assert_allclose(plain.layer["observed"], converted.layer["observed"])  # UTC times are read back in local time
