"""下周风险 and 预警 for the briefing (``gisapp brief --outlook``).

The numbers come from ``gisapp.analysis.forecast.outlook``: ``next_week_risk``
picks, by a rolling weekly evaluation, the method that forecast the last
weeks best (or last week's counts when none beat them) and forecasts the
next seven days with it; ``alert_list`` ranks the grids whose latest week
is above their recent baseline. This module only draws them, and says on
the page which method made each and how it scored.
"""

from __future__ import annotations

from gisapp.layers.errors import GisappError
from gisapp.palette import FORECAST_RISK_COLOURS

from .htmlbits import esc, num, swatch

#: Alerts listed in the card.
ALERTS_SHOWN = 8


def add_outlook(content, builder) -> list[str]:
    """Add the 下周风险 layer to ``builder`` and return the two cards (HTML) for the side panel."""
    incidents = content.incidents
    if incidents is None or not len(incidents) or "occurred_at" not in incidents:
        builder.notes.append("没有带发案时间的警情：未生成下周风险与预警。")
        return []
    from gisapp.analysis.forecast.outlook import alert_list, next_week_risk

    cards = []
    try:
        cells, about = next_week_risk(incidents)
    except GisappError as error:
        builder.notes.append(f"未能预测下周风险：{error}")
    else:
        cards.append(_risk(cells, about, builder))
    try:
        alerts = alert_list(incidents, content.grids)
    except GisappError as error:
        builder.notes.append(f"未能生成预警：{error}")
    else:
        cards.append(_alerts(alerts))
    return cards


def _risk(cells, about: dict, builder) -> str:
    shares = sorted(FORECAST_RISK_COLOURS)
    top = cells[cells["top_pct"] <= shares[-1]].copy()
    top["band"] = [next(str(s) for s in shares if p <= s) for p in top["top_pct"]]
    builder.risk(top, {str(s): colour for s, colour in FORECAST_RISK_COLOURS.items()}, _method(about))
    rows = [("方法", about["method_zh"]), ("预测期", f"{about['forecast_from']} 至 {about['forecast_to']}"),
            ("近期检验", f"{about['weeks_evaluated']} 周滚动，PAI@5% {num(about['pai_5'], 1)}")]
    if about.get("counts_pai_5") is not None and about["method"] != "counts":
        rows.append(("对照（上周计数）", f"PAI@5% {num(about['counts_pai_5'], 1)}"))
    body = "".join(f"<tr><td>{esc(k)}</td><td class='num'>{esc(v)}</td></tr>" for k, v in rows)
    legend = "".join(f'<div class="gb-legend-row">{swatch(FORECAST_RISK_COLOURS[s])}风险最高的 {s:.0%} 网格</div>' for s in shares)
    return (f'<div class="gb-card" data-card="risk"><h2>下周风险</h2><table class="gb-table">{body}</table>'
            f'<div class="gb-muted" style="margin:6px 0 4px">{esc(_method(about))}</div>{legend}</div>')


def _method(about: dict) -> str:
    if about["method"] == "counts":
        return f"没有方法在近 {about['weeks_evaluated']} 周胜过上周计数，下周风险按上周计数给出。"
    return (f"由{about['method_zh']}给出：近 {about['weeks_evaluated']} 周滚动检验中，"
            f"它圈出 5% 面积时命中率是随机的 {about['pai_5']:.1f} 倍（上周计数 {about['counts_pai_5']:.1f} 倍）。")


def _alerts(alerts: list[dict]) -> str:
    if not alerts:
        return ('<div class="gb-card" data-card="alerts"><h2>预警</h2><div class="gb-muted">'
                "最近一周没有网格显著高于其近 8 周基线（条件泊松检验，α = 0.05，FDR 校正）。</div></div>")
    rows = "".join(
        f"<tr><td>{esc(a.get('name') or a.get('unit_id'))}</td><td class='num'>{esc(num(a['observed']))}</td>"
        f"<td class='num'>{esc(num(a['expected'], 1))}</td><td class='num'>{esc(num(a['ratio'], 1))}</td>"
        f"<td>{esc(a.get('label_zh') or '')}</td></tr>"
        for a in alerts[:ALERTS_SHOWN]
    )
    head = "<tr><th>网格</th><th class='num'>本期</th><th class='num'>基线</th><th class='num'>倍数</th><th></th></tr>"
    return (f'<div class="gb-card" data-card="alerts"><h2>预警</h2><table class="gb-table">{head}{rows}</table>'
            f'<div class="gb-muted" style="margin-top:5px">{esc(alerts[0]["method"])}；截至 {esc(alerts[0]["latest_step"])}。</div></div>')
