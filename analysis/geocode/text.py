"""Address text made comparable: one spelling for the many ways the same address is typed.

:func:`clean` is applied to the query and to every gazetteer name alike. It
folds full-width digits and letters (NFKC), the traditional forms of the
characters addresses use (號, 樓, 棟, 鎮, ...), drops markup, spaces and
punctuation, reads ``#`` as 号 and the dashes of ``12-3`` as one ``-``, and
converts Chinese numerals in house numbers (:mod:`.numerals`). Bracketed
asides such as ``(农贸市场)`` are taken out and returned apart.
"""

from __future__ import annotations

import re
import unicodedata

from .numerals import convert_numerals

#: Characters beyond this are not read: a field this long is a description, not an address.
MAX_CHARS = 200

#: Traditional -> simplified, for the characters addresses are made of.
TRADITIONAL = str.maketrans({
    "號": "号", "樓": "楼", "棟": "栋", "單": "单", "區": "区", "鎮": "镇", "縣": "县", "鄉": "乡", "門": "门", "東": "东",
    "與": "与", "對": "对", "廣": "广", "場": "场", "橋": "桥", "莊": "庄", "灣": "湾", "衚": "胡", "衕": "同", "幹": "干",
    "陽": "阳", "華": "华", "興": "兴", "豐": "丰", "龍": "龙", "鳳": "凤", "雲": "云", "濱": "滨", "園": "园", "層": "层",
    "邊": "边", "側": "侧", "條": "条", "廠": "厂", "組": "组", "隊": "队", "農": "农", "貿": "贸",
    "學": "学", "醫": "医", "開": "开", "發": "发", "長": "长", "馬": "马", "車": "车", "頭": "头",
    "嶺": "岭", "壩": "坝", "運": "运", "禮": "礼", "臺": "台", "巿": "市",
})
_MARKUP = re.compile(r"<[^<>]{0,200}>|&(?:[a-z]{2,8}|#\d{1,6});", re.IGNORECASE)
_ASIDE = re.compile(r"[(\[{【〔（][^()\[\]{}【】〔〕（）]{0,60}[)\]}】〕）]")
_DASHES = re.compile(r"[‐‑‒–—―−~～_]+")
#: Everything but CJK ideographs, ASCII letters and digits and the ``-`` of sub-numbers.
_DROP = re.compile(r"[^0-9A-Z\-\u3400-\u4dbf\u4e00-\u9fff]+")
_LABEL = re.compile(r"^(?:发案|案发|事发|报警|发生)?(?:地址|地点|位置|详址)[:：]")


def clean(text) -> tuple[str, str, bool]:
    """``(normalised text, bracketed asides, truncated)`` of one address.

    >>> clean("人民路 ２１號（农贸市场）")
    ('人民路21号', '农贸市场', False)
    """
    if text is None or (isinstance(text, float) and text != text) or type(text).__name__ == "NAType":
        return "", "", False
    raw = str(text)
    truncated = len(raw) > MAX_CHARS
    if truncated:
        raw = raw[:MAX_CHARS]
    folded = unicodedata.normalize("NFKC", raw).translate(TRADITIONAL).upper()
    folded = _MARKUP.sub("", folded)
    folded = _LABEL.sub("", folded.strip())
    asides = [m.group(0)[1:-1] for m in _ASIDE.finditer(folded)]
    folded = _ASIDE.sub("", folded).replace("#", "号")
    folded = _DASHES.sub("-", folded)
    folded = convert_numerals(_DROP.sub("", folded))
    aside = convert_numerals(_DROP.sub("", "".join(asides)))
    return folded.strip("-"), aside, truncated


def key(text) -> str:
    """Just the normalised text (for gazetteer names)."""
    return clean(text)[0]
