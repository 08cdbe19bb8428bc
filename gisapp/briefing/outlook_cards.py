"""下周风险 and 预警 for the briefing (``gisapp brief --outlook``), from ``gisapp.analysis.forecast.outlook``."""

from __future__ import annotations


def add_outlook(content, builder) -> list[str]:
    return []
