"""Geographic profiles (CGT formula, hit score, the sample series, bad series) and ``forecast`` on bad input."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from gisapp.analysis.forecast.predict import ForecastRequest, forecast_cells
from gisapp.analysis.forecast.profile import ProfileParams, cgt_surface, geographic_profile, hit_score, series_by_chain, series_by_ids
from gisapp.layers.errors import InputError
from gisapp.layers.io import read_layers
from gisapp.layers.reproject import reproject

from .conftest import CRS, X0, Y0, make_incidents


def test_cgt_is_rossmos_formula():
    x, y = np.array([0.0, 300.0]), np.array([0.0, 100.0])
    B, f, g = 150.0, 1.2, 1.5
    value = cgt_surface(np.array([100.0]), np.array([0.0]), x, y, B, f, g)[0]
    d1, d2 = 100.0, 200.0 + 100.0  # Manhattan: inside the buffer, then beyond it
    assert value == pytest.approx(B ** (g - f) / (2 * B - d1) ** g + 1.0 / d2**f)


def test_hit_score_is_the_share_searched_before_the_anchor():
    p = np.array([0.4, 0.3, 0.1, 0.1, 0.05, 0.05])
    assert hit_score(p, 1) == pytest.approx(2 / 6)
    assert hit_score(p, 3) == pytest.approx(4 / 6)  # ties with the anchor's cell are searched too


def test_a_ring_series_points_to_its_anchor():
    rng = np.random.default_rng(0)
    r, a = rng.gamma(3, 300, 15), rng.uniform(0, 2 * np.pi, 15)
    series = gpd.GeoDataFrame(geometry=gpd.points_from_xy(X0 + r * np.cos(a), Y0 + r * np.sin(a)), crs=CRS)
    for method in ("cgt", "jtc"):
        result = geographic_profile(series, ProfileParams(method=method, anchor=(X0, Y0)))
        assert result.summary["hit_score_pct"] < 15, method
        assert result.layer["probability"].sum() == pytest.approx(1.0)


@pytest.fixture(scope="module")
def county(sample_dir):
    layers = {layer.name: layer for layer in read_layers(sample_dir / "county.gpkg")}
    return reproject(layers["incidents"].data, CRS), json.loads((sample_dir / "truth.json").read_text(encoding="utf-8"))


def test_the_sample_burglary_series_profile_finds_its_anchor(county):
    incidents, truth = county
    series_truth = truth["b"]
    ids = [case for chain in series_truth["chains"] for case in chain]
    anchor = gpd.GeoSeries(gpd.points_from_xy([series_truth["offender_anchor"]["lon"]], [series_truth["offender_anchor"]["lat"]]), crs=4326).to_crs(CRS).iloc[0]
    series = series_by_ids(incidents, ids)
    result = geographic_profile(series, ProfileParams(method="cgt", anchor=(anchor.x, anchor.y)))
    assert result.summary["events"] == 39
    assert result.summary["hit_score_pct"] < 10


def test_bad_series_are_refused(county):
    incidents, truth = county
    ids = truth["b"]["chains"][0]
    with pytest.raises(InputError, match="same case more than once: " + ids[0]):
        series_by_ids(incidents, [ids[0], *ids])
    with pytest.raises(InputError, match="not among the incidents"):
        series_by_ids(incidents, [*ids, "NOPE"])
    with pytest.raises(InputError, match="at least 5 located events; this one has 4"):
        geographic_profile(series_by_ids(incidents, ids[:4]), ProfileParams())


def test_a_chain_is_taken_from_the_near_repeat_classification(county):
    incidents, truth = county
    burglaries = incidents[(incidents["subcategory"] == "入室盗窃") & (incidents["occurred_at"] >= "2025-04-01") & (incidents["occurred_at"] < "2025-06-01")]
    planted = {case for c in truth["b"]["chains"] for case in c}
    chains = [series_by_chain(burglaries, k, None, 200.0, 7.0) for k in range(1, 12)]
    assert all(chain["chain_id"].nunique() == 1 for chain in chains)
    longest = max(chains, key=len)  # the planted series links into the longest chain; background pairs stay short
    assert len(longest) >= 9 and set(longest["case_id"]) <= planted
    with pytest.raises(InputError, match="There is no near-repeat chain 999"):
        series_by_chain(burglaries, 999, None, 200.0, 7.0)


# --------------------------------------------------------------------------- forecast on bad input


def _few(times):
    n = len(times)
    return make_incidents(X0 + np.arange(n) * 37.0 % 900, Y0 + np.arange(n) * 53.0 % 900, times)


def test_train_to_after_the_last_incident_is_refused():
    data = _few(pd.date_range("2024-01-01", periods=60, freq="D"))
    with pytest.raises(InputError, match="after the last incident \\(2024-02-29\\)"):
        forecast_cells(data, ForecastRequest(method="counts", train_to="2024-03-05"))


def test_no_incident_in_the_training_window():
    import shapely

    data = _few(pd.date_range("2024-01-01", periods=60, freq="D"))
    elsewhere = shapely.box(X0 + 5000, Y0 + 5000, X0 + 6000, Y0 + 6000)
    with pytest.raises(InputError, match="No incident in the study area up to"):
        forecast_cells(data, ForecastRequest(method="prospective", study_area=elsewhere))


def test_missing_times_are_skipped_and_counted_and_zoned_times_converted():
    times = pd.Series(pd.date_range("2024-01-01", periods=60, freq="D"))
    data = _few(times)
    data.loc[data.index[:4], "occurred_at"] = pd.NaT
    result = forecast_cells(data, ForecastRequest(method="counts", horizon=7, window=14))
    assert result.summary["incidents_without_time"] == 4 and result.summary["incidents"] == 56
    assert any("without time 4" in note for note in result.summary["notes"])
    zoned = data.assign(occurred_at=data["occurred_at"].dt.tz_localize("Asia/Shanghai"))
    again = forecast_cells(zoned, ForecastRequest(method="counts", horizon=7, window=14))
    assert again.summary["train_to"] == result.summary["train_to"] == "2024-02-29"
    assert np.allclose(again.layer["risk"], result.layer["risk"])
    layer = result.layer
    assert layer["rank"].min() == 1 and layer.loc[layer["rank"] == 1, "risk"].max() == layer["risk"].max()
    assert ((layer["top_pct"] > 0) & (layer["top_pct"] <= 100)).all()


def test_briefing_data_say_which_method_made_them(county, sample_dir):
    from gisapp.analysis.forecast.outlook import alert_list, next_week_risk

    incidents, _ = county
    theft = incidents[incidents["category"] == "盗窃"]
    layer, about = next_week_risk(theft, cell_size=400, methods=("counts", "prospective"), weeks=4)
    assert about["method"] in ("counts", "prospective") and about["weeks_evaluated"] == 4
    assert about["pai_5"] is not None and about["counts_pai_5"] is not None and about["forecast_from"] == "2026-01-01"
    assert {"risk", "rank", "top_pct"} <= set(layer.columns)
    grids = reproject({layer.name: layer for layer in read_layers(sample_dir / "county.gpkg")}["grids"].data, CRS)
    alerts = alert_list(incidents, grids)
    assert all(a["method"].startswith("conditional Poisson") and a["latest_step"] == "2025-12-22" for a in alerts)
