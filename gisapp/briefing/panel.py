"""The page frame around the map: header, side panel (key figures, tables, legends, notes), footer.

All text is escaped with :func:`htmlbits.esc`; nothing here is a template.
"""

from __future__ import annotations

from . import privacy
from .content import MapContent
from .htmlbits import esc, num, pct
from .style import BLIND_COLOUR, DEFAULT_CLASSIFICATION, DEFAULT_PUBLIC_CLASSIFICATION, category_colours


def rejected_text(content: MapContent) -> str:
    """"N 起警情未能定位，未计入" when the incidents' load report rejected rows, else ""."""
    rejected = content.summary.get("rows_rejected") or 0
    return f"{rejected:,} 起警情未能定位，未计入" if rejected > 0 else ""


def _kpis(content: MapContent, public: bool) -> str:
    s = content.summary
    bins = s.get("gi_bins") or {}
    zones = [z for z in s.get("zones") or [] if z.get("n") is not None]
    coverage = s.get("coverage") or {}
    tiles = []
    if "incidents" in s:
        tiles.append(("", num(s["incidents"]), "警情总数（起）"))
    if zones and s.get("incidents"):
        in_zones = sum(z["n"] for z in zones)
        tiles.append(("gb-hot", f"{len(zones)} 个", f"热点区，含警情 {pct(in_zones / s['incidents'])}"))
    elif bins:
        tiles.append(("gb-hot", num(bins.get(3, 0)), "99% 置信热点网格"))
    if not public and "incident_share" in coverage:
        tiles.append(("", pct(coverage["incident_share"]), "天网视域内警情占比"))
    measured = [z for z in zones if (z.get("coverage") or {}).get("covered_share") is not None]
    if not public and measured:
        poor = sum(1 for z in measured if z["coverage"]["covered_share"] < 0.5)
        tiles.append(("gb-hot", f"{poor} 个", "覆盖不足一半的热点区"))
    if bins and len(tiles) < 4:
        tiles.append(("", num(sum(bins.get(b, 0) for b in (-1, -2, -3))), "冷点网格"))
    if not tiles:
        return ""
    body = "".join(f'<div class="gb-kpi {cls}"><b>{esc(value)}</b><span>{esc(label)}</span></div>' for cls, value, label in tiles[:4])
    rejected = rejected_text(content)
    warning = f'<div class="gb-rejected">{esc(rejected)}</div>' if rejected else ""
    return f'<div class="gb-card"><h2>关键指标</h2><div class="gb-kpis">{body}</div>{warning}</div>'


def _count(n, public: bool) -> str:
    if n is None:
        return "—"
    return privacy.SUPPRESSED if public and n < privacy.MIN_PUBLIC_COUNT else f"{n:,}"


def _findings(findings, public: bool) -> str:
    if findings is None:
        return ""
    parts = []
    for title, items in (("研判结论", findings.conclusions), ("工作建议", findings.actions)):
        if items:
            rows = "".join(f"<li>{esc(f.text)}</li>" for f in items)
            parts.append(f'<div class="gb-card gb-findings" data-findings="{"conclusions" if title == "研判结论" else "actions"}">'
                         f'<h2>{title}</h2><ol class="gb-findings-list">{rows}</ol></div>')
    return "".join(parts)


def _zones(content: MapContent, public: bool) -> str:
    zones = content.summary.get("zones") or []
    if not zones:
        return ""
    rows = []
    for zone in zones[:8]:
        rows.append(
            f'<tr><td><span class="gb-rank">{zone["zone_id"]}</span></td><td>{esc(zone["name"])}</td>'
            f'<td class="num">{esc(_count(zone["n"], public))}</td><td class="num">{esc(num(zone["area_km2"], 2))}</td>'
            f'<td class="num">{esc(num(zone["peak_z"], 1))}</td></tr>'
        )
    head = '<tr><th></th><th>热点区</th><th class="num">警情</th><th class="num">面积 km²</th><th class="num">最高 z</th></tr>'
    more = f"，另有 {len(zones) - 8} 个较小的热点区" if len(zones) > 8 else ""
    return (f'<div class="gb-card"><h2>主要热点</h2><table class="gb-table" data-table="zones">{head}{"".join(rows)}</table>'
            f'<div class="gb-muted" style="margin-top:5px">热点区：相互接触的 {esc(_level(content))} 热点网格合并而成，'
            f'按所含警情排序；编号与地图一致{more}。</div></div>')


def _level(content: MapContent) -> str:
    bins = [z.get("gi_bin") for z in content.summary.get("zones") or []]
    return "99% 置信" if bins and min(bins) >= 3 else "显著"


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
    body = "".join(f'<tr><td>{esc(k)}</td><td class="num">{esc(v)}</td></tr>' for k, v in rows)
    zones = [z for z in content.summary.get("zones") or [] if z.get("coverage")]
    zone_table = ""
    if zones:
        items = "".join(
            f'<tr><td><span class="gb-rank" style="background:{BLIND_COLOUR}">{z["zone_id"]}</span></td><td>{esc(z["name"])}</td>'
            f'<td class="num">{esc(pct(z["coverage"]["covered_share"]))}</td>'
            f'<td class="num">{esc(num(z["coverage"]["n_uncovered"]))}</td><td class="num">{esc(num(z["coverage"].get("blind_cells")))}</td></tr>'
            for z in zones[:8]
        )
        zone_table = (f'<div class="gb-muted" style="margin:8px 0 3px">各热点区（编号同“主要热点”）</div><table class="gb-table" data-table="blind">'
                      f'<tr><th></th><th>热点区</th><th class="num">视域内</th><th class="num">视域外警情</th><th class="num">盲区网格</th></tr>{items}</table>'
                      f'<div class="gb-muted" style="margin-top:5px">盲区网格：{esc(_blind_rule_zh(coverage))}。</div>')
    return f'<div class="gb-card"><h2>监控盲区</h2><table class="gb-table">{body}</table>{zone_table}</div>'


def _blind_rule_zh(coverage: dict) -> str:
    return f"热点区网格中摄像头视域内警情不足一半者（全县共 {coverage.get('hot_cells_blind', 0):,} 个）"


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


def side_panel(content: MapContent, builder, options, findings=None, extra_cards: list[str] | None = None) -> str:
    parts = []
    if options.public:
        parts.append('<div class="gb-public-banner">公开版：仅含汇总图层，不含单个警情、摄像头与巡逻信息；少于 3 起的计数以“&lt;3”显示。</div>')
    parts.append(_kpis(content, options.public))
    parts.append(_findings(findings, options.public))
    parts.append(_zones(content, options.public))
    parts.append(_categories(content, options.public))
    if not options.public:
        parts.append(_coverage(content))
        parts.append(_routes(content))
    parts.extend(extra_cards or [])
    # The hotspot legend leads: it is what the page is about (it is also drawn on the map).
    legends = sorted(builder.legends, key=lambda block: 'data-legend="hotspots"' not in block)
    parts.append(f'<div class="gb-card"><h2>图例</h2>{"".join(legends)}</div>')
    notes = [*builder.notes]
    if rejected_text(content):
        notes.insert(0, rejected_text(content) + "（见导入报告）。")
    if not options.public and content.sectors is not None:
        notes.append("天网视域按摄像头朝向、视角和距离绘制，不考虑建筑遮挡。")
    if notes:
        items = "".join(f"<li>{esc(n)}</li>" for n in dict.fromkeys(notes))
        parts.append(f'<div class="gb-card"><h2>说明</h2><ul class="gb-notes">{items}</ul></div>')
    return f'<aside class="gb-side" id="gb-side">{"".join(p for p in parts if p)}</aside>'


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
        f'<div class="gb-meta">{tag}<span class="gb-generated">生成时间 {esc(generated)}</span></div></header>'
        '<button type="button" class="gb-drawer-button" id="gb-drawer-button" aria-controls="gb-side" aria-expanded="false">简报内容</button>'
    )
    footer = (
        f'<footer class="gb-footer"><span class="gb-class-line">{esc(classification)}</span>'
        f'<span>数据来源：{esc(content.source)} · 坐标系 WGS84 · 由 gisapp 生成 · {esc(generated)}</span></footer>'
    )
    return header, footer
