"""研判结论 and 工作建议: every sentence checked against an independent computation on the sample county,
and no sentence when its numbers are missing."""

from __future__ import annotations

import copy
import re

import numpy as np
import pandas as pd
import pytest
import shapely

from gisapp.analysis.core.inputs import Inputs
from gisapp.briefing import BriefingOptions, build_briefing, collect_content
from gisapp.briefing.findings import build_findings, hour_window, hours_text, months_between

MARKET_RULE = "cycle:3@2024-01-01"  # the sample county's market days (sample_data/truth.json, pattern a)


@pytest.fixture(scope="module")
def county(sample_dir):
    return collect_content(Inputs(sample_dir / "county.gpkg"), cell_size="auto")


@pytest.fixture(scope="module")
def findings(county):
    return build_findings(county, MARKET_RULE)


def zone_incidents(county, name: str):
    """The incidents inside the zone's outline, found by plain point-in-polygon."""
    zone = county.zones[county.zones["name"] == name].geometry.iloc[0]
    return county.incidents[shapely.contains_xy(zone, county.incidents.geometry.x.to_numpy(), county.incidents.geometry.y.to_numpy())]


def test_overview_counts_what_the_zones_hold(county, findings):
    overview = findings.conclusions[0]
    assert overview.kind == "overview"
    inside = sum(len(zone_incidents(county, name)) for name in county.zones["name"])
    assert overview.numbers["in_zones"] == inside
    assert overview.numbers["months"] == 24 and f"{inside:,} 起" in overview.text and "24 个月共 36,334 起" in overview.text
    assert f"{inside / 36334:.0%}" in overview.text
    assert f"{county.zones['area_km2'].sum():.2f} 平方公里" in overview.text


def test_each_zone_sentence_matches_an_independent_count(county, findings):
    zones = [f for f in findings.conclusions if f.kind == "zone"]
    assert [f.zone for f in zones] == list(county.zones["name"][:3])
    sectors = county.sectors[county.sectors["online"]]
    seen = shapely.union_all(sectors.geometry.values)
    for finding in zones:
        inside = zone_incidents(county, finding.zone)
        assert finding.numbers["n"] == len(inside) and f"{finding.zone} 24 个月 {len(inside):,} 起" in finding.text
        hours = pd.to_datetime(inside["occurred_at"]).dt.hour.to_numpy()
        by_hour = np.bincount(hours, minlength=24)
        windows = [by_hour[[(s + k) % 24 for k in range(4)]].sum() for s in range(24)]
        best = int(np.argmax(windows))
        if windows[best] / len(inside) >= 2 * 4 / 24:
            assert finding.numbers["window_start"] == best and f"集中在 {best}–{(best + 4) % 24} 时（占 {windows[best] / len(inside):.0%}）" in finding.text
        else:
            assert "集中在" not in finding.text
        top = inside["subcategory"].value_counts()
        if top.iloc[0] / len(inside) >= 0.4:
            assert f"以{top.index[0]}为主（{top.iloc[0] / len(inside):.0%}）" in finding.text
        else:
            assert "为主" not in finding.text
        covered = shapely.contains_xy(seen, inside.geometry.x.to_numpy(), inside.geometry.y.to_numpy()).mean()
        assert finding.numbers["covered_share"] == pytest.approx(covered, abs=0.01)  # footprints drawn with 2° arcs
        assert "现有摄像头仅覆盖其中" in finding.text


def test_the_market_zone_names_its_market_days_and_their_ratio(county, findings):
    market = next(f for f in findings.conclusions if f.zone == "西门市场热点区")
    inside = zone_incidents(county, "西门市场热点区")
    days = pd.date_range("2024-01-01", "2025-12-31", freq="D")
    is_market = ((days - pd.Timestamp("2024-01-01")).days % 3) == 0
    day_of = pd.to_datetime(inside["occurred_at"]).dt.normalize()
    on = day_of.isin(days[is_market]).sum()
    ratio = (on / is_market.sum()) / ((len(inside) - on) / (~is_market).sum())
    assert market.numbers["market_ratio"] == pytest.approx(ratio, rel=1e-9)
    assert f"为平日 {ratio:.1f} 倍" in market.text and f"赶集日日均 {on / is_market.sum():.1f} 起" in market.text
    assert ratio > 1.5 and "扒窃" in market.text and "8–12 时" in market.text  # the planted pattern (a)
    patrol = next(f for f in findings.actions if f.kind == "patrol" and f.zone == "西门市场热点区")
    assert patrol.text.startswith("西门市场热点区：赶集日 8–12 时安排巡逻")


def test_camera_actions_name_the_blind_cell_with_most_unseen_incidents(county, findings):
    cameras = [f for f in findings.actions if f.kind == "camera"]
    assert cameras
    blind = county.blind_spots
    for action in cameras:
        zone = county.zones[county.zones["name"] == action.zone].geometry.iloc[0]
        mine = blind[shapely.contains(zone, shapely.point_on_surface(blind.geometry.values))]
        top = mine.sort_values("n_uncovered", ascending=False).iloc[0]
        assert action.numbers["site_road"] == top["nearest_road"] and action.numbers["site_uncovered"] == top["n_uncovered"]
        assert f"在{top['nearest_road']}一带增设摄像头" in action.text
    alley = next(a for a in cameras if a.zone.startswith("城关第40网格"))
    assert alley.numbers["site_road"] == "滨河路3巷"  # the planted back-street hotspot outside every camera (pattern f)


def test_blind_sentence_counts_zones_seen_under_half(county, findings):
    blind = next(f for f in findings.conclusions if f.kind == "blind")
    shares = [z["coverage"]["covered_share"] for z in county.summary["zones"] if z.get("coverage")]
    assert blind.numbers["poorly_covered"] == sum(s < 0.5 for s in shares) and blind.numbers["zones"] == len(shares)


def test_no_sentence_without_its_numbers(county):
    assert build_findings(county).to_dict()["conclusions"] and "赶集" not in str(build_findings(county).to_dict())  # no rule: no market days
    bare = copy.copy(county)
    bare.summary = {k: v for k, v in county.summary.items()}
    bare.summary["zones"] = [{k: v for k, v in z.items() if k not in ("coverage", "routes")} for z in county.summary["zones"]]
    bare.routes = None
    text = " ".join(f.text for f in [*build_findings(bare, MARKET_RULE).conclusions, *build_findings(bare, MARKET_RULE).actions])
    assert "摄像头" not in text and "巡逻路线" not in text and "视域" not in text
    untimed = copy.copy(bare)
    untimed.incidents = county.incidents.drop(columns=["occurred_at"])
    text = " ".join(f.text for f in build_findings(untimed, MARKET_RULE).conclusions)
    assert "时" not in text.replace("时段", "") and "赶集" not in text and "24 个月" in text
    undated = copy.copy(bare)
    undated.summary = {**bare.summary, "date_range": None}
    assert "个月" not in " ".join(f.text for f in build_findings(undated).conclusions)
    zoneless = copy.copy(county)
    zoneless.summary = {k: v for k, v in county.summary.items() if k != "zones"}
    assert build_findings(zoneless).to_dict() == {"conclusions": [], "actions": []}
    empty = copy.copy(county)
    empty.incidents, empty.incident_zone = None, None
    assert build_findings(empty).to_dict() == {"conclusions": [], "actions": []}


def test_findings_are_on_the_page_in_order(county):
    briefing = build_briefing(county, BriefingOptions(market_rule=MARKET_RULE))
    page = briefing.html
    for finding in [*briefing.findings.conclusions, *briefing.findings.actions]:
        assert f"<li>{finding.text}</li>" in page
    assert page.index("研判结论") < page.index("工作建议") < page.index("主要热点")


def test_small_helpers():
    assert hour_window([8, 9, 10, 11, 11, 23]) == (8, 5, 5 / 6)
    assert hour_window([23, 0, 1, 22])[0] == 22 and hours_text(22) == "22–次日2 时"
    assert hour_window([]) is None
    assert months_between(["2024-01-01", "2025-12-31"]) == 24 and months_between(["2024-03-01", "2024-03-05"]) == 1
    assert months_between(None) is None


def test_rejected_rows_are_stated(county):
    rejected = copy.copy(county)
    rejected.summary = {**county.summary, "rows_rejected": 12}
    page = build_briefing(rejected).html
    assert "12 起警情未能定位，未计入" in page
    assert "未能定位" not in build_briefing(county).html
    assert re.search(r"未能定位", build_briefing(rejected, BriefingOptions(public=True)).html)


def test_outlook_says_which_method_made_it_and_how_it_scored(county):
    from gisapp.analysis.forecast.outlook import next_week_risk

    _, about = next_week_risk(county.incidents)
    briefing = build_briefing(county, BriefingOptions(outlook=True))
    page = briefing.html
    assert "下周风险" in briefing.layers and 'data-card="risk"' in page and 'data-card="alerts"' in page
    assert about["method_zh"] in page and f"PAI@5% {about['pai_5']:.1f}" in page
    assert f"{about['forecast_from']} 至 {about['forecast_to']}" in page
    assert "下周风险" not in build_briefing(county).layers  # off by default
