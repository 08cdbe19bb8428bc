"""The desktop app (PyQt6): the only Qt code in gisapp.

Importing this package is cheap; Qt loads when :func:`run_app` is called.
"""

from __future__ import annotations


def run_app(project_path=None, screenshot=None, **options) -> int:
    """Open the desktop app (see :func:`gisapp.ui.app.run_app`)."""
    from .app import run_app as _run_app

    return _run_app(project_path, screenshot=screenshot, **options)


__all__ = ["run_app"]
