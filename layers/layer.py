"""The plain-Python layer: data plus display state, validated then announced.

Modelled on napari's layers: setters check the value, raise ``ValueError``
naming the bounds, store it and then emit a named event. ``state()`` is a
plain dict so that the project file can save it as JSON.
"""

from __future__ import annotations

import re
from typing import Any

import geopandas as gpd

from .events import EventEmitter
from .kinds import GEOMETRY_TYPES, KINDS, geometry_type_names, kind_named

STYLE_TYPES = ("single", "categorized", "graduated", "sector", "raster")
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}([0-9a-fA-F]{2})?$")

#: Defaults per kind, so a freshly loaded layer draws sensibly.
DEFAULT_STYLES: dict[str, dict] = {
    "incidents": {"type": "single", "color": "#d62728", "size": 3},
    "grids": {"type": "single", "color": "#7f7f7f", "fill": "#00000000", "width": 1},
    "cameras": {"type": "sector", "color": "#1f77b4", "size": 4},
    "routes": {"type": "single", "color": "#2ca02c", "width": 3},
    "areas": {"type": "categorized", "field": "area_type", "color": "#9467bd", "width": 2},
    "roads": {"type": "single", "color": "#b0b0b0", "width": 1},
    "addresses": {"type": "single", "color": "#6b8fb3", "size": 2},
    "result": {"type": "single", "color": "#ff7f0e"},
}


def validate_style(style: dict) -> dict:
    """Check a style dict and return a copy; raise ``ValueError`` naming what is wrong."""
    if not isinstance(style, dict):
        raise ValueError("style must be a dict")
    style = dict(style)
    kind = style.setdefault("type", "single")
    if kind not in STYLE_TYPES:
        raise ValueError(f"style type must be one of {STYLE_TYPES}, got {kind!r}")
    for key in ("color", "fill"):
        if key in style and not _HEX_COLOUR.match(str(style[key])):
            raise ValueError(f"style {key} must be #rrggbb or #rrggbbaa, got {style[key]!r}")
    if kind in ("categorized", "graduated") and not style.get("field"):
        raise ValueError(f"a {kind} style needs a 'field'")
    return style


class Layer:
    """One map layer.

    Parameters
    ----------
    name : str
        Unique within a :class:`~gisapp.layers.layerlist.LayerList`; not empty.
    kind : str
        One of ``gisapp.layers.kinds.KINDS``.
    data : GeoDataFrame
        The features; its geometry family must suit the kind (``result`` takes any).
    source : str, optional
        Where the data came from (a path, or the analysis that made it).
    style : dict, optional
        Display style; defaults per kind.
    visible : bool
    opacity : float in [0, 1]
    report : LoadReport, optional
        What the reader understood and rejected.
    params : dict, optional
        For result layers: the parameters that produced them.
    import_options : dict, optional
        How the source was read (``read_layers`` keywords chosen in the import
        preview: columns, crs, encoding, sheet, header_row, kind), so that it
        can be read again the same way.

    Events
    ------
    ``name``, ``data``, ``style``, ``visible``, ``opacity``, each with the new value.
    """

    def __init__(
        self,
        name: str,
        kind: str,
        data: gpd.GeoDataFrame,
        *,
        source: str = "",
        style: dict | None = None,
        visible: bool = True,
        opacity: float = 1.0,
        report: Any = None,
        params: dict | None = None,
        import_options: dict | None = None,
    ):
        self.events = EventEmitter(self)
        self._kind = kind_named(kind).name
        self._name = self._checked_name(name)
        self._data = self._checked_data(data)
        self.source = source
        self._style = validate_style(style if style is not None else DEFAULT_STYLES[self._kind])
        self._visible = bool(visible)
        self._opacity = self._checked_opacity(opacity)
        self.report = report
        self.params = dict(params or {})
        self.import_options = dict(import_options or {})

    def __repr__(self) -> str:
        return f"Layer({self._name!r}, kind={self._kind!r}, rows={len(self._data)})"

    @property
    def kind(self) -> str:
        return self._kind

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        value = self._checked_name(value)
        old = self._name
        self._name = value
        self.events.emit("name", value, old=old)

    @property
    def data(self) -> gpd.GeoDataFrame:
        return self._data

    @data.setter
    def data(self, value: gpd.GeoDataFrame) -> None:
        self._data = self._checked_data(value)
        self.events.emit("data", value)

    @property
    def style(self) -> dict:
        return dict(self._style)

    @style.setter
    def style(self, value: dict) -> None:
        self._style = validate_style(value)
        self.events.emit("style", self.style)

    @property
    def visible(self) -> bool:
        return self._visible

    @visible.setter
    def visible(self, value: bool) -> None:
        self._visible = bool(value)
        self.events.emit("visible", self._visible)

    @property
    def opacity(self) -> float:
        return self._opacity

    @opacity.setter
    def opacity(self, value: float) -> None:
        self._opacity = self._checked_opacity(value)
        self.events.emit("opacity", self._opacity)

    @property
    def crs(self):
        return self._data.crs

    def state(self) -> dict:
        """The display state as a JSON-ready dict (the data itself is saved separately)."""
        return {
            "name": self._name,
            "kind": self._kind,
            "source": self.source,
            "style": self.style,
            "visible": self._visible,
            "opacity": self._opacity,
            "params": self.params,
            "import_options": self.import_options,
        }

    @staticmethod
    def _checked_name(name: str) -> str:
        if not isinstance(name, str) or not name.strip():
            raise ValueError("layer name must be a non-empty string")
        return name.strip()

    @staticmethod
    def _checked_opacity(value: float) -> float:
        value = float(value)
        if not 0.0 <= value <= 1.0:
            raise ValueError(f"opacity must be between 0 and 1, got {value}")
        return value

    def _checked_data(self, data: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
        if not isinstance(data, gpd.GeoDataFrame):
            raise ValueError("layer data must be a GeoDataFrame")
        family = KINDS[self._kind].geometry
        if family != "any" and len(data):
            types = geometry_type_names(data.geometry.values)
            wrong = types - GEOMETRY_TYPES[family]
            if wrong:
                raise ValueError(f"a {self._kind} layer holds {family} geometries, not {', '.join(sorted(wrong))}")
        return data
