"""What each kind of layer gives the gazetteer: door plates, road lines, named places, township polygons.

Every function takes a frame already in the gazetteer's CRS and returns plain
records; :mod:`.gazetteer` ties them together. Names are normalised with
:func:`.text.key`, so the gazetteer and the queries compare like with like.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely

from .admin import AdminReader
from .columns import address_columns, name_column
from .levels import PLACE, TOWNSHIP
from .parse import Plate, parse, parse_plate
from .text import key

#: ``area_type`` values that make an area a township.
TOWNSHIP_AREA_TYPES = {"township", "乡镇", "镇", "乡", "街道"}


@dataclass
class PlateRecords:
    """Door plates from one table: position, road, number, building, township, the text as written."""

    x: np.ndarray
    y: np.ndarray
    road: list[str]
    plate: list[Plate]
    building: list[str]
    township: list[str]
    label: list[str]
    rows: list[int]
    source: str


@dataclass
class PlaceRecord:
    """A named place: its normalised name, level, point (on surface), radius in metres, township, label."""

    name: str
    level: str
    x: float
    y: float
    radius: float
    township: str
    label: str
    source: str
    geometry: object = None  # the polygon of an area, grid or township


def _text(values) -> list[str]:
    return ["" if v is None or (isinstance(v, float) and v != v) else str(v) for v in values]


def plates_from_table(frame, source: str, rows=None, known_townships=()) -> tuple[PlateRecords, list[PlaceRecord], list[tuple[int, str]]]:
    """Door plates (and named places without a number) from a standard-address table.

    With ``road`` and ``house_number`` columns these are used as they are;
    otherwise the ``address`` text is parsed, and the road is what stands
    before the number once a township prefix is taken off.

    Returns
    -------
    plates, places, problems
        ``problems`` are ``(row, reason)`` for rows that are neither a plate nor a place.
    """
    columns = address_columns(list(frame.columns))
    rows = list(range(1, len(frame) + 1)) if rows is None else list(rows)
    x, y = shapely.get_coordinates(frame.geometry.values).T if len(frame) else (np.empty(0), np.empty(0))
    get = {role: _text(frame[col]) if col in frame else [""] * len(frame) for role, col in columns.items()}
    blank = [""] * len(frame)
    address, road_col, number_col = get.get("address", blank), get.get("road", blank), get.get("house_number", blank)
    building_col, township_col = get.get("building", blank), get.get("township", blank)
    names = _text(frame[name_column(frame.columns)]) if name_column(frame.columns) else blank
    keep, plates, places, problems = [], [], [], []
    roads, buildings, townships, labels = [], [], [], []
    for i in range(len(frame)):
        township = key(township_col[i])
        plate = parse_plate(number_col[i]) if number_col[i] else None
        road = key(road_col[i])
        parsed = parse(address[i]) if address[i] else None
        if plate is None and parsed is not None:
            plate = parsed.plate
        if not road and parsed is not None:
            road, named = AdminReader([township, *known_townships]).strip_prefix(parsed.body)
            township = township or named
        building = key(building_col[i]) or (parsed.building if parsed is not None else "")
        label = address[i] or f"{road_col[i]}{number_col[i]}"
        if plate is not None and road:
            keep.append(i)
            plates.append(plate)
            roads.append(road)
            buildings.append(building.removesuffix("栋").removesuffix("幢").removesuffix("座").removesuffix("号楼"))
            townships.append(township)
            labels.append(label)
        elif (name := key(names[i]) or (parsed.body if parsed is not None else road)):
            places.append(PlaceRecord(name, PLACE, float(x[i]), float(y[i]), 0.0, township, names[i] or label, source))
        else:
            problems.append((rows[i], "neither a house number nor a name"))
    index = np.asarray(keep, dtype=int)
    records = PlateRecords(x[index] if len(index) else np.empty(0), y[index] if len(index) else np.empty(0), roads, plates,
                           buildings, townships, labels, [rows[i] for i in keep], source)
    return records, places, problems


def road_lines(frame) -> pd.DataFrame:
    """``name``, ``label``, ``geometry`` of the named lines of a roads layer (unnamed lines are skipped)."""
    column = "name" if "name" in frame.columns else name_column(frame.columns)
    if column is None:
        return pd.DataFrame({"name": [], "label": [], "geometry": []})
    labels = _text(frame[column])
    names = [key(v) for v in labels]
    keep = [i for i, n in enumerate(names) if n]
    return pd.DataFrame({"name": [names[i] for i in keep], "label": [labels[i] for i in keep],
                         "geometry": frame.geometry.values[keep]})


def polygon_places(frame, level: str, source: str) -> list[PlaceRecord]:
    """Named polygons (areas, grids) as places at their point on surface."""
    column = "name" if "name" in frame.columns else name_column(frame.columns)
    if column is None:
        return []
    types = _text(frame["area_type"]) if "area_type" in frame.columns else [""] * len(frame)
    out = []
    for label, kind, geometry in zip(_text(frame[column]), types, frame.geometry.values):
        name = key(label)
        if not name or geometry is None or geometry.is_empty:
            continue
        this_level = TOWNSHIP if kind.lower() in TOWNSHIP_AREA_TYPES else level
        out.append(_polygon_place(name, this_level, geometry, label, source))
    return out


def township_places(frame, source: str) -> list[PlaceRecord]:
    """One place per township of a polygon layer with a ``township`` column (the grids' townships, dissolved)."""
    if "township" not in frame.columns:
        return []
    out = []
    for label, group in frame.groupby(frame["township"].astype("string"), dropna=True):
        name = key(label)
        if name:
            out.append(_polygon_place(name, TOWNSHIP, shapely.union_all(group.geometry.values), str(label), source))
    return out


def point_places(frame, source: str) -> list[PlaceRecord]:
    """Named points (POI: stations, schools, shops, ...) as places."""
    column = name_column(frame.columns)
    if column is None:
        return []
    x, y = shapely.get_coordinates(frame.geometry.values).T if len(frame) else ([], [])
    return [PlaceRecord(key(label), PLACE, float(px), float(py), 0.0, "", label, source)
            for label, px, py in zip(_text(frame[column]), x, y) if key(label)]


def _polygon_place(name: str, level: str, geometry, label: str, source: str) -> PlaceRecord:
    point = geometry.representative_point()
    hull = shapely.get_coordinates(geometry.convex_hull)
    radius = float(np.hypot(hull[:, 0] - point.x, hull[:, 1] - point.y).max()) if len(hull) else 0.0
    return PlaceRecord(name, level, float(point.x), float(point.y), radius, "", label, source, geometry)

