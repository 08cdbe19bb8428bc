"""Readable summaries of results, in Chinese or English, for the command line and the window.

``describe(key, summary, language)`` returns the lines a person reads; the
first line is the headline the window's results panel and log show. Each
method has a module here named after its key (``hotspot``, ``site_cameras``)
with ``describe(summary, t)``, where ``t(zh, en)`` picks the language. What
every summary shares (the input's load report, notes, the output) is written
here once.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
from typing import Callable

from .reading import reading_lines

Chooser = Callable[[str, str], str]


def chooser(language: str) -> Chooser:
    chinese = str(language).lower().startswith("zh")
    return lambda zh, en: zh if chinese else en


def describe(key: str, summary: dict, language: str = "en") -> list[str]:
    """The lines of ``summary`` of method ``key`` in ``language`` (``zh`` or ``en``)."""
    t = chooser(language)
    name = f"{__name__}.{key.replace('-', '_')}"
    if importlib.util.find_spec(name) is not None:
        lines = importlib.import_module(name).describe(summary, t)
    else:
        lines = [json.dumps(summary, ensure_ascii=False, default=str)[:2000]]
    return [*lines, *load_lines(summary.get("load_report"), t), *note_lines(summary, t), *output_lines(summary, t)]


def headline(key: str, summary: dict, language: str = "en") -> str:
    return describe(key, summary, language)[0]


def percent(share) -> str:
    """A share as ``12.3%``, or ``n/a`` when it could not be computed."""
    return "n/a" if share is None else f"{100 * share:.1f}%"


def load_lines(report: dict | None, t: Chooser) -> list[str]:
    """How the input was read (:mod:`.reading`), and what the reader could not use: rejected rows by reason, rows without a time."""
    if not report:
        return []
    lines = reading_lines(report, t)
    rejected = int(report.get("rows_rejected") or 0)
    if rejected:
        kinds = report.get("reasons") or {}
        detail = "; ".join(f"{kind} {count:,}" for kind, count in kinds.items())
        lines.append(t(f"  读取：{report.get('rows_read', 0):,} 行，{rejected:,} 行未能定位，未计入" + (f"（{detail}）" if detail else ""),
                       f"  input: {report.get('rows_read', 0):,} rows read, {rejected:,} could not be placed and are left out"
                       + (f" ({detail})" if detail else "")))
    geocoded = report.get("geocoded") or {}
    if geocoded.get("tried"):
        levels = "，".join(f"{level} {n:,}" for level, n in (geocoded.get("levels") or {}).items() if n and level not in ("坐标", "未匹配"))
        lines.append(t(f"  按地址定位：{geocoded['tried']:,} 行无可用坐标，定位 {geocoded['placed']:,} 行（{levels}），"
                       f"{geocoded['tried'] - geocoded['placed']:,} 行未达 {geocoded.get('min_level', '')} 级，未计入",
                       f"  placed by address: {geocoded['placed']:,} of {geocoded['tried']:,} rows without usable coordinates ({levels}); "
                       f"{geocoded['tried'] - geocoded['placed']:,} below {geocoded.get('min_level', '')} left out"))
    untimed = int(report.get("rows_without_time") or 0)
    if untimed:
        lines.append(t(f"  {untimed:,} 行没有可读的时间：需要时间的分析不计入", f"  {untimed:,} rows have no readable time: analyses that need a time leave them out"))
    return lines


def note_lines(summary: dict, t: Chooser) -> list[str]:
    return [t(f"  注意：{note}", f"  note: {note}") for note in summary.get("notes", [])]


def output_lines(summary: dict, t: Chooser) -> list[str]:
    if "out" not in summary:
        return []
    layers = ", ".join(summary.get("layers", []))
    return [t(f"  已写入 {summary['out']}（图层 {layers}）", f"  written to {summary['out']} (layers {layers})")]
