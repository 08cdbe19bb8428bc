"""Spatial weights between analysis units: distance band, k nearest neighbours, contiguity.

All are binary sparse matrices without the diagonal; a statistic adds the
focal unit itself where its definition asks for it (Gi*).
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np

from gisapp.analysis.core.aggregation import CellCounts
from gisapp.analysis.stats.gistar import BAND_TOLERANCE
from gisapp.layers.errors import InputError

CONTIGUITIES = ("queen", "rook")
def band_weights(x, y, band: float) :
    """Binary symmetric weights: pairs of points within ``band`` (inclusive), no diagonal."""
    from scipy import sparse
    from scipy.spatial import cKDTree

    xy = np.column_stack([x, y])
    pairs = cKDTree(xy).query_pairs(band * (1.0 + BAND_TOLERANCE), output_type="ndarray")
    n = len(xy)
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    return sparse.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, n))


def knn_weights(x, y, k: int) :
    """Binary k-nearest-neighbour weights (row i: its k nearest others; not symmetric).

    Ties at the k-th distance are broken by the k-d tree, as in
    ``libpysal.weights.KNN``; on a regular lattice many neighbours tie, so a
    distance band is the better choice there.
    """
    from scipy import sparse
    from scipy.spatial import cKDTree

    xy = np.column_stack([x, y])
    n = len(xy)
    if not 1 <= k < n:
        raise InputError(f"k must be between 1 and the number of units minus one ({n - 1}), got {k}.")
    _, idx = cKDTree(xy).query(xy, k=k + 1)
    is_self = idx == np.arange(n)[:, None]
    # A duplicate location can push the unit itself out of its own list; then drop the farthest.
    is_self[~is_self.any(axis=1), -1] = True
    cols = idx[~is_self].reshape(n, k)
    rows = np.repeat(np.arange(n), k)
    return sparse.csr_matrix((np.ones(n * k), (rows, cols.ravel())), shape=(n, n))


def contiguity_weights(polygons: gpd.GeoDataFrame, kind: str) :
    """Queen (shared vertex) or rook (shared edge) contiguity from libpysal, positional order."""
    from libpysal import weights as lps  # slow import; only contiguity needs it
    from scipy import sparse

    builder = {"queen": lps.Queen, "rook": lps.Rook}[kind]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands and disconnected components are reported by us
        w = builder.from_dataframe(polygons.reset_index(drop=True), use_index=False, silence_warnings=True)
    return sparse.csr_matrix(w.sparse)


def unit_centres(counts: CellCounts) -> tuple[np.ndarray, np.ndarray]:
    if counts.lattice is not None:
        return counts.lattice.centres(counts.cells["row"].to_numpy(), counts.cells["col"].to_numpy())
    centroids = counts.cells.geometry.centroid  # ArcGIS measures polygon distances between centroids
    return centroids.x.to_numpy(), centroids.y.to_numpy()


def unit_weights(counts: CellCounts, band: float | None = None, k: int | None = None, contiguity: str | None = None):
    """Binary weights (no diagonal) between the kept units, for band, k-NN or contiguity; also names the route."""
    if contiguity is not None:
        return contiguity_weights(counts.cells, contiguity), f"{contiguity} contiguity"
    x, y = unit_centres(counts)
    if k is not None:
        return knn_weights(x, y, int(k)), f"{int(k)} nearest neighbours"
    weights = band_weights(x, y, band)
    if weights.nnz == 0:
        raise InputError(f"No two units are within the distance band of {band:g} m, so none has a neighbour; use a larger band.")
    return weights, "distance band"
