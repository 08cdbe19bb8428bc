"""Times of day without a date: ``13:43``, ``13:43:05``, ``13时43分``, ``下午1:43``, ``1:43 PM``, Excel time cells and day fractions.

A police export that splits 发案日期 from 发案时间 gives the time column as
text, as Excel time cells (read as ``datetime.time``), or as bare fractions
of a day (``0.5`` is noon) when the cell format was lost.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

_CLOCK = (
    r"^\s*(?P<half>上午|下午|晚上|凌晨|早上|中午|晚)?\s*(?P<h>\d{1,2})\s*[:：时点]\s*(?P<m>\d{1,2})\s*分?"
    r"(?:\s*[:：]?\s*(?P<s>\d{1,2}(?:\.\d+)?)\s*秒?)?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?\s*$"
)
_AFTERNOON = {"下午", "晚上", "晚"}


def parse_times_of_day(values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Read times of day as offsets from midnight.

    Returns
    -------
    offsets : Series of timedelta64
        NaT where blank or unreadable.
    bad : ndarray of bool
        True where a value was present but is not a time of day (``25:00``, ``13:60``, text).
    """
    values = values.reset_index(drop=True)
    seconds = np.full(len(values), np.nan)
    present = values.notna().to_numpy() & (values.astype("string").str.strip() != "").fillna(False).to_numpy()
    if pd.api.types.is_numeric_dtype(values.dtype):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        fraction = (numbers >= 0) & (numbers < 1)
        seconds[fraction] = np.round(numbers[fraction] * 86400.0)
    else:
        objects = values.astype(object).to_numpy()
        for i in np.flatnonzero(present):
            seconds[i] = _cell_seconds(objects[i])
        text_rows = np.flatnonzero(present & np.isnan(seconds))
        if len(text_rows):
            seconds[text_rows] = _text_seconds(values.iloc[text_rows].astype("string"))
    bad = present & np.isnan(seconds)
    offsets = pd.Series(pd.to_timedelta(seconds, unit="s"))
    return offsets, bad


def _cell_seconds(value) -> float:
    """Seconds after midnight of a typed cell, NaN for text (read by ``_text_seconds``) or a value that is not a time."""
    if isinstance(value, dt.time):
        return value.hour * 3600 + value.minute * 60 + value.second
    if isinstance(value, dt.timedelta):
        total = value.total_seconds()
        return total if 0 <= total < 86400 else np.nan
    if isinstance(value, dt.datetime) and value.date() <= dt.date(1900, 1, 1):  # a time cell read as a 1899/1900 datetime
        return value.hour * 3600 + value.minute * 60 + value.second
    if isinstance(value, (float, int)) and not isinstance(value, bool):
        return round(float(value) * 86400.0) if 0 <= value < 1 else np.nan
    return np.nan


def _text_seconds(text: pd.Series) -> np.ndarray:
    parts = text.str.extract(_CLOCK)
    hours = pd.to_numeric(parts["h"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    minutes = pd.to_numeric(parts["m"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    secs = pd.to_numeric(parts["s"], errors="coerce").fillna(0).to_numpy(dtype=float)
    ampm = parts["ampm"].fillna("").str.lower().str.replace(".", "", regex=False).to_numpy(dtype=object)
    half = parts["half"].fillna("").to_numpy(dtype=object)
    afternoon = np.isin(half, list(_AFTERNOON)) | (ampm == "pm")
    hours = np.where(afternoon & (hours < 12), hours + 12, hours)
    hours = np.where((ampm == "am") & (hours == 12), 0, hours)
    valid = (hours < 24) & (minutes < 60) & (secs < 60)
    return np.where(valid, hours * 3600 + minutes * 60 + np.floor(secs), np.nan)


def looks_like_times_of_day(values: pd.Series, sample: int = 200) -> bool:
    """Whether most present values of a column are times of day without a date."""
    present = values.head(sample * 5).dropna()
    if pd.api.types.is_numeric_dtype(values.dtype):
        head = present.head(sample)
        return bool(len(head)) and bool(((head >= 0) & (head < 1)).mean() >= 0.8)
    present = present[present.astype("string").str.strip() != ""].head(sample).reset_index(drop=True)
    if not len(present):
        return False
    # Half is enough: a full date-time never reads as a bare time of day, so a column with
    # some bad times is still a time column, not a date column.
    _, bad = parse_times_of_day(present)
    return bool((~bad).mean() >= 0.5)


def looks_like_dates_only(values: pd.Series, sample: int = 200) -> bool:
    """Whether most present values are dates without a time of day (``2025/1/1``, date cells, midnight datetimes)."""
    from .dates import parse_datetimes

    present = values.head(sample * 5).dropna()
    present = present[present.astype("string").str.strip() != ""].head(sample).reset_index(drop=True)
    if not len(present):
        return False
    if present.map(lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime)).mean() >= 0.8:
        return True
    parsed, bad = parse_datetimes(present)
    read = parsed[~bad].dropna()
    if not len(read):
        return False
    at_midnight = (read == read.dt.normalize()).mean() >= 0.99
    short = present.astype("string").str.len().fillna(0).median() <= 11  # "2025/01/01", not "2025-01-01 00:00:00"
    return bool(at_midnight and (short or present.map(lambda v: isinstance(v, dt.date)).all()))
