"""Summary of ``gisapp hotspot`` (Getis-Ord Gi*)."""

from __future__ import annotations

from .phrases import said


def describe(s: dict, t) -> list[str]:
    bins = s["gi_bin"]
    cell = f" of {s['cell_size_m']:.0f} m" if s.get("cell_size_m") else ""
    cell_zh = f"（{s['cell_size_m']:.0f} 米）" if s.get("cell_size_m") else ""
    band = f", distance band {s['band_m']:.0f} m" if s.get("band_m") else ""
    band_zh = f"，距离阈值 {s['band_m']:.0f} 米" if s.get("band_m") else ""
    lines = [
        t(f"Gi* 热点分析：{s['cells']:,} 个单元{cell_zh}{band_zh}，{s['incidents']:,} 起警情，FDR 校正{'开' if s['fdr'] else '关'}",
          f"Gi* hot spots: {s['cells']:,} cells{cell}{band}, {s['incidents']:,} incidents, FDR {'on' if s['fdr'] else 'off'}"),
        t(f"  热点 99% {bins['3']:,}  95% {bins['2']:,}  90% {bins['1']:,}",
          f"  hot  99% {bins['3']:,}  95% {bins['2']:,}  90% {bins['1']:,}"),
        t(f"  冷点 99% {bins['-3']:,}  95% {bins['-2']:,}  90% {bins['-1']:,}   不显著 {bins['0']:,}",
          f"  cold 99% {bins['-3']:,}  95% {bins['-2']:,}  90% {bins['-1']:,}   not significant {bins['0']:,}"),
    ]
    lines += [t(f"  依据：{said(reason, t)}", f"  why: {reason}") for reason in s.get("scale", {}).get("reasons", [])]
    for spot in s.get("top_hotspots", []):
        where = f"{spot['lon']}, {spot['lat']}" if spot.get("lon") is not None else ""
        place = f" ({spot['place']})" if spot.get("place") else ""
        lines.append(t(f"  第 {spot['rank']} 名 z={spot['gi_z']} 警情 {spot['n']} 起{f'，位于 {where}' if where else ''}{place}",
                       f"  #{spot['rank']} z={spot['gi_z']} n={spot['n']}{f' at {where}' if where else ''}{place}"))
    return lines
