"""Map source column headers onto canonical roles, in Chinese and English.

Police systems export headers such as ``经度``, ``发案时间`` or ``案件类别``;
GIS files use ``lon``/``x``/``longitude``. A header is normalised (case, spaces,
units in brackets) and then looked up in an alias table per role. The first
matching column wins; an explicit mapping always overrides detection.
"""

from __future__ import annotations

import re

from ..errors import InputError

# Role -> aliases, most specific first. Aliases are compared after `normalise`.
ALIASES: dict[str, tuple[str, ...]] = {
    "x": ("经度", "lon", "lng", "long", "longitude", "x", "x坐标", "横坐标", "东经", "gps经度", "jd", "point_x"),
    "y": ("纬度", "lat", "latitude", "y", "y坐标", "纵坐标", "北纬", "gps纬度", "wd", "point_y"),
    "occurred_at": (
        "发案时间", "案发时间", "报警时间", "接警时间", "发生时间", "发案日期时间", "occurred_at",
        "datetime", "date_time", "timestamp", "time", "时间", "date", "日期", "发案日期", "案发日期",
    ),
    "category": ("案件类别", "案件类型", "警情类别", "警情类型", "类别", "类型", "category", "type", "offense", "crime_type"),
    "subcategory": ("案件细类", "案件子类", "细类", "子类", "小类", "案由", "subcategory", "subtype", "sub_type"),
    "address": ("发案地址", "案发地址", "发案地点", "案发地点", "地址", "地点", "address", "location", "addr"),
    "case_id": ("案件编号", "警情编号", "接警编号", "编号", "案件号", "case_id", "caseid", "case_no", "id", "incident_id"),
    "grid_id": ("网格编号", "网格编码", "网格id", "网格号", "grid_id", "gridid", "grid"),
    "name": ("名称", "网格名称", "路线名称", "区域名称", "道路名称", "路名", "name"),
    "population": ("人口", "户籍人口", "常住人口", "人口数", "population", "pop"),
    "camera_id": ("点位编号", "摄像头编号", "设备编号", "camera_id", "cameraid", "device_id"),
    "kind": ("设备类型", "摄像头类型", "点位类型", "kind", "camera_kind", "camera_type"),
    "heading_deg": ("朝向", "方向角", "方位角", "方向", "heading_deg", "heading", "azimuth", "bearing", "direction"),
    "fov_deg": ("视场角", "视角", "水平视角", "fov_deg", "fov", "field_of_view", "angle"),
    "range_m": ("监控距离", "可视距离", "覆盖半径", "range_m", "range", "radius", "distance"),
    "status": ("设备状态", "在线状态", "状态", "办理状态", "status", "state"),
    "route_id": ("路线编号", "route_id", "routeid"),
    "unit": ("所属单位", "巡逻单位", "单位", "派出所", "unit", "station"),
    "shift": ("班次", "shift"),
    "area_id": ("区域编号", "area_id", "areaid"),
    "area_type": ("区域类型", "区域类别", "area_type", "areatype", "landuse"),
    "road_class": ("道路等级", "道路类别", "road_class", "roadclass", "class", "highway", "fclass"),
    "description": ("简要案情", "案情", "案情描述", "警情内容", "description", "desc", "summary", "narrative"),
}

# Shapefile field names stop at 10 characters: occurred_at arrives as occurred_a.
ALIASES = {role: aliases + ((role[:10],) if len(role) > 10 else ()) for role, aliases in ALIASES.items()}

#: The roles that readers look for, per layer kind (coordinates only for tables).
ROLES_BY_KIND: dict[str, tuple[str, ...]] = {
    "incidents": ("case_id", "occurred_at", "category", "subcategory", "address", "grid_id", "status", "description"),
    "grids": ("grid_id", "name", "population"),
    "cameras": ("camera_id", "kind", "heading_deg", "fov_deg", "range_m", "status", "name"),
    "routes": ("route_id", "name", "unit", "shift"),
    "areas": ("area_id", "name", "area_type"),
    "roads": ("name", "road_class"),
    "addresses": ("address",),
    "result": (),
}

_UNITS = re.compile(r"[\(（\[【].*?[\)）\]】]")
_SPACES = re.compile(r"[\s_\-.:：/]+")


def normalise(header: str) -> str:
    """Lower-case, drop bracketed units such as ``(°)`` and separators, so ``经度(GCJ02)`` reads as ``经度``."""
    text = _UNITS.sub("", str(header).replace("\ufeff", "")).strip().lower()
    return _SPACES.sub("_", text).strip("_")


def _compact(text: str) -> str:
    return text.replace("_", "")


def detect_columns(headers: list[str], roles: tuple[str, ...], override: dict[str, str] | None = None) -> dict[str, str]:
    """Return role -> header for ``roles`` found in ``headers``.

    Parameters
    ----------
    headers : list of str
        Source column names, in file order.
    roles : tuple of str
        Roles to look for (see ``ALIASES``).
    override : dict, optional
        Role -> header chosen by the user; each must exist, else ``InputError``.

    Notes
    -----
    Each header serves at most one role. An exact alias match beats a
    compacted one (``case_id`` vs ``caseid``); within a role, aliases earlier in
    the table win, then earlier columns.
    """
    override = dict(override or {})
    missing = [col for col in override.values() if col not in headers]
    if missing:
        raise InputError(
            f"Column {missing[0]!r} named in the column mapping is not in the file; its columns are: {', '.join(map(str, headers))}."
        )
    unknown = [role for role in override if role not in ALIASES]
    if unknown:
        raise InputError(f"Unknown column role {unknown[0]!r}: use one of {', '.join(ALIASES)}.")
    mapping = dict(override)
    used = set(override.values())
    normalised = [(h, normalise(h)) for h in headers]
    for role in roles:
        if role in mapping:
            continue
        found = _find(role, normalised, used)
        if found is not None:
            mapping[role] = found
            used.add(found)
    return mapping


def _find(role: str, normalised: list[tuple[str, str]], used: set[str]) -> str | None:
    for alias in ALIASES[role]:
        for header, norm in normalised:
            if header not in used and norm == alias:
                return header
    for alias in ALIASES[role]:
        for header, norm in normalised:
            if header not in used and _compact(norm) == _compact(alias):
                return header
    return None


def offset_hint(header: str) -> str | None:
    """``gcj02`` or ``bd09`` when a coordinate header names the offset (``经度(GCJ02)``, ``百度经度``)."""
    text = str(header).lower()
    if "gcj" in text or "火星" in text or "高德" in text or "腾讯" in text:
        return "gcj02"
    if "bd09" in text or "bd-09" in text or "百度" in text:
        return "bd09"
    return None


def dedupe_headers(headers: list[str]) -> tuple[list[str], list[str]]:
    """Make headers unique (``名称``, ``名称_2``) and say which were repeated, so no column is silently lost."""
    seen: dict[str, int] = {}
    unique, repeated = [], []
    for header in headers:
        header = str(header).strip() or "column"
        if header in seen:
            seen[header] += 1
            repeated.append(header)
            candidate = f"{header}_{seen[header]}"
            while candidate in seen:
                seen[header] += 1
                candidate = f"{header}_{seen[header]}"
            unique.append(candidate)
            seen[candidate] = 1
        else:
            seen[header] = 1
            unique.append(header)
    return unique, repeated
