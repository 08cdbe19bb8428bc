"""Matching one address against the gazetteer, best level first.

The order of attempts (each is tried only when the one before found nothing):

1. a learned alias: the analyst placed this very address text before (:mod:`.aliases`);
2. a crossing (``人民路与解放路交叉口``, ``人民路解放路口``): two roads that meet (``交叉口``);
3. with a house number: the road (exact name, else approximate, :mod:`.names`),
   then the door plate (``门牌``; a sub-number ``12-3`` or ``甲12`` not in the
   table falls back to ``12``), else the number interpolated between the road's
   known plates (``门牌插值``), else the road's middle (``道路``);
4. without one: the road (``道路``), else a named place (``地点``), a grid
   (``网格``) or a township (``乡镇``).

A road name is found as the longest gazetteer name ending the text before
the number, and whatever stands before it must be explained (administrative
units, filler, other known names: :mod:`.admin`); ``城南西街`` is not ``西街``.
A name shared by roads in several townships, with no township in the text,
is not guessed (reason ``ambiguous``, the candidates listed), nor is a door
plate listed at two places. ``score`` (0-100) is the confidence in the text
match: 100 for exact names, the similarity for approximate ones, less 10
when the township written disagrees with the gazetteer's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .levels import INTERPOLATED, INTERSECTION, PLACE, PLATE, ROAD, TOWNSHIP, UNMATCHED
from .parse import SUB_UNIT, Parsed, is_road_like, junction_splits, parse, road_type, strip_qualifiers
from .roads import crossing

#: Subtracted from the score when the township written is not the road's.
TOWNSHIP_MISMATCH_PENALTY = 10.0
#: Score of a road name written without its ending (人民 for 人民路), when only one road has that name.
ENDING_OMITTED_SCORE = 90.0
#: Score of a door plate found by its main number when its sub-number (12-3, 甲12) is not in the table.
MAIN_NUMBER_SCORE = 95.0
#: A village group (组, 社, 队) ending the text before a house number.
_GROUP = re.compile(r"\d{1,3}(?:组|社|队)$")
#: Places of one name closer than this are one place.
SAME_PLACE_M = 300.0


@dataclass
class Match:
    """The outcome for one address (see :mod:`gisapp.analysis.geocode.frame` for the output columns)."""

    level: str
    score: float = 0.0
    x: float | None = None
    y: float | None = None
    match: str = ""
    note: str = ""
    reason: str = ""
    radius: float = 0.0
    candidates: list = field(default_factory=list)


@dataclass
class _RoadHit:
    name: str
    score: float
    townships: list
    units: list


def unmatched(reason: str, note: str = "", candidates=None) -> Match:
    return Match(UNMATCHED, 0.0, reason=reason, note=note, candidates=list(candidates or []))


class Matcher:
    """Matches addresses against one gazetteer (see the module docstring).

    Parameters
    ----------
    gazetteer : Gazetteer
    min_score : float
        Approximate names below this similarity are not taken.
    """

    def __init__(self, gazetteer, min_score: float):
        self.g = gazetteer
        self.min_score = float(min_score)
        self._bases = None

    # ------------------------------------------------------------------ entry
    def match(self, raw) -> Match:
        parsed = parse(raw)
        if not parsed.text:
            return unmatched("empty")
        notes = self._notes(parsed)
        learned = self.g.aliases.get(parsed.text)
        if learned is not None:
            return Match(learned["level"], 100.0, learned["x"], learned["y"], learned.get("match", ""), _join("人工校正", notes))
        found = self._match(parsed)
        found.note = _join(found.note, notes)
        return found

    def _notes(self, parsed: Parsed) -> str:
        parts = []
        if parsed.qualifiers:
            parts.append("方位：" + "".join(parsed.qualifiers))
        if parsed.detail:
            parts.append("细节：" + parsed.detail)
        if parsed.aside:
            parts.append("括注：" + parsed.aside)
        if parsed.truncated:
            parts.append("地址过长，只读前 200 字")
        return "；".join(parts)

    def _match(self, parsed: Parsed) -> Match:
        if self.g.is_empty:
            return unmatched("no_gazetteer")
        if parsed.plate is None and parsed.body:
            crossed = self._crossing(parsed.body, parsed.junction)
            if crossed is not None:
                return crossed
        if parsed.plate is not None:
            if not parsed.body:
                return self._place(parsed.aside) if parsed.aside and self._place(parsed.aside).level != UNMATCHED else unmatched("no_road")
            return self._with_number(parsed)
        return self._without_number(parsed.body)

    # ------------------------------------------------------------------ roads
    def find_road(self, text: str):
        """A road named at the end of ``text``: exact (prefix explained), else approximate; None, or a Match when ambiguous."""
        for length in range(min(len(text), self.g.longest_road), 1, -1):
            tail = text[-length:]
            if tail in self.g.road_index:
                explained = self.g.admin.explain(text[:-length])
                if explained.complete:
                    return _RoadHit(tail, 100.0, explained.townships, explained.units)
        rest, township = self.g.admin.strip_prefix(text)
        explained = self.g.admin.explain(text[: len(text) - len(rest)])
        towns = explained.townships or ([township] if township else [])
        if not road_type(rest):
            return self._ending_omitted(rest, towns)
        kept, ambiguous = self.g.road_names.best(rest, self.min_score)
        if not kept:
            return None
        if ambiguous:
            return unmatched("ambiguous", "近似名称有多个：" + "、".join(n for n, _ in kept[:5]),
                             [c for n, _ in kept[:5] for c in self._road_candidates(self.g.road_index[n])])
        return _RoadHit(kept[0][0], kept[0][1], towns, explained.units)

    def _ending_omitted(self, base: str, towns: list):
        if len(base) < 2:
            return None
        if self._bases is None:
            self._bases = {}
            for name in self.g.road_index:
                ending = road_type(name)
                if ending and len(name) > len(ending):
                    self._bases.setdefault(name[: -len(ending)], []).append(name)
        names = self._bases.get(base, [])
        if len(names) == 1:
            return _RoadHit(names[0], ENDING_OMITTED_SCORE, towns, [])
        if len(names) > 1:
            return unmatched("ambiguous", "可能是：" + "、".join(names),
                             [c for n in names for c in self._road_candidates(self.g.road_index[n])])
        return None

    def _choose_road(self, hit: _RoadHit):
        """One road of the name, by the township written; or an ambiguous Match."""
        ids = self.g.road_index[hit.name]
        roads = self.g.roads
        if hit.townships:
            same = [i for i in ids if roads[i].township in hit.townships]
            unknown = [i for i in ids if not roads[i].township]
            pick = same or unknown
            if len(pick) == 1:
                return pick[0], hit.score, ""
            if not pick and len(ids) == 1:
                return ids[0], hit.score - TOWNSHIP_MISMATCH_PENALTY, f"所写乡镇与地址库不符（地址库：{roads[ids[0]].township or '未知'}）"
            ids = pick or ids
        if len(ids) == 1:
            return ids[0], hit.score, ""
        towns = "、".join(roads[i].township or "?" for i in ids)
        return unmatched("ambiguous", f"{roads[ids[0]].label} 在多个乡镇（{towns}），地址未写乡镇", self._road_candidates(ids))

    def _road_candidates(self, ids) -> list[dict]:
        out = []
        for i in ids:
            road = self.g.roads[i]
            x, y, _ = road.middle(self.g.px, self.g.py)
            out.append({"match": f"{road.township}{road.label}", "level": ROAD, "x": x, "y": y})
        return out

    def _road_match(self, road_id: int, score: float, note: str, why: str = "") -> Match:
        road = self.g.roads[road_id]
        x, y, radius = road.middle(self.g.px, self.g.py)
        x0, y0, x1, y1 = road.extent(self.g.px, self.g.py)
        extent = f"道路中点，道路范围约 {max(x1 - x0, y1 - y0):.0f} 米"
        return Match(ROAD, score, x, y, f"{road.township}{road.label}", _join(why, extent, note), radius=radius)

    # ------------------------------------------------------------------ with a house number
    def _with_number(self, parsed: Parsed) -> Match:
        hit = self.find_road(parsed.body)
        if isinstance(hit, Match):
            return hit
        group = _GROUP.search(parsed.body)
        if hit is None and group and group.start() >= 2:
            # 石桥村3组12号 where the gazetteer knows 石桥村 but not its groups: each group numbers its own
            # houses, so the number says nothing within the village; place at the village, never a plate.
            outer = self.find_road(parsed.body[: group.start()])
            if isinstance(outer, _RoadHit):
                chosen = self._choose_road(outer)
                if isinstance(chosen, Match):
                    return chosen
                return self._road_match(chosen[0], chosen[1], chosen[2], f"{group.group(0)}不在地址库，门牌 {parsed.plate} 未用于定位")
        if hit is None:
            place = self._place(parsed.body)
            if place.level != UNMATCHED:
                place.note = _join(place.note, f"门牌号 {parsed.plate} 未用于定位")
                return place
            return unmatched("road_not_found" if is_road_like(parsed.body) else "not_found")
        chosen = self._choose_road(hit)
        if isinstance(chosen, Match):
            return chosen
        road_id, score, note = chosen
        if hit.score < 100:
            note = _join(f"道路名近似匹配 {self.g.roads[road_id].label}（{hit.score:.0f}）", note)
        plate = self._plate(road_id, parsed, score, note)
        if plate is not None:
            return plate
        road = self.g.roads[road_id]
        found = road.interpolate(parsed.plate.number, self.g.numbers, self.g.px, self.g.py)
        if found is not None:
            x, y, how, _, span = found
            return Match(INTERPOLATED, score, x, y, f"{road.township}{road.label}{parsed.plate}", _join(how, note), radius=span / 2)
        return self._road_match(road_id, score, note, f"门牌 {parsed.plate} 不在地址库，且无法插值")

    def _plate(self, road_id: int, parsed: Parsed, score: float, note: str) -> Match | None:
        plate = parsed.plate
        tries = []
        if parsed.building:
            tries.append(((road_id, plate.key, parsed.building), score, ""))
        tries.append(((road_id, plate.key), score, ""))
        if plate.key != plate.main_key:
            tries.append(((road_id, plate.main_key), min(score, MAIN_NUMBER_SCORE), f"{plate} 不在地址库，按主号 {plate.number}号"))
        for index_key, this_score, why in tries:
            ids = self.g.plate_index.get(index_key)
            if not ids:
                continue
            if index_key[:2] in self.g.duplicated:
                return unmatched("ambiguous", f"地址库中 {self.g.plate_labels[ids[0]]} 有多处位置", [
                    {"match": self.g.plate_labels[i], "level": PLATE, "x": float(self.g.px[i]), "y": float(self.g.py[i])} for i in ids])
            if len(ids) == 1:
                x, y = float(self.g.px[ids[0]]), float(self.g.py[ids[0]])
            else:  # the same plate listed more than once, within a few metres
                x, y = float(np.mean(self.g.px[ids])), float(np.mean(self.g.py[ids]))
            return Match(PLATE, this_score, x, y, self.g.plate_labels[ids[0]], _join(why, note))
        return None

    # ------------------------------------------------------------------ crossings
    def _crossing(self, body: str, junction: bool) -> Match | None:
        single = None
        for a, b in junction_splits(body):
            if not (is_road_like(a) or junction) or not is_road_like(b):
                continue
            first, second = self.find_road(a), self.find_road(b)
            if not isinstance(first, _RoadHit) or not isinstance(second, _RoadHit):
                continue
            return self._meet(first, second)
        if junction:
            single = self.find_road(body)
            if isinstance(single, _RoadHit):
                chosen = self._choose_road(single)
                return chosen if isinstance(chosen, Match) else self._road_match(chosen[0], chosen[1], chosen[2])
        return single if isinstance(single, Match) else None

    def _meet(self, first: _RoadHit, second: _RoadHit) -> Match:
        towns = first.townships + second.townships
        points = []
        for i in self.g.road_index[first.name]:
            for j in self.g.road_index[second.name]:
                a, b = self.g.roads[i], self.g.roads[j]
                if towns and a.township and a.township not in towns:
                    continue
                for x, y in crossing(a, b, self.g.px, self.g.py):
                    points.append((x, y, a, b))
        label = f"{self.g.roads[self.g.road_index[first.name][0]].label}与{self.g.roads[self.g.road_index[second.name][0]].label}"
        score = min(first.score, second.score)
        if len(points) == 1:
            x, y, a, b = points[0]
            return Match(INTERSECTION, score, x, y, f"{a.township}{a.label}与{b.label}交叉口")
        if not points:
            return unmatched("not_found", f"{label} 在地址库中不相交")
        return unmatched("ambiguous", f"{label} 相交于 {len(points)} 处", [
            {"match": f"{a.township}{a.label}与{b.label}", "level": INTERSECTION, "x": x, "y": y} for x, y, a, b in points])

    # ------------------------------------------------------------------ without a number
    def _without_number(self, body: str) -> Match:
        if self.g.admin.township_named(body) is None:
            hit = self.find_road(body)
            if isinstance(hit, Match):
                return hit
            if hit is not None and not self._place_named(body):
                chosen = self._choose_road(hit)
                return chosen if isinstance(chosen, Match) else self._road_match(chosen[0], chosen[1], chosen[2])
        place = self._place(body)
        if place.level != UNMATCHED:
            return place
        return unmatched("road_not_found" if is_road_like(body) else "not_found")

    def _place_named(self, body: str) -> bool:
        return body in self.g.place_index

    def _place(self, body: str) -> Match:
        """A named place, grid or township in ``body`` (exact, as a suffix with its prefix explained, or approximate)."""
        body, qualifiers, _ = strip_qualifiers(body)
        township = self.g.admin.township_named(body)
        if township is not None and township in self.g.place_index:
            return self._place_match(self.g.place_index[township], 100.0, [])
        for length in range(min(len(body), self.g.longest_place), 1, -1):
            for start in range(0, len(body) - length + 1):
                name = body[start: start + length]
                if name not in self.g.place_index:
                    continue
                before, after = self.g.admin.explain(body[:start]), body[start + length:]
                rest = strip_qualifiers(after)[0] if after else ""
                if before.complete and (not rest or rest in self.g.admin.known or SUB_UNIT.match(rest)):
                    return self._place_match(self.g.place_index[name], 100.0, before.townships)
        rest, _ = self.g.admin.strip_prefix(body)
        kept, ambiguous = self.g.place_names.best(rest, self.min_score) if len(rest) >= 3 else ([], False)
        if kept and not ambiguous:
            found = self._place_match(self.g.place_index[kept[0][0]], kept[0][1], [])
            found.note = _join(f"名称近似匹配（{kept[0][1]:.0f}）", found.note)
            return found
        return unmatched("not_found")

    def _place_match(self, ids: list, score: float, townships: list) -> Match:
        places = [self.g.places[i] for i in ids]
        if townships:
            places = [p for p in places if not p.township or p.township in townships] or places
        first = places[0]
        spread = max(np.hypot(p.x - first.x, p.y - first.y) for p in places)
        if spread > SAME_PLACE_M:
            return unmatched("ambiguous", f"{first.label} 有 {len(places)} 处", [
                {"match": p.label, "level": p.level, "x": p.x, "y": p.y} for p in places])
        level = first.level
        note = "区域内代表点" if level in (PLACE,) and first.radius else ("乡镇代表点" if level == TOWNSHIP else "")
        return Match(level, score, first.x, first.y, first.label, note, radius=first.radius)


def _join(*parts: str) -> str:
    return "；".join(p for p in parts if p)
