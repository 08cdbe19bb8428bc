"""Short lists for the briefing and the printed map: the incident categories, most frequent first.

The hotspot table and the blind-spot table list zones
(:mod:`gisapp.analysis.hotspots.zones`, with :mod:`.zone_figures`), so that
both name the same places with the same counts.
"""

from __future__ import annotations

import geopandas as gpd


def category_counts(incidents: gpd.GeoDataFrame, top: int = 6) -> list[tuple[str, int]]:
    if incidents is None or "category" not in incidents or not len(incidents):
        return []
    counts = incidents["category"].fillna("未分类").astype(str).value_counts()
    return [(str(k), int(v)) for k, v in counts.head(top).items()]
