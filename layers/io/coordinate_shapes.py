"""Coordinate cells as numbers, whatever shape they arrive in.

* plain numbers (text or numeric cells), the fast path: one Arrow cast;
* degrees-minutes-seconds text (:mod:`.dms`), only for the cells the cast could not read;
* one column holding both numbers (``105.09,31.09``, ``31.09 105.09``,
  ``(105.09, 31.09)``, ``POINT (105.09 31.09)``), split here; whether it is
  lon,lat or lat,lon is decided later from the values, like any swapped pair.

Each function returns the numbers and, per row, why a present value could
not be read, so the caller rejects rows with reasons, never silently.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from .dms import parse_dms
from .limits import shown

# Full-width digits and punctuation that Chinese input methods produce.
_FULL_WIDTH = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "－": "-", "，": ",", "；": ";", "　": " "})


def numbers(values: pd.Series) -> np.ndarray:
    """Floats from cells (a writable array); NaN where a value is blank or not a plain number."""
    if pd.api.types.is_numeric_dtype(values.dtype):
        return np.array(values.to_numpy(dtype=float, na_value=np.nan))
    try:  # pyarrow's cast is an order of magnitude faster, but all-or-nothing
        return np.array(values.astype("float64[pyarrow]").to_numpy(dtype=float, na_value=np.nan))
    except (ValueError, TypeError, ArithmeticError, pa.ArrowInvalid, pa.ArrowNotImplementedError):
        text = values.astype("string").str.strip()
        return np.array(pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan))


def read_axis(values: pd.Series) -> tuple[np.ndarray, list[str | None], bool]:
    """One coordinate column as floats: plain numbers, else DMS text.

    Returns
    -------
    values : ndarray of float
        NaN where blank or unreadable.
    problems : list of str or None
        Per row, why a present value is unreadable.
    dms : bool
        Whether any value was read as DMS text.
    """
    out = numbers(values)
    problems: list[str | None] = [None] * len(values)
    todo = np.flatnonzero(np.isnan(out) & values.notna().to_numpy())
    if not len(todo):
        return out, problems, False
    text = values.iloc[todo].astype("string").str.translate(_FULL_WIDTH).str.strip()
    plain = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    degrees, _, dms_problems = parse_dms(text)
    read = np.where(np.isnan(plain), degrees, plain)
    out[todo] = read
    for position, value, problem, cell in zip(todo, read, dms_problems, text):
        if np.isnan(value):
            problems[position] = f"not a coordinate: {problem}" if problem else f"not a number or a DMS angle: {shown(cell)}"
    return out, problems, bool(np.isfinite(degrees).any())


def looks_combined(values: pd.Series, sample: int = 200) -> bool:
    """Whether most present cells of ``values`` hold two (or more) numbers, as a combined coordinate column does."""
    present = values.head(sample * 5).dropna().astype("string").str.strip()
    present = present[present != ""].head(sample)
    if present.empty:
        return False
    parts = _parts(present)
    return bool((parts.str.len() >= 2).mean() >= 0.8 and _all_numbers(parts).mean() >= 0.8)


def split_combined(values: pd.Series) -> tuple[np.ndarray, np.ndarray, list[str | None]]:
    """Split a combined coordinate column into its first and second numbers.

    Returns
    -------
    first, second : ndarray of float
        NaN where the cell is blank or unreadable.
    problems : list of str or None
        Per row: why a present cell is unreadable (three numbers, one number, text).
    """
    text = values.astype("string").str.strip().reset_index(drop=True)
    parts = _parts(text.fillna(""))
    counts = parts.map(len).to_numpy(dtype=int)
    present = text.fillna("").to_numpy(dtype=object) != ""
    pairs = present & (counts == 2)
    first, _, _ = read_axis(pd.Series([p[0] if len(p) == 2 else None for p in parts], dtype="string"))
    second, _, _ = read_axis(pd.Series([p[1] if len(p) == 2 else None for p in parts], dtype="string"))
    problems: list[str | None] = [None] * len(values)
    for i in np.flatnonzero(present & ~pairs):
        problems[i] = f"{counts[i]} values where a position needs two numbers ({shown(text.iloc[i])})"
    unreadable = pairs & (np.isnan(first) | np.isnan(second))
    for i in np.flatnonzero(unreadable):
        problems[i] = f"not two coordinates: {shown(text.iloc[i])}"
    first[~pairs | unreadable] = np.nan
    second[~pairs | unreadable] = np.nan
    return first, second, problems


def _parts(text: pd.Series) -> pd.Series:
    """The pieces of each cell: brackets and a WKT ``POINT`` dropped, split on commas, semicolons or spaces."""
    bare = (
        text.str.translate(_FULL_WIDTH)
        .str.replace(r"(?i)^\s*point\s*(?:z|m|zm)?\s*", "", regex=True)
        .str.strip("()[]{} ")
    )
    # DMS pairs hold spaces inside each angle (105° 05' 24"): then only commas and semicolons split.
    has_separator = bare.str.contains(r"[,;]", regex=True).fillna(False)
    split = bare.where(~has_separator).str.split(r"\s+", regex=True)
    split_sep = bare.where(has_separator).str.split(r"\s*[,;]\s*", regex=True)
    return split.where(~has_separator, split_sep).map(lambda cells: [c for c in cells if c] if isinstance(cells, list) else [])


def _all_numbers(parts: pd.Series) -> pd.Series:
    def numeric(cells: list[str]) -> bool:
        try:
            [float(c) for c in cells]
            return True
        except ValueError:
            return any(ch in "".join(cells) for ch in "°度d'′\"″")

    return parts.map(numeric)
