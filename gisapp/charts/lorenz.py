"""The concentration (Lorenz) curve of ``gisapp concentration``, with Chinese labels."""

from __future__ import annotations

from pathlib import Path

from .fonts import use_chinese_font


def write_lorenz_png(result, path: Path, dpi: int = 150) -> Path:
    """Draw the concentration (Lorenz) curve with Chinese labels to ``path``."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    use_chinese_font()
    rc = {"axes.unicode_minus": False}
    s = result.summary
    axis_label = {"length": "累计道路长度比例（%）", "area": "累计面积比例（%）"}.get(result.axis, f"累计{result.unit_label}比例（%）")
    figures = s["by"][result.axis]
    with matplotlib.rc_context(rc):
        figure = Figure(figsize=(6.4, 5.2))
        FigureCanvasAgg(figure)
        ax = figure.add_subplot()
        curve = result.curve
        ax.plot(curve.x * 100, curve.y * 100, color="#c0392b", lw=2, label=f"案件集中度曲线（基尼系数 {s['gini']:.3f}）")
        ax.plot([0, 100], [0, 100], color="#7f7f7f", lw=1, ls="--", label="均匀分布")
        for share, colour in zip(figures["share_of_axis_holding"], ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b")):
            x = figures["share_of_axis_holding"][share] * 100
            y = float(share)
            ax.plot([x, x, 0], [0, y, y], color=colour, lw=1, ls=":")
            ax.plot([x], [y], "o", color=colour)
            ax.annotate(f"{x:.1f}% → {y:g}%案件", (x, y), xytext=(8, -14), textcoords="offset points", color=colour, fontsize=9)
        ax.set_xlim(0, 100)
        ax.set_ylim(0, 100)
        ax.set_xlabel(axis_label)
        ax.set_ylabel("累计案件比例（%）")
        ax.set_title(f"案件集中度：{result.unit_label}（洛伦兹曲线）")
        ax.grid(True, color="#dddddd", lw=0.5)
        ax.legend(loc="lower right", fontsize=9)
        note = f"{s['places']:,}个{result.unit_label}，{s['incidents']:,}起案件"
        if s.get("incidents_outside"):
            note += f"；另有{s['incidents_outside']:,}起不在任何{result.unit_label}内，未计入"
        figure.text(0.01, 0.01, note, fontsize=8, color="#555555")
        figure.tight_layout(rect=(0, 0.035, 1, 1))  # room for the note under the axis label
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=dpi)
    return path
