"""Reprojection that is fast for point layers.

GeoDataFrame.to_crs goes through shapely's per-coordinate transform; for a
point layer it is several times faster to transform the coordinate arrays
with one pyproj call and rebuild the points from a ragged array.
"""

from __future__ import annotations

import contextlib
import gc
import time

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from .background import in_background
from .transformers import transformer


def transform_xy(source: pyproj.CRS, target: pyproj.CRS, x: np.ndarray, y: np.ndarray, split_at: int = 200_000):
    """Transform coordinate arrays from ``source`` to ``target`` (new arrays; the inputs are kept).

    PROJ lets go of the GIL, so a long run is split: half on a fresh thread,
    half on this one, which on two cores takes a little over half the time.
    """
    x, y = np.array(x, dtype=float), np.array(y, dtype=float)
    if len(x) < split_at:
        return transformer(source, target).transform(x, y, inplace=True)
    half = len(x) // 2

    def first_half():
        return transformer(source, target).transform(x[:half], y[:half], inplace=True)

    first = in_background(first_half)
    transformer(source, target).transform(x[half:], y[half:], inplace=True)
    first.result()
    return x, y


def make_points(x: np.ndarray, y: np.ndarray, step: int = 2_000, share_gil: bool = True) -> np.ndarray:
    """shapely points from coordinate arrays, built a slice at a time with the collector paused.

    Building points holds the GIL. With ``share_gil``, between slices the GIL
    is let go (``time.sleep(0)``) so that a thread decoding text columns can
    take it for its next step, instead of waiting a whole switch interval each
    time; that thread then keeps the second core busy while the points are
    built. With no such thread there is nothing to share, and the pauses only
    cost (0.1 s for 500,000 points). Small slices are also faster (the
    coordinates stay in cache).
    """
    coords = np.column_stack([x, y])
    out = np.empty(len(coords), dtype=object)
    with collector_paused():
        for start in range(0, len(coords), step):
            shapely.points(coords[start : start + step], out=out[start : start + step])
            if share_gil:
                time.sleep(0)
    return out


@contextlib.contextmanager
def collector_paused():
    """Pause Python's cyclic garbage collector while a million geometries are made.

    shapely geometries are tracked by the collector, and each 700 new ones
    start a collection that walks the young objects, and now and then all of
    them: half the cost of building a million points. Points hold no
    references, so they make no cycles and no garbage is missed; one pass
    over them (about 0.03 s for a million) happens at the next collection.
    The switch is process-wide, so it is only turned back on if it was on.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
    from .crs import is_local

    if is_local(gdf.crs) or is_local(target):
        from .errors import InputError

        raise InputError(
            f"Positions in local metres (not georeferenced) cannot be converted to or from {target.name if is_local(gdf.crs) else gdf.crs.name}: "
            "give the data's real coordinate system with --input-crs, or keep every layer in local metres."
        )
    if not is_point_layer(gdf):
        return gdf.to_crs(target)
    x, y = point_coordinates(gdf)
    tx, ty = transform_xy(gdf.crs, target, x, y)
    with collector_paused():
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
