"""Benchmark: kernel density of 100,000 incidents onto a 200 × 200 grid, against scikit-learn.

Data: ``n`` incidents of the synthetic county (``sample_data/generate.py
write_big_csv``, the same county and patterns scaled up), projected to
EPSG:4544. Grid: 200 × 200 cells over the incidents' bounding square. Kernel:
Gaussian with ArcGIS's default bandwidth rule (computed once, used by both),
because scikit-learn has no quartic kernel and its Gaussian is the same
function (standard deviation = bandwidth).

- baselines: ``KernelDensity(kernel="gaussian", bandwidth=h).fit(X)`` then
  ``score_samples`` at the cell centres, twice: exact (``rtol = atol = 0``,
  scikit-learn's default) and with ``rtol=1e-3``, which lets its tree prune
  and is the strongest fair setting (an error of the same order as the
  binned FFT's). Both take minutes, so by default they are timed on an evenly
  spread sample of ``--baseline-cells`` cell centres and their time
  extrapolated linearly to all 40,000 (score_samples costs about the same per
  query point); ``--baseline-cells 40000`` runs them in full. The headline
  ratio is against the tolerant one.
- gisapp: ``gisapp.analysis.hotspots.density.kernel_density`` with ``method="fft"`` (linear
  binning + FFT), isopleths included; also ``method="auto"`` with the default
  quartic kernel, for reference.

Accuracy: gisapp's raster against the baseline at the sampled cells: the
largest error relative to the peak, and the largest relative error among
cells above 10 % (and 1 %) of the peak.

Each job runs in a fresh interpreter (``bench/common.py``); gisapp jobs best
of ``--repeat``. Results go to ``bench/results/kde.json``.

Usage: ``python bench/bench_kde.py [--points 100000] [--baseline-cells 2000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
from common import ROOT, best_of, run_job, save

GRID = 200


PREPARE = """
import importlib.util, sys
import numpy as np, pandas as pd, pyproj
from pathlib import Path
from gisapp.analysis.hotspots.density import arcgis_search_radius
spec = importlib.util.spec_from_file_location("generate", {generator!r})
generate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(generate)
"""
PREPARE_JOB = """
generate.write_big_csv({csv!r}, {n}, encoding="utf-8")
table = pd.read_csv({csv!r}, usecols=["lon", "lat"])
x, y = pyproj.Transformer.from_crs(4326, 4544, always_xy=True).transform(table.lon.to_numpy(), table.lat.to_numpy())
np.save({out!r}, np.column_stack([x, y]))
extra = {{"arcgis_bandwidth_m": arcgis_search_radius(x, y)[0]}}
"""


def make_points(folder: Path, n: int) -> tuple[Path, float]:
    """County incidents projected to EPSG:4544 in ``points.npy``, and their ArcGIS default bandwidth.

    Done in a child process, so that this parent stays small: a child's peak
    memory (``ru_maxrss``) starts from the parent's size at fork.
    """
    path = folder / "points.npy"
    job = run_job(PREPARE.format(generator=str(ROOT / "sample_data" / "generate.py")),
                  PREPARE_JOB.format(csv=str(folder / "incidents.csv"), n=n, out=str(path)))
    return path, job["extra"]["arcgis_bandwidth_m"]


SETUP_GISAPP = """
import numpy as np, geopandas as gpd
from gisapp.analysis.hotspots.density import KdeParams, kernel_density
XY = np.load({points!r})
POINTS = gpd.GeoDataFrame(geometry=gpd.points_from_xy(XY[:, 0], XY[:, 1]), crs="EPSG:4544")
PARAMS = KdeParams(kernel={kernel!r}, bandwidth={bandwidth!r}, cell_size={cell!r}, extent={extent!r}, method={method!r})
"""
JOB_GISAPP = """
result = kernel_density(POINTS, PARAMS)
np.save({out!r}, result.raster.array)
extra = {{"method": result.summary["method"], "oversampling": result.summary["oversampling"],
         "binning_error_bound": result.summary["binning_error_bound"], "bandwidth_m": result.summary["bandwidth_m"],
         "shape": list(result.raster.shape)}}
"""
SETUP_BASELINE = """
import numpy as np
from sklearn.neighbors import KernelDensity
XY = np.load({points!r})
QUERY = np.load({query!r})
"""
JOB_BASELINE = """
model = KernelDensity(kernel="gaussian", bandwidth={bandwidth!r}, rtol={rtol!r}).fit(XY)
density = np.exp(model.score_samples(QUERY)) * len(XY) * 1e6
np.save({out!r}, density)
extra = {{"cells": len(QUERY)}}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--baseline-cells", type=int, default=2000, help="cell centres the baseline evaluates (40000 = all)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        points_path, bandwidth = make_points(folder, args.points)
        xy = np.load(points_path)
        xmin, ymin = xy.min(axis=0)
        side = float(max(np.ptp(xy[:, 0]), np.ptp(xy[:, 1]))) * (1 + 1e-9)
        cell = side / GRID
        extent = (float(xmin), float(ymin), float(xmin) + GRID * cell, float(ymin) + GRID * cell)
        # cell centres, north row first (the raster's order), and an evenly spread sample of them
        cx = xmin + (np.arange(GRID) + 0.5) * cell
        cy = extent[3] - (np.arange(GRID) + 0.5) * cell
        centres = np.column_stack([np.tile(cx, GRID), np.repeat(cy, GRID)])
        take = np.unique(np.linspace(0, len(centres) - 1, min(args.baseline_cells, len(centres))).round().astype(int))
        np.save(folder / "query.npy", centres[take])

        scale = len(centres) / len(take)
        baselines = {}
        for name, rtol in (("exact", 0.0), ("rtol_1e-3", 1e-3)):
            baselines[name] = run_job(
                SETUP_BASELINE.format(points=str(points_path), query=str(folder / "query.npy")),
                JOB_BASELINE.format(bandwidth=bandwidth, rtol=rtol, out=str(folder / f"baseline_{name}.npy")),
                timeout=7200,
            )
            baselines[name]["extrapolated_seconds"] = baselines[name]["seconds"] * scale
        reference = np.load(folder / "baseline_exact.npy")
        tolerant = np.load(folder / "baseline_rtol_1e-3.npy")
        baseline = baselines["rtol_1e-3"]

        jobs = {"gisapp_fft_gaussian": ("gaussian", bandwidth, "fft"), "gisapp_auto_quartic": ("quartic", bandwidth, "auto")}
        results = {}
        for name, (kernel, h, method) in jobs.items():
            runs = []
            for _ in range(args.repeat):
                runs.append(run_job(
                    SETUP_GISAPP.format(points=str(points_path), kernel=kernel, bandwidth=h, cell=cell, extent=extent, method=method),
                    JOB_GISAPP.format(out=str(folder / f"{name}.npy")),
                ))
            results[name] = best_of(runs)
        ours = np.load(folder / "gisapp_fft_gaussian.npy").ravel()[take]

    error = np.abs(ours - reference)
    peak = reference.max()
    accuracy = {
        "max_error_over_peak": float(error.max() / peak),
        "tolerant_baseline_max_error_over_peak": float(np.abs(tolerant - reference).max() / peak),
        "max_relative_error_above_10pct_of_peak": float((error / reference)[reference >= 0.1 * peak].max()),
        "max_relative_error_above_1pct_of_peak": float((error / reference)[reference >= 0.01 * peak].max()),
        "cells_compared": len(take),
    }
    fft = results["gisapp_fft_gaussian"]
    ratio = baseline["extrapolated_seconds"] / fft["seconds"]
    print(f"KDE {args.points:,} points onto {GRID}×{GRID} cells, Gaussian, bandwidth {bandwidth:.1f} m, cell {cell:.1f} m")
    for name, run in baselines.items():
        print(f"  baseline sklearn KernelDensity.score_samples ({name}): {run['seconds']:.1f} s on {len(take):,} cells "
              f"-> {run['extrapolated_seconds']:.0f} s for {len(centres):,} (linear), {run['peak_mb']:.0f} MB peak")
    exact_ratio = baselines["exact"]["extrapolated_seconds"] / fft["seconds"]
    print(f"  gisapp fft (gaussian): {fft['seconds']:.3f} s, {fft['peak_mb']:.0f} MB peak, oversampling {fft['extra']['oversampling']}; "
          f"speed-up {ratio:,.0f}x against rtol=1e-3 ({exact_ratio:,.0f}x against the exact default)")
    quartic = results["gisapp_auto_quartic"]
    print(f"  gisapp auto (quartic, default kernel): {quartic['seconds']:.3f} s ({quartic['extra']['method']}), {quartic['peak_mb']:.0f} MB peak")
    print(f"  accuracy vs the exact baseline: rtol=1e-3 {accuracy['tolerant_baseline_max_error_over_peak']:.2e} of the peak; gisapp max error {accuracy['max_error_over_peak']:.2e} of the peak; "
          f"max relative error {accuracy['max_relative_error_above_10pct_of_peak']:.2e} (cells ≥ 10 % of peak), "
          f"{accuracy['max_relative_error_above_1pct_of_peak']:.2e} (≥ 1 %)")
    save("kde", {
        "points": args.points, "grid": [GRID, GRID], "cell_m": cell, "bandwidth_m": bandwidth, "baselines": baselines,
        **results, "speedup": round(ratio, 1), "speedup_vs_exact": round(exact_ratio, 1), "accuracy": accuracy,
        "note": "baseline timed on a sample of cell centres and extrapolated linearly" if len(take) < len(centres) else "baseline on all cells",
    })


if __name__ == "__main__":
    main()
