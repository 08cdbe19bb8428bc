"""Vector files through pyogrio/GDAL: GeoJSON, GeoPackage (every layer), Shapefile (plain or zipped).

Every feature is checked as a table row is: a geometry that cannot be built
(a LineString with one point, a ring of two) is rejected with GEOS's reason
instead of failing the file; coordinates that are not finite or out of range
(1e308, Infinity, latitude 95) and positions outside the coordinate system's
area of use are rejected by the same checks as tables (:mod:`.plausibility`);
a zone number in front of the eastings is checked against the ``.prj``
(:mod:`.gauss_kruger`). GDAL's own warnings are kept off the terminal: the
report says what matters.
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from ..crs import WGS84, is_local, resolve_crs, to_wgs84_lonlat, valid_lonlat
from ..errors import InputError
from ..kinds import GEOMETRY_TYPES, KINDS
from ..report import LoadReport
from . import gauss_kruger
from .columns import ROLES_BY_KIND, detect_columns
from .date_columns import count_without_time, single_times
from .limits import shown
from .plausibility import check_positions, is_chinese
from .values import normalise_values

#: Tables in a GeoPackage that are ours, not layers (the project metadata).
INTERNAL_TABLES = {"gisapp_project"}


def gdal_path(path: Path) -> str:
    """The path GDAL should open: a zipped shapefile is read in place through /vsizip/."""
    if path.suffix.lower() == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                shapefiles = [n for n in archive.namelist() if n.lower().endswith(".shp")]
        except zipfile.BadZipFile:
            raise InputError(f"{path.name} is not a readable zip archive.") from None
        if not shapefiles:
            raise InputError(f"{path.name} holds no .shp file.")
        if len(shapefiles) > 1:
            raise InputError(f"{path.name} holds {len(shapefiles)} shapefiles; unzip it and add them one by one.")
        return f"/vsizip/{path.resolve()}/{shapefiles[0]}"
    return str(path)


def list_vector_layers(path: Path) -> list[str]:
    """Names of the spatial layers in ``path`` (attribute-only tables are skipped)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GDAL's chatter about damaged files
            listed = pyogrio.list_layers(gdal_path(path))
    except pyogrio.errors.DataSourceError as error:
        raise InputError(f"{path.name} is not a readable {_format_name(path)} (corrupt or not that format): {_first_line(error)}") from None
    names = [str(name) for name, geometry in listed if geometry is not None and str(name) not in INTERNAL_TABLES]
    if not names:
        raise InputError(f"{path.name} contains no spatial layers.")
    return names


def read_vector(path: Path, layer: str | None, kind: str | None, columns: dict | None, crs) -> tuple[gpd.GeoDataFrame, LoadReport]:
    """Read one layer of a vector file as WGS84 (or local metres), repairing what can be repaired and reporting the rest."""
    _check_shapefile_parts(path)
    source = f"{path}" + (f"#{layer}" if layer else "")
    gdf, unbuilt = _read_features(path, layer)
    if len(gdf) == 0:
        raise InputError(f"{path.name}{' layer ' + layer if layer else ''} has no features: there is nothing to load.")
    report = LoadReport(source, rows_read=len(gdf), headers=[str(c) for c in gdf.columns if c != gdf.geometry.name])
    rows = np.arange(1, len(gdf) + 1)
    for position, reason in unbuilt.items():
        report.reject([rows[position]], f"invalid geometry that cannot be built ({reason})", "invalid_geometry")
    gdf, rows = gdf[~np.isin(np.arange(len(gdf)), list(unbuilt))], rows[~np.isin(np.arange(len(gdf)), list(unbuilt))]

    gdf, system, own = _in_wgs84(gdf, path, crs, report)
    kind = kind or guess_vector_kind(gdf, layer or path.stem)
    report.kind = kind
    gdf, rows = _drop_empty(gdf, rows, report)
    gdf, rows = _drop_implausible(gdf, rows, system, path, report)
    gdf, rows = _drop_wrong_family(gdf, rows, kind, report)
    gdf = _repair(gdf, rows, report)

    mapping = detect_columns([c for c in gdf.columns if c != gdf.geometry.name], ROLES_BY_KIND[kind], columns)
    report.columns = mapping
    gdf = gdf.rename(columns={src: role for role, src in mapping.items() if src != role and role not in gdf.columns})
    if kind == "incidents" and "occurred_at" in gdf:
        gdf = gdf.copy()
        gdf["occurred_at"] = single_times(gdf["occurred_at"], rows, report, mapping.get("occurred_at", "occurred_at")).to_numpy()
        count_without_time(gdf["occurred_at"], report)
    report.warnings.extend(normalise_values(kind, gdf))
    if system.offset is None and not is_local(system.crs) and not system.crs.equals(WGS84) and len(gdf) and (gdf.geom_type == "Point").all():
        # the file's own numbers (zone prefix removed), to spare the points a round trip through degrees
        report.source_geometry = gpd.GeoSeries(own.loc[gdf.index].to_numpy(), crs=system.crs)
    return gdf.reset_index(drop=True), report


def _read_features(path: Path, layer: str | None) -> tuple[gpd.GeoDataFrame, dict[int, str]]:
    """The features, and position -> reason for geometries GEOS cannot build (read without them)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                return pyogrio.read_dataframe(gdal_path(path), layer=layer), {}
            except shapely.errors.GEOSException:
                return _read_unbuilt(path, layer)
    except pyogrio.errors.DataLayerError as error:
        what = f"no layer {shown(layer)}" if layer else "no layer that can be read"
        raise InputError(f"{path.name} has {what}: {_first_line(error)}") from None
    except pyogrio.errors.DataSourceError as error:
        raise InputError(f"{path.name} is not a readable {_format_name(path)} (corrupt or not that format): {_first_line(error)}") from None


def _read_unbuilt(path: Path, layer: str | None) -> tuple[gpd.GeoDataFrame, dict[int, str]]:
    """Read attributes and WKB apart, build the geometries one by one, and say why some cannot be built."""
    attributes = pyogrio.read_dataframe(gdal_path(path), layer=layer, read_geometry=False)
    meta, _, wkb, _ = pyogrio.raw.read(gdal_path(path), layer=layer, columns=[])
    geometries = shapely.from_wkb(wkb, on_invalid="ignore")
    unbuilt = {}
    missing = np.array([g is None for g in geometries], dtype=bool) & np.array([w is not None for w in wkb], dtype=bool)
    for position in np.flatnonzero(missing):
        try:
            shapely.from_wkb(wkb[position])
            reason = "unreadable"
        except shapely.errors.GEOSException as error:
            reason = str(error).split(": ", 1)[-1].strip()
        unbuilt[int(position)] = reason
    crs = meta.get("crs")
    return gpd.GeoDataFrame(attributes, geometry=gpd.GeoSeries(geometries, crs=crs)), unbuilt


def guess_vector_kind(gdf: gpd.GeoDataFrame, name: str) -> str:
    """The kind named by the layer name, else by geometry and columns."""
    name = name.lower()
    if name in KINDS:
        return name
    types = set(gdf.geometry.geom_type.dropna())
    headers = [c for c in gdf.columns if c != gdf.geometry.name]
    if types and types <= GEOMETRY_TYPES["point"]:
        return "cameras" if len(detect_columns(headers, ("heading_deg", "fov_deg", "range_m"))) >= 2 else "incidents"
    if types and types <= GEOMETRY_TYPES["line"]:
        return "routes" if detect_columns(headers, ("route_id", "shift")) else "roads"
    if types and types <= GEOMETRY_TYPES["polygon"]:
        return "grids" if detect_columns(headers, ("grid_id", "population")) else "areas"
    return "result"


def _check_shapefile_parts(path: Path) -> None:
    if path.suffix.lower() != ".shp":
        return
    siblings = {p.suffix.lower() for p in path.parent.glob(path.stem + ".*")}
    if ".dbf" not in siblings:
        raise InputError(f"{path.name} comes without its .dbf file (the attributes): copy {path.stem}.dbf next to it.")
    if ".shx" not in siblings:
        raise InputError(f"{path.name} comes without its .shx file (the index): copy {path.stem}.shx next to it.")


def _in_wgs84(gdf: gpd.GeoDataFrame, path: Path, crs, report: LoadReport):
    """The features in WGS84 (or kept in local metres), the system they were read in, and their geometry in it."""
    label = "--input-crs"
    if crs is not None:
        system = resolve_crs(crs)
        if gdf.crs is not None and system.offset is None and not gdf.crs.equals(system.crs):
            report.warnings.append(f"The file says {gdf.crs.name}; it was read as {system.name} as asked.")
    elif gdf.crs is not None:
        system, label = resolve_crs(gdf.crs), "its .prj" if path.suffix.lower() in (".shp", ".zip") else "its coordinate system"
    else:
        bounds = gdf.total_bounds
        if np.all(np.isfinite(bounds)) and valid_lonlat(bounds[[0, 2]], bounds[[1, 3]]).all():
            report.warnings.append(f"{path.name} has no coordinate system (missing .prj?); its degrees were read as WGS84.")
            system = resolve_crs("EPSG:4326")
        else:
            report.warnings.append(
                f"{path.name} has no coordinate system (a shapefile without its .prj?) and its coordinates are not degrees: "
                "it was loaded in local metres, NOT georeferenced (analyses run; maps have no basemap). "
                "Give its system with --input-crs, for example a CGCS2000 Gauss-Krüger zone such as EPSG:4544."
            )
            system = resolve_crs("local")
    report.crs = system.text if system.offset is None else system.name
    report.georeferenced = not is_local(system.crs)
    report.coordinates = {"shape": "geometry", "crs": report.crs, "crs_name": system.name}
    if is_local(system.crs):
        gdf = gdf.set_crs(system.crs, allow_override=True)
        return gdf, system, gdf.geometry
    gdf = _without_zone_prefix(gdf, system, path, label, report)
    if system.offset is None and system.crs.equals(WGS84):
        gdf = gdf.set_crs(WGS84, allow_override=True)
        return gdf, system, gdf.geometry
    own = gdf.geometry
    with np.errstate(all="ignore"):
        geometry = shapely.transform(gdf.geometry.values, lambda xy: np.column_stack(to_wgs84_lonlat(xy[:, 0], xy[:, 1], system)))
    return gdf.set_geometry(gpd.GeoSeries(geometry, index=gdf.index, crs=WGS84)), system, own


def _without_zone_prefix(gdf, system, path: Path, label: str, report: LoadReport):
    """Check a zone number in front of the eastings against a Gauss-Krüger system; strip it when the meridian agrees."""
    if not system.crs.is_projected or gauss_kruger.transverse_mercator(system.crs) is None:
        return gdf
    coords = shapely.get_coordinates(gdf.geometry.values[:5000])
    finite = np.isfinite(coords).all(axis=1)
    reading = gauss_kruger.read_values(coords[finite, 0], coords[finite, 1])
    if reading is None or reading.surveying:
        return gdf
    offset = gauss_kruger.reconcile(reading, system.crs, path.name, label)
    if not offset:
        return gdf
    report.warnings.append(f"The zone number {reading.prefix_zone} in front of the eastings was removed to match {system.name}.")
    moved = shapely.transform(gdf.geometry.values, lambda xy: xy - np.array([offset, 0.0]))
    return gdf.set_geometry(gpd.GeoSeries(moved, index=gdf.index, crs=gdf.crs))


def _drop_implausible(gdf, rows, system, path: Path, report: LoadReport):
    """The same position checks as tables: finite, in range, in the system's area of use (and China for Chinese data)."""
    bounds = shapely.bounds(gdf.geometry.values)
    if is_local(system.crs):
        bad = ~np.isfinite(bounds).all(axis=1)
        for row in rows[bad]:
            report.reject([row], "coordinates are not finite numbers", "bad_coordinates")
        return gdf[~bad], rows[~bad]
    corners_ok = valid_lonlat(bounds[:, 0], bounds[:, 1]) & valid_lonlat(bounds[:, 2], bounds[:, 3])
    for row, box in zip(rows[~corners_ok], bounds[~corners_ok]):
        report.reject([row], f"coordinates out of range or not finite (bounds {', '.join(f'{v:g}' for v in box)})", "bad_coordinates")
    gdf, rows, bounds = gdf[corners_ok], rows[corners_ok], bounds[corners_ok]
    headers = [c for c in gdf.columns if c != gdf.geometry.name]
    category = next((c for c in headers if c in ("category", "name") or detect_columns([c], ("category",))), None)
    chinese = is_chinese(headers) or (category is not None and is_chinese([], gdf[category]))
    lon, lat = (bounds[:, 0] + bounds[:, 2]) / 2, (bounds[:, 1] + bounds[:, 3]) / 2
    outside = check_positions(lon, lat, rows, system, chinese, report, path.name)
    return gdf[~outside], rows[~outside]


def _drop_empty(gdf, rows, report):
    empty = (gdf.geometry.isna() | gdf.geometry.is_empty).to_numpy()
    report.reject(rows[empty], "no geometry", "no_geometry")
    return gdf[~empty], rows[~empty]


def _drop_wrong_family(gdf, rows, kind, report):
    family = KINDS[kind].geometry
    if family == "any":
        return gdf, rows
    types = gdf.geometry.geom_type.to_numpy()
    wrong = ~np.isin(types, list(GEOMETRY_TYPES[family]))
    for row, geom_type in zip(rows[wrong], types[wrong]):
        report.reject([row], f"a {geom_type} cannot be part of a {kind} layer, which holds {family}s", "wrong_geometry")
    return gdf[~wrong], rows[~wrong]


def _repair(gdf, rows, report):
    invalid = ~gdf.geometry.is_valid.to_numpy()
    if not invalid.any():
        return gdf
    reasons = shapely.is_valid_reason(gdf.geometry.values[invalid])
    repaired = shapely.make_valid(gdf.geometry.values[invalid], method="structure", keep_collapsed=False)
    for row, reason in zip(rows[invalid], reasons):
        report.correct([row], f"invalid geometry repaired ({reason})", "repaired_geometry")
    gdf = gdf.copy()
    gdf.loc[invalid, gdf.geometry.name] = repaired
    report.warnings.append(f"{int(invalid.sum())} invalid geometries (e.g. self-intersecting polygons) were repaired.")
    return gdf


def _format_name(path: Path) -> str:
    return {".gpkg": "GeoPackage", ".geojson": "GeoJSON", ".json": "GeoJSON", ".shp": "shapefile", ".zip": "zipped shapefile"}.get(
        path.suffix.lower(), "vector file"
    )


def _first_line(error: Exception) -> str:
    """GDAL's message, cut to its last clause: users need the gist, not the SQL it ran."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    text = text.split("; ")[0]
    return text.rsplit(": ", 1)[-1] if len(text) > 100 else text
