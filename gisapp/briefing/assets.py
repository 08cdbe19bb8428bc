"""The page's JavaScript and CSS, inlined so that the briefing works with no network.

Route: the map is built with ``folium`` (its ``Map``, ``LayerControl`` and
layer classes), but folium links Leaflet and its plugins from CDNs. The
``folium-offline`` package (Sandia National Laboratories, MIT) ships the same
files inside Python, keyed by their CDN URL; we take only what the page needs
from it (Leaflet 1.9.3 with its images already inlined as data URIs,
Leaflet.markercluster 1.1.0, Leaflet.heat) and write it into ``<script>`` and
``<style>`` elements. jQuery, Bootstrap and Font Awesome, which folium adds by
default, are left out: the page does not use them, and Font Awesome's CSS
would fetch web fonts.

Our own runtime (``static/briefing.js``) and style sheet sit next to this
module.
"""

from __future__ import annotations

import functools
from pathlib import Path

from gisapp.layers.errors import InputError

_STATIC = Path(__file__).resolve().parent / "static"

#: Asset name -> the URL under which folium (and folium-offline) knows the file.
VENDOR = {
    "leaflet.css": "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css",
    "leaflet.js": "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
    "markercluster.css": "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css",
    "markercluster.default.css": "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css",
    "markercluster.js": "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js",
    "heat.js": "https://cdn.jsdelivr.net/gh/python-visualization/folium@main/folium/templates/leaflet_heat.min.js",
}

STYLES = ("leaflet.css", "markercluster.css", "markercluster.default.css")
SCRIPTS = ("leaflet.js", "markercluster.js", "heat.js")


@functools.lru_cache(maxsize=1)
def _vendor_files() -> dict[str, str]:
    try:
        from offlinefolium.elements import _res as resources  # the files folium-offline embeds, by URL
    except ImportError:
        raise InputError(
            "The briefing needs the folium-offline package for its offline map scripts: pip install folium-offline."
        ) from None
    missing = [name for name, url in VENDOR.items() if url not in resources]
    if missing:
        raise InputError(f"This folium-offline lacks {', '.join(missing)}; install folium-offline 0.20 or newer.")
    return {name: resources[url] for name, url in VENDOR.items()}


def vendor(name: str) -> str:
    """The text of one vendored asset (``leaflet.js`` …)."""
    return _vendor_files()[name]


@functools.lru_cache(maxsize=None)
def own(name: str) -> str:
    """The text of one of our own assets (``briefing.js``, ``briefing.css``)."""
    return (_STATIC / name).read_text(encoding="utf-8")


def _inline_script(text: str) -> str:
    # A vendored file never contains "</script", but make sure, since it would end the element.
    return "<script>" + text.replace("</script", "<\\/script") + "</script>"


def _inline_style(text: str) -> str:
    return "<style>" + text.replace("</style", "<\\/style") + "</style>"


def head_html() -> str:
    """Every style sheet and script the page needs, inline, in load order."""
    parts = [_inline_style(vendor(name)) for name in STYLES]
    parts.append(_inline_style(own("briefing.css")))
    parts.extend(_inline_script(vendor(name)) for name in SCRIPTS)
    parts.append(_inline_script(own("briefing.js")))
    return "\n".join(parts)
