"""Near-repeat analysis: the Knox test over distance x time bands, and event chains.

"Will there be another burglary next door this week?" After a burglary, the
risk to homes nearby is raised for a few days or weeks (Townsley, Homel &
Chaseling 2003; Johnson & Bowers 2004). The Knox test measures it: count the
pairs of events that are close in space *and* in time, and compare with what
the same places and the same times give when the times are shuffled over the
places (Knox 1964; Mantel's Monte Carlo version). This module follows
Ratcliffe's Near Repeat Calculator (NRC, 2009):

- **Distance bands** (metres), Euclidean or Manhattan. Edges ``0, 100, 200,
  400`` give the bands "same location" (d = 0), 1-100, 101-200 and 201-400 m,
  plus "more than 400 m" (band i holds ``e[i-1] < d <= e[i]``, with the one
  edge tolerance of :mod:`gisapp.analysis.core.edges`). Without a
  leading 0 there is no separate same-location band and the first band is
  ``0 <= d <= e[1]``.
- **Time bands** (days). Edges ``0, 7, 14, 21`` give 0-7, 8-14, 15-21 and
  "more than 21 days" (``t[j-1] < dt <= t[j]``, the first band including 0).
  As in the NRC, dt is the difference of the calendar *dates* (whole days);
  ``whole_days=False`` uses exact fractional days.
- **Null model**: the event times are permuted over the event locations R
  times (999 by default, seeded), which keeps both the spatial and the
  temporal distribution and destroys only their interaction.
- **Table**: observed pairs, expected = mean of the simulated counts,
  Knox ratio = observed / expected, and p = (#simulations >= observed + 1) /
  (R + 1), one-sided for an excess (the NRC's definition; with R = 999 the
  smallest p is 0.001).

Efficiency. Only pairs within the largest distance band can fall in a
within-distance row, and they are fixed: permuting times changes their time
differences, not their distances. So the pairs are found once with a k-d tree
(``cKDTree.query_pairs``, never an n x n matrix); each permutation gathers the
permuted times of those pairs, bins the differences with a lookup table and
counts with ``np.bincount``. The "more than" row and column need no pairs:
over *all* n(n-1)/2 pairs the count in each time band does not change under
permutation (it is a property of the multiset of times, counted once from the
sorted times), and the per-distance-band totals are fixed too; the beyond-row
counts are these totals minus the within rows, in every permutation.
Permutations run in chunks whose size bounds memory; only running sums and
exceedance counts are kept, so memory does not grow with R.

References
----------
Knox, E. G. (1964). The detection of space-time interactions. Journal of the
Royal Statistical Society C 13(1), 25-30.
Ratcliffe, J. H. (2009). Near Repeat Calculator (version 1.3). Temple
University, Philadelphia, and the National Institute of Justice.
Townsley, M., Homel, R. & Chaseling, J. (2003). Infectious burglaries: a test
of the near repeat hypothesis. British Journal of Criminology 43(3), 615-633.
Johnson, S. D. & Bowers, K. J. (2004). The burglary as a clue to the future.
European Journal of Criminology 1(2), 237-255.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from gisapp.analysis.core.aggregation import point_coordinates, require_metric_crs
from gisapp.analysis.core.edges import band_index, inclusive
from gisapp.analysis.core.result import AnalysisResult, report
from gisapp.analysis.core.time_steps import incident_times
from gisapp.analysis.spacetime.methods import KnoxParams
from gisapp.layers.errors import AnalysisError, InputError

#: Fewer events cannot support a Knox test.
MIN_EVENTS = 10
#: Pairs within the largest distance band that the test holds in memory (16 bytes each, plus bins).
MAX_PAIRS = 50_000_000
#: Pair-permutations (pairs x R) refused as too slow: about ten minutes at the ~11 ns each measured on 2 cores.
MAX_WORK = 50_000_000_000
#: ``--permutations auto``: the counts tried, most first, and the most pair-permutations they may cost
#: (about ten seconds on two cores).
AUTO = "auto"
AUTO_PERMUTATIONS = (999, 499, 199, 99)
AUTO_WORK = 1_500_000_000

CLASSES = {
    "originator": "首发",
    "repeat": "重复",
    "near_repeat": "近重复",
    "isolated": "孤立",
}


@dataclass
class KnoxTable:
    """The Knox table: rows are distance bands, columns time bands, the last of each is "more than".

    Attributes
    ----------
    distance_labels, time_labels : list of str
    observed : ndarray of int, shape (D + 1, T + 1)
    expected : ndarray, mean simulated count
    ratio : ndarray, observed / expected (NaN where expected is 0)
    p : ndarray, (#sims >= observed + 1) / (R + 1)
    sim_sd : ndarray, standard deviation of the simulated counts
    permutations : int
    """

    distance_labels: list
    time_labels: list
    observed: np.ndarray
    expected: np.ndarray
    ratio: np.ndarray
    p: np.ndarray
    sim_sd: np.ndarray
    permutations: int
    distance_labels_zh: list = field(default_factory=list)
    time_labels_zh: list = field(default_factory=list)
    pairs_within_largest_band: int = 0
    note: str | None = None

    def to_dict(self) -> dict:
        """JSON-ready table (the ``knox`` entry of the summary)."""
        return {
            "distance_bands": self.distance_labels,
            "time_bands": self.time_labels,
            "distance_bands_zh": self.distance_labels_zh,
            "time_bands_zh": self.time_labels_zh,
            "observed": self.observed.tolist(),
            "expected": np.round(self.expected, 4).tolist(),
            "knox_ratio": [[_none_if_nan(v) for v in row] for row in np.round(self.ratio, 4)],
            "p_value": np.round(self.p, 6).tolist(),
            "permutations": int(self.permutations),
        }

    def to_frame(self) -> pd.DataFrame:
        """Long table, one row per cell: the CSV export."""
        return knox_table_frame(self.to_dict())


def _none_if_nan(value):
    return None if not np.isfinite(value) else float(value)


# --------------------------------------------------------------------------- inputs


@dataclass
class Events:
    """Coordinates and times of the events that enter the test."""

    x: np.ndarray
    y: np.ndarray
    days: np.ndarray  # whole or fractional days since the first event
    order: np.ndarray  # rank by exact time (ties by row), for who came first
    rows: np.ndarray  # positions in the input layer
    dropped: dict


def prepare_events(points: gpd.GeoDataFrame, whole_days: bool = True) -> Events:
    """The events with a location and a time; the others are counted, never silently dropped."""
    require_metric_crs(points, "incident layer")
    times, timed = incident_times(points)
    x, y, located = point_coordinates(points)
    keep = timed & located
    rows = np.flatnonzero(keep)
    stamps = times[keep]
    if whole_days:
        dates = stamps.astype("datetime64[D]").astype(np.int64)
        days = (dates - dates.min()) if dates.size else dates
    else:
        ns = stamps.astype(np.int64)
        days = (ns - ns.min()) / 86_400e9 if ns.size else ns.astype(np.float64)
    order = np.empty(rows.size, dtype=np.int64)
    order[np.lexsort((np.arange(rows.size), stamps.astype(np.int64)))] = np.arange(rows.size)
    dropped = {"incidents_without_time": int((~timed).sum()), "incidents_without_location": int((timed & ~located).sum())}
    return Events(x[keep], y[keep], days, order, rows, dropped)


# --------------------------------------------------------------------------- pairs


def _tree(events: Events) -> cKDTree:
    return cKDTree(np.column_stack([events.x, events.y]))


def close_pairs(events: Events, distance: float, metric: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(i, j, d)``: every pair of events within ``distance`` (inclusive), i < j, never all pairs.

    The number of pairs is counted first (``cKDTree.count_neighbors``, no
    pairs materialised) so that an impossible request is refused before any
    memory is taken.
    """
    p = 2 if metric == "euclidean" else 1
    tree = _tree(events)
    reach = inclusive(distance)
    n = len(events.x)
    ordered = int(tree.count_neighbors(tree, reach, p=p))
    pairs = (ordered - n) // 2
    if pairs > MAX_PAIRS:
        raise InputError(
            f"{pairs:,} pairs of events lie within {distance:g} m of each other (limit {MAX_PAIRS:,}); "
            "use a smaller largest distance band, fewer events (filters), or a shorter period."
        )
    found = tree.query_pairs(reach, p=p, output_type="ndarray")
    if found.size == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0)
    order = grouped_order(found[:, 0], n)
    i, j = found[order, 0].astype(np.int64), found[order, 1].astype(np.int64)
    dx, dy = events.x[i] - events.x[j], events.y[i] - events.y[j]
    d = np.hypot(dx, dy) if p == 2 else np.abs(dx) + np.abs(dy)
    return i, j, d


def grouped_order(keys: np.ndarray, n: int) -> np.ndarray:
    """A stable order of ``keys`` (whole numbers below ``n``), by radix passes over 16-bit digits.

    numpy sorts 16-bit integers by radix in linear time: ten million pair
    indices group in 0.4 s instead of 6 s for a lexicographic sort.
    """
    order = np.argsort((keys & 0xFFFF).astype(np.uint16), kind="stable")
    shift = 16
    while n >> shift:
        digit = ((keys[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
    return order


def pairs_within_time_totals(days: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Number of pairs (over all n(n-1)/2) with time difference <= each edge: invariant under permutation."""
    sorted_days = np.sort(np.asarray(days, dtype=np.float64))
    idx = np.arange(sorted_days.size)
    totals = []
    for edge in edges:
        reach = np.searchsorted(sorted_days, sorted_days + inclusive(edge), side="right")
        totals.append(int((reach - idx - 1).sum()))
    return np.asarray(totals, dtype=np.int64)


# --------------------------------------------------------------------------- the test


def chosen_permutations(requested, pairs: int) -> tuple[int, str | None]:
    """The number of permutations to run, and why when it is not what was asked.

    ``"auto"`` takes 999 (the Near Repeat Calculator's usual count), or the
    largest of 499, 199 and 99 whose work (pairs × permutations) stays within
    :data:`AUTO_WORK`, so a county-wide run of every category takes seconds,
    not minutes. With R permutations no p-value goes below 1/(R + 1); 99 still
    resolves p = 0.01.
    """
    if requested != AUTO:
        return int(requested), None
    for count in AUTO_PERMUTATIONS:
        if pairs * count <= AUTO_WORK:
            return count, None if count == AUTO_PERMUTATIONS[0] else (
                f"{count} permutations, not 999: {pairs:,} pairs of events lie within the largest bands, so 999 would take "
                f"minutes; the smallest p-value is {1 / (count + 1):.3f}. Give --permutations 999 for finer p-values, or narrow "
                "the events (one category, an area, a period)."
            )
    return AUTO_PERMUTATIONS[-1], (
        f"99 permutations (the fewest chosen automatically) of {pairs:,} close pairs; narrow the events for a faster run."
    )


class _PairCounter:
    """Counts of close pairs per (distance band, time band) for permuted event times.

    The pairs and their distance bands are fixed; only the times move. With
    whole days, times are int16 and the pairs come grouped by their first
    event, so the first times of all pairs are one ``repeat`` of the permuted
    times (no gather) and the band of a difference is a count of the edges it
    exceeds (no table lookup): one permutation of ten million pairs costs
    about 0.08 s.
    """

    def __init__(self, i, j, d_band, days, t_edges):
        self.n_t = len(t_edges)
        self.cells = (int(d_band.max()) + 1 if d_band.size else 1) * (self.n_t + 1)
        self.i, self.j = i.astype(np.intp), j.astype(np.intp)
        code_type = np.uint8 if self.cells <= 255 else np.int32
        self.base = (d_band * (self.n_t + 1)).astype(code_type)
        self.whole = bool(np.issubdtype(days.dtype, np.integer) and days.size and int(np.ptp(days)) < 2**15)
        self.days = (days - days.min()).astype(np.int16) if self.whole else days
        self.runs = np.bincount(i, minlength=days.size) if self.whole and np.all(np.diff(i) >= 0) else None
        self.t_edges = t_edges
        # whole-day differences: dt <= inclusive(edge) exactly when dt <= floor(inclusive(edge))
        self.day_limits = [int(np.floor(inclusive(edge))) for edge in t_edges]

    def counts(self, times: np.ndarray) -> np.ndarray:
        """Counts per cell (distance-band rows × time bands + beyond) for one assignment of times."""
        if self.i.size == 0:
            return np.zeros(self.cells, dtype=np.int64)
        dt = np.repeat(times, self.runs) if self.runs is not None else np.take(times, self.i)
        dt -= np.take(times, self.j)
        np.abs(dt, out=dt)
        if self.whole:
            codes = self.base.copy()
            for limit in self.day_limits:  # band j holds e[j-1] < dt <= e[j]: the number of edges below dt
                codes += (dt > limit).view(np.uint8).astype(codes.dtype, copy=False)
        else:
            codes = band_index(dt, self.t_edges).astype(self.base.dtype)
            codes += self.base
        return np.bincount(codes, minlength=self.cells)


def knox_test(events: Events, params: KnoxParams, progress=None, cancelled=None, pairs=None) -> KnoxTable:
    """The Knox table with Monte Carlo inference (see the module notes).

    ``pairs`` may give :func:`close_pairs` within at least the largest distance band, found once for the test and the classification.
    """
    params.validate()
    n = len(events.x)
    if n < MIN_EVENTS:
        raise AnalysisError(f"A Knox test needs at least {MIN_EVENTS} events with a time and a location, got {n}.")
    d_edges, t_edges = np.asarray(params.distance_edges()), np.asarray(params.time_edges())
    n_d, n_t = len(d_edges), len(t_edges)
    report(progress, cancelled, 0.0, "Finding pairs of events within the largest distance band")
    i, j, d = within(pairs, float(d_edges[-1])) if pairs is not None else close_pairs(events, float(d_edges[-1]), params.metric)
    permutations, note = chosen_permutations(params.permutations, i.size)
    _refuse_too_much_work(i.size, permutations)
    d_band = np.minimum(band_index(d, d_edges), n_d - 1)  # e[i-1] < d <= e[i], one tolerance for every edge
    counter = _PairCounter(i, j, d_band, events.days, t_edges)
    within_time = pairs_within_time_totals(events.days, t_edges)
    time_totals = np.diff(np.concatenate([[0], within_time, [n * (n - 1) // 2]]))  # per time band incl. beyond
    shape = (n_d, n_t + 1)
    observed = _full_table(_within(counter.counts(counter.days), shape), time_totals)
    sims = _simulate(counter, shape, time_totals, observed, permutations, params.seed, progress, cancelled)
    expected, sd, at_least = sims
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / np.where(expected > 0, expected, 1.0), np.nan)
    p = (at_least + 1) / (permutations + 1)
    labels = _band_labels(params)
    table = KnoxTable(labels[0], labels[1], observed, expected, ratio, p, sd, permutations, labels[2], labels[3], int(i.size))
    table.note = note
    return table


def _refuse_too_much_work(pairs: int, permutations: int) -> None:
    work = pairs * permutations
    if work > MAX_WORK:
        raise InputError(
            f"{permutations:,} permutations of {pairs:,} close pairs is {work:.2g} pair-permutations "
            f"(limit {MAX_WORK:.0e}, about ten minutes of work); use fewer permutations, a smaller largest distance band "
            "or fewer events (filters)."
        )


def _within(counts: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The within-distance rows of a count vector (rows for bands no pair reached are zero)."""
    table = np.zeros(shape[0] * shape[1], dtype=np.int64)
    table[: counts.size] = counts
    return table.reshape(shape)


def _simulate(counter: _PairCounter, shape, time_totals, observed, permutations: int, seed: int, progress, cancelled):
    """Mean and standard deviation of the permuted tables, and how often each cell reached the observed count."""
    rng = np.random.default_rng(seed)
    total = np.zeros(observed.shape)
    total_sq = np.zeros(observed.shape)
    at_least = np.zeros(observed.shape, dtype=np.int64)
    n = counter.days.size
    for done in range(1, permutations + 1):
        sims = _full_table(_within(counter.counts(counter.days[rng.permutation(n)]), shape), time_totals)
        total += sims
        total_sq += sims.astype(np.float64) ** 2
        at_least += sims >= observed
        if done % 10 == 0 or done == permutations:
            report(progress, cancelled, 0.05 + 0.9 * done / permutations, f"Permutation {done:,} of {permutations:,}")
    expected = total / permutations
    sd = np.sqrt(np.maximum(total_sq / permutations - expected**2, 0.0))
    return expected, sd, at_least


def _full_table(within: np.ndarray, time_totals: np.ndarray) -> np.ndarray:
    """Append the "more than the largest distance" row: column totals minus the within rows."""
    beyond = time_totals - within.sum(axis=-2)
    return np.concatenate([within, beyond[..., None, :]], axis=-2)


def _band_labels(params: KnoxParams) -> tuple[list, list, list, list]:
    d = [float(v) for v in params.distance_bands]
    t_edges = [float(v) for v in params.time_edges()]
    fmt = lambda v: f"{v:g}"
    d_labels, d_zh = [], []
    lower = None
    if params.has_same_location_band():
        d_labels.append("same location" if params.same_location_m == 0 else f"same location (<= {fmt(params.same_location_m)} m)")
        d_zh.append("同一地点")
        lower = d[0]
        uppers = d[1:]
    else:
        uppers = d
    for upper in uppers:
        start = "0" if lower is None else fmt(lower + 1 if float(lower).is_integer() and upper - lower > 1 else lower)
        d_labels.append(f"{start}-{fmt(upper)} m")
        d_zh.append(f"{start}–{fmt(upper)}米")
        lower = upper
    d_labels.append(f"more than {fmt(d[-1])} m")
    d_zh.append(f"{fmt(d[-1])}米以上")
    t_labels, t_zh = [], []
    lower = None
    for upper in t_edges:
        start = "0" if lower is None else fmt(lower + 1 if params.whole_days else lower)
        t_labels.append(f"{start}-{fmt(upper)} days")
        t_zh.append(f"{start}–{fmt(upper)}天")
        lower = upper
    t_labels.append(f"more than {fmt(t_edges[-1])} days")
    t_zh.append(f"{fmt(t_edges[-1])}天以上")
    return d_labels, t_labels, d_zh, t_zh


# --------------------------------------------------------------------------- classification


def within(pairs, distance: float):
    """The pairs (``i, j, d``) at most ``distance`` apart (inclusive, with the one tolerance)."""
    i, j, d = pairs
    keep = d <= inclusive(distance)
    return i[keep], j[keep], d[keep]


def classify_events(events: Events, distance: float, days: float, same_location_m: float, metric: str, pairs=None) -> pd.DataFrame:
    """Originator, repeat, near repeat or isolated, for one space-time band.

    A *link* joins two events at most ``distance`` apart and at most ``days``
    apart (in the test's day unit). Of two linked events the earlier (by exact
    time; ties by input order) is the source. Then, per event:

    - **repeat** (重复): linked to an earlier event at the same location
      (within ``same_location_m``);
    - **near repeat** (近重复): linked to an earlier event nearby;
    - **originator** (首发): linked to later events only: it starts a chain;
    - **isolated** (孤立): no link.

    Chains are the connected groups of linked events (``chain_id``, -1 for
    isolated events), the "series" an analyst looks at.
    """
    n = len(events.x)
    i, j, d = within(pairs, distance) if pairs is not None else close_pairs(events, distance, metric)
    dt = np.abs(events.days[i] - events.days[j])
    linked = dt <= inclusive(days)
    i, j, d = i[linked], j[linked], d[linked]
    first_is_i = events.order[i] < events.order[j]
    earlier, later = np.where(first_is_i, i, j), np.where(first_is_i, j, i)
    same = d <= inclusive(same_location_m)
    has_earlier_same = np.bincount(later[same], minlength=n) > 0
    has_earlier = np.bincount(later, minlength=n) > 0
    has_later = np.bincount(earlier, minlength=n) > 0
    cls = np.full(n, "isolated", dtype=object)
    cls[has_later] = "originator"
    cls[has_earlier] = "near_repeat"
    cls[has_earlier_same] = "repeat"
    graph = sparse.coo_matrix((np.ones(i.size), (i, j)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    sizes = np.bincount(component, minlength=n)
    in_chain = sizes[component] > 1
    # number chains 1.. in order of their first event, so chain 1 is the earliest series
    chain_id = np.full(n, -1, dtype=np.int64)
    if in_chain.any():
        firsts = pd.Series(events.order[in_chain]).groupby(component[in_chain]).min().sort_values()
        renumber = {c: k + 1 for k, c in enumerate(firsts.index)}
        chain_id[in_chain] = [renumber[c] for c in component[in_chain]]
    return pd.DataFrame({
        "nr_class": cls,
        "nr_class_zh": [CLASSES[c] for c in cls],
        "chain_id": chain_id,
        "chain_size": np.where(in_chain, sizes[component], 1),
        "links_earlier": np.bincount(later, minlength=n),
        "links_later": np.bincount(earlier, minlength=n),
    })


# --------------------------------------------------------------------------- entry point


def near_repeat(points: gpd.GeoDataFrame, params: KnoxParams, progress=None, cancelled=None) -> AnalysisResult:
    """Knox near-repeat test plus event classification (Ratcliffe's Near Repeat Calculator method).

    Parameters
    ----------
    points : GeoDataFrame
        Incident points in a projected metric CRS, with ``occurred_at``.
    params : KnoxParams
    progress, cancelled : callable, optional
        Progress callback and cancel check (:func:`gisapp.analysis.core.result.report`).

    Returns
    -------
    AnalysisResult
        ``layer``: the events (input columns kept) with ``nr_class``
        (originator / repeat / near_repeat / isolated), ``nr_class_zh``,
        ``chain_id``, ``chain_size``, ``links_earlier``, ``links_later`` for
        the classification band. ``summary``: ``knox`` (the table as nested
        lists: observed, expected, knox_ratio, p_value), ``events``,
        ``pairs_within_largest_band``, class counts, chains, notes. The table
        itself is :func:`knox_table_frame` of the summary, or
        :meth:`KnoxTable.to_frame`.

    Raises
    ------
    InputError
        Bands that do not increase, an absurd number of permutations or of
        pairs, no usable times.
    AnalysisError
        Fewer than 10 events; geographic coordinates.
    """
    params.validate()
    events = prepare_events(points, params.whole_days)
    distance, days = params.classification_band()
    if len(events.x) >= MIN_EVENTS:  # one search for the pairs of the test and of the classification
        pairs = close_pairs(events, max(float(params.distance_edges()[-1]), distance), params.metric)
    else:
        pairs = None
    table = knox_test(events, params, progress, cancelled, pairs)
    report(progress, cancelled, 0.96, "Classifying events")
    classes = classify_events(events, distance, days, params.same_location_m, params.metric, pairs)
    layer = points.iloc[events.rows].copy()
    for column in classes.columns:
        if column in layer.columns:
            layer = layer.rename(columns={column: f"{column}_input"})
        layer[column] = classes[column].to_numpy()
    summary = _summary(events, params, table, classes)
    summary["notes"] += _mixed_categories_note(layer)
    report(progress, cancelled, 1.0, "Near-repeat analysis done")
    return AnalysisResult(layer, summary, {"knox": params.to_dict()})


def _summary(events: Events, params: KnoxParams, table: KnoxTable, classes: pd.DataFrame) -> dict:
    n = len(events.x)
    distance, days = params.classification_band()
    significant = [
        {"distance_band": table.distance_labels[a], "time_band": table.time_labels[b], "knox_ratio": _none_if_nan(table.ratio[a, b]), "p_value": float(table.p[a, b])}
        for a in range(len(table.distance_labels) - 1)
        for b in range(len(table.time_labels) - 1)
        if table.p[a, b] <= 0.05 and np.isfinite(table.ratio[a, b]) and table.ratio[a, b] > 1
    ]
    notes = []
    dropped = {k: v for k, v in events.dropped.items() if v}
    if dropped:
        notes.append("Incidents left out: " + ", ".join(f"{k.removeprefix('incidents_').replace('_', ' ')} {v:,}" for k, v in dropped.items()) + ".")
    if not significant:
        notes.append("No band within the largest distance and time shows significantly more pairs than expected (p <= 0.05).")
    if table.note:
        notes.append(table.note)
    chains = classes.loc[classes.chain_id > 0]
    return {
        "events": int(n),
        **events.dropped,
        "pairs_total": int(n * (n - 1) // 2),
        "pairs_within_largest_band": int(table.pairs_within_largest_band),
        "metric": params.metric,
        "permutations": int(table.permutations),
        "seed": int(params.seed),
        "knox": table.to_dict(),
        "significant_near_repeat_bands": significant,
        "classification_band": {"distance_m": distance, "days": days},
        "classes": {key: int((classes.nr_class == key).sum()) for key in CLASSES},
        "chains": int(chains.chain_id.nunique()),
        "largest_chain": int(chains.chain_size.max()) if len(chains) else 0,
        "notes": notes,
    }


def _mixed_categories_note(events: pd.DataFrame) -> list[str]:
    """Near repeats are a property of one kind of crime (burglary above all): say so when the events mix several."""
    for column in ("subcategory", "category"):
        if column in events and events[column].nunique() > 1:
            counts = events[column].value_counts()
            burglary = [name for name in counts.index if "入室" in str(name) or "burglary" in str(name).lower()]
            name = burglary[0] if burglary else counts.index[0]
            return [f"The events mix {counts.size} kinds of {column}; near repeats are usually studied within one, "
                    f"e.g. --category {name} ({int(counts[name]):,} events)."]
    return []


def knox_table_frame(knox: dict) -> pd.DataFrame:
    """The long CSV table (one row per band pair) from a :meth:`KnoxTable.to_dict` (``summary["knox"]``)."""
    rows = []
    for a, d in enumerate(knox["distance_bands"]):
        for b, t in enumerate(knox["time_bands"]):
            p = knox["p_value"][a][b]
            rows.append({
                "distance_band": d,
                "time_band": t,
                "距离": knox["distance_bands_zh"][a],
                "时间": knox["time_bands_zh"][b],
                "observed": knox["observed"][a][b],
                "expected": knox["expected"][a][b],
                "knox_ratio": knox["knox_ratio"][a][b],
                "p_value": p,
                "significant_05": bool(p <= 0.05),
            })
    return pd.DataFrame(rows)


def run_near_repeat(inputs, params: KnoxParams, progress=None, cancelled=None) -> AnalysisResult:
    """The ``nearrepeat`` method on the filtered incidents."""
    return near_repeat(inputs.incidents(), params, progress, cancelled)
