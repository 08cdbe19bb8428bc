"""The Knox heat table: the Near Repeat Calculator's ratio table as a figure for reports."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, TwoSlopeNorm
from matplotlib.figure import Figure

from .figures import new_figure

#: Diverging around the neutral ratio: blue below 1 (fewer pairs than chance), white at 1, reds above.
#: The nodes sit at the colour map's middle so that TwoSlopeNorm's centre (1.0) falls on white.
_RATIO_COLOURS = LinearSegmentedColormap.from_list(
    "knox", [(0.0, "#2471a3"), (0.5, "#f7f7f7"), (0.7, "#fdae61"), (0.85, "#c0392b"), (1.0, "#7b241c")]
)
_GREY = LinearSegmentedColormap.from_list("grey", ["#eeeeee", "#eeeeee"])


def open_ended(label: str) -> bool:
    """A remainder band ("more than 400 m", "more than 21 days"): pairs there are not near in that dimension."""
    return str(label).strip().lower().startswith(("more than", ">"))


def near_repeat_cells(knox: dict, alpha: float = 0.05) -> np.ndarray:
    """Cells that show a near-repeat: ratio above 1, p <= ``alpha``, within the near bands of distance and time.

    The near bands are all but the open-ended remainder bands. A ratio at or below 1
    is no excess of pairs, whatever its p-value, and a pair more than the last
    distance apart or the last interval apart is not "near" (Ratcliffe's
    Near Repeat Calculator reads its table the same way).
    """
    ratio = np.array([[np.nan if v is None else v for v in row] for row in knox["knox_ratio"]], dtype=float)
    p = np.asarray(knox["p_value"], dtype=float)
    near_rows = np.array([not open_ended(label) for label in knox["distance_bands"]])
    near_cols = np.array([not open_ended(label) for label in knox["time_bands"]])
    with np.errstate(invalid="ignore"):
        return (p <= alpha) & np.isfinite(ratio) & (ratio > 1.0) & near_rows[:, None] & near_cols[None, :]


def knox_heat_table(knox: dict, title: str = "近重复分析（Knox 检验）", alpha: float = 0.05, context: str = "") -> Figure:
    """Knox ratios by distance band (rows) and time band (columns); near-repeat cells coloured and boxed.

    Parameters
    ----------
    knox : dict
        ``summary["knox"]`` of :func:`gisapp.analysis.spacetime.nearrepeat.near_repeat`.
    title : str
    alpha : float
        Near-repeat cells (:func:`near_repeat_cells`) are coloured by their ratio, the colour
        scale centred on the neutral ratio 1.0, and boxed; the others are grey.
    context : str
        Area, category and period (:func:`gisapp.charts.context.context_line`), under the title.

    Each cell shows the Knox ratio, the p-value and observed / expected pairs. The "same
    location" row is left out when no pair shares a location.
    """
    ratio = np.array([[np.nan if v is None else v for v in row] for row in knox["knox_ratio"]], dtype=float)
    p = np.asarray(knox["p_value"], dtype=float)
    observed = np.asarray(knox["observed"])
    expected = np.asarray(knox["expected"], dtype=float)
    distance_labels = list(knox.get("distance_bands_zh") or knox["distance_bands"])
    significant = near_repeat_cells(knox, alpha)
    keep = np.ones(len(ratio), dtype=bool)
    if observed.shape[0] > 1 and str(knox["distance_bands"][0]).lower() == "same location" and observed[0].sum() == 0:
        keep[0] = False  # no two incidents at one location: an empty row explains nothing
    ratio, p, observed, expected, significant = (a[keep] for a in (ratio, p, observed, expected, significant))
    distance_labels = [label for label, k in zip(distance_labels, keep) if k]
    rows, cols = ratio.shape
    fig = new_figure(1.9 * cols + 2.2, 0.85 * rows + 2.1)
    ax = fig.add_subplot()
    shown = np.where(significant, ratio, np.nan)
    vmax = max(2.0, float(np.nanmax(shown)) if significant.any() else 2.0)
    image = ax.imshow(np.ma.masked_invalid(shown), cmap=_RATIO_COLOURS, norm=TwoSlopeNorm(vcenter=1.0, vmin=0.0, vmax=vmax), aspect="auto")
    ax.imshow(np.ma.masked_where(significant, np.ones_like(ratio)), cmap=_GREY, aspect="auto")
    norm = image.norm
    for i in range(rows):
        for j in range(cols):
            value = "—" if not np.isfinite(ratio[i, j]) else f"{ratio[i, j]:.2f}"
            weight = "bold" if significant[i, j] else "normal"
            dark = significant[i, j] and (norm(ratio[i, j]) > 0.75 or norm(ratio[i, j]) < 0.15)
            ink, small_ink = ("white", "white") if dark else ("black", "#333333")
            ax.text(j, i - 0.18, value, ha="center", va="center", fontsize=12, fontweight=weight, color=ink)
            ax.text(j, i + 0.2, f"p={p[i, j]:.3f}  {observed[i, j]:,}/{expected[i, j]:,.1f}", ha="center", va="center", fontsize=7.5, color=small_ink)
            if significant[i, j]:
                ax.add_patch(_box(i, j))
    ax.set_xticks(range(cols), knox.get("time_bands_zh") or knox["time_bands"])
    ax.set_yticks(range(rows), distance_labels)
    ax.set_xlabel("时间间隔")
    ax.set_ylabel("空间距离")
    ax.xaxis.set_label_position("top")
    ax.xaxis.tick_top()
    ax.tick_params(length=0)
    ax.set_xticks(np.arange(-0.5, cols), minor=True)
    ax.set_yticks(np.arange(-0.5, rows), minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    for spine in ax.spines.values():
        spine.set_visible(False)
    colourbar = fig.colorbar(image, ax=ax, shrink=0.8)
    colourbar.set_label("Knox 比值（观测/期望，1 = 随机）")
    heading = f"{title}\n{context}" if context else title
    ax.set_title(f"{heading}\n单元格：Knox 比值；p 值  观测对数/期望对数；着色加框 = 近距离、短间隔内比值 > 1 且 p ≤ {alpha:g}"
                 f"（{knox['permutations']:,} 次置换）", fontsize=10, loc="left")
    return fig


def _box(i: int, j: int):
    from matplotlib.patches import Rectangle

    return Rectangle((j - 0.47, i - 0.47), 0.94, 0.94, fill=False, edgecolor="#222222", linewidth=1.2, zorder=4)
