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

from .reading import REASONS_ZH, reading_lines

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
        zh = "；".join(f"{REASONS_ZH.get(kind, kind)} {count:,}" for kind, count in kinds.items())
        en = "; ".join(f"{kind} {count:,}" for kind, count in kinds.items())
        lines.append(t(f"  读取：{report.get('rows_read', 0):,} 行，{rejected:,} 行未能定位，未计入" + (f"（{zh}）" if zh else ""),
                       f"  input: {report.get('rows_read', 0):,} rows read, {rejected:,} could not be placed and are left out"
                       + (f" ({en})" if en else "")))
    geocoded = report.get("geocoded") or {}
    if geocoded.get("tried"):
        lines.append(geocoded_line(geocoded, t))
        # so that the two lines add up: rejected = left out by matching + never sent to it
        unsent = rejected - (geocoded["tried"] - geocoded["placed"])
        if unsent > 0:
            lines.append(t(f"  另有 {unsent:,} 行未做地址匹配（地址为空，或因其他原因未能读入）",
                           f"  {unsent:,} more rows were not matched (no address, or left out for another reason)"))
    untimed = int(report.get("rows_without_time") or 0)
    if untimed:
        lines.append(t(f"  {untimed:,} 行没有可读的时间：需要时间的分析不计入", f"  {untimed:,} rows have no readable time: analyses that need a time leave them out"))
    return lines


def geocoded_line(geocoded: dict, t: Chooser) -> str:
    """Rows placed by address, by level; and the rows left out, by reason (levels below ``--min-level`` named)."""
    from gisapp.analysis.geocode.levels import LEVEL_NAMES_EN, REASONS, UNMATCHED, counts_as_located

    minimum = geocoded.get("min_level", "")
    found = {level: n for level, n in (geocoded.get("levels") or {}).items() if n and level not in ("坐标", UNMATCHED)}
    placed = {level: n for level, n in found.items() if counts_as_located(level, minimum)}
    below = {level: n for level, n in found.items() if level not in placed}

    def listed(counts: dict, english: bool) -> str:
        return (", " if english else "，").join(
            f"{LEVEL_NAMES_EN.get(level, level) if english else level} {n:,}" for level, n in counts.items())

    zh_reasons, en_reasons = [], []
    for reason, n in (geocoded.get("unmatched") or {}).items():
        zh, en = REASONS.get(reason, (reason, reason))
        zh, en = f"{zh} {n:,}", f"{en} {n:,}"
        if reason == "below_min_level" and below:
            zh = f"低于{minimum}级 {n:,}（{listed(below, False)}）"
            en = f"below {LEVEL_NAMES_EN.get(minimum, minimum)} {n:,} ({listed(below, True)})"
        zh_reasons.append(zh)
        en_reasons.append(en)
    tried, done = geocoded["tried"], geocoded["placed"]
    return t(f"  按地址定位：{tried:,} 行无可用坐标，定位 {done:,} 行（{listed(placed, False)}）；{tried - done:,} 行未计入：{'；'.join(zh_reasons)}",
             f"  placed by address: {done:,} of {tried:,} rows without usable coordinates ({listed(placed, True)}); "
             f"{tried - done:,} left out: {'; '.join(en_reasons)}")


def note_lines(summary: dict, t: Chooser) -> list[str]:
    return [t(f"  注意：{note}", f"  note: {note}") for note in summary.get("notes", [])]


def output_lines(summary: dict, t: Chooser) -> list[str]:
    if "out" not in summary:
        return []
    layers = ", ".join(summary.get("layers", []))
    return [t(f"  已写入 {summary['out']}（图层 {layers}）", f"  written to {summary['out']} (layers {layers})")]
