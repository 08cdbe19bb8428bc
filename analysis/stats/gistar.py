"""Getis-Ord Gi* hot and cold spots of incident counts.

The statistic (Getis & Ord 1992; Ord & Getis 1995) compares the sum of the
values in each unit's neighbourhood, *including the unit itself* (the "star"),
with the sum expected if values were spread at random. With binary weights,

    z_i = (S_i - xbar * W_i) / (s * sqrt((N * W_i - W_i**2) / (N - 1)))

where ``S_i`` is the sum of x_j over the neighbourhood of i (i included),
``W_i`` the number of units in it, ``xbar`` and ``s`` the mean and the
*population* standard deviation (ddof=0) of all N values. This is exactly
``esda.G_Local(y, w, star=True, transform="B").Zs`` for binary ``w`` (esda
sets the focal weight to 1 when the diagonal is empty) and the z-score ArcGIS
"Hot Spot Analysis (Getis-Ord Gi*)" writes as ``GiZScore`` (for a positive
mean; esda divides by |mean|, so its sign flips when the mean is negative).

Inference and bins follow ArcGIS (see :func:`gi_bins`): a two-sided normal
p-value, ``gi_bin`` in -3..3 for 99/95/90 % confidence, and an optional False
Discovery Rate correction that changes only ``gi_bin``.

Units that have no neighbour but themselves ("islands") get ``z = NaN`` and
``gi_bin = 0``: their Gi* reduces to the univariate score (x_i - xbar)/s (which
esda reports), a statement about the value, not about a cluster. Units whose
neighbourhood is the whole study area (W_i = N) have a zero variance and also
get ``NaN``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gisapp.analysis.core.edges import EDGE_TOLERANCE
from gisapp.layers.errors import AnalysisError, InputError

#: Relative slack when comparing a distance with the band: a neighbour exactly at
#: the band distance is included whatever the rounding of the coordinates (the one edge rule,
#: :mod:`gisapp.analysis.core.edges`).
BAND_TOLERANCE = EDGE_TOLERANCE
#: Footprints up to this many cells are summed directly; larger ones by FFT.
DIRECT_CONVOLUTION_TAPS = 64
@dataclass(frozen=True)
class GiStar:
    """Gi* of every unit.

    Attributes
    ----------
    z : ndarray
        Gi* z-scores; NaN for islands, for units whose neighbourhood is the
        whole area, and (lattice) for cells outside the mask.
    local_sum : ndarray
        S_i, the sum of values over the neighbourhood, the unit included.
    neighbours : ndarray
        W_i, the number of units in the neighbourhood, the unit included.
    mean, sd : float
        Mean and population standard deviation of the N values.
    n : int
        Number of units N.
    """

    z: np.ndarray
    local_sum: np.ndarray
    neighbours: np.ndarray
    mean: float
    sd: float
    n: int


def moments(values: np.ndarray) -> tuple[float, float]:
    """Mean and population SD; a constant variable cannot be tested."""
    if values.size < 2 or np.ptp(values) == 0:
        raise AnalysisError(
            "Every cell has the same value, so there is no variation to test "
            "(zero variance); use a smaller cell size or more incidents."
        )
    return float(values.mean()), float(values.std())


def gi_z_from_sums(local_sum, neighbours, mean: float, sd: float, n: int) -> np.ndarray:
    """Gi* z from neighbourhood sums S_i and sizes W_i (see the module formula); NaN where untestable."""
    w = np.asarray(neighbours, dtype=np.float64)
    testable = (w > 1) & (w < n)  # island: W_i = 1; whole area: W_i = N (zero variance)
    w_t = np.where(testable, w, 2.0)  # placeholder keeps the square root finite
    z = (local_sum - mean * w_t) / (sd * np.sqrt((n * w_t - w_t * w_t) / (n - 1)))
    return np.where(testable, z, np.nan)


def finite_values(values) -> np.ndarray:
    y = np.asarray(values, dtype=np.float64).ravel()
    if not np.isfinite(y).all():
        raise InputError(f"{int((~np.isfinite(y)).sum())} values are missing or infinite; Gi* needs a number for every unit.")
    return y


def _binary_without_diagonal(weights, n: int):
    """Binary CSR weights with the diagonal removed (the focal unit is added explicitly)."""
    from scipy import sparse

    w = sparse.csr_matrix(weights)
    if w.shape != (n, n):
        raise InputError(f"The weights matrix is {w.shape[0]}x{w.shape[1]} but there are {n} values.")
    w.sum_duplicates()
    coo = w.tocoo()
    keep = (coo.data != 0) & (coo.row != coo.col)
    ones = np.ones(int(keep.sum()))
    return sparse.csr_matrix((ones, (coo.row[keep], coo.col[keep])), shape=(n, n))


def gi_star(values, weights) -> GiStar:
    """Getis-Ord Gi* with binary weights and the focal unit included.

    Parameters
    ----------
    values : array_like, shape (N,)
        Value of every unit (incident count or summed weight).
    weights : sparse matrix, shape (N, N)
        Neighbours of row i are its non-zero columns; values are ignored
        (binary weights) and the diagonal is set to 1, as ``esda.G_Local``
        does for ``star=True, transform="B"``. Rows may be asymmetric (k-NN).

    Returns
    -------
    GiStar
        ``z`` equals ``esda.G_Local(values, w, star=True, transform="B").Zs``
        for the same neighbours (to rounding), except for islands (NaN here).

    References
    ----------
    Getis, A. & Ord, J. K. (1992). The analysis of spatial association by use
    of distance statistics. Geographical Analysis 24(3), 189-206.
    Ord, J. K. & Getis, A. (1995). Local spatial autocorrelation statistics:
    distributional issues and an application. Geographical Analysis 27(4), 286-306.
    """
    y = finite_values(values)
    mean, sd = moments(y)
    w = _binary_without_diagonal(weights, y.size)
    local_sum = w @ y + y
    neighbours = np.asarray(w.sum(axis=1)).ravel() + 1.0
    z = gi_z_from_sums(local_sum, neighbours, mean, sd, y.size)
    return GiStar(z, local_sum, neighbours.astype(np.int64), mean, sd, y.size)


def disc_footprint(cell_size: float, band: float) -> np.ndarray:
    """Boolean footprint of the cells whose centre lies within ``band`` of the focal centre.

    Offsets are compared in whole cells, so the footprint is exact; a cell at
    exactly the band distance is included (with :data:`BAND_TOLERANCE`).
    """
    radius = band * (1.0 + BAND_TOLERANCE) / cell_size
    reach = int(math.floor(radius))
    d = np.arange(-reach, reach + 1)
    return d[:, None] ** 2 + d[None, :] ** 2 <= radius * radius


def window_sums(raster: np.ndarray, footprint: np.ndarray, integer: bool) -> np.ndarray:
    """Sum of ``raster`` over ``footprint`` around every cell, zero outside the raster.

    Small footprints: a direct sum of shifted copies (exact for integers,
    ordinary float rounding otherwise; with numpy alone, so the common case
    loads no scipy module and the command starts sooner). Large footprints: FFT
    (``scipy.signal.fftconvolve``), O(N log N) instead of O(N * taps); its
    error is ~1e-12 of the raster total, so integer sums are rounded back to
    exact integers. The footprint is symmetric, so convolution = correlation.
    """
    if footprint.sum() <= DIRECT_CONVOLUTION_TAPS:
        return _shifted_sums(np.asarray(raster, dtype=np.float64), footprint)
    from scipy import fft  # light, unlike scipy.signal (0.8 s to import)

    height, width = raster.shape
    shape = padded_shape(height, width, footprint.shape[0] // 2)
    sums = fft.irfft2(fft.rfft2(raster, shape) * footprint_transfer(footprint, shape), shape)[:height, :width]
    return np.rint(sums) if integer else sums


def padded_shape(height: int, width: int, reach: int) -> tuple[int, int]:
    """A fast FFT size with room for ``reach`` cells of padding, so circular convolution equals linear inside the raster."""
    from scipy import fft

    return fft.next_fast_len(height + reach, real=True), fft.next_fast_len(width + reach, real=True)


def footprint_transfer(footprint: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The real FFT of a (symmetric, odd-sized) footprint centred on the origin of a ``shape`` grid, wrapped."""
    from scipy import fft

    k = footprint.shape[0] // 2
    kernel = np.zeros(shape)
    offsets = np.arange(-k, k + 1)
    kernel[np.ix_(offsets % shape[0], offsets % shape[1])] = footprint
    return fft.rfft2(kernel)


def _shifted_sums(raster: np.ndarray, footprint: np.ndarray) -> np.ndarray:
    """Sum over the (odd-sized, centred) footprint of every cell, zero outside: one shifted add per tap."""
    rows, cols = raster.shape
    half_r, half_c = footprint.shape[0] // 2, footprint.shape[1] // 2
    out = np.zeros_like(raster)
    for dr, dc in zip(*np.nonzero(footprint)):
        dr, dc = int(dr) - half_r, int(dc) - half_c
        out[max(0, -dr): rows - max(0, dr), max(0, -dc): cols - max(0, dc)] += \
            raster[max(0, dr): rows - max(0, -dr), max(0, dc): cols - max(0, -dc)]
    return out


def gi_star_lattice(count_raster, cell_size: float, band: float, mask=None) -> GiStar:
    """Gi* on a regular square lattice with a fixed distance band, by convolution.

    ``S_i`` is the window sum of the values over the disc footprint (see
    :func:`disc_footprint`) and ``W_i`` the window sum of the mask of analysed
    cells, so edge cells and cells next to trimmed ones have fewer neighbours,
    exactly as ``libpysal.weights.DistanceBand`` on the centroids of the
    analysed cells gives them.

    Parameters
    ----------
    count_raster : array_like, shape (rows, cols)
        Values of the cells; cells outside ``mask`` are ignored.
    cell_size : float
    band : float
        Distance band in metres; must reach at least the adjacent cells.
    mask : array_like of bool, optional
        Analysed cells (for example the non-empty cells of a trimmed fishnet);
        all cells by default.

    Returns
    -------
    GiStar
        Arrays shaped like the raster; ``z`` is NaN outside the mask. Equal to
        :func:`gi_star` on DistanceBand weights over the masked cells' centres.
    """
    values = np.asarray(count_raster, dtype=np.float64)
    mask = np.ones(values.shape, dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    footprint = disc_footprint(cell_size, band)
    if footprint.sum() == 1:
        raise InputError(band_too_short(band, cell_size))
    kept = finite_values(values[mask])
    mean, sd = moments(kept)
    masked = np.where(mask, values, 0.0)
    integer = bool(np.all(masked == np.rint(masked)))
    local_sum = window_sums(masked, footprint, integer)
    neighbours = window_sums(mask.astype(np.float64), footprint, True)
    z = gi_z_from_sums(local_sum, neighbours, mean, sd, int(mask.sum()))
    z[~mask] = np.nan
    neighbours = np.where(mask, np.rint(neighbours), 0).astype(np.int64)
    return GiStar(z, local_sum, neighbours, mean, sd, int(mask.sum()))


def band_too_short(band: float, cell_size: float) -> str:
    return (
        f"The distance band ({band:g} m) is shorter than the cell size ({cell_size:g} m), "
        "so no cell has a neighbour; use a band of at least one cell."
    )
