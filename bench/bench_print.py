"""Benchmark: the printed A4 hotspot map of 100,000 incidents (target: under 10 s).

Data as in ``bench_briefing.py``: 100,000 incidents drawn from the sample
county plus its grids, areas, cameras, routes and roads, in one project.

Jobs, each in a fresh process, alternating, best of ``--repeat``:

* **gisapp pdf**: ``collect_content`` (Gi* on 200 m cells and the key
  figures) + ``render_map`` to an A4 landscape vector PDF.
* **gisapp png**: the same to a 300 dpi PNG (3508 x 2480 pixels).
* **naive pdf**: the same Gi* result drawn the notebook way: ``GeoDataFrame.plot``
  for cells (by ``gi_bin``), grids and roads plus every incident as a point,
  ``savefig`` to PDF; no layout, legend table, labels or inset.

Untimed set-up: imports and reading the project.

``--cell auto`` computes Gi* at the automatic scale (as ``gisapp hotspot``).

Usage: ``python bench/bench_print.py [--rows 100000] [--repeat 3] [--cell auto|M]``
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench_briefing import make_project
from common import best_of, run_job, save

GISAPP_SETUP = """
import os, matplotlib
matplotlib.use("Agg")
from gisapp.analysis.core.inputs import Inputs
from gisapp.briefing import collect_content
from gisapp.printing import PrintOptions, render_map
import scipy.signal, scipy.stats  # imported lazily by the analyses: untimed, like every import
import gisapp.analysis.hotspots.gistar, gisapp.analysis.hotspots.scale, gisapp.analysis.cameras.coverage, gisapp.analysis.patrol.exposure, gisapp.analysis.patrol.plan, gisapp.printing.render
inputs = Inputs(PROJECT)
inputs.layers, inputs.crs
"""
GISAPP_JOB = """
content = collect_content(inputs, **CELL)
printed = render_map(content, OUT, PrintOptions(paper="A4", dpi=300))
extra = {"bytes": os.path.getsize(OUT), "font": printed.font.name, "labels_dropped": printed.dropped_labels}
"""
NAIVE_SETUP = """
import os, matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.colors import ListedColormap
from gisapp.analysis.core.inputs import Inputs
from gisapp.analysis.core.aggregation import AggregationParams
from gisapp.analysis.hotspots.gistar import GiStarParams, hotspot_gi_star
from gisapp.layers.filters import IncidentFilter
inputs = Inputs(PROJECT)
inputs.layers, inputs.crs
plt.rcParams["font.family"] = ["Noto Sans CJK SC", "DejaVu Sans"]
"""
NAIVE_JOB = """
points = inputs.incidents(IncidentFilter())
cells = hotspot_gi_star(points, AggregationParams(grid="square", cell_size=200), GiStarParams(band=283)).layer
fig, ax = plt.subplots(figsize=(11.69, 8.27))
cells.plot(ax=ax, column="gi_bin", cmap=ListedColormap(["#2166ac", "#67a9cf", "#d1e5f0", "#f2f2f2", "#fddbc7", "#ef8a62", "#b2182b"]), vmin=-3, vmax=3)
inputs.frame("grids").boundary.plot(ax=ax, color="grey", linewidth=0.4)
inputs.frame("roads").plot(ax=ax, color="grey", linewidth=0.6)
points.plot(ax=ax, markersize=0.5, color="black")
ax.set_title("警情热点分布图")
fig.savefig(OUT)
extra = {"bytes": os.path.getsize(OUT)}
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--cell", help="auto or a cell size in metres (default: the print's default)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = make_project(folder, args.rows)
        cell = {} if args.cell is None else {"cell_size": args.cell if args.cell == "auto" else float(args.cell)}
        head = f"PROJECT = {str(project)!r}\nCELL = {cell!r}\n"
        jobs = {
            "gisapp_pdf": (head + f"OUT = {str(folder / 'map.pdf')!r}\n" + GISAPP_SETUP, GISAPP_JOB),
            "gisapp_png": (head + f"OUT = {str(folder / 'map.png')!r}\n" + GISAPP_SETUP, GISAPP_JOB),
            "naive_pdf": (head + f"OUT = {str(folder / 'naive.pdf')!r}\n" + NAIVE_SETUP, NAIVE_JOB),
        }
        runs = {name: [] for name in jobs}
        for _ in range(args.repeat):
            for name, (setup, job) in jobs.items():
                runs[name].append(run_job(setup, job, timeout=1800))
                print(f"  {name}: {runs[name][-1]['seconds']:.2f} s", flush=True)
    best = {name: best_of(r) for name, r in runs.items()}
    print(f"\n{args.rows:,} incidents -> A4 hotspot map")
    print(f"{'job':<12} {'seconds':>8} {'MB':>7} {'peak MB':>8}")
    for name, result in best.items():
        print(f"{name:<12} {result['seconds']:>8.2f} {result['extra']['bytes'] / 1e6:>7.2f} {result['peak_mb']:>8.0f}")
    save("print" if args.cell is None else f"print_cell_{args.cell}", {"rows": args.rows, "cell": args.cell, **best})


if __name__ == "__main__":
    main()
