"""Hand freed memory back to the operating system after a large read.

Parsing a big table frees hundreds of megabytes of buffers at once. glibc's
allocator keeps such memory for reuse instead of returning it, so the
process's resident size (and its peak, once the points are built on top of
it) stays as if the buffers were still held. ``malloc_trim`` returns the
free pages; elsewhere (macOS, Windows, musl) this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools


@functools.lru_cache(maxsize=1)
def _trim():
    name = ctypes.util.find_library("c")
    try:
        function = getattr(ctypes.CDLL(name), "malloc_trim") if name else None
    except (OSError, AttributeError):
        return None
    if function is not None:
        function.argtypes = [ctypes.c_size_t]
    return function


def release_freed_memory() -> None:
    """Return the allocator's free memory to the system (glibc's ``malloc_trim(0)``); a no-op without glibc."""
    trim = _trim()
    if trim is not None:
        trim(0)
