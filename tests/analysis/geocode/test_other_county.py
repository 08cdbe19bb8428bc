"""Another county's shapes: a gazetteer that is only address text with degrees, villages and groups, a name in two townships."""

from __future__ import annotations

import pandas as pd
import pytest
from pyproj import Transformer

from gisapp.analysis.geocode import build_gazetteer
from gisapp.analysis.geocode.levels import PLATE, ROAD, UNMATCHED
from gisapp.analysis.geocode.match import Matcher

METRIC = "EPSG:4545"  # CGCS2000 3° zone, CM 108°E: the county lies near 108.3°E
TO_DEGREES = Transformer.from_crs(METRIC, "EPSG:4326", always_xy=True)
ORIGIN = {"河口镇": (600_000.0, 3_300_000.0), "白沙乡": (612_000.0, 3_305_000.0)}


def _plates():
    """(address, township, x, y): 新华街 in both townships (numbers every 15 m, odd side north), 石桥村 plates in 河口镇."""
    rows = []
    for town, (x0, y0) in ORIGIN.items():
        for n in range(1, 41):
            rows.append((f"三江县{town}新华街{n}号", x0 + 15 * ((n - 1) // 2), y0 + (10 if n % 2 else -10)))
    for n in range(1, 11):
        rows.append((f"三江县河口镇石桥村{n}号", 603_000.0 + 30 * n, 3_302_000.0))
    return rows


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):
    rows = _plates()
    lon, lat = TO_DEGREES.transform([r[1] for r in rows], [r[2] for r in rows])
    table = pd.DataFrame({"地址": [r[0] for r in rows], "经度": [f"{v:.8f}" for v in lon], "纬度": [f"{v:.8f}" for v in lat]})
    path = tmp_path_factory.mktemp("other") / "标准地址.xlsx"
    table.to_excel(path, index=False)
    return Matcher(build_gazetteer([], extra_file=path, crs=METRIC), 85)


def _at(found):
    return found.x, found.y


def test_plates_read_from_address_text(matcher):
    for text in ("三江县河口镇新华街12号", "河口新华街12号附近", "河口镇新华街十二号门口"):
        found = matcher.match(text)
        assert found.level == PLATE and _at(found) == pytest.approx((600_000.0 + 15 * 5, 3_300_000.0 - 10), abs=0.01), text
    assert _at(matcher.match("白沙乡新华街3号")) == pytest.approx((612_015.0, 3_305_010.0), abs=0.01)


def test_same_street_in_two_townships_is_not_guessed(matcher):
    found = matcher.match("新华街12号")
    assert found.level == UNMATCHED and found.reason == "ambiguous" and len(found.candidates) == 2


def test_village_group_places_at_the_village_not_a_plate(matcher):
    found = matcher.match("河口镇石桥村3组8号")
    assert found.level == ROAD and "3组" in found.note  # its 8号 is the group's, not the village's
    assert matcher.match("河口镇石桥村8号").level == PLATE


def test_unknown_village_and_street_stay_unmatched(matcher):
    for text in ("河口镇东风村2号", "河口镇新华北街3号", "三江县河口镇幸福路1号"):
        assert matcher.match(text).level == UNMATCHED, text
