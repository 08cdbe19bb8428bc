"""Colours, ramps and class rules shared by the map canvas, the briefing and the printed map.

No Qt here: the briefing (Folium) and print (matplotlib) modules import this
module too, so that a hotspot is the same red on screen, in HTML and on paper.

Style dicts are the ones :func:`gisapp.layers.layer.validate_style` accepts, plus
optional display keys this module understands:

``categories``  {value: "#rrggbb"} for a categorized style (auto otherwise);
``classes``     [{"value": v, "color": c, "label": text}] exact-value classes (``gi_bin``,
                ``lisa_cluster``, emerging ``category``), in legend order; a label is a text
                (translated where shown) or a [Chinese, English] pair; a class may also set
                ``opacity`` (its fill opacity, 0: unfilled), ``size`` (points), ``width`` and
                ``dash`` (lines);
``others``      "cycle": values outside ``classes`` get the categorical colours in turn,
                listed in numeric order (cluster ids: 1, 2, ..., 10, not 1, 10, 2);
``breaks``      [b0, b1, ..., bn] class edges for a graduated style, with
``colors``      n colours; or ``ramp`` (a name in :data:`RAMPS`) and ``n``;
``method``      "quantile" or "equal" when breaks are computed for display;
``label``       a field to write next to features; ``label_position`` "center" or "right" (points);
``size``        point diameter in pixels; ``width`` line width in pixels;
``symbol``      point marker: circle, square, triangle, diamond or star; ``outline`` its edge colour;
``fill``        polygon fill colour (``#00000000`` for none);
``fill_opacity`` opacity of class fills (polygons of a classified style);
``outline``     polygon outline colour, and ``outline_min_px``: no outline where a polygon is smaller
                than this on screen (no grey mud of cell borders at county scale);
``hatch``       "diagonal", "back_diagonal" or "cross": a hatched polygon fill in the style colour;
``outline_merged`` true: one outline around each group of touching polygons (blind-spot zones), not per cell;
``arrows``      lines: direction chevrons along them; ``start_marker``: their first point marked;
``casing``      lines: a wider line of this colour beneath, so they stand out over fills;
``ramp``, ``unit`` for a layer carrying a raster: its colour ramp and the unit of its legend.

Default styles of result layers are declared once, with the method (``ResultLayer.style`` in
``gisapp/analysis/*/methods.py``), from the colours of :mod:`gisapp.palette`; a layer whose method is
not known gets one by its columns (:func:`ui_default_style`).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gisapp.palette import CJK_FONTS, DENSITY_RAMP, GI_BIN_COLOURS  # noqa: F401  (re-exported for the UI)


def N_(text: str) -> str:
    """Mark ``text`` for translation without translating it here (the UI calls ``tr`` on display)."""
    return text


#: Shared with the briefing and the printed map (see :mod:`gisapp.palette`).
CJK_FONT_FAMILIES = CJK_FONTS

GI_BIN_LABELS: dict[int, str] = {
    3: N_("Hot spot, 99% confidence"),
    2: N_("Hot spot, 95% confidence"),
    1: N_("Hot spot, 90% confidence"),
    0: N_("Not significant"),
    -1: N_("Cold spot, 90% confidence"),
    -2: N_("Cold spot, 95% confidence"),
    -3: N_("Cold spot, 99% confidence"),
}

#: Qualitative colours for categories (Tableau 10 plus two), distinct on a light basemap.
CATEGORY_PALETTE = (
    "#e15759", "#4e79a7", "#f28e2b", "#76b7b2", "#59a14f", "#edc948",
    "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#8cd17d", "#d4a6c8",
)
OTHER_COLOUR = "#9a9a9a"
#: More categories than this are drawn as the first ones plus "Other".
MAX_CATEGORIES = len(CATEGORY_PALETTE)

#: Sequential and diverging ramps (ColorBrewer, viridis), as anchor colours interpolated in RGB.
RAMPS: dict[str, tuple[str, ...]] = {
    "YlOrRd": ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"),
    "Reds": ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"),
    "Blues": ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"),
    "Viridis": ("#440154", "#3b528b", "#21908d", "#5dc963", "#fde725"),
    "RdYlBu": ("#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6"),
    "Density": DENSITY_RAMP,
}

#: Style keys the style dialog does not edit; it keeps them while the kind and field stay the same.
DISPLAY_KEYS = ("fill_opacity", "outline", "outline_min_px", "outline_merged", "hatch", "symbol", "label_position", "arrows", "start_marker",
                "casing", "unit", "others", "classes")

#: Values of canonical columns shown translated in legends (area_type, camera kind and status).
VALUE_LABELS = (
    N_("market"), N_("urban_fringe"), N_("school"), N_("business"), N_("plaza"), N_("residential"), N_("station"),
    N_("dome"), N_("fixed"), N_("checkpoint"), N_("online"), N_("offline"),
)

SELECTION_COLOUR = "#ffd400"
SELECTION_OUTLINE = "#202020"


def label_text(label, language: str = "zh", translate=None) -> str:
    """A legend label as shown: the ``language`` half of a [Chinese, English] pair, else ``translate(label)``."""
    if isinstance(label, (list, tuple)):
        return str(label[0] if language.startswith("zh") else label[-1])
    text = "" if label is None else str(label)
    return translate(text) if translate is not None and text else text


@dataclass(frozen=True)
class LegendEntry:
    """One symbol of a layer's legend; ``label`` is a text or a [Chinese, English] pair; an empty ``color``: no symbol."""

    color: str
    label: object
    outline: str | None = None


@dataclass
class Classification:
    """Which class each feature falls in, and what each class looks like.

    ``codes[i]`` is the class of feature ``i`` (-1: none, drawn in ``default``). ``extras[k]``
    holds what class ``k`` sets besides its colour (``opacity``, ``size``, ``width``, ``dash``).
    """

    codes: np.ndarray
    colors: list[str]
    labels: list
    default: str
    extras: list[dict] | None = None

    def extra(self, k: int, key: str, default=None):
        if self.extras is None or k < 0 or k >= len(self.extras):
            return default
        return self.extras[k].get(key, default)

    def legend(self) -> list[LegendEntry]:
        entries = []
        for k, (colour, label) in enumerate(zip(self.colors, self.labels)):
            hollow = self.extra(k, "opacity") == 0
            entries.append(LegendEntry(colour[:7] + "00" if hollow else colour, label, "#8c8c8c" if hollow else None))
        return entries


def gi_bin_style(field: str = "gi_bin") -> dict:
    """The Gi* bins as the hotspot method declares them (:data:`gisapp.analysis.hotspots.methods.GI_BIN_STYLE`)."""
    from gisapp.analysis.hotspots.methods import GI_BIN_STYLE

    return {**copy.deepcopy(GI_BIN_STYLE), "field": field}


def gi_bin_classes() -> list[dict]:
    """The seven Gi* classes, hot 99 % first, for a ``graduated`` style on ``gi_bin``."""
    return gi_bin_style()["classes"]


def declared_style(method_key: str | None, layer_name: str) -> dict | None:
    """The style method ``method_key`` declares for its layer ``layer_name`` (a copy), or None."""
    if not method_key:
        return None
    from gisapp.analysis.catalog import method as declared_method

    try:
        declared = declared_method(method_key).layer(layer_name)
    except KeyError:
        return None
    return copy.deepcopy(declared.style) if declared is not None and declared.style else None


#: Result columns that tell which method's style suits a layer whose method is not recorded.
STYLE_BY_COLUMNS = (
    ({"lisa_cluster"}, "lisa", "lisa"),
    ({"category", "category_code", "bin_series"}, "emerging", "emerging"),
    ({"cluster_id", "probability"}, "cluster", "clusters"),
    ({"tour", "value_per_minute"}, "plan", "patrol_plan"),
)


def hex_to_rgba(colour: str) -> tuple[int, int, int, int]:
    text = colour.lstrip("#")
    r, g, b = int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)
    a = int(text[6:8], 16) if len(text) == 8 else 255
    return r, g, b, a


def rgba_to_hex(r: float, g: float, b: float, a: float = 255) -> str:
    parts = [int(round(max(0, min(255, v)))) for v in (r, g, b, a)]
    text = "#{:02x}{:02x}{:02x}".format(*parts[:3])
    return text if parts[3] == 255 else text + f"{parts[3]:02x}"


def ramp_colours(name: str, n: int) -> list[str]:
    """``n`` colours evenly spaced along ramp ``name`` (first = lowest class)."""
    anchors = np.array([hex_to_rgba(c) for c in RAMPS.get(name, RAMPS["YlOrRd"])], dtype=float)
    if n <= 1:
        return [rgba_to_hex(*anchors[-1])]
    positions = np.linspace(0, len(anchors) - 1, n)
    out = []
    for p in positions:
        i = min(int(p), len(anchors) - 2)
        t = p - i
        out.append(rgba_to_hex(*(anchors[i] * (1 - t) + anchors[i + 1] * t)))
    return out


def ui_default_style(kind: str, columns, method: str | None = None, name: str = "") -> dict | None:
    """A richer first style than the model's default, where the data allow it (None: keep the model's).

    A result layer takes the style its method declares for it (``method`` and ``name``), else
    the declared style of the method its columns show (:data:`STYLE_BY_COLUMNS`), else the Gi* bins.
    """
    columns = set(columns)
    if kind == "result":
        style = declared_style(method, name)
        for needed, key, layer_name in STYLE_BY_COLUMNS:
            if style is None and needed <= columns:
                style = declared_style(key, layer_name)
        if style is None and "gi_bin" in columns:
            style = gi_bin_style()
        return style
    if kind == "incidents" and "category" in columns:
        return {"type": "categorized", "field": "category", "color": "#d62728", "size": 4}
    if kind == "areas":
        style = {"type": "categorized", "field": "area_type", "color": "#9467bd", "width": 2} if "area_type" in columns else None
        if style is not None and "name" in columns:
            style["label"] = "name"
        return style
    return None


def classify(style: dict, data: pd.DataFrame) -> Classification:
    """Assign every feature of ``data`` to a class of ``style`` (vectorised)."""
    kind = style.get("type", "single")
    base = style.get("color", "#3070b0")
    field = style.get("field")
    n = len(data)
    if kind in ("categorized", "graduated", "raster") and field and field not in data:
        return Classification(np.zeros(n, dtype=np.int16), [base], [f"{field}?"], base)
    if kind == "categorized":
        return _categorized(style, data[field], base)
    if kind in ("graduated", "raster"):
        return _graduated(style, data[field], base)
    return Classification(np.zeros(n, dtype=np.int16), [base], [""], base)


def _categorized(style: dict, values: pd.Series, base: str) -> Classification:
    if style.get("classes"):
        return _exact_classes(style, values, base)
    given = style.get("categories") or {}
    if given:
        names = [str(k) for k in given]
        colours = [str(given[k]) for k in given]
        other = False
    else:
        counts = values.astype("string").value_counts(dropna=True)
        names = natural_sorted(str(v) for v in counts.index)
        other = len(names) > MAX_CATEGORIES
        if other:  # keep the most frequent, in name order, and lump the rest
            names = natural_sorted(str(v) for v in counts.index[: MAX_CATEGORIES - 1])
        colours = [CATEGORY_PALETTE[i % len(CATEGORY_PALETTE)] for i in range(len(names))]
    text = values.astype("string")
    # values outside ``names`` become missing first: pandas deprecates silently dropping them in Categorical
    codes = pd.Categorical(text.where(text.isin(names)), categories=names).codes.astype(np.int16)
    labels = list(names)
    if other:
        codes[(codes < 0) & text.notna().to_numpy()] = len(names)
        colours.append(OTHER_COLOUR)
        labels.append(N_("Other"))
    return Classification(codes, colours, labels, OTHER_COLOUR)


def natural_sorted(names) -> list[str]:
    """Names in numeric order when they are all numbers (1, 2, 10, -1 first), else in text order."""
    names = list(names)
    try:
        return sorted(names, key=float)
    except ValueError:
        return sorted(names)


def _exact_classes(style: dict, values: pd.Series, base: str) -> Classification:
    """Classes matching exact values (numbers as numbers, else text), then ``others`` as the style says."""
    classes = list(style["classes"])
    numeric = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    text = values.astype("string")
    codes = np.full(len(values), -1, dtype=np.int16)
    for i, entry in enumerate(classes):
        value = entry["value"]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            codes[numeric == float(value)] = i
        else:
            codes[(text == str(value)).to_numpy(dtype=bool, na_value=False)] = i
    colours = [c["color"] for c in classes]
    labels = [c.get("label", str(c["value"])) for c in classes]
    extras = [{k: v for k, v in c.items() if k not in ("value", "color", "label")} for c in classes]
    if style.get("others") == "cycle":
        rest = codes < 0
        names = natural_sorted(text[rest].dropna().unique()) if rest.any() else []
        if len(classes) + len(names) >= np.iinfo(np.int16).max:
            names = names[: np.iinfo(np.int16).max - len(classes) - 1]
        found = pd.Categorical(text.where(rest), categories=names).codes.astype(np.int32)
        codes = np.where(found >= 0, found + len(classes), codes).astype(np.int16)
        colours += [CATEGORY_PALETTE[i % len(CATEGORY_PALETTE)] for i in range(len(names))]
        labels += list(names)
        extras += [{} for _ in names]
    return Classification(codes, colours, labels, base, extras)


def _graduated(style: dict, values: pd.Series, base: str) -> Classification:
    if style.get("classes"):
        return _exact_classes(style, values, base)
    numeric = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    finite = numeric[np.isfinite(numeric)]
    breaks = style.get("breaks")
    if not breaks:
        breaks = display_breaks(finite, int(style.get("n", 5)), style.get("method", "quantile"))
    breaks = [float(b) for b in breaks]
    k = max(len(breaks) - 1, 1)
    colours = list(style.get("colors") or ramp_colours(style.get("ramp", "YlOrRd"), k))[:k]
    codes = np.full(len(values), -1, dtype=np.int16)
    if len(breaks) >= 2:
        inner = np.searchsorted(breaks[1:-1], numeric, side="right").astype(np.int16)
        ok = np.isfinite(numeric) & (numeric >= breaks[0]) & (numeric <= breaks[-1])
        codes[ok] = inner[ok]
    labels = [f"{_fmt(breaks[i])} – {_fmt(breaks[i + 1])}" for i in range(len(breaks) - 1)] or [""]
    return Classification(codes, colours, labels, base)


def ramp_legend(array, style: dict, n: int = 5) -> list[LegendEntry]:
    """A graduated legend for a raster drawn through a ramp: the unit, then ``n`` value ranges, highest first.

    The colours are the ones the canvas draws at each range's middle (the ramp runs linearly
    from ``vmin``, else the smallest value, to ``vmax``, else the largest).
    """
    values = np.asarray(array, dtype=float)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return []
    lo = float(style["vmin"]) if style.get("vmin") is not None else float(finite.min())
    hi = float(style["vmax"]) if style.get("vmax") is not None else float(finite.max())
    if hi <= lo:
        hi = lo + 1.0
    edges = np.linspace(lo, hi, n + 1)
    levels = ramp_colours(style.get("ramp", "Density"), 64)
    entries = []
    for i in range(n - 1, -1, -1):
        middle = (i + 0.5) / n
        colour = levels[min(int(middle * 64), 63)]
        entries.append(LegendEntry(colour[:7], f"{_fmt(edges[i])} – {_fmt(edges[i + 1])}"))
    unit = style.get("unit")
    return ([LegendEntry("", unit)] if unit else []) + entries


def display_breaks(values: np.ndarray, n: int, method: str = "quantile") -> list[float]:
    """Class edges for showing ``values`` in ``n`` colours (symbology only, not a statistic)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size == 0:
        return [0.0, 1.0]
    n = max(1, min(n, 9))
    if method == "equal":
        edges = np.linspace(values.min(), values.max(), n + 1)
    else:
        edges = np.unique(np.quantile(values, np.linspace(0, 1, n + 1)))
    if len(edges) < 2:
        edges = np.array([values.min(), values.min() + 1.0])
    return [float(e) for e in edges]


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def darker(colour: str, factor: float = 0.65) -> str:
    r, g, b, a = hex_to_rgba(colour)
    return rgba_to_hex(r * factor, g * factor, b * factor, a)
