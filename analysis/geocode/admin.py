"""The administrative part of an address: 省/市/县/镇/乡/街道 prefixes, read as a filter, never required.

An address may start with any of province, city, county, township and
village, or with none of them: ``四川省XX县乐安镇场镇西街21号``, ``乐安镇西街21号``
and ``西街21号`` are one place. Once the matcher has found the road (the
longest gazetteer road name ending the text before the house number), what
stands before it must be *explained*, or the road found may be only the tail
of another, unknown road (``城南西街`` is not ``西街``). :func:`explain` reads
that prefix from left to right as

- names the gazetteer knows: townships (``乐安镇`` and ``乐安``), villages,
  places, roads;
- generic administrative units, by their endings: ``…省``, ``…市``, ``…县``,
  ``…区``, ``…镇``, ``…乡``, ``…街道`` (at most 8 characters before the ending),
  and the units below a township: ``…社区``, ``…村`` (with its ``3组``), ``…小区``, ``…园区``;
- filler words of police records: ``场镇`` (the town centre), ``城区``, ``辖区``,
  ``境内``, ``县城``, ...

and returns the known townships it names (the filter) and whatever it could
not explain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_GENERIC = re.compile(
    r"[\u4e00-\u9fff]{1,8}?(?:特别行政区|自治区|自治州|自治县|省|地区|盟|市|州|县|旗|区|街道办事处|街道办|街道|办事处|镇|乡)"
)
#: Units below a township that may stand before a road (东门社区人民路12号, 张家村3组12号).
_LOCAL = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:社区居委会|居委会|村委会|社区|村|小区|开发区|工业园区|工业园|园区|片区)(?:\d{1,3}(?:组|社|队))?")
#: Words of police records that say nothing about where.
FILLER = ("场镇", "集镇", "城区", "县城", "城关", "辖区", "境内", "街上", "镇上", "乡上", "中心", "一带", "本县", "本镇", "本地",
          "在", "于", "位于")
#: Endings of a township (the filter); shorter forms are also known (乐安镇 -> 乐安).
TOWNSHIP_ENDINGS = ("街道办事处", "街道办", "街道", "镇", "乡")


def township_short_form(name: str) -> str | None:
    """``乐安镇`` -> ``乐安`` (None when the short form would be under two characters)."""
    for ending in TOWNSHIP_ENDINGS:
        if name.endswith(ending) and len(name) - len(ending) >= 2:
            return name[: -len(ending)]
    return None


@dataclass
class Explanation:
    """What a prefix says: the known townships it names, the units it names, and what is left unexplained."""

    townships: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    unexplained: str = ""

    @property
    def complete(self) -> bool:
        return not self.unexplained


class AdminReader:
    """Reads prefixes with the names one gazetteer knows.

    Parameters
    ----------
    townships : iterable of str
        Normalised township names.
    other_names : iterable of str
        Other names that may stand before a road (villages, places, roads, county names).
    """

    def __init__(self, townships, other_names=()):
        self.township_of: dict[str, str] = {}
        for name in townships:
            if name:
                self.township_of[name] = name
                short = township_short_form(name)
                if short and short not in self.township_of:
                    self.township_of[short] = name
        self.known = set(self.township_of) | {n for n in other_names if n} | set(FILLER)
        self.longest = max((len(n) for n in self.known), default=1)

    def explain(self, prefix: str) -> Explanation:
        """Read ``prefix`` from left to right (see the module docstring)."""
        out = Explanation()
        i = 0
        while i < len(prefix):
            step = self._known_at(prefix, i)
            if step:
                token = prefix[i: i + step]
                if token in self.township_of:
                    out.townships.append(self.township_of[token])
                i += step
                continue
            generic = _GENERIC.match(prefix, i) or _LOCAL.match(prefix, i)
            if generic:
                token = generic.group(0)
                if token in self.township_of:
                    out.townships.append(self.township_of[token])
                else:
                    out.units.append(token)
                i = generic.end()
                continue
            out.unexplained = prefix[i:]
            break
        return out

    def strip_prefix(self, text: str) -> tuple[str, str]:
        """``(rest, township)``: ``text`` without the administrative units it starts with.

        ``township`` is the last township named: a known one, or any unit ending in 镇, 乡 or 街道.

        Only townships and generic units are taken off (not filler words), and
        only while at least two characters remain and, when ``text`` ends like
        a road, the rest is still a road with a name of its own (``新区路`` keeps
        its 新区, ``开发区大道`` its 开发区).
        """
        from .parse import road_type

        ending = road_type(text)
        township, i = "", 0
        while i < len(text):
            step = self._township_at(text, i)
            generic = None if step else _GENERIC.match(text, i)
            end = i + step if step else (generic.end() if generic else i)
            rest = text[end:]
            if end == i or len(rest) < 2 or (ending and (road_type(rest) == "" or len(rest) <= len(road_type(rest)))):
                break
            token = text[i:end]
            if token in self.township_of:
                township = self.township_of[token]
            elif token.endswith(TOWNSHIP_ENDINGS):  # a gazetteer's own text names its townships: 河口镇新华街1号
                township = token
            i = end
        return text[i:], township

    def _township_at(self, text: str, i: int) -> int:
        for length in range(min(self.longest, len(text) - i), 1, -1):
            if text[i: i + length] in self.township_of:
                return length
        return 0

    def _known_at(self, text: str, i: int) -> int:
        for length in range(min(self.longest, len(text) - i), 0, -1):
            if text[i: i + length] in self.known:
                return length
        return 0

    def township_named(self, text: str) -> str | None:
        """The township ``text`` is, if it is one (full or short name)."""
        return self.township_of.get(text)
