"""The layers of the printed map, each drawn with the style of the window's palette.

Drawing order (bottom first), as on the desktop map: density isopleths,
hotspot cells, grids, roads, areas, camera coverage, cluster hulls, blind
spots, hotspot zones, routes (with direction arrows), planned stops,
incidents, cameras. "Not significant" cells are not drawn at all
(ArcGIS's convention), and significant ones are semi-transparent so the
streets show through.

Every function takes the matplotlib axes, the frame and a ``size(points)``
that scales type and marks with the paper (A3 prints everything larger).
They return legend entries ``(kind, label, style)`` for the legend panel.
"""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.patches import FancyArrowPatch

from gisapp.briefing.style import AREA_COLOUR, CAMERA_COLOUR, CAMERA_OFFLINE_COLOUR, GI_BIN_CLASSES, GRID_COLOUR, ROUTE_COLOURS, road_width
from gisapp.palette import BLIND_SPOT_OUTLINE, CLUSTER_NOISE, KDE_BANDS, ZONE_OUTLINE

from . import cartography

HOT_ALPHA = 0.7
ROAD_PRINT_COLOUR = "#8f8f8f"
PLAN_COLOUR = "#ff6f00"
#: Above this many incident points the dots are drawn as one raster image inside the vector PDF (size).
RASTER_POINTS = 20_000
CLUSTER_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#1f78b4")


def kde(ax, frame, size) -> list:
    bands = sorted(frame["volume_pct"].unique())
    for i, pct in enumerate(bands):
        part = frame[frame["volume_pct"] == pct]
        colour = KDE_BANDS[min(i, len(KDE_BANDS) - 1)]
        cartography.add_polygons(ax, part.geometry.values, facecolor=colour, edgecolor=colour, linewidths=0.4, alpha=0.45, zorder=1)
    return [("box", f"核密度 {int(p)}% 体积等值线", {"facecolor": KDE_BANDS[min(i, len(KDE_BANDS) - 1)], "alpha": 0.45})
            for i, p in enumerate(bands[:3])]


def hotspots(ax, cells, size) -> list:
    bins = cells["gi_bin"].astype(int).to_numpy()
    for b in sorted(set(bins) - {0}):  # one compound path per class
        cartography.add_polygons(ax, cells.geometry.values[bins == b], merge=True, facecolor=GI_BIN_CLASSES[b][2], edgecolor="none",
                                 alpha=HOT_ALPHA, zorder=2)
    return []


def grids(ax, frame, size) -> list:
    cartography.add_polygons(ax, frame.geometry.values, facecolor="none", edgecolor=GRID_COLOUR, linewidths=0.45,
                             linestyle=(0, (4, 2)), alpha=0.85, zorder=4)
    return [("line", "网格边界", {"color": GRID_COLOUR, "linewidth": 0.7, "linestyle": (0, (4, 2))})]


def roads(ax, frame, size) -> list:
    classes = frame["road_class"] if "road_class" in frame else [""] * len(frame)
    cartography.add_lines(ax, frame.geometry.values, widths=[road_width(c) * 0.55 for c in classes], colors=ROAD_PRINT_COLOUR,
                          alpha=0.9, capstyle="round", zorder=5)
    return [("line", "道路", {"color": ROAD_PRINT_COLOUR, "linewidth": 1.4})]


def areas(ax, frame, size) -> list:
    ring = frame["area_type"].astype(str).eq("urban_fringe").to_numpy() if "area_type" in frame else np.zeros(len(frame), bool)
    cartography.add_polygons(ax, frame.geometry.values[~ring], facecolor="none", edgecolor=AREA_COLOUR, linewidths=1.1, zorder=6)
    cartography.add_polygons(ax, frame.geometry.values[ring], facecolor="none", edgecolor=AREA_COLOUR, linewidths=0.9,
                             linestyle=(0, (6, 3)), zorder=6)
    return [("box", "重点区域（市场、学校、广场等）", {"facecolor": "none", "edgecolor": AREA_COLOUR, "linewidth": 1.0})]


def sectors(ax, frame, size) -> list:
    online = frame["online"].to_numpy(bool) if "online" in frame else np.ones(len(frame), bool)
    cartography.add_polygons(ax, frame.geometry.values[online], facecolor=CAMERA_COLOUR, edgecolor=CAMERA_COLOUR, linewidths=0.3,
                             alpha=0.22, zorder=7)
    cartography.add_polygons(ax, frame.geometry.values[~online], facecolor="none", edgecolor=CAMERA_OFFLINE_COLOUR, linewidths=0.3,
                             linestyle=(0, (2, 2)), zorder=7)
    return [("box", "摄像头视域", {"facecolor": CAMERA_COLOUR, "edgecolor": CAMERA_COLOUR, "alpha": 0.3})]


def cluster_hulls(ax, frame, size) -> list:
    frame = frame[frame["cluster_id"].astype(int) >= 0]
    colours = [CLUSTER_COLOURS[int(c) % len(CLUSTER_COLOURS)] for c in frame["cluster_id"]]
    cartography.add_polygons(ax, frame.geometry.values, facecolor="none", edgecolors=colours, linewidths=1.3, zorder=8)
    return [("box", "聚类范围（凸包）", {"facecolor": "none", "edgecolor": CLUSTER_COLOURS[0], "linewidth": 1.3})]


def cluster_points(ax, frame, size) -> list:
    ids = frame["cluster_id"].astype(int).to_numpy()
    xy = shapely.get_coordinates(frame.geometry.values)
    noise = ids < 0
    raster = len(frame) > RASTER_POINTS
    ax.scatter(xy[noise, 0], xy[noise, 1], s=size(0.6), c=CLUSTER_NOISE, linewidths=0, alpha=0.6, zorder=9, rasterized=raster)
    colours = [CLUSTER_COLOURS[i % len(CLUSTER_COLOURS)] for i in ids[~noise]]
    ax.scatter(xy[~noise, 0], xy[~noise, 1], s=size(2.0), c=colours, linewidths=0, zorder=9, rasterized=raster)
    return [("dot", "聚类中的警情", {"color": CLUSTER_COLOURS[0]}), ("dot", "噪声（不属任何聚类）", {"color": CLUSTER_NOISE, "small": True})]


def blind_spots(ax, frame, size) -> list:
    """Blind cells merged into patches, outlined and lightly hatched: cell by cell, a hatch buries the zone colours."""
    merged = shapely.get_parts(shapely.union_all(shapely.buffer(frame.geometry.values, 0.01)))
    cartography.add_polygons(ax, merged, facecolor="none", edgecolor=BLIND_SPOT_OUTLINE, linewidths=0.9, linestyle=(0, (3, 1.5)),
                             hatch="//", zorder=10)
    return [("box", "监控盲区（视域内警情不足一半的网格）", {"facecolor": "none", "edgecolor": BLIND_SPOT_OUTLINE, "hatch": "//"})]


def zones(ax, frame, size) -> list:
    cartography.add_polygons(ax, frame.geometry.values, facecolor="none", edgecolor=ZONE_OUTLINE, linewidths=1.6, zorder=11)
    return [("box", "热点区（编号见表）", {"facecolor": "none", "edgecolor": ZONE_OUTLINE, "linewidth": 1.6})]


def routes(ax, frame, size, colours=None, label="巡逻路线") -> list:
    colours = colours or [ROUTE_COLOURS[i % len(ROUTE_COLOURS)] for i in range(len(frame))]
    for geometry, colour in zip(frame.geometry.values, colours):
        cartography.add_lines(ax, [geometry], colors="white", linewidths=4.2, zorder=12, capstyle="round")
        cartography.add_lines(ax, [geometry], colors=colour, linewidths=2.4, zorder=13, capstyle="round")
        direction_arrows(ax, geometry, colour, size)
        start = shapely.get_coordinates(geometry)[0]
        ax.plot(start[0], start[1], marker="o", markersize=size(5), markerfacecolor="white", markeredgecolor=colour,
                markeredgewidth=1.6, zorder=15)
    return [("route", label, {"color": colours[0] if colours else ROUTE_COLOURS[0]})]


def plan_routes(ax, frame, size) -> list:
    return routes(ax, frame, size, [PLAN_COLOUR] * len(frame), "计划巡逻路线（○ 起点，箭头为方向）")


def plan_stops(ax, frame, size) -> list:
    order = frame.sort_values("order")
    for point, number in zip(order.geometry.values, order["order"]):
        ax.text(point.x, point.y, str(int(number)), ha="center", va="center", fontsize=size(8), fontweight="bold", color="white",
                zorder=26, clip_on=True, bbox={"boxstyle": "circle,pad=0.25", "facecolor": PLAN_COLOUR, "edgecolor": "white", "linewidth": 0.8})
    return [("stop", "停靠点（巡逻顺序）", {"color": PLAN_COLOUR})]


def incidents(ax, frame, size) -> list:
    xy = shapely.get_coordinates(frame.geometry.values)
    ax.scatter(xy[:, 0], xy[:, 1], s=size(0.8), c="#3b3b3b", linewidths=0, alpha=0.55, zorder=16, rasterized=len(frame) > RASTER_POINTS)
    return [("dot", f"警情（{len(frame):,} 起）", {"color": "#3b3b3b", "small": True})]


def cameras(ax, frame, size) -> list:
    online = frame["status"].astype(str).str.lower().isin(["online", "在线", "正常", "1", "true"]).to_numpy() if "status" in frame else np.ones(len(frame), bool)
    xy = shapely.get_coordinates(frame.geometry.values)
    ax.scatter(xy[online, 0], xy[online, 1], s=size(9), marker="^", c=CAMERA_COLOUR, edgecolors="white", linewidths=0.4, zorder=17)
    ax.scatter(xy[~online, 0], xy[~online, 1], s=size(9), marker="^", c=CAMERA_OFFLINE_COLOUR, edgecolors="white", linewidths=0.4, zorder=17)
    return [("camera", "摄像头（灰色：离线）", {"color": CAMERA_COLOUR})]


def direction_arrows(ax, line, colour: str, size, count: int = 4) -> None:
    """Arrowheads along ``line`` at evenly spaced points, pointing the way it runs."""
    length = shapely.length(line)
    if not length:
        return
    for fraction in (np.arange(count) + 0.5) / count:
        a = shapely.line_interpolate_point(line, fraction * length)
        b = shapely.line_interpolate_point(line, min(length, fraction * length + length * 0.01))
        if a.equals(b):
            continue
        ax.add_patch(FancyArrowPatch((a.x, a.y), (b.x, b.y), arrowstyle=f"-|>,head_length={size(0.5)},head_width={size(0.32)}",
                                     mutation_scale=size(10), color=colour, linewidth=0, zorder=14))


#: Layer name -> drawing function, in drawing order.
DRAWERS = {
    "kde": kde,
    "hotspots": hotspots,
    "grids": grids,
    "roads": roads,
    "areas": areas,
    "sectors": sectors,
    "cluster_hulls": cluster_hulls,
    "cluster_points": cluster_points,
    "blind_spots": blind_spots,
    "zones": zones,
    "routes": routes,
    "plan_routes": plan_routes,
    "plan_stops": plan_stops,
    "incidents": incidents,
    "cameras": cameras,
}
