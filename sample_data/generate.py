"""Synthetic sample county for gisapp: a county seat (城关) and six townships.

The county is invented, but shaped after the county report in
``shared/seed``: markets with pickpocketing, a daytime burglary series in
乐安镇, vehicle theft in the urban fringe towards 忠孝 and 建平, camera blind
spots in back streets, and a grid-management system (网格化) in the seat.
Six patterns (a-f) are planted on top of a population-weighted background;
``truth.json`` and ``README.md`` say exactly where and when.

Everything is built in a local metric frame -- metre offsets east/north of the
seat centre in EPSG:4544 (CGCS2000 3-degree Gauss-Kruger, CM 105E) -- and
converted to EPSG:4326 at the end. All randomness comes from
``numpy.random.default_rng(seed)``, so the same seed gives the same bytes of
CSV.

Usage::

    python sample_data/generate.py                  # rewrite the committed files
    python sample_data/generate.py --big 1000000 --csv /tmp/big.csv --encoding gbk

Importable: :func:`build_county`, :func:`write_outputs`, :func:`write_big_csv`.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon, box

DEFAULT_SEED = 20240101
HERE = Path(__file__).resolve().parent
METRIC_CRS = "EPSG:4544"
CENTRE_LONLAT = (105.09, 31.09)
_TO_METRIC = Transformer.from_crs("EPSG:4326", METRIC_CRS, always_xy=True)
_TO_LONLAT = Transformer.from_crs(METRIC_CRS, "EPSG:4326", always_xy=True)
X0, Y0 = _TO_METRIC.transform(*CENTRE_LONLAT)

START = np.datetime64("2024-01-01T00:00:00", "s")
N_DAYS = 731  # 2024-01-01 .. 2025-12-31 (2024 is a leap year); day 0 is a Monday

# ---------------------------------------------------------------- geography
HALF = 2000  # the seat's street grid spans [-HALF, HALF] in both directions
SEAT = box(-2050, -2050, 2050, 2050)  # seat boundary: street grid plus a kerb
FRINGE_R = (2200.0, 4000.0)  # 城乡结合部: annulus around the centre
#: (offset m, name, class); E-W streets run along y = offset, N-S along x = offset.
EW_STREETS = [(-2000, "南环路", "arterial"), (-1600, "桂花街", "secondary"), (-1200, "南街", "primary"),
              (-800, "建设路", "secondary"), (-400, "文化路", "primary"), (0, "人民路", "arterial"),
              (400, "新华路", "primary"), (800, "和平路", "secondary"), (1200, "北街", "primary"),
              (1600, "青年路", "secondary"), (2000, "北环路", "arterial")]
NS_STREETS = [(-2000, "西环路", "arterial"), (-1600, "滨河路", "secondary"), (-1200, "西街", "primary"),
              (-800, "朝阳路", "secondary"), (-400, "中山路", "primary"), (0, "解放路", "arterial"),
              (400, "府前街", "primary"), (800, "民主路", "secondary"), (1200, "东街", "primary"),
              (1600, "迎宾路", "secondary"), (2000, "东环路", "arterial")]
#: (name, bearing deg clockwise from north, distance m, population). 忠孝乡 and
#: 建平镇 share the east/south-east side so "the fringe towards them" is one sector.
TOWNSHIPS = [("紫河镇", 330, 10000, 18000), ("乐安镇", 215, 12000, 22000), ("西平镇", 270, 8000, 15000),
             ("忠孝乡", 100, 9000, 9000), ("建平镇", 140, 11000, 16000), ("新生镇", 30, 13000, 12000)]
#: (name, area_type, centre, half width, half height) of the rectangular areas.
RECT_AREAS = [("西门市场", "market", (-1110, 200), 90, 70), ("凤凰山市场", "market", (890, 1400), 90, 70),
              ("武昌馆", "business", (-290, -600), 110, 80), ("城关第一中学", "school", (1000, -1000), 90, 70),
              ("城关第二中学", "school", (-600, 1000), 90, 70), ("实验小学", "school", (1400, 600), 70, 60),
              ("城西小学", "school", (-1800, -400), 70, 60)]
PLAZA, PLAZA_CENTRE, PLAZA_R = "县政府广场", (200.0, 200.0), 150.0
HOTSPOTS_A = ["西门市场", "凤凰山市场", "武昌馆"]  # markets plus the 武昌馆 business area
F_CENTRE, F_RADIUS, F_CLEARANCE = (-1400.0, -1000.0), 80.0, 230.0  # clearance >= F_RADIUS + max range
F_ALLEY_BLOCK = (1, 2)  # (column, row) of the block whose N-S alley runs through F_CENTRE
ROUTES = [("R01", "城关所白班市场线", "城关派出所", "白班",
           [(-1200, 400), (-1200, -800), (-400, -800), (-400, 400), (-1200, 400)]),
          ("R02", "城关所夜班中心线", "城关派出所", "夜班",
           [(400, -400), (400, 1200), (800, 1200), (800, 1600), (0, 1600), (0, -400), (400, -400)]),
          ("R03", "城东所白班环线", "城东派出所", "白班",
           [(1200, 1200), (1200, -1200), (2000, -1200), (2000, 1200), (1200, 1200)]),
          ("R04", "城西所夜班环线", "城西派出所", "夜班",
           [(-2000, 1200), (-2000, -2000), (0, -2000), (0, -1200), (-800, -1200), (-800, 1200), (-2000, 1200)])]

# ---------------------------------------------------------------- incidents
#: (category, subcategory, background weight, event phrases for the description)
KINDS = [("盗窃", "扒窃", 5, ("手机被扒", "钱包被扒")), ("盗窃", "入室盗窃", 10, ("家中现金被盗", "家中首饰被盗")),
         ("盗窃", "盗窃电动车", 12, ("电动车被盗", "电瓶被盗")), ("盗窃", "盗窃机动车", 3, ("轿车被盗", "摩托车被盗")),
         ("盗窃", "盗窃车内财物", 6, ("车内财物被盗",)), ("盗窃", "其他盗窃", 10, ("财物被盗", "店内货物被盗")),
         ("诈骗", "电信诈骗", 0, ("接假客服电话", "接假公检法电话")), ("诈骗", "网络诈骗", 6, ("网购", "刷单")),
         ("诈骗", "合同诈骗", 1.5, ("签合同",)), ("抢劫", "抢劫", 2, ("被持刀抢走手机",)),
         ("抢夺", "抢夺", 2.5, ("手机被抢夺", "挎包被抢夺")), ("故意伤害", "故意伤害", 8, ("被人打伤",)),
         ("纠纷", "纠纷", 25, ("与邻居纠纷", "与商户纠纷"))]
KIND = {sub: i for i, (_, sub, _, _) in enumerate(KINDS)}
STATUSES = np.array(["已立案", "侦查中", "已破案", "已结案"], dtype=object)
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐")
GIVEN = list("建秀桂兰俊德新永玉春海云福红利宏佳文志明丽霞荣伟燕梅")
AMOUNTS = np.array([800, 1500, 2600, 3800, 5000, 9800, 16000, 32000])

COLUMNS = ["case_id", "occurred_at", "category", "subcategory", "address", "grid_id", "description",
           "status", "lon", "lat"]
COLUMNS_ZH = ["案件编号", "发案时间", "案件类别", "案件细类", "发案地址", "网格编号", "简要案情", "办理状态", "经度", "纬度"]
#: incident counts at scale 1 (the committed county); (b) is fixed by its chains.
COUNTS = {"background": 30000, "a": (850, 750, 700), "c": 650, "d": 3000, "f": 450}
STREAMS = ["roads", "grids", "cameras", "background", "a", "b", "c", "d", "f", "assemble"]


def _hours(weights: dict[int, float]) -> np.ndarray:
    """Turn ``{hour: weight}`` into a normalised 24-vector (missing hours get 0)."""
    w = np.zeros(24)
    w[list(weights)] = list(weights.values())
    return w / w.sum()


BG_HOURS = _hours(dict(enumerate([2.0, 1.4, 1.1, 0.9, 0.7, 0.7, 1.0, 2.0, 3.4, 4.4, 5.0, 5.2,
                                  4.8, 4.6, 4.8, 5.0, 5.4, 5.8, 6.2, 6.4, 6.0, 5.0, 3.8, 2.8])))
A_HOURS = _hours({6: .4, 7: 1, 8: 5, 9: 7, 10: 7.5, 11: 6, 12: 1.2, 13: .9, 14: .9, 15: 1, 16: 1.1, 17: 1, 18: .7})
C_HOURS = _hours({20: 1, 21: 1.3, 22: 1.6, 23: 1.7, 0: 1.7, 1: 1.5, 2: 1.2, 3: .9, 4: .6})
D_HOURS = _hours({h: 1.0 + 0.5 * (10 <= h <= 19) for h in range(8, 22)})
F_HOURS = _hours({**{h: 0.6 for h in range(10, 17)}, 17: 1, 18: 2, 19: 3, 20: 3.5, 21: 3.5, 22: 2.5, 23: 1.5})
_DAY = np.arange(N_DAYS)
WEEKDAY_W = np.array([1.0, 0.98, 0.98, 1.0, 1.08, 1.15, 1.1])
BG_DAYS = WEEKDAY_W[_DAY % 7] * (1 + 0.12 * np.sin(2 * np.pi * (_DAY - 105) / 365.25))  # summer peak
MARKET_DAY = _DAY % 3 == 0  # the documented rule: (date - 2024-01-01).days % 3 == 0
A_DAYS = np.where(MARKET_DAY, 3.0, 1.0)  # stationary apart from the market-day cycle
C_DAYS = ((_DAY + 0.5) / N_DAYS) ** 3.5  # near zero in early 2024, rising steeply to the end of 2025
B_FIRST_DAY = int((np.datetime64("2025-04-07") - np.datetime64("2024-01-01")).astype(int))
B_LAST_DAY = B_FIRST_DAY + 41  # 2025-05-18


def to_lonlat(x, y):
    """Local offsets (m east/north of the seat centre) to lon/lat arrays."""
    return _TO_LONLAT.transform(np.asarray(x) + X0, np.asarray(y) + Y0)


def to_local(lon, lat):
    """Lon/lat to local metric offsets; the inverse of :func:`to_lonlat`."""
    x, y = _TO_METRIC.transform(np.asarray(lon), np.asarray(lat))
    return x - X0, y - Y0


def _polar(bearing_deg, r):
    """Offset of a point ``r`` m from the centre along a compass bearing."""
    b = np.radians(bearing_deg)
    return r * np.sin(b), r * np.cos(b)


def _to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Shift a local-frame layer to EPSG:4544 and reproject it to EPSG:4326."""
    geoms = shapely.transform(gdf.geometry.values, lambda c: c + [X0, Y0])
    return gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=METRIC_CRS)).to_crs("EPSG:4326")


# ================================================================= layers
def _alleys(rng: np.random.Generator) -> list[tuple[str, str, LineString]]:
    """Back alleys through the middle of about a third of the 400 m blocks.

    The block holding the (f) hotspot always gets its N-S alley, because the
    hotspot has to sit in a back street.
    """
    out = []
    for i in range(len(NS_STREETS) - 1):
        for j in range(len(EW_STREETS) - 1):
            forced = (i, j) == F_ALLEY_BLOCK
            if not forced and rng.random() > 0.35:
                continue
            (x0, xname, _), (y0, yname, _) = NS_STREETS[i], EW_STREETS[j]
            if forced or rng.random() < 0.5:  # N-S alley, named after the street to its west
                out.append((f"{xname}{j + 1}巷", "alley", LineString([(x0 + 200, y0), (x0 + 200, y0 + 400)])))
            else:
                out.append((f"{yname}{i + 1}巷", "alley", LineString([(x0, y0 + 200), (x0 + 400, y0 + 200)])))
    return out


def _township_road(rng: np.random.Generator, bearing: float, dist: float) -> LineString:
    """A road from the seat's edge to a township, with one gentle bend past the fringe."""
    b = np.radians(bearing)
    r_edge = HALF / max(abs(np.sin(b)), abs(np.cos(b)))  # where the bearing leaves the street grid
    start, end = np.array(_polar(bearing, r_edge)), np.array(_polar(bearing, dist))
    normal = np.array([np.cos(b), -np.sin(b)])
    # Bend well beyond the fringe so the fringe stretch of the road stays radial.
    mid = start + 0.55 * (end - start) + normal * rng.uniform(-500, 500)
    return LineString([start, mid, end])


def build_roads(rng: np.random.Generator) -> gpd.GeoDataFrame:
    """Main streets, alleys, township roads and township streets (local frame)."""
    rows = [(n, c, LineString([(-HALF, o), (HALF, o)])) for o, n, c in EW_STREETS]
    rows += [(n, c, LineString([(o, -HALF), (o, HALF)])) for o, n, c in NS_STREETS]
    rows += _alleys(rng)
    for town, bearing, dist, _ in TOWNSHIPS:
        rows.append((f"{town[:2]}公路", "township", _township_road(rng, bearing, dist)))
        cx, cy = _polar(bearing, dist)
        rows.append((f"{town}正街", "secondary", LineString([(cx - 700, cy), (cx + 700, cy)])))
        rows.append((f"{town}新街", "secondary", LineString([(cx, cy - 700), (cx, cy + 700)])))
    name, cls, geom = zip(*rows)
    return gpd.GeoDataFrame({"name": name, "road_class": cls}, geometry=list(geom))


def _blob(rng: np.random.Generator, centre, r_min: float, r_max: float, n: int = 18) -> Polygon:
    """An irregular star-shaped (hence valid) polygon around ``centre``."""
    ang = (np.arange(n) + rng.uniform(-0.3, 0.3, n)) * 2 * np.pi / n
    r = rng.uniform(r_min, r_max, n)
    return Polygon(np.c_[centre[0] + r * np.sin(ang), centre[1] + r * np.cos(ang)])


def build_grids(rng: np.random.Generator) -> gpd.GeoDataFrame:
    """About 60 Voronoi grid cells tiling the seat, plus one polygon per township.

    Seeds are a jittered 8x8 lattice without its four corners, numbered from
    the north-west row by row. Seat population density falls off with the
    distance from the centre.
    """
    step = 4100 / 8
    row, col = np.divmod(np.arange(64), 8)
    keep = ~(np.isin(row, [0, 7]) & np.isin(col, [0, 7]))
    sx = -2050 + (col[keep] + 0.5 + rng.uniform(-0.3, 0.3, keep.sum())) * step
    sy = 2050 - (row[keep] + 0.5 + rng.uniform(-0.3, 0.3, keep.sum())) * step
    cells = shapely.voronoi_polygons(shapely.multipoints(np.c_[sx, sy]), extend_to=SEAT, ordered=True)
    cells = shapely.intersection(shapely.get_parts(cells), SEAT)
    area_km2 = shapely.area(cells) / 1e6
    r = np.hypot(*shapely.get_coordinates(shapely.centroid(cells)).T)
    pop = area_km2 * (1500 + 14000 * np.exp(-r / 1400)) * rng.lognormal(0, 0.25, len(cells))
    towns = [_blob(rng, _polar(b, d), 1600, 2400) for _, b, d, _ in TOWNSHIPS]
    n = len(cells)
    return gpd.GeoDataFrame({
        "grid_id": [f"G{i + 1:03d}" for i in range(n + len(TOWNSHIPS))],
        "name": [f"城关第{i + 1:02d}网格" for i in range(n)] + [f"{t[0]}网格" for t in TOWNSHIPS],
        "population": np.r_[np.round(pop), [t[3] for t in TOWNSHIPS]].astype("int64"),
        "township": ["城关镇"] * n + [t[0] for t in TOWNSHIPS],
    }, geometry=list(cells) + towns)


def build_areas() -> gpd.GeoDataFrame:
    """Markets, the 武昌馆 business area, schools, the plaza and the fringe ring."""
    rows = [(n, t, box(cx - w, cy - h, cx + w, cy + h)) for n, t, (cx, cy), w, h in RECT_AREAS]
    rows.append((PLAZA, "plaza", Point(PLAZA_CENTRE).buffer(PLAZA_R, 16)))
    ring = Point(0, 0).buffer(FRINGE_R[1], 64).difference(Point(0, 0).buffer(FRINGE_R[0], 64))
    rows.append(("城乡结合部", "urban_fringe", ring))
    name, kind, geom = zip(*rows)
    return gpd.GeoDataFrame({"area_id": [f"A{i + 1:02d}" for i in range(len(rows))], "name": name,
                             "area_type": kind}, geometry=list(geom))


def build_routes() -> gpd.GeoDataFrame:
    """Four existing patrol routes along the street grid (R01 and R02 avoid the fringe)."""
    rid, name, unit, shift, path = zip(*ROUTES)
    return gpd.GeoDataFrame({"route_id": rid, "name": name, "unit": unit, "shift": shift},
                            geometry=[LineString(p) for p in path])


def _camera_group(rng, x, y, heading, kind, place) -> pd.DataFrame:
    """Camera rows with field of view and range drawn for their kind."""
    n = len(x)
    kind = np.broadcast_to(np.asarray(kind, dtype=object), n)
    fov = np.select([kind == "dome", kind == "checkpoint"], [360.0, 40.0], rng.uniform(60, 90, n).round())
    rng_m = np.select([kind == "dome", kind == "checkpoint"],
                      [rng.uniform(50, 80, n).round(), 40.0], rng.uniform(60, 120, n).round())
    return pd.DataFrame({"x": x, "y": y, "kind": kind, "heading_deg": np.round(np.mod(heading, 360), 1),
                         "fov_deg": fov, "range_m": rng_m, "place": np.broadcast_to(place, n)})


def _street_cameras(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """天网 cameras on arterial/primary streets, looking along the street.

    Candidates every 100 m; the fringe gets few, and none may come within
    ``F_CLEARANCE`` of the (f) hotspot or inside the plaza (it has its own).
    """
    t = np.arange(-HALF, HALF + 1, 100.0)
    rows = [(o, name, ew) for ew, lst in ((True, EW_STREETS), (False, NS_STREETS))
            for o, name, cls in lst if cls != "secondary"]
    along = np.tile(t, len(rows))
    off = np.repeat([r[0] for r in rows], len(t)).astype(float)
    ew = np.repeat([r[2] for r in rows], len(t))
    side = rng.choice([-8.0, 8.0], len(along))  # cameras stand at the kerb, not mid-road
    x = np.where(ew, along, off + side)
    y = np.where(ew, off + side, along)
    w = np.where(np.hypot(x, y) > FRINGE_R[0], 0.12, 1.0)
    w[np.hypot(x - F_CENTRE[0], y - F_CENTRE[1]) < F_CLEARANCE] = 0
    w[np.hypot(x - PLAZA_CENTRE[0], y - PLAZA_CENTRE[1]) < PLAZA_R] = 0
    pick = rng.choice(len(x), n, replace=False, p=w / w.sum())
    heading = np.where(ew[pick], 90.0, 0.0) + 180 * rng.integers(0, 2, n) + rng.normal(0, 8, n)
    kind = np.where(rng.random(n) < 0.25, "dome", "fixed")
    place = np.repeat([r[1] for r in rows], len(t))[pick]
    return _camera_group(rng, x[pick], y[pick], heading, kind, place)


def _plaza_cameras(rng: np.random.Generator) -> pd.DataFrame:
    """Pattern (e): a dense ring of fixed cameras facing inward plus domes inside."""
    a_fix, a_dome = np.linspace(0, 360, 14, endpoint=False), np.linspace(0, 360, 6, endpoint=False) + 30
    dx, dy = _polar(np.r_[a_fix, a_dome], np.r_[np.full(14, PLAZA_R - 5), np.full(6, 70.0)])
    heading = np.r_[a_fix + 180, a_dome]  # fixed ones look at the centre
    kind = np.r_[np.full(14, "fixed"), np.full(6, "dome")]
    return _camera_group(rng, PLAZA_CENTRE[0] + dx, PLAZA_CENTRE[1] + dy, heading, kind, PLAZA)


def _line_cameras(rng, roads: gpd.GeoDataFrame, frac, kind, heading_offset=0.0) -> pd.DataFrame:
    """Cameras at fractions ``frac`` along each road, heading along it (+ offset)."""
    geoms = np.repeat(roads.geometry.to_numpy(), len(frac))
    s = np.tile(frac, len(roads)) * shapely.length(geoms)
    p, q = shapely.line_interpolate_point(geoms, s), shapely.line_interpolate_point(geoms, s + 1)
    (px, py), (qx, qy) = shapely.get_coordinates(p).T, shapely.get_coordinates(q).T
    heading = np.degrees(np.arctan2(qx - px, qy - py)) + heading_offset
    return _camera_group(rng, px, py, heading, kind, np.repeat(roads["name"].values, len(frac)))


def build_cameras(rng: np.random.Generator, roads: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """About 250 天网 cameras and 14 checkpoints (卡口); ~5 % offline.

    Sparse outside the main streets: six alley cameras away from the (f)
    hotspot, two per township street, and the checkpoints at the seat exits
    and township entrances (heading inbound).
    """
    alleys = roads[roads.road_class == "alley"]
    far = shapely.distance(alleys.geometry.values, Point(F_CENTRE)) > F_CLEARANCE
    alleys = alleys[far].iloc[np.sort(rng.choice(int(far.sum()), 6, replace=False))]
    town_streets = roads[roads.name.str.endswith("正街")]
    troads = roads[roads.road_class == "township"]
    trunk = roads[roads.name == "解放路"]
    groups = [_street_cameras(rng, 210), _plaza_cameras(rng),
              _line_cameras(rng, alleys, [0.5], "fixed"),
              _line_cameras(rng, town_streets, [0.4, 0.6], "dome"),
              _line_cameras(rng, troads, [0.02], "checkpoint", 180),  # at the seat exit, facing the seat
              _line_cameras(rng, troads, [0.96], "checkpoint"),  # at the township entrance, facing it
              _line_cameras(rng, trunk, [0.02], "checkpoint", 180), _line_cameras(rng, trunk, [0.98], "checkpoint")]
    cams = pd.concat(groups, ignore_index=True)
    n = len(cams)
    suffix = np.where(cams.kind == "checkpoint", "卡口", "监控")
    return gpd.GeoDataFrame({
        "camera_id": [f"C{i + 1:04d}" for i in range(n)], "kind": cams.kind.astype(str),
        "heading_deg": cams.heading_deg, "fov_deg": cams.fov_deg, "range_m": cams.range_m,
        "status": np.where(rng.random(n) < 0.05, "offline", "online"),
        "name": [f"{p}{s}{i + 1:03d}" for i, (p, s) in enumerate(zip(cams.place, suffix))],
    }, geometry=shapely.points(cams.x, cams.y))


def covered(cameras: gpd.GeoDataFrame, x: np.ndarray, y: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """Whether each local point lies in some camera's sector (fixed) or disc (dome).

    Parameters
    ----------
    cameras : GeoDataFrame
        Cameras in the local frame with ``heading_deg``, ``fov_deg``, ``range_m``.
    x, y : ndarray
        Local coordinates of the points.
    """
    cx, cy = shapely.get_coordinates(cameras.geometry.values).T
    head, half, reach = (cameras[c].to_numpy(float) for c in ("heading_deg", "fov_deg", "range_m"))
    half = half / 2
    out = np.zeros(len(x), bool)
    for i in range(0, len(x), chunk):  # chunks keep the points x cameras matrices small
        dx, dy = x[i:i + chunk, None] - cx, y[i:i + chunk, None] - cy
        off = np.abs((np.degrees(np.arctan2(dx, dy)) - head + 180) % 360 - 180)
        out[i:i + chunk] = ((np.hypot(dx, dy) <= reach) & (off <= half)).any(axis=1)
    return out


# ================================================================= incidents
def _sample_times(rng, n: int, day_w: np.ndarray, hour_w: np.ndarray) -> np.ndarray:
    """Draw ``n`` datetime64[s] values from day and hour-of-day weight profiles."""
    day = rng.choice(N_DAYS, n, p=day_w / day_w.sum())
    sec = day * 86400 + rng.choice(24, n, p=hour_w) * 3600 + rng.integers(0, 3600, n)
    return START + sec.astype("timedelta64[s]")


def _in_polygons(rng, polygons, counts) -> tuple[np.ndarray, np.ndarray]:
    """Uniform points inside each polygon (``counts[i]`` in ``polygons[i]``), by rejection."""
    xs, ys = [], []
    for poly, k in zip(polygons, counts):
        x0, y0, x1, y1 = poly.bounds
        need, px, py = int(k), [], []
        while need > 0:  # oversample by the bbox/polygon area ratio, retry for the rest
            m = int(need * (x1 - x0) * (y1 - y0) / poly.area * 1.2) + 16
            cx, cy = rng.uniform(x0, x1, m), rng.uniform(y0, y1, m)
            ok = shapely.contains_xy(poly, cx, cy)
            px.append(cx[ok][:need]), py.append(cy[ok][:need])
            need -= len(px[-1])
        xs += px
        ys += py
    return np.concatenate(xs or [[]]), np.concatenate(ys or [[]])


def _along(rng, lines, s_lo, s_hi, lateral_sd: float, lateral_max: float):
    """Points at uniform distance along ``lines`` (one line per point), offset sideways."""
    s = rng.uniform(s_lo, s_hi)
    p, q = shapely.line_interpolate_point(lines, s), shapely.line_interpolate_point(lines, s + 1.0)
    (px, py), (qx, qy) = shapely.get_coordinates(p).T, shapely.get_coordinates(q).T
    off = np.clip(rng.normal(0, lateral_sd, len(px)), -lateral_max, lateral_max)
    return px + (py - qy) * off, py + (qx - px) * off  # (qx-px, qy-py) is a unit tangent


def _disc(rng, centre, n: int, sigma: float, radius: float):
    """A circular normal cluster truncated at ``radius`` (inverse-CDF Rayleigh radius)."""
    u = rng.random(n) * (1 - np.exp(-radius ** 2 / (2 * sigma ** 2)))
    r, a = sigma * np.sqrt(-2 * np.log1p(-u)), rng.uniform(0, 2 * np.pi, n)
    return centre[0] + r * np.sin(a), centre[1] + r * np.cos(a)


def _part(x, y, t, kind, pattern: str, chain=None) -> dict:
    """One block of incidents; ``kind`` indexes :data:`KINDS`."""
    n = len(x)
    return {"x": np.asarray(x, float), "y": np.asarray(y, float), "t": t,
            "kind": np.broadcast_to(kind, n).astype(int), "pattern": np.full(n, pattern, dtype=object),
            "chain": np.full(n, -1) if chain is None else np.asarray(chain)}


def _background(rng, grids: gpd.GeoDataFrame, roads: gpd.GeoDataFrame, n: int) -> dict:
    """Population-weighted background: 93 % in grids, 4 % in the fringe, 3 % on rural roads.

    The seat weighs 1.6x per resident (more opportunity). Most background in
    the plaza is dropped: cameras and foot patrols keep it cold (pattern e).
    """
    n_fringe, n_rural = int(n * 0.04), int(n * 0.03)
    w = grids.population.to_numpy(float) * np.where(grids.township == "城关镇", 1.6, 1.0)
    gx, gy = _in_polygons(rng, grids.geometry.values, rng.multinomial(n - n_fringe - n_rural, w / w.sum()))
    r = np.sqrt(rng.uniform(FRINGE_R[0] ** 2, FRINGE_R[1] ** 2, n_fringe))
    fx, fy = _polar(rng.uniform(0, 360, n_fringe), r)
    lines = roads[roads.road_class == "township"].geometry.to_numpy()[rng.integers(0, len(TOWNSHIPS), n_rural)]
    rx, ry = _along(rng, lines, 0, shapely.length(lines), 40, 150)
    x, y = np.r_[gx, fx, rx], np.r_[gy, fy, ry]
    keep = (np.hypot(x - PLAZA_CENTRE[0], y - PLAZA_CENTRE[1]) > PLAZA_R) | (rng.random(len(x)) < 0.1)
    x, y = x[keep], y[keep]
    weights = np.array([k[2] for k in KINDS], float)
    kind = rng.choice(len(KINDS), len(x), p=weights / weights.sum())
    return _part(x, y, _sample_times(rng, len(x), BG_DAYS, BG_HOURS), kind, "")


def _pattern_a(rng, counts) -> dict:
    """(a) Pickpocketing at the markets and 武昌馆: 3x on market days, peak 08-12."""
    centres = {n: c for n, _, c, _, _ in RECT_AREAS}
    xy = [_disc(rng, centres[name], k, 60.0, 115.0) for name, k in zip(HOTSPOTS_A, counts)]
    x, y = np.concatenate([p[0] for p in xy]), np.concatenate([p[1] for p in xy])
    return _part(x, y, _sample_times(rng, len(x), A_DAYS, A_HOURS), KIND["扒窃"], "a")


def _pattern_b(rng, grids: gpd.GeoDataFrame, n_chains: int = 4) -> dict:
    """(b) Daytime burglary chains in 乐安镇, 2025-04-07 .. 2025-05-18.

    Each chain is a sequence of 8-11 burglaries, consecutive ones at most 3
    days (plus a few hours) apart, staggered across the window; every
    event links to a random earlier event of its chain that is < 7 days before
    it, 30-180 m away. A plain loop, since each event depends on the previous
    ones (about 40 events).
    """
    town = grids.loc[grids.township == "乐安镇"].iloc[0]
    cx, cy = shapely.get_coordinates(town.geometry.centroid)[0]
    xs, ys, ts, chain = [], [], [], []
    rot = rng.uniform(0, 90)
    for c in range(n_chains):
        k = int(rng.integers(8, 12))
        offsets = np.r_[0, np.cumsum(rng.integers(0, 4, k - 1))]  # spans at most 30 days
        slack = B_LAST_DAY - B_FIRST_DAY - offsets[-1]  # latest start that still fits the window
        # stratified start (chain c in the c-th quarter of its slack) so the series spans the six weeks
        days = B_FIRST_DAY + int(rng.uniform(c, c + 1) / n_chains * (slack + 1)) + offsets
        t = np.sort(days * 86400 + rng.integers(9 * 3600, 17 * 3600, k))  # 09:00-16:59:59
        ox, oy = _polar(rot + 90 * c, 450.0)
        px, py = [cx + ox], [cy + oy]
        for i in range(1, k):
            parents = np.flatnonzero(t[i] - t[:i] < 7 * 86400)
            j = rng.choice(parents)
            dx, dy = _polar(rng.uniform(0, 360), rng.uniform(30, 180))
            if np.hypot(px[j] + dx - cx, py[j] + dy - cy) > 1100:  # stay in the town's built-up part
                dx, dy = -dx, -dy
            px.append(px[j] + dx), py.append(py[j] + dy)
        xs += px
        ys += py
        ts.append(t)
        chain += [c] * k
    t = START + np.concatenate(ts).astype("timedelta64[s]")
    return _part(xs, ys, t, KIND["入室盗窃"], "b", chain)


def _fringe_arms(roads: gpd.GeoDataFrame):
    """The roads to 忠孝乡 and 建平镇 and the stretch of each inside the fringe (s range)."""
    arms = roads[roads.name.isin(["忠孝公路", "建平公路"])].geometry.to_numpy()
    r0 = np.hypot(*shapely.get_coordinates(shapely.get_point(arms, 0)).T)
    return arms, np.maximum(0.0, 2350 - r0), 3650 - r0


def _pattern_c(rng, roads: gpd.GeoDataFrame, n: int) -> dict:
    """(c) Night vehicle / e-bike theft along the fringe stretch of the roads to 忠孝 and 建平, rising."""
    arms, lo, hi = _fringe_arms(roads)
    which = rng.integers(0, 2, n)
    x, y = _along(rng, arms[which], lo[which], hi[which], 90, 200)
    kind = np.where(rng.random(n) < 0.7, KIND["盗窃电动车"], KIND["盗窃机动车"])
    return _part(x, y, _sample_times(rng, n, C_DAYS, C_HOURS), kind, "c")


def _pattern_d(rng, grids: gpd.GeoDataFrame, n: int) -> dict:
    """(d) Telecom fraud: proportional to grid population, uniform within each grid (a control)."""
    p = grids.population.to_numpy(float)
    x, y = _in_polygons(rng, grids.geometry.values, rng.multinomial(n, p / p.sum()))
    return _part(x, y, _sample_times(rng, n, WEEKDAY_W[_DAY % 7], D_HOURS), KIND["电信诈骗"], "d")


def _pattern_f(rng, n: int) -> dict:
    """(f) Evening thefts and snatching along a back alley, outside all camera coverage."""
    x = F_CENTRE[0] + np.clip(rng.normal(0, 8, n), -15, 15)
    y = F_CENTRE[1] + rng.uniform(-70, 70, n)  # so every point is within 72 m of the centre
    kind = rng.choice([KIND["抢夺"], KIND["扒窃"], KIND["其他盗窃"], KIND["盗窃车内财物"]], n, p=[.4, .2, .25, .15])
    return _part(x, y, _sample_times(rng, n, np.ones(N_DAYS), F_HOURS), kind, "f")


def _strs(values) -> pd.Series:
    """Wrap values as a pandas string Series, for fast vectorised concatenation."""
    return pd.Series(np.asarray(values, dtype=object)).astype("str")


def _descriptions(rng, kind: np.ndarray) -> pd.Series:
    """``报警人<fake name>(<fake phone>)称<event>。`` -- names and phones to test privacy stripping."""
    n = len(kind)
    phrases = np.array([p for k in KINDS for p in k[3]], dtype=object)
    n_var = np.array([len(k[3]) for k in KINDS])
    first = np.cumsum(n_var) - n_var  # where each kind's phrases start in ``phrases``
    event = phrases[first[kind] + (rng.random(n) * n_var[kind]).astype(int)]
    name = (_strs(np.array(SURNAMES, object)[rng.integers(0, len(SURNAMES), n)])
            + _strs(np.array(GIVEN, object)[rng.integers(0, len(GIVEN), n)])
            + _strs(np.array(GIVEN, object)[rng.integers(0, len(GIVEN), n)]))
    # 0000 in the middle marks the numbers as made up; they still match 1[3-9]\d{9}.
    phone = rng.choice([138, 139, 150, 186, 177], n) * 10 ** 8 + rng.integers(0, 10000, n)
    fraud = np.array([k[0] == "诈骗" for k in KINDS])[kind]
    loss = np.where(fraud, "被骗" + _strs(AMOUNTS[rng.integers(0, len(AMOUNTS), n)]) + "元", "")
    return "报警人" + name + "(" + _strs(phone) + ")称" + _strs(event) + _strs(loss) + "。"


def _status(rng, t: np.ndarray, kind: np.ndarray) -> np.ndarray:
    """Case status: older cases are more often solved/closed; disputes are mostly closed."""
    f = (t - START).astype(float) / (N_DAYS * 86400)  # 0 = oldest, 1 = newest
    c1, c2, c3 = 0.05 + 0.25 * f, 0.20 + 0.65 * f, 0.45 + 0.45 * f  # cumulative thresholds
    dispute = kind == KIND["纠纷"]
    c1, c2, c3 = (np.where(dispute, 0.15, c) for c in (c1, c2, c3))
    u = rng.random(len(t))
    return STATUSES[(u >= c1).astype(int) + (u >= c2) + (u >= c3)]


def _locate(x, y, grids: gpd.GeoDataFrame, roads: gpd.GeoDataFrame):
    """Grid id (None outside all grids), nearest road index and distance along that road.

    A function of its own so the point geometries (~200 MB at 1e6 rows) are
    freed before the text columns are built.
    """
    pts = shapely.points(x, y)
    hit = shapely.STRtree(grids.geometry.values).query(pts, predicate="within")
    grid_id = np.full(len(pts), None, dtype=object)
    grid_id[hit[0]] = grids.grid_id.to_numpy(object)[hit[1]]
    near = shapely.STRtree(roads.geometry.values).query_nearest(pts, all_matches=False)[1]
    return grid_id, near, shapely.line_locate_point(roads.geometry.values[near], pts)


def _assemble(rng, parts: list[dict], grids, roads, n_max: int | None = None, plates=None) -> pd.DataFrame:
    """Concatenate incident blocks, sort by time and derive ids, grid, address, text, status.

    Returns a DataFrame with the canonical columns, ``pattern`` (None for
    background), local ``x``/``y``, ``chain`` (pattern b chain, else -1) and
    ``plate`` (the door plate of ``address``, an index into ``plates``).
    """
    cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
    if n_max is not None and n_max < len(cols["x"]):  # --big: a random subset of exactly n rows
        sub = np.sort(rng.choice(len(cols["x"]), n_max, replace=False))
        cols = {k: v[sub] for k, v in cols.items()}
    order = np.argsort(cols["t"], kind="stable")
    c = {k: v[order] for k, v in cols.items()}
    n, kind, t = len(order), c["kind"], c["t"]
    # Publish 6-decimal lon/lat (~0.1 m) and derive everything else from those
    # rounded points, so that grid_id agrees with a point-in-polygon on the files.
    lon, lat = (v.round(6) for v in to_lonlat(c["x"], c["y"]))
    c["x"], c["y"] = to_local(lon, lat)
    year = t.astype("datetime64[Y]").astype(int) + 1970
    seq = np.arange(n) - np.searchsorted(year, year) + 1  # numbered within each year
    grid_id, near, along = _locate(c["x"], c["y"], grids, roads)
    rng.integers(0, 2, n)  # the draw that once chose the side of the street; kept so the later columns stay as they were
    plate = nearest_plates(plates, roads, c["x"], c["y"], near, along)
    return pd.DataFrame({
        "case_id": "A" + _strs(year) + _strs(seq).str.zfill(6),
        "occurred_at": t,
        "category": np.array([k[0] for k in KINDS], object)[kind],
        "subcategory": np.array([k[1] for k in KINDS], object)[kind],
        "address": _strs(plates.road.to_numpy(object)[plate]) + _strs(plates.number.to_numpy()[plate]) + "号",
        "grid_id": pd.Series(grid_id, dtype="str"),
        "description": _descriptions(rng, kind),
        "status": _status(rng, t, kind),
        "lon": lon, "lat": lat,
        "pattern": pd.Series(np.where(c["pattern"] == "", None, c["pattern"]), dtype="str"),
        "x": c["x"], "y": c["y"], "chain": c["chain"], "plate": plate,
    })


def _incidents(seed: int, scale: float, geo: dict, n_max: int | None = None) -> pd.DataFrame:
    """All incident blocks at ``scale`` times the committed counts, assembled."""
    rngs = dict(zip(STREAMS, np.random.default_rng(seed).spawn(len(STREAMS))))
    grids, roads = geo["grids"], geo["roads"]

    def k(v: float) -> int:
        return max(1, int(round(v * scale)))

    parts = [_background(rngs["background"], grids, roads, k(COUNTS["background"])),
             _pattern_a(rngs["a"], [k(v) for v in COUNTS["a"]]), _pattern_b(rngs["b"], grids),
             _pattern_c(rngs["c"], roads, k(COUNTS["c"])), _pattern_d(rngs["d"], grids, k(COUNTS["d"])),
             _pattern_f(rngs["f"], k(COUNTS["f"]))]
    return _assemble(rngs["assemble"], parts, grids, roads, n_max, geo["addresses"])


def _geography(seed: int) -> dict[str, gpd.GeoDataFrame]:
    """Every non-incident layer, in the local frame."""
    rngs = dict(zip(STREAMS, np.random.default_rng(seed).spawn(len(STREAMS))))
    roads = build_roads(rngs["roads"])
    grids = build_grids(rngs["grids"])
    return {"grids": grids, "areas": build_areas(), "cameras": build_cameras(rngs["cameras"], roads),
            "routes": build_routes(), "roads": roads, "addresses": build_plates(seed, roads, grids)}


def _verify(geo: dict, inc: pd.DataFrame) -> None:
    """Fail loudly if a planted pattern does not hold what README.md promises."""
    f = inc[inc.pattern == "f"]
    cams = geo["cameras"]
    if covered(cams, f.x.to_numpy(), f.y.to_numpy()).any():
        raise RuntimeError("a pattern (f) incident is inside a camera's coverage")
    if shapely.distance(cams.geometry.values, Point(F_CENTRE)).min() < 150:
        raise RuntimeError("a camera stands within 150 m of the (f) hotspot")
    b = inc[inc.pattern == "b"]
    days = (b.occurred_at - START).dt.days
    if not (days.between(B_FIRST_DAY, B_LAST_DAY).all() and b.occurred_at.dt.hour.between(9, 16).all()):
        raise RuntimeError("a pattern (b) event falls outside 2025-04-07..2025-05-18, 09:00-17:00")
    for _, g in b.groupby("chain"):
        xy, t = g[["x", "y"]].to_numpy(), g.occurred_at.to_numpy()
        for i in range(1, len(g)):
            near = (np.hypot(*(xy[:i] - xy[i]).T) <= 200) & (t[i] - t[:i] <= np.timedelta64(7, "D"))
            if not near.any():
                raise RuntimeError("a pattern (b) event has no earlier chain event within 200 m / 7 days")


def _build(seed: int) -> tuple[dict, pd.DataFrame]:
    """The committed county in the local frame: (geography layers, incidents table)."""
    geo = _geography(seed)
    inc = _incidents(seed, 1.0, geo)
    _verify(geo, inc)
    return geo, inc


def build_county(seed: int = DEFAULT_SEED) -> dict[str, gpd.GeoDataFrame]:
    """Build the sample county: layers ``incidents, grids, areas, cameras, routes, roads, addresses`` in EPSG:4326."""
    geo, inc = _build(seed)
    return _layers(geo, inc)


def _layers(geo: dict, inc: pd.DataFrame) -> dict[str, gpd.GeoDataFrame]:
    """Convert the local-frame build to EPSG:4326 layers, incidents first."""
    cols = COLUMNS[:8] + ["pattern"]
    incidents = gpd.GeoDataFrame(inc[cols], geometry=gpd.points_from_xy(inc.lon, inc.lat), crs="EPSG:4326")
    return {"incidents": incidents, **{k: _to_wgs84(addresses_layer(v) if k == "addresses" else v) for k, v in geo.items()}}


# ================================================================= truth
def _place(x, y, cx=None, cy=None, step: float = 10.0) -> dict:
    """``{lon, lat, radius_m}``: a centre (default: the mean) and the radius enclosing all points."""
    cx = float(np.mean(x)) if cx is None else cx
    cy = float(np.mean(y)) if cy is None else cy
    lon, lat = to_lonlat(cx, cy)
    radius = np.ceil(np.hypot(np.asarray(x) - cx, np.asarray(y) - cy).max() / step) * step
    return {"lon": round(float(lon), 6), "lat": round(float(lat), 6), "radius_m": float(radius)}


def _monthly(t: pd.Series) -> dict[str, int]:
    """Counts per calendar month, every month of the period listed."""
    months = pd.period_range("2024-01", "2025-12", freq="M").astype(str)
    return {m: int(v) for m, v in t.dt.strftime("%Y-%m").value_counts().reindex(months, fill_value=0).items()}


def build_truth(geo: dict, inc: pd.DataFrame, seed: int = DEFAULT_SEED) -> dict:
    """The machine-readable description of the planted patterns (``truth.json``).

    Centres are the designed ones where a pattern has one (a, e, f), else
    the mean of its incidents; ``radius_m`` encloses every incident of it.
    """
    by = {p: inc[inc.pattern == p] for p in "abcdf"}
    a, b, c, f = by["a"], by["b"], by["c"], by["f"]
    day = (a.occurred_at - START).dt.days
    on = day % 3 == 0
    centres = {n: cen for n, _, cen, _, _ in RECT_AREAS}
    cams = geo["cameras"]
    cam_d = shapely.distance(cams.geometry.values, Point(PLAZA_CENTRE))
    d_plaza = np.hypot(inc.x - PLAZA_CENTRE[0], inc.y - PLAZA_CENTRE[1])
    inside, ring = (d_plaza <= PLAZA_R).sum(), ((d_plaza > PLAZA_R) & (d_plaza <= 3 * PLAZA_R)).sum()
    arms = _fringe_arms(geo["roads"])[0]
    arm = shapely.distance(arms[:, None], shapely.points(c[["x", "y"]].to_numpy())[None]).argmin(axis=0)
    return {
        "seed": seed, "crs": "EPSG:4326", "metric_crs": METRIC_CRS,
        "seat_centre": {"lon": CENTRE_LONLAT[0], "lat": CENTRE_LONLAT[1]},
        "period": ["2024-01-01 00:00:00", "2025-12-31 23:59:59"],
        "counts": {"total": len(inc), "background": int(inc.pattern.isna().sum()),
                   **{p: len(v) for p, v in by.items()}, "e": 0},
        "a": {"what": "扒窃 hotspots, stationary; 3x on market days; peak 08:00-12:00",
              "category": "盗窃", "subcategory": "扒窃", "market_day_rule": "(date - 2024-01-01).days % 3 == 0",
              "hours_peak": "08:00-12:00", "design_market_day_ratio": 3.0,
              "observed_market_day_ratio": round(float(on.sum() / 244 / ((~on).sum() / 487)), 3),
              "share_08_12": round(float(a.occurred_at.dt.hour.between(8, 11).mean()), 3),
              "hotspots": [{"name": n, **_place(*_near(a, centres[n], 200), *centres[n]),
                            "count": int(len(_near(a, centres[n], 200)[0]))} for n in HOTSPOTS_A]},
        "b": {"what": "daytime 入室盗窃 near-repeat series in 乐安镇", "category": "盗窃", "subcategory": "入室盗窃",
              "township": "乐安镇", **_place(b.x, b.y), "from": "2025-04-07", "to": "2025-05-18",
              "hours": "09:00-17:00", "link_m": 200, "link_days": 7,
              "offender_anchor": _series_anchor(geo["grids"]),
              "chains": [g.case_id.tolist() for _, g in b.groupby("chain")]},
        "c": {"what": "night 盗窃电动车/盗窃机动车 in the fringe towards 忠孝乡 and 建平镇, rising monthly",
              "category": "盗窃", "subcategories": ["盗窃电动车", "盗窃机动车"], **_place(c.x, c.y, step=50),
              "hours": "20:00-05:00", "ring_m": list(FRINGE_R),
              "arms": [{"towards": t, **_place(c.x[arm == i], c.y[arm == i], step=50)}
                       for i, t in enumerate(["忠孝乡", "建平镇"])],
              "monthly": _monthly(c.occurred_at)},
        "d": {"what": "电信诈骗 control: proportional to grid population, uniform within grids",
              "category": "诈骗", "subcategory": "电信诈骗", **_place(by["d"].x, by["d"].y, 0.0, 0.0, 100)},
        "e": {"what": "well-watched cold area", "name": PLAZA,
              **_place([PLAZA_CENTRE[0] + PLAZA_R], [PLAZA_CENTRE[1]], *PLAZA_CENTRE),
              "cameras_within_radius": int((cam_d <= PLAZA_R).sum()), "incidents_inside": int(inside),
              "density_ratio_inside_vs_ring_to_3r": round(float(inside / ring * 8), 3)},
        "f": {"what": "evening 抢夺/盗窃 in a back alley outside every camera's coverage",
              "alley": geo["roads"].name.values[shapely.STRtree(geo["roads"].geometry.values).query_nearest(
                  Point(F_CENTRE))[0]], **_place(f.x, f.y, *F_CENTRE), "hours_peak": "17:00-24:00",
              "nearest_camera_m": round(float(shapely.distance(cams.geometry.values, Point(F_CENTRE)).min()), 1),
              "subcategories": sorted(f.subcategory.unique().tolist())},
    }


def _series_anchor(grids: gpd.GeoDataFrame) -> dict:
    """The (b) series' offender anchor: the centre of 乐安镇's built-up part, where the burglar lives.

    :func:`_pattern_b` starts the four chains 450 m from that centre in four
    directions (90 degrees apart), so the offender works outwards from home,
    beyond a buffer around it: the journey-to-crime pattern geographic
    profiling assumes (``gisapp profile``).
    """
    town = grids.loc[grids.township == "乐安镇"].iloc[0]
    cx, cy = shapely.get_coordinates(town.geometry.centroid)[0]
    lon, lat = to_lonlat(cx, cy)
    return {"lon": round(float(lon), 6), "lat": round(float(lat), 6), "what": "offender's home (the town centre the chains start around)"}


def _near(rows: pd.DataFrame, centre, radius: float):
    """Local x, y of the rows within ``radius`` of ``centre``."""
    m = np.hypot(rows.x - centre[0], rows.y - centre[1]) <= radius
    return rows.x[m].to_numpy(), rows.y[m].to_numpy()


# ================================================================= standard addresses (issue 14)
#: Gap between neighbouring door plates on one side (m, drawn uniformly), and how far they stand off the centre line.
PLATE_GAP = {"arterial": (14.0, 26.0), "primary": (14.0, 26.0), "secondary": (14.0, 26.0), "alley": (10.0, 18.0),
             "township": (45.0, 80.0)}
PLATE_SETBACK = {"alley": 5.0, "township": 14.0}
DEFAULT_SETBACK = 12.0
#: Share of door plates missing from the published address layer (a real 标准地址 table is never complete).
UNLISTED_SHARE = 0.1
#: Share of listed plates in the seat that also get building entries (X号楼) behind them.
BUILDING_SHARE = 0.03
ADDRESS_STREAM = 14  # the issue number: a random stream of its own, so no other component's draws change
ADDRESS_ONLY_CSV = "incidents_address_only.csv"
ADDRESS_ONLY_ROWS = 2400
PROVINCE, COUNTY = "四川省", "青山县"
#: Homophone typos of road names (same pinyin, another character), as a pinyin input method makes them.
TYPOS = {"人民路": "人名路", "解放路": "解方路", "朝阳路": "朝杨路", "滨河路": "滨和路", "文化路": "文华路", "和平路": "合平路",
         "青年路": "青念路", "建设路": "建社路", "新华路": "新化路", "民主路": "民住路", "府前街": "府钱街", "迎宾路": "迎滨路",
         "桂花街": "桂华街", "中山路": "中删路", "东环路": "东还路", "西环路": "西还路"}
#: Addresses of roads that do not exist in the county (must stay unmatched).
NONEXISTENT = ["幸福路12号", "光明大道8号", "人民东路3号", "城南西街5号", "解放北路7号", "长江路21号", "黄河街2号", "青山路9号",
               "建国路18号", "西街12巷4号", "新民路6号", "红旗路33号", "胜利街15号", "南湖路2号附近", "金山大道101号"]
#: How a plate's address is written in the address-only file, and how often.
SPELLINGS = {"plain": 30, "township": 9, "county": 5, "fullwidth": 6, "chinese": 6, "traditional": 3, "spaces": 3,
             "qualifier": 12, "detail": 6, "sub": 4, "typo": 5, "filler": 3}
QUALIFIERS = ("附近", "门口", "对面", "旁边", "东侧20米", "路边", "旁", "西侧", "北面50米处")
DETAILS = ("3单元502室", "2楼", "1单元101", "门面", "4单元6楼")


def _town_of_road(roads: gpd.GeoDataFrame) -> list[str]:
    """The township a road's rural stretch belongs to (township roads and streets), '' for the seat's streets."""
    towns = {t[0][:2]: t[0] for t in TOWNSHIPS}
    out = []
    for name in roads.name:
        town = next((full for full in towns.values() if name.startswith(full)), "")
        out.append(town or (towns.get(name[:2], "") if name.endswith("公路") else ""))
    return out


def build_plates(seed: int, roads: gpd.GeoDataFrame, grids: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Every door plate of the county (local frame), the unlisted ones included.

    Along each named road, plates stand on both sides at irregular gaps
    (:data:`PLATE_GAP`), :data:`PLATE_SETBACK` off the centre line: odd numbers
    on the left of the road's direction, even on the right, increasing from the
    road's start (1, 3, 5, ... and 2, 4, 6, ...). A plate takes the township
    polygon it stands in (城关镇 in the seat, else its road's township).
    ``listed`` is False for the :data:`UNLISTED_SHARE` left out of the published
    ``addresses`` layer, so that matching has numbers to interpolate.
    """
    rng = np.random.default_rng((seed, ADDRESS_STREAM))
    town_of_road = _town_of_road(roads)
    rows = {k: [] for k in ("road_index", "road", "number", "along", "side", "x", "y")}
    for i, (name, cls, line) in enumerate(zip(roads.name, roads.road_class, roads.geometry)):
        lo, hi = PLATE_GAP.get(cls, PLATE_GAP["secondary"])
        setback = PLATE_SETBACK.get(cls, DEFAULT_SETBACK)
        for side in (1, -1):  # left (odd), right (even)
            gaps = rng.uniform(lo, hi, int(line.length / lo) + 2)
            along = rng.uniform(3, 10) + np.r_[0, np.cumsum(gaps)]
            along = along[along < line.length - 3]
            at = shapely.get_coordinates(shapely.line_interpolate_point(line, along))
            ahead = shapely.get_coordinates(shapely.line_interpolate_point(line, np.minimum(along + 1, line.length)))
            tangent = (ahead - at) / np.hypot(*(ahead - at).T)[:, None]
            offset = side * (setback + rng.uniform(-2, 2, len(along)))
            k = np.arange(len(along))
            rows["road_index"] += [i] * len(along)
            rows["road"] += [name] * len(along)
            rows["number"] += list(2 * k + (1 if side == 1 else 2))
            rows["along"] += list(along)
            rows["side"] += [side] * len(along)
            rows["x"] += list(at[:, 0] - tangent[:, 1] * offset)
            rows["y"] += list(at[:, 1] + tangent[:, 0] * offset)
    plates = gpd.GeoDataFrame({k: v for k, v in rows.items() if k not in ("x", "y")},
                              geometry=shapely.points(rows["x"], rows["y"]))
    plates["township"] = _plate_townships(plates, grids, town_of_road)
    plates["listed"] = rng.random(len(plates)) >= UNLISTED_SHARE
    return plates


def _plate_townships(plates: gpd.GeoDataFrame, grids: gpd.GeoDataFrame, town_of_road: list[str]) -> np.ndarray:
    town = np.asarray(town_of_road, dtype=object)[plates.road_index.to_numpy()]
    inside = shapely.STRtree(grids.geometry.values).query(plates.geometry.values, predicate="within")
    town[inside[0]] = grids.township.to_numpy(object)[inside[1]]
    in_seat = shapely.contains_xy(SEAT, *shapely.get_coordinates(plates.geometry.values).T)
    town[in_seat] = "城关镇"
    return town.astype(str)


def nearest_plates(plates: gpd.GeoDataFrame, roads: gpd.GeoDataFrame, x, y, near, along) -> np.ndarray:
    """For each point, the plate on its road and side of the road nearest along the road (index into ``plates``)."""
    geoms = roads.geometry.values[near]
    at = shapely.get_coordinates(shapely.line_interpolate_point(geoms, along))
    ahead = shapely.get_coordinates(shapely.line_interpolate_point(geoms, along + 1.0))
    behind = shapely.get_coordinates(shapely.line_interpolate_point(geoms, np.maximum(along - 1.0, 0)))
    tangent = ahead - behind
    side = np.where(tangent[:, 0] * (np.asarray(y) - at[:, 1]) - tangent[:, 1] * (np.asarray(x) - at[:, 0]) >= 0, 1, -1)
    out = np.zeros(len(near), dtype=np.int64)
    group = plates.road_index.to_numpy() * 2 + (plates.side.to_numpy() == 1)
    order = np.lexsort((plates.along.to_numpy(), group))
    sorted_group, sorted_along = group[order], plates.along.to_numpy()[order]
    wanted = np.asarray(near) * 2 + (side == 1)
    for g in np.unique(wanted):
        lo, hi = np.searchsorted(sorted_group, [g, g + 1])
        if hi == lo:  # no plate on that side: take the other side
            lo, hi = np.searchsorted(sorted_group, [g ^ 1, (g ^ 1) + 1])
        members = wanted == g
        pos = np.clip(np.searchsorted(sorted_along[lo:hi], along[members]), 1, max(1, hi - lo - 1))
        left, right = sorted_along[lo:hi][pos - 1], sorted_along[lo:hi][np.minimum(pos, hi - lo - 1)]
        pick = np.where(np.abs(along[members] - left) <= np.abs(right - along[members]), pos - 1, np.minimum(pos, hi - lo - 1))
        out[members] = order[lo:hi][pick]
    return out


def _full_address(township: str, road: str, number) -> str:
    return f"{'' if road.startswith(township) else township}{road}{number}号"


def addresses_layer(plates: gpd.GeoDataFrame, seed: int = DEFAULT_SEED) -> gpd.GeoDataFrame:
    """The published standard-address layer (local frame): listed plates, plus building entries behind a few.

    Columns: ``address`` (township + road + number), ``road``, ``house_number``
    (``12号``), ``building`` (``2栋`` or empty), ``township``.
    """
    rng = np.random.default_rng((seed, ADDRESS_STREAM, 1))
    listed = plates[plates.listed].reset_index(drop=True)
    numbers = listed.number.astype(str) + "号"
    out = gpd.GeoDataFrame({
        "address": [_full_address(t, r, n) for t, r, n in zip(listed.township, listed.road, listed.number)],
        "road": listed.road.to_numpy(object), "house_number": numbers.to_numpy(object),
        "building": np.full(len(listed), "", dtype=object), "township": listed.township.to_numpy(object),
    }, geometry=listed.geometry.values)
    pick = np.flatnonzero((listed.township == "城关镇").to_numpy() & (rng.random(len(listed)) < BUILDING_SHARE))
    extra = []
    for i in pick:
        row = listed.iloc[i]
        x, y = row.geometry.x, row.geometry.y
        push = row.side * 20.0  # buildings stand further back from the street, on the plate's side
        for b in range(1, int(rng.integers(2, 4)) + 1):
            extra.append({"address": _full_address(row.township, row.road, row.number) + f"{b}栋", "road": row.road,
                          "house_number": f"{row.number}号", "building": f"{b}栋", "township": row.township,
                          "geometry": Point(x + 15 * (b - 1), y + push)})
    if extra:
        out = pd.concat([out, gpd.GeoDataFrame(extra, geometry="geometry")], ignore_index=True)
    return gpd.GeoDataFrame(out, geometry="geometry")


def _spell(kind: str, plate, rng) -> str:
    """One way of writing a plate's address (see :data:`SPELLINGS`)."""
    road, number, town = plate.road, int(plate.number), plate.township
    if kind == "typo":
        base = next((k for k in TYPOS if road.startswith(k)), None)
        road = TYPOS[base] + road[len(base):] if base else road
    if kind == "township":
        return _full_address(town, road, number)
    if kind == "county":
        return f"{PROVINCE}{COUNTY}" + _full_address(town, road, number)
    if kind == "fullwidth":
        return f"{road}{str(number).translate(str.maketrans('0123456789', '０１２３４５６７８９'))}号"
    if kind == "chinese":
        return f"{_chinese_lanes(road)}{_chinese_number(number)}号"
    if kind == "traditional":
        return f"{road}{number}號"
    if kind == "spaces":
        return f"{road} {number} 号"
    if kind == "qualifier":
        return f"{road}{number}号{QUALIFIERS[int(rng.integers(len(QUALIFIERS)))]}"
    if kind == "detail":
        return f"{road}{number}号{DETAILS[int(rng.integers(len(DETAILS)))]}"
    if kind == "sub":
        return [f"{road}{number}-{int(rng.integers(1, 4))}号", f"{road}{number}之{int(rng.integers(1, 4))}号",
                f"{road}{number}号附{int(rng.integers(1, 4))}号"][int(rng.integers(3))]
    if kind == "filler":
        return f"{town}场镇{road}{number}号" if not road.startswith(town) else f"在{road}{number}号"
    return f"{road}{number}号"


def _chinese_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    tail = "" if rest == 0 else ("零" + digits[rest] if rest < 10 else ("一" if rest < 20 else "") + _chinese_number(rest))
    return digits[hundreds] + "百" + tail


def _chinese_lanes(road: str) -> str:
    """西街4巷 -> 西街四巷."""
    import re

    return re.sub(r"(\\d+)巷", lambda m: _chinese_number(int(m.group(1))) + "巷", road)


def _special_rows(geo: dict, rng) -> list[tuple[str, str, float | None, float | None]]:
    """Rows that are not a door plate: ``(address, kind, x, y)`` with the true local position (None when there is none)."""
    out = []
    ew = {name: off for off, name, _ in EW_STREETS}
    ns = {name: off for off, name, _ in NS_STREETS}
    forms = ("{a}与{b}交叉口", "{a}和{b}路口", "{a}、{b}交汇处", "{a}{b}路口", "{a}与{b}十字路口")
    for k in range(60):
        a, b = list(ew)[int(rng.integers(len(ew)))], list(ns)[int(rng.integers(len(ns)))]
        a, b = (a, b) if k % 2 else (b, a)
        x, y = (ns.get(a, ns.get(b)), ew.get(a, ew.get(b)))
        out.append((forms[k % len(forms)].format(a=a, b=b), "intersection", float(x), float(y)))
    areas = geo["areas"]
    for k in range(40):
        row = areas.iloc[int(rng.integers(len(areas) - 1))]  # not the fringe ring, which has no place to point at
        suffix = ("东门", "内", "附近", "门口", "", "对面", "北门")[k % 7]
        point = row.geometry.representative_point()
        out.append((f"{row['name']}{suffix}", "place", point.x, point.y))
    for k in range(15):
        town, bearing, dist, _ = TOWNSHIPS[k % len(TOWNSHIPS)]
        out.append((town if k % 3 else f"{COUNTY}{town}", "township", None, None))
    for k in range(10):
        out.append((f"城关第{int(rng.integers(1, 61)):02d}网格", "grid", None, None))
    for k in range(20):
        name = list(ew)[int(rng.integers(len(ew)))]
        out.append((name + ("", "附近", "一带")[k % 3], "road", None, None))
    for k in range(45):
        out.append((NONEXISTENT[k % len(NONEXISTENT)], "nonexistent", None, None))
    for k in range(10):
        out.append((f"{list(ns)[k % len(ns)]}{int(rng.integers(900, 999))}号", "road", None, None))
    out += [("", "empty", None, None), ("   ", "empty", None, None), ("12号", "number_only", None, None),
            ("甲5号", "number_only", None, None), ("号", "number_only", None, None)]
    return out


def build_address_only(geo: dict, inc: pd.DataFrame, seed: int = DEFAULT_SEED) -> tuple[pd.DataFrame, dict]:
    """The address-only variant of the incidents and its truth.

    :data:`ADDRESS_ONLY_ROWS` incidents drawn at random keep their id, time
    and category; their coordinates are blank (6 % are 0,0 and 5 % of the
    plain ones keep good coordinates), and ``发案地点`` is their door plate
    written one of the :data:`SPELLINGS` ways. About 250 of them carry instead
    a crossing, a place, a township, a grid, a road alone, a road that does not
    exist, a number beyond the road's plates, an empty or a number-only
    address, or markup.

    Truth, one row each: ``[row, kind, lon, lat]``; ``kind`` is ``plate`` (the
    plate is in the ``addresses`` layer), ``interpolated`` (its number is not),
    ``intersection``, ``place`` (at the area's point on surface), ``township``,
    ``grid``, ``road``, ``nonexistent``, ``empty``, ``number_only`` or
    ``coordinates``; ``lon``/``lat`` where the row truly is (plates, crossings,
    places; null otherwise).
    """
    rng = np.random.default_rng((seed, ADDRESS_STREAM, 2))
    plates = geo["addresses"]
    pick = np.sort(rng.choice(len(inc), ADDRESS_ONLY_ROWS, replace=False))
    rows = inc.iloc[pick].reset_index(drop=True)
    kinds = np.array(list(SPELLINGS))
    weights = np.array(list(SPELLINGS.values()), float)
    spelling = kinds[rng.choice(len(kinds), len(rows), p=weights / weights.sum())]
    address, truth_kind, tx, ty = [], [], [], []
    for plate_id, kind in zip(rows.plate, spelling):
        plate = plates.iloc[int(plate_id)]
        address.append(_spell(kind, plate, rng))
        truth_kind.append("plate" if plate.listed else "interpolated")
        tx.append(plate.geometry.x)
        ty.append(plate.geometry.y)
    specials = _special_rows(geo, rng)
    slots = np.sort(rng.choice(len(rows), len(specials), replace=False))
    for slot, (text, kind, x, y) in zip(slots, specials):
        address[slot], truth_kind[slot], tx[slot], ty[slot] = text, kind, x, y
    markup = [i for i in range(len(rows)) if i not in set(slots)][:2]
    for i, wrap in zip(markup, ("<b>{}</b>", "{}<script>alert(1)</script>")):
        address[i] = wrap.format(address[i])
    lon, lat = to_lonlat(np.array([np.nan if v is None else v for v in tx], float), np.array([np.nan if v is None else v for v in ty], float))
    lon_text = np.full(len(rows), "", dtype=object)
    lat_text = np.full(len(rows), "", dtype=object)
    zero = rng.random(len(rows)) < 0.06
    lon_text[zero], lat_text[zero] = "0", "0"
    keep = ~zero & (spelling == "plain") & np.isin(truth_kind, ["plate", "interpolated"]) & (rng.random(len(rows)) < 0.05)
    keep[slots] = False
    lon_text[keep] = [f"{v:.6f}" for v in rows.lon[keep]]
    lat_text[keep] = [f"{v:.6f}" for v in rows.lat[keep]]
    truth_kind = np.array(truth_kind, dtype=object)
    truth_kind[keep] = "coordinates"
    true_lon = np.where(keep, rows.lon, lon)
    true_lat = np.where(keep, rows.lat, lat)
    table = pd.DataFrame({"案件编号": rows.case_id, "发案时间": np.char.replace(np.datetime_as_string(rows.occurred_at.to_numpy("datetime64[s]")), "T", " "),
                          "案件类别": rows.category, "案件细类": rows.subcategory, "发案地点": address, "经度": lon_text, "纬度": lat_text})
    truth = [[i + 1, str(k), None if np.isnan(a) else round(float(a), 6), None if np.isnan(b) else round(float(b), 6)]
             for i, (k, a, b) in enumerate(zip(truth_kind, true_lon, true_lat))]
    counts = pd.Series(truth_kind).value_counts()
    return table, {"file": ADDRESS_ONLY_CSV, "encoding": "gbk", "rows": len(table),
                   "plates_listed": int(plates.listed.sum()), "plates_unlisted": int((~plates.listed).sum()),
                   "spellings": {k: int((spelling == k).sum()) for k in SPELLINGS},
                   "counts": {k: int(counts.get(k, 0)) for k in sorted(counts.index)},
                   "columns": ["row", "kind", "lon", "lat"], "truth": truth}


def write_address_only(geo: dict, inc: pd.DataFrame, path, seed: int = DEFAULT_SEED) -> dict:
    """Write the address-only CSV (GBK, like a police export) atomically; return its truth for ``truth.json``."""
    table, truth = build_address_only(geo, inc, seed)
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        table.to_csv(tmp, index=False, encoding="gbk", lineterminator="\n")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return truth


# ================================================================= writers
def write_county_gpkg(layers: dict[str, gpd.GeoDataFrame], path) -> None:
    """Write the layers into one GeoPackage atomically (temp file in the same folder, fsync, rename)."""
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.tmp.gpkg")
    tmp.unlink(missing_ok=True)
    try:
        for name, gdf in layers.items():
            gdf.to_file(tmp, layer=name, driver="GPKG")
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _write_csv(df: pd.DataFrame, path, encoding: str) -> None:
    """Write one incidents CSV (Chinese headers, no ``pattern`` when GBK), atomically."""
    gbk = encoding.replace("-", "").lower() in ("gbk", "gb18030", "cp936")
    out = df[COLUMNS + ([] if gbk else ["pattern"])].copy()
    out["occurred_at"] = np.char.replace(np.datetime_as_string(df.occurred_at.to_numpy("datetime64[s]")),
                                         "T", " ")
    if gbk:
        out.columns = COLUMNS_ZH
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        out.to_csv(tmp, index=False, encoding=encoding, float_format="%.6f", lineterminator="\n")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_incident_csvs(incidents: gpd.GeoDataFrame, out_dir) -> None:
    """Write ``incidents.csv`` (UTF-8, English headers, with ``pattern``) and ``incidents_gbk.csv``.

    Parameters
    ----------
    incidents : GeoDataFrame
        The ``incidents`` layer of :func:`build_county` (EPSG:4326).
    out_dir : path-like
        Folder to write into.
    """
    df = incidents.assign(lon=incidents.geometry.x, lat=incidents.geometry.y)
    _write_csv(df, Path(out_dir) / "incidents.csv", "utf-8")
    _write_csv(df, Path(out_dir) / "incidents_gbk.csv", "gbk")


def write_outputs(out_dir=HERE, seed: int = DEFAULT_SEED) -> dict:
    """Build the county and write ``county.gpkg``, the incident CSVs (also the address-only one) and ``truth.json``."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    geo, inc = _build(seed)
    truth = build_truth(geo, inc, seed)
    layers = _layers(geo, inc)
    write_county_gpkg(layers, out_dir / "county.gpkg")
    write_incident_csvs(layers["incidents"], out_dir)
    truth["geocode"] = write_address_only(geo, inc, out_dir / ADDRESS_ONLY_CSV, seed)
    (out_dir / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return truth


def write_big_csv(path, n: int, encoding: str = "gbk", seed: int = DEFAULT_SEED) -> None:
    """A large synthetic incidents CSV (same columns as the committed ones) for benchmarks.

    The same county and patterns, with every count scaled up, then exactly
    ``n`` rows drawn from them.
    """
    geo = _geography(seed)
    total = COUNTS["background"] * 0.995 + sum(COUNTS["a"]) + COUNTS["c"] + COUNTS["d"] + COUNTS["f"]
    inc = _incidents(seed, n / total * 1.02, geo, n_max=n)
    _write_csv(inc, path, encoding)


def main(argv: list[str] | None = None) -> None:
    """Command line; see the module docstring."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--out", type=Path, default=HERE, help="output folder (default: next to this script)")
    ap.add_argument("--big", type=int, metavar="N", help="write only a CSV of N synthetic incidents")
    ap.add_argument("--csv", type=Path, help="path of the --big CSV")
    ap.add_argument("--encoding", default="gbk", help="encoding of the --big CSV (gbk or utf-8)")
    args = ap.parse_args(argv)
    if args.big is not None:
        if args.csv is None:
            ap.error("--big needs --csv PATH")
        write_big_csv(args.csv, args.big, args.encoding, args.seed)
        print(f"wrote {args.big} incidents to {args.csv}")
        return
    truth = write_outputs(args.out, args.seed)
    print(f"wrote {truth['counts']['total']} incidents and 6 layers to {args.out}")


if __name__ == "__main__":
    main()
