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
import warnings
from dataclasses import asdict, dataclass

import geopandas as gpd
import numpy as np
from scipy import ndimage, sparse
from scipy.special import erfc

from analysis.aggregation import (
    AggregationParams,
    CellCounts,
    aggregate_incidents,
    require_metric_crs,
    with_result_columns,
)
from analysis.result import AnalysisResult, report
from layers.errors import AnalysisError, InputError

#: Fewer incidents than this cannot support a Gi* analysis (ArcGIS Optimized Hot Spot Analysis minimum).
MIN_INCIDENTS = 30
#: Relative slack when comparing a distance with the band: a neighbour exactly at
#: the band distance is included whatever the rounding of the coordinates.
BAND_TOLERANCE = 1e-9
#: Footprints up to this many cells are summed directly; larger ones by FFT.
DIRECT_CONVOLUTION_TAPS = 64
#: Simulated sums within this relative distance of the observed sum count as ties.
PERMUTATION_TIE_TOLERANCE = 1e-9
#: Simulated values held in memory at once during permutation inference.
PERMUTATION_CHUNK_VALUES = 2_000_000
CONTIGUITIES = ("queen", "rook")


@dataclass
class GiStarParams:
    """How neighbourhoods are defined and significance judged.

    Parameters
    ----------
    band : float, optional
        Fixed distance band in metres between cell centres (polygon centroids);
        a neighbour exactly at the band distance is included.
    k : int, optional
        Number of nearest neighbours (besides the unit itself).
    contiguity : {"queen", "rook"}, optional
        Shared-border neighbours; polygon aggregation only.
    permutations : int
        Conditional permutations for ``gi_p_sim`` (0 = none).
    seed : int
        Seed of the permutation generator; the same seed gives the same ``gi_p_sim``.
    fdr : bool
        Apply the False Discovery Rate correction to ``gi_bin`` (see :func:`gi_bins`).
    alpha_levels : tuple of float
        Significance levels of bins 1, 2, 3 (largest alpha first).

    Exactly one of ``band``, ``k`` and ``contiguity`` must be given.
    """

    band: float | None = None
    k: int | None = None
    contiguity: str | None = None
    permutations: int = 0
    seed: int = 12345
    fdr: bool = True
    alpha_levels: tuple = (0.10, 0.05, 0.01)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["alpha_levels"] = [float(a) for a in self.alpha_levels]
        return out


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


# --------------------------------------------------------------------------- the statistic


def _moments(values: np.ndarray) -> tuple[float, float]:
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


def _finite_values(values) -> np.ndarray:
    y = np.asarray(values, dtype=np.float64).ravel()
    if not np.isfinite(y).all():
        raise InputError(f"{int((~np.isfinite(y)).sum())} values are missing or infinite; Gi* needs a number for every unit.")
    return y


def _binary_without_diagonal(weights, n: int) -> sparse.csr_matrix:
    """Binary CSR weights with the diagonal removed (the focal unit is added explicitly)."""
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
    y = _finite_values(values)
    mean, sd = _moments(y)
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


def _window_sums(raster: np.ndarray, footprint: np.ndarray, integer: bool) -> np.ndarray:
    """Sum of ``raster`` over ``footprint`` around every cell, zero outside the raster.

    Small footprints: ``scipy.ndimage.correlate``, a direct sum (exact for
    integers, ordinary float rounding otherwise). Large footprints: FFT
    (``scipy.signal.fftconvolve``), O(N log N) instead of O(N * taps); its
    error is ~1e-12 of the raster total, so integer sums are rounded back to
    exact integers. The footprint is symmetric, so convolution = correlation.
    """
    kernel = footprint.astype(np.float64)
    if footprint.sum() <= DIRECT_CONVOLUTION_TAPS:
        return ndimage.correlate(raster, kernel, mode="constant", cval=0.0)
    from scipy import signal  # slow to import; only needed for wide bands

    sums = signal.fftconvolve(raster, kernel, mode="same")
    return np.rint(sums) if integer else sums


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
        raise InputError(_band_too_short(band, cell_size))
    kept = _finite_values(values[mask])
    mean, sd = _moments(kept)
    masked = np.where(mask, values, 0.0)
    integer = bool(np.all(masked == np.rint(masked)))
    local_sum = _window_sums(masked, footprint, integer)
    neighbours = _window_sums(mask.astype(np.float64), footprint, True)
    z = gi_z_from_sums(local_sum, neighbours, mean, sd, int(mask.sum()))
    z[~mask] = np.nan
    neighbours = np.where(mask, np.rint(neighbours), 0).astype(np.int64)
    return GiStar(z, local_sum, neighbours, mean, sd, int(mask.sum()))


def _band_too_short(band: float, cell_size: float) -> str:
    return (
        f"The distance band ({band:g} m) is shorter than the cell size ({cell_size:g} m), "
        "so no cell has a neighbour; use a band of at least one cell."
    )


# --------------------------------------------------------------------------- inference


def gi_p_values(z) -> np.ndarray:
    """Two-sided p-value from the standard normal: ``2 * norm.sf(|z|)`` (ArcGIS ``GiPValue``).

    esda's ``p_norm`` is the one-sided value; this is twice it. NaN stays NaN.
    """
    return erfc(np.abs(np.asarray(z, dtype=np.float64)) / math.sqrt(2.0))


def bh_cutoff(p_values, alpha: float) -> float:
    """Benjamini-Hochberg p cutoff: reject every p <= the returned value.

    With m valid (non-NaN) p-values sorted ascending, k is the largest i with
    ``p_(i) <= i * alpha / m`` and the cutoff is ``k * alpha / m``; 0 when no
    such i exists (nothing is significant). This is the step-up procedure of
    Benjamini & Hochberg (1995) as applied to local statistics by Caldas de
    Castro & Singer (2006). ``esda.fdr`` returns the same cutoff, except that
    it tests ``<`` rather than ``<=`` and falls back to the Bonferroni bound
    ``alpha / m`` when nothing passes (which rejects nothing either way, bar
    a p-value exactly equal to it).
    """
    return bh_cutoffs(p_values, [alpha])[float(alpha)]


def bh_cutoffs(p_values, alphas) -> dict[float, float]:
    """:func:`bh_cutoff` for several alphas, sorting the p-values once."""
    p = np.sort(np.asarray(p_values, dtype=np.float64).ravel())
    p = p[~np.isnan(p)]
    ranks = np.arange(1, p.size + 1)
    cutoffs = {}
    for alpha in alphas:
        thresholds = ranks * float(alpha) / max(p.size, 1)
        passing = np.flatnonzero(p <= thresholds)
        cutoffs[float(alpha)] = float(thresholds[passing[-1]]) if passing.size else 0.0
    return cutoffs


def gi_bins(z, p, alpha_levels=(0.10, 0.05, 0.01), fdr: bool = True) -> np.ndarray:
    """ArcGIS ``Gi_Bin``: the confidence level reached, signed like z.

    Without FDR, bin ±3 / ±2 / ±1 means p < 0.01 / 0.05 / 0.10 (for the default
    levels). With FDR, each level is tested on its own Benjamini-Hochberg
    cutoff over all units' two-sided p-values: a unit gets level L only if
    ``p <= bh_cutoff(p, alpha_L)``. z and p are never changed. NaN p gives 0.

    References
    ----------
    Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate: a
    practical and powerful approach to multiple testing. JRSS B 57(1), 289-300.
    Caldas de Castro, M. & Singer, B. H. (2006). Controlling the false discovery
    rate: a new application to account for multiple and dependent tests in local
    statistics of spatial association. Geographical Analysis 38(2), 180-208.
    """
    p = np.asarray(p, dtype=np.float64)
    alphas = _checked_alphas(alpha_levels)
    cutoffs = bh_cutoffs(p, alphas) if fdr else {}
    bins = np.zeros(p.shape, dtype=np.int8)
    for level, alpha in enumerate(alphas, start=1):
        significant = p <= cutoffs[alpha] if fdr else p < alpha
        bins[significant] = level  # smaller alphas come later and overwrite
    return (bins * np.sign(np.nan_to_num(z))).astype(np.int8)


def _checked_alphas(alpha_levels) -> list[float]:
    alphas = sorted((float(a) for a in alpha_levels), reverse=True)
    if not alphas or len(set(alphas)) != len(alphas) or not all(0 < a < 1 for a in alphas):
        raise InputError(f"Significance levels must be distinct numbers between 0 and 1, got {alpha_levels}.")
    return alphas


def _distinct_draws(rng: np.random.Generator, n: int, m: int, rows: int) -> np.ndarray:
    """``rows`` independent uniform random orderings of ``m`` distinct indices out of ``n``.

    Floyd's algorithm, vectorised over rows (O(rows * m^2) comparisons), then a
    shuffle of each row so every prefix is itself a uniform random subset. When
    m is a large share of n a full permutation per row is cheaper.
    """
    if 4 * m >= n:
        return rng.permuted(np.tile(np.arange(n), (rows, 1)), axis=1)[:, :m]
    out = np.empty((rows, m), dtype=np.int64)
    for c, j in enumerate(range(n - m, n)):
        pick = rng.integers(0, j + 1, size=rows)
        taken = (out[:, :c] == pick[:, None]).any(axis=1)
        out[:, c] = np.where(taken, j, pick)
    return rng.permuted(out, axis=1)


def gi_permutation_p(values, local_sum, neighbours, permutations: int, seed: int, on_chunk=None) -> np.ndarray:
    """Two-sided conditional-permutation p-value of Gi* (``gi_p_sim``).

    For unit i with W_i - 1 = k neighbours besides itself, the focal value is
    held fixed and k values are drawn without replacement from the other N - 1
    units, R = ``permutations`` times (conditional randomisation, Anselin 1995;
    esda ``crand``). With M the number of simulated sums at least as extreme as
    the observed one in its own tail (ties count in both tails),

        gi_p_sim = min(1, 2 * (M + 1) / (R + 1)),

    i.e. twice esda's folded ``p_sim`` (which is one-sided: "the observed G is
    extreme"), so that it is on the same two-sided scale as ``gi_p``; with R =
    999 the smallest value is 0.002. NaN where Gi* is undefined.

    How it stays fast without numba: as in esda, the R random orderings are
    shared by all units. One (R, kmax + 1) matrix of distinct indices is drawn;
    for unit i the first k entries that are not i form its sample (removing i
    from a uniform random ordering of all N leaves a uniform random ordering of
    the others), so its simulated sums come from cumulative sums of that matrix
    in O(R) per unit. Units therefore share their random draws, which makes
    their p-values correlated but each one valid.

    Parameters
    ----------
    values, local_sum, neighbours : ndarray, shape (N,)
        Unit values, S_i and W_i from :func:`gi_star` or :func:`gi_star_lattice`.
    permutations : int
    seed : int
    on_chunk : callable, optional
        Called with the fraction of units done, so the caller can report
        progress and cancel.
    """
    y = np.asarray(values, dtype=np.float64)
    n = y.size
    others = np.asarray(neighbours, dtype=np.int64) - 1
    testable = (others >= 1) & (others <= n - 2)
    p_sim = np.full(n, np.nan)
    if not testable.any() or permutations < 1:
        return p_sim
    rng = np.random.default_rng(seed)
    draws = _distinct_draws(rng, n, int(others[testable].max()) + 1, permutations)
    prefix = np.zeros((draws.shape[1] + 1, permutations))
    prefix[1:] = np.cumsum(y[draws], axis=1).T  # prefix[c, r]: sum of the first c draws of row r
    hit_cells, hit_rows = _self_hits(draws, np.where(testable, others, 0))
    tolerance = PERMUTATION_TIE_TOLERANCE * (np.abs(y).max() * np.asarray(neighbours, dtype=np.float64))
    cells = np.flatnonzero(testable)
    chunk = max(1, PERMUTATION_CHUNK_VALUES // permutations)
    for start in range(0, cells.size, chunk):
        idx = cells[start : start + chunk]
        sims = prefix[others[idx]] + y[idx, None]
        _replace_self_hits(sims, idx, hit_cells, hit_rows, prefix, others)
        p_sim[idx] = _folded_two_sided(sims, np.asarray(local_sum)[idx], tolerance[idx])
        if on_chunk is not None:
            on_chunk(min(1.0, (start + idx.size) / cells.size))
    return p_sim


def _self_hits(draws: np.ndarray, others: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cell, row) pairs where a cell drew itself among its first k draws, sorted by cell."""
    position = np.arange(draws.shape[1])[None, :]
    hit_rows, hit_cols = np.nonzero(position < others[draws])
    hit_cells = draws[hit_rows, hit_cols]
    order = np.argsort(hit_cells, kind="stable")
    return hit_cells[order], hit_rows[order]


def _replace_self_hits(sims, idx, hit_cells, hit_rows, prefix, others) -> None:
    """Where unit i drew itself, its sample is the first k + 1 draws minus i."""
    lo, hi = np.searchsorted(hit_cells, [idx[0], idx[-1] + 1])
    cells, rows = hit_cells[lo:hi], hit_rows[lo:hi]
    local = np.searchsorted(idx, cells)
    present = (local < idx.size) & (idx[np.minimum(local, idx.size - 1)] == cells)
    cells, rows, local = cells[present], rows[present], local[present]
    # first k+1 draws include i; drop it, then add the focal value i back: net prefix[k+1]
    sims[local, rows] = prefix[others[cells] + 1, rows]


def _folded_two_sided(sims: np.ndarray, observed: np.ndarray, tolerance: np.ndarray) -> np.ndarray:
    permutations = sims.shape[1]
    upper = (sims >= (observed - tolerance)[:, None]).sum(axis=1)
    lower = (sims <= (observed + tolerance)[:, None]).sum(axis=1)
    extreme = np.minimum(upper, lower)
    return np.minimum(1.0, 2.0 * (extreme + 1) / (permutations + 1))


# --------------------------------------------------------------------------- weights


def band_weights(x, y, band: float) -> sparse.csr_matrix:
    """Binary symmetric weights: pairs of points within ``band`` (inclusive), no diagonal."""
    from scipy.spatial import cKDTree

    xy = np.column_stack([x, y])
    pairs = cKDTree(xy).query_pairs(band * (1.0 + BAND_TOLERANCE), output_type="ndarray")
    n = len(xy)
    rows = np.concatenate([pairs[:, 0], pairs[:, 1]])
    cols = np.concatenate([pairs[:, 1], pairs[:, 0]])
    return sparse.csr_matrix((np.ones(rows.size), (rows, cols)), shape=(n, n))


def knn_weights(x, y, k: int) -> sparse.csr_matrix:
    """Binary k-nearest-neighbour weights (row i: its k nearest others; not symmetric).

    Ties at the k-th distance are broken by the k-d tree, as in
    ``libpysal.weights.KNN``; on a regular lattice many neighbours tie, so a
    distance band is the better choice there.
    """
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


def contiguity_weights(polygons: gpd.GeoDataFrame, kind: str) -> sparse.csr_matrix:
    """Queen (shared vertex) or rook (shared edge) contiguity from libpysal, positional order."""
    from libpysal import weights as lps  # slow import; only contiguity needs it

    builder = {"queen": lps.Queen, "rook": lps.Rook}[kind]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # islands and disconnected components are reported by us
        w = builder.from_dataframe(polygons.reset_index(drop=True), use_index=False, silence_warnings=True)
    return sparse.csr_matrix(w.sparse)


# --------------------------------------------------------------------------- entry point


def _check_gi_params(gi: GiStarParams, aggregation: AggregationParams) -> None:
    chosen = [name for name in ("band", "k", "contiguity") if getattr(gi, name) is not None]
    if not chosen:
        raise InputError("Choose a neighbourhood: a distance band in metres, k nearest neighbours, or contiguity.")
    if len(chosen) > 1:
        raise InputError(f"Choose one neighbourhood, not {' and '.join(chosen)}.")
    if gi.band is not None and not (math.isfinite(gi.band) and gi.band > 0):
        raise InputError(f"The distance band must be a positive number of metres, got {gi.band}.")
    if gi.k is not None and (int(gi.k) != gi.k or gi.k < 1):
        raise InputError(f"k must be a positive whole number, got {gi.k}.")
    if gi.contiguity is not None:
        if gi.contiguity not in CONTIGUITIES:
            raise InputError(f"Contiguity must be 'queen' or 'rook', got '{gi.contiguity}'.")
        if aggregation.grid != "polygons":
            raise InputError("Contiguity neighbours need polygon aggregation; use a distance band for grids.")
    if int(gi.permutations) != gi.permutations or gi.permutations < 0:
        raise InputError(f"The number of permutations must be 0 or a positive whole number, got {gi.permutations}.")
    _checked_alphas(gi.alpha_levels)
    cell = aggregation.cell_size
    if gi.band is not None and aggregation.grid != "polygons" and cell and gi.band * (1 + BAND_TOLERANCE) < cell:
        raise InputError(_band_too_short(gi.band, cell))


def _unit_centres(counts: CellCounts) -> tuple[np.ndarray, np.ndarray]:
    if counts.lattice is not None:
        return counts.lattice.centres(counts.cells["row"].to_numpy(), counts.cells["col"].to_numpy())
    centroids = counts.cells.geometry.centroid  # ArcGIS measures polygon distances between centroids
    return centroids.x.to_numpy(), centroids.y.to_numpy()


def unit_weights(counts: CellCounts, band: float | None = None, k: int | None = None, contiguity: str | None = None):
    """Binary weights (no diagonal) between the kept units, for band, k-NN or contiguity; also names the route."""
    if contiguity is not None:
        return contiguity_weights(counts.cells, contiguity), f"{contiguity} contiguity"
    x, y = _unit_centres(counts)
    if k is not None:
        return knn_weights(x, y, int(k)), f"{int(k)} nearest neighbours"
    weights = band_weights(x, y, band)
    if weights.nnz == 0:
        raise InputError(f"No two units are within the distance band of {band:g} m, so none has a neighbour; use a larger band.")
    return weights, "distance band"


def _compute_gi(counts: CellCounts, gi: GiStarParams) -> tuple[GiStar, str]:
    """Gi* of the kept cells, by the fastest exact route; also names the route."""
    lattice = counts.lattice
    if lattice is not None and lattice.kind == "square" and gi.band is not None:
        full = gi_star_lattice(counts.raster, lattice.cell_size, gi.band, mask=counts.kept)
        kept = counts.kept
        stat = GiStar(full.z[kept], full.local_sum[kept], full.neighbours[kept], full.mean, full.sd, full.n)
        return stat, "distance band (lattice convolution)"
    weights, route = unit_weights(counts, gi.band, gi.k, gi.contiguity)
    return gi_star(counts.values, weights), route


def _require_incidents(summary: dict) -> None:
    got = summary["incidents"]
    if got >= MIN_INCIDENTS:
        return
    outside = summary["incidents_outside"]
    where = f" inside the polygons ({outside} fall outside)" if outside else ""
    raise AnalysisError(f"At least {MIN_INCIDENTS} incidents are needed, got {got}{where}.")


def _summary(counts: CellCounts, gi: GiStarParams, stat: GiStar, bins, p, route: str) -> dict:
    islands = int((stat.neighbours == 1).sum())
    levels = len(_checked_alphas(gi.alpha_levels))
    summary = {
        "cells": int(stat.n),
        "cell_size_m": counts.summary["cell_size_m"],
        "band_m": gi.band,
        "k": gi.k,
        "contiguity": gi.contiguity,
        "weights": route,
        "fdr": bool(gi.fdr),
        "gi_bin": {str(b): int((bins == b).sum()) for b in range(-levels, levels + 1)},
        "incidents": counts.summary["incidents"],
        "incidents_outside": counts.summary["incidents_outside"],
        "incidents_without_location": counts.summary["incidents_without_location"],
        "cells_dropped_empty": counts.summary["cells_dropped_empty"],
        "islands": islands,
        "cells_not_tested": int(np.isnan(stat.z).sum()),
        "mean": stat.mean,
        "sd": stat.sd,
        "permutations": int(gi.permutations),
    }
    if gi.fdr:
        cutoffs = bh_cutoffs(p, _checked_alphas(gi.alpha_levels))
        summary["fdr_cutoffs"] = {f"{alpha:g}": cutoff for alpha, cutoff in cutoffs.items()}
    return summary


def _permutation_p_with_progress(values, stat: GiStar, gi: GiStarParams, progress, cancelled) -> np.ndarray:
    """``gi_p_sim``, reporting progress (and checking cancel) between chunks of cells."""
    message = f"Running {gi.permutations} permutations"
    report(progress, cancelled, 0.5, message)

    def step(done: float) -> None:
        report(progress, cancelled, 0.5 + 0.45 * done, message)

    return gi_permutation_p(values, stat.local_sum, stat.neighbours, int(gi.permutations), gi.seed, on_chunk=step)


def hotspot_gi_star(
    points_gdf: gpd.GeoDataFrame,
    aggregation: AggregationParams,
    gi: GiStarParams,
    progress=None,
    cancelled=None,
) -> AnalysisResult:
    """Getis-Ord Gi* hot and cold spots of incidents.

    Incidents are counted into cells (:mod:`analysis.aggregation`), each cell
    gets Gi* over its neighbourhood, a two-sided normal p-value and an ArcGIS
    ``Gi_Bin`` (FDR-corrected by default). On a square fishnet with a distance
    band the neighbourhood sums are computed by convolution; otherwise through
    sparse weights (k-d tree for bands and k-NN, libpysal for contiguity).

    Parameters
    ----------
    points_gdf : GeoDataFrame
        Incident points in a projected metric CRS.
    aggregation : AggregationParams
    gi : GiStarParams
        ``band`` and ``k`` are not chosen automatically here: give one (or contiguity).
    progress : callable, optional
        ``progress(fraction, message)``.
    cancelled : callable, optional
        Returns True to stop; :class:`analysis.result.Cancelled` is raised.

    Returns
    -------
    AnalysisResult
        ``layer``: cells with ``n``, ``gi_z``, ``gi_p`` (two-sided), ``gi_bin``
        (-3..3), ``neighbours`` (W_i, the cell itself included) and, with
        permutations, ``gi_p_sim`` (see :func:`gi_permutation_p`).
        ``summary``: ``cells``, ``cell_size_m``, ``band_m``, ``fdr``,
        ``gi_bin`` counts keyed "-3".."3", ``incidents``, ``islands``, ...

    Raises
    ------
    InputError
        Missing or contradictory neighbourhood, band shorter than a cell.
    AnalysisError
        Geographic coordinates, fewer than 30 incidents, zero variance.

    References
    ----------
    Getis & Ord (1992); Ord & Getis (1995); see :func:`gi_star` and :func:`gi_bins`.
    """
    _check_gi_params(gi, aggregation)
    require_metric_crs(points_gdf, "incident layer")
    report(progress, cancelled, 0.0, "Counting incidents into cells")
    counts = aggregate_incidents(points_gdf, aggregation)
    _require_incidents(counts.summary)
    report(progress, cancelled, 0.3, "Computing Gi*")
    stat, route = _compute_gi(counts, gi)
    if np.isnan(stat.z).all():
        raise AnalysisError(
            "No cell could be tested: every neighbourhood is either the cell alone or the whole area; "
            "change the neighbourhood."
        )
    p = gi_p_values(stat.z)
    bins = gi_bins(stat.z, p, gi.alpha_levels, gi.fdr)
    columns = {"gi_z": stat.z, "gi_p": p, "gi_bin": bins, "neighbours": stat.neighbours}
    if gi.permutations:
        columns["gi_p_sim"] = _permutation_p_with_progress(counts.values, stat, gi, progress, cancelled)
    layer = with_result_columns(counts.cells, columns)
    summary = _summary(counts, gi, stat, bins, p, route)
    report(progress, cancelled, 1.0, "Gi* done")
    return AnalysisResult(layer, summary, {"aggregation": aggregation.to_dict(), "gi": gi.to_dict()})
