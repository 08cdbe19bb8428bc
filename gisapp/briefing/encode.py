"""Compact, script-safe encodings of layers for the briefing page.

Sizes matter (100,000 incidents must fit in a few megabytes), so geometry is
not written as GeoJSON but as quantised integers: longitude and latitude are
rounded to 1e-5 degree (about 1 m, finer than any police geocoding) and
stored as offsets from the layer's south-west corner, with the ragged-array
offsets of ``shapely.to_ragged_array``. ``briefing.js`` decodes them.

Text is never put into HTML here: it travels as JSON strings and the page
inserts it with ``textContent``. :func:`script_json` escapes ``<``, ``>``
and ``&`` so that no value can close the ``<script>`` element it sits in.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import shapely

#: Quantisation: 1e-5 degree, about 1.1 m north-south.
SCALE = 100_000

_SCRIPT_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(value) -> str:
    """JSON that is safe inside an HTML ``<script>`` element (no ``</script>``, no ``<!--``)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).translate(_SCRIPT_UNSAFE)


def clean(value):
    """A JSON-ready scalar: NaN/NaT/None -> None, numpy -> Python, timestamps -> text."""
    if value is None:
        return None
    if isinstance(value, (float, np.floating)):
        return None if not math.isfinite(value) else float(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.strftime("%Y-%m-%d %H:%M")
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def quantise(lon: np.ndarray, lat: np.ndarray) -> tuple[list[float], np.ndarray, np.ndarray]:
    """Integer offsets from the south-west corner, and that corner."""
    lon0 = math.floor(float(np.nanmin(lon)) * SCALE) / SCALE
    lat0 = math.floor(float(np.nanmin(lat)) * SCALE) / SCALE
    qx = np.rint((lon - lon0) * SCALE).astype(np.int64)
    qy = np.rint((lat - lat0) * SCALE).astype(np.int64)
    return [lon0, lat0], qx, qy


def encode_geometries(geometries) -> dict:
    """Lines or polygons (WGS84) as ``{"type", "origin", "coords", "offsets"}``.

    ``coords`` interleaves x and y offsets; ``offsets`` are shapely's ragged-array
    offsets (for polygons: rings, then parts; for multi-geometries one level more).
    """
    geometries = np.asarray(geometries, dtype=object)
    geometry_type, coords, offsets = shapely.to_ragged_array(geometries)
    origin, qx, qy = quantise(coords[:, 0], coords[:, 1])
    flat = np.empty(2 * len(qx), dtype=np.int64)
    flat[0::2], flat[1::2] = qx, qy
    return {
        "type": geometry_type.name,
        "origin": origin,
        "scale": SCALE,
        "coords": flat.tolist(),
        "offsets": [o.tolist() for o in offsets],
    }


def encode_points(lon: np.ndarray, lat: np.ndarray) -> dict:
    origin, qx, qy = quantise(lon, lat)
    return {"origin": origin, "scale": SCALE, "x": qx.tolist(), "y": qy.tolist()}


def encode_column(values: pd.Series) -> dict:
    """A column as dictionary codes (few distinct values) or plain text; missing -> code -1 / null."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return encode_times(values)
    return _dictionary_or_text(values)


def encode_times(values: pd.Series) -> dict:
    """Naive local times as whole minutes after the earliest one (-1 for missing)."""
    times = pd.DatetimeIndex(values)
    valid = ~times.isna()
    if not valid.any():
        return {"codes": [-1] * len(values), "values": []}
    start = times[valid].min().floor("min")
    minutes = np.full(len(times), -1, dtype=np.int64)
    minutes[valid] = ((times[valid] - start) // pd.Timedelta(minutes=1)).to_numpy()
    return {"start": [start.year, start.month, start.day, start.hour, start.minute], "minutes": minutes.tolist()}


def _dictionary_or_text(values: pd.Series) -> dict:
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    if len(uniques) <= max(64, len(values) // 4):
        return {"codes": codes.tolist(), "values": [str(clean(u)) for u in uniques]}
    return {"text": [None if clean(v) is None else str(v) for v in values]}
