"""Benchmark: the HTML briefing of 100,000 incidents against the naive Folium path.

Data: ``sample_data/generate.py`` draws 100,000 incidents from the sample
county (same patterns, every count scaled up); they are saved with the
county's grids, areas, cameras, routes and roads as one project GeoPackage.

Jobs, each in a fresh process (``bench/common.py``), alternating, best of
``--repeat``:

* **gisapp**: ``collect_content`` (filters, Gi* hotspots, camera sectors,
  blind spots, route exposure, grid counts) + ``write_briefing`` (one offline
  HTML file, every script inline). Untimed set-up: imports and reading the
  project (the same for every path).
* **naive 20k**: ``folium.Map`` + ``plugins.HeatMap`` of all 100,000 points +
  one ``folium.Marker`` with a popup for 20,000 of them (the case quoted in
  the issue), ``Map.save``. Its page loads Leaflet, jQuery, Bootstrap and
  Font Awesome from CDNs, so it does not even work offline.
* **naive 100k**: the same with a marker for every incident.

Also timed once: the whole command, ``python -m gisapp brief PROJECT --out``,
wall clock from the shell (interpreter start, imports, reading, building).

``--cell auto`` computes Gi* at the automatic scale of ``gisapp hotspot`` (as the
briefing does by default once the shared scale lands); ``--cell 200`` a fixed 200 m grid;
without ``--cell`` the briefing's own default.

Usage: ``python bench/bench_briefing.py [--rows 100000] [--repeat 3] [--cell auto|M] [--skip-naive] [--skip-naive-100k]``
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ROOT, best_of, run_job, save

GISAPP_SETUP = """
from gisapp.analysis.core.inputs import Inputs
from gisapp.briefing import collect_content, write_briefing, assets
import gisapp.briefing.page, gisapp.analysis.hotspots.gistar, gisapp.analysis.hotspots.scale, gisapp.analysis.cameras.coverage, gisapp.analysis.patrol.exposure, gisapp.analysis.patrol.plan, os
import scipy.signal, scipy.stats  # imported lazily by the analyses: untimed, like every import
assets.head_html()
inputs = Inputs(PROJECT)
inputs.layers, inputs.crs
"""
GISAPP_JOB = """
content = collect_content(inputs, **CELL)
briefing = write_briefing(content, OUT)
extra = {"bytes": os.path.getsize(OUT), "layers": briefing.layers, "incidents": len(content.incidents)}
"""
NAIVE_SETUP = """
import os, folium, geopandas as gpd
from folium.plugins import HeatMap
gdf = gpd.read_file(PROJECT, layer="incidents")
lat, lon = gdf.geometry.y.tolist(), gdf.geometry.x.tolist()
text = (gdf["category"].astype(str) + " " + gdf["occurred_at"].astype(str)).tolist()
"""
NAIVE_JOB = """
m = folium.Map(location=[31.09, 105.09], zoom_start=13, tiles=None)
HeatMap(list(zip(lat, lon)), name="heat").add_to(m)
group = folium.FeatureGroup(name="incidents").add_to(m)
for i in range(MARKERS):
    folium.Marker([lat[i], lon[i]], popup=text[i]).add_to(group)
folium.LayerControl().add_to(m)
m.save(OUT)
extra = {"bytes": os.path.getsize(OUT), "markers": MARKERS}
"""


def make_project(folder: Path, rows: int) -> Path:
    """``rows`` synthetic incidents plus the county's context layers, as a project."""
    spec = importlib.util.spec_from_file_location("generate", ROOT / "sample_data" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    csv = folder / "incidents.csv"
    generate.write_big_csv(csv, rows, encoding="utf-8")
    sys.path.insert(0, str(ROOT))
    from gisapp.layers import Layer, LayerList
    from gisapp.layers.io import read_layers
    from gisapp.layers.project import Project, save_project

    incidents = read_layers(csv, kind="incidents")[0]
    context = [layer for layer in read_layers(ROOT / "sample_data" / "county.gpkg") if layer.kind != "incidents"]
    return save_project(Project(LayerList([Layer("incidents", "incidents", incidents.data), *context])), folder / "county_big.gpkg")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-repeat", type=int, default=1)
    parser.add_argument("--skip-naive-100k", action="store_true")
    parser.add_argument("--skip-naive", action="store_true", help="time gisapp only (no Folium baseline)")
    parser.add_argument("--cell", help="auto or a cell size in metres (default: the briefing's default)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project = make_project(folder, args.rows)
        cell = {} if args.cell is None else {"cell_size": args.cell if args.cell == "auto" else float(args.cell)}
        jobs = {
            "gisapp": (f"PROJECT = {str(project)!r}\nOUT = {str(folder / 'brief.html')!r}\nCELL = {cell!r}\n" + GISAPP_SETUP, GISAPP_JOB),
            "naive_20k": (f"PROJECT = {str(project)!r}\nOUT = {str(folder / 'naive20.html')!r}\nMARKERS = 20000\n" + NAIVE_SETUP, NAIVE_JOB),
            "naive_100k": (f"PROJECT = {str(project)!r}\nOUT = {str(folder / 'naive100.html')!r}\nMARKERS = {args.rows}\n" + NAIVE_SETUP, NAIVE_JOB),
        }
        if args.skip_naive_100k or args.skip_naive:
            del jobs["naive_100k"]
        if args.skip_naive:
            del jobs["naive_20k"]
        runs = {name: [] for name in jobs}
        for round_ in range(max(args.repeat, args.naive_repeat)):
            for name, (setup, job) in jobs.items():
                if round_ < (args.repeat if name == "gisapp" else args.naive_repeat):
                    runs[name].append(run_job(setup, job, timeout=1800))
                    print(f"  {name}: {runs[name][-1]['seconds']:.2f} s", flush=True)
        start = time.perf_counter()
        cli_cell = [] if args.cell is None else ["--cell", args.cell]
        cli = subprocess.run([sys.executable, "-m", "gisapp", "brief", str(project), "--out", str(folder / "cli.html"), *cli_cell],
                             cwd=ROOT, capture_output=True, text=True)
        cli_seconds = time.perf_counter() - start
        if cli.returncode != 0:
            raise RuntimeError(cli.stderr)
    best = {name: best_of(r) for name, r in runs.items()}
    print(f"\n{args.rows:,} incidents -> HTML briefing")
    print(f"{'job':<12} {'seconds':>8} {'MB':>7} {'peak MB':>8}")
    for name, result in best.items():
        print(f"{name:<12} {result['seconds']:>8.2f} {result['extra']['bytes'] / 1e6:>7.2f} {result['peak_mb']:>8.0f}")
    print(f"whole command (python -m gisapp brief): {cli_seconds:.2f} s")
    save("briefing" if args.cell is None else f"briefing_cell_{args.cell}", {"rows": args.rows, "cell": args.cell, **best, "cli_seconds": round(cli_seconds, 2)})


if __name__ == "__main__":
    main()
