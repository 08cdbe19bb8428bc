"""Prospective hotspotting against open_cp's loop, its documented defaults; risk terrain modelling on a planted factor."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from gisapp.analysis.forecast.grid import StudyGrid, prepare_history
from gisapp.analysis.forecast.prospective import forecast_prospective
from gisapp.analysis.forecast.rtm import forecast_rtm
from gisapp.analysis.forecast.surface import ForecastSettings
from gisapp.layers.errors import InputError

from .conftest import CRS, X0, Y0, make_incidents


def _open_cp_grid_prediction(x, y, t, cutoff, grid, space_cells, time_weeks):
    """open_cp ``ProspectiveHotSpot.predict`` with ``ClassicWeight`` and ``DistanceDiagonalsSame``, as a plain loop."""
    out = np.zeros(grid.size)
    gx = np.floor((x - grid.lattice.origin[0]) / grid.cell_size)
    gy = np.floor((y - grid.lattice.origin[1]) / grid.cell_size)
    for k in range(grid.size):
        total = 0.0
        for i in range(len(x)):
            if t[i] >= cutoff:
                continue
            weeks = np.floor((cutoff - t[i]) / 7.0)
            d = max(abs(gx[i] - grid.cols[k]), abs(gy[i] - grid.rows[k]))
            if weeks < time_weeks and d < space_cells:
                total += 1.0 / ((1 + d) * (1 + weeks))
        out[k] = total
    return out


def test_prospective_is_open_cps_classic_grid_algorithm():
    rng = np.random.default_rng(3)
    n = 300
    x, y = X0 + rng.uniform(-300, 2300, n), Y0 + rng.uniform(-300, 1800, n)  # some outside the grid, as open_cp sees them
    days = rng.uniform(0, 120, n)
    data = make_incidents(x, y, pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D"))
    history = prepare_history(data)
    grid = StudyGrid.build((X0, Y0, X0 + 2000, Y0 + 1500), 100)
    cutoff = 100.0
    settings = ForecastSettings()  # 400 m and 8 weeks: open_cp's ClassicWeight defaults (400/50 cells on its 50 m grid)
    surface = forecast_prospective(history, grid, cutoff, 7.0, settings)
    expected = _open_cp_grid_prediction(history.x, history.y, history.t, cutoff, grid, 4.0, 8.0)
    assert_allclose(surface.risk, expected, rtol=1e-12, atol=1e-12)
    assert surface.parameters["space_bandwidth_cells"] == 4.0 and surface.parameters["time_bandwidth_weeks"] == 8.0


def test_prospective_defaults_are_the_published_ones():
    settings = ForecastSettings()
    assert settings.space_bandwidth == 400.0 and settings.time_bandwidth == 8.0


def _terrain():
    """A 30 x 30 grid of 100 m; 12 'markets'; cells within 150 m of one have 4x the incident rate."""
    rng = np.random.default_rng(11)
    grid = StudyGrid.build((X0, Y0, X0 + 3000, Y0 + 3000), 100)
    markets = np.column_stack([X0 + rng.uniform(200, 2800, 12), Y0 + rng.uniform(200, 2800, 12)])
    near = np.min(np.hypot(grid.cx[:, None] - markets[:, 0], grid.cy[:, None] - markets[:, 1]), axis=1) <= 150
    rate = np.where(near, 2.0, 0.5)
    counts = rng.poisson(rate)
    cell = np.repeat(np.arange(grid.size), counts)
    x = grid.cx[cell] + rng.uniform(-45, 45, cell.size)
    y = grid.cy[cell] + rng.uniform(-45, 45, cell.size)
    days = rng.uniform(0, 360, cell.size)
    data = make_incidents(x, y, pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D"))
    layer = gpd.GeoDataFrame(geometry=gpd.points_from_xy(markets[:, 0], markets[:, 1]), crs=CRS)
    decoy = gpd.GeoDataFrame(geometry=gpd.points_from_xy(X0 + rng.uniform(0, 3000, 12), Y0 + rng.uniform(0, 3000, 12)), crs=CRS)
    return data, grid, layer, decoy


def test_rtm_selects_the_planted_factor_with_its_relative_risk():
    data, grid, markets, decoy = _terrain()
    history = prepare_history(data)
    history.cell = grid.locate(history.x, history.y)
    settings = ForecastSettings(factors={"market": markets, "decoy": decoy}, distances=(150.0, 400.0))
    surface = forecast_rtm(history, grid, 361.0, 7.0, settings)
    factors = surface.parameters["factors"]
    top = factors[0]
    assert top["variable"] == "market:proximity<=150m"
    assert 3.0 < top["relative_risk"] < 5.3  # planted 4x
    assert all(f["factor"] != "decoy" or abs(np.log(f["relative_risk"])) < 0.35 for f in factors)


def test_a_factor_layer_with_no_feature_in_the_study_area_is_refused():
    data, grid, markets, _ = _terrain()
    history = prepare_history(data)
    history.cell = grid.locate(history.x, history.y)
    far = markets.set_geometry(markets.geometry.translate(50_000, 50_000))
    with pytest.raises(InputError, match="'far' has no feature in the study area"):
        forecast_rtm(history, grid, 361.0, 7.0, ForecastSettings(factors={"far": far}))
    with pytest.raises(InputError, match="needs risk-factor layers"):
        forecast_rtm(history, grid, 361.0, 7.0, ForecastSettings())
