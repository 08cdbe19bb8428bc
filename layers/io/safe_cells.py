"""Cells that Excel, WPS or LibreOffice would run as formulas, neutralised before any CSV or workbook is written.

Police data come from the field: an address or a narrative can start with
``=``, ``+``, ``-`` or ``@`` by accident or on purpose
(``=cmd|' /C notepad'!A0``, ``@SUM(1)``). Written as they are into a CSV or
an ``.xlsx`` that an analyst opens, they would run. OWASP's rule for CSV
injection is applied to every text cell gisapp writes: a cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
apostrophe, which spreadsheets show as text. Only text is touched: a negative
number stays a number (``-3.5`` as a float is not text).
"""

from __future__ import annotations

import pandas as pd

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """``value`` with a leading apostrophe when it is text that a spreadsheet would run; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells (and column names) are safe to open in a spreadsheet."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if pd.api.types.is_numeric_dtype(values.dtype) or pd.api.types.is_datetime64_any_dtype(values.dtype):
            continue
        if pd.api.types.is_bool_dtype(values.dtype):
            continue
        out[column] = values.map(safe_cell) if values.dtype == object else values.astype(object).map(safe_cell).astype(values.dtype)
    out.columns = [safe_cell(str(c)) if isinstance(c, str) else c for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path, **options) -> None:
    """Write ``frame`` as CSV for Excel/WPS (UTF-8 with BOM, CRLF lines, no index), formulas neutralised.

    CRLF, Excel's own line end, also makes the csv module quote a cell that
    holds a lone carriage return, which would otherwise split its row.
    """
    options.setdefault("index", False)
    options.setdefault("encoding", "utf-8-sig")
    options.setdefault("lineterminator", "\r\n")
    safe_frame(frame).to_csv(path, **options)


def write_xlsx(frame: pd.DataFrame, path, sheet: str = "Sheet1") -> None:
    """Write ``frame`` as an ``.xlsx`` workbook (openpyxl), formulas neutralised and numbers kept as numbers."""
    safe_frame(frame).to_excel(path, sheet_name=sheet[:31], index=False, engine="openpyxl")


def safe_rows(rows) -> list[list]:
    """Rows for ``csv.writer`` with every text cell neutralised."""
    return [[safe_cell(cell) for cell in row] for row in rows]


__all__ = ["FORMULA_STARTS", "safe_cell", "safe_frame", "safe_rows", "write_csv", "write_xlsx"]
