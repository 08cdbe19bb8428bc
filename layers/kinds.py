"""Layer kinds, their geometry types and canonical columns (DESIGN.md, "Layers")."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely


@dataclass(frozen=True)
class LayerKind:
    """A kind of layer: the geometry family it holds and the columns readers map onto."""

    name: str
    geometry: str  # "point", "line", "polygon" or "any"
    columns: tuple[str, ...]
    required: tuple[str, ...] = ()


KINDS: dict[str, LayerKind] = {
    k.name: k
    for k in (
        LayerKind("incidents", "point", ("case_id", "occurred_at", "category", "subcategory", "address")),
        LayerKind("grids", "polygon", ("grid_id", "name", "population")),
        LayerKind("cameras", "point", ("camera_id", "kind", "heading_deg", "fov_deg", "range_m", "status")),
        LayerKind("routes", "line", ("route_id", "name", "unit", "shift")),
        LayerKind("areas", "polygon", ("area_id", "name", "area_type")),
        LayerKind("roads", "line", ("name", "road_class")),
        LayerKind("stations", "point", ("station_id", "name", "unit")),
        LayerKind("addresses", "point", ("address", "road", "house_number", "building", "township")),
        LayerKind("result", "any", ()),
    )
}

#: Header names that mean each column of an ``addresses`` layer (the standard address database, 标准地址 /
#: 一标三实), compared after :func:`gisapp.layers.io.columns.normalise`; the canonical name itself always counts.
ADDRESS_ALIASES: dict[str, tuple[str, ...]] = {
    "address": ("标准地址", "地址", "地址名称", "门牌地址", "详细地址", "完整地址", "地址全称", "全地址", "address", "addr",
                "full_address", "std_address"),
    "road": ("街路巷", "街路巷名称", "街路巷名", "道路名称", "道路", "路名", "街巷名称", "街巷", "road", "road_name", "street",
             "street_name"),
    "house_number": ("门牌号", "门牌号码", "门楼牌号", "门牌", "门址号", "house_number", "housenumber", "house_no", "number", "no"),
    "building": ("楼栋号", "楼栋", "幢号", "栋号", "楼号", "建筑物名称", "building", "bldg"),
    "township": ("乡镇街道", "所属乡镇", "乡镇", "镇街", "街道", "township", "town", "street_office"),
}

#: Shapely geometry type names accepted by each geometry family.
GEOMETRY_TYPES = {
    "point": {"Point", "MultiPoint"},
    "line": {"LineString", "MultiLineString", "LinearRing"},
    "polygon": {"Polygon", "MultiPolygon"},
}


_TYPE_NAMES = {
    shapely.GeometryType.POINT: "Point",
    shapely.GeometryType.LINESTRING: "LineString",
    shapely.GeometryType.LINEARRING: "LinearRing",
    shapely.GeometryType.POLYGON: "Polygon",
    shapely.GeometryType.MULTIPOINT: "MultiPoint",
    shapely.GeometryType.MULTILINESTRING: "MultiLineString",
    shapely.GeometryType.MULTIPOLYGON: "MultiPolygon",
    shapely.GeometryType.GEOMETRYCOLLECTION: "GeometryCollection",
}


def geometry_type_names(geometries) -> set[str]:
    """The distinct geometry type names in an array, without building a string per feature."""
    ids = np.unique(shapely.get_type_id(np.asarray(geometries)))
    return {_TYPE_NAMES[shapely.GeometryType(i)] for i in ids if i >= 0}


def kind_named(name: str) -> LayerKind:
    """Return the kind called ``name``; an unknown name is a user mistake, so raise ``InputError``."""
    from .errors import InputError

    try:
        return KINDS[name]
    except KeyError:
        raise InputError(f"Unknown layer kind '{name}': use one of {', '.join(KINDS)}.") from None
