"""Fixtures for the GUI tests: off screen, isolated settings, a main-window factory that checks for leaks.

The leak check follows napari's ``make_napari_viewer``: every top-level widget
a test leaves behind (windows, dialogs, message boxes) fails the test.
"""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("PyQt6.QtWidgets")
pytest.importorskip("pytestqt")

from PyQt6 import sip
from PyQt6.QtCore import QCoreApplication, QEvent, QSettings
from PyQt6.QtWidgets import QApplication

from gisapp.layers import Layer, LayerList
from gisapp.layers.io import read_layers
from gisapp.layers.project import Project, save_project


@pytest.fixture(scope="session")
def county_layers(sample_dir):
    """The sample county read once; tests get fresh Layer objects sharing the (never mutated) data."""
    return [(layer.name, layer.kind, layer.data, layer.source, layer.report) for layer in read_layers(sample_dir / "county.gpkg")]


@pytest.fixture
def fresh_layers(county_layers):
    def make(names=None) -> list[Layer]:
        return [Layer(n, k, d, source=s, report=r) for n, k, d, s, r in county_layers if names is None or n in names]

    return make


@pytest.fixture(scope="session")
def county_project(county_layers, tmp_path_factory, qapp):
    """The sample county saved as a gisapp project, as gisapp saves it after importing the file: its layers
    stacked and styled by gisapp's defaults (:meth:`gisapp.ui.project_controller.ProjectController.add_layers`)."""
    from gisapp.ui.project_controller import ProjectController
    from gisapp.ui.settings import Settings
    from gisapp.ui.workspace import Workspace

    path = tmp_path_factory.mktemp("project") / "county.gpkg"
    workspace = Workspace()
    controller = ProjectController(workspace, Settings(read_only=True), autosave_dir=path.parent / "autosave")
    controller.add_layers([Layer(n, k, d, source=s, report=r) for n, k, d, s, r in county_layers])
    controller.timer.stop()
    layers = LayerList(list(workspace.layers))
    save_project(Project(layers), path)
    return path


@pytest.fixture
def isolated_settings(tmp_path, monkeypatch):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from gisapp.ui import main_window

    monkeypatch.setattr(main_window, "cache_dir", lambda: tmp_path / "cache")
    return tmp_path / "settings"


@pytest.fixture
def answers(monkeypatch):
    """Answers for blocking questions: ``answers.append("yes")``; unanswered questions fail the test."""
    from gisapp.ui import dialogs

    class Answers(list):
        asked: list[str]

    queue = Answers()
    asked: list[str] = []

    def ask(parent, question, title=None, buttons=("yes", "no"), default=None):
        asked.append(question)
        assert queue, f"unexpected question: {question}"
        return queue.pop(0)

    monkeypatch.setattr(dialogs, "ask", ask)
    queue.asked = asked  # type: ignore[attr-defined]
    return queue


def close_error_boxes() -> list[str]:
    """Texts of the error boxes on screen, which are then closed."""
    from gisapp.ui.dialogs import ERROR_OBJECT_NAME

    texts = []
    for widget in QApplication.topLevelWidgets():
        if widget.objectName() == ERROR_OBJECT_NAME and widget.isVisible():
            texts.append(widget.text())
            widget.close()
    return texts


@pytest.fixture
def make_window(qtbot, qapp, isolated_settings, fresh_layers, tmp_path):
    """Factory for a shown (off screen) MainWindow; at teardown it is closed and no widget may leak."""
    from gisapp.ui.app import application
    from gisapp.ui.i18n import install_translator
    from gisapp.ui.main_window import MainWindow
    from gisapp.ui.settings import Settings
    from gisapp.ui.workers import wait_for_workers

    application()
    before = {id(w) for w in QApplication.topLevelWidgets()}
    windows = []

    def make(layers=True, language="en", size=(1200, 800)):
        install_translator(qapp, language)
        window = MainWindow(Settings(), language, autosave_dir=tmp_path / "autosave")
        window.resize(*size)
        window.show()
        qtbot.waitExposed(window)
        if layers:
            window.controller.add_layers(fresh_layers() if layers is True else layers)
            window.controller.set_dirty(False)
            window.canvas.zoom_full()
        windows.append(window)
        return window

    yield make
    for window in windows:
        if sip.isdeleted(window):  # replaced by a language switch
            continue
        window.controller.set_dirty(False)
        window.close()
        window.deleteLater()
    close_error_boxes()
    wait_for_workers()
    for _ in range(3):
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        qapp.processEvents()
    install_translator(qapp, "en")
    leaked = [w for w in QApplication.topLevelWidgets() if id(w) not in before]
    assert not leaked, f"leaked widgets: {[type(w).__name__ + ':' + w.objectName() for w in leaked]}"
