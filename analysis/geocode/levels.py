"""The match levels of address matching and the reasons a row stays unplaced, in one place.

Only the standard library is used: the method declaration (``methods.py``)
reads these names to build ``--min-level`` before any scientific package loads.

Levels, most precise first (the order ``--min-level`` counts in):

=========  ==========================================================================
门牌        door plate: the address is in the standard address table (exact or normalised)
门牌插值    interpolated plate: the number is not in the table, its road has numbered plates
交叉口      intersection of two named roads
道路        the road alone: the middle of its length
地点        a named place: an area, a POI
网格        a grid-management cell (point on surface)
乡镇        a township (point on surface)
=========  ==========================================================================

Two more values appear in ``geocode_level``: ``坐标`` for a row whose own
coordinates were usable (it was not matched at all) and ``未匹配``.
"""

from __future__ import annotations

PLATE = "门牌"
INTERPOLATED = "门牌插值"
INTERSECTION = "交叉口"
ROAD = "道路"
PLACE = "地点"
GRID = "网格"
TOWNSHIP = "乡镇"
COORDINATES = "坐标"
UNMATCHED = "未匹配"

#: Match levels, most precise first.
LEVELS = (PLATE, INTERPOLATED, INTERSECTION, ROAD, PLACE, GRID, TOWNSHIP)
#: Every value of ``geocode_level``, in report order.
ALL_LEVELS = (COORDINATES, *LEVELS, UNMATCHED)
#: English names of the levels, for the English summary and ``--help``.
LEVEL_NAMES_EN = {
    PLATE: "door plate", INTERPOLATED: "interpolated plate", INTERSECTION: "intersection", ROAD: "road",
    PLACE: "place", GRID: "grid cell", TOWNSHIP: "township", COORDINATES: "own coordinates", UNMATCHED: "unmatched",
}
#: The default ``--min-level``: road-level points would pile up at road midpoints and make false hotspots.
DEFAULT_MIN_LEVEL = INTERPOLATED

#: Why a row was not placed: code -> (Chinese, English).
REASONS = {
    "empty": ("地址为空", "the address is empty"),
    "no_road": ("只有门牌号，没有道路或地点名", "a house number with no road or place name"),
    "road_not_found": ("道路不在地址库中", "the road is not in the gazetteer"),
    "not_found": ("地址库中找不到可识别的道路、地点或乡镇", "no road, place or township of the gazetteer was recognised"),
    "ambiguous": ("有多个同名候选（未写乡镇），未作猜测", "several candidates of that name (no township given); not guessed"),
    "below_min_level": ("定位精度低于最低级别", "located only at a level below --min-level"),
    "no_gazetteer": ("没有可用的地址库", "no gazetteer to match against"),
}


def rank(level: str) -> int:
    """Position of ``level`` in :data:`LEVELS` (0 = door plate); own coordinates rank first, unmatched last."""
    if level == COORDINATES:
        return -1
    return LEVELS.index(level) if level in LEVELS else len(LEVELS)


def counts_as_located(level: str, min_level: str) -> bool:
    """Whether a row found at ``level`` is placed when only levels down to ``min_level`` count."""
    return level != UNMATCHED and rank(level) <= rank(min_level)
