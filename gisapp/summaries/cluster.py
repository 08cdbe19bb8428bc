"""Summary of ``gisapp cluster``."""

from __future__ import annotations


def describe(s: dict, t) -> list[str]:
    method = s["method"] + (f" ({s['backend']})" if s.get("backend") else "") + (f", space-time {s['space_time']}" if s.get("space_time") else "")
    lines = [
        t(f"{method}：{s['incidents']:,} 起警情中 {s['clusters']} 个聚类；{s['clustered']:,} 起在聚类中，{s['noise']:,} 起为噪声（{s['noise_share']:.1%}）",
          f"{method}: {s['clusters']} clusters among {s['incidents']:,} incidents; "
          f"{s['clustered']:,} clustered, {s['noise']:,} noise ({s['noise_share']:.1%})"),
    ]
    for c in s["largest"]:
        mostly = c.get("main_subcategory")
        lines.append(t(
            f"  聚类 {c['cluster_id']}：{c['count']:,} 起，位于 {c['lon']:.5f}, {c['lat']:.5f}；椭圆 {c['sd_major_m']:.0f} × {c['sd_minor_m']:.0f} 米，"
            f"方向 {c['rotation_deg']:.0f}°" + (f"，以{mostly}为主" if mostly else ""),
            f"  cluster {c['cluster_id']}: {c['count']:,} incidents at {c['lon']:.5f}, {c['lat']:.5f}; "
            f"ellipse {c['sd_major_m']:.0f} × {c['sd_minor_m']:.0f} m at {c['rotation_deg']:.0f}°" + (f", mostly {mostly}" if mostly else "")))
    if nnh := s.get("nnh"):
        for order in nnh["orders"]:
            random_origin = order["random_nn_m"] is not None
            origin_en = (f"random nearest-neighbour distance over {nnh['area_km2']:,.1f} km² ({nnh['area_source']}), t = {order['t']}"
                         if random_origin else "fixed")
            origin_zh = (f"{nnh['area_km2']:,.1f} 平方公里内的随机最近邻距离（{nnh['area_source']}），t = {order['t']}" if random_origin else "固定")
            lines.append(t(f"  第 {order['order']} 阶：{order['clusters']} 个聚类，阈值 {order['threshold_m']:.1f} 米（{origin_zh}）",
                           f"  order {order['order']}: {order['clusters']} clusters, threshold {order['threshold_m']:.1f} m ({origin_en})"))
    return lines
