"""Summary of ``gisapp alerts`` (预警)."""

from __future__ import annotations


def describe(s: dict, t) -> list[str]:
    step_zh = {"week": "周", "month": "月"}.get(s["step"], s["step"])
    lines = [
        t(f"预警：{s['units']:,} 个单元，检验 {s['latest_step']} 这一{step_zh}（对比此前 {s['baseline_steps']} {step_zh}），{s['alerts']} 个预警",
          f"Early warning: {s['units']:,} units, the {s['step']} of {s['latest_step']} against the {s['baseline_steps']} before it: {s['alerts']} alerts"),
        t(f"  检验：条件泊松检验（中位 p），α = {s['alpha']:g}" + ("，FDR 校正" if s["fdr"] else ""),
          f"  test: {s['test']}, alpha {s['alpha']:g}"),
    ]
    for alert in s.get("alert_list", [])[:15]:
        ratio = "—" if alert["ratio"] is None else f"{alert['ratio']:.1f}"
        label = f"，{alert['label_zh']}" if alert["label_zh"] else ""
        lines.append(t(f"  #{alert['rank']} {alert['name']}：{alert['observed']} 起，预期 {alert['expected']:.1f}，倍数 {ratio}，p = {alert['p_value']:.2g}{label}",
                       f"  #{alert['rank']} {alert['name']}: {alert['observed']} vs {alert['expected']:.1f} expected, ratio {ratio}, p = {alert['p_value']:.2g}"
                       + (f", rising {alert['rising_steps']} {s['step']}s in a row" if alert["rising_steps"] >= 2 else "")))
    return lines
