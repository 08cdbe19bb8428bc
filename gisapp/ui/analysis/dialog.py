"""The one analysis dialog: a form built from a :class:`~.registry.MethodSpec`, run in a worker with progress and Cancel.

:class:`AnalysisRun` owns one run: it snapshots the layers and the current
filter on the main thread, runs the spec's ``run`` in a :class:`~..workers.Worker`
and, back on the main thread, adds the result layers (or shows the error in
one sentence). A cancelled run adds nothing.
"""

from __future__ import annotations

import json

from PyQt6.QtCore import QObject, pyqtSignal
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gisapp.analysis.core.result import Cancelled
from gisapp.layers import Layer
from gisapp.layers.errors import GisappError
from gisapp.layers.filters import IncidentFilter

from .. import dialogs
from ..i18n import tr
from ..workers import Worker
from .inputs import WorkspaceInputs
from .registry import MethodSpec, Param


def execute(spec: MethodSpec, inputs: WorkspaceInputs, incident_filter: IncidentFilter, values: dict, progress=None, cancelled=None):
    """Worker body: check the layers the method needs, then run it."""
    for kind in spec.needs:
        inputs.layer(kind, required=True)
    return spec.run(inputs, incident_filter, values, progress=progress, cancelled=cancelled)


class AnalysisRun(QObject):
    """One run of a method for a main window; signals arrive on the main thread."""

    progressed = pyqtSignal(float, str)
    succeeded = pyqtSignal(object)  # the main result Layer
    failed = pyqtSignal(str)
    cancelled = pyqtSignal()
    done = pyqtSignal()

    def __init__(self, window, spec: MethodSpec, values: dict, parent: QObject | None = None):
        super().__init__(parent)
        self.window, self.spec, self.values = window, spec, dict(values)
        self.worker: Worker | None = None
        self.layer: Layer | None = None
        self.running = False

    def start(self) -> AnalysisRun:
        workspace = self.window.workspace
        setting = getattr(getattr(self.window, "controller", None), "analysis_crs_setting", "auto")
        inputs = WorkspaceInputs(list(workspace.layers), analysis_crs=setting or "auto")
        incident_filter = IncidentFilter(**workspace.filter.to_dict())
        self.worker = Worker(execute, self.spec, inputs, incident_filter, self.values)
        signals = self.worker.signals
        signals.progress.connect(self.progressed)
        signals.returned.connect(self._returned)
        signals.errored.connect(self._errored)
        signals.finished.connect(self._finished)
        self.running = True
        self.window.results.log(tr("Running {title}…").format(title=tr(self.spec.title)))
        self.worker.start()
        return self

    def cancel(self) -> None:
        if self.worker is not None and self.running:
            self.worker.cancel()

    def _returned(self, result) -> None:
        if self.worker.is_cancelled:  # finished just as the user cancelled: the user's word wins
            self.cancelled.emit()
            return
        try:
            self.layer = add_result_layers(self.window, self.spec, result)
        except (GisappError, ValueError) as error:
            self.failed.emit(str(error))
            return
        self.succeeded.emit(self.layer)

    def _errored(self, error) -> None:
        if isinstance(error, Cancelled) or (self.worker is not None and self.worker.is_cancelled):
            self.window.results.log(tr("{title} cancelled").format(title=tr(self.spec.title)), "warning")
            self.cancelled.emit()
            return
        if isinstance(error, GisappError):
            message = str(error)
        else:  # an internal error: one sentence, no traceback
            message = tr("{title} failed: {error}").format(title=tr(self.spec.title), error=f"{type(error).__name__}: {error}")
        self.window.results.log(message, "error")
        self.failed.emit(message)

    def _finished(self) -> None:
        self.running = False
        self.done.emit()


def add_result_layers(window, spec: MethodSpec, result) -> Layer:
    """Add ``result`` (and its secondary layers, beneath it) to the window; the main layer carries the summary."""
    result.summary["headline"] = spec.headline(result.summary)
    for name, frame in getattr(result, "extra_layers", {}).items():
        data = frame if frame.crs is not None or result.layer.crs is None else frame.set_crs(result.layer.crs)
        extra = Layer(window.workspace.layers.unique_name(name), "result", data, source=f"gisapp {spec.key}",
                      params={"part_of": spec.layer_name}, style=spec.styles.get(name), visible=name in spec.styles)
        window.add_layers([extra], interactive=False)
    layer = window.add_result(spec.layer_name, result)
    if spec.layer_name in spec.styles:
        layer.style = spec.styles[spec.layer_name]
    window.results.log(f"{tr(spec.title)}: {result.summary['headline']}")
    window.results.setCurrentWidget(window.results.results)
    return layer


class ParamField:
    """A form widget for one :class:`Param`, with ``value()``/``set_value()``."""

    def __init__(self, param: Param, parent: QWidget):
        self.param = param
        p = param
        if p.kind == "bool":
            self.widget = QCheckBox(parent)
        elif p.kind == "choice":
            self.widget = QComboBox(parent)
            for value, label in p.choices:
                self.widget.addItem(tr(label), value)
        elif p.kind == "int":
            self.widget = QSpinBox(parent)
            self.widget.setRange(int(p.minimum), int(min(p.maximum, 2**31 - 1)))
        elif p.kind == "float":
            self.widget = QDoubleSpinBox(parent)
            self.widget.setDecimals(3 if p.maximum <= 1 else 1)
            self.widget.setRange(p.minimum, p.maximum)
        else:  # "auto" and "text": free text, checked by the run function
            self.widget = QLineEdit(parent)
            if p.kind == "auto":
                self.widget.setPlaceholderText(tr("auto or metres"))
        self.widget.setObjectName(f"param_{p.name}")
        self.widget.setToolTip(tr(p.tip))
        self.set_value(p.default)

    def value(self):
        w = self.widget
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, (QSpinBox, QDoubleSpinBox)):
            return w.value()
        return w.text().strip()

    def set_value(self, value) -> None:
        w = self.widget
        if isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QComboBox):
            index = w.findData(value)
            w.setCurrentIndex(max(index, 0))
        elif isinstance(w, QSpinBox):
            w.setValue(int(value))
        elif isinstance(w, QDoubleSpinBox):
            w.setValue(float(value))
        else:
            w.setText(str(value))


class AnalysisDialog(QDialog):
    """Parameters, the current filter, Run / Cancel / Close, a progress bar and the last outcome."""

    finished_run = pyqtSignal(str)  # "ok", "cancelled" or "failed"

    def __init__(self, window, spec: MethodSpec):
        super().__init__(window)
        self.window, self.spec = window, spec
        self.run: AnalysisRun | None = None
        self.setObjectName(f"analysisDialog_{spec.key}")
        self.setWindowTitle(tr(spec.title))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        about = QLabel(tr(spec.description), self)
        about.setWordWrap(True)
        about.setStyleSheet("color:#404040")
        layout.addWidget(about)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.fields: dict[str, ParamField] = {}
        for param in spec.params:
            field = ParamField(param, self)
            self.fields[param.name] = field
            hint = QLabel(tr(param.tip), self)
            hint.setWordWrap(True)
            hint.setStyleSheet("color:#707070; font-size:small")
            box = QVBoxLayout()
            box.setSpacing(1)
            box.addWidget(field.widget)
            box.addWidget(hint)
            label = QLabel(tr(param.label), self)
            label.setToolTip(tr(param.tip))
            form.addRow(label, box)
        layout.addLayout(form)
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

    def values(self) -> dict:
        return {name: field.value() for name, field in self.fields.items()}

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

    def start(self) -> AnalysisRun | None:
        if self.run is not None and self.run.running:
            return self.run
        self.progress.setValue(0)
        self.status.setText(tr("Starting…"))
        self.run = AnalysisRun(self.window, self.spec, self.values(), self)
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
        dialogs.show_error(self, message, tr("{title} failed").format(title=tr(self.spec.title)))
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
    """Show (or raise) the window's dialog for method ``key``."""
    from .registry import method

    dialogs_open = window.__dict__.setdefault("_analysis_dialogs", {})
    dialog = dialogs_open.get(key)
    if dialog is None:
        dialog = AnalysisDialog(window, method(key))
        dialogs_open[key] = dialog
    dialog.show()
    dialog.raise_()
    return dialog
