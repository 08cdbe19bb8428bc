"""Read layer files: one entry point, one module per format.

``read_layers(path)`` returns every layer in a file (a GeoPackage may hold
several), each a :class:`~gisapp.layers.layer.Layer` carrying its
:class:`~gisapp.layers.report.LoadReport`. A file that cannot be used at all raises
:class:`~gisapp.layers.errors.InputError` with one sentence.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from ..crs import is_local, local_output_crs
from ..errors import InputError
from ..kinds import kind_named
from ..layer import Layer
from ..report import LoadReport
from ..reproject import is_point_layer, output_crs, point_coordinates, reproject
from .checks import warn_outliers

TABLE_SUFFIXES = {".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods"}
WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
VECTOR_SUFFIXES = {".geojson", ".json", ".gpkg", ".shp", ".zip"}


def read_layers(
    path,
    *,
    kind: str | None = None,
    columns: dict[str, str] | None = None,
    crs=None,
    layer: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    header_row: int | None = None,
    to_crs=None,
    geocoder=None,
    keep=None,
) -> list[Layer]:
    """Read every layer of ``path`` (or just ``layer``).

    Parameters
    ----------
    path : str or Path
        .csv/.txt/.tsv, .xlsx/.xlsm/.xls/.ods, .geojson/.json, .gpkg, .shp or a zipped shapefile.
    kind : str, optional
        Force the layer kind; detected from names, columns and geometry otherwise.
    columns : dict, optional
        Role -> source column, overriding detection (``{"x": "经度"}``).
    crs : optional
        The file's own coordinate system, overriding the file's and what the values
        suggest (``"gcj02"``, ``"EPSG:4544"``, or ``"local"`` for metres that are not georeferenced).
    layer : str, optional
        One layer of a multi-layer file.
    encoding : str, optional
        Force a CSV encoding.
    sheet : str or int, optional
        Workbook sheet: its name or 1-based position (the first sheet with cells by default).
    header_row : int, optional
        1-based line (CSV) or sheet row (workbook) of the header; found among the
        first 30 rows when None (titles, units and blanks above it are skipped).
    to_crs : optional
        Output CRS; WGS84 lon/lat by default, ``"auto"`` for the analysis CRS
        of the data's centre (see :func:`gisapp.layers.crs.choose_analysis_crs`).
    geocoder : callable, optional
        Places table rows that have an address but no usable coordinates
        (see :func:`gisapp.layers.io.tables.table_to_points`); ``--geocode``
        passes one built from a gazetteer (:mod:`gisapp.analysis.geocode`).
    keep : iterable of str, optional
        For a delimited text table: the roles (``occurred_at``, ``category``, …)
        or column names an analysis needs besides the coordinates; only those
        columns (and the first two, where summary labels sit) are parsed. Every
        column when None.
    """
    path = _checked_path(path)
    if kind is not None:
        kind_named(kind)
    if header_row is not None and (isinstance(header_row, bool) or not isinstance(header_row, int) or header_row < 1):
        raise InputError(f"The header row is a line number from 1; got {header_row!r}.")
    suffix = path.suffix.lower()
    if suffix in TABLE_SUFFIXES:
        gdf, report = _read_table(path, kind, columns, crs, encoding, sheet, header_row, to_crs, geocoder, keep)
        return [_finish(gdf, report, path.stem, None)]
    from .vector import list_vector_layers, read_vector

    names = [layer] if layer else list_vector_layers(path)
    layers = []
    for name in names:
        gdf, report = read_vector(path, name if suffix == ".gpkg" or layer else None, kind, columns, crs)
        layers.append(_finish(gdf, report, name if suffix == ".gpkg" else path.stem, to_crs))
    return layers


def read_layer(path, **options) -> Layer:
    """Read the one layer of ``path``; a file with several needs ``layer=``."""
    layers = read_layers(path, **options)
    if len(layers) > 1:
        names = ", ".join(layer.name for layer in layers)
        raise InputError(f"{Path(path).name} holds {len(layers)} layers ({names}): choose one.")
    return layers[0]


def _checked_path(path) -> Path:
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path} does not exist.")
    if path.is_dir():
        raise InputError(f"{path} is a folder, not a file: give the path of a data file inside it.")
    if path.stat().st_size == 0:
        raise InputError(f"{path.name} is empty (0 bytes): there is nothing to load.")
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES | VECTOR_SUFFIXES:
        known = ", ".join(sorted(TABLE_SUFFIXES | VECTOR_SUFFIXES))
        raise InputError(f"{path.name}: gisapp cannot read '{suffix or 'no extension'}' files; it reads {known}.")
    return path


def _read_table(path, kind, columns, crs, encoding, sheet, header_row, to_crs, geocoder=None, keep=None):
    if path.suffix.lower() in WORKBOOK_SUFFIXES:
        from .excel import read_excel_table

        table = read_excel_table(path, sheet, header_row)
    else:
        from .csv import read_csv_table
        from .transcode import UndecodableText

        select = None if keep is None else column_selector(keep, columns)
        table = read_csv_table(path, encoding, header_row=header_row, keep=select)
        try:
            return _table_layer(table, path, kind, columns, crs, to_crs, geocoder)
        except UndecodableText:
            # Bad bytes past the sample the encoding was detected from: go line by line, rejecting those lines.
            table.settle()
            table = read_csv_table(path, encoding, robust=True, header_row=header_row, keep=select)
        finally:
            table.settle()
    return _table_layer(table, path, kind, columns, crs, to_crs, geocoder)


def column_selector(keep, overrides: dict | None = None):
    """``headers -> set of headers`` to parse: coordinates, the roles and names in ``keep``, the user's mapped
    columns, and the first column (where summary rows put their 合计 label)."""
    from .columns import ROLES_BY_KIND, detect_columns

    wanted = set(keep)
    overrides = dict(overrides or {})

    def select(headers: list[str]) -> set[str]:
        roles = tuple(role for role in (*ROLES_BY_KIND["incidents"], "date", "time")
                      if role in wanted or (role in ("date", "time") and "occurred_at" in wanted))
        found = detect_columns(headers, ("x", "y", "xy", *roles), {k: v for k, v in overrides.items() if k in ("x", "y", "xy", *roles)})
        if not ({"x", "y"} <= set(found) or "xy" in found):
            return set(headers)  # coordinates under names we do not know: the full reader finds them by their values
        return set(headers[:1]) | set(found.values()) | set(overrides.values()) | {h for h in headers if h in wanted}

    return select


def _table_layer(table, path, kind, columns, crs, to_crs, geocoder=None):
    from .tables import table_to_points

    if table.rows_read == 0:
        raise InputError(f"{path.name} has a header row but no data rows: there is nothing to load.")
    return table_to_points(table, path, kind, columns, crs, to_crs, geocoder)


def _finish(gdf: gpd.GeoDataFrame, report: LoadReport, name: str, to_crs) -> Layer:
    """Add bounds, time range and outlier warnings to the report, project if asked, wrap in a Layer."""
    if len(gdf) == 0:
        first = "; ".join(f"row {p.row}: {p.reason}" for p in sorted(report.rejects, key=lambda p: p.row)[:3])
        raise InputError(f"None of the {report.rows_read:,} rows of {Path(report.source).name} could be loaded ({first}).", rows=sorted(report.rejects, key=lambda p: p.row))
    if report.bounds is None:
        report.bounds = [round(float(v), 7) for v in gdf.total_bounds]
    if "occurred_at" in gdf and pd.api.types.is_datetime64_any_dtype(gdf["occurred_at"]) and gdf["occurred_at"].notna().any():
        report.time_range = [gdf["occurred_at"].min().isoformat(), gdf["occurred_at"].max().isoformat()]
    if to_crs is not None and is_local(gdf.crs):
        local_output_crs(to_crs)  # local metres stay local; anything else is refused in one sentence
    elif to_crs is not None:
        lon, lat = point_coordinates(gdf) if is_point_layer(gdf) else _centroids(gdf)
        target = output_crs(lon, lat, to_crs)
        own = report.source_geometry
        if own is not None and len(own) == len(gdf) and target.equals(own.crs):
            gdf = gdf.set_geometry(gpd.GeoSeries(own.to_numpy(), index=gdf.index, crs=target))  # the file's own numbers
        else:
            gdf = reproject(gdf, target) if len(gdf) else gdf.set_crs(target, allow_override=True)
    report.source_geometry = None
    if report.kind == "incidents" and not report.outliers_checked and is_point_layer(gdf):
        warn_outliers(*point_coordinates(gdf), gdf.crs, report)
    loaded = len(gdf)
    if loaded != report.rows_loaded:  # pragma: no cover - the invariant every reader keeps
        raise AssertionError(f"reader lost rows: {loaded} loaded, report says {report.rows_loaded}")
    return Layer(name, report.kind, gdf, source=report.source, report=report)


def _centroids(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    points = gdf.geometry.representative_point()
    return points.x.to_numpy(), points.y.to_numpy()
