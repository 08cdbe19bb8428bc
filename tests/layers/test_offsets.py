"""Tests for gisapp.layers.offsets: GCJ-02 / BD-09 forward values and exact round trips."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gisapp.layers.errors import InputError
from gisapp.layers.offsets import (
    bd09_to_gcj02,
    bd09_to_wgs84,
    gcj02_to_bd09,
    gcj02_to_wgs84,
    in_china,
    wgs84_to_bd09,
    wgs84_to_gcj02,
)

ALL_FUNCTIONS = [wgs84_to_gcj02, gcj02_to_wgs84, gcj02_to_bd09, bd09_to_gcj02, wgs84_to_bd09, bd09_to_wgs84]


# ----------------------------------------------------------------------------
# Oracle: the published scalar formula, written again independently with math
# (laid out as eviltransform's ``transform``/``delta``, not as the module is).
# ----------------------------------------------------------------------------

def oracle_wgs_to_gcj(lng, lat):
    if not (72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271):
        return lng, lat
    a, ee = 6378245.0, 0.00669342162296594323
    x, y = lng - 105.0, lat - 35.0
    d = 20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)
    t_lat = d + 20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y * math.pi / 3.0)
    t_lng = d + 20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x * math.pi / 3.0)
    t_lat += 160.0 * math.sin(y * math.pi / 12.0) + 320.0 * math.sin(y * math.pi / 30.0)
    t_lng += 150.0 * math.sin(x * math.pi / 12.0) + 300.0 * math.sin(x * math.pi / 30.0)
    t_lat = t_lat * 2.0 / 3.0 - 100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    t_lng = t_lng * 2.0 / 3.0 + 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    rad = math.radians(lat)
    w = 1.0 - ee * math.sin(rad) ** 2
    d_lat = t_lat * 180.0 / ((a * (1.0 - ee)) / (w * math.sqrt(w)) * math.pi)
    d_lng = t_lng * 180.0 / (a / math.sqrt(w) * math.cos(rad) * math.pi)
    return lng + d_lng, lat + d_lat


def oracle_gcj_to_bd(lng, lat):
    x_pi = math.pi * 3000.0 / 180.0
    z = math.sqrt(lng * lng + lat * lat) + 0.00002 * math.sin(lat * x_pi)
    theta = math.atan2(lat, lng) + 0.000003 * math.cos(lng * x_pi)
    return z * math.cos(theta) + 0.0065, z * math.sin(theta) + 0.006


# ----------------------------------------------------------------------------
# Forward values
# ----------------------------------------------------------------------------

def test_forward_gcj02_tiananmen_matches_oracle():
    lon, lat = wgs84_to_gcj02(116.397128, 39.916527)
    o_lon, o_lat = oracle_wgs_to_gcj(116.397128, 39.916527)
    assert lon == pytest.approx(o_lon, abs=1e-9)
    assert lat == pytest.approx(o_lat, abs=1e-9)
    # Sanity: in Beijing the offset is a few hundred metres to the east-north-east.
    assert 0.005 < lon - 116.397128 < 0.008
    assert 0.0005 < lat - 39.916527 < 0.002


def test_forward_matches_oracle_on_random_points():
    rng = np.random.default_rng(1)
    lon = rng.uniform(73.0, 135.0, 500)
    lat = rng.uniform(18.0, 54.0, 500)
    got_lon, got_lat = wgs84_to_gcj02(lon, lat)
    expected = np.array([oracle_wgs_to_gcj(a, b) for a, b in zip(lon, lat)])
    np.testing.assert_allclose(got_lon, expected[:, 0], rtol=0, atol=1e-9)
    np.testing.assert_allclose(got_lat, expected[:, 1], rtol=0, atol=1e-9)
    bd_lon, bd_lat = gcj02_to_bd09(lon, lat)
    expected_bd = np.array([oracle_gcj_to_bd(a, b) for a, b in zip(lon, lat)])
    np.testing.assert_allclose(bd_lon, expected_bd[:, 0], rtol=0, atol=1e-9)
    np.testing.assert_allclose(bd_lat, expected_bd[:, 1], rtol=0, atol=1e-9)


# Published in googollee/eviltransform's tests (go/transform_test.go):
# (WGS lat, WGS lng) -> (GCJ lat, GCJ lng).
EVILTRANSFORM_CASES = [
    (31.1774276, 121.5272106, 31.17530398364597, 121.531541859215),  # Shanghai
    (22.543847, 113.912316, 22.540796131694766, 113.9171764808363),  # Shenzhen
    (39.911954, 116.377817, 39.91334545536069, 116.38404722455657),  # Beijing
]


@pytest.mark.parametrize("wgs_lat, wgs_lng, gcj_lat, gcj_lng", EVILTRANSFORM_CASES)
def test_forward_matches_eviltransform_published(wgs_lat, wgs_lng, gcj_lat, gcj_lng):
    lon, lat = wgs84_to_gcj02(wgs_lng, wgs_lat)
    assert lon == pytest.approx(gcj_lng, abs=1e-6)
    assert lat == pytest.approx(gcj_lat, abs=1e-6)


@pytest.mark.parametrize("wgs_lat, wgs_lng, gcj_lat, gcj_lng", EVILTRANSFORM_CASES)
def test_inverse_recovers_eviltransform_published(wgs_lat, wgs_lng, gcj_lat, gcj_lng):
    lon, lat = gcj02_to_wgs84(gcj_lng, gcj_lat)
    assert lon == pytest.approx(wgs_lng, abs=1e-8)
    assert lat == pytest.approx(wgs_lat, abs=1e-8)


def test_matches_coordtransform_readme_values():
    # wandergis/coordtransform test/app.js, input (116.404, 39.915).
    assert wgs84_to_gcj02(116.404, 39.915) == pytest.approx((116.41024449916938, 39.91640428150164), abs=1e-9)
    assert gcj02_to_bd09(116.404, 39.915) == pytest.approx((116.41036949371029, 39.92133699351021), abs=1e-9)
    # Those two inverses are one-step closed-form approximations (error ~1e-6°);
    # ours iterate to the exact inverse, so they agree only to that level.
    assert bd09_to_gcj02(116.404, 39.915) == pytest.approx((116.39762729119315, 39.90865673957631), abs=1e-6)
    assert gcj02_to_wgs84(116.404, 39.915) == pytest.approx((116.39775550083061, 39.91359571849836), abs=1e-6)


# ----------------------------------------------------------------------------
# Round trips
# ----------------------------------------------------------------------------

# Keep clear of the box edge, where the forward map jumps and no inverse exists.
china_lon = st.floats(min_value=72.2, max_value=137.6, allow_nan=False)
china_lat = st.floats(min_value=1.0, max_value=55.6, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(china_lon, china_lat)
def test_round_trip_gcj02_hypothesis(lon, lat):
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert abs(back[0] - lon) < 1e-8 and abs(back[1] - lat) < 1e-8


@settings(max_examples=300, deadline=None)
@given(china_lon, china_lat)
def test_round_trip_bd09_hypothesis(lon, lat):
    back = bd09_to_wgs84(*wgs84_to_bd09(lon, lat))
    assert abs(back[0] - lon) < 1e-8 and abs(back[1] - lat) < 1e-8


@settings(max_examples=300, deadline=None)
@given(china_lon, china_lat)
def test_inverse_then_forward_is_identity(lon, lat):
    # The other direction: a GCJ-02 / BD-09 point read from a web map.
    again = wgs84_to_gcj02(*gcj02_to_wgs84(lon, lat))
    assert abs(again[0] - lon) < 1e-8 and abs(again[1] - lat) < 1e-8
    again = gcj02_to_bd09(*bd09_to_gcj02(lon, lat))
    assert abs(again[0] - lon) < 1e-8 and abs(again[1] - lat) < 1e-8


@pytest.fixture(scope="module")
def grid():
    lon, lat = np.meshgrid(np.linspace(72.2, 137.6, 100), np.linspace(1.0, 55.6, 100))
    return lon.ravel(), lat.ravel()


def test_round_trip_grid_gcj02(grid):
    lon, lat = grid
    assert lon.size == 10_000
    back_lon, back_lat = gcj02_to_wgs84(*wgs84_to_gcj02(lon, lat))
    assert np.max(np.abs(back_lon - lon)) < 1e-8
    assert np.max(np.abs(back_lat - lat)) < 1e-8


def test_round_trip_grid_bd09(grid):
    lon, lat = grid
    back_lon, back_lat = bd09_to_wgs84(*wgs84_to_bd09(lon, lat))
    assert np.max(np.abs(back_lon - lon)) < 1e-8
    assert np.max(np.abs(back_lat - lat)) < 1e-8


def test_round_trip_grid_gcj_bd(grid):
    lon, lat = grid
    back_lon, back_lat = bd09_to_gcj02(*gcj02_to_bd09(lon, lat))
    assert np.max(np.abs(back_lon - lon)) < 1e-8
    assert np.max(np.abs(back_lat - lat)) < 1e-8


# ----------------------------------------------------------------------------
# Outside China, NaN, shapes and types
# ----------------------------------------------------------------------------

OUTSIDE = np.array([
    [0.0, 0.0],
    [-74.006, 40.7128],     # New York
    [151.2093, -33.8688],   # Sydney
    [139.6917, 35.6895],    # Tokyo, east of the box
    [2.3522, 48.8566],      # Paris
    [105.0, 60.0],          # north of the box
    [105.0, 0.5],           # south of the box
])


@pytest.mark.parametrize("func", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_points_outside_china_unchanged(func):
    lon, lat = func(OUTSIDE[:, 0], OUTSIDE[:, 1])
    np.testing.assert_array_equal(lon, OUTSIDE[:, 0])
    np.testing.assert_array_equal(lat, OUTSIDE[:, 1])


@pytest.mark.parametrize("func", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_nan_passes_through_and_others_convert(func):
    lon = np.array([np.nan, 116.4, 105.09])
    lat = np.array([39.9, np.nan, 31.09])
    out_lon, out_lat = func(lon, lat)
    assert np.isnan(out_lon[0]) and np.isnan(out_lat[1])
    assert np.isfinite(out_lon[2]) and np.isfinite(out_lat[2])
    assert out_lon[2] != 105.09


@pytest.mark.parametrize("func", ALL_FUNCTIONS, ids=lambda f: f.__name__)
def test_scalars_give_floats_and_arrays_keep_shape(func):
    out = func(116.4, 39.9)
    assert all(type(v) is float for v in out)
    lon = np.full((3, 4), 116.4)
    lat = np.full((3, 4), 39.9)
    out_lon, out_lat = func(lon, lat)
    assert out_lon.shape == (3, 4) and out_lat.shape == (3, 4)
    # Same value as the scalar call, and the caller's arrays are untouched.
    assert out_lon[2, 3] == pytest.approx(out[0], abs=1e-12)
    assert np.all(lon == 116.4) and np.all(lat == 39.9)


def test_lists_are_accepted():
    lon, lat = wgs84_to_gcj02([116.4, 121.5], [39.9, 31.2])
    assert isinstance(lon, np.ndarray) and lon.shape == (2,)


def test_text_coordinates_raise_input_error():
    with pytest.raises(InputError):
        wgs84_to_gcj02(["116.4", "abc"], [39.9, 31.2])


def test_in_china_box():
    assert in_china(105.09, 31.09)
    assert not in_china(31.09, 105.09)
    assert not in_china(np.nan, 31.0)
    np.testing.assert_array_equal(in_china([72.004, 137.8347, 72.0], [0.8293, 55.8271, 30.0]), [True, True, False])
