"""Summary of ``gisapp profile`` (串案地理画像)."""

from __future__ import annotations


def describe(s: dict, t) -> list[str]:
    name = {"cgt": ("Rossmo 犯罪地理定位", "Rossmo's criminal geographic targeting"), "jtc": ("CrimeStat 作案路程", "CrimeStat journey to crime")}[s["method"]]
    peak = s["peak"]
    where = f"{peak.get('lon')}, {peak.get('lat')}"
    lines = [
        t(f"串案地理画像（{name[0]}）：{s['events']} 起案件，搜索区 {s['search_area_km2']:.2f} 平方公里，{s['cells']:,} 个 {s['cell_size_m']:.0f} 米格网",
          f"Series profile ({name[1]}): {s['events']} events, search area {s['search_area_km2']:.2f} km², {s['cells']:,} cells of {s['cell_size_m']:.0f} m"),
        t(f"  最可能落脚点：{where}", f"  most likely anchor: {where}"),
    ]
    if s["method"] == "cgt":
        lines.append(t(f"  缓冲区 {s['buffer_m']:.0f} 米，f = {s['f']:g}，g = {s['g']:g}", f"  buffer {s['buffer_m']:.0f} m, f = {s['f']:g}, g = {s['g']:g}"))
    else:
        lines.append(t(f"  负指数衰减距离 {s['decay_distance_m']:.0f} 米（{s['decay_from']}）", f"  negative exponential decay distance {s['decay_distance_m']:.0f} m ({s['decay_from']})"))
    if "anchor" in s:
        hit = s.get("hit_score_pct")
        text_zh = "—" if hit is None else f"{hit:.1f}%"
        lines.append(t(f"  已知落脚点命中分：{text_zh}（需搜索的面积占比），峰值距落脚点 {s['peak_to_anchor_m']:.0f} 米",
                       f"  hit score at the known anchor: {text_zh} of the area searched; peak {s['peak_to_anchor_m']:.0f} m from the anchor"))
    return lines
