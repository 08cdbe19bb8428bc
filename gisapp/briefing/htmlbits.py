"""Small HTML pieces of the briefing page; every value goes through :func:`esc`."""

from __future__ import annotations

import html

import numpy as np


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def swatch(fill: str, line: str | None = None, kind: str = "box", width: float = 3) -> str:
    if kind == "line":
        return f'<span class="gb-sw gb-sw-line" style="border-top-width:{width:g}px;border-top-color:{fill}"></span>'
    if kind == "dot":
        return f'<span class="gb-sw gb-sw-dot" style="background:{fill}"></span>'
    if kind == "heat":
        return '<span class="gb-sw gb-sw-heat"></span>'
    return f'<span class="gb-sw" style="background:{fill};border-color:{line or "rgba(0,0,0,.25)"}"></span>'


def num(value: float | int | None, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "—"
    return f"{value:,.{digits}f}"


def pct(share: float | None) -> str:
    return "—" if share is None else f"{100 * share:.1f}%"
