"""Start the desktop app: QApplication, font, language, main window; or render one screenshot and exit."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PyQt6.QtCore import QTimer
from PyQt6.QtGui import QFont, QFontDatabase, QIcon
from PyQt6.QtWidgets import QApplication

from gisapp.layers.errors import InputError

from ..data_files import sample_project
from .i18n import RESOURCES, default_language, install_translator
from .settings import APPLICATION, ORGANIZATION, Settings
from .styles import CJK_FONT_FAMILIES

SAMPLE_PROJECT = sample_project()
SCREENSHOT_SIZE = (1600, 1000)

STYLESHEET = """
QMainWindow::separator { background: #d9dde1; width: 1px; height: 1px; }
QToolBar { background: #f4f5f7; border: none; border-bottom: 1px solid #dcdfe3; spacing: 2px; padding: 2px 4px; }
QToolBar#filterToolbar { background: #fafbfc; }
QToolButton { padding: 3px; border-radius: 3px; }
QToolButton:hover { background: #e3e8ef; }
QToolButton#categoryButton { padding-right: 16px; }
QToolButton:checked { background: #d3e2f7; border: 1px solid #9dbbe6; }
QDockWidget { titlebar-close-icon: none; }
QDockWidget::title { background: #eceff3; padding: 5px 8px; border-bottom: 1px solid #d5d9de; }
QStatusBar { background: #f4f5f7; border-top: 1px solid #d5d9de; }
QStatusBar QLabel { padding: 0 8px; color: #30343a; border-left: 1px solid #dcdfe3; }
QHeaderView::section { background: #f0f2f5; padding: 3px 6px; border: none; border-right: 1px solid #dadde1; border-bottom: 1px solid #dadde1; }
QTreeView, QTableView, QListWidget, QPlainTextEdit { border: none; selection-background-color: #cde1fb; selection-color: #101010; }
QTableView { gridline-color: #e4e6e9; alternate-background-color: #f7f9fb; }
QTabWidget::pane { border: none; }
QTabBar::tab { padding: 4px 12px; }
"""


def choose_font_family(available=None) -> str | None:
    """The first installed CJK font of :data:`~gisapp.ui.styles.CJK_FONT_FAMILIES`."""
    families = set(available if available is not None else QFontDatabase.families())
    for family in CJK_FONT_FAMILIES:
        if family in families:
            return family
    return next((f for f in sorted(families) if "CJK" in f or "Hei" in f), None)


def application(argv=None) -> QApplication:
    """The QApplication, created and styled once."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(list(argv or sys.argv[:1]))
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("gisapp")
    if not getattr(app, "_gisapp_styled", False):
        app.setStyle("Fusion")
        family = choose_font_family()
        font = QFont(family) if family else QFont(app.font())
        font.setPointSizeF(9.5)
        app.setFont(font)
        app.setStyleSheet(STYLESHEET)
        app.setWindowIcon(QIcon(str(RESOURCES / "icons" / "gisapp.svg")))
        app._gisapp_styled = True
    return app


def run_app(project_path=None, screenshot=None, *, language: str | None = None) -> int:
    """Open the main window on ``project_path`` (default: the last project, else the sample county).

    With ``screenshot``, render the window off screen once it has loaded, write the PNG
    and return 0 without showing anything. Raises InputError when the project cannot be
    opened in screenshot mode (the CLI turns that into exit code 2).
    """
    if screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = application()
    settings = Settings(read_only=bool(screenshot))
    language = install_translator(app, language or os.environ.get("GISAPP_LANGUAGE") or settings.language() or default_language())
    from .main_window import MainWindow

    window = MainWindow(settings, language, restore_state=not screenshot)  # screenshots: the default layout
    try:
        if project_path:
            opened = window.open_path(project_path, interactive=not screenshot, ask_import=False)
        elif not screenshot and window.controller.recover_untitled(lambda side: _ask_recover(window)):
            opened = True
        else:
            last = settings.last_project()
            target = last or (SAMPLE_PROJECT if SAMPLE_PROJECT.is_file() else None)
            opened = window.open_path(target, interactive=not screenshot, ask_import=False) if target else True
    except Exception:
        window.controller.set_dirty(False)
        window.close()
        window.deleteLater()
        raise
    if not screenshot:
        window.show()
        return app.exec()
    return _screenshot(app, window, Path(screenshot), opened)


def _ask_recover(window) -> bool:
    from . import dialogs
    from .i18n import tr

    return dialogs.ask(window, tr("gisapp found an autosaved untitled project, probably left by a crash. Recover it?")) == "yes"


def _screenshot(app: QApplication, window, path: Path, opened: bool) -> int:
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    window.canvas.zoom_full()
    outcome = {}

    def shoot() -> None:
        outcome["ok"] = window.screenshot(path)
        window.controller.set_dirty(False)
        window.close()
        app.quit()

    QTimer.singleShot(400, shoot)  # after the first layout and paint
    app.exec()
    window.deleteLater()
    if not outcome.get("ok"):
        raise InputError(f"Cannot write the screenshot to {path}: check the folder exists and is writable.")
    return 0
