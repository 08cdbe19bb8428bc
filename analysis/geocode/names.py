"""Approximate matching of road and place names: typos yes, other roads no.

A false match is worse than none: ``新民路`` typed for a road that is not in
the gazetteer must not become ``人民路``, and ``人民东路`` is another road than
``人民路``. Yet the usual typo of a Chinese address, a character typed with
the same (or a dialect-confused) pinyin, should still be found: ``人名路`` for
``人民路``. So names are compared by a weighted edit distance whose
substitution cost depends on how the characters sound:

==========================================  =====
same character                               0
homophones (a shared toneless reading)       0.25
confusable readings (z/zh, c/ch, s/sh, n/l,   0.4
f/hu, an/ang, en/eng, in/ing: the "fuzzy
pinyin" of Chinese input methods)
any other character, an insertion, a          1
deletion
==========================================  =====

and ``score = 100 × (1 − cost / longer length)``. Names are compared only
when they have the same generic ending (路 ≠ 街 ≠ 巷), and a difference in a
*distinguishing* character for another (东 for 西, 4 for 5; the set is
东 西 南 北 中 上 下 前 后 新 老 大 小 正, numerals, digits, 甲 乙 丙 丁), or
one added or left out (人民东路 for 人民路), is never a typo. The default threshold
(:data:`~gisapp.analysis.geocode.methods.DEFAULT_MIN_SCORE`, 85) accepts one
homophone or confusable character in a three-character name (87-92) and
rejects any other difference (at most 75 in a four-character name, 67 in a
three-character one). The best candidate must also beat the second by
:data:`MARGIN` points, otherwise the name is ambiguous.

Candidates come from :func:`rapidfuzz.process.extract` (Levenshtein ratio)
over the gazetteer's names; the readings from pypinyin's character table.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from .parse import road_type

#: Characters whose difference names another place, never a typo.
DISTINGUISHING = frozenset("东西南北中上下前后内外左右新老旧大小正横一二三四五六七八九十百千零两甲乙丙丁0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
HOMOPHONE_COST = 0.25
CONFUSABLE_COST = 0.4
#: The best name must beat the next by this many points to be taken.
MARGIN = 5.0
#: How many candidates rapidfuzz hands to the weighted comparison.
CANDIDATES = 12


@lru_cache(maxsize=1)
def _pinyin_table() -> dict:
    """pypinyin's character table (code point -> "zhǎng,cháng"), read without importing the package,
    whose phrase dictionaries take half a second to load and are not needed here."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.find_spec("pypinyin")
    table = Path(next(iter(spec.submodule_search_locations or []), "")) / "pinyin_dict.json" if spec else None
    if table is None or not table.is_file():  # another layout of the package: the ordinary import
        from pypinyin.pinyin_dict import pinyin_dict

        return pinyin_dict
    return {int(k): v for k, v in json.loads(table.read_text(encoding="utf-8")).items()}


def _toneless(syllable: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", syllable) if not unicodedata.combining(c))


def _confusable(syllable: str) -> str:
    for retroflex, plain in (("zh", "z"), ("ch", "c"), ("sh", "s")):
        if syllable.startswith(retroflex):
            syllable = plain + syllable[2:]
    if syllable.startswith("n"):
        syllable = "l" + syllable[1:]
    if syllable.startswith("hu"):
        syllable = "fu" + syllable[2:]
    for nasal, plain in (("ang", "an"), ("eng", "en"), ("ing", "in")):
        if syllable.endswith(nasal):
            syllable = syllable[: -len(nasal)] + plain
    return syllable


@lru_cache(maxsize=65536)
def readings(ch: str) -> tuple[frozenset, frozenset]:
    """The toneless readings of one character and their confusable forms (empty for non-Chinese)."""
    raw = _pinyin_table().get(ord(ch), "")
    plain = frozenset(_toneless(r) for r in raw.split(",") if r)
    return plain, frozenset(_confusable(r) for r in plain)


def substitution_cost(a: str, b: str) -> float:
    """Cost of reading character ``a`` where ``b`` was meant (see the module docstring)."""
    if a == b:
        return 0.0
    if a in DISTINGUISHING and b in DISTINGUISHING:  # 东 for 西, 4 for 5: another road
        return float("inf")
    plain_a, fuzzy_a = readings(a)
    plain_b, fuzzy_b = readings(b)
    if plain_a & plain_b:
        return HOMOPHONE_COST
    if fuzzy_a & fuzzy_b:
        return CONFUSABLE_COST
    return 1.0


def _indel_cost(ch: str) -> float:
    return float("inf") if ch in DISTINGUISHING else 1.0


def similarity(query: str, name: str, min_score: float = 0.0) -> float:
    """Score 0-100 of ``query`` as a misspelling of ``name`` (0 when the endings differ).

    With ``min_score``, scores below it may come back as 0 (what cannot reach
    it is not computed): when that allows less than two edits, a name of
    another length cannot reach it without an insertion, and one of the same
    length only by substitutions, position by position.
    """
    if query == name:
        return 100.0
    if road_type(query) != road_type(name) or abs(len(query) - len(name)) > 2:
        return 0.0
    n, m = len(query), len(name)
    allowed = (1.0 - min_score / 100.0) * max(n, m)
    if allowed < 1.0 and n != m:
        return 0.0
    if allowed < 2.0 and n == m:
        cost = 0.0
        for a, b in zip(query, name):
            cost += substitution_cost(a, b)
            if cost > allowed:
                return 0.0
        return max(0.0, 100.0 * (1.0 - cost / n))
    previous = [0.0] * (m + 1)
    for j in range(1, m + 1):
        previous[j] = previous[j - 1] + _indel_cost(name[j - 1])
    for i in range(1, n + 1):
        current = [previous[0] + _indel_cost(query[i - 1])] + [0.0] * m
        for j in range(1, m + 1):
            current[j] = min(
                previous[j - 1] + substitution_cost(query[i - 1], name[j - 1]),
                previous[j] + _indel_cost(query[i - 1]),
                current[j - 1] + _indel_cost(name[j - 1]),
            )
        previous = current
    cost = previous[m]
    return 0.0 if cost == float("inf") else max(0.0, 100.0 * (1.0 - cost / max(n, m)))


class NameIndex:
    """Approximate look-up over a fixed list of normalised names.

    Parameters
    ----------
    names : iterable of str
        The gazetteer's normalised names (roads, or places).
    """

    def __init__(self, names):
        self.names = sorted(set(names))

    def best(self, query: str, min_score: float) -> tuple[list[tuple[str, float]], bool]:
        """``([(name, score), ...], ambiguous)``: the names at least ``min_score`` alike, best first.

        ``ambiguous`` is True when the two best are within :data:`MARGIN` of each other.
        """
        if not query or not self.names:
            return [], False
        from rapidfuzz import fuzz, process

        pool = process.extract(query, self.names, scorer=fuzz.ratio, limit=CANDIDATES, score_cutoff=45)
        scored = sorted(((name, similarity(query, name, min_score)) for name, _, _ in pool), key=lambda item: -item[1])
        kept = [(name, score) for name, score in scored if score >= min_score]
        ambiguous = len(kept) > 1 and kept[0][1] - kept[1][1] < MARGIN
        return kept, ambiguous
