"""Lines shared by the summaries of analyses of a value per unit (``--value``, ``--rate``, ``--per``)."""

from __future__ import annotations

REASONS = {
    "island": ("无相邻单元（孤岛），未检验", "no neighbour (island), not tested"),
    "missing_value": ("字段值缺失或不是数字", "value missing or not a number"),
    "missing_numerator": ("分子缺失或不是数字", "numerator missing or not a number"),
    "negative_numerator": ("分子为负", "negative numerator"),
    "missing_denominator": ("分母缺失或不是数字", "denominator missing or not a number"),
    "zero_denominator": ("分母为 0 或负数，无法计算比率", "denominator zero or negative: no rate"),
}


def excluded_units(s: dict, t) -> list[str]:
    """One line per reason a unit has no statistic, with its first ids (the layer's ``unit_status`` has all)."""
    lines = []
    for reason, entry in (s.get("units_excluded") or {}).items():
        zh, en = REASONS.get(reason, (reason, reason))
        ids = ", ".join(entry["ids"][:10]) + ("…" if entry["units"] > 10 else "")
        lines.append(t(f"  {entry['units']:,} 个单元{zh}：{ids}", f"  {entry['units']:,} units with {en}: {ids}"))
    return lines
