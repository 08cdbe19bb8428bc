"""Summary of ``gisapp kde`` (kernel density)."""

from __future__ import annotations

RULES = {"arcgis": ("ArcGIS 默认半径", "ArcGIS default radius"), "silverman": ("Silverman 规则", "Silverman's rule"), "fixed": ("指定", "given")}
KERNELS_ZH = {"quartic": "四次", "gaussian": "高斯"}
SUMMATIONS_ZH = {"direct": "精确", "fft": "分箱 FFT"}


def describe(s: dict, t) -> list[str]:
    peak = s["max_density_at"]
    rule = t(*RULES[s["bandwidth_rule"]])
    error = (t(f"（分箱误差 ≤ 单起峰值的 {s['binning_error_bound']:.2%}）", f" (binning error ≤ {s['binning_error_bound']:.2%} of one incident's peak)")
             if s["method"] == "fft" else "")
    lines = [
        t(f"核密度：{s['incidents']:,} 起警情，{KERNELS_ZH.get(s['kernel'], s['kernel'])}核，带宽 {s['bandwidth_m']:.0f} 米（{rule}），"
          f"像元 {s['cell_size_m']:g} 米，{s['rows']}×{s['cols']} 栅格，{SUMMATIONS_ZH.get(s['method'], s['method'])}求和{error}",
          f"kernel density of {s['incidents']:,} incidents: {s['kernel']} kernel, bandwidth {s['bandwidth_m']:.0f} m ({rule}), "
          f"{s['cell_size_m']:g} m cells, {s['rows']}×{s['cols']} grid, {s['method']} summation{error}"),
        t(f"  峰值 {s['max_density']:,.1f} 起/平方公里，位于 {peak['lon']:.5f}, {peak['lat']:.5f}",
          f"  peak {s['max_density']:,.1f} {s['units']} at {peak['lon']:.5f}, {peak['lat']:.5f}"),
    ]
    for band in s["bands"]:
        lines.append(t(f"  {band['volume_pct']:g}% 的密度位于 {band['area_within_km2']:.3f} 平方公里内（密度 ≥ {band['density_min']:,.1f}）",
                       f"  {band['volume_pct']:g} % of the density lies within {band['area_within_km2']:.3f} km² (density ≥ {band['density_min']:,.1f})"))
    if s.get("raster"):
        lines.append(t(f"  栅格 {s['raster']}", f"  raster {s['raster']}"))
    return lines
