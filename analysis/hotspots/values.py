"""Units that carry their own value: a field, a rate of two fields, or incidents per population.

``gisapp hotspot --value CRIME`` (and ``lisa``) analyse a number attached to
each polygon (or point) of a layer instead of counting incidents into cells:
Getis-Ord Gi* or local Moran's I of the field, as ArcGIS "Hot Spot Analysis"
with an input field, GeoDa and esda do. Three ways to give the value:

- ``--value FIELD``: the field itself;
- ``--rate NUMERATOR/DENOMINATOR``: the rate of two fields per 10,000;
- ``--per FIELD``: the incidents counted in each polygon (the 网格 grids by
  default) divided by the polygon's field, per 10,000 (incidents per 10,000
  residents with ``--per population``).

A rate can be smoothed by empirical Bayes (``--smooth eb`` or ``spatial-eb``,
:mod:`gisapp.analysis.stats.rates`), because small populations make raw
rates unstable.

The layer is the one ``--grid`` names (a layer of the input or a file), else
the input's layer that has the fields, polygons before points. Units without
a usable value (a missing field, a zero or missing denominator) are left out
of the analysis and reported one by one in the ``unit_status`` column and the
summary, as are islands (units with no neighbour, which get no statistic).

Neighbours (:func:`unit_weights`): polygons take queen contiguity unless
``--contiguity rook``, ``--band`` (between centroids) or ``--k`` says
otherwise; points take ``--band`` or ``--k``, and with neither the band is
chosen by incremental spatial autocorrelation of the values (the first peak
of Moran's I z, :mod:`gisapp.analysis.hotspots.scale`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd

from gisapp.analysis.core.aggregation import CellCounts, count_points_in_polygons, with_result_columns
from gisapp.analysis.hotspots.methods import AUTO, NeighbourhoodParams
from gisapp.analysis.hotspots.scale import choose_value_band
from gisapp.analysis.stats.rates import OK, RATE_BASE, unit_rates
from gisapp.analysis.stats.weights import unit_weights
from gisapp.layers.errors import AnalysisError, InputError

MISSING_VALUE = "missing_value"
ISLAND = "island"
#: ArcGIS Optimized Hot Spot Analysis asks for at least 30 polygons; fewer get a note.
FEW_UNITS = 30
#: Units listed by id in the summary for each reason (the layer has them all).
LISTED_UNITS = 50


@dataclass
class UnitValues:
    """The units of a layer with the value each is analysed by.

    Attributes
    ----------
    units : GeoDataFrame
        Every feature of the layer, input columns kept, result columns added
        (``value``, and for rates ``rate_raw``, ``numerator``, ``denominator``).
    values : ndarray
        The analysed value per unit (NaN where ``status`` is not ``"ok"``).
    status : ndarray of str
        ``"ok"`` or why the unit is left out.
    description : str
        What the value is, for the summary ("CRIME", "incidents per 10,000 population, EB-smoothed").
    summary : dict
    """

    units: gpd.GeoDataFrame
    values: np.ndarray
    status: np.ndarray
    description: str
    summary: dict = field(default_factory=dict)

    @property
    def analysed(self) -> np.ndarray:
        """Units in the analysis: those with a value (an island is analysed, but gets no statistic)."""
        return (self.status == OK) | (self.status == ISLAND)

    def counts(self) -> CellCounts:
        """The analysed units as the :class:`CellCounts` the Gi* and LISA engines take."""
        kept = self.analysed
        cells = self.units.loc[kept].reset_index(drop=True)
        return CellCounts(cells, self.values[kept], None, None, None, dict(self.summary))


@dataclass
class UnitNeighbourhood:
    """Neighbours among the analysed units, and the sentence that explains them."""

    weights: object
    route: str
    band: float | None
    k: int | None
    contiguity: str | None
    reasons: list


def unit_values(inputs, params: NeighbourhoodParams, progress=None) -> UnitValues:
    """The value of every unit of the layer the parameters point to (see the module notes)."""
    fields = _fields(params)
    layer_name, frame = _value_layer(inputs, params, fields)
    if params.value is not None:
        values = numeric_field(frame, params.value)
        status = np.where(np.isfinite(values), OK, MISSING_VALUE).astype(object)
        units = with_result_columns(frame, {"value": values})
        return UnitValues(units, np.where(status == OK, values, np.nan), status, params.value, {"value": params.value, "layer": layer_name})
    if params.rate is not None:
        numerator_field, denominator_field = params.rate_fields()
        numerator = numeric_field(frame, numerator_field)
        what = f"{numerator_field} per {RATE_BASE:,} {denominator_field}"
        summary = {"rate": f"{numerator_field}/{denominator_field}", "layer": layer_name}
    else:
        numerator_field, denominator_field = "incidents", params.per
        numerator, outside = _incidents_per_polygon(inputs, frame)
        what = f"incidents per {RATE_BASE:,} {params.per}"
        summary = {"per": params.per, "layer": layer_name, "incidents": int(numerator.sum()), "incidents_outside": outside}
    denominator = numeric_field(frame, denominator_field)
    weights = None
    if params.smooth == "spatial-eb":
        weights = _all_unit_weights(frame, params)
    rates = unit_rates(numerator, denominator, params.smooth, weights)
    smoothing = {"none": "", "eb": ", empirical Bayes smoothed", "spatial-eb": ", spatial empirical Bayes smoothed"}[params.smooth]
    units = with_result_columns(frame, {"numerator": numerator, "denominator": denominator, "rate_raw": rates.raw, "value": rates.smoothed})
    summary.update(smooth=params.smooth, rate_base=RATE_BASE)
    return UnitValues(units, rates.smoothed, rates.status.astype(object), what + smoothing, summary)


def _fields(params: NeighbourhoodParams) -> list[str]:
    if params.value is not None:
        return [params.value]
    if params.rate is not None:
        return list(params.rate_fields())
    return [params.per]


def _value_layer(inputs, params: NeighbourhoodParams, fields: list[str]) -> tuple[str, gpd.GeoDataFrame]:
    """The layer that holds the fields: the one ``--grid`` names, else the input's (polygons before points)."""
    if params.grid not in ("square", "hex", "polygons"):
        frame = inputs.layer_or_file(params.grid, "value", "--grid")
        name = params.grid
    elif params.polygons is not None:
        frame, name = params.polygons, "polygons"
    else:
        wanted = _polygon_kinds_first([layer for layer in inputs.layers if all(f in layer.data.columns for f in fields)], params)
        if not wanted:
            where = "polygon layer" if params.per is not None else "layer"
            raise InputError(
                f"No {where} of {inputs.title} has the field{'s' if len(fields) > 1 else ''} {', '.join(fields)}; "
                "name the layer or file with --grid."
            )
        frame, name = inputs.in_analysis_crs(wanted[0].data, wanted[0].name), wanted[0].name
    missing = [f for f in fields if f not in frame.columns]
    if missing:
        raise InputError(f"The {name} layer has no field {missing[0]!r} (it has {', '.join(map(str, frame.columns[:20]))}).")
    _check_geometry(frame, name, params)
    return name, frame.reset_index(drop=True)


def _polygon_kinds_first(layers: list, params: NeighbourhoodParams) -> list:
    polygons = [layer for layer in layers if _is_polygons(layer.data)]
    if params.per is not None:
        return polygons
    others = [layer for layer in layers if not _is_polygons(layer.data) and layer.kind != "result"]
    return polygons + others


def _is_polygons(frame) -> bool:
    types = set(frame.geometry.dropna().geom_type.unique()) if len(frame) else set()
    return bool(types) and types <= {"Polygon", "MultiPolygon"}


def _check_geometry(frame: gpd.GeoDataFrame, name: str, params: NeighbourhoodParams) -> None:
    types = set(frame.geometry.dropna().geom_type.unique())
    if not types:
        raise InputError(f"The {name} layer has no geometries.")
    points = types <= {"Point"}
    if not points and not types <= {"Polygon", "MultiPolygon"}:
        raise InputError(f"The {name} layer holds {', '.join(sorted(types))}: --value, --rate and --per need polygons or points.")
    if points and params.contiguity is not None:
        raise InputError(f"The {name} layer holds points, which share no borders: use --band or --k instead of --contiguity.")
    if points and params.per is not None:
        raise InputError(f"--per counts incidents inside polygons, but the {name} layer holds points.")


def numeric_field(frame: gpd.GeoDataFrame, name: str) -> np.ndarray:
    """The field as floats; text that is not a number becomes NaN (reported per unit, never guessed)."""
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def _incidents_per_polygon(inputs, polygons: gpd.GeoDataFrame) -> tuple[np.ndarray, int]:
    incidents = inputs.incidents()
    if incidents.crs != polygons.crs:
        incidents = incidents.to_crs(polygons.crs)
    counts, outside = count_points_in_polygons(incidents, polygons)
    return counts.astype(np.float64), outside


def _all_unit_weights(frame: gpd.GeoDataFrame, params: NeighbourhoodParams):
    """Neighbours among every unit of the layer (spatial EB windows are built before units are left out)."""
    counts = CellCounts(frame, np.zeros(len(frame)), None, None, None, {})
    return neighbourhood(counts, params).weights


def neighbourhood(counts: CellCounts, params: NeighbourhoodParams) -> UnitNeighbourhood:
    """Neighbours of the units: contiguity (polygons, queen by default), a band or k nearest neighbours."""
    points = set(counts.cells.geometry.geom_type.unique()) <= {"Point"}
    contiguity = params.contiguity
    band = None if params.band == AUTO else float(params.band)
    if params.k is None and contiguity is None and band is None:
        if points:
            x, y = counts.cells.geometry.x.to_numpy(), counts.cells.geometry.y.to_numpy()
            band, reasons = choose_value_band(x, y, counts.values)
        else:
            contiguity, reasons = "queen", ["polygons: queen contiguity (shared borders or corners)"]
    elif band is not None:
        reasons = [f"distance band {band:g} m between {'points' if points else 'centroids'}, as given"]
    else:
        reasons = [f"{contiguity} contiguity, as given" if contiguity else f"{params.k} nearest neighbours, as given"]
    weights, route = unit_weights(counts, band, params.k, contiguity)
    return UnitNeighbourhood(weights, route, band, params.k, contiguity, reasons)


def unit_layer(values: UnitValues, analysed: gpd.GeoDataFrame, columns: dict) -> gpd.GeoDataFrame:
    """Every unit of the layer with the result ``columns`` (name -> value for a unit left out) taken from
    ``analysed`` (the analysed units, in order), and ``unit_status``: why a unit has no statistic."""
    kept = np.flatnonzero(values.analysed)
    out = values.units.copy()
    for name, missing in columns.items():
        column = np.full(len(out), missing, dtype=np.asarray(analysed[name]).dtype if not isinstance(missing, float) else np.float64)
        column[kept] = np.asarray(analysed[name])
        out[name] = column
    out["unit_status"] = values.status.astype(str)
    return out


def islands(weights) -> np.ndarray:
    """Units with no neighbour."""
    return np.asarray((weights != 0).sum(axis=1)).ravel() == 0


def finish_status(values: UnitValues, weights) -> dict:
    """Mark islands among the analysed units; the per-reason counts and the first ids for the summary."""
    analysed = np.flatnonzero(values.analysed)
    values.status[analysed[islands(weights)]] = ISLAND
    ids = _unit_ids(values.units)
    excluded = {}
    for reason in pd.unique(values.status[values.status != OK]):
        where = np.flatnonzero(values.status == reason)
        excluded[str(reason)] = {"units": int(where.size), "ids": [ids[i] for i in where[:LISTED_UNITS]]}
    return excluded


def _unit_ids(units: gpd.GeoDataFrame) -> list[str]:
    for column in ("grid_id", "name", "POLYID", "id", "ID"):
        if column in units.columns:
            return units[column].astype(str).tolist()
    return [f"#{i + 1}" for i in range(len(units))]


def require_units(values: UnitValues) -> list[str]:
    """Refuse too few analysed units; notes for few units and for left-out ones."""
    usable = int(values.analysed.sum())
    if usable < 3:
        raise AnalysisError(f"Only {usable} units have a usable value ({values.description}); at least 3 are needed, 30 or more for a reliable test.")
    notes = []
    if usable < FEW_UNITS:
        notes.append(f"Only {usable} units have a value: ArcGIS asks for at least {FEW_UNITS} polygons for a hot-spot analysis; read the result with care.")
    return notes
