"""An ordered, evented list of layers with unique names.

The first layer is drawn at the bottom, the last on top, like a stack of
transparencies. Events: ``inserted``, ``removed``, ``moved``, ``renamed``,
plus every layer's own events re-emitted as ``layer`` with ``extra["event"]``.
"""

from __future__ import annotations

from typing import Iterator

from .events import Event, EventEmitter
from .layer import Layer


class LayerList:
    """The app is aware of the layer list, not vice versa."""

    def __init__(self, layers: list[Layer] | None = None):
        self.events = EventEmitter(self)
        self._layers: list[Layer] = []
        for layer in layers or []:
            self.append(layer)

    def __len__(self) -> int:
        return len(self._layers)

    def __iter__(self) -> Iterator[Layer]:
        return iter(list(self._layers))

    def __getitem__(self, key: int | str) -> Layer:
        if isinstance(key, str):
            for layer in self._layers:
                if layer.name == key:
                    return layer
            raise KeyError(key)
        return self._layers[key]

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            return any(layer.name == key for layer in self._layers)
        return key in self._layers

    @property
    def names(self) -> list[str]:
        return [layer.name for layer in self._layers]

    def index(self, key: Layer | str) -> int:
        layer = self[key] if isinstance(key, str) else key
        return self._layers.index(layer)

    def unique_name(self, wanted: str) -> str:
        """``wanted``, or ``wanted (2)``, ``wanted (3)``, … — the first name not taken."""
        name, n = wanted, 1
        while name in self:
            n += 1
            name = f"{wanted} ({n})"
        return name

    def insert(self, index: int, layer: Layer) -> None:
        if layer.name in self:
            raise ValueError(f"a layer named {layer.name!r} already exists")
        index = max(0, min(index, len(self._layers))) if index >= 0 else max(0, len(self._layers) + index + 1)
        self._layers.insert(index, layer)
        layer.events.connect(self._relay)
        self.events.emit("inserted", layer, index=index)

    def append(self, layer: Layer) -> None:
        self.insert(len(self._layers), layer)

    def remove(self, key: Layer | str) -> Layer:
        index = self.index(key)
        layer = self._layers.pop(index)
        layer.events.disconnect(self._relay)
        self.events.emit("removed", layer, index=index)
        return layer

    def move(self, source: int, destination: int) -> None:
        """Move the layer at ``source`` so that it ends up at index ``destination``."""
        n = len(self._layers)
        if not (0 <= source < n and 0 <= destination < n):
            raise IndexError(f"layer index must be between 0 and {n - 1}")
        if source == destination:
            return
        layer = self._layers.pop(source)
        self._layers.insert(destination, layer)
        self.events.emit("moved", layer, index=destination, source=source)

    def clear(self) -> None:
        while self._layers:
            self.remove(self._layers[-1])

    def _relay(self, event: Event) -> None:
        if event.type == "name":
            others = [layer for layer in self._layers if layer is not event.source and layer.name == event.value]
            if others:
                # Undo the rename before anyone sees a duplicate name.
                with event.source.events.blocked():
                    event.source.name = event.extra["old"]
                raise ValueError(f"a layer named {event.value!r} already exists")
        self.events.emit("layer", event.source, index=self._layers.index(event.source), event=event)
