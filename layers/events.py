"""A minimal event emitter for the plain-Python layer model.

The model knows nothing of its observers (napari's rule: the app is aware of
the layer list, not vice versa). Qt adapters subscribe with ``connect`` and
turn events into model signals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable


@dataclass(frozen=True)
class Event:
    """What changed: ``type`` names it (``"opacity"``, ``"inserted"``, ...); ``source`` emitted it."""

    type: str
    source: Any
    value: Any = None
    index: int | None = None
    extra: dict = field(default_factory=dict)


class EventEmitter:
    """Named events with connect/disconnect and a blocker, so a widget can set a value without hearing its own echo."""

    def __init__(self, source: Any):
        self._source = source
        self._callbacks: list[tuple[str | None, Callable[[Event], None]]] = []
        self._blocked = 0

    def connect(self, callback: Callable[[Event], None], event_type: str | None = None) -> Callable[[Event], None]:
        """Call ``callback(event)`` for ``event_type`` (every event when None); returns the callback."""
        self._callbacks.append((event_type, callback))
        return callback

    def disconnect(self, callback: Callable[[Event], None]) -> None:
        # == rather than `is`: each access to a bound method makes a new object.
        self._callbacks = [(t, cb) for t, cb in self._callbacks if cb != callback]

    def emit(self, event_type: str, value: Any = None, index: int | None = None, **extra: Any) -> None:
        if self._blocked:
            return
        event = Event(event_type, self._source, value, index, extra)
        for wanted, callback in list(self._callbacks):
            if wanted is None or wanted == event_type:
                callback(event)

    def blocked(self) -> "_Blocker":
        """Context manager that silences this emitter."""
        return _Blocker(self)


class _Blocker:
    def __init__(self, emitter: EventEmitter):
        self._emitter = emitter

    def __enter__(self) -> None:
        self._emitter._blocked += 1

    def __exit__(self, *exc: object) -> None:
        self._emitter._blocked -= 1
