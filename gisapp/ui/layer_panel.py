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

from .i18n import current_language, tr
from .icons import icon, swatch
from .names import KIND_LABELS, layer_title
from .styles import label_text
from .workspace import Workspace

LAYER_MIME = "application/x-gisapp-layer-rows"
LayerRole = Qt.ItemDataRole.UserRole + 1
_SHAPES = {"incidents": "point", "routes": "line", "roads": "line", "grids": "polygon", "areas": "polygon"}


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


class ResultsGroup:
    """The 分析结果 node: every result layer, top first, under one collapsible row."""


RESULTS_GROUP = ResultsGroup()
#: Internal ids of the model's indexes: a top-level row, a result layer inside the group;
#: a legend entry uses ``id(layer)`` of its layer.
_TOP, _IN_GROUP = 0, 1


class LayerTreeModel(QAbstractItemModel):
    """Layers (top first) with their legend entries as children; results grouped under 分析结果.

    The user's layers are top-level rows. The result layers sit in one group whose row is
    where the topmost result is drawn; inside it they keep their drawing order.
    """

    renameFailed = pyqtSignal(str)
    filesDropped = pyqtSignal(list)

    def __init__(self, workspace: Workspace, legend=None, error=None, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self._legend_of = legend or (lambda layer: [])
        self._error_of = error or (lambda layer: None)
        self._legends: dict[int, list] = {}
        self._top: list = []
        self._results: list[Layer] = []
        self._by_id: dict[int, Layer] = {}
        self._arrange()
        workspace.reset.connect(self._on_structure)
        workspace.layerInserted.connect(lambda layer: self._on_structure())
        workspace.layerRemoved.connect(self._on_removed)
        workspace.layersMoved.connect(self._on_structure)
        workspace.layerChanged.connect(self._on_changed)
        workspace.filterChanged.connect(self._on_filter)

    def _arrange(self) -> None:
        ordered = list(reversed(list(self.workspace.layers)))
        self._results = [layer for layer in ordered if layer.kind == "result"]
        self._top = []
        for layer in ordered:
            if layer.kind != "result":
                self._top.append(layer)
            elif RESULTS_GROUP not in self._top:
                self._top.append(RESULTS_GROUP)
        self._by_id = {id(layer): layer for layer in ordered}

    # ---- structure ----------------------------------------------------------------------
    def flat_layers(self) -> list[Layer]:
        """Every layer, top first (the drawing order read from the top)."""
        return list(reversed(list(self.workspace.layers)))

    def is_group(self, index: QModelIndex) -> bool:
        return index.isValid() and index.internalId() == _TOP and 0 <= index.row() < len(self._top) and self._top[index.row()] is RESULTS_GROUP

    def group_index(self) -> QModelIndex:
        return self.createIndex(self._top.index(RESULTS_GROUP), 0, _TOP) if RESULTS_GROUP in self._top else QModelIndex()

    def layer_at(self, index: QModelIndex) -> Layer | None:
        if not index.isValid():
            return None
        if index.internalId() == _TOP:
            item = self._top[index.row()] if 0 <= index.row() < len(self._top) else None
            return item if isinstance(item, Layer) else None
        if index.internalId() == _IN_GROUP:
            return self._results[index.row()] if 0 <= index.row() < len(self._results) else None
        return self._by_id.get(index.internalId())

    def index_of(self, layer: Layer) -> QModelIndex:
        if layer in self._results:
            return self.createIndex(self._results.index(layer), 0, _IN_GROUP)
        if layer in self._top:
            return self.createIndex(self._top.index(layer), 0, _TOP)
        return QModelIndex()

    def legend(self, layer: Layer) -> list:
        key = id(layer)
        if key not in self._legends:
            entries = [] if self._error_of(layer) else self._legend_of(layer)
            self._legends[key] = entries if len(entries) > 1 or (entries and entries[0].label) else []
        return self._legends[key]

    def _is_layer_row(self, index: QModelIndex) -> bool:
        return index.isValid() and index.internalId() in (_TOP, _IN_GROUP) and self.layer_at(index) is not None

    def index(self, row: int, column: int, parent: QModelIndex = QModelIndex()) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, _TOP) if row < len(self._top) else QModelIndex()
        if self.is_group(parent):
            return self.createIndex(row, 0, _IN_GROUP) if row < len(self._results) else QModelIndex()
        if self._is_layer_row(parent):
            layer = self.layer_at(parent)
            if row < len(self.legend(layer)):
                return self.createIndex(row, 0, id(layer))
        return QModelIndex()

    def parent(self, index: QModelIndex = QModelIndex()) -> QModelIndex:
        if not index.isValid() or index.internalId() == _TOP:
            return QModelIndex()
        if index.internalId() == _IN_GROUP:
            return self.group_index()
        layer = self._by_id.get(index.internalId())
        return self.index_of(layer) if layer is not None else QModelIndex()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        if not parent.isValid():
            return len(self._top)
        if self.is_group(parent):
            return len(self._results)
        if self._is_layer_row(parent):
            return len(self.legend(self.layer_at(parent)))
        return 0

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 1

    # ---- data ---------------------------------------------------------------------------
    def _group_data(self, role: int):
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{tr('Analysis results')} ({len(self._results)})"
        if role == Qt.ItemDataRole.CheckStateRole:
            shown = sum(layer.visible for layer in self._results)
            if shown == len(self._results):
                return Qt.CheckState.Checked
            return Qt.CheckState.Unchecked if shown == 0 else Qt.CheckState.PartiallyChecked
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return tr("The layers analyses made; tick or untick them all here")
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if self.is_group(index):
            return self._group_data(role)
        layer = self.layer_at(index)
        if layer is None:
            return None
        if index.internalId() not in (_TOP, _IN_GROUP):
            entries = self.legend(layer)
            if index.row() >= len(entries):
                return None
            entry = entries[index.row()]
            if role == Qt.ItemDataRole.DisplayRole:
                return label_text(entry.label, current_language(), tr)
            if role == Qt.ItemDataRole.DecorationRole:
                return swatch(entry.color, layer_shape(layer), outline=entry.outline) if entry.color else None
            return None
        error = self._error_of(layer)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if role == Qt.ItemDataRole.EditRole:
                return layer.name
            if layer.kind == "incidents" and self.workspace.mask(layer) is not None:
                return f"{layer_title(layer)}  [{self.workspace.visible_count(layer):,}/{len(layer.data):,}]"
            return layer_title(layer)
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole:
            if error:
                return icon("warning")
            coloured = [entry for entry in self.legend(layer) if entry.color]
            colour = layer.style.get("color", "#808080") if not coloured else coloured[0].color
            return swatch(colour, layer_shape(layer))
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"<b>{layer_title(layer)}</b> ({layer.name})", f"{tr('Kind')}: {tr(KIND_LABELS.get(layer.kind, layer.kind))}",
                     f"{tr('Features')}: {len(layer.data):,}"]
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
        if self.is_group(index) and role == Qt.ItemDataRole.CheckStateRole:
            state = Qt.CheckState(value) if not isinstance(value, bool) else (Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
            for layer in self._results:
                layer.visible = state != Qt.CheckState.Unchecked
            return True
        layer = self.layer_at(index)
        if layer is None or index.internalId() not in (_TOP, _IN_GROUP):
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
        if self.is_group(index):
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDropEnabled
        if index.internalId() not in (_TOP, _IN_GROUP):
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
        flat = self.flat_layers()
        rows = sorted({flat.index(layer) for i in indexes if self._is_layer_row(i) and (layer := self.layer_at(i)) in flat})
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
        self.move_panel_row(rows[0], self._drop_position(row, parent))
        return False  # the move is done; returning False stops the view from removing the source row

    def _drop_position(self, row: int, parent: QModelIndex) -> int:
        """Where a drop lands in the flat top-first order: the layer goes before this position."""
        flat = self.flat_layers()
        if self.is_group(parent):  # between result layers
            if not self._results:
                return len(flat)
            return flat.index(self._results[row]) if 0 <= row < len(self._results) else flat.index(self._results[-1]) + 1
        if parent.isValid():  # dropped onto a layer (or its legend): above it
            layer = self.layer_at(parent if parent.internalId() in (_TOP, _IN_GROUP) else parent.parent())
            return flat.index(layer) if layer in flat else len(flat)
        if row < 0 or row >= len(self._top):
            return len(flat)
        item = self._top[row]
        return flat.index(self._results[0] if item is RESULTS_GROUP else item)

    def move_panel_row(self, source: int, target: int) -> None:
        """Move the layer at ``source`` in the top-first order to sit before position ``target``."""
        n = len(self.workspace.layers)
        if not (0 <= source < n):
            return
        target = max(0, min(target, n))
        if target > source:
            target -= 1
        if target == source:
            return
        # Top-first position r is LayerList index n - 1 - r.
        self.workspace.layers.move(n - 1 - source, n - 1 - target)

    # ---- model events -------------------------------------------------------------------
    def _on_structure(self) -> None:
        """Layers added, removed, moved or replaced: rebuild (a handful of rows; the panel restores expansion)."""
        self.beginResetModel()
        self._arrange()
        live = {id(layer) for layer in self.workspace.layers}
        self._legends = {k: v for k, v in self._legends.items() if k in live}
        self.endResetModel()

    def _on_removed(self, layer: Layer) -> None:
        self._legends.pop(id(layer), None)
        self._on_structure()

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
        if what == "visible" and layer.kind == "result" and self.group_index().isValid():
            self.dataChanged.emit(self.group_index(), self.group_index())

    def _on_filter(self) -> None:
        if self._top:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._top) - 1, 0))


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
        self.model.modelReset.connect(self._restore_expansion)
        # Which legends are open, by layer (absent: the user's layers open, results closed) and the group.
        self._open: dict[int, bool] = {}
        self._group_open = True
        self.tree.expanded.connect(lambda index: self._remember(index, True))
        self.tree.collapsed.connect(lambda index: self._remember(index, False))
        workspace.layerInserted.connect(self._inserted)

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
        self._restore_expansion()
        self._show_current(workspace.current_layer)

    def current_layer(self) -> Layer | None:
        return self.workspace.current_layer

    def _expand_new(self, parent, first, last) -> None:
        layer = self.model.layer_at(parent)
        if layer is not None and self.legend_open(layer):  # a restyled layer's new legend rows
            self.tree.expand(parent)

    def legend_open(self, layer: Layer) -> bool:
        """Whether ``layer``'s legend is shown: the user's layers open, results closed unless opened."""
        return self._open.get(id(layer), layer.kind != "result")

    def _remember(self, index: QModelIndex, shown: bool) -> None:
        if self._restoring:
            return
        if self.model.is_group(index):
            self._group_open = shown
        elif (layer := self.model.layer_at(index)) is not None and index.internalId() in (0, 1):
            self._open[id(layer)] = shown

    _restoring = False

    def _restore_expansion(self) -> None:
        self._restoring = True
        try:
            group = self.model.group_index()
            if group.isValid():
                self.tree.setExpanded(group, self._group_open)
            for layer in self.model.flat_layers():
                self.tree.setExpanded(self.model.index_of(layer), self.legend_open(layer))
        finally:
            self._restoring = False
        self._show_current(self.workspace.current_layer)

    def _inserted(self, layer: Layer) -> None:
        """A new analysis result shows its legend; the older results' legends close (one legend to read)."""
        if layer.kind == "result" and not (layer.params or {}).get("part_of"):
            for other in self.model.flat_layers():
                if other.kind == "result":
                    self._open[id(other)] = other is layer
        self._restore_expansion()

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
