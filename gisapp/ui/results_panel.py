"""The results and log dock: analysis results with their parameters, identified features, and a log."""

from __future__ import annotations

import json
import time

from PyQt6.QtGui import QColor, QTextCharFormat
from PyQt6.QtWidgets import QPlainTextEdit, QTabWidget, QTreeWidget, QTreeWidgetItem

from gisapp.layers import Layer

from .attribute_table import format_cell, rounded
from .i18n import tr
from .names import column_label, layer_title
from .workspace import Workspace

LEVEL_COLOURS = {"info": "#303030", "warning": "#a05a00", "error": "#b00000"}


class ResultsPanel(QTabWidget):
    """Tabs: Results, Identify, Log."""

    def __init__(self, workspace: Workspace, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.results = QTreeWidget(self)
        self.results.setObjectName("resultsTree")
        self.results.setHeaderLabels([tr("Result"), tr("Value")])
        self.results.setColumnWidth(0, 180)
        self.identify = QTreeWidget(self)
        self.identify.setObjectName("identifyTree")
        self.identify.setHeaderLabels([tr("Field"), tr("Value")])
        self.identify.setColumnWidth(0, 140)
        self.log_view = QPlainTextEdit(self)
        self.log_view.setObjectName("logView")
        self.log_view.setReadOnly(True)
        self.log_view.setMaximumBlockCount(5000)
        self.addTab(self.results, tr("Results"))
        self.addTab(self.identify, tr("Identify"))
        self.addTab(self.log_view, tr("Log"))
        workspace.reset.connect(self.refresh_results)
        workspace.layerInserted.connect(lambda layer: self.refresh_results())
        workspace.layerRemoved.connect(lambda layer: self.refresh_results())
        self.refresh_results()

    def log(self, text: str, level: str = "info") -> None:
        stamp = time.strftime("%H:%M:%S")
        fmt = QTextCharFormat()
        fmt.setForeground(QColor(LEVEL_COLOURS.get(level, "#303030")))
        cursor = self.log_view.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        cursor.insertText(f"{stamp}  {text}\n", fmt)
        self.log_view.ensureCursorVisible()

    def log_text(self) -> str:
        return self.log_view.toPlainText()

    def refresh_results(self) -> None:
        self.results.clear()
        for layer in reversed(list(self.workspace.layers)):
            if layer.kind != "result" or (isinstance(layer.params, dict) and layer.params.get("part_of")):
                continue  # secondary layers (blind spots beside coverage, hulls beside clusters) belong to their main result
            summary = layer.params.get("summary", {}) if isinstance(layer.params, dict) else {}
            headline = summary.get("headline") if isinstance(summary, dict) else None
            item = QTreeWidgetItem([layer_title(layer), headline or f"{len(layer.data):,}"])
            item.setToolTip(0, layer.name)
            if headline:
                item.setToolTip(1, headline)
            for key, value in list(layer.params.items()):
                if key == "summary":
                    continue
                QTreeWidgetItem(item, [str(key), _short(value)])
            for key, value in summary.items():
                QTreeWidgetItem(item, [str(key), _short(value)])
            self.results.addTopLevelItem(item)
        if self.results.topLevelItemCount() == 0:
            placeholder = QTreeWidgetItem([tr("No analysis results yet"), ""])
            placeholder.setForeground(0, QColor("#808080"))
            self.results.addTopLevelItem(placeholder)

    def show_feature(self, layer: Layer | None, row: int) -> None:
        self.identify.clear()
        if layer is None or row < 0:
            self.identify.addTopLevelItem(QTreeWidgetItem([tr("Nothing here"), ""]))
            return
        top = QTreeWidgetItem([layer_title(layer), tr("row {n}").format(n=row + 1)])
        data = layer.data
        for column in data.columns:
            geometry = column == data.geometry.name
            field = QTreeWidgetItem(top, [column_label(column), format_cell(data[column].iat[row], geometry, geometry)])
            field.setToolTip(0, str(column))  # the stored name, for scripts and QGIS
        self.identify.addTopLevelItem(top)
        top.setExpanded(True)
        self.setCurrentWidget(self.identify)


def _short(value) -> str:
    text = value if isinstance(value, str) else json.dumps(_rounded(value), ensure_ascii=False, default=str)
    return text if len(text) <= 200 else text[:200] + "…"


def _rounded(value):
    """``value`` with its floats rounded as the table shows them (a summary is read, not recomputed)."""
    if isinstance(value, float):
        text = rounded(value)
        return float(text.replace(",", "")) if text.replace(",", "").replace(".", "").lstrip("-").isdigit() else value
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value
