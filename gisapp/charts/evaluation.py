"""Forecast-evaluation figures: hit-rate curves and the rolling PAI."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .figures import new_figure

METHOD_ZH = {"counts": "上期计数", "kde": "核密度 (KDE)", "gistar": "Gi* 热点"}
METHOD_COLOURS = {"counts": "#7f8c8d", "kde": "#c0392b", "gistar": "#2471a3"}


def evaluation_figure(summary: dict, coverage: float | None = None, max_coverage: float | None = None) -> Figure:
    """Left: hit rate against area share for the latest test period. Right: PAI per test period.

    Parameters
    ----------
    summary : dict
        ``summary`` of :func:`gisapp.analysis.hotspots.evaluation.evaluate_forecasts`.
    coverage : float, optional
        Area share of the rolling PAI panel; default: the second reported coverage (5 % by default).
    max_coverage : float, optional
        Right end of the curve's x axis; default: 1.5 x the largest reported coverage (at most 100 %).
    """
    latest = summary["latest"]
    methods = list(latest["methods"])
    reported = [float(k) / 100 for k in latest["methods"][methods[0]]]
    coverage = coverage if coverage is not None else (reported[1] if len(reported) > 1 else reported[0])
    limit = max_coverage if max_coverage is not None else min(1.0, 1.5 * max(reported))
    fig = new_figure(13, 5.2)
    left, right = fig.subplots(1, 2, width_ratios=[1, 1.35])
    curve = summary["curve"]
    x = np.asarray(curve["coverage"]) * 100
    keep = x <= limit * 100 + 1e-9
    left.plot(x[keep], np.asarray(curve["best"], dtype=float)[keep] * 100, color="#222222", linestyle="--", linewidth=1.2, label="最佳可能（测试期实际分布）")
    for method in methods:
        left.plot(x[keep], np.asarray(curve[method], dtype=float)[keep] * 100, color=METHOD_COLOURS[method], linewidth=2, label=METHOD_ZH[method])
        for share in reported:
            entry = latest["methods"][method][f"{share * 100:g}"]
            if entry["hit_rate"] is not None and share <= limit:
                left.plot(share * 100, entry["hit_rate"] * 100, "o", color=METHOD_COLOURS[method], markersize=5)
    left.plot([0, limit * 100], [0, limit * 100], color="#aaaaaa", linewidth=1, label="随机（PAI = 1）")
    left.set_xlim(0, limit * 100)
    left.set_ylim(0, 100)
    left.set_xlabel("选取的网格面积占比（%）")
    left.set_ylabel("命中率：测试期案件落入所选网格的比例（%）")
    left.set_title(f"命中率曲线：以 {'、'.join(latest['train_periods'])} 训练，{latest['test_period']} 检验（{latest['test_n']:,} 起）", fontsize=10, loc="left")
    left.grid(alpha=0.3)
    left.legend(fontsize=8, loc="lower right")

    pct = f"{coverage * 100:g}"
    periods = sorted({row["test_period"] for row in summary["rolling"]})
    for method in methods:
        rows = {row["test_period"]: row for row in summary["rolling"] if row["method"] == method}
        values = [rows[p].get(f"pai_{pct}") if p in rows else None for p in periods]
        values = np.array([np.nan if v is None else v for v in values], dtype=float)
        right.plot(range(len(periods)), values, marker="o", markersize=3, color=METHOD_COLOURS[method], linewidth=1.6,
                   label=f"{METHOD_ZH[method]}（均值 {np.nanmean(values):.1f}）" if np.isfinite(values).any() else METHOD_ZH[method])
    right.axhline(1.0, color="#aaaaaa", linewidth=1)
    right.set_xticks(range(len(periods)), periods, rotation=60, ha="right", fontsize=8)
    right.set_ylabel(f"PAI（面积占比 {pct}%）")
    right.set_ylim(bottom=0)
    unit = {"day": "日", "week": "周", "month": "个月"}.get(summary.get("period"), "期")
    right.set_title(f"滚动检验：每次以前 {len(latest['train_periods'])} {unit}训练、下一{unit.removeprefix('个')}检验的 PAI", fontsize=10, loc="left")
    right.grid(alpha=0.3)
    right.legend(fontsize=8, loc="lower right")
    fig.suptitle(f"热点预测检验（网格 {summary['cell_size_m']:g} 米，共 {summary['cells']:,} 个网格）", fontsize=12)
    return fig
