"""The one exception family of gisapp.

Every error a user can cause is a :class:`GisappError`. Front ends print
``str(error)`` (one sentence) and never a traceback; anything else escaping is
an internal error (exit code 1).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# C0 and C1 controls, DEL, and the bidirectional overrides that can reorder what a terminal shows.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    """``text`` with every control character written as an escape (``\\x00``, ``\\n``, ``\\u202e``)."""
    return _CONTROLS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class GisappError(Exception):
    """Base of every error caused by input, arguments or data.

    The message is printed on a terminal or shown in a dialog, and often
    quotes text from a file: control characters in it (NUL, form feed, ESC
    of a terminal escape sequence, a line break that would make two lines of
    one) are shown escaped, as ``\\x1b``, never sent raw.
    """

    def __init__(self, message: str = "", *args):
        super().__init__(escape_controls(str(message)), *args)


@dataclass(frozen=True)
class RowProblem:
    """One rejected (or corrected, or warned-about) row.

    ``row`` counts data rows from 1, as a spreadsheet user reads them;
    ``reason`` is a sentence for people, ``kind`` a short stable key for
    programs and counts (``no_coordinates``, ``summary_row``, ...; see
    :data:`gisapp.layers.report.REASON_KINDS`).
    """

    row: int
    reason: str
    kind: str = "other"

    def to_dict(self) -> dict:
        return {"row": self.row, "reason": self.reason, "kind": self.kind}

    @classmethod
    def from_dict(cls, data: dict) -> "RowProblem":
        return cls(int(data["row"]), str(data["reason"]), str(data.get("kind", "other")))


class InputError(GisappError):
    """A file, argument or layer that cannot be used.

    Parameters
    ----------
    message : str
        One sentence that says what is wrong and, where possible, what to do.
    rows : list of RowProblem, optional
        The rows that caused it, when the problem is row-level.
    """

    def __init__(self, message: str, rows: list[RowProblem] | None = None):
        super().__init__(message)
        self.rows = list(rows or [])


class AnalysisError(GisappError):
    """An analysis that cannot run on the data it was given (too few points, zero variance, ...)."""
