"""Benchmark: the Knox near-repeat test, gisapp against the straightforward all-pairs implementation.

Usage::

    python bench/bench_knox.py [--events 20000] [--permutations 999] [--baseline-permutations 3] [--quick]

Data (generated inside the benchmark, seeded): ``--events`` burglaries over two
years in a 20 km x 20 km county, 70 % around 300 neighbourhood centres
(sd 150-600 m), 30 % uniform, plus near-repeat chains. Bands: 4 distance bands
(100, 200, 300, 400 m) x 4 time bands (7, 14, 21, 28 days), ``--permutations``
Monte Carlo permutations.

- **gisapp**: :func:`gisapp.analysis.spacetime.nearrepeat.knox_test`: the pairs within 400 m
  from a k-d tree, permutations vectorised over that fixed pair list, chunked.
- **baseline**: what one writes first: ``scipy.spatial.distance.pdist`` of
  all n(n-1)/2 pairs, their distance bands, then for every permutation the
  time differences of all pairs (``pdist`` on the permuted times), binned and
  counted. Memory grows as n^2 (about 1.6 GB per float array at 20,000
  events). At 20,000 events one permutation takes seconds, so the baseline
  runs ``--baseline-permutations`` of them; its time for the full run is
  *extrapolated*: set-up + R x (measured time per permutation). Both tables of
  observed counts are compared, so the speed-up is between equal answers.

Each job runs in a fresh interpreter (``bench/common.run_job``), so its peak
resident memory (``ru_maxrss``) is its own. A second series runs gisapp alone
at 5,000-40,000 events at constant density (the county grows with the
events), to show memory growing with the close pairs, not with n^2.
Results: printed, and written to ``bench/results/knox.json``.
"""

from __future__ import annotations

import argparse
import json
import os

from common import best_of, run_job, save

SEED = 20240607
DISTANCES = (100.0, 200.0, 300.0, 400.0)
DAYS = (7.0, 14.0, 21.0, 28.0)

DATA = f"""
import numpy as np
def synthetic_events(n, extent, seed={SEED}):
    rng = np.random.default_rng(seed)
    clustered = int(0.7 * n)
    centres = rng.uniform(0, extent, (300, 2))
    spread = rng.uniform(150, 600, 300)
    which = rng.integers(0, 300, clustered)
    xy = np.empty((n, 2))
    xy[:clustered] = centres[which] + rng.normal(0, 1, (clustered, 2)) * spread[which, None]
    xy[clustered:] = rng.uniform(0, extent, (n - clustered, 2))
    days = rng.integers(0, 730, n)
    chains = n // 50  # near-repeat chains: 5 follow-ups within 150 m and 7 days
    starts = rng.integers(0, n, chains)
    for k, s in enumerate(starts):
        for j in range(5):
            i = (s + 1 + j * 7919) % n
            xy[i] = xy[s] + rng.normal(0, 60, 2)
            days[i] = min(729, days[s] + rng.integers(0, 8))
    return np.clip(xy, 0, extent) + [500000.0, 3400000.0], days
"""

GISAPP_SETUP = DATA + f"""
import gisapp.analysis.spacetime.nearrepeat as nr
xy, days = synthetic_events(N, EXTENT)
events = nr.Events(xy[:, 0], xy[:, 1], days.astype(np.int64), np.argsort(days, kind="stable"), np.arange(N), {{}})
params = nr.KnoxParams(distance_bands={DISTANCES}, time_bands={DAYS}, permutations=R, seed=1)
"""
GISAPP_JOB = """
table = nr.knox_test(events, params)
extra = {"observed": table.observed.tolist(), "pairs": table.pairs_within_largest_band, "p_01": table.p[1, 0]}
"""

BASELINE_SETUP = DATA + f"""
import time
from scipy.spatial.distance import pdist
xy, days = synthetic_events(N, EXTENT)
D_EDGES = np.asarray({DISTANCES})
T_EDGES = np.asarray({DAYS})
"""
BASELINE_JOB = """
cells = (len(D_EDGES) + 1) * (len(T_EDGES) + 1)
t0 = time.perf_counter()
d_band = np.searchsorted(D_EDGES, pdist(xy), side="left").astype(np.int8)   # all n(n-1)/2 pairs

def knox_table(times):
    t_band = np.searchsorted(T_EDGES, pdist(times[:, None], "cityblock"), side="left")
    return np.bincount(d_band * (len(T_EDGES) + 1) + t_band, minlength=cells)

observed = knox_table(days.astype(float))
setup_seconds = time.perf_counter() - t0
rng = np.random.default_rng(1)
t1 = time.perf_counter()
sims = [knox_table(days[rng.permutation(N)].astype(float)) for _ in range(R)]
per_permutation = (time.perf_counter() - t1) / R
extra = {"observed": observed.reshape(len(D_EDGES) + 1, len(T_EDGES) + 1).tolist(), "setup_seconds": setup_seconds, "per_permutation": per_permutation}
"""


def setup(template: str, n: int, extent: float, permutations: int) -> str:
    return f"N = {n}\nEXTENT = {extent}\nR = {permutations}\n" + template


def available_gb() -> float:
    with open("/proc/meminfo", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("MemAvailable"):
                return int(line.split()[1]) / 2**20
    return float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--permutations", type=int, default=999)
    parser.add_argument("--baseline-permutations", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=2, help="gisapp runs (best of)")
    parser.add_argument("--quick", action="store_true", help="5,000 events, no scaling series")
    args = parser.parse_args()
    n = 5_000 if args.quick else args.events
    extent = 20_000.0 * (n / 20_000) ** 0.5  # constant density: 50 events per km²
    result = {"events": n, "extent_m": extent, "distance_bands_m": DISTANCES, "time_bands_days": DAYS, "permutations": args.permutations}

    ours = best_of([run_job(setup(GISAPP_SETUP, n, extent, args.permutations), GISAPP_JOB) for _ in range(args.repeat)])
    need_gb = 6 * n * (n - 1) / 2 * 8 / 2**30 / 3  # ~2 float64 pair arrays + int8/intp temporaries
    if available_gb() < need_gb + 2:
        print(f"baseline skipped: it needs about {need_gb:.1f} GB and {available_gb():.1f} GB are available")
        base = None
    else:
        base = run_job(setup(BASELINE_SETUP, n, extent, args.baseline_permutations), BASELINE_JOB, timeout=3600)
    result["gisapp"] = {"seconds": ours["seconds"], "peak_mb": ours["peak_mb"], "pairs_within_400m": ours["extra"]["pairs"]}
    if base is not None:
        extra = base["extra"]
        extrapolated = extra["setup_seconds"] + args.permutations * extra["per_permutation"]
        same = extra["observed"] == ours["extra"]["observed"]
        result["baseline"] = {
            "measured_seconds": base["seconds"],
            "measured_permutations": args.baseline_permutations,
            "setup_seconds": extra["setup_seconds"],
            "seconds_per_permutation": extra["per_permutation"],
            "extrapolated_seconds": extrapolated,
            "peak_mb": base["peak_mb"],
            "pairs": n * (n - 1) // 2,
            "observed_tables_equal": same,
        }
        result["speedup"] = extrapolated / ours["seconds"]
        result["memory_ratio"] = base["peak_mb"] / ours["peak_mb"]
        if not same:
            raise SystemExit("the baseline and gisapp disagree on the observed Knox table")
    if not args.quick:
        scaling = []
        for size in (5_000, 10_000, 20_000, 40_000):
            side = 20_000.0 * (size / 20_000) ** 0.5
            run = run_job(setup(GISAPP_SETUP, size, side, args.permutations), GISAPP_JOB)
            scaling.append({"events": size, "extent_m": side, "seconds": run["seconds"], "peak_mb": run["peak_mb"], "pairs_within_400m": run["extra"]["pairs"]})
        result["gisapp_scaling_constant_density"] = scaling

    print(f"Knox test, {n:,} events, 4 x 4 bands, {args.permutations} permutations (cpus: {os.cpu_count()})")
    print(f"  gisapp   {ours['seconds']:8.2f} s   peak {ours['peak_mb']:7.0f} MB   ({ours['extra']['pairs']:,} pairs within 400 m)")
    if base is not None:
        b = result["baseline"]
        print(f"  baseline {b['extrapolated_seconds']:8.0f} s   peak {b['peak_mb']:7.0f} MB   (all {b['pairs']:,} pairs; "
              f"extrapolated: set-up {b['setup_seconds']:.1f} s + {args.permutations} x {b['seconds_per_permutation']:.2f} s measured over "
              f"{b['measured_permutations']} permutations)")
        print(f"  speed-up {result['speedup']:.0f}x, memory {result['memory_ratio']:.1f}x less; observed tables equal: {b['observed_tables_equal']}")
    for row in result.get("gisapp_scaling_constant_density", []):
        print(f"  gisapp at {row['events']:>6,} events ({row['extent_m'] / 1000:.1f} km square): {row['seconds']:6.2f} s, peak {row['peak_mb']:5.0f} MB, {row['pairs_within_400m']:,} pairs")
    save("knox_quick" if args.quick else "knox", json.loads(json.dumps(result, default=float)))


if __name__ == "__main__":
    main()
