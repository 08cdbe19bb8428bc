"""How the input was read, for every summary: the guesses a reader must be able to check.

A police export rarely says what it is. The reader decides where the header
is, which system and axis order the coordinates are in, and how dates were
combined and ordered; a wrong guess misplaces every point without an error.
So each decision the report records is said here in the summary's language,
and every other sentence of the report follows as it was written.
"""

from __future__ import annotations

import re
from typing import Callable

Chooser = Callable[[str, str], str]

#: Report sentences that a line below already says in the summary's language
#: (the start of each sentence, as :mod:`gisapp.layers.io` writes it).
_SAID = (
    "Header on row",
    "The eastings carry zone number",
    "The coordinates are in surveying order",
    "Dates in ",
    "rows have no readable time of occurrence",
)

#: The report's common sentences in Chinese: (pattern of the English sentence, Chinese with its groups).
_ZH = [(re.compile(pattern), zh) for pattern, zh in (
    (r"^No coordinate system was given; the values are degrees, read as WGS84/CGCS2000\.",
     "未给出坐标系：数值为经纬度，按 WGS84/CGCS2000 读取；若来自高德或腾讯地图请用 --input-crs gcj02，来自百度请用 --input-crs bd09。"),
    (r"^Latitude and longitude were swapped in the whole file",
     "整个文件的经度与纬度列填反了，已对调读取。"),
    (r"^(\d+) points are far from every other \(loaded rows (.+)\); check their coordinates\.$",
     "{0} 个点远离其他所有点（载入后第 {1} 行），请核对其坐标。"),
    (r"^([\d,]+) rows have a date but no readable time of day \((.+)\)",
     "{0} 行只有日期、没有可读的时刻（{1}）：按当日 00:00 计入，按小时的统计会把它们算在 0 时。"),
    (r"^(.+) has no coordinate system \(missing \.prj\?\)",
     "{0} 没有坐标系（缺少 .prj？），其经纬度按 WGS84 读取。"),
    (r"^(\d+) invalid geometries .* were repaired",
     "{0} 个无效几何（如自相交多边形）已修复。"),
)]


#: The reject reasons of :data:`gisapp.layers.report.REASON_KINDS`, in Chinese.
REASONS_ZH = {
    "no_coordinates": "无坐标", "bad_coordinates": "坐标无效", "zero_coordinates": "坐标为 (0, 0)",
    "outside_area": "位置超出坐标系或中国范围", "summary_row": "合计、小计或签名行", "no_geometry": "无几何",
    "invalid_geometry": "几何无法修复", "wrong_geometry": "几何类型不符", "ragged_row": "字段数不符",
    "undecodable": "无法按文件编码解码", "unreadable_date": "日期无法读取", "no_time_of_day": "缺少时刻", "other": "其他",
}


def _in_chinese(warning: str) -> str:
    """``warning`` in Chinese where it is one of the common sentences, else as it was written."""
    for pattern, zh in _ZH:
        if match := pattern.search(warning):
            return zh.format(*match.groups())
    return warning


def reading_lines(report: dict, t: Chooser) -> list[str]:
    """The reader's decisions (header, coordinates, times), then its other warnings verbatim."""
    lines = []
    if report.get("skipped_rows") and report.get("header_note"):
        note = report["header_note"]
        lines.append(t(f"  读取：{note['zh']}", f"  input: {note['en']}"))
    coordinates = report.get("coordinates") or {}
    if coordinates.get("order", "").startswith("surveying") or coordinates.get("zone") is not None:
        lines.append(_coordinate_line(report, coordinates, t))
    if not report.get("georeferenced", True):
        lines.append(t("  读取：坐标为本地米制坐标，未地理配准（无底图、无经纬度）；用 --input-crs 给出坐标系即可定位",
                       "  input: local metres, not georeferenced (no basemap, no degrees); give the system with --input-crs"))
    source = report.get("time_source") or {}
    if source:
        lines.append(t(f"  读取：发案时间由「{source['date']}」与「{source['time']}」两列合成",
                       f"  input: times combined from the columns {source['date']} and {source['time']}"))
    order = report.get("date_order") or {}
    if order:
        zh_order = {"day-first": "日在前", "month-first": "月在前"}.get(order.get("order"), order.get("order"))
        lines.append(t(f"  读取：「{order['column']}」中年份在后的日期按{zh_order}读取（{order.get('reason', '')}）",
                       f"  input: dates in {order['column']} with the year last read {order.get('order')} ({order.get('reason', '')})"))
    for warning in report.get("warnings") or []:
        if not any(part in warning for part in _SAID):
            lines.append(t(f"  读取提示：{_in_chinese(warning)}", f"  input: {warning}"))
    return lines


def _coordinate_line(report: dict, coordinates: dict, t: Chooser) -> str:
    columns = "/".join(coordinates.get("columns") or [])
    name = coordinates.get("crs_name") or report.get("crs", "")
    code = coordinates.get("crs") or report.get("crs", "")
    surveying = coordinates.get("order", "").startswith("surveying")
    zone = coordinates.get("zone")
    zh = f"  读取：坐标列 {columns} 按 {name}（{code}）读取"
    en = f"  input: coordinates {columns} read as {name} ({code})"
    if zone is not None:
        zh += f"，东坐标带号 {zone}"
        en += f", zone number {zone} in the eastings"
    if surveying:
        zh += "；为测量顺序（X 为北坐标、Y 为东坐标），已对调"
        en += "; in surveying order (X = northing, Y = easting), swapped"
    if any(w.startswith(_SAID[1]) for w in report.get("warnings") or []):  # the zone was read from the values, not given
        zh += "。若实为西安80或北京54坐标，请用 --input-crs 指定"
        en += ". If the data are Xian 1980 or Beijing 1954, give --input-crs"
    return t(zh, en)
