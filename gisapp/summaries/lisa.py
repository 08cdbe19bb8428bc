"""Summary of ``gisapp lisa`` (local Moran's I)."""

from __future__ import annotations

from .phrases import said


def describe(s: dict, t) -> list[str]:
    c, g = s["clusters"], s["global_moran"]
    cutoff = f"{'FDR' if s['fdr'] else 'alpha'} cutoff p ≤ {s['p_cutoff']:.4f}"
    cutoff_zh = f"{'FDR 校正' if s['fdr'] else '显著性'}阈值 p ≤ {s['p_cutoff']:.4f}"
    return [
        t(f"LISA：{s['cells']:,} 个单元，{said(s['weights'], t)}，{s['permutations']} 次置换，{cutoff_zh}",
          f"LISA: {s['cells']:,} cells, {s['weights']}, {s['permutations']} permutations, {cutoff}"),
        t(f"  高-高聚集 {c['HH']:,}  低-低聚集 {c['LL']:,}   高-低异常 {c['HL']:,}  低-高异常 {c['LH']:,}   不显著 {c['ns']:,}",
          f"  clusters HH {c['HH']:,}  LL {c['LL']:,}   outliers HL {c['HL']:,}  LH {c['LH']:,}   not significant {c['ns']:,}"),
        t(f"  全局莫兰指数 I {g['moran_i']:.4f}（z {g['z']:.2f}，置换 p {g['p_sim']:.3f}）",
          f"  global Moran's I {g['moran_i']:.4f} (z {g['z']:.2f}, permutation p {g['p_sim']:.3f})"),
        *[t(f"  依据：{said(reason, t)}", f"  why: {reason}") for reason in s.get("scale", {}).get("reasons", [])],
    ]
