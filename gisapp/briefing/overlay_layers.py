"""The overlays of the briefing: each layer as a compact JSON payload, its legend and its name.

Layer order is drawing order (bottom first): roads, hotspot cells, grids,
areas, camera sectors, blind spots, routes, incidents. The payloads are read
by ``static/briefing.js``; text from data travels as JSON strings and is
written with ``textContent`` there.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from . import encode, privacy, zone_figures
from .content import MapContent
from .htmlbits import esc, num, pct, swatch
from .projection import to_crs, xy_to
from .style import (
    AREA_COLOUR,
    AREA_TYPE_LABELS,
    BLIND_COLOUR,
    CAMERA_COLOUR,
    CAMERA_KIND_LABELS,
    CAMERA_OFFLINE_COLOUR,
    FIELD_LABELS,
    GI_BIN_CLASSES,
    GRID_COLOUR,
    ROAD_COLOUR,
    ROUTE_COLOURS,
    category_colours,
    road_width,
)

WGS84 = "EPSG:4326"
#: Significant hotspot cells are drawn semi-transparent so streets and labels show through (ArcGIS does the same).
HOT_FILL_OPACITY = 0.62
#: Outline of the hotspot zones: the darkest red of the Gi* ramp, darker still, so it reads over the cells.
ZONE_COLOUR = "#67000d"
#: Blind spots drawn on the map (the most uncovered incidents first); the panel counts them all.
BLIND_SHOWN = 20


def _wgs84(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return to_crs(frame, WGS84)


def _count_text(n, public: bool) -> str:
    if n is None:
        return "—"
    return privacy.SUPPRESSED if public and n < privacy.MIN_PUBLIC_COUNT else f"{n:,} 起"


def _text_column(values) -> dict:
    return encode.encode_column(pd.Series(list(values), dtype=object).map(lambda v: None if v is None else str(v)))


@dataclass
class OverlaySpec:
    """One overlay: its label in the layer control (HTML we made), plain name, JS factory and payload."""

    label_html: str
    name: str
    factory: str
    payload: dict
    legend_id: str
    show: bool


class LayerBuilder:
    """Collects the overlays, legends and panel pieces of one page."""

    def __init__(self, content: MapContent, options):
        self.content = content
        self.options = options
        self.layers: list = []
        self.legends: list[str] = []
        self.notes: list[str] = list(content.notes)
        self.warnings: list[str] = []
        self.map_legend: dict | None = None

    def add(self, legend_id: str, name: str, swatch: str, factory: str, payload: dict, show: bool, legend_rows: list[str]) -> None:
        self.layers.append(OverlaySpec(f"{swatch}{esc(name)}", name, factory, payload, legend_id, show))
        rows = "".join(f'<div class="gb-legend-row">{row}</div>' for row in legend_rows)
        self.legends.append(f'<div class="gb-legend" data-legend="{legend_id}"><div class="gb-legend-title">{esc(name)}</div>{rows}</div>')

    # ----- context

    def roads(self, roads: gpd.GeoDataFrame) -> None:
        data = _wgs84(roads)
        classes = data["road_class"].astype(str) if "road_class" in data else pd.Series([""] * len(data))
        payload = {
            "geometry": encode.encode_geometries(data.geometry.values),
            "style": {"color": ROAD_COLOUR, "opacity": 0.9, "lineCap": "round"},
            "widths": [road_width(c) * 1.4 for c in classes],
            "props": {"name": _text_column(data.get("name", pd.Series([""] * len(data))).fillna(""))},
            "tooltip": {"title": "name", "rows": []},
            "label": "道路",
        }
        self.add("roads", "道路", swatch(ROAD_COLOUR, kind="line"), "vector", payload, True,
                 [f'{swatch(ROAD_COLOUR, kind="line", width=3)}主干道', f'{swatch(ROAD_COLOUR, kind="line", width=1)}支路、小巷'])

    def grids(self, grids: gpd.GeoDataFrame) -> None:
        data = _wgs84(grids)
        props = {"name": _text_column(data.get("name", data.get("grid_id", pd.Series([""] * len(data)))).fillna(""))}
        rows = []
        if "grid_id" in data:
            props["grid_id"] = _text_column(data["grid_id"].fillna(""))
            rows.append(["网格编号", "grid_id"])
        if "incidents" in data:
            counts = privacy.suppress_counts(data["incidents"]) if self.options.public else data["incidents"].astype(int).tolist()
            props["incidents"] = _text_column([f"{c:,}" if isinstance(c, int) else c for c in counts])
            rows.append(["警情", "incidents"])
        if "population" in data and not self.options.public:
            props["population"] = _text_column([num(v) for v in pd.to_numeric(data["population"], errors="coerce")])
            rows.append(["人口", "population"])
        payload = {
            "geometry": encode.encode_geometries(data.geometry.values),
            "style": {"color": GRID_COLOUR, "weight": 1.2, "opacity": 0.8, "dashArray": "4 3", "fill": False},
            "props": props,
            "tooltip": {"title": "name", "rows": rows},
            "label": "网格",
        }
        self.add("grids", "网格", swatch("transparent", GRID_COLOUR), "vector", payload, True,
                 [f'{swatch("#ffffff", GRID_COLOUR)}网格边界（悬停查看网格名称{"与警情数" if "incidents" in data else ""}）'])

    def areas(self, areas: gpd.GeoDataFrame) -> None:
        data = _wgs84(areas)
        kinds = data["area_type"].fillna("").astype(str) if "area_type" in data else pd.Series([""] * len(data))
        names = data.get("name", pd.Series([""] * len(data))).fillna("").astype(str)
        points = shapely.point_on_surface(data.geometry.values)
        ring = kinds.eq("urban_fringe").to_numpy()
        payload = {
            "geometry": encode.encode_geometries(data.geometry.values),
            "style": {"color": AREA_COLOUR, "weight": 2, "opacity": 0.9, "fillColor": AREA_COLOUR, "fillOpacity": 0.08},
            "classes": ["ring" if r else "area" for r in ring],
            "classStyles": {"ring": {"fill": False, "dashArray": "8 5", "weight": 1.6}, "area": {}},
            "props": {
                "name": _text_column(names),
                "type": _text_column([AREA_TYPE_LABELS.get(k, k) for k in kinds]),
            },
            "tooltip": {"title": "name", "rows": [["类型", "type"]]},
            "labels": {
                "text": names.tolist(),  # point_on_surface puts a ring's label on the ring itself
                "lat": shapely.get_y(points).round(6).tolist(),
                "lon": shapely.get_x(points).round(6).tolist(),
                "kind": [k or "plain" for k in kinds],
            },
            "label": "重点区域",
        }
        self.add("areas", "重点区域", swatch("rgba(106,81,163,.15)", AREA_COLOUR), "vector", payload, True,
                 [f'{swatch("rgba(106,81,163,.15)", AREA_COLOUR)}市场、学校、广场等（标注名称）',
                  f'{swatch("#ffffff", AREA_COLOUR)}城乡结合部（虚线）'])

    # ----- analysis

    def hotspots(self, cells: gpd.GeoDataFrame, method: str) -> None:
        """Significant cells only, semi-transparent over the map; "not significant" is left unfilled (ArcGIS's
        convention), so the page neither hides the streets under grey nor carries thousands of empty cells."""
        if self.options.public:
            cells = privacy.public_hotspots(cells)
        counts = cells["gi_bin"].astype(int).value_counts()
        data = _wgs84(cells[cells["gi_bin"].astype(int) != 0])
        bins = data["gi_bin"].astype(int)
        props = {"class": _text_column([GI_BIN_CLASSES[b][0] for b in bins])}
        rows = []
        if "n" in data:
            counts_n = privacy.suppress_counts(data["n"]) if self.options.public else data["n"].astype(int).tolist()
            props["n"] = _text_column([f"{c:,}" if isinstance(c, int) else c for c in counts_n])
            rows.append(["警情数", "n"])
        if "gi_z" in data:
            props["z"] = _text_column([num(z, 2) for z in data["gi_z"].astype(float)])
            rows.append(["Gi* z 值", "z"])
        if "gi_p" in data:
            props["p"] = _text_column(["—" if not np.isfinite(p) else (f"{p:.4f}" if p >= 1e-4 else "<0.0001") for p in data["gi_p"].astype(float)])
            rows.append(["p 值（双侧）", "p"])
        class_styles = {str(b): {"fillColor": colour, "fillOpacity": HOT_FILL_OPACITY, "stroke": False}
                        for b, (_, _, colour) in GI_BIN_CLASSES.items() if b != 0}
        payload = {
            "geometry": encode.encode_geometries(data.geometry.values) if len(data) else None,
            "style": {"opacity": 1},
            "classes": [str(b) for b in bins],
            "classStyles": class_styles,
            "props": props,
            "tooltip": {"title": "class", "rows": rows},
            "label": "热点分析",
        }
        legend = [
            f'{swatch("transparent" if b == 0 else colour)}{esc(label + ("（不着色）" if b == 0 else ""))}'
            f'<span class="gb-muted">&nbsp;（{int(counts.get(b, 0)):,} 格）</span>'
            for b, (label, _, colour) in GI_BIN_CLASSES.items()
        ]
        if method:
            legend.append(f'<span class="gb-muted">{esc(method)}</span>')
        self.map_legend = {
            "title": "热点分析（Gi*）",
            "classes": [{"label": label + ("（不着色）" if b == 0 else ""), "colour": None if b == 0 else colour, "count": int(counts.get(b, 0))}
                        for b, (label, _, colour) in GI_BIN_CLASSES.items() if b == 0 or counts.get(b, 0)],
            "opacity": HOT_FILL_OPACITY,
        }
        if len(data):
            self.add("hotspots", "热点分析（Gi*）", swatch(GI_BIN_CLASSES[3][2]), "vector", payload, True, legend)
        else:
            self.legends.append('<div class="gb-legend" data-legend="hotspots"><div class="gb-legend-title">热点分析（Gi*）</div>'
                                '<div class="gb-legend-row">无显著热点或冷点网格</div></div>')

    def zones(self, zones: gpd.GeoDataFrame, records: list[dict]) -> None:
        """Hotspot zones outlined and numbered as in the tables (主要热点, 监控盲区, findings)."""
        data = _wgs84(zones)
        points = zone_figures.top_vertices(data.geometry.values)  # on the outline's top: area labels sit at the centres
        n_text = [_count_text(r.get("n"), self.options.public) for r in records]
        payload = {
            "geometry": encode.encode_geometries(data.geometry.values),
            "style": {"color": ZONE_COLOUR, "weight": 2.2, "opacity": 0.95, "fill": True, "fillOpacity": 0, "lineJoin": "round"},
            "props": {"name": _text_column([r["name"] for r in records]), "n": _text_column(n_text),
                      "area": _text_column([f"{r['area_km2']:.2f} 平方公里" for r in records])},
            "tooltip": {"title": "name", "rows": [["警情", "n"], ["面积", "area"]]},
            "marks": {"text": [str(r["zone_id"]) for r in records], "title": [r["name"] for r in records],
                      "lat": shapely.get_y(points).round(6).tolist(), "lon": shapely.get_x(points).round(6).tolist()},
            "label": "热点区",
        }
        swatch_html = f'<span class="gb-sw" style="background:transparent;border:2px solid {ZONE_COLOUR}"></span>'
        self.add("zones", "热点区（编号）", swatch_html, "vector", payload, True,
                 [f"{swatch_html}相互接触的热点网格合并为热点区，编号与“主要热点”表一致"])

    def risk(self, cells: gpd.GeoDataFrame, colours: dict[str, str], method: str) -> None:
        """下周风险: the riskiest cells of the forecast, by band (top 1 / 5 / 10 %); off until the reader turns it on."""
        data = _wgs84(cells)
        payload = {
            "geometry": encode.encode_geometries(data.geometry.values),
            "style": {"stroke": False, "fillOpacity": 0.7},
            "classes": data["band"].tolist(),
            "classStyles": {band: {"fillColor": colour} for band, colour in colours.items()},
            "props": {"rank": _text_column([f"第 {int(r):,} 位" for r in data["rank"]]),
                      "top": _text_column([f"前 {100 * p:.1f}%" for p in data["top_pct"]])},
            "tooltip": {"title": "rank", "rows": [["风险排名", "top"]]},
            "label": "下周风险",
        }
        rows = [f'{swatch(colour)}风险最高的 {float(band):.0%} 网格' for band, colour in sorted(colours.items(), key=lambda kv: float(kv[0]))]
        self.add("risk", "下周风险", swatch(colours[min(colours, key=float)]), "vector", payload, False, [*rows, f'<span class="gb-muted">{esc(method)}</span>'])

    def sectors(self, sectors: gpd.GeoDataFrame) -> None:
        data = _wgs84(sectors)
        payload = {
            "geometry": encode.encode_geometries(data.geometry.values),
            "style": {"weight": 0.6, "opacity": 0.8},
            "classes": ["on" if o else "off" for o in data["online"]],
            "classStyles": {
                "on": {"color": CAMERA_COLOUR, "fillColor": CAMERA_COLOUR, "fillOpacity": 0.2},
                "off": {"color": CAMERA_OFFLINE_COLOUR, "fillColor": CAMERA_OFFLINE_COLOUR, "fillOpacity": 0.15, "dashArray": "3 3"},
            },
            "props": {
                "name": _text_column(data["name"].where(data["name"] != "", data["camera_id"])),
                "kind": _text_column([CAMERA_KIND_LABELS.get(k, k) for k in data["kind"]]),
                "status": _text_column(["在线" if o else "离线" for o in data["online"]]),
            },
            "tooltip": {"title": "name", "rows": [["类型", "kind"], ["状态", "status"]]},
            "label": "天网摄像头",
        }
        self.add("sectors", "天网覆盖范围", swatch("rgba(43,140,190,.3)", CAMERA_COLOUR), "vector", payload, False,
                 [f'{swatch("rgba(43,140,190,.3)", CAMERA_COLOUR)}在线摄像头视域（朝向、视角、距离）',
                  f'{swatch("rgba(150,150,150,.3)", CAMERA_OFFLINE_COLOUR)}离线摄像头'])

    def blind_spots(self, blind: gpd.GeoDataFrame) -> None:
        """The top blind spots of ``gisapp.analysis.cameras.coverage`` (already ranked), outlined over the hotspot colours."""
        data = _wgs84(blind.head(BLIND_SHOWN))
        column = lambda name: data[name] if name in data else pd.Series([None] * len(data), index=data.index)  # noqa: E731
        payload = {
            "geometry": encode.encode_geometries(data.geometry.values),
            # Outline only, so the hotspot colour underneath stays readable.
            "style": {"color": BLIND_COLOUR, "weight": 1.8, "dashArray": "4 3", "fill": True, "fillColor": BLIND_COLOUR, "fillOpacity": 0.08},
            "props": {
                "title": _text_column([f"热点盲区 第 {r} 位" if pd.notna(r) else "热点盲区" for r in column("rank")]),
                "class": _text_column([GI_BIN_CLASSES[int(b)][0] if pd.notna(b) else "" for b in column("gi_bin")]),
                "n": _text_column([num(v) for v in column("n")]),
                "uncovered": _text_column([num(v) for v in column("n_uncovered")]),
                "share": _text_column(["" if pd.isna(v) else pct(v) for v in column("covered_share")]),
                "camera": _text_column(["" if pd.isna(v) else f"{v:,.0f} m" for v in column("nearest_camera_m")]),
            },
            "tooltip": {"title": "title", "rows": [["热点等级", "class"], ["警情数", "n"], ["视域外警情", "uncovered"],
                                                   ["视域内比例", "share"], ["最近在线摄像头", "camera"]]},
            "label": "热点盲区",
        }
        swatch = f'<span class="gb-sw" style="background:rgba(84,39,143,.08);border:2px dashed {BLIND_COLOUR}"></span>'
        shown = f"前 {len(data)} 处" if len(blind) > len(data) else f"{len(data)} 处"
        self.add("blind", "热点盲区", swatch, "vector", payload, True,
                 [f"{swatch}95% 以上热点网格中天网看不到一半以上警情的网格（{shown}，按视域外警情排序）"])

    def routes(self, routes: gpd.GeoDataFrame, exposure: list[dict]) -> None:
        data = _wgs84(routes).reset_index(drop=True)
        names = data.get("name", data.get("route_id", pd.Series([f"路线{i + 1}" for i in range(len(data))]))).fillna("").astype(str)
        colours = [ROUTE_COLOURS[i % len(ROUTE_COLOURS)] for i in range(len(data))]
        by_id = {row["route_id"]: row for row in exposure}
        ids = data["route_id"].astype(str) if "route_id" in data else pd.Series([str(i) for i in data.index])
        near = [by_id.get(i, {}).get("incidents_near") for i in ids]
        props = {
            "name": _text_column(names),
            "unit": _text_column(data.get("unit", pd.Series([""] * len(data))).fillna("")),
            "shift": _text_column(data.get("shift", pd.Series([""] * len(data))).fillna("")),
            "near": _text_column(["" if v is None else f"{v:,} 起" for v in near]),
        }
        payload = {
            "geometry": encode.encode_geometries(data.geometry.values),
            "style": {"weight": 4, "opacity": 0.95, "lineJoin": "round"},
            "casing": {"color": "#ffffff", "weight": 7, "opacity": 0.9},
            "classes": [str(i) for i in range(len(data))],
            "classStyles": {str(i): {"color": c} for i, c in enumerate(colours)},
            "props": props,
            "tooltip": {"title": "name", "rows": [["单位", "unit"], ["班次", "shift"], ["走廊内警情", "near"]]},
            "label": "巡逻路线",
        }
        legend = [f'{swatch(c, kind="line", width=4)}{esc(n)}' for n, c in zip(names, colours)]
        self.add("routes", "巡逻路线", swatch(colours[0] if colours else "#1b9e77", kind="line", width=3), "vector", payload, True, legend)

    def incidents(self, incidents: gpd.GeoDataFrame, show: bool) -> None:
        lon, lat = xy_to(incidents, WGS84)
        ok = np.isfinite(lon) & np.isfinite(lat)
        data, lon, lat = incidents[ok], lon[ok], lat[ok]
        points = encode.encode_points(lon, lat)
        if len(data) > self.options.cluster_limit:
            self.notes.append(f"警情 {len(data):,} 起，超过 {self.options.cluster_limit:,} 起，以热力图显示（不含单点弹窗）。")
        else:
            fields, warnings = privacy.popup_fields(data, self.options.fields)
            self.warnings.extend(warnings)
            category = data["category"] if "category" in data else None
            payload = {"points": points, "label": "警情", "fields": []}
            legend = []
            if category is not None:
                encoded = encode.encode_column(category.fillna("未分类").astype(str))
                colours = category_colours(encoded["values"])
                payload["category"] = encoded
                payload["colours"] = [colours[v] for v in encoded["values"]]
                counts = category.fillna("未分类").astype(str).value_counts()
                legend = [f'{swatch(colours[v], kind="dot")}{esc(v)}<span class="gb-muted">&nbsp;（{int(counts[v]):,}）</span>'
                          for v in counts.index[:8]]
            for name in fields:
                column = encode.encode_column(data[name])
                column["label"] = FIELD_LABELS.get(name, name)
                payload["fields"].append(column)
            legend.append(f'<span class="gb-muted">点击散点查看：{esc("、".join(FIELD_LABELS.get(f, f) for f in fields) or "无字段")}</span>')
            self.add("incidents", "警情点（聚合）", '<span class="gb-sw gb-sw-dot" style="background:#b3141c;margin:0 5px 0 3px"></span>',
                     "clusters", payload, show, legend)
            show = False
        self.add("heat", "警情热力", swatch("", kind="heat"), "heat", {"points": points}, show,
                 [f'{swatch("", kind="heat")}警情密度（低 → 高）'])

