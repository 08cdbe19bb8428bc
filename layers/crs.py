"""Coordinate-system helpers: naming a CRS, getting to WGS84, choosing a metric CRS.

No Qt and no I/O. Every function takes plain arrays (or anything numpy accepts)
and raises :class:`~gisapp.layers.errors.InputError` for a user's mistake.

Conventions
-----------
* Longitude/latitude are always in (x, y) = (lon, lat) order, as pyproj's
  ``always_xy=True`` gives them, whatever the CRS's official axis order.
* GCJ-02 and BD-09 have no EPSG code; they are represented as EPSG:4326 plus
  an ``offset`` tag, and :mod:`gisapp.layers.offsets` removes the offset.
* Data in an unknown metric system (a shapefile without ``.prj`` in metres,
  a CSV of local survey coordinates) are held in :data:`LOCAL_METRES`, an
  *engineering* CRS named "local metres (not georeferenced)", as QGIS and
  ArcGIS hold an unknown CRS. Why an engineering CRS and not a made-up
  projection: GDAL writes it to a GeoPackage (and a shapefile's ``.prj``) and
  reads it back, PROJ refuses to transform it to or from any place on the
  earth, so no code can put such points on a basemap or into degrees by
  mistake, and its axes are metres, so every analysis runs in it
  (:func:`is_metric`). Users and project files name it ``local``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyproj
import shapely
from pyproj.exceptions import CRSError

from .errors import InputError
from .offsets import bd09_to_wgs84, gcj02_to_wgs84, in_china, wgs84_to_bd09, wgs84_to_gcj02
from .transformers import transformer

__all__ = [
    "CoordinateSystem",
    "resolve_crs",
    "to_wgs84_lonlat",
    "choose_analysis_crs",
    "analysis_crs_from_setting",
    "swapped_rows",
    "looks_swapped",
    "detect_swapped_lonlat",
    "find_location_outliers",
    "valid_lonlat",
    "LOCAL_METRES",
    "is_local",
    "is_metric",
    "analysis_crs_for",
    "local_output_crs",
]

WGS84 = pyproj.CRS.from_epsg(4326)
CGCS2000 = pyproj.CRS.from_epsg(4490)
LOCAL_METRES_NAME = "local metres (not georeferenced)"
LOCAL_METRES = pyproj.CRS.from_wkt(
    f'ENGCRS["{LOCAL_METRES_NAME}",EDATUM["unknown local datum"],CS[Cartesian,2],'
    'AXIS["easting (X)",east,ORDER[1],LENGTHUNIT["metre",1]],AXIS["northing (Y)",north,ORDER[2],LENGTHUNIT["metre",1]]]'
)


def is_local(crs) -> bool:
    """True for an engineering (local, not georeferenced) CRS such as :data:`LOCAL_METRES`."""
    if isinstance(crs, CoordinateSystem):
        crs = crs.crs
    return crs is not None and isinstance(crs, pyproj.CRS) and crs.type_name == "Engineering CRS"


def is_metric(crs) -> bool:
    """True for a CRS whose two axes are metres: projected in metres, or local metres."""
    if isinstance(crs, CoordinateSystem):
        crs = crs.crs
    if crs is None or not (crs.is_projected or is_local(crs)):
        return False
    units = {axis.unit_name.lower() for axis in crs.axis_info[:2]}
    return units <= {"metre", "meter"}

#: CGCS2000 3-degree Gauss-Krüger zones without the zone prefix in the false
#: easting: EPSG:4534 is CM 75°E and each following code is 3° further east,
#: up to EPSG:4554 for CM 135°E.
_GK3_FIRST_CODE, _GK3_FIRST_CM, _GK3_LAST_CM = 4534, 75, 135


@dataclass(frozen=True)
class CoordinateSystem:
    """A resolved coordinate system.

    Attributes
    ----------
    name : str
        Display name, e.g. ``"WGS 84"``, ``"GCJ-02"``, ``"CGCS2000 / 3-degree Gauss-Kruger CM 105E"``.
    crs : pyproj.CRS
        The CRS of the coordinates once any offset is removed (EPSG:4326 for
        GCJ-02 and BD-09).
    offset : str or None
        ``None``, ``"gcj02"`` or ``"bd09"``: the web-map offset the data carry.
    """

    name: str
    crs: pyproj.CRS
    offset: str | None = None

    @property
    def text(self) -> str:
        """A string that :func:`resolve_crs` turns back into this system (for project files)."""
        if self.offset is not None:
            return self.offset
        if is_local(self.crs):
            return "local"
        code = self.crs.to_epsg(min_confidence=100)
        if code is not None:
            return f"EPSG:{code}"
        return self.crs.to_wkt()


def _named_systems() -> dict[str, CoordinateSystem]:
    """Aliases users type, lower-cased with spaces, dashes and underscores removed."""
    wgs = CoordinateSystem("WGS 84", WGS84, None)
    cgcs = CoordinateSystem("CGCS2000", CGCS2000, None)
    gcj = CoordinateSystem("GCJ-02", WGS84, "gcj02")
    bd = CoordinateSystem("BD-09", WGS84, "bd09")
    local = CoordinateSystem(LOCAL_METRES_NAME, LOCAL_METRES, None)
    return {
        "local": local, "localmetres": local, "localmeters": local, "engineering": local, "unknown": local, "本地坐标": local,
        "wgs84": wgs, "gps": wgs,
        "cgcs2000": cgcs, "cgcs": cgcs,
        "gcj02": gcj, "gcj": gcj, "mars": gcj, "amap": gcj, "gaode": gcj, "tencent": gcj,
        "bd09": bd, "bd09ll": bd, "baidu": bd,
    }


_NAMED = _named_systems()


def _alias_key(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch not in " -_")


def _unknown(text) -> InputError:
    return InputError(
        f"Unknown coordinate system '{text}': give an EPSG code such as EPSG:4326, "
        "or wgs84, cgcs2000, gcj02, bd09 or local (metres, not georeferenced)."
    )


def resolve_crs(text_or_crs) -> CoordinateSystem:
    """Turn what a user or a file gave into a :class:`CoordinateSystem`.

    Parameters
    ----------
    text_or_crs : str, int, pyproj.CRS or CoordinateSystem
        ``"EPSG:4326"``, ``"4326"`` or ``4326``; the names ``wgs84``,
        ``cgcs2000`` (EPSG:4490), ``gcj02`` and ``bd09`` (case, spaces and
        dashes ignored, so ``"GCJ-02"`` works; ``amap``/``baidu`` are also
        accepted); a WKT or PROJ string; a pyproj CRS; or a CoordinateSystem,
        returned as it is.

    Returns
    -------
    CoordinateSystem

    Raises
    ------
    InputError
        When the text names no coordinate system.
    """
    if isinstance(text_or_crs, CoordinateSystem):
        return text_or_crs
    if isinstance(text_or_crs, pyproj.CRS):
        if is_local(text_or_crs):
            return CoordinateSystem(LOCAL_METRES_NAME, text_or_crs, None)
        return CoordinateSystem(text_or_crs.name, text_or_crs, None)
    if isinstance(text_or_crs, (int, np.integer)) and not isinstance(text_or_crs, bool):
        return _from_epsg(int(text_or_crs), text_or_crs)
    if not isinstance(text_or_crs, str) or not text_or_crs.strip():
        raise _unknown(text_or_crs)

    text = text_or_crs.strip()
    named = _NAMED.get(_alias_key(text))
    if named is not None:
        return named
    if text.isdigit():
        # pyproj does not read a bare number as an EPSG code.
        return _from_epsg(int(text), text)
    try:
        crs = pyproj.CRS.from_user_input(text)
    except CRSError:
        raise _unknown(text) from None
    # PROJ strings give the name "unknown"; the user's own text says more.
    name = crs.name if crs.name and crs.name != "unknown" else text
    return CoordinateSystem(name, crs, None)


def _from_epsg(code: int, original) -> CoordinateSystem:
    try:
        crs = pyproj.CRS.from_epsg(code)
    except CRSError:
        raise _unknown(original) from None
    return CoordinateSystem(crs.name, crs, None)


def _transformer_to_wgs84(crs: pyproj.CRS) -> pyproj.Transformer:

    return transformer(crs, WGS84)


def to_wgs84_lonlat(x, y, system) -> tuple[np.ndarray, np.ndarray]:
    """Convert coordinates in ``system`` to WGS84 longitude/latitude.

    Parameters
    ----------
    x, y : array_like
        Easting/northing, or longitude/latitude for geographic systems.
    system : anything :func:`resolve_crs` accepts

    Returns
    -------
    lon, lat : numpy.ndarray of float
        WGS84 degrees. GCJ-02/BD-09 offsets are removed iteratively (see
        :mod:`gisapp.layers.offsets`); other systems go through pyproj. NaN stays NaN.
    """
    system = resolve_crs(system)
    if is_local(system.crs):
        raise InputError(
            "Positions in local metres are not georeferenced and cannot be placed on the earth: "
            "give their real coordinate system with --input-crs (for example a CGCS2000 Gauss-Krüger zone)."
        )
    return _convert(x, y, system, inverse=False)


def from_wgs84_lonlat(lon, lat, system) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 longitude/latitude into ``system``: the inverse of :func:`to_wgs84_lonlat` (offsets added back)."""
    return _convert(lon, lat, resolve_crs(system), inverse=True)


#: The published offsets: (to WGS84, from WGS84).
_OFFSETS = {"gcj02": (gcj02_to_wgs84, wgs84_to_gcj02), "bd09": (bd09_to_wgs84, wgs84_to_bd09)}


def _convert(a, b, system, inverse: bool) -> tuple[np.ndarray, np.ndarray]:
    """``system`` → WGS84 lon/lat, or back when ``inverse``: offsets by formula, the rest through pyproj."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if system.offset in _OFFSETS:
        return tuple(np.asarray(v, dtype=float) for v in _OFFSETS[system.offset][inverse](a, b))
    if system.crs == WGS84:
        return a.copy(), b.copy()
    move = transformer(WGS84, system.crs) if inverse else _transformer_to_wgs84(system.crs)
    c, d = move.transform(a, b)
    return np.asarray(c, dtype=float), np.asarray(d, dtype=float)


def valid_lonlat(lon, lat) -> np.ndarray:
    """True where a pair is a usable longitude/latitude: finite, |lon| ≤ 180, |lat| ≤ 90."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    return np.isfinite(lon) & np.isfinite(lat) & (np.abs(lon) <= 180.0) & (np.abs(lat) <= 90.0)


_CENTRE_SAMPLE = 100_000


def _centre(lon, lat) -> tuple[float, float]:
    """Median longitude/latitude of the valid points (robust to a few stray points)."""
    lon, lat = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    ok = valid_lonlat(lon, lat)
    if not ok.any():
        raise InputError("There are no valid longitude/latitude values to choose an analysis coordinate system from.")
    # Every k-th point is plenty for choosing a zone, and a million-point median costs tens of ms.
    step = max(1, int(ok.sum()) // _CENTRE_SAMPLE)
    return float(np.median(lon[ok][::step])), float(np.median(lat[ok][::step]))


def _utm_crs(lon: float, lat: float) -> pyproj.CRS:
    # Standard 6° zones; the Norway/Svalbard exceptions do not matter for China.
    zone = min(max(int(np.floor((lon + 180.0) / 6.0)) + 1, 1), 60)
    return pyproj.CRS.from_epsg((32600 if lat >= 0 else 32700) + zone)


def _gk3_crs(lon: float, lat: float) -> pyproj.CRS | None:
    """The CGCS2000 3° GK zone (no zone prefix) for the point, or None outside their range."""
    cm = 3 * int(np.floor(lon / 3.0 + 0.5))
    if not (_GK3_FIRST_CM <= cm <= _GK3_LAST_CM) or not bool(in_china(lon, lat)):
        return None
    return pyproj.CRS.from_epsg(_GK3_FIRST_CODE + (cm - _GK3_FIRST_CM) // 3)


def choose_analysis_crs(lon, lat, family: str = "cgcs2000") -> pyproj.CRS:
    """Choose the metric CRS for analysing data centred on (median lon, median lat).

    Parameters
    ----------
    lon, lat : array_like
        WGS84 degrees; invalid values are ignored.
    family : {"cgcs2000", "utm"}
        ``"cgcs2000"``: the CGCS2000 3-degree Gauss-Krüger zone whose central
        meridian is nearest the centre (EPSG:4534 CM 75°E … EPSG:4554 CM 135°E,
        false easting 500 km without zone prefix), the convention of Chinese
        public-security base maps; outside that range (or China's rough box)
        it falls back to UTM. ``"utm"``: the WGS84 UTM zone (EPSG:326xx north,
        327xx south).

    Returns
    -------
    pyproj.CRS

    Notes
    -----
    A county spans well under 1.5° of longitude, so a 3° zone keeps scale error
    below about 1e-4; the median centre keeps one stray point from moving the
    zone. CGCS2000 and WGS84 differ by centimetres, below incident accuracy.
    """
    centre_lon, centre_lat = _centre(lon, lat)
    family_key = str(family).strip().lower()
    if family_key == "utm":
        return _utm_crs(centre_lon, centre_lat)
    if family_key == "cgcs2000":
        gk3 = _gk3_crs(centre_lon, centre_lat)
        return gk3 if gk3 is not None else _utm_crs(centre_lon, centre_lat)
    raise InputError(f"Unknown analysis coordinate system family '{family}': use cgcs2000 or utm.")


def analysis_crs_from_setting(setting, lon, lat, family: str = "cgcs2000") -> pyproj.CRS:
    """The analysis CRS for a project setting.

    Parameters
    ----------
    setting : str, int, pyproj.CRS or None
        ``None``, ``""`` or ``"auto"``: chosen by :func:`choose_analysis_crs`.
        Anything else is resolved by :func:`resolve_crs` and must be a
        projected CRS in metres.
    lon, lat : array_like
        WGS84 degrees of the data, used only for ``"auto"``.
    family : str
        Passed to :func:`choose_analysis_crs` for ``"auto"``.

    Raises
    ------
    InputError
        Unknown CRS, or one that is not projected in metres.
    """
    if setting is None or (isinstance(setting, str) and setting.strip().lower() in ("", "auto")):
        return choose_analysis_crs(lon, lat, family=family)
    system = resolve_crs(setting)
    if system.offset is not None or not _is_metric_projected(system.crs):
        raise InputError(
            f"The analysis coordinate system must be projected in metres, and '{system.name}' is not: "
            "choose auto or a projected EPSG code such as EPSG:4544."
        )
    return system.crs


def _is_metric_projected(crs: pyproj.CRS) -> bool:
    return is_metric(crs)


def local_output_crs(to_crs) -> pyproj.CRS:
    """The output CRS for local-metres data: local metres for None, ``auto`` or ``local``; anything else is refused."""
    if to_crs is None or (isinstance(to_crs, str) and to_crs.strip().lower() in ("auto", "local")) or is_local(resolve_crs(to_crs).crs):
        return LOCAL_METRES
    raise InputError(
        "The positions are in local metres (not georeferenced), so they cannot be converted to "
        f"{resolve_crs(to_crs).name}: give the file's coordinate system with --input-crs."
    )


def analysis_crs_for(data, setting="auto", family: str = "cgcs2000") -> pyproj.CRS:
    """The analysis CRS for a layer's GeoDataFrame and a setting; local-metres data stay in their own system.

    Parameters
    ----------
    data : GeoDataFrame
        The layer (any CRS). Its centre in degrees chooses the zone for ``auto``.
    setting : str, optional
        As for :func:`analysis_crs_from_setting`; ``local`` is accepted for local data.

    Raises
    ------
    InputError
        A local layer with a georeferenced setting (there is no way from one to the other).
    """
    if is_local(data.crs):
        if setting is None or str(setting).strip().lower() in ("", "auto") or is_local(resolve_crs(setting).crs):
            return data.crs
        raise InputError(
            f"The data are in local metres (not georeferenced), so they cannot be analysed in {resolve_crs(setting).name}: "
            "use the analysis coordinate system auto, or give the data's own system with --input-crs."
        )
    # A point inside each feature, in degrees: enough to choose a zone, and no geometry is rebuilt.
    inside = data.geometry.values if data.geometry.geom_type.eq("Point").all() else data.geometry.representative_point().values
    coords = shapely.get_coordinates(inside)
    lon, lat = coords[:, 0], coords[:, 1]
    if data.crs is not None and not data.crs.equals(WGS84):
        lon, lat = transformer(data.crs, WGS84).transform(lon, lat)
    return analysis_crs_from_setting(setting, lon, lat, family=family)


# ----------------------------------------------------------------------------
# Data checks
# ----------------------------------------------------------------------------

def swapped_rows(x, y) -> np.ndarray:
    """Per row: does (x, y) read as (lat, lon) in China but not as (lon, lat)?

    Parameters
    ----------
    x, y : array_like
        The columns the user mapped to longitude and latitude.

    Returns
    -------
    numpy.ndarray of bool
        True when (lon=x, lat=y) is invalid or outside China's rough box while
        (lon=y, lat=x) falls inside it, e.g. x=31.09, y=105.09. NaN gives False.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    as_given = valid_lonlat(x, y) & in_china(x, y)
    as_swapped = in_china(y, x)
    return ~as_given & as_swapped


def looks_swapped(x, y, share: float = 0.9) -> bool:
    """Decide for a whole column pair whether longitude and latitude are swapped.

    Parameters
    ----------
    x, y : array_like
        The columns mapped to longitude and latitude.
    share : float
        Fraction of the rows with finite values that must look swapped
        (default 0.9, so a few bad rows do not decide either way).

    Returns
    -------
    bool
        False when no row has finite values.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    finite = np.isfinite(x) & np.isfinite(y)
    n = int(finite.sum())
    if n == 0:
        return False
    return bool(swapped_rows(x[finite], y[finite]).sum() >= share * n)


#: Same as :func:`looks_swapped`, under the name used in the design notes.
detect_swapped_lonlat = looks_swapped


#: Cell grids up to this many cells (128 MB of counts) are counted densely.
_DENSE_CELLS = 16_000_000


def find_location_outliers(x_m, y_m, n_sd: float = 3.0, resolution: float = 100.0, floor_m: float = 1000.0) -> np.ndarray:
    """Flag locational outliers: points unusually far from their nearest neighbour.

    Parameters
    ----------
    x_m, y_m : array_like
        Metric coordinates (a projected CRS).
    n_sd : float
        A point is an outlier when its nearest-neighbour distance exceeds the
        mean nearest-neighbour distance by more than ``n_sd`` standard deviations.
    resolution : float
        Points are snapped to cells of this size (metres) before neighbours are
        found, so a million points cost a tree over the occupied cells only;
        distances are exact to within one cell diagonal.
    floor_m : float
        A point is flagged only if it is also at least this far from every
        other point.

    Returns
    -------
    numpy.ndarray of bool
        NaN rows are False; with fewer than three finite points nothing is flagged.

    Notes
    -----
    This is the locational-outlier rule of ArcGIS Optimized Hot Spot Analysis
    (points more than 3 standard deviations out on nearest-neighbour
    distance). Unlike a distance-from-centre rule it does not flag whole
    townships of a county whose cases sit far from the county seat but close
    to each other; it flags a case geocoded to another city, or a lone point
    far from every other. The floor (1 km by default) is ours: in a dense
    cloud of a million points the nearest-neighbour distances of the fringe
    points exceed mean + 3 SD by a few tens of metres, and flagging thousands
    of ordinary points would bury the real errors. It means "check this",
    not "drop this".
    """
    from scipy.spatial import cKDTree

    x = np.asarray(x_m, dtype=float)
    y = np.asarray(y_m, dtype=float)
    x, y = np.broadcast_arrays(x, y)
    flags = np.zeros(x.shape, dtype=bool)
    ok = np.isfinite(x) & np.isfinite(y)
    n = int(ok.sum())
    if n < 3:
        return flags
    if n < len(ok):
        x, y = x[ok], y[ok]
    col = np.floor(x / resolution).astype(np.int64)
    row = np.floor(y / resolution).astype(np.int64)
    col -= col.min()
    row -= row.min()
    width = int(col.max()) + 1
    cells = width * (int(row.max()) + 1)
    key = row
    key *= width
    key += col
    if cells <= _DENSE_CELLS:  # a county at 100 m: count into a dense grid, no hashing
        counts = np.bincount(key, minlength=cells)
        keys = np.flatnonzero(counts)
        counts = counts[keys]
    else:  # a province or a stray point far away: group by hashing, not sorting
        which, keys = pd.factorize(key)
        counts = np.bincount(which)
    if len(keys) < 2:
        return flags
    centres = (np.column_stack([keys % width, keys // width]) + 0.5) * resolution
    distance, _ = cKDTree(centres).query(centres, k=2)
    # A point sharing its cell has a neighbour within one cell (distance 0 here); a point
    # alone has the nearest other cell. The mean and spread over points are taken per cell,
    # weighted by its points, so that no per-point array is built for them.
    alone = counts == 1
    lonely = distance[alone, 1]
    mean = lonely.sum() / n
    spread = np.sqrt(max((lonely**2).sum() / n - mean**2, 0.0))
    if spread == 0.0:
        return flags
    far_keys = keys[alone][lonely > max(mean + n_sd * spread, floor_m)]
    if len(far_keys):
        flags[np.flatnonzero(ok)[np.isin(key, far_keys)]] = True
    return flags


def is_local_crs(crs) -> bool:
    """Whether ``crs`` is a local (engineering) system: metres with no place on the earth.

    QGIS and ArcGIS read a file with no coordinate system whose values are not
    degrees this way; analyses can run in it, but nothing can be reprojected.
    """
    return bool(getattr(crs, "is_engineering", False))
