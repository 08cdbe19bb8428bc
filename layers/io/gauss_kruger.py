"""Chinese Gauss-Krüger metres: surveying axis order and zone prefixes, read from the values.

Chinese surveying writes ``X`` for the northing and ``Y`` for the easting, the
other way round from GIS. The two are told apart by their size: a northing
in China has 7 digits (2,000,000–6,000,000 m from the equator), an easting 6
(500,000 m at the central meridian), or 8 when the zone number is written in
front of it (``35508000`` is 508,000 m in zone 35). The zone number tells
the zone's width: 13–23 are 6° zones (central meridian 6n − 3), 25–45 are 3°
zones (central meridian 3n). They map onto the CGCS2000 systems:

===================  ==========================  =============================
zone prefix          EPSG (with prefix)          EPSG (without, same meridian)
===================  ==========================  =============================
6° zones 13–23       4491–4501                   4502–4512
3° zones 25–45       4513–4533                   4534–4554
===================  ==========================  =============================

Xian 1980 and Beijing 1954 use the same layout with other codes; without a
coordinate system given, CGCS2000 is assumed and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyproj

from ..errors import InputError

SIX_DEGREE_ZONES = range(13, 24)
THREE_DEGREE_ZONES = range(25, 46)


@dataclass(frozen=True)
class Reading:
    """What the values say: the axis order and the zone, when they look like Gauss-Krüger metres.

    Attributes
    ----------
    surveying : bool
        The column mapped to x holds northings (X = northing): swap them.
    prefix_zone : int or None
        The zone number written in front of the eastings.
    """

    surveying: bool
    prefix_zone: int | None

    @property
    def zone_width(self) -> int | None:
        if self.prefix_zone is None:
            return None
        return 6 if self.prefix_zone in SIX_DEGREE_ZONES else 3

    @property
    def central_meridian(self) -> float | None:
        if self.prefix_zone is None:
            return None
        return 6.0 * self.prefix_zone - 3.0 if self.zone_width == 6 else 3.0 * self.prefix_zone

    def crs(self) -> pyproj.CRS | None:
        """The CGCS2000 system of the prefixed zone (None without a prefix: the zone is unknown)."""
        if self.prefix_zone is None:
            return None
        first = 4491 - 13 if self.zone_width == 6 else 4513 - 25
        return pyproj.CRS.from_epsg(first + self.prefix_zone)


def _shape(values: np.ndarray) -> str:
    """``northing``, ``easting``, ``prefixed`` or ``other`` for the median of a column of metres."""
    finite = values[np.isfinite(values)]
    if not len(finite):
        return "other"
    step = max(1, len(finite) // 100_000)  # a sample decides the column's shape as well as a million values
    median = float(np.median(np.abs(finite[::step])))
    if 1e7 <= median < 1e8:
        zone, easting = divmod(median, 1e6)
        if (int(zone) in SIX_DEGREE_ZONES or int(zone) in THREE_DEGREE_ZONES) and 1e5 <= easting < 9e5:
            return "prefixed"
        return "other"
    if 1e6 <= median < 1e7:
        return "northing"
    if 1e5 <= median < 1e6:
        return "easting"
    return "other"


def read_values(x: np.ndarray, y: np.ndarray) -> Reading | None:
    """The Gauss-Krüger reading of a column pair, or None when it does not look like one.

    Parameters
    ----------
    x, y : ndarray of float
        The columns mapped to x and y (by header name: ``X坐标``/``Y坐标`` or ``东坐标``/``北坐标``).
    """
    shapes = _shape(x), _shape(y)
    if shapes[0] in ("easting", "prefixed") and shapes[1] == "northing":
        easting, surveying = x, False
    elif shapes[0] == "northing" and shapes[1] in ("easting", "prefixed"):
        easting, surveying = y, True
    elif shapes == ("prefixed", "easting"):  # a northing under 1,000 km (south of 9°N): the prefix still tells
        easting, surveying = x, False
    elif shapes == ("easting", "prefixed"):
        easting, surveying = y, True
    else:
        return None
    zone = None
    if "prefixed" in shapes:
        finite = easting[np.isfinite(easting)]
        zone = int(np.median(finite) // 1e6)
    return Reading(surveying, zone)


def prefix_zones(easting: np.ndarray) -> np.ndarray:
    """The zone number in front of each easting (0 where there is none)."""
    zones = np.floor_divide(np.nan_to_num(easting, nan=0.0), 1e6)
    return np.where(easting >= 1e7, zones, 0).astype(int)


def transverse_mercator(crs: pyproj.CRS) -> tuple[float, float] | None:
    """(central meridian, false easting) of a Transverse Mercator CRS, else None."""
    operation = crs.coordinate_operation if crs.is_projected else None
    if operation is None or "transverse mercator" not in operation.method_name.lower():
        return None
    params = {p.name.lower(): p.value for p in operation.params}
    return params.get("longitude of natural origin"), params.get("false easting")


def reconcile(reading: Reading, crs: pyproj.CRS, name: str, crs_label: str) -> float:
    """Check a zone prefix in the values against a given Gauss-Krüger CRS; return the easting offset to remove.

    Parameters
    ----------
    reading : Reading
    crs : pyproj.CRS
        The file's system (its ``.prj``, or ``--input-crs``).
    name : str
        File name, for messages.
    crs_label : str
        How the user gave it (``its .prj``, ``--input-crs``), for messages.

    Returns
    -------
    float
        What to subtract from the eastings: the prefix (zone × 1,000,000) when
        the CRS names the same central meridian without it, else 0.

    Raises
    ------
    InputError
        When the prefix names a zone the CRS is not (one sentence naming both).
    """
    tm = transverse_mercator(crs)
    if tm is None:
        return 0.0
    meridian, false_easting = tm
    crs_zone = int(false_easting // 1e6) if false_easting and false_easting >= 1e6 else None
    code = crs.to_epsg() or crs.name
    if reading.prefix_zone is None:
        if crs_zone is not None:
            raise InputError(
                f"The eastings in {name} have no zone number in front, but {crs_label} ({code}) expects zone {crs_zone} "
                f"written in front of them: use the system without zone prefix for central meridian {meridian:g}°E instead."
            )
        return 0.0
    if crs_zone is not None:
        if crs_zone != reading.prefix_zone:
            raise InputError(
                f"The eastings in {name} carry zone number {reading.prefix_zone} but {crs_label} ({code}) is zone {crs_zone}: "
                f"one of them is wrong; give the right system with --input-crs (zone {reading.prefix_zone} is "
                f"EPSG:{reading.crs().to_epsg()} in CGCS2000)."
            )
        return 0.0
    if meridian is not None and abs(meridian - reading.central_meridian) < 1e-6:
        return reading.prefix_zone * 1e6
    raise InputError(
        f"The eastings in {name} carry zone number {reading.prefix_zone} (central meridian {reading.central_meridian:g}°E), "
        f"but {crs_label} ({code}) has central meridian {meridian:g}°E: give the right system with --input-crs "
        f"(zone {reading.prefix_zone} is EPSG:{reading.crs().to_epsg()} in CGCS2000)."
    )
