"""The review table of an address-matching result: place the rows the matcher left out or was unsure of.

It lists the rows of a ``gisapp geocode`` result (or the window's 地址匹配
run) that have no point, or whose name was matched approximately (score
under :data:`LOW_SCORE`). For the selected row the analyst can

- take one of the candidates the matcher found (an ambiguous road name, a
  match below the least precise level placed), or
- click the map where the row belongs (:class:`~.tools.pick.PickPointTool`).

The row is placed (undoably, on the window's undo stack), and so is every
other row with the same address text; the correction is stored in the
project's learned aliases (:mod:`gisapp.analysis.geocode.aliases`), which the
matcher reuses the next time that address appears. Addresses are shown as
plain text, whatever markup they hold.
"""

from __future__ import annotations

import html
import json

import numpy as np
import pyproj
from PyQt6.QtCore import Qt
from PyQt6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from gisapp.analysis.geocode.aliases import learn
from gisapp.analysis.geocode.columns import incident_address_column
from gisapp.analysis.geocode.levels import PLATE, REASONS, UNMATCHED
from gisapp.analysis.geocode.text import clean
from gisapp.layers import Layer
from gisapp.layers.errors import GisappError

from .i18n import current_language, tr
from .styles import N_
from .tools.base import DISPLAY, transformer
from .tools.edits import SetLayerDataCommand
from .tools.pick import PickPointTool

#: Rows matched with a lower score are listed for review.
LOW_SCORE = 90.0
REVIEW_COLUMNS = (N_("Row"), N_("Address"), N_("Level"), N_("Score"), N_("Match or reason"), N_("Candidates"))


def is_geocode_result(layer: Layer | None) -> bool:
    return layer is not None and layer.kind == "result" and (layer.params or {}).get("method") == "geocode" and "geocode_level" in layer.data


def rows_to_review(data) -> np.ndarray:
    """Positions of the rows without a point, or with a name matched below :data:`LOW_SCORE`."""
    unplaced = data.geometry.isna().to_numpy()
    unsure = (data["geocode_score"].astype(float).to_numpy() < LOW_SCORE) & (data["geocode_level"].to_numpy() != "坐标")
    return np.flatnonzero(unplaced | unsure)


def _reason(code: str) -> str:
    """Why a row is not placed, in the window's language."""
    if not code:
        return ""
    zh, en = REASONS.get(code, (code, code))
    return zh if current_language() == "zh" else en


def _item(text) -> QTableWidgetItem:
    item = QTableWidgetItem("" if text is None else str(text))
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    item.setToolTip(f"<qt>{html.escape(str(text or ''))}</qt>")  # rich text whose entities show the markup literally
    return item


class GeocodeReview(QDialog):
    """The review table for one geocode result layer of ``window``."""

    def __init__(self, window, layer: Layer):
        super().__init__(window)
        self.window, self.layer = window, layer
        self.setObjectName("geocodeReview")
        self.setWindowTitle(tr("Review address matches: {name}").format(name=layer.name))
        self.setMinimumSize(820, 420)
        self.address_column = self._address_column()
        self.positions = np.empty(0, dtype=int)
        self.tool: PickPointTool | None = None
        layout = QVBoxLayout(self)
        self.summary = QLabel(self, objectName="reviewSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(REVIEW_COLUMNS), self, objectName="reviewTable")
        self.table.setHorizontalHeaderLabels([tr(c) for c in REVIEW_COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Candidate:"), self))
        self.candidates = QComboBox(self, objectName="reviewCandidates")
        self.candidates.setMinimumWidth(280)
        row.addWidget(self.candidates, 1)
        self.accept_button = QPushButton(tr("Use candidate"), self, objectName="reviewUseCandidate")
        self.accept_button.clicked.connect(self.use_candidate)
        row.addWidget(self.accept_button)
        self.pick_button = QPushButton(tr("Place on map…"), self, objectName="reviewPlaceOnMap")
        self.pick_button.setToolTip(tr("Click the map where the row belongs; Esc cancels"))
        self.pick_button.clicked.connect(self.start_picking)
        row.addWidget(self.pick_button)
        close = QPushButton(tr("Close"), self)
        close.clicked.connect(self.close)
        row.addWidget(close)
        layout.addLayout(row)
        self.status = QLabel(self, objectName="reviewStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.status)
        self.refresh()

    # ------------------------------------------------------------------ the table
    def _address_column(self) -> str:
        recorded = ((self.layer.params or {}).get("summary") or {}).get("address_column")
        if recorded in self.layer.data.columns:
            return recorded
        try:
            return incident_address_column(list(self.layer.data.columns))
        except GisappError:
            return self.layer.data.columns[0]

    def refresh(self) -> None:
        data = self.layer.data
        self.positions = rows_to_review(data)
        self.table.setRowCount(len(self.positions))
        rows = data["geocode_row"].to_numpy() if "geocode_row" in data else np.arange(1, len(data) + 1)
        for i, position in enumerate(self.positions):
            record = data.iloc[position]
            level = record["geocode_level"]
            shown = "；".join(p for p in (record["geocode_match"], _reason(record["geocode_reason"]), record["geocode_note"]) if p)
            candidates = json.loads(record["geocode_candidates"]) if record["geocode_candidates"] else []
            for column, value in enumerate((rows[position], record[self.address_column], level, f"{float(record['geocode_score']):.0f}",
                                            shown, len(candidates))):
                self.table.setItem(i, column, _item(value))
        self.table.resizeColumnToContents(0)
        placed = int(data.geometry.notna().sum())
        self.summary.setText(tr("{placed} of {total} rows placed; {review} to review").format(
            placed=f"{placed:,}", total=f"{len(data):,}", review=f"{len(self.positions):,}"))
        if len(self.positions):
            self.table.selectRow(0)
        else:
            self._selection_changed()

    def selected_position(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return int(self.positions[rows[0].row()]) if rows and rows[0].row() < len(self.positions) else None

    def _selection_changed(self) -> None:
        self.candidates.clear()
        position = self.selected_position()
        if position is None:
            self.accept_button.setEnabled(False)
            self.pick_button.setEnabled(False)
            return
        raw = self.layer.data["geocode_candidates"].iloc[position]
        for candidate in json.loads(raw) if raw else []:
            self.candidates.addItem(f"{candidate['match']}（{candidate['level']}）", candidate)
        self.accept_button.setEnabled(self.candidates.count() > 0)
        self.pick_button.setEnabled(True)

    # ------------------------------------------------------------------ placing
    def use_candidate(self) -> None:
        position, candidate = self.selected_position(), self.candidates.currentData()
        if position is None or not candidate:
            return
        self.place(position, float(candidate["x"]), float(candidate["y"]), candidate["level"], candidate["match"])

    def start_picking(self) -> None:
        if self.selected_position() is None:
            return
        canvas = self.window.canvas
        stack = getattr(getattr(self.window, "editing", None), "undo_stack", None)
        self.tool = PickPointTool(canvas, stack, self)
        self.tool.picked.connect(self._picked)
        canvas.set_map_tool(self.tool)
        self.status.setText(self.tool.hint())

    def _picked(self, x: float, y: float) -> None:
        position = self.selected_position()
        self.window.canvas.set_map_tool(None)
        self.tool = None
        if position is None:
            return
        lx, ly = transformer(DISPLAY, self.layer.data.crs).transform(x, y)
        self.place(position, float(lx), float(ly), PLATE, tr("placed by hand"))

    def place(self, position: int, x: float, y: float, level: str, match: str) -> int:
        """Place the row at ``position`` and every row with the same address at ``x, y`` (layer CRS); learn it.

        Returns the number of rows placed.
        """
        from shapely.geometry import Point

        data = self.layer.data.copy()
        address = data[self.address_column].iloc[position]
        text = clean(address)[0]
        same = np.flatnonzero(data[self.address_column].map(lambda a: clean(a)[0] == text).to_numpy()) if text else np.array([position])
        labels = data.index[same]
        data.loc[labels, data.geometry.name] = [Point(x, y)] * len(same)
        data.loc[labels, "geocode_level"] = level
        data.loc[labels, "geocode_score"] = 100.0
        data.loc[labels, "geocode_match"] = match
        data.loc[labels, "geocode_note"] = "人工校正"
        data.loc[labels, "geocode_reason"] = ""
        data.loc[labels, "geocode_candidates"] = ""
        stack = getattr(getattr(self.window, "editing", None), "undo_stack", None)
        if stack is not None:
            stack.push(SetLayerDataCommand(self.layer, data, tr("Place address")))
        else:
            self.layer.data = data
        if text:
            lon, lat = transformer(self.layer.data.crs, pyproj.CRS.from_epsg(4326)).transform(x, y)
            controller = self.window.controller
            controller.geocode_aliases = learn(controller.geocode_aliases, str(address), lon, lat, level if level != UNMATCHED else PLATE, match)
            controller.set_dirty(True)
        self.status.setText(tr("{n} rows placed and remembered for next time").format(n=len(same)))
        self.refresh()
        return len(same)

    def closeEvent(self, event) -> None:
        if self.tool is not None:
            self.window.canvas.set_map_tool(None)
            self.tool = None
        super().closeEvent(event)


def open_geocode_review(window, layer: Layer | None = None) -> GeocodeReview | None:
    """Show the review of ``layer``, else of the current layer or the newest geocode result; None when there is none."""
    if not is_geocode_result(layer):
        current = window.workspace.current_layer
        layer = current if is_geocode_result(current) else next((l for l in reversed(list(window.workspace.layers)) if is_geocode_result(l)), None)
    if layer is None:
        return None
    open_reviews = window.__dict__.setdefault("_geocode_reviews", {})
    review = open_reviews.get(id(layer))
    if review is None:
        review = GeocodeReview(window, layer)
        open_reviews[id(layer)] = review
        review.destroyed.connect(lambda *_: open_reviews.pop(id(layer), None))
        review.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    review.show()
    review.raise_()
    return review
