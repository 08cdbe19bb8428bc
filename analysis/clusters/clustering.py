"""Point clustering of incidents (``gisapp cluster``): HDBSCAN, DBSCAN, OPTICS, NNH and K-means.

The methods are those of ArcGIS Pro's "Density-based Clustering" tool
("self-adjusting" HDBSCAN, "defined distance" DBSCAN, "multi-scale" OPTICS)
and CrimeStat's nearest-neighbour hierarchical clustering (NNH,
:mod:`gisapp.analysis.clusters.nnh`) and K-means partitioning, computed with scikit-learn
(and the ``hdbscan`` package for HDBSCAN when it is installed, see below).

Parameters mean what they mean in scikit-learn
----------------------------------------------
- ``min_samples`` counts the point itself (scikit-learn's convention for
  DBSCAN, OPTICS and HDBSCAN): a point is a core point when at least
  ``min_samples`` points, itself included, lie within ``eps``; the HDBSCAN core
  distance is the distance to the ``min_samples``-th nearest point counting
  itself. By default ``min_samples = min_cluster_size``, as ArcGIS's single
  "minimum features per cluster" does.
- ``eps`` (metres) is DBSCAN's search distance, HDBSCAN's
  ``cluster_selection_epsilon``, NNH's fixed threshold distance (instead of
  the random nearest-neighbour one) and, when given, switches OPTICS to
  DBSCAN-style extraction at that distance (otherwise OPTICS uses the ξ method).
- For NNH, ``min_cluster_size`` is CrimeStat's minimum number of points per
  cluster, ``nnh_probability`` the one-tailed probability of the threshold
  distance and ``study_area_km2`` the area it is computed on.

Per incident
------------
``cluster_id`` — 1, 2, … numbered by **decreasing cluster size** (ties by
mean centre, west to east then south to north), so the numbers do not depend
on the library's arbitrary label order; −1 is noise (never for K-means).

- HDBSCAN adds ``probability`` (the strength of membership, 0 for noise),
  ``outlier_score`` (GLOSH, Campello et al. 2015; only with the ``hdbscan``
  package — scikit-learn does not compute it, and the column is then empty)
  and ``outlier`` (``outlier_score`` above its ``outlier_quantile`` quantile,
  0.9 by default, the threshold the ``hdbscan`` documentation suggests).
  ArcGIS's HDBSCAN writes PROB, OUTLIER and EXEMPLAR; gisapp also writes
  ``exemplar`` (1 for the incidents the ``hdbscan`` package names as its
  cluster's exemplars: the points of each leaf cluster that persist longest
  in the condensed tree; empty with scikit-learn, which has no exemplars).
- NNH adds ``cluster_order_2``, ``cluster_order_3``, … for the higher-order
  clusters the incident's cluster belongs to (−1 for none); its hulls and
  ellipses carry an ``order`` column.
- OPTICS adds ``reachability_m`` (empty for the first point of each
  reachability valley), ``core_distance_m`` and ``optics_order`` (position in
  the reachability plot).
- K-means adds ``distance_to_centre_m``.

Per cluster
-----------
``count``, the **convex hull** and the **standard deviational ellipse**
(:mod:`gisapp.analysis.stats.ellipse`: mean centre, rotation, standard deviations along the
rotated axes; 1 SD by default, ArcGIS's √2 adjustment on request), the hull
area and the density ``count / hull area``, and — when the incidents have them
— the first and last ``occurred_at`` and the most common ``subcategory``. A
cluster whose points are collinear or coincide has a degenerate hull and
ellipse; both are widened by 0.5 m so that they stay polygons, and
``degenerate`` is set.

Space-time clustering
---------------------
With ``time_window_days`` set, incidents also have to be close in time
(``occurred_at``):

- DBSCAN becomes **ST-DBSCAN** (Birant & Kut 2007, without its
  density-difference refinement): two incidents are neighbours when they are
  within ``eps`` metres *and* within ``time_window_days`` days of each other.
- HDBSCAN, OPTICS and K-means cluster in (x, y, t·v) where
  ``v = time_distance_m / time_window_days``: a gap of one time window weighs
  as much as ``time_distance_m`` metres (default: ``eps``, else 100 m). The
  distance is Euclidean in that space, so a pair that is ``eps`` apart in
  space *and* one window apart in time is ``√2 · eps`` apart.

Which HDBSCAN implementation
----------------------------
scikit-learn's ``HDBSCAN`` builds the minimum spanning tree of the mutual
reachability graph with Prim's algorithm over all pairs, O(n²). The
``hdbscan`` package (McInnes, Healy & Astels 2017) builds the same tree with a
dual-tree Borůvka algorithm on a KD-tree (McInnes & Healy 2017). On 100,000
county incidents (``bench/bench_hdbscan.py``, ``min_cluster_size`` 50, 2-core
machine shared with other work): scikit-learn 66 s; gisapp 7.2 s including
the hulls and ellipses (9.3×; the Borůvka fit alone takes about 3 s on an
idle machine), with an adjusted Rand index of 0.997 against scikit-learn's
labels. The package's ``min_samples`` does not count the point itself, so
gisapp passes ``min_samples − 1``, and it asks for the exact tree
(``approx_min_span_tree=False``; the approximate one gave ARI 0.96);
remaining differences come from ties between equal mutual reachability
distances. ``backend="auto"`` uses the package when it is installed and
scikit-learn otherwise (then no GLOSH scores).

Refusals
--------
Geographic (degree) coordinates (project first: a 100 m ``eps`` means nothing
in degrees); fewer located incidents than the minimum cluster size (or than
``n_clusters``); all incidents at one place (there is no structure to find;
HDBSCAN would call them all noise); missing ``eps`` for DBSCAN or
``n_clusters`` for K-means.

Row order. Cluster ids are numbered by size, so they do not depend on the
row order, but membership can at the margins: mutual reachability distances
tie often (many equal the same core distance), and which of two tied edges
HDBSCAN's spanning tree takes depends on the order, which can move a border
point or two between a cluster and noise (tested: ≤ 3 of 820 points, ARI ≥
0.99). DBSCAN's border points within ``eps`` of core points of two clusters
go to the cluster found first, as in every DBSCAN implementation. K-means is
fixed by ``seed``.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, replace

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from scipy import sparse
from scipy.spatial import cKDTree

from gisapp.analysis.clusters.methods import ClusterParams
from gisapp.analysis.clusters.nnh import incident_labels, nnh_levels
from gisapp.analysis.core.aggregation import point_coordinates, require_metric_crs
from gisapp.analysis.core.result import LayeredResult, report
from gisapp.analysis.stats.ellipse import standard_deviational_ellipse
from gisapp.layers.errors import AnalysisError, InputError

METHODS = ("hdbscan", "dbscan", "optics", "nnh", "kmeans")
BACKENDS = ("auto", "hdbscan", "sklearn")
DEFAULT_TIME_DISTANCE_M = 100.0
_DEGENERATE_WIDTH_M = 0.5


@dataclass
class ClusterResult(LayeredResult):
    """``layer``: one row per clustered incident with ``cluster_id`` (and the method's extras).

    ``extra_layers`` holds ``cluster_hulls`` (one convex-hull polygon per
    cluster with its statistics) and ``cluster_ellipses`` (its standard
    deviational ellipse, same statistics), also reachable as :attr:`hulls`
    and :attr:`ellipses`.
    """

    @property
    def hulls(self) -> gpd.GeoDataFrame:
        return self.extra_layers["cluster_hulls"]

    @property
    def ellipses(self) -> gpd.GeoDataFrame:
        return self.extra_layers["cluster_ellipses"]


# --------------------------------------------------------------------------- checks


def _check_params(p: ClusterParams) -> None:
    if p.method not in METHODS:
        raise InputError(f"Unknown clustering method {p.method!r}; use one of {', '.join(METHODS)}.")
    if p.backend not in BACKENDS:
        raise InputError(f"Unknown HDBSCAN backend {p.backend!r}; use one of {', '.join(BACKENDS)}.")
    if int(p.min_cluster_size) < 2:
        raise InputError(f"The minimum cluster size must be at least 2, got {p.min_cluster_size}.")
    if p.min_samples is not None and int(p.min_samples) < 1:
        raise InputError(f"min_samples must be at least 1, got {p.min_samples}.")
    for name in ("eps", "max_eps", "time_window_days", "time_distance_m", "study_area_km2"):
        value = getattr(p, name)
        if value is not None and not (math.isfinite(float(value)) and float(value) > 0):
            raise InputError(f"{name} must be a positive number, got {value}.")
    if p.method == "dbscan" and p.eps is None:
        raise InputError("DBSCAN needs a search distance: give eps in metres (for example 100).")
    if p.method == "kmeans" and (p.n_clusters is None or int(p.n_clusters) < 1):
        raise InputError("K-means needs the number of clusters: give n_clusters (for example 5).")
    if p.method == "nnh" and p.time_window_days is not None:
        raise InputError("NNH clusters in space only: leave out the time window, or use dbscan for space-time clusters.")
    if not 0 < p.nnh_probability <= 0.5:
        raise InputError(f"The NNH probability must lie between 0 and 0.5, got {p.nnh_probability}.")
    if p.cluster_selection not in ("eom", "leaf"):
        raise InputError(f"cluster_selection must be 'eom' or 'leaf', got {p.cluster_selection!r}.")
    if not 0 < p.xi < 1:
        raise InputError(f"xi must lie between 0 and 1, got {p.xi}.")
    if p.ellipse_sd <= 0:
        raise InputError(f"ellipse_sd must be positive, got {p.ellipse_sd}.")


def _min_samples(p: ClusterParams) -> int:
    return int(p.min_samples) if p.min_samples is not None else int(p.min_cluster_size)


def _incident_days(points: gpd.GeoDataFrame) -> np.ndarray:
    if "occurred_at" not in points.columns:
        raise InputError("Space-time clustering needs an occurred_at column in the incident layer.")
    times = pd.to_datetime(points["occurred_at"], errors="coerce")
    values = times.to_numpy(dtype="datetime64[ns]")
    days = (values - np.datetime64("1970-01-01", "ns")) / np.timedelta64(1, "D")
    return np.where(pd.isna(times).to_numpy(), np.nan, days.astype(float))


# --------------------------------------------------------------------------- the methods


def _hdbscan_backend(name: str) -> str:
    if name in ("auto", "hdbscan"):
        try:
            import hdbscan  # noqa: F401

            return "hdbscan"
        except ImportError:
            if name == "hdbscan":
                raise InputError("The hdbscan package is not installed: pip install hdbscan, or use backend sklearn.") from None
    return "sklearn"


def run_hdbscan(coords: np.ndarray, p: ClusterParams) -> tuple[np.ndarray, dict, str]:
    """Labels (−1 noise), extra per-point columns, and the backend used."""
    min_samples = _min_samples(p)
    backend = _hdbscan_backend(p.backend)
    epsilon = float(p.eps or 0.0)
    if backend == "hdbscan":
        import hdbscan

        model = hdbscan.HDBSCAN(
            min_cluster_size=int(p.min_cluster_size),
            min_samples=max(1, min_samples - 1),  # the package does not count the point itself
            cluster_selection_epsilon=epsilon,
            cluster_selection_method=p.cluster_selection,
            algorithm="boruvka_kdtree",
            approx_min_span_tree=False,
            core_dist_n_jobs=1,
        ).fit(coords)
        scores = np.nan_to_num(np.asarray(model.outlier_scores_, dtype=float), nan=0.0)
        extra = {"probability": np.asarray(model.probabilities_, dtype=float), "outlier_score": scores,
                 "exemplar": hdbscan_exemplars(model)}
    else:
        from sklearn.cluster import HDBSCAN

        model = HDBSCAN(
            min_cluster_size=int(p.min_cluster_size),
            min_samples=min_samples,
            cluster_selection_epsilon=epsilon,
            cluster_selection_method=p.cluster_selection,
            copy=True,
        ).fit(coords)
        extra = {"probability": np.asarray(model.probabilities_, dtype=float), "outlier_score": np.full(len(coords), np.nan),
                 "exemplar": np.full(len(coords), np.nan)}
    scores = extra["outlier_score"]
    if np.isfinite(scores).any():
        threshold = float(np.nanquantile(scores, p.outlier_quantile))
        extra["outlier"] = scores > threshold
    else:
        extra["outlier"] = np.zeros(len(coords), dtype=bool)
    return np.asarray(model.labels_), extra, backend


def hdbscan_exemplars(model) -> np.ndarray:
    """1.0 for each clustered incident that is an exemplar of its cluster, else 0.0.

    The ``hdbscan`` package's definition (``exemplars_``): in each leaf of the
    condensed tree, the points that stay longest (largest λ); a selected
    cluster's exemplars are those of the leaves below it. The package derives
    them while building its prediction data, which costs as much again as a
    fifth of the fit (0.7 s on 100,000 incidents); read straight from the
    condensed tree they cost milliseconds. ``tests/analysis/test_clustering.py``
    checks that both give the same points.
    """
    labels = np.asarray(model.labels_)
    n = len(labels)
    tree = model.condensed_tree_.to_numpy()
    parent, child, lam = tree["parent"], tree["child"], tree["lambda_val"]
    is_point = child < n
    leaves = np.setdiff1d(np.r_[n, child[~is_point]], parent[~is_point])
    rows = is_point & np.isin(parent, leaves)
    deepest = pd.Series(lam[rows]).groupby(parent[rows]).transform("max").to_numpy()
    exemplar = child[rows][lam[rows] == deepest]
    flags = np.zeros(n)
    flags[exemplar[labels[exemplar] >= 0]] = 1.0
    return flags


def run_nnh(coords: np.ndarray, p: ClusterParams) -> tuple[np.ndarray, dict, dict]:
    """First-order labels, the higher-order labels per incident, and the thresholds and area used."""
    area = p.study_area_km2 * 1e6 if p.study_area_km2 else None
    levels, area_m2 = nnh_levels(coords, int(p.min_cluster_size), p.nnh_probability, area, p.eps)
    per_order = incident_labels(levels)
    extra = {f"cluster_order_{level.order}": labels for level, labels in zip(levels[1:], per_order[1:])}
    info = {
        "area_km2": round(area_m2 / 1e6, 4),
        "area_source": "given" if area else "bounding rectangle of the incidents",
        "orders": [
            {"order": level.order, "threshold_m": round(level.threshold.distance_m, 2),
             "random_nn_m": _rounded(level.threshold.random_nn_m, 2),
             "standard_error_m": _rounded(level.threshold.standard_error_m, 3),
             "t": _rounded(level.threshold.t_value, 4),
             "clusters": int(level.labels.max(initial=-1)) + 1}
            for level in levels
        ],
    }
    return per_order[0], extra, info


def _rounded(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def run_dbscan(coords: np.ndarray, p: ClusterParams, days: np.ndarray | None = None) -> tuple[np.ndarray, dict]:
    """DBSCAN, or ST-DBSCAN when ``days`` is given (neighbours within eps metres and the time window)."""
    from sklearn.cluster import DBSCAN

    eps = float(p.eps)
    if days is None:
        labels = DBSCAN(eps=eps, min_samples=_min_samples(p)).fit(coords).labels_
        return labels, {}
    graph = space_time_neighbours(coords, days, eps, float(p.time_window_days))
    # Distances are stored with a tiny offset so that coincident incidents stay explicit entries.
    labels = DBSCAN(eps=eps + 1e-6, min_samples=_min_samples(p), metric="precomputed").fit(graph).labels_
    return labels, {}


def space_time_neighbours(coords: np.ndarray, days: np.ndarray, eps: float, window: float) -> sparse.csr_matrix:
    """Sparse symmetric matrix of the pairs within ``eps`` metres and ``window`` days (distance + 1e-9)."""
    tree = cKDTree(coords)
    pairs = tree.query_pairs(eps, output_type="ndarray")
    if len(pairs):
        close = np.abs(days[pairs[:, 0]] - days[pairs[:, 1]]) <= window
        pairs = pairs[close]
    i, j = pairs[:, 0], pairs[:, 1]
    d = np.hypot(*(coords[i] - coords[j]).T) + 1e-9
    n = len(coords)
    return sparse.csr_matrix((np.concatenate([d, d]), (np.concatenate([i, j]), np.concatenate([j, i]))), shape=(n, n))


def run_optics(coords: np.ndarray, p: ClusterParams) -> tuple[np.ndarray, dict]:
    from sklearn.cluster import OPTICS

    model = OPTICS(
        min_samples=_min_samples(p),
        max_eps=float(p.max_eps) if p.max_eps else np.inf,
        cluster_method="dbscan" if p.eps else "xi",
        eps=float(p.eps) if p.eps else None,
        xi=p.xi,
        min_cluster_size=int(p.min_cluster_size),
    ).fit(coords)
    order = np.empty(len(coords), dtype=np.int64)
    order[model.ordering_] = np.arange(len(coords))
    reach = np.where(np.isfinite(model.reachability_), model.reachability_, np.nan)
    core = np.where(np.isfinite(model.core_distances_), model.core_distances_, np.nan)
    return model.labels_, {"reachability_m": reach, "core_distance_m": core, "optics_order": order}


def run_kmeans(coords: np.ndarray, p: ClusterParams) -> tuple[np.ndarray, dict]:
    from sklearn.cluster import KMeans

    k = int(p.n_clusters)
    distinct = len(np.unique(coords, axis=0))
    if distinct < k:
        raise AnalysisError(f"K-means cannot make {k} clusters from {distinct} distinct incident locations.")
    model = KMeans(n_clusters=k, n_init=10, random_state=int(p.seed)).fit(coords)
    centres = model.cluster_centers_[model.labels_]
    return model.labels_, {"distance_to_centre_m": np.linalg.norm((coords - centres)[:, :2], axis=1)}


# --------------------------------------------------------------------------- numbering and summaries


def renumber_by_size(labels: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Cluster ids 1…k by decreasing size (ties: mean centre west→east, south→north); −1 stays noise."""
    labels = np.asarray(labels)
    out = np.full(len(labels), -1, dtype=np.int64)
    found = [lab for lab in np.unique(labels) if lab >= 0]
    keys = []
    for lab in found:
        members = labels == lab
        keys.append((-int(members.sum()), float(x[members].mean()), float(y[members].mean()), lab))
    for new_id, (_, _, _, lab) in enumerate(sorted(keys), start=1):
        out[labels == lab] = new_id
    return out


def _hull_polygon(x: np.ndarray, y: np.ndarray) -> tuple[shapely.Geometry, bool]:
    hull = shapely.convex_hull(shapely.multipoints(np.column_stack([x, y])))
    if isinstance(hull, shapely.Polygon) and hull.area > 0:
        return hull, False
    return shapely.buffer(hull, _DEGENERATE_WIDTH_M), True


def cluster_tables(points: gpd.GeoDataFrame, ids: np.ndarray, x: np.ndarray, y: np.ndarray, p: ClusterParams):
    """Per-cluster statistics as two layers: convex hulls and standard deviational ellipses."""
    rows, hulls, ellipses = [], [], []
    has_time = "occurred_at" in points.columns
    has_sub = "subcategory" in points.columns
    to_lonlat = pyproj.Transformer.from_crs(points.crs, 4326, always_xy=True)
    for cid in range(1, int(ids.max(initial=0)) + 1):
        members = ids == cid
        cx, cy = x[members], y[members]
        hull, flat = _hull_polygon(cx, cy)
        ellipse = standard_deviational_ellipse(cx, cy, n_std=p.ellipse_sd, sqrt2=p.ellipse_sqrt2)
        lon, lat = to_lonlat.transform(ellipse.centre_x, ellipse.centre_y)
        area_km2 = 0.0 if flat else hull.area / 1e6
        row = {
            "cluster_id": cid,
            "count": int(members.sum()),
            "centre_x": ellipse.centre_x,
            "centre_y": ellipse.centre_y,
            "centre_lon": round(lon, 6),
            "centre_lat": round(lat, 6),
            "sd_major_m": ellipse.sd_major,
            "sd_minor_m": ellipse.sd_minor,
            "rotation_deg": ellipse.rotation_deg,
            "hull_area_km2": area_km2,
            "density_per_km2": (members.sum() / area_km2) if area_km2 > 0 else np.nan,
            "degenerate": bool(flat or ellipse.degenerate),
        }
        if has_time:
            times = pd.to_datetime(points.loc[members, "occurred_at"], errors="coerce")
            row["first_at"] = times.min()
            row["last_at"] = times.max()
        if has_sub:
            modes = points.loc[members, "subcategory"].dropna().astype(str)
            row["main_subcategory"] = modes.value_counts().index[0] if len(modes) else None
        rows.append(row)
        hulls.append(hull)
        ellipses.append(ellipse.polygon(min_axis=_DEGENERATE_WIDTH_M))
    frame = pd.DataFrame(rows)
    return (gpd.GeoDataFrame(frame.copy(), geometry=hulls, crs=points.crs),
            gpd.GeoDataFrame(frame.copy(), geometry=ellipses, crs=points.crs))


# --------------------------------------------------------------------------- entry point


def cluster_incidents(points_gdf: gpd.GeoDataFrame, params: ClusterParams | None = None, progress=None, cancelled=None) -> ClusterResult:
    """Cluster incident points.

    Parameters
    ----------
    points_gdf : GeoDataFrame
        Incident points in a projected CRS in metres (degrees are refused with
        an :class:`AnalysisError`). Rows without a location — and, for
        space-time clustering, without a time — are left out and counted in
        the summary.
    params : ClusterParams
    progress, cancelled : callables, optional
        Reported and checked between the stages; a library's own fit cannot
        be interrupted.

    Returns
    -------
    ClusterResult
        ``layer``: the incidents with ``cluster_id`` (and the method's extra
        columns, see the module notes); ``hulls`` and ``ellipses``: one
        polygon per cluster; ``summary``: ``clusters``, ``clustered``,
        ``noise``, ``noise_share``, the largest clusters; ``params``: the
        parameters with ``min_samples_used``, ``backend`` and the time scale.
    """
    p = params or ClusterParams()
    _check_params(p)
    require_metric_crs(points_gdf, "incident layer")
    report(progress, cancelled, 0.0, "reading incidents")
    x, y, located = point_coordinates(points_gdf)
    usable = located.copy()
    days = None
    if p.time_window_days is not None:
        days = _incident_days(points_gdf)
        usable &= np.isfinite(days)
    points, x, y = points_gdf[usable], x[usable], y[usable]
    _check_enough(len(points), x, y, p)
    days = None if days is None else days[usable]
    coords, time_scale = _clustering_space(x, y, days, p)
    report(progress, cancelled, 0.1, f"{p.method} on {len(points):,} incidents")
    labels, extra, backend, nnh = _run_method(coords, p, days)
    report(progress, cancelled, 0.8, "cluster hulls and ellipses")
    ids = renumber_by_size(labels, x, y)
    higher = {name: renumber_by_size(values, x, y) for name, values in extra.items() if name.startswith("cluster_order_")}
    extra.update(higher)
    layer = _labelled(points, ids, extra)
    hulls, ellipses = cluster_tables(points, ids, x, y, p)
    if nnh is not None:
        hulls, ellipses = _with_orders(points, x, y, p, (hulls, ellipses), higher)
    used = _used(p, backend, time_scale, days, nnh)
    summary = _summary(ids, hulls[hulls["order"] == 1] if nnh is not None else hulls, len(points), points_gdf, located, usable, used)
    if p.method == "hdbscan" and len(points) and (ids < 0).all():
        report(progress, cancelled, 0.9, "every incident is noise: looking for a minimum size that forms clusters")
        summary["suggested_min_cluster_size"], note = all_noise_note(coords, p, len(points))
        summary["notes"].append(note)
    report(progress, cancelled, 1.0, "done")
    return ClusterResult(layer, summary, used, extra_layers={"cluster_hulls": hulls, "cluster_ellipses": ellipses})


def _check_enough(n: int, x: np.ndarray, y: np.ndarray, p: ClusterParams) -> None:
    """Enough located incidents for the method, and not all at one place."""
    needed = int(p.n_clusters) if p.method == "kmeans" else (_min_samples(p) if p.method == "dbscan" else int(p.min_cluster_size))
    if n < max(needed, 2):
        what = "clusters asked for" if p.method == "kmeans" else "minimum cluster size"
        raise AnalysisError(f"{n} located incidents are fewer than the {what} ({needed}); widen the filters or lower it.")
    if np.ptp(x) == 0 and np.ptp(y) == 0:
        raise AnalysisError(f"All {n} incidents are at one place, so there is no spatial structure to cluster.")


def _clustering_space(x, y, days, p: ClusterParams) -> tuple[np.ndarray, float | None]:
    """The coordinates clustered: x, y, and for space-time clustering (not ST-DBSCAN) time scaled to metres."""
    if days is None or p.method == "dbscan":
        return np.column_stack([x, y]), None
    distance = float(p.time_distance_m or p.eps or DEFAULT_TIME_DISTANCE_M)
    time_scale = distance / float(p.time_window_days)  # metres per day
    return np.column_stack([x, y, (days - days.min()) * time_scale]), time_scale


def _run_method(coords: np.ndarray, p: ClusterParams, days):
    """Labels, extra columns, the HDBSCAN backend and the NNH details of the chosen method."""
    backend = nnh = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        if p.method == "hdbscan":
            labels, extra, backend = run_hdbscan(coords, p)
        elif p.method == "dbscan":
            labels, extra = run_dbscan(coords, p, days)
        elif p.method == "optics":
            labels, extra = run_optics(coords, p)
        elif p.method == "nnh":
            labels, extra, nnh = run_nnh(coords, p)
        else:
            labels, extra = run_kmeans(coords, p)
    return labels, extra, backend, nnh


def _labelled(points: gpd.GeoDataFrame, ids: np.ndarray, extra: dict) -> gpd.GeoDataFrame:
    """The incidents with ``cluster_id`` and the method's columns (input columns of the same name kept as ``*_input``)."""
    layer = points.copy()
    for clash in [c for c in ["cluster_id", *extra] if c in layer.columns]:
        layer = layer.rename(columns={clash: f"{clash}_input"})
    layer["cluster_id"] = ids
    for name, values in extra.items():
        layer[name] = values
    return layer


def _used(p: ClusterParams, backend, time_scale, days, nnh) -> dict:
    """Every parameter actually used, with what was chosen on the way."""
    used = {
        **p.to_dict(),
        "min_samples_used": _min_samples(p),
        "backend": backend,
        "time_scale_m_per_day": time_scale,
        "space_time": "st-dbscan" if (days is not None and p.method == "dbscan") else ("scaled-time" if days is not None else None),
    }
    if nnh is not None:
        used["nnh"] = nnh
    return used


def _with_orders(points, x, y, p, tables, higher: dict[str, np.ndarray]):
    """NNH: the first-order hulls and ellipses followed by those of each higher order, with ``order``."""
    hulls, ellipses = [tables[0].assign(order=1)], [tables[1].assign(order=1)]
    for name, ids in higher.items():
        order = int(name.rsplit("_", 1)[1])
        hull, ellipse = cluster_tables(points, ids, x, y, p)
        hulls.append(hull.assign(order=order))
        ellipses.append(ellipse.assign(order=order))
    return tuple(gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), geometry="geometry", crs=points.crs)
                 for parts in (hulls, ellipses))


def _summary(ids, hulls, n, points_gdf, located, usable, used, top: int = 10) -> dict:
    noise = int((ids < 0).sum())
    largest = []
    for row in hulls.head(top).itertuples():
        entry = {"cluster_id": int(row.cluster_id), "count": int(row.count), "lon": row.centre_lon, "lat": row.centre_lat,
                 "sd_major_m": round(row.sd_major_m, 1), "sd_minor_m": round(row.sd_minor_m, 1),
                 "rotation_deg": round(row.rotation_deg, 1), "hull_area_km2": round(row.hull_area_km2, 4)}
        if hasattr(row, "main_subcategory"):
            entry["main_subcategory"] = row.main_subcategory
        if hasattr(row, "first_at"):
            entry["first_at"], entry["last_at"] = str(row.first_at), str(row.last_at)
        largest.append(entry)
    return {
        "method": used["method"],
        "backend": used["backend"],
        "incidents": n,
        "incidents_without_location": int((~located).sum()),
        "incidents_without_time": int((located & ~usable).sum()),
        "clusters": int(ids.max(initial=0)),
        "clustered": n - noise,
        "noise": noise,
        "noise_share": round(noise / n, 4) if n else 0.0,
        "min_samples_used": used["min_samples_used"],
        "space_time": used["space_time"],
        **({"nnh": used["nnh"]} if "nnh" in used else {}),
        "largest": largest,
        "notes": _notes(ids, n, used),
    }


#: Incidents up to which an all-noise HDBSCAN run is repeated with smaller sizes to suggest one.
SUGGEST_SIZE_UP_TO = 50_000


def all_noise_note(coords: np.ndarray, p: ClusterParams, n: int) -> tuple[int | None, str]:
    """When HDBSCAN calls every incident noise: the largest minimum cluster size (halving from the one used)
    that forms a cluster, and a sentence saying so; a result of nothing but noise is otherwise silent."""
    size = int(p.min_cluster_size)
    lead = (f"HDBSCAN found no cluster: all {n:,} incidents are noise with a minimum cluster size of {size}"
            f"{'' if p.min_samples is None else f' and min_samples {p.min_samples}'}.")
    if n > SUGGEST_SIZE_UP_TO:
        return None, f"{lead} Try a smaller --min-cluster-size."
    candidate = size // 2
    while candidate >= 2:
        trial = replace(p, min_cluster_size=candidate, min_samples=None if p.min_samples is None else min(int(p.min_samples), candidate))
        labels, _, _ = run_hdbscan(coords, trial)
        found = len(set(labels.tolist()) - {-1})
        if found:
            return candidate, (f"{lead} With --min-cluster-size {candidate} it finds {found} cluster{'s' if found > 1 else ''} "
                               f"({int((labels >= 0).sum()):,} incidents).")
        candidate //= 2
    return None, f"{lead} Even a minimum size of 2 forms no cluster: the incidents show no dense groups at this scale."


def _notes(ids: np.ndarray, n: int, used: dict) -> list[str]:
    clustered = int((ids > 0).sum())
    biggest = int((ids == 1).sum())
    if used["method"] != "nnh" or not clustered or biggest <= 0.5 * clustered:
        return []
    first = used["nnh"]["orders"][0]
    note = (
        f"One cluster holds {biggest / clustered:.0%} of the clustered incidents: the {first['threshold_m']:.0f} m threshold "
        f"chains the dense places together. NNH's random distance assumes the incidents could fall anywhere in the "
        f"{used['nnh']['area_km2']:,.0f} km² study area; give the area they really occupy (--area-km2), a fixed "
        f"threshold (--eps 50), or one category."
    )
    return [note]


def run_cluster(inputs, params: ClusterParams, progress=None, cancelled=None) -> ClusterResult:
    """The ``cluster`` method on the filtered incidents."""
    return cluster_incidents(inputs.incidents(), params, progress, cancelled)
