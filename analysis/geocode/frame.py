"""Placing the rows of a table by their address: the per-row columns and the report.

:func:`geocode_frame` is the entry point the import pipeline and every
analysis command use for the rows that have no usable coordinates;
:func:`match_frame` is the same, keeping the rows left unplaced (the
``gisapp geocode`` result and the review table show them).

Columns added to every row
--------------------------
``geocode_level``
    门牌, 门牌插值, 交叉口, 道路, 地点, 网格, 乡镇 or 未匹配 (and 坐标 for rows
    that kept their own coordinates, set by the caller).
``geocode_score``
    0-100, the confidence in the text match (100 exact; the similarity of an
    approximate name; see :mod:`.match`).
``geocode_match``
    The gazetteer text matched.
``geocode_note``
    Qualifiers (附近, 对面, 东侧50米), the interpolation span, the road's
    extent, ambiguity, or why the row was not placed.
``geocode_reason``
    Why the row is not placed (a code of :data:`.levels.REASONS`), '' when placed.
``geocode_radius_m``
    How far the true place may be from the point: half the road's length, the
    place's radius, half the interpolation span; 0 for a door plate.
``geocode_candidates``
    For an unplaced row, JSON list of ``{"match", "level", "x", "y"}`` (in the
    layer's CRS): the candidates of an ambiguous name, or what was found below
    the least precise level placed; for the review table. '' otherwise.
"""

from __future__ import annotations

import json
from collections import Counter

import geopandas as gpd
import numpy as np
import pandas as pd

from gisapp.analysis.core.result import report as progress_report

from .columns import incident_address_column
from .levels import ALL_LEVELS, COORDINATES, DEFAULT_MIN_LEVEL, REASONS, UNMATCHED, counts_as_located
from .match import Matcher
from .methods import DEFAULT_MIN_SCORE

COLUMNS = ("geocode_level", "geocode_score", "geocode_match", "geocode_note", "geocode_reason", "geocode_radius_m", "geocode_candidates")
#: Rows between progress reports (and cancel checks).
STEP = 2000


def _settings(params) -> tuple[str, float]:
    if params is None:
        return DEFAULT_MIN_LEVEL, DEFAULT_MIN_SCORE
    get = params.get if isinstance(params, dict) else lambda name, default: getattr(params, name, default)
    return get("min_level", DEFAULT_MIN_LEVEL) or DEFAULT_MIN_LEVEL, float(get("min_score", DEFAULT_MIN_SCORE) or DEFAULT_MIN_SCORE)


def match_frame(frame: pd.DataFrame, gazetteer, params=None, address_column: str | None = None, row_numbers=None,
                progress=None, cancelled=None) -> tuple[gpd.GeoDataFrame, dict]:
    """Match every row of ``frame``; unplaced rows keep an empty geometry.

    Parameters
    ----------
    frame : DataFrame
        Rows to place, with an address column.
    gazetteer : Gazetteer
        From :func:`gisapp.analysis.geocode.build_gazetteer`.
    params : GeocodeParams or dict, optional
        ``min_level`` (default 门牌插值) and ``min_score`` (default 85).
    address_column : str, optional
        Detected (发案地址, 发案地点, 地址, address, ...) when None.
    row_numbers : sequence of int, optional
        The rows' numbers as the user reads them (for the report); 1..n by default.
    progress, cancelled : callables, optional
        ``progress(fraction, message)`` and the cancel check, honoured every 2,000 rows.

    Returns
    -------
    (GeoDataFrame, dict)
        Every row with the columns of the module docstring, in the gazetteer's
        CRS, and the report (:func:`report_of`).
    """
    min_level, min_score = _settings(params)
    column = incident_address_column(list(frame.columns), address_column)
    matcher = Matcher(gazetteer, min_score)
    texts = frame[column].to_numpy(dtype=object)
    seen: dict = {}
    results = []
    for start in range(0, len(texts), STEP):
        progress_report(progress, cancelled, start / max(1, len(texts)), f"地址匹配 {start:,}/{len(texts):,}")
        for text in texts[start: start + STEP]:
            text_key = text if isinstance(text, str) else ("" if text is None or pd.isna(text) else str(text))
            found = seen.get(text_key)
            if found is None:
                found = seen[text_key] = matcher.match(text_key)
            results.append(found)
    out = _with_columns(frame, results, min_level, gazetteer.crs)
    rows = np.arange(1, len(frame) + 1) if row_numbers is None else np.asarray(row_numbers)
    return out, report_of(out, rows, column, min_level, gazetteer)


def geocode_frame(frame: pd.DataFrame, gazetteer, params=None, address_column: str | None = None, row_numbers=None,
                  progress=None, cancelled=None) -> tuple[gpd.GeoDataFrame, dict]:
    """Place the rows of ``frame`` that match at ``min_level`` or better.

    The entry point for rows without usable coordinates (an import's rejected
    rows, ``--geocode`` on an analysis): same arguments as :func:`match_frame`.

    Returns
    -------
    (GeoDataFrame, dict)
        The placed rows only (their index is ``frame``'s), with the
        ``geocode_*`` columns, in the gazetteer's CRS; and the report, whose
        ``rows`` list every row left out with its number and reason.
    """
    out, report = match_frame(frame, gazetteer, params, address_column, row_numbers, progress, cancelled)
    return out[out.geometry.notna()], report


def _with_columns(frame: pd.DataFrame, results: list, min_level: str, crs) -> gpd.GeoDataFrame:
    placed = np.array([counts_as_located(r.level, min_level) and r.x is not None for r in results], dtype=bool)
    x = np.array([r.x if p else np.nan for r, p in zip(results, placed)], dtype=float)
    y = np.array([r.y if p else np.nan for r, p in zip(results, placed)], dtype=float)
    geometry = gpd.points_from_xy(x, y)
    geometry[~placed] = None
    data = pd.DataFrame(frame).drop(columns=[c for c in COLUMNS if c in frame.columns])
    if isinstance(data, gpd.GeoDataFrame) or "geometry" in data.columns:
        data = pd.DataFrame(data.drop(columns="geometry"))
    reasons = [r.reason or ("" if p else "below_min_level") for r, p in zip(results, placed)]
    added = pd.DataFrame({
        "geocode_level": [r.level for r in results],
        "geocode_score": [round(float(r.score), 1) for r in results],
        "geocode_match": [r.match for r in results],
        "geocode_note": [r.note for r in results],
        "geocode_reason": reasons,
        "geocode_radius_m": [round(float(r.radius), 1) for r in results],
        "geocode_candidates": ["" if p else _candidates(r) for r, p in zip(results, placed)],
    }, index=data.index)
    return gpd.GeoDataFrame(pd.concat([data, added], axis=1), geometry=gpd.GeoSeries(geometry, index=data.index, crs=crs), crs=crs)


def _candidates(found) -> str:
    listed = list(found.candidates)
    if not listed and found.level != UNMATCHED and found.x is not None:
        listed = [{"match": found.match, "level": found.level, "x": found.x, "y": found.y}]  # what the review can accept
    return json.dumps([{**c, "x": round(float(c["x"]), 2), "y": round(float(c["y"]), 2)} for c in listed], ensure_ascii=False) if listed else ""


def report_of(out: gpd.GeoDataFrame, rows: np.ndarray, column: str, min_level: str, gazetteer=None) -> dict:
    """The JSON-ready report of a matched table.

    Keys: ``rows_read``, ``matched`` (placed), ``levels`` (rows per
    ``geocode_level``, every level listed), ``unmatched`` (rows not placed per
    reason code), ``rows`` (each unplaced row: ``row``, ``address``,
    ``reason``, ``level``, ``note``), ``min_level``, ``address_column`` and the
    gazetteer's counts, rejects and duplicates.
    """
    levels = Counter(out["geocode_level"])
    unplaced = out.geometry.isna().to_numpy()
    reasons = Counter(out["geocode_reason"][unplaced])
    addresses = out[column].astype("string").fillna("").to_numpy(dtype=object)
    listed = [
        {"row": int(row), "address": str(address)[:200], "reason": reason, "level": level, "note": note}
        for row, address, reason, level, note in zip(
            rows[unplaced], addresses[unplaced], out["geocode_reason"][unplaced], out["geocode_level"][unplaced], out["geocode_note"][unplaced])
    ]
    report = {
        "rows_read": int(len(out)),
        "matched": int((~unplaced).sum()),
        "levels": {level: int(levels.get(level, 0)) for level in ALL_LEVELS},
        "unmatched": {reason: int(n) for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1])},
        "rows": listed,
        "min_level": min_level,
        "address_column": column,
        "reasons": {code: {"zh": zh, "en": en} for code, (zh, en) in REASONS.items() if code in reasons},
    }
    if gazetteer is not None:
        report["gazetteer"] = {**gazetteer.summary(), "rejects": [p.to_dict() for p in gazetteer.rejects[:1000]],
                               "duplicates": gazetteer.duplicates[:1000], "warnings": list(gazetteer.warnings)}
    return report


__all__ = ["COLUMNS", "COORDINATES", "geocode_frame", "match_frame", "report_of"]
