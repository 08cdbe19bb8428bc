"""Summary of ``gisapp emerging`` (emerging hot spots)."""

from __future__ import annotations


def describe(s: dict, t) -> list[str]:
    from gisapp.analysis.spacetime.emerging import CATEGORIES

    band = f"{s['band_m']:.0f} m" if s["band_m"] else "queen contiguity"
    band_zh = f"{s['band_m']:.0f} 米" if s["band_m"] else "后相邻"
    lines = [
        t(f"时空热点：{s['locations']:,} 个单元 × {s['steps']} 个时间步（{s['first_step']} 至 {s['last_step']}），{s['incidents']:,} 起警情",
          f"Emerging hot spots: {s['locations']:,} locations x {s['steps']} {s['time_step']}s "
          f"({s['first_step']} to {s['last_step']}), {s['incidents']:,} incidents"),
        t(f"  邻域 {band_zh}，前 {s['k']} 个时间步；显著性 {s['alpha']:g}{'，FDR 校正' if s['fdr'] else ''}",
          f"  neighbourhood {band} and {s['k']} previous step(s); alpha {s['alpha']:g}{' with FDR' if s['fdr'] else ''}"),
    ]
    for key, count in s["categories"].items():
        if count and key != "no_pattern":
            n = s["incidents_by_category"].get(key, 0)
            lines.append(t(f"  {CATEGORIES[key][2]}：{count:,} 个单元，{n:,} 起", f"  {CATEGORIES[key][1]}: {count:,} locations, {n:,} incidents"))
    lines.append(t(f"  无模式：{s['categories']['no_pattern']:,} 个单元", f"  no pattern: {s['categories']['no_pattern']:,} locations"))
    if s.get("png"):
        lines.append(t(f"  地图 {s['png']}", f"  map {s['png']}"))
    return lines
