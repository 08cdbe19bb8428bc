"""Summary of ``gisapp geocode`` (address matching)."""

from __future__ import annotations

from gisapp.analysis.geocode.levels import ALL_LEVELS, LEVEL_NAMES_EN, REASONS

#: How many unplaced rows the readable summary lists (the JSON lists them all).
SHOWN_ROWS = 10


def describe(s: dict, t) -> list[str]:
    placed, read = s["matched"], s["rows_read"]
    lines = [t(f"地址匹配：读取 {read:,} 行，定位 {placed:,} 行，未定位 {read - placed:,} 行（最低级别 {s['min_level']}）",
               f"address matching: {read:,} rows read, {placed:,} placed, {read - placed:,} not placed (least precise level placed: {s['min_level']})")]
    counts = [(level, s["levels"].get(level, 0)) for level in ALL_LEVELS if s["levels"].get(level, 0)]
    lines.append(t("  " + "  ".join(f"{level} {n:,}" for level, n in counts),
                   "  " + "  ".join(f"{LEVEL_NAMES_EN[level]} {n:,}" for level, n in counts)))
    for code, n in s.get("unmatched", {}).items():
        zh, en = REASONS.get(code, (code, code))
        lines.append(t(f"  未定位：{zh} {n:,} 行", f"  not placed: {en}: {n:,} rows"))
    for item in s.get("rows", [])[:SHOWN_ROWS]:
        zh, en = REASONS.get(item["reason"], (item["reason"], item["reason"]))
        lines.append(t(f"    第 {item['row']} 行 {item['address'][:40]!r}：{zh}", f"    row {item['row']} {item['address'][:40]!r}: {en}"))
    if len(s.get("rows", [])) > SHOWN_ROWS:
        more = len(s["rows"]) - SHOWN_ROWS
        lines.append(t(f"    ……另有 {more:,} 行（--json 列出全部）", f"    … {more:,} more (--json lists them all)"))
    gazetteer = s.get("gazetteer") or {}
    if gazetteer:
        lines.append(t(f"  地址库：门牌 {gazetteer['plates']:,}，道路 {gazetteer['roads']:,}，地点 {gazetteer['places']:,}，"
                       f"网格 {gazetteer['grids']:,}，乡镇 {gazetteer['townships']:,}",
                       f"  gazetteer: {gazetteer['plates']:,} plates, {gazetteer['roads']:,} roads, {gazetteer['places']:,} places, "
                       f"{gazetteer['grids']:,} grids, {gazetteer['townships']:,} townships"))
        if gazetteer.get("rejected_rows"):
            lines.append(t(f"  地址库有 {gazetteer['rejected_rows']:,} 行未能使用（如缺坐标）", f"  {gazetteer['rejected_rows']:,} gazetteer rows could not be used (e.g. no coordinates)"))
        if gazetteer.get("duplicate_plates"):
            lines.append(t(f"  地址库有 {gazetteer['duplicate_plates']:,} 个门牌出现在多处，不作精确匹配",
                           f"  {gazetteer['duplicate_plates']:,} door plates of the gazetteer are listed at several places and are not matched exactly"))
    return lines
