"""Written findings (研判结论) and recommended actions (工作建议): plain sentences over computed numbers.

A template, not a writer: each sentence is filled from numbers that the
analyses computed (zones, camera coverage, route corridors, the hour and
market-day profile of each zone's incidents) and is left out, whole, when
one of its numbers is missing. A clause that makes a claim ("集中在 8–12 时")
appears only when the number supports it, by the rule stated next to it
here; nothing is said that the numbers do not say.

Each :class:`Finding` keeps the numbers it quotes, so a test (or a reader of
``--json``) can check the sentence against its own computation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .content import MapContent

#: Zones with fewer incidents than this get no sentence of their own (too few to describe).
MIN_ZONE_INCIDENTS = 30
#: Zones described one by one.
TOP_ZONES = 3
#: The hour window reported, in hours, and how much above its even share (WINDOW / 24) it must hold.
WINDOW_HOURS = 4
WINDOW_LIFT = 2.0
#: A category is "the main one" of a zone from this share of its incidents.
MAIN_CATEGORY_SHARE = 0.4
#: Market days are mentioned when they carry this rate ratio or more, at p <= ALPHA.
MARKET_RATIO = 1.5
ALPHA = 0.05
#: Cameras "cover" a zone from this share of its incidents seen (the blind-spot rule of ``gisapp coverage``).
COVERED_SHARE = 0.5


@dataclass
class Finding:
    """One sentence and the numbers it quotes."""

    kind: str
    text: str
    numbers: dict = field(default_factory=dict)
    zone: str | None = None


@dataclass
class Findings:
    conclusions: list[Finding] = field(default_factory=list)  # 研判结论
    actions: list[Finding] = field(default_factory=list)  # 工作建议

    def to_dict(self) -> dict:
        return {name: [{"kind": f.kind, "text": f.text, "zone": f.zone, "numbers": f.numbers} for f in items]
                for name, items in (("conclusions", self.conclusions), ("actions", self.actions))}


def hour_window(hours, width: int = WINDOW_HOURS) -> tuple[int, int, float] | None:
    """The ``width``-hour window (wrapping past midnight) holding most incidents: (start, count, share)."""
    hours = np.asarray(hours)
    hours = hours[(hours >= 0) & (hours < 24)].astype(int)
    if not len(hours):
        return None
    counts = np.bincount(hours, minlength=24)
    window = np.array([counts[(start + np.arange(width)) % 24].sum() for start in range(24)])
    start = int(np.argmax(window))
    return start, int(window[start]), float(window[start] / len(hours))


def hours_text(start: int, width: int = WINDOW_HOURS) -> str:
    end = (start + width) % 24
    return f"{start}–{end} 时" if end > start else f"{start}–次日{end} 时"


def months_between(date_range) -> int | None:
    """Whole months (30.44 days) of the period ``[first, last]``, at least 1."""
    if not date_range:
        return None
    try:
        first, last = pd.Timestamp(date_range[0]), pd.Timestamp(date_range[1])
    except (TypeError, ValueError):
        return None
    return max(1, round(((last - first).days + 1) / 30.4375))


def build_findings(content: MapContent, market_rule: str | None = None, public: bool = False) -> Findings:
    """研判结论 and 工作建议 of ``content`` (zones, coverage, routes), with market days when ``market_rule`` is given.

    ``public``: no sentence about cameras or patrol routes (security details a public page leaves out).
    """
    out = Findings()
    zones = content.summary.get("zones") or []
    if public:
        zones = [{k: v for k, v in z.items() if k not in ("coverage", "routes")} for z in zones]
    incidents = content.incidents
    if incidents is None or content.incident_zone is None:
        return out
    months = months_between(content.summary.get("date_range"))
    overview = _overview(content, zones, months)
    if overview:
        out.conclusions.append(overview)
    rule = _rule(market_rule)
    described = [z for z in zones if (z.get("n") or 0) >= MIN_ZONE_INCIDENTS][:TOP_ZONES]
    for zone in described:
        profile = _zone_profile(content, zone, rule)
        out.conclusions.append(_zone_sentence(zone, profile, months, content.routes is not None and not public))
        action = _patrol_action(zone, profile)
        if action:
            out.actions.append(action)
    blind = _blind_sentence(zones)
    if blind:
        out.conclusions.append(blind)
    out.actions.extend(a for a in (_camera_action(z) for z in described) if a)
    gap = None if public else _route_gap_action(described, content)
    if gap:
        out.actions.append(gap)
    return out


# --------------------------------------------------------------------------- conclusions


def _overview(content: MapContent, zones: list[dict], months: int | None) -> Finding | None:
    total = content.summary.get("incidents")
    known = [z for z in zones if z.get("n") is not None]
    if not total or not known:
        return None
    in_zones = sum(z["n"] for z in known)
    area = sum(z["area_km2"] for z in known)
    period = f"{months} 个月" if months else "本期"
    numbers = {"incidents": total, "months": months, "zones": len(known), "in_zones": in_zones, "share": in_zones / total, "area_km2": area}
    text = (f"{period}共 {total:,} 起警情，其中 {in_zones:,} 起（{in_zones / total:.0%}）集中在 {len(known)} 个热点区，"
            f"合计 {area:.2f} 平方公里。")
    return Finding("overview", text, numbers)


@dataclass
class _Profile:
    count: int
    window: tuple[int, int, float] | None = None
    category: tuple[str, int, float] | None = None
    market: dict | None = None


def _zone_profile(content: MapContent, zone: dict, rule) -> _Profile:
    inside = content.incidents[content.incident_zone == zone["zone_id"]]
    profile = _Profile(len(inside))
    if not len(inside):
        return profile
    if "occurred_at" in inside:
        times = pd.to_datetime(inside["occurred_at"], errors="coerce").dropna()
        profile.window = hour_window(times.dt.hour.to_numpy())
        if rule is not None and len(times):
            profile.market = _market_effect(times, content.summary.get("date_range"), rule)
    column = "subcategory" if "subcategory" in inside else "category" if "category" in inside else None
    if column:
        counts = inside[column].dropna().astype(str).value_counts()
        if len(counts):
            profile.category = (str(counts.index[0]), int(counts.iloc[0]), float(counts.iloc[0] / len(inside)))
    return profile


def _zone_sentence(zone: dict, profile: _Profile, months: int | None, has_routes: bool) -> Finding:
    numbers = {"n": zone["n"], "months": months}
    period = f" {months} 个月" if months else ""
    clauses = [f"{zone['name']}{period} {zone['n']:,} 起"]
    if profile.category and profile.category[2] >= MAIN_CATEGORY_SHARE:
        name, _, share = profile.category
        clauses.append(f"以{name}为主（{share:.0%}）")
        numbers.update(category=name, category_share=share)
    timing = []
    if profile.window and profile.window[2] >= WINDOW_LIFT * WINDOW_HOURS / 24:
        start, _, share = profile.window
        timing.append(f"集中在 {hours_text(start)}（占 {share:.0%}）")
        numbers.update(window_start=start, window_share=share)
    market = profile.market
    if market and market["p_value"] is not None and market["p_value"] <= ALPHA and market["rate_ratio"] >= MARKET_RATIO:
        timing.append(f"赶集日日均 {market['per_market_day']:.1f} 起，为平日 {market['rate_ratio']:.1f} 倍")
        numbers.update(market_ratio=market["rate_ratio"], market_p=market["p_value"], per_market_day=market["per_market_day"])
    if timing:
        clauses.append("，".join(timing))
    coverage = zone.get("coverage") or {}
    tail = []
    if coverage.get("covered_share") is not None:
        share = coverage["covered_share"]
        tail.append(f"现有摄像头{'仅' if share < COVERED_SHARE else ''}覆盖其中 {_pct(share)}")
        numbers["covered_share"] = share
    if has_routes and "routes" in zone and not zone["routes"]:
        tail.append("无巡逻路线经过")
        numbers["routes"] = 0
    text = "，".join(clauses) + ("；" + "，".join(tail) if tail else "") + "。"
    return Finding("zone", text, numbers, zone["name"])


def _blind_sentence(zones: list[dict]) -> Finding | None:
    measured = [z for z in zones if (z.get("coverage") or {}).get("covered_share") is not None]
    if not measured:
        return None
    poor = [z for z in measured if z["coverage"]["covered_share"] < COVERED_SHARE]
    unseen = sum(z["coverage"]["n_uncovered"] for z in poor)
    numbers = {"zones": len(measured), "poorly_covered": len(poor), "unseen": unseen}
    if not poor:
        return Finding("blind", f"{len(measured)} 个热点区的警情均有一半以上在摄像头视域内。", numbers)
    return Finding("blind", f"{len(measured)} 个热点区中有 {len(poor)} 个摄像头覆盖不足一半，视域外警情合计 {unseen:,} 起。", numbers)


# --------------------------------------------------------------------------- actions


def _patrol_action(zone: dict, profile: _Profile) -> Finding | None:
    if not profile.window or profile.window[2] < WINDOW_LIFT * WINDOW_HOURS / 24:
        return None
    start, count, share = profile.window
    market = profile.market
    on_market = market and market["p_value"] is not None and market["p_value"] <= ALPHA and market["rate_ratio"] >= MARKET_RATIO
    when = f"{'赶集日' if on_market else '每日'} {hours_text(start)}"
    text = f"{zone['name']}：{when}安排巡逻，该时段占其警情 {share:.0%}（{count:,} 起）。"
    return Finding("patrol", text, {"window_start": start, "window_count": count, "window_share": share, "market_days": bool(on_market)}, zone["name"])


def _camera_action(zone: dict) -> Finding | None:
    coverage = zone.get("coverage") or {}
    share, road = coverage.get("covered_share"), coverage.get("site_road")
    if share is None or share >= COVERED_SHARE or not road or coverage.get("site_uncovered") is None:
        return None
    text = (f"{zone['name']}：在{road}一带增设摄像头，该处网格视域外警情 {coverage['site_uncovered']:,} 起，"
            f"热点区内视域外共 {coverage['n_uncovered']:,} 起。")
    return Finding("camera", text, {"site_road": road, "site_uncovered": coverage["site_uncovered"], "n_uncovered": coverage["n_uncovered"]},
                   zone["name"])


def _route_gap_action(zones: list[dict], content: MapContent) -> Finding | None:
    if content.routes is None or not len(content.routes):
        return None
    missed = [z for z in zones if "routes" in z and not z["routes"]]
    if not missed:
        return None
    names = "、".join(z["name"] for z in missed)
    incidents = sum(z["n"] for z in missed)
    text = f"将{names}纳入巡逻路线：现有 {len(content.routes)} 条路线的走廊均未经过，该处 {incidents:,} 起警情。"
    return Finding("route", text, {"zones": [z["name"] for z in missed], "routes": len(content.routes), "n": incidents})


# --------------------------------------------------------------------------- helpers


def _rule(text: str | None):
    if not text:
        return None
    from gisapp.analysis.spacetime.temporal import MarketRule

    return MarketRule.parse(text)


def _market_effect(times: pd.Series, date_range, rule) -> dict | None:
    from gisapp.analysis.spacetime.temporal import market_day_effect, period_bounds
    from gisapp.layers.errors import InputError

    if not date_range:
        return None
    first, stop = period_bounds(date_range[0], date_range[1])
    stamps = pd.DatetimeIndex(times)
    stamps = stamps[(stamps >= first) & (stamps < stop)]
    try:
        _, summary = market_day_effect(stamps, first, stop, rule)
    except InputError:
        return None
    return summary if summary.get("rate_ratio") is not None else None


def _pct(share: float) -> str:
    return f"{100 * share:.0f}%" if share >= 0.1 or share == 0 else f"{100 * share:.1f}%"
