"""A table held as rows of cells (an Excel sheet, an HTML table) turned into a :class:`~.csv.RawTable`.

The cells keep their types (numbers, dates, times), so that Excel's native
date and time cells reach :mod:`.dates` as what they are. The header row is
found as for CSV (:mod:`.header_row`); rows that are entirely empty are not
rows, and the others are numbered from the header, so data row ``r`` is sheet
row ``header_row + r``.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from .columns import dedupe_headers, repeated_headers_note
from .csv import RawTable
from .header_row import choose_header_row, rival_note
from .limits import HEADER_SCAN_ROWS, check_column_count


def cell_text(value) -> str:
    """A cell as the text a user sees: ``''`` for empty, ``12`` for 12.0, ISO for dates and times."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def table_from_grid(rows: list[list], name: str, header_row: int | None = None, **details) -> RawTable:
    """Build a RawTable from ``rows`` (the sheet from its first row), finding the header.

    Parameters
    ----------
    rows : list of list
        Cells as read (str, float, int, bool, datetime, date, time, or None/'' when empty).
    name : str
        The file (and sheet) name, for messages.
    header_row : int, optional
        1-based sheet row of the header; found among the first rows when None.
    details
        Passed on to :class:`RawTable` (encoding, sheet, sheets, warnings).
    """
    width = max((len(row) for row in rows[: HEADER_SCAN_ROWS * 4]), default=0)
    check_column_count(width, name)
    head = [[cell_text(v) for v in row] for row in rows[: max(HEADER_SCAN_ROWS, header_row or 0)]]
    choice = choose_header_row(head, name, header_row)
    names, repeated = dedupe_headers(head[choice.index] + [""] * (width - len(head[choice.index])))
    body = rows[choice.index + 1 :]
    filled = [i for i, row in enumerate(body) if any(cell_text(v) for v in row)]
    records = [_padded(body[i], width) for i in filled]
    frame = pd.DataFrame.from_records(records, columns=names) if records else pd.DataFrame(columns=names)
    frame = frame.apply(_typed_column) if len(frame) else frame.astype("string[pyarrow]")
    warnings = list(details.pop("warnings", [])) + repeated_headers_note(repeated) + rival_note(choice.index + 1, [i + 1 for i in choice.other_candidates])
    return RawTable.from_frame(
        frame,
        np.asarray(filled, dtype=np.int64) + 1,
        len(filled),
        warnings=warnings,
        header_row=choice.index + 1,
        skipped_rows=[i + 1 for i in choice.skipped],
        **details,
    )


def _padded(row: list, width: int) -> list:
    return list(row) + [None] * (width - len(row)) if len(row) < width else list(row[:width])


def _typed_column(values: pd.Series) -> pd.Series:
    """Text columns as Arrow strings (empty -> NA); columns of whole numbers as Int64 (case numbers keep no '.0')."""
    cells = values.replace("", None)
    present = cells.dropna()
    if present.map(lambda v: isinstance(v, str)).all():
        return cells.astype("string[pyarrow]")
    numeric = present.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool))
    if numeric.all() and present.map(lambda v: float(v).is_integer() and abs(v) < 2**53).all():
        return cells.astype("Int64")
    if numeric.all():
        return cells.astype("float64")
    return cells
