"""The import preview of Add Layer: what gisapp understood of a table before it is loaded, with the choices to change.

Like QGIS's delimited-text dialog: the header row found, each column's role
(changeable), the file's coordinate system and encoding (changeable), the
first rows as they are in the file, the rows that would be rejected counted
by reason (with the rows themselves), and a small map of where the points
would land. Reading happens in a worker (:func:`gisapp.layers.io.preview.preview_file`);
the dialog computes nothing itself. The choices are remembered per export
layout (the set of header names) in the settings, so next week's export of
the same system loads with no clicks.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PyQt6.QtCore import QPointF, QRectF, Qt, pyqtSignal
from PyQt6.QtGui import QColor, QPainter, QPen
from PyQt6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gisapp.layers.crs import is_local
from gisapp.layers.io.grid import cell_text
from gisapp.layers.io.header_row import row_span
from gisapp.layers.io.preview import Preview, clean_options, preview_file
from gisapp.layers.reproject import is_point_layer, point_coordinates, reproject

from .i18n import tr
from .workers import Worker


def N_(text: str) -> str:
    """Mark ``text`` for translation (translated where shown)."""
    return text


#: Roles offered for a column, in the order of the combo box, with their labels.
ROLES = {
    "": N_("(not used)"),
    "x": N_("Longitude / X"),
    "y": N_("Latitude / Y"),
    "xy": N_("Both coordinates in one column"),
    "occurred_at": N_("Time of occurrence"),
    "date": N_("Date (with a time column)"),
    "time": N_("Time of day (with a date column)"),
    "case_id": N_("Case number"),
    "category": N_("Category"),
    "subcategory": N_("Subcategory"),
    "address": N_("Address"),
    "unit": N_("Police unit"),
    "reporter": N_("Reporter"),
    "status": N_("Status"),
    "description": N_("Description"),
    "grid_id": N_("Grid number"),
    "camera_id": N_("Camera number"),
    "kind": N_("Camera kind"),
    "heading_deg": N_("Heading (°)"),
    "fov_deg": N_("Field of view (°)"),
    "range_m": N_("Range (m)"),
    "name": N_("Name"),
}
CRS_CHOICES = {
    "": N_("detect from the file"),
    "wgs84": N_("WGS 84 (GPS degrees)"),
    "cgcs2000": N_("CGCS2000 degrees"),
    "gcj02": N_("GCJ-02 (Amap, Tencent)"),
    "bd09": N_("BD-09 (Baidu)"),
    "local": N_("local metres (not georeferenced)"),
}
ENCODINGS = {"": N_("detect"), "utf-8": "UTF-8", "gbk": "GBK", "gb18030": "GB18030", "utf-16": "UTF-16"}
KIND_CHOICES = {"": N_("detect"), "incidents": N_("Incidents"), "cameras": N_("Cameras")}
#: China's rough box (lon, lat) drawn behind the points for context.
CHINA_BOX = (73.0, 18.0, 135.0, 54.0)
_SHOWN_REJECTS = 200


class PointsPreview(QWidget):
    """A small map: the points in their own bounds, and an inset of China with a dot where they are."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumSize(260, 220)
        self.setObjectName("importPreviewMap")
        self.x = self.y = np.empty(0)
        self.georeferenced = True

    def set_points(self, x: np.ndarray, y: np.ndarray, georeferenced: bool) -> None:
        self.x, self.y, self.georeferenced = np.asarray(x, float), np.asarray(y, float), georeferenced
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#f4f1ea"))
        area = QRectF(self.rect()).adjusted(8, 8, -8, -24)
        ok = np.isfinite(self.x) & np.isfinite(self.y)
        if not ok.any():
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, tr("No points to show"))
            return
        x, y = self.x[ok], self.y[ok]
        box = _padded_box(x.min(), y.min(), x.max(), y.max())
        painter.setPen(QPen(QColor("#999999"), 1))
        painter.drawRect(area)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(214, 39, 40, 170))
        step = max(1, len(x) // 20000)  # enough dots to see the shape, few enough to paint at once
        for px, py in zip(x[::step], y[::step]):
            painter.drawEllipse(_place(px, py, box, area), 2.0, 2.0)
        painter.setPen(QColor("#333333"))
        caption = (
            tr("{west:.3f}–{east:.3f}°E, {south:.3f}–{north:.3f}°N").format(west=box[0], east=box[2], south=box[1], north=box[3])
            if self.georeferenced else tr("local metres (not georeferenced)")
        )
        painter.drawText(QRectF(8, self.height() - 20, self.width() - 16, 18), Qt.AlignmentFlag.AlignLeft, caption)
        if self.georeferenced:
            self._inset(painter, area, float(np.median(x)), float(np.median(y)))

    def _inset(self, painter: QPainter, area: QRectF, lon: float, lat: float) -> None:
        """China's box in the corner with a dot at the points' centre: where in the country they landed."""
        inset = QRectF(area.right() - 92, area.top() + 4, 88, 52)
        painter.setBrush(QColor(255, 255, 255, 220))
        painter.setPen(QPen(QColor("#666666"), 1))
        painter.drawRect(inset)
        painter.setPen(QColor("#666666"))
        painter.drawText(inset.adjusted(4, 2, -4, -2), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, tr("China"))
        painter.setBrush(QColor("#d62728"))
        painter.setPen(Qt.PenStyle.NoPen)
        centre = _place(min(max(lon, CHINA_BOX[0]), CHINA_BOX[2]), min(max(lat, CHINA_BOX[1]), CHINA_BOX[3]), CHINA_BOX, inset)
        painter.drawEllipse(centre, 3.0, 3.0)


def _padded_box(west, south, east, north):
    span = max(east - west, north - south, 1e-6)
    pad = 0.08 * span
    return west - pad, south - pad, east + pad, north + pad


def _place(x, y, box, area: QRectF) -> QPointF:
    west, south, east, north = box
    scale = min(area.width() / (east - west), area.height() / (north - south))
    left = area.left() + (area.width() - scale * (east - west)) / 2
    top = area.top() + (area.height() - scale * (north - south)) / 2
    return QPointF(left + (x - west) * scale, top + (north - y) * scale)


class ImportPreviewDialog(QDialog):
    """Preview one table file; ``accepted`` means load it with :meth:`options` (or reuse :meth:`loaded_layers`)."""

    previewShown = pyqtSignal(object)  # the Preview shown

    def __init__(self, path, options: dict | None = None, preview: Preview | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("importPreviewDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.path = path
        self.preview: Preview | None = None
        self._worker: Worker | None = None
        self._filling = False
        self._shown_options: dict | None = None
        self.setWindowTitle(tr("Import preview — {name}").format(name=str(path).replace("\\", "/").rsplit("/", 1)[-1]))
        self._build()
        self.resize(980, 640)
        if preview is not None:
            self.show_preview(preview)
        else:
            self._set_options(clean_options(options))
            self.refresh()

    # ---- widgets ------------------------------------------------------------------------
    def _build(self) -> None:
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setObjectName("importSummary")
        # Room for the four lines it holds, so the splitter below never squeezes it.
        self.summary.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 6)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setObjectName("importError")
        self.error.hide()

        self.header_row = QSpinBox(self)
        self.header_row.setRange(0, 200)
        self.header_row.setSpecialValueText(tr("detect"))
        self.sheet = QComboBox(self)
        self.encoding = _combo(self, ENCODINGS)
        self.crs = _combo(self, CRS_CHOICES)
        self.crs.setEditable(True)
        self.crs.setToolTip(tr("The file's own coordinate system: choose one, or type an EPSG code such as EPSG:4544"))
        self.kind = _combo(self, KIND_CHOICES)
        form = QFormLayout()
        form.addRow(tr("Header row"), self.header_row)
        form.addRow(tr("Sheet"), self.sheet)
        form.addRow(tr("Encoding"), self.encoding)
        form.addRow(tr("Coordinate system"), self.crs)
        form.addRow(tr("Layer kind"), self.kind)

        self.roles = QTableWidget(0, 2, self)
        self.roles.setObjectName("importRoles")
        self.roles.setHorizontalHeaderLabels([tr("Column"), tr("Role")])
        self.roles.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.roles.horizontalHeader().setStretchLastSection(True)
        self.roles.verticalHeader().hide()

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(form)
        left_layout.addWidget(self.roles, 1)

        self.rows = QTableWidget(0, 0, self)
        self.rows.setObjectName("importRows")
        self.rejects = QTreeWidget(self)
        self.rejects.setObjectName("importRejects")
        self.rejects.setHeaderLabels([tr("Reason"), tr("Cells in the file")])
        self.map = PointsPreview(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.rows, tr("First rows"))
        self.tabs.addTab(self.rejects, tr("Rejected rows"))

        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(self.tabs)
        right.addWidget(self.map)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 2)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 3)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Load"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Cancel"))
        self.refresh_button = QPushButton(tr("Apply choices"), self)
        self.refresh_button.setToolTip(tr("Read the file again with the choices above"))
        self.buttons.addButton(self.refresh_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.refresh_button.clicked.connect(self.refresh)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addWidget(split, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

    # ---- options ------------------------------------------------------------------------
    def options(self) -> dict:
        """The read_layers keywords chosen in the dialog."""
        columns = {}
        for row in range(self.roles.rowCount()):
            combo = self.roles.cellWidget(row, 1)
            role = combo.currentData() if combo is not None else ""
            if role:
                columns[role] = self.roles.item(row, 0).text()
        crs = self.crs.currentData() if self.crs.currentText() == self.crs.itemText(self.crs.currentIndex()) else self.crs.currentText().strip()
        return clean_options({
            "columns": columns,
            "crs": crs,
            "encoding": self.encoding.currentData(),
            "sheet": self.sheet.currentText() if self.sheet.count() > 1 else None,
            "header_row": self.header_row.value() or None,
            "kind": self.kind.currentData(),
        })

    def loaded_layers(self) -> list:
        """The layers the last preview read, when the choices have not changed since (no second read)."""
        if self.preview is not None and not self.preview.error and self._shown_options == self.options():
            return list(self.preview.layers)
        return []

    def _set_options(self, options: dict) -> None:
        self._filling = True
        try:
            self.header_row.setValue(int(options.get("header_row") or 0))
            _choose(self.encoding, options.get("encoding") or "")
            _choose(self.kind, options.get("kind") or "")
            crs = options.get("crs") or ""
            if not _choose(self.crs, crs):
                self.crs.setEditText(str(crs))
            sheet = options.get("sheet")
            if sheet and self.sheet.findText(str(sheet)) >= 0:
                self.sheet.setCurrentText(str(sheet))
        finally:
            self._filling = False

    # ---- reading ------------------------------------------------------------------------
    def refresh(self) -> Worker:
        """Read the file again with the current choices, in a worker; the result fills the dialog."""
        self.summary.setText(tr("Reading {name}…").format(name=str(self.path)))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        worker = Worker(preview_file, self.path, self.options())
        worker.signals.returned.connect(self.show_preview)
        worker.signals.errored.connect(lambda error: self._show_error(f"{type(error).__name__}: {error}"))
        self._worker = worker
        return worker.start()

    def show_preview(self, preview: Preview) -> None:
        self.preview = preview
        self._fill_choices(preview)
        self._fill_rows(preview)
        layer = preview.layer
        report = layer.report if layer is not None else None
        self._fill_roles(preview.headers, report.columns if report is not None else preview.options.get("columns", {}))
        self._fill_rejects(report)
        self._fill_map(layer)
        self._fill_summary(preview, report)
        if preview.error:
            self._show_error(preview.error)
        else:
            self.error.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(layer is not None)
        self._shown_options = self.options()  # what the widgets say now is what this preview read
        self.previewShown.emit(preview)

    def _show_error(self, message: str) -> None:
        self.error.setText(tr("Cannot load with these choices: {error}").format(error=message))
        self.error.show()

    def _fill_choices(self, preview: Preview) -> None:
        self._filling = True
        try:
            self.sheet.clear()
            self.sheet.addItems(preview.sheets)
            self.sheet.setEnabled(len(preview.sheets) > 1)
            self._set_options(preview.options)
            if not preview.options.get("header_row") and preview.header_row:
                self.header_row.setSpecialValueText(tr("detect (row {n})").format(n=preview.header_row))
        finally:
            self._filling = False

    def _fill_roles(self, headers: list[str], columns: dict) -> None:
        by_header = {header: role for role, header in columns.items()}
        self.roles.setRowCount(len(headers))
        for row, header in enumerate(headers):
            item = QTableWidgetItem(header)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.roles.setItem(row, 0, item)
            combo = _combo(self.roles, ROLES)
            _choose(combo, by_header.get(header, ""))
            self.roles.setCellWidget(row, 1, combo)

    def _fill_rows(self, preview: Preview) -> None:
        self.rows.clear()
        self.rows.setColumnCount(len(preview.headers))
        self.rows.setRowCount(len(preview.rows))
        self.rows.setHorizontalHeaderLabels(preview.headers)
        for r, cells in enumerate(preview.rows):
            for c, value in enumerate(cells):
                self.rows.setItem(r, c, QTableWidgetItem(value))
        self.rows.resizeColumnsToContents()

    def _fill_rejects(self, report) -> None:
        self.rejects.clear()
        if report is None:
            return
        cells = report.rejected_cells
        for kind, count in report.reasons.items():
            group = QTreeWidgetItem([tr(KIND_LABELS.get(kind, kind)), f"{count:,}"])
            self.rejects.addTopLevelItem(group)
            for problem in [p for p in sorted(report.rejects, key=lambda p: p.row) if p.kind == kind][:_SHOWN_REJECTS]:
                raw = ""
                if cells is not None and problem.row in cells.index:
                    values = cells.loc[problem.row].drop(["reject_kind", "reject_reason"], errors="ignore")
                    raw = " | ".join(cell_text(v) if not _missing(v) else "" for v in values.tolist())
                child = QTreeWidgetItem([tr("row {n}: {reason}").format(n=problem.row, reason=problem.reason), raw])
                group.addChild(child)
        self.rejects.expandAll()
        self.rejects.resizeColumnToContents(0)
        self.tabs.setTabText(1, tr("Rejected rows ({n:,})").format(n=report.rows_rejected))

    def _fill_map(self, layer) -> None:
        if layer is None or not len(layer.data) or not is_point_layer(layer.data):
            self.map.set_points(np.empty(0), np.empty(0), True)
            return
        if is_local(layer.crs):
            self.map.set_points(*point_coordinates(layer.data), False)
        else:
            self.map.set_points(*point_coordinates(reproject(layer.data, 4326)), True)

    def _fill_summary(self, preview: Preview, report) -> None:
        lines = []
        if report is not None:
            note = report.header_note or {}
            if note:
                lines.append(tr("Header on row {n}").format(n=report.header_row) + (
                    tr("; title rows {rows} skipped").format(rows=row_span(report.skipped_rows)) if report.skipped_rows else ""))
            lines.append(tr("{loaded:,} of {read:,} rows load; {rejected:,} rejected; {untimed:,} without a time").format(
                loaded=report.rows_loaded, read=report.rows_read, rejected=report.rows_rejected, untimed=report.rows_without_time))
            decision = report.coordinates or {}
            order = tr(ORDERS.get(decision.get("order", ""), decision.get("order", "")))
            zone = tr(", zone {zone} ({width}°)").format(zone=decision["zone"], width=decision["zone_width"]) if decision.get("zone") else ""
            lines.append(tr("Coordinates: {crs}, {order}").format(crs=decision.get("crs_name") or report.crs, order=order) + zone)
            if not report.georeferenced:
                lines.append(tr("The positions are in local metres: they are not georeferenced and show on no basemap."))
            if report.encoding:
                lines.append(tr("Encoding: {encoding}").format(encoding=report.encoding))
        elif preview.header_row:
            lines.append(tr("Header on row {n}").format(n=preview.header_row))
        self.summary.setText("\n".join(lines))


#: The axis orders of the load report's coordinate decision.
ORDERS = {
    "x=longitude": N_("x = longitude"),
    "x=easting (GIS)": N_("x = easting (GIS order)"),
    "surveying (X=northing)": N_("surveying order (X = northing), swapped"),
}
#: Labels of the reject kinds (gisapp.layers.report.REASON_KINDS), for the rejected-rows tab.
KIND_LABELS = {
    "no_coordinates": N_("No coordinates (kept for address matching)"),
    "bad_coordinates": N_("Unreadable or impossible coordinates"),
    "zero_coordinates": N_("Placeholder coordinates (0, 0)"),
    "outside_area": N_("Outside the coordinate system's area or China"),
    "summary_row": N_("Total, subtotal or signature rows"),
    "invalid_geometry": N_("Invalid geometry"),
    "no_geometry": N_("No geometry"),
    "wrong_geometry": N_("Wrong geometry type"),
    "ragged_row": N_("Wrong number of fields"),
    "undecodable": N_("Bytes in another encoding"),
    "other": N_("Other"),
}


def _missing(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _combo(parent, choices: dict) -> QComboBox:
    combo = QComboBox(parent)
    for value, label in choices.items():
        combo.addItem(tr(label), value)
    return combo


def _choose(combo: QComboBox, value) -> bool:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
        return True
    return False
