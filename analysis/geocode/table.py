"""Reading the table to place: every row, and which rows already have usable coordinates.

The table may have no coordinate columns at all, or coordinates that are
blank or 0,0 for some rows. It is read with the project's own readers:

- CSV/TXT/TSV and XLSX through :func:`gisapp.layers.io.csv.read_csv_table` and
  :func:`gisapp.layers.io.excel.read_excel_table` (encoding detection, GBK,
  row-level recovery), every row kept as text;
- when the table has coordinate columns, :func:`gisapp.layers.io.read_layers`
  reads it once more to find the rows whose coordinates are usable (its
  checks: CRS detection, swapped lat/lon, 0,0 placeholders, out of range),
  and its reasons for the others are kept for the notes;
- a GeoPackage / GeoJSON / Shapefile layer with pyogrio, so that features
  without a geometry (or at 0,0) are kept too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gisapp.layers.errors import InputError

TABLES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm"}


@dataclass
class AddressTable:
    """The rows of the table to place.

    Attributes
    ----------
    frame : DataFrame
        Every readable row, its columns as read (index 0..n-1).
    rows : ndarray
        Each row's number as the user reads it (1-based data rows).
    placed : GeoDataFrame
        The rows whose own coordinates are usable (same index as ``frame``).
    unusable : dict
        Row number -> why the row's own coordinates were not used.
    unreadable : list of (row, reason)
        Lines the reader could not read at all.
    rows_read : int
    """

    frame: pd.DataFrame
    rows: np.ndarray
    placed: gpd.GeoDataFrame
    unusable: dict = field(default_factory=dict)
    unreadable: list = field(default_factory=list)
    rows_read: int = 0
    name: str = ""


def read_address_table(path, reading: dict | None = None) -> AddressTable:
    """Read ``path`` (see the module docstring); ``reading`` holds the reading options (encoding, sheet, layer, crs, columns)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path} does not exist.")
    reading = {k: v for k, v in (reading or {}).items() if v not in (None, "", {})}
    if path.suffix.lower() in TABLES:
        return _read_table(path, reading)
    return _read_vector(path, reading.get("layer"))


def _raw_table(path: Path, reading: dict):
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from gisapp.layers.io.excel import read_excel_table

        return read_excel_table(path, reading.get("sheet"))
    from gisapp.layers.io.csv import read_csv_table
    from gisapp.layers.io.transcode import UndecodableText

    table = read_csv_table(path, reading.get("encoding"))
    try:
        table.frame  # noqa: B018 - waits for the background decoding, which may find undecodable bytes
    except UndecodableText:
        table = read_csv_table(path, reading.get("encoding"), robust=True)
    return table


def _read_table(path: Path, reading: dict) -> AddressTable:
    from gisapp.layers.io.columns import detect_columns

    raw = _raw_table(path, reading)
    if raw.rows_read == 0:
        raise InputError(f"{path.name} has a header row but no data rows: there is nothing to place.")
    frame = raw.frame.reset_index(drop=True)
    rows = np.asarray(raw.rows, dtype=np.int64)
    unreadable = [(p.row, p.reason) for p in raw.rejects]
    columns = dict(reading.get("columns") or {})
    coords = detect_columns(list(frame.columns), ("x", "y"), {k: v for k, v in columns.items() if k in ("x", "y")})
    empty = gpd.GeoDataFrame(frame.iloc[:0], geometry=gpd.GeoSeries([], crs="EPSG:4326"), crs="EPSG:4326")
    if "x" not in coords or "y" not in coords:
        return AddressTable(frame, rows, empty, {}, unreadable, raw.rows_read, path.stem)
    placed, unusable = _usable_coordinates(path, reading, coords, frame, rows)
    return AddressTable(frame, rows, placed if placed is not None else empty, unusable, unreadable, raw.rows_read, path.stem)


def _usable_coordinates(path: Path, reading: dict, coords: dict, frame: pd.DataFrame, rows: np.ndarray):
    """The rows the point reader places, by row number, and its reasons for the others."""
    from gisapp.layers.io import read_layers

    options = {k: reading[k] for k in ("encoding", "sheet", "crs") if k in reading}
    try:
        layer = read_layers(path, kind="result", columns=coords, **options)[0]
    except InputError as error:
        if not error.rows:  # the file itself is unusable as points: every row is matched by its address
            return None, {int(r): "no usable coordinates" for r in rows}
        return None, {p.row: p.reason for p in error.rows}
    unusable = {p.row: p.reason for p in layer.report.rejects}
    kept = np.array([r not in unusable for r in rows])
    if kept.sum() != len(layer.data):  # the two reads disagree: trust neither, match every row by its address
        return None, {int(r): "coordinates could not be matched to their rows" for r in rows}
    placed = layer.data.drop(columns=[c for c in layer.data.columns if c != layer.data.geometry.name])
    placed = placed.set_index(frame.index[kept])
    return gpd.GeoDataFrame(frame[kept], geometry=placed.geometry, crs=layer.data.crs), unusable


def _read_vector(path: Path, layer: str | None) -> AddressTable:
    import pyogrio

    from gisapp.layers.crs import valid_lonlat
    from gisapp.layers.io.vector import list_vector_layers

    names = [layer] if layer else list_vector_layers(path)
    chosen = names[0] if len(names) == 1 else next((n for n in names if n.lower() == "incidents"), None)
    if chosen is None:
        raise InputError(f"{path.name} holds {len(names)} layers ({', '.join(names)}): choose the table to place with --layer.")
    try:
        data = pyogrio.read_dataframe(str(path), layer=chosen)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as error:
        raise InputError(f"{path.name} cannot be read: {str(error).splitlines()[0]}") from None
    frame = pd.DataFrame(data.drop(columns=data.geometry.name)).reset_index(drop=True)
    geometry = data.geometry.reset_index(drop=True)
    has = geometry.notna().to_numpy() & ~geometry.is_empty.to_numpy()
    x = np.full(len(frame), np.nan)
    y = np.full(len(frame), np.nan)
    x[has], y[has] = shapely.get_coordinates(geometry.values[has].representative_point()).T if has.any() else ([], [])
    zero = has & (x == 0) & (y == 0)
    if data.crs is not None and data.crs.is_geographic:
        zero |= has & ~valid_lonlat(x, y)
    ok = has & ~zero
    rows = np.arange(1, len(frame) + 1)
    unusable = {int(r): "no geometry" for r in rows[~has]} | {int(r): "placeholder coordinates (0, 0) or out of range" for r in rows[zero]}
    placed = gpd.GeoDataFrame(frame[ok], geometry=geometry[ok].values, crs=data.crs)
    return AddressTable(frame, rows, placed, unusable, [], len(frame), chosen)
