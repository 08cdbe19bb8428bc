"""Build QPainterPaths and QPolygonFs from numpy arrays in one call, not one Python call per vertex.

A QPainterPath is deserialised from the byte layout ``QDataStream`` uses for
it (element count; then type, x, y per element; then the current subpath start
and the fill rule, big-endian) -- the technique pyqtgraph's ``arrayToQPath``
uses. Rings and line parts become MoveTo + LineTo runs; polygons use the
odd-even fill rule so holes stay empty.
"""

from __future__ import annotations

import numpy as np
import shapely
from PyQt6.QtCore import QByteArray, QDataStream, QIODevice
from PyQt6.QtGui import QPainterPath, QPolygonF

_ELEMENT = np.dtype([("type", ">i4"), ("x", ">f8"), ("y", ">f8")])
_MOVE_TO, _LINE_TO = 0, 1
_ODD_EVEN, _WINDING = 0, 1


def path_from_runs(xy: np.ndarray, starts: np.ndarray, fill_odd_even: bool = True) -> QPainterPath:
    """A path of polylines: vertices ``xy`` (n x 2); ``starts`` marks the first vertex of each run."""
    path = QPainterPath()
    n = len(xy)
    if n == 0:
        return path
    buffer = np.empty(n, dtype=_ELEMENT)
    buffer["type"] = _LINE_TO
    buffer["type"][starts] = _MOVE_TO
    buffer["x"] = xy[:, 0]
    buffer["y"] = xy[:, 1]
    last_start = int(np.flatnonzero(starts)[-1]) if starts.any() else 0
    header = np.array([n], dtype=">i4").tobytes()
    footer = np.array([last_start, _ODD_EVEN if fill_odd_even else _WINDING], dtype=">i4").tobytes()
    data = QByteArray(header + buffer.tobytes() + footer)  # must outlive the stream reading it
    stream = QDataStream(data, QIODevice.OpenModeFlag.ReadOnly)
    stream >> path
    del stream
    return path


def path_from_geometries(geoms) -> QPainterPath:
    """One path holding every ring or line part of ``geoms`` (shapely array, any family)."""
    geoms = np.asarray(geoms, dtype=object)
    if geoms.size == 0:
        return QPainterPath()
    parts = shapely.get_parts(geoms)
    polygons = shapely.get_type_id(parts) == shapely.GeometryType.POLYGON
    pieces = []
    if polygons.any():
        pieces.append(shapely.get_rings(parts[polygons]))
    if (~polygons).any():
        pieces.append(parts[~polygons])
    runs = np.concatenate(pieces) if len(pieces) > 1 else pieces[0]
    coords, index = shapely.get_coordinates(runs, return_index=True)
    if coords.size == 0:
        return QPainterPath()
    finite = np.isfinite(coords).all(axis=1)
    coords, index = coords[finite], index[finite]
    starts = np.ones(len(index), dtype=bool)
    starts[1:] = index[1:] != index[:-1]
    return path_from_runs(coords, starts)


def polygon_from_xy(x: np.ndarray, y: np.ndarray) -> QPolygonF:
    """A QPolygonF filled from arrays through its memory, without a QPointF per vertex."""
    n = len(x)
    polygon = QPolygonF()
    polygon.resize(n)
    if n:
        pointer = polygon.data()
        pointer.setsize(n * 16)
        view = np.frombuffer(pointer, dtype=np.float64).reshape(n, 2)
        view[:, 0] = x
        view[:, 1] = y
    return polygon
