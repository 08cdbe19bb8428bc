"""Summary of ``gisapp site-cameras`` (maximal covering location of new cameras)."""

from __future__ import annotations

from . import percent
from .phrases import said


def describe(s: dict, t) -> list[str]:
    g, candidates = s["greedy"], s["candidates"]
    lines = [
        t(f"新增 {s['new_cameras_placed']} 个摄像头：看到的警情从 {percent(s['share_before'])} 增至 {percent(s['share_after'])}（增加 {s['gain']:g}）",
          f"{s['new_cameras_placed']} new cameras: incidents seen rise from {percent(s['share_before'])} to {percent(s['share_after'])} (gain {s['gain']:g})"),
        t(f"  警情 {s['incidents']:,} 起（{said(s['weight'], t)}）；候选点 {candidates['count']:,} 个（{said(candidates['source'], t)}）",
          f"  incidents {s['incidents']:,} ({s['weight']}); candidates {candidates['count']:,} ({candidates['source']})"),
        t(f"  现有 {s['existing_cameras_used']} 个摄像头看到 {s['covered_before']:g}（{percent(s['share_before'])}）",
          f"  seen by the {s['existing_cameras_used']} existing cameras: {s['covered_before']:g} ({percent(s['share_before'])})"),
        t(f"  新增后 {s['covered_after']:g}（{percent(s['share_after'])}）",
          f"  with {s['new_cameras_placed']} new cameras: {s['covered_after']:g} ({percent(s['share_after'])}), gain {s['gain']:g}"),
        *_solved(s, g, t),
    ]
    for site in s["sites"]:
        where = f"{site['road'] or '?':<8} ({site['lon']:.5f}, {site['lat']:.5f})"
        lines.append(t(f"  {site['order']:>3}. {site['site_id']}  {where}  新增 {site['marginal_gain']:g} 起 → 累计 {percent(site['cumulative_share'])}",
                       f"  {site['order']:>3}. {site['site_id']}  {where}  +{site['marginal_gain']:g}  → {percent(site['cumulative_share'])}"))
    return lines


def _solved(s: dict, g: dict, t) -> list[str]:
    """What was solved, and what the bound means: a proven optimum, or a guarantee relative to the best possible."""
    if s.get("optimal"):
        return [
            t(f"  求解：最大覆盖选址（MCLP）精确求解，{s['solver']}，用时 {s['seconds']} 秒；增加 {s['gain']:g} 是任意 {s['new_cameras_placed']} 个新点位所能达到的最大值",
              f"  solved: maximal covering (MCLP) exactly, {s['solver']} in {s['seconds']} s; the gain {s['gain']:g} is the most any "
              f"{s['new_cameras_placed']} new sites can achieve"),
            t(f"  （对照：贪心法增加 {g['gain']:g}，为最优的 {percent(g['gain'] / s['gain'] if s['gain'] else None)}）",
              f"  (for comparison, greedy selection gains {g['gain']:g}, {percent(g['gain'] / s['gain'] if s['gain'] else None)} of the optimum)"),
        ]
    bound = g["upper_bound_on_optimum"]
    guaranteed = s["gain"] / bound if bound else None
    exact_tried = s["method"] == "mclp"
    how_zh = f"MCLP 未在时限内证明最优（{s['solver']}），取找到的最好解" if exact_tried else "贪心法（逐个加入增益最大的点位）"
    how_en = f"MCLP not proven optimal within the time limit ({s['solver']}); the best solution found" if exact_tried else \
        "greedy selection (adding the site with the largest gain, one at a time)"
    return [
        t(f"  求解：{how_zh}，用时 {s['seconds']} 秒；增加 {s['gain']:g}",
          f"  solved: {how_en}, in {s['seconds']} s; gain {s['gain']:g}"),
        t(f"  最优解至多增加 {bound:g}（由贪心过程得到的上界），所以此方案至少达到最优的 {percent(guaranteed)}",
          f"  the best possible gain is at most {bound:g} (an upper bound from the greedy run), so this choice reaches at least "
          f"{percent(guaranteed)} of the optimum"),
    ]
