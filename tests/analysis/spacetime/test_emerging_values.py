"""Emerging hot spots: a summed incident field (--value) and the warning for data in a single location."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from gisapp.analysis.spacetime.emerging import build_cube, emerging_hot_spots
from gisapp.analysis.spacetime.methods import EmergingParams


def incidents(x, y, days, **columns) -> gpd.GeoDataFrame:
    times = pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D")
    return gpd.GeoDataFrame({"occurred_at": times, **columns}, geometry=gpd.points_from_xy(x, y), crs="EPSG:4544")


def test_value_sums_the_incident_field_per_bin():
    rng = np.random.default_rng(3)
    n = 300
    x, y = 500_000 + rng.integers(0, 4, n) * 200 + 50, 3_400_000 + rng.integers(0, 3, n) * 200 + 50
    days = rng.integers(0, 180, n)
    loss = rng.uniform(0, 500, n)
    cube = build_cube(incidents(x, y, days, loss=loss), EmergingParams(cell_size=200, value="loss"))
    month = pd.DatetimeIndex(pd.Timestamp("2024-01-01") + pd.to_timedelta(days, unit="D")).month.to_numpy() - 1
    # Half-open cells from the westmost/southmost point; the outer east/north edge joins the last cell.
    col = np.minimum((x - x.min()) // 200, -(-(x.max() - x.min()) // 200) - 1)
    row = np.minimum((y - y.min()) // 200, -(-(y.max() - y.min()) // 200) - 1)
    for (r, c), cell in zip(cube.locations[["row", "col"]].itertuples(index=False), range(len(cube.locations))):
        in_cell = (row == r) & (col == c)
        expected = np.bincount(month[in_cell], weights=loss[in_cell], minlength=cube.counts.shape[0])
        assert np.allclose(cube.counts[:, cell], expected)


def test_a_single_location_is_no_pattern_with_a_warning():
    rng = np.random.default_rng(1)
    n = 200
    data = incidents(np.full(n, 500_000.0), np.full(n, 3_400_000.0), rng.integers(0, 365, n))
    result = emerging_hot_spots(data, EmergingParams(cell_size=200))
    assert result.summary["locations"] == 1 and result.summary["categories"]["no_pattern"] == 1
    assert any("Every incident falls in one location" in note for note in result.summary["notes"])
    spread = incidents(500_000 + rng.integers(0, 10, n) * 200.0, np.full(n, 3_400_000.0), rng.integers(0, 365, n))
    assert not any("one location" in note for note in emerging_hot_spots(spread, EmergingParams(cell_size=200)).summary["notes"])
