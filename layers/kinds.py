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
        LayerKind("result", "any", ()),
    )
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
