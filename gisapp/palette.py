"""Colours and fonts every front end shares, so the window, the briefing and the printed map agree.

No Qt and no matplotlib here: the desktop app, ``gisapp/briefing``,
``gisapp/printing`` and ``gisapp/charts`` all import it.
"""

from __future__ import annotations

#: Getis-Ord Gi* confidence bins (ArcGIS ``Gi_Bin``, -3..3): ColorBrewer's 7-class RdBu, reversed so
#: hot is red. It stays readable in greyscale photocopies and for red-green colour blindness.
GI_BIN_COLOURS: dict[int, str] = {
    3: "#b2182b",
    2: "#ef8a62",
    1: "#fddbc7",
    0: "#f2f2f2",
    -1: "#d1e5f0",
    -2: "#67a9cf",
    -3: "#2166ac",
}

#: ``gi_bin`` -> (Chinese label, English label), hot first as in every legend.
GI_BIN_LABELS: dict[int, tuple[str, str]] = {
    3: ("热点 99% 置信", "Hot spot, 99% confidence"),
    2: ("热点 95% 置信", "Hot spot, 95% confidence"),
    1: ("热点 90% 置信", "Hot spot, 90% confidence"),
    0: ("不显著", "Not significant"),
    -1: ("冷点 90% 置信", "Cold spot, 90% confidence"),
    -2: ("冷点 95% 置信", "Cold spot, 95% confidence"),
    -3: ("冷点 99% 置信", "Cold spot, 99% confidence"),
}

#: Chinese fonts in order of preference: Windows, then Linux, then macOS; the first installed wins.
CJK_FONTS = (
    "Microsoft YaHei",
    "SimHei",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "PingFang SC",
)

# ---- result symbology (issue 16): what the window, the briefing and the print draw alike -------------
# Labels are (Chinese, English) pairs; a colour of None means "not filled" (drawn hollow, or not at all).

#: Significant Gi* bins are filled at this opacity so roads, cameras and incidents show through
#: (ArcGIS Pro draws its hot spot bins semi-transparent); bin 0, not significant, is not filled at all.
GI_BIN_FILL_OPACITY = 0.7
#: Cells smaller than this on screen (pixels) get no outline: at county scale outlines only grey the map.
CELL_OUTLINE_MIN_PX = 8
#: The thin outline of cells drawn large enough (see CELL_OUTLINE_MIN_PX).
CELL_OUTLINE_COLOUR = "#8c8c8c"

#: ArcGIS Emerging Hot Spot Analysis categories in legend order: hot kinds in reds, cold kinds in blues,
#: "no pattern" unfilled. Keys are the ``category`` column of ``gisapp emerging``.
EMERGING_ORDER = (
    "new_hot", "consecutive_hot", "intensifying_hot", "persistent_hot",
    "diminishing_hot", "sporadic_hot", "oscillating_hot", "historical_hot",
    "new_cold", "consecutive_cold", "intensifying_cold", "persistent_cold",
    "diminishing_cold", "sporadic_cold", "oscillating_cold", "historical_cold",
    "no_pattern",
)
EMERGING_COLOURS: dict[str, str | None] = {
    "new_hot": "#e31a1c", "consecutive_hot": "#fb6a4a", "intensifying_hot": "#99000d", "persistent_hot": "#cb181d",
    "diminishing_hot": "#fcae91", "sporadic_hot": "#fd8d3c", "oscillating_hot": "#f768a1", "historical_hot": "#fee5d9",
    "new_cold": "#1f78b4", "consecutive_cold": "#6baed6", "intensifying_cold": "#08306b", "persistent_cold": "#2171b5",
    "diminishing_cold": "#c6dbef", "sporadic_cold": "#41b6c4", "oscillating_cold": "#9e9ac8", "historical_cold": "#deebf7",
    "no_pattern": None,
}
EMERGING_LABELS: dict[str, tuple[str, str]] = {
    "new_hot": ("新增热点", "New hot spot"), "consecutive_hot": ("连续热点", "Consecutive hot spot"),
    "intensifying_hot": ("加强热点", "Intensifying hot spot"), "persistent_hot": ("持续热点", "Persistent hot spot"),
    "diminishing_hot": ("减弱热点", "Diminishing hot spot"), "sporadic_hot": ("零星热点", "Sporadic hot spot"),
    "oscillating_hot": ("振荡热点", "Oscillating hot spot"), "historical_hot": ("历史热点", "Historical hot spot"),
    "new_cold": ("新增冷点", "New cold spot"), "consecutive_cold": ("连续冷点", "Consecutive cold spot"),
    "intensifying_cold": ("加强冷点", "Intensifying cold spot"), "persistent_cold": ("持续冷点", "Persistent cold spot"),
    "diminishing_cold": ("减弱冷点", "Diminishing cold spot"), "sporadic_cold": ("零星冷点", "Sporadic cold spot"),
    "oscillating_cold": ("振荡冷点", "Oscillating cold spot"), "historical_cold": ("历史冷点", "Historical cold spot"),
    "no_pattern": ("无显著模式", "No pattern detected"),
}
#: Fill opacity of the emerging categories (semi-transparent, as the Gi* bins).
EMERGING_FILL_OPACITY = 0.75

#: Local Moran's I (``lisa_cluster``): clusters and outliers as in GeoDa; "ns" unfilled.
LISA_ORDER = ("HH", "LL", "HL", "LH", "ns")
LISA_COLOURS: dict[str, str | None] = {"HH": "#d7191c", "LL": "#2c7bb6", "HL": "#fdae61", "LH": "#abd9e9", "ns": None}
LISA_LABELS: dict[str, tuple[str, str]] = {
    "HH": ("高-高聚集", "High-high cluster"), "LL": ("低-低聚集", "Low-low cluster"),
    "HL": ("高-低异常", "High-low outlier"), "LH": ("低-高异常", "Low-high outlier"), "ns": ("不显著", "Not significant"),
}

#: Cluster noise (``cluster_id`` -1): small grey dots under the clusters.
CLUSTER_NOISE_ID = -1
CLUSTER_NOISE_COLOUR = "#a0a0a0"
CLUSTER_NOISE_LABEL = ("噪声", "Noise")
CLUSTER_NOISE_SIZE = 2
#: Clustered incidents are drawn larger than noise.
CLUSTER_POINT_SIZE = 4
#: The outline of cluster hulls (unfilled: the points inside carry the cluster colours).
CLUSTER_HULL_COLOUR = "#4a1486"

#: Camera blind spots: a hatched fill and a thick border, distinct from the red hot cells beside them.
BLIND_SPOT_COLOUR = "#4a148c"
BLIND_SPOT_WIDTH = 2.5
#: Hatch patterns a style may name (Qt brush styles in the window, matplotlib hatches in print).
HATCHES = {"diagonal": "///", "back_diagonal": "\\\\\\", "cross": "xxx"}

#: Kernel density surface: transparent at zero to dark red, in incidents per km².
DENSITY_RAMP = ("#fff7ec00", "#fee8c8", "#fdbb84", "#ef6548", "#b30000")
DENSITY_UNIT = ("起/平方公里", "incidents/km²")

#: Proposed camera sites: a star, ranked (the ``order`` column) next to it.
CAMERA_SITE_COLOUR = "#1565c0"
CAMERA_SITE_OUTLINE = "#ffffff"
CAMERA_SITE_SYMBOL = "star"
CAMERA_SITE_SIZE = 15

#: A planned patrol tour (``tour`` = "plan") and the naive tour it is compared with (``tour`` = "naive").
PATROL_PLAN_COLOUR = "#ff6f00"
PATROL_NAIVE_COLOUR = "#7a7a7a"
#: The start of a tour, and its numbered stops (white discs ringed in the plan colour).
PATROL_START_COLOUR = "#1b5e20"
PATROL_START_LABEL = ("起点", "Start")
PATROL_STOP_FILL = "#ffffff"
PATROL_STOP_SIZE = 17

#: Point symbols a style may name.
SYMBOLS = ("circle", "square", "triangle", "diamond", "star")

# --------------------------------------------------------------------------- added for the briefing and the print (print engineer)
# A separate block so the merge with the window's palette entries is easy.

#: Next week's forecast risk (下周风险), top 1 / 5 / 10 % of cells: ColorBrewer RdPu, kept apart from the Gi* reds.
FORECAST_RISK_COLOURS: dict[float, str] = {0.01: "#7a0177", 0.05: "#c51b8a", 0.10: "#f768a1"}
#: Hotspot zone outline and number discs (darker than the 99 % hot fill, so it reads over the cells).
ZONE_OUTLINE = "#67000d"
#: Blind spots: a purple outline, distinct from the hotspot reds (the briefing's and the print's colour).
BLIND_SPOT_OUTLINE = "#54278f"
#: KDE percent-volume isopleths on a printed map, from the densest band out (YlOrBr).
KDE_BANDS = ("#993404", "#d95f0e", "#fe9929", "#fec44f", "#fee391")
#: Cluster noise: small grey dots.
CLUSTER_NOISE = "#9e9e9e"
