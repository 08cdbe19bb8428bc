"""Summary of ``gisapp hotspot`` (Getis-Ord Gi*)."""

from __future__ import annotations

from gisapp.summaries.units import excluded_units

from .phrases import said


def describe(s: dict, t) -> list[str]:
    bins = s["gi_bin"]
    lines = [_headline(s, t)]
    lines += [
        t(f"  热点 99% {bins['3']:,}  95% {bins['2']:,}  90% {bins['1']:,}",
          f"  hot  99% {bins['3']:,}  95% {bins['2']:,}  90% {bins['1']:,}"),
        t(f"  冷点 99% {bins['-3']:,}  95% {bins['-2']:,}  90% {bins['-1']:,}   不显著 {bins['0']:,}",
          f"  cold 99% {bins['-3']:,}  95% {bins['-2']:,}  90% {bins['-1']:,}   not significant {bins['0']:,}"),
    ]
    lines += excluded_units(s, t)
    lines += [t(f"  依据：{said(reason, t)}", f"  why: {reason}") for reason in s.get("scale", {}).get("reasons", [])]
    for spot in s.get("top_hotspots", []):
        where = f"{spot['lon']}, {spot['lat']}" if spot.get("lon") is not None else ""
        place = f" ({spot['place']})" if spot.get("place") else ""
        size_zh = f"警情 {spot['n']} 起" if "n" in spot else f"值 {spot['value']:g}"
        size_en = f"n={spot['n']}" if "n" in spot else f"value={spot['value']:g}"
        lines.append(t(f"  第 {spot['rank']} 名 z={spot['gi_z']} {size_zh}{f'，位于 {where}' if where else ''}{place}",
                       f"  #{spot['rank']} z={spot['gi_z']} {size_en}{f' at {where}' if where else ''}{place}"))
    return lines


def _headline(s: dict, t) -> str:
    fdr_zh, fdr_en = f"FDR 校正{'开' if s['fdr'] else '关'}", f"FDR {'on' if s['fdr'] else 'off'}"
    if s.get("value") is not None:
        return t(f"Gi* 热点分析（{s['value']}）：{s['cells']:,} / {s['units']:,} 个单元，{said(s['weights'], t)}，{fdr_zh}",
                 f"Gi* hot spots of {s['value']}: {s['cells']:,} of {s['units']:,} units, {s['weights']}, {fdr_en}")
    cell = f" of {s['cell_size_m']:.0f} m" if s.get("cell_size_m") else ""
    cell_zh = f"（{s['cell_size_m']:.0f} 米）" if s.get("cell_size_m") else ""
    band = f", distance band {s['band_m']:.0f} m" if s.get("band_m") else ""
    band_zh = f"，距离阈值 {s['band_m']:.0f} 米" if s.get("band_m") else ""
    return t(f"Gi* 热点分析：{s['cells']:,} 个单元{cell_zh}{band_zh}，{s['incidents']:,} 起警情，{fdr_zh}",
             f"Gi* hot spots: {s['cells']:,} cells{cell}{band}, {s['incidents']:,} incidents, {fdr_en}")
