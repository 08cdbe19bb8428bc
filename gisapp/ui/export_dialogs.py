"""Export dialogs: the HTML briefing (``gisapp.briefing``) and the printed map (``gisapp.printing``).

Both gather the project's layers with the briefing's ``collect_content`` (the
same call ``gisapp brief`` and ``gisapp print`` make, over the workspace's
layers and current filter) and write in a worker; the dialog only collects the
user's choices. The print dialog holds the bureau fields (制图单位, 审核人,
制图日期, scale, data source) with the saved print profile as defaults
(:mod:`gisapp.printing.profile`), and renders a zoomable preview of the page.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PyQt6.QtCore import Qt, QUrl
from PyQt6.QtGui import QDesktopServices, QPainter, QPixmap
from PyQt6.QtWidgets import (
    QCheckBox,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
)

from gisapp.analysis.core.inputs import Inputs
from gisapp.layers.errors import GisappError
from gisapp.layers.filters import IncidentFilter

from . import dialogs
from .i18n import tr
from .workers import Worker


def N_(text: str) -> str:
    return text


#: Layers a briefing or print can hold (MapContent attributes), with their labels.
CONTENT_LAYERS = {
    "incidents": N_("Incidents"),
    "hotspots": N_("Hotspot cells"),
    "zones": N_("Hotspot zones"),
    "grids": N_("Grid cells (网格)"),
    "areas": N_("Areas"),
    "cameras": N_("Cameras"),
    "sectors": N_("Camera coverage"),
    "blind_spots": N_("Blind spots"),
    "routes": N_("Patrol routes"),
    "plan_routes": N_("Planned patrol route"),
    "plan_stops": N_("Planned stops"),
    "roads": N_("Roads"),
    "kde": N_("Density (KDE)"),
    "cluster_hulls": N_("Cluster hulls"),
    "cluster_points": N_("Clustered incidents"),
}
#: Checked when a print dialog opens (the same default as ``gisapp print``).
PRINT_DEFAULT = {"hotspots", "zones", "grids", "areas", "blind_spots", "routes", "plan_routes", "plan_stops", "roads", "kde", "cluster_hulls"}


def gather(layers, incident_filter: IncidentFilter, keep: set[str], crs_setting: str = "auto", source: str | None = None, drop: bool = True):
    """Worker body: ``collect_content`` over the layers (named ``source`` on the page), without the layers the user left out
    (a print keeps them in the content and is told which to draw)."""
    from gisapp.briefing.content import collect_content

    content = collect_content(Inputs.from_layers(layers, crs_setting, title=source or "project"), incident_filter, source=source)
    for name in CONTENT_LAYERS:
        if drop and name not in keep and getattr(content, name, None) is not None:
            setattr(content, name, None)
    return content


def write_briefing_job(layers, incident_filter, keep, out, options, source=None):
    from gisapp.briefing import write_briefing

    content = gather(layers, incident_filter, keep, source=source)
    return write_briefing(content, out, options)


def print_job(layers, incident_filter, keep, out, options, source=None):
    import warnings
    from dataclasses import replace

    from gisapp.printing import FontWarning, render_map

    content = gather(layers, incident_filter, keep, source=source, drop=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FontWarning)  # reported from the result
        return render_map(content, out, replace(options, layers=tuple(name for name in CONTENT_LAYERS if name in keep)))


class ExportDialog(QDialog):
    """Title, layers, output file, Export; subclasses add their options and the job."""

    suffix = ".html"
    file_filter = "HTML (*.html)"

    def __init__(self, window, title: str, default_title: str):
        super().__init__(window)
        self.window = window
        self.worker: Worker | None = None
        self.written = None
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        self.layout_ = QVBoxLayout(self)
        self.form = QFormLayout()
        self.title = QLineEdit(default_title, self, objectName="exportTitle")
        self.title.setToolTip(tr("Title printed at the top"))
        self.form.addRow(tr("Title"), self.title)
        self.layer_list = QListWidget(self, objectName="exportLayers")
        self.layer_list.setToolTip(tr("Layers to include"))
        self.layer_list.setMaximumHeight(150)
        for name, label in CONTENT_LAYERS.items():
            item = QListWidgetItem(tr(label))
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setCheckState(Qt.CheckState.Checked)
            self.layer_list.addItem(item)
        self.form.addRow(tr("Layers"), self.layer_list)
        self.path = QLineEdit(self, objectName="exportPath")
        self.path.setToolTip(tr("File to write"))
        browse = QPushButton(tr("Browse…"), self)
        browse.setToolTip(tr("Choose where to write the file"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.form.addRow(tr("File"), row)
        self.layout_.addLayout(self.form)
        self.progress = QProgressBar(self, objectName="exportProgress")
        self.progress.setRange(0, 1)
        self.status = QLabel(self, objectName="exportStatus")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(self)
        self.export_button = self.buttons.addButton(tr("Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.export_button.setToolTip(tr("Write the file with the current filter"))
        close = self.buttons.addButton(tr("Close"), QDialogButtonBox.ButtonRole.RejectRole)
        self.export_button.clicked.connect(self.export)
        close.clicked.connect(self.close)
        folder = window.controller.path.parent if window.controller.path is not None else Path.home()
        self.path.setText(str(folder / f"{window.controller.title or 'map'}{self.suffix}"))

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.progress)
        self.layout_.addWidget(self.status)
        self.layout_.addWidget(self.buttons)

    def keep(self) -> set[str]:
        return {self.layer_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.layer_list.count())
                if self.layer_list.item(i).checkState() == Qt.CheckState.Checked}

    def set_layers(self, names) -> None:
        for i in range(self.layer_list.count()):
            item = self.layer_list.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in names else Qt.CheckState.Unchecked)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.windowTitle(), self.path.text(), self.file_filter)
        if path:
            self.path.setText(path)

    def snapshot(self):
        return list(self.window.workspace.layers), IncidentFilter(**self.window.workspace.filter.to_dict())

    def source_name(self) -> str:
        """The data source named on the page: the project's file name (not the word 'project')."""
        path = self.window.controller.path
        return path.name if path is not None else (self.window.controller.title or tr("Untitled"))

    def job(self):  # pragma: no cover - subclasses
        raise NotImplementedError

    def export(self) -> Worker | None:
        if self.worker is not None:
            return self.worker
        try:
            fn, args = self.job()
        except GisappError as error:
            dialogs.show_error(self, str(error))
            return None
        self.progress.setRange(0, 0)
        self.status.setText(tr("Writing {path}…").format(path=self.path.text()))
        self.export_button.setEnabled(False)
        self.worker = Worker(fn, *args)
        self.worker.signals.returned.connect(self._done)
        self.worker.signals.errored.connect(self._failed)
        self.worker.signals.finished.connect(self._finished)
        return self.worker.start()

    def _finished(self) -> None:
        self.worker = None
        self.progress.setRange(0, 1)
        self.export_button.setEnabled(True)

    def _failed(self, error) -> None:
        message = str(error) if isinstance(error, GisappError) else tr("Export failed: {error}").format(error=f"{type(error).__name__}: {error}")
        self.status.setText(message)
        self.window.results.log(message, "error")
        dialogs.show_error(self, message)

    def _done(self, result) -> None:
        self.written = result
        path = Path(self.path.text())
        self.status.setText(tr("Wrote {path}").format(path=path))
        self.window.results.log(tr("Wrote {path}").format(path=path))
        if dialogs.ask(self, tr("Wrote {path}. Open it now?").format(path=path.name)) == "yes":
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class BriefingDialog(ExportDialog):
    suffix = ".html"
    file_filter = "HTML (*.html)"

    def __init__(self, window):
        from gisapp.briefing.style import DEFAULT_TITLE

        super().__init__(window, tr("Export briefing"), DEFAULT_TITLE)
        self.setObjectName("briefingDialog")
        self.fields = QLineEdit("category,subcategory,occurred_at", self, objectName="briefingFields")
        self.fields.setToolTip(tr("Incident fields shown in the pop-ups, comma-separated"))
        self.public = QCheckBox(tr("Public version"), self, objectName="briefingPublic")
        self.public.setToolTip(tr("Aggregated layers only: no incident points, no personal data, counts under 3 suppressed"))
        self.form.addRow(tr("Fields"), self.fields)
        self.form.addRow("", self.public)
        self.finish_layout()

    def job(self):
        from gisapp.briefing import BriefingOptions

        layers, incident_filter = self.snapshot()
        fields = [f.strip() for f in self.fields.text().replace("，", ",").split(",") if f.strip()]
        options = BriefingOptions(title=self.title.text().strip() or None, fields=None if self.public.isChecked() else fields or None,
                                  public=self.public.isChecked())
        return write_briefing_job, (layers, incident_filter, self.keep(), Path(self.path.text()), options, self.source_name())


class ZoomablePreview(QGraphicsView):
    """The page preview: fits the view, zooms with the wheel (or the buttons) around the cursor, pans by dragging."""

    STEP = 1.25
    MAX_ZOOM = 8.0

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("printPreview")
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setMinimumSize(520, 380)
        self.setStyleSheet("background:#f0f0f0; border:1px solid #c0c0c0")
        self.item: QGraphicsPixmapItem | None = None
        self.zoom = 1.0

    def show_pixmap(self, pixmap: QPixmap) -> None:
        self.scene().clear()
        self.item = self.scene().addPixmap(pixmap)
        self.item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().setSceneRect(self.item.boundingRect())
        self.fit()

    def pixmap(self) -> QPixmap:
        """The page shown (a null pixmap before the first preview)."""
        return self.item.pixmap() if self.item is not None else QPixmap()

    def fit(self) -> None:
        if self.item is not None:
            self.resetTransform()
            self.fitInView(self.item, Qt.AspectRatioMode.KeepAspectRatio)
            self.zoom = 1.0

    def zoom_by(self, factor: float) -> None:
        if self.item is None:
            return
        factor = max(1.0 / self.zoom, min(factor, self.MAX_ZOOM / self.zoom))  # never smaller than the fitted page
        self.zoom *= factor
        self.scale(factor, factor)

    def wheelEvent(self, event) -> None:
        self.zoom_by(self.STEP if event.angleDelta().y() > 0 else 1 / self.STEP)


#: The preview is drawn at this resolution: 8 pt type stays legible when zoomed to 200 %.
PREVIEW_DPI = 150


class PrintDialog(ExportDialog):
    suffix = ".pdf"
    file_filter = "PDF (*.pdf);;PNG (*.png)"

    def __init__(self, window):
        from gisapp.briefing.style import DEFAULT_CLASSIFICATION, DEFAULT_PRINT_TITLE

        super().__init__(window, tr("Print map"), DEFAULT_PRINT_TITLE)
        self.setObjectName("printDialog")
        self.paper = QComboBox(self, objectName="printPaper")
        for paper in ("A4", "A3"):
            self.paper.addItem(paper, paper)
        self.paper.setToolTip(tr("Paper size"))
        self.orientation = QComboBox(self, objectName="printOrientation")
        self.orientation.addItem(tr("Landscape"), "landscape")
        self.orientation.addItem(tr("Portrait"), "portrait")
        self.orientation.setToolTip(tr("Page orientation"))
        self.classification = QLineEdit(DEFAULT_CLASSIFICATION, self, objectName="printClassification")
        self.classification.setToolTip(tr("Classification line printed on the page (empty: none)"))
        self.form.addRow(tr("Paper"), self.paper)
        self.form.addRow(tr("Orientation"), self.orientation)
        self.form.addRow(tr("Classification"), self.classification)
        self.bureau_fields()
        self.set_layers(PRINT_DEFAULT)
        self.preview = ZoomablePreview(self)
        self.preview_status = QLabel(tr("Preview not drawn yet"), self, objectName="printPreviewStatus")
        self.preview_button = QPushButton(tr("Preview"), self, objectName="printPreviewButton")
        self.preview_button.setToolTip(tr("Draw the page to check the layout; zoom with the wheel, drag to pan"))
        self.preview_button.clicked.connect(self.make_preview)
        zoom_row = QHBoxLayout()
        zoom_row.addWidget(self.preview_button)
        for text, tip, slot in (("+", tr("Zoom in"), lambda: self.preview.zoom_by(ZoomablePreview.STEP)),
                                ("−", tr("Zoom out"), lambda: self.preview.zoom_by(1 / ZoomablePreview.STEP)),
                                (tr("Fit"), tr("Show the whole page"), self.preview.fit)):
            button = QPushButton(text, self)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            zoom_row.addWidget(button)
        zoom_row.addWidget(self.preview_status, 1)
        self.layout_.addWidget(self.preview, 1)
        self.layout_.addLayout(zoom_row)
        self.finish_layout()
        self.resize(760, 900)
        self._preview_worker: Worker | None = None
        self._preview_dir = tempfile.TemporaryDirectory(prefix="gisapp-preview-")

    def bureau_fields(self) -> None:
        """制图单位, 审核人, 制图日期, scale and data source, defaulting to the saved print profile."""
        from gisapp.printing.profile import load_profile

        try:
            profile = load_profile()
        except GisappError as error:
            self.window.results.log(str(error), "warning")
            profile = {}
        self.maker = QLineEdit(str(profile.get("maker", "")), self, objectName="printMaker")
        self.maker.setToolTip(tr("制图单位: the unit that made the map"))
        self.reviewer = QLineEdit(str(profile.get("reviewer", "")), self, objectName="printReviewer")
        self.reviewer.setToolTip(tr("审核人: who checked the map"))
        self.map_date = QLineEdit("", self, objectName="printDate")
        self.map_date.setPlaceholderText(tr("today"))
        self.map_date.setToolTip(tr("制图日期 (empty: today)"))
        self.scale_text = QLineEdit(str(profile.get("scale", "")), self, objectName="printScale")
        self.scale_text.setPlaceholderText(tr("automatic, e.g. 25000 for 1:25,000"))
        self.scale_text.setToolTip(tr("Print at this scale (1:N); empty: the first round scale that shows the hotspots"))
        self.source = QLineEdit(str(profile.get("source", "")), self, objectName="printSource")
        self.source.setPlaceholderText(self.source_name())
        self.source.setToolTip(tr("Data source printed in the footer (empty: the project's file name)"))
        self.save_profile = QCheckBox(tr("Remember these fields for later prints"), self, objectName="printSaveProfile")
        self.save_profile.setChecked(True)
        for key in ("paper", "orientation"):
            combo = getattr(self, key)
            index = combo.findData(profile.get(key))
            if index >= 0:
                combo.setCurrentIndex(index)
        if profile.get("classification"):
            self.classification.setText(str(profile["classification"]))
        for label, widget in ((tr("Made by (制图单位)"), self.maker), (tr("Reviewed by (审核人)"), self.reviewer),
                              (tr("Date (制图日期)"), self.map_date), (tr("Scale 1:"), self.scale_text), (tr("Data source"), self.source)):
            self.form.addRow(label, widget)
        self.form.addRow("", self.save_profile)

    def profile_fields(self) -> dict:
        return {"maker": self.maker.text().strip(), "reviewer": self.reviewer.text().strip(), "source": self.source.text().strip(),
                "classification": self.classification.text().strip(), "paper": self.paper.currentData(),
                "orientation": self.orientation.currentData(), "scale": self.scale_text.text().strip()}

    def options(self, dpi: int = 300):
        from gisapp.commands.print_map import scale_number
        from gisapp.printing import PrintOptions

        return PrintOptions(title=self.title.text().strip(), classification=self.classification.text().strip(),
                            paper=self.paper.currentData(), orientation=self.orientation.currentData(), dpi=dpi,
                            maker=self.maker.text().strip(), reviewer=self.reviewer.text().strip(), map_date=self.map_date.text().strip(),
                            scale=scale_number(self.scale_text.text().strip() or None))

    def job(self):
        from gisapp.printing.profile import save_profile

        layers, incident_filter = self.snapshot()
        options = self.options()
        if self.save_profile.isChecked():
            save_profile(self.profile_fields())
        source = self.source.text().strip() or self.source_name()
        return print_job, (layers, incident_filter, self.keep(), Path(self.path.text()), options, source)

    def make_preview(self) -> Worker:
        layers, incident_filter = self.snapshot()
        out = Path(self._preview_dir.name) / "preview.png"
        self.preview_status.setText(tr("Drawing the preview…"))
        self.preview_button.setEnabled(False)
        try:
            options = self.options(dpi=PREVIEW_DPI)
        except GisappError as error:
            self.preview_status.setText(str(error))
            self.preview_button.setEnabled(True)
            return None
        source = self.source.text().strip() or self.source_name()
        worker = Worker(print_job, layers, incident_filter, self.keep(), out, options, source)
        worker.signals.returned.connect(lambda printed: self._show_preview(out))
        worker.signals.errored.connect(lambda error: self.preview_status.setText(str(error)))
        worker.signals.finished.connect(lambda: self.preview_button.setEnabled(True))
        self._preview_worker = worker
        return worker.start()

    def _show_preview(self, path: Path) -> None:
        self.preview.show_pixmap(QPixmap(str(path)))
        self.preview_status.setText(tr("Wheel or +/− to zoom, drag to pan"))

    def closeEvent(self, event) -> None:
        self._preview_dir.cleanup()
        super().closeEvent(event)
