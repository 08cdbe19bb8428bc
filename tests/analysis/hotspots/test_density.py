"""Kernel density: exactness against brute force, the bandwidth rules, the raster file, the sample county, refusals."""

from __future__ import annotations

import ctypes
import glob
import json
import math
import os

import geopandas as gpd
import numpy as np
import pyproj
import pytest
import shapely

from gisapp.analysis.core.result import Cancelled
from gisapp.analysis.hotspots.density import (
    KdeParams,
    arcgis_search_radius,
    kernel_density,
    kernel_values,
    silverman_bandwidth,
    standard_distance,
    volume_thresholds,
    weighted_median,
)
from gisapp.layers.errors import AnalysisError, InputError
from gisapp.layers.raster import Raster, read_geotiff, write_geotiff

CRS = "EPSG:4544"
X0, Y0 = 500_000.0, 3_400_000.0


def clustered(n=2000, seed=0, extent=4000.0):
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, extent, (4, 2))
    half = n // 2
    xy = np.vstack([centres[rng.integers(0, 4, half)] + rng.normal(0, extent / 30, (half, 2)), rng.uniform(0, extent, (n - half, 2))])
    return X0 + xy[:, 0], Y0 + xy[:, 1]


def frame(x, y, crs=CRS, **columns):
    return gpd.GeoDataFrame(columns, geometry=gpd.points_from_xy(x, y), crs=crs)


def brute_force(raster: Raster, x, y, h, kernel, weights=None) -> np.ndarray:
    """Σ w K(d) at every cell centre, all pairs, untruncated Gaussian; per km²."""
    cx, cy = raster.cell_centres()
    w = np.ones(len(x)) if weights is None else weights
    out = np.empty(cx.size)
    flat_x, flat_y = cx.ravel(), cy.ravel()
    for start in range(0, cx.size, 4000):
        d2 = (flat_x[start:start + 4000, None] - x) ** 2 + (flat_y[start:start + 4000, None] - y) ** 2
        if kernel == "quartic":
            k = np.where(d2 < h * h, 3 / (math.pi * h * h) * (1 - d2 / (h * h)) ** 2, 0.0)
        else:
            k = np.exp(-0.5 * d2 / (h * h)) / (2 * math.pi * h * h)
        out[start:start + 4000] = k @ w
    return out.reshape(cx.shape) * 1e6


# --------------------------------------------------------------------------- kernels


@pytest.mark.parametrize("kernel", ["quartic", "gaussian"])
def test_kernel_integrates_to_one(kernel):
    step = 0.5
    axis = np.arange(-400, 400 + step, step)
    d2 = axis[None, :] ** 2 + axis[:, None] ** 2
    assert kernel_values(d2, 100.0, kernel).sum() * step * step == pytest.approx(1.0, abs=5e-4)


def test_quartic_kernel_is_the_arcgis_formula():
    h = 250.0
    d = np.array([0.0, 100.0, 249.0, 250.0, 400.0])
    expected = np.where(d < h, 3 / (math.pi * h**2) * (1 - d**2 / h**2) ** 2, 0.0)
    np.testing.assert_allclose(kernel_values(d**2, h, "quartic"), expected, rtol=1e-12)


# --------------------------------------------------------------------------- exactness


@pytest.mark.parametrize("kernel", ["quartic", "gaussian"])
def test_direct_summation_equals_brute_force(kernel):
    x, y = clustered(800, seed=1)
    result = kernel_density(frame(x, y), KdeParams(kernel=kernel, bandwidth=200.0, cell_size=80.0, method="direct"))
    exact = brute_force(result.raster, x, y, 200.0, kernel)
    # the Gaussian is cut at 4 sigma: exp(-8) of each incident's mass is dropped
    tolerance = 1e-9 if kernel == "quartic" else 5e-4
    assert np.abs(result.raster.array - exact).max() <= tolerance * exact.max()


@pytest.mark.parametrize("kernel", ["quartic", "gaussian"])
@pytest.mark.parametrize("bandwidth, cell", [(150.0, 100.0), (300.0, 50.0), (600.0, 40.0)])
def test_binned_fft_is_within_one_percent_of_exact(kernel, bandwidth, cell):
    x, y = clustered(3000, seed=2)
    weights = np.random.default_rng(3).uniform(0.5, 3.0, len(x))
    points = frame(x, y, w=weights)
    result = kernel_density(points, KdeParams(kernel=kernel, bandwidth=bandwidth, cell_size=cell, method="fft", weight_field="w"))
    assert result.summary["method"] == "fft"
    assert result.summary["binning_error_bound"] <= 0.005
    exact = brute_force(result.raster, x, y, bandwidth, kernel, weights)
    error = np.abs(result.raster.array - exact)
    assert error.max() <= 0.01 * exact.max()
    dense = exact >= 0.1 * exact.max()
    assert (error[dense] / exact[dense]).max() <= 0.01


def test_auto_method_takes_the_cheaper_path_and_both_agree():
    x, y = clustered(5000, seed=4)
    small = kernel_density(frame(x, y), KdeParams(bandwidth=120.0, cell_size=100.0))
    large = kernel_density(frame(x, y), KdeParams(kernel="gaussian", bandwidth=400.0, cell_size=40.0))
    assert small.summary["method"] == "direct"
    assert large.summary["method"] == "fft"


def test_density_volume_equals_incident_count():
    x, y = clustered(1000, seed=5)
    result = kernel_density(frame(x, y), KdeParams(bandwidth=300.0, cell_size=20.0, method="direct"))
    total = result.raster.array.sum() * (result.raster.cell_size**2) / 1e6
    assert total == pytest.approx(1000, rel=5e-3)


def test_weights_scale_the_density_and_zero_weights_vanish():
    x, y = clustered(500, seed=6)
    plain = kernel_density(frame(x, y), KdeParams(bandwidth=250.0, cell_size=50.0))
    doubled = kernel_density(frame(x, y, w=np.full(len(x), 2.0)), KdeParams(bandwidth=250.0, cell_size=50.0, weight_field="w"))
    np.testing.assert_allclose(doubled.raster.array, 2 * plain.raster.array, rtol=1e-12, atol=1e-12)
    extra_x, extra_y = np.append(x, X0 + 1000), np.append(y, Y0 + 1000)
    weights = np.append(np.ones(len(x)), 0.0)
    zeroed = kernel_density(frame(extra_x, extra_y, w=weights), KdeParams(bandwidth=250.0, cell_size=50.0, weight_field="w",
                                                                        extent=plain.params["extent_used"]))
    np.testing.assert_allclose(zeroed.raster.array, plain.raster.array, atol=1e-9)


def test_translation_moves_the_surface_only():
    x, y = clustered(600, seed=7)
    a = kernel_density(frame(x, y), KdeParams(bandwidth=200.0, cell_size=50.0))
    b = kernel_density(frame(x + 5000.0, y - 3000.0), KdeParams(bandwidth=200.0, cell_size=50.0))
    np.testing.assert_allclose(a.raster.array, b.raster.array, rtol=1e-9, atol=1e-9)
    assert b.raster.origin[0] - a.raster.origin[0] == pytest.approx(5000.0)


# --------------------------------------------------------------------------- bandwidth rules


def test_arcgis_search_radius_by_hand():
    x = np.array([0.0, 100.0, 0.0, -100.0, 0.0, 30.0, 500.0])
    y = np.array([0.0, 0.0, 100.0, 0.0, -100.0, 40.0, 0.0])
    mx, my = x.mean(), y.mean()
    sd = math.sqrt(np.mean((x - mx) ** 2 + (y - my) ** 2))
    dm = float(np.median(np.hypot(x - mx, y - my)))
    expected = 0.9 * min(sd, math.sqrt(1 / math.log(2)) * dm) * len(x) ** -0.2
    radius, details = arcgis_search_radius(x, y)
    assert radius == pytest.approx(expected, rel=1e-12)
    assert details["standard_distance_m"] == pytest.approx(sd) and details["median_distance_m"] == pytest.approx(dm)
    assert standard_distance(x, y) == pytest.approx(sd)


def test_weighted_rules_equal_repeated_points():
    rng = np.random.default_rng(8)
    x, y = rng.normal(0, 300, 51), rng.normal(0, 200, 51)
    w = rng.integers(1, 4, 51).astype(float)
    rx, ry = np.repeat(x, w.astype(int)), np.repeat(y, w.astype(int))
    if len(rx) % 2 == 0:  # an odd total keeps the plain median a data value
        w[0] += 1
        rx, ry = np.repeat(x, w.astype(int)), np.repeat(y, w.astype(int))
    assert arcgis_search_radius(x, y, w)[0] == pytest.approx(arcgis_search_radius(rx, ry)[0], rel=1e-12)
    assert silverman_bandwidth(x, y, w)[0] == pytest.approx(silverman_bandwidth(rx, ry)[0], rel=1e-12)
    assert weighted_median(np.array([3.0, 1.0, 2.0]), np.array([1.0, 1.0, 5.0])) == 2.0


def test_silverman_rule_and_quartic_factor():
    rng = np.random.default_rng(9)
    x, y = rng.normal(0, 300, 1000), rng.normal(0, 100, 1000)
    sigma = math.sqrt((x.var() + y.var()) / 2)
    gaussian, _ = silverman_bandwidth(x, y, kernel="gaussian")
    quartic, _ = silverman_bandwidth(x, y, kernel="quartic")
    assert gaussian == pytest.approx(sigma * 1000 ** (-1 / 6))
    assert quartic / gaussian == pytest.approx(2.779, abs=1e-3)  # Silverman (1986) Table 4.1 gives 2.78


def test_default_parameters_are_reported():
    x, y = clustered(400, seed=10)
    result = kernel_density(frame(x, y))
    assert result.params["bandwidth_rule"] == "arcgis"
    assert result.params["bandwidth_m"] == pytest.approx(arcgis_search_radius(x, y)[0])
    width = min(np.ptp(x), np.ptp(y)) + 2 * result.params["bandwidth_m"]
    assert result.params["cell_size_m"] == pytest.approx(width / 250, rel=1e-2)
    json.dumps(result.summary)
    json.dumps(result.params)


# --------------------------------------------------------------------------- isopleths


def test_volume_thresholds_hold_their_share():
    values = np.random.default_rng(11).gamma(0.5, 10, (60, 60))
    for pct, level in zip((50, 90), volume_thresholds(values, (50, 90))):
        assert values[values >= level].sum() / values.sum() >= pct / 100
        assert values[values > level].sum() / values.sum() < pct / 100


def test_isopleth_bands_are_nested_rings_highest_first():
    x, y = clustered(2000, seed=12)
    result = kernel_density(frame(x, y), KdeParams(bandwidth=250.0, cell_size=40.0))
    bands = result.layer
    assert list(bands.volume_pct) == [50.0, 75.0, 90.0, 95.0]
    assert bands.geometry.is_valid.all()
    assert (bands.density_min.diff().dropna() < 0).all()
    assert shapely.area(shapely.intersection(bands.geometry.iloc[0], bands.geometry.iloc[1])) < 1e-6 * bands.area_km2.iloc[0] * 1e6
    peak = result.summary["max_density_at"]
    assert bands.geometry.iloc[0].buffer(1e-6).contains(shapely.Point(peak["x"], peak["y"]))


# --------------------------------------------------------------------------- the raster file


def _gdal():
    try:
        import pyogrio

        folder = os.path.join(os.path.dirname(pyogrio.__file__), "..", "pyogrio.libs")
        lib = ctypes.CDLL(glob.glob(os.path.join(folder, "libgdal*"))[0])
    except (ImportError, IndexError, OSError):
        return None
    lib.GDALAllRegister()
    lib.GDALOpen.restype = ctypes.c_void_p
    lib.GDALOpen.argtypes = [ctypes.c_char_p, ctypes.c_int]
    lib.GDALGetGeoTransform.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_double)]
    lib.GDALGetProjectionRef.restype = ctypes.c_char_p
    lib.GDALGetProjectionRef.argtypes = [ctypes.c_void_p]
    lib.GDALGetRasterBand.restype = ctypes.c_void_p
    lib.GDALGetRasterBand.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.GDALGetRasterNoDataValue.restype = ctypes.c_double
    lib.GDALGetRasterNoDataValue.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
    lib.GDALRasterIO.argtypes = [ctypes.c_void_p] + [ctypes.c_int] * 5 + [ctypes.c_void_p] + [ctypes.c_int] * 5
    lib.GDALGetMetadataItem.restype = ctypes.c_char_p
    lib.GDALGetMetadataItem.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
    lib.GDALClose.argtypes = [ctypes.c_void_p]
    return lib


def gdal_read(path, shape):
    """What GDAL (the library inside pyogrio, as QGIS would use it) sees in a GeoTIFF."""
    lib = _gdal()
    if lib is None:
        pytest.skip("GDAL's shared library is not reachable through pyogrio")
    handle = lib.GDALOpen(str(path).encode(), 0)
    assert handle, "GDAL could not open the GeoTIFF"
    transform = (ctypes.c_double * 6)()
    lib.GDALGetGeoTransform(handle, transform)
    wkt = lib.GDALGetProjectionRef(handle).decode()
    band = lib.GDALGetRasterBand(handle, 1)
    has_nodata = ctypes.c_int()
    nodata = lib.GDALGetRasterNoDataValue(band, ctypes.byref(has_nodata))
    values = np.zeros(shape, dtype=np.float64)
    assert lib.GDALRasterIO(band, 0, 0, 0, shape[1], shape[0], values.ctypes.data, shape[1], shape[0], 7, 0, 0) == 0
    bandwidth = lib.GDALGetMetadataItem(handle, b"bandwidth_m", None)
    lib.GDALClose(handle)
    return list(transform), wkt, values, (nodata if has_nodata.value else None), bandwidth


def test_geotiff_round_trip_and_gdal_reads_the_georeferencing(tmp_path):
    x, y = clustered(500, seed=13)
    result = kernel_density(frame(x, y), KdeParams(bandwidth=200.0, cell_size=30.0))
    path = write_geotiff(result.raster, tmp_path / "density.tif")
    back = read_geotiff(path)
    np.testing.assert_allclose(back.array, result.raster.array.astype(np.float32), rtol=0, atol=0)
    assert back.origin == result.raster.origin and back.cell_size == result.raster.cell_size
    assert back.crs.to_epsg() == 4544 and back.units == "incidents per km²"
    assert back.metadata["bandwidth_m"] == pytest.approx(200.0)
    transform, wkt, values, nodata, bandwidth = gdal_read(path, result.raster.shape)
    assert transform == list(result.raster.geotransform)
    assert pyproj.CRS.from_wkt(wkt).to_epsg() == 4544
    np.testing.assert_array_equal(values, result.raster.array.astype(np.float32))
    assert nodata is None and float(bandwidth) == pytest.approx(200.0)


def test_geotiff_nodata_and_crs_without_epsg(tmp_path):
    crs = pyproj.CRS.from_proj4("+proj=tmerc +lat_0=0 +lon_0=105.5 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs")
    array = np.arange(12.0).reshape(3, 4)
    array[1, 1] = np.nan
    path = write_geotiff(Raster(array, (1000.0, 2000.0), 10.0, crs, nodata=float("nan")), tmp_path / "custom.tif")
    assert (tmp_path / "custom.tif.aux.xml").exists()
    back = read_geotiff(path)
    assert back.crs.equals(crs) or back.crs.to_proj4() == crs.to_proj4()
    assert math.isnan(back.nodata) and np.isnan(back.array[1, 1]) and back.array[2, 3] == 11.0
    _, wkt, _, nodata, _ = gdal_read(path, (3, 4))
    assert "105.5" in wkt and math.isnan(nodata)


def test_raster_refuses_other_suffixes(tmp_path):
    raster = Raster(np.zeros((2, 2)), (0.0, 0.0), 1.0, pyproj.CRS.from_epsg(4544))
    with pytest.raises(InputError, match="GeoTIFF"):
        write_geotiff(raster, tmp_path / "out.png")


# --------------------------------------------------------------------------- the sample county


@pytest.fixture(scope="module")
def county(sample_dir):
    from gisapp.analysis.core.inputs import Inputs
    from gisapp.layers.filters import IncidentFilter

    inputs = Inputs(sample_dir / "county.gpkg")
    truth = json.loads((sample_dir / "truth.json").read_text(encoding="utf-8"))
    to_metric = pyproj.Transformer.from_crs(4326, inputs.crs, always_xy=True)
    markets = [to_metric.transform(h["lon"], h["lat"]) for h in truth["a"]["hotspots"]]
    return inputs.incidents(IncidentFilter()), markets


def test_pickpocketing_density_peaks_at_the_markets(county):
    incidents, markets = county
    result = kernel_density(incidents[incidents.subcategory == "扒窃"], KdeParams())
    peak = result.summary["max_density_at"]
    assert min(math.hypot(peak["x"] - mx, peak["y"] - my) for mx, my in markets) < 100
    top_band = result.summary["bands"][0]["density_min"]
    for mx, my in markets:
        assert result.raster.value_at(mx, my) >= max(top_band, 0.5 * result.summary["max_density"])
    fraud = kernel_density(incidents[incidents.subcategory == "电信诈骗"], KdeParams())
    # the fraud control follows population: no compact hotspot, its top half is spread far wider
    assert fraud.summary["bands"][0]["area_within_km2"] > 10 * result.summary["bands"][0]["area_within_km2"]


# --------------------------------------------------------------------------- refusals and edge cases


def test_geographic_coordinates_are_refused():
    x, y = clustered(100)
    lonlat = frame(x, y).to_crs(4326)
    with pytest.raises(AnalysisError, match="geographic"):
        kernel_density(lonlat)


def test_nan_weights_name_the_rows():
    x, y = clustered(50)
    weights = np.ones(50)
    weights[[3, 7]] = np.nan
    with pytest.raises(InputError) as error:
        kernel_density(frame(x, y, w=weights), KdeParams(weight_field="w"))
    assert [r.row for r in error.value.rows] == [4, 8]


def test_negative_and_all_zero_weights():
    x, y = clustered(50)
    with pytest.raises(InputError, match="negative"):
        kernel_density(frame(x, y, w=np.full(50, -1.0)), KdeParams(weight_field="w"))
    with pytest.raises(AnalysisError, match="add up to zero"):
        kernel_density(frame(x, y, w=np.zeros(50)), KdeParams(weight_field="w"))


def test_identical_points_need_a_bandwidth():
    points = frame(np.full(30, X0), np.full(30, Y0))
    with pytest.raises(AnalysisError, match="one place"):
        kernel_density(points)
    result = kernel_density(points, KdeParams(bandwidth=100.0, cell_size=10.0))
    expected_peak = 30 * 3 / (math.pi * 100.0**2) * (1 - (5**2 + 5**2) / 100.0**2) ** 2 * 1e6  # nearest centre is 5√2 m away
    assert result.summary["max_density"] == pytest.approx(expected_peak, rel=1e-9)


def test_zero_area_bounds():
    # collinear incidents: the padded extent still has an area
    line = kernel_density(frame(np.linspace(X0, X0 + 1000, 40), np.full(40, Y0)), KdeParams(bandwidth=100.0))
    assert line.raster.shape[0] > 1 and line.summary["max_density"] > 0
    with pytest.raises(InputError, match="no area"):
        kernel_density(frame(*clustered(40)), KdeParams(bandwidth=100.0, extent=(X0, Y0, X0 + 500, Y0)))


def test_bad_parameters_and_empty_input():
    points = frame(*clustered(40))
    with pytest.raises(InputError, match="kernel"):
        kernel_density(points, KdeParams(kernel="epanechnikov"))
    with pytest.raises(InputError, match="positive"):
        kernel_density(points, KdeParams(bandwidth=-5))
    with pytest.raises(InputError, match="cells"):
        kernel_density(points, KdeParams(bandwidth=100.0, cell_size=0.01))
    with pytest.raises(AnalysisError, match="No incident has a location"):
        kernel_density(gpd.GeoDataFrame(geometry=gpd.GeoSeries([None, None]), crs=CRS))
    with pytest.raises(AnalysisError, match="1 incident"):
        kernel_density(frame([X0], [Y0]))


def test_progress_and_cancel():
    points = frame(*clustered(300))
    seen = []
    kernel_density(points, KdeParams(bandwidth=150.0, cell_size=20.0), progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    with pytest.raises(Cancelled):
        kernel_density(points, cancelled=lambda: True)
