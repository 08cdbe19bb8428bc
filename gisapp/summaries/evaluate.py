"""Summary of ``gisapp evaluate``: the latest period, the verdict table and the winners."""

from __future__ import annotations

ZH = {"counts": "上期计数", "kde": "核密度", "gistar": "Gi*热点", "prospective": "前瞻热点", "sepp": "自激点过程", "rtm": "风险地形"}


def _value(value, fmt: str) -> str:
    return "—" if value is None else fmt.format(value)


def describe(s: dict, t) -> list[str]:
    latest = s["latest"]
    period_zh = {"day": "日", "week": "周", "month": "月"}.get(s["period"], s["period"])
    lines = [
        t(f"预测检验：{s['cells']:,} 个 {s['cell_size_m']:g} 米格网（{s['study_area_km2']:.1f} 平方公里），{s['test_periods']} 个检验{period_zh}",
          f"Forecast evaluation: {s['cells']:,} cells of {s['cell_size_m']:g} m ({s['study_area_km2']:.1f} km²), {s['test_periods']} test {s['period']}s"),
        t(f"  最近一期：以 {'、'.join(latest['train_periods'])} 训练（{latest['train_n']:,} 起），检验 {latest['test_period']}（{latest['test_n']:,} 起）",
          f"  latest: trained on {', '.join(latest['train_periods'])} ({latest['train_n']:,} incidents), tested on {latest['test_period']} ({latest['test_n']:,})"),
        t("  各方法平均 PAI（± 标准差）与是否胜过上期计数：", "  mean PAI (± SD across periods) and whether it beats last period's counts:"),
    ]
    by_method: dict = {}
    for row in s.get("table", []):
        by_method.setdefault(row["method"], []).append(row)
    for method, rows in by_method.items():
        parts = [f"{row['coverage_pct']:g}%: {_value(row['pai_mean'], '{:.1f}')}±{_value(row['pai_sd'], '{:.1f}')}" for row in rows]
        verdict = next((row for row in rows if row["coverage_pct"] == 5.0 and "verdict" in row), None)
        tail_zh = tail_en = ""
        if verdict is not None:
            tail_zh = "，胜过上期计数" if verdict["better_than_counts"] else "，未胜过上期计数"
            tail_en = f"; {verdict['verdict']} ({verdict['beats_counts']}/{verdict['compared']} periods at 5%)"
        lines.append(t(f"  {method:11} {ZH.get(method, method)}  " + "; ".join(parts) + tail_zh,
                       f"  {method:11} " + "; ".join(parts) + tail_en))
    for method, scores in s.get("mean", {}).items():
        if scores.get("log_score") is not None:
            lines.append(t(f"  {method:11} 对数得分 {scores['log_score']:.2f}，Brier 技巧 {_value(scores.get('brier_skill'), '{:.3f}')}",
                           f"  {method:11} log score {scores['log_score']:.2f}, Brier skill {_value(scores.get('brier_skill'), '{:.3f}')}"))
    for pct, winner in s.get("winner", {}).items():
        lines.append(t(f"  面积 {pct}% 时最佳：{ZH.get(winner['method'], winner['method'])}（平均 PAI {winner['pai_mean']:.1f}）",
                       f"  best at {pct}% of the area: {winner['method']} (mean PAI {winner['pai_mean']:.1f})"))
    return lines
