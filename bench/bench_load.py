"""Benchmark: load a 1,000,000-row GBK CSV with Chinese headers, parse dates, project to the analysis CRS.

Baseline (issue 2): ``pandas.read_csv(encoding="gbk")`` + ``to_datetime`` +
``points_from_xy`` + ``to_crs``. gisapp: ``gisapp.layers.io.read_layer(path,
to_crs="auto")``, which also detects columns, encoding and CRS, checks every
row and writes the reject report. Both run in fresh processes, alternating,
best of ``--repeat``; each side's imports (pandas and geopandas; the loader's
modules and scipy.spatial, which it imports lazily) happen before the clock starts.

Usage: ``python bench/bench_load.py [--rows 1000000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import importlib.util
import tempfile
from pathlib import Path

from common import ROOT, best_of, run_job, save

BASELINE = """
df = pd.read_csv(PATH, encoding="gbk")
df["发案时间"] = pd.to_datetime(df["发案时间"])
gdf = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df["经度"], df["纬度"]), crs="EPSG:4326").to_crs("EPSG:4544")
extra = {"rows": len(gdf)}
"""
GISAPP = """
layer = read_layer(PATH, to_crs="auto")
extra = {"rows": len(layer.data), "crs": layer.crs.to_string(), "rejected": layer.report.rows_rejected}
"""


def make_csv(path: Path, rows: int) -> None:
    spec = importlib.util.spec_from_file_location("generate", ROOT / "sample_data" / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.write_big_csv(path, rows, encoding="gbk")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--csv", type=Path, help="use this GBK CSV instead of generating one")
    parser.add_argument("--one-core", action="store_true",
                        help="pin both jobs to one processor: the ratio without the second core gisapp's decoding thread uses")
    args = parser.parse_args()
    pin = "import os\nos.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\n" if args.one_core else ""
    with tempfile.TemporaryDirectory() as folder:
        path = args.csv or Path(folder) / "incidents_gbk.csv"
        if args.csv is None:
            make_csv(path, args.rows)
        setups = {
            "baseline": f"{pin}import pandas as pd, geopandas as gpd\nPATH = {str(path)!r}",
            # The loader's own modules, imported lazily by read_layer, are imported here like the baseline's.
            "gisapp": f"{pin}from gisapp.layers.io import read_layer\nimport gisapp.layers.io.tables, scipy.spatial\nPATH = {str(path)!r}",
        }
        runs = {"baseline": [], "gisapp": []}
        for _ in range(args.repeat):
            runs["baseline"].append(run_job(setups["baseline"], BASELINE))
            runs["gisapp"].append(run_job(setups["gisapp"], GISAPP))
        size_mb = path.stat().st_size / 2**20
    base, ours = best_of(runs["baseline"]), best_of(runs["gisapp"])
    ratio = base["seconds"] / ours["seconds"]
    print(f"load {args.rows:,} GBK rows ({size_mb:.0f} MB): baseline {base['seconds']:.2f} s, {base['peak_mb']:.0f} MB peak; "
          f"gisapp {ours['seconds']:.2f} s, {ours['peak_mb']:.0f} MB peak; speed-up {ratio:.2f}x")
    save("load_one_core" if args.one_core else "load",
         {"rows": args.rows, "file_mb": round(size_mb, 1), "one_core": args.one_core, "baseline": base, "gisapp": ours, "speedup": round(ratio, 2)})


if __name__ == "__main__":
    main()
