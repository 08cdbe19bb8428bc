"""CrimeStat's nearest-neighbour hierarchical clustering (NNH, Levine, CrimeStat manual ch. 7).

Criterion 1, the threshold distance. Under complete spatial randomness the
mean nearest-neighbour distance of ``N`` points in an area ``A`` is

    d_ran = 0.5 · sqrt(A / N),   with standard error   SE = 0.26136 / sqrt(N² / A)

(Clark & Evans 1954, the same figures as CrimeStat's nearest-neighbour
index). A pair of incidents is linked when it is closer than

    d_threshold = d_ran + t_p · SE,

``t_p`` the one-tailed Student t quantile of the chosen probability ``p``
(``N − 1`` degrees of freedom): the distance that a pair of random points
undercuts with probability ``p``. ``p = 0.5`` gives ``d_ran`` itself;
smaller ``p`` gives shorter thresholds and tighter clusters. A fixed
threshold in metres may be given instead. The area matters as much as ``p``:
CrimeStat takes the bounding rectangle of the points unless the user gives
the area, and so does :func:`nnh_levels`; ``gisapp cluster`` passes the area
of the grid-management polygons (the county) when it has them.

Criterion 2, the minimum number of incidents in a cluster. Linked incidents
form groups by single linkage (any chain of links within the threshold),
and groups with fewer than the minimum are noise.

Higher orders. The mean centres of the first-order clusters are clustered
again the same way, with the threshold recomputed for their number over the
same area (a fixed threshold stays fixed), giving second-order clusters, and
so on until a level yields none. A second-order cluster here is drawn from
the incidents of its member clusters (CrimeStat draws it from their
centres); its incidents carry its id in ``cluster_order_2``.

Coincident incidents (many share an address) are merged before the pairs
are found, and counted by multiplicity, so a busy market costs one point.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import sparse, stats
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from gisapp.layers.errors import AnalysisError, InputError

#: Clark & Evans's constant for the standard error of the random nearest-neighbour distance.
CLARK_EVANS_SE = 0.26136


@dataclass(frozen=True)
class Threshold:
    """The linking distance of one level and how it was found (metres)."""

    distance_m: float
    random_nn_m: float | None = None
    standard_error_m: float | None = None
    t_value: float | None = None


@dataclass
class NnhLevel:
    """One order of clusters: ``labels`` for the points clustered at this order (−1 noise)."""

    order: int
    threshold: Threshold
    labels: np.ndarray


def random_threshold(n: int, area_m2: float, probability: float) -> Threshold:
    """CrimeStat's NNH threshold for ``n`` points on ``area_m2`` at one-tailed ``probability``.

    Examples
    --------
    >>> t = random_threshold(100, 1e6, 0.5)   # 100 points on 1 km²: d_ran = 50 m
    >>> round(t.distance_m, 6), round(t.standard_error_m, 4)
    (50.0, 2.6136)
    """
    if n < 2:
        raise AnalysisError("The random nearest-neighbour distance needs at least two points.")
    if not (area_m2 > 0 and math.isfinite(area_m2)):
        raise InputError(f"The study area must be a positive number of square metres, got {area_m2}.")
    if not 0 < probability <= 0.5:
        raise InputError(f"The NNH probability must lie in (0, 0.5], got {probability}.")
    d_ran = 0.5 * math.sqrt(area_m2 / n)
    se = CLARK_EVANS_SE / math.sqrt(n * n / area_m2)
    t = float(stats.t.ppf(probability, df=n - 1))
    return Threshold(max(d_ran + t * se, 0.0), d_ran, se, t)


def single_linkage(coords: np.ndarray, threshold_m: float, min_points: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Groups of points chained by links shorter than ``threshold_m``; groups under ``min_points`` are −1.

    ``weights`` counts each point as that many incidents (coincident ones merged).
    Labels are 0, 1, … in no particular order.
    """
    n = len(coords)
    weights = np.ones(n, dtype=np.int64) if weights is None else np.asarray(weights, dtype=np.int64)
    pairs = cKDTree(coords).query_pairs(threshold_m, output_type="ndarray") if threshold_m > 0 else np.empty((0, 2), int)
    graph = sparse.coo_matrix((np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    size = np.bincount(component, weights=weights)
    kept = np.flatnonzero(size >= min_points)
    label_of = np.full(len(size), -1, dtype=np.int64)
    label_of[kept] = np.arange(len(kept))
    return label_of[component]


def nnh_levels(
    coords: np.ndarray,
    min_points: int,
    probability: float = 0.5,
    area_m2: float | None = None,
    fixed_threshold_m: float | None = None,
    max_order: int = 5,
) -> tuple[list[NnhLevel], float]:
    """First- and higher-order NNH clusters of incident coordinates (metres).

    Parameters
    ----------
    coords : ndarray (n, 2)
    min_points : int
        Fewest incidents (first order) or member clusters (higher orders) in a cluster.
    probability : float
        One-tailed probability of the threshold (module notes); 0.5 gives the
        mean random nearest-neighbour distance.
    area_m2 : float, optional
        Study area; the bounding rectangle of the incidents when None.
    fixed_threshold_m : float, optional
        A fixed linking distance instead of the random one (all orders).
    max_order : int
        Stop after this many orders.

    Returns
    -------
    levels : list of NnhLevel
        ``levels[0].labels`` label every incident; ``levels[k].labels`` label
        the clusters of order ``k`` (their mean centres).
    area_m2 : float
        The area used.
    """
    coords = np.asarray(coords, dtype=float)
    if area_m2 is None:
        area_m2 = float(np.ptp(coords[:, 0]) * np.ptp(coords[:, 1]))
        if area_m2 <= 0:
            raise AnalysisError("The incidents lie on a line, so their bounding rectangle has no area: give the study area.")
    places, inverse, counts = np.unique(coords, axis=0, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()

    def threshold_for(n: int) -> Threshold:
        return Threshold(float(fixed_threshold_m)) if fixed_threshold_m is not None else random_threshold(n, area_m2, probability)

    first = threshold_for(len(coords))
    labels = single_linkage(places, first.distance_m, min_points, counts)[inverse]
    levels = [NnhLevel(1, first, labels)]
    points, members = coords, labels
    while len(levels) < max_order:
        k = int(members.max(initial=-1)) + 1
        if k < max(min_points, 2):
            break
        centres = np.array([points[members == c].mean(axis=0) for c in range(k)])
        threshold = threshold_for(k)
        upper = single_linkage(centres, threshold.distance_m, min_points)
        if upper.max(initial=-1) < 0:
            break
        levels.append(NnhLevel(len(levels) + 1, threshold, upper))
        points, members = centres, upper
    return levels, area_m2


def incident_labels(levels: list[NnhLevel]) -> list[np.ndarray]:
    """For each order, the cluster of that order each incident belongs to (−1 if none)."""
    out = [levels[0].labels]
    for level in levels[1:]:
        below = out[-1]
        out.append(np.where(below >= 0, level.labels[np.maximum(below, 0)], -1))
    return out
