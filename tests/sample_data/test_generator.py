"""Tests of the synthetic sample county (``sample_data/generate.py``) and its committed outputs.

The generator is built once per module. The pattern checks re-derive each
planted pattern independently (own coverage test, own Gi*, own chain check)
rather than trusting the generator's helpers.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
from pyproj import Transformer
from scipy import stats

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "sample_data"
LAYERS = ["incidents", "grids", "areas", "cameras", "routes", "roads", "addresses"]
HEADERS = "case_id,occurred_at,category,subcategory,address,grid_id,description,status,lon,lat"
HEADERS_ZH = "案件编号,发案时间,案件类别,案件细类,发案地址,网格编号,简要案情,办理状态,经度,纬度"
SUBCATEGORIES = {"盗窃": {"扒窃", "入室盗窃", "盗窃电动车", "盗窃机动车", "盗窃车内财物", "其他盗窃"},
                 "诈骗": {"电信诈骗", "网络诈骗", "合同诈骗"},
                 "抢劫": {"抢劫"}, "抢夺": {"抢夺"}, "故意伤害": {"故意伤害"}, "纠纷": {"纠纷"}}
_METRIC = Transformer.from_crs("EPSG:4326", "EPSG:4544", always_xy=True)


def _load_generator():
    """Import generate.py by path, without leaving a __pycache__ in sample_data/."""
    spec = importlib.util.spec_from_file_location("sample_data_generate", DATA / "generate.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    old, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = old
    return module


def _xy(lon, lat) -> np.ndarray:
    """Lon/lat to EPSG:4544 metres, as an (n, 2) array."""
    return np.c_[_METRIC.transform(np.asarray(lon, float), np.asarray(lat, float))]


def _dist(xy: np.ndarray, place: dict) -> np.ndarray:
    """Distance in metres from each point to a truth.json place."""
    return np.hypot(*(xy - _xy([place["lon"]], [place["lat"]])[0]).T)


def _mann_kendall_z(x) -> float:
    """Mann-Kendall trend Z (no tie correction; used on monthly counts)."""
    x, n = np.asarray(x, float), len(x)
    s = sum(np.sign(x[j] - x[i]) for i in range(n) for j in range(i + 1, n))
    return (s - np.sign(s)) / np.sqrt(n * (n - 1) * (2 * n + 5) / 18)


@pytest.fixture(scope="module")
def gen():
    return _load_generator()


@pytest.fixture(scope="module")
def county(gen):
    return gen.build_county()


@pytest.fixture(scope="module")
def truth():
    return json.loads((DATA / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def inc(county):
    """Incidents with metric x/y columns."""
    df = county["incidents"].copy()
    df[["x", "y"]] = _xy(df.geometry.x, df.geometry.y)
    return df


def _pattern(inc, p):
    return inc[inc.pattern == p]


# ------------------------------------------------------------ reproducibility and files
def test_same_seed_gives_equal_tables(gen, county):
    again = gen.build_county()
    assert list(again) == LAYERS
    for name in LAYERS:
        a, b = county[name], again[name]
        pd.testing.assert_frame_equal(pd.DataFrame(a.drop(columns="geometry")), pd.DataFrame(b.drop(columns="geometry")))
        assert a.geometry.geom_equals_exact(b.geometry, 0).all()


def test_other_seed_gives_other_incidents(gen, county):
    other = gen.build_county(seed=7)["incidents"]
    base = county["incidents"]
    assert len(other) != len(base) or not other.occurred_at.equals(base.occurred_at)


def test_write_outputs_reproduces_committed_files(gen, tmp_path):
    gen.write_outputs(tmp_path)
    for name in ("incidents.csv", "incidents_gbk.csv", "truth.json"):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
    assert [n for n, _ in pyogrio.list_layers(tmp_path / "county.gpkg")] == LAYERS


def test_row_counts_agree(truth):
    utf8 = pd.read_csv(DATA / "incidents.csv", dtype=str, keep_default_na=False)
    gbk = pd.read_csv(DATA / "incidents_gbk.csv", dtype=str, keep_default_na=False, encoding="gbk")
    n_gpkg = pyogrio.read_info(DATA / "county.gpkg", layer="incidents")["features"]
    assert len(utf8) == len(gbk) == n_gpkg == truth["counts"]["total"]
    assert 36_000 <= n_gpkg <= 40_000
    assert (utf8[HEADERS.split(",")].to_numpy() == gbk.to_numpy()).all()  # the same rows


def test_gbk_csv_is_a_police_style_export():
    raw = (DATA / "incidents_gbk.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gbk")
    assert text.splitlines()[0] == HEADERS_ZH  # no pattern column
    assert re.fullmatch(r"A202[45]\d{6},20(24|25)-\d\d-\d\d \d\d:\d\d:\d\d,.*", text.splitlines()[1])


def test_utf8_csv_columns_and_values():
    df = pd.read_csv(DATA / "incidents.csv", dtype=str, keep_default_na=False)
    assert ",".join(df.columns) == HEADERS + ",pattern"
    assert df.case_id.str.fullmatch(r"A202[45]\d{6}").all() and df.case_id.is_unique
    assert df.occurred_at.str.fullmatch(r"20(24|25)-\d\d-\d\d \d\d:\d\d:\d\d").all()
    assert all(s in SUBCATEGORIES[c] for c, s in zip(df.category, df.subcategory))
    assert set(df.status) == {"已立案", "侦查中", "已破案", "已结案"}
    # a fake name and an 11-digit phone in every description, for privacy stripping
    assert df.description.str.contains(r"报警人[\u4e00-\u9fff]{3}\(1[3-9]\d{9}\)称").all()
    assert set(df.pattern) == {"", "a", "b", "c", "d", "f"}
    assert (df.grid_id == "").any() and df.grid_id.str.fullmatch(r"(G\d{3})?").all()


def test_big_csv(gen, tmp_path):
    gen.write_big_csv(tmp_path / "big.csv", 5000, encoding="gbk")
    big = pd.read_csv(tmp_path / "big.csv", encoding="gbk", dtype=str)
    assert len(big) == 5000 and ",".join(big.columns) == HEADERS_ZH
    gen.write_big_csv(tmp_path / "big8.csv", 3000, encoding="utf-8")
    assert (tmp_path / "big8.csv").read_text(encoding="utf-8").splitlines()[0].startswith(HEADERS)


def test_total_size_under_25_mb():
    # 25 MB since the standard-address layer and the address-only incidents joined the sample (issue 14).
    files = [p for p in DATA.iterdir() if p.is_file()]
    assert sum(p.stat().st_size for p in files) < 25_000_000


# ------------------------------------------------------------ layers
def test_gpkg_layers_and_crs():
    layers = pyogrio.list_layers(DATA / "county.gpkg")
    assert [n for n, _ in layers] == LAYERS
    for name in LAYERS:
        assert pyogrio.read_info(DATA / "county.gpkg", layer=name)["crs"] == "EPSG:4326"


def test_grids_tile_without_overlap_and_assign_incidents(county, inc):
    grids = county["grids"].to_crs("EPSG:4544")
    assert grids.is_valid.all() and grids.grid_id.is_unique
    assert grids.area.sum() == pytest.approx(grids.union_all().area, rel=1e-9)
    assert set(grids.township) == {"城关镇", "紫河镇", "乐安镇", "西平镇", "忠孝乡", "建平镇", "新生镇"}
    assert 50 <= (grids.township == "城关镇").sum() <= 70
    hit = gpd.sjoin(county["incidents"], county["grids"][["grid_id", "geometry"]], predicate="within")
    assert (hit.grid_id_left == hit.grid_id_right).all()
    assert county["incidents"].grid_id.notna().sum() == len(hit)


def test_cameras_and_routes(county):
    cams = county["cameras"]
    assert set(cams.kind) == {"dome", "fixed", "checkpoint"} and (cams.kind == "checkpoint").sum() == 14
    assert 220 <= (cams.kind != "checkpoint").sum() <= 280
    assert 0.02 <= (cams.status == "offline").mean() <= 0.08
    assert cams.heading_deg.between(0, 360).all()
    fringe = county["areas"].loc[county["areas"].area_type == "urban_fringe"].union_all()
    assert len(county["routes"]) == 4 and (~county["routes"].intersects(fringe)).any()


# ------------------------------------------------------------ planted patterns
def _gi_star_z(xy: np.ndarray, cell: float = 200.0):
    """Gi* z on a square fishnet of counts (queen neighbours incl. self, binary weights)."""
    origin = xy.min(axis=0)
    ij = ((xy - origin) // cell).astype(int)
    counts = np.zeros(ij.max(axis=0) + 1)
    np.add.at(counts, tuple(ij.T), 1)
    pad = np.pad(counts, 1)
    ones = np.pad(np.ones_like(counts), 1)
    shifts = [(di, dj) for di in range(3) for dj in range(3)]
    s = sum(pad[di:di + counts.shape[0], dj:dj + counts.shape[1]] for di, dj in shifts)
    w = sum(ones[di:di + counts.shape[0], dj:dj + counts.shape[1]] for di, dj in shifts)
    n, mean, sd = counts.size, counts.mean(), counts.std()
    z = (s - mean * w) / (sd * np.sqrt((n * w - w ** 2) / (n - 1)))
    return z, lambda p: tuple(((p - origin) // cell).astype(int))


def test_a_market_pickpocketing(inc, truth):
    a = _pattern(inc, "a")
    xy = a[["x", "y"]].to_numpy()
    assert (a.subcategory == "扒窃").all() and len(a) == truth["counts"]["a"]
    near = np.array([_dist(xy, h) <= 120 for h in truth["a"]["hotspots"]])
    assert near.any(axis=0).all()
    assert [int(n.sum()) for n in near] == [h["count"] for h in truth["a"]["hotspots"]]
    day = (a.occurred_at - pd.Timestamp("2024-01-01")).dt.days
    market = day % 3 == 0
    ratio = market.sum() / 244 / ((~market).sum() / 487)  # 244 market days in 731
    assert ratio > 2
    assert a.occurred_at.dt.hour.between(8, 11).mean() > 0.5
    monthly = a.occurred_at.dt.to_period("M").value_counts()
    assert len(monthly) == 24 and monthly.min() > 0.6 * monthly.mean()  # stationary
    # Gi* over all incidents, 200 m cells: each centroid cell hot at 99 % after FDR
    z, cell_of = _gi_star_z(inc[["x", "y"]].to_numpy())
    p = 2 * stats.norm.sf(np.abs(z))
    ranked = np.sort(p.ravel())
    passed = ranked <= 0.01 * np.arange(1, ranked.size + 1) / ranked.size
    cutoff = ranked[passed.nonzero()[0].max()]
    for h in truth["a"]["hotspots"]:
        cell = cell_of(_xy([h["lon"]], [h["lat"]])[0])
        assert z[cell] > 0 and p[cell] <= cutoff, h["name"]


def test_b_burglary_chains(inc, truth):
    b = _pattern(inc, "b")
    assert 30 <= len(b) <= 45 and (b.subcategory == "入室盗窃").all()
    t = b.occurred_at
    assert t.min() >= pd.Timestamp(truth["b"]["from"]) and t.max() < pd.Timestamp(truth["b"]["to"]) + pd.Timedelta("1D")
    assert t.dt.hour.between(9, 16).all()
    assert (_dist(b[["x", "y"]].to_numpy(), truth["b"]) <= truth["b"]["radius_m"]).all()
    chains = truth["b"]["chains"]
    assert sorted(sum(chains, [])) == sorted(b.case_id)
    for chain in chains:
        c = b.set_index("case_id").loc[chain].sort_values("occurred_at")
        xy, tt = c[["x", "y"]].to_numpy(), c.occurred_at.to_numpy()
        for i in range(1, len(c)):
            linked = (np.hypot(*(xy[:i] - xy[i]).T) <= 200) & (tt[i] - tt[:i] <= np.timedelta64(7, "D"))
            assert linked.any(), chain[i]


def test_b_is_in_leian(county, inc):
    b = _pattern(inc, "b")
    assert b.grid_id.notna().all()
    assert set(county["grids"].set_index("grid_id").township[b.grid_id]) == {"乐安镇"}


def test_c_rising_night_vehicle_theft_in_fringe_sector(inc, truth):
    c = _pattern(inc, "c")
    assert set(c.subcategory) == {"盗窃电动车", "盗窃机动车"}
    assert ((c.occurred_at.dt.hour >= 20) | (c.occurred_at.dt.hour < 5)).all()
    seat = _xy([truth["seat_centre"]["lon"]], [truth["seat_centre"]["lat"]])[0]
    d = c[["x", "y"]].to_numpy() - seat
    r, bearing = np.hypot(*d.T), np.degrees(np.arctan2(d[:, 0], d[:, 1])) % 360
    lo, hi = truth["c"]["ring_m"]
    assert ((r >= lo) & (r <= hi)).all() and ((bearing > 80) & (bearing < 160)).all()
    assert (_dist(c[["x", "y"]].to_numpy(), truth["c"]) <= truth["c"]["radius_m"]).all()
    monthly = c.occurred_at.dt.strftime("%Y-%m").value_counts().reindex(truth["c"]["monthly"], fill_value=0)
    assert monthly.to_dict() == truth["c"]["monthly"]
    assert monthly.iloc[:6].sum() < 0.03 * len(c) and monthly.iloc[-6:].sum() > 0.4 * len(c)
    assert _mann_kendall_z(monthly.to_numpy()) > 3


def test_d_telecom_fraud_follows_population(county, inc, truth):
    d = _pattern(inc, "d")
    assert 2000 <= len(d) <= 4000 and len(d) == truth["counts"]["d"]
    assert (d.subcategory == "电信诈骗").all() and (inc.subcategory == "电信诈骗").sum() == len(d)
    grids = county["grids"].set_index("grid_id")
    observed = d.grid_id.value_counts().reindex(grids.index, fill_value=0)
    expected = grids.population / grids.population.sum() * len(d)
    assert observed.sum() == len(d)  # all inside grids
    assert stats.chisquare(observed, expected).pvalue > 0.001  # no grid stands out
    assert np.corrcoef(observed, expected)[0, 1] > 0.9


def test_e_plaza_is_cold_and_watched(county, inc, truth):
    e = truth["e"]
    cams = county["cameras"]
    assert (_dist(_xy(cams.geometry.x, cams.geometry.y), e) <= e["radius_m"]).sum() >= 10
    d = _dist(inc[["x", "y"]].to_numpy(), e)
    r = e["radius_m"]
    inside, ring = (d <= r).sum() / r ** 2, ((d > r) & (d <= 3 * r)).sum() / (8 * r ** 2)
    assert inside < 0.3 * ring
    assert not (inc.pattern == "e").any()


def test_f_alley_hotspot_outside_camera_coverage(county, inc, truth):
    f = truth["f"]
    pts = _pattern(inc, "f")
    assert 200 <= len(pts) <= 600 and len(pts) == truth["counts"]["f"]
    xy = pts[["x", "y"]].to_numpy()
    assert (_dist(xy, f) <= f["radius_m"]).all() and f["radius_m"] <= 80
    cams = county["cameras"]
    cxy = _xy(cams.geometry.x, cams.geometry.y)
    assert _dist(cxy, f).min() >= 150
    dx, dy = xy[:, 0, None] - cxy[:, 0], xy[:, 1, None] - cxy[:, 1]
    off = np.abs((np.degrees(np.arctan2(dx, dy)) - cams.heading_deg.to_numpy() + 180) % 360 - 180)
    seen = (np.hypot(dx, dy) <= cams.range_m.to_numpy()) & (off <= cams.fov_deg.to_numpy() / 2)
    assert not seen.any()  # not even by the offline cameras
    roads = county["roads"].to_crs("EPSG:4544")
    centre = gpd.points_from_xy([f["lon"]], [f["lat"]], crs="EPSG:4326").to_crs("EPSG:4544")[0]
    nearest = roads.distance(centre).idxmin()
    assert roads.road_class[nearest] == "alley" and roads.name[nearest] == f["alley"]
    for h in truth["a"]["hotspots"]:
        assert _dist(xy, h).min() > 500
