"""The hot-spot runs the analyst starts: automatic scale where asked, then Gi* (or LISA).

``--cell auto`` / ``--band auto`` go through :mod:`gisapp.analysis.hotspots.scale` (ArcGIS
Optimized Hot Spot Analysis logic); fixed values are used as given. The
summary says every choice and why, and lists the locational outliers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np

from gisapp.analysis.core.aggregation import AggregationParams, count_points_in_polygons, require_metric_crs
from gisapp.analysis.core.result import AnalysisResult, report
from gisapp.analysis.hotspots.gistar import GiStarParams, gi_star_of_units, hotspot_gi_star
from gisapp.analysis.hotspots.methods import AUTO, HotspotParams, NeighbourhoodParams
from gisapp.analysis.hotspots.places import top_hotspots
from gisapp.analysis.hotspots.scale import choose_polygon_band, choose_scale
from gisapp.analysis.hotspots.values import finish_status, neighbourhood, require_units, unit_layer, unit_values
from gisapp.layers.errors import InputError
from gisapp.layers.reproject import point_coordinates


@dataclass
class Neighbourhood:
    """The neighbourhood actually used, and the summary entry that explains it."""

    aggregation: AggregationParams
    band: float | None
    k: int | None
    contiguity: str | None
    scale: dict


def resolve_neighbourhood(points: gpd.GeoDataFrame, params: NeighbourhoodParams) -> Neighbourhood:
    """Fix every ``"auto"`` in ``params``: cell size and band from :func:`gisapp.analysis.hotspots.scale.choose_scale`
    (polygons: queen contiguity, since grid polygons range from a block to a township)."""
    require_metric_crs(points, "incident layer")
    if params.grid == "polygons" and params.polygons is None:
        raise InputError("Polygon aggregation needs a polygon layer: give --grid with a file or a layer name.")
    contiguity = params.contiguity
    if params.grid == "polygons" and params.band == AUTO and params.k is None and contiguity is None:
        contiguity = "queen"
    needs_band = params.k is None and contiguity is None and params.band == AUTO
    needs_cell = params.grid != "polygons" and params.cell_size == AUTO
    cell_size = None if params.grid == "polygons" or needs_cell else float(params.cell_size)
    band = None if (params.k is not None or contiguity or needs_band) else float(params.band)
    scale = {"reasons": ["cell size and neighbourhood as given"]}
    if contiguity and contiguity != params.contiguity:
        scale = {"reasons": ["polygons: queen contiguity (shared borders or corners), since the polygons differ too much in size for one distance band"]}
    if needs_band or needs_cell:
        x, y = point_coordinates(points)
        if params.grid == "polygons":
            centroids = params.polygons.geometry.centroid
            counts, _ = count_points_in_polygons(points, params.polygons)
            choice = choose_polygon_band(x, y, centroids.x.to_numpy(), centroids.y.to_numpy(), counts)
        else:
            choice = choose_scale(x, y, grid=params.grid, cell_size=cell_size, band=band)
            cell_size = choice.cell_size
        band = choice.band if needs_band else band
        scale = choice.to_dict()
    aggregation = AggregationParams(grid=params.grid, cell_size=cell_size, polygons=params.polygons, weight_field=params.weight_field)
    return Neighbourhood(aggregation, band, params.k, contiguity, scale)


def annotate(result: AnalysisResult, hood: Neighbourhood, auto: bool) -> AnalysisResult:
    """Add the scale choices to a result's summary and params."""
    cell = hood.aggregation.cell_size
    result.summary["cell_size_m"] = None if cell is None else round(float(cell), 3)
    result.summary["band_m"] = None if hood.band is None else round(float(hood.band), 3)
    result.summary["scale"] = hood.scale
    result.params["chosen"] = {"cell_size_m": result.summary["cell_size_m"], "band_m": result.summary["band_m"], "auto": auto}
    result.chosen.update(cell_size=result.summary["cell_size_m"], band=result.summary["band_m"])
    return result


def optimized_hotspots(points: gpd.GeoDataFrame, params: HotspotParams, progress=None, cancelled=None) -> AnalysisResult:
    """Getis-Ord Gi* with the scale chosen automatically where ``params`` says ``"auto"``.

    Returns the :func:`gisapp.analysis.hotspots.gistar.hotspot_gi_star` result with the
    summary extended by ``scale`` (choices, reasons, the Moran's I profile).
    """
    report(progress, cancelled, 0.0, "Choosing the scale")
    hood = resolve_neighbourhood(points, params)
    result = hotspot_gi_star(
        points,
        hood.aggregation,
        GiStarParams(band=hood.band, k=hood.k, contiguity=hood.contiguity, permutations=params.permutations, seed=params.seed, fdr=params.fdr),
        progress=_scaled(progress, 0.2),
        cancelled=cancelled,
    )
    return annotate(result, hood, AUTO in (params.cell_size, params.band))


def _scaled(progress, start: float):
    """A progress callback that maps [0, 1] of a later stage onto [start, 1]."""
    if progress is None:
        return None
    return lambda fraction, message: progress(start + (1.0 - start) * fraction, message)


def with_polygons(params: NeighbourhoodParams, inputs) -> NeighbourhoodParams:
    """``params`` with a polygon layer named by the user (``grids``, ``areas`` or a file) read into ``polygons``."""
    if params.grid in ("square", "hex", "polygons"):
        return params
    return replace(params, grid="polygons", polygons=inputs.layer_or_file(params.grid, "cell", "--grid"))


def value_hotspots(inputs, params: HotspotParams, progress=None, cancelled=None) -> AnalysisResult:
    """Gi* of a value per polygon or point (``--value``, ``--rate``, ``--per``; see :mod:`gisapp.analysis.hotspots.values`).

    Returns
    -------
    AnalysisResult
        ``layer``: every unit of the layer with ``value`` (and for rates
        ``numerator``, ``denominator``, ``rate_raw``), ``gi_z``, ``gi_p``,
        ``gi_bin``, ``neighbours`` and ``unit_status`` (``ok``, ``island``,
        ``zero_denominator``, ``missing_value``, ...). ``summary``: as
        :func:`gisapp.analysis.hotspots.gistar.hotspot_gi_star`, plus
        ``value``, ``units``, ``units_excluded`` (per reason: count and ids).
    """
    report(progress, cancelled, 0.0, "Reading the values of the units")
    values = unit_values(inputs, params)
    notes = require_units(values)
    counts = values.counts()
    hood = neighbourhood(counts, params)
    gi = GiStarParams(band=hood.band, k=hood.k, contiguity=hood.contiguity, permutations=params.permutations, seed=params.seed, fdr=params.fdr)
    analysed, summary = gi_star_of_units(counts, gi, _scaled(progress, 0.2), cancelled)
    excluded = finish_status(values, hood.weights)
    layer = unit_layer(values, analysed, {"gi_z": np.nan, "gi_p": np.nan, "gi_bin": 0, "neighbours": 0})
    summary.update(values.summary, value=values.description, units=len(layer), units_excluded=excluded,
                   notes=notes, scale={"reasons": hood.reasons})
    result = AnalysisResult(layer, summary, {"values": values.summary, "gi": gi.to_dict()})
    result.chosen.update(band=hood.band, weights=hood.route)
    report(progress, cancelled, 1.0, "Gi* done")
    return result


def run_hotspot(inputs, params: HotspotParams, progress=None, cancelled=None) -> AnalysisResult:
    """The ``hotspot`` method: Gi* of the filtered incidents (or of a value per unit), its strongest hot cells named by place."""
    if params.uses_values():
        result = value_hotspots(inputs, params, progress, cancelled)
    else:
        result = optimized_hotspots(inputs.incidents(), with_polygons(params, inputs), progress, cancelled)
    result.summary["top_hotspots"] = top_hotspots(result.layer, inputs)
    return result
