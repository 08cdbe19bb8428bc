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
