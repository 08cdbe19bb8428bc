"""Benchmark: HDBSCAN on 100,000 incidents, gisapp against scikit-learn's HDBSCAN.

Data: ``n`` incidents of the synthetic county (the generator's ``write_big_csv``),
projected to EPSG:4544. Parameters: ``min_cluster_size = 50`` and
``min_samples`` at its default (= ``min_cluster_size``, counting the point
itself, scikit-learn's convention).

- baseline: ``sklearn.cluster.HDBSCAN(min_cluster_size=50).fit(X)``;
- gisapp: ``gisapp.analysis.clusters.clustering.cluster_incidents`` with ``method="hdbscan"``,
  which uses the ``hdbscan`` package's dual-tree Borůvka minimum spanning
  tree (exact, ``min_samples − 1`` in the package's convention) and then
  also computes every cluster's convex hull and standard deviational ellipse;
- gisapp with ``backend="sklearn"`` (what runs when the package is missing),
  once, for reference.

Agreement: the adjusted Rand index between gisapp's and the baseline's labels
(noise as its own label). Every job runs in a fresh interpreter; the baseline
once, gisapp best of ``--repeat``. Results go to ``bench/results/hdbscan.json``.

Usage: ``python bench/bench_hdbscan.py [--points 100000] [--min-cluster-size 50] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
from bench_kde import make_points
from common import best_of, run_job, save

SETUP_BASELINE = """
import warnings
import numpy as np
from sklearn.cluster import HDBSCAN
warnings.simplefilter("ignore")
XY = np.load({points!r})
"""
JOB_BASELINE = """
labels = HDBSCAN(min_cluster_size={size}, copy=True).fit(XY).labels_
np.save({out!r}, labels)
extra = {{"clusters": int(labels.max() + 1), "noise": int((labels < 0).sum())}}
"""
SETUP_GISAPP = """
import warnings
import numpy as np, geopandas as gpd
from gisapp.analysis.clusters.clustering import ClusterParams, cluster_incidents
import hdbscan, sklearn.cluster  # imports are set-up, as for the baseline (hdbscan's import of scikit-learn takes ~2 s)
warnings.simplefilter("ignore")
XY = np.load({points!r})
POINTS = gpd.GeoDataFrame(geometry=gpd.points_from_xy(XY[:, 0], XY[:, 1]), crs="EPSG:4544")
"""
JOB_GISAPP = """
result = cluster_incidents(POINTS, ClusterParams(method="hdbscan", min_cluster_size={size}, backend={backend!r}))
np.save({out!r}, result.layer["cluster_id"].to_numpy())
extra = {{"clusters": result.summary["clusters"], "noise": result.summary["noise"], "backend": result.params["backend"]}}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--min-cluster-size", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        points = str(make_points(folder, args.points)[0])
        baseline = run_job(SETUP_BASELINE.format(points=points),
                           JOB_BASELINE.format(size=args.min_cluster_size, out=str(folder / "baseline.npy")), timeout=3600)
        runs = [run_job(SETUP_GISAPP.format(points=points),
                        JOB_GISAPP.format(size=args.min_cluster_size, backend="auto", out=str(folder / "gisapp.npy")))
                for _ in range(args.repeat)]
        fallback = run_job(SETUP_GISAPP.format(points=points),
                           JOB_GISAPP.format(size=args.min_cluster_size, backend="sklearn", out=str(folder / "fallback.npy")), timeout=3600)
        from sklearn.metrics import adjusted_rand_score  # after the jobs: children fork from a small parent

        reference = np.load(folder / "baseline.npy")
        ari = adjusted_rand_score(reference, np.load(folder / "gisapp.npy"))
        ari_fallback = adjusted_rand_score(reference, np.load(folder / "fallback.npy"))
    ours = best_of(runs)
    ratio = baseline["seconds"] / ours["seconds"]
    print(f"HDBSCAN on {args.points:,} county incidents, min_cluster_size {args.min_cluster_size}")
    print(f"  baseline sklearn HDBSCAN: {baseline['seconds']:.1f} s, {baseline['peak_mb']:.0f} MB peak, "
          f"{baseline['extra']['clusters']} clusters, {baseline['extra']['noise']:,} noise")
    print(f"  gisapp ({ours['extra']['backend']} backend, with hulls and ellipses): {ours['seconds']:.2f} s, {ours['peak_mb']:.0f} MB peak, "
          f"{ours['extra']['clusters']} clusters, {ours['extra']['noise']:,} noise; speed-up {ratio:.1f}x; ARI {ari:.4f}")
    print(f"  gisapp with backend sklearn (no hdbscan package): {fallback['seconds']:.1f} s; ARI {ari_fallback:.4f}")
    save("hdbscan", {"points": args.points, "min_cluster_size": args.min_cluster_size, "baseline": baseline, "gisapp": ours,
                     "gisapp_sklearn_backend": fallback, "speedup": round(ratio, 2), "ari": round(ari, 5),
                     "ari_sklearn_backend": round(ari_fallback, 5)})


if __name__ == "__main__":
    main()
