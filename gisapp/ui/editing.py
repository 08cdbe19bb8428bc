"""Editing for the main window: the undo stack, the drawing tools and their toolbar, Delete, and the map's context menu.

Kept out of ``main_window.py`` so that the window stays readable: ``install``
adds the actions to menus the window made, and the tools edit layers only
through undoable commands (:mod:`.tools.edits`).
"""

from __future__ import annotations

from PyQt6.QtCore import QSize, Qt
from PyQt6.QtGui import QAction, QActionGroup, QKeySequence, QUndoStack
from PyQt6.QtWidgets import QDockWidget, QMenu, QToolBar

from .i18n import tr
from .icons import icon
from .tools import TOOLS
from .tools.camera import CameraPanel
from .tools.edits import SetLayerDataCommand, without_rows


def N_(text: str) -> str:
    return text


#: Types of the areas the area tool draws (the ``area_type`` values of the areas layer).
AREA_TYPES = {"market": N_("Market (市场)"), "urban_fringe": N_("Urban fringe (城乡结合部)"), "school": N_("School"),
              "study_area": N_("Study area")}
EDITABLE_KINDS = ("routes", "cameras", "areas", "incidents", "grids", "roads")


class Editing:
    """The window's undo stack and drawing tools."""

    def __init__(self, window):
        self.window = window
        self.undo_stack = QUndoStack(window)
        self.tools = {name: cls(window.canvas, self.undo_stack, window) for name, cls in TOOLS.items()}
        for tool in self.tools.values():
            tool.message.connect(window._status_message)
            tool.committed.connect(lambda layer, row: window.workspace.set_current(layer))
        window.workspace.reset.connect(self.undo_stack.clear)  # another project: old edits point at old layers
        window.canvas.toolCancelled.connect(lambda: window.act_pan.trigger())
        self._make_actions()
        self._make_camera_dock()

    def _make_actions(self) -> None:
        w = self.window
        self.act_undo = self.undo_stack.createUndoAction(w, tr("&Undo"))
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_undo.setToolTip(tr("Undo the last edit (Ctrl+Z)"))
        self.act_redo = self.undo_stack.createRedoAction(w, tr("&Redo"))
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.act_redo.setToolTip(tr("Redo the edit just undone (Ctrl+Y)"))
        self.act_delete = w._action(tr("Delete selected features"), self.delete_selection, "remove", QKeySequence.StandardKey.Delete,
                                    tr("Delete the selected routes, cameras or areas (undoable)"))
        specs = {
            "route": (tr("Draw patrol route"), "R", tr("Click vertices, double-click to finish; drag a vertex to move it, right-click deletes it")),
            "camera": (tr("Place camera"), "C", tr("Click to place a camera, drag to set its heading")),
            "area": (tr("Draw area"), "A", tr("Draw a market, urban-fringe or study-area polygon")),
            "measure": (tr("Measure"), "M", tr("Measure a distance, or an area with three or more points")),
        }
        self.tool_actions: dict[str, QAction] = {}
        group = w.act_pan.actionGroup()
        for name, (text, key, tip) in specs.items():
            act = w._action(text, lambda name=name: self.activate(name), None, key, tip, checkable=True)
            group.addAction(act)
            self.tool_actions[name] = act
        for act in (w.act_pan, w.act_select, w.act_identify):
            act.triggered.connect(lambda checked=False: self.window.canvas.set_map_tool(None))
        self.act_snap = w._action(tr("Snap routes to roads"), self._snap_changed, None, None,
                                  tr("Route between clicks along the road network"), checkable=True)
        self.area_type_actions: dict[str, QAction] = {}
        types = QActionGroup(w)
        for value, label in AREA_TYPES.items():
            act = w._action(tr(label), lambda value=value: self.set_area_type(value), None, None,
                            tr("Areas drawn next get this type"), checkable=True)
            types.addAction(act)
            self.area_type_actions[value] = act
        self.area_type_actions["study_area"].setChecked(True)

    def _make_camera_dock(self) -> None:
        w = self.window
        self.camera_panel = CameraPanel(self.tools["camera"])
        self.camera_dock = QDockWidget(tr("Camera"), w)
        self.camera_dock.setObjectName("cameraDock")
        self.camera_dock.setWidget(self.camera_panel)
        w.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.camera_dock)
        self.camera_dock.hide()

    def install_menus(self, edit_menu: QMenu, tools_menu: QMenu) -> QToolBar:
        for act in (self.act_undo, self.act_redo, None, self.act_delete):
            edit_menu.addSeparator() if act is None else edit_menu.addAction(act)
        for act in (*self.tool_actions.values(), None, self.act_snap):
            tools_menu.addSeparator() if act is None else tools_menu.addAction(act)
        area_menu = tools_menu.addMenu(tr("Area type"))
        for act in self.area_type_actions.values():
            area_menu.addAction(act)
        bar = QToolBar(tr("Drawing"), self.window)
        bar.setObjectName("drawingToolbar")
        bar.setIconSize(QSize(22, 22))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # the stack's actions rename themselves ("Undo Draw route"); the toolbar keeps short, fixed labels
        self.undo_button = self.window._action(tr("&Undo"), self.undo_stack.undo, None, None, tr("Undo the last edit (Ctrl+Z)"))
        self.redo_button = self.window._action(tr("&Redo"), self.undo_stack.redo, None, None, tr("Redo the edit just undone (Ctrl+Y)"))
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)
        self.undo_stack.canUndoChanged.connect(self.undo_button.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_button.setEnabled)
        for act in (self.undo_button, self.redo_button, None, *self.tool_actions.values(), self.act_snap):
            bar.addSeparator() if act is None else bar.addAction(act)
        self.toolbar = bar
        return bar

    def activate(self, name: str):
        tool = self.tools[name]
        self.window.canvas.set_map_tool(tool)
        self.tool_actions[name].setChecked(True)
        self.camera_dock.setVisible(name == "camera")
        self.window._status_message(tool.hint())
        return tool

    def set_area_type(self, value: str) -> None:
        self.tools["area"].area_type = value
        self.area_type_actions[value].setChecked(True)

    def _snap_changed(self) -> None:
        self.tools["route"].snap_to_roads = self.act_snap.isChecked()

    def delete_selection(self) -> int:
        """Delete the selected features of editable layers as one undoable step; returns how many."""
        workspace = self.window.workspace
        targets = [(layer, workspace.selection(layer)) for layer in workspace.layers if layer.kind in EDITABLE_KINDS]
        targets = [(layer, rows) for layer, rows in targets if len(rows)]
        if not targets:
            return 0
        self.undo_stack.beginMacro(tr("Delete features"))
        for layer, rows in targets:
            self.undo_stack.push(SetLayerDataCommand(layer, without_rows(layer.data, rows), tr("Delete features")))
        self.undo_stack.endMacro()
        return sum(len(rows) for _, rows in targets)

    def feature_menu(self, point) -> QMenu | None:
        """The right-click menu of the feature under ``point`` (None: nothing there or a tool owns the click)."""
        canvas = self.window.canvas
        if canvas.map_tool is not None:
            return None
        from PyQt6.QtCore import QPointF

        pos = QPointF(point)
        layer = canvas.target_layer()
        row = canvas.feature_at(layer, pos) if layer is not None else None
        menu = QMenu(canvas)
        if layer is not None and row is not None:
            workspace = self.window.workspace
            if row not in set(workspace.selection(layer).tolist()):
                workspace.select(layer, [row])
            menu.addAction(icon("identify"), tr("Identify"), lambda: canvas.identify_at(pos))
            menu.addAction(icon("zoom-selection"), tr("Zoom to feature"), canvas.zoom_to_selection)
            menu.addAction(tr("Charts for the selection"), self.window.show_charts)
            if layer.kind in EDITABLE_KINDS:
                menu.addSeparator()
                menu.addAction(icon("remove"), tr("Delete feature"), self.delete_selection)
        else:
            menu.addAction(icon("zoom-full"), tr("Zoom to all layers"), canvas.zoom_full)
            menu.addAction(icon("clear-selection"), tr("Clear selection"), self.window.workspace.clear_selection)
        return menu
