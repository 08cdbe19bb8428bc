"""Small helpers that turn analysis numbers into JSON-ready summary values."""

from __future__ import annotations

import numpy as np
import pandas as pd


def share(part, whole, digits: int = 4) -> float | None:
    """``part / whole`` rounded, or None when there is no whole to divide by (nothing to share)."""
    return None if not whole else round(float(part) / float(whole), digits)


def plain(value, digits: int = 4):
    """A numpy or pandas scalar as a plain JSON value: ints, rounded finite floats, bools, None for missing.

    Anything else that is not a JSON scalar becomes its text, so a summary always serialises.
    """
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if not np.isfinite(value) else round(float(value), digits)
    if isinstance(value, np.bool_):
        return bool(value)
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    return value if isinstance(value, (int, str, bool)) else str(value)


def plain_row(row: dict, digits: int = 4) -> dict:
    """Every value of ``row`` through :func:`plain`."""
    return {key: plain(value, digits) for key, value in row.items()}
