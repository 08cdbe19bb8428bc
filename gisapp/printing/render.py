"""The printed hotspot map: an A4/A3 page with matplotlib, as vector PDF or 300 dpi PNG.

The page holds a title and subtitle, the classification line (top right and
again in the footer), the map frame (Gi* cells in the 7 ``gi_bin`` classes
over grid boundaries and roads, areas outlined and named, the top hotspots
numbered), a scale bar and a north arrow turned to true north, a side panel
with the legend, the top-hotspot table and an inset of the whole county, and
a footer with the data source, coordinate system, method and date.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Rectangle

from gisapp.briefing.content import MapContent
from gisapp.briefing.style import (
    AREA_COLOUR,
    AREA_TYPE_LABELS,
    DEFAULT_CLASSIFICATION,
    DEFAULT_PRINT_TITLE,
    GI_BIN_CLASSES,
    GRID_COLOUR,
    road_width,
)
from gisapp.layers.errors import InputError

from . import cartography, fonts
from .layout import Box, Layout, page_layout

FORMATS = (".pdf", ".png")
NAVY = "#14253d"
RED = "#b3141c"
MUTED = "#5f6b7a"
ROAD_PRINT_COLOUR = "#8f8f8f"
NOT_SIGNIFICANT = "#ececec"
#: Label order: markets and business districts first (they are what the map is about).
_LABEL_PRIORITY = {"market": 0, "business": 1, "plaza": 2, "urban_fringe": 3, "school": 4}


@dataclass
class PrintOptions:
    """What the user chose for the page (see ``gisapp print --help``)."""

    title: str = DEFAULT_PRINT_TITLE
    subtitle: str | None = None
    classification: str = DEFAULT_CLASSIFICATION
    paper: str = "A4"
    orientation: str = "landscape"
    dpi: int = 300
    inset: bool = True


@dataclass
class PrintedMap:
    path: Path
    font: fonts.FontChoice
    dropped_labels: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _fs(layout: Layout, points: float) -> float:
    return points * layout.scale


def _texts(content: MapContent, options: PrintOptions, subtitle: str) -> str:
    """Every string the page prints, for the font coverage check."""
    parts = [options.title, subtitle, options.classification, content.source, content.hotspot_method, "北图例主要热点位置警情值网格边界道路重点区域热点排名全县概览本图范围数据来源坐标系制图生成时间起格总数"]
    parts += [label for label, _, _ in GI_BIN_CLASSES.values()]
    if content.areas is not None and "name" in content.areas:
        parts += content.areas["name"].astype(str).tolist()
    for spot in content.summary.get("top_hotspots") or []:
        parts += [spot["place"], spot["grid"]]
    parts += list(AREA_TYPE_LABELS.values())
    return "".join(str(p) for p in parts if p)


def render_map(content: MapContent, out: str | Path, options: PrintOptions | None = None) -> PrintedMap:
    """Draw the page and save it as PDF (vector) or PNG (``options.dpi``).

    Raises
    ------
    InputError
        Unknown paper size, orientation or output format; nothing to draw.
    """
    start = time.perf_counter()
    options = options or PrintOptions()
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise InputError(f"--out must name a .pdf or .png file; got {out.name}.")
    if not out.parent.resolve().is_dir():
        raise InputError(f"Cannot write {out}: the folder {out.parent} does not exist.")
    if not 50 <= int(options.dpi) <= 1200:
        raise InputError(f"--dpi must lie between 50 and 1200; got {options.dpi}.")
    layout = page_layout(options.paper, options.orientation)
    subtitle = options.subtitle if options.subtitle is not None else content.subtitle()
    caught: list[str] = []
    with warnings.catch_warnings(record=True) as records:
        warnings.simplefilter("always", fonts.FontWarning)
        font = fonts.resolve_cjk_font(_texts(content, options, subtitle))
    caught += [str(r.message) for r in records if issubclass(r.category, fonts.FontWarning)]
    for message in caught:
        warnings.warn(message, fonts.FontWarning, stacklevel=2)

    rc = {"font.family": font.family, "pdf.fonttype": 3, "axes.unicode_minus": False, "path.simplify": True}
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        # Glyphs the font lacks were reported once above; matplotlib would repeat it per character.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        figure = Figure(figsize=layout.size_inches, dpi=100, facecolor="white")
        canvas = FigureCanvasAgg(figure)
        page = _Page(figure, canvas, layout, content, options, subtitle)
        dropped = page.draw()
        temp = out.with_name(f".{out.stem}.tmp{out.suffix}")
        figure.savefig(temp, format=out.suffix.lower()[1:], dpi=int(options.dpi), facecolor="white")
        temp.replace(out)
    return PrintedMap(out, font, dropped, caught, time.perf_counter() - start)


class _Page:
    def __init__(self, figure: Figure, canvas, layout: Layout, content: MapContent, options: PrintOptions, subtitle: str):
        self.figure = figure
        self.canvas = canvas
        self.layout = layout
        self.content = content
        self.options = options
        self.subtitle = subtitle
        self.labels_dropped: list[str] = []
        self.table_grid_lines = True

    def fs(self, points: float) -> float:
        return _fs(self.layout, points)

    def axes_mm(self, box: Box):
        ax = self.figure.add_axes(self.layout.fraction(box))
        ax.set_xlim(0, box.w)
        ax.set_ylim(0, box.h)
        ax.set_axis_off()
        return ax

    def draw(self) -> list[str]:
        self.header()
        self.footer()
        extent = self.map_frame()
        self.panel(extent)
        return self.labels_dropped

    # ------------------------------------------------------------------ header and footer

    def header(self) -> None:
        box = self.layout.header
        ax = self.axes_mm(box)
        ax.text(0, box.h * 0.62, self.options.title, fontsize=self.fs(19), fontweight="bold", color=NAVY, va="center", parse_math=False)
        ax.text(0, box.h * 0.18, self.subtitle, fontsize=self.fs(9.5), color=MUTED, va="center", parse_math=False)
        if self.options.classification.strip():
            ax.text(box.w, box.h * 0.62, self.options.classification, fontsize=self.fs(11), fontweight="bold", color=RED,
                    ha="right", va="center", parse_math=False,
                    bbox={"boxstyle": "square,pad=0.35", "facecolor": "white", "edgecolor": RED, "linewidth": 1.2})
        generated = self.content.generated_at.strftime("%Y-%m-%d %H:%M")
        ax.text(box.w, box.h * 0.18, f"生成时间 {generated}", fontsize=self.fs(8), color=MUTED, ha="right", va="center")
        ax.plot([0, box.w], [-1.2 * self.layout.scale, -1.2 * self.layout.scale], color=RED, linewidth=1.6 * self.layout.scale, clip_on=False)

    def footer(self) -> None:
        box = self.layout.footer
        ax = self.axes_mm(box)
        ax.plot([0, box.w], [box.h, box.h], color="#c9d0d8", linewidth=0.6)
        crs = self.content.crs
        code = crs.to_epsg()
        crs_text = f"{crs.name}" + (f"（EPSG:{code}）" if code else "")
        parts = [f"数据来源：{self.content.source}", f"坐标系：{crs_text}"]
        if self.content.hotspot_method:
            parts.append(f"热点：{self.content.hotspot_method}")
        right = ax.text(box.w, box.h * 0.45, f"制图：gisapp · {self.content.generated_at:%Y-%m-%d}", fontsize=self.fs(6.5), color=MUTED, ha="right", va="center")
        left = ax.text(0, box.h * 0.45, " · ".join(parts), fontsize=self.fs(6.5), color=MUTED, va="center", parse_math=False)
        renderer = self.canvas.get_renderer()
        if left.get_window_extent(renderer).x1 > right.get_window_extent(renderer).x0 - 10:
            # Too long for one line (portrait pages): source and CRS on the first, the method on the second.
            left.set_text(" · ".join(parts[:2]) + ("\n" + parts[2] if len(parts) > 2 else ""))
            left.set_linespacing(1.3)
        if self.options.classification.strip():
            ax.text(box.w / 2, -box.h * 0.55, self.options.classification, fontsize=self.fs(8), fontweight="bold", color=RED,
                    ha="center", va="center", parse_math=False)

    # ------------------------------------------------------------------ the map

    def focus_bounds(self):
        content = self.content
        frames = []
        if content.hotspots is not None:
            frames.append(content.hotspots[content.hotspots["gi_bin"] != 0])
        if content.areas is not None and "area_type" in content.areas:
            frames.append(content.areas[content.areas["area_type"].astype(str) != "urban_fringe"])
        frames = [f for f in frames if len(f)]
        if not frames:
            return content.bounds()
        boxes = np.array([f.total_bounds for f in frames])
        return boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max()

    def map_frame(self):
        box = self.layout.map
        ax = self.figure.add_axes(self.layout.fraction(box))
        extent = cartography.fit_extent(self.focus_bounds(), box.w / box.h)
        ax.set_xlim(extent[0], extent[2])
        ax.set_ylim(extent[1], extent[3])
        ax.set_aspect("equal", adjustable="box")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_facecolor("white")
        for spine in ax.spines.values():
            spine.set_linewidth(0.9)
            spine.set_color("#222222")
        self.map_layers(ax)
        renderer = self.canvas.get_renderer()
        obstacles = [
            cartography.scale_bar(ax, extent, self.fs(6.5)),
            cartography.north_arrow(ax, extent, self.content.crs, self.fs(8)),
        ]
        obstacles += self.hotspot_ranks(ax)
        frame = ax.get_window_extent(renderer)
        self.labels_dropped = cartography.place_labels(ax, renderer, self.area_labels(ax, extent), obstacles, frame)
        self.map_ax = ax
        return extent

    def map_layers(self, ax) -> None:
        content = self.content
        hot = content.hotspots
        if hot is not None and len(hot):
            bins = hot["gi_bin"].to_numpy()
            ns = bins == 0
            cartography.add_polygons(ax, hot.geometry.values[ns], facecolor=NOT_SIGNIFICANT, edgecolor="none", zorder=2)
            sig = hot[~ns]
            colours = [GI_BIN_CLASSES[int(b)][2] for b in sig["gi_bin"]]
            cartography.add_polygons(ax, sig.geometry.values, facecolors=colours, edgecolor="white", linewidths=0.25, zorder=3)
        if content.grids is not None and len(content.grids):
            cartography.add_polygons(ax, content.grids.geometry.values, facecolor="none", edgecolor=GRID_COLOUR,
                                     linewidths=0.45, linestyle=(0, (4, 2)), alpha=0.85, zorder=4)
        if content.roads is not None and len(content.roads):
            classes = content.roads["road_class"] if "road_class" in content.roads else [""] * len(content.roads)
            widths = [road_width(c) * 0.55 for c in classes]
            cartography.add_lines(ax, content.roads.geometry.values, widths=widths, colors=ROAD_PRINT_COLOUR, alpha=0.9,
                                  capstyle="round", zorder=5)
        if content.areas is not None and len(content.areas):
            ring = content.areas["area_type"].astype(str).eq("urban_fringe").to_numpy() if "area_type" in content.areas else np.zeros(len(content.areas), bool)
            cartography.add_polygons(ax, content.areas.geometry.values[~ring], facecolor="none", edgecolor=AREA_COLOUR, linewidths=1.1, zorder=6)
            cartography.add_polygons(ax, content.areas.geometry.values[ring], facecolor="none", edgecolor=AREA_COLOUR,
                                     linewidths=0.9, linestyle=(0, (6, 3)), zorder=6)

    def hotspot_ranks(self, ax) -> list:
        boxes = []
        for rank, spot in enumerate(self.content.summary.get("top_hotspots") or [], 1):
            text = ax.text(spot["x"], spot["y"], str(rank), ha="center", va="center", fontsize=self.fs(7), fontweight="bold", color="white",
                           zorder=25, bbox={"boxstyle": "circle,pad=0.25", "facecolor": NAVY, "edgecolor": "white", "linewidth": 0.8})
            boxes.append(text.get_window_extent(self.canvas.get_renderer()).padded(2))
        return boxes

    def area_labels(self, ax, extent) -> list[dict]:
        areas = self.content.areas
        if areas is None or not len(areas) or "name" not in areas:
            return []
        labels = []
        points_per_unit = ax.transData.transform([[1, 0]])[0][0] - ax.transData.transform([[0, 0]])[0][0]
        points_per_unit *= 72.0 / self.figure.dpi
        kinds = areas["area_type"].astype(str) if "area_type" in areas else ["" for _ in range(len(areas))]
        for (_, area), kind in zip(areas.iterrows(), kinds):
            geometry = shapely.intersection(area.geometry, shapely.box(*extent))
            if geometry.is_empty:
                continue
            anchor = geometry.point_on_surface()
            x0, y0, x1, y1 = geometry.bounds
            radius = 0.5 * min(x1 - x0, y1 - y0) * points_per_unit
            major = kind in ("market", "business")
            labels.append(
                {
                    "text": str(area["name"]),
                    "x": anchor.x,
                    "y": anchor.y,
                    "radius_pt": 0.0 if kind == "urban_fringe" else radius,
                    "inside": kind == "urban_fringe",
                    "priority": _LABEL_PRIORITY.get(kind, 5),
                    "style": {"fontsize": self.fs(8.5 if major else 7), "fontweight": "bold" if major else "normal",
                              "color": "#7a0c12" if major else "#3f2a78", "parse_math": False},
                }
            )
        return labels

    # ------------------------------------------------------------------ the side panel

    def panel(self, extent) -> None:
        box = self.layout.panel
        s = self.layout.scale
        gap = 4.0 * s
        if self.layout.orientation == "landscape":
            text_h = self.legend_height() + self.table_height(True) + 6.0 * s
            room = box.h - text_h - gap
            if room < 0.5 * box.w:  # make room for the inset by dropping the grid names under each hotspot
                self.table_grid_lines = False
                text_h = self.legend_height() + self.table_height(False) + 6.0 * s
                room = box.h - text_h - gap
            inset_h = min(0.8 * box.w, room) if self.options.inset and room >= 0.45 * box.w else 0.0
            legend_box = Box(box.x, box.y + inset_h + (gap if inset_h else 0), box.w, box.h - inset_h - (gap if inset_h else 0))
            self.legend_and_table(legend_box, two_columns=False)
            if inset_h:
                self.inset(Box(box.x, box.y, box.w, inset_h), extent)
        else:
            inset_w = box.h * 1.0 if self.options.inset else 0.0
            self.table_grid_lines = self.table_height(True) + 3.0 * s <= box.h
            self.legend_and_table(Box(box.x, box.y, box.w - inset_w - (gap if inset_w else 0), box.h), two_columns=True)
            if inset_w:
                self.inset(Box(box.right - inset_w, box.y, inset_w, box.h), extent)

    _ROW = 4.3
    _SECTION = 6.0

    def legend_entries(self) -> list[tuple[str, str]]:
        entries = []
        if self.content.grids is not None and len(self.content.grids):
            entries.append(("grid", "网格边界"))
        if self.content.roads is not None and len(self.content.roads):
            entries.append(("road", "道路"))
        if self.content.areas is not None and len(self.content.areas):
            entries.append(("area", "重点区域（市场、学校、广场等）"))
        if self.content.summary.get("top_hotspots"):
            entries.append(("rank", "主要热点排名（见下表）"))
        return entries

    def legend_height(self) -> float:
        has_hot = self.content.hotspots is not None and len(self.content.hotspots)
        rows = (1 + len(GI_BIN_CLASSES) if has_hot else 1) + len(self.legend_entries())
        return (self._SECTION + rows * self._ROW + 1.6) * self.layout.scale

    def table_height(self, grid_lines: bool) -> float:
        top = self.content.summary.get("top_hotspots") or []
        per_row = 4.6 + (2.6 if grid_lines else 0.0)
        return (self._SECTION + 4.8 + 4.8 + per_row * max(len(top), 1)) * self.layout.scale

    def section(self, ax, x: float, y: float, title: str) -> float:
        s = self.layout.scale
        ax.add_patch(Rectangle((x, y - 3.6 * s), 1.1 * s, 3.6 * s, facecolor=RED, edgecolor="none"))
        ax.text(x + 2.4 * s, y - 1.8 * s, title, fontsize=self.fs(10), fontweight="bold", color=NAVY, va="center")
        return y - self._SECTION * s

    def legend_and_table(self, box: Box, two_columns: bool) -> None:
        ax = self.axes_mm(box)
        ax.add_patch(Rectangle((0, 0), box.w, box.h, facecolor="#f7f9fb", edgecolor="#dde3ea", linewidth=0.6))
        s = self.layout.scale
        pad = 3.0 * s
        column_w = (box.w - 3 * pad) / 2 if two_columns else box.w - 2 * pad
        y = self.legend(ax, pad, box.h - pad, column_w)
        if two_columns:
            self.summary_table(ax, 2 * pad + column_w, box.h - pad, column_w)
        else:
            self.summary_table(ax, pad, y - 2.0 * s, column_w)

    def legend(self, ax, x: float, y: float, width: float) -> float:
        s = self.layout.scale
        y = self.section(ax, x, y, "图例")
        row = self._ROW * s
        hot = self.content.hotspots
        if hot is not None and len(hot):
            counts = hot["gi_bin"].value_counts()
            ax.text(x, y - 1.0 * s, "热点分析（Getis-Ord Gi*）", fontsize=self.fs(7.5), color=NAVY, va="center", fontweight="bold")
            y -= row + 0.6 * s
            for b, (label, _, colour) in GI_BIN_CLASSES.items():
                face = NOT_SIGNIFICANT if b == 0 else colour
                ax.add_patch(Rectangle((x, y - 1.5 * s), 6.0 * s, 3.0 * s, facecolor=face, edgecolor="#9aa4ae", linewidth=0.4))
                ax.text(x + 8.0 * s, y, label, fontsize=self.fs(7.2), va="center")
                ax.text(x + width, y, f"{int(counts.get(b, 0)):,} 格", fontsize=self.fs(6.8), va="center", ha="right", color=MUTED)
                y -= row
        else:
            ax.text(x, y - 1.2 * s, "无热点数据", fontsize=self.fs(7.5), color=MUTED, va="center")
            y -= row
        y -= 1.0 * s
        entries = self.legend_entries()
        for kind, label in entries:
            if kind == "grid":
                ax.plot([x, x + 6 * s], [y, y], color=GRID_COLOUR, linewidth=0.7, linestyle=(0, (4, 2)))
            elif kind == "road":
                ax.plot([x, x + 6 * s], [y, y], color=ROAD_PRINT_COLOUR, linewidth=1.4, solid_capstyle="round")
            elif kind == "area":
                ax.add_patch(Rectangle((x, y - 1.5 * s), 6.0 * s, 3.0 * s, facecolor="none", edgecolor=AREA_COLOUR, linewidth=1.0))
            else:
                ax.add_patch(Circle((x + 3 * s, y), 1.7 * s, facecolor=NAVY, edgecolor="white", linewidth=0.6))
                ax.text(x + 3 * s, y, "1", fontsize=self.fs(5.5), color="white", ha="center", va="center", fontweight="bold")
            ax.text(x + 8.0 * s, y, label, fontsize=self.fs(7.2), va="center")
            y -= row
        return y

    def summary_table(self, ax, x: float, y: float, width: float) -> None:
        s = self.layout.scale
        top = self.content.summary.get("top_hotspots") or []
        summary = self.content.summary
        y = self.section(ax, x, y, "主要热点")
        if "incidents" in summary:
            bins = summary.get("gi_bins") or {}
            line = f"警情 {summary['incidents']:,} 起"
            if bins:
                line += f" · 99% 热点 {bins.get(3, 0):,} 格 · 95% {bins.get(2, 0):,} 格"
            ax.text(x, y - 0.5 * s, line, fontsize=self.fs(6.8), color=MUTED, va="center")
            y -= 4.8 * s
        if not top:
            ax.text(x, y, "无显著热点。", fontsize=self.fs(7.2), color=MUTED, va="center")
            return
        ax.text(x + 6.5 * s, y, "位置", fontsize=self.fs(6.8), color=MUTED, va="center")
        ax.text(x + width - 11 * s, y, "警情", fontsize=self.fs(6.8), color=MUTED, va="center", ha="right")
        ax.text(x + width, y, "z 值", fontsize=self.fs(6.8), color=MUTED, va="center", ha="right")
        y -= 1.8 * s
        ax.plot([x, x + width], [y, y], color="#c9d0d8", linewidth=0.5)
        y -= 3.0 * s
        for rank, spot in enumerate(top, 1):
            ax.add_patch(Circle((x + 2.2 * s, y), 1.9 * s, facecolor=NAVY, edgecolor="none"))
            ax.text(x + 2.2 * s, y, str(rank), fontsize=self.fs(6), color="white", ha="center", va="center", fontweight="bold")
            place = spot["place"] or spot["grid"] or "—"
            ax.text(x + 6.5 * s, y, place, fontsize=self.fs(7.4), va="center", parse_math=False)
            n = "—" if spot["n"] is None else f"{spot['n']:,}"
            z = "—" if spot["gi_z"] is None else f"{spot['gi_z']:.1f}"
            ax.text(x + width - 11 * s, y, n, fontsize=self.fs(7.2), va="center", ha="right")
            ax.text(x + width, y, z, fontsize=self.fs(7.2), va="center", ha="right")
            if spot["place"] and spot["grid"] and self.table_grid_lines:
                ax.text(x + 6.5 * s, y - 3.0 * s, spot["grid"], fontsize=self.fs(6), va="center", color=MUTED, parse_math=False)
                y -= 2.6 * s
            y -= 4.6 * s

    def inset(self, box: Box, extent) -> None:
        content = self.content
        s = self.layout.scale
        title_h = 5.0 * s
        ax_title = self.axes_mm(Box(box.x, box.top - title_h, box.w, title_h))
        ax_title.text(0, title_h / 2, "全县概览", fontsize=self.fs(8), fontweight="bold", color=NAVY, va="center")
        ax_title.add_patch(Rectangle((box.w - 14 * s, title_h / 2 - 1.2 * s), 3.5 * s, 2.4 * s, facecolor="none", edgecolor=RED, linewidth=1.0))
        ax_title.text(box.w, title_h / 2, "本图范围", fontsize=self.fs(6.5), color=MUTED, va="center", ha="right")
        inner = Box(box.x, box.y, box.w, box.h - title_h)
        ax = self.figure.add_axes(self.layout.fraction(inner))
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_linewidth(0.6)
            spine.set_color("#9aa4ae")
        ax.set_facecolor("white")
        full = content.bounds()
        view = cartography.fit_extent(full, inner.w / inner.h, pad=0.04)
        ax.set_xlim(view[0], view[2])
        ax.set_ylim(view[1], view[3])
        ax.set_aspect("equal", adjustable="box")
        if content.grids is not None and len(content.grids):
            cartography.add_polygons(ax, content.grids.geometry.values, facecolor="#eef0f2", edgecolor="#9aa4ae", linewidths=0.25, zorder=1)
        hot = content.hotspots
        if hot is not None and len(hot):
            sig = hot[hot["gi_bin"] != 0]
            cartography.add_polygons(ax, sig.geometry.values, facecolors=[GI_BIN_CLASSES[int(b)][2] for b in sig["gi_bin"]],
                                     edgecolor="none", zorder=2)
        if content.roads is not None and len(content.roads):
            cartography.add_lines(ax, content.roads.geometry.values, colors="#a0a0a0", linewidths=0.3, zorder=3)
        x0, y0, x1, y1 = extent
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, facecolor="none", edgecolor=RED, linewidth=1.1, zorder=5))
        self._township_labels(ax)

    def _township_labels(self, ax) -> None:
        grids = self.content.grids
        if grids is None or "township" not in grids:
            return
        for name, group in grids.groupby("township"):
            centre = shapely.union_all(group.geometry.values).centroid
            ax.text(centre.x, centre.y, str(name), fontsize=self.fs(5.5), color="#3b4651", ha="center", va="center",
                    zorder=6, path_effects=cartography.HALO, parse_math=False)
