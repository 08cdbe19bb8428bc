"""Conditional-permutation inference for local sums (Gi*, local Moran), shared random draws as in esda."""

from __future__ import annotations

import numpy as np

#: Simulated sums within this relative distance of the observed sum count as ties.
PERMUTATION_TIE_TOLERANCE = 1e-9
#: Simulated values held in memory at once during permutation inference.
PERMUTATION_CHUNK_VALUES = 2_000_000
def distinct_draws(rng: np.random.Generator, n: int, m: int, rows: int) -> np.ndarray:
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
    draws = distinct_draws(rng, n, int(others[testable].max()) + 1, permutations)
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
