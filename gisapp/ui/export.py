"""Write selected features to CSV or GeoPackage (no Qt; the attribute table calls it).

CSV gets UTF-8 with a byte-order mark, which Excel on Chinese Windows opens
without garbling, and points get longitude/latitude columns (WGS84) that police
systems re-import; other geometries are written as WKT.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pyogrio
import shapely

from gisapp.layers.errors import InputError
from gisapp.layers.io.safe_cells import write_csv
from gisapp.layers.reproject import is_point_layer, point_coordinates, reproject

EXPORT_SUFFIXES = (".csv", ".gpkg")


def export_rows(data, rows, path) -> Path:
    """Write ``data.iloc[rows]`` to ``path`` (.csv or .gpkg); return the path.

    Raises
    ------
    InputError
        Unknown suffix, nothing selected, or the file cannot be written.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in EXPORT_SUFFIXES:
        raise InputError(f"Export writes .csv or .gpkg files, not {suffix or 'files without an extension'}.")
    rows = np.asarray(rows, dtype=np.int64)
    if rows.size == 0:
        raise InputError("Nothing is selected: select features on the map or in the table first.")
    part = data.iloc[rows]
    try:
        if suffix == ".csv":
            _write_csv(part, path)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                pyogrio.write_dataframe(part, path, layer=path.stem, driver="GPKG")
    except (OSError, pyogrio.errors.DataSourceError) as error:
        raise InputError(f"Cannot write {path.name}: {getattr(error, 'strerror', None) or error}.") from None
    return path


def _write_csv(part, path: Path) -> None:
    table = part.drop(columns=part.geometry.name)
    if len(part) and part.crs is not None and is_point_layer(part):
        lonlat = reproject(part, 4326)
        lon, lat = point_coordinates(lonlat)
        table = table.assign(lon=np.round(lon, 7), lat=np.round(lat, 7))
    else:
        table = table.assign(geometry_wkt=shapely.to_wkt(part.geometry.values, rounding_precision=7))
    write_csv(table, path)  # formulas from the data neutralised (OWASP CSV injection)
