"""The printed hotspot map: an A4/A3 page with matplotlib, as vector PDF or 300 dpi PNG.

The page holds a title and subtitle, the classification line (top right and
again in the footer), the map frame (the layers chosen, see
:mod:`.map_layers`; significant Gi* cells semi-transparent, hotspot zones
outlined and numbered as in the table), a scale bar, the numeric scale and a
north arrow turned to true north, a side panel with the legend, the zone
table and an inset of the whole county, and a footer in Chinese: data
source, coordinate system, method, 制图单位, 审核人 and 制图日期.

Type is set for a meeting table: nothing under 8 pt on A4, and A3 scales the
type with the paper. Fonts are embedded as TrueType outlines (``pdf.fonttype``
42, see :mod:`.truetype`), never as Type 3.
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
from matplotlib.text import Text

from gisapp.briefing.content import MapContent
from gisapp.briefing.style import (
    AREA_TYPE_LABELS,
    DEFAULT_CLASSIFICATION,
    DEFAULT_PRINT_TITLE,
    GI_BIN_CLASSES,
)
from gisapp.layers.errors import InputError

from . import cartography, fonts, map_layers, truetype
from .labels_zh import crs_label_zh, nice_scale, scale_text
from .layout import Box, Layout, page_layout

FORMATS = (".pdf", ".png")
NAVY = "#14253d"
RED = "#b3141c"
MUTED = "#5f6b7a"
ROAD_PRINT_COLOUR = "#8f8f8f"
#: The smallest type on an A4 page, in points (A3 multiplies it by the paper's scale).
MIN_PT = 8.0
#: Layers printed when the caller does not choose (the dialog and ``--layers`` choose).
DEFAULT_LAYERS = ("kde", "hotspots", "grids", "roads", "areas", "cluster_hulls", "blind_spots", "zones", "routes", "plan_routes", "plan_stops")
#: Every layer a print can hold.
ALL_LAYERS = tuple(map_layers.DRAWERS)
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
    layers: tuple[str, ...] | None = None  # None: DEFAULT_LAYERS
    maker: str = ""  # 制图单位
    reviewer: str = ""  # 审核人
    map_date: str = ""  # 制图日期 (default: today)
    scale: int | None = None  # 1:scale; None: the first round scale that shows the hotspots


@dataclass
class PrintedMap:
    path: Path
    font: fonts.FontChoice
    dropped_labels: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    scale: int | None = None
    layers: list[str] = field(default_factory=list)


def _fs(layout: Layout, points: float) -> float:
    return max(points, MIN_PT) * layout.scale


def _texts(content: MapContent, options: PrintOptions, subtitle: str) -> str:
    """Every string the page prints, for the font coverage check."""
    parts = [options.title, subtitle, options.classification, content.source, content.hotspot_method, options.maker, options.reviewer,
             options.map_date, crs_label_zh(content.crs), "北图例主要热点区位置警情值网格边界道路重点区域热点排名全县概览本图范围数据来源坐标系制图单位审核人日期"
             "生成时间起格总数比例尺高斯克吕格度带中央经线未能定位计入核密度体积等值线聚类凸包噪声监控盲区视域不足一半计划巡逻路线起点箭头为方向停靠点顺序摄像头离线"
             "面积平方公里覆盖不着色显著冷点置信编号见表"]
    parts += [label for label, _, _ in GI_BIN_CLASSES.values()]
    if content.areas is not None and "name" in content.areas:
        parts += content.areas["name"].astype(str).tolist()
    parts += [zone["name"] for zone in content.summary.get("zones") or []]
    if content.routes is not None and "name" in content.routes:
        parts += content.routes["name"].astype(str).tolist()
    if content.grids is not None and "township" in content.grids:
        parts += content.grids["township"].dropna().astype(str).unique().tolist()
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

    rc = {"font.family": font.family, "pdf.fonttype": 42, "axes.unicode_minus": False, "path.simplify": True, "hatch.linewidth": 0.5}
    with matplotlib.rc_context(rc), warnings.catch_warnings():
        # Glyphs the font lacks were reported once above; matplotlib would repeat it per character.
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        figure = Figure(figsize=layout.size_inches, dpi=100, facecolor="white")
        canvas = FigureCanvasAgg(figure)
        page = _Page(figure, canvas, layout, content, options, subtitle)
        dropped = page.draw()
        if out.suffix.lower() == ".pdf":
            _embed_as_truetype(figure, font)
        temp = out.with_name(f".{out.stem}.tmp{out.suffix}")
        figure.savefig(temp, format=out.suffix.lower()[1:], dpi=int(options.dpi), facecolor="white")
        temp.replace(out)
    return PrintedMap(out, font, dropped, caught, time.perf_counter() - start, page.scale, page.drawn)


def draw_page(content: MapContent, options: PrintOptions | None = None) -> Figure:
    """The page as a matplotlib Figure, without saving it (for previews and tests)."""
    options = options or PrintOptions()
    layout = page_layout(options.paper, options.orientation)
    subtitle = options.subtitle if options.subtitle is not None else content.subtitle()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", fonts.FontWarning)
        font = fonts.resolve_cjk_font(_texts(content, options, subtitle))
    with matplotlib.rc_context({"font.family": font.family, "axes.unicode_minus": False}), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font", category=UserWarning)
        figure = Figure(figsize=layout.size_inches, dpi=100, facecolor="white")
        _Page(figure, FigureCanvasAgg(figure), layout, content, options, subtitle).draw()
    return figure


def _embed_as_truetype(figure: Figure, font: fonts.FontChoice) -> None:
    """Set every text of the page in a TrueType-outline copy of ``font`` holding exactly the characters printed.

    The page is laid out with the installed font first; the copy has the same
    glyph advances, so nothing moves, and the PDF embeds CID TrueType fonts.
    """
    texts = [t for t in figure.findobj(Text) if t.get_text()]
    family = _embeddable(font, "".join(t.get_text() for t in texts))
    if family != font.family:
        for text in texts:
            text.set_fontfamily(family)


def _embeddable(font: fonts.FontChoice, text: str) -> list[str]:
    """The font family list with the CJK font as TrueType outlines (converted when it is CFF)."""
    if font.name is None or font.path is None:
        return font.family
    from matplotlib import font_manager

    entries = [f for f in font_manager.fontManager.ttflist if f.name == font.name]
    regular = next((f for f in entries if f.weight in (400, "normal", "regular")), entries[0])
    bold = next((f for f in entries if f.weight in (700, "bold")), None)
    try:
        family = truetype.truetype_family(font.name, regular.fname, getattr(regular, "index", 0), text,
                                          bold.fname if bold else None, getattr(bold, "index", 0) if bold else 0)
    except Exception as error:  # a font fontTools cannot convert: print with it as it is, and say so
        warnings.warn(f"{font.name} could not be converted to TrueType outlines ({error}); its glyphs may embed as Type 3.",
                      fonts.FontWarning, stacklevel=3)
        return font.family
    return [family, *font.family[1:]]


class _Page:
    def __init__(self, figure: Figure, canvas, layout: Layout, content: MapContent, options: PrintOptions, subtitle: str):
        self.figure = figure
        self.canvas = canvas
        self.layout = layout
        self.content = content
        self.options = options
        self.subtitle = subtitle
        self.labels_dropped: list[str] = []
        self.legend_items: list[tuple] = []
        self.drawn: list[str] = []
        self.scale: int | None = None

    def fs(self, points: float) -> float:
        return _fs(self.layout, points)

    def size(self, points: float) -> float:
        """A mark size (points) scaled with the paper, with no floor (for dots and arrows)."""
        return points * self.layout.scale

    def axes_mm(self, box: Box):
        ax = self.figure.add_axes(self.layout.fraction(box))
        ax.set_xlim(0, box.w)
        ax.set_ylim(0, box.h)
        ax.set_axis_off()
        return ax

    def draw(self) -> list[str]:
        self.header()
        extent = self.map_frame()
        self.footer()
        self.panel(extent)
        return self.labels_dropped

    # ------------------------------------------------------------------ header and footer

    def header(self) -> None:
        box = self.layout.header
        ax = self.axes_mm(box)
        ax.text(0, box.h * 0.62, self.options.title, fontsize=self.fs(19), fontweight="bold", color=NAVY, va="center", parse_math=False)
        ax.text(0, box.h * 0.16, self.subtitle, fontsize=self.fs(9.5), color=MUTED, va="center", parse_math=False)
        if self.options.classification.strip():
            ax.text(box.w, box.h * 0.62, self.options.classification, fontsize=self.fs(11), fontweight="bold", color=RED,
                    ha="right", va="center", parse_math=False,
                    bbox={"boxstyle": "square,pad=0.35", "facecolor": "white", "edgecolor": RED, "linewidth": 1.2})
        generated = self.content.generated_at.strftime("%Y-%m-%d %H:%M")
        ax.text(box.w, box.h * 0.16, f"生成时间 {generated}", fontsize=self.fs(8), color=MUTED, ha="right", va="center")
        ax.plot([0, box.w], [-1.2 * self.layout.scale, -1.2 * self.layout.scale], color=RED, linewidth=1.6 * self.layout.scale, clip_on=False)

    def footer(self) -> None:
        """Two lines in Chinese: what the map shows and how (source, CRS, method), then who made it and when."""
        box = self.layout.footer
        ax = self.axes_mm(box)
        ax.plot([0, box.w], [box.h, box.h], color="#c9d0d8", linewidth=0.6)
        about = [f"数据来源：{self.content.source}", f"坐标系：{crs_label_zh(self.content.crs)}"]
        if self.content.hotspot_method:
            about.append(f"热点：{self.content.hotspot_method}")
        rejected = rejected_text(self.content)
        if rejected:
            about.append(rejected)
        made = [f"制图单位：{self.options.maker}" if self.options.maker else "", f"审核人：{self.options.reviewer}" if self.options.reviewer else "",
                f"制图日期：{self.options.map_date or self.content.generated_at:%Y-%m-%d}" if not self.options.map_date else f"制图日期：{self.options.map_date}"]
        if self.scale:
            made.append(f"比例尺 {scale_text(self.scale)}")
        made.append("制图软件：gisapp")
        line = box.h * 0.72
        top = ax.text(0, line, " · ".join(about), fontsize=self.fs(8), color=MUTED, va="center", parse_math=False)
        renderer = self.canvas.get_renderer()
        if top.get_window_extent(renderer).x1 > ax.transData.transform((box.w, 0))[0]:
            top.set_text(" · ".join(about[:2]) + "\n" + " · ".join(about[2:]))
            top.set_linespacing(1.25)
            top.set_y(box.h * 0.9)
            line = box.h * 0.62
        ax.text(0, box.h * 0.22, "　".join(m for m in made if m), fontsize=self.fs(8), color=NAVY, va="center", parse_math=False)
        if self.options.classification.strip():
            ax.text(box.w, box.h * 0.22, self.options.classification, fontsize=self.fs(8), fontweight="bold", color=RED,
                    ha="right", va="center", parse_math=False)

    # ------------------------------------------------------------------ the map

    def focus_bounds(self):
        content = self.content
        frames = []
        if content.zones is not None and len(content.zones):
            frames.append(content.zones)
        elif content.hotspots is not None:
            frames.append(content.hotspots[content.hotspots["gi_bin"] != 0])
        if content.areas is not None and "area_type" in content.areas:
            frames.append(content.areas[content.areas["area_type"].astype(str) != "urban_fringe"])
        for name in ("plan_routes", "routes"):
            if name in self.chosen() and getattr(content, name) is not None:
                frames.append(getattr(content, name))
        frames = [f for f in frames if len(f)]
        if not frames:
            return content.bounds()
        boxes = np.array([f.total_bounds for f in frames])
        return boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max()

    def chosen(self) -> tuple[str, ...]:
        return tuple(self.options.layers) if self.options.layers is not None else DEFAULT_LAYERS

    def map_frame(self):
        box = self.layout.map
        ax = self.figure.add_axes(self.layout.fraction(box))
        extent = self.scaled_extent(cartography.fit_extent(self.focus_bounds(), box.w / box.h), box)
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
            cartography.scale_bar(ax, extent, self.fs(8), caption=scale_text(self.scale) if self.scale else None),
            cartography.north_arrow(ax, extent, self.content.crs, self.fs(8)),
        ]
        obstacles += self.zone_marks(ax)
        frame = ax.get_window_extent(renderer)
        self.labels_dropped = cartography.place_labels(ax, renderer, self.area_labels(ax, extent), obstacles, frame)
        self.map_ax = ax
        return extent

    def scaled_extent(self, extent, box: Box):
        """The extent at a round scale (``options.scale``, else the first round scale that shows the fitted extent)."""
        if self.content.crs is None or not self.content.crs.is_projected:
            return extent
        width_m = extent[2] - extent[0]
        denominator = width_m / (box.w / 1000.0)
        self.scale = int(self.options.scale) if self.options.scale else nice_scale(denominator)
        half_w = self.scale * box.w / 1000.0 / 2
        half_h = self.scale * box.h / 1000.0 / 2
        cx, cy = (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2
        return cx - half_w, cy - half_h, cx + half_w, cy + half_h

    def map_layers(self, ax) -> None:
        chosen = set(self.chosen())
        for name, drawer in map_layers.DRAWERS.items():
            frame = self.frame_of(name)
            if name in chosen and frame is not None and len(frame):
                self.legend_items += drawer(ax, frame, self.size)
                self.drawn.append(name)

    def frame_of(self, name: str):
        if name == "cameras" and self.content.cameras is not None and "sectors" not in (self.options.layers or ()):
            return self.content.cameras
        return getattr(self.content, name, None)

    def zone_marks(self, ax) -> list:
        if "zones" not in self.drawn:
            return []
        boxes = []
        left, right = ax.get_xlim()
        bottom, top = ax.get_ylim()
        for zone in self.content.summary.get("zones") or []:
            x, y = zone.get("top_x", zone["x"]), zone.get("top_y", zone["y"])
            if not (left <= x <= right and bottom <= y <= top):
                continue  # outside this map's frame (a larger scale was asked for)
            text = ax.text(x, y, str(zone["zone_id"]), ha="center", va="center", fontsize=self.fs(8), fontweight="bold", color="white",
                           zorder=25, bbox={"boxstyle": "circle,pad=0.25", "facecolor": map_layers.ZONE_OUTLINE, "edgecolor": "white", "linewidth": 0.8})
            boxes.append(text.get_window_extent(self.canvas.get_renderer()).padded(2))
        return boxes

    def area_labels(self, ax, extent) -> list[dict]:
        areas = self.content.areas
        if areas is None or not len(areas) or "name" not in areas or "areas" not in self.drawn:
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
                    "style": {"fontsize": self.fs(9 if major else 8), "fontweight": "bold" if major else "normal",
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
            text_h = self.legend_height() + self.table_height() + 6.0 * s
            room = box.h - text_h - gap
            inset_h = min(0.8 * box.w, room) if self.options.inset and room >= 0.45 * box.w else 0.0
            legend_box = Box(box.x, box.y + inset_h + (gap if inset_h else 0), box.w, box.h - inset_h - (gap if inset_h else 0))
            self.legend_and_table(legend_box, two_columns=False)
            if inset_h:
                self.inset(Box(box.x, box.y, box.w, inset_h), extent)
        else:
            inset_w = box.h * 1.0 if self.options.inset else 0.0
            self.legend_and_table(Box(box.x, box.y, box.w - inset_w - (gap if inset_w else 0), box.h), two_columns=True)
            if inset_w:
                self.inset(Box(box.right - inset_w, box.y, inset_w, box.h), extent)

    _ROW = 4.6
    _SECTION = 6.4

    def gi_rows(self) -> list:
        hot = self.content.hotspots
        if hot is None or not len(hot) or "hotspots" not in self.drawn:
            return []
        counts = hot["gi_bin"].value_counts()
        return [(b, label, colour, int(counts.get(b, 0))) for b, (label, _, colour) in GI_BIN_CLASSES.items() if b == 0 or counts.get(b, 0)]

    def legend_height(self) -> float:
        rows = (1 + len(self.gi_rows())) + len(self.legend_items)
        return (self._SECTION + rows * self._ROW + 1.6) * self.layout.scale

    def zone_rows(self) -> list[dict]:
        return (self.content.summary.get("zones") or [])[:6] if "zones" in self.drawn else []

    def table_height(self) -> float:
        return (self._SECTION + 4.8 + 4.8 + self._ROW * max(len(self.zone_rows()), 1)) * self.layout.scale

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
        gi = self.gi_rows()
        if gi:
            ax.text(x, y - 1.0 * s, "热点分析（Getis-Ord Gi*）", fontsize=self.fs(8), color=NAVY, va="center", fontweight="bold")
            y -= row + 0.6 * s
            for b, label, colour, count in gi:
                face = "none" if b == 0 else colour
                ax.add_patch(Rectangle((x, y - 1.5 * s), 6.0 * s, 3.0 * s, facecolor=face, alpha=None if b == 0 else map_layers.HOT_ALPHA,
                                       edgecolor="#9aa4ae", linewidth=0.4, linestyle=(0, (2, 1)) if b == 0 else "-"))
                ax.text(x + 8.0 * s, y, label + ("（不着色）" if b == 0 else ""), fontsize=self.fs(8), va="center")
                ax.text(x + width, y, f"{count:,} 格", fontsize=self.fs(8), va="center", ha="right", color=MUTED)
                y -= row
            y -= 1.0 * s
        for kind, label, style in self.legend_items:
            self.legend_symbol(ax, kind, x, y, style)
            ax.text(x + 8.0 * s, y, label, fontsize=self.fs(8), va="center", parse_math=False)
            y -= row
        return y

    def legend_symbol(self, ax, kind: str, x: float, y: float, style: dict) -> None:
        s = self.layout.scale
        if kind == "line":
            ax.plot([x, x + 6 * s], [y, y], solid_capstyle="round", **style)
        elif kind == "route":
            ax.plot([x, x + 6 * s], [y, y], color=style["color"], linewidth=2.2)
            ax.annotate("", (x + 6 * s, y), (x + 3 * s, y), arrowprops={"arrowstyle": "-|>", "color": style["color"], "linewidth": 0})
        elif kind in ("dot", "camera", "stop"):
            marker = {"dot": "o", "camera": "^", "stop": "o"}[kind]
            ax.plot(x + 3 * s, y, marker=marker, markersize=(2.5 if style.get("small") else 5) * s, color=style["color"], linestyle="none")
        else:
            ax.add_patch(Rectangle((x, y - 1.5 * s), 6.0 * s, 3.0 * s, **{"linewidth": 0.8, "edgecolor": "#9aa4ae", **style}))

    def summary_table(self, ax, x: float, y: float, width: float) -> None:
        s = self.layout.scale
        zones = self.zone_rows()
        summary = self.content.summary
        all_zones = [z for z in summary.get("zones") or [] if z.get("n") is not None]
        y = self.section(ax, x, y, "主要热点区")
        if "incidents" in summary:
            line = f"警情 {summary['incidents']:,} 起"
            if all_zones:
                line += f" · 热点区 {len(all_zones)} 个，含 {sum(z['n'] for z in all_zones):,} 起"
            ax.text(x, y - 0.5 * s, line, fontsize=self.fs(8), color=MUTED, va="center")
            y -= 4.8 * s
        if not zones:
            # the numbered rows refer to the numbered outlines: without the zones layer there are none to refer to
            empty = "热点区图层未选入本图，编号从略。" if all_zones else "无热点区。"
            ax.text(x, y, empty, fontsize=self.fs(8), color=MUTED, va="center")
            return
        ax.text(x + 6.5 * s, y, "热点区", fontsize=self.fs(8), color=MUTED, va="center")
        ax.text(x + width - 12 * s, y, "警情", fontsize=self.fs(8), color=MUTED, va="center", ha="right")
        ax.text(x + width, y, "视域内", fontsize=self.fs(8), color=MUTED, va="center", ha="right")
        y -= 1.8 * s
        ax.plot([x, x + width], [y, y], color="#c9d0d8", linewidth=0.5)
        y -= 3.0 * s
        for zone in zones:
            ax.add_patch(Circle((x + 2.2 * s, y), 2.0 * s, facecolor=map_layers.ZONE_OUTLINE, edgecolor="none"))
            ax.text(x + 2.2 * s, y, str(zone["zone_id"]), fontsize=self.fs(8), color="white", ha="center", va="center", fontweight="bold")
            ax.text(x + 6.5 * s, y, zone["name"], fontsize=self.fs(8), va="center", parse_math=False)
            n = "—" if zone["n"] is None else f"{zone['n']:,}"
            share = (zone.get("coverage") or {}).get("covered_share")
            ax.text(x + width - 12 * s, y, n, fontsize=self.fs(8), va="center", ha="right")
            ax.text(x + width, y, "—" if share is None else f"{100 * share:.0f}%", fontsize=self.fs(8), va="center", ha="right")
            y -= self._ROW * s

    def inset(self, box: Box, extent) -> None:
        content = self.content
        s = self.layout.scale
        title_h = 5.5 * s
        ax_title = self.axes_mm(Box(box.x, box.top - title_h, box.w, title_h))
        ax_title.text(0, title_h / 2, "全县概览", fontsize=self.fs(8), fontweight="bold", color=NAVY, va="center")
        ax_title.add_patch(Rectangle((box.w - 17 * s, title_h / 2 - 1.2 * s), 3.5 * s, 2.4 * s, facecolor="none", edgecolor=RED, linewidth=1.0))
        ax_title.text(box.w, title_h / 2, "本图范围", fontsize=self.fs(8), color=MUTED, va="center", ha="right")
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
            bins = hot["gi_bin"].astype(int).to_numpy()
            for b in sorted(set(bins) - {0}):
                cartography.add_polygons(ax, hot.geometry.values[bins == b], merge=True, facecolor=GI_BIN_CLASSES[b][2], edgecolor="none", zorder=2)
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
            ax.text(centre.x, centre.y, str(name), fontsize=self.fs(8), color="#3b4651", ha="center", va="center",
                    zorder=6, path_effects=cartography.HALO, parse_math=False)


def rejected_text(content: MapContent) -> str:
    rejected = content.summary.get("rows_rejected") or 0
    return f"{rejected:,} 起警情未能定位，未计入" if rejected > 0 else ""
