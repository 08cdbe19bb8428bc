"""Knox near-repeat test: exact counts against brute force, the permutation null, bands, chains, the sample county."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal

import gisapp.analysis.spacetime.nearrepeat as nr
from gisapp.analysis.spacetime.nearrepeat import (
    KnoxParams,
    classify_events,
    knox_table_frame,
    knox_test,
    near_repeat,
    prepare_events,
)
from gisapp.layers.errors import AnalysisError, InputError
from gisapp.layers.io import read_layers
from gisapp.layers.reproject import reproject

CRS = "EPSG:4544"
ORIGIN = np.array([500_000.0, 3_400_000.0])


def events_frame(xy, days, start="2024-01-01", crs=CRS, **columns) -> gpd.GeoDataFrame:
    xy = np.asarray(xy, dtype=float) + ORIGIN
    times = pd.Timestamp(start) + pd.to_timedelta(np.asarray(days, dtype=float), unit="D")
    return gpd.GeoDataFrame({"occurred_at": times, **columns}, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=crs)


def brute_force_table(xy, days, params: KnoxParams, times=None) -> np.ndarray:
    """All n(n-1)/2 pairs, binned as the module notes say: the reference implementation."""
    xy = np.asarray(xy, dtype=float)
    t = np.asarray(days if times is None else times, dtype=float)
    d_edges, t_edges = params.distance_edges(), params.time_edges()
    table = np.zeros((len(d_edges) + 1, len(t_edges) + 1), dtype=np.int64)
    for a in range(len(xy)):
        for b in range(a + 1, len(xy)):
            diff = xy[a] - xy[b]
            d = np.hypot(*diff) if params.metric == "euclidean" else np.abs(diff).sum()
            row = np.searchsorted(d_edges, d, side="left")
            col = np.searchsorted(t_edges, abs(t[a] - t[b]), side="left")
            table[row, col] += 1
    return table


@pytest.fixture(scope="module")
def random_events():
    rng = np.random.default_rng(11)
    xy = rng.uniform(0, 800, size=(60, 2))
    xy[5] = xy[4]  # a repeat at the same location
    days = rng.integers(0, 60, size=60)
    return xy, days


# --------------------------------------------------------------------------- counting


@pytest.mark.parametrize("metric", ["euclidean", "manhattan"])
def test_observed_table_matches_brute_force_all_pairs(random_events, metric):
    xy, days = random_events
    params = KnoxParams(distance_bands=(0, 100, 200, 400), time_bands=(0, 7, 14, 21), metric=metric, permutations=9)
    table = knox_test(prepare_events(events_frame(xy, days)), params)
    assert_array_equal(table.observed, brute_force_table(xy, days, params))
    assert table.observed.sum() == 60 * 59 // 2
    assert table.observed[0].sum() >= 1  # the same-location band holds the planted repeat


def test_permutation_null_matches_brute_force_with_the_same_random_stream(random_events):
    xy, days = random_events
    params = KnoxParams(distance_bands=(100, 250), time_bands=(5, 10), permutations=49, seed=3)
    table = knox_test(prepare_events(events_frame(xy, days)), params)
    rng = np.random.default_rng(3)
    sims = np.stack([brute_force_table(xy, days, params, times=np.asarray(days)[rng.permutation(len(days))]) for _ in range(49)])
    assert_allclose(table.expected, sims.mean(axis=0))
    assert_allclose(table.p, ((sims >= table.observed).sum(axis=0) + 1) / 50)
    assert_allclose(table.ratio, table.observed / sims.mean(axis=0))


def test_the_whole_day_counter_matches_the_general_one(random_events):
    # The fast path (pairs grouped by their first event, edges counted) against take + band_index on shuffled pairs.
    xy, days = random_events
    events = prepare_events(events_frame(xy, days))
    i, j, d = nr.close_pairs(events, 400.0, "euclidean")
    shuffle = np.random.default_rng(3).permutation(i.size)
    d_band = np.minimum(nr.band_index(d, [0.0, 100.0, 200.0, 400.0]), 3)
    t_edges = np.asarray([7.0, 14.0, 21.0])
    fast = nr._PairCounter(i, j, d_band, events.days, t_edges)
    general = nr._PairCounter(i[shuffle], j[shuffle], d_band[shuffle], events.days.astype(float), t_edges)
    assert fast.runs is not None and general.runs is None
    for seed in range(5):
        perm = np.random.default_rng(seed).permutation(len(events.days))
        assert_array_equal(fast.counts(fast.days[perm]), general.counts(general.days[perm]))


def test_pairs_are_grouped_by_their_first_event_in_a_stable_order():
    keys = np.random.default_rng(0).integers(0, 200_000, 50_000)  # more than 16 bits: two radix passes
    order = nr.grouped_order(keys, 200_000)
    assert_array_equal(order, np.argsort(keys, kind="stable"))


def test_automatic_permutations_fit_the_work():
    assert nr.chosen_permutations("auto", 10_000) == (999, None)
    count, note = nr.chosen_permutations("auto", 9_500_000)
    assert count * 9_500_000 <= nr.AUTO_WORK and count in (499, 199, 99) and "not 999" in note
    assert nr.chosen_permutations(1999, 9_500_000) == (1999, None)  # what the user asks for is done


def test_whole_days_follow_calendar_dates_and_exact_times_do_not():
    xy = [[0, 0], [50, 0], [2000, 2000], [2050, 2000]] + [[5000 + 1000 * k, 0] for k in range(8)]
    # 01:00 on day 0 and 23:00 on day 7: 7.9 days apart, but 7 calendar days
    days = [1 / 24, 7 + 23 / 24, 0, 30] + list(range(40, 48))
    frame = events_frame(xy, days)
    calendar = knox_test(prepare_events(frame, whole_days=True), KnoxParams(distance_bands=(100,), time_bands=(7, 8), permutations=1))
    exact = knox_test(prepare_events(frame, whole_days=False), KnoxParams(distance_bands=(100,), time_bands=(7, 8), permutations=1, exact_times=True))
    assert calendar.observed[0, 0] == 1 and calendar.observed[0, 1] == 0  # 7 calendar days: band 0-7
    assert exact.observed[0, 0] == 0 and exact.observed[0, 1] == 1  # 7.9 days: band (7, 8]
    assert calendar.time_labels[:2] == ["0-7 days", "8-8 days"]


def test_band_labels_follow_the_calculator():
    table = knox_test(prepare_events(events_frame(np.random.default_rng(1).uniform(0, 500, (20, 2)), np.arange(20))), KnoxParams(permutations=1))
    assert table.distance_labels == ["same location", "1-100 m", "101-200 m", "201-400 m", "more than 400 m"]
    assert table.distance_labels_zh[0] == "同一地点" and table.time_labels_zh[-1] == "21天以上"
    frame = table.to_frame()
    assert list(frame.columns[:4]) == ["distance_band", "time_band", "距离", "时间"]
    assert len(frame) == 5 * 4


# --------------------------------------------------------------------------- classification


def test_classification_of_a_hand_made_chain():
    xy = [[0, 0], [50, 0], [50, 0], [3000, 0], [3100, 0], [0, 0]]
    days = [0, 2, 3, 10, 40, 60]
    events = prepare_events(events_frame(xy, days))
    classes = classify_events(events, distance=100, days=7, same_location_m=0, metric="euclidean")
    assert list(classes["nr_class"]) == ["originator", "near_repeat", "repeat", "isolated", "isolated", "isolated"]
    assert list(classes["chain_id"]) == [1, 1, 1, -1, -1, -1]
    assert list(classes["chain_size"]) == [3, 3, 3, 1, 1, 1]
    assert list(classes["nr_class_zh"][:3]) == ["首发", "近重复", "重复"]


def test_near_repeat_result_layer_and_summary(random_events):
    xy, days = random_events
    result = near_repeat(events_frame(xy, days, case_id=[f"C{k}" for k in range(60)]), KnoxParams(permutations=19, classify=(150, 10)))
    assert len(result.layer) == 60 and "case_id" in result.layer and "nr_class" in result.layer
    assert result.summary["classification_band"] == {"distance_m": 150.0, "days": 10.0}
    assert sum(result.summary["classes"].values()) == 60
    assert json.dumps(result.summary)
    assert len(knox_table_frame(result.summary["knox"])) == 20
    assert result.params["knox"]["permutations"] == 19


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"time_bands": (0, 14, 7)}, "Time bands must increase"),
        ({"time_bands": (7, 7)}, "Time bands must increase"),
        ({"distance_bands": (0, 200, 100)}, "Distance bands must increase"),
        ({"distance_bands": (0,)}, "at least one band"),
        ({"distance_bands": (-100, 100)}, "not negative"),
        ({"metric": "chebyshev"}, "metric"),
        ({"permutations": 0}, "permutations"),
        ({"permutations": 10_000_000}, "permutations"),
        ({"same_location_m": 150}, "same-location"),
    ],
)
def test_bad_parameters_are_refused_with_one_sentence(kwargs, match):
    with pytest.raises(InputError, match=match):
        KnoxParams(**kwargs).validate()


def test_too_much_work_is_refused_before_it_starts(random_events, monkeypatch):
    xy, days = random_events
    monkeypatch.setattr(nr, "MAX_WORK", 1000)
    with pytest.raises(InputError, match="pair-permutations"):
        near_repeat(events_frame(xy, days), KnoxParams(permutations=999))


def test_too_many_pairs_are_refused_before_they_are_listed(random_events, monkeypatch):
    xy, days = random_events
    monkeypatch.setattr(nr, "MAX_PAIRS", 10)
    with pytest.raises(InputError, match="pairs of events lie within"):
        near_repeat(events_frame(xy, days), KnoxParams(permutations=9))


def test_missing_times_and_too_few_events():
    frame = events_frame([[0, 0], [10, 10], [20, 20]], [0, 1, 2])
    with pytest.raises(InputError, match="no occurred_at"):
        near_repeat(frame.drop(columns="occurred_at"), KnoxParams())
    with pytest.raises(InputError, match="no usable occurred_at"):
        near_repeat(frame.assign(occurred_at="unknown"), KnoxParams())
    with pytest.raises(AnalysisError, match="at least 10 events"):
        near_repeat(frame, KnoxParams())


# --------------------------------------------------------------------------- the sample county


@pytest.fixture(scope="module")
def county(sample_dir):
    layers = {layer.name: layer for layer in read_layers(sample_dir / "county.gpkg")}
    return {name: reproject(layers[name].data, CRS) for name in ("incidents", "grids")}


def test_sample_burglary_series_is_a_significant_near_repeat(county, sample_dir):
    truth = json.loads((sample_dir / "truth.json").read_text(encoding="utf-8"))["b"]
    incidents, grids = county["incidents"], county["grids"]
    township = grids[grids["township"] == truth["township"]].union_all()
    start = pd.Timestamp(truth["from"]) - pd.DateOffset(months=1)
    end = pd.Timestamp(truth["to"]) + pd.DateOffset(months=1)
    burglary = incidents[(incidents["subcategory"] == truth["subcategory"]) & incidents.within(township)
                         & (incidents["occurred_at"] >= start) & (incidents["occurred_at"] <= end)]
    params = KnoxParams(distance_bands=(0, 100, 200, 400), time_bands=(0, 7, 14, 21), classify=(truth["link_m"], truth["link_days"]))
    result = near_repeat(burglary, params)
    knox = result.summary["knox"]
    for row in (1, 2):  # 1-100 m and 101-200 m, 0-7 days
        assert knox["p_value"][row][0] <= 0.01
        assert knox["knox_ratio"][row][0] > 2
    chain_ids = {case for chain in truth["chains"] for case in chain}
    layer = result.layer
    in_chains = layer[layer["case_id"].isin(chain_ids)]
    assert len(in_chains) == len(chain_ids)
    assert in_chains["nr_class"].isin(["originator", "near_repeat", "repeat"]).all()
    assert (in_chains["nr_class"] == "originator").sum() >= 1


def test_sample_fraud_control_shows_no_near_repeat(county):
    fraud = county["incidents"][county["incidents"]["pattern"] == "d"]
    result = near_repeat(fraud, KnoxParams(permutations=199))
    knox = result.summary["knox"]
    for row in (1, 2):  # within 200 m
        assert knox["p_value"][row][0] > 0.05
        assert 0.7 < knox["knox_ratio"][row][0] < 1.3
