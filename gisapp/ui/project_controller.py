"""Project files for the GUI: new, open (or import), save, save as, dirty state, autosave and recovery.

Autosave writes a snapshot of the project every few minutes, in a worker
thread, to a hidden side file next to the project (``.NAME.autosave.gpkg``; in
the app's data folder for an untitled project or a read-only folder). A clean
close deletes it, so finding one newer than its project at open time means the
last session ended in a crash, and the user is offered to recover it.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pyproj
from PyQt6.QtCore import QObject, QTimer, pyqtSignal

from gisapp.layers import Layer, LayerList
from gisapp.layers.crs import analysis_crs_for
from gisapp.layers.errors import GisappError, InputError
from gisapp.layers.filters import IncidentFilter
from gisapp.layers.io import read_layers
from gisapp.layers.layer import DEFAULT_STYLES, validate_style
from gisapp.layers.project import Project, is_project, load_project, save_project

from .settings import Settings, data_dir
from .stacking import insertion_index, stacking_rank
from .styles import ui_default_style
from .workers import Worker
from .workspace import Workspace

PROJECT_SUFFIX = ".gpkg"
#: Kinds imported hidden: reference data that would bury the map (50,000 door plates of the standard
#: address database are for address matching, not for reading the map); one tick shows them.
HIDDEN_KINDS = ("addresses",)


def autosave_path_for(path: Path | None, fallback_dir: Path) -> Path:
    """Where the autosave of ``path`` goes: beside it when the folder is writable, else in ``fallback_dir``."""
    if path is None:
        return fallback_dir / "untitled.autosave.gpkg"
    path = Path(path).resolve()
    if os.access(path.parent, os.W_OK):
        return path.with_name(f".{path.stem}.autosave.gpkg")
    digest = hashlib.sha1(str(path).encode()).hexdigest()[:12]
    return fallback_dir / f"{path.stem}-{digest}.autosave.gpkg"


class ProjectController(QObject):
    """Owns the project path and the dirty flag; reads and writes the workspace through ``gisapp.layers.project``."""

    pathChanged = pyqtSignal(object)
    dirtyChanged = pyqtSignal(bool)
    loaded = pyqtSignal()
    saved = pyqtSignal(str)
    autosaved = pyqtSignal(str)
    autosaveFailed = pyqtSignal(str)
    imported = pyqtSignal(list)  # layers read from a non-project file

    def __init__(self, workspace: Workspace, settings: Settings | None = None, *, view_state=None, apply_view=None,
                 autosave_dir: Path | None = None, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.settings = settings or Settings()
        self.view_state = view_state or (dict)
        self.apply_view = apply_view or (lambda view: None)
        self.autosave_dir = Path(autosave_dir) if autosave_dir else data_dir() / "autosave"
        self.path: Path | None = None
        self.imported_from: Path | None = None  # the file an untitled project was imported from
        self.dirty = False
        self.analysis_crs_setting = "auto"
        self.created_by = ""
        self.geocode_aliases: dict = {}  # the analyst's address corrections (gisapp.analysis.geocode.aliases)
        self._loading = False
        self._autosave_worker: Worker | None = None
        self._analysis_crs = None
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.autosave_if_dirty)
        self.timer.start(self.settings.autosave_minutes() * 60_000)
        workspace.modified.connect(self._modified)
        workspace.reset.connect(self._forget_crs)
        workspace.layerInserted.connect(lambda layer: self._forget_crs())

    # ---- state ---------------------------------------------------------------------------
    def _modified(self) -> None:
        if not self._loading:
            self.set_dirty(True)

    def set_dirty(self, dirty: bool) -> None:
        if dirty != self.dirty:
            self.dirty = dirty
            self.dirtyChanged.emit(dirty)

    def _set_path(self, path: Path | None) -> None:
        self.path = Path(path).resolve() if path is not None else None
        self.imported_from = None
        self.pathChanged.emit(self.path)

    def take_over(self, other: ProjectController, adopt_layers) -> None:
        """Become ``other``'s project: path, settings, dirty flag; ``adopt_layers()`` moves the layers meanwhile."""
        self._loading = True
        try:
            adopt_layers()
        finally:
            self._loading = False
        self.analysis_crs_setting, self.created_by = other.analysis_crs_setting, other.created_by
        self.geocode_aliases = other.geocode_aliases
        self._set_path(other.path)
        self.imported_from = other.imported_from
        self.set_dirty(other.dirty)

    @property
    def title(self) -> str:
        return self.path.stem if self.path is not None else ""

    def autosave_path(self) -> Path:
        return autosave_path_for(self.path, self.autosave_dir)

    def _forget_crs(self) -> None:
        self._analysis_crs = None

    def analysis_crs(self):
        """The project's metric CRS (its setting, or chosen from the data's centre); None without data."""
        if self._analysis_crs is None:
            layers = [layer for layer in self.workspace.layers if len(layer.data) and layer.crs is not None]
            if not layers:
                return None
            layer = next((l for l in layers if l.kind == "incidents"), layers[0])
            try:  # local-metres data stay in their own metric system
                self._analysis_crs = analysis_crs_for(layer.data, self.analysis_crs_setting)
            except (GisappError, ValueError, pyproj.exceptions.ProjError, pyproj.exceptions.CRSError):  # no metric readout
                return None
        return self._analysis_crs

    # ---- new / open ----------------------------------------------------------------------
    def new(self) -> None:
        self._apply(Project(), None)
        self.set_dirty(False)

    def open(self, path, *, confirm_import=None, confirm_recover=None) -> bool:
        """Open a project, or import the layers of any other readable file into a new project.

        ``confirm_import(n_layers) -> bool`` is asked before importing a file that is not a
        project; ``confirm_recover(autosave_path) -> bool`` when a newer autosave is found.
        Raises InputError (one sentence) for a file that cannot be opened.
        """
        path = Path(path)
        if not path.exists():
            raise InputError(f"{path} does not exist.")
        if path.suffix.lower() == PROJECT_SUFFIX and is_project(path):
            project = load_project(path)
            side = autosave_path_for(path, self.autosave_dir)
            recovered = False
            if side.is_file() and side.stat().st_mtime > path.stat().st_mtime and is_project(side):
                if confirm_recover is None or confirm_recover(side):
                    project = load_project(side)
                    recovered = True
            self._apply(project, path)
            self.set_dirty(recovered)
            self.settings.add_recent(path)
            return True
        layers = read_layers(path)
        if confirm_import is not None and not confirm_import(len(layers)):
            return False
        self._apply(Project(), None)
        self.imported_from = path
        self.add_layers(layers)
        self.set_dirty(True)
        self.imported.emit(layers)
        return True

    def recover_untitled(self, confirm_recover=None) -> bool:
        """Offer the autosave of an untitled project left by a crash."""
        side = autosave_path_for(None, self.autosave_dir)
        if side.is_file() and is_project(side) and (confirm_recover is None or confirm_recover(side)):
            self._apply(load_project(side), None)
            self.set_dirty(True)
            return True
        return False

    def _apply(self, project: Project, path: Path | None) -> None:
        self._loading = True
        try:
            self.analysis_crs_setting = project.analysis_crs or "auto"
            self.created_by = project.created_by
            self.geocode_aliases = dict(project.geocode_aliases or {})
            try:
                incident_filter = IncidentFilter.from_dict(project.filters)
            except GisappError:
                incident_filter = IncidentFilter()
            self._set_path(path)
            self.workspace.set_layers(project.layers, incident_filter)
            self.choose_current()
            self.apply_view(project.view)
        finally:
            self._loading = False

    def add_layers(self, layers: list[Layer]) -> list[Layer]:
        """Add layers (renamed if a name is taken), giving fresh ones a richer default style.

        Each enters the drawing order by what it is (:mod:`.stacking`): polygons at the bottom,
        then lines, then points, analysis results below the user's routes and cameras.
        """
        added = []
        for layer in sorted(layers, key=stacking_rank):
            layer.name = self.workspace.layers.unique_name(layer.name) if layer.name in self.workspace.layers else layer.name
            given = layer.style != validate_style(DEFAULT_STYLES[layer.kind])  # a declared or saved style stays
            method = (layer.params or {}).get("method") if isinstance(layer.params, dict) else None
            nicer = None if given else ui_default_style(layer.kind, layer.data.columns, method, layer.name)
            if nicer is not None:
                try:
                    layer.style = nicer
                except ValueError:
                    pass
            if not given and layer.kind in HIDDEN_KINDS:
                layer.visible = False
            self.workspace.layers.insert(insertion_index(self.workspace.layers, layer), layer)
            added.append(layer)
        self.choose_current()
        return added

    def choose_current(self) -> None:
        """Make the first incident layer current (what analysts look at first), else the top layer."""
        layers = list(self.workspace.layers)
        incidents = [layer for layer in layers if layer.kind == "incidents"]
        self.workspace.set_current(incidents[0] if incidents else (layers[-1] if layers else None))

    # ---- save ----------------------------------------------------------------------------
    def snapshot(self) -> Project:
        """A project sharing the layers' data (never copied) but not their mutable state."""
        layers = LayerList()
        for layer in self.workspace.layers:
            twin = Layer(layer.name, layer.kind, layer.data, source=layer.source, style=layer.style, visible=layer.visible,
                         opacity=layer.opacity, report=layer.report, params=layer.params, import_options=layer.import_options)
            layers.append(twin)
        return Project(layers, filters=self.workspace.filter.to_dict(), view=self.view_state(),
                       analysis_crs=self.analysis_crs_setting, created_by=self.created_by, geocode_aliases=self.geocode_aliases)

    def save(self) -> bool:
        """Save to the current path; False when the project has none yet (ask for one, then ``save_as``)."""
        if self.path is None:
            return False
        self.save_as(self.path)
        return True

    def save_as(self, path) -> Path:
        path = Path(path)
        if path.suffix.lower() != PROJECT_SUFFIX:
            path = path.with_suffix(PROJECT_SUFFIX)
        old_side = self.autosave_path()
        written = save_project(self.snapshot(), path)
        self._set_path(written)
        self.set_dirty(False)
        self.settings.add_recent(written)
        for side in {old_side, self.autosave_path()}:
            _remove(side)
        self.saved.emit(str(written))
        return written

    # ---- autosave ------------------------------------------------------------------------
    def autosave_if_dirty(self) -> None:
        if self.dirty:
            self.autosave()

    def autosave(self) -> Worker | None:
        """Write a snapshot to the side file in a worker thread (skipped while one is running)."""
        if self._autosave_worker is not None or not len(self.workspace.layers):
            return None
        target = self.autosave_path()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            self.autosaveFailed.emit(str(error))
            return None
        worker = Worker(save_project, self.snapshot(), target)
        worker.signals.returned.connect(lambda written: self.autosaved.emit(str(written)))
        worker.signals.errored.connect(lambda error: self.autosaveFailed.emit(str(error)))
        worker.signals.finished.connect(self._autosave_done)
        self._autosave_worker = worker
        return worker.start()

    def _autosave_done(self) -> None:
        self._autosave_worker = None

    def close(self) -> None:
        """A clean shutdown: stop autosaving and remove the side file (a crash would leave it)."""
        self.timer.stop()
        if self._autosave_worker is not None:
            from .workers import wait_for_workers

            wait_for_workers()
        _remove(self.autosave_path())


def _remove(path: Path) -> None:
    try:
        Path(path).unlink()
    except FileNotFoundError:
        pass
    except OSError:
        pass
