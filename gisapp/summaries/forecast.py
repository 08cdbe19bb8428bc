"""Summary of ``gisapp forecast``."""

from __future__ import annotations

#: Fitted parameters worth a line, per method: (key, Chinese, English, format).
SHOWN = {
    "sepp": (("theta", "触发系数 θ", "theta", "{:.3f}"), ("omega_per_day", "衰减率 ω（/天）", "omega (per day)", "{:.3f}"),
             ("mean_trigger_delay_days", "平均触发间隔（天）", "mean trigger delay (days)", "{:.2f}"),
             ("triggered_share", "触发事件占比", "share triggered", "{:.1%}"), ("iterations", "EM 迭代", "EM iterations", "{}"),
             ("converged", "收敛", "converged", "{}")),
    "prospective": (("space_bandwidth_m", "空间带宽（米）", "space bandwidth (m)", "{:g}"), ("time_bandwidth_weeks", "时间带宽（周）", "time bandwidth (weeks)", "{:g}")),
    "kde": (("bandwidth_m", "半径（米）", "radius (m)", "{:g}"), ("window_days", "上期天数", "last period (days)", "{:g}")),
    "counts": (("window_days", "上期天数", "last period (days)", "{:g}"),),
    "rtm": (("candidates", "候选变量", "candidate variables", "{}"),),
}


def describe(s: dict, t) -> list[str]:
    lines = [
        t(f"风险预测（{s['method_zh']}）：{s['cells']:,} 个 {s['cell_size_m']:g} 米格网，以 {s['train_to']} 及之前的 {s['incidents']:,} 起案件训练，"
          f"预测 {s['forecast_from']} 至 {s['forecast_to']}",
          f"Forecast ({s['method']}): {s['cells']:,} cells of {s['cell_size_m']:g} m, trained on {s['incidents']:,} incidents up to "
          f"{s['train_to']}, for {s['forecast_from']} to {s['forecast_to']}"),
    ]
    if s.get("expected_total") is not None:
        lines.append(t(f"  预计案件数：{s['expected_total']:.1f}", f"  expected incidents: {s['expected_total']:.1f}"))
    parameters = s.get("parameters", {})
    for key, zh, en, fmt in SHOWN.get(s["method"], ()):
        if parameters.get(key) is not None:
            value = fmt.format(parameters[key])
            lines.append(t(f"  {zh}：{value}", f"  {en}: {value}"))
    for factor in parameters.get("factors", []):
        lines.append(t(f"  风险因子 {factor['variable']}：相对风险 {factor['relative_risk']:.2f}（{factor['cells']:,} 个格网）",
                       f"  factor {factor['variable']}: relative risk {factor['relative_risk']:.2f} ({factor['cells']:,} cells)"))
    for cell in s.get("top_cells", [])[:5]:
        where = f"{cell['lon']}, {cell['lat']}" if cell.get("lon") is not None else "—"
        lines.append(t(f"  #{cell['rank']} 风险 {cell['risk']:.3g} @ {where}", f"  #{cell['rank']} risk {cell['risk']:.3g} at {where}"))
    return lines
