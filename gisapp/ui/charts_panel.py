"""The charts dock: matplotlib figures of ``gisapp.charts`` embedded in Qt, following the selection.

The figures are the report figures the CLI writes (Chinese labels, same
functions); the tables behind them come from ``analysis`` (temporal profiles,
the Knox table and evaluation curve of the latest results). The panel only
chooses which incidents: the selected incidents, else those inside the
selected grid cells or areas, else everything the filter keeps.
"""

from __future__ import annotations

import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PyQt6.QtCore import Qt, QTimer
from PyQt6.QtGui import QImage, QPixmap
from PyQt6.QtWidgets import (
    QApplication,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from gisapp.layers.errors import GisappError
from gisapp.layers.filters import IncidentFilter

from .i18n import tr


def N_(text: str) -> str:
    return text


CHARTS = {
    "hour_weekday": N_("Hour × weekday"),
    "monthly": N_("Monthly trend by category"),
    "knox": N_("Near-repeat Knox table"),
    "evaluation": N_("Evaluation curve (hit rate, PAI)"),
}
#: Categories drawn in the monthly trend (the busiest; the rest would be unreadable).
TOP_CATEGORIES = 5
#: The panel never shrinks below this (a chart's text stays readable), and opens floating at CHART_WINDOW.
MINIMUM_SIZE = (560, 420)
CHART_WINDOW = (900, 680)
#: Charts are drawn at the resolution that fits the panel's width, within these bounds (dots per inch).
DPI_RANGE = (72, 110)


def selected_incidents(workspace):
    """(incidents GeoDataFrame, description) of what the charts should show."""
    layers = list(workspace.layers)
    incidents = next((layer for layer in layers if layer.kind == "incidents"), None)
    if incidents is None:
        return None, tr("No incident layer")
    data = incidents.data
    mask = workspace.mask(incidents)
    rows = workspace.selection(incidents)
    if len(rows):
        return data.iloc[rows], tr("{n:,} selected incidents").format(n=len(rows))
    for layer in reversed(layers):
        picked = workspace.selection(layer)
        if layer.kind in ("grids", "areas") and len(picked):
            polygons = layer.data.iloc[picked]
            geometry = polygons.to_crs(data.crs).union_all() if data.crs is not None and polygons.crs is not None else polygons.union_all()
            inside = IncidentFilter(within="selection")
            inside.within_geometry = geometry
            keep = inside.mask(data) & (mask if mask is not None else True)
            names = ", ".join(str(v) for v in polygons.get("name", polygons.index).astype(str).head(3))
            return data[np.asarray(keep, dtype=bool)], tr("incidents in {names}").format(names=names)
    if mask is not None:
        return data[mask], tr("{n:,} incidents the filter keeps").format(n=int(mask.sum()))
    return data, tr("all {n:,} incidents").format(n=len(data))


def selected_area(workspace) -> str | None:
    """The names of the selected grid cells or areas the charts count in (None: no such selection)."""
    for layer in reversed(list(workspace.layers)):
        picked = workspace.selection(layer)
        if layer.kind in ("grids", "areas") and len(picked) and "name" in layer.data:
            names = layer.data["name"].iloc[picked].astype(str)
            return "、".join(names.head(3)) + ("等" if len(names) > 3 else "")
    return None


def profiles_by(incidents, column: str | None, top: int = TOP_CATEGORIES) -> dict:
    """Temporal profiles (``gisapp.analysis.spacetime.temporal``) of all incidents (全部), or per value of ``column``."""
    from gisapp.analysis.spacetime.compare import profile_dict
    from gisapp.analysis.spacetime.temporal import temporal_profile

    times = incidents["occurred_at"]
    valid = times.dropna()
    if valid.empty:
        raise GisappError("The chosen incidents have no time of occurrence.")
    start, end = valid.min().strftime("%Y-%m-%d"), valid.max().strftime("%Y-%m-%d")
    if column is None or column not in incidents:
        return {"全部": profile_dict(temporal_profile(times.to_numpy(), start, end))}
    out = {}
    for value in incidents[column].value_counts().index[:top]:
        out[str(value)] = profile_dict(temporal_profile(times[incidents[column] == value].to_numpy(), start, end))
    return out


def latest_summary(workspace, key: str) -> dict | None:
    for layer in reversed(list(workspace.layers)):
        summary = layer.params.get("summary") if isinstance(layer.params, dict) else None
        if isinstance(summary, dict) and key in summary:
            return summary
    return None


class ChartsPanel(QWidget):
    def __init__(self, workspace, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self.setObjectName("chartsPanel")
        self.setMinimumSize(*MINIMUM_SIZE)
        self.figure = None
        self.dpi = DPI_RANGE[1]
        self.canvas: QLabel | None = None  # the figure drawn once, as an image
        self._pixmap = QPixmap()
        self.choice = QComboBox(self, objectName="chartChoice")
        for key, label in CHARTS.items():
            self.choice.addItem(tr(label), key)
        self.choice.setToolTip(tr("Which chart to draw"))
        self.copy_button = QPushButton(tr("Copy"), self, objectName="chartCopy")
        self.copy_button.setToolTip(tr("Copy the chart to the clipboard as an image"))
        self.export_button = QPushButton(tr("Export PNG…"), self, objectName="chartExport")
        self.export_button.setToolTip(tr("Save the chart as a PNG file"))
        self.source = QLabel(self, objectName="chartSource")
        self.source.setWordWrap(True)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        top = QHBoxLayout()
        top.addWidget(self.choice, 1)
        top.addWidget(self.copy_button)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.source)
        layout.addWidget(self.scroll, 1)
        self._timer = QTimer(self, singleShot=True, interval=150)
        self._timer.timeout.connect(self.refresh)
        self.choice.currentIndexChanged.connect(lambda: self.refresh())
        self.copy_button.clicked.connect(self.copy)
        self.export_button.clicked.connect(self._export_dialog)
        for signal in (workspace.selectionChanged, workspace.filterChanged, workspace.layerInserted, workspace.reset):
            signal.connect(lambda *args: self.schedule())

    def schedule(self) -> None:
        if self.isVisible():
            self._timer.start()

    def set_chart(self, key: str) -> None:
        self.choice.setCurrentIndex(self.choice.findData(key))
        self.refresh()

    def build_figure(self, key: str):
        """(figure or None, description) for chart ``key``."""
        from gisapp.charts.context import context_line, time_span

        if key in ("hour_weekday", "monthly"):
            incidents, described = selected_incidents(self.workspace)
            if incidents is None or len(incidents) == 0:
                return None, tr("No incidents to chart.")
            from gisapp.charts.profiles import hour_weekday_figure, monthly_trend_figure

            context = context_line(self.workspace.filter.to_dict(), time_span(incidents), selected_area(self.workspace))
            if key == "hour_weekday":
                return hour_weekday_figure(profiles_by(incidents, None), context=context), described
            return monthly_trend_figure(profiles_by(incidents, "category"), context=context), described
        if key == "knox":
            summary = latest_summary(self.workspace, "knox")
            if summary is None:
                return None, tr("Run the near-repeat analysis first (Analysis ▸ Near repeat).")
            from gisapp.charts.knox import knox_heat_table

            return knox_heat_table(summary["knox"], context=context_line(summary.get("filters"))), tr("Knox table of the latest near-repeat result")
        summary = latest_summary(self.workspace, "curve")
        if summary is None:
            return None, tr("Run the forecast evaluation first (Analysis ▸ Forecast evaluation).")
        from gisapp.charts.evaluation import evaluation_figure

        return evaluation_figure(summary), tr("Curve of the latest forecast evaluation")

    def refresh(self) -> None:
        key = self.choice.currentData()
        try:
            figure, described = self.build_figure(key)
        except GisappError as error:
            figure, described = None, str(error)
        self.source.setText(described)
        self.figure = figure
        old = self.scroll.takeWidget()
        if old is not None:
            old.deleteLater()
        self.canvas = None
        if figure is None:
            self.scroll.setWidget(QLabel(described, alignment=Qt.AlignmentFlag.AlignCenter))
        else:
            # drawn once here with Agg and shown as an image: cheap to scroll, and copy/export use the same figure
            self.canvas = QLabel(alignment=Qt.AlignmentFlag.AlignCenter, objectName="chartImage")
            self.scroll.setWidget(self.canvas)
            self._draw(self.fitting_dpi())
        self.copy_button.setEnabled(figure is not None)
        self.export_button.setEnabled(figure is not None)

    def fitting_dpi(self) -> int:
        """The resolution at which the figure is as wide as the panel (text is drawn, never shrunk as an image)."""
        if self.figure is None:
            return self.dpi
        width = max(self.scroll.viewport().width() - 4, MINIMUM_SIZE[0] - 40)
        return int(max(DPI_RANGE[0], min(DPI_RANGE[1], width / self.figure.get_figwidth())))

    def _draw(self, dpi: int) -> None:
        """Draw the figure at ``dpi``; a figure wider than the panel at the smallest resolution scrolls."""
        if self.canvas is None or self.figure is None:
            return
        self.dpi = dpi
        self._pixmap = QPixmap.fromImage(self.image(dpi=dpi))
        self.canvas.setPixmap(self._pixmap)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.canvas is not None and abs(self.fitting_dpi() - self.dpi) >= 4:
            self._timer_redraw()

    def _timer_redraw(self) -> None:
        QTimer.singleShot(120, lambda: self._draw(self.fitting_dpi()) if self.canvas is not None else None)

    def image(self, dpi: int = 110) -> QImage | None:
        if self.figure is None:
            return None
        FigureCanvasAgg(self.figure)
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=dpi)
        return QImage.fromData(buffer.getvalue(), "PNG")

    def copy(self) -> bool:
        image = self.image()
        if image is not None:
            QApplication.clipboard().setImage(image)
        return image is not None

    def export_png(self, path):
        from gisapp.charts import save_png

        return save_png(self.figure, path)

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Export chart"), f"{self.choice.currentData()}.png", "PNG (*.png)")
        if path:
            try:
                self.export_png(path)
            except GisappError as error:
                from . import dialogs

                dialogs.show_error(self, str(error))


def charts_dock(window) -> ChartsPanel:
    """Show the window's charts dock (made on first use) and return its panel."""
    dock = getattr(window, "charts", None)
    if dock is None:
        panel = ChartsPanel(window.workspace)
        dock = QDockWidget(tr("Charts"), window)
        dock.setObjectName("chartsDock")
        dock.setWidget(panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        # A chart squeezed beside the results is unreadable: it opens as a window of its own (dock it back by its title).
        dock.setFloating(True)
        dock.resize(*CHART_WINDOW)
        centre = window.geometry().center()
        dock.move(centre.x() - CHART_WINDOW[0] // 2, centre.y() - CHART_WINDOW[1] // 2)
        window.charts = dock
    dock.show()
    dock.raise_()
    dock.widget().refresh()
    return dock.widget()
