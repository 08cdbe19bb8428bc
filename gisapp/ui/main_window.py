"""The main window: map canvas in the centre, docks for layers, attribute table and results, filter bar, menus.

The window wires views to the shared :class:`~.workspace.Workspace` and the
:class:`~.project_controller.ProjectController`; it computes nothing itself.
Files are read in a worker thread and their layers enter the LayerList on the
main thread when the worker returns.
"""

from __future__ import annotations

from pathlib import Path

import pyproj
from PyQt6.QtCore import QSize, Qt, pyqtSignal
from PyQt6.QtGui import QAction, QActionGroup, QKeySequence
from PyQt6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QProgressBar,
    QToolBar,
)

from gisapp.analysis.catalog import methods as declared_methods
from gisapp.layers import Layer, LayerList
from gisapp.layers.errors import GisappError
from gisapp.layers.io import read_layers
from gisapp.layers.io.preview import clean_options, preview_file, wants_preview

from . import dialogs
from .attribute_table import AttributeTable
from .canvas.view import mercator_to_lonlat
from .canvas.widget import MapCanvas
from .editing import Editing
from .filter_bar import FilterBar
from .i18n import LANGUAGES, current_language, install_translator, tr
from .icons import icon
from .import_preview import ImportPreviewDialog
from .layer_panel import LayerPanel
from .project_controller import ProjectController
from .properties_dialog import PropertiesDialog
from .results_panel import ResultsPanel
from .settings import Settings, cache_dir
from .style_dialog import StyleDialog
from .workers import Worker
from .workspace import Workspace


def N_(text: str) -> str:
    """Mark ``text`` for translation (translated where shown)."""
    return text


#: Tooltips of actions whose text alone does not explain them.
TOOLTIPS = {
    "act_zoom_in": N_("Zoom in (Ctrl++ or the mouse wheel)"),
    "act_zoom_out": N_("Zoom out (Ctrl+- or the mouse wheel)"),
    "act_zoom_full": N_("Show every layer"),
    "act_zoom_layer": N_("Show the whole current layer"),
    "act_zoom_selection": N_("Show the selected features"),
    "act_clear_selection": N_("Select nothing"),
    "act_style": N_("Colours, classes and labels of the current layer"),
    "act_properties": N_("Source, coordinate system, reject report and analysis parameters of the current layer"),
    "act_remove": N_("Remove the current layer from the project"),
    "act_table": N_("Open the attribute table of the current layer"),
    "act_about": N_("Version and purpose of gisapp"),
    "act_quit": N_("Close gisapp (asks to save changes)"),
    "act_autosave": N_("How often an unsaved project is copied to the autosave folder"),
}


LAYER_FILTERS = "*.gpkg *.geojson *.json *.shp *.zip *.csv *.txt *.tsv *.xlsx *.xlsm *.xls *.ods"


class MainWindow(QMainWindow):
    """gisapp's main window."""

    loadFinished = pyqtSignal(list)  # layers added by add_layer_files
    loadFailed = pyqtSignal(str)
    languageSwitched = pyqtSignal(object)  # the window built in the new language

    def __init__(self, settings: Settings | None = None, language: str = "en", autosave_dir=None, parent=None,
                 restore_state: bool = True):
        super().__init__(parent)
        self.settings = settings or Settings()
        self.language = language
        self.setObjectName("gisappMainWindow")
        self.setAcceptDrops(True)
        self.workspace = Workspace(parent=self)
        self.canvas = MapCanvas(self.workspace, self)
        self.canvas.setObjectName("mapCanvas")
        self.setCentralWidget(self.canvas)
        self.controller = ProjectController(
            self.workspace, self.settings, view_state=self.canvas.view.state, apply_view=self._apply_view,
            autosave_dir=autosave_dir, parent=self,
        )
        self._loaders: list[Worker] = []
        self._to_crs_cache: tuple = (None, None)

        self.layer_panel = LayerPanel(self.workspace, legend=self.canvas.renderer.legend, error=self.canvas.layer_error)
        self.table = AttributeTable(self.workspace)
        self.results = ResultsPanel(self.workspace)
        self.filter_bar = FilterBar(self.workspace)
        self.layers_dock = self._dock("layersDock", tr("Layers"), self.layer_panel, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.results_dock = self._dock("resultsDock", tr("Results and log"), self.results, Qt.DockWidgetArea.RightDockWidgetArea)
        self.table_dock = self._dock("tableDock", tr("Attribute table"), self.table, Qt.DockWidgetArea.BottomDockWidgetArea)

        self._make_actions()
        self._make_menus()
        self._make_toolbars()
        self._make_status_bar()
        self._connect()
        self._restore_state(restore_state)
        self._restore_basemap()
        self._update_title()
        self.results.log(tr("gisapp started"))

    # ---- construction -------------------------------------------------------------------
    def _dock(self, name: str, title: str, widget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, slot, icon_name: str | None = None, shortcut=None, tip: str | None = None, checkable=False) -> QAction:
        action = QAction(icon(icon_name) if icon_name else icon("blank"), text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.setCheckable(checkable)
        action.triggered.connect(lambda checked=False: slot())
        return action

    def _make_actions(self) -> None:
        a = self._action
        self.act_new = a(tr("&New project"), self.new_project, "new", QKeySequence.StandardKey.New, tr("Start an empty project"))
        self.act_open = a(tr("&Open project…"), self.open_project_dialog, "open", QKeySequence.StandardKey.Open, tr("Open a project GeoPackage"))
        self.act_save = a(tr("&Save"), self.save, "save", QKeySequence.StandardKey.Save, tr("Save the project"))
        self.act_save_as = a(tr("Save &as…"), self.save_as_dialog, "save-as", QKeySequence.StandardKey.SaveAs, tr("Save the project under a new name"))
        self.act_add = a(tr("&Add layer…"), self.add_layer_dialog, "add-layer", "Ctrl+Shift+A", tr("Add a CSV, Excel, GeoJSON, Shapefile or GeoPackage layer"))
        self.act_export = a(tr("&Export selection…"), lambda: self.table._export_dialog(".csv"), "export", None, tr("Write the selected features to CSV or GeoPackage"))
        self.act_screenshot = a(tr("Save map &image…"), self.save_map_image_dialog, "image", None, tr("Save the map as a PNG image"))
        self.act_quit = a(tr("&Quit"), self.close, None, QKeySequence.StandardKey.Quit)
        self.act_pan = a(tr("Pan"), lambda: self.canvas.set_tool("pan"), "pan", "P", tr("Drag to move the map; wheel to zoom"), True)
        self.act_select = a(tr("Select"), lambda: self.canvas.set_tool("select"), "select", "S", tr("Click or drag a box to select features; Ctrl adds"), True)
        self.act_identify = a(tr("Identify"), lambda: self.canvas.set_tool("identify"), "identify", "I", tr("Click a feature to see its attributes"), True)
        tools = QActionGroup(self)
        for act in (self.act_pan, self.act_select, self.act_identify):
            tools.addAction(act)
        self.act_pan.setChecked(True)
        self.act_zoom_in = a(tr("Zoom in"), lambda: self.canvas.zoom_by(2.0), "zoom-in", QKeySequence.StandardKey.ZoomIn)
        self.act_zoom_out = a(tr("Zoom out"), lambda: self.canvas.zoom_by(0.5), "zoom-out", QKeySequence.StandardKey.ZoomOut)
        self.act_zoom_full = a(tr("Zoom to all layers"), self.canvas.zoom_full, "zoom-full", "Ctrl+Shift+F")
        self.act_zoom_layer = a(tr("Zoom to layer"), self._zoom_current, "zoom-layer")
        self.act_zoom_selection = a(tr("Zoom to selection"), self.canvas.zoom_to_selection, "zoom-selection", "Ctrl+J")
        self.act_clear_selection = a(tr("Clear selection"), self.workspace.clear_selection, "clear-selection", "Ctrl+Shift+N")
        self.act_style = a(tr("Style…"), lambda: self.edit_style(self.workspace.current_layer), "style")
        self.act_properties = a(tr("Properties…"), lambda: self.show_properties(self.workspace.current_layer), "properties")
        self.act_remove = a(tr("Remove layer"), lambda: self.remove_layer(self.workspace.current_layer), "remove")
        self.act_table = a(tr("Attribute table"), lambda: self.open_table(self.workspace.current_layer), "table", "F6")
        self.act_about = a(tr("About gisapp"), self.about)
        self.basemap_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        for mode, text in (("none", tr("No basemap")), ("project", tr("Project roads and grids")),
                           ("mbtiles", tr("Local MBTiles file…")), ("xyz", tr("XYZ tile server URL…"))):
            act = QAction(text, self, checkable=True)
            act.triggered.connect(lambda checked=False, mode=mode: self.choose_basemap(mode))
            group.addAction(act)
            self.basemap_actions[mode] = act
        self.language_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        for code, name in LANGUAGES.items():
            act = QAction(name, self, checkable=True)
            act.setChecked(code == self.language)
            act.triggered.connect(lambda checked=False, code=code: self.set_language(code))
            group.addAction(act)
            self.language_actions[code] = act
        self.act_autosave = a(tr("Autosave interval…"), self.choose_autosave_interval)
        self.editing = Editing(self)
        language = current_language()
        self.analysis_actions = {key: a(m.title.get(language), lambda key=key: self.open_analysis(key), None, None, m.summary.get(language))
                                 for key, m in declared_methods().items()}
        self.act_geocode_review = a(tr("Review address matches…"), lambda: self.open_geocode_review(None), "table", None,
                                    tr("Place the rows address matching left out or was unsure of"))
        self.act_charts = a(tr("Charts"), self.show_charts, None, "F7", tr("Hour × weekday, monthly trend, Knox table and evaluation curve for the selection"))
        self.act_briefing = a(tr("Export &briefing…"), self.export_briefing_dialog, "export", "Ctrl+Shift+B", tr("Write an offline HTML briefing of the map"))
        self.act_print = a(tr("&Print map…"), self.print_dialog, "image", QKeySequence.StandardKey.Print, tr("Print the hotspot map to PDF or PNG on A4 or A3"))
        for name, tip in TOOLTIPS.items():
            getattr(self, name).setToolTip(tr(tip))
            getattr(self, name).setStatusTip(tr(tip))

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(tr("&File"))
        for act in (self.act_new, self.act_open):
            file_menu.addAction(act)
        self.recent_menu = file_menu.addMenu(icon("recent"), tr("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addSeparator()
        for act in (self.act_save, self.act_save_as):
            file_menu.addAction(act)
        file_menu.addSeparator()
        for act in (self.act_add, self.act_export, self.act_screenshot):
            file_menu.addAction(act)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        file_menu.insertAction(self.act_quit, self.act_briefing)
        file_menu.insertAction(self.act_quit, self.act_print)
        file_menu.insertSeparator(self.act_quit)
        edit_menu = bar.addMenu(tr("&Edit"))
        tools_menu = QMenu(tr("&Tools"), self)
        self._drawing_toolbar = self.editing.install_menus(edit_menu, tools_menu)
        view_menu = bar.addMenu(tr("&View"))
        for act in (self.act_pan, self.act_select, self.act_identify):
            view_menu.addAction(act)
        view_menu.addSeparator()
        for act in (self.act_zoom_in, self.act_zoom_out, self.act_zoom_full, self.act_zoom_layer, self.act_zoom_selection):
            view_menu.addAction(act)
        view_menu.addSeparator()
        panels = view_menu.addMenu(tr("Panels"))
        for dock in (self.layers_dock, self.table_dock, self.results_dock):
            panels.addAction(dock.toggleViewAction())
        self.panels_menu = panels
        layer_menu = bar.addMenu(tr("&Layer"))
        for act in (self.act_add, self.act_style, self.act_properties, self.act_table, self.act_zoom_layer, self.act_remove):
            layer_menu.addAction(act)
        select_menu = bar.addMenu(tr("&Selection"))
        for act in (self.act_select, self.act_zoom_selection, self.act_clear_selection, self.act_export):
            select_menu.addAction(act)
        bar.addMenu(tools_menu)
        analysis_menu = bar.addMenu(tr("&Analysis"))
        previous = None
        for key, act in self.analysis_actions.items():
            group = declared_methods()[key].group
            if previous is not None and group != previous:  # one section per subject
                analysis_menu.addSeparator()
            analysis_menu.addAction(act)
            previous = group
        analysis_menu.addAction(self.act_geocode_review)
        analysis_menu.addSeparator()
        analysis_menu.addAction(self.act_charts)
        basemap_menu = bar.addMenu(tr("&Basemap"))
        for act in self.basemap_actions.values():
            basemap_menu.addAction(act)
        settings_menu = bar.addMenu(tr("Se&ttings"))
        language_menu = settings_menu.addMenu(tr("Language"))
        for act in self.language_actions.values():
            language_menu.addAction(act)
        settings_menu.addAction(self.act_autosave)
        help_menu = bar.addMenu(tr("&Help"))
        help_menu.addAction(self.act_about)

    def _make_toolbars(self) -> None:
        main = QToolBar(tr("Main toolbar"), self)
        main.setObjectName("mainToolbar")
        main.setIconSize(QSize(22, 22))
        for act in (self.act_new, self.act_open, self.act_save, None, self.act_add, None, self.act_pan, self.act_select,
                    self.act_identify, None, self.act_zoom_in, self.act_zoom_out, self.act_zoom_full, self.act_zoom_layer,
                    self.act_zoom_selection, self.act_clear_selection, None, self.act_table, self.act_style):
            main.addSeparator() if act is None else main.addAction(act)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, main)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self._drawing_toolbar)
        self.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        filters = QToolBar(tr("Filters"), self)
        filters.setObjectName("filterToolbar")
        filters.addWidget(self.filter_bar)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, filters)
        self.main_toolbar, self.filter_toolbar = main, filters
        self.panels_menu.addSeparator()
        self.panels_menu.addAction(main.toggleViewAction())
        self.panels_menu.addAction(filters.toggleViewAction())
        self.panels_menu.addAction(self._drawing_toolbar.toggleViewAction())
        self.panels_menu.addAction(self.editing.camera_dock.toggleViewAction())

    def _make_status_bar(self) -> None:
        bar = self.statusBar()
        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumWidth(120)
        self.busy.setMaximumHeight(14)
        self.busy.hide()
        self.lonlat_label = QLabel(self, objectName="lonlatLabel")
        self.metres_label = QLabel(self, objectName="metresLabel")
        self.scale_label = QLabel(self, objectName="scaleLabel")
        self.selected_label = QLabel(self, objectName="selectedLabel")
        self.basemap_label = QLabel(self, objectName="basemapLabel")
        self.render_label = QLabel(self, objectName="renderLabel")
        for widget, width in ((self.lonlat_label, 190), (self.metres_label, 270), (self.scale_label, 110), (self.selected_label, 90),
                              (self.render_label, 70)):
            widget.setMinimumWidth(width)
        self.metres_label.setToolTip(tr("Cursor position in the analysis coordinate system (metres)"))
        self.render_label.setToolTip(tr("Time the last map drawing took"))
        bar.addWidget(self.busy)
        for widget in (self.lonlat_label, self.metres_label, self.scale_label, self.selected_label, self.basemap_label, self.render_label):
            bar.addPermanentWidget(widget)
        self._update_selected()
        self._update_scale()
        self._set_basemap_state("ok", "")

    def _connect(self) -> None:
        c, w = self.canvas, self.workspace
        c.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        c.customContextMenuRequested.connect(self._feature_menu)
        c.cursorMoved.connect(self._show_cursor)
        c.viewChanged.connect(self._update_scale)
        c.viewChanged.connect(self._show_centre)
        c.rendered.connect(lambda ms: self.render_label.setText(f"{ms:.0f} ms"))
        c.identified.connect(self.results.show_feature)
        c.basemapStatus.connect(self._set_basemap_state)
        c.message.connect(self._status_message)
        w.selectionChanged.connect(lambda layer: self._update_selected())
        w.filterFailed.connect(lambda layer, text: self.results.log(f"{layer.name}: {text}", "warning"))
        w.currentLayerChanged.connect(self._current_changed)
        p = self.layer_panel
        p.zoomRequested.connect(self.canvas.zoom_to_layer)
        p.tableRequested.connect(self.open_table)
        p.geocodeReviewRequested.connect(self.open_geocode_review)
        p.styleRequested.connect(self.edit_style)
        p.propertiesRequested.connect(self.show_properties)
        p.removeRequested.connect(self.remove_layer)
        p.rerunRequested.connect(self.rerun_analysis)
        p.filesDropped.connect(self.import_files)
        p.message.connect(lambda text: dialogs.show_error(self, text))
        self.table.zoomToSelection.connect(self.canvas.zoom_to_selection)
        self.table.message.connect(self._status_message)
        self.filter_bar.applied.connect(lambda ms: self._status_message(tr("Filter applied in {ms:.0f} ms").format(ms=ms)))
        ctl = self.controller
        ctl.dirtyChanged.connect(lambda dirty: self._update_title())
        ctl.pathChanged.connect(lambda path: self._update_title())
        ctl.autosaved.connect(lambda path: self._status_message(tr("Autosaved to {path}").format(path=path)))
        ctl.autosaveFailed.connect(lambda text: self.results.log(tr("Autosave failed: {error}").format(error=text), "error"))
        ctl.saved.connect(lambda path: self.results.log(tr("Saved {path}").format(path=path)))
        self.workspace.reset.connect(self._after_reset)
        self._current_changed(self.workspace.current_layer)

    # ---- window state -------------------------------------------------------------------
    def _restore_state(self, saved: bool) -> None:
        geometry, state = self.settings.window_state() if saved else (None, None)
        self.resize(1440, 900)
        self.resizeDocks([self.layers_dock, self.results_dock], [270, 300], Qt.Orientation.Horizontal)
        self.resizeDocks([self.table_dock], [230], Qt.Orientation.Vertical)
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    def _restore_basemap(self) -> None:
        mode, value = self.settings.basemap()
        try:
            self.canvas.set_basemap(mode if mode in self.basemap_actions else "project", value, cache_dir() / "tiles")
        except GisappError as error:
            self.results.log(tr("Basemap not available: {error}").format(error=error), "warning")
            self.canvas.set_basemap("project")
        self.basemap_actions[self.canvas.basemap_mode].setChecked(True)

    def _update_title(self) -> None:
        imported = self.controller.imported_from
        if self.controller.path is None and imported is not None:
            name = tr("{name} (imported, not saved as a project yet)").format(name=imported.name)
        else:
            name = self.controller.title or tr("Untitled")
        self.setWindowTitle(f"{name}[*] — gisapp")
        self.setWindowModified(self.controller.dirty)

    def _status_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _after_reset(self) -> None:
        self._to_crs_cache = (None, None)

    def _log_opened(self) -> None:
        """Say what was opened once its layers are in (an import adds them after the reset)."""
        n = len(self.workspace.layers)
        imported = self.controller.imported_from
        if self.controller.path is None and imported is not None:
            self.results.log(tr("Imported {name}: {n} layers").format(name=imported.name, n=n))
        else:
            self.results.log(tr("Opened {name}: {n} layers").format(name=self.controller.title or tr("Untitled"), n=n))
        self._update_title()

    def _current_changed(self, layer) -> None:
        for act in (self.act_style, self.act_properties, self.act_remove, self.act_table, self.act_zoom_layer):
            act.setEnabled(layer is not None)

    # ---- status bar ---------------------------------------------------------------------
    def _show_cursor(self, x: float, y: float) -> None:
        lon, lat = mercator_to_lonlat(x, y)
        self.lonlat_label.setText(tr("Lon {lon:.5f}°  Lat {lat:.5f}°").format(lon=float(lon), lat=float(lat)))
        crs = self.controller.analysis_crs()
        if crs is None:
            self.metres_label.setText("")
            return
        if self._to_crs_cache[0] is not crs:
            self._to_crs_cache = (crs, pyproj.Transformer.from_crs(3857, crs, always_xy=True))
        mx, my = self._to_crs_cache[1].transform(x, y)
        code = crs.to_epsg() or ""
        self.metres_label.setText(f"EPSG:{code}  X {mx:,.1f} m  Y {my:,.1f} m")

    def _show_centre(self) -> None:
        if not self.canvas.underMouse():
            self._show_cursor(self.canvas.view.cx, self.canvas.view.cy)

    def _update_scale(self) -> None:
        dpi = self.logicalDpiX() or 96
        self.scale_label.setText(tr("Scale 1:{n:,}").format(n=int(round(self.canvas.view.scale_denominator(dpi), -1))))

    def _update_selected(self) -> None:
        self.selected_label.setText(tr("{n:,} selected").format(n=self.workspace.selected_count()))

    def _set_basemap_state(self, state: str, detail: str) -> None:
        colours = {"ok": "#2e9d3a", "loading": "#d0a000", "offline": "#c62828", "error": "#c62828"}
        names = {"ok": tr("Basemap"), "loading": tr("Basemap loading"), "offline": tr("Basemap offline"), "error": tr("Basemap error")}
        if self.canvas.basemap_mode in ("none", "project") and state == "ok":
            text = tr("Offline basemap") if self.canvas.basemap_mode == "project" else tr("No basemap")
        else:
            text = names.get(state, state)
        self.basemap_label.setText(f"<span style='color:{colours.get(state, '#606060')}'>●</span> {text}")
        self.basemap_label.setToolTip(detail or text)
        self.basemap_state = state
        if state in ("offline", "error") and detail:
            self.results.log(tr("Basemap: {detail}").format(detail=detail), "warning")

    # ---- projects -----------------------------------------------------------------------
    def _apply_view(self, view: dict) -> None:
        """A project's saved view if it shows the data, else the data's extent once the canvas has its size."""
        if not (view and self.canvas.shows_data(view) and self.canvas.set_view_state(view)):
            self.canvas.fit_to_data()

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current project (saved, discarded, or clean)."""
        if not self.controller.dirty:
            return True
        answer = dialogs.ask(self, tr("The project has unsaved changes. Save them?"), buttons=("save", "discard", "cancel"), default="save")
        if answer == "save":
            return self.save()
        return answer == "discard"

    def new_project(self) -> None:
        if self.maybe_save():
            self.controller.close()
            self.controller.new()
            self.controller.timer.start()
            self.results.log(tr("New project"))

    def open_project_dialog(self) -> None:
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(self, tr("Open project"), self._start_folder(), tr("gisapp projects (*.gpkg);;All files (*)"))
        if path:
            self.open_path(path)

    def open_path(self, path, interactive: bool = True, ask_import: bool = True) -> bool:
        """Open a project (or import a plain GeoPackage's layers). Errors go to a dialog; returns success.

        ``interactive=False`` (screenshots, scripts) raises errors instead and never asks;
        ``ask_import=False`` imports a file that is not a project without asking (the user named it).
        """
        path = Path(path)

        def confirm_import(n: int) -> bool:
            if not interactive or not ask_import:
                return True
            question = tr("{name} is not a gisapp project. Import its {n} layers into a new project?").format(name=path.name, n=n)
            return dialogs.ask(self, question) == "yes"

        def confirm_recover(side: Path) -> bool:
            if not interactive:
                return False
            question = tr("gisapp found an autosaved copy of {name} newer than the project, probably left by a crash. Recover it?").format(name=path.name)
            return dialogs.ask(self, question) == "yes"

        self.controller.close()
        try:
            opened = self.controller.open(path, confirm_import=confirm_import, confirm_recover=confirm_recover)
        except GisappError as error:
            if not interactive:
                raise
            dialogs.show_error(self, str(error), tr("Cannot open {name}").format(name=path.name))
            self.results.log(str(error), "error")
            return False
        finally:
            self.controller.timer.start()
        if opened:
            self._log_opened()
            self._report_problems(list(self.workspace.layers), interactive, show_reports=False)
        return opened

    def _start_folder(self) -> str:
        if self.controller.path is not None:
            return str(self.controller.path.parent)
        recent = self.settings.recent_projects()
        return str(Path(recent[0]).parent) if recent else str(Path.home())

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.settings.recent_projects():
            act = self.recent_menu.addAction(path)
            act.triggered.connect(lambda checked=False, path=path: self.maybe_save() and self.open_path(path))
        if not self.recent_menu.actions():
            self.recent_menu.addAction(tr("(none)")).setEnabled(False)

    def save(self) -> bool:
        if self.controller.path is None:
            return self.save_as_dialog()
        return self._save_to(self.controller.path)

    def save_as_dialog(self) -> bool:
        path, _ = QFileDialog.getSaveFileName(self, tr("Save project as"), str(Path(self._start_folder()) / f"{self.controller.title or 'project'}.gpkg"),
                                              tr("gisapp projects (*.gpkg)"))
        return bool(path) and self._save_to(path)

    def _save_to(self, path) -> bool:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.controller.save_as(path)
        except GisappError as error:
            dialogs.show_error(self, str(error), tr("Cannot save"))
            return False
        finally:
            QApplication.restoreOverrideCursor()
        self._status_message(tr("Saved {path}").format(path=self.controller.path))
        return True

    # ---- layers -------------------------------------------------------------------------
    def add_layer_dialog(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, tr("Add layer"), self._start_folder(), tr("Layer files ({patterns})").format(patterns=LAYER_FILTERS))
        if paths:
            self.import_files(paths)

    def import_files(self, paths) -> list[Worker]:
        """Add Layer: vector files load at once; each table is previewed first (see :mod:`.import_preview`).

        A table whose export layout (its set of headers) was imported before
        loads with the choices made then, without the dialog.
        """
        paths = [str(p) for p in paths]
        workers = []
        vectors = [p for p in paths if not wants_preview(p)]
        if vectors:
            workers.append(self.add_layer_files(vectors))
        for path in (p for p in paths if wants_preview(p)):
            self.busy.show()
            worker = Worker(preview_file, path, None)
            worker.signals.returned.connect(self._first_look)
            worker.signals.errored.connect(self._files_failed)
            worker.signals.finished.connect(lambda worker=worker: self._loader_done(worker))
            self._loaders.append(worker)
            workers.append(worker.start())
        return workers

    def _first_look(self, preview) -> ImportPreviewDialog | None:
        remembered = self.settings.import_options(preview.signature)
        if remembered is not None:
            self.results.log(tr("{name}: read with the choices remembered for this export").format(name=Path(preview.path).name))
            if clean_options(remembered) == preview.options and preview.layers:
                self._add_imported(preview.layers, preview.options, preview.signature)
            else:
                self.add_layer_files([preview.path], remembered)
            return None
        return self.preview_import(preview.path, preview=preview)

    def preview_import(self, path, options: dict | None = None, preview=None) -> ImportPreviewDialog:
        """Open the import preview for one table (non-modal); Load adds the layer and remembers the choices."""
        dialog = ImportPreviewDialog(path, options, preview=preview, parent=self)
        dialog.accepted.connect(lambda: self._preview_accepted(dialog))
        dialog.open()
        return dialog

    def _preview_accepted(self, dialog: ImportPreviewDialog) -> None:
        options = dialog.options()
        signature = dialog.preview.signature if dialog.preview is not None else None
        layers = dialog.loaded_layers()
        if layers:
            self._add_imported(layers, options, signature)
        else:
            self.settings.remember_import(signature, options)
            self.add_layer_files([dialog.path], options)

    def _add_imported(self, layers, options: dict, signature: str | None) -> None:
        self.settings.remember_import(signature, options)
        for layer in layers:
            layer.import_options = dict(options)
        self.loadFinished.emit(self.add_layers(layers))

    def add_layer_files(self, paths, options: dict | None = None) -> Worker:
        """Read ``paths`` in a worker (with ``read_layers`` ``options``); their layers are added when it returns (``loadFinished``)."""
        paths = [str(p) for p in paths]
        self.busy.show()
        self._status_message(tr("Reading {names}…").format(names=", ".join(Path(p).name for p in paths)))
        worker = Worker(_read_files, paths, clean_options(options))
        worker.signals.returned.connect(self._files_read)
        worker.signals.errored.connect(self._files_failed)
        worker.signals.finished.connect(lambda: self._loader_done(worker))
        self._loaders.append(worker)
        return worker.start()

    def _loader_done(self, worker: Worker) -> None:
        if worker in self._loaders:
            self._loaders.remove(worker)
        if not self._loaders:
            self.busy.hide()

    def add_layers(self, layers: list[Layer], interactive: bool = True) -> list[Layer]:
        """Add layers already read (a worker's result, an analysis result) and report their problems."""
        added = self.controller.add_layers(layers)
        for layer in added:
            self.results.log(tr("Added {name}: {n:,} features").format(name=layer.name, n=len(layer.data)))
        self._report_problems(added, interactive, show_reports=interactive)
        return added

    def add_result(self, name: str, result) -> Layer:
        """Show an analysis result (``.layer``, ``.summary``, ``.params``) as a result layer; a raster rides along."""
        import json

        params = json.loads(json.dumps({**dict(result.params), "summary": dict(result.summary)}, default=str))
        layer = Layer(self.workspace.layers.unique_name(name), "result", result.layer, source=f"gisapp {name}", params=params)
        if getattr(result, "raster", None) is not None:
            layer.raster = result.raster
        self.add_layers([layer], interactive=False)
        self.results.refresh_results()
        return layer

    def current_filter(self):
        """The incident filter analyses should take (what the map and table show)."""
        return self.workspace.filter

    def _files_read(self, outcome) -> None:
        layers, errors = outcome
        for name, message in errors:
            dialogs.show_error(self, message, tr("Cannot add {name}").format(name=name))
            self.results.log(f"{name}: {message}", "error")
        added = self.add_layers(layers)
        if errors and not added:
            self.loadFailed.emit("; ".join(m for _, m in errors))
        self.loadFinished.emit(added)

    def _files_failed(self, error) -> None:  # an internal error, not a bad file: say so in one sentence
        message = tr("Reading failed: {error}").format(error=f"{type(error).__name__}: {error}")
        dialogs.show_error(self, message)
        self.results.log(message, "error")
        self.loadFailed.emit(message)
        self.loadFinished.emit([])

    def _report_problems(self, layers: list[Layer], interactive: bool, show_reports: bool) -> None:
        """Layers that cannot be drawn, are empty, or lost rows: say so (dialogs only when interactive)."""
        for layer in layers:
            error = self.canvas.layer_error(layer)
            if error:
                text = tr("Layer {name} cannot be shown on the map: {error}").format(name=layer.name, error=error)
                self.results.log(text, "error")
                if interactive:
                    dialogs.show_error(self, text)
            elif len(layer.data) == 0:
                self.results.log(tr("Layer {name} has no features.").format(name=layer.name), "warning")
            report = getattr(layer, "report", None)
            if report is not None and getattr(report, "rows_rejected", 0):
                self.results.log(tr("{name}: {n:,} of {m:,} rows rejected (see Properties ▸ Reject report)").format(
                    name=layer.name, n=report.rows_rejected, m=report.rows_read), "warning")
                if interactive and show_reports:
                    self.show_properties(layer, show_report=True)

    def remove_layer(self, layer: Layer | None) -> None:
        if layer is None or layer not in self.workspace.layers:
            return
        if dialogs.ask(self, tr("Remove the layer {name} from the project?").format(name=layer.name)) == "yes":
            self.workspace.layers.remove(layer)

    def edit_style(self, layer: Layer | None) -> StyleDialog | None:
        if layer is None:
            return None
        dialog = StyleDialog(layer, self)
        dialog.open()
        return dialog

    def show_properties(self, layer: Layer | None, show_report: bool = False) -> PropertiesDialog | None:
        if layer is None:
            return None
        dialog = PropertiesDialog(layer, self.canvas.layer_error(layer), self, show_report=show_report)
        dialog.setObjectName("propertiesDialog")
        dialog.show()
        return dialog

    def open_table(self, layer: Layer | None) -> None:
        self.table_dock.show()
        self.table_dock.raise_()
        if layer is not None:
            self.workspace.set_current(layer)
            self.table.show_layer(layer)

    def _zoom_current(self) -> None:
        layer = self.workspace.current_layer
        if layer is not None:
            self.canvas.zoom_to_layer(layer)

    # ---- analyses, charts, exports ---------------------------------------------------------
    def open_analysis(self, key: str):
        """Show the dialog of analysis ``key`` (see :mod:`gisapp.analysis.catalog`)."""
        from .analysis.dialog import open_analysis_dialog

        return open_analysis_dialog(self, key)

    def rerun_analysis(self, layer: Layer):
        """Open the dialog of the method that made ``layer``, with its recorded parameters and filter (重新运行)."""
        from .analysis.dialog import rerun

        return rerun(self, layer)

    def open_geocode_review(self, layer: Layer | None = None):
        """The review table of an address-matching result (``layer``, the current one, or the newest)."""
        from .geocode_review import open_geocode_review

        review = open_geocode_review(self, layer)
        if review is None:
            self._status_message(tr("No address-matching result to review: run 地址匹配 first"))
        return review

    def show_charts(self):
        from .charts_panel import charts_dock

        return charts_dock(self)

    def export_briefing_dialog(self):
        from .export_dialogs import BriefingDialog

        dialog = BriefingDialog(self)
        dialog.show()
        return dialog

    def print_dialog(self):
        from .export_dialogs import PrintDialog

        dialog = PrintDialog(self)
        dialog.show()
        return dialog

    def _feature_menu(self, point) -> None:
        menu = self.editing.feature_menu(point)
        if menu is not None:
            menu.exec(self.canvas.mapToGlobal(point))
            menu.deleteLater()

    # ---- basemap, language, settings ----------------------------------------------------
    def choose_basemap(self, mode: str) -> None:
        value = ""
        _, old_value = self.settings.basemap()
        if mode == "mbtiles":
            value, _ = QFileDialog.getOpenFileName(self, tr("Choose an MBTiles file"), self._start_folder(), tr("MBTiles (*.mbtiles)"))
            if not value:
                self.basemap_actions[self.canvas.basemap_mode].setChecked(True)
                return
        elif mode == "xyz":
            value, ok = QInputDialog.getText(self, tr("XYZ tile server"), tr("Tile URL with {z}, {x} and {y}, e.g. http://tiles.intranet/{z}/{x}/{y}.png"),
                                             text=old_value if old_value.startswith("http") else "")
            if not ok or not value:
                self.basemap_actions[self.canvas.basemap_mode].setChecked(True)
                return
        self.set_basemap(mode, value)

    def set_basemap(self, mode: str, value: str = "") -> bool:
        try:
            self.canvas.set_basemap(mode, value, cache_dir() / "tiles")
        except GisappError as error:
            dialogs.show_error(self, str(error), tr("Basemap"))
            self.basemap_actions[self.canvas.basemap_mode].setChecked(True)
            return False
        self.settings.set_basemap(mode, value)
        self.basemap_actions[mode].setChecked(True)
        return True

    def set_language(self, language: str) -> MainWindow:
        """Switch the interface language now; returns the window that shows it.

        Every label is translated when its widget is built, so a new window is
        built in the new language and takes over this one's project, filter,
        selection, view and layout (:meth:`take_over`); this one then closes.
        """
        self.settings.set_language(language)
        if language == self.language:
            return self
        install_translator(QApplication.instance(), language)
        successor = MainWindow(self.settings, language, autosave_dir=self.controller.autosave_dir, restore_state=False)
        successor.take_over(self)
        _OPEN_WINDOWS.add(successor)  # whoever made this window holds no reference to the new one
        if self.isVisible():
            successor.show()
        self.workspace.set_layers(LayerList())  # let go of the shared layers before closing
        self.controller.set_dirty(False)  # the changes are the successor's now
        self.close()
        self.deleteLater()
        successor.controller.autosave_if_dirty()  # closing removed this window's autosave file
        successor.results.log(tr("Interface language: {language}").format(language=LANGUAGES[language]))
        self.languageSwitched.emit(successor)
        return successor

    def take_over(self, old: MainWindow) -> None:
        """Show ``old``'s project: the same layers, filter, selection, current layer, view and dock layout."""
        previous = old.workspace
        self.controller.take_over(old.controller, lambda: self.workspace.set_layers(previous.layers, previous.filter))
        for layer in previous.layers:
            if len(rows := previous.selection(layer)):
                self.workspace.select(layer, rows)
        self.workspace.set_current(previous.current_layer)
        self.restoreGeometry(old.saveGeometry())
        self.restoreState(old.saveState())
        if not self.canvas.set_view_state(old.canvas.view.state()):  # exactly what the user was looking at
            self.canvas.fit_to_data()

    def choose_autosave_interval(self) -> None:
        minutes, ok = QInputDialog.getInt(self, tr("Autosave"), tr("Autosave every (minutes):"), self.settings.autosave_minutes(), 1, 120)
        if ok:
            self.settings.set_autosave_minutes(minutes)
            self.controller.timer.start(minutes * 60_000)

    def about(self) -> None:
        from .. import __version__

        dialogs.show_info(self, tr("gisapp {version}\nCrime mapping, hotspot analysis and patrol planning for county public-security analysts.").format(version=__version__), tr("About gisapp"))

    def save_map_image_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Save map image"), str(Path(self._start_folder()) / "map.png"), "PNG (*.png)")
        if path:
            self.canvas.render_map().save(path)

    def screenshot(self, path) -> bool:
        """Render the whole window (off screen works too) to a PNG."""
        return self.grab().save(str(path), "PNG")

    # ---- Qt events ----------------------------------------------------------------------
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    def closeEvent(self, event) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        _OPEN_WINDOWS.discard(self)
        self.settings.save_window_state(self.saveGeometry(), self.saveState())
        self.settings.sync()
        for worker in list(self._loaders):
            worker.cancel()
        from .workers import wait_for_workers

        wait_for_workers()
        self.controller.close()
        if self.canvas.tiles is not None:
            self.canvas.tiles.close()
        event.accept()


#: Windows built by a language switch, kept alive until they close.
_OPEN_WINDOWS: set[MainWindow] = set()


def _read_files(paths: list[str], options: dict | None = None):
    """Worker body: read every file; one file's error does not stop the others."""
    layers, errors = [], []
    for path in paths:
        try:
            read = read_layers(path, **(options or {}))
        except GisappError as error:
            errors.append((Path(path).name, str(error)))
            continue
        for layer in read:
            layer.import_options = dict(options or {})
        layers.extend(read)
    return layers, errors
