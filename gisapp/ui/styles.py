"""Colours, ramps and class rules shared by the map canvas, the briefing and the printed map.

No Qt here: the briefing (Folium) and print (matplotlib) modules import this
module too, so that a hotspot is the same red on screen, in HTML and on paper.

Style dicts are the ones :func:`gisapp.layers.layer.validate_style` accepts, plus
optional display keys this module understands:

``categories``  {value: "#rrggbb"} for a categorized style (auto otherwise);
``classes``     [{"value": v, "color": c, "label": text}] exact-value classes (``gi_bin``);
``breaks``      [b0, b1, ..., bn] class edges for a graduated style, with
``colors``      n colours; or ``ramp`` (a name in :data:`RAMPS`) and ``n``;
``method``      "quantile" or "equal" when breaks are computed for display;
``label``       a field to write next to features (polygons only);
``size``        point diameter in pixels; ``width`` line width in pixels;
``fill``        polygon fill colour (``#00000000`` for none).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from gisapp.palette import CJK_FONTS, GI_BIN_COLOURS  # noqa: F401  (re-exported for the UI)


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
    "Density": ("#fff7ec00", "#fee8c8", "#fdbb84", "#ef6548", "#b30000"),
}

#: Values of canonical columns shown translated in legends (area_type, camera kind and status).
VALUE_LABELS = (
    N_("market"), N_("urban_fringe"), N_("school"), N_("business"), N_("plaza"), N_("residential"), N_("station"),
    N_("dome"), N_("fixed"), N_("checkpoint"), N_("online"), N_("offline"),
)

SELECTION_COLOUR = "#ffd400"
SELECTION_OUTLINE = "#202020"


@dataclass(frozen=True)
class LegendEntry:
    """One symbol of a layer's legend."""

    color: str
    label: str
    outline: str | None = None


@dataclass
class Classification:
    """Which class each feature falls in, and what each class looks like.

    ``codes[i]`` is the class of feature ``i`` (-1: none, drawn in ``default``).
    """

    codes: np.ndarray
    colors: list[str]
    labels: list[str]
    default: str

    def legend(self) -> list[LegendEntry]:
        return [LegendEntry(c, l) for c, l in zip(self.colors, self.labels)]


def gi_bin_classes() -> list[dict]:
    """The seven Gi* classes, hot 99 % first, for a ``graduated`` style on ``gi_bin``."""
    return [{"value": b, "color": GI_BIN_COLOURS[b], "label": GI_BIN_LABELS[b]} for b in range(3, -4, -1)]


def gi_bin_style(field: str = "gi_bin") -> dict:
    return {"type": "graduated", "field": field, "classes": gi_bin_classes(), "color": "#808080", "width": 1}


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


def ui_default_style(kind: str, columns) -> dict | None:
    """A richer first style than the model's default, where the data allow it (None: keep the model's)."""
    columns = set(columns)
    if kind == "incidents" and "category" in columns:
        return {"type": "categorized", "field": "category", "color": "#d62728", "size": 4}
    if kind == "areas":
        style = {"type": "categorized", "field": "area_type", "color": "#9467bd", "width": 2} if "area_type" in columns else None
        if style is not None and "name" in columns:
            style["label"] = "name"
        return style
    if kind == "result" and "gi_bin" in columns:
        return gi_bin_style()
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
    given = style.get("categories") or {}
    if given:
        names = [str(k) for k in given]
        colours = [str(given[k]) for k in given]
        other = False
    else:
        counts = values.astype("string").value_counts(dropna=True)
        names = sorted(str(v) for v in counts.index)
        other = len(names) > MAX_CATEGORIES
        if other:  # keep the most frequent, in name order, and lump the rest
            names = sorted(str(v) for v in counts.index[: MAX_CATEGORIES - 1])
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


def _graduated(style: dict, values: pd.Series, base: str) -> Classification:
    if style.get("classes"):
        classes = style["classes"]
        numeric = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        codes = np.full(len(values), -1, dtype=np.int16)
        for i, entry in enumerate(classes):
            codes[numeric == float(entry["value"])] = i
        return Classification(codes, [c["color"] for c in classes], [str(c.get("label", c["value"])) for c in classes], base)
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
