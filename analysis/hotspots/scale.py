"""Automatic scale for hot-spot analysis: cell size and distance band ("optimised hot spot").

Follows the logic of Esri's Optimized Hot Spot Analysis (ArcGIS 10.x tool
script, summarised in METHODS.md):

1. **Minimum data.** At least 30 incidents (ArcGIS asks for 60 when no
   bounding polygon is given; we keep the issue's 30 and trim empty cells).
2. **Locational outliers.** Incidents whose nearest-neighbour distance exceeds
   the mean by more than 3 standard deviations are reported and left out of
   the scale computations (they still count in their cells).
3. **Cell size.** ``max(avgNN, medNN) * max(2, larger / smaller)`` over the
   non-zero nearest-neighbour distances, where larger/smaller is the ratio
   of the larger to the smaller of the two: a skewed NN distribution (tight
   clusters with a sparse background) widens the cells.
4. **Distance band.** Incremental spatial autocorrelation: global Moran's I of
   the cell counts over increasing distance bands; the band is the first peak
   of its z-score that is positive and significant (z >= 1.96): a peak at a
   negative or insignificant z is no evidence of clustering at that distance
   (geodanet crimes once got a "peak" of z = -0.42). With no such peak, the fallback is the
   mean distance from each cell to its k-th nearest cell, k = 5 % of the
   cells clamped to [3, 30]. Either way the band is capped at one standard
   distance of the incidents.

The band distances start at the distance within which 95 % of the cells have
a neighbour (ArcGIS starts where *every* feature has one; on a trimmed county
lattice a single remote township cell would push that to kilometres) and rise
by one cell size for 30 steps.

References
----------
Mitchell, A. (2005). *The ESRI Guide to GIS Analysis, Volume 2*. ESRI Press.
Esri. "How Optimized Hot Spot Analysis works" and "Incremental Spatial
Autocorrelation", ArcGIS documentation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gisapp.analysis.core.aggregation import Lattice, hex_lattice, square_lattice
from gisapp.analysis.core.edges import inclusive
from gisapp.analysis.hotspots.gistar import MIN_INCIDENTS
from gisapp.analysis.stats.gistar import DIRECT_CONVOLUTION_TAPS, disc_footprint, footprint_transfer, padded_shape, window_sums
from gisapp.analysis.stats.moran import moran_row
from gisapp.layers.errors import AnalysisError

ISA_STEPS = 30
OUTLIER_SD = 3.0
#: A peak of Moran's I z must reach this (positive, two-sided p < 0.05) to choose the band.
PEAK_MIN_Z = 1.959964


@dataclass
class ScaleChoice:
    """The scale chosen, and why, for the summary of a hot-spot run."""

    cell_size: float
    band: float
    outliers: np.ndarray = field(repr=False)
    reasons: list[str] = field(default_factory=list)
    autocorrelation: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "cell_size_m": round(float(self.cell_size), 3),
            "band_m": round(float(self.band), 3),
            "locational_outliers": int(self.outliers.sum()),
            "reasons": list(self.reasons),
            "autocorrelation": self.autocorrelation,
        }


def nearest_neighbour_distances(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Distance from each point to its nearest *other* point (0 for exact duplicates)."""
    from scipy.spatial import cKDTree  # here, not at the top: a fixed scale needs no tree

    distance, _ = cKDTree(np.column_stack([x, y])).query(np.column_stack([x, y]), k=2)
    return distance[:, 1]


def locational_outliers(nn: np.ndarray, n_sd: float = OUTLIER_SD) -> np.ndarray:
    """ArcGIS's rule: nearest-neighbour distance more than ``n_sd`` SDs above the mean."""
    spread = nn.std()
    return nn > nn.mean() + n_sd * spread if spread > 0 else np.zeros(len(nn), dtype=bool)


def cell_size_from_neighbours(nn: np.ndarray) -> tuple[float, str]:
    """``max(avgNN, medNN) * max(2, larger/smaller)`` over the non-zero NN distances."""
    positive = nn[nn > 0]
    if positive.size == 0:
        raise AnalysisError("All incidents share one location, so no cell size can be derived: give --cell.")
    mean, median = float(positive.mean()), float(np.median(positive))
    larger, smaller = max(mean, median), min(mean, median)
    factor = max(2.0, larger / smaller)
    size = larger * factor
    return size, f"cell size {size:.0f} m = max(mean NN {mean:.0f} m, median NN {median:.0f} m) × {factor:.2f}"


def standard_distance(x: np.ndarray, y: np.ndarray) -> float:
    """Standard distance (Bachi): sqrt of the mean squared distance to the mean centre."""
    return float(np.sqrt(np.mean((x - x.mean()) ** 2 + (y - y.mean()) ** 2)))


def moran_by_band_lattice(raster: np.ndarray, mask: np.ndarray, cell_size: float, distances: np.ndarray) -> list[dict]:
    """Global Moran's I and its z (normality assumption) for binary distance bands on a square lattice.

    Lag sums are window sums over a disc footprint (the focal cell excluded),
    so each band costs one convolution. The moments are those of Cliff & Ord
    (1981) for binary symmetric weights, as esda's ``Moran`` (``z_norm``).
    """
    values = raster[mask].astype(np.float64)
    n = values.size
    deviations = np.zeros(raster.shape)
    deviations[mask] = values - values.mean()
    denominator = float((deviations[mask] ** 2).sum())
    ones = mask.astype(np.float64)
    rows = []
    for distance, (lag_sums, degree_sums) in zip(distances, _band_window_sums([deviations, ones], cell_size, distances)):
        lag = lag_sums[mask] - deviations[mask]
        degree = np.rint(degree_sums[mask]) - 1.0
        rows.append(moran_row(float(distance), deviations[mask], lag, degree, denominator, n))
    return rows


def _band_window_sums(rasters: list[np.ndarray], cell_size: float, distances):
    """Window sums of each raster over the disc of each distance, one band at a time.

    Small discs are summed directly (:func:`window_sums`). For the wide ones
    the rasters' Fourier transforms are taken once, padded by the widest disc
    so the circular convolution equals the linear one inside the raster, and
    each band costs one transform of its disc plus one inverse per raster,
    not two forward and one inverse per raster as a fresh FFT convolution
    does (about twice as fast over the 30 bands of the automatic scale).
    """
    from scipy import fft

    height, width = rasters[0].shape
    shape = padded_shape(height, width, disc_footprint(cell_size, float(np.max(distances))).shape[0] // 2)
    spectra = None
    for distance in distances:
        footprint = disc_footprint(cell_size, float(distance))
        if footprint.sum() <= DIRECT_CONVOLUTION_TAPS:
            yield [window_sums(raster, footprint, integer=False) for raster in rasters]
            continue
        if spectra is None:
            spectra = [fft.rfft2(raster, shape) for raster in rasters]
        transfer = footprint_transfer(footprint, shape)
        yield [fft.irfft2(spectrum * transfer, shape)[:height, :width] for spectrum in spectra]


def moran_by_band_points(x: np.ndarray, y: np.ndarray, values: np.ndarray, distances: np.ndarray) -> list[dict]:
    """As :func:`moran_by_band_lattice` for arbitrary cell centres (hexagons, polygons).

    All pairs within the largest band are found once; sorted by distance, each
    band's sums are a prefix of cumulative sums, so more bands cost nothing.
    """
    n = values.size
    z = values - values.mean()
    denominator = float((z**2).sum())
    from scipy.spatial import cKDTree

    pairs = cKDTree(np.column_stack([x, y])).query_pairs(inclusive(distances.max()), output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]
    d = np.hypot(x[i] - x[j], y[i] - y[j])
    order = np.argsort(d, kind="stable")
    i, j, d = i[order], j[order], d[order]
    rows = []
    for distance in distances:
        k = int(np.searchsorted(d, inclusive(distance), side="right"))
        lag = np.bincount(i[:k], weights=z[j[:k]], minlength=n) + np.bincount(j[:k], weights=z[i[:k]], minlength=n)
        degree = np.bincount(i[:k], minlength=n) + np.bincount(j[:k], minlength=n)
        rows.append(moran_row(float(distance), z, lag, degree.astype(np.float64), denominator, n))
    return rows


def first_peak(z: list[float | None], minimum: float = PEAK_MIN_Z) -> int | None:
    """Index of the first local maximum of ``z`` (higher than both sides) that is at least ``minimum``, else None.

    A peak of a z-score that is negative or not significant is no evidence of
    clustering at that distance, so it is not a peak here (ArcGIS's
    Incremental Spatial Autocorrelation reports the peaks of *statistically
    significant* z-scores); the caller then uses the fallback distance.
    """
    values = np.array([np.nan if v is None else v for v in z], dtype=float)
    peaks = [k for k in range(1, len(values) - 1) if values[k] > values[k - 1] and values[k] > values[k + 1] and values[k] >= minimum]
    return peaks[0] if peaks else None


def highest_peak(z: list[float | None]) -> int | None:
    """Index of the highest local maximum of ``z`` whatever its value (for the summary), else None."""
    values = np.array([np.nan if v is None else v for v in z], dtype=float)
    peaks = [k for k in range(1, len(values) - 1) if values[k] > values[k - 1] and values[k] > values[k + 1]]
    return max(peaks, key=lambda k: values[k]) if peaks else None


def kth_neighbour_band(x: np.ndarray, y: np.ndarray) -> tuple[float, int]:
    """Mean distance to the k-th nearest cell, k = 5 % of the cells clamped to [3, 30]."""
    k = int(np.clip(round(0.05 * len(x)), 3, 30))
    k = min(k, len(x) - 1)
    from scipy.spatial import cKDTree

    distance, _ = cKDTree(np.column_stack([x, y])).query(np.column_stack([x, y]), k=k + 1)
    return float(distance[:, k].mean()), k


def choose_scale(
    x: np.ndarray,
    y: np.ndarray,
    grid: str = "square",
    cell_size: float | None = None,
    band: float | None = None,
    min_incidents: int = MIN_INCIDENTS,
) -> ScaleChoice:
    """Choose the cell size and/or band that are not given.

    Parameters
    ----------
    x, y : ndarray
        Incident coordinates in metres.
    grid : {"square", "hex"}
        (For polygons see :func:`choose_polygon_band`.)
    cell_size, band : float, optional
        Values the user fixed; only the missing ones are chosen.

    Returns
    -------
    ScaleChoice
        With ``reasons``: one sentence per choice, for the summary.
    """
    if len(x) < min_incidents:
        raise AnalysisError(f"At least {min_incidents} incidents are needed for a hot-spot analysis; got {len(x)}.")
    nn = nearest_neighbour_distances(x, y)
    outliers = locational_outliers(nn)
    reasons = []
    if outliers.any():
        reasons.append(f"{int(outliers.sum())} locational outliers (nearest neighbour > mean + 3 SD) left out of the scale choice")
    core_x, core_y, core_nn = x[~outliers], y[~outliers], nn[~outliers]
    if grid != "polygons" and cell_size is None:
        cell_size, why = cell_size_from_neighbours(core_nn)
        reasons.append(why)
    choice = ScaleChoice(float(cell_size or 0.0), float(band or 0.0), outliers, reasons)
    if band is None:
        _choose_band(choice, core_x, core_y, grid)
    return choice


def _choose_band(choice: ScaleChoice, x: np.ndarray, y: np.ndarray, grid: str) -> None:
    lattice = (square_lattice if grid == "square" else hex_lattice)((x.min(), y.min(), x.max(), y.max()), choice.cell_size)
    counts, cx, cy, mask = _lattice_counts(lattice, x, y)
    raster = None
    if grid == "square":
        raster = np.zeros(lattice.shape)
        raster[mask] = counts
    band_from_autocorrelation(choice, cx, cy, counts, choice.cell_size, raster, mask)
    _cap(choice, x, y)


def choose_polygon_band(x: np.ndarray, y: np.ndarray, cx: np.ndarray, cy: np.ndarray, counts: np.ndarray) -> ScaleChoice:
    """The band for counts in given polygons (centroids ``cx, cy``): incremental Moran's I, stepping by
    the median centroid nearest-neighbour distance; capped at the incidents' standard distance."""
    if len(x) < MIN_INCIDENTS:
        raise AnalysisError(f"At least {MIN_INCIDENTS} incidents are needed for a hot-spot analysis; got {len(x)}.")
    choice = ScaleChoice(0.0, 0.0, np.zeros(len(x), dtype=bool))
    step = float(np.median(nearest_neighbour_distances(cx, cy)))
    band_from_autocorrelation(choice, cx, cy, counts.astype(np.float64), step, None, None)
    _cap(choice, x, y)
    return choice


def choose_value_band(x: np.ndarray, y: np.ndarray, values: np.ndarray) -> tuple[float, list[str]]:
    """The distance band for a value at points (``--value`` on a point layer): incremental Moran's I of the
    values over bands stepping by the median nearest-neighbour distance, capped at one standard distance."""
    if len(x) < 3:
        raise AnalysisError("At least 3 points with a value are needed to choose a distance band.")
    nn = nearest_neighbour_distances(x, y)
    positive = nn[nn > 0]
    if positive.size == 0:
        raise AnalysisError("All the points share one location, so no distance band can be derived: give --band or --k.")
    choice = ScaleChoice(0.0, 0.0, np.zeros(len(x), dtype=bool))
    band_from_autocorrelation(choice, x, y, np.asarray(values, dtype=np.float64), float(np.median(positive)))
    _cap(choice, x, y)
    return choice.band, list(choice.reasons)


def band_from_autocorrelation(choice: ScaleChoice, cx, cy, counts, step: float, raster=None, mask=None) -> None:
    """Set ``choice.band`` from the first peak of Moran's I z over bands ``start + step * k``."""
    if counts.size < 3:
        raise AnalysisError("The incidents fall into fewer than 3 cells: use smaller cells.")
    nn_cells = nearest_neighbour_distances(cx, cy)
    start = max(step, float(np.quantile(nn_cells, 0.95)))
    distances = start + step * np.arange(ISA_STEPS)
    if raster is not None:
        rows = moran_by_band_lattice(raster, mask, step, distances)
    else:
        rows = moran_by_band_points(cx, cy, counts, distances)
    choice.autocorrelation = [{k: (round(v, 6) if isinstance(v, float) else v) for k, v in row.items()} for row in rows]
    zs = [row["z"] for row in rows]
    peak = first_peak(zs)
    if peak is not None:
        choice.band = float(distances[peak])
        choice.reasons.append(
            f"distance band {choice.band:.0f} m: first peak of Moran's I z ({rows[peak]['z']:.2f}) over {ISA_STEPS} bands from {start:.0f} m"
        )
        return
    choice.band, k = kth_neighbour_band(cx, cy)
    highest = highest_peak(zs)
    if highest is None:
        why = f"Moran's I z has no peak over {ISA_STEPS} bands from {start:.0f} m"
    else:
        why = (f"the highest peak of Moran's I z ({rows[highest]['z']:.2f} at {distances[highest]:.0f} m) is not "
               f"significantly positive (z < {PEAK_MIN_Z:.2f}), so it is no evidence of clustering at that distance")
    choice.reasons.append(f"{why}; band {choice.band:.0f} m = mean distance to the {k}th nearest cell (ArcGIS's fallback)")


def _cap(choice: ScaleChoice, x: np.ndarray, y: np.ndarray) -> None:
    cap = standard_distance(x, y)
    if choice.band > cap:
        choice.reasons.append(f"band capped at one standard distance, {cap:.0f} m (was {choice.band:.0f} m)")
        choice.band = cap
    if choice.cell_size and choice.band < choice.cell_size:
        choice.band = choice.cell_size
        choice.reasons.append("band raised to one cell so every cell has neighbours")


def _lattice_counts(lattice: Lattice, x: np.ndarray, y: np.ndarray):
    rows, cols, inside = lattice.locate(x, y)
    raster = np.zeros(lattice.shape)
    np.add.at(raster, (rows[inside], cols[inside]), 1.0)
    mask = raster > 0
    r, c = np.nonzero(mask)
    cx, cy = lattice.centres(r, c)
    return raster[mask], cx, cy, mask
