"""Chinese numerals in house numbers (二十一号 -> 21号), converted only where a number is expected.

Only numerals standing before a unit of an address (号, 栋, 单元, 室, 楼, 层,
巷, 弄, 组, 社, 队, 期, 排, 之, ...) are converted, so place names that contain
numeral characters (二环路, 五一路, 十字街, 三台县) are left as written. The
query and the gazetteer go through the same conversion, so either spelling
matches the other.
"""

from __future__ import annotations

import re

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
          "壹": 1, "贰": 2, "叁": 3, "肆": 4, "伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
#: What may follow a number in an address.
NUMBER_UNITS = "号|號|栋|幢|座|单元|室|楼|层|巷|弄|组|社|队|期|排|户|之|附|号楼"
_NUMERAL = re.compile(rf"第?([零〇○一二两三四五六七八九十百千壹贰叁肆伍陆柒捌玖拾佰仟]+)(?=(?:{NUMBER_UNITS}))")


def chinese_to_int(text: str) -> int | None:
    """The value of a Chinese numeral: ``二十一`` -> 21, ``一百零五`` -> 105, ``一二三`` -> 123 (digit by digit).

    Returns None when ``text`` is not a numeral.
    """
    if not text or any(ch not in DIGITS and ch not in UNITS for ch in text):
        return None
    if not any(ch in UNITS for ch in text):  # 一二三 read digit by digit, as house numbers are often said
        return int("".join(str(DIGITS[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in DIGITS:
            current = DIGITS[ch]
        else:
            total += (current or 1) * UNITS[ch]  # 十二: an implicit one before 十
            current = 0
    return total + current


def convert_numerals(text: str) -> str:
    """Replace the Chinese numerals that stand before an address unit by Arabic digits (第 dropped)."""
    if not _NUMERAL.search(text):
        return text

    def replace(match: re.Match) -> str:
        value = chinese_to_int(match.group(1))
        return match.group(0) if value is None else str(value)

    return _NUMERAL.sub(replace, text)
