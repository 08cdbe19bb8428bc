"""Find the header row of a table whose first rows may be a title, a unit line or blanks.

Police statistics exports put a title (``XX县公安局2025年1-6月警情统计表``), a
unit or date line (``填报单位：城关派出所``) and blank rows above the header.
The header is the row among the first :data:`~.limits.HEADER_SCAN_ROWS` that
names the most known columns (see :mod:`.columns`); a title or unit line
fills one cell (merged cells arrive as one value and blanks), so it never
wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..errors import InputError
from .columns import known_header_count
from .limits import HEADER_SCAN_ROWS, shown

_NUMBER = re.compile(r"^[\s+\-]?[\d.,:/\- ]+$")


@dataclass
class HeaderChoice:
    """Which row of the scanned rows is the header (0-based), what was skipped, and a note for the report.

    ``index`` counts the scanned rows (records); the caller maps it to a line
    or sheet row. ``skipped`` are the indices above it.
    """

    index: int
    skipped: list[int] = field(default_factory=list)
    other_candidates: list[int] = field(default_factory=list)
    given: bool = False


def choose_header_row(rows: list[list[str]], name: str, header_row: int | None = None) -> HeaderChoice:
    """Choose the header among the first rows of a table.

    Parameters
    ----------
    rows : list of list of str
        The first rows as text ('' for an empty cell), at most :data:`HEADER_SCAN_ROWS` are looked at.
    name : str
        The file name, for messages.
    header_row : int, optional
        The user's choice, 1-based among ``rows`` (the line or sheet row); overrides detection.

    Returns
    -------
    HeaderChoice

    Raises
    ------
    InputError
        When no row looks like a header (for example a title with data right below it).

    Notes
    -----
    A row scores by how many of its cells are known header names. Rows that
    tie are resolved towards the row directly above the data when they are
    adjacent (a two-line header: a group line above, the names below) and
    towards the first otherwise (a header repeated further down a paged
    export). Without any known name, the first row with at least two text
    cells, followed by a row of the same width, is taken: the table still
    loads once the user maps its columns. A one-column table (an address
    list) takes its first known header name, else its first filled row.
    """
    if header_row is not None:
        if not 1 <= header_row <= len(rows):
            raise InputError(f"{name}: --header-row {header_row} is past the rows read ({len(rows)}); give a row from 1 to {len(rows)}.")
        index = header_row - 1
        if _text_cells(rows[index]) == 0:
            raise InputError(f"{name}: row {header_row} chosen as the header is blank or holds only numbers.")
        return HeaderChoice(index, [i for i in range(index)], given=True)
    rows = rows[:HEADER_SCAN_ROWS]
    scores = [known_header_count(row) if _text_cells(row) >= 2 else 0 for row in rows]
    best = max(scores, default=0)
    if best > 0:
        tied = [i for i, s in enumerate(scores) if s == best]
        index = tied[0]
        while index + 1 in tied:  # adjacent rows naming the same columns: the lower one sits on the data
            index += 1
        return HeaderChoice(index, list(range(index)), other_candidates=[i for i in tied if i != index])
    for index, row in enumerate(rows):
        if _text_cells(row) >= 2 and _text_cells(row) >= 0.5 * _filled(row) and _has_data_below(rows, index):
            return HeaderChoice(index, list(range(index)))
    if rows and max(_filled(row) for row in rows) == 1:
        # A one-column table (a list of addresses): a title cannot be told from a header by width, so
        # the first row that names a known column is the header, else the first filled row.
        filled = [i for i, row in enumerate(rows) if _filled(row)]
        known = [i for i in filled if known_header_count(rows[i]) > 0]
        if filled and len(filled) > 1:
            index = (known or filled)[0]
            return HeaderChoice(index, list(range(index)))
    first = next((row for row in rows if _filled(row)), [])
    raise InputError(
        f"{name} has no header row in its first {len(rows)} rows (the first is {shown(' '.join(c for c in first if c), 40)}): "
        "add a row of column names above the data, or say which row holds them with --header-row N."
    )


def _filled(row: list[str]) -> int:
    return sum(1 for cell in row if cell.strip())


def _text_cells(row: list[str]) -> int:
    """Cells holding text that is not a number, date or time (header names are words)."""
    return sum(1 for cell in row if cell.strip() and not _NUMBER.match(cell.strip()))


def _has_data_below(rows: list[list[str]], index: int) -> bool:
    width = _filled(rows[index])
    return any(_filled(row) >= max(2, width // 2) for row in rows[index + 1 :])


def header_note(header_line: int, skipped: list[int]) -> dict:
    """The sentence for the report in Chinese and English: ``表头在第 3 行；跳过标题行 1–2``."""
    zh = f"表头在第 {header_line} 行"
    en = f"Header on row {header_line}"
    if skipped:
        span = row_span(skipped)
        zh += f"；跳过标题行 {span}"
        en += f"; title rows {span} skipped"
    return {"zh": zh, "en": en}


def row_span(numbers: list[int]) -> str:
    """``1–2`` for consecutive numbers, ``1, 3`` otherwise."""
    if numbers == list(range(numbers[0], numbers[-1] + 1)) and len(numbers) > 1:
        return f"{numbers[0]}–{numbers[-1]}"
    return ", ".join(str(n) for n in numbers)


def rival_note(used: int, others: list[int]) -> list[str]:
    """A warning when other rows looked as much like the header as row ``used`` (1-based rows)."""
    if not others:
        return []
    listed = ", ".join(str(n) for n in others)
    return [f"Rows {listed} and {used} both look like header rows; row {used} was used. Give --header-row N to choose another."]
