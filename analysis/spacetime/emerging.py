"""Emerging Hot Spot Analysis: a space-time cube, Gi* per bin, Mann-Kendall, 17 categories.

The method is ArcGIS Pro's *Emerging Hot Spot Analysis* (Space Time Pattern
Mining toolbox; R ``sfdep::emerging_hotspot_analysis`` uses the same
categories):

1. **The cube.** Incidents are counted into bins = location x time step.
   Locations are the cells of a square (or hexagon) fishnet that hold at least
   one incident in at least one step ("the locations analyzed will be those
   with at least one point for at least one time-step interval", ArcGIS), or
   every polygon of a polygon layer (网格 grid cells, townships). Steps are
   calendar days, ISO weeks or months (:mod:`gisapp.analysis.core.time_steps`).
2. **Gi\\* per bin.** The neighbourhood of bin (i, t) is every bin (j, s)
   with j a spatial neighbour of i (or i itself) and ``t - k <= s <= t``
   (ArcGIS *Neighborhood Time Step* k, 1 by default: the same step and the k
   previous ones). The whole cube is the population: the mean and the
   population standard deviation are taken over all T x N bins, as for any
   Gi* with space-time weights. p is two-sided; the 90/95/99 % bins and the
   False Discovery Rate correction (over all bins) are those of
   :func:`gisapp.analysis.stats.inference.gi_bins`.
3. **Trend.** Each location's series of Gi* z-scores gets a Mann-Kendall test
   (:func:`gisapp.analysis.stats.trend.mann_kendall`, ties corrected, two-sided p).
4. **Categories** (:func:`classify_emerging`): see its docstring for the exact
   rules, the ArcGIS wording they come from and where gisapp had to choose.

Caveat on the trend test (as in ArcGIS). With k >= 1, consecutive z-scores
of a location share k steps of counts, so the z series is autocorrelated and
the Mann-Kendall test, which assumes independent values, finds "significant"
trends more often than alpha says; and the first k steps have a shorter time
window, which lowers a stationary hot spot's early z-scores and leans towards
upward trends. On 200,000 incidents with random times (no trend at all), about 20 %
of the persistently hot locations got a significant trend at alpha = 0.05
with k = 1, against 5 % with k = 0. gisapp keeps ArcGIS's construction so that
results compare, says so in the summary when intensifying or diminishing
locations appear, and reports the Mann-Kendall test of the raw counts
(``count_trend_z``/``count_trend_p``) as a check.

Speed: the space-time weights are a Kronecker product, W = L_k (x) (S + I) - I,
with S the binary spatial neighbours and L_k the T x T band of the current and
k previous steps (:func:`spacetime_weights` builds it explicitly). Rather than
materialise the (T N) x (T N) matrix (about 18 T N non-zeros on a fishnet),
:func:`space_time_gi_star` applies it as "spatial sums, then a running sum over
k + 1 steps", O(T nnz(S)) time and O(T N) memory; the tests check that it
equals :func:`gisapp.analysis.stats.gistar.gi_star` on the explicit matrix.

References
----------
Esri. "How Emerging Hot Spot Analysis works", ArcGIS Pro documentation,
Space Time Pattern Mining toolbox.
Getis, A. & Ord, J. K. (1992). The analysis of spatial association by use of
distance statistics. Geographical Analysis 24(3), 189-206.
Mann, H. B. (1945). Nonparametric tests against trend. Econometrica 13, 245-259.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
from scipy import sparse

from gisapp.analysis.core.aggregation import (
    assign_points_to_polygons,
    hex_lattice,
    incident_weights,
    lattice_cells,
    point_coordinates,
    require_metric_crs,
    square_lattice,
)
from gisapp.analysis.core.result import AnalysisResult, report
from gisapp.analysis.core.time_steps import TimeSteps, incident_times, steps_for
from gisapp.analysis.hotspots.gistar import MIN_INCIDENTS
from gisapp.analysis.spacetime.methods import EmergingParams
from gisapp.analysis.stats.gistar import GiStar, gi_z_from_sums
from gisapp.analysis.stats.inference import bh_cutoffs, gi_bins, gi_p_values
from gisapp.analysis.stats.trend import mann_kendall
from gisapp.analysis.stats.weights import band_weights, contiguity_weights
from gisapp.layers.errors import AnalysisError, InputError

GRIDS = ("square", "hex", "polygons")
#: Fewer steps than this leave the Mann-Kendall test with little power; the summary says so.
FEW_STEPS = 10

#: ``key -> (ArcGIS CATEGORY code, English pattern name, Chinese label)``.
#: Codes follow the ArcGIS output field CATEGORY (1..8 hot, -1..-8 cold, 0 none) (check).
CATEGORIES: dict[str, tuple[int, str, str]] = {
    "new_hot": (1, "New Hot Spot", "新增热点"),
    "consecutive_hot": (2, "Consecutive Hot Spot", "连续热点"),
    "intensifying_hot": (3, "Intensifying Hot Spot", "加强热点"),
    "persistent_hot": (4, "Persistent Hot Spot", "持续热点"),
    "diminishing_hot": (5, "Diminishing Hot Spot", "减弱热点"),
    "sporadic_hot": (6, "Sporadic Hot Spot", "零星热点"),
    "oscillating_hot": (7, "Oscillating Hot Spot", "振荡热点"),
    "historical_hot": (8, "Historical Hot Spot", "历史热点"),
    "new_cold": (-1, "New Cold Spot", "新增冷点"),
    "consecutive_cold": (-2, "Consecutive Cold Spot", "连续冷点"),
    "intensifying_cold": (-3, "Intensifying Cold Spot", "加强冷点"),
    "persistent_cold": (-4, "Persistent Cold Spot", "持续冷点"),
    "diminishing_cold": (-5, "Diminishing Cold Spot", "减弱冷点"),
    "sporadic_cold": (-6, "Sporadic Cold Spot", "零星冷点"),
    "oscillating_cold": (-7, "Oscillating Cold Spot", "振荡冷点"),
    "historical_cold": (-8, "Historical Cold Spot", "历史冷点"),
    "no_pattern": (0, "No Pattern Detected", "无显著模式"),
}
_KEY_BY_CODE = {code: key for key, (code, _, _) in CATEGORIES.items()}


@dataclass
class SpaceTimeCube:
    """Incident counts per location and time step.

    Attributes
    ----------
    counts : ndarray, shape (T, N)
        Incidents in step t at location i.
    locations : GeoDataFrame
        The N locations (cells with ``row``/``col``, or the input polygons).
    steps : TimeSteps
    neighbours : csr_matrix, shape (N, N)
        Binary spatial neighbours, no diagonal.
    summary : dict
        Incidents counted and the ones left out, with reasons.
    """

    counts: np.ndarray
    locations: gpd.GeoDataFrame
    steps: TimeSteps
    neighbours: sparse.csr_matrix
    summary: dict


#: Gi* of every bin of a cube: :class:`gisapp.analysis.stats.gistar.GiStar` with arrays shaped (T, N);
#: ``z`` is NaN where a bin's neighbourhood is the bin alone or the whole cube.
SpaceTimeGi = GiStar


# --------------------------------------------------------------------------- the cube


def build_cube(points: gpd.GeoDataFrame, params: EmergingParams) -> SpaceTimeCube:
    """Count incidents into location x time-step bins (see the module notes)."""
    params.validate()
    require_metric_crs(points, "incident layer")
    times, timed = incident_times(points)
    x, y, located = point_coordinates(points)
    steps = steps_for(times[timed], params.time_step, params.start, params.end)
    if steps.count < 2:
        raise InputError(
            f"The period covers a single {params.time_step} ({steps.labels()[0]}), so there is nothing to compare over "
            "time; use a longer period or a shorter time step."
        )
    step = steps.index(times)
    usable = timed & located & (step >= 0)
    summary = {
        "incidents_read": len(points),
        "incidents_without_time": int((~timed).sum()),
        "incidents_without_location": int((timed & ~located).sum()),
        "incidents_outside_period": int((timed & located & (step < 0)).sum()),
    }
    if params.grid == "polygons":
        locations, where, neighbours = _polygon_locations(points, usable, params)
    else:
        locations, where, neighbours = _lattice_locations(x, y, usable, points.crs, params)
    inside = where >= 0
    summary["incidents_outside_polygons"] = int((usable & ~inside).sum()) if params.grid == "polygons" else 0
    counted = usable & inside
    n_loc = len(locations)
    weights = None if params.value is None else incident_weights(points, params.value)[counted]
    counts = np.bincount(step[counted] * n_loc + where[counted], weights=weights, minlength=steps.count * n_loc)
    summary["incidents"] = int(counted.sum())
    summary["locations_with_incidents"] = int(np.unique(where[counted]).size)
    cube_values = counts.reshape(steps.count, n_loc)
    return SpaceTimeCube(cube_values.astype(np.int64) if weights is None else cube_values, locations, steps, neighbours, summary)


def _lattice_locations(x, y, usable, crs, params: EmergingParams):
    if not usable.any():
        raise InputError("No incident has both a location and a time inside the period.")
    bounds = (x[usable].min(), y[usable].min(), x[usable].max(), y[usable].max())
    lattice = (square_lattice if params.grid == "square" else hex_lattice)(bounds, params.cell_size)
    rows, cols, inside = lattice.locate(np.where(usable, x, np.nan), np.where(usable, y, np.nan))
    inside &= usable
    flat = np.where(inside, rows * lattice.shape[1] + cols, -1)
    cells, where = np.unique(flat[inside], return_inverse=True)
    location_of = np.full(len(x), -1, dtype=np.int64)
    location_of[inside] = where
    cell_rows, cell_cols = np.divmod(cells, lattice.shape[1])
    locations = lattice_cells(lattice, cell_rows, cell_cols, crs=crs)
    cx, cy = lattice.centres(cell_rows, cell_cols)
    neighbours = band_weights(cx, cy, params.resolved_band()) if len(cells) > 1 else sparse.csr_matrix((len(cells), len(cells)))
    return locations, location_of, sparse.csr_matrix(neighbours)


def _polygon_locations(points, usable, params: EmergingParams):
    polygons = params.polygons
    if polygons.crs != points.crs:
        raise InputError("The polygons and the incidents have different coordinate systems; project them to the same metric CRS.")
    where = np.full(len(points), -1, dtype=np.int64)
    where[usable] = assign_points_to_polygons(points.geometry.values[usable], polygons)
    if params.band is None:
        neighbours = contiguity_weights(polygons, "queen")
    else:
        centroids = polygons.geometry.centroid
        neighbours = band_weights(centroids.x.to_numpy(), centroids.y.to_numpy(), params.band)
    return polygons.reset_index(drop=True).copy(), where, sparse.csr_matrix(neighbours)


# --------------------------------------------------------------------------- Gi* per bin


def spacetime_weights(spatial: sparse.spmatrix, steps: int, k: int) -> sparse.csr_matrix:
    """Explicit binary space-time weights of a cube, bins ordered ``t * N + i``.

    Row (t, i) has a 1 for every bin (s, j) with j = i or a spatial neighbour
    of i, and ``t - k <= s <= t``, except (t, i) itself (Gi* adds the focal
    bin). This is the ArcGIS Emerging Hot Spot neighbourhood; it is
    asymmetric in time (only earlier steps are neighbours).
    """
    n = spatial.shape[0]
    block = (sparse.csr_matrix(spatial, dtype=np.float64) != 0).astype(np.float64) + sparse.identity(n, format="csr")
    band = sparse.diags([np.ones(steps - d) for d in range(min(k, steps - 1) + 1)], [-d for d in range(min(k, steps - 1) + 1)], shape=(steps, steps))
    weights = sparse.kron(band, block, format="csr")
    weights.setdiag(0)
    weights.eliminate_zeros()
    return weights


def space_time_gi_star(values, spatial: sparse.spmatrix, k: int) -> SpaceTimeGi:
    """Gi* of every bin with the space-time neighbourhood of :func:`spacetime_weights`.

    Parameters
    ----------
    values : array_like, shape (T, N)
        Value of location i in step t (an incident count).
    spatial : sparse matrix, shape (N, N)
        Binary spatial neighbours; the diagonal is ignored.
    k : int
        Previous steps in the neighbourhood.

    Returns
    -------
    SpaceTimeGi
        z equals ``gisapp.analysis.stats.gistar.gi_star(values.ravel(), spacetime_weights(...)).z``:

            z = (S - xbar W) / (s sqrt((n W - W^2) / (n - 1)))

        with S the neighbourhood sum (bin included), W its number of bins,
        and xbar, s the mean and population SD over all n = T N bins.
    """
    y = np.asarray(values, dtype=np.float64)
    if y.ndim != 2:
        raise ValueError("values must have shape (steps, locations)")
    if not np.isfinite(y).all():
        raise InputError("Every bin of the cube needs a finite value.")
    steps, n_loc = y.shape
    n = y.size
    mean, sd = float(y.mean()), float(y.std())
    if n < 2 or sd == 0:
        raise AnalysisError(
            "Every bin of the space-time cube has the same count (zero variance), so there is nothing to test; "
            "use more incidents, a larger cell size or a longer time step."
        )
    block = (sparse.csr_matrix(spatial) != 0).astype(np.float64)
    block.setdiag(0)
    block.eliminate_zeros()
    block = block + sparse.identity(n_loc, format="csr")
    spatial_sums = np.asarray(block @ y.T).T  # (T, N): sum over i and its spatial neighbours, per step
    running = np.cumsum(spatial_sums, axis=0)
    local_sum = running.copy()
    if k + 1 < steps:
        local_sum[k + 1 :] -= running[: steps - k - 1]
    size = np.asarray(block.sum(axis=1)).ravel()  # 1 + spatial neighbours
    depth = np.minimum(np.arange(steps), k) + 1.0  # steps in the window, fewer at the start
    weights = depth[:, None] * size[None, :]
    z = gi_z_from_sums(local_sum, weights, mean, sd, n)
    return SpaceTimeGi(z, local_sum, weights.astype(np.int64), mean, sd, n)


# --------------------------------------------------------------------------- categories


#: The rules for *historical*: ArcGIS's (>= 90 % of all steps, the default) and the older, wider one.
HISTORICAL_RULES = ("all", "earlier")


def classify_emerging(hot, cold, trend_z, trend_p, alpha: float, historical: str = "all") -> np.ndarray:
    """ArcGIS Pro Emerging Hot Spot categories, as signed codes (see :data:`CATEGORIES`).

    Parameters
    ----------
    hot, cold : array_like of bool, shape (N, T)
        Bins that are significant hot (cold) spots, in time order.
    trend_z, trend_p : array_like, shape (N,)
        Mann-Kendall z and two-sided p of each location's Gi* z series.
    alpha : float
        Level of the trend test.
    historical : {"all", "earlier"}
        The rule for *historical* (see the notes): ``"all"``, ArcGIS's, is the
        default; ``"earlier"`` is the wider rule gisapp used before.

    Returns
    -------
    ndarray of int8
        1 new, 2 consecutive, 3 intensifying, 4 persistent, 5 diminishing,
        6 sporadic, 7 oscillating, 8 historical hot spot; the negatives for
        cold spots; 0 no pattern.

    Notes
    -----
    With T steps, "hot" meaning a significant hot bin, "final" the last step
    and "90 %" meaning ``hot bins >= 0.9 T`` (METHODS.md; ArcGIS Pro, "How
    Emerging Hot Spot Analysis works"):

    - *new*: hot in the final step and in no step before;
    - *consecutive*: an unbroken run of at least two hot steps ending with the
      final one, never hot before the run, under 90 % of steps hot;
    - *intensifying*: hot in >= 90 % of steps including the final one, and a
      significant upward Mann-Kendall trend of the z-scores;
    - *persistent*: hot in >= 90 % of steps including the final, no
      significant trend;
    - *diminishing*: hot in >= 90 % of steps including the final one,
      significant downward trend;
    - *sporadic*: hot in the final step, an on-and-off history, under 90 %
      hot, never a significant cold spot;
    - *oscillating*: hot in the final step, a significant cold spot in some
      earlier step, under 90 % hot;
    - *historical*: not hot in the final step, hot in >= 90 % of **all** T
      steps. This is ArcGIS's rule ("the most recent time period is not hot,
      but at least ninety percent of the time-step intervals have been
      statistically significant hot spots") and sfdep's (``sum(hot) / n >=
      0.9``), and the default. With 12 steps a location hot in steps 2-11
      (10 of 12, 83 %) is *no pattern*.

      ``historical="earlier"`` counts 90 % of the T - 1 *earlier* steps
      instead, which gisapp did before. Its reason: under ArcGIS's rule a
      location can miss at most 10 % of all steps, the final one included, so
      with fewer than 10 steps (six months, say) no location can ever be
      historical, and a long hot spot that has just ended is reported as *no
      pattern*. The wider rule shows it; results then differ from ArcGIS's, so
      it is an option, never the default.

    Cold categories mirror these with hot and cold swapped and the trend sign
    reversed (an *intensifying* cold spot trends downward).

    Choices where the published wording overlaps (R ``sfdep`` makes other
    choices in places): a location hot only in the final step that was a
    significant cold spot before is *oscillating*, not *new*, because its
    history is what an analyst needs to know; *persistent* requires the
    final step to be hot, since the not-hot-at-the-end case is *historical*;
    a final step that is neither hot nor cold can only give *historical* or
    *no pattern*.
    """
    hot = np.asarray(hot, dtype=bool)
    cold = np.asarray(cold, dtype=bool)
    up = (np.asarray(trend_p) < alpha) & (np.asarray(trend_z) > 0)
    down = (np.asarray(trend_p) < alpha) & (np.asarray(trend_z) < 0)
    if historical not in HISTORICAL_RULES:
        raise InputError(f"Unknown rule for historical hot spots {historical!r}; use one of {', '.join(HISTORICAL_RULES)}.")
    hot_codes = _one_side(hot, cold, up, down, historical)
    cold_codes = _one_side(cold, hot, down, up, historical)
    codes = np.where(hot[:, -1] | (~cold[:, -1] & (hot_codes != 0)), hot_codes, -cold_codes)
    return codes.astype(np.int8)


def _one_side(this: np.ndarray, other: np.ndarray, towards: np.ndarray, away: np.ndarray, historical: str) -> np.ndarray:
    """Codes 0..8 for the side ``this`` (hot, or cold with the arrays swapped)."""
    steps = this.shape[1]
    count = this.sum(axis=1)
    final = this[:, -1]
    earlier = count - final
    mostly = count * 10 >= 9 * steps  # >= 90 % of all steps, exact in integers
    mostly_earlier = (earlier * 10 >= 9 * (steps - 1)) & (earlier > 0)
    run = _trailing_run(this)
    other_before = other[:, :-1].any(axis=1)
    codes = np.zeros(this.shape[0], dtype=np.int8)
    codes[final & mostly & ~towards & ~away] = 4
    codes[final & mostly & towards] = 3
    codes[final & mostly & away] = 5
    rest = final & ~mostly
    codes[rest & other_before] = 7
    only_run = rest & ~other_before & (count == run)
    codes[only_run & (run == 1)] = 1
    codes[only_run & (run >= 2)] = 2
    codes[rest & ~other_before & (count > run)] = 6
    codes[~final & (mostly if historical == "all" else mostly_earlier)] = 8
    return codes


def _trailing_run(flags: np.ndarray) -> np.ndarray:
    """Length of the run of True that ends with the last column."""
    reversed_flags = flags[:, ::-1]
    first_false = np.argmin(reversed_flags, axis=1)
    return np.where(reversed_flags.all(axis=1), flags.shape[1], first_false)


def category_keys(codes) -> np.ndarray:
    return np.array([_KEY_BY_CODE[int(c)] for c in np.asarray(codes)], dtype=object)


# --------------------------------------------------------------------------- entry point


def emerging_hot_spots(points: gpd.GeoDataFrame, params: EmergingParams, progress=None, cancelled=None) -> AnalysisResult:
    """Emerging Hot Spot Analysis of incidents (ArcGIS Pro's method; see the module notes).

    Parameters
    ----------
    points : GeoDataFrame
        Incident points in a projected metric CRS, with ``occurred_at``.
    params : EmergingParams
    progress : callable, optional
        ``progress(fraction, message)``.
    cancelled : callable, optional
        Returns True to stop (:class:`gisapp.analysis.core.result.Cancelled` is raised).

    Returns
    -------
    AnalysisResult
        ``layer``: one row per location (cells with data in at least one
        step, or every polygon) with ``category`` (key such as
        ``intensifying_hot``), ``category_zh`` (加强热点), ``category_code``
        (ArcGIS CATEGORY), ``pattern`` (ArcGIS name), ``trend_z``/``trend_p``
        (Mann-Kendall on the Gi* z series), ``hot_bins``/``cold_bins``
        (significant bins), ``bin_series`` (one character per step: ``H`` hot,
        ``C`` cold, ``.`` neither), ``n`` (incidents), ``last_z``, ``last_bin``
        (Gi_Bin of the final step), ``count_trend_z``/``count_trend_p``
        (Mann-Kendall on the counts, as the ArcGIS cube reports).
        ``summary``: cube size, steps, category counts, incidents per
        category, left-out incidents with reasons, notes.

    Raises
    ------
    InputError
        No usable times, a single time step, bad parameters.
    AnalysisError
        Geographic coordinates, fewer than 30 incidents, zero variance.
    """
    params.validate()
    report(progress, cancelled, 0.0, "Building the space-time cube")
    cube = build_cube(points, params)
    if cube.summary["incidents"] < MIN_INCIDENTS:
        raise AnalysisError(f"At least {MIN_INCIDENTS} incidents with a time and a location in the period are needed, got {cube.summary['incidents']}.")
    report(progress, cancelled, 0.3, "Computing Gi* for every bin")
    stat = space_time_gi_star(cube.counts, cube.neighbours, int(params.k))
    p = gi_p_values(stat.z)
    levels = (0.10, 0.05, 0.01)
    bins = gi_bins(stat.z.ravel(), p.ravel(), levels, params.fdr).reshape(stat.z.shape)
    significant = gi_bins(stat.z.ravel(), p.ravel(), (float(params.alpha),), params.fdr).reshape(stat.z.shape)
    report(progress, cancelled, 0.6, "Testing trends (Mann-Kendall)")
    trend = mann_kendall(stat.z.T)
    count_trend = mann_kendall(cube.counts.T.astype(np.float64))
    hot, cold = (significant > 0).T, (significant < 0).T
    codes = classify_emerging(hot, cold, trend.z, trend.p, float(params.alpha), params.historical)
    report(progress, cancelled, 0.85, "Writing the result")
    layer = _result_layer(cube, stat, bins, hot, cold, trend, count_trend, codes)
    summary = _summary(cube, params, layer, stat, p)
    report(progress, cancelled, 1.0, "Emerging hot spots done")
    return AnalysisResult(layer, summary, {"emerging": params.to_dict(), "steps": cube.steps.labels()})


def _result_layer(cube, stat, bins, hot, cold, trend, count_trend, codes) -> gpd.GeoDataFrame:
    layer = cube.locations.copy()
    keys = category_keys(codes)
    series = np.full(hot.shape, ".", dtype="<U1")
    series[hot] = "H"
    series[cold] = "C"
    columns = {
        "location": np.arange(len(layer)),
        # With --value the cube holds sums of that field, not counts: the column says so.
        ("n" if np.issubdtype(cube.counts.dtype, np.integer) else "value_sum"): cube.counts.sum(axis=0),
        "category": keys,
        "category_zh": [CATEGORIES[k][2] for k in keys],
        "category_code": codes.astype(np.int64),
        "pattern": [CATEGORIES[k][1] for k in keys],
        "trend_z": trend.z,
        "trend_p": trend.p,
        "hot_bins": hot.sum(axis=1),
        "cold_bins": cold.sum(axis=1),
        "bin_series": ["".join(row) for row in series],
        "last_z": stat.z[-1],
        "last_bin": bins[-1].astype(np.int64),
        "count_trend_z": count_trend.z,
        "count_trend_p": count_trend.p,
    }
    for name, values in columns.items():
        if name in layer.columns:
            layer = layer.rename(columns={name: f"{name}_input"})
        layer[name] = values
    return layer


def _summary(cube: SpaceTimeCube, params: EmergingParams, layer, stat: SpaceTimeGi, p) -> dict:
    steps = cube.steps
    notes = steps.notes()
    if steps.count < FEW_STEPS:
        notes.append(
            f"Only {steps.count} time steps: the Mann-Kendall trend test has little power, so intensifying and "
            "diminishing patterns are hard to detect; use a shorter time step for more steps."
        )
    trending = int(layer["category"].isin(["intensifying_hot", "diminishing_hot", "intensifying_cold", "diminishing_cold"]).sum())
    if trending and params.k >= 1:
        notes.append(
            f"{trending} locations are intensifying or diminishing: their trend test runs on z-scores that share "
            f"{params.k} step(s) with their neighbours in time, which makes it liberal; check count_trend_p, or rerun with k=0."
        )
    if cube.summary.get("locations_with_incidents", 2) < 2:
        notes.append(
            "Every incident falls in one location, so no location can stand out from its neighbours and every one is "
            "'no pattern': this says nothing about trends there. Use smaller cells (--cell) or polygons, or check the coordinates "
            "(many records geocoded to one point?)."
        )
    left_out = {k: v for k, v in cube.summary.items() if k.startswith("incidents_") and k != "incidents_read" and v}
    if left_out:
        notes.append("Incidents left out: " + ", ".join(f"{k.removeprefix('incidents_').replace('_', ' ')} {v:,}" for k, v in left_out.items()) + ".")
    by_category = layer.groupby("category")["n" if "n" in layer.columns else "value_sum"].agg(["size", "sum"])
    summary = {
        "locations": len(layer),
        "steps": int(steps.count),
        "time_step": params.time_step,
        "first_step": steps.labels()[0],
        "last_step": steps.labels()[-1],
        "bins": int(stat.n),
        "cell_size_m": None if params.grid == "polygons" else float(params.cell_size),
        "band_m": params.resolved_band(),
        "k": int(params.k),
        "alpha": float(params.alpha),
        "fdr": bool(params.fdr),
        "mean_count": stat.mean,
        "sd_count": stat.sd,
        "bins_not_tested": int(np.isnan(stat.z).sum()),
        "categories": {key: int(by_category.loc[key, "size"]) if key in by_category.index else 0 for key in CATEGORIES},
        ("incidents_by_category" if params.value is None else "value_by_category"):
            {key: float(by_category.loc[key, "sum"]) if params.value else int(by_category.loc[key, "sum"]) for key in CATEGORIES if key in by_category.index},
        "value": params.value,
        **cube.summary,
        "notes": notes,
    }
    if params.fdr:
        summary["fdr_cutoff"] = bh_cutoffs(p.ravel(), [float(params.alpha)])[float(params.alpha)]
    return summary


def run_emerging(inputs, params: EmergingParams, progress=None, cancelled=None) -> AnalysisResult:
    """The ``emerging`` method: the cube spans the filter's dates when it sets them."""
    from dataclasses import replace

    flt = inputs.incident_filter
    params = replace(params, start=getattr(flt, "start", None), end=getattr(flt, "end", None))
    if params.grid not in ("square", "hex", "polygons"):
        params = replace(params, grid="polygons", polygons=inputs.layer_or_file(params.grid, "cell", "--grid"))
    return emerging_hot_spots(inputs.incidents(), params, progress, cancelled)
