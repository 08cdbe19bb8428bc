"""Colours, class labels and layer names shared by the HTML briefing and the printed map.

The hotspot classes are ArcGIS's ``Gi_Bin`` (-3..3: cold 99/95/90 %, not
significant, hot 90/95/99 %), drawn with ColorBrewer's 7-class RdBu diverging
ramp (reversed so hot is red), the ramp most printed crime maps use because it
stays readable in greyscale photocopies and for red-green colour blindness.
"""

from __future__ import annotations

from gisapp.palette import GI_BIN_COLOURS, GI_BIN_LABELS

DEFAULT_TITLE = "警情态势分析简报"
DEFAULT_PRINT_TITLE = "警情热点分布图"
DEFAULT_CLASSIFICATION = "内部资料 注意保密"
DEFAULT_PUBLIC_CLASSIFICATION = "公开版 · 汇总数据"

#: gi_bin -> (Chinese label, English label, fill colour), hot first as in every legend.
GI_BIN_CLASSES: dict[int, tuple[str, str, str]] = {b: (*GI_BIN_LABELS[b], GI_BIN_COLOURS[b]) for b in GI_BIN_LABELS}

#: Incident categories seen in police exports -> marker colour; others cycle through OTHER_COLOURS.
CATEGORY_COLOURS = {
    "盗窃": "#d62728",
    "诈骗": "#9467bd",
    "抢劫": "#8c1c13",
    "抢夺": "#ff7f0e",
    "故意伤害": "#8c564b",
    "纠纷": "#7f7f7f",
}
OTHER_COLOURS = ("#17becf", "#bcbd22", "#e377c2", "#1f77b4", "#2ca02c", "#aec7e8")

#: Patrol routes, one colour each (ColorBrewer Dark2, no red: red means hot).
ROUTE_COLOURS = ("#1b9e77", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666")

AREA_COLOUR = "#6a51a3"
GRID_COLOUR = "#5b6770"
ROAD_COLOUR = "#a9a9a9"
CAMERA_COLOUR = "#2b8cbe"
CAMERA_OFFLINE_COLOUR = "#969696"
BLIND_COLOUR = "#54278f"

#: Road classes -> line width in points (print) / pixels (HTML); unknown classes get the last one.
ROAD_WIDTHS = {"arterial": 2.2, "primary": 1.6, "secondary": 1.1, "township": 1.6, "alley": 0.6, "": 0.8}

#: Chinese names of the canonical incident columns, for popups and tables.
FIELD_LABELS = {
    "case_id": "案件编号",
    "occurred_at": "发案时间",
    "category": "案件类别",
    "subcategory": "案件子类",
    "address": "发案地址",
    "grid_id": "网格",
    "description": "简要案情",
    "status": "办理状态",
}

AREA_TYPE_LABELS = {
    "market": "市场",
    "business": "商业区",
    "school": "学校",
    "plaza": "广场",
    "urban_fringe": "城乡结合部",
    "station": "派出所",
}

CAMERA_KIND_LABELS = {"dome": "球机", "fixed": "枪机", "checkpoint": "卡口"}


def category_colours(categories) -> dict[str, str]:
    """A colour for every category: the fixed ones first, the rest from a cycle."""
    colours, spare = {}, iter(OTHER_COLOURS * 10)
    for name in categories:
        colours[name] = CATEGORY_COLOURS.get(name) or next(spare)
    return colours


def road_width(road_class) -> float:
    return ROAD_WIDTHS.get(str(road_class or ""), ROAD_WIDTHS[""])
