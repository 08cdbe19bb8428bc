"""Work handed to a second thread, so that it runs beside work that holds the GIL."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor


def in_background(function, *args) -> Future:
    """Run ``function(*args)`` on a fresh thread; the Future carries its result or its exception.

    A fresh thread each time rather than a shared pool: pyproj transformers
    are cached per thread (see :func:`gisapp.layers.transformers.transformer`), and the
    GUI's analyses crashed inside PROJ on reused pool threads.
    """
    worker = ThreadPoolExecutor(1, thread_name_prefix=f"gisapp-{function.__name__}")
    future = worker.submit(function, *args)
    worker.shutdown(wait=False)  # the thread ends when the function returns
    return future
