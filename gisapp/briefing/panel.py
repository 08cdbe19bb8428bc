"""The page frame around the map: header, side panel (key figures, tables, legends, notes), footer.

All text is escaped with :func:`htmlbits.esc`; nothing here is a template.
"""

from __future__ import annotations

from . import privacy
from .content import MapContent
from .htmlbits import esc, num, pct
from .style import BLIND_COLOUR, DEFAULT_CLASSIFICATION, DEFAULT_PUBLIC_CLASSIFICATION, GI_BIN_CLASSES, category_colours


def _kpis(content: MapContent, public: bool) -> str:
    s = content.summary
    bins = s.get("gi_bins") or {}
    coverage = s.get("coverage") or {}
    tiles = []
    if "incidents" in s:
        tiles.append(("", num(s["incidents"]), "警情总数（起）"))
    if bins:
        tiles.append(("gb-hot", num(bins.get(3, 0)), "99% 置信热点网格"))
    if not public and "incident_share" in coverage:
        tiles.append(("", pct(coverage["incident_share"]), "天网视域内警情占比"))
    if not public and "hot_cells_blind" in coverage:
        tiles.append(("gb-hot", num(coverage["hot_cells_blind"]), "热点盲区网格"))
    if bins and len(tiles) < 4:
        tiles.append(("", num(bins.get(2, 0) + bins.get(1, 0)), "90–95% 置信热点网格"))
    if bins and len(tiles) < 4:
        tiles.append(("", num(sum(bins.get(b, 0) for b in (-1, -2, -3))), "冷点网格"))
    if not tiles:
        return ""
    body = "".join(f'<div class="gb-kpi {cls}"><b>{esc(value)}</b><span>{esc(label)}</span></div>' for cls, value, label in tiles[:4])
    return f'<div class="gb-card"><h2>关键指标</h2><div class="gb-kpis">{body}</div></div>'


def _place_cell(spot: dict) -> str:
    """A table cell naming a place, with its grid underneath when both are known."""
    place = spot["place"] or spot["grid"] or "—"
    grid = spot["grid"] if spot["place"] and spot["grid"] else ""
    below = f'<br><span class="gb-muted">{esc(grid)}</span>' if grid else ""
    return f"<td>{esc(place)}{below}</td>"


def _top_hotspots(content: MapContent, public: bool) -> str:
    top = content.summary.get("top_hotspots") or []
    if not top:
        return ""
    rows = []
    for rank, spot in enumerate(top, 1):
        n = spot["n"]
        n_text = "—" if n is None else (privacy.SUPPRESSED if public and n < privacy.MIN_PUBLIC_COUNT else f"{n:,}")
        rows.append(
            f'<tr><td><span class="gb-rank">{rank}</span></td>{_place_cell(spot)}'
            f'<td class="num">{esc(n_text)}</td><td class="num">{esc(num(spot["gi_z"], 1))}</td>'
            f'<td>{esc(GI_BIN_CLASSES[spot["gi_bin"]][0].replace("热点 ", ""))}</td></tr>'
        )
    head = '<tr><th></th><th>位置</th><th class="num">警情</th><th class="num">z 值</th><th>置信度</th></tr>'
    return (f'<div class="gb-card"><h2>主要热点</h2><table class="gb-table">{head}{"".join(rows)}</table>'
            '<div class="gb-muted" style="margin-top:5px">按 Gi* z 值排序，相距不少于 500 m；“警情”为该网格内的起数。</div></div>')


def _categories(content: MapContent, public: bool) -> str:
    categories = content.summary.get("categories") or []
    if not categories:
        return ""
    total = max(content.summary.get("incidents", 0), 1)
    colours = category_colours([c for c, _ in categories])
    rows = []
    for name, count in categories:
        value = privacy.SUPPRESSED if public and count < privacy.MIN_PUBLIC_COUNT else f"{count:,}"
        width = 100.0 * count / categories[0][1]
        rows.append(
            f'<div class="gb-bar"><span class="gb-bar-label">{esc(name)}</span><span class="gb-bar-track">'
            f'<span class="gb-bar-fill" style="display:block;width:{width:.1f}%;background:{colours[name]}"></span></span>'
            f'<span class="gb-bar-value">{esc(value)} · {100.0 * count / total:.0f}%</span></div>'
        )
    return f'<div class="gb-card"><h2>案件构成</h2>{"".join(rows)}</div>'


def _coverage(content: MapContent) -> str:
    coverage = content.summary.get("coverage")
    if not coverage:
        return ""
    rows = [("摄像头（在线 / 总数）", f'{coverage["cameras_online"]:,} / {coverage["cameras"]:,}')]
    if "incident_share" in coverage:
        rows.append(("视域内警情", f'{coverage["incidents_covered"]:,} 起（{pct(coverage["incident_share"])}）'))
    if "hot_cells" in coverage:
        rows.append(("95% 以上热点网格", f'{coverage["hot_cells"]:,} 个'))
        rows.append(("其中盲区（视域内警情不足一半）", f'{coverage["hot_cells_blind"]:,} 个'))
    body = "".join(f'<tr><td>{esc(k)}</td><td class="num">{esc(v)}</td></tr>' for k, v in rows)
    blind = content.summary.get("blind_spots") or []
    if blind:
        items = "".join(
            f'<tr><td><span class="gb-rank" style="background:{BLIND_COLOUR}">{i}</span></td>'
            f'{_place_cell(b)}'
            f'<td class="num">{esc(num(b["n"]))}</td></tr>'
            for i, b in enumerate(blind, 1)
        )
        blind_table = (f'<div class="gb-muted" style="margin:8px 0 3px">警情最多的盲区</div><table class="gb-table">'
                       f'<tr><th></th><th>位置</th><th class="num">警情</th></tr>{items}</table>')
    else:
        blind_table = ""
    return f'<div class="gb-card"><h2>天网覆盖</h2><table class="gb-table">{body}</table>{blind_table}</div>'


def _routes(content: MapContent) -> str:
    routes = content.summary.get("routes")
    if not routes:
        return ""
    has_incidents = any("incidents_near" in r for r in routes)
    corridor = float(content.summary.get("route_corridor_m", 100.0))
    has_hot = any("hot_cells_passed" in r for r in routes)
    head = "<tr><th>路线</th><th class='num'>长度</th>" + ("<th class='num'>走廊内警情</th>" if has_incidents else "") + (
        "<th class='num'>途经热点</th>" if has_hot else "") + "</tr>"
    rows = []
    for r in routes:
        cells = [f"<td>{esc(r['name'])}</td>", f"<td class='num'>{r['length_km']:.1f} km</td>"]
        if has_incidents:
            cells.append(f"<td class='num'>{r.get('incidents_near', 0):,}（{pct(r.get('incident_share'))}）</td>")
        if has_hot:
            cells.append(f"<td class='num'>{r.get('hot_cells_passed', 0):,} 格</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="gb-card"><h2>巡逻路线暴露</h2><table class="gb-table">{head}{"".join(rows)}</table>'
            f'<div class="gb-muted" style="margin-top:5px">走廊：路线两侧各 {corridor / 2:g} m；途经热点：走廊触及的 95% 以上热点网格。</div></div>')


def side_panel(content: MapContent, builder, options) -> str:
    parts = []
    if options.public:
        parts.append('<div class="gb-public-banner">公开版：仅含汇总图层，不含单个警情、摄像头与巡逻信息；少于 3 起的计数以“&lt;3”显示。</div>')
    parts.append(_kpis(content, options.public))
    parts.append(_top_hotspots(content, options.public))
    parts.append(_categories(content, options.public))
    if not options.public:
        parts.append(_coverage(content))
        parts.append(_routes(content))
    # The hotspot legend leads: it is what the page is about.
    legends = sorted(builder.legends, key=lambda block: 'data-legend="hotspots"' not in block)
    parts.append(f'<div class="gb-card"><h2>图例</h2>{"".join(legends)}</div>')
    notes = [*builder.notes]
    if not options.public and content.sectors is not None:
        notes.append("天网视域按摄像头朝向、视角和距离绘制，不考虑建筑遮挡。")
    if notes:
        items = "".join(f"<li>{esc(n)}</li>" for n in dict.fromkeys(notes))
        parts.append(f'<div class="gb-card"><h2>说明</h2><ul class="gb-notes">{items}</ul></div>')
    return f'<aside class="gb-side">{"".join(p for p in parts if p)}</aside>'


def classification_of(options) -> str:
    if options.classification is not None:
        return options.classification.strip()
    return DEFAULT_PUBLIC_CLASSIFICATION if options.public else DEFAULT_CLASSIFICATION


def frame_html(content: MapContent, options) -> tuple[str, str]:
    subtitle = options.subtitle if options.subtitle is not None else content.subtitle()
    generated = content.generated_at.strftime("%Y-%m-%d %H:%M")
    classification = classification_of(options)
    tag = f'<div class="gb-class-tag">{esc(classification)}</div><br>' if classification else ""
    header = (
        f'<header class="gb-header"><div class="gb-titles"><h1>{esc(options.title)}</h1>'
        f'<div class="gb-subtitle">{esc(subtitle)}</div></div>'
        f'<div class="gb-meta">{tag}生成时间 {esc(generated)}</div></header>'
    )
    footer = (
        f'<footer class="gb-footer"><span class="gb-class-line">{esc(classification)}</span>'
        f'<span>数据来源：{esc(content.source)} · 坐标系 WGS84 · 由 gisapp 生成 · {esc(generated)}</span></footer>'
    )
    return header, footer
