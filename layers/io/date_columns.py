"""The time of occurrence from one column, or from a date column and a time-of-day column together.

``发案日期`` = ``2025/1/1`` with ``发案时间`` = ``13:43`` (or ``报警日期`` +
``报警时间``, ``date`` + ``time``, Excel date cells + time cells) make one
``occurred_at``. Which columns pair up is decided from their values, since
``发案时间`` holds a full date and time in one export and only ``13:43`` in
another: the column mapped to ``occurred_at`` is looked at, and if it holds
only times of day (or only dates) its partner is sought among the date (or
time) columns, the one with the same prefix first (发案日期 with 发案时间).

Unreadable dates do not cost the row: it is loaded without a time, with a
warning naming the row, since most analyses need only the position. A date
without its time of day is kept at 00:00 with a warning.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..report import LoadReport
from .columns import aliases, normalise
from .dates import parse_datetimes
from .limits import shown
from .times_of_day import looks_like_dates_only, looks_like_times_of_day, parse_times_of_day

_PARTS = re.compile(r"(日期|时间|时刻|date|time|day|hour)", re.IGNORECASE)


def find_pair(headers: list[str], mapping: dict[str, str], column, overrides: dict[str, str]) -> tuple[str, str] | None:
    """The (date column, time column) that together make ``occurred_at``, or None for one column.

    Parameters
    ----------
    headers : list of str
    mapping : dict
        Role -> column found so far (``occurred_at`` among them).
    column : callable
        ``column(name) -> Series`` of a column's cells.
    overrides : dict
        The user's role -> column choices (``date`` and ``time`` pair explicitly).
    """
    if "date" in overrides and "time" in overrides:
        return overrides["date"], overrides["time"]
    chosen = mapping.get("occurred_at")
    if chosen is None or "occurred_at" in overrides:
        return None
    used = set(mapping.values())
    values = column(chosen)
    if not _short_values(values):  # full date-times ("2024-03-05 14:30:00") need no partner
        return None
    if looks_like_times_of_day(values):
        partner = _partner(chosen, headers, used, "date", lambda name: looks_like_dates_only(column(name)))
        return (partner, chosen) if partner else None
    if looks_like_dates_only(values):
        partner = _partner(chosen, headers, used, "time", lambda name: looks_like_times_of_day(column(name)))
        return (chosen, partner) if partner else None
    return None


def _short_values(values: pd.Series, sample: int = 200) -> bool:
    """Whether a sample of the column holds typed cells or text of at most 11 characters (a date, or a time)."""
    head = values.head(sample * 5).dropna().head(sample)
    if not len(head) or not (isinstance(values.dtype, pd.StringDtype) or values.dtype == object):
        return bool(len(head))
    return bool(head.astype("string").str.len().median() <= 11)


def _partner(chosen: str, headers: list[str], used: set[str], role: str, fits) -> str | None:
    names = set(aliases()[role])
    candidates = [h for h in headers if h != chosen and h not in used and normalise(h) in names]
    prefix = _prefix(chosen)
    candidates.sort(key=lambda h: (_prefix(h) != prefix, headers.index(h)))
    return next((h for h in candidates if fits(h)), None)


def _prefix(header: str) -> str:
    return _PARTS.sub("", normalise(header))


def combined_times(dates: pd.Series, times: pd.Series, rows: np.ndarray, report: LoadReport, names: tuple[str, str]) -> pd.Series:
    """``occurred_at`` from a date column and a time-of-day column, warning per row about what is missing."""
    notes: dict = {}
    days, bad_days = parse_datetimes(dates.reset_index(drop=True), notes=notes)
    offsets, bad_times = parse_times_of_day(times.reset_index(drop=True))
    result = days.dt.normalize() + offsets.fillna(pd.Timedelta(0)).to_numpy()
    result[days.isna().to_numpy()] = pd.NaT
    _warn_unreadable(rows, bad_days, dates, report)
    no_time = days.notna().to_numpy() & offsets.isna().to_numpy()
    for row, value, is_bad in zip(rows[no_time], times.to_numpy()[no_time], bad_times[no_time]):
        reason = f"time of day {shown(value)} cannot be read" if is_bad else "no time of day"
        report.warn_rows([row], f"{reason}: loaded at 00:00 of its date", "no_time_of_day")
    if no_time.any():
        report.warnings.append(
            f"{int(no_time.sum()):,} rows have a date but no readable time of day ({names[1]}); they are placed at 00:00, "
            "so hour-of-day results count them at midnight."
        )
    _note_order(report, names[0], notes)
    report.time_source = {"date": names[0], "time": names[1]}
    return result.astype("datetime64[us]")


def single_times(values: pd.Series, rows: np.ndarray, report: LoadReport, name: str) -> pd.Series:
    """``occurred_at`` from one column; an unreadable date is a per-row warning and an empty time, not a reject."""
    notes: dict = {}
    times, bad = parse_datetimes(values.reset_index(drop=True), notes=notes)
    _warn_unreadable(rows, bad, values, report)
    _note_order(report, name, notes)
    return times


def count_without_time(times: pd.Series, report: LoadReport) -> None:
    """Count the loaded rows without a time and say so once."""
    missing = int(times.isna().sum())
    report.rows_without_time = missing
    if missing:
        report.warnings.append(
            f"{missing:,} rows have no readable time of occurrence; they are loaded without a time, "
            "and analyses by time leave them out."
        )


def _warn_unreadable(rows: np.ndarray, bad: np.ndarray, values: pd.Series, report: LoadReport) -> None:
    if not bad.any():  # a million clean dates: no per-row work at all
        return
    for row, value in zip(rows[bad], values.reset_index(drop=True)[bad]):
        report.warn_rows([row], f"unreadable or impossible date {shown(value)}: loaded without a time", "unreadable_date")


def _note_order(report: LoadReport, column: str, notes: dict) -> None:
    if notes:
        report.date_order = {"column": column, **notes}
        report.warnings.append(f"Dates in {column} with the year last were read {notes['order']} ({notes['reason']}).")
