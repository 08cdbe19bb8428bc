"""Reprojection that is fast for point layers.

GeoDataFrame.to_crs goes through shapely's per-coordinate transform; for a
point layer it is several times faster to transform the coordinate arrays
with one pyproj call and rebuild the points from a ragged array.
"""

from __future__ import annotations

import functools
import threading

import geopandas as gpd
import numpy as np
import pyproj
import shapely


def transformer(source: pyproj.CRS, target: pyproj.CRS) -> pyproj.Transformer:
    """A cached transformer for this thread.

    pyproj transformers belong to the PROJ context of the thread that built
    them and must not be used from another (the GUI runs analyses in worker
    threads), so the cache is keyed by thread as well.
    """
    return _transformer(source, target, threading.get_ident())


@functools.lru_cache(maxsize=64)
def _transformer(source: pyproj.CRS, target: pyproj.CRS, thread: int) -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(source, target, always_xy=True)


def point_coordinates(gdf: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """x and y of a point layer as float arrays (NaN for empty points)."""
    coords = shapely.get_coordinates(gdf.geometry.values)
    if len(coords) != len(gdf):  # empty points carry no coordinates
        x = gdf.geometry.x.to_numpy(dtype=float)
        y = gdf.geometry.y.to_numpy(dtype=float)
        return x, y
    return coords[:, 0].copy(), coords[:, 1].copy()


def is_point_layer(gdf: gpd.GeoDataFrame) -> bool:
    types = shapely.get_type_id(gdf.geometry.values)
    return len(types) > 0 and bool(np.all(types == shapely.GeometryType.POINT))


def reproject(gdf: gpd.GeoDataFrame, target) -> gpd.GeoDataFrame:
    """``gdf`` in ``target`` CRS (a copy; the input is not changed)."""
    target = pyproj.CRS.from_user_input(target)
    if gdf.crs is None:
        raise ValueError("cannot reproject a layer that has no CRS")
    if gdf.crs.equals(target):
        return gdf
    if not is_point_layer(gdf):
        return gdf.to_crs(target)
    x, y = point_coordinates(gdf)
    tx, ty = transformer(gdf.crs, target).transform(x, y)
    points = shapely.from_ragged_array(shapely.GeometryType.POINT, np.column_stack([tx, ty]))
    return gdf.set_geometry(gpd.GeoSeries(points, index=gdf.index, crs=target))


def output_crs(lon: np.ndarray, lat: np.ndarray, to_crs) -> pyproj.CRS:
    """The CRS a reader should produce: WGS84 when ``to_crs`` is None, the analysis CRS of
    the data's centre for ``"auto"``, else whatever ``to_crs`` names."""
    from .crs import WGS84, choose_analysis_crs, resolve_crs

    if to_crs is None:
        return WGS84
    if isinstance(to_crs, str) and to_crs.strip().lower() == "auto":
        return choose_analysis_crs(lon, lat)
    return resolve_crs(to_crs).crs
