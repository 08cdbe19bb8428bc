"""Summary of ``gisapp patrol --plan`` (route planning with a Koper dosage schedule)."""

from __future__ import annotations

from .phrases import said


def describe(s: dict, t) -> list[str]:
    p, n, h, d = s["plan"], s["naive"], s["hotspots"], s["dosage"]
    fits = "" if d["fits_interval"] else t("，排不下", ", does NOT fit")
    lines = [
        t(f"巡逻路线：{p['stops']} 个停靠点，价值 {p['value']:g}，用时 {p['minutes']:g} 分钟（每分钟 {p['value_per_minute']:g}）",
          f"plan : {p['stops']} stops, value {p['value']:g} in {p['minutes']:g} min ({p['value_per_minute']:g}/min)"),
        t(f"简单路线：{n['stops']} 个停靠点，价值 {n['value']:g}，用时 {n['minutes']:g} 分钟（每分钟 {n['value_per_minute']:g}）[就近下一个热点]",
          f"naive: {n['stops']} stops, value {n['value']:g} in {n['minutes']:g} min ({n['value_per_minute']:g}/min)  [nearest hotspot next]"),
        t(f"  预算 {s['budget_minutes']:g} 分钟，速度 {s['speed_kmh']:g} 公里/时，每处停留 {s['dwell_minutes']:g} 分钟；起点距道路 {s['start']['snapped_m']} 米",
          f"  budget {s['budget_minutes']:g} min at {s['speed_kmh']:g} km/h, {s['dwell_minutes']:g} min per stop; "
          f"start snapped {s['start']['snapped_m']} m to the road"),
        t(f"  热点：{said(h['source'], t)}", f"  hotspots: {h['source']}"),
        t(f"  热点单元 {h['hot_cells']} 个，合为 {h['places']} 处；最重要的 {h['targets_considered']} 处中 {h['reachable']} 处可达",
          f"  {h['hot_cells']} hotspot cells in {h['places']} places; {h['reachable']} of the {h['targets_considered']} best reachable"),
    ]
    for stop in s["stops"]:
        where = f"({stop['lon']:.5f}, {stop['lat']:.5f})"
        lines.append(t(f"  {stop['order']:>3}. {stop['cell_id']:<10} 价值 {stop['value']:g}，第 {stop['arrive_minute']:g} 分钟到达  {where}",
                       f"  {stop['order']:>3}. {stop['cell_id']:<10} value {stop['value']:g}, arrive at minute {stop['arrive_minute']:g}  {where}"))
    lines.append(t(
        f"  Koper 剂量安排：各班次共 {d['stops']} 次停留，每次约 {d['stop_minutes_mean']} 分钟，一轮约 {d['cycle_minutes_expected']:g} 分钟"
        f"（间隔 {d['interval_minutes']:g}{fits}），平均 {d['mean_revisit_minutes']} 分钟回访一次",
        f"  Koper dosage: {d['stops']} stops of about {d['stop_minutes_mean']} min over the shifts, a cycle takes ~{d['cycle_minutes_expected']:g} min"
        f" (interval {d['interval_minutes']:g}{fits}), mean revisit {d['mean_revisit_minutes']} min",
    ))
    for u in s["unreachable"][:10]:
        lines.append(t(f"  无法到达 {u['cell_id']}：{u['reason']}", f"  unreachable {u['cell_id']}: {u['reason']}"))
    return lines
