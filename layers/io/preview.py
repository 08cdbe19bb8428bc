"""What the window's import preview shows, computed without Qt: the table as found, and the layer as it would load.

:func:`preview_file` reads a table twice over: once as raw cells (the header
row found, the first rows as they are in the file, every sheet name), once
through :func:`~gisapp.layers.io.read_layers` with the options chosen, whose
layer (or one-sentence refusal) the preview shows and, when the user accepts
without changing anything, the window adds as it is.

:func:`file_signature` names an export by its set of header names, so the
choices made for one week's export apply to the next week's.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import GisappError
from .grid import cell_text

#: Table files the import preview is shown for (vector files carry their own columns and CRS).
PREVIEW_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods"}
#: The read_layers keywords an import remembers.
OPTION_KEYS = ("kind", "columns", "crs", "encoding", "sheet", "header_row")


@dataclass
class Preview:
    """The first rows as found, and the layer as it would load (or why it cannot)."""

    path: Path
    options: dict
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    header_row: int | None = None
    sheets: list[str] = field(default_factory=list)
    encoding: str | None = None
    layers: list = field(default_factory=list)
    error: str | None = None

    @property
    def layer(self):
        return self.layers[0] if self.layers else None

    @property
    def signature(self) -> str | None:
        return file_signature(self.headers) if self.headers else None


def wants_preview(path) -> bool:
    return Path(path).suffix.lower() in PREVIEW_SUFFIXES


def clean_options(options: dict | None) -> dict:
    """Only the remembered keywords, without empty values (JSON-ready)."""
    out = {}
    for key in OPTION_KEYS:
        value = (options or {}).get(key)
        if value not in (None, "", {}):
            out[key] = dict(value) if isinstance(value, dict) else value
    return out


def file_signature(headers) -> str:
    """A short stable name for an export's layout: the hash of its sorted, stripped header names."""
    names = sorted({str(h).strip() for h in headers if str(h).strip()})
    return hashlib.sha1("\x1f".join(names).encode("utf-8")).hexdigest()[:16]


def preview_file(path, options: dict | None = None, rows: int = 20) -> Preview:
    """Read ``path`` for the preview (safe to run on a worker thread; never raises for a bad file)."""
    from . import read_layers

    path = Path(path)
    options = clean_options(options)
    preview = Preview(path, options)
    try:
        table = _raw_table(path, options)
        preview.headers = table.headers
        preview.header_row, preview.sheets, preview.encoding = table.header_row, list(table.sheets), table.encoding
        frame = table.frame.head(rows)
        preview.rows = [["" if _blank(v) else cell_text(v) for v in row] for row in frame.itertuples(index=False)]
    except GisappError as error:
        preview.error = str(error)
        return preview
    try:
        preview.layers = read_layers(path, **options)
    except GisappError as error:
        preview.error = str(error)
    return preview


def _raw_table(path: Path, options: dict):
    if path.suffix.lower() in {".xlsx", ".xlsm", ".xls", ".ods"}:
        from .excel import read_excel_table

        return read_excel_table(path, options.get("sheet"), options.get("header_row"))
    from .csv import read_csv_table

    table = read_csv_table(path, options.get("encoding"), header_row=options.get("header_row"))
    try:
        table.frame  # noqa: B018  (decodes every column; bad bytes send it line by line)
    except ValueError:
        table = read_csv_table(path, options.get("encoding"), robust=True, header_row=options.get("header_row"))
    return table


def _blank(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):  # a list or array in a cell is not blank
        return False
