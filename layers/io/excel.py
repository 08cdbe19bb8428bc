"""Excel workbooks (.xlsx) as tables, through openpyxl (imported lazily by pandas)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from .columns import dedupe_headers
from .csv import RawTable


def read_excel_table(path: Path, sheet: str | int | None = None) -> RawTable:
    """Read one sheet (the first by default) as a table; cells keep their types, so dates stay dates.

    Numbers typed as Excel dates arrive as datetimes; numbers stored as plain
    serials are converted later by :func:`gisapp.layers.io.dates.parse_datetimes`.
    """
    try:
        import openpyxl  # noqa: F401  (named here so the error says what to install)
    except ImportError:  # pragma: no cover - a declared dependency
        raise InputError("Reading .xlsx needs the openpyxl package: pip install openpyxl.") from None
    try:
        grid = pd.read_excel(path, sheet_name=0 if sheet is None else sheet, header=None, dtype=object)
    except ValueError as error:
        raise InputError(f"{path.name}: {error}.") from None
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise InputError(f"{path.name} is not a readable .xlsx workbook ({type(error).__name__}).") from None
    grid = grid.dropna(how="all")
    if grid.empty:
        raise InputError(f"{path.name} is empty: its first sheet has no cells.")
    header = ["" if pd.isna(v) else str(v) for v in grid.iloc[0]]
    names, repeated = dedupe_headers(header)
    body = grid.iloc[1:].copy()
    body.columns = names
    rows = np.asarray(body.index, dtype=np.int64)  # position in the sheet, header at 0
    body = body.reset_index(drop=True)
    warnings = []
    if repeated:
        warnings.append(f"Repeated column headers were renamed so that none is lost: {', '.join(sorted(set(repeated)))}.")
    return RawTable.from_frame(body, rows, len(body), warnings=warnings)
