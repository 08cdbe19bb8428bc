"""The data model and I/O of gisapp: layers, the layer list, readers, coordinate systems, the project file.

Nothing here imports Qt. The names below are loaded on first use, so that
``gisapp.layers.errors`` (which the command line needs before it has parsed a
word) does not pull in pandas and geopandas.
"""

from __future__ import annotations

import importlib

from gisapp import __version__

_LAZY = {
    "AnalysisError": "errors",
    "GisappError": "errors",
    "InputError": "errors",
    "RowProblem": "errors",
    "Layer": "layer",
    "LayerList": "layerlist",
    "LoadReport": "report",
}

__all__ = ["__version__", *_LAZY]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
