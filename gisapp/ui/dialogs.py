"""Message boxes in one place, so that tests can answer questions and find errors.

Errors are shown non-modally (``open()``, never ``exec()``): the event loop keeps
running, a test finds the box among the top-level widgets, and a user sees one
sentence, never a traceback. Questions block (they need an answer) and go
through :func:`ask`, which tests replace.
"""

from __future__ import annotations

from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import QMessageBox, QWidget

from .i18n import tr

ERROR_OBJECT_NAME = "gisappErrorDialog"


def show_error(parent: QWidget | None, message: str, title: str | None = None, details: str | None = None) -> QMessageBox:
    """Show ``message`` (one sentence from a GisappError) in a non-blocking error box."""
    box = QMessageBox(QMessageBox.Icon.Warning, title or tr("gisapp"), str(message), QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(ERROR_OBJECT_NAME)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.NonModal)
    if details:
        box.setDetailedText(details)
    box.open()
    return box


def show_info(parent: QWidget | None, message: str, title: str | None = None) -> QMessageBox:
    box = QMessageBox(QMessageBox.Icon.Information, title or tr("gisapp"), str(message), QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setWindowModality(Qt.WindowModality.NonModal)
    box.open()
    return box


def ask(parent: QWidget | None, question: str, title: str | None = None, buttons: tuple[str, ...] = ("yes", "no"), default: str | None = None) -> str:
    """Ask and wait; returns the name of the button pressed ("yes", "no", "save", "discard", "cancel")."""
    mapping = {
        "yes": QMessageBox.StandardButton.Yes,
        "no": QMessageBox.StandardButton.No,
        "save": QMessageBox.StandardButton.Save,
        "discard": QMessageBox.StandardButton.Discard,
        "cancel": QMessageBox.StandardButton.Cancel,
    }
    flags = QMessageBox.StandardButton.NoButton
    for name in buttons:
        flags |= mapping[name]
    box = QMessageBox(QMessageBox.Icon.Question, title or tr("gisapp"), question, flags, parent)
    if default:
        box.setDefaultButton(mapping[default])
    pressed = box.exec()
    box.deleteLater()
    for name, button in mapping.items():
        if pressed == button.value or pressed == button:
            return name
    return buttons[-1]
