"""CSV (and tab/semicolon text) tables, read fast with pyarrow and robustly when that fails.

The fast path hands the bytes to pyarrow's multi-threaded parser with every
column as text (numbers and dates are read later, so one bad value rejects
one row, not the file). A GBK file is parsed as bytes and only its Chinese
columns are decoded, on a background thread (see :mod:`gisapp.layers.io.transcode`),
so the coordinates can be read and projected meanwhile. Anything unusual — mixed encodings, a truncated
multibyte character, rows with the wrong number of fields — falls back to a
line-by-line path that gives every rejected row its number and reason.
"""

from __future__ import annotations

import csv
import io
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..errors import InputError, RowProblem
from .columns import dedupe_headers
from .encoding import SAMPLE_BYTES, codec_for, decode_lines, detect_encoding
from .transcode import decode_column, is_ascii

_STRING = pd.StringDtype("pyarrow")
#: pyarrow parses in blocks of this size, one column chunk each: large enough to give the background
#: decoder few, long steps (each lets go of the GIL), small enough to keep both cores parsing.
_BLOCK_BYTES = 16 << 20


@dataclass
class RawTable:
    """Rows of text cells read from a file, before any column is interpreted.

    ``columns`` maps each header, in file order, to its cells: a Series, or a
    Future of one while a background thread is still decoding it.
    ``rows`` holds the 1-based data-row number of each kept row, so later
    rejections name the row as the user sees it.
    """

    columns: dict[str, pd.Series | Future]
    rows: np.ndarray
    rows_read: int
    rejects: list[RowProblem] = field(default_factory=list)
    encoding: str | None = None
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, rows: np.ndarray, rows_read: int, **details) -> RawTable:
        return cls({name: frame[name] for name in frame.columns}, rows, rows_read, **details)

    @property
    def headers(self) -> list[str]:
        return list(self.columns)

    def column(self, name: str) -> pd.Series:
        """The cells of one column, waiting for its decoding if need be.

        Raises
        ------
        UndecodableText
            When the column holds bytes that are not text in the file's
            encoding; the caller rereads with ``read_csv_table(..., robust=True)``.
        """
        cells = self.columns[name]
        if isinstance(cells, Future):
            cells = self.columns[name] = cells.result()
        return cells

    @property
    def frame(self) -> pd.DataFrame:
        """Every column (waiting for those still being decoded)."""
        return pd.DataFrame({name: self.column(name) for name in self.columns}, copy=False)


def read_csv_table(path: Path, encoding: str | None = None, robust: bool = False) -> RawTable:
    """Read ``path`` as a delimited text table of strings.

    Parameters
    ----------
    path : Path
    encoding : str, optional
        Force an encoding; detected from the bytes when None.
    robust : bool
        Go line by line from the start (after the fast path found bytes it
        could not decode).
    """
    head = _read(path, SAMPLE_BYTES + 1)  # one byte more than the sample tells detection it is not the whole file
    if not head[:65536].strip() and not _read(path).strip():  # the full scan only for a file that starts blank
        raise InputError(f"{path.name} is empty: there is nothing to load.")
    detected = encoding or detect_encoding(head)
    delimiter = _sniff_delimiter(head[:65536])
    if detected != "mixed" and not robust:
        table = _read_fast(path, head, detected, delimiter)
        if table is not None:
            return table
    return _read_robust(_read(path), detected, delimiter)


def _read(path: Path, size: int = -1) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read(size)
    except OSError as error:
        raise InputError(f"{path.name} cannot be read: {error.strerror or error}.") from None


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


def _read_fast(path: Path, head: bytes, encoding: str, delimiter: str) -> RawTable | None:
    codec = codec_for(encoding)
    try:
        header = _header(head, codec, delimiter)
    except UnicodeDecodeError:
        return None
    names, repeated = dedupe_headers(header)
    # Safe to split undecoded: no byte of a GB18030 character is a comma, tab, semicolon, quote or
    # newline. It can be a '|' (0x7C is a valid second byte), so '|'-separated files are decoded first.
    as_bytes = codec == "gb18030" and delimiter != "|"
    source = str(path)  # pyarrow reads the file itself, overlapping reading with parsing
    if not as_bytes and not codec.startswith("utf-8"):
        try:
            source = pa.py_buffer(_read(path).decode(codec).encode("utf-8"))
        except UnicodeDecodeError:
            return None
    table = _parse(source, names, delimiter, pa.binary() if as_bytes else pa.string())
    if table is None:
        return None
    columns = _byte_columns(table, names, codec) if as_bytes else {name: _series(table[name]) for name in names}
    n = table.num_rows
    return RawTable(columns, np.arange(1, n + 1), n, encoding=encoding, warnings=_repeated_note(repeated))


def _byte_columns(table: pa.Table, names: list[str], codec: str) -> dict[str, pd.Series | Future]:
    """Columns of a table parsed as bytes: ASCII ones as they are, the rest decoded on a background thread."""
    columns: dict[str, pd.Series | Future] = {}
    text = []
    for name in names:
        if is_ascii(table[name]):  # numbers, times, case numbers: already UTF-8
            columns[name] = _series(pa.chunked_array([chunk.view(pa.string()) for chunk in table[name].chunks], pa.string()))
        else:
            columns[name] = None  # keeps the file's column order
            text.append(name)
    if text:
        decoder = ThreadPoolExecutor(1, thread_name_prefix="gisapp-decode")
        # Largest first: it is then done before the point building starts competing for memory.
        for name in sorted(text, key=lambda name: -table[name].nbytes):
            columns[name] = decoder.submit(_decoded, table[name], codec)
        decoder.shutdown(wait=False)  # the thread ends once the queued columns are done
    return columns


def _parse(source, names: list[str], delimiter: str, cell_type: pa.DataType) -> pa.Table | None:
    """pyarrow's parse with every cell as ``cell_type``; None when a row is malformed."""
    invalid: list = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        invalid.append(row)
        return "skip"

    try:
        table = pacsv.read_csv(
            source,
            # The system allocator hands freed parse buffers back to malloc, where the million
            # point geometries built next can reuse them instead of faulting in fresh pages.
            memory_pool=pa.system_memory_pool(),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=_BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={name: cell_type for name in names}, strings_can_be_null=True, quoted_strings_can_be_null=False
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError, LookupError, OSError):
        return None  # the robust path reads again and says what is wrong
    return None if invalid else table  # pyarrow cannot say which rows were bad; the robust path can.


def _decoded(column: pa.ChunkedArray, codec: str) -> pd.Series:
    return _series(decode_column(column, codec))


def _series(column: pa.ChunkedArray) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(column), dtype=_STRING, copy=False)


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
    return RawTable.from_frame(frame, np.asarray(rows, dtype=np.int64), row, rejects=rejects, encoding=used, warnings=warnings)


def _repeated_note(repeated: list[str]) -> list[str]:
    if not repeated:
        return []
    return [f"Repeated column headers were renamed so that none is lost: {', '.join(sorted(set(repeated)))} (second copy gets _2)."]
