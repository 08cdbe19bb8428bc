"""Progress of a long command on the terminal: one line on stderr, rewritten in place.

Only when stderr is a terminal, so pipes, files and ``--json`` output stay
clean. It is the same ``progress(fraction, message)`` callback the window's
progress bar receives.
"""

from __future__ import annotations

import sys
import time

#: Seconds between redraws; a million-row loop reports far more often than a person can read.
MIN_INTERVAL = 0.1


class TerminalProgress:
    """``progress(fraction, message)`` drawing ``[ 42%] message`` on one stderr line."""

    def __init__(self, stream=None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty() if enabled is None else enabled
        self._last = 0.0
        self._width = 0

    def __call__(self, fraction: float, message: str) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self._last < MIN_INTERVAL and fraction < 1.0:
            return
        self._last = now
        line = f"[{100 * max(0.0, min(1.0, fraction)):3.0f}%] {message}"
        self.stream.write("\r" + line.ljust(self._width))
        self.stream.flush()
        self._width = len(line)

    def done(self) -> None:
        """Clear the line, so the summary starts on a clean one."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0

    def __enter__(self) -> TerminalProgress:
        return self

    def __exit__(self, *exc) -> None:
        self.done()
