"""Where to put new cameras: the maximal covering location problem (MCLP) and a greedy fallback.

The problem (Church & ReVelle 1974)
-----------------------------------
Demand i (an incident, weight w_i) is covered by site j when the camera at j
would see it; a_ij = 1 then. Choose p new sites, keeping every existing
camera, to maximise the weight covered::

    max  Σ_i w_i y_i
    s.t. y_i <= Σ_j a_ij x_j      for every demand i
         Σ_j x_j = p + 1          (the p new sites and the existing network)
         x_E = 1                  (the existing network E, a predefined facility)
         x_j ∈ {0, 1},  0 <= y_i <= 1

The existing cameras all have x = 1, so only the union of what they see
matters: they enter as one predefined facility E covering exactly the demand
they see. With x integer, an optimal y is min(1, Σ a_ij x_j), which is 0 or 1,
so y may be continuous: the same optimum, a much easier problem for the
branch-and-bound.

Exact reductions before solving (the optimum is unchanged):
- demand no site (and no existing camera) can see is dropped;
- demand with the same set of covering sites is merged, its weights summed;
- sites covering the same set of demand are merged (one is kept);
- sites that cover no remaining demand are dropped.

Solving
-------
- ``mclp``: the reduced problem is handed to PySAL spopt
  (``spopt.locate.MCLP.from_cost_matrix``, with the existing network as a
  predefined facility) when its dense matrix is small (at most
  ``SPOPT_MAX_CELLS`` entries), else the same formulation is built directly in
  PuLP from the sparse matrix (spopt builds a dense matrix, too big there).
  Both are solved by CBC (bundled with PuLP), warm-started from the greedy
  solution and stopped at ``time_limit_s``; a stopped run reports the best
  solution found and that it is not proven optimal.
- ``greedy``: repeatedly add the site with the largest marginal gain. For this
  (monotone submodular) objective greedy is within a factor (1 - 1/e) ≈ 0.632
  of the optimum in the worst case (Nemhauser, Wolsey & Fisher 1978), and
  usually within a few per cent. The run also yields a data-dependent bound:
  after any step k, OPT <= f(S_k) + (sum of the p largest marginal gains
  then), reported as ``upper_bound`` and ``gap_bound``.
- ``auto``: MCLP when PuLP is installed and there are at most
  ``max_exact_candidates`` sites after reduction, else greedy.

New cameras are modelled as dome cameras seeing a disc of ``new_range_m``
(optionally clipped by obstacles, like existing ones).
"""

from __future__ import annotations

import math
import time
import warnings
from dataclasses import asdict, dataclass, field

import geopandas as gpd
import numpy as np
import shapely
from scipy import sparse

from gisapp.analysis.cameras.geometry import (
    CameraParams,
    add_shadows,
    camera_table,
    coverage_pairs,
    coverage_polygons,
    covered_mask,
    discs,
)
from gisapp.analysis.cameras.methods import CANDIDATE_KINDS, SitingParams
from gisapp.analysis.core.aggregation import incident_weights, point_coordinates
from gisapp.analysis.core.contract import AUTO
from gisapp.analysis.core.layer_inputs import align_crs, lonlat, metric_crs_of, optional_layer
from gisapp.analysis.core.result import LayeredResult, report
from gisapp.analysis.core.road_network import candidate_points
from gisapp.analysis.core.summaries import plain, share
from gisapp.layers.errors import InputError

#: spopt's MCLP builds a dense demand x site matrix; above this many entries gisapp builds the sparse model itself.
SPOPT_MAX_CELLS = 250_000


@dataclass
class Selection:
    """A chosen set of sites (positions into the candidate list) and what it covers."""

    sites: np.ndarray
    covered_weight: float
    method: str
    optimal: bool | None = None
    upper_bound: float | None = None
    status: str = ""
    seconds: float = 0.0
    detail: dict = field(default_factory=dict)


# --------------------------------------------------------------------------- the problem


@dataclass
class CoverProblem:
    """A reduced MCLP: merged demand groups x distinct candidate columns.

    Attributes
    ----------
    matrix : csr_matrix, shape (groups, columns)
        a_gj = 1 when column j covers group g (existing coverage excluded).
    weights : ndarray
        Weight of every group (none of them covered by existing cameras).
    existing_weight : float
        Weight the existing cameras already cover (a constant of the objective).
    column_sites : ndarray
        One representative candidate position per column.
    summary : dict
    """

    matrix: sparse.csr_matrix
    weights: np.ndarray
    existing_weight: float
    column_sites: np.ndarray
    summary: dict


def reduce_problem(pairs_demand, pairs_site, weights, existing_covered, n_sites) -> CoverProblem:
    """Build the reduced problem from the (demand, site) coverage pairs; see the module notes."""
    weights = np.asarray(weights, dtype=np.float64)
    n_demand = len(weights)
    a = sparse.csr_matrix((np.ones(len(pairs_demand), dtype=np.int8), (pairs_demand, pairs_site)), shape=(n_demand, n_sites))
    a.sum_duplicates()
    a.data[:] = 1
    existing_weight = float(weights[existing_covered].sum())
    open_demand = np.flatnonzero(~existing_covered & (np.diff(a.indptr) > 0))
    a = a[open_demand]
    w = weights[open_demand]
    groups, group_of = distinct_rows(a)
    a_groups = a[groups]
    w_groups = np.bincount(group_of, weights=w, minlength=len(groups))
    a_cols = a_groups.tocsc()
    useful = np.flatnonzero(np.diff(a_cols.indptr) > 0)
    columns, _ = distinct_rows(a_cols[:, useful].T.tocsr())
    column_sites = useful[columns]
    matrix = a_groups[:, column_sites].tocsr()
    summary = {
        "demand_points": int(n_demand),
        "demand_covered_by_existing": int(existing_covered.sum()),
        "demand_out_of_reach": int(n_demand - existing_covered.sum() - len(open_demand)),
        "demand_groups": len(groups),
        "candidate_sites": int(n_sites),
        "candidate_columns": len(column_sites),
        "nonzeros": int(matrix.nnz),
    }
    return CoverProblem(matrix, w_groups, existing_weight, column_sites, summary)


def distinct_rows(m: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """First row of each distinct sparsity pattern and the pattern index of every row.

    Rows are hashed with two independent random 64-bit keys per column (sums
    wrap modulo 2**64), plus their length; two different patterns collide
    with probability about 2**-128.
    """
    m = m.tocsr()
    m.sort_indices()
    rng = np.random.default_rng(0x5EED)
    k1 = rng.integers(0, 2**63, m.shape[1], dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    k2 = rng.integers(0, 2**63, m.shape[1], dtype=np.uint64)
    lengths = np.diff(m.indptr)
    h1 = np.zeros(m.shape[0], dtype=np.uint64)
    h2 = np.zeros(m.shape[0], dtype=np.uint64)
    nonempty = lengths > 0
    if m.nnz:
        starts = m.indptr[:-1][nonempty]
        with np.errstate(over="ignore"):
            h1[nonempty] = np.add.reduceat(k1[m.indices], starts)
            h2[nonempty] = np.add.reduceat(k2[m.indices], starts)
    keys = np.column_stack([h1, h2, lengths.astype(np.uint64)])
    _, first, inverse = np.unique(keys, axis=0, return_index=True, return_inverse=True)
    order = np.argsort(first)  # keep groups in order of first appearance
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return first[order], rank[inverse.ravel()]


# --------------------------------------------------------------------------- solvers


def greedy_cover(problem: CoverProblem, p: int) -> Selection:
    """Greedy maximal cover: p times, the column with the largest marginal gain.

    Exact gains are kept up to date incrementally: when a column is chosen,
    the weight of every group it newly covers is subtracted from the gain of
    every column covering that group. Total work is O(nonzeros + p * columns).
    """
    start = time.perf_counter()
    a = problem.matrix
    at = a.tocsc()
    w = problem.weights
    gains = np.asarray(a.T @ w).ravel().astype(np.float64)
    covered = np.zeros(a.shape[0], dtype=bool)
    chosen, marginal = [], []
    value = 0.0
    bound = math.inf
    for _ in range(min(p, a.shape[1])):
        top = np.partition(gains, -min(p, len(gains)))[-min(p, len(gains)):] if len(gains) else np.zeros(0)
        bound = min(bound, value + float(np.clip(top, 0, None).sum()))
        j = int(np.argmax(gains))
        if gains[j] <= 0:
            break
        rows = at.indices[at.indptr[j] : at.indptr[j + 1]]
        new = rows[~covered[rows]]
        covered[new] = True
        chosen.append(j)
        marginal.append(float(gains[j]))
        value += float(gains[j])
        sub = a[new]
        gains -= np.bincount(sub.indices, weights=np.repeat(w[new], np.diff(sub.indptr)), minlength=a.shape[1])
        gains[j] = -np.inf
    bound = min(bound, value + float(np.clip(gains[np.isfinite(gains)], 0, None).sum()) if len(gains) else value)
    return Selection(
        np.array(chosen, dtype=np.int64), value, "greedy", optimal=None, upper_bound=bound,
        status="greedy (lazy exact gains)", seconds=time.perf_counter() - start, detail={"marginal": marginal},
    )


def mclp_cover(problem: CoverProblem, p: int, time_limit_s: float, warm: Selection | None = None) -> Selection:
    """Solve the reduced MCLP with CBC (through spopt when small enough); see the module notes."""
    try:
        import pulp
    except ImportError:  # pragma: no cover - depends on the installation
        raise InputError("The optimal camera siting needs PuLP: pip install pulp spopt (or use --method greedy).") from None
    start = time.perf_counter()
    a = problem.matrix
    n_groups, n_cols = a.shape
    if n_cols <= p:  # every useful site fits: nothing to optimise
        return Selection(np.arange(n_cols), float(problem.weights.sum()), "mclp", True, float(problem.weights.sum()), "trivial: all useful sites", time.perf_counter() - start)
    with warnings.catch_warnings():
        # PuLP 3.x announces its 4.0 API (bundled CBC moves to an extra, variables made by the problem).
        warnings.simplefilter("ignore", DeprecationWarning)
        solver = _cbc(pulp, time_limit_s, warm is not None)
        if (n_groups + 1) * (n_cols + 1) <= SPOPT_MAX_CELLS and _has_spopt():
            chosen, status, sol_status = _solve_with_spopt(problem, p, solver, warm)
            route = "spopt MCLP.from_cost_matrix + CBC"
        else:
            chosen, status, sol_status = _solve_sparse(problem, p, solver, warm, pulp)
            route = "sparse MCLP in PuLP + CBC"
    value = _covered_weight(problem, chosen)
    optimal = sol_status == pulp.LpSolutionOptimal
    return Selection(
        chosen, value, "mclp", optimal=optimal, upper_bound=value if optimal else None,
        status=f"{route}: {pulp.LpStatus.get(status, status)}{'' if optimal else ' (time limit reached: best found, not proven optimal)'}",
        seconds=time.perf_counter() - start,
    )


def _cbc(pulp, time_limit_s: float, warm_start: bool):
    """CBC: a system/extra installation (COIN_CMD) when there is one, else the copy PuLP bundles."""
    options = {"msg": False, "timeLimit": float(time_limit_s), "warmStart": warm_start}
    coin = pulp.COIN_CMD(**options)
    return coin if coin.available() else pulp.PULP_CBC_CMD(**options)


def _has_spopt() -> bool:
    try:
        import spopt.locate  # noqa: F401
    except ImportError:
        return False
    return True


def _solve_with_spopt(problem: CoverProblem, p: int, solver, warm: Selection | None):
    from spopt.locate import MCLP

    a = problem.matrix.toarray()
    # Column 0 is the existing network (predefined); one extra demand row holds what it covers.
    cover = np.zeros((a.shape[0] + 1, a.shape[1] + 1))
    cover[0, 0] = 1
    cover[1:, 1:] = a
    weights = np.concatenate([[problem.existing_weight], problem.weights])
    cost = np.where(cover > 0, 0.0, 1.0)
    predefined = np.zeros(a.shape[1] + 1, dtype=int)
    predefined[0] = 1
    model = MCLP.from_cost_matrix(cost, weights, service_radius=0.5, p_facilities=p + 1, predefined_facilities_arr=predefined)
    if warm is not None:
        for j in warm.sites:
            model.fac_vars[j + 1].setInitialValue(1)
    model.problem.solve(solver)
    chosen = np.array([j - 1 for j, var in enumerate(model.fac_vars) if j > 0 and (var.value() or 0) > 0.5], dtype=np.int64)
    return chosen, model.problem.status, model.problem.sol_status


def _solve_sparse(problem: CoverProblem, p: int, solver, warm: Selection | None, pulp):
    a = problem.matrix
    n_groups, n_cols = a.shape
    model = pulp.LpProblem("mclp", pulp.LpMaximize)
    variable = model.add_variable if hasattr(model, "add_variable") else (lambda name, **kw: pulp.LpVariable(name, **kw))
    x = [variable(f"x{j}", cat="Binary") for j in range(n_cols)]
    y = [variable(f"y{i}", lowBound=0, upBound=1) for i in range(n_groups)]
    model += pulp.LpAffineExpression(zip(y, problem.weights.tolist()))
    for i in range(n_groups):
        cols = a.indices[a.indptr[i] : a.indptr[i + 1]]
        expr = pulp.LpAffineExpression([(x[j], 1) for j in cols] + [(y[i], -1)])
        model += pulp.LpConstraint(expr, sense=pulp.LpConstraintGE, rhs=0)
    model += pulp.LpAffineExpression([(v, 1) for v in x]) == p
    if warm is not None:
        chosen = {int(j) for j in warm.sites}
        for j, var in enumerate(x):
            var.setInitialValue(1 if j in chosen else 0)
    model.solve(solver)
    chosen = np.array([j for j, var in enumerate(x) if (var.value() or 0) > 0.5], dtype=np.int64)
    return chosen, model.status, model.sol_status


def _covered_weight(problem: CoverProblem, columns: np.ndarray) -> float:
    if len(columns) == 0:
        return 0.0
    hit = np.asarray(problem.matrix[:, columns].sum(axis=1)).ravel() > 0
    return float(problem.weights[hit].sum())


def ordered_gains(problem: CoverProblem, columns: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Order chosen columns by greedy marginal gain within the chosen set.

    Returns
    -------
    order : ndarray
        The columns, best first.
    marginal : ndarray
        Weight each adds after the ones before it.
    only : ndarray
        Weight only it covers among the chosen (lost if it were dropped).
    """
    sub = CoverProblem(problem.matrix[:, columns].tocsr(), problem.weights, 0.0, columns, {})
    greedy = greedy_cover(sub, len(columns))
    picked = list(greedy.sites)
    rest = [j for j in range(len(columns)) if j not in set(picked)]
    order = np.array(picked + rest, dtype=np.int64)
    marginal = np.array(greedy.detail["marginal"] + [0.0] * len(rest))
    times_covered = np.asarray(sub.matrix.sum(axis=1)).ravel()
    alone = np.where(times_covered == 1, problem.weights, 0.0)
    only = np.asarray(sub.matrix.T @ alone).ravel()[order]
    return columns[order], marginal, only


# --------------------------------------------------------------------------- entry point


def site_cameras(
    incidents: gpd.GeoDataFrame,
    cameras: gpd.GeoDataFrame | None,
    params: SitingParams | None = None,
    roads: gpd.GeoDataFrame | None = None,
    candidates: gpd.GeoDataFrame | None = None,
    obstacles: gpd.GeoDataFrame | None = None,
    progress=None,
    cancelled=None,
) -> LayeredResult:
    """Choose ``params.n_new`` new camera sites that see the most (weighted) incidents.

    Parameters
    ----------
    incidents : GeoDataFrame
        Demand points in a metric CRS (the analysis CRS).
    cameras : GeoDataFrame, optional
        The existing cameras; what their online members see counts as covered already.
    params : SitingParams, optional
    roads : GeoDataFrame, optional
        Lines to generate candidates from (needed unless ``candidates`` is given).
    candidates : GeoDataFrame, optional
        Candidate sites (points) chosen by the user; overrides generation.
    obstacles : GeoDataFrame, optional
        Polygons blocking the view of existing and new cameras.

    Returns
    -------
    LayeredResult
        ``layer``: the chosen sites in order of marginal gain (``order``,
        ``site_id``, ``source``, ``road``, ``marginal_gain``,
        ``cumulative_share``, ``only_this``, ``lon``, ``lat``).
        ``extra_layers``: ``new_coverage`` (the footprints of the new sites).
        ``summary``: coverage before and after, the solver, its status, the
        greedy solution and bound, the reduction sizes.

    Raises
    ------
    InputError
        No candidates, or more new cameras asked for than there are candidate sites.
    """
    params = params or SitingParams()
    params.validate()
    crs = metric_crs_of(incidents, "incident layer")
    notes: list[str] = []
    cameras, roads, candidates, obstacles = (
        align_crs(frame, crs, what, notes)
        for frame, what in ((cameras, "camera"), (roads, "road"), (candidates, "candidate"), (obstacles, "obstacle"))
    )
    report(progress, cancelled, 0.0, "Preparing candidate sites")
    sites, source = _candidate_sites(candidates, roads, params)
    settings = CameraParams.of(params)
    x, y, located, weights = _demand(incidents, params.weight_field)
    existing = _existing_table(cameras, settings, roads, obstacles)
    existing_covered = np.zeros(len(x), dtype=bool) if existing is None else covered_mask(x, y, existing)
    report(progress, cancelled, 0.2, "Testing incidents against candidate sites")
    table = _candidate_table(sites, params.new_range_m, obstacles)
    demand_i, site_i = coverage_pairs(x, y, table)
    keep = located[demand_i]
    problem = reduce_problem(demand_i[keep], site_i[keep], weights, existing_covered & located, len(sites))
    report(progress, cancelled, 0.4, "Choosing sites")
    selection, greedy = _solve(problem, params)
    report(progress, cancelled, 0.9, "Reporting")
    chosen, marginal, only = _chosen_in_order(problem, selection)
    total = float(weights.sum())
    layer = _sites_layer(sites, chosen, marginal, only, problem.existing_weight, total, crs)
    summary = {
        "incidents": int(located.sum()),
        "weight": params.weight_field or "1 per incident",
        **_coverage_gain(problem, selection, total),
        "new_cameras_requested": int(params.n_new),
        "new_cameras_placed": len(chosen),
        "new_cameras_without_gain": int(params.n_new - len(chosen)),
        "candidates": {"count": len(sites), "source": source},
        "existing_cameras_used": 0 if existing is None else int(existing.active.sum()),
        **_solver_summary(selection, greedy),
        "reduction": problem.summary,
        "sites": [{k: plain(v, 6) for k, v in row.items()} for row in layer.drop(columns="geometry").to_dict("records")],
        "notes": notes,
    }
    if len(chosen) < params.n_new:
        notes.append(f"only {len(chosen)} of {params.n_new} new sites add coverage; the others would see no further incident")
    report(progress, cancelled, 1.0, "Siting done")
    resolved = {**asdict(params), "cameras": settings.to_dict(), "candidate_source": source}
    return LayeredResult(layer, summary, resolved, extra_layers={"new_coverage": _new_coverage_layer(table, chosen, layer, settings.arc_step_deg, crs)})


def run_site_cameras(inputs, params: SitingParams, progress=None, cancelled=None) -> LayeredResult:
    """The ``site-cameras`` method: new sites for the filtered incidents, around the input's cameras, on its roads."""
    candidates = None if params.candidates in CANDIDATE_KINDS else inputs.layer_or_file(params.candidates, "candidate")
    result = site_cameras(
        inputs.incidents(),
        inputs.frame("cameras", required=False),
        params,
        roads=inputs.frame("roads", required=candidates is None),
        candidates=candidates,
        obstacles=optional_layer(inputs, params.obstacles, "obstacle"),
        progress=progress,
        cancelled=cancelled,
    )
    if params.method == AUTO:
        result.chosen["method"] = result.summary["method"]
    return result


def _demand(incidents: gpd.GeoDataFrame, weight_field: str | None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Incident positions, whether each has one, and its demand weight (0 without a position)."""
    x, y, located = point_coordinates(incidents)
    weights = incident_weights(incidents, weight_field)
    weights = np.ones(len(x)) if weights is None else weights
    return x, y, located, np.where(located, weights, 0.0)


def _candidate_table(sites: gpd.GeoDataFrame, new_range_m: float, obstacles):
    """The candidate sites as dome cameras of the new range, clipped by the obstacles when given."""
    site_xy = shapely.get_coordinates(np.asarray(sites.geometry.values))
    table = discs(site_xy[:, 0], site_xy[:, 1], new_range_m, sites["site_id"].to_numpy())
    if obstacles is not None:
        table, _ = add_shadows(table, obstacles)
    return table


def _new_coverage_layer(table, chosen: np.ndarray, layer: gpd.GeoDataFrame, arc_step_deg: float, crs) -> gpd.GeoDataFrame:
    """The footprints of the chosen sites, in the order of the sites layer."""
    footprints = coverage_polygons(table.subset(np.isin(np.arange(len(table)), chosen)), arc_step_deg)
    return gpd.GeoDataFrame(
        {"site_id": layer["site_id"].to_numpy(), "order": layer["order"].to_numpy()},
        geometry=gpd.GeoSeries(footprints[np.searchsorted(np.sort(chosen), chosen)], crs=crs),
        crs=crs,
    )


def _coverage_gain(problem: CoverProblem, selection: Selection, total: float) -> dict:
    before = problem.existing_weight
    after = before + selection.covered_weight
    return {
        "total_weight": round(total, 4),
        "covered_before": round(before, 4),
        "share_before": share(before, total),
        "covered_after": round(after, 4),
        "share_after": share(after, total),
        "gain": round(selection.covered_weight, 4),
    }


def _solver_summary(selection: Selection, greedy: Selection) -> dict:
    """How the sites were chosen, and the greedy solution with its bound on the optimum."""
    return {
        "method": selection.method,
        "solver": selection.status,
        "optimal": selection.optimal,
        "seconds": round(selection.seconds, 3),
        "greedy": {
            "gain": round(greedy.covered_weight, 4),
            "seconds": round(greedy.seconds, 4),
            "upper_bound_on_optimum": round(greedy.upper_bound, 4),
            "gap_bound": share(greedy.upper_bound - greedy.covered_weight, greedy.upper_bound),
            "worst_case_ratio": round(1 - 1 / math.e, 4),
        },
    }


def _chosen_in_order(problem: CoverProblem, selection: Selection) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The chosen candidate sites in order of marginal gain, each one's gain and the weight only it covers."""
    if not len(selection.sites):
        return (np.zeros(0, np.int64),) * 3
    order, marginal, only = ordered_gains(problem, np.asarray(selection.sites, dtype=np.int64))
    return problem.column_sites[order], marginal, only


def _solve(problem: CoverProblem, params: SitingParams) -> tuple[Selection, Selection]:
    greedy = greedy_cover(problem, params.n_new)
    method = params.method
    if method == "auto":
        method = "mclp" if _has_pulp() and problem.matrix.shape[1] <= params.max_exact_candidates else "greedy"
    if method == "greedy":
        return greedy, greedy
    exact = mclp_cover(problem, params.n_new, params.time_limit_s, warm=greedy)
    if exact.covered_weight < greedy.covered_weight:  # a stopped CBC run that did not keep the warm start
        greedy.status += f"; kept instead of the solver's worse result ({exact.status})"
        return greedy, greedy
    exact.sites = exact.sites[np.isin(exact.sites, _useful(problem, exact.sites))]
    return exact, greedy


def _useful(problem: CoverProblem, columns: np.ndarray) -> np.ndarray:
    """Chosen columns that cover something no other chosen column does first (greedy order)."""
    order, marginal, _ = ordered_gains(problem, columns)
    return order[marginal > 0]


def _has_pulp() -> bool:
    try:
        import pulp  # noqa: F401
    except ImportError:
        return False
    return True


def _candidate_sites(candidates, roads, params: SitingParams) -> tuple[gpd.GeoDataFrame, str]:
    """The candidate sites and where they came from; fewer sites than new cameras is refused."""
    sites, source = _candidate_layer(candidates, roads, params)
    if params.n_new > len(sites):
        raise InputError(
            f"{params.n_new} new cameras were asked for but there are only {len(sites)} candidate sites ({source}); "
            "ask for fewer, or give more candidates (smaller --spacing or a candidate file)."
        )
    return sites, source


def _candidate_layer(candidates, roads, params: SitingParams) -> tuple[gpd.GeoDataFrame, str]:
    if candidates is not None:
        geoms = np.asarray(candidates.geometry.values)
        ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms)) & (shapely.get_type_id(geoms) == 0)
        if not ok.any():
            raise InputError("The candidate layer holds no points.")
        sites = candidates[ok].reset_index(drop=True)
        if "site_id" not in sites:
            sites = sites.assign(site_id=[f"S{i + 1:05d}" for i in range(len(sites))])
        sites = sites.assign(site_id=sites["site_id"].astype(str), source=sites.get("source", "user layer"), road=sites.get("road", ""))
        dropped = int((~ok).sum())
        return sites, f"user layer ({len(sites)} points" + (f", {dropped} rows not points left out)" if dropped else ")")
    if roads is None:
        raise InputError("Camera siting needs candidate sites: give a roads layer or a candidate point layer.")
    sites = candidate_points(roads, params.candidates, params.spacing_m)
    how = {"spacing": f"every {params.spacing_m:g} m along roads plus junctions", "intersections": "road junctions", "vertices": "road vertices and junctions"}
    return sites, how[params.candidates]


def _existing_table(cameras, settings: CameraParams, roads, obstacles):
    if cameras is None or len(cameras) == 0:
        return None
    table = camera_table(cameras, settings, roads)
    if obstacles is not None:
        table, _ = add_shadows(table, obstacles)
    return table


def _sites_layer(sites, chosen, marginal, only, before, total, crs) -> gpd.GeoDataFrame:
    picked = sites.iloc[chosen].reset_index(drop=True)
    cumulative = before + np.cumsum(marginal) if len(marginal) else np.zeros(0)
    ll = lonlat(picked.geometry.values, crs)
    return gpd.GeoDataFrame(
        {
            "order": np.arange(1, len(picked) + 1),
            "site_id": picked["site_id"].astype(str).to_numpy(),
            "source": picked["source"].astype(str).to_numpy(),
            "road": picked["road"].astype(str).to_numpy(),
            "marginal_gain": np.round(marginal, 4),
            "cumulative_share": np.round(cumulative / total, 4) if total > 0 else np.full(len(picked), np.nan),
            "only_this": np.round(only, 4),
            "lon": ll[:, 0] if len(ll) else np.zeros(0),
            "lat": ll[:, 1] if len(ll) else np.zeros(0),
        },
        geometry=picked.geometry.values,
        crs=crs,
    )
