"""The one analysis dialog: a form generated from a method's declaration, run in a worker with progress and Cancel.

The form comes from :class:`gisapp.analysis.core.contract.Method` (see
:mod:`.form`); its values become parameters through ``Method.build``, exactly
as the command line's options do. :class:`AnalysisRun` owns one run: it
snapshots the layers and the current filter on the main thread, runs
:func:`gisapp.analysis.core.running.execute` in a :class:`~..workers.Worker`
and, back on the main thread, adds the result layers made by
:func:`gisapp.analysis.core.running.result_layers` (or shows the error in one
sentence). A cancelled run adds nothing. A result layer can be run again from
its recorded parameters and filter (:func:`rerun`).
"""

from __future__ import annotations

import json

from PyQt6.QtCore import QObject, pyqtSignal
from PyQt6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gisapp.analysis.catalog import method as declared_method
from gisapp.analysis.core.contract import Method
from gisapp.analysis.core.inputs import Inputs
from gisapp.analysis.core.result import Cancelled
from gisapp.layers import Layer
from gisapp.layers.errors import GisappError
from gisapp.layers.filters import IncidentFilter

from ...summaries import headline
from .. import dialogs
from ..canvas.view import mercator_to_lonlat
from ..i18n import current_language, tr
from ..tools.pick import PickPointTool
from ..workers import Worker
from .form import ParamField, label_text


def is_place(param) -> bool:
    """A parameter naming a place by longitude,latitude (a ``point``, or text written ``LON,LAT``)."""
    return param.kind == "point" or (param.kind == "text" and (param.metavar or "").upper() == "LON,LAT")


def execute(method: Method, inputs: Inputs, values: dict, progress=None, cancelled=None):
    """Worker body: build the parameters (the CLI's checks), then run the method."""
    from gisapp.analysis.core.running import execute as run_method

    return run_method(method, inputs, method.build(values), progress=progress, cancelled=cancelled)


class AnalysisRun(QObject):
    """One run of a method for a main window; signals arrive on the main thread."""

    progressed = pyqtSignal(float, str)
    succeeded = pyqtSignal(object)  # the main result Layer
    failed = pyqtSignal(str)
    cancelled = pyqtSignal()
    done = pyqtSignal()

    def __init__(self, window, method: Method, values: dict, parent: QObject | None = None):
        super().__init__(parent)
        self.window, self.method, self.values = window, method, dict(values)
        self.worker: Worker | None = None
        self.layer: Layer | None = None
        self.running = False

    def start(self) -> AnalysisRun:
        workspace = self.window.workspace
        setting = getattr(getattr(self.window, "controller", None), "analysis_crs_setting", "auto")
        incident_filter = IncidentFilter(**workspace.filter.to_dict())
        inputs = Inputs.from_layers(list(workspace.layers), analysis_crs=setting or "auto", incident_filter=incident_filter)
        self.worker = Worker(execute, self.method, inputs, self.values)
        signals = self.worker.signals
        signals.progress.connect(self.progressed)
        signals.returned.connect(self._returned)
        signals.errored.connect(self._errored)
        signals.finished.connect(self._finished)
        self.running = True
        self.window.results.log(tr("Running {title}…").format(title=self.method.title.get(current_language())))
        self.worker.start()
        return self

    def cancel(self) -> None:
        if self.worker is not None and self.running:
            self.worker.cancel()

    def _returned(self, result) -> None:
        self.running = False  # the outcome is known: a new run may start before the worker's thread winds down
        if self.worker.is_cancelled:  # finished just as the user cancelled: the user's word wins
            self.cancelled.emit()
            return
        try:
            self.layer = add_result_layers(self.window, self.method, result)
        except (GisappError, ValueError) as error:
            self.failed.emit(str(error))
            return
        self.succeeded.emit(self.layer)

    def _errored(self, error) -> None:
        self.running = False
        if isinstance(error, Cancelled) or (self.worker is not None and self.worker.is_cancelled):
            self.window.results.log(tr("{title} cancelled").format(title=self.method.title.get(current_language())), "warning")
            self.cancelled.emit()
            return
        if isinstance(error, GisappError):
            message = str(error)
        else:  # an internal error: one sentence, no traceback
            message = tr("{title} failed: {error}").format(title=self.method.title.get(current_language()), error=f"{type(error).__name__}: {error}")
        self.window.results.log(message, "error")
        self.failed.emit(message)

    def _finished(self) -> None:
        self.running = False
        self.done.emit()


def add_result_layers(window, method: Method, result) -> Layer:
    """Add ``result``'s layers to the window (extras beneath the main one); the main layer carries the summary."""
    from gisapp.analysis.core.running import result_layers

    result.summary["headline"] = headline(method.key, result.summary, current_language())
    declared = [method.main_layer.name, *getattr(result, "extra_layers", {})]
    names = {name: window.workspace.layers.unique_name(name) for name in declared}
    layers = result_layers(method, result, names)
    main, extras = layers[0], layers[1:]
    if getattr(result, "raster", None) is not None:
        main.raster = result.raster
    if extras:
        window.add_layers(extras, interactive=False)
    window.add_layers([main], interactive=False)
    window.results.refresh_results()
    window.results.log(f"{method.title.get(current_language())}: {result.summary['headline']}")
    window.results.setCurrentWidget(window.results.results)
    return main


class AnalysisDialog(QDialog):
    """Parameters, the current filter, Run / Cancel / Close, a progress bar and the last outcome."""

    finished_run = pyqtSignal(str)  # "ok", "cancelled" or "failed"

    def __init__(self, window, method: Method):
        super().__init__(window)
        self.window, self.method = window, method
        self.run: AnalysisRun | None = None
        language = current_language()
        self.setObjectName(f"analysisDialog_{method.key}")
        self.setWindowTitle(method.title.get(language))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        about = QLabel(method.summary.get(language), self)
        about.setWordWrap(True)
        about.setStyleSheet("color:#404040")
        layout.addWidget(about)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.more = QGroupBox(tr("More options"), self, objectName="moreOptions")
        self.more.setCheckable(True)
        self.more_body = QWidget(self.more)
        QVBoxLayout(self.more).addWidget(self.more_body)
        more_form = QFormLayout(self.more_body)
        self.fields: dict[str, ParamField] = {}
        self.labels: dict[str, QLabel] = {}
        layers = list(window.workspace.layers)
        for param in method.parameters():
            if not param.gui:
                continue
            field = ParamField(param, self, layers)
            field.changed.connect(self._update_applicable)
            self.fields[param.name] = field
            hint = QLabel(param.help.get(language), self)
            hint.setWordWrap(True)
            hint.setStyleSheet("color:#707070; font-size:small")
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(field.widget)
            if is_place(param):  # a place (the patrol's start, a profile's anchor): type it, or click it on the map
                box.addWidget(self._pick_button(field))
            box.addWidget(hint)
            label = QLabel(label_text(param), self)
            label.setToolTip(param.help.get(language))
            self.labels[param.name] = label
            (more_form if param.advanced else form).addRow(label, box)
        layout.addLayout(form)
        if more_form.rowCount():
            self.more.toggled.connect(self._show_more)
            self.more.setChecked(False)
            layout.addWidget(self.more)
        else:
            self.more.hide()
        self._update_applicable()
        self.filter_label = QLabel(self, objectName="filterSummary")
        self.filter_label.setWordWrap(True)
        layout.addWidget(self.filter_label)
        self.progress = QProgressBar(self, objectName="analysisProgress")
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.status = QLabel(self, objectName="analysisStatus")
        self.status.setWordWrap(True)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        self.buttons = QDialogButtonBox(self)
        self.run_button = self.buttons.addButton(tr("Run"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.run_button.setToolTip(tr("Run the analysis on the incidents the current filter keeps"))
        self.cancel_button = self.buttons.addButton(tr("Cancel"), QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setToolTip(tr("Stop the running analysis; nothing is added"))
        self.close_button = self.buttons.addButton(tr("Close"), QDialogButtonBox.ButtonRole.DestructiveRole)
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.close)
        layout.addWidget(self.buttons)
        self._set_running(False)
        self._show_filter()
        window.workspace.filterChanged.connect(self._show_filter)
        self._fit_wrapped_text()

    def _fit_wrapped_text(self) -> None:
        # A dialog sizes itself from its layout's size hint, which ignores how tall word-wrapped
        # hints become at the dialog's width, so the hints were cut in half: ask for that height.
        width = max(self.minimumWidth(), self.sizeHint().width())
        layout = self.layout()
        if layout.hasHeightForWidth():
            self.resize(width, max(self.sizeHint().height(), layout.totalHeightForWidth(width)))

    def _pick_button(self, field: ParamField) -> QPushButton:
        button = QPushButton(tr("Pick on the map"), self, objectName=f"pick_{field.param.name}")
        button.setToolTip(tr("Click the map to set this point; Esc cancels"))
        button.clicked.connect(lambda: self.pick_point(field))
        field.widget.setProperty("pickButton", button)
        return button

    def pick_point(self, field: ParamField) -> PickPointTool:
        """Hand the map's mouse to a pick tool; the clicked place fills ``field`` as longitude,latitude."""
        canvas = self.window.canvas
        hint = tr("Click the map to set {name}; Esc cancels").format(name=field.param.label.get(current_language()))
        tool = PickPointTool(canvas, None, self, hint=hint)
        tool.picked.connect(lambda x, y: self._point_picked(field, x, y))
        canvas.set_map_tool(tool)
        self.window.statusBar().showMessage(hint, 8000)
        self.status.setText(hint)
        return tool

    def _point_picked(self, field: ParamField, x: float, y: float) -> None:
        self.window.canvas.set_map_tool(None)
        lon, lat = mercator_to_lonlat(x, y)
        field.set_value(f"{float(lon):.6f},{float(lat):.6f}")
        self.status.setText("")
        self.raise_()
        self.activateWindow()

    def values(self) -> dict:
        """The raw values of the fields that apply (the others keep their defaults)."""
        current = {name: field.value() for name, field in self.fields.items()}
        return {name: value for name, value in current.items() if self.fields[name].param.applies(current)}

    def _update_applicable(self) -> None:
        current = {name: field.value() for name, field in self.fields.items()}
        for name, field in self.fields.items():
            applies = field.param.applies(current)
            field.widget.setEnabled(applies and not (self.run is not None and self.run.running))
            self.labels[name].setEnabled(applies)

    def _show_more(self, shown: bool) -> None:
        self.more_body.setVisible(shown)
        self._fit_wrapped_text()

    def set_values(self, **values) -> None:
        for name, value in values.items():
            self.fields[name].set_value(value)

    def _show_filter(self) -> None:
        described = self.window.workspace.filter.to_dict()
        shown = {k: v for k, v in described.items() if v not in (None, [], "", ())}
        text = json.dumps(shown, ensure_ascii=False) if shown else tr("none (all incidents)")
        self.filter_label.setText(tr("Filter: {filter}").format(filter=text))

    def _set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        for field in self.fields.values():
            field.widget.setEnabled(not running)
        if not running:
            self._update_applicable()

    def start(self) -> AnalysisRun | None:
        if self.run is not None and self.run.running:
            return self.run
        self.progress.setValue(0)
        self.status.setText(tr("Starting…"))
        self.run = AnalysisRun(self.window, self.method, self.values(), self)
        self.run.progressed.connect(self._progressed)
        self.run.succeeded.connect(self._succeeded)
        self.run.failed.connect(self._failed)
        self.run.cancelled.connect(self._cancelled)
        self.run.done.connect(lambda: self._set_running(False))
        self._set_running(True)
        return self.run.start()

    def cancel(self) -> None:
        if self.run is not None and self.run.running:
            self.status.setText(tr("Cancelling…"))
            self.run.cancel()

    def _progressed(self, fraction: float, message: str) -> None:
        self.progress.setValue(int(round(max(0.0, min(1.0, fraction)) * 1000)))
        if message:
            self.status.setText(message)

    def _succeeded(self, layer: Layer) -> None:
        self._set_running(False)
        self.progress.setValue(1000)
        self.status.setText(tr("Done: {summary}").format(summary=layer.params.get("summary", {}).get("headline", layer.name)))
        self.finished_run.emit("ok")

    def _failed(self, message: str) -> None:
        self._set_running(False)
        self.status.setText(message)
        dialogs.show_error(self, message, tr("{title} failed").format(title=self.method.title.get(current_language())))
        self.finished_run.emit("failed")

    def _cancelled(self) -> None:
        self._set_running(False)
        self.progress.setValue(0)
        self.status.setText(tr("Cancelled: nothing was added."))
        self.finished_run.emit("cancelled")

    def closeEvent(self, event) -> None:
        self.cancel()
        super().closeEvent(event)

    def reject(self) -> None:  # Esc: cancel a run first, close when idle
        if self.run is not None and self.run.running:
            self.cancel()
        else:
            super().reject()


def open_analysis_dialog(window, key: str) -> AnalysisDialog:
    """Show (or raise) the window's dialog for method ``key`` (see :mod:`gisapp.analysis.catalog`)."""
    dialogs_open = window.__dict__.setdefault("_analysis_dialogs", {})
    dialog = dialogs_open.get(key)
    if dialog is None:
        dialog = AnalysisDialog(window, declared_method(key))
        dialogs_open[key] = dialog
    dialog.show()
    dialog.raise_()
    return dialog


def rerun(window, layer: Layer) -> AnalysisDialog | None:
    """Open the dialog of the method that made ``layer``, with its recorded parameters and filter (重新运行)."""
    recorded = layer.params or {}
    key = recorded.get("method")
    try:
        method = declared_method(key)
    except KeyError:
        return None
    window.workspace.set_filter(IncidentFilter.from_dict(recorded.get("filters") or {}))
    dialog = open_analysis_dialog(window, method.key)
    known = {p.name for p in method.parameters() if p.gui}
    dialog.set_values(**{name: value for name, value in (recorded.get("params") or {}).items() if name in known})
    return dialog
