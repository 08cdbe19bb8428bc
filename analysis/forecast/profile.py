"""Geographic profile of a series (串并案): where does the offender most likely live?

Two models, each a probability surface over the hunting area:

- **cgt**, Rossmo's criminal geographic targeting (Rossmo 1995, 2000). With
  the Manhattan distance d from a cell to crime n, the buffer radius B and
  the decay exponents f and g,

      P = k * sum_n [ phi / d^f + (1 - phi) * B^(g - f) / (2B - d)^g ],  phi = 1 if d > B else 0:

  beyond the buffer the likelihood decays with distance; inside it, it
  falls towards the crime (offenders avoid offending next door). Defaults:
  f = g = 1.2 (Rossmo 2000); B is half the mean (Manhattan) distance between
  the crime sites. Rossmo's rule of thumb, half the mean *nearest-neighbour*
  distance, collapses to a few metres for a series made of near-repeat
  chains (each burglary next to the last), and the surface then peaks on
  the crimes themselves; the mean inter-site distance keeps the buffer at
  the scale of the offender's range.
- **jtc**, CrimeStat's journey-to-crime estimation (Levine, CrimeStat ch. 13)
  with a negative exponential distance decay: ``P = k * sum_n exp(-beta d)``,
  d Euclidean. ``beta`` comes from a table of solved cases when one is given
  (its journey distances: for the exponential the maximum-likelihood
  ``beta = 1 / mean distance``, CrimeStat's calibration of the same
  function); otherwise gisapp takes ``1 / beta`` = the mean distance between
  the crime sites, a scale of the series itself (CrimeStat's own default
  coefficients were calibrated on Baltimore County and are not used).

k normalises the surface to sum to 1. The **hunting area** is the rectangle
of the crimes widened on each side by half the mean distance between crime
sites along that axis (after Rossmo 1995). The **peak** is the most probable
cell. With a known anchor (the offender's home, in a solved case), the
**hit score** is the share of the hunting area searched, cells taken from
the most probable down, before the anchor's cell is reached (ties included):
a profile that helps has a low hit score (Rossmo's "hit score percentage").

References
----------
Rossmo, D. K. (1995). Geographic profiling: target patterns of serial murderers.
PhD thesis, Simon Fraser University.
Rossmo, D. K. (2000). Geographic Profiling. CRC Press.
Levine, N. (2013). CrimeStat IV, chapter 13: Journey-to-crime estimation. Ned Levine &
Associates, Houston, and the National Institute of Justice.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from gisapp.analysis.core.aggregation import lattice_cells, point_coordinates, require_metric_crs, square_lattice
from gisapp.analysis.core.result import AnalysisResult, LayeredResult, report
from gisapp.layers.errors import InputError

#: Fewest events a series profile is drawn from.
MIN_EVENTS = 5
#: Cells along the longer side of the hunting area when the cell size is automatic.
AUTO_CELLS = 100


@dataclass
class ProfileParams:
    """The model and its settings.

    Parameters
    ----------
    method : {"cgt", "jtc"}
    cell_size : float, optional
        Metres (default: the hunting area's longer side / 100).
    buffer : float, optional
        CGT buffer radius B in metres (default: half the mean Manhattan distance between the crime sites).
    f, g : float
        CGT decay exponents (1.2 each, Rossmo 2000).
    decay_distance : float, optional
        JTC: 1 / beta in metres (default: from the solved cases, else the mean distance between the crime sites).
    solved_distances : array, optional
        JTC: journey distances of solved cases in metres.
    anchor : (x, y), optional
        The known anchor in the analysis CRS, for the hit score.
    """

    method: str = "cgt"
    cell_size: float | None = None
    buffer: float | None = None
    f: float = 1.2
    g: float = 1.2
    decay_distance: float | None = None
    solved_distances: object = None
    anchor: tuple | None = None


def cgt_surface(cx, cy, x, y, buffer: float, f: float, g: float) -> np.ndarray:
    """Rossmo's CGT sum at the points (cx, cy), unnormalised (see the module notes)."""
    d = np.abs(cx[:, None] - x[None, :]) + np.abs(cy[:, None] - y[None, :])
    outside = d > buffer
    with np.errstate(divide="ignore"):
        far = np.where(outside, 1.0 / np.where(outside, d, 1.0) ** f, 0.0)
        near = np.where(outside, 0.0, buffer ** (g - f) / (2 * buffer - np.where(outside, 0.0, d)) ** g)
    return (far + near).sum(axis=1)


def jtc_surface(cx, cy, x, y, decay_distance: float) -> np.ndarray:
    """CrimeStat's journey-to-crime sum with a negative exponential decay, unnormalised."""
    d = np.hypot(cx[:, None] - x[None, :], cy[:, None] - y[None, :])
    return np.exp(-d / decay_distance).sum(axis=1)


def hunting_area(x, y) -> tuple[float, float, float, float]:
    """The crimes' rectangle widened by half the mean inter-site distance along each axis (Rossmo 1995)."""
    mx = np.abs(x[:, None] - x[None, :]).sum() / (x.size * (x.size - 1))
    my = np.abs(y[:, None] - y[None, :]).sum() / (y.size * (y.size - 1))
    return x.min() - mx / 2, y.min() - my / 2, x.max() + mx / 2, y.max() + my / 2


def mean_distance(x, y, metric: str) -> float:
    """Mean distance between the crime sites (every pair), Manhattan or Euclidean."""
    dx, dy = np.abs(x[:, None] - x[None, :]), np.abs(y[:, None] - y[None, :])
    d = dx + dy if metric == "manhattan" else np.hypot(dx, dy)
    return float(d.sum() / (x.size * (x.size - 1)))


def hit_score(probability: np.ndarray, anchor_cell: int) -> float:
    """Share of the cells at least as probable as the anchor's cell (the area searched before reaching it)."""
    return float(np.mean(probability >= probability[anchor_cell]))


def geographic_profile(series: gpd.GeoDataFrame, params: ProfileParams, progress=None, cancelled=None) -> AnalysisResult:
    """The probability surface of the offender's anchor from the series' locations.

    Raises
    ------
    InputError
        Fewer than :data:`MIN_EVENTS` located events; an unknown method.
    """
    require_metric_crs(series, "series")
    x, y, located = point_coordinates(series)
    x, y = x[located], y[located]
    if x.size < MIN_EVENTS:
        raise InputError(f"A geographic profile needs a series of at least {MIN_EVENTS} located events; this one has {x.size}.")
    if params.method not in ("cgt", "jtc"):
        raise InputError(f"Unknown profile method {params.method!r}; use cgt or jtc.")
    report(progress, cancelled, 0.1, "Drawing the profile")
    bounds = hunting_area(x, y)
    cell = float(params.cell_size or max(bounds[2] - bounds[0], bounds[3] - bounds[1]) / AUTO_CELLS)
    lattice = square_lattice(bounds, cell)
    rows, cols = np.indices(lattice.shape).reshape(2, -1)
    cx, cy = lattice.centres(rows, cols)
    nearest = cKDTree(np.column_stack([x, y])).query(np.column_stack([x, y]), k=2)[0][:, 1]
    settings = {"method": params.method, "cell_size_m": cell, "events": int(x.size), "events_without_location": int((~located).sum())}
    if params.method == "cgt":
        buffer = float(params.buffer or max(mean_distance(x, y, "manhattan") / 2, cell))
        raw = cgt_surface(cx, cy, x, y, buffer, params.f, params.g)
        settings.update(buffer_m=buffer, f=params.f, g=params.g, distance="Manhattan")
    else:
        decay, source = _decay(params, x, y)
        raw = jtc_surface(cx, cy, x, y, decay)
        settings.update(decay_distance_m=decay, beta_per_km=1000.0 / decay, decay_from=source, function="negative exponential", distance="Euclidean")
    probability = raw / raw.sum()
    order = np.argsort(-probability, kind="stable")
    searched = np.empty(probability.size)
    searched[order] = np.arange(1, probability.size + 1)
    peak = int(order[0])
    layer = lattice_cells(lattice, rows, cols, crs=series.crs)
    layer["probability"] = probability
    layer["search_pct"] = 100.0 * pd.Series(-probability).rank(method="max").to_numpy() / probability.size
    peak_frame = gpd.GeoDataFrame({"what": ["peak"], "probability": [probability[peak]]}, geometry=gpd.points_from_xy([cx[peak]], [cy[peak]]), crs=series.crs)
    summary = {**settings, "cells": int(probability.size), "search_area_km2": probability.size * cell * cell / 1e6,
               "mean_nearest_neighbour_m": float(nearest.mean()), "peak": _place(cx[peak], cy[peak], series.crs),
               "peak_probability": float(probability[peak]), "notes": []}
    if params.anchor is not None:
        summary.update(_anchor_scores(params.anchor, lattice, probability, cx[peak], cy[peak], series.crs, summary["notes"]))
    report(progress, cancelled, 1.0, "Profile done")
    return LayeredResult(layer, summary, {"profile": {k: v for k, v in settings.items() if k != "events"}},
                         extra_layers={"profile_peak": peak_frame, "profile_series": series[located].copy()})


def _decay(params: ProfileParams, x, y) -> tuple[float, str]:
    if params.decay_distance:
        return float(params.decay_distance), "given"
    if params.solved_distances is not None:
        distances = np.asarray(params.solved_distances, dtype=float)
        distances = distances[np.isfinite(distances) & (distances >= 0)]
        if distances.size < 2 or distances.mean() <= 0:
            raise InputError("The solved-cases table needs at least two journey distances above zero to fit the distance decay.")
        return float(distances.mean()), f"fitted from {distances.size} solved cases (beta = 1 / mean journey)"
    return mean_distance(x, y, "euclidean"), "the mean distance between the crime sites"


def _anchor_scores(anchor, lattice, probability, px, py, crs, notes) -> dict:
    ax, ay = anchor
    rows, cols, inside = lattice.locate(np.array([ax]), np.array([ay]))
    out = {"anchor": _place(ax, ay, crs), "peak_to_anchor_m": float(np.hypot(px - ax, py - ay))}
    if not inside[0]:
        notes.append("The anchor lies outside the hunting area, so no hit score is given.")
        out["hit_score_pct"] = None
        return out
    out["hit_score_pct"] = 100.0 * hit_score(probability, int(rows[0] * lattice.shape[1] + cols[0]))
    return out


def _place(x: float, y: float, crs) -> dict:
    place = {"x": float(x), "y": float(y)}
    if crs is not None:
        point = gpd.GeoSeries(gpd.points_from_xy([x], [y]), crs=crs).to_crs(4326).iloc[0]
        place.update(lon=round(point.x, 6), lat=round(point.y, 6))
    return place


# --------------------------------------------------------------------------- choosing the series


def series_by_ids(incidents: gpd.GeoDataFrame, ids) -> gpd.GeoDataFrame:
    """The incidents whose ``case_id`` is in ``ids``.

    Raises
    ------
    InputError
        Duplicate ids, unknown ids, no ``case_id`` column.
    """
    ids = [str(i).strip() for i in ids]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise InputError(f"The series lists the same case more than once: {', '.join(duplicates[:5])}; give each case id once.")
    if "case_id" not in incidents:
        raise InputError("The incidents have no case_id column, so a series cannot be chosen by --ids; use --chain.")
    known = incidents["case_id"].astype(str)
    missing = [i for i in ids if not (known == i).any()]
    if missing:
        raise InputError(f"{len(missing)} case id(s) of the series are not among the incidents (after the filters): {', '.join(missing[:5])}.")
    return incidents[known.isin(ids)]


def series_by_chain(incidents: gpd.GeoDataFrame, chain: int, chains: pd.Series | None, distance: float, days: float) -> gpd.GeoDataFrame:
    """The events of near-repeat chain ``chain``: from a ``gisapp nearrepeat`` result's ``chain_id``, else classified here."""
    if chains is None:
        from gisapp.analysis.spacetime.nearrepeat import classify_events, prepare_events

        events = prepare_events(incidents)
        classes = classify_events(events, distance, days, 0.0, "euclidean")
        labelled = incidents.iloc[events.rows].assign(chain_id=classes["chain_id"].to_numpy())
    else:
        labelled = chains
    found = sorted(int(c) for c in labelled["chain_id"].unique() if int(c) > 0)
    if chain not in found:
        span = f"chains run from 1 to {found[-1]}" if found else "there is no chain"
        raise InputError(f"There is no near-repeat chain {chain}: {span} (links within {distance:g} m and {days:g} days).")
    return labelled[labelled["chain_id"] == chain]


def run_profile(inputs, params, progress=None, cancelled=None) -> AnalysisResult:
    """The ``profile`` method."""
    incidents = inputs.incidents()
    if params.ids:
        series = series_by_ids(incidents, params.ids)
    else:
        series = series_by_chain(incidents, params.chain, inputs.latest_result("chain_id", "nearrepeat"), params.link_distance, params.link_days)
    anchor = None
    if params.anchor is not None:
        point = gpd.GeoSeries(gpd.points_from_xy([params.anchor[0]], [params.anchor[1]]), crs=4326).to_crs(inputs.crs).iloc[0]
        anchor = (point.x, point.y)
    solved = None
    if params.solved:
        table = inputs.read_file(params.solved, "solved cases") if str(params.solved).lower().endswith((".gpkg", ".geojson", ".shp")) else _solved_table(params.solved)
        if "distance_m" not in table:
            raise InputError("The solved-cases table needs a distance_m column (home-to-crime distance in metres).")
        solved = pd.to_numeric(table["distance_m"], errors="coerce").to_numpy()
    settings = ProfileParams(params.method, params.cell_size, params.buffer, params.f, params.g, params.decay_distance, solved, anchor)
    result = geographic_profile(series, settings, progress, cancelled)
    result.summary["series"] = {"ids": [str(i) for i in series.get("case_id", pd.Series(dtype=str)).astype(str)][:200],
                                "chain": params.chain if not params.ids else None}
    result.chosen.update(cell_size=result.summary["cell_size_m"], buffer=result.summary.get("buffer_m"),
                         decay_distance=result.summary.get("decay_distance_m"))
    return result


def _solved_table(path) -> pd.DataFrame:
    from pathlib import Path

    path = Path(path)
    if not path.is_file():
        raise InputError(f"The solved-cases file {path} does not exist.")
    try:
        return pd.read_csv(path, encoding="utf-8-sig")
    except UnicodeDecodeError:
        return pd.read_csv(path, encoding="gb18030")
