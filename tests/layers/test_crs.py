"""Tests for gisapp.layers.crs: resolving names, WGS84 conversion, analysis CRS, data checks."""

from __future__ import annotations

import numpy as np
import pyproj
import pytest

from gisapp.layers.crs import (
    CoordinateSystem,
    analysis_crs_from_setting,
    choose_analysis_crs,
    detect_swapped_lonlat,
    find_location_outliers,
    looks_swapped,
    resolve_crs,
    swapped_rows,
    to_wgs84_lonlat,
    valid_lonlat,
)
from gisapp.layers.errors import InputError
from gisapp.layers.offsets import bd09_to_wgs84, gcj02_to_wgs84, wgs84_to_bd09, wgs84_to_gcj02

# ----------------------------------------------------------------------------
# resolve_crs
# ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "given, epsg, offset",
    [
        ("EPSG:4326", 4326, None),
        ("epsg:4326", 4326, None),
        ("4326", 4326, None),
        (4326, 4326, None),
        ("wgs84", 4326, None),
        ("WGS 84", 4326, None),
        ("cgcs2000", 4490, None),
        ("CGCS2000", 4490, None),
        ("gcj02", 4326, "gcj02"),
        ("GCJ-02", 4326, "gcj02"),
        ("bd09", 4326, "bd09"),
        ("BD-09", 4326, "bd09"),
        ("EPSG:4544", 4544, None),
        (pyproj.CRS.from_epsg(4544).to_wkt(), 4544, None),
        ("+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs", 32648, None),
        (pyproj.CRS.from_epsg(32648), 32648, None),
    ],
)
def test_resolve_crs_forms(given, epsg, offset):
    system = resolve_crs(given)
    assert isinstance(system, CoordinateSystem)
    assert system.crs.to_epsg() == epsg
    assert system.offset == offset
    assert system.name


def test_resolve_crs_passes_coordinate_system_through_and_text_round_trips():
    for given in ("gcj02", "bd09", "EPSG:4544", "cgcs2000", "+proj=tmerc +lon_0=105.5 +k=1 +x_0=500000 +ellps=GRS80 +units=m"):
        system = resolve_crs(given)
        assert resolve_crs(system) is system
        again = resolve_crs(system.text)
        assert again.offset == system.offset
        assert again.crs.equals(system.crs)


def test_coordinate_system_is_frozen():
    system = resolve_crs("wgs84")
    with pytest.raises(AttributeError):
        system.name = "x"  # type: ignore[misc]


@pytest.mark.parametrize("given", ["XYZ", "", "EPSG:99999999", 99999999, None])
def test_resolve_crs_unknown(given):
    with pytest.raises(InputError) as info:
        resolve_crs(given)
    assert "Unknown coordinate system" in str(info.value)


def test_resolve_crs_unknown_message_is_exact():
    with pytest.raises(InputError) as info:
        resolve_crs("XYZ")
    assert str(info.value) == (
        "Unknown coordinate system 'XYZ': give an EPSG code such as EPSG:4326, "
        "or wgs84, cgcs2000, gcj02, bd09 or local (metres, not georeferenced)."
    )


# ----------------------------------------------------------------------------
# to_wgs84_lonlat
# ----------------------------------------------------------------------------

LON = np.array([105.09, 105.2, 104.95])
LAT = np.array([31.09, 31.15, 31.0])


def test_to_wgs84_removes_gcj02():
    gcj = wgs84_to_gcj02(LON, LAT)
    lon, lat = to_wgs84_lonlat(*gcj, "gcj02")
    np.testing.assert_allclose(lon, LON, atol=1e-8, rtol=0)
    np.testing.assert_allclose(lat, LAT, atol=1e-8, rtol=0)
    expected = gcj02_to_wgs84(*gcj)
    np.testing.assert_array_equal(lon, expected[0])


def test_to_wgs84_removes_bd09():
    bd = wgs84_to_bd09(LON, LAT)
    lon, lat = to_wgs84_lonlat(*bd, resolve_crs("bd09"))
    np.testing.assert_allclose(lon, LON, atol=1e-8, rtol=0)
    np.testing.assert_allclose(lat, LAT, atol=1e-8, rtol=0)
    np.testing.assert_array_equal(lat, bd09_to_wgs84(*bd)[1])


def test_to_wgs84_passes_wgs84_through():
    lon, lat = to_wgs84_lonlat(LON, LAT, "EPSG:4326")
    np.testing.assert_array_equal(lon, LON)
    np.testing.assert_array_equal(lat, LAT)
    assert lon is not LON


def test_to_wgs84_from_projected():
    forward = pyproj.Transformer.from_crs(4326, 4544, always_xy=True)
    x, y = forward.transform(LON, LAT)
    lon, lat = to_wgs84_lonlat(x, y, "EPSG:4544")
    np.testing.assert_allclose(lon, LON, atol=1e-9, rtol=0)
    np.testing.assert_allclose(lat, LAT, atol=1e-9, rtol=0)
    # The central meridian of EPSG:4544 is 105°E at x = 500 km (no zone prefix).
    lon0, _ = to_wgs84_lonlat([500_000.0], [3_440_000.0], 4544)
    assert lon0[0] == pytest.approx(105.0, abs=1e-9)


def test_to_wgs84_from_cgcs2000_geographic_is_lon_lat_order():
    lon, lat = to_wgs84_lonlat(LON, LAT, "cgcs2000")
    # CGCS2000 and WGS84 agree to centimetres; the point is the axis order.
    np.testing.assert_allclose(lon, LON, atol=1e-5, rtol=0)
    np.testing.assert_allclose(lat, LAT, atol=1e-5, rtol=0)


# ----------------------------------------------------------------------------
# Analysis CRS
# ----------------------------------------------------------------------------


def test_choose_cgcs2000_gk_zone():
    assert choose_analysis_crs([105.09], [31.09]).to_epsg() == 4544
    assert choose_analysis_crs(np.array([105.09]), np.array([31.09]), family="cgcs2000").to_epsg() == 4544


@pytest.mark.parametrize("lon, epsg", [(75.2, 4534), (76.4, 4534), (76.6, 4535), (116.4, 4548), (121.47, 4549), (121.6, 4550), (134.5, 4554)])
def test_choose_cgcs2000_zone_boundaries(lon, epsg):
    assert choose_analysis_crs([lon], [35.0]).to_epsg() == epsg


def test_choose_utm_zone():
    assert choose_analysis_crs([105.09], [31.09], family="utm").to_epsg() == 32648
    assert choose_analysis_crs([-70.6], [-33.4], family="utm").to_epsg() == 32719


def test_choose_outside_china_falls_back_to_utm():
    assert choose_analysis_crs([2.35], [48.86]).to_epsg() == 32631
    assert choose_analysis_crs([151.2], [-33.9]).to_epsg() == 32756


def test_choose_uses_median_so_a_stray_point_does_not_move_the_zone():
    lon = np.r_[np.full(99, 105.09), 121.5]
    lat = np.r_[np.full(99, 31.09), np.nan]
    assert choose_analysis_crs(lon, lat).to_epsg() == 4544


def test_choose_with_no_valid_points_is_an_input_error():
    with pytest.raises(InputError):
        choose_analysis_crs([np.nan, 500.0], [31.0, 31.0])


def test_choose_unknown_family_is_an_input_error():
    with pytest.raises(InputError):
        choose_analysis_crs([105.09], [31.09], family="lambert")


@pytest.mark.parametrize("setting", ["auto", "AUTO", None, ""])
def test_setting_auto_chooses(setting):
    assert analysis_crs_from_setting(setting, [105.09], [31.09]).to_epsg() == 4544


def test_setting_explicit_projected():
    assert analysis_crs_from_setting("EPSG:32648", [105.09], [31.09]).to_epsg() == 32648


@pytest.mark.parametrize("setting", ["wgs84", "EPSG:4490", "gcj02", "bd09", "EPSG:2249"])
def test_setting_must_be_projected_in_metres(setting):
    # EPSG:2249 is projected but in US survey feet.
    with pytest.raises(InputError):
        analysis_crs_from_setting(setting, [105.09], [31.09])


def test_setting_unknown():
    with pytest.raises(InputError):
        analysis_crs_from_setting("XYZ", [105.09], [31.09])


# ----------------------------------------------------------------------------
# Swapped columns
# ----------------------------------------------------------------------------


def _county_points(n=200, seed=3):
    rng = np.random.default_rng(seed)
    return rng.normal(105.09, 0.1, n), rng.normal(31.09, 0.1, n)


def test_swapped_rows():
    rows = swapped_rows([31.09, 105.09, np.nan, 0.0], [105.09, 31.09, 105.0, 0.0])
    np.testing.assert_array_equal(rows, [True, False, False, False])


def test_swapped_columns_detected():
    lon, lat = _county_points()
    assert looks_swapped(lat, lon)
    assert detect_swapped_lonlat(lat, lon)
    assert looks_swapped([31.09], [105.09])


def test_normal_columns_not_swapped():
    lon, lat = _county_points()
    assert not looks_swapped(lon, lat)
    assert not looks_swapped([105.09], [31.09])


def test_swapped_needs_most_rows():
    lon, lat = _county_points(100)
    x, y = lon.copy(), lat.copy()
    x[:50], y[:50] = lat[:50], lon[:50]
    assert not looks_swapped(x, y)
    x[:95], y[:95] = lat[:95], lon[:95]
    assert looks_swapped(x, y)


def test_swapped_ignores_empty_rows():
    lon, lat = _county_points(20)
    x = np.r_[lat, np.full(30, np.nan)]
    y = np.r_[lon, np.full(30, np.nan)]
    assert looks_swapped(x, y)
    assert not looks_swapped([np.nan], [np.nan])
    assert not looks_swapped([], [])


# ----------------------------------------------------------------------------
# Location outliers
# ----------------------------------------------------------------------------


def _cluster(n=1000, seed=0, sd_m=3000.0):
    rng = np.random.default_rng(seed)
    return rng.normal(500_000.0, sd_m, n), rng.normal(3_440_000.0, sd_m, n)


def test_outlier_200_km_away_is_flagged():
    x, y = _cluster()
    x = np.r_[x, 500_000.0 + 200_000.0]
    y = np.r_[y, 3_440_000.0]
    flags = find_location_outliers(x, y)
    assert flags.dtype == bool and flags.shape == x.shape
    assert flags[-1]
    assert flags.sum() == 1


def test_only_isolated_fringe_points_of_a_dense_cluster_are_flagged():
    # Only points over 1 km from every other can be flagged: in a normal cloud with
    # SD 3 km those lie beyond 3 SD of the centre, never in its body.
    x, y = _cluster(20_000, seed=3)
    flags = find_location_outliers(x, y)
    assert flags.sum() < 0.001 * len(x)
    assert (np.hypot(x[flags] - 500_000.0, y[flags] - 3_440_000.0) > 9_000.0).all()


def test_no_outliers_in_a_uniform_disc():
    rng = np.random.default_rng(7)
    r = 10_000.0 * np.sqrt(rng.uniform(0, 1, 5000))
    t = rng.uniform(0, 2 * np.pi, 5000)
    assert not find_location_outliers(r * np.cos(t), r * np.sin(t)).any()


def test_a_far_township_is_not_an_outlier():
    # A county: the seat's cases plus a township 15 km away whose cases sit close together.
    # A distance-from-centre rule flags the whole township; the nearest-neighbour rule does not.
    x, y = _cluster(5000, seed=5)
    tx, ty = _cluster(300, seed=6, sd_m=400.0)
    x, y = np.r_[x, tx + 15_000.0], np.r_[y, ty]
    assert not find_location_outliers(x, y)[-300:].any()


def test_outliers_ignore_nan():
    x, y = _cluster(200)
    x = np.r_[x, np.nan, 900_000.0]
    y = np.r_[y, 3_440_000.0, 3_440_000.0]
    flags = find_location_outliers(x, y)
    assert not flags[-2]
    assert flags[-1]
    assert flags.sum() == 1


def test_outliers_with_most_points_on_one_address():
    # MAD is zero; the far point must still be found and the stack not flagged.
    x = np.r_[np.full(100, 500_000.0), 500_050.0, 700_000.0]
    y = np.r_[np.full(100, 3_440_000.0), 3_440_020.0, 3_440_000.0]
    flags = find_location_outliers(x, y)
    assert flags[-1] and not flags[:-1].any()


def test_outliers_too_few_points_or_all_identical():
    assert not find_location_outliers([0.0, 1e6], [0.0, 0.0]).any()
    assert not find_location_outliers(np.zeros(10), np.zeros(10)).any()


# ----------------------------------------------------------------------------
# valid_lonlat
# ----------------------------------------------------------------------------


def test_valid_lonlat():
    lon = [105.0, 180.0, -180.0, 180.01, np.nan, np.inf, 0.0]
    lat = [31.0, 90.0, -90.0, 0.0, 0.0, 0.0, -90.5]
    np.testing.assert_array_equal(valid_lonlat(lon, lat), [True, True, True, False, False, False, False])


def test_far_outliers_are_found_whether_cells_are_counted_densely_or_hashed(monkeypatch):
    # A point geocoded 3,000 km away makes the 100 m cell grid far too large to count densely.
    import gisapp.layers.crs

    x, y = _cluster(3000, seed=11)
    hashed = find_location_outliers(np.r_[x, 3_500_000.0], np.r_[y, 6_000_000.0])
    assert hashed[-1] and hashed.sum() == 1
    dense = find_location_outliers(np.r_[x, 520_000.0], np.r_[y, 3_440_000.0])
    assert dense[-1]
    monkeypatch.setattr(gisapp.layers.crs, "_DENSE_CELLS", 0)  # hash the county's cells too: same answer
    assert np.array_equal(find_location_outliers(np.r_[x, 520_000.0], np.r_[y, 3_440_000.0]), dense)
