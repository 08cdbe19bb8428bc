"""Points on fishnet edges and pairs on Knox band edges, through the command line, on integer-metre files.

Regression for issue 15, disagreement 1: the command line moved points by
about 1e-9 m (a layer already in the analysis CRS went to longitude/latitude
and back), so points exactly on a 500 m cell edge and pairs exactly 5 or
10 km apart were binned at random. The rules (METHODS.md, "Edges"): a point
on an edge goes to the cell east/north of it; a pair belongs to band i when
e[i-1] < d <= e[i]. Expected values come from integer arithmetic here, never
from gisapp.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from reference_data import libpysal_example

from gisapp.layers.project import load_project

ORIGIN = (500_000, 3_400_000)  # inside EPSG:4544 (CGCS2000 / 3-degree GK CM 105E)


def gisapp(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gisapp", *map(str, args)], capture_output=True, text=True)


def write_incidents(path, x, y, times=None):
    columns = {"case_id": [f"c{i}" for i in range(len(x))]}
    if times is not None:
        columns["occurred_at"] = pd.to_datetime(times)
    frame = gpd.GeoDataFrame(columns, geometry=shapely.points(np.column_stack([x, y]).astype(float)), crs="EPSG:4544")
    frame.to_file(path, layer="incidents", driver="GPKG")
    return path


def on_edges(seed=4, n=400):
    """Integer coordinates, most of them exactly on 500 m edges counted from the westmost/southmost point."""
    rng = np.random.default_rng(seed)
    x = ORIGIN[0] + 500 * rng.integers(0, 12, n) + rng.choice([0, 0, 0, 250, 499], n)
    y = ORIGIN[1] + 500 * rng.integers(0, 9, n) + rng.choice([0, 0, 0, 125, 1], n)
    x[:40] = ORIGIN[0] + 500 * 3  # a cluster on one corner, so there is something to find
    y[:40] = ORIGIN[1] + 500 * 4
    return x.astype(np.int64), y.astype(np.int64)


def brute_force_cells(x, y, size: int) -> Counter:
    """(row, col) -> count by integer floor division from the minimum; the outer edge joins the last cell."""
    x0, y0 = int(x.min()), int(y.min())
    ncols = max(1, -(-(int(x.max()) - x0) // size))
    nrows = max(1, -(-(int(y.max()) - y0) // size))
    cells = Counter()
    for xi, yi in zip(x.tolist(), y.tolist()):
        col, row = min((xi - x0) // size, ncols - 1), min((yi - y0) // size, nrows - 1)
        cells[(row, col)] += 1
    return cells


def test_hotspot_cells_of_points_on_500m_edges(tmp_path):
    x, y = on_edges()
    source = write_incidents(tmp_path / "edges.gpkg", x, y)
    out = tmp_path / "hot.gpkg"
    result = gisapp("hotspot", source, "--cell", 500, "--band", 1000, "--out", out, "--json")
    assert result.returncode == 0, result.stderr
    cells = pyogrio.read_dataframe(out, layer="hotspots")
    mine = Counter({(int(r), int(c)): int(n) for r, c, n in zip(cells["row"], cells["col"], cells["n"])})
    assert mine == brute_force_cells(x, y, 500)
    assert sum(mine.values()) == len(x)
    assert "4544" in load_project(out).layers["hotspots"].params["analysis_crs"]


def burkitt_in_metres():
    """Burkitt's lymphoma cases (libpysal), kilometre grid coordinates as integer metres in EPSG:4544."""
    frame = gpd.read_file(libpysal_example("burkitt.shp"))
    # Centred on the zone's meridian (X, Y run over about 255-335 and 247-399 km), so EPSG:4544 is the analysis CRS.
    x = ORIGIN[0] + 1000 * (frame["X"].to_numpy().astype(np.int64) - 300)
    y = ORIGIN[1] + 1000 * (frame["Y"].to_numpy().astype(np.int64) - 300)
    return x, y, pd.to_datetime(frame["DATE"]).to_numpy()


def brute_force_knox(x, y, days, d_edges, t_edges) -> np.ndarray:
    """Observed Knox table by integer arithmetic: band i when e[i-1]^2 < d^2 <= e[i]^2, the last row/column beyond."""
    table = np.zeros((len(d_edges) + 1, len(t_edges) + 1), dtype=np.int64)
    xs, ys, ts = x.tolist(), y.tolist(), days.tolist()
    for i in range(len(xs)):
        for j in range(i + 1, len(xs)):
            d2 = (xs[i] - xs[j]) ** 2 + (ys[i] - ys[j]) ** 2
            dt = abs(ts[i] - ts[j])
            a = next((k for k, e in enumerate(d_edges) if d2 <= e * e), len(d_edges))
            b = next((k for k, e in enumerate(t_edges) if dt <= e), len(t_edges))
            table[a, b] += 1
    return table


def test_nearrepeat_pairs_on_5_and_10_km_edges(tmp_path):
    x, y, dates = burkitt_in_metres()
    days = (dates.astype("datetime64[D]") - dates.astype("datetime64[D]").min()).astype(np.int64)
    d2 = (x[:, None] - x[None, :]) ** 2 + (y[:, None] - y[None, :]) ** 2
    upper = np.triu(np.ones_like(d2, dtype=bool), 1)
    assert ((d2 == 5000**2) & upper).sum() + ((d2 == 10000**2) & upper).sum() >= 40  # the case of the issue
    source = write_incidents(tmp_path / "burkitt.gpkg", x, y, dates)
    out = tmp_path / "nr.gpkg"
    result = gisapp("nearrepeat", source, "--distance-bands", "5000,10000", "--time-bands", "0,60,120,180",
                    "--permutations", 19, "--out", out, "--json")
    assert result.returncode == 0, result.stderr
    observed = np.array(json.loads(result.stdout)["knox"]["observed"])
    assert "4544" in load_project(out).layers["nearrepeat"].params["analysis_crs"]  # no reprojection to another zone
    assert np.array_equal(observed, brute_force_knox(x, y, days, (5000, 10000), (60, 120, 180)))


def test_reading_a_layer_in_the_analysis_crs_keeps_its_coordinates(tmp_path):
    # Regression (analytical-truth issue, disagreement 1): the reader once sent every file through WGS84 and back.
    from gisapp.analysis.core.inputs import Inputs

    x, y = on_edges()
    incidents = Inputs(write_incidents(tmp_path / "edges.gpkg", x, y)).incidents()
    assert incidents.crs.to_epsg() == 4544
    got = shapely.get_coordinates(incidents.geometry.values)
    assert np.array_equal(got, np.column_stack([x, y]).astype(float))


def test_a_csv_in_the_analysis_crs_keeps_its_coordinates(tmp_path):
    from gisapp.analysis.core.inputs import Inputs

    x, y = on_edges()
    path = tmp_path / "edges.csv"
    pd.DataFrame({"X坐标": y, "Y坐标": x, "发案时间": "2024-01-01 08:00"}).to_csv(path, index=False)  # surveying order
    incidents = Inputs(path, reading={"crs": "EPSG:4544"}).incidents()
    assert incidents.crs.to_epsg() == 4544
    assert np.array_equal(shapely.get_coordinates(incidents.geometry.values), np.column_stack([x, y]).astype(float))
