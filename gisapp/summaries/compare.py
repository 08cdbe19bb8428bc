"""Summary of ``gisapp compare`` (area comparison)."""

from __future__ import annotations

from .phrases import said


def describe(s: dict, t) -> list[str]:
    periods = s["periods"]
    lines = [
        t(f"区域比较：{len(s['areas'])} 个区域，{s['incidents']:,} 起警情，{periods['whole'][0]} 至 {periods['whole'][1]}",
          f"Area comparison: {len(s['areas'])} areas, {s['incidents']:,} incidents {periods['whole'][0]} to {periods['whole'][1]}"),
        t(f"  时段 A {periods['a'][0]}..{periods['a'][1]}（{periods['days']['a']} 天），B {periods['b'][0]}..{periods['b'][1]}（{periods['days']['b']} 天）",
          f"  period A {periods['a'][0]}..{periods['a'][1]} ({periods['days']['a']} days), B {periods['b'][0]}..{periods['b'][1]} ({periods['days']['b']} days)"),
        t(f"  {'区域':<10}{'数量':>7}{'A':>7}{'B':>7}{'B/A 比':>9}{'p':>10}{'每万人/年':>10}{'每平方公里':>9}  主要类别",
          f"  {'area':<12}{'n':>8}{'A':>7}{'B':>7}{'B/A rate':>10}{'p':>10}{'per 10k/yr':>12}{'per km²':>10}  top category"),
    ]
    for row in s["areas"]:
        rr = "—" if row["rate_ratio"] is None else f"{row['rate_ratio']:.2f}"
        rate = "—" if row["rate_10k_year"] is None else f"{row['rate_10k_year']:.1f}"
        top = f"{row['top_category']} ({row['top_share']:.0%})" if row["top_category"] else "—"
        density = "—" if row["per_km2"] is None else f"{row['per_km2']:.1f}"
        lines.append(f"  {row['name']:<12}{row['n']:>8,}{row['n_a']:>7,}{row['n_b']:>7,}{rr:>10}{row['p_change']:>10.3g}{rate:>12}{density:>10}  {top}")
    for name, profile in s["profiles"].items():
        trend = profile["trend"]
        text = t(f"  {name}：月趋势{said(trend['direction'], t)}", f"  {name}: monthly trend {trend['direction']}")
        if trend["mk_z"] is not None:
            text += t(f"（Mann-Kendall z {trend['mk_z']:.2f}，p {trend['mk_p']:.3g}，Sen 斜率 {trend['sen_slope_per_month']:+.2f} 起/月）",
                      f" (Mann-Kendall z {trend['mk_z']:.2f}, p {trend['mk_p']:.3g}, Sen {trend['sen_slope_per_month']:+.2f}/month)")
        text += t(f"；高峰 {profile['peak_hour']:02d} 时，星期{profile['peak_weekday']}", f"; peak {profile['peak_hour']:02d}h on weekday {profile['peak_weekday']}")
        effect = profile.get("market_effect")
        if effect and effect["rate_ratio"] is not None:
            text += t(f"；赶集日 ×{effect['rate_ratio']:.2f}（p {effect['p_value']:.3g}）", f"; market days x{effect['rate_ratio']:.2f} (p {effect['p_value']:.3g})")
        lines.append(text)
    if s.get("exported"):
        lines.append(t(f"  导出 {len(s['exported'])} 个文件", f"  {len(s['exported'])} files in the export folder"))
    return lines
