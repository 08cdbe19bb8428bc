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
        t(f"  方法 {s['method']}：{said(s['solver'], t)}，用时 {s['seconds']} 秒", f"  method {s['method']}: {s['solver']} in {s['seconds']} s"),
        t(f"  贪心法增加 {g['gain']:g}，用时 {g['seconds']} 秒；最优解至多 {g['upper_bound_on_optimum']:g}（贪心与最优相差不超过 {percent(g['gap_bound'])}）",
          f"  greedy gain {g['gain']:g} in {g['seconds']} s; optimum at most {g['upper_bound_on_optimum']:g} (greedy within {percent(g['gap_bound'])})"),
    ]
    for site in s["sites"]:
        where = f"{site['road'] or '?':<8} ({site['lon']:.5f}, {site['lat']:.5f})"
        lines.append(t(f"  {site['order']:>3}. {site['site_id']}  {where}  新增 {site['marginal_gain']:g} 起 → 累计 {percent(site['cumulative_share'])}",
                       f"  {site['order']:>3}. {site['site_id']}  {where}  +{site['marginal_gain']:g}  → {percent(site['cumulative_share'])}"))
    return lines
