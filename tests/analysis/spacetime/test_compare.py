"""Area comparison and temporal profiles: the two-rate test, rates without division by zero, market days, the sample county."""

from __future__ import annotations

import json
import re
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from numpy.testing import assert_allclose
from scipy import stats

from gisapp.analysis.spacetime.compare import CompareParams, compare_areas
from gisapp.analysis.spacetime.temporal import MarketRule, hour_weekday_table, sens_slope, temporal_profile
from gisapp.analysis.stats.rate_tests import poisson_rate_test
from gisapp.layers.errors import InputError
from gisapp.layers.io import read_layers
from gisapp.layers.reproject import reproject

CRS = "EPSG:4544"
X0, Y0 = 500_000.0, 3_400_000.0


def incidents(xy, times, **columns) -> gpd.GeoDataFrame:
    xy = np.asarray(xy, dtype=float)
    return gpd.GeoDataFrame({"occurred_at": pd.to_datetime(times), **columns}, geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=CRS)


def squares(names, populations, offsets) -> gpd.GeoDataFrame:
    geoms = [shapely.box(X0 + dx, Y0, X0 + dx + 100, Y0 + 100) for dx in offsets]
    return gpd.GeoDataFrame({"name": names, "population": populations}, geometry=geoms, crs=CRS)


# --------------------------------------------------------------------------- the two-rate test


def test_poisson_rate_test_equal_periods_is_the_binomial_half_test():
    result = poisson_rate_test(10, 365, 30, 365)
    assert result["rate_ratio"] == pytest.approx(3.0)
    assert result["p_value"] == pytest.approx(stats.binomtest(30, 40, 0.5).pvalue)
    low, high = result["ci95"]
    assert low < 3.0 < high


def test_poisson_rate_test_accounts_for_unequal_periods():
    # 10 in 100 days then 20 in 200 days: the same rate
    result = poisson_rate_test(10, 100, 20, 200)
    assert result["rate_ratio"] == pytest.approx(1.0)
    assert result["p_value"] == pytest.approx(1.0)


def test_poisson_rate_test_with_an_empty_period():
    before_empty = poisson_rate_test(0, 30, 12, 30)
    assert before_empty["rate_ratio"] is None and before_empty["ci95"][1] is None and before_empty["p_value"] < 0.001
    both_empty = poisson_rate_test(0, 30, 0, 30)
    assert both_empty["p_value"] == 1.0 and both_empty["rate_ratio"] is None


# --------------------------------------------------------------------------- areas


def _two_squares_data():
    # area A: 4 incidents in Jan, 8 in Feb; area B: 3 and 3
    xy = [(X0 + 50, Y0 + 50)] * 12 + [(X0 + 250, Y0 + 50)] * 6
    times = ["2024-01-10"] * 4 + ["2024-02-10"] * 8 + ["2024-01-10"] * 3 + ["2024-02-10"] * 3
    category = ["盗窃"] * 10 + ["诈骗"] * 2 + ["纠纷"] * 6
    return incidents(xy, times, category=category)


def test_rates_are_omitted_where_population_is_unknown_never_divided_by_zero():
    polygons = squares(["甲", "乙", "丙"], [20_000, 0, np.nan], [0, 200, 400])
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)  # a division by zero would warn
        result = compare_areas(_two_squares_data(), polygons, CompareParams(period_a=("2024-01-01", "2024-01-31"), period_b=("2024-02-01", "2024-02-29")))
    layer = result.layer.set_index("name")
    assert layer.loc["甲", "n"] == 12 and layer.loc["甲", "rate_10k"] == pytest.approx(6.0)
    assert np.isnan(layer.loc["乙", "rate_10k"]) and np.isnan(layer.loc["丙", "rate_10k"])
    assert any("No population for 乙, 丙" in note for note in result.summary["notes"])
    assert layer.loc["甲", "n_a"] == 4 and layer.loc["甲", "n_b"] == 8
    assert layer.loc["甲", "rate_ratio"] == pytest.approx((8 / 29) / (4 / 31))
    assert layer.loc["丙", "n"] == 0 and layer.loc["丙", "p_change"] == 1.0
    assert result.summary["category_mix"]["甲"] == {"盗窃": 10, "诈骗": 2}
    assert layer.loc["乙", "top_category"] == "纠纷"
    assert json.dumps(result.summary)


def test_polygons_without_any_population_column_get_a_note():
    polygons = squares(["甲", "乙"], [1, 1], [0, 200]).drop(columns="population")
    result = compare_areas(_two_squares_data(), polygons, CompareParams())
    assert result.layer["rate_10k"].isna().all()
    assert any("no population column" in note for note in result.summary["notes"])


def test_overlapping_polygons_each_count_their_incidents_and_groups_dissolve():
    polygons = squares(["甲", "乙", "大"], [100, 200, 300], [0, 200, 0])
    polygons.loc[2, "geometry"] = shapely.box(X0, Y0, X0 + 400, Y0 + 100)  # covers both
    polygons["kind"] = ["market", "market", "town"]
    result = compare_areas(_two_squares_data(), polygons, CompareParams())
    counts = dict(zip(result.layer["name"], result.layer["n"]))
    assert counts == {"甲": 12, "乙": 6, "大": 18}
    grouped = compare_areas(_two_squares_data(), polygons, CompareParams(group_column="kind"))
    rows = grouped.layer.set_index("name")
    assert rows.loc["market", "n"] == 18 and rows.loc["market", "population"] == 300


@pytest.mark.parametrize(
    "params, match",
    [
        (CompareParams(period_a=("2024-01-01", "2024-01-31")), "both periods"),
        (CompareParams(period_a=("2024-01-01", "2024-02-10"), period_b=("2024-02-01", "2024-02-29")), "overlap"),
        (CompareParams(name_column="名称"), "no column"),
        (CompareParams(market_rule="every tuesday"), "not understood"),
    ],
)
def test_bad_comparisons_are_refused(params, match):
    with pytest.raises(InputError, match=match):
        compare_areas(_two_squares_data(), squares(["甲"], [1], [0]), params)


def test_no_polygons_and_no_times_are_refused():
    with pytest.raises(InputError, match="no polygons"):
        compare_areas(_two_squares_data(), squares([], [], []), CompareParams())
    with pytest.raises(InputError, match="no occurred_at"):
        compare_areas(_two_squares_data().drop(columns="occurred_at"), squares(["甲"], [1], [0]), CompareParams())


# --------------------------------------------------------------------------- temporal profiles


def test_market_rules():
    cycle = MarketRule.parse("cycle:3@2024-01-01")
    days = pd.date_range("2024-01-01", periods=7, freq="D")
    assert list(cycle.is_market_day(days)) == [True, False, False, True, False, False, True]
    digits = MarketRule.parse("逢1,4,7")
    assert digits == MarketRule.parse("digits:1,4,7")
    assert list(digits.is_market_day(pd.DatetimeIndex(["2024-03-01", "2024-03-04", "2024-03-14", "2024-03-21", "2024-03-05"]))) == [True, True, True, True, False]
    with pytest.raises(InputError):
        MarketRule.parse("cycle:1@2024-01-01")


def test_market_day_effect_is_measured_per_day_of_exposure():
    # 30 days, market every 3rd day from Jan 1: 10 market days with 3 incidents each, 20 other days with 1 each
    days = pd.date_range("2024-01-01", periods=30, freq="D")
    market = MarketRule.parse("cycle:3@2024-01-01").is_market_day(days)
    times = np.concatenate([np.repeat(days[market], 3), days[~market]]) + pd.Timedelta(hours=9)
    profile = temporal_profile(times, "2024-01-01", "2024-01-30", MarketRule.parse("cycle:3@2024-01-01"))
    effect = profile.summary["market"]
    assert effect["market_days"] == 10 and effect["other_days"] == 20
    assert effect["rate_ratio"] == pytest.approx(3.0)
    assert list(profile.market["n"]) == [30, 10, 10]
    assert_allclose(profile.market["per_day"], [3.0, 1.0, 1.0])


def test_hour_weekday_monthly_and_sens_slope():
    times = pd.DatetimeIndex(["2024-01-01 08:30", "2024-01-01 08:59", "2024-01-07 23:00", "2024-03-15 12:00"])  # Mon, Mon, Sun
    table = hour_weekday_table(times)
    assert table.loc[8, 1] == 2 and table.loc[23, 7] == 1 and table.to_numpy().sum() == 4
    profile = temporal_profile(times, "2024-01-01", "2024-03-31")
    assert list(profile.monthly["n"]) == [3, 0, 1]  # February counts as zero, not missing
    assert sens_slope([1, 2, 3, 4]) == pytest.approx(1.0)
    assert sens_slope([5, 1, 5, 1, 5]) == pytest.approx(0.0)


# --------------------------------------------------------------------------- the sample county


@pytest.fixture(scope="module")
def county(sample_dir):
    layers = {layer.name: layer for layer in read_layers(sample_dir / "county.gpkg")}
    return {name: reproject(layers[name].data, CRS) for name in ("incidents", "areas", "grids")}


def test_sample_market_day_effect_shows_in_the_numbers(county, sample_dir):
    truth = json.loads((sample_dir / "truth.json").read_text(encoding="utf-8"))["a"]
    anchor, every = re.search(r"\(date - (\d{4}-\d{2}-\d{2})\)\.days % (\d+) == 0", truth["market_day_rule"]).groups()
    areas = county["areas"]
    chosen = areas[areas["area_type"].isin(["market", "urban_fringe"])]
    result = compare_areas(county["incidents"], chosen, CompareParams(market_rule=f"cycle:{every}@{anchor}"))
    profiles = result.summary["profiles"]
    for market in [h["name"] for h in truth["hotspots"] if h["name"] in profiles]:
        effect = profiles[market]["market_effect"]
        assert effect["rate_ratio"] > 2.0 and effect["p_value"] < 1e-6, market
        assert profiles[market]["market"][0]["ratio_to_mean"] > 1.5  # market day well above the mean day
    fringe = profiles["城乡结合部"]["market_effect"]
    assert 0.8 < fringe["rate_ratio"] < 1.25
    assert profiles["城乡结合部"]["trend"]["direction"] == "rising"  # pattern (c)


def test_sample_townships_have_rates_per_ten_thousand(county):
    result = compare_areas(county["incidents"], county["grids"], CompareParams(group_column="township"))
    table = result.layer.set_index("name")
    assert len(table) == 7 and table["population"].notna().all()
    assert_allclose(table["rate_10k"], table["n"] / table["population"] * 10_000)
    assert result.summary["periods"]["a"] == ["2024-01-01", "2024-12-31"]  # two years split into the calendar years
