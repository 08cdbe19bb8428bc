"""Printed maps (A4/A3, PDF or PNG) with matplotlib; no Qt here.

``render_map(content, out, PrintOptions(...))`` draws a ``MapContent`` (from
``gisapp.briefing.collect_content``) on a page. Names are imported lazily.
"""

from importlib import import_module

_EXPORTS = {
    "PrintOptions": "render",
    "PrintedMap": "render",
    "render_map": "render",
    "page_layout": "layout",
    "resolve_cjk_font": "fonts",
    "FontWarning": "fonts",
}
__all__ = list(_EXPORTS)


def __getattr__(name):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
