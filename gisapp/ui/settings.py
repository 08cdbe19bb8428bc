"""Persistent preferences (QSettings, INI format everywhere so files are readable and portable)."""

from __future__ import annotations

import json
from pathlib import Path

from PyQt6.QtCore import QSettings, QStandardPaths

ORGANIZATION = "gisapp"
APPLICATION = "gisapp"
MAX_RECENT = 10
DEFAULT_AUTOSAVE_MINUTES = 3


class Settings:
    """Typed access to the few settings gisapp keeps."""

    def __init__(self, read_only: bool = False):
        self.q = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION)
        self.read_only = read_only

    def _set(self, key: str, value) -> None:
        if not self.read_only:
            self.q.setValue(key, value)

    # language
    def language(self) -> str | None:
        value = self.q.value("ui/language", "", str)
        return value or None

    def set_language(self, language: str) -> None:
        self._set("ui/language", language)

    # recent projects
    def recent_projects(self) -> list[str]:
        value = self.q.value("projects/recent", [], list) or []
        return [str(v) for v in value if v]

    def add_recent(self, path) -> None:
        path = str(Path(path).resolve())
        recent = [p for p in self.recent_projects() if p != path]
        self._set("projects/recent", ([path] + recent)[:MAX_RECENT])
        self._set("projects/last", path)

    def remove_recent(self, path) -> None:
        self._set("projects/recent", [p for p in self.recent_projects() if p != str(path)])

    def last_project(self) -> str | None:
        value = self.q.value("projects/last", "", str)
        return value if value and Path(value).is_file() else None

    # window
    def window_state(self) -> tuple:
        return self.q.value("window/geometry"), self.q.value("window/state")

    def save_window_state(self, geometry, state) -> None:
        self._set("window/geometry", geometry)
        self._set("window/state", state)

    # basemap
    def basemap(self) -> tuple[str, str]:
        return self.q.value("basemap/mode", "project", str), self.q.value("basemap/value", "", str)

    def set_basemap(self, mode: str, value: str = "") -> None:
        self._set("basemap/mode", mode)
        self._set("basemap/value", value)

    # import choices, per export layout (gisapp.layers.io.preview.file_signature)
    def import_options(self, signature: str | None) -> dict | None:
        """The read options chosen last time for an export with these headers, or None."""
        if not signature:
            return None
        text = self.q.value(f"import/{signature}", "", str)
        try:
            value = json.loads(text) if text else None
        except ValueError:  # a hand-edited settings file: forget it, ask again
            return None
        return value if isinstance(value, dict) else None

    def remember_import(self, signature: str | None, options: dict) -> None:
        if signature:
            self._set(f"import/{signature}", json.dumps(options, ensure_ascii=False))

    # autosave
    def autosave_minutes(self) -> int:
        return max(1, int(self.q.value("projects/autosave_minutes", DEFAULT_AUTOSAVE_MINUTES, int)))

    def set_autosave_minutes(self, minutes: int) -> None:
        self._set("projects/autosave_minutes", int(minutes))

    def sync(self) -> None:
        if not self.read_only:
            self.q.sync()


def data_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".gisapp")


def cache_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.CacheLocation)
    return Path(base or Path.home() / ".cache" / "gisapp")
