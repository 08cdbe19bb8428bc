"""The gazetteer: every door plate, road, place, grid and township an address can be matched to.

:func:`build_gazetteer` takes whatever the project or the input GeoPackage
holds, and an optional extra file:

- ``addresses`` layers (the standard address database, 标准地址 / 一标三实):
  points with ``address`` and, where known, ``road``, ``house_number``,
  ``building``, ``township`` (headers detected with
  :data:`gisapp.layers.kinds.ADDRESS_ALIASES`);
- ``roads`` with names: house-number interpolation, road and intersection matches;
- ``areas`` and ``grids`` by name (``地点`` and ``网格``), and the grids'
  ``township`` column dissolved into townships (``乡镇``);
- any other named point layer (POI) as places; cameras, incidents without a
  name and analysis results are not places;
- ``extra_file`` (``--gazetteer``): a CSV, XLSX or GeoPackage read through
  :func:`gisapp.layers.io.read_layers`, so its columns and coordinate system
  are detected like any file's; rows without coordinates are rejected with
  their row number.

Everything is reprojected into one metric CRS. A road name is one road per
township: lines of one name are grouped when they lie within
:data:`SAME_ROAD_M` of each other, and each group takes the township its
plates (or the township polygon around it) name. The same door plate at two
places more than :data:`~.roads.SAME_PLACE_M` apart is flagged at load and
never averaged: a query for it is ambiguous.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely

from gisapp.layers.errors import InputError, RowProblem

from .admin import AdminReader
from .aliases import in_crs
from .columns import address_columns, name_column
from .levels import GRID, PLACE, TOWNSHIP
from .names import NameIndex
from .parse import Plate
from .records import PlaceRecord, plates_from_table, point_places, polygon_places, road_lines, township_places
from .roads import SAME_PLACE_M, Road

#: Lines of one name closer than this are one road.
SAME_ROAD_M = 300.0
#: A plate further than this from every line of its road's name makes a road of its own.
PLATE_TO_LINE_M = 1000.0
#: Layer kinds that never hold places.
NOT_PLACES = {"cameras", "routes", "result"}


@dataclass
class Gazetteer:
    """Plates, roads and places in one CRS, indexed for matching (see :mod:`.match`).

    Attributes
    ----------
    crs : pyproj.CRS
    px, py, numbers : ndarray
        Plate positions and main house numbers.
    plate_labels, plate_rows, plate_sources : list
        Each plate's address as written, its row and its source, for notes and reports.
    roads : list of Road
    road_index : dict
        Normalised road name (and the source's full name) -> indices into ``roads``.
    plate_index : dict
        ``(road, house key)`` and ``(road, house key, building)`` -> plate indices.
    places : list of PlaceRecord
    place_index : dict
        Normalised name -> indices into ``places``.
    admin : AdminReader
    rejects : list of RowProblem
        Gazetteer rows that could not be used (no coordinates, no number or name).
    duplicates : list of dict
        Door plates found at places more than 50 m apart: ``{"address", "rows", "spread_m"}``.
    warnings : list of str
    sources : list of str
    """

    crs: object
    px: np.ndarray
    py: np.ndarray
    numbers: np.ndarray
    plate_labels: list
    plate_rows: list
    plate_sources: list
    roads: list
    road_index: dict
    plate_index: dict
    places: list
    place_index: dict
    admin: AdminReader
    rejects: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    sources: list = field(default_factory=list)
    aliases: dict = field(default_factory=dict)

    def __post_init__(self):
        self.longest_road = max((len(n) for n in self.road_index), default=0)
        self.longest_place = max((len(n) for n in self.place_index), default=0)
        self.duplicated = {(d["road"], d["house"]) for d in self.duplicates}
        self._road_names = self._place_names = None

    @property
    def road_names(self) -> NameIndex:
        if self._road_names is None:
            self._road_names = NameIndex(self.road_index)
        return self._road_names

    @property
    def place_names(self) -> NameIndex:
        if self._place_names is None:
            self._place_names = NameIndex(self.place_index)
        return self._place_names

    @property
    def is_empty(self) -> bool:
        return not self.roads and not self.places

    def summary(self) -> dict:
        """Counts for reports: plates, roads, places by level, rejects, duplicates, sources."""
        levels = defaultdict(int)
        for place in self.places:
            levels[place.level] += 1
        return {
            "plates": int(len(self.px)), "roads": len(self.roads), "places": levels.get(PLACE, 0),
            "grids": levels.get(GRID, 0), "townships": levels.get(TOWNSHIP, 0),
            "rejected_rows": len(self.rejects), "duplicate_plates": len(self.duplicates),
            "sources": list(self.sources), "crs": self.crs.to_string() if hasattr(self.crs, "to_string") else str(self.crs),
        }


# --------------------------------------------------------------------------- reading the sources


@dataclass
class _Source:
    name: str
    kind: str
    data: object
    label: str
    rows: list | None = None


def _layer_sources(layers) -> list[_Source]:
    out = []
    for layer in layers or ():
        if isinstance(layer, _Source):
            out.append(layer)
            continue
        data = getattr(layer, "data", layer)
        name = getattr(layer, "name", "layer")
        out.append(_Source(name, getattr(layer, "kind", ""), data, str(getattr(layer, "source", "") or name)))
    return out


def read_gazetteer_file(path, reading: dict | None = None) -> tuple[list[_Source], list[RowProblem], list[str]]:
    """The layers of an extra gazetteer file, with the rows rejected on reading.

    A table (CSV, XLSX) is read as a point table whose columns keep their
    names (kind ``result``), so the standard-address headers are found here.
    """
    from gisapp.layers.io import TABLE_SUFFIXES, read_layers

    path = Path(path)
    if not path.is_file():
        raise InputError(f"The gazetteer file {path} does not exist.")
    options = {k: v for k, v in (reading or {}).items() if k in ("encoding", "sheet", "crs", "columns", "layer") and v}
    table = path.suffix.lower() in TABLE_SUFFIXES
    layers = read_layers(path, kind="result" if table else None, **options)
    sources, rejects, warnings = [], [], []
    for layer in layers:
        report = layer.report
        bad = {p.row for p in report.rejects}
        rows = [r for r in range(1, report.rows_read + 1) if r not in bad]
        where = path.name if len(layers) == 1 else f"{path.name}#{layer.name}"
        rejects += [RowProblem(p.row, f"{where}: {p.reason}", p.kind) for p in report.rejects]
        warnings += [f"{where}: {w}" for w in report.warnings]
        kind = "addresses" if table else layer.kind
        sources.append(_Source(layer.name, kind, layer.data, where, rows if len(rows) == len(layer.data) else None))
    return sources, rejects, warnings


def _choose_crs(sources: list[_Source], crs):
    if crs is not None:
        import pyproj

        return pyproj.CRS.from_user_input(crs)
    from gisapp.layers.crs import analysis_crs_from_setting
    from gisapp.layers.reproject import reproject

    for source in sources:
        data = source.data
        if len(data) and data.crs is not None:
            sample = reproject(data.iloc[:: max(1, len(data) // 5000)], "EPSG:4326").geometry.representative_point()
            return analysis_crs_from_setting("auto", sample.x.to_numpy(), sample.y.to_numpy())
    raise InputError("The gazetteer layers have no coordinate system; give them one (for example EPSG:4326).")


def _role(source: _Source) -> str:
    data, kind = source.data, source.kind
    if data is None or not len(data) or data.geometry.isna().all():
        return ""
    if kind == "addresses" or source.name.lower() in ("addresses", "标准地址", "地址库"):
        return "addresses"
    if kind in ("roads", "areas", "grids"):
        return kind
    if kind in NOT_PLACES:
        return ""
    types = set(shapely.get_type_id(data.geometry.values[:200]).tolist())
    if types <= {0, 4}:
        found = address_columns(list(data.columns))
        if "road" in found and "house_number" in found:
            return "addresses"
        return "poi" if name_column(list(data.columns)) else ""
    return ""


# --------------------------------------------------------------------------- building


def build_gazetteer(layers=(), extra_file=None, crs=None, *, reading: dict | None = None, aliases: dict | None = None) -> Gazetteer:
    """Build the gazetteer from layers and an optional extra file.

    Parameters
    ----------
    layers : iterable of Layer
        Any layers (a project's, an input GeoPackage's: ``Inputs.layers``);
        each is used by its kind (see the module docstring). Plain
        GeoDataFrames are accepted too (used as named points or addresses by
        their columns).
    extra_file : path, optional
        ``--gazetteer``: a CSV/XLSX table of addresses with coordinates, or a
        GeoPackage whose every layer joins (by kind).
    crs : optional
        The metric CRS to work in (the analysis CRS); chosen from the data's
        centre when None.
    reading : dict, optional
        ``read_layers`` options for ``extra_file`` (``encoding``, ``sheet``, ``crs`` of the file).
    aliases : dict, optional
        The project's learned alias table (:mod:`gisapp.analysis.geocode.aliases`), tried before anything else.

    Raises
    ------
    InputError
        When the extra file cannot be read at all, or no layer has a coordinate system.
    """
    from gisapp.layers.reproject import reproject

    sources = _layer_sources(layers)
    rejects, warnings = [], []
    if extra_file:
        extra, rejects, warnings = read_gazetteer_file(extra_file, reading)
        sources += extra
    roles = [(s, _role(s)) for s in sources]
    used = [(s, r) for s, r in roles if r]
    target = _choose_crs([s for s, _ in used] or sources, crs) if (used or sources) else None
    if target is None:
        return _assemble(None, [], [], [], [], rejects, warnings, [], aliases)
    for source, _ in used:
        source.data = reproject(source.data, target)
    townships = [p for s, r in used if r == "grids" for p in township_places(s.data, s.label)]
    places, lines, plate_sets = [], [], []
    for source, role in used:
        if role == "areas":
            places += polygon_places(source.data, PLACE, source.label)
        elif role == "grids":
            places += polygon_places(source.data, GRID, source.label)
        elif role == "poi":
            places += point_places(source.data, source.label)
        elif role == "roads":
            lines.append(road_lines(source.data))
    known = {p.name for p in townships + places if p.level == TOWNSHIP}
    for source, role in used:
        if role == "addresses":
            plates, extra_places, problems = plates_from_table(source.data, source.label, source.rows, known)
            plate_sets.append(plates)
            places += extra_places
            rejects += [RowProblem(row, f"{source.label}: {reason}") for row, reason in problems]
    known |= {t for plates in plate_sets for t in plates.township if t}
    return _assemble(target, plate_sets, lines, townships + places, known, rejects, warnings, [s.label for s, _ in used],
                     in_crs(aliases, target))


def _assemble(crs, plate_sets, lines, places, townships, rejects, warnings, sources, aliases) -> Gazetteer:
    township_polygons = _township_polygons(places)
    for name in townships:
        if name not in {p.name for p in places if p.level == TOWNSHIP}:
            places.append(_township_from_plates(name, plate_sets))
    places = [p for p in places if p is not None]
    admin = AdminReader(townships or {p.name for p in places if p.level == TOWNSHIP},
                        [p.name for p in places])
    px = np.concatenate([p.x for p in plate_sets]) if plate_sets else np.empty(0)
    py = np.concatenate([p.y for p in plate_sets]) if plate_sets else np.empty(0)
    plates = [pl for p in plate_sets for pl in p.plate]
    numbers = np.array([pl.number for pl in plates], dtype=np.int64)
    labels = [label for p in plate_sets for label in p.label]
    rows = [row for p in plate_sets for row in p.rows]
    plate_sources = [p.source for p in plate_sets for _ in p.plate]
    plate_roads = [admin.strip_prefix(r) for p in plate_sets for r in p.road]
    plate_towns = [t or hint for (_, hint), t in zip(plate_roads, (t for p in plate_sets for t in p.township))]
    plate_towns = _fill_townships(plate_towns, px, py, township_polygons)
    buildings = [b for p in plate_sets for b in p.building]
    roads, road_of_plate = _roads(lines, [r for r, _ in plate_roads], plate_towns, px, py, admin, township_polygons)
    admin = AdminReader(admin.township_of.values(), [p.name for p in places] + [r.name for r in roads])
    road_index = defaultdict(list)
    for i, road in enumerate(roads):
        for name in {road.name, _label_key(road.label)}:
            if name and i not in road_index[name]:
                road_index[name].append(i)
    plate_index = _plate_index(road_of_plate, plates, buildings)
    duplicates = _duplicates(plate_index, px, py, labels, rows, plate_sources, roads)
    if duplicates:
        shown = "; ".join(f"{d['address']} (rows {', '.join(map(str, d['rows'][:4]))}, {d['spread_m']:.0f} m apart)" for d in duplicates[:5])
        warnings.append(f"{len(duplicates)} door plates of the gazetteer are listed at places more than {SAME_PLACE_M:.0f} m apart "
                        f"and are not used for exact matches: {shown}.")
    place_index = defaultdict(list)
    for i, place in enumerate(places):
        place_index[place.name].append(i)
    return Gazetteer(crs, px, py, numbers, labels, rows, plate_sources, roads, dict(road_index), dict(plate_index), places,
                     dict(place_index), admin, rejects, duplicates, warnings, sources, dict(aliases or {}))


def _plate_index(road_of_plate, plates, buildings) -> dict:
    """``(road, house key)`` -> the plate rows, ``(road, house key, building)`` -> the building rows.

    A building (栋, 号楼) stands behind its door plate: it answers for the
    plate only when the table has no row for the plate itself.
    """
    index = defaultdict(list)
    buildings_of = defaultdict(list)
    for i, (road, plate, building) in enumerate(zip(road_of_plate, plates, buildings)):
        if building:
            index[(road, plate.key, building)].append(i)
            buildings_of[(road, plate.key)].append(i)
        else:
            index[(road, plate.key)].append(i)
    for plate_key, ids in buildings_of.items():
        if plate_key not in index:
            index[plate_key] = ids
    return index


def _label_key(label: str) -> str:
    from .text import key

    return key(label)


def _township_polygons(places: list[PlaceRecord]) -> dict:
    return {p.name: p.geometry for p in places if p.level == TOWNSHIP and getattr(p, "geometry", None) is not None}


def _township_from_plates(name: str, plate_sets) -> PlaceRecord | None:
    xs = [x for p in plate_sets for x, t in zip(p.x, p.township) if t == name]
    ys = [y for p in plate_sets for y, t in zip(p.y, p.township) if t == name]
    if not xs:
        return None
    x, y = float(np.median(xs)), float(np.median(ys))
    return PlaceRecord(name, TOWNSHIP, x, y, float(np.hypot(np.asarray(xs) - x, np.asarray(ys) - y).max()), name, name, "plates")


def _fill_townships(towns: list[str], px, py, polygons: dict) -> list[str]:
    """A plate without a township takes the township polygon it lies in."""
    missing = [i for i, t in enumerate(towns) if not t]
    if not missing or not polygons:
        return towns
    names, geometries = list(polygons), list(polygons.values())
    tree = shapely.STRtree(geometries)
    hits = tree.query(shapely.points(px[missing], py[missing]), predicate="within")
    towns = list(towns)
    for point, polygon in zip(*hits):
        towns[missing[point]] = names[polygon]
    return towns


def _roads(lines, plate_roads, plate_towns, px, py, admin, township_polygons):
    """One Road per (name, township, group of lines), plates attached to the nearest of their name."""
    roads: list[Road] = []
    by_name = defaultdict(list)
    for frame in lines:
        for name, label, geometry in zip(frame["name"], frame["label"], frame["geometry"]):
            canonical, hint = admin.strip_prefix(name)
            by_name[canonical].append((label, geometry, hint))
    for name, members in by_name.items():
        for group in _groups([g for _, g, _ in members]):
            line = shapely.line_merge(shapely.union_all([members[i][1] for i in group]))
            hints = {members[i][2] for i in group} - {""}
            township = hints.pop() if len(hints) == 1 else _township_at(line, township_polygons)
            roads.append(Road(name, members[group[0]][0], township, line))
    road_of_plate = np.full(len(plate_roads), -1, dtype=np.int64)
    plates_by_name = defaultdict(list)
    for i, name in enumerate(plate_roads):
        plates_by_name[name].append(i)
    with_name = defaultdict(list)
    for i, road in enumerate(roads):
        with_name[road.name].append(i)
    for name, ids in plates_by_name.items():
        ids = np.asarray(ids)
        candidates = with_name.get(name, [])
        if candidates:
            points = shapely.points(px[ids], py[ids])
            distance = np.stack([shapely.distance(points, roads[c].line) for c in candidates], axis=1)
            for k, c in enumerate(candidates):  # a township on both sides must agree
                town = roads[c].township
                clash = np.array([bool(town) and bool(plate_towns[i]) and plate_towns[i] != town for i in ids])
                distance[clash, k] = np.inf
            best = distance.argmin(axis=1)
            near = distance[np.arange(len(ids)), best] <= PLATE_TO_LINE_M
            road_of_plate[ids[near]] = np.asarray(candidates)[best[near]]
            ids = ids[~near]
        for town in sorted({plate_towns[i] for i in ids}):
            members = np.asarray([i for i in ids if plate_towns[i] == town])
            roads.append(Road(name, name, town))
            road_of_plate[members] = len(roads) - 1
    for i, road in enumerate(roads):
        road.plates = np.flatnonzero(road_of_plate == i)
        if not road.township and len(road.plates):
            towns = [plate_towns[j] for j in road.plates if plate_towns[j]]
            if towns:
                road.township = max(set(towns), key=towns.count)
    return roads, road_of_plate.tolist()


def _groups(geometries: list) -> list[list[int]]:
    """Indices of the lines that lie within :data:`SAME_ROAD_M` of each other (connected components)."""
    n = len(geometries)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if n > 1:
        tree = shapely.STRtree(geometries)
        left, right = tree.query(geometries, predicate="dwithin", distance=SAME_ROAD_M)
        for a, b in zip(left, right):
            parent[find(a)] = find(b)
    groups = defaultdict(list)
    for i in range(n):
        groups[find(i)].append(i)
    return list(groups.values())


def _township_at(line, polygons: dict) -> str:
    if not polygons or line is None or line.is_empty:
        return ""
    middle = shapely.line_interpolate_point(line, line.length / 2)
    for name, polygon in polygons.items():
        if polygon.contains(middle):
            return name
    return ""


def _duplicates(plate_index, px, py, labels, rows, sources, roads) -> list[dict]:
    found = []
    for index_key, ids in plate_index.items():
        if len(ids) < 2 or len(index_key) != 2:
            continue
        x, y = px[ids], py[ids]
        spread = float(np.hypot(x[:, None] - x[None, :], y[:, None] - y[None, :]).max())
        if spread > SAME_PLACE_M:
            found.append({"address": labels[ids[0]], "road": index_key[0], "house": index_key[1],
                          "rows": [rows[i] for i in ids], "sources": sorted({sources[i] for i in ids}),
                          "spread_m": round(spread, 1)})
    return found


__all__ = ["Gazetteer", "Plate", "build_gazetteer", "read_gazetteer_file"]
