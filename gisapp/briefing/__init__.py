"""Interactive HTML briefings (Folium, fully offline) for meetings; no Qt here.

``collect_content`` gathers the layers and key figures (shared with
``gisapp.printing``); ``write_briefing`` turns them into one self-contained
HTML file. Names are imported lazily so that ``gisapp --help`` stays quick.
"""

from importlib import import_module

_EXPORTS = {
    "MapContent": "content",
    "collect_content": "content",
    "BriefingOptions": "page",
    "build_briefing": "page",
    "write_briefing": "page",
}
__all__ = list(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
