"""Vector files through pyogrio/GDAL: GeoJSON, GeoPackage (every layer), Shapefile (plain or zipped)."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from ..crs import WGS84, resolve_crs, to_wgs84_lonlat, valid_lonlat
from ..errors import InputError
from ..kinds import GEOMETRY_TYPES, KINDS
from ..report import LoadReport
from .columns import ROLES_BY_KIND, detect_columns
from .dates import parse_datetimes
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
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL's chatter about damaged files
            listed = pyogrio.list_layers(gdal_path(path))
    except pyogrio.errors.DataSourceError as error:
        raise InputError(f"{path.name} is not a readable {_format_name(path)} (corrupt or not that format): {_first_line(error)}") from None
    names = [str(name) for name, geometry in listed if geometry is not None and str(name) not in INTERNAL_TABLES]
    if not names:
        raise InputError(f"{path.name} contains no spatial layers.")
    return names


def read_vector(path: Path, layer: str | None, kind: str | None, columns: dict | None, crs) -> tuple[gpd.GeoDataFrame, LoadReport]:
    """Read one layer of a vector file as WGS84, repairing what can be repaired and reporting the rest."""
    _check_shapefile_parts(path)
    source = f"{path}" + (f"#{layer}" if layer else "")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            gdf = pyogrio.read_dataframe(gdal_path(path), layer=layer)
    except pyogrio.errors.DataLayerError as error:
        raise InputError(f"{path.name} has no layer {layer!r}: {_first_line(error)}") from None
    except pyogrio.errors.DataSourceError as error:
        raise InputError(f"{path.name} is not a readable {_format_name(path)} (corrupt or not that format): {_first_line(error)}") from None
    if len(gdf) == 0:
        raise InputError(f"{path.name}{' layer ' + layer if layer else ''} has no features: there is nothing to load.")
    report = LoadReport(source, rows_read=len(gdf))
    rows = np.arange(1, len(gdf) + 1)

    gdf = _in_wgs84(gdf, path, crs, report)
    kind = kind or guess_vector_kind(gdf, layer or path.stem)
    report.kind = kind
    gdf, rows = _drop_empty(gdf, rows, report)
    gdf, rows = _drop_wrong_family(gdf, rows, kind, report)
    gdf = _repair(gdf, rows, report)

    mapping = detect_columns([c for c in gdf.columns if c != gdf.geometry.name], ROLES_BY_KIND[kind], columns)
    report.columns = mapping
    gdf = gdf.rename(columns={src: role for role, src in mapping.items() if src != role and role not in gdf.columns})
    if kind == "incidents" and "occurred_at" in gdf:
        gdf, rows = _parse_times(gdf, rows, report)
    report.warnings.extend(normalise_values(kind, gdf))
    return gdf.reset_index(drop=True), report


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


def _in_wgs84(gdf: gpd.GeoDataFrame, path: Path, crs, report: LoadReport) -> gpd.GeoDataFrame:
    if crs is not None:
        system = resolve_crs(crs)
        if gdf.crs is not None and system.offset is None and not gdf.crs.equals(system.crs):
            report.warnings.append(f"The file says {gdf.crs.name}; it was read as {system.name} as asked.")
    elif gdf.crs is not None:
        system = resolve_crs(gdf.crs)
    else:
        bounds = gdf.total_bounds
        if not (np.all(np.isfinite(bounds)) and valid_lonlat(bounds[[0, 2]], bounds[[1, 3]]).all()):
            raise InputError(
                f"{path.name} has no coordinate system (a shapefile without its .prj?) and its coordinates are not "
                "longitude/latitude: pass one with --crs, for example --crs EPSG:4544."
            )
        report.warnings.append(f"{path.name} has no coordinate system (missing .prj?); its degrees were read as WGS84.")
        system = resolve_crs("EPSG:4326")
    report.crs = system.text if system.offset is None else system.name
    if system.offset is None and system.crs.equals(WGS84):
        return gdf.set_crs(WGS84, allow_override=True)
    geometry = shapely.transform(gdf.geometry.values, lambda xy: np.column_stack(to_wgs84_lonlat(xy[:, 0], xy[:, 1], system)))
    return gdf.set_geometry(gpd.GeoSeries(geometry, index=gdf.index, crs=WGS84))


def _drop_empty(gdf, rows, report):
    empty = (gdf.geometry.isna() | gdf.geometry.is_empty).to_numpy()
    report.reject(rows[empty], "no geometry")
    return gdf[~empty], rows[~empty]


def _drop_wrong_family(gdf, rows, kind, report):
    family = KINDS[kind].geometry
    if family == "any":
        return gdf, rows
    types = gdf.geometry.geom_type.to_numpy()
    wrong = ~np.isin(types, list(GEOMETRY_TYPES[family]))
    for row, geom_type in zip(rows[wrong], types[wrong]):
        report.reject([row], f"a {geom_type} cannot be part of a {kind} layer, which holds {family}s")
    return gdf[~wrong], rows[~wrong]


def _repair(gdf, rows, report):
    invalid = ~gdf.geometry.is_valid.to_numpy()
    if not invalid.any():
        return gdf
    reasons = shapely.is_valid_reason(gdf.geometry.values[invalid])
    repaired = shapely.make_valid(gdf.geometry.values[invalid], method="structure", keep_collapsed=False)
    for row, reason in zip(rows[invalid], reasons):
        report.correct([row], f"invalid geometry repaired ({reason})")
    gdf = gdf.copy()
    gdf.loc[invalid, gdf.geometry.name] = repaired
    report.warnings.append(f"{int(invalid.sum())} invalid geometries (e.g. self-intersecting polygons) were repaired.")
    return gdf


def _parse_times(gdf, rows, report):
    times, bad = parse_datetimes(gdf["occurred_at"])
    for row, value in zip(rows[bad], gdf["occurred_at"].to_numpy()[bad]):
        report.reject([row], f"unreadable or impossible date {str(value)!r}")
    gdf = gdf[~bad].copy()
    gdf["occurred_at"] = times[~bad].to_numpy()
    return gdf, rows[~bad]


def _format_name(path: Path) -> str:
    return {".gpkg": "GeoPackage", ".geojson": "GeoJSON", ".json": "GeoJSON", ".shp": "shapefile", ".zip": "zipped shapefile"}.get(
        path.suffix.lower(), "vector file"
    )


def _first_line(error: Exception) -> str:
    """GDAL's message, cut to its last clause: users need the gist, not the SQL it ran."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    text = text.split("; ")[0]
    return text.rsplit(": ", 1)[-1] if len(text) > 100 else text
