"""Summary of ``gisapp nearrepeat`` (Knox test)."""

from __future__ import annotations


def describe(s: dict, t) -> list[str]:
    knox = s["knox"]
    lines = [
        t(f"Knox 近重复检验：{s['events']:,} 起事件，最大分段内 {s['pairs_within_largest_band']:,} 对，{s['permutations']:,} 次置换（种子 {s['seed']}，{s['metric']}）",
          f"Knox near-repeat test: {s['events']:,} events, {s['pairs_within_largest_band']:,} pairs within the largest band, "
          f"{s['permutations']:,} permutations (seed {s['seed']}, {s['metric']})"),
        t("  Knox 比值（p），按距离段 × 时间段：", "  Knox ratio (p) by distance band x time band:"),
        "  " + " " * 22 + "".join(f"{band:>20}" for band in t(knox.get("time_bands_zh") or knox["time_bands"], knox["time_bands"])),
    ]
    distances = t(knox.get("distance_bands_zh") or knox["distance_bands"], knox["distance_bands"])
    for d, ratios, ps in zip(distances, knox["knox_ratio"], knox["p_value"]):
        cells = "".join(f"{('—' if r is None else f'{r:.2f}') + f' ({p:.3f})' + ('*' if p <= 0.05 and r is not None and r > 1 else ' '):>20}"
                        for r, p in zip(ratios, ps))
        lines.append(f"  {d:>22}{cells}")
    lines.append(t("  * 警情对显著多于预期（p ≤ 0.05）", "  * significantly more pairs than expected (p <= 0.05)"))
    band, classes = s["classification_band"], s["classes"]
    lines.append(t(
        f"  {band['distance_m']:g} 米、{band['days']:g} 天内：始发 {classes['originator']}，近重复 {classes['near_repeat']}，"
        f"重复 {classes['repeat']}，孤立 {classes['isolated']}；{s['chains']} 个链（最长 {s['largest_chain']}）",
        f"  events within {band['distance_m']:g} m and {band['days']:g} days: {classes['originator']} originators, "
        f"{classes['near_repeat']} near repeats, {classes['repeat']} repeats, {classes['isolated']} isolated; "
        f"{s['chains']} chains (largest {s['largest_chain']})"))
    lines += [t(f"  已写入 {s[key]}", f"  written {s[key]}") for key in ("csv", "png") if s.get(key)]
    return lines
