"""Cached, per-thread pyproj transformers, with a fast path between WGS84 and CGCS2000."""

from __future__ import annotations

import functools
import threading

import pyproj


def transformer(source: pyproj.CRS, target: pyproj.CRS) -> pyproj.Transformer:
    """A cached transformer for this thread.

    pyproj transformers belong to the PROJ context of the thread that built
    them and must not be used from another (the GUI runs analyses in worker
    threads), so the cache is keyed by thread as well.
    """
    return _transformer(source, target, threading.get_ident())


@functools.lru_cache(maxsize=64)
def _transformer(source: pyproj.CRS, target: pyproj.CRS, thread: int) -> pyproj.Transformer:
    if _is_cgcs2000(target):
        source = _shortcut(source)
    elif _is_cgcs2000(source):
        target = _shortcut(target)
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


_WGS84_NAME, _CGCS2000_NAME = "WGS 84", "China Geodetic Coordinate System 2000"


def _is_cgcs2000(crs: pyproj.CRS) -> bool:
    geodetic = crs.geodetic_crs
    return geodetic is not None and geodetic.name == _CGCS2000_NAME


def _shortcut(crs: pyproj.CRS) -> pyproj.CRS:
    """CGCS2000 lon/lat in place of WGS84 lon/lat, when the other side is on CGCS2000.

    EPSG has no transformation between the two datums, so PROJ searches its
    database (about 0.1 s for each new pair and thread) and then applies a
    null "ballpark" shift: the pipeline is the same as from CGCS2000 itself,
    which PROJ builds in a few milliseconds. ``tests/layers/test_reproject.py``
    checks that the two pipelines stay identical.
    """
    if crs.name == _WGS84_NAME and crs.is_geographic and len(crs.axis_info) == 2:
        return pyproj.CRS.from_epsg(4490)
    return crs
