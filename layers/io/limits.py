"""Limits that keep a hostile or broken file from costing minutes and gigabytes before it is refused.

A real police export has tens of columns and cells of at most a few
kilobytes (a case narrative). A file outside these limits is refused in one
sentence before any table is built: a 5 MB line of commas would otherwise
become five million columns.
"""

from __future__ import annotations

import contextlib
import csv

from ..errors import InputError

#: Columns a table may have. Wide statistical sheets reach a few hundred.
MAX_COLUMNS = 1000
#: Rows at the top of a table searched for the header row (titles, units and blanks above it).
HEADER_SCAN_ROWS = 30
#: Bytes at the top of a text file searched for the header row.
HEADER_SCAN_BYTES = 1 << 20
#: Characters one cell may hold on the line-by-line reader (Python's csv module stops at 128 KiB by default).
MAX_FIELD_CHARS = 64 << 20
#: Characters of a value from a file quoted in a message.
SHOWN_CHARS = 60


def check_column_count(count: int, name: str) -> None:
    """Refuse a table with more than :data:`MAX_COLUMNS` columns, before it is built."""
    if count > MAX_COLUMNS:
        raise InputError(
            f"{name} has {count:,} columns in one row, more than the {MAX_COLUMNS:,} gisapp reads: "
            "it is not a table export (check the delimiter, or that this is the right file)."
        )


def shown(value, limit: int = SHOWN_CHARS) -> str:
    """A value from a file, quoted and cut for a message (control characters are escaped by InputError)."""
    text = str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


@contextlib.contextmanager
def large_csv_fields():
    """Let Python's csv module read cells up to :data:`MAX_FIELD_CHARS` (it stops at 128 KiB otherwise)."""
    old = csv.field_size_limit()
    csv.field_size_limit(max(old, MAX_FIELD_CHARS))
    try:
        yield
    finally:
        csv.field_size_limit(old)
