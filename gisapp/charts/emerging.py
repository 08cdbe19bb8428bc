"""Map of Emerging Hot Spot categories, coloured as ArcGIS Pro does (reds hot, blues cold)."""

from __future__ import annotations

import geopandas as gpd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from .figures import new_figure

#: Reds and oranges for hot patterns, blues for cold; "new" stands out in magenta / cyan.
CATEGORY_COLOURS = {
    "new_hot": "#d4006f",
    "consecutive_hot": "#fd8d3c",
    "intensifying_hot": "#99000d",
    "persistent_hot": "#ef3b2c",
    "diminishing_hot": "#fcbba1",
    "sporadic_hot": "#fee08b",
    "oscillating_hot": "#c2a5cf",
    "historical_hot": "#bf9f7f",
    "new_cold": "#1d91c0",
    "consecutive_cold": "#41b6c4",
    "intensifying_cold": "#08306b",
    "persistent_cold": "#2171b5",
    "diminishing_cold": "#c6dbef",
    "sporadic_cold": "#c7e9b4",
    "oscillating_cold": "#9e9ac8",
    "historical_cold": "#8c96c6",
    "no_pattern": "#eeeeee",
}


def emerging_map(layer: gpd.GeoDataFrame, title: str = "时空热点分析（新兴热点）", context: gpd.GeoDataFrame | None = None, zoom_to_patterns: bool = True) -> Figure:
    """Locations coloured by category, with a legend of the categories present and their counts.

    Parameters
    ----------
    layer : GeoDataFrame
        ``result.layer`` of :func:`gisapp.analysis.spacetime.emerging.emerging_hot_spots`.
    title : str
    context : GeoDataFrame, optional
        Outlines drawn on top for orientation (grids, townships, areas), same CRS.
    zoom_to_patterns : bool
        Frame the map on the locations with a pattern (plus a margin) rather
        than the whole extent, which for a county is mostly empty countryside.
    """
    from gisapp.analysis.spacetime.emerging import CATEGORIES

    fig = new_figure(10, 8.5)
    ax = fig.add_subplot()
    handles = []
    for key in CATEGORIES:
        part = layer[layer["category"] == key]
        if len(part) == 0:
            continue
        part.plot(ax=ax, color=CATEGORY_COLOURS[key], linewidth=0, zorder=2 if key != "no_pattern" else 1)
        handles.append(Patch(facecolor=CATEGORY_COLOURS[key], edgecolor="#999999", label=f"{CATEGORIES[key][2]}（{len(part):,}）"))
    if context is not None and len(context):
        context.boundary.plot(ax=ax, color="#555555", linewidth=0.5, zorder=3)
    patterned = layer[layer["category"] != "no_pattern"]
    frame = patterned if zoom_to_patterns and len(patterned) else layer
    xmin, ymin, xmax, ymax = frame.total_bounds
    margin = 0.08 * max(xmax - xmin, ymax - ymin, 1.0)
    ax.set_xlim(xmin - margin, xmax + margin)
    ax.set_ylim(ymin - margin, ymax + margin)
    ax.set_aspect("equal")
    ax.ticklabel_format(style="plain", useOffset=False)
    ax.tick_params(labelsize=7)
    ax.set_xlabel("X（米）", fontsize=8)
    ax.set_ylabel("Y（米）", fontsize=8)
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9, title="类别（网格数）", title_fontsize=9, frameon=False)
    ax.set_title(title, fontsize=11, loc="left")
    return fig
