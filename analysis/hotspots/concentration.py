"""Crime concentration at places, the "80/20" question (``gisapp concentration``).

Weisburd's "law of crime concentration at place" (Weisburd 2015) says that a
small share of places — street segments above all — holds a large share of
crime (about 50 % of crime on 2–6 % of segments, and 25 % on 0.4–1.6 %). This
module ranks places by their incident count and reports how much of the
incidents the top places hold.

Places
------
``"square"`` / ``"hex"``
    Cells of a fishnet or hexagon grid (:mod:`gisapp.analysis.core.aggregation`, the same
    edge conventions as the hot-spot analysis). Every cell over the incidents'
    extent is a place, empty or not — or, with ``boundary``, every cell whose
    centre lies inside that polygon (for example the county seat or one
    township), so that empty fields do not count as places when they should not.
``"polygons"``
    The polygons of a layer (网格 cells, areas); incidents in no polygon are
    left out and counted.
``"roads"``
    Road lines cut into **street segments** of about ``segment_length`` metres:
    each line is divided into ``max(1, round(L / segment_length))`` equal
    pieces, so segments have comparable lengths without stubs. Each incident
    goes to the nearest segment within ``snap_distance`` metres (ties to the
    first segment); farther incidents are left out and counted.

Curves and numbers
------------------
Places are ranked by count, highest first (by count per km of road for the
"length" axis), and the **concentration curve** plots the cumulative share of
incidents against the cumulative share of places — or of road length
("hot streets": how much of the network must be patrolled), or of area for
polygons of unequal size. It is the Lorenz curve read from the top.

- ``places_holding[p]``: the fewest places that hold at least ``p`` % of the
  incidents (50 and 80 by default), and ``share_of_places_holding[p]`` that
  number as a share of all places (of road length / area on those axes);
- ``incidents_in_top[q]``: the share of incidents in the top ``q`` % of places
  (1, 5, 10, 20), read off the piecewise-linear curve;
- **Gini** = twice the area between the curve and the diagonal:
  ``G = Σ_k (X_k − X_{k−1})(Y_k + Y_{k−1}) − 1`` over the ranked places, the
  usual sample Gini (``(2 Σ i y_(i))/(n Σ y) − (n+1)/n``) when places have
  equal size; 0 for an even spread, ``1 − 1/n`` when one place has all;
- ``gini_active``: the same over the places with at least one incident;
- ``gini_generalized``: when there are fewer incidents ``N`` than places
  ``n``, even the most even spread leaves ``n − N`` places empty, so the Gini
  cannot fall below ``1 − N/n``. After Bernasco & Steenbeek (2017, "More places
  than crimes"), gisapp rescales ``G' = (G − (1 − N/n)) / (N/n)`` so that this
  most even spread scores 0. It equals ``G`` when ``N ≥ n``; it is given for
  counts (not for weights).

Both the share of **all** places and of places **with incidents** are
reported, as Weisburd does, because the first depends on how many empty places
the study area has.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import ops

from gisapp.analysis.core.aggregation import (
    AggregationParams,
    aggregate_incidents,
    incident_weights,
    point_coordinates,
    require_metric_crs,
)
from gisapp.analysis.core.result import AnalysisResult, report
from gisapp.analysis.hotspots.methods import ConcentrationParams
from gisapp.layers.errors import AnalysisError, InputError

UNITS = ("square", "hex", "polygons", "roads")
#: Points of the curve kept in the JSON summary.
SUMMARY_CURVE_POINTS = 101


@dataclass
class ConcentrationCurve:
    """A ranked concentration curve: ``x[k]``, ``y[k]`` after the top ``k`` places (``x[0] = y[0] = 0``)."""

    x: np.ndarray
    y: np.ndarray
    order: np.ndarray  # place positions, highest first

    def places_for(self, share: float) -> int:
        """The fewest top places whose incidents reach ``share`` (0–1)."""
        return int(np.searchsorted(self.y, share - 1e-12, side="left"))

    def y_at(self, x_share: float) -> float:
        return float(np.interp(x_share, self.x, self.y))


@dataclass
class ConcentrationResult(AnalysisResult):
    """``layer``: the places ranked; ``curve``: the main concentration curve; ``axis``: what its x measures."""

    curve: ConcentrationCurve | None = None
    axis: str = "places"
    unit_label: str = "places"
    extra_curves: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- statistics


def concentration_curve(values, sizes=None) -> ConcentrationCurve:
    """Rank places by ``values / sizes`` (highest first; ties by position) and accumulate shares.

    Parameters
    ----------
    values : array_like
        Incident count (or weight) per place, non-negative, not all zero.
    sizes : array_like, optional
        Place size (length, area); equal sizes when omitted.
    """
    values = np.asarray(values, dtype=float)
    sizes = np.ones(len(values)) if sizes is None else np.asarray(sizes, dtype=float)
    if len(values) == 0 or not values.sum() > 0:
        raise AnalysisError("No incident falls in any place, so there is no concentration to measure.")
    if (sizes <= 0).any():
        raise AnalysisError("Every place needs a positive size (length or area).")
    rate = values / sizes
    order = np.lexsort((np.arange(len(values)), -rate))
    x = np.concatenate([[0.0], np.cumsum(sizes[order]) / sizes.sum()])
    y = np.concatenate([[0.0], np.cumsum(values[order]) / values.sum()])
    x[-1] = y[-1] = 1.0
    return ConcentrationCurve(x, y, order)


def gini(values, sizes=None) -> float:
    """Gini coefficient of ``values`` over places of ``sizes`` (module notes)."""
    curve = concentration_curve(values, sizes)
    return float(np.sum(np.diff(curve.x) * (curve.y[1:] + curve.y[:-1])) - 1.0)


def generalized_gini(g: float, incidents: int, places: int) -> float:
    """Gini rescaled so that the most even spread of fewer incidents than places scores 0 (module notes)."""
    if incidents >= places or incidents <= 0:
        return g
    floor = 1.0 - incidents / places
    return (g - floor) / (incidents / places)


def _figures(curve: ConcentrationCurve, shares, tops) -> dict:
    n = len(curve.order)
    holding = {f"{s:g}": curve.places_for(s / 100.0) for s in shares}
    return {
        "places_holding": holding,
        "share_of_places_holding": {k: round(v / n, 6) for k, v in holding.items()},
        "share_of_axis_holding": {k: round(float(curve.x[v]), 6) for k, v in holding.items()},
        "incidents_in_top": {f"{t:g}": round(curve.y_at(t / 100.0), 6) for t in tops},
    }


def _downsample(curve: ConcentrationCurve, points: int = SUMMARY_CURVE_POINTS) -> dict:
    grid = np.linspace(0.0, 1.0, points)
    return {"x": [round(float(v), 5) for v in grid], "y": [round(curve.y_at(v), 5) for v in grid]}


# --------------------------------------------------------------------------- places


def split_line(line, length: float) -> list:
    """``line`` cut into ``max(1, round(L / length))`` equal pieces."""
    total = line.length
    pieces = max(1, round(total / length))
    cuts = np.linspace(0.0, total, pieces + 1)
    return [ops.substring(line, cuts[k], cuts[k + 1]) for k in range(pieces)]


def street_segments(roads: gpd.GeoDataFrame, length: float) -> gpd.GeoDataFrame:
    """Road lines cut into segments of about ``length`` metres, keeping ``name`` and ``road_class``."""
    if not (math.isfinite(length) and length > 0):
        raise InputError(f"The segment length must be a positive number of metres, got {length}.")
    lines = roads.explode(index_parts=False)
    lines = lines[lines.geometry.notna() & ~lines.geometry.is_empty]
    kinds = set(lines.geom_type.unique()) - {"LineString", "LinearRing"}
    if kinds:
        raise InputError(f"The road layer must contain lines, found {', '.join(sorted(kinds))}.")
    rows, geoms = [], []
    for position, (index, line) in enumerate(zip(lines.index, lines.geometry.values)):
        if line.length <= 0:
            continue
        name = lines.at[index, "name"] if "name" in lines.columns else None
        road_class = lines.at[index, "road_class"] if "road_class" in lines.columns else None
        if isinstance(name, pd.Series):  # an exploded multi-line repeats its index
            name, road_class = name.iloc[0], (road_class.iloc[0] if isinstance(road_class, pd.Series) else road_class)
        for k, piece in enumerate(split_line(line, length)):
            rows.append({"road": position, "name": name, "road_class": road_class, "segment": k + 1})
            geoms.append(piece)
    if not geoms:
        raise InputError("The road layer has no line with a length.")
    segments = gpd.GeoDataFrame(rows, geometry=geoms, crs=roads.crs)
    segments["length_m"] = segments.geometry.length
    return segments


def snap_to_segments(points: gpd.GeoDataFrame, segments: gpd.GeoDataFrame, snap_distance: float) -> tuple[np.ndarray, np.ndarray]:
    """Position of the nearest segment within ``snap_distance`` for every point (−1 for none), and the distance."""
    if not (math.isfinite(snap_distance) and snap_distance > 0):
        raise InputError(f"The snap distance must be a positive number of metres, got {snap_distance}.")
    (point_idx, segment_idx), distance = segments.sindex.nearest(
        points.geometry.values, max_distance=snap_distance, return_distance=True, return_all=False
    )
    assigned = np.full(len(points), -1, dtype=np.int64)
    dist = np.full(len(points), np.nan)
    assigned[point_idx] = segment_idx
    dist[point_idx] = distance
    return assigned, dist


def _cells(points, params: ConcentrationParams):
    counts = aggregate_incidents(points, AggregationParams(grid=params.unit, cell_size=params.cell_size,
                                                           weight_field=params.weight_field, trim_empty=False))
    cells = counts.cells
    values = counts.values
    dropped = 0
    if params.boundary is not None:
        inside = shapely.contains_xy(params.boundary, cells.geometry.centroid.x.to_numpy(), cells.geometry.centroid.y.to_numpy())
        dropped = int(counts.cells["n"].to_numpy()[~inside].sum())
        cells, values = cells[inside].reset_index(drop=True), values[inside]
    cells["area_km2"] = cells.geometry.area / 1e6
    return cells, values, {"incidents_outside": int(counts.summary["incidents_outside"]) + dropped}


def _polygons(points, params: ConcentrationParams):
    if params.polygons is None or len(params.polygons) == 0:
        raise InputError("Counting into polygons needs a polygon layer with at least one polygon.")
    counts = aggregate_incidents(points, AggregationParams(grid="polygons", polygons=params.polygons, weight_field=params.weight_field))
    cells = counts.cells.reset_index(drop=True)
    cells["area_km2"] = cells.geometry.area / 1e6
    return cells, counts.values, {"incidents_outside": int(counts.summary["incidents_outside"])}


def _roads(points, params: ConcentrationParams):
    if params.roads is None or len(params.roads) == 0:
        raise InputError("Hot streets need a road layer: give roads.")
    if params.roads.crs != points.crs:
        raise InputError("The roads and the incidents have different coordinate systems; project them to the same metric CRS first.")
    segments = street_segments(params.roads, float(params.segment_length))
    _, _, located = point_coordinates(points)
    located_points = points[located]
    assigned, distance = snap_to_segments(located_points, segments, float(params.snap_distance))
    weights = incident_weights(points, params.weight_field)
    inside = assigned >= 0
    n = np.bincount(assigned[inside], minlength=len(segments))
    segments["n"] = n
    values = n.astype(float)
    if weights is not None:
        values = np.bincount(assigned[inside], weights=weights[located][inside], minlength=len(segments))
        segments["weight_sum"] = values
    segments["n_per_km"] = values / (segments["length_m"] / 1000.0)
    extra = {
        "incidents_outside": int((~inside).sum()),
        "snap_distance_median_m": float(np.nanmedian(distance)) if inside.any() else None,
        "segments": len(segments),
        "road_length_km": float(segments["length_m"].sum() / 1000.0),
        "segment_length_mean_m": float(segments["length_m"].mean()),
    }
    return segments, values, extra


# --------------------------------------------------------------------------- entry point


def crime_concentration(points_gdf: gpd.GeoDataFrame, params: ConcentrationParams | None = None, progress=None, cancelled=None) -> ConcentrationResult:
    """Rank places by incidents and measure how concentrated the incidents are.

    Parameters
    ----------
    points_gdf : GeoDataFrame
        Incident points in a projected CRS in metres (degrees are refused with
        an :class:`AnalysisError`).
    params : ConcentrationParams

    Returns
    -------
    ConcentrationResult
        ``layer``: the places with ``n`` (``weight_sum``), ``rank`` (1 = most),
        ``cum_share_incidents``, ``cum_share_places`` (and
        ``cum_share_length`` / ``cum_share_area``), ``top50``/``top80`` flags
        (in the fewest places holding 50 / 80 % of the incidents);
        ``curve``: the main curve (road length for roads, places otherwise);
        ``summary``: see the module notes, plus a 101-point curve and a
        one-sentence reading in Chinese and English.
    """
    p = params or ConcentrationParams()
    if p.unit not in UNITS:
        raise InputError(f"Unknown place unit {p.unit!r}; use one of {', '.join(UNITS)}.")
    require_metric_crs(points_gdf, "incident layer")
    report(progress, cancelled, 0.0, "counting incidents per place")
    if p.unit in ("square", "hex"):
        places, values, extra = _cells(points_gdf, p)
        unit_label, axis, sizes_column = ("格网单元" if p.unit == "square" else "六边形单元", "places", "area_km2")
    elif p.unit == "polygons":
        places, values, extra = _polygons(points_gdf, p)
        unit_label, axis, sizes_column = ("区域", "places", "area_km2")
    else:
        places, values, extra = _roads(points_gdf, p)
        unit_label, axis, sizes_column = ("路段", "length", "length_m")
    report(progress, cancelled, 0.6, "ranking places")
    values = np.asarray(values, dtype=float)
    sizes = places[sizes_column].to_numpy(dtype=float)
    by_places = concentration_curve(values)
    curves = {"places": by_places}
    if p.unit == "roads":
        curves["length"] = concentration_curve(values, sizes)
    elif p.unit == "polygons" and (sizes > 0).all():
        curves["area"] = concentration_curve(values, sizes)
    main = curves[axis]

    layer = places.copy()
    rank = np.empty(len(values), dtype=np.int64)
    rank[main.order] = np.arange(1, len(values) + 1)
    layer["rank"] = rank
    layer["cum_share_incidents"] = main.y[rank]
    for name, curve in curves.items():
        column = "cum_share_places" if name == "places" else f"cum_share_{name}"
        position = np.empty(len(values), dtype=np.int64)
        position[curve.order] = np.arange(1, len(values) + 1)
        layer[column] = curve.x[position]
    for share in p.shares:
        k = main.places_for(share / 100.0)
        layer[f"top{share:g}"] = rank <= k

    total_n = int(places["n"].sum())
    weighted = p.weight_field is not None
    g = gini(values)
    active = values > 0
    summary = {
        "unit": p.unit,
        "axis": axis,
        "places": len(values),
        "places_with_incidents": int(active.sum()),
        "incidents": total_n,
        "weight_total": float(values.sum()) if weighted else None,
        **extra,
        "gini": round(g, 6),
        "gini_active": round(gini(values[active]), 6),
        "gini_generalized": None if weighted else round(generalized_gini(g, total_n, len(values)), 6),
        "by": {name: _figures(curve, p.shares, p.tops) for name, curve in curves.items()},
        "active_places": _figures(concentration_curve(values[active]), p.shares, p.tops),
        "curve": _downsample(main),
    }
    summary["sentence"], summary["sentence_zh"] = _sentences(summary, unit_label, axis, p.shares)
    report(progress, cancelled, 1.0, "done")
    return ConcentrationResult(layer, summary, p.to_dict(), main, axis, unit_label, curves)


_ENGLISH_UNITS = {"路段": "road segments", "格网单元": "square cells", "六边形单元": "hexagons", "区域": "areas"}


def _sentences(summary: dict, unit_label: str, axis: str, shares) -> tuple[str, str]:
    figures = summary["by"][axis]
    english_unit = _ENGLISH_UNITS.get(unit_label, "places")
    en, zh = [], []
    for s in shares:
        key = f"{s:g}"
        k = figures["places_holding"][key]
        share = figures["share_of_axis_holding"][key] * 100
        if axis == "length":
            en.append(f"{k} {english_unit} ({share:.1f} % of road length) hold {s:g} % of incidents")
            zh.append(f"{k}个{unit_label}（占道路总长{share:.1f}%）集中了{s:g}%的案件")
        else:
            en.append(f"{share:.1f} % of {english_unit} ({k}) hold {s:g} % of incidents")
            zh.append(f"{share:.1f}%的{unit_label}（{k}个）集中了{s:g}%的案件")
    denominator_en, denominator_zh = _denominator(summary, english_unit, unit_label)
    return ("; ".join(en) + f"{denominator_en}; Gini {summary['gini']:.3f}.",
            "；".join(zh) + f"{denominator_zh}；基尼系数{summary['gini']:.3f}。")


def _denominator(summary: dict, english_unit: str, unit_label: str) -> tuple[str, str]:
    """What the shares are of, when some incidents are on no place: never a share of an unstated subset."""
    counted, outside = int(summary["incidents"]), int(summary.get("incidents_outside") or 0)
    if not outside:
        return "", ""
    total = counted + outside
    return (
        f" (shares of the {counted:,} incidents on {english_unit}, {counted / total:.1%} of all {total:,}; "
        f"the other {outside:,} are on none and not counted)",
        f"（比例按落在{unit_label}上的 {counted:,} 起计算，占全部 {total:,} 起的 {counted / total:.1%}；其余 {outside:,} 起不在任何{unit_label}上，未计入）",
    )


def run_concentration(inputs, params: ConcentrationParams, progress=None, cancelled=None) -> ConcentrationResult:
    """The ``concentration`` method: the places the user named (roads, cells or polygons), ranked."""
    incidents = inputs.incidents()
    if params.unit == "roads":
        params = replace(params, roads=inputs.frame("roads"))
    elif params.unit in ("square", "hex"):
        within = inputs.incident_filter.within_geometry if inputs.incident_filter is not None else None
        params = replace(params, boundary=within)
    elif params.unit != "polygons":
        params = replace(params, unit="polygons", polygons=inputs.layer_or_file(params.unit, "place", "--unit"))
    return crime_concentration(incidents, params, progress, cancelled)
