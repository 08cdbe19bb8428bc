"""The incident filter: dates, time of day, weekdays, categories and an area.

One definition serves the CLI's shared options, the GUI's filter bar and the
project file (``IncidentFilter.to_dict`` is what the project saves). Applying
it is vectorised, so a million incidents filter in tens of milliseconds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from .errors import InputError


@dataclass
class IncidentFilter:
    """Which incidents an analysis or a view takes.

    Attributes
    ----------
    start, end : str or None
        Inclusive dates ``YYYY-MM-DD`` (``end`` includes that whole day).
    hours : tuple of int or None
        ``(from_hour, to_hour)``, half-open ``[from, to)``; ``(22, 6)`` wraps midnight.
    weekdays : list of int or None
        ISO weekdays, Monday 1 … Sunday 7.
    categories : list of str or None
        Matches ``category`` or ``subcategory``.
    within : str or None
        Name of an area or grid polygon (resolved by the caller into ``within_geometry``).
    """

    start: str | None = None
    end: str | None = None
    hours: tuple[int, int] | None = None
    weekdays: list[int] | None = None
    categories: list[str] | None = None
    within: str | None = None
    within_geometry: object = field(default=None, repr=False, compare=False)

    def is_empty(self) -> bool:
        return not any((self.start, self.end, self.hours, self.weekdays, self.categories, self.within))

    def to_dict(self) -> dict:
        data = asdict(self)
        data.pop("within_geometry")
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in data.items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict | None) -> "IncidentFilter":
        data = dict(data or {})
        unknown = set(data) - {"start", "end", "hours", "weekdays", "categories", "within"}
        if unknown:
            raise InputError(f"Unknown filter setting {sorted(unknown)[0]!r}.")
        if data.get("hours") is not None:
            data["hours"] = tuple(data["hours"])
        result = cls(**data)
        result.validate()
        return result

    def validate(self) -> None:
        """Raise ``InputError`` with one sentence for a filter that cannot mean anything."""
        start, end = _day(self.start, "start"), _day(self.end, "end")
        if start is not None and end is not None and start > end:
            raise InputError(f"The filter starts on {self.start}, after it ends on {self.end}.")
        if self.hours is not None:
            if len(self.hours) != 2 or not all(0 <= int(h) <= 24 for h in self.hours) or self.hours[0] == self.hours[1]:
                raise InputError(f"Hours must be two different whole hours from 0 to 24, e.g. 8-12; got {self.hours}.")
        if self.weekdays is not None and not all(1 <= int(d) <= 7 for d in self.weekdays):
            raise InputError(f"Weekdays run from 1 (Monday) to 7 (Sunday); got {self.weekdays}.")

    def mask(self, incidents: gpd.GeoDataFrame) -> np.ndarray:
        """Boolean array: True for the incidents this filter keeps."""
        self.validate()
        keep = np.ones(len(incidents), dtype=bool)
        needs_time = self.start or self.end or self.hours or self.weekdays
        if needs_time:
            if "occurred_at" not in incidents:
                raise InputError("This layer has no occurred_at column, so it cannot be filtered by date or time.")
            times = pd.DatetimeIndex(incidents["occurred_at"])
            keep &= ~np.asarray(times.isna())
            if self.start:
                keep &= np.asarray(times >= pd.Timestamp(self.start))
            if self.end:
                keep &= np.asarray(times < pd.Timestamp(self.end) + pd.Timedelta(days=1))
            if self.hours:
                lo, hi = int(self.hours[0]), int(self.hours[1])
                hour = np.asarray(times.hour)
                keep &= (hour >= lo) & (hour < hi) if lo < hi else (hour >= lo) | (hour < hi)
            if self.weekdays:
                keep &= np.isin(np.asarray(times.day_of_week) + 1, [int(d) for d in self.weekdays])
        if self.categories:
            wanted = set(self.categories)
            matched = np.zeros(len(incidents), dtype=bool)
            for column in ("category", "subcategory"):
                if column in incidents:
                    matched |= incidents[column].isin(wanted).to_numpy(dtype=bool, na_value=False)
            keep &= matched
        if self.within_geometry is not None:
            keep &= incidents.geometry.intersects(self.within_geometry).to_numpy()
        elif self.within:
            raise InputError(f"The area {self.within!r} was not resolved to a polygon.")
        return keep

    def apply(self, incidents: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        return incidents if self.is_empty() else incidents[self.mask(incidents)]


def parse_range(text: str, low: int, high: int, what: str) -> list[int]:
    """``"1-5"`` -> [1, 2, 3, 4, 5]; ``"1,3,6-7"`` also works. Bounds are inclusive."""
    values: list[int] = []
    try:
        for part in str(text).split(","):
            a, _, b = part.strip().partition("-")
            first, last = int(a), int(b) if b else int(a)
            values.extend(range(first, last + 1))
    except ValueError:
        raise InputError(f"{what} takes numbers and ranges such as 1-5 or 1,3,6-7; got {text!r}.") from None
    if not values or not all(low <= v <= high for v in values):
        raise InputError(f"{what} must lie between {low} and {high}; got {text!r}.")
    return values


def _day(text: str | None, what: str):
    if text is None:
        return None
    try:
        return pd.Timestamp(str(text)).normalize()
    except (ValueError, TypeError):
        raise InputError(f"The filter {what} date {text!r} is not a date such as 2024-03-05.") from None
