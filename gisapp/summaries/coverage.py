"""Summary of ``gisapp coverage`` (camera coverage and blind spots)."""

from __future__ import annotations

from .phrases import said

from . import percent


def describe(s: dict, t) -> list[str]:
    cams, hot, blind = s["cameras"], s["hotspots"], s["blind_spots"]
    assumed = cams["with_assumed_values"]
    lines = [
        t(f"警情 {s['incidents']:,} 起：摄像头看到 {s['covered']:,} 起（{percent(s['share_covered'])}），盲区 {blind['count']} 处；"
          f"修复 {cams['offline']} 个离线摄像头后 {percent(s['share_covered_if_offline_repaired'])}",
          f"incidents {s['incidents']:,}: cameras see {s['covered']:,} ({percent(s['share_covered'])}), {blind['count']} blind spots; "
          f"with the {cams['offline']} offline cameras repaired {percent(s['share_covered_if_offline_repaired'])}"),
        t(f"  摄像头 {cams['total']} 个（在线 {cams['online']}），视域 {s['coverage_area_km2']} 平方公里"
          + (f"；{assumed} 个用了假设值（见 camera_coverage 图层的 assumed 列）" if assumed else ""),
          f"  cameras {cams['total']} ({cams['online']} online), footprint {s['coverage_area_km2']} km²"
          + (f"; {assumed} with assumed values (column assumed of the camera_coverage layer)" if assumed else "")),
        t(f"  热点：{said(hot['source'], t)}", f"  hotspots: {hot['source']}"),
        t(f"  热点单元 {hot['hot_cells']} 个，警情 {hot['incidents_in_hot_cells']:,} 起，摄像头看到 {percent(hot['share_covered_in_hot_cells'])}",
          f"  {hot['hot_cells']} hotspot cells, {hot['incidents_in_hot_cells']:,} incidents, {percent(hot['share_covered_in_hot_cells'])} seen by cameras"),
        t(f"  盲区 {blind['count']} 处（{said(blind['rule'], t)}）", f"  blind spots: {blind['count']} ({blind['rule']})"),
    ]
    for b in blind["top"]:
        road = b["nearest_road"] or "?"
        where = f"({b['lon']:.5f}, {b['lat']:.5f})"
        lines.append(t(
            f"  {b['rank']:>3}. {b['cell_id']:<10} 未覆盖 {b['n_uncovered']:>5} / {b['n']:>5}  近 {road}  {where}，最近摄像头 {b['nearest_camera_m']} 米",
            f"  {b['rank']:>3}. {b['cell_id']:<10} {b['n_uncovered']:>5} uncovered of {b['n']:>5}  near {road}  {where}, nearest camera {b['nearest_camera_m']} m",
        ))
    for a in s.get("areas", []):
        lines.append(t(
            f"  区域 {a.get('name')}（{a.get('area_type')}）：警情 {a['n']} 起，看到 {percent(a['covered_share'])}，面积覆盖 {percent(a['area_covered_share'])}",
            f"  area {a.get('name')} ({a.get('area_type')}): {a['n']} incidents, {percent(a['covered_share'])} seen, "
            f"{percent(a['area_covered_share'])} of its area watched",
        ))
    return lines
