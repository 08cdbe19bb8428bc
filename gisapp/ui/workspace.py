"""The state the views share: the layer list, the incident filter with its masks, and the selection.

A QObject adapter over the plain model: it subscribes to ``LayerList`` events
and re-emits them as Qt signals, so the canvas, the layer panel and the
attribute table react without knowing each other. The model never hears of it.
"""

from __future__ import annotations

import time
import weakref

import numpy as np
from PyQt6.QtCore import QObject, pyqtSignal

from gisapp.layers import Layer, LayerList
from gisapp.layers.errors import GisappError
from gisapp.layers.filters import IncidentFilter
from gisapp.layers.reproject import reproject

#: Layer kinds the incident filter applies to.
FILTERED_KINDS = ("incidents",)


class Workspace(QObject):
    """Layers, filter and selection, with signals for every change."""

    reset = pyqtSignal()  # a different LayerList (a project was opened)
    layerInserted = pyqtSignal(object)
    layerRemoved = pyqtSignal(object)
    layersMoved = pyqtSignal()
    layerChanged = pyqtSignal(object, str)  # layer, "name" / "data" / "style" / "visible" / "opacity"
    filterChanged = pyqtSignal()
    filterFailed = pyqtSignal(object, str)  # layer, message
    selectionChanged = pyqtSignal(object)  # layer (None: all layers)
    currentLayerChanged = pyqtSignal(object)
    modified = pyqtSignal()  # something the project file keeps

    def __init__(self, layers: LayerList | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self._layers = LayerList()
        self._filter = IncidentFilter()
        self._masks: weakref.WeakKeyDictionary[Layer, np.ndarray] = weakref.WeakKeyDictionary()
        self._selection: weakref.WeakKeyDictionary[Layer, np.ndarray] = weakref.WeakKeyDictionary()
        self._current: Layer | None = None
        self.last_filter_ms = 0.0
        self._layers.events.connect(self._on_event)
        if layers is not None:
            self.set_layers(layers)

    # ---- layers -------------------------------------------------------------------------
    @property
    def layers(self) -> LayerList:
        return self._layers

    def set_layers(self, layers: LayerList, incident_filter: IncidentFilter | None = None) -> None:
        """Show another layer list (an opened project); clears selection and recomputes masks."""
        self._layers.events.disconnect(self._on_event)
        self._layers = layers
        self._layers.events.connect(self._on_event)
        self._selection.clear()
        self._masks.clear()
        if incident_filter is not None:
            self._filter = incident_filter
        self._recompute_masks()
        self._current = layers[len(layers) - 1] if len(layers) else None
        self.reset.emit()
        self.currentLayerChanged.emit(self._current)

    def _on_event(self, event) -> None:
        if event.type == "inserted":
            self._recompute_masks([event.value])
            self.layerInserted.emit(event.value)
        elif event.type == "removed":
            self._selection.pop(event.value, None)
            self._masks.pop(event.value, None)
            if self._current is event.value:
                self.set_current(self._layers[len(self._layers) - 1] if len(self._layers) else None)
            self.layerRemoved.emit(event.value)
        elif event.type == "moved":
            self.layersMoved.emit()
        elif event.type == "layer":
            inner = event.extra["event"]
            if inner.type == "data":
                self._selection.pop(event.value, None)
                self._recompute_masks([event.value])
            self.layerChanged.emit(event.value, inner.type)
        self.modified.emit()

    @property
    def current_layer(self) -> Layer | None:
        return self._current

    def set_current(self, layer: Layer | None) -> None:
        if layer is not self._current:
            self._current = layer
            self.currentLayerChanged.emit(layer)

    # ---- filter -------------------------------------------------------------------------
    @property
    def filter(self) -> IncidentFilter:
        return self._filter

    def set_filter(self, incident_filter: IncidentFilter) -> None:
        """Apply ``incident_filter`` to every incident layer; raises InputError for a filter that means nothing."""
        incident_filter.validate()
        self._filter = incident_filter
        self._recompute_masks()
        self.filterChanged.emit()
        self.modified.emit()

    def mask(self, layer: Layer) -> np.ndarray | None:
        """Rows of ``layer`` the filter keeps (None: all of them)."""
        return self._masks.get(layer)

    def visible_count(self, layer: Layer) -> int:
        mask = self._masks.get(layer)
        return len(layer.data) if mask is None else int(mask.sum())

    def _recompute_masks(self, layers=None) -> None:
        start = time.perf_counter()
        for layer in layers if layers is not None else list(self._layers):
            self._masks.pop(layer, None)
            if layer.kind not in FILTERED_KINDS or self._filter.is_empty():
                continue
            try:
                self._masks[layer] = self._filter_for(layer).mask(layer.data)
            except GisappError as error:
                self.filterFailed.emit(layer, str(error))
        self.last_filter_ms = (time.perf_counter() - start) * 1000

    def _filter_for(self, layer: Layer) -> IncidentFilter:
        wanted = self._filter
        if not wanted.within:
            return wanted
        resolved = IncidentFilter(**{k: v for k, v in wanted.to_dict().items()})
        resolved.within_geometry = self.area_geometry(wanted.within, layer.crs)
        return resolved

    def area_names(self) -> list[str]:
        """Names of the areas and grids a filter can be limited to."""
        names: list[str] = []
        for layer in self._layers:
            if layer.kind in ("areas", "grids") and "name" in layer.data:
                names.extend(str(v) for v in layer.data["name"].dropna().unique())
        return names

    def area_geometry(self, name: str, crs):
        for layer in self._layers:
            if layer.kind in ("areas", "grids") and "name" in layer.data:
                hit = layer.data[layer.data["name"].astype(str) == name]
                if len(hit):
                    return (reproject(hit, crs) if crs is not None and hit.crs is not None else hit).union_all()
        from gisapp.layers.errors import InputError

        raise InputError(f"No area or grid is named {name!r}.")

    # ---- selection ----------------------------------------------------------------------
    def selection(self, layer: Layer) -> np.ndarray:
        """Selected positional rows of ``layer`` (sorted, unique)."""
        return self._selection.get(layer, np.empty(0, dtype=np.int64))

    def select(self, layer: Layer, rows, mode: str = "replace") -> None:
        rows = np.unique(np.asarray(rows, dtype=np.int64))
        rows = rows[(rows >= 0) & (rows < len(layer.data))]
        old = self.selection(layer)
        if mode == "add":
            rows = np.union1d(old, rows)
        elif mode == "subtract":
            rows = np.setdiff1d(old, rows)
        elif mode == "toggle":
            rows = np.setxor1d(old, rows)
        if np.array_equal(rows, old):
            return
        if rows.size:
            self._selection[layer] = rows
        else:
            self._selection.pop(layer, None)
        self.selectionChanged.emit(layer)

    def clear_selection(self) -> None:
        if len(self._selection):
            self._selection.clear()
            self.selectionChanged.emit(None)

    def selected_count(self) -> int:
        return int(sum(len(rows) for rows in self._selection.values()))
