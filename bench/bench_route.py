"""Benchmark: planning a 60-minute hotspot patrol on a 20,000-edge road network with 50 hotspots.

A synthetic town: a 100 x 101 lattice of junctions 100 m apart, jittered by up
to 15 m, every lattice edge a road of its own (19,999 roads), 50 hotspot cells
of 200 m at random places with random values. The timed job is the whole
:func:`gisapp.analysis.patrol.plan.plan_patrol`: building the networkx graph (with
noding), snapping the station and the hotspots, Dijkstra from 51 sources, the
orienteering heuristic, the naive tour and the Koper schedule. Each run in a
fresh process, best of ``--repeat``.

    python bench/bench_route.py
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_of, run_job, save

SETUP = """
import numpy as np, geopandas as gpd, shapely
from gisapp.analysis.patrol.plan import PlanParams, plan_patrol
rng = np.random.default_rng(3)
X0, Y0, STEP, ROWS, COLS = 500_000.0, 3_400_000.0, 100.0, {rows}, {cols}
gx, gy = np.meshgrid(np.arange(COLS) * STEP, np.arange(ROWS) * STEP)
xy = np.column_stack([gx.ravel(), gy.ravel()]) + rng.uniform(-15, 15, (ROWS * COLS, 2)) + [X0, Y0]
ids = np.arange(ROWS * COLS).reshape(ROWS, COLS)
pairs = np.vstack([np.column_stack([ids[:, :-1].ravel(), ids[:, 1:].ravel()]), np.column_stack([ids[:-1, :].ravel(), ids[1:, :].ravel()])])
roads = gpd.GeoDataFrame({{"name": [f"路{{i}}" for i in range(len(pairs))], "road_class": "primary"}},
                         geometry=shapely.linestrings(np.stack([xy[pairs[:, 0]], xy[pairs[:, 1]]], axis=1)), crs="EPSG:4544")
centres = xy[rng.choice(len(xy), {hotspots}, replace=False)]
cells = gpd.GeoDataFrame({{"cell_id": [f"h{{i}}" for i in range(len(centres))], "gi_bin": 3, "gi_z": rng.uniform(2, 10, len(centres)),
                          "n": rng.integers(20, 500, len(centres))}},
                         geometry=shapely.box(centres[:, 0] - 100, centres[:, 1] - 100, centres[:, 0] + 100, centres[:, 1] + 100), crs="EPSG:4544")
station = shapely.Point(xy[ids[ROWS // 2, COLS // 2]])  # not "start": the runner times with that name
"""

JOB = """
result = plan_patrol(roads, station, PlanParams(budget_minutes=60, dwell_minutes={dwell}), hotspots=cells)
s = result.summary
extra = {{"edges": s["network"]["edges"], "plan": s["plan"], "naive": s["naive"], "reachable": s["hotspots"]["reachable"]}}
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    setup = SETUP.format(rows=100, cols=101, hotspots=50)
    variants = {"koper_stops_12.5_min": 12.5, "drive_past": 0.0}
    runs = {name: [] for name in variants}
    for _ in range(args.repeat):
        for name, dwell in variants.items():
            runs[name].append(run_job(setup, JOB.format(dwell=dwell)))
    best = {name: best_of(r) for name, r in runs.items()}
    edges = best["drive_past"]["extra"]["edges"]
    payload = {
        "job": f"60-minute patrol plan, {edges:,}-edge road network (19,999 roads, noded), 50 hotspots",
        "command": "python bench/bench_route.py",
        "results": best,
        "target": "< 10 s",
    }
    for name, result in best.items():
        e = result["extra"]
        print(f"{name:<22} {result['seconds']:.2f} s  peak {result['peak_mb']:.0f} MB  edges {e['edges']:,}")
        print(f"    plan  {e['plan']}\n    naive {e['naive']}")
    path = save("route", payload)
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
