"""One rule for a value that falls exactly on an edge: fishnet cells, distance bands, time bands.

gisapp's conventions (METHODS.md, "Edges"):

- **Cells are half-open.** A point exactly on the edge shared by two fishnet
  cells belongs to the cell east (north) of it: cell ``k`` covers
  ``[x0 + k s, x0 + (k + 1) s)``. The outer east (north) edge of the fishnet
  joins the last cell, so every point inside the bounds is counted.
- **Bands are closed above.** A distance (or a time difference) ``d`` belongs
  to band ``i`` when ``e[i-1] < d <= e[i]``, the Near Repeat Calculator's rule
  (Ratcliffe 2009); a neighbour exactly at the distance band of Gi*, Moran's I
  or a weights matrix is a neighbour.

Coordinates that went through a coordinate transformation (or a text file)
come back a few nanometres off an exact edge, and a distance computed from
them a few nanometres off a band edge. Without a tolerance such a point or
pair is binned by the rounding error, that is at random. So every edge gets
the same relative tolerance, :data:`EDGE_TOLERANCE`: a value within
``EDGE_TOLERANCE`` times the band edge (distances, times) or the cell size
(cells) below an edge counts as on it. 1e-9 is 1 µm per km: far below any
real measurement, far above double rounding (about 1e-16 relative) and the
1e-9 m that a round trip through longitude/latitude moves a point.
"""

from __future__ import annotations

import numpy as np

#: Relative tolerance on every edge: band edges (distance, time) and fishnet cell edges (relative to the cell size).
EDGE_TOLERANCE = 1e-9


def inclusive(edge: float) -> float:
    """The largest value still counted as ``<= edge`` (the edge plus its tolerance)."""
    return float(edge) * (1.0 + EDGE_TOLERANCE)


def band_index(values, edges) -> np.ndarray:
    """Band of each value: ``i`` when ``edges[i-1] < v <= edges[i]``, ``len(edges)`` above the last edge.

    ``edges`` increase; the first band starts at minus infinity (a leading 0
    edge makes a band of exactly 0, the Near Repeat Calculator's "same
    location").
    """
    edges = np.asarray(edges, dtype=np.float64)
    return np.searchsorted(edges * (1.0 + EDGE_TOLERANCE), np.asarray(values, dtype=np.float64), side="left")


def cell_index(values, origin: float, size: float, count: int) -> np.ndarray:
    """Half-open cell index along one axis (east/north of an edge), ``-1`` for non-finite values.

    Values outside the ``count`` cells get indices ``< 0`` or ``>= count``;
    the outer edge ``origin + count * size`` joins the last cell.
    """
    v = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(v)
    idx = np.full(v.shape, -1, dtype=np.int64)
    position = (v[finite] - origin) / size
    idx[finite] = np.floor(position + EDGE_TOLERANCE).astype(np.int64)
    on_outer_edge = np.zeros(v.shape, dtype=bool)
    on_outer_edge[finite] = (idx[finite] == count) & (position <= count + EDGE_TOLERANCE)
    idx[on_outer_edge] = count - 1
    return idx
