"""CSV (and tab/semicolon text) tables, read fast with pyarrow and robustly when that fails.

The fast path hands the bytes to pyarrow's multi-threaded parser with every
column as text (numbers and dates are read later, so one bad value rejects
one row, not the file). Anything unusual — mixed encodings, a truncated
multibyte character, rows with the wrong number of fields — falls back to a
line-by-line path that gives every rejected row its number and reason.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..errors import InputError, RowProblem
from .columns import dedupe_headers
from .encoding import codec_for, decode_lines, detect_encoding


@dataclass
class RawTable:
    """Rows of text cells read from a file, before any column is interpreted.

    ``rows`` holds the 1-based data-row number of each kept row, so later
    rejections name the row as the user sees it.
    """

    frame: pd.DataFrame
    rows: np.ndarray
    rows_read: int
    rejects: list[RowProblem] = field(default_factory=list)
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)


def read_csv_table(path: Path, encoding: str | None = None) -> RawTable:
    """Read ``path`` as a delimited text table of strings.

    Parameters
    ----------
    path : Path
    encoding : str, optional
        Force an encoding; detected from the bytes when None.
    """
    raw = path.read_bytes()
    if not raw[:65536].strip() and not raw.strip():  # the full scan only for a file that starts blank
        raise InputError(f"{path.name} is empty: there is nothing to load.")
    detected = encoding or detect_encoding(raw)
    delimiter = _sniff_delimiter(raw[:65536])
    if detected != "mixed":
        table = _read_fast(raw, detected, delimiter)
        if table is not None:
            return table
    return _read_robust(raw, detected, delimiter)


def _first_line(raw: bytes) -> bytes:
    end = raw.find(b"\n")
    return (raw if end < 0 else raw[:end]).rstrip(b"\r")


def _sniff_delimiter(sample: bytes) -> str:
    first = _first_line(sample)
    counts = {d: first.count(d.encode()) for d in (",", "\t", ";", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def _header(raw: bytes, codec: str, delimiter: str) -> list[str]:
    first = _first_line(raw).decode(codec)
    return next(csv.reader([first], delimiter=delimiter))


def _read_fast(raw: bytes, encoding: str, delimiter: str) -> RawTable | None:
    codec = codec_for(encoding)
    try:
        header = _header(raw, codec, delimiter)
    except UnicodeDecodeError:
        return None
    names, repeated = dedupe_headers(header)
    invalid: list = []
    if not codec.startswith("utf-8"):
        # One C-speed decode of the whole file beats pyarrow's chunked transcoding through the same Python codec.
        try:
            raw = raw.decode(codec).encode("utf-8")
        except UnicodeDecodeError:
            return None

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            pa.py_buffer(raw),
            # The system allocator hands freed parse buffers back to malloc, where the million
            # point geometries built next can reuse them instead of faulting in fresh pages.
            memory_pool=pa.system_memory_pool(),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names}, strings_can_be_null=True, quoted_strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError, LookupError):
        return None
    if invalid:
        return None  # pyarrow cannot say which rows; the robust path can.
    string = pd.StringDtype("pyarrow")
    frame = table.to_pandas(types_mapper={pa.string(): string, pa.large_string(): string}.get, memory_pool=pa.system_memory_pool())
    n = len(frame)
    return RawTable(frame, np.arange(1, n + 1), n, encoding=encoding, warnings=_repeated_note(repeated))


def _read_robust(raw: bytes, encoding: str, delimiter: str) -> RawTable:
    lines, bad_lines, counts = decode_lines(raw)
    if not lines:
        raise InputError("The file has no lines to read.")
    header = next(csv.reader([lines[0]], delimiter=delimiter))
    names, repeated = dedupe_headers(header)
    bad = set(bad_lines)
    reader = csv.reader(io.StringIO("\n".join(lines[1:]) + "\n"), delimiter=delimiter)
    records, rows, rejects = [], [], []
    row = 0
    last_line = 0
    for record in reader:
        first_line, last_line = last_line + 1, reader.line_num  # 1-based, within the data lines
        if not record or all(cell == "" for cell in record) and len(record) <= 1:
            continue  # blank lines are not rows, as on the fast path
        row += 1
        if any(line in bad for line in range(first_line, last_line + 1)):
            rejects.append(RowProblem(row, "bytes that are neither UTF-8 nor GBK (mixed encodings or a truncated character)"))
        elif len(record) != len(names):
            rejects.append(RowProblem(row, f"has {len(record)} fields where the header has {len(names)}"))
        else:
            records.append(record)
            rows.append(row)
    frame = pd.DataFrame(records, columns=names, dtype="string[pyarrow]") if records else pd.DataFrame(
        {name: pd.Series([], dtype="string[pyarrow]") for name in names}
    )
    frame = frame.replace("", pd.NA)
    warnings = _repeated_note(repeated)
    if counts["utf-8"] and counts["gb18030"] and encoding == "mixed":
        warnings.append(f"Mixed encodings: {counts['utf-8']} lines read as UTF-8 and {counts['gb18030']} as GB18030.")
    used = "mixed" if encoding == "mixed" else encoding
    return RawTable(frame, np.asarray(rows, dtype=np.int64), row, rejects, used, warnings)


def _repeated_note(repeated: list[str]) -> list[str]:
    if not repeated:
        return []
    return [f"Repeated column headers were renamed so that none is lost: {', '.join(sorted(set(repeated)))} (second copy gets _2)."]
