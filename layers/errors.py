"""The one exception family of gisapp.

Every error a user can cause is a :class:`GisappError`. Front ends print
``str(error)`` (one sentence) and never a traceback; anything else escaping is
an internal error (exit code 1).
"""

from __future__ import annotations

from dataclasses import dataclass


class GisappError(Exception):
    """Base of every error caused by input, arguments or data."""


@dataclass(frozen=True)
class RowProblem:
    """One rejected row: ``row`` counts data rows from 1, as a spreadsheet user reads them."""

    row: int
    reason: str

    def to_dict(self) -> dict:
        return {"row": self.row, "reason": self.reason}


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
