"""Reprojection with cached transformers.

Building a pyproj transformer between WGS84/CGCS2000 lon/lat and a Gauss-Krüger
zone takes about 0.15 s (PROJ searches its database for the datum change),
more than reprojecting 100,000 points. ``GeoDataFrame.to_crs`` builds a new
one on every call, so every layer of a briefing would pay it again; here one
transformer per pair of systems serves every layer.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pyproj
import shapely

from gisapp.layers.reproject import is_point_layer, reproject
from gisapp.layers.transformers import transformer


def to_crs(frame: gpd.GeoDataFrame, crs) -> gpd.GeoDataFrame:
    """``frame`` in ``crs`` (the same object when it is already there)."""
    target = pyproj.CRS.from_user_input(crs)
    if frame.crs is None:
        raise ValueError("cannot reproject a layer that has no CRS")
    if frame.crs.equals(target) or not len(frame):
        return frame if frame.crs.equals(target) else frame.set_crs(target, allow_override=True)
    if is_point_layer(frame):
        return reproject(frame, target)
    convert = transformer(pyproj.CRS(frame.crs), target)
    geometries = shapely.transform(frame.geometry.values, lambda xy: np.column_stack(convert.transform(xy[:, 0], xy[:, 1])))
    return frame.set_geometry(gpd.GeoSeries(geometries, index=frame.index, crs=target))


def xy_to(frame: gpd.GeoDataFrame, crs) -> tuple[np.ndarray, np.ndarray]:
    """Coordinates of a point layer in ``crs``, without building new point objects."""
    coords = shapely.get_coordinates(frame.geometry.values)
    if len(coords) != len(frame):  # empty points: go the slow, exact way
        x, y = frame.geometry.x.to_numpy(float), frame.geometry.y.to_numpy(float)
    else:
        x, y = coords[:, 0], coords[:, 1]
    target = pyproj.CRS.from_user_input(crs)
    if frame.crs.equals(target):
        return x, y
    return transformer(pyproj.CRS(frame.crs), target).transform(x, y)
