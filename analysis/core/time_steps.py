"""Incident times and calendar time steps (day, ISO week, month).

The space-time analyses (emerging hot spots, forecast evaluation, temporal
profiles) cut time into calendar steps: days, weeks starting on Monday (ISO
8601), or calendar months. Calendar steps are what an analyst reports ("March
2025"), so gisapp uses them rather than ArcGIS's default of equal-length
intervals aligned to the last incident ("Create Space Time Cube", *Time Step
Alignment* = End time). The price is that a step the data only partly cover
(a study period starting mid-month) holds fewer incidents; :class:`TimeSteps`
reports such partial first and last steps so the caller can warn.

Times are naive local wall-clock times (``occurred_at``, Asia/Shanghai by
default, see :mod:`gisapp.layers.io.dates`). An incident without a time is never
dropped silently: the functions here return a mask of the timed rows and the
callers report how many had none.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from gisapp.layers.errors import InputError

STEP_UNITS = ("day", "week", "month")


def incident_times(incidents: gpd.GeoDataFrame, column: str = "occurred_at") -> tuple[np.ndarray, np.ndarray]:
    """Times of occurrence as ``datetime64[ns]`` and a mask of the rows that have one.

    Readers already parse ``occurred_at`` (and reject unreadable values row by
    row); here text that reaches the API directly is parsed too.

    Raises
    ------
    InputError
        When the column is missing, or when no row has a readable time.
    """
    if column not in incidents.columns:
        raise InputError(
            f"The incidents have no {column} (发案时间) column, so there is no time to analyse; "
            "the file needs a time column such as 发案时间 or 报警时间."
        )
    values = incidents[column]
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        times = pd.DatetimeIndex(values)
        if times.tz is not None:
            times = times.tz_convert("Asia/Shanghai").tz_localize(None)
    else:
        times = pd.DatetimeIndex(pd.to_datetime(values, errors="coerce", format="mixed"))
    stamps = times.as_unit("ns").to_numpy()
    timed = ~np.isnat(stamps)
    if len(incidents) and not timed.any():
        present = int(values.notna().sum())
        what = f"none of the {present:,} time values could be read as a date" if present else "every time value is empty"
        raise InputError(f"The incidents have no usable {column}: {what}.")
    return stamps, timed


def floor_to_step(stamp: pd.Timestamp, unit: str) -> pd.Timestamp:
    """Start of the calendar step (day, Monday-based week, month) that contains ``stamp``."""
    day = pd.Timestamp(stamp).normalize()
    if unit == "day":
        return day
    if unit == "week":
        return day - pd.Timedelta(days=day.day_of_week)
    return day.replace(day=1)


def _offset(unit: str):
    return {"day": pd.DateOffset(days=1), "week": pd.DateOffset(weeks=1), "month": pd.DateOffset(months=1)}[unit]


@dataclass(frozen=True)
class TimeSteps:
    """Consecutive calendar steps covering a period.

    Attributes
    ----------
    unit : {"day", "week", "month"}
    edges : DatetimeIndex
        ``T + 1`` boundaries; step ``t`` is ``[edges[t], edges[t + 1])``.
    first_partial, last_partial : bool
        The period starts after the first step begins, or ends before the
        last step ends, so that step holds only part of its usual incidents.
    """

    unit: str
    edges: pd.DatetimeIndex
    first_partial: bool
    last_partial: bool

    @property
    def count(self) -> int:
        return len(self.edges) - 1

    def labels(self) -> list[str]:
        """``2025-03`` (month), ``2025-03-03`` (week, its Monday; day)."""
        fmt = "%Y-%m" if self.unit == "month" else "%Y-%m-%d"
        return [stamp.strftime(fmt) for stamp in self.edges[:-1]]

    def days(self) -> np.ndarray:
        """Length of every step in days."""
        return np.diff(self.edges.as_unit("ns").asi8) / 86_400e9

    def index(self, times: np.ndarray) -> np.ndarray:
        """Step of every time, ``-1`` for times outside the steps or missing."""
        stamps = np.asarray(times, dtype="datetime64[ns]")
        edges = self.edges.as_unit("ns").to_numpy()
        idx = np.searchsorted(edges, stamps, side="right") - 1
        idx[(idx >= self.count) | np.isnat(stamps)] = -1
        return idx.astype(np.int64)

    def notes(self) -> list[str]:
        notes = []
        if self.first_partial:
            notes.append(f"The first step ({self.labels()[0]}) is only partly covered by the period; it holds fewer incidents than a full {self.unit} (首个时段不完整).")
        if self.last_partial:
            notes.append(f"The last step ({self.labels()[-1]}) is only partly covered by the period; fewer incidents there can look like a fall (末个时段不完整).")
        return notes


def calendar_steps(unit: str, start, end) -> TimeSteps:
    """Calendar steps from the step containing ``start`` to the one containing ``end``.

    Parameters
    ----------
    unit : {"day", "week", "month"}
    start, end : str or Timestamp
        First and last moment of the period. A bare date as ``end`` means the
        whole of that day (as the ``--to`` filter does).
    """
    if unit not in STEP_UNITS:
        raise InputError(f"Unknown time step {unit!r}; use one of {', '.join(STEP_UNITS)}.")
    first, stop = period_bounds(start, end)
    edges = [floor_to_step(first, unit)]
    step = _offset(unit)
    while edges[-1] < stop:
        edges.append(edges[-1] + step)
    index = pd.DatetimeIndex(edges).as_unit("ns")
    return TimeSteps(unit, index, first_partial=bool(first > index[0]), last_partial=bool(stop < index[-1]))


def period_bounds(start, end) -> tuple[pd.Timestamp, pd.Timestamp]:
    """``(first, stop)``: the first moment and the exclusive end of a period given by inclusive bounds.

    ``end`` given as a date (midnight) covers that whole day; a time of day
    rounds the end up to the next midnight, so a period always covers whole days.
    """
    first, last = _timestamp(start, "start"), _timestamp(end, "end")
    if last < first:
        raise InputError(f"The period ends ({last.date()}) before it starts ({first.date()}).")
    return first.normalize(), last.normalize() + pd.Timedelta(days=1)


def _timestamp(value, what: str) -> pd.Timestamp:
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise InputError(f"The {what} {value!r} is not a date such as 2025-03-01.") from None
    if pd.isna(stamp):
        raise InputError(f"The {what} of the period is missing.")
    return stamp.tz_localize(None) if stamp.tzinfo is not None else stamp


def steps_for(times: np.ndarray, unit: str, start=None, end=None) -> TimeSteps:
    """Steps covering ``[start, end]``, each defaulting to the first and last time."""
    timed = np.asarray(times, dtype="datetime64[ns]")
    timed = timed[~np.isnat(timed)]
    if start is None and timed.size:
        start = pd.Timestamp(timed.min())
    if end is None and timed.size:
        end = pd.Timestamp(timed.max())
    if start is None or end is None:
        raise InputError("There are no incident times to build time steps from.")
    return calendar_steps(unit, start, end)
