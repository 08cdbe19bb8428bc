"""The attribute table: a QTableView over a layer's GeoDataFrame through a real table model.

The model holds the frame and an array of row positions (those the incident
filter, the text search and "selected only" keep, in sort order). Cells are
read from the frame when the view asks for them; nothing is copied into items.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from PyQt6.QtCore import QAbstractTableModel, QItemSelection, QItemSelectionModel, QModelIndex, Qt, QTimer, pyqtSignal
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gisapp.layers import Layer
from gisapp.layers.errors import GisappError

from .dialogs import show_error
from .export import export_rows
from .i18n import tr
from .icons import icon
from .names import column_label, layer_title
from .workspace import Workspace



class FeatureTableModel(QAbstractTableModel):
    """Rows = positions into ``layer.data`` (filtered, searched, sorted); columns = its columns."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layer: Layer | None = None
        self._frame: pd.DataFrame | None = None
        self._columns: list[str] = []
        self._geometry_column: str | None = None
        self._mask: np.ndarray | None = None
        self._search = ""
        self._only: np.ndarray | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self.rows = np.empty(0, dtype=np.int64)
        self._view_row_of = np.empty(0, dtype=np.int64)

    # ---- configuration ------------------------------------------------------------------
    def set_layer(self, layer: Layer | None, mask: np.ndarray | None = None) -> None:
        self.beginResetModel()
        self.layer = layer
        self._frame = None if layer is None else layer.data
        self._geometry_column = None if layer is None else layer.data.geometry.name
        self._columns = [] if layer is None else [c for c in layer.data.columns if c != self._geometry_column] + [self._geometry_column]
        self._mask, self._search, self._only, self._sort = mask, self._search, None, None
        self._recompute()
        self.endResetModel()

    def set_mask(self, mask: np.ndarray | None) -> None:
        self._mask = mask
        self._refilter()

    def set_search(self, text: str) -> None:
        self._search = text.strip()
        self._refilter()

    def set_only(self, rows: np.ndarray | None) -> None:
        self._only = rows
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        self._recompute()
        self.endResetModel()

    def _recompute(self) -> None:
        frame = self._frame
        if frame is None:
            self.rows = np.empty(0, dtype=np.int64)
            self._view_row_of = self.rows
            return
        keep = np.ones(len(frame), dtype=bool) if self._mask is None else self._mask.copy()
        if self._only is not None:
            only = np.zeros(len(frame), dtype=bool)
            only[self._only] = True
            keep &= only
        if self._search:
            keep &= self._search_mask(frame, self._search)
        rows = np.flatnonzero(keep)
        if self._sort is not None:
            rows = self._sorted(rows, *self._sort)
        self.rows = rows
        self._view_row_of = np.full(len(frame), -1, dtype=np.int64)
        self._view_row_of[rows] = np.arange(rows.size)

    def _search_mask(self, frame: pd.DataFrame, text: str) -> np.ndarray:
        found = np.zeros(len(frame), dtype=bool)
        for column in self._columns[:-1]:
            series = frame[column]
            if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
                series = series.astype("string")
            elif not (pd.api.types.is_string_dtype(series) or series.dtype == object):
                continue
            found |= series.astype("string").str.contains(text, case=False, regex=False).to_numpy(dtype=bool, na_value=False)
        return found

    # ---- Qt model -----------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else int(self.rows.size)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self._frame is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            position = int(self.rows[index.row()])
            column = self._columns[index.column()]
            value = self._frame[column].iat[position]
            return format_cell(value, column == self._geometry_column, role == Qt.ItemDataRole.ToolTipRole)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            column = self._columns[index.column()]
            if column != self._geometry_column and pd.api.types.is_numeric_dtype(self._frame[column]):
                return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            column = self._columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return column_label(column)
            if role == Qt.ItemDataRole.ToolTipRole:
                return column
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole and section < self.rows.size:
            return str(int(self.rows[section]) + 1)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if self._frame is None or not (0 <= column < len(self._columns)):
            return
        self.layoutAboutToBeChanged.emit()
        old_rows = self.rows
        persistent = self.persistentIndexList()
        positions = [int(old_rows[i.row()]) if i.row() < old_rows.size else -1 for i in persistent]
        self._sort = (column, order)
        self.rows = self._sorted(self.rows, column, order)
        self._view_row_of[self.rows] = np.arange(self.rows.size)
        for index, position in zip(persistent, positions):
            new_row = int(self._view_row_of[position]) if position >= 0 else -1
            self.changePersistentIndex(index, self.index(new_row, index.column()) if new_row >= 0 else QModelIndex())
        self.layoutChanged.emit()

    def _sorted(self, rows: np.ndarray, column: int, order: Qt.SortOrder) -> np.ndarray:
        name = self._columns[column]
        if name == self._geometry_column:
            ordered = np.sort(rows)
        else:
            values = self._frame[name].iloc[rows].reset_index(drop=True)
            ordered = rows[values.sort_values(kind="stable", na_position="last").index.to_numpy()]
        return ordered[::-1].copy() if order == Qt.SortOrder.DescendingOrder else ordered

    # ---- positions <-> view rows ----------------------------------------------------------
    def view_rows(self, positions: np.ndarray) -> np.ndarray:
        """View rows of the given frame positions (those not shown are dropped)."""
        if self._view_row_of.size == 0 or positions.size == 0:
            return np.empty(0, dtype=np.int64)
        found = self._view_row_of[positions[(positions >= 0) & (positions < self._view_row_of.size)]]
        return np.sort(found[found >= 0])


def format_cell(value, is_geometry: bool, long: bool) -> str:
    """A cell as the table shows it: geometry as short WKT, times to the second, floats rounded."""
    if is_geometry:
        if value is None or value.is_empty:
            return ""
        if value.geom_type == "Point":
            return f"POINT ({value.x:.6f} {value.y:.6f})"
        text = value.wkt
        return text if long and len(text) < 2000 else f"{value.geom_type} ({len(text):,} B)" if not long else text[:2000] + "…"
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, (float, np.floating)):
        return f"{value:.6g}" if long and abs(value) < 1e6 else rounded(float(value))
    return str(value)


def rounded(value: float) -> str:
    """A number as a table shows it: thousands grouped, 2 decimals from 1, 3 significant digits below 1."""
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


class AttributeTable(QWidget):
    """Table dock content: layer chooser, search, selected-only, export, and the synced table view."""

    zoomToSelection = pyqtSignal()
    message = pyqtSignal(str)

    def __init__(self, workspace: Workspace, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.model = FeatureTableModel(self)
        self._syncing = False

        self.layer_box = QComboBox(self)
        self.layer_box.setObjectName("tableLayer")
        self.layer_box.setMinimumContentsLength(12)
        self.layer_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.search = QLineEdit(self)
        self.search.setObjectName("tableSearch")
        self.search.setPlaceholderText(tr("Search all columns…"))
        self.search.setClearButtonEnabled(True)
        self.search.setMaximumWidth(260)
        self.only_selected = QCheckBox(tr("Selected only"), self)
        self.counts = QLabel(self)
        self.counts.setObjectName("tableCounts")
        zoom = QToolButton(self)
        zoom.setIcon(icon("zoom-selection"))
        zoom.setToolTip(tr("Zoom to selection"))
        zoom.clicked.connect(self.zoomToSelection)
        clear = QToolButton(self)
        clear.setIcon(icon("clear-selection"))
        clear.setToolTip(tr("Clear selection"))
        clear.clicked.connect(self.workspace.clear_selection)
        export = QToolButton(self)
        export.setIcon(icon("export"))
        export.setText(tr("Export selection"))
        export.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        export.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(export)
        menu.addAction(tr("CSV (Excel, UTF-8)…"), lambda: self._export_dialog(".csv"))
        menu.addAction(tr("GeoPackage…"), lambda: self._export_dialog(".gpkg"))
        export.setMenu(menu)

        bar = QHBoxLayout()
        bar.setContentsMargins(4, 4, 4, 2)
        bar.addWidget(QLabel(tr("Layer"), self))
        bar.addWidget(self.layer_box)
        bar.addWidget(self.search)
        bar.addWidget(self.only_selected)
        bar.addWidget(zoom)
        bar.addWidget(clear)
        bar.addWidget(export)
        bar.addStretch(1)
        bar.addWidget(self.counts)

        self.view = QTableView(self)
        self.view.setObjectName("attributeTable")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setWordWrap(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setDefaultSectionSize(120)
        self.view.horizontalHeader().setHighlightSections(False)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.selectionModel().selectionChanged.connect(self._table_selection_changed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)

        self._search_timer = QTimer(self, singleShot=True, interval=250, timeout=self._apply_search)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.only_selected.toggled.connect(self._apply_only)
        self.layer_box.currentIndexChanged.connect(self._layer_chosen)
        workspace.reset.connect(self._fill_layers)
        workspace.layerInserted.connect(lambda layer: self._fill_layers())
        workspace.layerRemoved.connect(lambda layer: self._fill_layers())
        workspace.layerChanged.connect(self._layer_changed)
        workspace.currentLayerChanged.connect(self.show_layer)
        workspace.filterChanged.connect(self._filter_changed)
        workspace.selectionChanged.connect(self._map_selection_changed)
        self._fill_layers()

    # ---- which layer --------------------------------------------------------------------
    def _fill_layers(self) -> None:
        current = self.model.layer
        self.layer_box.blockSignals(True)
        self.layer_box.clear()
        for layer in reversed(list(self.workspace.layers)):
            self.layer_box.addItem(layer_title(layer), layer)
        self.layer_box.blockSignals(False)
        layers = list(self.workspace.layers)
        target = current if current in layers else self.workspace.current_layer
        if target is None and layers:
            target = layers[-1]
        self.show_layer(target, force=current is not target)

    def show_layer(self, layer: Layer | None, force: bool = False) -> None:
        if layer is None or getattr(layer, "raster", None) is not None:
            if force or self.model.layer is not None:
                self.model.set_layer(None)
            self._update_counts()
            return
        index = self.layer_box.findData(layer)
        if index >= 0 and self.layer_box.currentIndex() != index:
            self.layer_box.blockSignals(True)
            self.layer_box.setCurrentIndex(index)
            self.layer_box.blockSignals(False)
        if self.model.layer is layer and not force:
            return
        self.model.set_layer(layer, self.workspace.mask(layer))
        if self.only_selected.isChecked():
            self.model.set_only(self.workspace.selection(layer))
        self.view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.view.horizontalHeader().setResizeContentsPrecision(40)  # look at 40 rows, not a million
        self.view.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            self.view.setColumnWidth(column, min(max(self.view.columnWidth(column), 70), 260))
        self._map_selection_changed(layer)
        self._update_counts()

    def _layer_chosen(self, index: int) -> None:
        layer = self.layer_box.itemData(index)
        if layer is not None:
            self.show_layer(layer)

    def _layer_changed(self, layer: Layer, what: str) -> None:
        if what == "name":
            index = self.layer_box.findData(layer)
            if index >= 0:
                self.layer_box.setItemText(index, layer_title(layer))
        elif what == "data" and layer is self.model.layer:
            self.show_layer(layer, force=True)

    def _filter_changed(self) -> None:
        layer = self.model.layer
        if layer is not None:
            self.model.set_mask(self.workspace.mask(layer))
            self._map_selection_changed(layer)
            self._update_counts()

    def _apply_search(self) -> None:
        self.model.set_search(self.search.text())
        self._map_selection_changed(self.model.layer)
        self._update_counts()

    def _apply_only(self, on: bool) -> None:
        layer = self.model.layer
        self.model.set_only(self.workspace.selection(layer) if on and layer is not None else None)
        self._map_selection_changed(layer)
        self._update_counts()

    def _update_counts(self) -> None:
        layer = self.model.layer
        if layer is None:
            self.counts.setText("")
            return
        selected = len(self.workspace.selection(layer))
        self.counts.setText(
            tr("{shown:,} of {total:,} rows, {selected:,} selected").format(shown=self.model.rowCount(), total=len(layer.data), selected=selected)
        )

    # ---- selection sync -----------------------------------------------------------------
    def selected_positions(self) -> np.ndarray:
        """Frame positions of the rows selected in the table."""
        ranges = self.view.selectionModel().selection()
        parts = [self.model.rows[r.top() : r.bottom() + 1] for r in ranges]
        return np.unique(np.concatenate(parts)) if parts else np.empty(0, dtype=np.int64)

    def _table_selection_changed(self, selected, deselected) -> None:
        if self._syncing or self.model.layer is None:
            return
        layer = self.model.layer
        shown = self.selected_positions()
        # Rows hidden by search or filter keep their selection; only what is shown is decided here.
        hidden = np.setdiff1d(self.workspace.selection(layer), self.model.rows, assume_unique=False)
        self._syncing = True
        try:
            self.workspace.select(layer, np.union1d(hidden, shown), "replace")
        finally:
            self._syncing = False
        self._update_counts()

    def _map_selection_changed(self, layer) -> None:
        if self._syncing or self.model.layer is None or (layer is not None and layer is not self.model.layer):
            return
        if self.only_selected.isChecked():
            self.model.set_only(self.workspace.selection(self.model.layer))
        rows = self.model.view_rows(self.workspace.selection(self.model.layer))
        selection = QItemSelection()
        if rows.size:
            breaks = np.flatnonzero(np.diff(rows) != 1)
            starts = np.concatenate([[rows[0]], rows[breaks + 1]])
            ends = np.concatenate([rows[breaks], [rows[-1]]])
            last = self.model.columnCount() - 1
            for a, b in zip(starts.tolist(), ends.tolist()):
                selection.select(self.model.index(a, 0), self.model.index(b, last))
        self._syncing = True
        try:
            flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
            self.view.selectionModel().select(selection, flags)
            if rows.size:
                self.view.scrollTo(self.model.index(int(rows[0]), 0), QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._syncing = False
        self._update_counts()

    # ---- export -------------------------------------------------------------------------
    def _export_dialog(self, suffix: str) -> None:
        layer = self.model.layer
        if layer is None:
            return
        filters = {".csv": tr("CSV files (*.csv)"), ".gpkg": tr("GeoPackage (*.gpkg)")}
        path, _ = QFileDialog.getSaveFileName(self, tr("Export selection"), f"{layer.name}{suffix}", filters[suffix])
        if path:
            self.export_selection(path)

    def export_selection(self, path) -> bool:
        layer = self.model.layer
        if layer is None:
            return False
        try:
            written = export_rows(layer.data, self.workspace.selection(layer), path)
        except (GisappError, OSError, ValueError) as error:  # one sentence in a dialog, never a traceback
            show_error(self, str(error))
            return False
        self.message.emit(tr("Exported {n:,} features to {path}").format(n=len(self.workspace.selection(layer)), path=written))
        return True
