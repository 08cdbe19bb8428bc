"""Are the positions where they can be? One check for every format, after the coordinate system is applied.

Positions are checked in WGS84 degrees:

* finite and within ±180° / ±90° (1e308, Infinity and latitude 95 are rejected per row);
* inside the coordinate system's area of use (pyproj's, widened by a margin,
  since a county at a zone's edge is often mapped in the neighbouring zone);
* inside China, for Chinese data (Chinese headers or categories, or most
  points in China already).

When most positions fail, the whole file is refused with one sentence that
says where the points landed and what to try: a wrong axis order or zone
moves every point together, and loading the few that happen to land inside
would be worse than loading none. A few stray rows are rejected one by one.
"""

from __future__ import annotations

import re

import numpy as np
import pyproj

from ..crs import CoordinateSystem, valid_lonlat
from ..errors import InputError
from ..offsets import in_china
from ..report import LoadReport

#: Degrees an area of use is widened by.
MARGIN_DEG = 1.5
#: Above this share of positions outside, the file is refused rather than rows rejected.
REFUSE_SHARE = 0.5
_CJK = re.compile(r"[\u4e00-\u9fff]")


def is_chinese(headers, values=None) -> bool:
    """Chinese headers, or Chinese text in a sample of ``values`` (categories)."""
    if any(_CJK.search(str(h)) for h in headers):
        return True
    if values is not None:
        sample = values.dropna().head(200).astype(str)
        return bool(sample.map(lambda v: bool(_CJK.search(v))).mean() > 0.5) if len(sample) else False
    return False


def area_of_use(crs: pyproj.CRS) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) in degrees, or None for a system that covers the world or has none."""
    area = crs.area_of_use
    if area is None:
        return None
    west, south, east, north = area.bounds
    if east - west >= 359 and north - south >= 179:
        return None
    return west, south, east, north


def check_positions(lon, lat, rows, system: CoordinateSystem, chinese: bool, report: LoadReport, name: str) -> np.ndarray:
    """Reject implausible positions per row, or refuse the file; return the mask of rejected rows.

    Parameters
    ----------
    lon, lat : ndarray
        WGS84 degrees of the rows still kept (NaN/inf allowed: they are rejected).
    rows : ndarray of int
        Their 1-based row numbers.
    system : CoordinateSystem
        The system the values were read in (its area of use applies).
    chinese : bool
        Whether the data are Chinese, so must lie in China.
    report : LoadReport
    name : str
        File name, for the refusal.
    """
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    bad = ~valid_lonlat(lon, lat)
    for row, a, b in zip(rows[bad], lon[bad], lat[bad]):
        report.reject([row], f"position out of range (longitude {a:g}, latitude {b:g})", "bad_coordinates")
    ok = ~bad
    if not ok.any():
        return bad
    area = None if system.offset else area_of_use(system.crs)
    inside = np.ones(len(lon), dtype=bool)
    if area is not None:
        west, south, east, north = area
        inside &= (lon >= west - MARGIN_DEG) & (lon <= east + MARGIN_DEG) & (lat >= south - MARGIN_DEG) & (lat <= north + MARGIN_DEG)
    china = in_china(lon, lat)
    chinese = chinese or bool(china[ok].mean() > 0.5)
    if chinese:
        inside &= china
    outside = ok & ~inside
    if not outside.any():
        return bad
    if outside.sum() > REFUSE_SHARE * ok.sum():
        raise InputError(_refusal(lon[outside], lat[outside], int(outside.sum()), int(ok.sum()), system, area, chinese, name))
    where = f"the area of {system.name}" if area is not None else "China"
    for row, a, b in zip(rows[outside], lon[outside], lat[outside]):
        report.reject([row], f"position outside {where} (longitude {a:.5f}, latitude {b:.5f})", "outside_area")
    return bad | outside


def _refusal(lon, lat, n_out: int, n: int, system: CoordinateSystem, area, chinese: bool, name: str) -> str:
    centre_lon, centre_lat = float(np.median(lon)), float(np.median(lat))
    where = f"{abs(centre_lon):.2f}°{'E' if centre_lon >= 0 else 'W'}, {abs(centre_lat):.2f}°{'N' if centre_lat >= 0 else 'S'}"
    limits = []
    if area is not None:
        west, south, east, north = area
        limits.append(f"the area of {system.name} ({west:g}–{east:g}°E, {south:g}–{north:g}°N)")
    if chinese:
        limits.append("China")
    tries = "swapping the X and Y columns (--map x=… --map y=…), "
    tries += "another zone or coordinate system (--input-crs EPSG:…)" if system.crs.is_projected else "--input-crs gcj02, bd09 or a projected EPSG code"
    return (
        f"{n_out:,} of the {n:,} positions in {name} land around {where}, outside {' and '.join(limits)}, "
        f"when read as {system.name}: try {tries}."
    )
