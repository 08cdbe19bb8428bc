"""Reading a normalised address into its parts: place text, house number, building, qualifiers.

Chinese addresses run from the largest unit to the smallest: province, city,
county, township (镇/乡/街道), village or community, road (路/街/巷/道/胡同/弄...),
house number (号), building (栋/幢/座/号楼), unit (单元), room (室). Police
records add where the event was relative to it: 附近, 对面, 门口, 东侧50米,
路口. :func:`parse` splits a cleaned address (:func:`.text.clean`) into

- ``body``: everything before the house number (administrative prefix, road
  or place); the matcher resolves it against the gazetteer's names, because
  only the gazetteer knows where a road name starts;
- ``plate``: the house number (``甲12号``, ``12-3号``, ``12之3号``, ``12号``,
  or a bare trailing number after a road);
- ``building`` and ``detail``: 栋/座/号楼 and what follows (unit, room, floor);
- ``qualifiers``: the relative words stripped from the end, kept for the note;
- ``junction``: whether the text names a crossing (交叉口, 路口, 交汇处).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .text import clean

#: Endings that make a name a road or a container of house numbers, longest first.
ROAD_SUFFIXES = ("大道", "大街", "胡同", "公路", "国道", "省道", "县道", "乡道", "路", "街", "巷", "道", "弄", "里",
                 "村", "组", "社", "队", "屯", "庄", "湾", "坝", "沟", "社区", "小区", "新村", "花园", "家园", "苑", "线")
_ROAD_END = re.compile("(?:" + "|".join(sorted(ROAD_SUFFIXES, key=len, reverse=True)) + r")$")
#: Words that name a crossing; stripped from the end and remembered.
JUNCTION_WORDS = ("十字路口", "丁字路口", "交叉路口", "交叉口", "交汇处", "交汇口", "交界处", "交接处", "路口")
_JUNCTION = re.compile("(?:" + "|".join(JUNCTION_WORDS) + ")$")
#: Where the event was relative to the address: stripped from the end and recorded.
_QUALIFIER = re.compile(
    r"(?:"
    r"(?:往|向|朝)?(?:东南|东北|西南|西北|东|西|南|北)?(?:侧|边|面|方|方向)?(?:约|大约)?\d{1,5}(?:米|M|公里|KM)(?:处|左右|远)?"
    r"|斜对面|正对面|斜对门|对面|对门|对过|附近|旁边|隔壁|大门口|门口|门前|前面|前方|后面|后方|背后|周边|周围|一带|路边|路旁|边上"
    r"|楼下|楼上|院内|院子里|院子|里面|入口|出口|路段|地段|处|内|旁"
    r"|(?:东南|东北|西南|西北|东|西|南|北)(?:侧|边|面|头|角|段)|(?:中|上|下)段"
    r")$"
)
_GATE = re.compile(r"(?:东|西|南|北|正|大|侧|后|前)门$")
_LEADING = re.compile(r"^(?:在|位于|地处|于)")
#: A door plate: ``甲12号``, ``12-3号``, ``12之3号``, ``12附3号`` (not ``12号楼``, which is a building).
_PLATE = re.compile(r"(?P<pre>[甲乙丙丁])?(?P<num>\d{1,5})(?:(?:-|之|附)(?P<sub>\d{1,4}))?号(?!楼)")
_TRAILING_NUMBER = re.compile(r"(?<!\d)(?P<pre>[甲乙丙丁])?(?P<num>\d{1,5})(?:(?:-|之)(?P<sub>\d{1,4}))?$")
_BUILDING = re.compile(r"^(?:院)?(?P<building>\d{1,4}|[A-Z])(?:栋|幢|座|号楼|楼)")
_ROAD_AFTER_NUMBER = tuple("路街巷道线")
#: Sub-units after a place name: 3组, 2栋, 1单元, 5号 (a stall, a gate).
SUB_UNIT = re.compile(r"^(?:\d{1,4}(?:组|社|队|栋|幢|座|号楼|单元|号|楼|层|室))+$")
#: A building and what follows it, written without a house number (阳光小区3栋2单元501室).
_BUILDING_TAIL = re.compile(r"(?P<building>\d{1,4}|[A-Z])(?:栋|幢|座|号楼)(?:\d{1,3}单元)?(?:\d{1,5}(?:室|房|户|层|楼))?$")


@dataclass(frozen=True)
class Plate:
    """A house number: ``pre`` (甲/乙...), the main number, and a sub-number (``12-3``)."""

    number: int
    pre: str = ""
    sub: str = ""

    @property
    def key(self) -> str:
        return f"{self.pre}{self.number}" + (f"-{self.sub}" if self.sub else "")

    @property
    def main_key(self) -> str:
        return str(self.number)

    def __str__(self) -> str:
        return self.key + "号"


@dataclass(frozen=True)
class Parsed:
    """One address taken apart (see the module docstring)."""

    text: str
    body: str
    plate: Plate | None = None
    building: str = ""
    detail: str = ""
    qualifiers: tuple[str, ...] = ()
    junction: bool = False
    aside: str = ""
    truncated: bool = False


def is_road_like(name: str) -> bool:
    """Whether ``name`` ends like a road or a container of house numbers."""
    return bool(_ROAD_END.search(name))


def road_type(name: str) -> str:
    """The generic ending of a road name (路, 街, 巷, 大道, ...), or '' for a name without one."""
    found = _ROAD_END.search(name)
    return found.group(0) if found else ""


def strip_qualifiers(text: str) -> tuple[str, list[str], bool]:
    """Remove relative words from the end; return the rest, the words (in reading order) and the junction flag."""
    qualifiers: list[str] = []
    junction = False
    while text:
        if (m := _JUNCTION.search(text)) and len(text) > len(m.group(0)):
            word, rest = m.group(0), text[: m.start()]
            if word == "路口" and not is_road_like(rest):
                rest += "路"  # 人民路口: the 路 belongs to the road
            junction = True
            qualifiers.insert(0, word)
            text = rest
            continue
        m = _QUALIFIER.search(text)
        if m is None and len(text) > 3:
            m = _GATE.search(text)
        if m is None or len(m.group(0)) >= len(text):
            break
        qualifiers.insert(0, m.group(0))
        text = text[: m.start()]
    return text, qualifiers, junction


def parse_plate(text: str) -> Plate | None:
    """A house number written alone (a gazetteer's ``house_number`` column): ``12``, ``12号``, ``甲12号``, ``12-3``."""
    folded = clean(text)[0]
    m = _PLATE.search(folded) or _TRAILING_NUMBER.search(folded)
    return None if m is None else Plate(int(m.group("num")), m.group("pre") or "", m.group("sub") or "")


def _find_plate(text: str) -> re.Match | None:
    """The first ``N号`` that is a house number (``2号路`` names a road, so its 号 is skipped)."""
    for m in _PLATE.finditer(text):
        after = text[m.end(): m.end() + 1]
        if after and after in _ROAD_AFTER_NUMBER:
            continue
        return m
    return None


def parse(raw) -> Parsed:
    """Take one raw address apart (see the module docstring)."""
    text, aside, truncated = clean(raw)
    text = _LEADING.sub("", text)
    body_text, qualifiers, junction = strip_qualifiers(text)
    m = _find_plate(body_text)
    if m is None:
        trailing = _TRAILING_NUMBER.search(body_text)
        if trailing is not None and is_road_like(body_text[: trailing.start()]):
            m = trailing
    if m is None:
        building = ""
        if (b := _BUILDING_TAIL.search(body_text)) and b.start() > 0:
            building, detail, body_text = b.group("building"), b.group(0), body_text[: b.start()]
            return Parsed(text, body_text, None, building, detail, tuple(qualifiers), junction, aside, truncated)
        return Parsed(text, body_text, qualifiers=tuple(qualifiers), junction=junction, aside=aside, truncated=truncated)
    plate = Plate(int(m.group("num")), m.group("pre") or "", m.group("sub") or "")
    tail = body_text[m.end():]
    body, between, _ = strip_qualifiers(body_text[: m.start()])  # 人民路东段12号: the 东段 is not the road's
    qualifiers = between + qualifiers
    building = ""
    if b := _BUILDING.match(tail):
        building = b.group("building")
    return Parsed(text, body, plate, building, tail, tuple(qualifiers), junction, aside, truncated)


def junction_splits(body: str):
    """Ways to read ``body`` as two roads: at a connector (与, 和, 、, /, ...), then between two road names."""
    for i, ch in enumerate(body):
        if ch in "与和跟同及、/&+" and 0 < i < len(body) - 1:
            yield body[:i], body[i + 1:]
    for i in range(2, len(body) - 1):
        if is_road_like(body[:i]):
            yield body[:i], body[i:]
