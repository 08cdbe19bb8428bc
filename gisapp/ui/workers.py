"""Run work off the GUI thread (superqt's worker pattern, in a few lines, without the dependency).

``Worker(fn, *args)`` runs ``fn`` in the global QThreadPool. If ``fn`` takes
``progress`` and ``cancelled`` keyword arguments they are supplied: the work
reports ``progress(fraction, message)`` and polls ``cancelled()``. Signals
(delivered on the main thread): ``started``, ``progress``, ``returned(result)``,
``errored(exception)``, ``finished``. The work never touches widgets or the
LayerList; whoever receives ``returned`` does that on the main thread.
"""

from __future__ import annotations

import inspect
import threading

from PyQt6.QtCore import QObject, QRunnable, QThreadPool, pyqtSignal

_alive: set[Worker] = set()  # keep workers (and their signal objects) alive until finished


class WorkerSignals(QObject):
    started = pyqtSignal()
    progress = pyqtSignal(float, str)
    returned = pyqtSignal(object)
    errored = pyqtSignal(object)
    finished = pyqtSignal()


class Worker(QRunnable):
    def __init__(self, fn, *args, **kwargs):
        super().__init__()
        self.setAutoDelete(False)
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.signals = WorkerSignals()
        self._cancel = threading.Event()
        try:
            parameters = inspect.signature(fn).parameters
        except (TypeError, ValueError):
            parameters = {}
        if "progress" in parameters:
            self.kwargs.setdefault("progress", lambda f, m="": self.signals.progress.emit(float(f), str(m)))
        if "cancelled" in parameters:
            self.kwargs.setdefault("cancelled", self._cancel.is_set)

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def is_cancelled(self) -> bool:
        return self._cancel.is_set()

    def start(self) -> Worker:
        pool = QThreadPool.globalInstance()
        # A fresh thread per run: a pool thread reused for a second run segfaulted in pyproj's
        # CRS creation (PyQt6 6.11 / pyproj 3.7.2 / PROJ 9.5.1; pyproj keeps per-thread PROJ
        # state that does not survive PyQt's per-call Python thread states). Threads are cheap next to an analysis.
        pool.setExpiryTimeout(0)
        _alive.add(self)
        self.signals.finished.connect(lambda: _alive.discard(self))
        QThreadPool.globalInstance().start(self)
        return self

    def run(self) -> None:  # in the pool thread
        self.signals.started.emit()
        try:
            result = self.fn(*self.args, **self.kwargs)
        except Exception as error:  # noqa: BLE001 - handed to the main thread, which decides how to show it
            self.signals.errored.emit(error)
        else:
            self.signals.returned.emit(result)
        finally:
            self.signals.finished.emit()


def wait_for_workers(msecs: int = 30000) -> bool:
    """Block until every pooled worker is done (application exit, tests)."""
    return QThreadPool.globalInstance().waitForDone(msecs)
