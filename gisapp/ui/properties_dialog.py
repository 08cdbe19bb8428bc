"""Layer properties: source, CRS, feature count, bounds, and the reader's reject report."""

from __future__ import annotations

import json

from PyQt6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PyQt6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gisapp.layers import Layer, LoadReport

from .i18n import tr
from .names import KIND_LABELS


class ProblemsModel(QAbstractTableModel):
    """Row number and reason of each rejected (or corrected) row."""

    def __init__(self, problems, parent=None):
        super().__init__(parent)
        self.problems = sorted(problems, key=lambda p: p.row)

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else len(self.problems)

    def columnCount(self, parent=QModelIndex()):
        return 2

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and index.isValid():
            problem = self.problems[index.row()]
            return str(problem.row) if index.column() == 0 else problem.reason
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (tr("Row"), tr("Reason"))[section]
        return None


class PropertiesDialog(QDialog):
    """Tabs: General, Reject report (when the reader rejected or corrected rows), Parameters (results)."""

    def __init__(self, layer: Layer, error: str | None = None, parent=None, show_report: bool = False):
        super().__init__(parent)
        self.layer = layer
        self.setWindowTitle(tr("Properties — {name}").format(name=layer.name))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._general(layer, error), tr("General"))
        report = layer.report if isinstance(layer.report, LoadReport) else None
        if report is not None:
            self.report_tab = self._report(report)
            self.tabs.addTab(self.report_tab, tr("Reject report ({n})").format(n=report.rows_rejected))
            if show_report:
                self.tabs.setCurrentWidget(self.report_tab)
        if layer.params:
            text = QPlainTextEdit(json.dumps(layer.params, ensure_ascii=False, indent=2, default=str), self)
            text.setReadOnly(True)
            self.tabs.addTab(text, tr("Parameters"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(640, 480)

    def _general(self, layer: Layer, error: str | None) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        crs = layer.crs
        crs_text = tr("none") if crs is None else f"{crs.name} ({crs.to_string()})"
        data = layer.data
        bounds = "" if not len(data) else ", ".join(f"{v:.6f}" for v in data.total_bounds)
        rows = [
            (tr("Name"), layer.name),
            (tr("Kind"), tr(KIND_LABELS.get(layer.kind, layer.kind))),
            (tr("Source"), layer.source or tr("(made in gisapp)")),
            (tr("Coordinate system"), crs_text),
            (tr("Features"), f"{len(data):,}"),
            (tr("Columns"), ", ".join(str(c) for c in data.columns if c != data.geometry.name)),
            (tr("Bounds"), bounds),
        ]
        report = layer.report if isinstance(layer.report, LoadReport) else None
        if report is not None:
            rows.append((tr("Rows read / loaded / rejected"), f"{report.rows_read:,} / {report.rows_loaded:,} / {report.rows_rejected:,}"))
            if report.encoding:
                rows.append((tr("Encoding"), report.encoding))
            if report.time_range:
                rows.append((tr("Time range"), " – ".join(report.time_range)))
        if error:
            rows.append((tr("Cannot be shown"), error))
        for label, value in rows:
            text = QLabel(str(value), page)
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, text)
        return page

    def _report(self, report: LoadReport) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(tr("{rejected:,} of {read:,} rows were rejected; every rejected row is listed with its reason.").format(
            rejected=report.rows_rejected, read=report.rows_read), page))
        table = QTableView(page)
        table.setObjectName("rejectTable")
        table.setModel(ProblemsModel(report.rejects, table))
        table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        table.verticalHeader().hide()
        layout.addWidget(table, 2)
        if report.corrections:
            layout.addWidget(QLabel(tr("Corrected rows (loaded after a repair)"), page))
            fixes = QTableView(page)
            fixes.setModel(ProblemsModel(report.corrections, fixes))
            fixes.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
            fixes.verticalHeader().hide()
            layout.addWidget(fixes, 1)
        if report.warnings:
            notes = QPlainTextEdit("\n".join(report.warnings), page)
            notes.setReadOnly(True)
            notes.setMaximumHeight(80)
            layout.addWidget(notes)
        return page
