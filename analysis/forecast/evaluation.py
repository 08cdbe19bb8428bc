"""Forecast evaluation that can say no: did the forecast beat last period's map?

A forecast ranks grid cells by risk. The analyst patrols the top cells that
make up a share *a* of the study area; the test period's incidents tell how
well that choice worked. Every method of :mod:`gisapp.analysis.forecast`
(``counts``, ``kde``, ``gistar``, ``prospective``, ``sepp``, ``rtm``) is
trained on the history before each test period and scored on it, rolling
over weeks or months. The measures are those of open_cp
(``open_cp.evaluation``, QuantCrimAtLeeds/PredictCode) and the literature it
follows:

- **hit rate** at coverage a: the share of the test period's N incidents
  that fall in the selected cells (Chainey, Tompson & Uhlig 2008; open_cp
  ``hit_rates``). The selection is the floor(a * C) highest-risk cells of the
  C cells of the study area (open_cp ``top_slice``).
- **PAI**, the Predictive Accuracy Index: hit rate / area share =
  (n / N) / (a / A) (Chainey et al. 2008). 1 means no better than chance.
- **PEI**, the Predictive Efficiency Index: hits achieved / the most hits any
  selection of the same number of cells could have had (Hunt 2016; open_cp
  ``maximum_hit_rate`` gives the denominator). 1 means the best cells possible.
- **log score**: open_cp ``likelihood``, the mean over the test incidents
  inside the area of log p(cell), where p is the forecast normalised to sum
  to 1 over the cells and zero probabilities count as 1e-9. Higher is better.
- **Brier score**: open_cp ``brier_score``, ``mean_i (p_i - u_i)^2 / cell
  area`` with u_i the share of the test incidents in cell i (area in km²
  here), and its skill ``2 sum p u / (sum u^2 + sum p^2)`` (1 is perfect).
  Lower score, higher skill is better. Gi* z values are not probabilities:
  its log and Brier scores are left empty.

Ties. Maps often give many cells the same risk (every empty cell of a count
map). open_cp breaks ties by cell order, which makes the result depend on
where the grid starts. Here the cells tied at the cut-off share it pro rata:
if g of G tied cells are needed, they contribute g/G of the tied cells'
hits. This is the expected hit count of a random choice among them, it does
not depend on cell order, and it equals open_cp's value whenever there is no
tie at the cut-off. Hit counts are therefore reported as decimals. The
``top<pct>_<method>`` flags of the result layer mark exactly the
floor(a * C) cells the score counts: every cell above the tie, then tied
cells in cell order up to the count.

The verdict. For every method and coverage the table gives the mean PAI
over the test periods, its spread (standard deviation, minimum, maximum),
and in how many periods the method beat last period's counts in the same
period. A method is called better than counts only when its mean PAI is
higher *and* it beat counts in more than half the periods; otherwise the
table says it does not beat last period's counts.

References
----------
Chainey, S., Tompson, L. & Uhlig, S. (2008). The utility of hotspot mapping for
predicting spatial patterns of crime. Security Journal 21, 4-28.
Hunt, J. M. (2016). Do crime hot spots move? Exploring the effects of the modifiable
areal unit problem and modifiable temporal unit problem on crime hot spot stability.
PhD thesis, American University (PEI).
Daws, M. et al. open_cp, QuantCrimAtLeeds/PredictCode (``open_cp/evaluation.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import geopandas as gpd
import numpy as np
import pandas as pd

from gisapp.analysis.core.aggregation import lattice_cells
from gisapp.analysis.core.result import AnalysisResult, report
from gisapp.analysis.core.time_steps import STEP_UNITS, steps_for
from gisapp.layers.errors import InputError

from .grid import StudyGrid, grid_over, prepare_history, skipped_note
from .predict import factor_layers, settings_from, study_area_of
from .surface import FORECASTERS, METHOD_LABELS_ZH, ForecastSettings, forecast_surface

METHODS = ("counts", "kde", "gistar", "prospective", "sepp")
ALL_METHODS = tuple(FORECASTERS)
#: The coverages of the full hit-rate curve: every whole percent.
CURVE_COVERAGES = np.round(np.arange(0, 101) / 100.0, 2)
#: Probabilities below this count as this in the log score (open_cp ``likelihood``'s minimum).
LOG_FLOOR = 1e-9
#: Methods whose values are not intensities (no log or Brier score).
NOT_INTENSITIES = ("gistar",)

__all__ = ["METHOD_LABELS_ZH", "METHODS", "EvaluationParams", "Scores", "score_map", "hits_at", "evaluate_forecasts", "StudyGrid"]


@dataclass
class EvaluationParams:
    """What is trained, on what, and how it is scored.

    Parameters
    ----------
    methods : tuple of str
        Any of ``counts``, ``kde``, ``gistar``, ``prospective``, ``sepp``, ``rtm``.
    cell_size : float
        Grid cell size in metres (200 m by default; open_cp's examples use 150 m).
    period : {"day", "week", "month"}
        Length of a test period (calendar steps).
    train_periods : int
        Periods before the test period that train ``counts``, ``kde`` and
        ``gistar`` (1: "last month"). ``prospective`` reads back its time
        bandwidth, ``sepp`` and ``rtm`` ``forecast.history_days``.
    coverages : tuple of float
        Area shares to report, e.g. 0.01, 0.05, 0.10, 0.20.
    bandwidth : float
        KDE radius in metres (default 400 m, two cells).
    band : float, optional
        Gi* distance band in metres; default ``cell_size * sqrt(2)`` (the 8 surrounding cells).
    start, end : str, optional
        First and last day evaluated; by default the first and last incident.
    study_area : shapely geometry, optional
        Only cells meeting it are candidates (and count as area); by default
        every cell of the grid over the incidents' extent.
    forecast : ForecastSettings
        The other methods' settings (prospective bandwidths, SEPP and RTM history, RTM factors).
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
    forecast: ForecastSettings = field(default_factory=ForecastSettings)

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
            "prospective": {"space_bandwidth_m": self.forecast.space_bandwidth, "time_bandwidth_weeks": self.forecast.time_bandwidth},
            "history_days": self.forecast.history_days,
        }

    def validate(self) -> None:
        unknown = [m for m in self.methods if m not in ALL_METHODS]
        if not self.methods or unknown:
            raise InputError(f"Unknown forecast method {', '.join(unknown) or '(none)'}; use {', '.join(ALL_METHODS)}.")
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


# --------------------------------------------------------------------------- entry point
def probability_scores(risk, test_counts, cell_area_km2: float) -> dict:
    """open_cp's log score (``likelihood``) and Brier score and skill of one forecast (see the module notes).

    ``risk`` is normalised to sum to 1 over the cells; negative values are not allowed.
    """
    risk = np.asarray(risk, dtype=np.float64)
    counts = np.asarray(test_counts, dtype=np.float64)
    total, mass = counts.sum(), risk.sum()
    if total <= 0 or not np.isfinite(mass) or mass <= 0 or (risk < 0).any():
        return {"log_score": None, "brier": None, "brier_skill": None}
    p = risk / mass
    u = counts / total
    log_score = float((counts * np.log(np.maximum(p, LOG_FLOOR))).sum() / total)
    brier = float(np.mean((u - p) ** 2) / cell_area_km2)
    skill = float(2 * np.sum(u * p) / np.sum(u * u + p * p))
    return {"log_score": log_score, "brier": brier, "brier_skill": skill}


def selected_cells(risk: np.ndarray, count: int) -> np.ndarray:
    """Flags of exactly ``count`` cells: every cell above the tie at the cut-off, then tied cells in cell order."""
    key = np.where(np.isnan(risk), -np.inf, risk)
    order = np.argsort(-key, kind="stable")
    flags = np.zeros(risk.size, dtype=bool)
    flags[order[: max(int(count), 0)]] = True
    return flags


# --------------------------------------------------------------------------- entry point


@dataclass
class Window:
    """One test period: its label, cutoff and length in days (from the history's origin)."""

    label: str
    cutoff: float
    horizon: float
    train_start: float


def evaluate_forecasts(points: gpd.GeoDataFrame, params: EvaluationParams, progress=None, cancelled=None) -> AnalysisResult:
    """Train every method before each test period, score it on the period (rolling), and judge it.

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
        ``test_n`` and per method ``risk_<method>``, ``rank_<method>`` (1 =
        riskiest) and ``top<pct>_<method>`` (the cells the score counted at
        that coverage). ``summary``: ``latest`` (per method hit rate, PAI,
        PEI, hits and best hits at each coverage, log and Brier scores),
        ``rolling`` (one row per test period and method), ``mean``,
        ``table`` (per method and coverage: mean PAI, spread, periods that
        beat counts, verdict), ``winner`` (per coverage), ``verdicts`` (one
        sentence per method), ``curve`` (the latest period's hit-rate curve
        at every whole percent, per method and "best possible"),
        ``parameters`` (the latest fitted parameters per method), notes.

    Raises
    ------
    InputError
        No usable times; fewer than train_periods + 1 periods; every test period empty.
    """
    params.validate()
    history = prepare_history(points)
    steps = steps_for(history.stamps(), params.period, params.start, params.end)
    if steps.count < params.train_periods + 1:
        raise InputError(
            f"The period holds {steps.count} {params.period}(s); training on {params.train_periods} and testing on the next "
            f"needs at least {params.train_periods + 1}. Use a longer period or a shorter one per step."
        )
    edges = np.array([history.day(edge) for edge in steps.edges])
    in_period = (history.t >= edges[0]) & (history.t < edges[-1])
    if not in_period.any():
        raise InputError("No incident has both a location and a time inside the period.")
    grid = grid_over(_subset(history, in_period) if params.study_area is None else history, params.cell_size, params.study_area)
    history.cell = grid.locate(history.x, history.y)
    labels = steps.labels()
    settings = replace(params.forecast, bandwidth=params.bandwidth, band=params.resolved_band(), study_area=params.study_area)
    rolling, notes = [], [*steps.notes(), *skipped_note(history.skipped)]
    latest = None
    tests = range(params.train_periods, steps.count)
    for done, t in enumerate(tests):
        report(progress, cancelled, done / len(tests), f"Testing on {labels[t]}")
        window = Window(labels[t], edges[t], edges[t + 1] - edges[t], edges[t - params.train_periods])
        test = history.between(edges[t], edges[t + 1])
        test_counts = np.bincount(history.cell[test & (history.cell >= 0)], minlength=grid.size)
        outside = int((test & (history.cell < 0)).sum())
        if test.sum() == 0:
            notes.append(f"No incident in {labels[t]}: that test period is skipped (empty period).")
            continue
        train_n = int((history.between(window.train_start, window.cutoff) & (history.cell >= 0)).sum())
        if train_n == 0:
            notes.append(f"No incident in the training period before {labels[t]}: every cell ties, so its map is no better than chance.")
        maps = _maps(history, grid, window, settings, params.methods, notes)
        for method, surface in maps.items():
            scores = score_map(surface.risk, test_counts, params.coverages, outside)
            probability = _probability(method, surface.risk, test_counts, grid)
            rolling.append(_rolling_row(labels[t], method, scores, train_n, probability))
        latest = (t, maps, test_counts, outside, train_n)
    if latest is None:
        raise InputError(f"Every test {params.period} is empty: there is no incident to test a map on.")
    report(progress, cancelled, 0.95, "Writing the result")
    layer, latest_summary, curve = _latest(grid, latest, params, labels, points.crs)
    table = verdict_table(rolling, params)
    summary = {
        "cells": grid.size,
        "cell_size_m": float(params.cell_size),
        "study_area_km2": grid.size * params.cell_size**2 / 1e6,
        "periods": steps.count,
        "period": params.period,
        "test_periods": len({row["test_period"] for row in rolling}),
        "incidents": int(in_period.sum()),
        **history.skipped,
        "incidents_outside_period": int((~in_period).sum()),
        "latest": latest_summary,
        "mean": _means(rolling, params),
        "table": table,
        "winner": _winners(table, params),
        "verdicts": _verdicts(table, params),
        "rolling": rolling,
        "curve": curve,
        "parameters": {method: surface.parameters for method, surface in latest[1].items()},
        "notes": notes,
    }
    report(progress, cancelled, 1.0, "Evaluation done")
    return AnalysisResult(layer, summary, {"evaluation": params.to_dict()})


def _subset(history, mask):
    return replace(history, x=history.x[mask], y=history.y[mask], t=history.t[mask], cell=history.cell[mask], rows=history.rows[mask])


def _maps(history, grid, window: Window, settings: ForecastSettings, methods, notes: list) -> dict:
    """Each method's surface for one test period; a method that cannot train there is noted and left out."""
    settings = replace(settings, window_days=window.cutoff - window.train_start)
    maps = {}
    for method in methods:
        try:
            surface = forecast_surface(method, history, grid, window.cutoff, window.horizon, settings)
        except InputError as error:
            notes.append(f"{window.label}: {method} left out ({error})")
            continue
        notes.extend(f"{window.label}: {note}" for note in surface.notes)
        maps[method] = surface
    return maps


def _probability(method: str, risk, test_counts, grid: StudyGrid) -> dict:
    if method in NOT_INTENSITIES:
        return {"log_score": None, "brier": None, "brier_skill": None}
    return probability_scores(risk, test_counts, grid.cell_size**2 / 1e6)


def _pct(coverage: float) -> str:
    return f"{coverage * 100:g}"


def _rolling_row(label: str, method: str, scores: Scores, train_n: int, probability: dict) -> dict:
    row = {"test_period": label, "method": method, "train_n": train_n, "test_n": scores.total}
    for k, coverage in enumerate(scores.coverages):
        pct = _pct(coverage)
        row[f"hit_rate_{pct}"] = _finite(scores.hit_rate[k])
        row[f"pai_{pct}"] = _finite(scores.pai[k])
        row[f"pei_{pct}"] = _finite(scores.pei[k])
    row.update(probability)
    return row


def _finite(value) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


def _means(rolling: list[dict], params: EvaluationParams) -> dict:
    frame = pd.DataFrame(rolling)
    out = {}
    for method in params.methods:
        rows = frame[frame.method == method]
        out[method] = {
            column: _finite(pd.to_numeric(rows[column], errors="coerce").mean())
            for column in frame.columns
            if column.startswith(("hit_rate_", "pai_", "pei_")) or column in ("log_score", "brier", "brier_skill")
        }
    return out


def verdict_table(rolling: list[dict], params: EvaluationParams) -> list[dict]:
    """Per method and coverage: mean PAI and its spread, periods that beat counts, and the verdict (module notes)."""
    frame = pd.DataFrame(rolling)
    rows = []
    for coverage in params.coverages:
        column = f"pai_{_pct(coverage)}"
        wide = frame.pivot_table(index="test_period", columns="method", values=column, aggfunc="first")
        for method in params.methods:
            if method not in wide:
                continue
            values = pd.to_numeric(wide[method], errors="coerce").dropna()
            row = {"method": method, "coverage_pct": float(coverage * 100), "periods": int(values.size),
                   "pai_mean": _finite(values.mean()), "pai_sd": _finite(values.std(ddof=1)) if values.size > 1 else None,
                   "pai_min": _finite(values.min()), "pai_max": _finite(values.max())}
            if method != "counts" and "counts" in wide:
                pair = wide[[method, "counts"]].apply(pd.to_numeric, errors="coerce").dropna()
                wins = int((pair[method] > pair["counts"]).sum())
                counts_mean = float(pair["counts"].mean()) if len(pair) else math.nan
                better = bool(len(pair) and pair[method].mean() > counts_mean and wins > len(pair) / 2)
                row.update({"beats_counts": wins, "compared": int(len(pair)), "counts_pai_mean": _finite(counts_mean),
                            "better_than_counts": better,
                            "verdict": "beats last period's counts" if better else "does not beat last period's counts"})
            rows.append(row)
    return rows


def _winners(table: list[dict], params: EvaluationParams) -> dict:
    out = {}
    for coverage in params.coverages:
        rows = [r for r in table if r["coverage_pct"] == float(coverage * 100) and r["pai_mean"] is not None]
        if rows:
            best = max(rows, key=lambda r: r["pai_mean"])
            out[_pct(coverage)] = {"method": best["method"], "pai_mean": best["pai_mean"]}
    return out


def _verdicts(table: list[dict], params: EvaluationParams) -> dict:
    """One sentence per method at the reference coverage (5 % when reported, else the first)."""
    reference = 0.05 if any(abs(c - 0.05) < 1e-12 for c in params.coverages) else params.coverages[0]
    out = {}
    for row in table:
        if row["coverage_pct"] == float(reference * 100) and "verdict" in row:
            out[row["method"]] = (
                f"{row['method']} {row['verdict']} at {_pct(reference)} % of the area: mean PAI {_number(row['pai_mean'])} against "
                f"{_number(row['counts_pai_mean'])}, better in {row['beats_counts']} of {row['compared']} periods"
            )
    return out


def _number(value) -> str:
    return "—" if value is None else f"{value:.2f}"


def _latest(grid: StudyGrid, latest, params: EvaluationParams, labels, crs):
    t, maps, test_counts, outside, train_n = latest
    layer = lattice_cells(grid.lattice, grid.rows, grid.cols, crs=crs)
    layer["test_n"] = test_counts
    summary = {"test_period": labels[t], "train_periods": labels[t - params.train_periods : t], "test_n": int(test_counts.sum()) + outside, "train_n": train_n, "incidents_outside_study_area": outside, "methods": {}, "scores": {}}
    curve = {"coverage": CURVE_COVERAGES.tolist()}
    for method, surface in maps.items():
        risk = surface.risk
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
        summary["scores"][method] = _probability(method, risk, test_counts, grid)
        full = score_map(risk, test_counts, CURVE_COVERAGES, outside)
        curve[method] = [_finite(v) if k else 0.0 for k, v in enumerate(full.hit_rate)]
        key = np.where(np.isnan(risk), -np.inf, risk)
        layer[f"risk_{method}"] = risk
        layer[f"rank_{method}"] = pd.Series(-key).rank(method="min").to_numpy().astype(np.int64)
        for k, coverage in enumerate(params.coverages):
            layer[f"top{_pct(coverage)}_{method}"] = selected_cells(risk, scores.cells[k])
    best = score_map(test_counts.astype(np.float64), test_counts, CURVE_COVERAGES, outside)
    curve["best"] = [_finite(v) if k else 0.0 for k, v in enumerate(best.hit_rate)]
    return layer, summary, curve


def run_evaluate(inputs, params, progress=None, cancelled=None) -> AnalysisResult:
    """The ``evaluate`` method: the declared parameters turned into :class:`EvaluationParams`."""
    settings = settings_from(params)
    if "rtm" in params.methods:
        settings.factors = factor_layers(inputs, params.factors)
    flt = inputs.incident_filter
    evaluation = EvaluationParams(
        methods=tuple(params.methods), cell_size=params.cell_size, period=params.period, train_periods=params.train_periods,
        coverages=tuple(c / 100.0 for c in params.coverage), bandwidth=params.bandwidth, band=params.band,
        start=getattr(flt, "start", None), end=getattr(flt, "end", None), study_area=study_area_of(inputs, params.study_area),
        forecast=settings,
    )
    result = evaluate_forecasts(inputs.incidents(), evaluation, progress, cancelled)
    result.chosen.update(band=evaluation.resolved_band())
    return result
