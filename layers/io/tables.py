"""Turn a table of cells (CSV, workbook, HTML export) into a point layer, row by row with reasons.

The one pipeline every table goes through, after its reader found the header
row (:mod:`.header_row`):

1. find the coordinate columns (a pair, or one combined column) and the
   attribute columns (:mod:`.columns`);
2. read the coordinates whatever their shape (:mod:`.coordinate_shapes`, :mod:`.dms`);
3. work out their coordinate system: given, named in the header, read from
   the values (degrees; Gauss-Krüger in GIS or surveying order, with or
   without zone prefix, :mod:`.gauss_kruger`), else local metres;
4. mend swapped latitude/longitude, reject placeholders and impossible
   values, then check the positions against the system's area of use and
   China (:mod:`.plausibility`);
5. tell summary rows (合计, 制表人, ...) among the rejected rows (:mod:`.summary_rows`);
6. read the times, from one column or a date and a time column (:mod:`.date_columns`);
7. build the points, directly in the requested CRS.
"""

from __future__ import annotations

from concurrent.futures import Future, wait
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from ..background import in_background
from ..crs import (
    WGS84,
    CoordinateSystem,
    from_wgs84_lonlat,
    is_local,
    local_output_crs,
    looks_swapped,
    resolve_crs,
    swapped_rows,
    to_wgs84_lonlat,
    valid_lonlat,
)
from ..errors import InputError
from ..memory import release_freed_memory
from ..report import LoadReport
from ..reproject import make_points, output_crs, transform_xy
from . import gauss_kruger
from .checks import outlier_warning
from .columns import ROLES_BY_KIND, detect_columns, offset_hint
from .coordinate_shapes import looks_combined, read_axis, split_combined
from .csv import RawTable
from .date_columns import combined_times, count_without_time, find_pair, single_times
from .header_row import header_note
from .plausibility import check_positions, is_chinese
from .summary_rows import find_summary_rows
from .values import normalise_values

_CAMERA_HINTS = ("heading_deg", "fov_deg", "range_m")
#: Roles that name source columns read here, never renamed in the output.
_READ_ROLES = ("x", "y", "xy", "date", "time")


def table_to_points(
    table: RawTable,
    source: Path,
    kind: str | None = None,
    columns: dict[str, str] | None = None,
    crs=None,
    to_crs=None,
    geocoder=None,
) -> tuple[gpd.GeoDataFrame, LoadReport]:
    """Build a point GeoDataFrame from ``table``, with its load report.

    Parameters
    ----------
    table : RawTable
        Cells and their 1-based row numbers.
    source : Path
        For messages and the report.
    kind : str, optional
        ``incidents`` or ``cameras`` (the point kinds); detected when None.
    columns : dict, optional
        Role -> column overrides (``{"x": "经度", "occurred_at": "报警时间"}``;
        ``xy`` for a combined column; ``date`` and ``time`` for a pair).
    crs : optional
        The file's coordinate system (``local`` allowed); read from headers and values when None.
    to_crs : optional
        Output CRS (see :func:`gisapp.layers.io.read_layers`); the points are built
        once, directly in it. Local-metres data stay in local metres.
    geocoder : callable, optional
        Places rows that have an address but no usable coordinates (blank,
        0,0, unreadable; or a table with no coordinate columns at all):
        ``geocoder(addresses) -> (frame, report)``, where ``addresses`` is a
        Series of address text indexed by row number and ``frame`` has, for the
        same index, ``lon``/``lat`` (WGS84, NaN where not placed) and the
        ``geocode_*`` columns to keep. The placed rows go through the rest of the
        pipeline like any other; the report lands in ``LoadReport.geocoded``.
    """
    headers = table.headers
    report = LoadReport(str(source), rows_read=table.rows_read, encoding=table.encoding, headers=list(headers))
    _layout_to_report(table, report)
    report.rejects.extend(table.rejects)
    report.warnings.extend(table.warnings)
    overrides = dict(columns or {})

    coords = _coordinate_columns(table, overrides, source, optional=geocoder is not None)
    kind = kind or _guess_point_kind(headers)
    if kind not in ("incidents", "cameras", "result"):
        raise InputError(f"A table of points cannot be a {kind} layer: use --kind incidents or --kind cameras.")
    report.kind = kind
    mapping = detect_columns(
        [h for h in headers if h not in coords.values()],
        ROLES_BY_KIND[kind],
        {k: v for k, v in overrides.items() if k not in ("x", "y", "xy")},
    )
    report.columns = {**coords, **mapping}
    renames = _renames(mapping, headers)

    # Coordinates and times first: a GBK file's text columns are still being decoded meanwhile.
    rows = table.rows
    x, y, bad = _read_coordinates(table, coords, rows, report)
    system, x, y = _coordinate_system(crs, coords, x, y, bad, source, report)
    x, y, unplaceable = _reject_unplaceable(x, y, rows, bad, system, report)
    bad |= unplaceable
    geocoded = None
    if geocoder is not None and "address" in mapping and bad.any() and not is_local(system.crs):
        x, y, bad, geocoded = _geocode_rows(geocoder, table.column(mapping["address"]), x, y, bad, rows, system, report)
    keep = ~bad
    # Headers first: the category column of a GBK file may still be decoding.
    chinese = is_chinese(headers) or ("category" in mapping and is_chinese([], table.column(mapping["category"])))

    if is_local(system.crs):
        lon, lat = x[keep], y[keep]
        target = local_output_crs(to_crs)
    else:
        lon, lat = to_wgs84_lonlat(x[keep], y[keep], system)
        outside = check_positions(lon, lat, rows[keep], system, chinese, report, source.name)
        if outside.any():
            keep[keep] = ~outside
            lon, lat = lon[~outside], lat[~outside]
        target = output_crs(lon, lat, to_crs)
        if system.offset is None and target.equals(system.crs):
            # Already in the output system: the file's own numbers, not a round trip through degrees,
            # which would move points by ~1e-9 m and off exact cell and band edges.
            lon, lat = x[keep], y[keep]
        elif not target.equals(WGS84):
            lon, lat = transform_xy(WGS84, target, lon, lat)
    _summary_rows(table, ~keep, rows, report)

    times = _read_times(table, headers, mapping, overrides, keep, rows, report)
    decoding = table.decoding()
    # Beside a decoding thread the check overlaps the point building; alone it would only fight it for the GIL.
    outliers = in_background(_outliers_after_decoding, table, lon, lat, target) if kind == "incidents" and decoding else None
    geometry = make_points(lon, lat, share_gil=decoding)
    del x, y  # the coordinates live on in the points; the rest goes back to the system
    release_freed_memory()
    report.bounds = _bounds(lon, lat)

    frame = table.frame
    if not keep.all():
        report.rejected_cells = _rejected_cells(frame, ~keep, rows, report)
    data = frame if keep.all() else frame.loc[keep]  # a clean file is not copied
    data = data.drop(columns=[c for role, c in coords.items()]).rename(columns=renames).reset_index(drop=True)
    if times is not None:
        data["occurred_at"] = times.reset_index(drop=True)
        count_without_time(data["occurred_at"], report)
    if geocoded is not None:
        data = _with_geocode_columns(data, geocoded, rows[keep])
    report.warnings.extend(normalise_values(kind, data))
    if outliers is not None or kind == "incidents":
        report.outliers_checked = True
        if warning := (outliers.result() if outliers is not None else outlier_warning(lon, lat, target)):
            report.warnings.append(warning)
    gdf = gpd.GeoDataFrame(data, geometry=geometry, crs=target)
    return gdf, report


def _layout_to_report(table: RawTable, report: LoadReport) -> None:
    report.header_row = table.header_row
    report.skipped_rows = list(table.skipped_rows)
    report.sheet, report.sheets = table.sheet, list(table.sheets)
    if table.header_row is not None and table.header_row > 1:
        report.header_note = header_note(table.header_row, report.skipped_rows)
        report.warnings.append(report.header_note["en"] + ".")
    elif table.header_row is not None:
        report.header_note = header_note(1, [])


def _coordinate_columns(table: RawTable, overrides: dict, source: Path, optional: bool = False) -> dict[str, str]:
    """``{"x": .., "y": ..}`` or ``{"xy": ..}`` for a combined column; one sentence when there are none
    (or ``{}`` when ``optional``: every row is then placed by its address)."""
    headers = table.headers
    if "xy" in overrides:
        return detect_columns(headers, (), {"xy": overrides["xy"]})
    coords = detect_columns(headers, ("x", "y"), {k: v for k, v in overrides.items() if k in ("x", "y")})
    if "x" in coords and "y" in coords:
        return coords
    combined = detect_columns(headers, ("xy",))
    if combined and looks_combined(table.column(combined["xy"])):
        return combined
    for header in headers:  # a column of "lon,lat" pairs under a header we do not know
        if header not in coords.values() and looks_combined(table.column(header)):
            return {"xy": header}
    if optional:
        return {}
    listed = ", ".join(map(str, headers[:40])) + (", …" if len(headers) > 40 else "")
    raise InputError(
        f"{source.name} has no coordinate columns: expected 经度/纬度, lon/lat, X坐标/Y坐标 or one column of "
        f"\"lon,lat\" pairs, found {listed}. Name them with --map x=COLUMN --map y=COLUMN (or --map xy=COLUMN)."
    )


def _read_coordinates(table: RawTable, coords: dict, rows: np.ndarray, report: LoadReport):
    """x and y as floats, and the rows rejected on the way (blank, unreadable)."""
    if not coords:  # an address list: every row waits for the geocoder
        report.coordinates = {"shape": "none", "columns": []}
        report.reject(rows, "no coordinate columns", "no_coordinates")
        return np.full(len(rows), np.nan), np.full(len(rows), np.nan), np.ones(len(rows), dtype=bool)
    if "xy" in coords:
        cells = table.column(coords["xy"])
        x, y, problems = split_combined(cells)
        missing = cells.isna().to_numpy() | (cells.astype("string").str.strip() == "").fillna(True).to_numpy()
        report.coordinates = {"shape": "combined", "columns": [coords["xy"]]}
    else:
        xs, ys = table.column(coords["x"]), table.column(coords["y"])
        x, x_problems, x_dms = read_axis(xs)
        y, y_problems, y_dms = read_axis(ys)
        problems = [a or b for a, b in zip(x_problems, y_problems)] if (x_dms or y_dms or any(x_problems) or any(y_problems)) else None
        missing = (xs.isna() | ys.isna()).to_numpy()
        report.coordinates = {"shape": "dms" if (x_dms or y_dms) else "numbers", "columns": [coords["x"], coords["y"]]}
    report.reject(rows[missing], "no coordinates (blank)", "no_coordinates")
    unreadable = ~missing & ~(np.isfinite(x) & np.isfinite(y))
    for row, position in zip(rows[unreadable], np.flatnonzero(unreadable)):
        reason = problems[position] if problems and problems[position] else "coordinates are not finite numbers"
        report.reject([row], reason, "bad_coordinates")
    return x, y, missing | unreadable


def _coordinate_system(crs, coords: dict, x: np.ndarray, y: np.ndarray, bad: np.ndarray, source: Path, report: LoadReport):
    """The system the values are in, and x, y in its axis order (Gauss-Krüger surveying order swapped, prefix removed)."""
    finite = ~bad
    if crs is not None:
        system = resolve_crs(crs)
        label = "--input-crs"
    elif (hint := offset_hint(coords.get("x", "")) or offset_hint(coords.get("y", "")) or offset_hint(coords.get("xy", ""))) is not None:
        system = resolve_crs(hint)
        report.warnings.append(f"The coordinate headers name {system.name}; offsets were removed to WGS84.")
        label = "the header"
    else:
        system, label = _system_from_values(x[finite], y[finite], source, report), None
    # Degrees need no Gauss-Krüger reading; metres (given, or read from the values) do.
    reading = gauss_kruger.read_values(x[finite], y[finite]) if system.crs.is_projected or is_local(system.crs) else None
    if reading is not None:
        x, y = _apply_reading(reading, system, x, y, source, report, label)
    report.crs = system.text if system.offset is None else system.name
    report.georeferenced = not is_local(system.crs)
    report.coordinates = {**(report.coordinates or {}), **_decision(system, reading)}
    return system, x, y


def _system_from_values(x, y, source: Path, report: LoadReport) -> CoordinateSystem:
    if not len(x):
        return resolve_crs("EPSG:4326")
    degrees = valid_lonlat(x, y) | valid_lonlat(y, x)
    if degrees.mean() >= 0.5:
        report.warnings.append(
            "No coordinate system was given; the values are degrees, read as WGS84/CGCS2000. "
            "If they come from Amap or Tencent use --input-crs gcj02, from Baidu --input-crs bd09."
        )
        return resolve_crs("EPSG:4326")
    reading = gauss_kruger.read_values(x, y)
    if reading is not None and reading.prefix_zone is not None:
        system = resolve_crs(reading.crs())
        report.warnings.append(
            f"The eastings carry zone number {reading.prefix_zone}: read as {system.name} ({system.text}); "
            "if the data are Xian 1980 or Beijing 1954, give that system with --input-crs."
        )
        return system
    if reading is not None:
        zone_hint = "a CGCS2000 3° Gauss-Krüger zone without prefix is EPSG:4534 (75°E) to EPSG:4554 (135°E), one every 3°"
        report.warnings.append(
            f"The coordinates of {source.name} look like Gauss-Krüger metres without a zone number, and no coordinate system "
            f"was given: they were loaded in local metres, NOT georeferenced (no basemap, no degrees). Give the zone with "
            f"--input-crs to place them ({zone_hint})."
        )
    else:
        report.warnings.append(
            f"The coordinates of {source.name} are not degrees and no coordinate system was given: they were loaded in local "
            "metres, NOT georeferenced (analyses run; maps have no basemap). Give their system with --input-crs to place them."
        )
    return resolve_crs("local")


def _apply_reading(reading, system: CoordinateSystem, x, y, source: Path, report: LoadReport, label):
    if reading.surveying:
        x, y = y, x
        report.warnings.append(
            "The coordinates are in surveying order (X = northing, Y = easting), as Chinese survey exports write them; "
            "they were read the other way round."
        )
    if label is not None and not is_local(system.crs):
        offset = gauss_kruger.reconcile(reading, system.crs, source.name, label)
        if offset:
            x = x - offset
            report.warnings.append(f"The zone number {reading.prefix_zone} in front of the eastings was removed to match {system.name}.")
    if reading.prefix_zone is not None:
        zones = gauss_kruger.prefix_zones(x)
        other = np.isfinite(x) & (zones != 0) & (zones != reading.prefix_zone)
        x = np.where(other, np.nan, x)  # rejected below as not finite
    return x, y


def _decision(system: CoordinateSystem, reading) -> dict:
    decision = {"crs": system.text, "crs_name": system.name, "order": "x=easting (GIS)", "zone": None, "zone_width": None}
    if system.crs.is_geographic or system.offset:
        decision["order"] = "x=longitude"
    if reading is not None:
        decision.update(
            order="surveying (X=northing)" if reading.surveying else "x=easting (GIS)",
            zone=reading.prefix_zone,
            zone_width=reading.zone_width,
        )
    return decision


def _reject_unplaceable(x, y, rows, already, system: CoordinateSystem, report: LoadReport):
    """Placeholders and values that cannot be positions, swapped lon/lat mended first: x, y and the rejected rows."""
    todo = ~already
    if system.crs.is_geographic:
        x, y = _mend_swapped(x, y, rows, todo, report)
    zero = todo & (x == 0) & (y == 0)
    report.reject(rows[zero], "placeholder coordinates (0, 0)", "zero_coordinates")
    bad = zero | (todo & ~(np.isfinite(x) & np.isfinite(y)))
    for row, a, b in zip(rows[bad & ~zero], x[bad & ~zero], y[bad & ~zero]):
        report.reject([row], f"coordinates out of range or in another zone ({a:g}, {b:g})", "bad_coordinates")
    if system.crs.is_geographic:
        out_of_range = todo & ~bad & ~valid_lonlat(x, y)
        if out_of_range.sum() > 0.5 * max(int((todo & ~bad).sum()), 1):
            first = np.flatnonzero(out_of_range)[0]
            raise InputError(
                f"Most coordinates are not degrees (e.g. {x[first]:.10g}, {y[first]:.10g}) but they were to be read as {system.name}: "
                "they look like metres; give their projected system with --input-crs, or leave it out to detect it."
            )
        for row, a, b in zip(rows[out_of_range], x[out_of_range], y[out_of_range]):
            report.reject([row], f"coordinates out of range (longitude {a:g}, latitude {b:g})", "bad_coordinates")
        bad |= out_of_range
    return x, y, bad


def _mend_swapped(x, y, rows, todo, report: LoadReport):
    if looks_swapped(x, y) if todo.all() else looks_swapped(x[todo], y[todo]):
        report.warnings.append("Latitude and longitude were swapped in the whole file; they were read the other way round.")
        if report.coordinates is not None:
            report.coordinates["swapped"] = True
        return y.copy(), x.copy()
    swapped = todo & swapped_rows(x, y)
    if swapped.any():
        report.correct(rows[swapped], "latitude and longitude were swapped; corrected", "swapped_lonlat")
        x, y = np.where(swapped, y, x), np.where(swapped, x, y)
    return x, y


def _summary_rows(table: RawTable, rejected: np.ndarray, rows: np.ndarray, report: LoadReport) -> None:
    """Give rows rejected for their coordinates the reason ``summary_row`` when they are totals or signatures."""
    if not rejected.any():
        return
    positions = np.flatnonzero(rejected)
    cells = pd.DataFrame({name: table.column(name).iloc[positions].reset_index(drop=True) for name in table.headers})
    found = find_summary_rows(cells, np.ones(len(positions), dtype=bool), table.headers)
    if not found:
        return
    summary = {int(rows[positions[i]]): reason for i, reason in found.items()}
    report.rejects = [p for p in report.rejects if p.row not in summary]
    for row, reason in summary.items():
        report.reject([row], reason, "summary_row")


def _read_times(table, headers, mapping, overrides, keep, rows, report) -> pd.Series | None:
    pair = find_pair(headers, mapping, table.column, overrides)
    if pair is not None:
        date, time = pair
        report.columns.pop("occurred_at", None)
        report.columns.update(date=date, time=time)
        return combined_times(table.column(date)[keep], table.column(time)[keep], rows[keep], report, pair)
    if "occurred_at" in mapping:
        name = mapping["occurred_at"]
        return single_times(table.column(name)[keep], rows[keep], report, name)
    return None


#: Reject kinds that an address can mend: the row had no usable position, not a bad row.
GEOCODABLE = ("no_coordinates", "zero_coordinates", "bad_coordinates")


def _geocode_rows(geocoder, addresses: pd.Series, x, y, bad, rows, system: CoordinateSystem, report: LoadReport):
    """Place the rejected rows that have an address; they rejoin the table in ``system``'s coordinates."""
    kinds = {p.row: p.kind for p in report.rejects}
    text = addresses.astype("string").fillna("").str.strip().to_numpy(dtype=object)
    wanted = bad & (text != "") & np.array([kinds.get(int(r)) in GEOCODABLE for r in rows])
    if not wanted.any():
        return x, y, bad, None
    found, outcome = geocoder(pd.Series(text[wanted], index=rows[wanted]))
    lon, lat = found["lon"].to_numpy(float), found["lat"].to_numpy(float)
    placed = np.isfinite(lon) & np.isfinite(lat)
    positions = np.flatnonzero(wanted)[placed]
    px, py = from_wgs84_lonlat(lon[placed], lat[placed], system)
    x, y, bad = x.copy(), y.copy(), bad.copy()
    x[positions], y[positions] = px, py
    bad[positions] = False
    mended = set(int(r) for r in rows[positions])
    report.rejects = [p for p in report.rejects if p.row not in mended]
    report.geocoded = {**outcome, "tried": int(wanted.sum()), "placed": int(placed.sum())}
    columns = found.loc[placed, [c for c in found.columns if c.startswith("geocode_")]]
    columns.index = rows[positions]
    return x, y, bad, columns


def _with_geocode_columns(data: pd.DataFrame, geocoded: pd.DataFrame, kept_rows: np.ndarray) -> pd.DataFrame:
    """Every loaded row says how it was placed: ``坐标`` (its own coordinates) or the match level."""
    data = data.copy()
    aligned = geocoded.reindex(kept_rows)
    for column in geocoded.columns:
        data[column] = aligned[column].to_numpy()
    data["geocode_level"] = data["geocode_level"].fillna("坐标")
    return data


def _rejected_cells(frame: pd.DataFrame, rejected: np.ndarray, rows: np.ndarray, report: LoadReport) -> pd.DataFrame:
    """The rejected rows' own cells, by data row, with their reject kind and reason (the geocoding hook)."""
    cells = frame.loc[rejected].copy()
    cells.index = pd.Index(rows[rejected], name="row")
    problems = {p.row: p for p in report.rejects}
    cells["reject_kind"] = [problems[r].kind if r in problems else "other" for r in cells.index]
    cells["reject_reason"] = [problems[r].reason if r in problems else "" for r in cells.index]
    return cells


def _bounds(x: np.ndarray, y: np.ndarray) -> list[float] | None:
    if not len(x):
        return None
    return [round(float(v), 7) for v in (x.min(), y.min(), x.max(), y.max())]


def _outliers_after_decoding(table: RawTable, lon: np.ndarray, lat: np.ndarray, crs) -> str | None:
    # Wait for the decoding thread first: two threads beside the point building would take
    # CPU time from it on a two-core machine, and this check has time enough afterwards.
    wait([cells for cells in table.columns.values() if isinstance(cells, Future)])
    return outlier_warning(lon, lat, crs)


def _guess_point_kind(headers: list[str]) -> str:
    found = detect_columns(headers, _CAMERA_HINTS)
    return "cameras" if len(found) >= 2 else "incidents"


def _renames(mapping: dict[str, str], headers: list[str]) -> dict[str, str]:
    # Rename a source column to its role unless another source column already has that name.
    return {src: role for role, src in mapping.items() if src != role and role not in headers and role not in _READ_ROLES}
