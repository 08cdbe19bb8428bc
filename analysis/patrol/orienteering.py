"""A patrol tour that collects the most hotspot value within a time budget (orienteering).

The problem
-----------
Given travel times between a start (the station), k hotspots and an end (the
station again, or anywhere), a value and a dwell time per hotspot, and a
budget of minutes, choose and order hotspots to maximise the total value of
the visited ones such that travel plus dwell fits the budget. This is the
orienteering problem (Golden, Levy & Vohra 1987; the prize-collecting TSP
with a budget), NP-hard, so gisapp uses a documented heuristic.

The heuristic (:func:`plan_tour`)
---------------------------------
1. **Greedy insertion by ratio.** Repeatedly insert the hotspot and position
   with the largest value per added minute, ``v_u / (t(a,u) + dwell_u +
   t(u,b) - t(a,b))``, among insertions that keep the tour within budget
   (the cheapest-insertion family of Rosenkrantz, Stearns & Lewis 1977, with
   the prize in the numerator as in Tsiligirides 1984).
2. **2-opt** (Croes 1958): reverse any stretch of the tour that shortens it;
   the time saved is room for more insertions (step 1 again).
3. **Exchange**: replace a visited hotspot by an unvisited one of higher
   value when the tour stays within budget (then 2-opt and step 1 again).

Steps repeat until a round brings neither more value nor less time. Every
step is deterministic, so the same input gives the same tour.

The baseline (:func:`nearest_next_tour`) is what a patrol does without a
plan: from where it is, drive to the nearest hotspot not yet visited from
which it can still get back in time; stop when there is none.

Travel times must be symmetric (an undirected road network).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

_EPS = 1e-9


@dataclass
class Tour:
    """A tour over targets ``0..k-1``.

    Attributes
    ----------
    order : list of int
        Targets in visiting order (start and end excluded).
    travel_minutes : float
    dwell_minutes : float
    value : float
    """

    order: list
    travel_minutes: float
    dwell_minutes: float
    value: float

    @property
    def minutes(self) -> float:
        return self.travel_minutes + self.dwell_minutes

    @property
    def value_per_minute(self) -> float:
        return self.value / self.minutes if self.minutes > 0 else 0.0


class _Problem:
    """Nodes: 0 = start, 1..k = targets, k+1 = end."""

    def __init__(self, start_to, between, to_end, values, dwell, budget):
        k = len(values)
        d = np.full((k + 2, k + 2), np.inf)
        d[0, 1 : k + 1] = start_to
        d[1 : k + 1, 0] = start_to
        d[1 : k + 1, 1 : k + 1] = between
        d[1 : k + 1, k + 1] = to_end
        d[k + 1, 1 : k + 1] = to_end
        d[0, k + 1] = d[k + 1, 0] = 0.0  # an empty tour: the end is the start, or anywhere
        np.fill_diagonal(d, 0.0)
        self.d = d
        self.k = k
        self.value = np.concatenate([[0.0], np.asarray(values, dtype=np.float64), [0.0]])
        self.dwell = np.concatenate([[0.0], np.broadcast_to(np.asarray(dwell, dtype=np.float64), (k,)), [0.0]])
        self.budget = float(budget)

    def time(self, tour: list) -> float:
        t = np.asarray(tour)
        return float(self.d[t[:-1], t[1:]].sum() + self.dwell[t].sum())

    def tour(self, nodes: list) -> Tour:
        t = np.asarray(nodes)
        travel = float(self.d[t[:-1], t[1:]].sum())
        return Tour([int(n) - 1 for n in nodes[1:-1]], travel, float(self.dwell[t].sum()), float(self.value[t].sum()))


def plan_tour(start_to, between, to_end, values, dwell, budget: float, max_rounds: int = 50) -> Tour:
    """The heuristic tour (see the module notes).

    Parameters
    ----------
    start_to : ndarray, shape (k,)
        Minutes from the start to every target (``inf``: unreachable).
    between : ndarray, shape (k, k)
        Minutes between targets (symmetric).
    to_end : ndarray, shape (k,)
        Minutes from every target to the end (``start_to`` for a round trip,
        zeros for a tour that may end anywhere).
    values : ndarray, shape (k,)
        Value of visiting each target (for example incidents in the hotspot cell).
    dwell : float or ndarray
        Minutes spent at each visited target.
    budget : float
        Minutes available for travel and dwell.
    """
    p = _Problem(start_to, between, to_end, values, dwell, budget)
    tour = [0, p.k + 1]
    for _ in range(max_rounds):
        before = (p.value[tour].sum(), p.time(tour))
        tour = _insert_greedily(p, tour)
        tour = _two_opt(p, tour)
        tour = _insert_greedily(p, tour)
        tour = _exchange(p, tour)
        tour = _two_opt(p, tour)
        after = (p.value[tour].sum(), p.time(tour))
        if after[0] <= before[0] + _EPS and after[1] >= before[1] - _EPS:
            break
    return p.tour(tour)


def nearest_next_tour(start_to, between, to_end, values, dwell, budget: float) -> Tour:
    """The naive tour: always the nearest unvisited target from which the end is still reachable in time."""
    p = _Problem(start_to, between, to_end, values, dwell, budget)
    tour = [0]
    elapsed = 0.0
    unvisited = set(np.flatnonzero(p.value[1 : p.k + 1] > 0) + 1)
    while unvisited:
        here = tour[-1]
        cand = np.array(sorted(unvisited))
        need = p.d[here, cand] + p.dwell[cand] + p.d[cand, p.k + 1]
        ok = np.isfinite(need) & (elapsed + need <= p.budget + _EPS)
        if not ok.any():
            break
        cand = cand[ok]
        nxt = int(cand[np.argmin(p.d[here, cand])])
        elapsed += p.d[here, nxt] + p.dwell[nxt]
        tour.append(nxt)
        unvisited.discard(nxt)
    tour.append(p.k + 1)
    return p.tour(tour)


def _insert_greedily(p: _Problem, tour: list) -> list:
    tour = list(tour)
    while True:
        visited = np.zeros(p.k + 2, dtype=bool)
        visited[tour] = True
        cand = np.flatnonzero(~visited & (p.value > 0))
        if len(cand) == 0:
            return tour
        a = np.asarray(tour[:-1])
        b = np.asarray(tour[1:])
        added = p.d[a][:, cand].T + p.d[cand][:, b] - p.d[a, b][None, :] + p.dwell[cand][:, None]
        room = p.budget - p.time(tour)
        feasible = np.isfinite(added) & (added <= room + _EPS)
        if not feasible.any():
            return tour
        ratio = np.where(feasible, p.value[cand][:, None] / np.maximum(added, _EPS), -np.inf)
        u, pos = np.unravel_index(int(np.argmax(ratio)), ratio.shape)
        tour.insert(pos + 1, int(cand[u]))


def _two_opt(p: _Problem, tour: list) -> list:
    tour = list(tour)
    n = len(tour)
    improved = True
    while improved and n > 3:
        improved = False
        t = np.asarray(tour)
        for i in range(1, n - 2):
            j = np.arange(i + 1, n - 1)
            gain = p.d[t[i - 1], t[i]] + p.d[t[j], t[j + 1]] - p.d[t[i - 1], t[j]] - p.d[t[i], t[j + 1]]
            best = int(np.argmax(gain))
            if gain[best] > 1e-7:
                jj = int(j[best])
                tour[i : jj + 1] = tour[i : jj + 1][::-1]
                improved = True
                break
    return tour


def _exchange(p: _Problem, tour: list) -> list:
    """Swap one visited target for a more valuable unvisited one that fits; best swap first, repeat."""
    tour = list(tour)
    while True:
        visited = np.zeros(p.k + 2, dtype=bool)
        visited[tour] = True
        cand = np.flatnonzero(~visited & (p.value > 0))
        if len(cand) == 0 or len(tour) <= 2:
            return tour
        best = None
        for pos in range(1, len(tour) - 1):
            v = tour[pos]
            rest = tour[:pos] + tour[pos + 1 :]
            a, b = np.asarray(rest[:-1]), np.asarray(rest[1:])
            room = p.budget - p.time(rest)
            better = cand[p.value[cand] > p.value[v] + _EPS]
            if len(better) == 0:
                continue
            added = p.d[a][:, better].T + p.d[better][:, b] - p.d[a, b][None, :] + p.dwell[better][:, None]
            feasible = np.isfinite(added) & (added <= room + _EPS)
            if not feasible.any():
                continue
            gain = np.where(feasible, (p.value[better] - p.value[v])[:, None], -np.inf)
            u, q = np.unravel_index(int(np.argmax(gain)), gain.shape)
            if best is None or gain[u, q] > best[0]:
                best = (gain[u, q], pos, int(better[u]), q)
        if best is None:
            return tour
        _, pos, u, q = best
        rest = tour[:pos] + tour[pos + 1 :]
        rest.insert(q + 1, u)
        tour = rest
