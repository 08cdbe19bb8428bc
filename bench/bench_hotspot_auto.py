"""Is the automatic scale fast enough to be every product's hotspot definition?

Usage::

    python bench/bench_hotspot_auto.py [--repeat N]

The hotspot cells that coverage, patrol, site-cameras, the briefing and the
print compute when none are given are now those of ``gisapp hotspot``'s
automatic scale (``analysis/hotspots/default_cells.py``). The baseline is
the fixed definition it replaced (Gi* on 200 m cells with a 400 m band).
Both run on the sample county's incidents (36,334) and on 100,000 incidents
(the county's, each placed three times with 30 m jitter, minus the excess),
in fresh processes (``bench/common.py``); the default LISA (permutations
raised until the FDR cutoff can be met) is timed on the county too.
Results go to ``bench/results/hotspot_auto.json``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import best_of, run_job, save  # noqa: E402

SETUP = """
import numpy as np, geopandas as gpd
from gisapp.layers.io import read_layer
from gisapp.analysis.core.aggregation import AggregationParams
from gisapp.analysis.hotspots.gistar import GiStarParams, hotspot_gi_star
from gisapp.analysis.hotspots.default_cells import default_hotspot_cells
from gisapp.analysis.hotspots.lisa import lisa
from gisapp.analysis.hotspots.methods import LisaParams
points = read_layer({path!r}, layer="incidents", to_crs="EPSG:4544").data[["geometry"]]
if {n} > len(points):
    rng = np.random.default_rng(7)
    xy = np.column_stack([points.geometry.x, points.geometry.y])
    xy = np.vstack([xy] + [xy + rng.normal(0, 30, xy.shape) for _ in range(2)])[: {n}]
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs="EPSG:4544")
"""

JOBS = {
    "fixed_200m_400m": "r = hotspot_gi_star(points, AggregationParams(grid='square', cell_size=200.0), GiStarParams(band=400.0))\n"
                       "extra = {'cells': len(r.layer), 'hot': int((r.layer.gi_bin >= 2).sum())}",
    "auto_scale": "cells, source, s = default_hotspot_cells(points)\n"
                  "extra = {'cells': len(cells), 'hot': int((cells.gi_bin >= 2).sum()), 'cell_m': s['cell_size_m'], 'band_m': s['band_m']}",
    "lisa_default": "r = lisa(points, LisaParams())\n"
                    "extra = {'cells': r.summary['cells'], 'permutations': r.summary['permutations'], 'significant': int((r.layer.lisa_cluster != 'ns').sum())}",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    county = str(Path(__file__).resolve().parents[1] / "sample_data" / "county.gpkg")
    results = {}
    for label, n in (("county", 0), ("100k", 100_000)):
        setup = SETUP.format(path=county, n=n)
        for job, code in JOBS.items():
            if job == "lisa_default" and label != "county":
                continue
            runs = [run_job(setup, code) for _ in range(args.repeat)]
            results[f"{label}/{job}"] = best_of(runs)
            r = results[f"{label}/{job}"]
            print(f"{label:7s} {job:16s} {r['seconds']:7.2f} s  {r['peak_mb']:6.0f} MB  {r['extra']}")
    for label in ("county", "100k"):
        ratio = results[f"{label}/auto_scale"]["seconds"] / results[f"{label}/fixed_200m_400m"]["seconds"]
        results[f"{label}/auto_over_fixed"] = round(ratio, 2)
        print(f"{label}: automatic scale takes {ratio:.1f}x the fixed 200 m / 400 m definition")
    print("written to", save("hotspot_auto", results))


if __name__ == "__main__":
    main()
