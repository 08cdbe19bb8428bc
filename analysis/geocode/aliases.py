"""Learned aliases: the analyst's corrections, reused the next time the same address text appears.

When the analyst places a row by hand in the review table (a candidate picked,
or a click on the map), the address text, normalised as the matcher reads it
(:func:`.text.clean`), is stored with the position and what it stands for.
The table lives in the project's JSON document (``geocode_aliases`` in
:mod:`gisapp.layers.project`) with a version of its own::

    {"version": 1, "entries": {"西街4巷21号": {"lon": 105.07, "lat": 31.08, "level": "门牌",
                                              "match": "西街4巷21号", "address": "西街四巷21号附近",
                                              "saved": "2025-06-01T10:00:00"}}}

Positions are kept in WGS84 longitude/latitude, so a project whose analysis
CRS changes keeps its corrections. The matcher tries them before anything else.
"""

from __future__ import annotations

import datetime as _dt

from gisapp.layers.errors import InputError

from .levels import LEVELS
from .text import clean

VERSION = 1


def empty_table() -> dict:
    return {"version": VERSION, "entries": {}}


def checked(table: dict | None) -> dict:
    """``table`` if it is one this gisapp reads (an empty one for None); a newer version is refused."""
    if not table:
        return empty_table()
    version = table.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise InputError(f"The project's learned addresses have version {version!r}; this gisapp reads up to {VERSION}: update gisapp.")
    entries = table.get("entries")
    if not isinstance(entries, dict):
        raise InputError("The project's learned addresses are damaged (no entries); remove them or restore the project.")
    return table


def learn(table: dict | None, address: str, lon: float, lat: float, level: str, match: str = "") -> dict:
    """A copy of ``table`` with ``address`` placed at ``lon``, ``lat`` (WGS84) as ``level``."""
    text = clean(address)[0]
    if not text:
        raise InputError("An empty address cannot be learned.")
    if level not in LEVELS:
        raise InputError(f"A learned address must have one of the levels {', '.join(LEVELS)}; got {level!r}.")
    if not (-180 <= float(lon) <= 180 and -90 <= float(lat) <= 90):
        raise InputError(f"A learned position must be longitude/latitude; got {lon}, {lat}.")
    table = checked(table)
    entries = dict(table["entries"])
    entries[text] = {"lon": round(float(lon), 7), "lat": round(float(lat), 7), "level": level, "match": str(match),
                     "address": str(address)[:200], "saved": _dt.datetime.now().replace(microsecond=0).isoformat()}
    return {**table, "version": VERSION, "entries": entries}


def forget(table: dict | None, address: str) -> dict:
    table = checked(table)
    entries = {k: v for k, v in table["entries"].items() if k != clean(address)[0]}
    return {**table, "entries": entries}


def in_crs(table: dict | None, crs) -> dict:
    """``{normalised text: {"x", "y", "level", "match"}}`` with positions in ``crs`` (what the matcher reads)."""
    entries = checked(table)["entries"]
    if not entries or crs is None:
        return {}
    import numpy as np
    import pyproj

    from gisapp.layers.transformers import transformer

    texts = list(entries)
    lon = np.array([entries[t]["lon"] for t in texts], dtype=float)
    lat = np.array([entries[t]["lat"] for t in texts], dtype=float)
    x, y = transformer(pyproj.CRS.from_epsg(4326), pyproj.CRS.from_user_input(crs)).transform(lon, lat)
    return {t: {"x": float(px), "y": float(py), "level": entries[t]["level"], "match": entries[t].get("match", "")}
            for t, px, py in zip(texts, x, y)}
