"""The layer panel: a QAbstractItemModel adapter over the LayerList, and the dock widget around it.

Rows are shown top layer first (the LayerList draws index 0 at the bottom).
Each layer row is checkable (visibility), editable (rename) and draggable
(reorder); its children are the legend entries of a classified style. The
model keeps its own snapshot of the order and updates it inside
begin/end calls, so views never see the list change under them.
"""

from __future__ import annotations

from pathlib import Path

from PyQt6.QtCore import QAbstractItemModel, QByteArray, QMimeData, QModelIndex, Qt, pyqtSignal
from PyQt6.QtGui import QAction, QFont
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QSlider,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from gisapp.layers import Layer

from .i18n import tr
from .icons import icon, swatch
from .styles import N_
from .workspace import Workspace

LAYER_MIME = "application/x-gisapp-layer-rows"
LayerRole = Qt.ItemDataRole.UserRole + 1
_SHAPES = {"incidents": "point", "routes": "line", "roads": "line", "grids": "polygon", "areas": "polygon"}
KIND_LABELS = {
    "incidents": N_("Incidents"),
    "grids": N_("Grid cells"),
    "cameras": N_("Cameras"),
    "routes": N_("Patrol routes"),
    "areas": N_("Areas"),
    "roads": N_("Roads"),
    "result": N_("Analysis result"),
}


def layer_shape(layer: Layer) -> str:
    """How a legend symbol of ``layer`` looks: point, line, polygon or sector."""
    if layer.kind == "cameras":
        return "sector" if layer.style.get("type") == "sector" else "point"
    if layer.kind in _SHAPES:
        return _SHAPES[layer.kind]
    import shapely

    types = set(shapely.get_type_id(layer.data.geometry.values[:200]).tolist()) if len(layer.data) else set()
    if types & {0, 4}:
        return "point"
    if types & {1, 2, 5}:
        return "line"
    return "polygon"


class LayerTreeModel(QAbstractItemModel):
    """Layers (top first) with their legend entries as children."""

    renameFailed = pyqtSignal(str)
    filesDropped = pyqtSignal(list)

    def __init__(self, workspace: Workspace, legend=None, error=None, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self._legend_of = legend or (lambda layer: [])
        self._error_of = error or (lambda layer: None)
        self._rows: list[Layer] = list(reversed(list(workspace.layers)))
        self._by_id: dict[int, Layer] = {id(layer): layer for layer in self._rows}
        self._legends: dict[int, list] = {}
        workspace.reset.connect(self._on_reset)
        workspace.layerInserted.connect(self._on_inserted)
        workspace.layerRemoved.connect(self._on_removed)
        workspace.layersMoved.connect(self._on_moved)
        workspace.layerChanged.connect(self._on_changed)
        workspace.filterChanged.connect(self._on_filter)

    # ---- structure ----------------------------------------------------------------------
    def layer_at(self, index: QModelIndex) -> Layer | None:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            return self._rows[index.row()] if 0 <= index.row() < len(self._rows) else None
        return self._by_id.get(index.internalId())

    def index_of(self, layer: Layer) -> QModelIndex:
        try:
            return self.index(self._rows.index(layer), 0)
        except ValueError:
            return QModelIndex()

    def legend(self, layer: Layer) -> list:
        key = id(layer)
        if key not in self._legends:
            entries = [] if self._error_of(layer) else self._legend_of(layer)
            self._legends[key] = entries if len(entries) > 1 or (entries and entries[0].label) else []
        return self._legends[key]

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(self._rows) else QModelIndex()
        if parent.internalId() == 0:
            layer = self.layer_at(parent)
            if layer is not None and row < len(self.legend(layer)):
                return self.createIndex(row, 0, id(layer))
        return QModelIndex()

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        layer = self._by_id.get(index.internalId())
        return self.index_of(layer) if layer is not None else QModelIndex()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._rows)
        if parent.internalId() == 0:
            layer = self.layer_at(parent)
            return len(self.legend(layer)) if layer is not None else 0
        return 0

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 1

    # ---- data ---------------------------------------------------------------------------
    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        layer = self.layer_at(index)
        if layer is None:
            return None
        if index.internalId() != 0:
            entries = self.legend(layer)
            if index.row() >= len(entries):
                return None
            entry = entries[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return tr(entry.label) if entry.label else ""
            if role == Qt.ItemDataRole.DecorationRole:
                return swatch(entry.color, layer_shape(layer))
            return None
        error = self._error_of(layer)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if role == Qt.ItemDataRole.DisplayRole and layer.kind == "incidents" and self.workspace.mask(layer) is not None:
                return f"{layer.name}  [{self.workspace.visible_count(layer):,}/{len(layer.data):,}]"
            return layer.name
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole:
            if error:
                return icon("warning")
            entries = self.legend(layer)
            colour = layer.style.get("color", "#808080") if not entries else entries[0].color
            return swatch(colour, layer_shape(layer))
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"<b>{layer.name}</b>", f"{tr('Kind')}: {tr(KIND_LABELS.get(layer.kind, layer.kind))}", f"{tr('Features')}: {len(layer.data):,}"]
            if layer.source:
                lines.append(f"{tr('Source')}: {layer.source}")
            if error:
                lines.append(f"<span style='color:#b00'>{tr('Cannot be shown')}: {error}</span>")
            return "<br>".join(lines)
        if role == Qt.ItemDataRole.FontRole and layer is self.workspace.current_layer:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and error:
            from PyQt6.QtGui import QColor

            return QColor("#a00000")
        if role == LayerRole:
            return layer
        return None

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        layer = self.layer_at(index)
        if layer is None or index.internalId() != 0:
            return False
        if role == Qt.ItemDataRole.CheckStateRole:
            layer.visible = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
            return True
        if role == Qt.ItemDataRole.EditRole:
            text = str(value).strip()
            if not text or text == layer.name:
                return False
            try:
                layer.name = text
            except ValueError as error:
                self.renameFailed.emit(tr("Cannot rename the layer: {error}").format(error=error))
                return False
            return True
        return False

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        if index.internalId() != 0:
            return Qt.ItemFlag.ItemIsEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsEditable
            | Qt.ItemFlag.ItemIsDragEnabled
        )

    # ---- drag and drop ------------------------------------------------------------------
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def mimeTypes(self) -> list[str]:
        return [LAYER_MIME, "text/uri-list"]

    def mimeData(self, indexes) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid() and i.internalId() == 0})
        mime = QMimeData()
        mime.setData(LAYER_MIME, QByteArray(",".join(map(str, rows)).encode()))
        return mime

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        return data.hasFormat(LAYER_MIME) or data.hasUrls()

    def dropMimeData(self, data: QMimeData, action, row: int, column: int, parent: QModelIndex) -> bool:
        if data.hasUrls() and not data.hasFormat(LAYER_MIME):
            paths = [url.toLocalFile() for url in data.urls() if url.isLocalFile()]
            if paths:
                self.filesDropped.emit(paths)
            return False
        if not data.hasFormat(LAYER_MIME):
            return False
        rows = [int(r) for r in bytes(data.data(LAYER_MIME)).decode().split(",") if r.strip()]
        if not rows:
            return False
        if parent.isValid():  # dropped onto a layer (or its legend): insert above it
            row = (parent if parent.internalId() == 0 else parent.parent()).row()
        if row < 0:
            row = len(self._rows)
        self.move_panel_row(rows[0], row)
        return False  # the move is done; returning False stops the view from removing the source row

    def move_panel_row(self, source: int, target: int) -> None:
        """Move the layer shown at panel row ``source`` to sit before panel row ``target``."""
        n = len(self._rows)
        if not (0 <= source < n):
            return
        target = max(0, min(target, n))
        if target > source:
            target -= 1
        if target == source:
            return
        # Panel row r is LayerList index n - 1 - r.
        self.workspace.layers.move(n - 1 - source, n - 1 - target)

    # ---- model events -------------------------------------------------------------------
    def _on_reset(self) -> None:
        self.beginResetModel()
        self._rows = list(reversed(list(self.workspace.layers)))
        self._by_id = {id(layer): layer for layer in self._rows}
        self._legends.clear()
        self.endResetModel()

    def _on_inserted(self, layer: Layer) -> None:
        row = len(self.workspace.layers) - 1 - self.workspace.layers.index(layer)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, layer)
        self._by_id[id(layer)] = layer
        self.endInsertRows()

    def _on_removed(self, layer: Layer) -> None:
        if layer not in self._rows:
            return
        row = self._rows.index(layer)
        self.beginRemoveRows(QModelIndex(), row, row)
        self._rows.pop(row)
        self._by_id.pop(id(layer), None)
        self._legends.pop(id(layer), None)
        self.endRemoveRows()

    def _on_moved(self) -> None:
        self.layoutAboutToBeChanged.emit()
        old = self.persistentIndexList()
        layers = [self.layer_at(i) if i.internalId() == 0 else None for i in old]
        self._rows = list(reversed(list(self.workspace.layers)))
        for index, layer in zip(old, layers):
            if layer is not None:
                self.changePersistentIndex(index, self.createIndex(self._rows.index(layer), 0, 0))
        self.layoutChanged.emit()

    def _on_changed(self, layer: Layer, what: str) -> None:
        index = self.index_of(layer)
        if not index.isValid():
            return
        if what in ("style", "data"):
            old = len(self._legends.get(id(layer), []))
            if old:
                self.beginRemoveRows(index, 0, old - 1)
                self._legends[id(layer)] = []
                self.endRemoveRows()
            self._legends.pop(id(layer), None)
            new = len(self.legend(layer))
            if new:
                self._legends.pop(id(layer), None)
                self.beginInsertRows(index, 0, new - 1)
                self.legend(layer)
                self.endInsertRows()
        self.dataChanged.emit(index, index)

    def _on_filter(self) -> None:
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))


class LayerPanel(QWidget):
    """The tree of layers with their legends, an opacity slider and a context menu."""

    zoomRequested = pyqtSignal(object)
    tableRequested = pyqtSignal(object)
    styleRequested = pyqtSignal(object)
    propertiesRequested = pyqtSignal(object)
    removeRequested = pyqtSignal(object)
    rerunRequested = pyqtSignal(object)  # a result layer: open its method's dialog with the recorded values
    geocodeReviewRequested = pyqtSignal(object)
    filesDropped = pyqtSignal(list)
    message = pyqtSignal(str)

    def __init__(self, workspace: Workspace, legend=None, error=None, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.model = LayerTreeModel(workspace, legend, error, self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("layerTree")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setDragEnabled(True)
        self.tree.setAcceptDrops(True)
        self.tree.setDropIndicatorShown(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed | QAbstractItemView.EditTrigger.SelectedClicked)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.setIndentation(16)
        self.tree.setUniformRowHeights(True)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.doubleClicked.connect(self._double_clicked)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.model.renameFailed.connect(self.message)
        self.model.filesDropped.connect(self.filesDropped)
        self.model.rowsInserted.connect(self._expand_new)
        self.model.modelReset.connect(self._expand_all)

        self.opacity_label = QLabel(tr("Opacity"), self)
        self.opacity = QSlider(Qt.Orientation.Horizontal, self)
        self.opacity.setObjectName("layerOpacity")
        self.opacity.setRange(0, 100)
        self.opacity.setToolTip(tr("Opacity of the current layer"))
        self.opacity_value = QLabel("100%", self)
        self.opacity_value.setMinimumWidth(36)
        self.opacity.valueChanged.connect(self._opacity_changed)
        row = QHBoxLayout()
        row.setContentsMargins(6, 2, 6, 4)
        row.addWidget(self.opacity_label)
        row.addWidget(self.opacity, 1)
        row.addWidget(self.opacity_value)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        workspace.currentLayerChanged.connect(self._show_current)
        workspace.layerChanged.connect(self._layer_changed)
        self._expand_all()
        self._show_current(workspace.current_layer)

    def current_layer(self) -> Layer | None:
        return self.workspace.current_layer

    def _expand_new(self, parent, first, last) -> None:
        if not parent.isValid():
            for row in range(first, last + 1):
                self.tree.expand(self.model.index(row, 0))

    def _expand_all(self) -> None:
        for row in range(self.model.rowCount()):
            self.tree.expand(self.model.index(row, 0))

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        layer = self.model.layer_at(current)
        if layer is not None:
            self.workspace.set_current(layer)

    def _show_current(self, layer: Layer | None) -> None:
        index = self.model.index_of(layer) if layer is not None else QModelIndex()
        if index.isValid() and self.tree.currentIndex() != index:
            self.tree.setCurrentIndex(index)
        self.opacity.setEnabled(layer is not None)
        self.opacity.blockSignals(True)
        self.opacity.setValue(int(round((layer.opacity if layer else 1.0) * 100)))
        self.opacity.blockSignals(False)
        self.opacity_value.setText(f"{self.opacity.value()}%")
        self.tree.viewport().update()

    def _layer_changed(self, layer: Layer, what: str) -> None:
        if what == "opacity" and layer is self.workspace.current_layer:
            self._show_current(layer)

    def _opacity_changed(self, value: int) -> None:
        self.opacity_value.setText(f"{value}%")
        layer = self.workspace.current_layer
        if layer is not None:
            layer.opacity = value / 100.0

    def _double_clicked(self, index: QModelIndex) -> None:
        layer = self.model.layer_at(index)
        if layer is not None:
            self.styleRequested.emit(layer)

    def actions_for(self, layer: Layer) -> list[QAction]:
        def action(text, name, signal):
            act = QAction(icon(name), text, self)
            act.triggered.connect(lambda: signal.emit(layer))
            return act

        rename = QAction(icon("rename"), tr("Rename"), self)
        rename.triggered.connect(lambda: self.tree.edit(self.model.index_of(layer)))
        review = []
        if (layer.params or {}).get("method") == "geocode":  # an address-matching result: its review table
            review = [action(tr("Review address matches…"), "table", self.geocodeReviewRequested)]
        actions = [
            *review,
            action(tr("Zoom to layer"), "zoom-layer", self.zoomRequested),
            action(tr("Open attribute table"), "table", self.tableRequested),
            action(tr("Style…"), "style", self.styleRequested),
            action(tr("Properties…"), "properties", self.propertiesRequested),
        ]
        if layer.kind == "result" and (layer.params or {}).get("method"):
            rerun = action(tr("Run again…"), "reset", self.rerunRequested)
            rerun.setObjectName("rerunAction")
            rerun.setToolTip(tr("Open the analysis that made this layer with the same parameters and filter"))
            actions.append(rerun)
        return [*actions, rename, action(tr("Remove layer"), "remove", self.removeRequested)]

    def _context_menu(self, point) -> None:
        layer = self.model.layer_at(self.tree.indexAt(point))
        if layer is None:
            return
        menu = QMenu(self)
        for act in self.actions_for(layer):
            menu.addAction(act)
            if act.text() in (tr("Properties…"), tr("Run again…")):
                menu.addSeparator()
        menu.exec(self.tree.viewport().mapToGlobal(point))
        menu.deleteLater()

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            self.filesDropped.emit([str(Path(p)) for p in paths])
            event.acceptProposedAction()
