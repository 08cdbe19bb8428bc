"""Area-comparison and temporal-profile figures: hour x weekday, monthly trend, market days, A/B change."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from .figures import COLD, HOT, new_figure

WEEKDAYS_ZH = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
_MAX_PANELS = 8


def _groups(profiles: dict, names=None) -> list[str]:
    """The areas drawn: all of them, or with many areas the busiest ones plus 全部 (all incidents)."""
    chosen = list(names) if names is not None else list(profiles)
    if len(chosen) <= _MAX_PANELS:
        return chosen
    overall = [name for name in chosen if name == "全部"]
    busiest = sorted((name for name in chosen if name != "全部"), key=lambda name: -profiles[name]["incidents"])
    return busiest[: _MAX_PANELS - len(overall)] + overall


def hour_weekday_shares(profiles: dict, groups) -> dict[str, np.ndarray]:
    """Each area's incidents by hour (rows) and weekday (columns), as percent of that area's incidents."""
    shares = {}
    for name in groups:
        table = np.asarray(profiles[name]["hour_weekday"], dtype=float)
        total = table.sum()
        shares[name] = table / total * 100 if total else table
    return shares


def hour_weekday_figure(profiles: dict, names=None, context: str = "") -> Figure:
    """One heat map per area: share of its incidents (%) by hour (rows) and weekday (columns).

    Every panel shares one colour scale (0 to the largest share of any panel) and one
    colour bar, so the same colour means the same share in every area.
    """
    groups = _groups(profiles, names)
    cols = min(4, len(groups))
    rows = int(np.ceil(len(groups) / cols))
    fig = new_figure(3.3 * cols + 1.2, 4.6 * rows + 0.9)
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    shares = hour_weekday_shares(profiles, groups)
    top = max((float(s.max()) for s in shares.values() if s.size), default=1.0) or 1.0
    image = None
    for ax, name in zip(axes, groups):
        total = int(np.asarray(profiles[name]["hour_weekday"]).sum())
        image = ax.imshow(shares[name], aspect="auto", cmap="YlOrRd", vmin=0, vmax=top)
        ax.set_title(f"{name}（{total:,} 起）", fontsize=10)
        ax.set_xticks(range(7), WEEKDAYS_ZH, fontsize=8)
        ax.set_yticks(range(0, 24, 3), [f"{h:02d}时" for h in range(0, 24, 3)], fontsize=8)
    for ax in axes[len(groups):]:
        ax.set_visible(False)
    if image is not None:
        fig.colorbar(image, ax=list(axes[: len(groups)]), shrink=0.7).set_label("占该区域案件 %（各图同一色标）", fontsize=8)
    fig.suptitle("发案时段分布：小时 × 星期" + (f"\n{context}" if context else ""), fontsize=12)
    return fig


def monthly_trend_figure(profiles: dict, names=None, context: str = "") -> Figure:
    """Monthly counts per area, each on its own scale, with the Mann-Kendall result and Sen's slope."""
    groups = _groups(profiles, names)
    fig = new_figure(11, 1.9 * len(groups) + 0.8)
    axes = np.atleast_1d(fig.subplots(len(groups), 1, sharex=True, squeeze=False)).ravel()
    for ax, name in zip(axes, groups):
        months = profiles[name]["monthly"]
        labels = [m["month"] for m in months]
        counts = np.array([m["n"] for m in months], dtype=float)
        trend = profiles[name]["trend"]
        colour = {"rising": HOT, "falling": COLD}.get(trend["direction"], "#555555")
        ax.bar(range(len(labels)), counts, color=colour, alpha=0.75)
        slope = trend["sen_slope_per_month"]
        if slope is not None and len(counts) > 1:
            centre = np.median(counts) - slope * np.median(np.arange(len(counts)))
            ax.plot(range(len(labels)), centre + slope * np.arange(len(counts)), color="#222222", linewidth=1.2)
        verdict = {"rising": "显著上升", "falling": "显著下降"}.get(trend["direction"], "无显著趋势")
        z, p = trend["mk_z"], trend["mk_p"]
        detail = "" if z is None else f"  Mann-Kendall z={z:.2f}, {_p(p)}；Sen 斜率 {slope:+.2f} 起/月"
        ax.set_title(f"{name}：{verdict}{detail}", fontsize=9, loc="left")
        ax.set_ylabel("起", fontsize=8)
        ax.grid(axis="y", alpha=0.3)
        ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=7)
    fig.suptitle("月度案件数与趋势" + (f"\n{context}" if context else ""), fontsize=12)
    return fig


def market_day_figure(profiles: dict, names=None) -> Figure:
    """Incidents per day by days since the last market day, relative to each area's mean day."""
    groups = [name for name in _groups(profiles, names) if "market" in profiles[name]]
    fig = new_figure(10, 5)
    ax = fig.add_subplot()
    if not groups:
        ax.text(0.5, 0.5, "未设置集日规则", ha="center", va="center")
        return fig
    lags = max(len(profiles[name]["market"]) for name in groups)
    width = 0.8 / len(groups)
    colours = ["#c0392b", "#e67e22", "#2471a3", "#27ae60", "#8e44ad", "#7f8c8d", "#16a085", "#d35400"]
    for k, name in enumerate(groups):
        rows = profiles[name]["market"]
        ratio = np.array([np.nan if r["ratio_to_mean"] is None else r["ratio_to_mean"] for r in rows], dtype=float)
        effect = profiles[name]["market_effect"]
        rr = effect["rate_ratio"]
        label = f"{name}：集日/非集日 = {rr:.2f}（{_p(effect['p_value'])}）" if rr is not None else name
        ax.bar(np.arange(len(rows)) + (k - (len(groups) - 1) / 2) * width, ratio, width=width, color=colours[k % len(colours)], label=label)
    ax.axhline(1.0, color="#555555", linewidth=1)
    ax.set_xticks(range(lags), ["集日" if k == 0 else f"集后第{k}天" for k in range(lags)])
    ax.set_ylabel("日均案件数 ÷ 该区域日均（1 = 平均）")
    effect = profiles[groups[0]]["market_effect"]
    rule = effect.get("rule_zh") or effect["rule"]
    ax.set_title(f"集日效应（集日规则：{rule}）", fontsize=11, loc="left")
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=2, frameon=False)
    ax.grid(axis="y", alpha=0.3)
    return fig


_MAX_BARS = 30


def area_rates(shown: list[dict]) -> tuple[np.ndarray, str] | None:
    """The rate to set beside the counts: per 10,000 residents a year where every area has a population,
    else incidents per km²; None when neither is known. Areas of different size compare only by a rate."""
    per_10k = np.array([np.nan if r.get("rate_10k_year") is None else r["rate_10k_year"] for r in shown], dtype=float)
    if len(per_10k) and np.isfinite(per_10k).all():
        return per_10k, "每万人年发案率"
    per_km2 = np.array([np.nan if r.get("per_km2") is None else r["per_km2"] for r in shown], dtype=float)
    if len(per_km2) and np.isfinite(per_km2).any():
        return per_km2, "每平方公里案件数"
    return None


def area_change_figure(areas: list[dict], periods: dict, alpha: float = 0.05, context: str = "") -> Figure:
    """Counts in period A and B per area, areas whose change is significant (q <= alpha) marked, and
    beside them each area's rate (:func:`area_rates`): per 10,000 residents a year, or per km².

    Up to 12 areas are drawn as columns; more as horizontal bars, the 30 busiest.
    """
    shown = sorted(areas, key=lambda row: -row["n"])[:_MAX_BARS] if len(areas) > _MAX_BARS else list(areas)
    horizontal = len(shown) > 12
    names = [a["name"] for a in shown]
    a = np.array([r["n_a"] for r in shown], dtype=float)
    b = np.array([r["n_b"] for r in shown], dtype=float)
    rates = area_rates(shown)
    labels = []
    for row in shown:
        q, rr = row.get("q_change"), row.get("rate_ratio")
        labels.append(f"{'' if rr is None else f'×{rr:.2f}'}{'*' if q is not None and q <= alpha else ''}")
    if horizontal:
        fig = new_figure(13 if rates else 9, 0.32 * len(shown) + 1.8)
        ax, rate_ax = fig.subplots(1, 2, width_ratios=[3, 2], sharey=True) if rates else (fig.add_subplot(), None)
        y = np.arange(len(shown))[::-1]
        ax.barh(y + 0.2, a, height=0.4, color="#95a5a6", label=f"时段A {periods['a'][0]}～{periods['a'][1]}")
        ax.barh(y - 0.2, b, height=0.4, color="#c0392b", label=f"时段B {periods['b'][0]}～{periods['b'][1]}")
        for k, text in enumerate(labels):
            ax.text(b[k], y[k] - 0.2, " " + text, va="center", fontsize=7)
        ax.set_yticks(y, names, fontsize=8)
        ax.set_xlabel("案件数")
        ax.grid(axis="x", alpha=0.3)
        if rate_ax is not None:
            rate_ax.barh(y, rates[0], height=0.6, color="#7d3c98")
            rate_ax.set_xlabel(rates[1])
            rate_ax.set_title(rates[1], fontsize=10, loc="left")
            rate_ax.grid(axis="x", alpha=0.3)
    else:
        fig = new_figure(max(7, 1.1 * len(shown) + 3) * (1.6 if rates else 1), 5)
        ax, rate_ax = fig.subplots(1, 2, width_ratios=[3, 2]) if rates else (fig.add_subplot(), None)
        x = np.arange(len(shown))
        ax.bar(x - 0.2, a, width=0.4, color="#95a5a6", label=f"时段A {periods['a'][0]}～{periods['a'][1]}")
        ax.bar(x + 0.2, b, width=0.4, color="#c0392b", label=f"时段B {periods['b'][0]}～{periods['b'][1]}")
        for k, text in enumerate(labels):
            ax.text(k + 0.2, b[k], text, ha="center", va="bottom", fontsize=8)
        ax.set_xticks(x, names, rotation=30 if len(names) > 6 else 0, ha="right" if len(names) > 6 else "center")
        ax.set_ylabel("案件数")
        ax.grid(axis="y", alpha=0.3)
        if rate_ax is not None:
            rate_ax.bar(x, rates[0], width=0.6, color="#7d3c98")
            for k, value in enumerate(rates[0]):
                if np.isfinite(value):
                    rate_ax.text(k, value, f"{value:,.1f}", ha="center", va="bottom", fontsize=8)
            rate_ax.set_xticks(x, names, rotation=30 if len(names) > 6 else 0, ha="right" if len(names) > 6 else "center")
            rate_ax.set_ylabel(rates[1])
            rate_ax.set_title(f"{rates[1]}（面积、人口不同的区域按率比较）", fontsize=10, loc="left")
            rate_ax.grid(axis="y", alpha=0.3)
    subset = f"案件数最多的 {len(shown)} 个区域；" if len(shown) < len(areas) else ""
    ax.set_title(f"各区域两时段案件数（{subset}×：日均比值 B/A；* 为 FDR 校正后 q ≤ {alpha:g}，精确条件二项检验）", fontsize=10, loc="left")
    if context:
        fig.suptitle(context, fontsize=11)
    ax.legend(fontsize=8)
    return fig


def _p(p) -> str:
    """``p=0.012`` or ``p<0.001``, for labels."""
    if p is None:
        return "p=—"
    return "p<0.001" if p < 0.001 else f"p={p:.3f}"
