"""Summary of ``gisapp patrol`` (route exposure)."""

from __future__ import annotations

from .phrases import said

from . import percent


def describe(s: dict, t) -> list[str]:
    hot = s["hotspots"]
    lines = [
        t(f"{s['routes']} 条路线经过 {s['hot_cells_touched']} / {hot['hot_cells']} 个热点单元（{percent(s['share_hot_cells_touched'])}）；"
          f"{s['hot_cells_unpatrolled']} 个无巡逻",
          f"{s['routes']} routes touch {s['hot_cells_touched']} of {hot['hot_cells']} hotspot cells ({percent(s['share_hot_cells_touched'])}); "
          f"{s['hot_cells_unpatrolled']} unpatrolled"),
        t(f"  走廊宽 {s['corridor_width_m']:g} 米，速度 {s['speed_kmh']:g} 公里/时", f"  corridor {s['corridor_width_m']:g} m, {s['speed_kmh']:g} km/h"),
        t(f"  热点：{said(hot['source'], t)}", f"  hotspots: {hot['source']}"),
    ]
    for r in s["per_route"]:
        shift = r.get("incidents_in_shift")
        lines.append(t(
            f"  {r.get('route_id', '')} {r.get('name', '')}：{r['length_km']:g} 公里，{r['minutes']:g} 分钟，警情 {r['incidents']} 起"
            f"（每公里 {r['incidents_per_km']:g}{'' if shift is None else f'，本班次内 {shift}'}），热点单元 {r['hotspot_cells']} 个",
            f"  {r.get('route_id', '')} {r.get('name', '')}: {r['length_km']:g} km, {r['minutes']:g} min, {r['incidents']} incidents"
            f" ({r['incidents_per_km']:g}/km{'' if shift is None else f', {shift} in its shift'}), {r['hotspot_cells']} hotspot cells",
        ))
    for r in s["routes_rejected"]:
        lines.append(t(f"  未用第 {r['row']} 行（{r['route_id']}）：{r['reason']}", f"  rejected row {r['row']} ({r['route_id']}): {r['reason']}"))
    if s["top_unpatrolled"]:
        lines.append(t("  无巡逻的热点单元：", "  unpatrolled hotspot cells:"))
    for c in s["top_unpatrolled"]:
        road = c["nearest_road"] or "?"
        lines.append(t(f"  {c['rank']:>3}. {c['cell_id']:<10} 警情 {c['n']:>5} 起，近 {road}，距路线 {c['nearest_route_m']} 米",
                       f"  {c['rank']:>3}. {c['cell_id']:<10} {c['n']:>5} incidents near {road}, {c['nearest_route_m']} m from a route"))
    return lines
