"""Parse the date and time forms found in Chinese police exports.

Handled, in this order:

* values that are already datetimes (Excel cells, GeoPackage fields); aware ones
  are converted to local time (Asia/Shanghai by default) and made naive;
* Excel serial day numbers (``45356.6``, counted from 1899-12-30, as Excel's
  1900 date system does for every date after 1900-03-01);
* compact digits ``20240305``, ``202403051430``, ``20240305143000``;
* text: ISO ``2024-03-05 14:30[:00]``, ``2024/3/5 14:30``, ``2024.03.05``,
  Chinese ``2024年3月5日 14:30`` and ``2024年3月5日14时30分``, with
  ``上午/下午/晚上``, an optional ``T``, fractional seconds, and an ISO offset
  or ``Z`` (converted to local time);
* day and month before the year, ``04/08/2023 12:30:54 AM`` (US exports) or
  ``25/12/2024 13:00``: whether the day or the month comes first is decided
  once for the whole column (a first number above 12 means day-first, a
  second above 12 month-first; with neither, month-first, the US order of
  the exports that write a year last), and reported; ``AM``/``PM`` as
  ``上午``/``下午``, with ``12:30 AM`` being half past midnight.

Impossible dates such as ``2024-02-30`` or ``25:00`` are never rolled over
into the next month: they come back as unreadable.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

LOCAL_TZ = "Asia/Shanghai"
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# The window in which a bare number is taken for an Excel serial date (1954-2119):
# wide enough for any case record, narrow enough not to swallow years or IDs.
_EXCEL_MIN, _EXCEL_MAX = 20000.0, 80000.0

_TEXT_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y-%m-%d %H")
_DIGIT_FORMATS = {8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}
_REPLACEMENTS = (
    (r"^\s+|\s+$", ""),
    (r"^(\d{4})[./](\d{1,2})[./](\d{1,2})", r"\1-\2-\3"),
    (r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?", r"\1-\2-\3 "),
    (r"(\d{1,2})\s*[时点]\s*(\d{1,2})\s*分\s*(?:(\d{1,2})\s*秒)?", r"\1:\2:\3"),
    (r"(\d{1,2})\s*[时点](?!\d)", r"\1:00"),
    (r":$", ""),
    (r"(\d)T(\d)", r"\1 \2"),
    (r"(\d{2}:\d{2}:\d{2})[.,]\d+", r"\1"),
    (r"\s+", " "),
)
_PM = r"(?:下午|晚上|晚|(?<![A-Za-z])[Pp]\.?[Mm]\.?(?![A-Za-z]))"
_AM_ENGLISH = r"(?<![A-Za-z])[Aa]\.?[Mm]\.?(?![A-Za-z])"
_AM = rf"(?:上午|凌晨|早上|中午|{_AM_ENGLISH})"
_YEAR_LAST = r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(.*)$"


def parse_datetimes(values: pd.Series, tz: str = LOCAL_TZ, notes: dict | None = None) -> tuple[pd.Series, np.ndarray]:
    """Parse a column of dates into naive local datetimes.

    Parameters
    ----------
    values : Series
        Strings, numbers or datetimes, in any mix.
    tz : str
        The local time zone that aware values are converted to.
    notes : dict, optional
        Filled with ``{"order": "day-first" | "month-first", "reason": ...}``
        when dates with the year last had to be ordered.

    Returns
    -------
    parsed : Series of datetime64
        NaT where a value is blank or could not be read.
    bad : ndarray of bool
        True where a value was present but could not be read (the caller
        warns about those rows); blank values are NaT but not bad.
    """
    values = values.reset_index(drop=True)
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return _naive_local(values, tz), np.zeros(len(values), bool)
    if pd.api.types.is_numeric_dtype(values.dtype):
        parsed = _from_numbers(values.astype("float64"))
        return parsed, (values.notna() & parsed.isna()).to_numpy()

    if (strict := _iso_cast(values)) is not None:
        return strict, np.zeros(len(values), bool)
    result = pd.Series(pd.NaT, index=values.index, dtype="datetime64[us]")
    text = values.astype("string")
    if values.dtype == object:  # Excel cells: datetimes mixed with text and numbers
        is_datetime = values.map(lambda v: hasattr(v, "isoformat")).to_numpy(dtype=bool)
        if is_datetime.any():
            # Excel has no time zones: its datetimes are local wall-clock times already.
            result[is_datetime] = _naive_local(pd.to_datetime(values[is_datetime]), tz).to_numpy()
            text[is_datetime] = pd.NA
    present = _mask(text.str.strip() != "")
    # Most exports use one ISO form throughout: read it straight, normalise only the rest.
    result[present] = pd.to_datetime(text[present], format=_TEXT_FORMATS[0], errors="coerce").to_numpy()
    todo = present & result.isna().to_numpy()

    if not todo.any():
        return result, present & result.isna().to_numpy()
    numeric = pd.to_numeric(text.where(todo), errors="coerce")
    serial = _mask(numeric.between(_EXCEL_MIN, _EXCEL_MAX))
    if serial.any():
        result[serial] = _from_numbers(numeric[serial]).to_numpy()
        todo &= ~serial

    digits = _mask(text.where(todo).str.fullmatch(r"\d{8}|\d{12}|\d{14}"))
    for length, fmt in _DIGIT_FORMATS.items():
        these = digits & _mask(text.str.len() == length)
        if these.any():
            result[these] = pd.to_datetime(text[these], format=fmt, errors="coerce").to_numpy()
    todo &= ~digits

    if todo.any():
        result[todo] = _from_text(text[todo], tz, notes).to_numpy()
    bad = present & result.isna().to_numpy()
    return result, bad


def _iso_cast(text: pd.Series) -> pd.Series | None:
    """The whole column read by Arrow's strict ISO 8601 parser, or None if any value is in another form.

    Arrow rejects impossible dates (2024-02-30, 25:00), blanks and values with
    a zone offset, which the general path then handles; it is all or
    nothing, and about ten times faster than the general path on a clean
    export. Missing cells (null) stay missing.
    """
    if not isinstance(text.dtype, pd.StringDtype) or text.dtype.storage != "pyarrow" or not text.notna().any():
        return None
    cells = text.array.__arrow_array__()
    try:
        stamps = pc.cast(cells, pa.timestamp("us"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    times = stamps.to_numpy(zero_copy_only=False).astype("datetime64[us]")
    micros = times.view(np.int64)
    fraction = np.where(np.isnat(times), 0, micros % 1_000_000)
    if fraction.any():  # whole seconds, as the general path reads them
        micros -= fraction
    return pd.Series(times, index=text.index, dtype="datetime64[us]")


def _mask(values: pd.Series) -> np.ndarray:
    """A plain bool array from a nullable comparison, NA read as False."""
    return values.fillna(False).to_numpy(dtype=bool)


def _from_text(text: pd.Series, tz: str, notes: dict | None = None) -> pd.Series:
    clean = _year_last(text.str.strip(), notes)
    for pattern, replacement in _REPLACEMENTS:
        clean = clean.str.replace(pattern, replacement, regex=True)
    pm = _mask(clean.str.contains(_PM, regex=True))
    am = _mask(clean.str.contains(_AM_ENGLISH, regex=True))
    clean = clean.str.replace(f"{_PM}|{_AM}", " ", regex=True).str.replace(r"\s+", " ", regex=True).str.strip()
    out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[us]")
    for fmt in _TEXT_FORMATS:
        todo = out.isna()
        if not todo.any():
            break
        out[todo] = pd.to_datetime(clean[todo], format=fmt, errors="coerce").to_numpy()
    aware = out.isna().to_numpy() & _mask(clean.str.contains(r"(?:Z|[+-]\d{2}:?\d{2})$", regex=True))
    if aware.any():
        stamps = pd.to_datetime(clean[aware], format="ISO8601", utc=True, errors="coerce")
        out[aware] = _naive_local(stamps, tz).to_numpy()
    # 下午 2:30 means 14:30; 下午 14:30 is already right.
    afternoon = pm & _mask(out.dt.hour < 12)
    out[afternoon] = out[afternoon] + pd.Timedelta(hours=12)
    midnight = am & _mask(out.dt.hour == 12)  # 12:30 AM is half past midnight
    out[midnight] = out[midnight] - pd.Timedelta(hours=12)
    return out


def _year_last(text: pd.Series, notes: dict | None) -> pd.Series:
    """Rewrite ``D/M/YYYY`` or ``M/D/YYYY`` as ``YYYY-M-D``, deciding the order once for the column."""
    parts = text.str.extract(_YEAR_LAST)
    has = parts[0].notna().to_numpy()
    if not has.any():
        return text
    first = parts[0][has].astype(int)
    second = parts[1][has].astype(int)
    order, reason = decide_order(first.to_numpy(), second.to_numpy())
    if notes is not None:
        notes.update({"order": order, "reason": reason})
    day, month = (parts[0], parts[1]) if order == "day-first" else (parts[1], parts[0])
    rewritten = parts[2] + "-" + month + "-" + day + parts[3].fillna("")
    return text.where(~has, rewritten)


def decide_order(first: np.ndarray, second: np.ndarray) -> tuple[str, str]:
    """``day-first`` or ``month-first`` for a column of ``first/second/year`` dates, and why.

    A first number above 12 can only be a day, a second above 12 only a day
    too; a column holding both kinds is inconsistent, and the majority wins
    (the others then come out as impossible dates). With no number above 12,
    month-first: it is the order of the exports that put the year last
    (US systems), and the report says that nothing settled it.
    """
    day_first = int((first > 12).sum())
    month_first = int((second > 12).sum())
    if day_first and not month_first:
        return "day-first", f"{day_first} dates have a first number above 12"
    if month_first and not day_first:
        return "month-first", f"{month_first} dates have a second number above 12"
    if day_first or month_first:
        order = "day-first" if day_first > month_first else "month-first"
        return order, f"mixed: {day_first} dates read only day-first and {month_first} only month-first; the majority ({order}) was used"
    return "month-first", "no number above 12 settles it; read month-first, the US order"


def _from_numbers(numbers: pd.Series) -> pd.Series:
    in_window = numbers.between(_EXCEL_MIN, _EXCEL_MAX)
    days = numbers.where(in_window)
    # Round to the second: Excel stores times as binary fractions of a day.
    seconds = (days * 86400.0).round()
    return (_EXCEL_EPOCH + pd.to_timedelta(seconds, unit="s")).astype("datetime64[us]")


def _naive_local(values: pd.Series, tz: str) -> pd.Series:
    if getattr(values.dt, "tz", None) is not None:
        values = values.dt.tz_convert(tz).dt.tz_localize(None)
    return values.astype("datetime64[us]")
