"""Summary of ``gisapp lisa`` (local Moran's I)."""

from __future__ import annotations

from gisapp.summaries.units import excluded_units

from .phrases import said


def describe(s: dict, t) -> list[str]:
    c, g = s["clusters"], s["global_moran"]
    cutoff_en = f"{'FDR' if s['fdr'] else 'alpha'} cutoff p ≤ {s['p_cutoff']:.4g}"
    cutoff_zh = f"{'FDR 校正' if s['fdr'] else '显著性'}阈值 p ≤ {s['p_cutoff']:.4g}"
    what_zh = f"（{s['value']}）：{s['cells']:,} / {s['units']:,} 个单元" if s.get("value") else f"：{s['cells']:,} 个单元"
    what_en = f" of {s['value']}: {s['cells']:,} of {s['units']:,} units" if s.get("value") else f": {s['cells']:,} cells"
    weights_zh = "行标准化" if g.get("weights", "row") == "row" else "二值"
    weights_en = "row-standardised" if g.get("weights", "row") == "row" else "binary"
    p_sim = "" if g.get("p_sim") is None else f", permutation p {g['p_sim']:.3f}"
    p_sim_zh = "" if g.get("p_sim") is None else f"，置换 p {g['p_sim']:.3f}"
    lines = [
        t(f"LISA{what_zh}，{said(s['weights'], t)}，{s['permutations']:,} 次置换，{cutoff_zh}",
          f"LISA{what_en}, {s['weights']}, {s['permutations']:,} permutations, {cutoff_en}"),
        t(f"  高-高聚集 {c['HH']:,}  低-低聚集 {c['LL']:,}   高-低异常 {c['HL']:,}  低-高异常 {c['LH']:,}   不显著 {c['ns']:,}",
          f"  clusters HH {c['HH']:,}  LL {c['LL']:,}   outliers HL {c['HL']:,}  LH {c['LH']:,}   not significant {c['ns']:,}"),
        t(f"  全局莫兰指数 I {g['moran_i']:.4f}（{weights_zh}权重，z {g['z']:.2f}{p_sim_zh}）",
          f"  global Moran's I {g['moran_i']:.4f} ({weights_en} weights, z {g['z']:.2f}{p_sim})"),
    ]
    if s.get("permutations_chosen"):
        lines.append(t(f"  置换次数：{s['permutations_chosen']}", f"  permutations: {s['permutations_chosen']}"))
    lines += excluded_units(s, t)
    lines += [t(f"  依据：{said(reason, t)}", f"  why: {reason}") for reason in s.get("scale", {}).get("reasons", [])]
    return lines
