"""Benchmarks of gisapp's Getis-Ord Gi* against the usual notebook path.

Usage::

    python bench/bench_gistar.py [--quick] [--timeout SECONDS]

Every job runs in a fresh Python process, so peak memory (``ru_maxrss`` of
that process) and import costs do not mix between jobs.

Job 1, analytic Gi* with FDR on a 50 m fishnet:
  gisapp (numpy binning + convolution) against geopandas fishnet + ``sjoin``
  count + ``libpysal.weights.DistanceBand`` on centroids + ``esda.G_Local``.
  Both analyse the same full (untrimmed) fishnet; the band is 160 m, not
  150 m, because at exactly 3 cells DistanceBand's inclusion of the (3, 0)
  neighbours depends on the last bit of the centroid coordinates, so the two
  would differ for reasons that are not the method.
Job 2, Gi* with 999 permutations on 10,000 cells, timed from interpreter
  start-up (wall clock of the whole process), against esda ``G_Local`` with
  ``permutations=999`` in a fresh process (numba is not installed).

Results are printed as a table and written to ``bench/results/gistar.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results" / "gistar.json"
SEED = 20240607
CELL = 50.0
BAND = 160.0
PERMUTATIONS = 999
SIZES = {  # mode -> (incidents, extent in metres)
    "full": (1_000_000, 20_000.0),
    "quick": (100_000, 10_000.0),
}
JOB2_SIDE = 100  # 100 x 100 = 10,000 cells
ORIGIN = (500_000.0, 3_000_000.0)  # UTM 50N, as in the county
CRS = "EPSG:32650"


# --------------------------------------------------------------------------- shared data


def clustered_xy(n: int, extent: float, seed: int = SEED):
    """Synthetic incidents: 70 % in 300 Gaussian hot spots of 30-400 m, 30 % uniform."""
    import numpy as np

    rng = np.random.default_rng(seed)
    clustered = int(0.7 * n)
    centres = rng.uniform(0, extent, (300, 2))
    spread = rng.uniform(30, 400, 300)
    which = rng.integers(0, 300, clustered)
    xy = np.empty((n, 2))
    xy[:clustered] = centres[which] + rng.normal(0, 1, (clustered, 2)) * spread[which, None]
    xy[clustered:] = rng.uniform(0, extent, (n - clustered, 2))
    xy = np.clip(xy, 0, extent)
    return ORIGIN[0] + xy[:, 0], ORIGIN[1] + xy[:, 1]


def incidents_gdf(n: int, extent: float):
    import geopandas as gpd

    x, y = clustered_xy(n, extent)
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=CRS)


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


# --------------------------------------------------------------------------- workers (child processes)


def job1_gisapp(mode: str, out: Path) -> dict:
    import numpy as np

    from gisapp.analysis.core.aggregation import AggregationParams
    from gisapp.analysis.hotspots.gistar import GiStarParams, hotspot_gi_star

    points = incidents_gdf(*SIZES[mode])
    start = time.perf_counter()
    result = hotspot_gi_star(
        points, AggregationParams(grid="square", cell_size=CELL, trim_empty=False), GiStarParams(band=BAND, fdr=True)
    )
    seconds = time.perf_counter() - start
    np.save(out / "job1_gisapp_z.npy", result.layer["gi_z"].to_numpy())
    return {"seconds": seconds, "cells": result.summary["cells"], "gi_bin": result.summary["gi_bin"]}


def job1_notebook(mode: str, out: Path) -> dict:
    import math

    import geopandas as gpd
    import numpy as np
    import shapely
    from esda import G_Local, fdr
    from libpysal.weights import DistanceBand
    from scipy.stats import norm

    points = incidents_gdf(*SIZES[mode])
    start = time.perf_counter()
    xmin, ymin, xmax, ymax = points.total_bounds
    ncols = max(1, math.ceil((xmax - xmin) / CELL))
    nrows = max(1, math.ceil((ymax - ymin) / CELL))
    rows, cols = np.indices((nrows, ncols)).reshape(2, -1)
    fishnet = gpd.GeoDataFrame(
        geometry=shapely.box(xmin + cols * CELL, ymin + rows * CELL, xmin + (cols + 1) * CELL, ymin + (rows + 1) * CELL),
        crs=CRS,
    )
    joined = gpd.sjoin(points, fishnet, how="inner", predicate="intersects")
    joined = joined[~joined.index.duplicated(keep="first")]  # a point on a shared edge counts once
    counts = joined["index_right"].value_counts().reindex(fishnet.index, fill_value=0).to_numpy()
    centroids = fishnet.geometry.centroid
    w = DistanceBand(np.column_stack([centroids.x, centroids.y]), BAND, binary=True, silence_warnings=True)
    g = G_Local(counts.astype(float), w, transform="B", star=True, permutations=0)
    p = 2 * norm.sf(np.abs(g.Zs))
    cutoffs = {a: fdr(p, a) for a in (0.10, 0.05, 0.01)}
    seconds = time.perf_counter() - start
    np.save(out / "job1_notebook_z.npy", g.Zs)
    return {"seconds": seconds, "cells": int(len(fishnet)), "fdr_cutoffs": cutoffs}


def job2_counts():
    """A 100 x 100 fishnet of counts (10,000 cells) from clustered incidents."""
    side = JOB2_SIDE * CELL
    x, y = clustered_xy(60_000, side)
    return x, y, side


def job2_gisapp(mode: str, out: Path) -> dict:
    import geopandas as gpd
    import numpy as np

    from gisapp.analysis.core.aggregation import AggregationParams
    from gisapp.analysis.hotspots.gistar import GiStarParams, hotspot_gi_star

    x, y, _ = job2_counts()
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(x, y), crs=CRS)
    start = time.perf_counter()
    result = hotspot_gi_star(
        points,
        AggregationParams(cell_size=CELL, trim_empty=False),
        GiStarParams(band=BAND, permutations=PERMUTATIONS, seed=1),
    )
    seconds = time.perf_counter() - start
    np.save(out / "job2_gisapp_p_sim.npy", result.layer["gi_p_sim"].to_numpy())
    return {"seconds_in_process": seconds, "cells": result.summary["cells"]}


def job2_esda(mode: str, out: Path) -> dict:
    import numpy as np
    from esda import G_Local
    from libpysal.weights import DistanceBand

    from gisapp.analysis.core.aggregation import square_lattice

    x, y, _ = job2_counts()
    lattice = square_lattice((x.min(), y.min(), x.max(), y.max()), CELL)
    rows, cols, _ = lattice.locate(x, y)
    counts = np.bincount(rows * lattice.shape[1] + cols, minlength=lattice.size).astype(float)
    cy, cx = np.indices(lattice.shape).reshape(2, -1)
    centres = np.column_stack(lattice.centres(cy, cx))
    w = DistanceBand(centres, BAND, binary=True, silence_warnings=True)
    start = time.perf_counter()
    g = G_Local(counts, w, transform="B", star=True, permutations=PERMUTATIONS, seed=1)
    seconds = time.perf_counter() - start
    np.save(out / "job2_esda_p_sim.npy", g.p_sim)
    return {"seconds_in_process": seconds, "cells": int(lattice.size)}


WORKERS = {f.__name__: f for f in (job1_gisapp, job1_notebook, job2_gisapp, job2_esda)}


def run_worker(name: str, mode: str, out: Path) -> None:
    sys.path.insert(0, str(REPO))
    result = WORKERS[name](mode, out)
    result["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(result))


# --------------------------------------------------------------------------- parent


def spawn(name: str, mode: str, out: Path, timeout: float) -> dict:
    """Run one worker in a fresh interpreter; wall time includes start-up and imports."""
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONWARNINGS="ignore")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", name, "--mode", mode, "--out", str(out)]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"timed_out": True, "wall_seconds": timeout}
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"worker {name} failed:\n{proc.stderr}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = wall
    return result


def compare_job1(out: Path) -> float:
    import numpy as np

    ours = np.load(out / "job1_gisapp_z.npy")
    theirs = np.load(out / "job1_notebook_z.npy")
    both = ~np.isnan(ours) & ~np.isnan(theirs)
    return float(np.abs(ours[both] - theirs[both]).max())


def compare_job2(out: Path) -> float | None:
    import numpy as np

    path = out / "job2_esda_p_sim.npy"
    if not path.exists():
        return None
    ours, theirs = np.load(out / "job2_gisapp_p_sim.npy"), np.load(path)
    both = ~np.isnan(ours) & ~np.isnan(theirs)
    return float(np.corrcoef(ours[both], theirs[both])[0, 1])


def seconds_text(result: dict, key: str) -> str:
    return f"> {result['wall_seconds']:.0f} s (timeout)" if result.get("timed_out") else f"{result[key]:.2f} s"


def run(mode: str, timeout: float) -> dict:
    n, extent = SIZES[mode]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        j1_ours = spawn("job1_gisapp", mode, out, timeout)
        j1_base = spawn("job1_notebook", mode, out, timeout)
        j2_ours = spawn("job2_gisapp", mode, out, timeout)
        j2_base = spawn("job2_esda", mode, out, timeout)
        max_dz = None if j1_base.get("timed_out") else compare_job1(out)
        p_corr = compare_job2(out)
    job1 = {
        "incidents": n,
        "extent_m": extent,
        "cell_m": CELL,
        "band_m": BAND,
        "cells": j1_ours["cells"],
        "gisapp": j1_ours,
        "notebook": j1_base,
        "speedup": None if j1_base.get("timed_out") else j1_base["seconds"] / j1_ours["seconds"],
        "max_abs_dz": max_dz,
    }
    job2 = {
        "cells": j2_ours["cells"],
        "permutations": PERMUTATIONS,
        "gisapp": j2_ours,
        "esda": j2_base,
        "p_sim_correlation": p_corr,
    }
    return {"mode": mode, "job1_analytic": job1, "job2_permutations": job2}


def environment() -> dict:
    import esda
    import libpysal
    import numpy
    import scipy

    return {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "esda": esda.__version__,
        "libpysal": libpysal.__version__,
    }


def print_table(report: dict) -> None:
    j1, j2 = report["job1_analytic"], report["job2_permutations"]
    rows = [
        ("job", "gisapp", "baseline", "ratio / check"),
        (
            f"1: {j1['incidents']:,} incidents, {j1['cells']:,} cells, analytic+FDR",
            seconds_text(j1["gisapp"], "seconds"),
            seconds_text(j1["notebook"], "seconds"),
            "n/a" if j1["speedup"] is None else f"{j1['speedup']:.0f}x, max|dz| {j1['max_abs_dz']:.1e}",
        ),
        (
            "   peak RSS",
            f"{j1['gisapp']['peak_rss_mb']:.0f} MB",
            "n/a" if j1["notebook"].get("timed_out") else f"{j1['notebook']['peak_rss_mb']:.0f} MB",
            "",
        ),
        (
            f"2: {j2['cells']:,} cells x {j2['permutations']} permutations, fresh process",
            f"{j2['gisapp']['wall_seconds']:.2f} s",
            seconds_text(j2["esda"], "wall_seconds"),
            "" if j2["p_sim_correlation"] is None else f"corr(p_sim) {j2['p_sim_correlation']:.3f}",
        ),
        (
            "   peak RSS",
            f"{j2['gisapp']['peak_rss_mb']:.0f} MB",
            "n/a" if j2["esda"].get("timed_out") else f"{j2['esda']['peak_rss_mb']:.0f} MB",
            "",
        ),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for r in rows:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 incidents over 10 km x 10 km")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds before a job is abandoned")
    parser.add_argument("--worker", choices=sorted(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--mode", default="full", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        run_worker(args.worker, args.mode, args.out)
        return 0
    report = run("quick" if args.quick else "full", args.timeout)
    report["environment"] = environment()
    print_table(report)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2))
    print(f"written to {RESULTS.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
