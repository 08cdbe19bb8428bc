"""Forecast evaluation: hit rate, PAI and PEI on hand-computed fixtures, the quartic KDE, rolling runs, the sample county."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from numpy.testing import assert_allclose

from gisapp.analysis.forecast.baselines import kde_on_grid
from gisapp.analysis.forecast.evaluation import EvaluationParams, StudyGrid, evaluate_forecasts, hits_at, score_map
from gisapp.layers.errors import InputError
from gisapp.layers.io import read_layers
from gisapp.layers.reproject import reproject

CRS = "EPSG:4544"
X0, Y0 = 500_000.0, 3_400_000.0


def incidents(xy, times, **columns) -> gpd.GeoDataFrame:
    xy = np.asarray(xy, dtype=float)
    return gpd.GeoDataFrame({"occurred_at": pd.to_datetime(times), **columns}, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=CRS)


# --------------------------------------------------------------------------- scoring by hand


def test_hit_rate_pai_pei_hand_computed():
    # 10 cells; the map ranks cells 0 > 1 > ... > 9; the test period has 20 incidents.
    risk = np.arange(10, 0, -1, dtype=float)
    test = np.array([2, 0, 5, 0, 0, 8, 0, 0, 0, 5])
    scores = score_map(risk, test, [0.1, 0.2, 0.3])
    # 10 %: 1 cell (cell 0) holds 2 -> hit rate 2/20 = 0.1, PAI 0.1/0.1 = 1, best 1 cell = 8 -> PEI 2/8
    # 20 %: cells 0,1 hold 2 -> 0.1, PAI 0.5, best 2 cells = 8+5 -> PEI 2/13
    # 30 %: cells 0,1,2 hold 7 -> 0.35, PAI 0.35/0.3, best 3 cells = 18 -> PEI 7/18
    assert list(scores.cells) == [1, 2, 3]
    assert_allclose(scores.hits, [2, 2, 7])
    assert_allclose(scores.hit_rate, [0.1, 0.1, 0.35])
    assert_allclose(scores.pai, [1.0, 0.5, 0.35 / 0.3])
    assert_allclose(scores.best_hits, [8, 13, 18])
    assert_allclose(scores.pei, [2 / 8, 2 / 13, 7 / 18])
    assert scores.total == 20


def test_incidents_outside_the_study_area_count_as_misses():
    scores = score_map([3.0, 2.0, 1.0, 0.0], [4, 0, 0, 0], [0.25], outside=4)
    assert scores.total == 8
    assert_allclose(scores.hit_rate, [0.5])
    assert_allclose(scores.pai, [2.0])
    assert_allclose(scores.pei, [1.0])


def test_ties_at_the_cut_off_are_shared_pro_rata():
    # cells 1..4 tie; 2 of them are needed after cell 0: they bring 2/4 of their 8 hits
    risk = np.array([9.0, 1.0, 1.0, 1.0, 1.0, 0.0])
    test = np.array([1, 4, 0, 4, 0, 3])
    assert_allclose(hits_at(risk, test.astype(float), np.array([3])), [1 + 2 / 4 * 8])
    # a flat map is no better than chance: hit rate = area share
    flat = score_map(np.zeros(50), np.random.default_rng(2).integers(0, 5, 50), [0.1, 0.5])
    assert_allclose(flat.pai, [1.0, 1.0])


def test_without_ties_the_selection_is_open_cps_top_slice():
    # open_cp top_slice: the floor(N * fraction) greatest cells
    risk = np.random.default_rng(5).permutation(40).astype(float)
    test = np.random.default_rng(6).integers(0, 4, 40)
    for fraction in (0.05, 0.1, 0.33):
        n = int(np.floor(40 * fraction))
        chosen = np.argsort(-risk)[:n]
        assert_allclose(score_map(risk, test, [fraction]).hits, [test[chosen].sum()])


def test_undefined_scores_are_nan_not_errors():
    scores = score_map([1.0, 0.0], [0, 0], [0.5])
    assert np.isnan(scores.hit_rate[0]) and np.isnan(scores.pai[0]) and np.isnan(scores.pei[0])
    tiny = score_map(np.arange(10.0), np.ones(10), [0.01])  # floor(0.1) = 0 cells
    assert tiny.cells[0] == 0 and np.isnan(tiny.pai[0])


# --------------------------------------------------------------------------- the KDE map


def test_kde_map_is_the_quartic_kernel_at_cell_centres():
    r = 400.0
    grid = StudyGrid.build((X0, Y0, X0 + 1000, Y0 + 100), 100.0)
    risk = kde_on_grid(np.array([X0 + 50.0]), np.array([Y0 + 50.0]), grid, r)  # the point sits on cell 0's centre
    d = np.abs(grid.cx - (X0 + 50.0))
    expected = np.where(d < r, 3 / (math.pi * r * r) * (1 - (d / r) ** 2) ** 2, 0.0) * 1e6
    assert_allclose(risk, expected, rtol=1e-9, atol=1e-12)
    assert risk[0] == pytest.approx(3 / (math.pi * r * r) * 1e6)


# --------------------------------------------------------------------------- the entry point on a tiny fixture


def test_rolling_evaluation_on_a_known_fixture():
    """Four 100 m cells in a row. January: 3 incidents in cell 0, 1 in cell 2. February: 2 in cell 0, 2 in cell 3.

    Counts map trained on January ranks cell 0 first: at 25 % (1 cell) February's hits are 2 of 4,
    so hit rate 0.5, PAI 0.5 / 0.25 = 2, best 1 cell = 2 -> PEI 1.
    """
    centres = {0: (X0 + 50, Y0 + 50), 2: (X0 + 250, Y0 + 50), 3: (X0 + 350, Y0 + 50)}
    xy = [centres[0]] * 3 + [centres[2]] + [centres[0]] * 2 + [centres[3]] * 2
    times = ["2024-01-05"] * 4 + ["2024-02-10"] * 4
    data = incidents(xy, times)
    area = shapely.box(X0, Y0, X0 + 400, Y0 + 100)
    params = EvaluationParams(methods=("counts",), cell_size=100, coverages=(0.25, 0.5), study_area=area)
    result = evaluate_forecasts(data, params)
    latest = result.summary["latest"]["methods"]["counts"]
    assert result.summary["cells"] == 4
    assert latest["25"] == {"cells": 1, "hits": 2.0, "best_hits": 2.0, "hit_rate": 0.5, "pai": 2.0, "pei": 1.0}
    # 50 %: cell 0 (3) then cell 2 (1): hits 2 + 0 = 2; best = 2 + 2 = 4
    assert latest["50"]["hit_rate"] == 0.5 and latest["50"]["pai"] == 1.0 and latest["50"]["pei"] == 0.5
    assert result.layer.loc[result.layer["rank_counts"] == 1, "test_n"].item() == 2
    assert json.dumps(result.summary)


def test_empty_test_periods_are_skipped_and_all_empty_is_refused():
    data = incidents([(X0, Y0), (X0 + 300, Y0 + 300)] * 3, ["2024-01-05"] * 3 + ["2024-03-05"] * 3)
    result = evaluate_forecasts(data, EvaluationParams(methods=("counts", "kde", "gistar"), coverages=(0.5,)))
    assert result.summary["test_periods"] == 1  # February is empty (skipped, noted); March trains on empty February (noted)
    notes = " ".join(result.summary["notes"])
    assert "No incident in 2024-02" in notes and "training period before 2024-03" in notes
    only_january = incidents([(X0, Y0), (X0 + 300, Y0 + 300)], ["2024-01-05", "2024-01-06"])
    with pytest.raises(InputError, match="Every test month is empty"):
        evaluate_forecasts(only_january, EvaluationParams(end="2024-03-31"))


@pytest.mark.parametrize(
    "params, match",
    [
        (EvaluationParams(methods=("magic",)), "Unknown forecast method"),
        (EvaluationParams(coverages=(5,)), "Coverages"),
        (EvaluationParams(cell_size=0), "cell size"),
        (EvaluationParams(train_periods=0), "training window"),
        (EvaluationParams(period="year"), "Unknown period"),
    ],
)
def test_bad_parameters(params, match):
    data = incidents([(X0, Y0)] * 4, ["2024-01-05", "2024-02-05", "2024-03-05", "2024-04-05"])
    with pytest.raises(InputError, match=match):
        evaluate_forecasts(data, params)


def test_a_single_period_and_missing_times_are_refused():
    one_month = incidents([(X0, Y0), (X0 + 10, Y0)], ["2024-01-05", "2024-01-20"])
    with pytest.raises(InputError, match="at least 2"):
        evaluate_forecasts(one_month, EvaluationParams())
    with pytest.raises(InputError, match="no occurred_at"):
        evaluate_forecasts(one_month.drop(columns="occurred_at"), EvaluationParams())


# --------------------------------------------------------------------------- the sample county


@pytest.fixture(scope="module")
def county(sample_dir):
    layers = {layer.name: layer for layer in read_layers(sample_dir / "county.gpkg")}
    return reproject(layers["incidents"].data, CRS)


def test_sample_market_hotspots_are_highly_predictable(county):
    pickpocketing = county[county["subcategory"] == "扒窃"]
    result = evaluate_forecasts(pickpocketing, EvaluationParams(coverages=(0.01, 0.05, 0.10)))
    for method, means in result.summary["mean"].items():
        assert means["pai_1"] > 10, method  # the three markets hold most pickpocketing month after month
        assert means["hit_rate_1"] <= means["hit_rate_5"] <= means["hit_rate_10"]
        assert 0 < means["pei_5"] <= 1
    assert result.summary["test_periods"] == 23
    curve = result.summary["curve"]
    assert curve["coverage"][0] == 0 and curve["coverage"][-1] == 1.0
    assert all(b >= m - 1e-12 for b, m in zip(curve["best"], curve["kde"]))


# --------------------------------------------------------------------------- ties, probability scores, verdicts


def test_top_flags_mark_exactly_the_cells_the_score_counted():
    """10 cells; cell 0 is riskiest, cells 1..6 tie. At 30 % the score counts 3 cells: cell 0 and 2 of the 6 tied,
    whose 12 test incidents it shares pro rata (2/6 of 12 = 4), so hits = 5 + 4 = 9 of 20."""
    from gisapp.analysis.forecast.evaluation import selected_cells

    risk = np.array([5.0, 2, 2, 2, 2, 2, 2, 1, 0, 0])
    test = np.array([5, 2, 2, 2, 2, 2, 2, 1, 1, 1])
    scores = score_map(risk, test, [0.3])
    assert scores.cells[0] == 3 and scores.hits[0] == pytest.approx(9.0) and scores.hit_rate[0] == pytest.approx(0.45)
    flags = selected_cells(risk, scores.cells[0])
    assert flags.sum() == 3 and flags[0] and flags[1:7].sum() == 2 and not flags[7:].any()
    centres = [(X0 + 50 + 100 * k, Y0 + 50) for k in range(10)]
    # the entry point writes the same flags: a January training map with this risk order, tested in February
    train = [centres[0]] * 5 + [centres[k] for k in range(1, 7) for _ in range(2)] + [centres[7]]
    feb = [centres[k] for k in range(10) for _ in range(test[k])]
    data = incidents(train + feb, ["2024-01-10"] * len(train) + ["2024-02-10"] * len(feb))
    area = shapely.box(X0, Y0, X0 + 1000, Y0 + 100)
    result = evaluate_forecasts(data, EvaluationParams(methods=("counts",), cell_size=100, coverages=(0.3,), study_area=area))
    layer = result.layer
    assert int(layer["top30_counts"].sum()) == 3 == result.summary["latest"]["methods"]["counts"]["30"]["cells"]


def test_log_and_brier_scores_are_open_cps_formulas():
    from gisapp.analysis.forecast.evaluation import probability_scores

    risk = np.array([2.0, 1.0, 1.0, 0.0])
    counts = np.array([3, 1, 0, 0])
    p = np.array([0.5, 0.25, 0.25, 0.0])
    u = np.array([0.75, 0.25, 0.0, 0.0])
    scores = probability_scores(risk, counts, 0.04)
    assert scores["log_score"] == pytest.approx((3 * math.log(0.5) + math.log(0.25)) / 4)
    assert scores["brier"] == pytest.approx(np.mean((u - p) ** 2) / 0.04)
    assert scores["brier_skill"] == pytest.approx(2 * np.sum(u * p) / np.sum(u * u + p * p))
    assert probability_scores(np.array([1.0, 0.0]), np.array([0, 1]), 1.0)["log_score"] == pytest.approx(math.log(1e-9))


def test_the_table_says_when_a_method_does_not_beat_counts():
    from gisapp.analysis.forecast.evaluation import verdict_table

    rolling = []
    for k, (counts_pai, fancy_pai) in enumerate([(4.0, 5.0), (4.0, 3.0), (5.0, 4.0), (3.0, 3.5), (4.0, 3.9)]):
        rolling += [{"test_period": f"p{k}", "method": "counts", "pai_5": counts_pai}, {"test_period": f"p{k}", "method": "prospective", "pai_5": fancy_pai}]
    table = verdict_table(rolling, EvaluationParams(methods=("counts", "prospective"), coverages=(0.05,)))
    row = next(r for r in table if r["method"] == "prospective")
    # mean 3.88 < 4.0 and better in 2 of 5: no
    assert row["beats_counts"] == 2 and row["compared"] == 5 and row["better_than_counts"] is False
    assert row["verdict"] == "does not beat last period's counts"
    assert row["pai_mean"] == pytest.approx(np.mean([5, 3, 4, 3.5, 3.9])) and row["pai_sd"] == pytest.approx(np.std([5, 3, 4, 3.5, 3.9], ddof=1))
