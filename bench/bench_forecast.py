"""Benchmark: the anticipation methods (SEPP fit, prospective surface, alerts, rolling evaluation) against loop baselines.

Usage::

    python bench/bench_forecast.py [--quick]

open_cp itself does not install here (it is not on PyPI, and its code uses
``numpy.float``/``numpy.int``, removed in numpy 1.24), so each baseline is a
direct implementation of open_cp's own formula, timed on a sample and
extrapolated, in the same run:

- **SEPP** (200,000 events, 5,000 cells, two years): gisapp's EM with the
  prefix scan against open_cp's ``seppexp.maximisation_corrected`` (one
  n_c x n_c probability matrix per cell, a Python loop over the cells), one
  iteration timed on 100 cells, scaled to 5,000 cells and to the iterations
  gisapp needed.
- **prospective** (100,000 events, 200 x 200 cells): binning + exact
  convolution against open_cp ``ProspectiveHotSpot.predict`` (a loop over
  the cells, each summing the weights of every event), timed on 400 cells.
- **alerts** (5,000 units x 104 weeks, 1,000,000 events binned): the
  vectorised conditional tests against a loop over the units.
- **rolling evaluation** of counts, KDE, Gi*, prospective and SEPP over the
  52 weeks of 2025 on the sample county (target only).

Each job runs in a fresh interpreter (``bench/common.run_job``); results go to
``bench/results/forecast.json``.
"""

from __future__ import annotations

import argparse
import json

from common import ROOT, best_of, run_job, save

SIM = """
import numpy as np
def hawkes(n_cells, duration, theta, omega, target, seed=1):
    rng = np.random.default_rng(seed)
    mu = rng.gamma(2.0, target * (1 - theta) / (n_cells * duration * 2.0), n_cells)
    ts, cs = [], []
    gen_t = rng.uniform(0, duration, rng.poisson(mu.sum() * duration))
    gen_c = rng.choice(n_cells, gen_t.size, p=mu / mu.sum())
    ts.append(gen_t); cs.append(gen_c)
    while gen_t.size:
        k = rng.poisson(theta, gen_t.size)
        gen_t = np.repeat(gen_t, k) + rng.exponential(1 / omega, k.sum()); gen_c = np.repeat(gen_c, k)
        keep = gen_t < duration
        gen_t, gen_c = gen_t[keep], gen_c[keep]
        ts.append(gen_t); cs.append(gen_c)
    return np.concatenate(ts), np.concatenate(cs)
times, cells = hawkes(5000, 730.0, 0.4, 0.5, 200_000)
"""

SEPP_GISAPP = ("from gisapp.analysis.forecast.sepp import fit_sepp\n" + SIM,
               "fit = fit_sepp(times, cells, 5000, 730.0)\n"
               "extra = {'events': int(times.size), 'iterations': fit.iterations, 'converged': fit.converged, 'theta': fit.theta, 'omega': fit.omega}")
SEPP_BASELINE = (SIM + """
def step(cell_times, omega, theta, mu, duration):  # open_cp seppexp.maximisation_corrected, per cell
    up = w = dg = cnt = 0.0
    new_mu = []
    for times_c, m in zip(cell_times, mu):
        n = len(times_c)
        p = np.zeros((n, n))
        for j in range(1, n):
            p[:j, j] = theta * omega * np.exp(-omega * (times_c[j] - times_c[:j]))
        p[np.arange(n), np.arange(n)] = m
        p = p / p.sum(axis=0)[None, :]
        d = np.trace(p); up += p.sum() - d; dg += d
        tail = np.exp(-omega * (duration - times_c))
        w += (p * (times_c[None, :] - times_c[:, None])).sum() + theta * np.sum((duration - times_c) * tail)
        cnt += n - tail.sum()
        new_mu.append(d / duration)
    return up / w, up / cnt, new_mu
sample = [np.sort(times[cells == c]) for c in range(100)]
mu0 = [len(s) * 0.5 / 730 for s in sample]
""", "step(sample, 1.0, 0.5, mu0, 730.0)\nextra = {'cells_timed': 100}")

PROS_DATA = """
import numpy as np, pandas as pd, geopandas as gpd
from gisapp.analysis.forecast.grid import StudyGrid, prepare_history
from gisapp.analysis.forecast.surface import ForecastSettings
rng = np.random.default_rng(2)
n = 100_000
x = 500000 + rng.uniform(0, 10000, n); y = 3400000 + rng.uniform(0, 10000, n)
t = pd.Timestamp('2024-01-01') + pd.to_timedelta(rng.uniform(0, 120, n), unit='D')
data = gpd.GeoDataFrame({'occurred_at': t}, geometry=gpd.points_from_xy(x, y), crs='EPSG:4544')
history = prepare_history(data)
grid = StudyGrid.build((500000, 3400000, 510000, 3410000), 50.0)
history.cell = grid.locate(history.x, history.y)
"""
PROS_GISAPP = (PROS_DATA + "from gisapp.analysis.forecast.prospective import forecast_prospective\n",
               "surface = forecast_prospective(history, grid, 120.0, 7.0, ForecastSettings())\nextra = {'cells': grid.size}")
PROS_BASELINE = (PROS_DATA + """
gx = np.floor((history.x - 500000) / 50.0); gy = np.floor((history.y - 3400000) / 50.0)
weeks = np.floor((120.0 - history.t) / 7.0)
def total_weight(cx, cy):  # open_cp ProspectiveHotSpot._total_weight with ClassicWeight, DistanceDiagonalsSame
    d = np.max(np.vstack((np.abs(gx - cx), np.abs(gy - cy))), axis=0)
    return np.sum(1 / ((1 + d) * (1 + weeks)) * ((weeks < 8) & (d < 8)))
""", "[total_weight(c % 200, c // 200) for c in range(400)]\nextra = {'cells_timed': 400}")

ALERT_DATA = """
import numpy as np
rng = np.random.default_rng(3)
units, weeks = 5000, 104
unit = rng.integers(0, units, 1_000_000); week = rng.integers(0, weeks, 1_000_000)
"""
ALERT_GISAPP = (ALERT_DATA + "from gisapp.analysis.forecast.alerts import early_warnings\n",
                "counts = np.zeros((units, weeks)); np.add.at(counts, (unit, week), 1.0)\n"
                "w = early_warnings(counts, np.full(weeks, 7.0), 8, 0.05, True)\nextra = {'alerts': int(w.alert.sum())}")
ALERT_BASELINE = (ALERT_DATA + "from scipy import stats\n", """
counts = np.zeros((units, weeks))
for u, k in zip(unit, week):
    counts[u, k] += 1
ps = []
for u in range(units):
    x = counts[u, -1]; base = counts[u, -9:-1].sum()
    ps.append(stats.binom.sf(x, x + base, 1 / 9) + 0.5 * stats.binom.pmf(x, x + base, 1 / 9))
extra = {}
""")

EVAL_JOB = ("""
from gisapp.analysis.forecast.evaluation import EvaluationParams, evaluate_forecasts
from gisapp.layers.io import read_layers
from gisapp.layers.reproject import reproject
layers = {l.name: l for l in read_layers(%r)}
incidents = reproject(layers['incidents'].data, 'EPSG:4544')
""" % str(ROOT / "sample_data" / "county.gpkg"),
            "r = evaluate_forecasts(incidents, EvaluationParams(methods=('counts', 'kde', 'gistar', 'prospective', 'sepp'), period='week', "
            "start='2024-12-30', end='2025-12-28'))\n"
            "extra = {'test_periods': r.summary['test_periods'], 'table': r.summary['table'], 'winner': r.summary['winner']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one run of each job")
    args = parser.parse_args()
    repeat = 1 if args.quick else 2
    out = {}
    sepp = best_of([run_job(*SEPP_GISAPP) for _ in range(repeat)])
    base = run_job(*SEPP_BASELINE)
    base_total = base["seconds"] * 50 * sepp["extra"]["iterations"]
    out["sepp"] = {"gisapp_s": sepp["seconds"], "peak_mb": sepp["peak_mb"], **sepp["extra"], "baseline_iteration_100_cells_s": base["seconds"],
                   "baseline_extrapolated_s": base_total, "ratio": base_total / sepp["seconds"], "target_s": 30}
    pros = best_of([run_job(*PROS_GISAPP) for _ in range(repeat)])
    base = run_job(*PROS_BASELINE)
    base_total = base["seconds"] * 40_000 / 400
    out["prospective"] = {"gisapp_s": pros["seconds"], "peak_mb": pros["peak_mb"], "baseline_400_cells_s": base["seconds"],
                          "baseline_extrapolated_s": base_total, "ratio": base_total / pros["seconds"], "target_s": 2}
    alerts = best_of([run_job(*ALERT_GISAPP) for _ in range(repeat)])
    base = run_job(*ALERT_BASELINE)
    out["alerts"] = {"gisapp_s": alerts["seconds"], "peak_mb": alerts["peak_mb"], "baseline_s": base["seconds"],
                     "ratio": base["seconds"] / alerts["seconds"], "target_s": 2}
    ev = run_job(*EVAL_JOB)
    out["rolling_evaluation"] = {"gisapp_s": ev["seconds"], "peak_mb": ev["peak_mb"], "test_periods": ev["extra"]["test_periods"],
                                 "winner": ev["extra"]["winner"], "table": ev["extra"]["table"], "target_s": 60}
    path = save("forecast", out)
    print(json.dumps({k: {kk: vv for kk, vv in v.items() if kk != "table"} for k, v in out.items()}, indent=1, ensure_ascii=False))
    print(f"written to {path}")


if __name__ == "__main__":
    main()
