"""Degrees-minutes-seconds text: ``105°05'24.0"``, ``105d05m24s``, ``105°5′24″``, ``东经105度5分24秒``, ``31°05.4'N``.

Only the cells that are not plain numbers come here, so a file of decimal
degrees pays nothing. A hemisphere letter (N/S/E/W) or word (东经/西经/北纬/
南纬), before or after, gives the sign and tells longitude from latitude.
Minutes or seconds of 60 and more are not rolled over: the row is rejected
with the reason, as an impossible date is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_HEMISPHERE = r"(?:[NSEWnsew]|东经|西经|北纬|南纬)"
_NUMBER = r"\d+(?:\.\d+)?"
_PATTERN = (
    rf"^\s*(?P<h1>{_HEMISPHERE})?\s*(?P<sign>[-+])?\s*(?P<deg>{_NUMBER})\s*(?:°|º|˚|d|度|:)\s*"
    rf"(?:(?P<min>{_NUMBER})\s*(?:'|m|分|:)?\s*)?"
    rf"(?:(?P<sec>{_NUMBER})\s*(?:\"|s|秒)?\s*)?"
    rf"(?P<h2>{_HEMISPHERE})?\s*$"
)
# Typographic primes and quotes, full-width forms: one spelling for the pattern.
_SPELLINGS = str.maketrans({"′": "'", "’": "'", "‘": "'", "´": "'", "″": '"', "”": '"', "“": '"', "＂": '"', "＇": "'", "：": ":"})
_NEGATIVE = {"s", "w", "西经", "南纬"}
_LATITUDE = {"n", "s", "北纬", "南纬"}


def parse_dms(text: pd.Series) -> tuple[np.ndarray, np.ndarray, list[str | None]]:
    """Read DMS text as decimal degrees.

    Parameters
    ----------
    text : Series of str

    Returns
    -------
    degrees : ndarray of float
        NaN where a value is not DMS or is impossible.
    is_latitude : ndarray of bool
        True where a hemisphere letter or word names a latitude (N/S, 北纬/南纬).
    problems : list of str or None
        Per value: why a DMS-looking value is impossible (``"minutes 65 are 60 or more"``), else None.
    """
    clean = text.astype("string").str.translate(_SPELLINGS).str.replace("''", '"', regex=False)
    parts = clean.str.extract(_PATTERN)
    degrees = pd.to_numeric(parts["deg"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    minutes = pd.to_numeric(parts["min"], errors="coerce").fillna(0).to_numpy(dtype=float)
    seconds = pd.to_numeric(parts["sec"], errors="coerce").fillna(0).to_numpy(dtype=float)
    hemisphere = parts["h1"].fillna(parts["h2"]).str.lower().fillna("")
    problems: list[str | None] = [None] * len(text)
    for i in np.flatnonzero((minutes >= 60) | (seconds >= 60)):
        unit, value = ("minutes", minutes[i]) if minutes[i] >= 60 else ("seconds", seconds[i])
        problems[i] = f"{unit} {value:g} are 60 or more in {text.iloc[i]!r}"
    # Decimal minutes with seconds too (5.5'24") would count twice: not a DMS spelling.
    for i in np.flatnonzero((seconds > 0) & (minutes % 1 != 0)):
        problems[i] = f"decimal minutes followed by seconds in {text.iloc[i]!r}"
    value = degrees + minutes / 60.0 + seconds / 3600.0
    negative = hemisphere.isin(_NEGATIVE).to_numpy() | (parts["sign"] == "-").fillna(False).to_numpy(dtype=bool)
    value = np.where(negative, -value, value)
    value[np.array([p is not None for p in problems], dtype=bool)] = np.nan
    return value, hemisphere.isin(_LATITUDE).to_numpy(), problems
