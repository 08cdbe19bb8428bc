"""Recognise the total, subtotal and signature rows that statistics exports put among or below the data.

``合计 | | 800``, ``小计``, ``总计``, ``制表人：张三  审核人：李四``, ``填报单位：...``:
these are not cases. They are rejected one by one with the reason
``summary_row`` so that loaded + rejected still equals rows read, and the
analyst sees exactly what was left out.

Only rows that fail to give a position are examined (a summary row has no
coordinates, or sums in their place), so a clean million-row file costs
nothing here.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

#: Words that open a summary or signature cell (spaces inside are ignored: 合 计).
SUMMARY_WORDS = (
    "合计", "小计", "总计", "共计", "累计", "总数", "汇总", "制表人", "制表", "审核人", "审核", "审批人", "填报单位", "填报人",
    "填表人", "填报日期", "制表日期", "统计人", "统计时间", "统计日期", "负责人", "签发", "备注", "说明", "注：", "注:",
    "total", "subtotal", "sub-total", "grand total", "sum",
)
_SUMMARY = re.compile(r"^\s*(?:" + "|".join(re.escape(w) for w in SUMMARY_WORDS) + r")(?![a-z])", re.IGNORECASE)


def summary_cell(value) -> str | None:
    """The summary word ``value`` opens with (``合计``), or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    match = _SUMMARY.match(re.sub(r"\s+", "", value) if len(value) < 200 else value)
    return match.group().strip() if match else None


def find_summary_rows(frame: pd.DataFrame, candidates: np.ndarray, headers: list[str]) -> dict[int, str]:
    """Among the ``candidates`` positions of ``frame``, those that are summary rows or repeated headers.

    Returns
    -------
    dict
        Position -> reason, e.g. ``"summary row ('合计')"`` or ``"the header row repeated"``.
    """
    found = {}
    names = [str(h) for h in headers]
    for position in np.flatnonzero(candidates):
        cells = ["" if _blank(v) else str(v) for v in frame.iloc[position].tolist()]
        filled = [c for c in cells if c.strip()]
        if filled and sum(c.strip() in names for c in filled) >= max(2, len(filled) // 2):
            found[int(position)] = "the header row repeated (a page break in the export)"
            continue
        for cell in filled[:8]:  # the label sits in one of the first columns
            word = summary_cell(cell)
            if word:
                found[int(position)] = f"summary row ({word!r}), not a case"
                break
    return found


def _blank(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False
