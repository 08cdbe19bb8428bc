"""Offline address matching (地址匹配): place rows that have only an address.

Entry points
------------
:func:`build_gazetteer`
    The gazetteer from a project's or GeoPackage's layers (standard addresses,
    roads, areas, grids, named points) and an optional extra file.
:func:`geocode_frame`
    Place the rows of a table by their address; returns the placed rows and
    a report of the others (row numbers and reasons).
:func:`match_frame`
    The same, keeping the unplaced rows (empty geometry), as ``gisapp geocode`` writes them.
:func:`run_geocode`
    The ``geocode`` method's runner (:mod:`.methods`).

The levels (门牌, 门牌插值, 交叉口, 道路, 地点, 网格, 乡镇) are in :mod:`.levels`;
how names are compared in :mod:`.names`; the learned corrections in :mod:`.aliases`.
"""

from __future__ import annotations

from .levels import ALL_LEVELS, DEFAULT_MIN_LEVEL, LEVELS, REASONS

__all__ = ["ALL_LEVELS", "DEFAULT_MIN_LEVEL", "LEVELS", "REASONS", "build_gazetteer", "geocode_frame", "match_frame", "run_geocode"]


def __getattr__(name: str):
    # The entry points load numpy, pandas and geopandas: only when used.
    if name == "build_gazetteer":
        from .gazetteer import build_gazetteer

        return build_gazetteer
    if name in ("geocode_frame", "match_frame"):
        from . import frame

        return getattr(frame, name)
    if name == "run_geocode":
        from .run import run_geocode

        return run_geocode
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
