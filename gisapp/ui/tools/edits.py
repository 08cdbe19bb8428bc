"""Undoable edits of the model: replace a layer's data, add a layer.

A layer's frame is never edited in place: an edit builds a new frame and the
command swaps frames, so undo is exact and the renderer's caches stay valid.
The project is saved from the layers, so what the tools draw is saved with it.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from PyQt6.QtGui import QUndoCommand

from gisapp.layers import Layer, LayerList


class SetLayerDataCommand(QUndoCommand):
    """Replace ``layer.data`` with ``after``; undo restores ``before``."""

    def __init__(self, layer: Layer, after: gpd.GeoDataFrame, text: str, before: gpd.GeoDataFrame | None = None):
        super().__init__(text)
        self.layer, self.before, self.after = layer, layer.data if before is None else before, after

    def redo(self) -> None:
        self.layer.data = self.after

    def undo(self) -> None:
        self.layer.data = self.before


class AddLayerCommand(QUndoCommand):
    """Append ``layer`` to ``layers``; undo removes it."""

    def __init__(self, layers: LayerList, layer: Layer, text: str):
        super().__init__(text)
        self.layers, self.layer = layers, layer

    def redo(self) -> None:
        if self.layer not in self.layers:
            self.layers.append(self.layer)

    def undo(self) -> None:
        if self.layer in self.layers:
            self.layers.remove(self.layer)


def appended(data: gpd.GeoDataFrame, row: dict, geometry) -> gpd.GeoDataFrame:
    """``data`` with one more feature (columns it lacks are added empty)."""
    new = gpd.GeoDataFrame([row], geometry=[geometry], crs=data.crs)
    if len(data) == 0:
        return new.reindex(columns=list(dict.fromkeys([*data.columns, *new.columns]))).set_geometry(data.geometry.name if data.geometry.name in new else "geometry")
    new = new.rename_geometry(data.geometry.name) if new.geometry.name != data.geometry.name else new
    out = pd.concat([data, new], ignore_index=True)
    return gpd.GeoDataFrame(out, geometry=data.geometry.name, crs=data.crs)


def replaced_geometry(data: gpd.GeoDataFrame, row: int, geometry) -> gpd.GeoDataFrame:
    out = data.copy()
    out.iloc[row, out.columns.get_loc(out.geometry.name)] = geometry
    return out


def replaced_values(data: gpd.GeoDataFrame, row: int, values: dict) -> gpd.GeoDataFrame:
    out = data.copy()
    for column, value in values.items():
        if column not in out.columns:
            out[column] = None
        out.at[out.index[row], column] = value
    return out


def without_rows(data: gpd.GeoDataFrame, rows) -> gpd.GeoDataFrame:
    keep = [i for i in range(len(data)) if i not in set(int(r) for r in rows)]
    return data.iloc[keep].reset_index(drop=True)
