"""The Chinese web-map offsets GCJ-02 and BD-09, vectorised over numpy arrays.

GCJ-02 ("Mars coordinates", used by Amap, Tencent and Google China) is WGS84
plus an obfuscating offset of a few hundred metres. BD-09 (Baidu) is a further
transform of GCJ-02. Neither has an EPSG code, so pyproj cannot remove them.

Sources
-------
The forward formulas are the widely published reconstructions, the same in:

* googollee/eviltransform (https://github.com/googollee/eviltransform),
  ``wgs2gcj`` / ``gcj2bd``;
* wandergis/coordtransform (https://github.com/wandergis/coordtransform),
  ``wgs84togcj02`` / ``gcj02tobd09``.

They use the Krasovsky 1940 ellipsoid constants a = 6378245.0 m and
e² = 0.00669342162296594323, and the BD-09 constant x_pi = π·3000/180.

Accuracy
--------
* Forward transforms reproduce the published implementations to floating-point
  precision (about 1e-12°).
* The official GCJ-02 algorithm is not public; the published formula is a
  reconstruction that agrees with the map services' own conversion to within
  about a metre.
* The inverses have no closed form. They iterate the forward transform until it
  maps the result back onto the input within ``tol`` (1e-9° ≈ 0.1 mm by
  default), so round trips are exact to that tolerance.

Where the offsets apply
-----------------------
Only inside mainland China's rough bounding box, 72.004–137.8347 °E and
0.8293–55.8271 °N (the box the published code uses). Points outside it,
and NaN, pass through unchanged. BD-09 follows the same rule, as eviltransform
does, so every function here leaves foreign points alone. The box is rough: it
includes Korea, Japan's west and parts of neighbouring countries, which the
published code also shifts.
"""

from __future__ import annotations

import numpy as np

from .errors import InputError

__all__ = [
    "in_china",
    "wgs84_to_gcj02",
    "gcj02_to_wgs84",
    "gcj02_to_bd09",
    "bd09_to_gcj02",
    "wgs84_to_bd09",
    "bd09_to_wgs84",
]

#: Krasovsky 1940 semi-major axis (m) and squared eccentricity, as published.
KRASOVSKY_A = 6378245.0
KRASOVSKY_EE = 0.00669342162296594323
#: Baidu's constant.
X_PI = np.pi * 3000.0 / 180.0

#: Mainland China's rough box used by the published code (degrees).
CHINA_LON_MIN, CHINA_LON_MAX = 72.004, 137.8347
CHINA_LAT_MIN, CHINA_LAT_MAX = 0.8293, 55.8271

#: Inverse defaults: stop when the forward transform of the estimate lands
#: within TOL degrees of the input; the iteration contracts by ~1e-3 per step,
#: so it converges in 3-5 steps and MAX_ITER is only a safety net.
DEFAULT_TOL = 1e-9
DEFAULT_MAX_ITER = 30


# ----------------------------------------------------------------------------
# Array plumbing
# ----------------------------------------------------------------------------

def _as_float_arrays(lon, lat):
    """Return flat float64 copies of ``lon``/``lat``, their shape and whether both were scalars."""
    try:
        lon_a = np.asarray(lon, dtype=float)
        lat_a = np.asarray(lat, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError("Coordinates must be numbers; some longitude or latitude values are not.") from exc
    try:
        lon_a, lat_a = np.broadcast_arrays(lon_a, lat_a)
    except ValueError as exc:
        raise InputError("Longitude and latitude must have the same number of values.") from exc
    scalar = lon_a.ndim == 0
    # Copies, so the caller's arrays are never modified in place.
    return lon_a.ravel().copy(), lat_a.ravel().copy(), lon_a.shape, scalar


def _shape_back(lon, lat, shape, scalar):
    """Undo :func:`_as_float_arrays`: floats for scalar input, arrays of the input shape otherwise."""
    if scalar:
        return float(lon[0]), float(lat[0])
    return lon.reshape(shape), lat.reshape(shape)


def in_china(lon, lat):
    """Whether points fall inside mainland China's rough bounding box.

    Parameters
    ----------
    lon, lat : array_like
        Longitude and latitude in degrees.

    Returns
    -------
    numpy.ndarray of bool
        True inside 72.004–137.8347 °E, 0.8293–55.8271 °N (bounds included).
        NaN gives False.

    Notes
    -----
    This is the box of the published eviltransform/coordtransform code, not the
    border: it decides where the offsets are applied, and it is also a cheap
    "is this plausibly Chinese data" test.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    # Comparisons with NaN are False, so NaN falls outside.
    return (
        (lon >= CHINA_LON_MIN) & (lon <= CHINA_LON_MAX)
        & (lat >= CHINA_LAT_MIN) & (lat <= CHINA_LAT_MAX)
    )


# ----------------------------------------------------------------------------
# GCJ-02
# ----------------------------------------------------------------------------

def _gcj_raw_shift(x, y):
    """The published polynomial-plus-sine shift, in "metres" before scaling.

    ``x`` and ``y`` are longitude − 105 and latitude − 35. Returns
    ``(d_lon_raw, d_lat_raw)`` exactly as ``transformlng``/``transformlat``.
    """
    sqrt_abs_x = np.sqrt(np.abs(x))
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0

    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt_abs_x
    d_lat += common
    d_lat += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    d_lat += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0

    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt_abs_x
    d_lon += common
    d_lon += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    d_lon += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return d_lon, d_lat


def _gcj_offset(lon, lat):
    """The GCJ-02 offset in degrees at WGS84 ``lon``/``lat`` (no box test)."""
    d_lon, d_lat = _gcj_raw_shift(lon - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * np.pi
    magic = 1.0 - KRASOVSKY_EE * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    # Convert metres to degrees with the Krasovsky meridian and parallel radii.
    d_lat = (d_lat * 180.0) / ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sqrt_magic) * np.pi)
    d_lon = (d_lon * 180.0) / (KRASOVSKY_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    return d_lon, d_lat


def _wgs_to_gcj_flat(lon, lat):
    """Forward GCJ-02 on flat float arrays; returns new arrays."""
    out_lon, out_lat = lon.copy(), lat.copy()
    inside = in_china(lon, lat)
    if inside.any():
        d_lon, d_lat = _gcj_offset(lon[inside], lat[inside])
        out_lon[inside] += d_lon
        out_lat[inside] += d_lat
    return out_lon, out_lat


def _invert(forward, target_lon, target_lat, start_lon, start_lat, tol, max_iter):
    """Invert ``forward`` by fixed-point iteration, vectorised over points.

    Each step moves the estimate by the residual: ``p <- p - (forward(p) - target)``.
    The offsets change slowly with position (their derivative is ~1e-3), so
    this contracts by about that factor per step. Only points not yet
    converged are recomputed. Points outside the China box converge at once
    because ``forward`` leaves them unchanged; NaN stays NaN.
    """
    lon, lat = start_lon.copy(), start_lat.copy()
    active = np.isfinite(target_lon) & np.isfinite(target_lat)
    for _ in range(max_iter):
        idx = np.flatnonzero(active)
        if idx.size == 0:
            break
        f_lon, f_lat = forward(lon[idx], lat[idx])
        err_lon = f_lon - target_lon[idx]
        err_lat = f_lat - target_lat[idx]
        lon[idx] -= err_lon
        lat[idx] -= err_lat
        done = (np.abs(err_lon) < tol) & (np.abs(err_lat) < tol)
        active[idx[done]] = False
    return lon, lat


def wgs84_to_gcj02(lon, lat):
    """Convert WGS84 longitude/latitude to GCJ-02 (Amap, Tencent).

    Parameters
    ----------
    lon, lat : float or array_like
        WGS84 degrees. Arrays broadcast against each other.

    Returns
    -------
    lon, lat : float or numpy.ndarray
        GCJ-02 degrees; floats for scalar input. Points outside the China box
        and NaN are returned unchanged.

    Notes
    -----
    The published formula (eviltransform ``wgs2gcj``, coordtransform
    ``wgs84togcj02``) with Krasovsky constants a = 6378245.0,
    e² = 0.00669342162296594323. Reproduces those implementations to ~1e-12°;
    agrees with the map services to about a metre (their algorithm is secret).

    Examples
    --------
    >>> wgs84_to_gcj02(116.404, 39.915)  # doctest: +ELLIPSIS
    (116.41024449916..., 39.91640428150...)
    """
    lon_a, lat_a, shape, scalar = _as_float_arrays(lon, lat)
    out_lon, out_lat = _wgs_to_gcj_flat(lon_a, lat_a)
    return _shape_back(out_lon, out_lat, shape, scalar)


def gcj02_to_wgs84(lon, lat, *, tol=DEFAULT_TOL, max_iter=DEFAULT_MAX_ITER):
    """Convert GCJ-02 longitude/latitude back to WGS84 by iteration.

    Parameters
    ----------
    lon, lat : float or array_like
        GCJ-02 degrees.
    tol : float, optional
        Stop when the forward transform of the estimate is within ``tol``
        degrees of the input in both axes (default 1e-9° ≈ 0.1 mm).
    max_iter : int, optional
        Safety cap on iterations (default 30; 3–5 are normally needed).

    Returns
    -------
    lon, lat : float or numpy.ndarray
        WGS84 degrees. Outside the China box and NaN: unchanged.

    Notes
    -----
    No closed-form inverse exists. The common one-step approximation
    (``gcj - offset(gcj)``, eviltransform ``gcj2wgs``) is off by up to a few
    metres; this iterates it to a fixed point (as eviltransform
    ``gcj2wgs_exact`` does by bisection), so
    ``wgs84_to_gcj02(*gcj02_to_wgs84(p)) == p`` within ``tol``. Within the
    offset's reach (< 1 km) of the box edge the forward map is not one-to-one:
    a point just outside the box is its own preimage although a point just
    inside may also map onto it. There the point is returned unchanged (or,
    if the iteration cannot settle, with its last estimate). The edge runs
    through foreign territory and open sea, far from Chinese data.
    """
    lon_a, lat_a, shape, scalar = _as_float_arrays(lon, lat)
    out_lon, out_lat = _invert(_wgs_to_gcj_flat, lon_a, lat_a, lon_a, lat_a, tol, max_iter)
    return _shape_back(out_lon, out_lat, shape, scalar)


# ----------------------------------------------------------------------------
# BD-09
# ----------------------------------------------------------------------------

def _gcj_to_bd_flat(lon, lat):
    """Forward BD-09 on flat float arrays; returns new arrays."""
    out_lon, out_lat = lon.copy(), lat.copy()
    inside = in_china(lon, lat)
    if inside.any():
        x, y = lon[inside], lat[inside]
        z = np.hypot(x, y) + 0.00002 * np.sin(y * X_PI)
        theta = np.arctan2(y, x) + 0.000003 * np.cos(x * X_PI)
        out_lon[inside] = z * np.cos(theta) + 0.0065
        out_lat[inside] = z * np.sin(theta) + 0.006
    return out_lon, out_lat


def _bd_to_gcj_closed_form(lon, lat):
    """The published closed-form approximation of BD-09 → GCJ-02 (error ~1e-6°)."""
    out_lon, out_lat = lon.copy(), lat.copy()
    inside = in_china(lon, lat)
    if inside.any():
        x = lon[inside] - 0.0065
        y = lat[inside] - 0.006
        z = np.hypot(x, y) - 0.00002 * np.sin(y * X_PI)
        theta = np.arctan2(y, x) - 0.000003 * np.cos(x * X_PI)
        out_lon[inside] = z * np.cos(theta)
        out_lat[inside] = z * np.sin(theta)
    return out_lon, out_lat


def gcj02_to_bd09(lon, lat):
    """Convert GCJ-02 longitude/latitude to BD-09 (Baidu).

    Parameters
    ----------
    lon, lat : float or array_like
        GCJ-02 degrees.

    Returns
    -------
    lon, lat : float or numpy.ndarray
        BD-09 degrees. Outside the China box and NaN: unchanged.

    Notes
    -----
    The published transform (eviltransform ``gcj2bd``, coordtransform
    ``gcj02tobd09``) with x_pi = π·3000/180:
    z = √(x² + y²) + 2e-5·sin(y·x_pi), θ = atan2(y, x) + 3e-6·cos(x·x_pi),
    bd = (z·cos θ + 0.0065, z·sin θ + 0.006). Exact to floating point.
    """
    lon_a, lat_a, shape, scalar = _as_float_arrays(lon, lat)
    out_lon, out_lat = _gcj_to_bd_flat(lon_a, lat_a)
    return _shape_back(out_lon, out_lat, shape, scalar)


def bd09_to_gcj02(lon, lat, *, tol=DEFAULT_TOL, max_iter=DEFAULT_MAX_ITER):
    """Convert BD-09 longitude/latitude back to GCJ-02.

    Parameters
    ----------
    lon, lat : float or array_like
        BD-09 degrees.
    tol, max_iter
        As in :func:`gcj02_to_wgs84`.

    Returns
    -------
    lon, lat : float or numpy.ndarray
        GCJ-02 degrees. Outside the China box and NaN: unchanged.

    Notes
    -----
    Starts from the published closed-form approximation (coordtransform
    ``bd09togcj02``, error up to ~1e-6°) and refines it by fixed-point
    iteration on :func:`gcj02_to_bd09`, so the round trip is exact within
    ``tol``. Results therefore differ from the closed form by up to ~1e-6°.
    """
    lon_a, lat_a, shape, scalar = _as_float_arrays(lon, lat)
    start_lon, start_lat = _bd_to_gcj_closed_form(lon_a, lat_a)
    out_lon, out_lat = _invert(_gcj_to_bd_flat, lon_a, lat_a, start_lon, start_lat, tol, max_iter)
    return _shape_back(out_lon, out_lat, shape, scalar)


def wgs84_to_bd09(lon, lat):
    """Convert WGS84 longitude/latitude to BD-09: GCJ-02 first, then BD-09.

    See :func:`wgs84_to_gcj02` and :func:`gcj02_to_bd09` for sources and
    accuracy. Outside the China box and NaN: unchanged.
    """
    lon_a, lat_a, shape, scalar = _as_float_arrays(lon, lat)
    out_lon, out_lat = _gcj_to_bd_flat(*_wgs_to_gcj_flat(lon_a, lat_a))
    return _shape_back(out_lon, out_lat, shape, scalar)


def bd09_to_wgs84(lon, lat, *, tol=DEFAULT_TOL, max_iter=DEFAULT_MAX_ITER):
    """Convert BD-09 longitude/latitude to WGS84: GCJ-02 first, then WGS84.

    Both steps are iterative inverses (see :func:`bd09_to_gcj02` and
    :func:`gcj02_to_wgs84`); each is exact within ``tol``, so the round trip
    WGS84 → BD-09 → WGS84 is exact within about ``2 * tol``.
    """
    gcj_lon, gcj_lat = bd09_to_gcj02(lon, lat, tol=tol, max_iter=max_iter)
    return gcj02_to_wgs84(gcj_lon, gcj_lat, tol=tol, max_iter=max_iter)
