"""Forecast-evaluation figures: hit-rate curves, the rolling PAI, and which method wins with its spread."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .figures import new_figure

METHOD_ZH = {"counts": "上期计数", "kde": "核密度 (KDE)", "gistar": "Gi* 热点", "prospective": "前瞻热点", "sepp": "自激点过程 (SEPP)", "rtm": "风险地形 (RTM)"}
METHOD_COLOURS = {"counts": "#7f8c8d", "kde": "#c0392b", "gistar": "#2471a3", "prospective": "#8e44ad", "sepp": "#d68910", "rtm": "#1e8449"}


def evaluation_figure(summary: dict, coverage: float | None = None, max_coverage: float | None = None) -> Figure:
    """Left: hit rate against area share for the latest test period. Middle: PAI per test period.
    Right (when the summary has a verdict table): mean PAI per method and coverage with its spread, hatched where the
    method does not beat last period's counts.

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
    table = summary.get("table") or []
    fig = new_figure(19 if table else 13, 5.4)
    panels = fig.subplots(1, 3 if table else 2, width_ratios=[1, 1.35, 1.1] if table else [1, 1.35])
    left, right = panels[0], panels[1]
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
    if table:
        verdict_panel(panels[2], table, summary)
    fig.suptitle(f"热点预测检验（网格 {summary['cell_size_m']:g} 米，共 {summary['cells']:,} 个网格）", fontsize=12)
    return fig


def verdict_panel(axis, table: list[dict], summary: dict) -> None:
    """Mean PAI (bars) and its standard deviation across test periods (whiskers) per method and coverage."""
    coverages = sorted({row["coverage_pct"] for row in table})
    methods = list(dict.fromkeys(row["method"] for row in table))
    width = 0.8 / max(len(methods), 1)
    for m, method in enumerate(methods):
        rows = {row["coverage_pct"]: row for row in table if row["method"] == method}
        for c, coverage in enumerate(coverages):
            row = rows.get(coverage)
            if row is None or row["pai_mean"] is None:
                continue
            hatch = "//" if row.get("better_than_counts") is False else None
            axis.bar(c + (m - (len(methods) - 1) / 2) * width, row["pai_mean"], width, color=METHOD_COLOURS.get(method, "#555555"),
                     hatch=hatch, edgecolor="white", yerr=row["pai_sd"] or 0, capsize=2, error_kw={"linewidth": 0.8},
                     label=METHOD_ZH.get(method, method) if c == 0 else None)
    axis.axhline(1.0, color="#aaaaaa", linewidth=1)
    axis.set_xticks(range(len(coverages)), [f"{c:g}%" for c in coverages])
    axis.set_xlabel("选取的网格面积占比")
    axis.set_ylabel(f"平均 PAI（± 标准差，{summary.get('test_periods', '?')} 个检验期）")
    winner = summary.get("winner", {}).get("5")
    title = "哪种方法更好：斜线 = 未胜过上期计数"
    if winner:
        title += f"\n5% 面积时最佳：{METHOD_ZH.get(winner['method'], winner['method'])}"
    axis.set_title(title, fontsize=10, loc="left")
    axis.grid(alpha=0.3, axis="y")
    axis.legend(fontsize=8, loc="upper right")
