"""The Knox heat table: the Near Repeat Calculator's ratio table as a figure for reports."""

from __future__ import annotations

import numpy as np
from matplotlib.colors import LinearSegmentedColormap, TwoSlopeNorm
from matplotlib.figure import Figure

from .figures import new_figure

_RATIO_COLOURS = LinearSegmentedColormap.from_list("knox", ["#2471a3", "#f7f7f7", "#fdae61", "#c0392b", "#7b241c"])


def knox_heat_table(knox: dict, title: str = "近重复分析（Knox 检验）", alpha: float = 0.05) -> Figure:
    """Knox ratios by distance band (rows) and time band (columns), coloured where significant.

    Parameters
    ----------
    knox : dict
        ``summary["knox"]`` of :func:`gisapp.analysis.spacetime.nearrepeat.near_repeat`.
    title : str
    alpha : float
        Cells with p <= alpha are coloured by their ratio and boxed; the others are grey.

    Each cell shows the Knox ratio, the p-value and observed / expected pairs.
    """
    ratio = np.array([[np.nan if v is None else v for v in row] for row in knox["knox_ratio"]], dtype=float)
    p = np.asarray(knox["p_value"], dtype=float)
    observed = np.asarray(knox["observed"])
    expected = np.asarray(knox["expected"], dtype=float)
    rows, cols = ratio.shape
    fig = new_figure(1.9 * cols + 2.2, 0.85 * rows + 1.9)
    ax = fig.add_subplot()
    significant = (p <= alpha) & np.isfinite(ratio)
    shown = np.where(significant, ratio, np.nan)
    vmax = max(2.0, float(np.nanmax(shown)) if significant.any() else 2.0)
    image = ax.imshow(np.ma.masked_invalid(shown), cmap=_RATIO_COLOURS, norm=TwoSlopeNorm(vcenter=1.0, vmin=0.0, vmax=vmax), aspect="auto")
    ax.imshow(np.ma.masked_where(significant, np.ones_like(ratio)), cmap=LinearSegmentedColormap.from_list("grey", ["#eeeeee", "#eeeeee"]), aspect="auto")
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
    ax.set_yticks(range(rows), knox.get("distance_bands_zh") or knox["distance_bands"])
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
    colourbar.set_label("Knox 比值（观测/期望）")
    ax.set_title(f"{title}\n单元格：Knox 比值；p 值  观测对数/期望对数；着色加框 = p ≤ {alpha:g}（{knox['permutations']:,} 次置换）", fontsize=10, loc="left")
    return fig


def _box(i: int, j: int):
    from matplotlib.patches import Rectangle

    return Rectangle((j - 0.47, i - 0.47), 0.94, 0.94, fill=False, edgecolor="#222222", linewidth=1.2, zorder=4)
