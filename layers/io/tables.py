"""Turn a table of text cells (CSV or Excel) into a point layer, row by row with reasons.

Steps: find the coordinate and attribute columns; read the coordinates; work
out their coordinate system (given, named in the header, or read from the
values); mend swapped latitude/longitude; reject what cannot be placed; read
the dates; convert to WGS84 (or the requested CRS).
"""

from __future__ import annotations

from concurrent.futures import Future, wait
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa

from ..background import in_background
from ..crs import WGS84, CoordinateSystem, looks_swapped, resolve_crs, swapped_rows, to_wgs84_lonlat, valid_lonlat
from ..errors import InputError
from ..offsets import in_china
from ..report import LoadReport
from ..reproject import make_points, output_crs, transform_xy
from .checks import outlier_warning
from .columns import ROLES_BY_KIND, detect_columns, offset_hint
from .csv import RawTable
from .dates import parse_datetimes
from .values import normalise_values

_CAMERA_HINTS = ("heading_deg", "fov_deg", "range_m")


def table_to_points(
    table: RawTable,
    source: Path,
    kind: str | None = None,
    columns: dict[str, str] | None = None,
    crs=None,
    to_crs=None,
) -> tuple[gpd.GeoDataFrame, LoadReport]:
    """Build a WGS84 point GeoDataFrame from ``table``, with its load report.

    Parameters
    ----------
    table : RawTable
        Text cells and their 1-based row numbers.
    source : Path
        For messages and the report.
    kind : str, optional
        ``incidents`` or ``cameras`` (the point kinds); detected when None.
    columns : dict, optional
        Role -> column overrides (``{"x": "经度", "occurred_at": "报警时间"}``).
    crs : optional
        The coordinates' system; read from headers and values when None.
    to_crs : optional
        Output CRS (see :func:`gisapp.layers.io.read_layers`); the points are built
        once, directly in it.
    """
    headers = table.headers
    report = LoadReport(str(source), rows_read=table.rows_read, encoding=table.encoding)
    report.rejects.extend(table.rejects)
    report.warnings.extend(table.warnings)

    coords = detect_columns(headers, ("x", "y"), {k: v for k, v in (columns or {}).items() if k in ("x", "y")})
    if "x" not in coords or "y" not in coords:
        raise InputError(
            f"{source.name} has no coordinate columns: expected 经度/纬度, lon/lat or x/y, found "
            f"{', '.join(map(str, headers))}. Name them with --map x=COLUMN --map y=COLUMN."
        )
    kind = kind or _guess_point_kind(headers)
    if kind not in ("incidents", "cameras", "result"):
        raise InputError(f"A table of points cannot be a {kind} layer: use --kind incidents or --kind cameras.")
    report.kind = kind
    mapping = detect_columns(
        [h for h in headers if h not in coords.values()],
        ROLES_BY_KIND[kind],
        {k: v for k, v in (columns or {}).items() if k not in ("x", "y")},
    )
    report.columns = {**coords, **mapping}
    renames = _renames(mapping, headers)

    # Coordinates and times first: a GBK file's text columns are still being decoded meanwhile.
    rows = table.rows
    x, y, bad_rows = _read_coordinates(table.column(coords["x"]), table.column(coords["y"]), rows, report)
    system = _coordinate_system(crs, coords, x, y, source, report)
    if system.crs.is_geographic:
        x, y = _mend_swapped(x, y, rows, report)
        bad_rows |= _reject_unplaceable(x, y, rows, bad_rows, report)
    keep = ~bad_rows

    lon, lat = to_wgs84_lonlat(x[keep], y[keep], system)
    target = output_crs(lon, lat, to_crs)
    if not target.equals(WGS84):
        lon, lat = transform_xy(WGS84, target, lon, lat)
    times = None
    time_column = next((src for src, role in renames.items() if role == "occurred_at"), "occurred_at")
    if time_column in headers:
        times, kept = _read_times(table.column(time_column)[keep], rows[keep], report)
        if not kept.all():
            keep[keep] = kept
            lon, lat, times = lon[kept], lat[kept], times[kept]
    outliers = in_background(_outliers_after_decoding, table, lon, lat, target) if kind == "incidents" else None
    geometry = make_points(lon, lat)
    report.bounds = _bounds(lon, lat)

    frame = table.frame
    data = frame if keep.all() else frame.loc[keep]  # a clean file is not copied
    data = data.drop(columns=[coords["x"], coords["y"]]).rename(columns=renames).reset_index(drop=True)
    if times is not None:
        data["occurred_at"] = times.reset_index(drop=True)
    report.warnings.extend(normalise_values(kind, data))
    if outliers is not None:
        report.outliers_checked = True
        if warning := outliers.result():
            report.warnings.append(warning)
    gdf = gpd.GeoDataFrame(data, geometry=geometry, crs=target)
    return gdf, report


def _bounds(x: np.ndarray, y: np.ndarray) -> list[float] | None:
    if not len(x):
        return None
    return [round(float(v), 7) for v in (x.min(), y.min(), x.max(), y.max())]


def _outliers_after_decoding(table: RawTable, lon: np.ndarray, lat: np.ndarray, crs) -> str | None:
    # Wait for the decoding thread first: two threads beside the point building would take
    # CPU time from it on a two-core machine, and this check has time enough afterwards.
    wait([cells for cells in table.columns.values() if isinstance(cells, Future)])
    return outlier_warning(lon, lat, crs)


def _read_times(values: pd.Series, rows: np.ndarray, report: LoadReport) -> tuple[pd.Series, np.ndarray]:
    """Parse the time of occurrence; reject unreadable dates; return the times and the rows kept."""
    values = values.reset_index(drop=True)
    times, bad = parse_datetimes(values)
    for row, value in zip(rows[bad], values[bad]):
        report.reject([row], f"unreadable or impossible date {str(value)!r}")
    missing = int(times[~bad].isna().sum())
    if missing:
        report.warnings.append(f"{missing} rows have no time of occurrence; time filters will leave them out.")
    return times, ~bad


def _guess_point_kind(headers: list[str]) -> str:
    found = detect_columns(headers, _CAMERA_HINTS)
    return "cameras" if len(found) >= 2 else "incidents"


def _renames(mapping: dict[str, str], headers: list[str]) -> dict[str, str]:
    # Rename a source column to its role unless another source column already has that name.
    return {src: role for role, src in mapping.items() if src != role and role not in headers}


def _numbers(values: pd.Series) -> np.ndarray:
    """Floats from text; NaN where a value is blank or not a number."""
    try:  # pyarrow's cast is an order of magnitude faster, but all-or-nothing
        return values.astype("float64[pyarrow]").to_numpy(dtype=float, na_value=np.nan)
    except (ValueError, TypeError, ArithmeticError, pa.ArrowInvalid):
        return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _read_coordinates(xs: pd.Series, ys: pd.Series, rows: np.ndarray, report: LoadReport):
    x, y = _numbers(xs), _numbers(ys)
    missing = (xs.isna() | ys.isna()).to_numpy()
    unreadable = ~missing & ~(np.isfinite(x) & np.isfinite(y))
    report.reject(rows[missing], "missing coordinates")
    for row, a, b in zip(rows[unreadable], xs[unreadable], ys[unreadable]):
        report.reject([row], f"coordinates are not numbers ({a!s}, {b!s})")
    return x, y, missing | unreadable


def _coordinate_system(crs, coords: dict, x: np.ndarray, y: np.ndarray, source: Path, report: LoadReport) -> CoordinateSystem:
    if crs is not None:
        system = resolve_crs(crs)
    elif (hint := offset_hint(coords["x"]) or offset_hint(coords["y"])) is not None:
        system = resolve_crs(hint)
        report.warnings.append(f"The coordinate headers name {system.name}; offsets were removed to WGS84.")
    else:
        system = _system_from_values(x, y, source, report)
    report.crs = system.text if system.offset is None else system.name
    return system


def _system_from_values(x: np.ndarray, y: np.ndarray, source: Path, report: LoadReport) -> CoordinateSystem:
    finite = np.isfinite(x) & np.isfinite(y)
    if not finite.any():
        return resolve_crs("EPSG:4326")
    xs, ys = x[finite], y[finite]
    degrees = valid_lonlat(xs, ys) | valid_lonlat(ys, xs)
    if degrees.mean() >= 0.5:
        report.warnings.append(
            "No coordinate system was given; the values are degrees, read as WGS84/CGCS2000. "
            "If they come from Amap or Tencent use --crs gcj02, from Baidu --crs bd09."
        )
        return resolve_crs("EPSG:4326")
    zone = np.median(xs) // 1_000_000
    if 25 <= zone <= 45 and 1e5 <= np.median(ys) <= 6e6:
        # CGCS2000 3-degree Gauss-Krüger with the zone number in the easting (EPSG:4513 is zone 25).
        system = resolve_crs(4513 + int(zone) - 25)
        report.warnings.append(f"The easting carries zone prefix {int(zone)}: read as {system.name}.")
        return system
    raise InputError(
        f"The coordinates in {source.name} look projected (metres) but no coordinate system was given: "
        "pass one with --crs, for example --crs EPSG:4544."
    )


def _mend_swapped(x: np.ndarray, y: np.ndarray, rows: np.ndarray, report: LoadReport):
    if looks_swapped(x, y):
        report.warnings.append("Latitude and longitude were swapped in the whole file; they were read the other way round.")
        return y, x
    swapped = swapped_rows(x, y)
    if swapped.any():
        report.correct(rows[swapped], "latitude and longitude were swapped; corrected")
        x, y = np.where(swapped, y, x), np.where(swapped, x, y)
    return x, y


def _reject_unplaceable(x: np.ndarray, y: np.ndarray, rows: np.ndarray, already: np.ndarray, report: LoadReport) -> np.ndarray:
    todo = ~already
    zero = todo & (x == 0) & (y == 0)
    out_of_range = todo & ~zero & ~valid_lonlat(x, y)
    report.reject(rows[zero], "placeholder coordinates (0, 0)")
    for row, a, b in zip(rows[out_of_range], x[out_of_range], y[out_of_range]):
        report.reject([row], f"coordinates out of range (longitude {a:g}, latitude {b:g})")
    bad = zero | out_of_range
    inside = todo & ~bad
    if in_china(x[inside], y[inside]).mean() > 0.5 if inside.any() else False:
        # In a Chinese data set a point outside China is a geocoding error, not a far-away case.
        outside = inside & ~in_china(x, y)
        for row, a, b in zip(rows[outside], x[outside], y[outside]):
            report.reject([row], f"coordinates outside China (longitude {a:g}, latitude {b:g})")
        bad |= outside
    return bad
