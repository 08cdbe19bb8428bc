"""The briefing page: a folium map with our compact layers, a side panel and the page frame.

Layout: a header band (title, subtitle, classification, generation time), the
map, a side panel with the key figures and one legend per layer, and a
footer that repeats the classification. Every piece of text that comes from
data or from the user is escaped here (``html.escape``) or travels as JSON to
``briefing.js``, which writes it with ``textContent``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, MacroElement

from gisapp.layers.errors import InputError

from . import assets, encode
from .content import MapContent
from .htmlbits import esc
from .findings import Findings, build_findings
from .overlay_layers import WGS84, ZONE_COLOUR, LayerBuilder
from .panel import frame_html, side_panel
from .projection import to_crs
from .style import DEFAULT_TITLE
from .tiles import check_xyz_url, embed_mbtiles

#: Above this many incidents the points are drawn as a heat map only (no individual markers).
CLUSTER_LIMIT = 50_000
#: Area labels of minor kinds (schools…) appear from this zoom on.
LABEL_ZOOM = 15
#: Township names are shown below this zoom (a county-wide view), where area labels would crowd.
TOWN_ZOOM = 14


@dataclass
class BriefingOptions:
    """What the user chose for the page (see ``gisapp brief --help``)."""

    title: str = DEFAULT_TITLE
    subtitle: str | None = None
    classification: str | None = None  # default: 内部资料 注意保密, or 公开版 with ``public``
    fields: list[str] | None = None
    public: bool = False
    tiles: str | None = None
    mbtiles: str | Path | None = None
    cluster_limit: int = CLUSTER_LIMIT
    market_rule: str | None = None  # e.g. cycle:3@2024-01-01 or 逢3,6,9: market days for the findings
    outlook: bool = False  # add 下周风险 and 预警 (gisapp.analysis.forecast.outlook)


@dataclass
class Briefing:
    html: str
    layers: list[str]
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    findings: Findings | None = None


class _OfflineMap(folium.Map):
    """folium's Map without its CDN links; ``assets.head_html`` supplies the files inline."""

    default_js: list = []
    default_css: list = []


class _Raw(Element):
    """Text put into the page as it is.

    branca's ``Element(text)``, which ``MacroElement.render`` wraps around every
    macro's output, compiles ``text`` as a Jinja template: slow for megabytes of
    data, and unsafe, since a name holding ``{{ ... }}`` would be evaluated.
    Everything this page adds goes through here instead.
    """

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class _BriefLayer(folium.map.Layer):
    """One overlay of the page, built in the browser by ``gisappBrief.<factory>`` from a JSON payload."""

    def __init__(self, label_html: str, plain_name: str, factory: str, payload: dict, legend_id: str, show: bool, control: bool = True):
        super().__init__(name=label_html, overlay=control, control=control, show=show)
        self._name = "GisappLayer"
        self.plain_name = plain_name
        self.factory = factory
        self.payload = encode.script_json(payload)
        self.legend_id = legend_id

    def render(self, **kwargs) -> None:
        name, parent = self.get_name(), self._parent.get_name()
        script = (
            f"var {name} = gisappBrief.{self.factory}({parent}, {self.payload});\n"
            f"gisappBrief.register({name}, {encode.script_json(self.legend_id)}, {encode.script_json(self.plain_name)});\n"
        )
        if self.show:
            script += f"{name}.addTo({parent});\n"
        self.get_root().script.add_child(_Raw(script), name=name)


class _PageScript(MacroElement):
    """The last script of the page: scale bar, legend sync, initial view."""

    def __init__(self, options: dict):
        super().__init__()
        self._name = "GisappPage"
        self.options = encode.script_json(options)

    def render(self, **kwargs) -> None:
        script = f"gisappBrief.page({self._parent.get_name()}, {self.options});\n"
        self.get_root().script.add_child(_Raw(script), name=self.get_name())


# --------------------------------------------------------------------------- the page


def build_briefing(content: MapContent, options: BriefingOptions | None = None) -> Briefing:
    """The whole page as one HTML string with every script and style inline.

    Raises
    ------
    InputError
        Nothing to draw, a bad ``--fields``, ``--tiles`` or ``--mbtiles``.
    """
    options = options or BriefingOptions()
    if options.tiles and options.mbtiles:
        raise InputError("Give either --tiles or --mbtiles, not both.")
    builder = LayerBuilder(content, options)
    public = options.public
    hot = content.hotspots
    if content.roads is not None and len(content.roads):
        builder.roads(content.roads)
    if hot is not None and len(hot):
        builder.hotspots(hot, content.hotspot_method)
    if content.grids is not None and len(content.grids):
        builder.grids(content.grids)
    if content.areas is not None and len(content.areas):
        builder.areas(content.areas)
    zones = content.summary.get("zones") or []
    if content.zones is not None and len(content.zones):
        builder.zones(content.zones, zones)
    if public:
        builder.notes.append("公开版不含警情点位、摄像头、盲区和巡逻路线。")
    else:
        if content.sectors is not None and len(content.sectors):
            builder.sectors(content.sectors)
        if content.blind_spots is not None and len(content.blind_spots):
            builder.blind_spots(content.blind_spots)
        if content.routes is not None and len(content.routes):
            builder.routes(content.routes, content.summary.get("routes") or [])
        if content.incidents is not None and len(content.incidents):
            builder.incidents(content.incidents, show=hot is None or not len(hot))
    extra_cards: list[str] = []
    if options.outlook and not public:
        from .outlook_cards import add_outlook

        extra_cards = add_outlook(content, builder)
    if not builder.layers:
        raise InputError("There is nothing to draw: the input has no layer the briefing can show.")
    findings = build_findings(content, options.market_rule, public=public)

    west, south, east, north = _lonlat_bounds(content, public)
    centre = [(south + north) / 2, (west + east) / 2]
    fmap = _OfflineMap(location=centre, zoom_start=13, tiles=None, control_scale=False, prefer_canvas=True, zoom_control=False,
                       attribution_control=bool(options.tiles or options.mbtiles), zoom_snap=0.25, zoom_delta=0.5,
                       maxZoom=19, minZoom=6)  # marker clustering needs the map's own maxZoom when no tile layer sets one
    if options.tiles:
        _BriefLayer("底图", "底图", "xyzTiles", {"url": check_xyz_url(options.tiles)}, "basemap", show=True, control=False).add_to(fmap)
    elif options.mbtiles:
        payload, notes = embed_mbtiles(options.mbtiles, (west, south, east, north))
        builder.notes.extend(notes)
        _BriefLayer("底图", "底图", "embeddedTiles", payload, "basemap", show=True, control=False).add_to(fmap)
    figure = fmap.get_root()
    figure.title = esc(options.title)
    figure.header.add_child(_Raw(assets.head_html()), name="gisapp_assets", index=0)
    header, footer = frame_html(content, options)
    figure.html.add_child(_Raw(header + side_panel(content, builder, options, findings, extra_cards) + footer), name="gisapp_frame")

    for spec in builder.layers:
        _BriefLayer(spec.label_html, spec.name, spec.factory, spec.payload, spec.legend_id, spec.show).add_to(fmap)
    folium.LayerControl(position="topright", collapsed=False).add_to(fmap)
    _PageScript({"bounds": [[south, west], [north, east]], "labelZoom": LABEL_ZOOM, "townZoom": TOWN_ZOOM,
                 "legend": builder.map_legend, "zoneOutline": ZONE_COLOUR if zones else None,
                 "townships": township_labels(content.grids)}).add_to(fmap)
    page = figure.render()
    page = page.replace("<html>", '<html lang="zh-CN">', 1)
    return Briefing(page, [spec.name for spec in builder.layers], builder.warnings, builder.notes, findings)


def _lonlat_bounds(content: MapContent, public: bool) -> tuple[float, float, float, float]:
    """The initial view: the significant hot and cold cells and the named areas, else everything."""
    focus = []
    if content.hotspots is not None:
        focus.append(content.hotspots[content.hotspots["gi_bin"] != 0])
    if content.areas is not None and "area_type" in content.areas:
        focus.append(content.areas[content.areas["area_type"].astype(str) != "urban_fringe"])
    focus = [f for f in focus if len(f)]
    frames = focus or list(content.layers().values())
    boxes = np.array([f.total_bounds for f in frames if len(f)])
    if not len(boxes):
        raise InputError("There is nothing to draw: every layer is empty.")
    box = shapely.box(boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max())
    lonlat = to_crs(gpd.GeoDataFrame(geometry=[box], crs=content.crs), WGS84).total_bounds
    return tuple(float(v) for v in lonlat)


def township_labels(grids: gpd.GeoDataFrame | None) -> list[dict]:
    """One label per township (the grids' ``township`` column), at a point inside its grids, in lon/lat."""
    if grids is None or not len(grids) or "township" not in grids:
        return []
    towns = grids[grids["township"].notna()].dissolve(by="township")
    if not len(towns):
        return []
    points = to_crs(gpd.GeoDataFrame(geometry=shapely.point_on_surface(towns.geometry.values), crs=grids.crs), WGS84).geometry
    return [{"text": str(name), "lat": round(float(p.y), 6), "lon": round(float(p.x), 6)} for name, p in zip(towns.index, points)]


def write_briefing(content: MapContent, out: str | Path, options: BriefingOptions | None = None) -> Briefing:
    """Build the page and write it to ``out`` (UTF-8), atomically."""
    out = Path(out)
    if out.suffix.lower() not in (".html", ".htm"):
        raise InputError(f"--out must name an .html file; got {out.name}.")
    if not out.parent.resolve().is_dir():
        raise InputError(f"Cannot write {out}: the folder {out.parent} does not exist.")
    briefing = build_briefing(content, options)
    temp = out.with_name(f".{out.name}.tmp")
    temp.write_text(briefing.html, encoding="utf-8")
    temp.replace(out)
    return briefing
