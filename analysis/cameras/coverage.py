"""Camera coverage of incidents, hotspots, grids and areas; blind spots.

Definitions
-----------
- An incident is **covered** when at least one online camera sees its
  location (:mod:`gisapp.analysis.cameras.geometry`: sector, disc or checkpoint
  footprint, optionally clipped by obstacles). Offline cameras never cover;
  the share they would add once repaired is reported separately.
- A **hotspot cell** is a cell of the hotspot layer with ``gi_bin >=
  min_gi_bin`` (2 = hot at 95 % confidence or more, the ArcGIS Gi_Bin
  convention).
- A **blind spot** is a hotspot cell where cameras see less than
  ``max_covered_share`` of the cell's incidents (by default: under half).
  Blind spots are ranked by their uncovered incidents (``n_uncovered``), then
  by incidents: the cells where a camera would see the most crime come first.
  For the usual blind spot, where cameras see nothing, the two orders agree.
- **Area coverage** of a polygon is the share of its area inside the union of
  the online footprints (drawn with chords every ``arc_step_deg`` degrees).
"""

from __future__ import annotations

from dataclasses import asdict

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from gisapp.analysis.cameras.geometry import (
    CameraParams,
    CameraTable,
    add_shadows,
    camera_table,
    coverage_pairs,
    coverage_polygons,
    covered_mask,
    positions_mask,
)
from gisapp.analysis.cameras.methods import CoverageParams
from gisapp.analysis.core.aggregation import point_coordinates
from gisapp.analysis.core.contract import AUTO
from gisapp.analysis.core.layer_inputs import (
    align_crs,
    chosen_hotspots,
    count_in_polygons,
    hotspot_layer,
    lonlat,
    metric_crs_of,
    nearest_road_names,
    optional_layer,
    rejected_rows_note,
)
from gisapp.analysis.core.result import LayeredResult, report
from gisapp.analysis.core.summaries import plain, share

#: Columns of a blind spot in the summary's list (the layer holds them all).
BLIND_SPOT_COLUMNS = ["rank", "cell_id", "n", "n_uncovered", "covered_share", "gi_z", "nearest_road", "nearest_camera_m"]
#: Columns of an area in the summary.
AREA_COLUMNS = ["area_id", "name", "area_type", "n", "n_covered", "covered_share", "area_covered_share", "cameras"]


def camera_coverage(
    incidents: gpd.GeoDataFrame,
    cameras: gpd.GeoDataFrame,
    params: CoverageParams | None = None,
    hotspots: gpd.GeoDataFrame | None = None,
    grids: gpd.GeoDataFrame | None = None,
    areas: gpd.GeoDataFrame | None = None,
    roads: gpd.GeoDataFrame | None = None,
    obstacles: gpd.GeoDataFrame | None = None,
    progress=None,
    cancelled=None,
) -> LayeredResult:
    """How much crime the cameras see, and where the hotspots are that they miss.

    Parameters
    ----------
    incidents : GeoDataFrame
        Incident points in a metric CRS (this CRS is the analysis CRS).
    cameras : GeoDataFrame
        Camera points (see :func:`gisapp.analysis.cameras.geometry.camera_table`);
        reprojected when in another CRS, like every other layer.
    params : CoverageParams, optional
    hotspots : GeoDataFrame, optional
        Cells with ``gi_bin`` (from ``gisapp hotspot``). Computed from the
        incidents when not given (see :mod:`gisapp.analysis.core.layer_inputs`).
    grids, areas : GeoDataFrame, optional
        Polygons whose coverage is reported (网格 cells; markets, fringe, ...).
    roads : GeoDataFrame, optional
        To orient cameras without a heading and to name the road nearest each blind spot.
    obstacles : GeoDataFrame, optional
        Building or wall polygons that block the view (line of sight).

    Returns
    -------
    LayeredResult
        ``layer``: the blind spots, ranked (``rank``, ``cell_id``, ``n``,
        ``n_covered``, ``n_uncovered``, ``covered_share``,
        ``area_covered_share``, ``gi_z``, ``gi_bin``, ``nearest_road``,
        ``nearest_camera_m``). ``extra_layers``: ``camera_coverage`` (one
        footprint per camera with the incidents it sees), ``hotspot_coverage``
        (every hotspot cell), ``grid_coverage`` and ``area_coverage`` when
        given. ``summary``: shares overall, by category and by hour, the top
        blind spots, area and grid coverage, every camera with an assumed value.
    """
    params = params or CoverageParams()
    params.validate()
    crs = metric_crs_of(incidents, "incident layer")
    notes: list[str] = []
    cameras, grids, areas, roads, obstacles = (
        align_crs(frame, crs, what, notes)
        for frame, what in ((cameras, "camera"), (grids, "grid"), (areas, "area"), (roads, "road"), (obstacles, "obstacle"))
    )
    report(progress, cancelled, 0.0, "Reading cameras")
    settings = CameraParams.of(params)
    table, line_of_sight = _camera_register(cameras, settings, roads, obstacles)
    x, y, located = point_coordinates(incidents)
    report(progress, cancelled, 0.15, "Testing incidents against camera footprints")
    seen_by = coverage_pairs(x, y, table)
    covered = positions_mask(len(x), seen_by[0])
    repaired = covered_mask(x, y, table, np.flatnonzero(table.located))
    report(progress, cancelled, 0.35, "Drawing footprints")
    footprints = coverage_polygons(table, settings.arc_step_deg)
    union = shapely.union_all(footprints[table.active]) if table.active.any() else shapely.Polygon()
    camera_layer = _camera_layer(table, footprints, seen_by, len(x), crs)

    report(progress, cancelled, 0.45, "Finding hotspot cells")
    cells, hotspot_source = hotspot_layer(incidents, hotspots, notes, progress=None, cancelled=cancelled)
    hot = cells[cells["gi_bin"] >= params.min_gi_bin].reset_index(drop=True)
    report(progress, cancelled, 0.7, "Coverage of hotspot cells")
    hot = _polygon_coverage(hot, incidents, covered, union, table)
    blind = _blind_spots(hot, params, table, roads, crs)
    extra = {"camera_coverage": camera_layer, "hotspot_coverage": hot}
    summary = {
        **_incident_summary(incidents, covered, repaired, located),
        "cameras": _camera_summary(table),
        "coverage_area_km2": round(float(shapely.area(union)) / 1e6, 4),
        "line_of_sight": line_of_sight,
        "by_category": _by_group(incidents, covered, located, "category"),
        "by_hour": _by_hour(incidents, covered, located),
        "hotspots": _hotspot_summary(cells, hot, params, hotspot_source),
        "blind_spots": _blind_spot_summary(blind, params, crs),
        "notes": notes,
    }
    if grids is not None:
        report(progress, cancelled, 0.85, "Coverage of grid cells")
        extra["grid_coverage"] = _polygon_coverage(grids.reset_index(drop=True), incidents, covered, union, table)
        summary["grids"] = _grid_summary(extra["grid_coverage"], params.top)
    if areas is not None:
        extra["area_coverage"] = _polygon_coverage(areas.reset_index(drop=True), incidents, covered, union, table)
        summary["areas"] = _records(extra["area_coverage"], None, AREA_COLUMNS)
    report(progress, cancelled, 1.0, "Coverage done")
    resolved = {**asdict(params), "cameras": settings.to_dict(), "hotspot_source": hotspot_source}
    return LayeredResult(blind, summary, resolved, extra_layers=extra)


def run_coverage(inputs, params: CoverageParams, progress=None, cancelled=None) -> LayeredResult:
    """The ``coverage`` method: camera coverage of the filtered incidents, with the input's grids, areas and roads."""
    result = camera_coverage(
        inputs.incidents(),
        inputs.frame("cameras"),
        params,
        hotspots=chosen_hotspots(inputs, params.hotspots),
        grids=inputs.frame("grids", required=False),
        areas=inputs.frame("areas", required=False),
        roads=inputs.frame("roads", required=False),
        obstacles=optional_layer(inputs, params.obstacles, "obstacle"),
        progress=progress,
        cancelled=cancelled,
    )
    result.summary["notes"] += rejected_rows_note(inputs.rejects("cameras"), "camera")
    if params.hotspots == AUTO:
        result.chosen["hotspots"] = result.summary["hotspots"]["source"]
    return result


# --------------------------------------------------------------------------- pieces


def _camera_register(cameras, settings: CameraParams, roads, obstacles) -> tuple[CameraTable, dict]:
    """The cameras as the coverage model sees them, clipped by the obstacles when given, and what line of sight did."""
    table = camera_table(cameras, settings, roads)
    if obstacles is None:
        return table, {"applied": False}
    table, shadow_summary = add_shadows(table, obstacles)
    return table, {"applied": True, **shadow_summary}


def _incident_summary(incidents, covered: np.ndarray, repaired: np.ndarray, located: np.ndarray) -> dict:
    return {
        "incidents": int(located.sum()),
        "incidents_without_location": int((~located).sum()),
        "covered": int(covered.sum()),
        "share_covered": share(covered.sum(), located.sum()),
        "share_covered_if_offline_repaired": share(repaired.sum(), located.sum()),
    }


def _hotspot_summary(cells, hot, params: CoverageParams, source: str) -> dict:
    return {
        "source": source,
        "cells": len(cells),
        "hot_cells": len(hot),
        "min_gi_bin": params.min_gi_bin,
        "hot_cells_covered_share": share((hot["covered_share"] >= params.max_covered_share).sum(), len(hot)),
        "incidents_in_hot_cells": int(hot["n"].sum()),
        "share_covered_in_hot_cells": share(hot["n_covered"].sum(), hot["n"].sum()),
    }


def _blind_spot_summary(blind, params: CoverageParams, crs) -> dict:
    return {
        "count": len(blind),
        "rule": f"hotspot cell (gi_bin >= {params.min_gi_bin}) where cameras see under {params.max_covered_share:.0%} of its incidents",
        "ranked_by": "uncovered incidents, then incidents",
        "incidents": int(blind["n"].sum()),
        "top": _records(blind.head(params.top), crs, BLIND_SPOT_COLUMNS),
    }


def _camera_layer(table: CameraTable, footprints: np.ndarray, seen_by, n_points: int, crs) -> gpd.GeoDataFrame:
    points, cams = seen_by
    seen = np.bincount(cams, minlength=len(table))
    per_point = np.bincount(points, minlength=n_points)
    alone = per_point[points] == 1
    only = np.bincount(cams[alone], minlength=len(table))
    return gpd.GeoDataFrame(
        {
            "camera_id": table.camera_id.astype(str),
            "kind": table.kind.astype(str),
            "status": np.where(table.online, "online", "offline"),
            "active": table.active,
            "heading_deg": np.round(table.heading, 1),
            "fov_deg": table.fov,
            "range_m": table.range,
            "footprint_m2": np.round(shapely.area(footprints.astype(object)), 1),
            "incidents_seen": seen,
            "incidents_only_this": only,
            "assumed": table.notes,
        },
        geometry=gpd.GeoSeries(footprints, crs=crs),
        crs=crs,
    )


def covered_area(geoms: np.ndarray, union) -> np.ndarray:
    """Area of each polygon that ``union`` (the cameras' footprint) covers.

    Only polygons the union touches are intersected; those it contains are
    whole; rectangles (fishnet cells) are clipped with GEOS's rectangle clip,
    which is far cheaper than a general overlay with a county's worth of
    camera sectors (thousands of hot cells: about 1 s down to a few hundredths).
    """
    covered = np.zeros(len(geoms))
    if not len(geoms) or union is None or shapely.is_empty(union):
        return covered
    shapely.prepare(union)
    touching = shapely.intersects(union, geoms)
    inside = touching & shapely.contains_properly(union, geoms)
    covered[inside] = shapely.area(geoms[inside])
    partial = np.flatnonzero(touching & ~inside)
    if partial.size:
        bounds = shapely.bounds(geoms[partial])
        boxes = (bounds[:, 2] - bounds[:, 0]) * (bounds[:, 3] - bounds[:, 1])
        rectangle = np.isclose(shapely.area(geoms[partial]), boxes, rtol=1e-9, atol=0)
        for i, box in zip(partial[rectangle], bounds[rectangle]):
            covered[i] = shapely.area(shapely.clip_by_rect(union, *box))
        others = partial[~rectangle]
        if others.size:
            covered[others] = shapely.area(shapely.intersection(geoms[others], union))
    return covered


def _polygon_coverage(polys: gpd.GeoDataFrame, incidents, covered: np.ndarray, union, table: CameraTable) -> gpd.GeoDataFrame:
    out = polys.copy()
    clashes = {c: f"{c}_input" for c in ("n", "n_covered", "n_uncovered", "covered_share", "area_covered_share", "cameras") if c in out}
    out = out.rename(columns=clashes)
    n = count_in_polygons(incidents, polys)
    n_cov = count_in_polygons(incidents, polys, covered)
    out["n"] = n
    out["n_covered"] = n_cov
    out["n_uncovered"] = n - n_cov
    out["covered_share"] = np.where(n > 0, n_cov / np.maximum(n, 1), np.nan)
    geoms = np.asarray(polys.geometry.values)
    area = shapely.area(geoms)
    inter = covered_area(geoms, union)
    out["area_covered_share"] = np.where(area > 0, np.round(inter / np.where(area > 0, area, 1), 4), np.nan)
    active = np.flatnonzero(table.active)
    if len(geoms) and len(active):
        cam_points = shapely.points(table.x[active], table.y[active])
        poly_i, _ = shapely.STRtree(cam_points).query(geoms, predicate="intersects")
        out["cameras"] = np.bincount(poly_i, minlength=len(polys))
    else:
        out["cameras"] = np.zeros(len(polys), dtype=np.int64)
    return out


def _blind_spots(hot: gpd.GeoDataFrame, params: CoverageParams, table: CameraTable, roads, crs) -> gpd.GeoDataFrame:
    blind_mask = (hot["n"] > 0) & ~(hot["covered_share"] >= params.max_covered_share)
    blind = hot[blind_mask].sort_values(["n_uncovered", "n"], ascending=False, kind="stable").reset_index(drop=True)
    blind.insert(0, "rank", np.arange(1, len(blind) + 1))
    centres = shapely.centroid(np.asarray(blind.geometry.values)) if len(blind) else np.empty(0, dtype=object)
    blind["nearest_road"] = nearest_road_names(centres, roads)
    active = np.flatnonzero(table.active)
    if len(active) and len(blind):
        dist, _ = cKDTree(np.column_stack([table.x[active], table.y[active]])).query(
            np.column_stack([shapely.get_x(centres), shapely.get_y(centres)])
        )
        blind["nearest_camera_m"] = np.round(dist, 1)
    else:
        blind["nearest_camera_m"] = np.full(len(blind), np.nan)
    if len(blind) == 0:
        blind = gpd.GeoDataFrame(blind, geometry=blind.geometry.name, crs=crs)
    return blind


def _camera_summary(table: CameraTable) -> dict:
    problems = table.problems()
    return {
        "total": len(table),
        "online": int(table.active.sum()),
        "offline": int((~table.online).sum()),
        "without_location": int((~table.located).sum()),
        "by_kind": {k: int((table.kind == k).sum()) for k in ("fixed", "dome", "checkpoint")},
        "with_assumed_values": len(problems),
        "assumed": problems[:50],
    }


def _by_group(incidents: gpd.GeoDataFrame, covered, located, column: str) -> list[dict]:
    if column not in incidents.columns:
        return []
    key = incidents[column].astype("string").fillna("(none)").to_numpy(dtype=object)[located]
    frame = pd.DataFrame({column: key, "covered": covered[located]})
    table = frame.groupby(column, sort=False)["covered"].agg(["size", "sum"]).sort_values("size", ascending=False)
    return [
        {column: str(name), "incidents": int(row["size"]), "covered": int(row["sum"]), "share": share(row["sum"], row["size"])}
        for name, row in table.iterrows()
    ]


def _by_hour(incidents: gpd.GeoDataFrame, covered, located) -> list[dict]:
    if "occurred_at" not in incidents.columns:
        return []
    hours = pd.to_datetime(incidents["occurred_at"], errors="coerce").dt.hour.to_numpy(dtype=np.float64, na_value=np.nan)
    out = []
    for hour in range(24):
        sel = located & (hours == hour)
        out.append({"hour": hour, "incidents": int(sel.sum()), "covered": int(covered[sel].sum()), "share": share(covered[sel].sum(), sel.sum())})
    unknown = located & np.isnan(hours)
    if unknown.any():
        out.append({"hour": None, "incidents": int(unknown.sum()), "covered": int(covered[unknown].sum()), "share": share(covered[unknown].sum(), unknown.sum())})
    return out


def _grid_summary(grid_layer: gpd.GeoDataFrame, top: int) -> dict:
    with_incidents = grid_layer[grid_layer["n"] > 0]
    worst = with_incidents.sort_values(["n_uncovered", "n"], ascending=False).head(top)
    columns = [c for c in ("grid_id", "name", "n", "n_covered", "covered_share", "area_covered_share", "cameras") if c in grid_layer]
    return {
        "count": len(grid_layer),
        "without_camera": int((grid_layer["cameras"] == 0).sum()),
        "most_uncovered": _records(worst, None, columns),
    }


def _records(frame: gpd.GeoDataFrame, crs, columns: list[str]) -> list[dict]:
    """Plain JSON rows of ``columns`` (those present), with lon/lat of the centre when ``crs`` is given."""
    present = [c for c in columns if c in frame.columns]
    rows = []
    centres = lonlat(frame.geometry.values, crs) if crs is not None and len(frame) else None
    for i, (_, row) in enumerate(frame[present].iterrows()):
        record = {c: plain(row[c]) for c in present}
        if centres is not None:
            record["lon"], record["lat"] = float(centres[i, 0]), float(centres[i, 1])
        rows.append(record)
    return rows
