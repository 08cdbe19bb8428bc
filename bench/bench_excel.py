"""Benchmark: read an .xlsx export with python-calamine (what gisapp uses) and with openpyxl.

Both read every cell of one sheet into Python values (the work a loader must
do before any column is interpreted): calamine's ``to_python`` and
openpyxl's read-only ``iter_rows(values_only=True)``, the fastest way each
offers. The same workbook also goes through the whole of gisapp's
``read_layer``, and calamine reads the same rows as ``.xls`` (openpyxl cannot).
Each job runs in a fresh process, alternating, best of ``--repeat``; peak
memory is the process's own ``VmHWM``. The rows read by both must be equal,
cell for cell, or the benchmark fails.

Usage: ``python bench/bench_excel.py [--rows 200000] [--repeat 3]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from pathlib import Path

from common import best_of, run_job, save

CALAMINE = """
import python_calamine
book = python_calamine.CalamineWorkbook.from_path(PATH)
rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
extra = {"rows": len(rows) - 1, "checksum": checksum(rows)}
"""
OPENPYXL = """
import openpyxl
book = openpyxl.load_workbook(PATH, read_only=True, data_only=True)
rows = [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]
book.close()
extra = {"rows": len(rows) - 1, "checksum": checksum(rows)}
"""
GISAPP = """
layer = read_layer(PATH)
extra = {"rows": len(layer.data), "rejected": layer.report.rows_rejected}
"""
CHECKSUM = '''
import datetime as _dt
def checksum(rows):
    """A digest of the cells both readers must agree on (numbers, text, date-times as ISO text)."""
    import hashlib
    digest = hashlib.sha1()
    for row in rows:
        for v in row:
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            if isinstance(v, _dt.datetime) and v.time() == _dt.time():
                v = v.date()
            digest.update(("" if v is None else str(v)).encode())
    return digest.hexdigest()
'''


def make_workbooks(folder: Path, rows: int) -> tuple[Path, Path]:
    """An incidents export of ``rows`` rows as .xlsx (openpyxl, write-only) and as .xls (xlwt, up to 65,535 rows)."""
    import numpy as np
    import openpyxl

    rng = np.random.default_rng(1)
    lon = np.round(105.09 + rng.normal(0, 0.05, rows), 6)
    lat = np.round(31.09 + rng.normal(0, 0.05, rows), 6)
    start = dt.datetime(2025, 1, 1)
    minutes = rng.integers(0, 180 * 1440, rows)
    categories = ["盗窃", "诈骗", "抢劫", "抢夺"]
    header = ["警情编号", "发案时间", "警情类别", "发生地址", "经度", "纬度"]
    body = [
        [f"J{i:09d}", start + dt.timedelta(minutes=int(m)), categories[i % 4], f"人民路{i % 500}号", float(x), float(y)]
        for i, (m, x, y) in enumerate(zip(minutes, lon, lat))
    ]
    xlsx = folder / "incidents.xlsx"
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("警情")
    sheet.append(header)
    for row in body:
        sheet.append(row)
    workbook.save(xlsx)
    xls = folder / "incidents.xls"
    try:
        import xlwt
    except ImportError:
        return xlsx, None
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("警情")
    style = xlwt.easyxf(num_format_str="yyyy-mm-dd hh:mm")
    for c, name in enumerate(header):
        sheet.write(0, c, name)
    for r, row in enumerate(body[:65535], start=1):
        for c, value in enumerate(row):
            sheet.write(r, c, value, style if c == 1 else xlwt.Style.default_style)
    book.save(str(xls))
    return xlsx, xls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        xlsx, xls = make_workbooks(Path(folder), args.rows)
        setup = f"{CHECKSUM}\nPATH = {str(xlsx)!r}"
        loader = f"from gisapp.layers.io import read_layer\nimport gisapp.layers.io.tables, gisapp.layers.io.excel, python_calamine, scipy.spatial\nPATH = {str(xlsx)!r}"
        jobs = {"calamine": (setup, CALAMINE), "openpyxl": (setup, OPENPYXL), "gisapp_read_layer": (loader, GISAPP)}
        if xls is not None:
            jobs["calamine_xls"] = (f"{CHECKSUM}\nPATH = {str(xls)!r}", CALAMINE)
        runs = {name: [] for name in jobs}
        for _ in range(args.repeat):
            for name, (prepare, job) in jobs.items():
                runs[name].append(run_job(prepare, job))
        size_mb = xlsx.stat().st_size / 2**20
    best = {name: best_of(r) for name, r in runs.items()}
    if best["calamine"]["extra"]["checksum"] != best["openpyxl"]["extra"]["checksum"]:
        raise SystemExit("calamine and openpyxl read different cells: not comparable")
    rate = {name: round(b["extra"]["rows"] / b["seconds"]) for name, b in best.items()}
    for name, b in best.items():
        print(f"{name:>18}: {b['extra']['rows']:,} rows in {b['seconds']:.2f} s ({rate[name]:,} rows/s), {b['peak_mb']:.0f} MB peak")
    speedup = best["openpyxl"]["seconds"] / best["calamine"]["seconds"]
    print(f"calamine is {speedup:.1f}x openpyxl on the same {size_mb:.1f} MB .xlsx, reading the same cells")
    save("excel", {"rows": args.rows, "xlsx_mb": round(size_mb, 1), "runs": best, "rows_per_second": rate, "speedup": round(speedup, 2)})


if __name__ == "__main__":
    main()
