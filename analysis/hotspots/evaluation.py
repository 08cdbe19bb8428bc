"""Forecast evaluation: did last period's hotspot map predict this period?

A hotspot map ranks grid cells by risk. The analyst patrols the top cells
that make up a share *a* of the study area; the test period's incidents tell
how well that choice worked. The measures are those of open_cp
(``open_cp.evaluation``, QuantCrimAtLeeds/PredictCode) and the literature it
follows:

- **hit rate** at coverage a: the share of the test period's N incidents
  that fall in the selected cells (Chainey, Tompson & Uhlig 2008; open_cp
  ``hit_rates``). The selection is the floor(a * C) highest-risk cells of the
  C cells of the study area (open_cp ``top_slice``).
- **PAI**, the Predictive Accuracy Index: hit rate / area share =
  (n / N) / (a / A) (Chainey et al. 2008). 1 means no better than chance.
- **PEI**, the Predictive Efficiency Index: hits achieved / the most hits any
  selection of the same number of cells could have had, i.e. PAI divided by
  the best PAI possible at that area (Hunt 2016; open_cp ``maximum_hit_rate``
  gives the denominator). 1 means the map chose the best cells possible.

Ties. Maps often give many cells the same risk (every empty cell of a count
map). open_cp breaks ties by cell order, which makes the result depend on
where the grid starts. Here the cells tied at the cut-off share it pro rata:
if g of G tied cells are needed, they contribute g/G of the tied cells'
hits. This is the expected hit count of a random choice among them, it does
not depend on cell order, and it equals open_cp's value whenever there is no
tie at the cut-off. Hit counts are therefore reported as decimals.

The maps ("methods"), all trained on the incidents of the ``train_periods``
periods before the test period:

- ``counts``: incidents per cell (open_cp ``naive.CountingGridKernel``);
- ``kde``: quartic-kernel density at the cell centres (ArcGIS and QGIS
  default kernel; Silverman 1986), radius ``bandwidth``, evaluated exactly by
  the shared :func:`gisapp.analysis.hotspots.density.density_direct`;
- ``gistar``: Getis-Ord Gi* z of the cell counts over a distance band
  (:func:`gisapp.analysis.stats.gistar.gi_star_lattice`), i.e. "last period's hotspot map".

References
----------
Chainey, S., Tompson, L. & Uhlig, S. (2008). The utility of hotspot mapping for
predicting spatial patterns of crime. Security Journal 21, 4-28.
Hunt, J. M. (2016). Do crime hot spots move? Exploring the effects of the modifiable
areal unit problem and modifiable temporal unit problem on crime hot spot stability.
PhD thesis, American University (PEI).
Daws, M. et al. open_cp, QuantCrimAtLeeds/PredictCode (``open_cp/evaluation.py``).
Silverman, B. W. (1986). Density Estimation for Statistics and Data Analysis. Chapman & Hall.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gisapp.analysis.core.aggregation import lattice_cells, point_coordinates, require_metric_crs, square_lattice
from gisapp.analysis.core.result import AnalysisResult, report
from gisapp.analysis.core.time_steps import STEP_UNITS, incident_times, steps_for
from gisapp.analysis.hotspots.density import Grid, density_direct
from gisapp.analysis.stats.gistar import gi_star_lattice
from gisapp.layers.errors import InputError

METHODS = ("counts", "kde", "gistar")
METHOD_LABELS_ZH = {"counts": "上期计数", "kde": "核密度", "gistar": "Gi*热点"}
#: The coverages of the full hit-rate curve: every whole percent.
CURVE_COVERAGES = np.round(np.arange(0, 101) / 100.0, 2)


@dataclass
class EvaluationParams:
    """What is trained, on what, and how it is scored.

    Parameters
    ----------
    methods : tuple of str
        Any of ``"counts"``, ``"kde"``, ``"gistar"``.
    cell_size : float
        Grid cell size in metres (200 m by default; open_cp's examples use 150 m).
    period : {"day", "week", "month"}
        Length of a training or test period (calendar steps).
    train_periods : int
        Periods before the test period that train the map (1: "last month").
    coverages : tuple of float
        Area shares to report, e.g. 0.01, 0.05, 0.10.
    bandwidth : float
        KDE radius in metres (default 400 m, two cells).
    band : float, optional
        Gi* distance band in metres; default ``cell_size * sqrt(2)`` (the 8 surrounding cells).
    start, end : str, optional
        First and last day evaluated; by default the first and last incident.
    study_area : shapely geometry, optional
        Only cells meeting it are candidates (and count as area); by default
        every cell of the grid over the incidents' extent.
    """

    methods: tuple = METHODS
    cell_size: float = 200.0
    period: str = "month"
    train_periods: int = 1
    coverages: tuple = (0.01, 0.05, 0.10, 0.20)
    bandwidth: float = 400.0
    band: float | None = None
    start: str | None = None
    end: str | None = None
    study_area: object = None

    def resolved_band(self) -> float:
        return float(self.band) if self.band is not None else float(self.cell_size) * math.sqrt(2.0)

    def to_dict(self) -> dict:
        return {
            "methods": list(self.methods),
            "cell_size": float(self.cell_size),
            "period": self.period,
            "train_periods": int(self.train_periods),
            "coverages": [float(c) for c in self.coverages],
            "bandwidth": float(self.bandwidth),
            "band": self.resolved_band(),
            "start": None if self.start is None else str(self.start),
            "end": None if self.end is None else str(self.end),
            "study_area": None if self.study_area is None else "polygon",
            "ties": "shared pro rata at the cut-off",
        }

    def validate(self) -> None:
        unknown = [m for m in self.methods if m not in METHODS]
        if not self.methods or unknown:
            raise InputError(f"Unknown hotspot method {', '.join(unknown) or '(none)'}; use counts, kde or gistar.")
        for name in ("cell_size", "bandwidth"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value > 0):
                raise InputError(f"The {name.replace('_', ' ')} must be a positive number of metres, got {value}.")
        if self.resolved_band() < self.cell_size:
            raise InputError(f"The Gi* band ({self.resolved_band():g} m) must be at least the cell size ({self.cell_size:g} m).")
        if self.period not in STEP_UNITS:
            raise InputError(f"Unknown period {self.period!r}; use one of {', '.join(STEP_UNITS)}.")
        if int(self.train_periods) != self.train_periods or self.train_periods < 1:
            raise InputError(f"The training window must be at least one period, got {self.train_periods}.")
        if not self.coverages or not all(0 < float(c) <= 1 for c in self.coverages):
            raise InputError(f"Coverages are shares of the area between 0 and 1 (e.g. 0.05 for 5 %), got {list(self.coverages)}.")


# --------------------------------------------------------------------------- scoring


@dataclass(frozen=True)
class Scores:
    """Hit rate, PAI and PEI of one map against one test period, at each coverage.

    Attributes
    ----------
    coverages : ndarray
        Requested area shares.
    cells : ndarray of int
        Cells selected, floor(coverage x cell count).
    area_share : ndarray
        cells / cell count (the a / A actually used).
    hits, best_hits : ndarray
        Test incidents in the selected cells (ties pro rata), and the most
        that any selection of as many cells holds.
    hit_rate, pai, pei : ndarray
        NaN where undefined (no test incident, no cell selected, best = 0).
    total : int
        Test incidents, including those outside the study area (never hits).
    """

    coverages: np.ndarray
    cells: np.ndarray
    area_share: np.ndarray
    hits: np.ndarray
    best_hits: np.ndarray
    hit_rate: np.ndarray
    pai: np.ndarray
    pei: np.ndarray
    total: int


def score_map(risk, test_counts, coverages, outside: int = 0) -> Scores:
    """Score a risk map against test counts (see the module notes for the definitions).

    Parameters
    ----------
    risk : array_like, shape (C,)
        Risk of each candidate cell (higher is riskier); NaN counts as lowest.
    test_counts : array_like, shape (C,)
        Test-period incidents per cell.
    coverages : sequence of float
        Area shares in (0, 1].
    outside : int
        Test incidents outside every candidate cell (added to the total only).
    """
    risk = np.asarray(risk, dtype=np.float64)
    counts = np.asarray(test_counts, dtype=np.float64)
    n_cells = risk.size
    total = int(round(counts.sum())) + int(outside)
    cover = np.asarray(coverages, dtype=np.float64)
    selected = np.floor(cover * n_cells + 1e-9).astype(np.int64)  # open_cp: the greatest integer <= N * fraction
    hits = hits_at(risk, counts, selected)
    best = np.concatenate([[0.0], np.cumsum(np.sort(counts)[::-1])])[selected]
    with np.errstate(divide="ignore", invalid="ignore"):
        area = selected / max(n_cells, 1)
        hit_rate = np.where(total > 0, hits / max(total, 1), np.nan)
        pai = np.where((selected > 0) & (total > 0), hit_rate / np.where(area > 0, area, 1.0), np.nan)
        pei = np.where((selected > 0) & (best > 0), hits / np.where(best > 0, best, 1.0), np.nan)
    return Scores(cover, selected, area, hits, best, hit_rate, pai, pei, total)


def hits_at(risk: np.ndarray, counts: np.ndarray, selected: np.ndarray) -> np.ndarray:
    """Hits of the top ``selected`` cells by risk, ties at the cut-off shared pro rata."""
    key = np.where(np.isnan(risk), -np.inf, risk)
    order = np.argsort(-key, kind="stable")
    ranked_risk, ranked_counts = key[order], counts[order]
    cumulative = np.concatenate([[0.0], np.cumsum(ranked_counts)])
    # group boundaries of equal risk: [group_start, group_end)
    boundaries = np.flatnonzero(np.diff(ranked_risk) != 0) + 1
    starts = np.concatenate([[0], boundaries])
    ends = np.concatenate([boundaries, [ranked_risk.size]])
    out = np.zeros(selected.shape, dtype=np.float64)
    for k, m in enumerate(np.asarray(selected)):
        if m <= 0:
            continue
        g = np.searchsorted(ends, m, side="left")  # the group holding the m-th cell
        lo, hi = starts[g], ends[g]
        inside_group = cumulative[hi] - cumulative[lo]
        out[k] = cumulative[lo] + (m - lo) / (hi - lo) * inside_group
    return out


# --------------------------------------------------------------------------- maps


def train_map(method: str, x, y, grid: StudyGrid, params: EvaluationParams) -> np.ndarray:
    """Risk of every candidate cell from the training incidents at (x, y)."""
    counts = grid.count(x, y)
    if method == "counts":
        return counts.astype(np.float64)
    if method == "kde":
        return kde_on_grid(x, y, grid, params.bandwidth)
    raster = np.zeros(grid.lattice.shape)
    raster[grid.rows, grid.cols] = counts
    mask = np.zeros(grid.lattice.shape, dtype=bool)
    mask[grid.rows, grid.cols] = True
    if counts.size < 2 or np.ptp(counts) == 0:
        return np.zeros(counts.size)  # nothing to rank: every cell ties
    z = gi_star_lattice(raster, grid.lattice.cell_size, params.resolved_band(), mask=mask).z
    return z[grid.rows, grid.cols]


def kde_on_grid(x, y, grid: StudyGrid, bandwidth: float) -> np.ndarray:
    """Quartic-kernel density (incidents per km²) at the centres of the candidate cells.

    The shared exact evaluation of :func:`gisapp.analysis.hotspots.density.density_direct`
    (the ArcGIS / QGIS quartic kernel) on the study grid's lattice, which has
    the same south-west origin and south-up rows.
    """
    if len(x) == 0:
        return np.zeros(grid.size)
    rows, cols = grid.lattice.shape
    lattice = Grid(grid.lattice.origin[0], grid.lattice.origin[1], grid.lattice.cell_size, cols, rows)
    raster = density_direct(np.asarray(x, dtype=float), np.asarray(y, dtype=float), None, lattice, bandwidth, "quartic")
    return raster[grid.rows, grid.cols] * 1e6


@dataclass
class StudyGrid:
    """The candidate cells: a square fishnet over the study area."""

    lattice: object
    rows: np.ndarray
    cols: np.ndarray
    cx: np.ndarray
    cy: np.ndarray
    index: np.ndarray  # lattice (row, col) -> candidate position, -1 outside the study area

    @classmethod
    def build(cls, bounds, cell_size: float, study_area=None) -> StudyGrid:
        lattice = square_lattice(bounds, cell_size)
        rows, cols = np.indices(lattice.shape).reshape(2, -1)
        if study_area is not None:
            keep = shapely.intersects(lattice.polygons(rows, cols), study_area)
            rows, cols = rows[keep], cols[keep]
        if rows.size == 0:
            raise InputError("The study area holds no grid cell; check the area and the cell size.")
        index = np.full(lattice.shape, -1, dtype=np.int64)
        index[rows, cols] = np.arange(rows.size)
        cx, cy = lattice.centres(rows, cols)
        return cls(lattice, rows, cols, cx, cy, index)

    @property
    def size(self) -> int:
        return int(self.rows.size)

    def locate(self, x, y) -> np.ndarray:
        """Candidate position of every point, -1 outside the study area."""
        rows, cols, inside = self.lattice.locate(x, y)
        out = np.full(len(x), -1, dtype=np.int64)
        out[inside] = self.index[rows[inside], cols[inside]]
        return out

    def count(self, x, y) -> np.ndarray:
        where = self.locate(x, y)
        return np.bincount(where[where >= 0], minlength=self.size)


# --------------------------------------------------------------------------- entry point


def evaluate_forecasts(points: gpd.GeoDataFrame, params: EvaluationParams, progress=None, cancelled=None) -> AnalysisResult:
    """Train hotspot maps on each period, test them on the next (rolling), and score them.

    Parameters
    ----------
    points : GeoDataFrame
        Incident points in a projected metric CRS, with ``occurred_at``.
    params : EvaluationParams
    progress, cancelled : callable, optional

    Returns
    -------
    AnalysisResult
        ``layer``: the candidate cells with, for the latest test period,
        ``test_n`` (its incidents), ``train_n`` and per method
        ``risk_<method>``, ``rank_<method>`` (1 = riskiest) and
        ``top<pct>_<method>`` (selected at that coverage).
        ``summary``: ``latest`` (the latest test period: per method hit
        rate, PAI, PEI, hits and best hits at each coverage), ``rolling``
        (one row per test period and method), ``mean`` (per method and
        coverage, over the rolling periods with incidents), ``curve`` (full
        hit-rate curve of the latest period at every whole percent, per
        method and "best possible"), cells, periods, notes.

    Raises
    ------
    InputError
        No usable times; fewer than train_periods + 1 periods; every test period empty.
    """
    params.validate()
    require_metric_crs(points, "incident layer")
    times, timed = incident_times(points)
    x, y, located = point_coordinates(points)
    steps = steps_for(times[timed], params.period, params.start, params.end)
    step = steps.index(times)
    usable = timed & located & (step >= 0)
    if steps.count < params.train_periods + 1:
        raise InputError(
            f"The period holds {steps.count} {params.period}(s); training on {params.train_periods} and testing on the next "
            f"needs at least {params.train_periods + 1}. Use a longer period or a shorter one per step."
        )
    if not usable.any():
        raise InputError("No incident has both a location and a time inside the period.")
    bounds = params.study_area.bounds if params.study_area is not None else (x[usable].min(), y[usable].min(), x[usable].max(), y[usable].max())
    grid = StudyGrid.build(bounds, params.cell_size, params.study_area)
    where = grid.locate(x, y)
    labels = steps.labels()
    rolling, notes = [], list(steps.notes())
    latest = None
    tests = range(params.train_periods, steps.count)
    for done, t in enumerate(tests):
        report(progress, cancelled, done / len(tests), f"Testing on {labels[t]}")
        train = usable & (step >= t - params.train_periods) & (step < t)
        test = usable & (step == t)
        test_counts = np.bincount(where[test & (where >= 0)], minlength=grid.size)
        outside = int((test & (where < 0)).sum())
        if test.sum() == 0:
            notes.append(f"No incident in {labels[t]}: that test period is skipped (empty period).")
            continue
        if train.sum() == 0:
            notes.append(f"No incident in the training period before {labels[t]}: every cell ties, so its map is no better than chance.")
        maps = {m: train_map(m, x[train], y[train], grid, params) for m in params.methods}
        for method, risk in maps.items():
            scores = score_map(risk, test_counts, params.coverages, outside)
            rolling.append(_rolling_row(labels[t], method, scores, int(train.sum())))
        latest = (t, maps, test_counts, outside, int(train.sum()))
    if latest is None:
        raise InputError(f"Every test {params.period} is empty: there is no incident to test a map on.")
    report(progress, cancelled, 0.95, "Writing the result")
    layer, latest_summary, curve = _latest(grid, latest, params, labels, points.crs)
    summary = {
        "cells": grid.size,
        "cell_size_m": float(params.cell_size),
        "study_area_km2": grid.size * params.cell_size**2 / 1e6,
        "periods": steps.count,
        "period": params.period,
        "test_periods": len({row["test_period"] for row in rolling}),
        "incidents": int(usable.sum()),
        "incidents_without_time": int((~timed).sum()),
        "incidents_without_location": int((timed & ~located).sum()),
        "incidents_outside_period": int((timed & located & (step < 0)).sum()),
        "latest": latest_summary,
        "mean": _means(rolling, params),
        "rolling": rolling,
        "curve": curve,
        "notes": notes,
    }
    report(progress, cancelled, 1.0, "Evaluation done")
    return AnalysisResult(layer, summary, {"evaluation": params.to_dict()})


def _pct(coverage: float) -> str:
    return f"{coverage * 100:g}"


def _rolling_row(label: str, method: str, scores: Scores, train_n: int) -> dict:
    row = {"test_period": label, "method": method, "train_n": train_n, "test_n": scores.total}
    for k, coverage in enumerate(scores.coverages):
        pct = _pct(coverage)
        row[f"hit_rate_{pct}"] = _finite(scores.hit_rate[k])
        row[f"pai_{pct}"] = _finite(scores.pai[k])
        row[f"pei_{pct}"] = _finite(scores.pei[k])
    return row


def _finite(value) -> float | None:
    return float(value) if np.isfinite(value) else None


def _means(rolling: list[dict], params: EvaluationParams) -> dict:
    frame = pd.DataFrame(rolling)
    out = {}
    for method in params.methods:
        rows = frame[frame.method == method]
        out[method] = {
            column: _finite(pd.to_numeric(rows[column], errors="coerce").mean())
            for column in frame.columns
            if column.startswith(("hit_rate_", "pai_", "pei_"))
        }
    return out


def _latest(grid: StudyGrid, latest, params: EvaluationParams, labels, crs):
    t, maps, test_counts, outside, train_n = latest
    layer = lattice_cells(grid.lattice, grid.rows, grid.cols, crs=crs)
    layer["test_n"] = test_counts
    summary = {"test_period": labels[t], "train_periods": labels[t - params.train_periods : t], "test_n": int(test_counts.sum()) + outside, "train_n": train_n, "incidents_outside_study_area": outside, "methods": {}}
    curve = {"coverage": CURVE_COVERAGES.tolist()}
    for method, risk in maps.items():
        scores = score_map(risk, test_counts, params.coverages, outside)
        summary["methods"][method] = {
            _pct(c): {
                "cells": int(scores.cells[k]),
                "hits": float(scores.hits[k]),
                "best_hits": float(scores.best_hits[k]),
                "hit_rate": _finite(scores.hit_rate[k]),
                "pai": _finite(scores.pai[k]),
                "pei": _finite(scores.pei[k]),
            }
            for k, c in enumerate(scores.coverages)
        }
        full = score_map(risk, test_counts, CURVE_COVERAGES, outside)
        curve[method] = [_finite(v) if k else 0.0 for k, v in enumerate(full.hit_rate)]
        key = np.where(np.isnan(risk), -np.inf, risk)
        layer[f"risk_{method}"] = risk
        layer[f"rank_{method}"] = pd.Series(-key).rank(method="min").to_numpy().astype(np.int64)
        for k, coverage in enumerate(params.coverages):
            layer[f"top{_pct(coverage)}_{method}"] = layer[f"rank_{method}"].to_numpy() <= scores.cells[k]
    best = score_map(test_counts.astype(np.float64), test_counts, CURVE_COVERAGES, outside)
    curve["best"] = [_finite(v) if k else 0.0 for k, v in enumerate(best.hit_rate)]
    return layer, summary, curve
