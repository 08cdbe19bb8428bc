"""Early warning (预警): which grid's latest week (or month) is significantly above its recent history.

For each unit (a 网格, an area, or a square cell) the count of the latest
complete step is compared with the unit's own baseline, the ``baseline``
steps just before it, in the manner of the CDC's EARS C1 (a moving baseline
of recent steps, no seasonal model; Hutwagner et al. 2003), but with an
exact Poisson test instead of EARS' normal z:

- **expected** = baseline count x (length of the latest step / length of the
  baseline), i.e. the unit's recent rate;
- **test**: if the unit's rate did not change, the latest count x given the
  total n = x + baseline count is Binomial(n, p0), p0 = latest length /
  (latest + baseline length) (the conditional test of two Poisson rates;
  Przyborowski & Wilenski 1940). It needs no estimated parameter, so its
  size holds for any rate. **p** is the one-sided mid-p,
  ``P(X > x) + P(X = x) / 2`` (Lancaster 1961), whose false-alarm rate is
  close to the nominal level even for small counts, where the exact p would
  be conservative.
- an **alert** when p <= alpha and observed > expected; with ``fdr`` the
  Benjamini-Hochberg adjusted p (q) is compared instead, across the units.
- **rising steps**: the consecutive steps, ending with the latest, whose count
  was above their own baseline expectation; two or more read "连续 N 周上升".

The baseline adapts to a trend as it moves, but no season is modelled: a
unit whose crime always rises in summer will alert at the start of summer.
The latest step is the last *complete* step up to ``as_of``; a partial one
is left out and noted.

References
----------
Hutwagner, L., Thompson, W., Seeman, G. M. & Treadwell, T. (2003). The bioterrorism
preparedness and response Early Aberration Reporting System (EARS). Journal of Urban
Health 80(2 Suppl 1), i89-i96.
Przyborowski, J. & Wilenski, H. (1940). Homogeneity of results in testing samples from
Poisson series. Biometrika 31, 313-323.
Lancaster, H. O. (1961). Significance tests in discrete distributions. JASA 56, 223-234.
Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. JRSS B 57, 289-300.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import stats

from gisapp.analysis.core.aggregation import assign_points_to_polygons, lattice_cells, point_coordinates, require_metric_crs
from gisapp.analysis.core.result import AnalysisResult, report
from gisapp.analysis.core.time_steps import calendar_steps, incident_times
from gisapp.layers.errors import InputError

from .grid import StudyGrid

STEP_ZH = {"week": "周", "month": "个月", "day": "天"}


@dataclass
class AlertParams:
    """Units, steps and the test.

    Parameters
    ----------
    step : {"week", "month"}
    as_of : str, optional
        The day the warning is made; the latest complete step up to it is tested (default: the last incident's day).
    baseline : int
        Steps before the latest that make its expectation (8 by default: two months of weeks).
    alpha : float
        Significance level of an alert.
    fdr : bool
        Benjamini-Hochberg across the units.
    """

    step: str = "week"
    as_of: str | None = None
    baseline: int = 8
    alpha: float = 0.05
    fdr: bool = True


@dataclass
class Warnings:
    """The test of every unit's latest step (arrays over the units)."""

    observed: np.ndarray
    expected: np.ndarray
    ratio: np.ndarray
    p: np.ndarray
    q: np.ndarray
    alert: np.ndarray
    rising: np.ndarray


def early_warnings(counts, lengths, baseline: int, alpha: float, fdr: bool) -> Warnings:
    """Test the last column of ``counts`` (units x steps) against the ``baseline`` columns before it.

    ``lengths`` are the steps' lengths in days (months differ).
    """
    counts = np.asarray(counts, dtype=np.float64)
    lengths = np.asarray(lengths, dtype=np.float64)
    n_units, n_steps = counts.shape
    if n_steps < baseline + 1:
        raise ValueError("need baseline + 1 steps")
    total = np.concatenate([np.zeros((n_units, 1)), np.cumsum(counts, axis=1)], axis=1)
    days = np.concatenate([[0.0], np.cumsum(lengths)])
    steps = np.arange(baseline, n_steps)
    base = total[:, steps] - total[:, steps - baseline]
    rate = base / (days[steps] - days[steps - baseline])
    expected_all = rate * lengths[steps]
    above = counts[:, steps] > expected_all
    rising = _run_length(above)
    observed, expected = counts[:, -1], expected_all[:, -1]
    share = lengths[-1] / (lengths[-1] + days[-2] - days[-2 - baseline])
    n = observed + base[:, -1]
    p = stats.binom.sf(observed, n, share) + 0.5 * stats.binom.pmf(observed, n, share)
    q = benjamini_hochberg(p) if fdr else p
    alert = (q <= alpha) & (observed > expected)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / expected, np.nan)
    return Warnings(observed, expected, ratio, p, q, alert, rising)


def _run_length(flags: np.ndarray) -> np.ndarray:
    """Per row, the number of trailing True values."""
    reversed_flags = flags[:, ::-1]
    return np.where(reversed_flags.all(axis=1), reversed_flags.shape[1], np.argmin(reversed_flags, axis=1)).astype(np.int64)


def benjamini_hochberg(p: np.ndarray) -> np.ndarray:
    """Benjamini-Hochberg adjusted p-values (q), monotone, capped at 1."""
    p = np.asarray(p, dtype=np.float64)
    m = p.size
    order = np.argsort(p)
    scaled = p[order] * m / np.arange(1, m + 1)
    q = np.minimum.accumulate(scaled[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(q, 1.0)
    return out


# --------------------------------------------------------------------------- entry point


def latest_steps(times: np.ndarray, step: str, as_of=None):
    """Calendar steps from the first incident up to the last complete step on or before ``as_of``, and a note."""
    timed = times[~np.isnat(times)]
    last = pd.Timestamp(timed.max()).normalize()
    as_of = pd.Timestamp(as_of).normalize() if as_of else last
    steps = calendar_steps(step, pd.Timestamp(timed.min()), as_of)
    notes = []
    if steps.last_partial:
        notes.append(f"The {step} of {steps.labels()[-1]} is not over on {as_of.date()}: the latest complete {step} is tested.")
        steps = calendar_steps(step, pd.Timestamp(timed.min()), steps.edges[-2] - pd.Timedelta(days=1)) if steps.count > 1 else None
    return steps, as_of, notes


def unit_alerts(points: gpd.GeoDataFrame, units: gpd.GeoDataFrame | None, params: AlertParams, cell_size: float = 500.0,
                progress=None, cancelled=None) -> AnalysisResult:
    """Early warnings per unit (see the module notes).

    Parameters
    ----------
    points : GeoDataFrame
        Incidents in a metric CRS with ``occurred_at``.
    units : GeoDataFrame, optional
        Polygons (grids or areas) with ``grid_id`` / ``area_id`` and ``name``; None: square cells of ``cell_size``.

    Raises
    ------
    InputError
        Fewer complete steps than the baseline plus the latest; no incident in a unit.
    """
    if params.step not in ("week", "month"):
        raise InputError(f"Alerts run by week or month; got {params.step!r}.")
    require_metric_crs(points, "incident layer")
    report(progress, cancelled, 0.0, "Counting incidents per unit and step")
    times, timed = incident_times(points)
    x, y, located = point_coordinates(points)
    steps, as_of, notes = latest_steps(times[timed & located] if (timed & located).any() else times[timed], params.step, params.as_of)
    need = params.baseline + 1
    if steps is None or steps.count < need:
        have = 0 if steps is None else steps.count
        raise InputError(
            f"Alerts need at least {need} complete {params.step}s of history (a baseline of {params.baseline} plus the latest); "
            f"the incidents up to {as_of.date()} cover {have}."
        )
    layer, where, ids, names = _units(points, units, x, y, located, cell_size)
    step = steps.index(times)
    use = timed & located & (step >= 0) & (where >= 0)
    counts = np.zeros((len(layer), steps.count))
    np.add.at(counts, (where[use], step[use]), 1.0)
    warnings = early_warnings(counts, steps.days(), params.baseline, params.alpha, params.fdr)
    label = steps.labels()[-1]
    unit_zh = STEP_ZH[params.step]
    layer["unit_id"] = ids
    layer["name"] = names
    layer["observed"] = warnings.observed.astype(np.int64)
    layer["expected"] = warnings.expected
    layer["ratio"] = warnings.ratio
    layer["p_value"] = warnings.p
    layer["q_value"] = warnings.q if params.fdr else np.nan
    layer["alert"] = warnings.alert
    layer["rising_steps"] = warnings.rising
    layer["alert_zh"] = [_label_zh(a, r, unit_zh) for a, r in zip(warnings.alert, warnings.rising)]
    alerts = layer[layer["alert"]].sort_values(["p_value", "ratio"], ascending=[True, False])
    summary = {
        "step": params.step, "latest_step": label, "as_of": str(as_of.date()), "baseline_steps": params.baseline,
        "baseline_from": steps.labels()[-1 - params.baseline], "alpha": params.alpha, "fdr": params.fdr,
        "units": int(len(layer)), "unit_kind": "square" if units is None else "polygons",
        "alerts": int(warnings.alert.sum()),
        "alert_list": [_alert_row(row, rank + 1) for rank, (_, row) in enumerate(alerts.iterrows())],
        "incidents": int(use.sum()),
        "incidents_without_time": int((~timed).sum()),
        "incidents_without_location": int((timed & ~located).sum()),
        "incidents_outside_units": int((timed & located & (step >= 0) & (where < 0)).sum()),
        "test": "conditional Poisson rate test (binomial), one-sided mid-p" + (", Benjamini-Hochberg across units" if params.fdr else ""),
        "notes": notes,
    }
    report(progress, cancelled, 1.0, "Alerts done")
    return AnalysisResult(layer, summary, {"alerts": {"step": params.step, "as_of": summary["as_of"], "baseline": params.baseline,
                                                      "alpha": params.alpha, "fdr": params.fdr}})


def _label_zh(alert: bool, rising: int, unit_zh: str) -> str:
    if not alert:
        return ""
    return f"连续 {rising} {unit_zh}上升" if rising >= 2 else "显著高于预期"


def _alert_row(row, rank: int) -> dict:
    return {
        "rank": rank, "unit_id": str(row["unit_id"]), "name": str(row["name"]), "observed": int(row["observed"]),
        "expected": round(float(row["expected"]), 2), "ratio": None if not np.isfinite(row["ratio"]) else round(float(row["ratio"]), 2),
        "p_value": float(row["p_value"]), "q_value": None if not np.isfinite(row["q_value"]) else float(row["q_value"]),
        "rising_steps": int(row["rising_steps"]), "label_zh": row["alert_zh"],
    }


def _units(points, units, x, y, located, cell_size: float):
    """The unit layer, each incident's unit (-1 none), the unit ids and names."""
    if units is None:
        grid = StudyGrid.build((x[located].min(), y[located].min(), x[located].max(), y[located].max()), cell_size)
        layer = lattice_cells(grid.lattice, grid.rows, grid.cols, crs=points.crs)
        where = np.full(len(x), -1, dtype=np.int64)
        where[located] = grid.locate(x[located], y[located])
        ids = [f"C{r:04d}_{c:04d}" for r, c in zip(grid.rows, grid.cols)]
        return layer, where, ids, ids
    layer = gpd.GeoDataFrame(geometry=units.geometry.values, crs=units.crs)
    id_column = next((c for c in ("grid_id", "area_id", "id") if c in units), None)
    ids = units[id_column].astype(str).to_numpy() if id_column else np.array([str(k + 1) for k in range(len(units))])
    names = units["name"].astype(str).to_numpy() if "name" in units else ids
    where = assign_points_to_polygons(points, layer)
    return layer, where, ids, names


def run_alerts(inputs, params, progress=None, cancelled=None) -> AnalysisResult:
    """The ``alerts`` method: grids, areas or square cells of the input."""
    units = None if params.unit == "square" else inputs.frame(params.unit)
    settings = AlertParams(step=params.step, as_of=params.as_of, baseline=params.baseline, alpha=params.alpha, fdr=params.fdr)
    return unit_alerts(inputs.incidents(), units, settings, params.cell_size, progress, cancelled)
