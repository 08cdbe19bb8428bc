"""Every declared method, by key, in menu order.

A subject package declares its methods in its ``methods`` module (light: the
standard library only). This catalog lists those modules, so the command line
and the window find every method without importing any algorithm.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

from gisapp.analysis.core.contract import Method

#: The declaration modules, in the order the methods appear in menus and ``gisapp --help``.
DECLARATIONS = (
    "gisapp.analysis.hotspots.methods",
    "gisapp.analysis.clusters.methods",
    "gisapp.analysis.spacetime.methods",
    "gisapp.analysis.cameras.methods",
    "gisapp.analysis.patrol.methods",
    "gisapp.analysis.forecast.methods",
    "gisapp.analysis.geocode.methods",
)


@lru_cache(maxsize=1)
def methods() -> dict[str, Method]:
    """``{key: Method}`` for every declared method."""
    found: dict[str, Method] = {}
    for module in DECLARATIONS:
        for declared in importlib.import_module(module).METHODS:
            if declared.key in found:
                raise ValueError(f"two methods are declared as {declared.key!r}")
            found[declared.key] = declared
    return found


def method(key: str) -> Method:
    """The method declared as ``key``."""
    return methods()[key]
