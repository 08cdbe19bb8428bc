"""The line under a chart's title that says what it shows: area, category and period.

A figure pasted into a report travels without the command that made it, so
its title must say which incidents it counts: ``城关镇 · 盗窃 · 2024-01-01 至
2024-06-30``. The parts come from the filters a result records
(``summary["filters"]``, :class:`gisapp.layers.filters.IncidentFilter`) and,
when no dates were filtered, from the incidents' own time span.
"""

from __future__ import annotations

WEEKDAY_NAMES = "一二三四五六日"


def context_line(filters: dict | None = None, period: tuple | None = None, area: str | None = None) -> str:
    """``area · categories · period · hours · weekdays``; parts that were not chosen are left out.

    Parameters
    ----------
    filters : dict, optional
        ``IncidentFilter.to_dict()``: ``start``, ``end``, ``categories``, ``within``, ``hours``, ``weekdays``.
    period : (first, last), optional
        The incidents' time span (dates or timestamps), used when ``filters`` set no dates.
    area : str, optional
        Overrides ``filters["within"]`` (a selection described by the window).
    """
    filters = dict(filters or {})
    parts = []
    where = area or filters.get("within")
    parts.append(str(where) if where else "全部区域")
    categories = filters.get("categories") or []
    parts.append("、".join(str(c) for c in categories) if categories else "全部类别")
    start, end = filters.get("start"), filters.get("end")
    if not (start or end) and period is not None:
        start, end = period
    if start or end:
        parts.append(f"{_day(start) or '…'} 至 {_day(end) or '…'}")
    hours = filters.get("hours")
    if hours:
        parts.append(f"{int(hours[0])}–{int(hours[1])} 时")
    weekdays = filters.get("weekdays")
    if weekdays and len(weekdays) < 7:
        parts.append("周" + "、".join(WEEKDAY_NAMES[int(d) - 1] for d in sorted(weekdays)))
    return " · ".join(parts)


def _day(value) -> str:
    if value is None or value == "":
        return ""
    text = value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)
    return text[:10]


def time_span(frame, column: str = "occurred_at") -> tuple | None:
    """(first, last) time of the incidents in ``frame``, or None when it has no times."""
    if frame is None or column not in getattr(frame, "columns", ()):
        return None
    times = frame[column].dropna()
    return (times.min(), times.max()) if len(times) else None
