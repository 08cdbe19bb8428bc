"""End to end: ``gisapp hotspot`` on a CSV of incidents, as a whole process, against the notebook path.

The notebook path is what an analyst writes without gisapp, run as a script:
``pandas.read_csv`` + ``points_from_xy`` + ``to_crs`` (the CGCS2000 zone),
a fishnet of 50 m cells over the incidents' extent, ``geopandas.sjoin`` to
count them, ``libpysal.weights.DistanceBand`` (75 m, binary) on the cell
centres, ``esda.G_Local(star=True, transform="B")`` with the analytic
p-values, ``esda.fdr``, and the cells written to a GeoPackage. Two variants:
the strongest, which drops the empty cells first (the same analysis as
gisapp's and ArcGIS's without a boundary, and the headline ratio), and the
plain one, which keeps the whole fishnet. gisapp runs ``gisapp hotspot
IN.csv --cell 50 --band 75 --out OUT.gpkg --json``.

Both are timed as whole processes (interpreter start, imports, reading,
statistics, writing) by GNU ``time``, which also gives each process's peak
resident memory; the two alternate, and the ratio is taken pair by pair, so
the shared machine's drift hits both alike. ``--memory-rows`` adds a
gisapp-only run on a larger file to report its peak memory.

Usage: ``python bench/bench_end_to_end.py [--rows 500000] [--repeat 3] [--memory-rows 3000000]``
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from common import ROOT, save

CELL, BAND = 50.0, 75.0

NOTEBOOK = '''
import math, sys
import geopandas as gpd, numpy as np, pandas as pd, shapely
from esda import G_Local, fdr
from libpysal.weights import DistanceBand

csv, out, TRIM = sys.argv[1], sys.argv[2], sys.argv[3] == "trim"
df = pd.read_csv(csv)
points = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["lon"], df["lat"]), crs="EPSG:4326").to_crs("EPSG:4544")
xmin, ymin, xmax, ymax = points.total_bounds
cell = {cell}
ncols, nrows = math.ceil((xmax - xmin) / cell) + 1, math.ceil((ymax - ymin) / cell) + 1
rows, cols = np.indices((nrows, ncols)).reshape(2, -1)
fishnet = gpd.GeoDataFrame(geometry=shapely.box(xmin + cols * cell, ymin + rows * cell, xmin + (cols + 1) * cell, ymin + (rows + 1) * cell),
                           crs=points.crs)
joined = gpd.sjoin(points[["geometry"]], fishnet, predicate="within")
fishnet["n"] = joined.groupby("index_right").size().reindex(fishnet.index, fill_value=0)
cells = fishnet[fishnet["n"] > 0].reset_index(drop=True) if TRIM else fishnet
centres = np.column_stack([cells.centroid.x, cells.centroid.y])
w = DistanceBand(centres, threshold={band}, binary=True, silence_warnings=True)
g = G_Local(cells["n"].to_numpy(float), w, transform="B", star=True, permutations=0)
p = 2 * g.p_norm
cut = fdr(p, 0.05)
cells["gi_z"], cells["gi_p"] = g.Zs, p
cells["gi_bin"] = np.where(p <= cut, 2 * np.sign(g.Zs), 0).astype(int)
cells.to_file(out, layer="hotspots", driver="GPKG")
print(len(cells), int((cells["gi_bin"] > 0).sum()))
'''


def make_csv(path: Path, rows: int) -> None:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "sample_data" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.write_big_csv(path, rows, encoding="utf-8")


def timed(command: list[str]) -> dict:
    """Wall seconds and peak resident MB of one whole process, from GNU time."""
    proc = subprocess.run(["/usr/bin/time", "-f", "TIME %e %M", *command], capture_output=True, text=True, check=False)
    line = next((line for line in proc.stderr.splitlines() if line.startswith("TIME ")), None)
    if proc.returncode != 0 or line is None:
        raise RuntimeError(f"{command[:4]} failed:\n{proc.stderr[-3000:]}")
    _, seconds, kilobytes = line.split()
    return {"seconds": float(seconds), "peak_mb": int(kilobytes) / 1024, "stdout": proc.stdout[-300:]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--memory-rows", type=int, default=0, help="also measure gisapp's peak memory on this many rows")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        csv = folder / "incidents.csv"
        make_csv(csv, args.rows)
        script = folder / "notebook.py"
        script.write_text(NOTEBOOK.format(cell=CELL, band=BAND), encoding="utf-8")
        gisapp = [sys.executable, "-m", "gisapp", "hotspot", str(csv), "--cell", f"{CELL:g}", "--band", f"{BAND:g}",
                  "--out", str(folder / "gisapp.gpkg"), "--json"]
        notebook = [sys.executable, str(script), str(csv), str(folder / "notebook.gpkg"), "trim"]
        plain = [sys.executable, str(script), str(csv), str(folder / "plain.gpkg"), "full"]
        pairs = []
        for _ in range(args.repeat):
            for name in ("gisapp", "notebook", "plain"):
                (folder / f"{name}.gpkg").unlink(missing_ok=True)
            pairs.append({"notebook": timed(notebook), "gisapp": timed(gisapp), "plain": timed(plain)})
            print(f"notebook {pairs[-1]['notebook']['seconds']:.2f} s, full-fishnet notebook {pairs[-1]['plain']['seconds']:.2f} s, "
                  f"gisapp {pairs[-1]['gisapp']['seconds']:.2f} s", flush=True)
        ratios = [p["notebook"]["seconds"] / p["gisapp"]["seconds"] for p in pairs]
        payload = {
            "rows": args.rows,
            "csv_mb": round(csv.stat().st_size / 2**20, 1),
            "cell_m": CELL, "band_m": BAND,
            "notebook_seconds": [p["notebook"]["seconds"] for p in pairs],
            "gisapp_seconds": [p["gisapp"]["seconds"] for p in pairs],
            "ratio_median": round(statistics.median(ratios), 2),
            "ratios": [round(r, 2) for r in ratios],
            "notebook_peak_mb": round(max(p["notebook"]["peak_mb"] for p in pairs)),
            "full_fishnet_notebook_seconds": [p["plain"]["seconds"] for p in pairs],
            "ratio_vs_full_fishnet_median": round(statistics.median([p["plain"]["seconds"] / p["gisapp"]["seconds"] for p in pairs]), 2),
            "gisapp_peak_mb": round(max(p["gisapp"]["peak_mb"] for p in pairs)),
        }
        if args.memory_rows:
            big = folder / "big.csv"
            make_csv(big, args.memory_rows)
            run = timed([sys.executable, "-m", "gisapp", "hotspot", str(big), "--cell", f"{CELL:g}", "--band", f"{BAND:g}",
                         "--out", str(folder / "big.gpkg"), "--json"])
            payload["memory_run"] = {"rows": args.memory_rows, "seconds": run["seconds"], "peak_mb": round(run["peak_mb"])}
        path = save("end_to_end", payload)
        print(f"{args.rows:,} incidents: notebook median {statistics.median(payload['notebook_seconds']):.2f} s "
              f"({payload['notebook_peak_mb']} MB), gisapp median {statistics.median(payload['gisapp_seconds']):.2f} s "
              f"({payload['gisapp_peak_mb']} MB), ratio {payload['ratio_median']}× (pairs {payload['ratios']}); "
              f"against the full-fishnet notebook {payload['ratio_vs_full_fishnet_median']}×")
        if args.memory_rows:
            print(f"gisapp on {args.memory_rows:,} rows: {payload['memory_run']['seconds']:.2f} s, peak {payload['memory_run']['peak_mb']} MB")
        print(f"written to {path}")


if __name__ == "__main__":
    main()
