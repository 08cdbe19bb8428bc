"""Where the app's own files are: icons, translations and the sample county.

In a source checkout (and an editable install) they are the repository's
``resources/`` and ``sample_data/`` folders. A wheel carries the runtime
ones inside the package, under ``gisapp/_data/`` (``pyproject.toml`` maps
the two folders there), so an installed app finds its Chinese interface and
its sample county too.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_INSTALLED = _PACKAGE / "_data"
_CHECKOUT = _PACKAGE.parent


def _folder(name: str) -> Path:
    installed = _INSTALLED / name
    return installed if installed.is_dir() else _CHECKOUT / name


def resources_dir() -> Path:
    """``resources/``: ``icons/`` and ``i18n/``."""
    return _folder("resources")


def sample_project() -> Path:
    """The sample county's GeoPackage."""
    return _folder("sample_data") / "county.gpkg"
