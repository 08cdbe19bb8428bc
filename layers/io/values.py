"""Normalise Chinese field values onto the canonical vocabulary (球机 → dome, 离线 → offline)."""

from __future__ import annotations

import pandas as pd

CAMERA_KINDS = {
    "球机": "dome", "球型": "dome", "球形": "dome", "dome": "dome", "ptz": "dome",
    "枪机": "fixed", "枪型": "fixed", "固定": "fixed", "半球": "fixed", "fixed": "fixed", "bullet": "fixed",
    "卡口": "checkpoint", "卡口相机": "checkpoint", "治安卡口": "checkpoint", "checkpoint": "checkpoint",
}
CAMERA_STATUS = {
    "在线": "online", "正常": "online", "online": "online", "1": "online",
    "离线": "offline", "故障": "offline", "停用": "offline", "offline": "offline", "0": "offline",
}
NUMERIC_COLUMNS = {
    "grids": ("population",),
    "cameras": ("heading_deg", "fov_deg", "range_m"),
}
VOCABULARIES = {"cameras": {"kind": CAMERA_KINDS, "status": CAMERA_STATUS}}


def normalise_values(kind: str, frame: pd.DataFrame) -> list[str]:
    """Convert canonical columns of ``frame`` in place; return notes on values that could not be read.

    Unknown vocabulary is kept as written (an analysis may still use it), and
    unreadable numbers become NaN so the analysis applies its documented default.
    """
    notes = []
    for column in NUMERIC_COLUMNS.get(kind, ()):
        if column in frame:
            raw = frame[column]
            numbers = pd.to_numeric(raw, errors="coerce")
            unreadable = int((raw.notna() & numbers.isna()).sum())
            if unreadable:
                notes.append(f"{unreadable} values of {column} are not numbers and were left empty.")
            frame[column] = numbers.astype("float64")
    for column, vocabulary in VOCABULARIES.get(kind, {}).items():
        if column in frame:
            text = frame[column].astype("string").str.strip()
            frame[column] = text.str.lower().map(lambda v: vocabulary.get(v, v) if isinstance(v, str) else v).astype("string")
    return notes
