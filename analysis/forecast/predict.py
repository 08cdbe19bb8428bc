"""``gisapp forecast``: one method's risk surface per cell for the next days.

Every method trains on the incidents up to the end of ``train_to`` (a whole
day; by default the day of the last incident) and forecasts the next
``horizon`` days through the shared interface of
:mod:`gisapp.analysis.forecast.surface`. The layer holds, per cell, ``risk``,
``rank`` (1 = riskiest) and ``top_pct`` (the smallest area share, in percent,
whose top selection includes the cell); the summary carries the method's
fitted parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import pandas as pd

from gisapp.analysis.core.aggregation import lattice_cells
from gisapp.analysis.core.result import AnalysisResult, report
from gisapp.layers.errors import InputError

from .grid import grid_over, prepare_history, skipped_note
from .sepp import forecast_sepp
from .surface import METHOD_LABELS_ZH, ForecastSettings, forecast_surface, ranks, window_mask

#: Cells listed in the summary.
TOP_CELLS = 10


@dataclass
class ForecastRequest:
    """What to forecast: the method, the grid, the cutoff and the horizon, and the methods' settings."""

    method: str = "prospective"
    cell_size: float = 200.0
    train_to: str | None = None
    horizon: float = 7.0
    window: float | None = None
    study_area: object = None
    settings: ForecastSettings = field(default_factory=ForecastSettings)


def forecast_cells(points: gpd.GeoDataFrame, request: ForecastRequest, progress=None, cancelled=None) -> AnalysisResult:
    """The risk surface of ``request.method`` (see the module notes).

    Raises
    ------
    InputError
        ``train_to`` after the last incident or before the first; no incident in the training window;
        a method's own refusal (too little history for SEPP, no factor for RTM).
    """
    report(progress, cancelled, 0.0, "Reading the incidents")
    history = prepare_history(points)
    last_day = pd.Timestamp(history.stamp(history.last_day)).normalize()
    first_day = history.origin
    train_to = pd.Timestamp(request.train_to).normalize() if request.train_to else last_day
    if train_to > last_day:
        raise InputError(
            f"--train-to {train_to.date()} is after the last incident ({last_day.date()}): the days between would count as "
            "days without crime; give a date on or before the last incident."
        )
    if train_to < first_day:
        raise InputError(f"--train-to {train_to.date()} is before the first incident ({first_day.date()}): there is no history to train on.")
    cutoff = history.day(train_to) + 1.0
    grid = grid_over(history, request.cell_size, request.study_area)
    window = float(request.window or request.horizon)
    settings = replace(request.settings, window_days=window, study_area=request.study_area)
    if not window_mask(history, grid, -np.inf, cutoff).any():
        raise InputError(f"No incident in the study area up to {train_to.date()}: there is nothing to train on.")
    report(progress, cancelled, 0.1, f"Forecasting with {request.method}")
    if request.method == "sepp":
        surface = forecast_sepp(history, grid, cutoff, request.horizon, settings, progress, cancelled)
    else:
        surface = forecast_surface(request.method, history, grid, cutoff, request.horizon, settings)
    rank, top_pct = ranks(surface.risk)
    layer = lattice_cells(grid.lattice, grid.rows, grid.cols, crs=points.crs)
    layer["risk"] = surface.risk
    layer["rank"] = rank
    layer["top_pct"] = top_pct
    for name, values in surface.columns.items():
        layer[name] = values
    start = history.stamp(cutoff)
    summary = {
        "method": request.method,
        "method_zh": METHOD_LABELS_ZH[request.method],
        "cells": grid.size,
        "cell_size_m": float(request.cell_size),
        "train_to": str(train_to.date()),
        "horizon_days": float(request.horizon),
        "forecast_from": str(start.date()),
        "forecast_to": str((start + pd.Timedelta(days=request.horizon) - pd.Timedelta(days=1)).date()),
        "risk_is_expected_count": surface.expected,
        "expected_total": float(surface.risk.sum()) if surface.expected else None,
        "parameters": surface.parameters,
        "incidents": int(history.t.size),
        **history.skipped,
        "top_cells": _top_cells(layer, surface.risk),
        "notes": [*skipped_note(history.skipped), *surface.notes],
    }
    report(progress, cancelled, 1.0, "Forecast done")
    return AnalysisResult(layer, summary, {"forecast": {"method": request.method, "cell_size": request.cell_size, "train_to": summary["train_to"],
                                                        "horizon_days": request.horizon, "window_days": window}})


def _top_cells(layer: gpd.GeoDataFrame, risk: np.ndarray) -> list[dict]:
    order = np.argsort(-np.where(np.isnan(risk), -np.inf, risk), kind="stable")[:TOP_CELLS]
    centres = layer.geometry.iloc[order].centroid
    if layer.crs is not None and not centres.empty:
        lonlat = centres.to_crs(4326)
        where = [(round(p.x, 6), round(p.y, 6)) for p in lonlat]
    else:
        where = [(None, None)] * len(order)
    return [{"rank": k + 1, "risk": float(risk[i]), "lon": lon, "lat": lat} for k, (i, (lon, lat)) in enumerate(zip(order, where))]


# --------------------------------------------------------------------------- inputs from a front end


def factor_layers(inputs, names) -> dict:
    """The RTM factor layers named ``LAYER`` or ``LAYER:VALUE`` (a layer of the input or a file).

    ``LAYER:VALUE`` keeps the features whose ``area_type``, ``kind``,
    ``road_class``, ``category`` or ``name`` is VALUE; a bare layer with an
    ``area_type`` column becomes one factor per type (markets, schools, the
    urban fringe, ...).
    """
    factors = {}
    for name in names:
        layer, _, value = str(name).partition(":")
        frame = inputs.layer_or_file(layer.strip(), f"risk factor {name}")
        if value:
            column = next((c for c in ("area_type", "kind", "road_class", "category", "name") if c in frame and (frame[c].astype(str) == value).any()), None)
            if column is None:
                raise InputError(f"The risk factor {name!r}: no feature of {layer} has the type or name {value!r}.")
            factors[name] = frame[frame[column].astype(str) == value]
        elif "area_type" in frame:
            for kind, part in frame.groupby(frame["area_type"].astype(str)):
                factors[f"{layer}:{kind}"] = part
        else:
            factors[layer] = frame
    return factors


def study_area_of(inputs, name: str | None):
    """An area or grid name, a township of the grids, or a polygon file (None: the incidents' extent)."""
    if not name:
        return None
    try:
        return inputs.area_geometry(name)
    except InputError:
        grids = inputs.frame("grids", required=False)
        if grids is not None and "township" in grids and (grids["township"].astype(str) == name).any():
            return grids[grids["township"].astype(str) == name].union_all()
        raise


def settings_from(params) -> ForecastSettings:
    """The methods' settings from a declared parameters object (``ForecastParams`` or ``EvaluateParams``)."""
    return ForecastSettings(
        bandwidth=params.bandwidth, space_bandwidth=params.space_bandwidth, time_bandwidth=params.time_bandwidth,
        history_days=params.history_days, tolerance=params.tolerance, max_iterations=params.max_iterations,
        distances=tuple(params.distances),
    )


def run_forecast(inputs, params, progress=None, cancelled=None) -> AnalysisResult:
    """The ``forecast`` method."""
    settings = settings_from(params)
    if params.method == "rtm":
        settings.factors = factor_layers(inputs, params.factors)
    request = ForecastRequest(params.method, params.cell_size, params.train_to, params.horizon, params.window,
                              study_area_of(inputs, params.study_area), settings)
    result = forecast_cells(inputs.incidents(), request, progress, cancelled)
    result.chosen.update(train_to=result.summary["train_to"], window=result.params["forecast"]["window_days"])
    return result
