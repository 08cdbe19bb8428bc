"""What a briefing or a printed map shows: the layers, in one metric CRS, plus key figures.

Both products start from :func:`collect_content`, which takes the layers from
a project or GeoPackage (:class:`gisapp.analysis.core.inputs.Inputs`) and

* filters the incidents with the shared filters;
* takes the hotspot cells from the input's ``gisapp hotspot`` result, or computes
  them as ``gisapp hotspot`` does when there is none (the definition coverage and patrol share);
* draws camera sectors and finds hot cells no online camera sees;
* counts incidents along each patrol route and in each grid cell;
* merges touching hot cells into named zones
  (``gisapp.analysis.hotspots.zones``) and gives every zone its incidents,
  camera coverage, blind cells and passing routes, so every table of the page
  speaks of the same places with the same numbers;
* takes the result layers a print can show (density isopleths, cluster hulls,
  a planned patrol route and its stops) from the input's result layers;
* reads the incidents' load report: rows that could not be placed are stated
  on the page, never silently dropped.

Anything missing is left out with a note in ``content.notes`` (shown on the
page), never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from gisapp.analysis.hotspots.zones import ZONE_MIN_BIN, Zones, hotspot_zones
from gisapp.layers.errors import AnalysisError, GisappError, InputError
from gisapp.layers.filters import IncidentFilter

from . import overlays, zone_figures
from .projection import to_crs

#: Hotspot cell size when the briefing computes Gi* itself: the automatic scale of ``gisapp hotspot``,
#: the one definition every product shares (:mod:`gisapp.analysis.hotspots.default_cells`).
AUTO = "auto"
CONTEXT_KINDS = ("grids", "areas", "cameras", "routes", "roads")
_WEEKDAYS = "一二三四五六日"


@dataclass
class MapContent:
    """Every layer of a briefing or print, in ``crs`` (metric), and the key figures.

    Attributes
    ----------
    incidents : GeoDataFrame or None
        The filtered incidents (all columns; privacy is the writer's job).
    hotspots : GeoDataFrame or None
        Cells with ``gi_bin`` (and ``n``, ``gi_z`` where known).
    sectors, blind_spots : GeoDataFrame or None
        Camera coverage sectors and hot cells without coverage.
    zones : GeoDataFrame or None
        Hotspot zones (see :class:`gisapp.analysis.hotspots.zones.Zones`), largest first.
    incident_zone : ndarray or None
        The ``zone_id`` of each incident (0: in no zone).
    kde, cluster_hulls, cluster_points, plan_routes, plan_stops : GeoDataFrame or None
        Result layers of the input that a printed map draws.
    summary : dict
        ``incidents``, ``date_range``, ``categories``, ``zones`` (records with
        coverage and routes), ``gi_bins``, ``coverage``, ``routes``,
        ``rows_rejected`` (each only when known).
    notes : list of str
        What was left out or computed, in the reader's language.
    """

    crs: pyproj.CRS
    source: str
    incidents: gpd.GeoDataFrame | None = None
    hotspots: gpd.GeoDataFrame | None = None
    hotspot_method: str = ""
    grids: gpd.GeoDataFrame | None = None
    areas: gpd.GeoDataFrame | None = None
    cameras: gpd.GeoDataFrame | None = None
    sectors: gpd.GeoDataFrame | None = None
    blind_spots: gpd.GeoDataFrame | None = None
    routes: gpd.GeoDataFrame | None = None
    roads: gpd.GeoDataFrame | None = None
    zones: gpd.GeoDataFrame | None = None
    incident_zone: np.ndarray | None = None
    hotspot_coverage: gpd.GeoDataFrame | None = None
    kde: gpd.GeoDataFrame | None = None
    cluster_hulls: gpd.GeoDataFrame | None = None
    cluster_points: gpd.GeoDataFrame | None = None
    plan_routes: gpd.GeoDataFrame | None = None
    plan_stops: gpd.GeoDataFrame | None = None
    filter_text: list[str] = field(default_factory=list)
    area_label: str = "全县"
    summary: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    generated_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    def layers(self) -> dict[str, gpd.GeoDataFrame]:
        names = ("roads", "grids", "areas", "kde", "hotspots", "zones", "sectors", "blind_spots", "cluster_hulls", "routes",
                 "plan_routes", "plan_stops", "incidents")
        return {name: getattr(self, name) for name in names if getattr(self, name) is not None}

    def bounds(self) -> tuple[float, float, float, float]:
        """Extent of everything drawn, in ``crs``."""
        boxes = [frame.total_bounds for frame in self.layers().values() if len(frame)]
        boxes = [b for b in boxes if np.all(np.isfinite(b))]
        if not boxes:
            raise InputError("There is nothing to draw: every layer is empty.")
        stack = np.array(boxes)
        return float(stack[:, 0].min()), float(stack[:, 1].min()), float(stack[:, 2].max()), float(stack[:, 3].max())

    def subtitle(self) -> str:
        parts = [self.area_label]
        dates = self.summary.get("date_range")
        if dates:
            parts.append(f"{dates[0]} 至 {dates[1]}")
        parts.extend(self.filter_text)
        return " · ".join(p for p in parts if p)


def collect_content(
    inputs,
    incident_filter: IncidentFilter | None = None,
    *,
    hotspots_path: str | Path | None = None,
    cell_size: float | str = AUTO,
    area_label: str | None = None,
    zone_level: int = ZONE_MIN_BIN,
    source: str | None = None,
) -> MapContent:
    """Gather the layers of ``inputs`` (an ``Inputs``) for a briefing or a printed map.

    ``zone_level`` is the ``gi_bin`` (1-3) a cell needs to join a hotspot zone;
    ``source`` names the data on the page (default: the input's file name).

    Raises
    ------
    InputError
        A ``hotspots_path`` without ``gi_bin``; filters that leave no incidents.
    """
    incident_filter = incident_filter or IncidentFilter()
    inputs.incident_filter = incident_filter
    content = MapContent(crs=inputs.crs, source=source or inputs.title)
    content.area_label = area_label or incident_filter.within or "全县"
    content.filter_text = [t for t in describe_filter(incident_filter) if t != f"范围：{content.area_label}"]

    if inputs.layer("incidents", required=False) is None:
        content.notes.append("输入中没有警情图层：仅显示汇总图层和底图图层。")
        if not incident_filter.is_empty():
            raise InputError(f"{content.source} has no incidents layer, so the filters cannot be applied.")
    else:
        content.incidents = inputs.incidents()

    for kind in CONTEXT_KINDS:
        setattr(content, kind, _metric(inputs, kind))
    _read_rejects(inputs, content)
    _result_layers(inputs, content)

    content.hotspots, content.hotspot_method = _hotspot_cells(inputs, content, hotspots_path, cell_size, incident_filter)
    content.summary["zone_level"] = zone_level
    if content.hotspots is not None and len(content.hotspots):
        content.zones = hotspot_zones(content.hotspots, zone_level, content.areas, content.grids).layer
    _add_summaries(content)
    if incident_filter.start or incident_filter.end:  # the period asked for, not only the one found
        found = content.summary.get("date_range") or ["…", "…"]
        content.summary["date_range"] = [incident_filter.start or found[0], incident_filter.end or found[1]]
    return content


def _read_rejects(inputs, content: MapContent) -> None:
    """``rows_rejected`` of the incidents' load report, read defensively (the report's shape may change)."""
    try:
        report = inputs.load_report("incidents")
    except (AttributeError, TypeError, KeyError, GisappError):
        return
    rejected = (report or {}).get("rows_rejected") if isinstance(report, dict) else getattr(report, "rows_rejected", None)
    try:
        rejected = int(rejected or 0)
    except (TypeError, ValueError):
        return
    if rejected > 0:
        content.summary["rows_rejected"] = rejected


#: Result layers a printed map draws, recognised by their columns (their names change when a project holds several).
_RESULT_KINDS = {
    "kde": (("volume_pct",), ("Polygon", "MultiPolygon")),
    "cluster_hulls": (("cluster_id",), ("Polygon", "MultiPolygon")),
    "cluster_points": (("cluster_id",), ("Point",)),
    "plan_routes": (("tour", "minutes"), ("LineString", "MultiLineString")),
    "plan_stops": (("order", "arrive_minute"), ("Point",)),
}


def _result_layers(inputs, content: MapContent) -> None:
    """The latest result layer of each kind in :data:`_RESULT_KINDS`, in the content's CRS."""
    for layer in reversed([layer for layer in inputs.layers if layer.kind == "result"]):
        data = layer.data
        if data is None or not len(data) or data.crs is None:
            continue
        types = set(data.geometry.dropna().geom_type.unique())
        for name, (columns, geometry_types) in _RESULT_KINDS.items():
            if getattr(content, name) is None and all(c in data.columns for c in columns) and types and types <= set(geometry_types):
                frame = data[data.geometry.notna() & ~data.geometry.is_empty]
                if name == "plan_routes":
                    frame = frame[frame["tour"].astype(str) == "plan"]  # the planned tour, not its naive comparison
                setattr(content, name, to_crs(frame, content.crs))


def _metric(inputs, kind: str) -> gpd.GeoDataFrame | None:
    layer = inputs.layer(kind, required=False)
    if layer is None:
        return None
    data = layer.data
    if data.crs is None:
        raise InputError(f"The {kind} layer has no coordinate system; set one when importing it.")
    data = data[data.geometry.notna() & ~data.geometry.is_empty]
    return to_crs(data, inputs.crs)


# --------------------------------------------------------------------------- hotspots


def _hotspot_cells(inputs, content: MapContent, path, cell_size: float | str, incident_filter: IncidentFilter):
    """Cells with gi_bin: an explicit file, else the input's newest ``gisapp hotspot`` result (as coverage and
    patrol take it), else computed as ``gisapp hotspot`` does (:func:`default_hotspot_cells`, the one definition)."""
    if path is not None:
        from gisapp.layers.io import read_layers

        layer = read_layers(path, kind="result")[0]
        return _checked_hotspots(layer.data, Path(path).name, inputs.crs), f"热点图层：{Path(path).name}"
    layer = _newest_hotspot_result(inputs)
    if layer is not None:
        if not incident_filter.is_empty():
            content.notes.append(f"热点图层“{layer.name}”按其原始参数计算，未应用本次筛选条件。")
        return _checked_hotspots(layer.data, layer.name, inputs.crs), f"热点图层：{layer.name}" + (_params_text(layer.params) or "")
    for other in inputs.layers:
        if other.kind == "result" and "gi_bin" not in other.data.columns and ("gi" in (other.params or {}) or "hotspot" in other.name.lower()):
            content.notes.append(f"结果图层“{other.name}”没有 gi_bin 字段，不能作为热点图层；已重新计算。")
    if content.incidents is None or not len(content.incidents):
        content.notes.append("没有警情，无法计算热点。")
        return None, ""
    from gisapp.analysis.hotspots.default_cells import default_hotspot_cells

    try:
        cells, _, summary = default_hotspot_cells(content.incidents, cell_size)
    except AnalysisError as error:
        content.notes.append(f"未能计算热点：{error}")
        return None, ""
    cell, band = summary["cell_size_m"], summary["band_m"]
    chosen = "自动选择" if cell_size == AUTO else "指定"
    return cells, f"Getis-Ord Gi*（与 gisapp hotspot 相同），{cell:.0f} m 方格（{chosen}），{band:.0f} m 距离带（自动选择），FDR 校正"


def _newest_hotspot_result(inputs):
    """The newest result layer of the ``hotspot`` method with ``gi_bin``: the layer
    :meth:`Inputs.latest_result` gives coverage and patrol, so every product uses the same cells."""
    for layer in reversed(inputs.layers):
        made_by = (layer.params or {}).get("method") or str(layer.source or "").removeprefix("gisapp ")
        if layer.kind == "result" and "gi_bin" in layer.data.columns and made_by == "hotspot":
            return layer
    return None


def _checked_hotspots(data: gpd.GeoDataFrame, name: str, crs) -> gpd.GeoDataFrame:
    if "gi_bin" not in data.columns:
        raise InputError(f"{name} has no gi_bin column, so it is not a Gi* hotspot layer: run gisapp hotspot and give its output.")
    if data.crs is None:
        raise InputError(f"{name} has no coordinate system.")
    data = data[data.geometry.notna() & ~data.geometry.is_empty].copy()
    data["gi_bin"] = pd.to_numeric(data["gi_bin"], errors="coerce").fillna(0).clip(-3, 3).astype(int)
    return to_crs(data, crs)


def _params_text(params: dict | None) -> str:
    resolved = (params or {}).get("resolved") or params or {}  # results record what the algorithm used under "resolved"
    aggregation = resolved.get("aggregation") or {}
    gi = resolved.get("gi") or {}
    bits = []
    if aggregation.get("cell_size"):
        bits.append(f"{aggregation['cell_size']:g} m 网格")
    if gi.get("band"):
        bits.append(f"{gi['band']:g} m 距离带")
    if gi.get("fdr"):
        bits.append("FDR 校正")
    return f"（{'，'.join(bits)}）" if bits else ""


# --------------------------------------------------------------------------- key figures


def _add_summaries(content: MapContent) -> None:
    summary = content.summary
    incidents = content.incidents
    if incidents is not None:
        summary["incidents"] = int(len(incidents))
        summary["categories"] = overlays.category_counts(incidents)
        if "occurred_at" in incidents and len(incidents):
            times = pd.to_datetime(incidents["occurred_at"], errors="coerce").dropna()
            if len(times):
                summary["date_range"] = [times.min().strftime("%Y-%m-%d"), times.max().strftime("%Y-%m-%d")]
    hot = content.hotspots
    if hot is not None:
        summary["gi_bins"] = {int(k): int(v) for k, v in hot["gi_bin"].value_counts().items()}
    if content.zones is not None and incidents is not None:
        content.incident_zone = zone_figures.zone_of_points(incidents.geometry.values, content.zones)
    if content.cameras is not None and len(content.cameras):
        _camera_layers(content)
    else:
        content.notes.append("输入中没有摄像头图层：未显示天网覆盖和盲区。")
    if content.routes is not None and len(content.routes) and incidents is not None and len(incidents):
        _route_exposure(content)
    if content.grids is not None and incidents is not None:
        from gisapp.analysis.core.layer_inputs import count_in_polygons

        content.grids = content.grids.assign(incidents=count_in_polygons(incidents, content.grids))
    if content.zones is not None:
        summary["zones"] = _zone_records(content)


def _zone_records(content: MapContent) -> list[dict]:
    """The zones with what coverage and the routes say about each (see :mod:`.zone_figures`)."""
    zones = content.zones
    coverage = zone_figures.zone_coverage(zones, content.hotspot_coverage, content.blind_spots)
    corridor = float(content.summary.get("route_corridor_m", 0.0))
    passing = zone_figures.zone_routes(zones, content.routes, corridor) if corridor else {}
    centres = shapely.point_on_surface(zones.geometry.values)
    tops = zone_figures.top_vertices(zones.geometry.values)
    records = []
    for record, centre, top in zip(Zones(zones, np.zeros(0)).records(), centres, tops):
        zone_id = record["zone_id"]
        record.update(x=float(shapely.get_x(centre)), y=float(shapely.get_y(centre)), top_x=float(top.x), top_y=float(top.y))
        if zone_id in coverage:
            record["coverage"] = coverage[zone_id]
        if content.routes is not None and corridor:
            record["routes"] = passing.get(zone_id, [])
        records.append(record)
    return records


def _camera_layers(content: MapContent) -> None:
    """Camera footprints, coverage figures and blind spots from ``gisapp.analysis.cameras.coverage``."""
    try:
        from gisapp.analysis.cameras.coverage import camera_coverage
        from gisapp.analysis.cameras.methods import CoverageParams
        from gisapp.analysis.cameras.geometry import camera_table, coverage_polygons
    except ImportError:
        content.notes.append("天网覆盖分析模块不可用：未显示摄像头视域。")
        return
    cameras, incidents, hot = content.cameras, content.incidents, content.hotspots
    names = cameras["name"].fillna("").astype(str).to_numpy() if "name" in cameras else np.full(len(cameras), "")
    if incidents is not None and len(incidents) and hot is not None:
        try:
            # The coverage command's own defaults, so the page's blind spots are the ones 'gisapp coverage' reports;
            # the zone tables then count those that fall in each zone.
            result = camera_coverage(incidents, cameras, CoverageParams(), hotspots=hot, roads=content.roads)
        except GisappError as error:
            content.notes.append(f"未能计算天网覆盖：{error}")
            return
        sectors = result.extra_layers["camera_coverage"]
        s = result.summary
        content.blind_spots = result.layer
        content.hotspot_coverage = result.extra_layers.get("hotspot_coverage")
        content.summary["coverage"] = {
            "cameras": s["cameras"]["total"],
            "cameras_online": s["cameras"]["online"],
            "incidents": s["incidents"],
            "incidents_covered": s["covered"],
            "incident_share": s["share_covered"],
            "hot_cells": s["hotspots"]["hot_cells"],
            "hot_cells_blind": s["blind_spots"]["count"],
            "blind_rule": s["blind_spots"]["rule"],
        }
        content.notes.extend(f"天网覆盖：{note}" for note in s.get("notes", []))
    else:
        table = camera_table(cameras, roads=content.roads)
        footprints = coverage_polygons(table)
        sectors = gpd.GeoDataFrame(
            {"camera_id": table.camera_id.astype(str), "kind": table.kind.astype(str), "status": np.where(table.online, "online", "offline")},
            geometry=gpd.GeoSeries(footprints, crs=content.crs),
            crs=content.crs,
        )
    # camera_table keeps one row per input camera, in order: names line up.
    sectors = sectors.assign(name=names[: len(sectors)], online=sectors["status"].eq("online").to_numpy())
    content.sectors = sectors[sectors.geometry.notna() & ~sectors.geometry.is_empty]


def _route_exposure(content: MapContent) -> None:
    """Incidents and hot cells along each patrol route, from ``gisapp.analysis.patrol.exposure``."""
    try:
        from gisapp.analysis.patrol.exposure import route_exposure
    except ImportError:
        content.notes.append("巡逻分析模块不可用：未统计路线沿线警情。")
        return
    try:
        result = route_exposure(content.routes, content.incidents, hotspots=content.hotspots, roads=content.roads)
    except GisappError as error:
        content.notes.append(f"未能统计路线沿线警情：{error}")
        return
    total = max(int(result.summary["incidents"]), 1)
    content.summary["route_corridor_m"] = float(result.summary["corridor_width_m"])
    content.summary["routes"] = [
        {
            "route_id": str(row.get("route_id", i)),
            "name": str(row.get("name") or row.get("route_id") or f"路线{i + 1}"),
            "length_km": float(row["length_km"]),
            "incidents_near": int(row["incidents"]),
            "incident_share": int(row["incidents"]) / total,
            "hot_cells_passed": int(row["hotspot_cells"]),
        }
        for i, row in enumerate(result.layer.drop(columns=result.layer.geometry.name).to_dict("records"))
    ]


def describe_filter(incident_filter: IncidentFilter) -> list[str]:
    """The shared filters as short Chinese phrases for a subtitle."""
    parts = []
    if incident_filter.categories:
        parts.append("类别：" + "、".join(incident_filter.categories))
    if incident_filter.hours:
        parts.append(f"时段 {incident_filter.hours[0]}–{incident_filter.hours[1]} 时")
    if incident_filter.weekdays:
        parts.append("星期" + "、".join(_WEEKDAYS[d - 1] for d in incident_filter.weekdays))
    if incident_filter.within:
        parts.append(f"范围：{incident_filter.within}")
    return parts
