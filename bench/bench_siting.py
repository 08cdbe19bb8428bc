"""Benchmark: siting 20 new cameras among 5,000 candidates for 50,000 incidents.

A synthetic 6 km x 6 km town: streets every 150 m, 5,000 candidate sites along
them, 50,000 incidents (half in 40 clusters, half spread), 400 existing
cameras. :func:`gisapp.analysis.cameras.siting.site_cameras` runs with ``method="mclp"``
(optimal, CBC) and with ``method="greedy"``, each in a fresh process, best of
``--repeat``; the greedy gain is compared with the optimal one.

    python bench/bench_siting.py
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import best_of, run_job, save

SETUP = """
import numpy as np, geopandas as gpd
from gisapp.analysis.cameras.siting import SitingParams, site_cameras
rng = np.random.default_rng(11)
X0, Y0, SIDE, STREET = 500_000.0, 3_400_000.0, 6_000.0, 150.0
N_INCIDENTS, N_CANDIDATES, N_EXISTING = {incidents}, {candidates}, {existing}
lines = np.arange(0, SIDE + 1, STREET)
along = rng.uniform(0, SIDE, N_CANDIDATES)
street = rng.choice(lines, N_CANDIDATES)
vertical = rng.random(N_CANDIDATES) < 0.5
cx, cy = np.where(vertical, street, along), np.where(vertical, along, street)
candidates = gpd.GeoDataFrame({{"site_id": [f"S{{i}}" for i in range(N_CANDIDATES)]}}, geometry=gpd.points_from_xy(X0 + cx, Y0 + cy), crs="EPSG:4544")
centres = rng.uniform(500, SIDE - 500, (40, 2))
clustered = N_INCIDENTS // 2
xy = np.vstack([centres[rng.integers(0, 40, clustered)] + rng.normal(0, 120, (clustered, 2)), rng.uniform(0, SIDE, (N_INCIDENTS - clustered, 2))])
incidents = gpd.GeoDataFrame(geometry=gpd.points_from_xy(X0 + xy[:, 0], Y0 + xy[:, 1]), crs="EPSG:4544")
pick = rng.choice(N_CANDIDATES, N_EXISTING, replace=False)
cameras = gpd.GeoDataFrame(
    {{"camera_id": [f"C{{i}}" for i in range(N_EXISTING)], "kind": "fixed", "heading_deg": rng.uniform(0, 360, N_EXISTING),
     "fov_deg": 75.0, "range_m": 90.0, "status": "online"}},
    geometry=candidates.geometry.values[pick], crs="EPSG:4544",
)
"""

JOB = """
result = site_cameras(incidents, cameras, SitingParams(n_new={n}, method={method!r}, time_limit_s={limit}), candidates=candidates)
s = result.summary
extra = {{k: s[k] for k in ("gain", "share_before", "share_after", "optimal", "solver", "method")}}
extra["greedy_gain"] = s["greedy"]["gain"]
extra["greedy_upper_bound"] = s["greedy"]["upper_bound_on_optimum"]
extra["reduction"] = s["reduction"]
"""


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="10,000 incidents, 1,000 candidates, 5 new cameras")
    parser.add_argument("--time-limit", type=float, default=120.0, help="CBC time limit in seconds")
    args = parser.parse_args(argv)
    incidents, candidates, existing, n = (10_000, 1_000, 80, 5) if args.quick else (50_000, 5_000, 400, 20)
    setup = SETUP.format(incidents=incidents, candidates=candidates, existing=existing)
    runs = {"mclp": [], "greedy": []}
    for _ in range(args.repeat):
        for method, done in runs.items():
            done.append(run_job(setup, JOB.format(n=n, method=method, limit=args.time_limit)))
    best = {method: best_of(r) for method, r in runs.items()}
    optimum = best["mclp"]["extra"]["gain"]
    greedy = best["greedy"]["extra"]["gain"]
    payload = {
        "job": f"{n} new cameras among {candidates:,} candidates for {incidents:,} incidents ({existing} existing cameras kept)",
        "command": "python bench/bench_siting.py" + (" --quick" if args.quick else ""),
        "results": best,
        "greedy_share_of_optimum": greedy / optimum if optimum else None,
        "targets": "optimal MCLP < 60 s, or greedy within 2 % in < 5 s",
    }
    for method, result in best.items():
        e = result["extra"]
        print(f"{method:<7} {result['seconds']:7.2f} s  peak {result['peak_mb']:5.0f} MB  gain {e['gain']:g}  optimal {e['optimal']}  ({e['solver']})")
    print(f"greedy reaches {100 * payload['greedy_share_of_optimum']:.2f} % of the optimum; reduction {best['mclp']['extra']['reduction']}")
    path = save("siting" + ("_quick" if args.quick else ""), payload)
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
