"""Emerging Hot Spot Analysis: time steps, Mann-Kendall, space-time Gi*, the 17 categories, the sample county."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import sparse
from scipy.special import erfc
from scipy.stats import kendalltau

from gisapp.analysis.core.result import Cancelled
from gisapp.analysis.core.time_steps import calendar_steps, incident_times
from gisapp.analysis.spacetime.emerging import (
    CATEGORIES,
    EmergingParams,
    build_cube,
    classify_emerging,
    emerging_hot_spots,
    space_time_gi_star,
    spacetime_weights,
)
from gisapp.analysis.stats.gistar import gi_star
from gisapp.analysis.stats.trend import mann_kendall
from gisapp.layers.errors import AnalysisError, InputError
from gisapp.layers.io import read_layers
from gisapp.layers.reproject import reproject

CRS = "EPSG:4544"


@pytest.fixture(scope="module")
def county(sample_dir):
    layers = {layer.name: layer for layer in read_layers(sample_dir / "county.gpkg")}
    return {name: reproject(layers[name].data, CRS) for name in ("incidents", "grids")}


def points(xy, times, crs=CRS, **columns) -> gpd.GeoDataFrame:
    xy = np.asarray(xy, dtype=float)
    return gpd.GeoDataFrame({"occurred_at": pd.to_datetime(times), **columns}, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=crs)


# --------------------------------------------------------------------------- time steps


def test_calendar_months_cover_the_period_and_flag_partial_ends():
    steps = calendar_steps("month", "2024-01-15", "2024-03-31")
    assert steps.labels() == ["2024-01", "2024-02", "2024-03"]
    assert steps.first_partial and not steps.last_partial
    assert_allclose(steps.days(), [31, 29, 31])
    times = np.array(["2024-01-15T08:00", "2024-02-29T23:59", "2024-03-31T23:59:59", "2024-04-01", "NaT"], dtype="datetime64[ns]")
    assert_array_equal(steps.index(times), [0, 1, 2, -1, -1])


def test_weeks_start_on_monday_and_days_are_calendar_days():
    weeks = calendar_steps("week", "2024-01-03", "2024-01-14")  # a Wednesday to a Sunday
    assert weeks.labels() == ["2024-01-01", "2024-01-08"]
    assert weeks.first_partial and not weeks.last_partial
    days = calendar_steps("day", "2024-01-01", "2024-01-03")
    assert days.count == 3


def test_incident_times_parse_text_and_refuse_unreadable_columns():
    frame = points([[0, 0], [1, 1]], ["2024-01-01", "2024-01-02"]).assign(occurred_at=["2024-01-01 08:00", None])
    times, timed = incident_times(frame)
    assert_array_equal(timed, [True, False])
    with pytest.raises(InputError, match="no usable occurred_at"):
        incident_times(frame.assign(occurred_at=["昨天", "abc"]))
    with pytest.raises(InputError, match="no occurred_at"):
        incident_times(frame.drop(columns="occurred_at"))


# --------------------------------------------------------------------------- Mann-Kendall


def test_mann_kendall_hand_computed_values():
    # strictly rising, n = 5: S = 10, Var = 5*4*15/18, Z = (10 - 1) / sqrt(Var)
    result = mann_kendall([1, 2, 3, 4, 5])
    assert result.s[0] == 10
    assert_allclose(result.var_s[0], 5 * 4 * 15 / 18)
    assert_allclose(result.z[0], 9 / math.sqrt(5 * 4 * 15 / 18))
    assert_allclose(result.p[0], erfc(result.z[0] / math.sqrt(2)))
    # two tie groups of 2: S = 4, Var = (4*3*13 - 2*(2*1*9)) / 18 = 120/18
    ties = mann_kendall([1, 1, 2, 2])
    assert ties.s[0] == 4
    assert_allclose(ties.var_s[0], 120 / 18)
    assert_allclose(ties.z[0], 3 / math.sqrt(120 / 18))


def test_mann_kendall_matches_kendalls_tau_variance_on_random_series():
    rng = np.random.default_rng(7)
    series = rng.integers(0, 5, size=(20, 15)).astype(float)  # many ties
    result = mann_kendall(series)
    for row, s, var in zip(series, result.s, result.var_s):
        reference = kendalltau(np.arange(row.size), row, method="asymptotic")
        if var > 0:  # scipy has no continuity correction: its z is S / sqrt(Var S)
            assert_allclose(erfc(abs(s / math.sqrt(var)) / math.sqrt(2)), reference.pvalue, rtol=1e-9)


def test_mann_kendall_skips_missing_values_and_flags_short_series():
    with_gap = mann_kendall([[1, np.nan, 2, 3, 5], [1, 2, 3, 5, np.nan]])
    plain = mann_kendall([1, 2, 3, 5])
    assert_allclose(with_gap.z, [plain.z[0], plain.z[0]])
    assert np.isnan(mann_kendall([1, 2]).z[0])
    assert mann_kendall([3, 3, 3, 3]).z[0] == 0 and mann_kendall([3, 3, 3, 3]).p[0] == 1


# --------------------------------------------------------------------------- space-time Gi*


@pytest.mark.parametrize("k", [0, 1, 2])
def test_space_time_gi_equals_generic_gi_star_on_the_explicit_weights(k):
    rng = np.random.default_rng(3)
    steps, n = 6, 12
    values = rng.poisson(2.0, size=(steps, n)).astype(float)
    spatial = sparse.random(n, n, density=0.25, random_state=4, format="csr")
    spatial = ((spatial + spatial.T) != 0).astype(float)
    fast = space_time_gi_star(values, spatial, k)
    reference = gi_star(values.ravel(), spacetime_weights(spatial, steps, k))
    assert_allclose(fast.z.ravel(), reference.z, rtol=1e-10, atol=1e-12, equal_nan=True)
    assert_array_equal(fast.neighbours.ravel(), reference.neighbours)


def test_spacetime_weights_link_space_neighbours_in_the_same_and_previous_steps():
    spatial = sparse.csr_matrix(np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]]))
    w = spacetime_weights(spatial, steps=3, k=1).toarray()
    row = 1 * 3 + 0  # location 0 in step 1
    assert sorted(np.flatnonzero(w[row])) == [0, 1, 4]  # itself and 1 in step 0; location 1 in step 1
    assert w[0].sum() == 1  # step 0 has no previous step


# --------------------------------------------------------------------------- categories


def _classify(pattern: str, trend_z=0.0, trend_p=1.0):
    hot = np.array([[c == "H" for c in pattern]])
    cold = np.array([[c == "C" for c in pattern]])
    return int(classify_emerging(hot, cold, [trend_z], [trend_p], 0.05)[0])


@pytest.mark.parametrize(
    "pattern, trend_z, trend_p, expected",
    [
        ("..........", 0, 1, "no_pattern"),
        (".........H", 0, 1, "new_hot"),
        ("........HH", 0, 1, "consecutive_hot"),
        ("HHHHHHHHHH", 3, 0.001, "intensifying_hot"),
        ("HHHHHHHHHH", 0.5, 0.6, "persistent_hot"),
        (".HHHHHHHHH", -3, 0.001, "diminishing_hot"),
        ("H...H...HH", 0, 1, "sporadic_hot"),
        ("C.......HH", 0, 1, "oscillating_hot"),
        ("C........H", 0, 1, "oscillating_hot"),  # cold before: history matters more than 'new'
        ("HHHHHHHHH.", 0, 1, "historical_hot"),
        (".........C", 0, 1, "new_cold"),
        ("......CCCC", 0, 1, "consecutive_cold"),
        ("CCCCCCCCCC", -3, 0.001, "intensifying_cold"),
        ("CCCCCCCCCC", 0, 1, "persistent_cold"),
        ("CCCCCCCCCC", 3, 0.001, "diminishing_cold"),
        ("C..C.C...C", 0, 1, "sporadic_cold"),
        ("H.......CC", 0, 1, "oscillating_cold"),
        ("CCCCCCCCC.", 0, 1, "historical_cold"),
        ("HHHH.....H", 0, 1, "sporadic_hot"),
        ("HHHHHHHHH.H", 0, 1, "persistent_hot"),  # 10 of 11 hot (>= 90 %), final hot
    ],
)
def test_the_seventeen_categories(pattern, trend_z, trend_p, expected):
    assert _classify(pattern, trend_z, trend_p) == CATEGORIES[expected][0]


def _historical_by_hand(pattern: str, earlier_only: bool) -> bool:
    """ArcGIS's wording, written out: not hot in the final step, hot in >= 90 % of the steps counted."""
    counted = pattern[:-1] if earlier_only else pattern
    return pattern[-1] != "H" and counted.count("H") / len(counted) >= 0.9


def test_historical_is_90_percent_of_all_steps_as_arcgis():
    """Regression (issue 15, disagreement 4): 12 monthly steps, hot in steps 2-11 only.

    10 of 12 steps hot is 83 %: ArcGIS and sfdep say "no pattern". The older
    rule (10 of the 11 earlier steps, 91 %) said "historical"; it stays as an option.
    """
    pattern = "." + "H" * 10 + "."
    assert not _historical_by_hand(pattern, earlier_only=False) and _historical_by_hand(pattern, earlier_only=True)
    hot = np.array([[c == "H" for c in pattern]])
    cold = np.zeros_like(hot)
    assert classify_emerging(hot, cold, [0.0], [1.0], 0.05)[0] == CATEGORIES["no_pattern"][0]
    assert classify_emerging(hot, cold, [0.0], [1.0], 0.05, historical="earlier")[0] == CATEGORIES["historical_hot"][0]
    for series in ("H" * 11 + ".", "HH.HHHHHHHH.", "H" * 10 + ".."):
        expected = "historical_hot" if _historical_by_hand(series, earlier_only=False) else "no_pattern"
        row = np.array([[c == "H" for c in series]])
        assert classify_emerging(row, np.zeros_like(row), [0.0], [1.0], 0.05)[0] == CATEGORIES[expected][0], series


def test_unknown_historical_rule_is_refused():
    with pytest.raises(InputError, match="historical"):
        classify_emerging(np.ones((1, 3), bool), np.zeros((1, 3), bool), [0.0], [1.0], 0.05, historical="most")


def test_ninety_percent_rule_is_exact():
    assert _classify("." + "H" * 9) == CATEGORIES["persistent_hot"][0]  # 9 of 10 = 90 %
    assert _classify(".." + "H" * 8) == CATEGORIES["consecutive_hot"][0]  # 8 of 10 < 90 %


# --------------------------------------------------------------------------- the cube and the entry point


def _synthetic(seed=1):
    """A stationary hot spot at (0, 0), a rising one at (2000, 0), background elsewhere, 12 months."""
    rng = np.random.default_rng(seed)
    months = pd.date_range("2024-01-01", periods=12, freq="MS")
    xy, times = [], []
    for m, start in enumerate(months):
        for centre, count in (((0, 0), 30), ((2000, 0), 2 + 6 * m)):
            xy.append(np.asarray(centre) + rng.normal(0, 40, size=(count, 2)))
            times += [start + pd.Timedelta(days=int(d)) for d in rng.integers(0, 28, count)]
        xy.append(rng.uniform(-3000, 5000, size=(40, 2)))
        times += [start + pd.Timedelta(days=int(d)) for d in rng.integers(0, 28, 40)]
    return points(np.vstack(xy) + [500_000, 3_400_000], times)


def test_cube_keeps_cells_with_data_and_counts_every_incident():
    data = _synthetic()
    cube = build_cube(data, EmergingParams(cell_size=200))
    assert cube.counts.shape[0] == 12
    assert (cube.counts.sum(axis=0) > 0).all()
    assert cube.counts.sum() == cube.summary["incidents"] == len(data)


def test_emerging_finds_the_stationary_and_the_rising_hot_spot():
    data = _synthetic()
    result = emerging_hot_spots(data, EmergingParams(cell_size=200))
    layer = result.layer
    stationary = layer[layer.contains(gpd.points_from_xy([500_000], [3_400_000])[0])]
    rising = layer[layer.contains(gpd.points_from_xy([502_000], [3_400_000])[0])]
    assert stationary["category"].iloc[0] in {"persistent_hot", "intensifying_hot"}
    assert rising["category"].iloc[0] in {"new_hot", "consecutive_hot", "intensifying_hot"}
    assert rising["count_trend_z"].iloc[0] > 2
    assert set(layer["category_zh"]) <= {label for _, _, label in CATEGORIES.values()}
    assert result.summary["steps"] == 12 and result.params["emerging"]["band"] == pytest.approx(200 * math.sqrt(2))
    assert json.dumps(result.summary)  # serialisable
    assert all(len(s) == 12 for s in layer["bin_series"])


def test_emerging_honours_cancel():
    with pytest.raises(Cancelled):
        emerging_hot_spots(_synthetic(), EmergingParams(), cancelled=lambda: True)


def test_emerging_over_polygons_uses_every_polygon(county):
    grids = county["grids"]
    result = emerging_hot_spots(county["incidents"], EmergingParams(grid="polygons", polygons=grids))
    assert len(result.layer) == len(grids)
    assert result.summary["incidents_outside_polygons"] > 0  # fringe points outside every grid are reported


# --------------------------------------------------------------------------- bad input


def test_a_single_time_step_is_refused():
    data = _synthetic()
    one_month = data[data["occurred_at"] < "2024-02-01"]
    with pytest.raises(InputError, match="single month"):
        emerging_hot_spots(one_month, EmergingParams())


def test_missing_or_unreadable_times_are_refused():
    data = _synthetic()
    with pytest.raises(InputError, match="no occurred_at"):
        emerging_hot_spots(data.drop(columns="occurred_at"), EmergingParams())
    with pytest.raises(InputError, match="no usable occurred_at"):
        emerging_hot_spots(data.assign(occurred_at="不详"), EmergingParams())


def test_some_missing_times_are_counted_not_dropped_silently():
    data = _synthetic()
    data.loc[data.index[:5], "occurred_at"] = pd.NaT
    result = emerging_hot_spots(data, EmergingParams())
    assert result.summary["incidents_without_time"] == 5
    assert any("without time 5" in note for note in result.summary["notes"])


@pytest.mark.parametrize(
    "params, error",
    [
        (EmergingParams(cell_size=-5), InputError),
        (EmergingParams(cell_size=200, band=100), InputError),
        (EmergingParams(time_step="year"), InputError),
        (EmergingParams(k=-1), InputError),
        (EmergingParams(alpha=1.5), InputError),
        (EmergingParams(grid="polygons"), InputError),
    ],
)
def test_bad_parameters(params, error):
    with pytest.raises(error):
        emerging_hot_spots(_synthetic(), params)


def test_geographic_coordinates_are_refused():
    with pytest.raises(AnalysisError, match="geographic"):
        emerging_hot_spots(_synthetic().to_crs(4326), EmergingParams())


# --------------------------------------------------------------------------- the sample county


def _categories_of_pattern(result, incidents, pattern) -> pd.Series:
    planted = incidents[incidents["pattern"] == pattern]
    joined = gpd.sjoin(planted[["geometry"]], result.layer[["category", "geometry"]], predicate="within")
    return joined["category"]


def test_sample_market_hotspots_are_persistent_or_intensifying(county, sample_dir):
    truth = json.loads((sample_dir / "truth.json").read_text(encoding="utf-8"))
    result = emerging_hot_spots(county["incidents"], EmergingParams(cell_size=200))
    categories = _categories_of_pattern(result, county["incidents"], "a")
    assert len(categories) == truth["counts"]["a"]
    assert categories.isin(["persistent_hot", "intensifying_hot"]).all(), categories.value_counts().to_dict()


def test_sample_fringe_vehicle_theft_is_emerging(county, sample_dir):
    """(c) rises from 0 to ~100 a month. At 300 m cells (the arms are up to 200 m off the road) nine in ten of its
    incidents lie in new, consecutive or intensifying hot spots; the rest are 'sporadic' (a one-month gap in the
    final run), never an established or fading pattern."""
    truth = json.loads((sample_dir / "truth.json").read_text(encoding="utf-8"))
    result = emerging_hot_spots(county["incidents"], EmergingParams(cell_size=300))
    categories = _categories_of_pattern(result, county["incidents"], "c")
    assert len(categories) == truth["counts"]["c"]
    emerging = categories.isin(["new_hot", "consecutive_hot", "intensifying_hot"]).mean()
    assert emerging >= 0.8, categories.value_counts().to_dict()
    assert not categories.isin(["persistent_hot", "diminishing_hot", "historical_hot"]).any()
    assert not categories.str.endswith("_cold").any()
