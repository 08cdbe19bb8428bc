"""CSV (and tab/semicolon text) tables, read fast with pyarrow and robustly when that fails.

The fast path hands the bytes to pyarrow's multi-threaded parser with every
column as text (numbers and dates are read later, so one bad value rejects
one row, not the file). A GBK file is parsed as bytes and only its Chinese
columns are decoded, on a background thread (see :mod:`gisapp.layers.io.transcode`),
so the coordinates can be read and projected meanwhile. Anything unusual — mixed encodings, a truncated
multibyte character, rows with the wrong number of fields — falls back to a
line-by-line path that gives every rejected row its number and reason.

Before either, the first rows are read with Python's csv module to find the
header row (titles, unit lines and blanks above it are skipped, see
:mod:`.header_row`), the delimiter (from those rows, not just the first
line, which may be a title) and a column count that is refused early when a
hostile file has thousands (see :mod:`.limits`). Old-Mac ``\\r`` line endings
are lines like any other; UTF-16 files (with a BOM, or detected from their
zero bytes) are converted to UTF-8 first.
"""

from __future__ import annotations

import csv
import io
import re
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..errors import InputError, RowProblem
from ..memory import release_freed_memory
from .columns import dedupe_headers, repeated_headers_note
from .encoding import SAMPLE_BYTES, codec_for, decode_lines, detect_encoding
from .header_row import HeaderChoice, choose_header_row, rival_note
from .limits import HEADER_SCAN_ROWS, check_column_count, large_csv_fields
from .transcode import decode_column, is_ascii

_STRING = pd.StringDtype("pyarrow")
_QUOTED = re.compile(rb'"[^"]*"')
#: Files up to this size are read into memory and parsed on this thread: no pyarrow I/O or CPU
#: pool thread is started for them (small files gain nothing from threads, and a header-only file
#: then leaves no native thread behind at exit).
_IN_MEMORY_BYTES = 4 << 20
#: pyarrow parses in blocks of this size, one column chunk each: large enough to give the background
#: decoder few, long steps (each lets go of the GIL), small enough to keep both cores parsing.
_BLOCK_BYTES = 4 << 20


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
    #: 1-based line (or sheet row) of the header, and the lines above it that were skipped.
    header_row: int | None = None
    skipped_rows: list[int] = field(default_factory=list)
    #: The sheet read and every sheet of a workbook.
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)

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

    def decoding(self) -> bool:
        """Whether a column is still being decoded on another thread (which point building should let run)."""
        return any(isinstance(cells, Future) and not cells.done() for cells in self.columns.values())

    def settle(self) -> None:
        """Wait for every background decoding to end (its errors are the reader's to raise, not ours).

        Called whatever happens to the table, so that no decoding thread is
        still inside iconv when a refusal ends the program: an exit racing a
        running native thread is what aborts with "terminate called without
        an active exception".
        """
        pending = [cells for cells in self.columns.values() if isinstance(cells, Future)]
        if pending:
            wait(pending)

    @property
    def frame(self) -> pd.DataFrame:
        """Every column (waiting for those still being decoded)."""
        return pd.DataFrame({name: self.column(name) for name in self.columns}, copy=False)


def read_csv_table(path: Path, encoding: str | None = None, robust: bool = False, header_row: int | None = None,
                   keep=None) -> RawTable:
    """Read ``path`` as a delimited text table of strings.

    Parameters
    ----------
    path : Path
    encoding : str, optional
        Force an encoding; detected from the bytes when None.
    robust : bool
        Go line by line from the start (after the fast path found bytes it
        could not decode).
    header_row : int, optional
        1-based line of the header; found among the first rows when None.
    keep : callable, optional
        ``keep(headers) -> set of headers``: parse only those columns (an
        analysis that needs coordinates and a time need not decode a
        million narratives); every column when None.
    """
    head = _read(path, SAMPLE_BYTES + 1)  # one byte more than the sample tells detection it is not the whole file
    if not head[:65536].strip() and not _read(path).strip():  # the full scan only for a file that starts blank
        raise InputError(f"{path.name} is empty: there is nothing to load.")
    detected = encoding or detect_encoding(head)
    source: str | pa.Buffer = str(path)
    if detected.startswith("utf-16") or detected.startswith("utf-32"):
        # Not ASCII-compatible: nothing below can split its bytes, so it becomes UTF-8 first.
        source = pa.py_buffer(_decoded_whole(path, detected).encode("utf-8"))
        head = source.to_pybytes()[: SAMPLE_BYTES + 1]
    delimiter = _sniff_delimiter(head[:65536])
    _check_width(head, delimiter, path.name)
    if detected != "mixed" and not robust:
        table = _read_fast(path, source, head, detected, delimiter, header_row, keep)
        if table is not None:
            return table
    raw = source.to_pybytes() if isinstance(source, pa.Buffer) else _read(path)
    table = _read_robust(raw, detected, delimiter, path.name, header_row)
    if keep is not None:
        kept = keep(table.headers)
        table.columns = {name: cells for name, cells in table.columns.items() if name in kept}
    return table


def _read(path: Path, size: int = -1) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read(size)
    except OSError as error:
        raise InputError(f"{path.name} cannot be read: {error.strerror or error}.") from None


def _decoded_whole(path: Path, encoding: str) -> str:
    try:
        return _read(path).decode(codec_for(encoding))
    except UnicodeDecodeError:
        raise InputError(f"{path.name} looks like {encoding.upper()} text but is not valid {encoding.upper()}; save it as UTF-8.") from None


def _head_lines(sample: bytes, count: int = HEADER_SCAN_ROWS) -> list[bytes]:
    """The first ``count`` lines of the first 64 KiB, ended by \\n, \\r\\n or a lone \\r (old Mac files)."""
    return sample[:65536].splitlines()[:count]


def _sniff_delimiter(sample: bytes) -> str:
    """The delimiter that splits the first lines into the most fields most consistently.

    The first line may be a title without any, so each candidate is scored by
    the field count it gives most lines (and how many lines give it).
    """
    lines = [line for line in _head_lines(sample) if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in (",", "\t", ";", "|"):
        counts = [line.count(delimiter.encode()) for line in lines]
        common = max(set(counts), key=lambda c: (counts.count(c) if c else 0, c), default=0)
        score = (counts.count(common) if common else 0, common)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _check_width(head: bytes, delimiter: str, name: str) -> None:
    """Refuse a line with more fields than a table may have, before anything is parsed."""
    # Quoted text (a narrative full of commas) is left out of the count.
    widest = max((_QUOTED.sub(b"", line).count(delimiter.encode()) + 1 for line in _head_lines(head)), default=0)
    check_column_count(widest, name)


def _scan_head(text: str, delimiter: str, name: str, header_row: int | None) -> tuple[list[str], HeaderChoice, list[int]]:
    """Parse the first records of ``text``; choose the header. Returns its cells, the choice and each record's last line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, ends = [], []
    wanted = max(HEADER_SCAN_ROWS, header_row or 0)
    with large_csv_fields():
        try:
            for record in reader:
                records.append(record)
                ends.append(reader.line_num)
                if len(records) >= wanted:
                    break
        except csv.Error as error:
            raise InputError(f"{name} cannot be read as a table near line {reader.line_num}: {error}.") from None
    choice = choose_header_row([[cell.strip() for cell in record] for record in records], name, header_row)
    return records[choice.index], choice, ends


def _read_fast(path: Path, source, head: bytes, encoding: str, delimiter: str, header_row: int | None, keep=None) -> RawTable | None:
    codec = "utf-8" if isinstance(source, pa.Buffer) else codec_for(encoding)
    sample = head[:SAMPLE_BYTES]
    if len(head) > SAMPLE_BYTES:  # a sample cut mid-character would not decode: cut it at a line end
        sample = sample[: max(sample.rfind(b"\n"), sample.rfind(b"\r")) + 1] or sample
    header, choice, ends = _scan_head(sample.decode(codec, errors="replace"), delimiter, path.name, header_row)
    if any("\ufffd" in cell for cell in header):  # not this encoding after all: the robust path decodes line by line
        return None
    names, repeated = dedupe_headers(header)
    check_column_count(len(names), path.name)
    skip = ends[choice.index]  # physical lines up to and including the header, as pyarrow counts them
    # Safe to split undecoded: no byte of a GB18030 character is a comma, tab, semicolon, quote or
    # newline. It can be a '|' (0x7C is a valid second byte), so '|'-separated files are decoded first.
    as_bytes = codec == "gb18030" and delimiter != "|"
    if not as_bytes and not codec.startswith("utf-8"):
        try:
            source = pa.py_buffer(_read(path).decode(codec).encode("utf-8"))
        except UnicodeDecodeError:
            return None
    threads = True
    if isinstance(source, str) and path.stat().st_size <= _IN_MEMORY_BYTES:
        source, threads = pa.py_buffer(_read(path)), False
    wanted = names if keep is None else [name for name in names if name in keep(names)]
    table = _parse(source, names, delimiter, pa.binary() if as_bytes else pa.string(), skip, threads, wanted)
    if table is None:
        return None
    columns = _byte_columns(table, wanted, codec) if as_bytes else {name: _series(table[name]) for name in wanted}
    release_freed_memory()  # the parse buffers, hundreds of megabytes for a big file, before the points are built
    n = table.num_rows
    return RawTable(columns, np.arange(1, n + 1), n, encoding=encoding, warnings=_header_notes(repeated, choice, ends),
                    **_layout(choice, ends))


def _layout(choice: HeaderChoice, ends: list[int]) -> dict:
    """The header line and the skipped lines above it, 1-based, for the report."""
    first_line = lambda index: (ends[index - 1] + 1) if index else 1  # noqa: E731
    return {"header_row": first_line(choice.index), "skipped_rows": list(range(1, first_line(choice.index)))}


def _header_notes(repeated: list[str], choice: HeaderChoice, ends: list[int]) -> list[str]:
    line = lambda index: _layout(HeaderChoice(index), ends)["header_row"]  # noqa: E731
    return repeated_headers_note(repeated) + rival_note(line(choice.index), [line(i) for i in choice.other_candidates])


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


def _parse(source, names: list[str], delimiter: str, cell_type: pa.DataType, skip: int = 1, threads: bool = True,
           wanted: list[str] | None = None) -> pa.Table | None:
    """pyarrow's parse with every cell as ``cell_type`` (only the ``wanted`` columns); None when a row is malformed."""
    wanted = names if wanted is None else wanted
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
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=skip, block_size=_BLOCK_BYTES, use_threads=threads),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid),
            convert_options=pacsv.ConvertOptions(
                column_types={name: cell_type for name in wanted}, include_columns=wanted,
                strings_can_be_null=True, quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError, LookupError, OSError):
        return None  # the robust path reads again and says what is wrong
    return None if invalid else table  # pyarrow cannot say which rows were bad; the robust path can.


def _decoded(column: pa.ChunkedArray, codec: str) -> pd.Series:
    return _series(decode_column(column, codec))


def _series(column: pa.ChunkedArray) -> pd.Series:
    return pd.Series(pd.arrays.ArrowStringArray(column), dtype=_STRING, copy=False)


def _read_robust(raw: bytes, encoding: str, delimiter: str, name: str = "The file", header_row: int | None = None) -> RawTable:
    lines, bad_lines, counts = decode_lines(raw)
    if not lines:
        raise InputError(f"{name} has no lines to read.")
    header, choice, ends = _scan_head("\n".join(lines[: max(HEADER_SCAN_ROWS, header_row or 0) * 4]), delimiter, name, header_row)
    names, repeated = dedupe_headers(header)
    check_column_count(len(names), name)
    start = ends[choice.index]  # lines of the header and above
    bad = {line - start for line in bad_lines if line >= start}
    records, rows, rejects = [], [], []
    row = 0
    last_line = 0
    with large_csv_fields():
        reader = csv.reader(io.StringIO("\n".join(lines[start:]) + "\n"), delimiter=delimiter)
        try:
            for record in reader:
                first_line, last_line = last_line + 1, reader.line_num  # 1-based, within the data lines
                if not record or all(cell == "" for cell in record) and len(record) <= 1:
                    continue  # blank lines are not rows, as on the fast path
                row += 1
                if any(line - 1 in bad for line in range(first_line, last_line + 1)):
                    rejects.append(RowProblem(row, "bytes that are neither UTF-8 nor GBK (mixed encodings or a truncated character)", "undecodable"))
                elif len(record) != len(names):
                    rejects.append(RowProblem(row, f"has {len(record)} fields where the header has {len(names)}", "ragged_row"))
                else:
                    records.append(record)
                    rows.append(row)
        except csv.Error as error:  # an unterminated quote running to the end of the file
            raise InputError(f"{name} cannot be read as a table after data row {row}: {error}.") from None
    frame = pd.DataFrame(records, columns=names, dtype="string[pyarrow]") if records else pd.DataFrame(
        {column: pd.Series([], dtype="string[pyarrow]") for column in names}
    )
    frame = frame.replace("", pd.NA)
    warnings = _header_notes(repeated, choice, ends)
    if counts["utf-8"] and counts["gb18030"] and encoding == "mixed":
        warnings.append(f"Mixed encodings: {counts['utf-8']} lines read as UTF-8 and {counts['gb18030']} as GB18030.")
    used = "mixed" if encoding == "mixed" else encoding
    return RawTable.from_frame(frame, np.asarray(rows, dtype=np.int64), row, rejects=rejects, encoding=used, warnings=warnings,
                               **_layout(choice, ends))
