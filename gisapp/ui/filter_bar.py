"""The filter bar: date range, time of day, weekdays, categories and area for the incident layers.

It edits an :class:`~gisapp.layers.filters.IncidentFilter` and hands it to the
workspace, which computes one boolean mask per incident layer; the map and the
table show only what the mask keeps. Changes apply by themselves after a short
pause, so dragging through the hours does not filter at every step.
"""

from __future__ import annotations

import pandas as pd
from PyQt6.QtCore import QDate, Qt, QTimer, pyqtSignal
from PyQt6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QSpinBox,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from gisapp.layers.errors import GisappError
from gisapp.layers.filters import IncidentFilter

from .i18n import tr
from .icons import icon
from .styles import N_
from .workspace import FILTERED_KINDS, Workspace

WEEKDAY_NAMES = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


class FilterBar(QWidget):
    """Filter widgets in one row; ``apply_now`` sets the workspace filter."""

    applied = pyqtSignal(float)  # milliseconds the masks took
    failed = pyqtSignal(str)

    def __init__(self, workspace: Workspace, parent=None):
        super().__init__(parent)
        self.workspace = workspace
        self._loading = False
        self._timer = QTimer(self, singleShot=True, interval=300, timeout=self.apply_now)

        title = QLabel(self)
        title.setPixmap(icon("filter").pixmap(18, 18))
        self.use_dates = QCheckBox(tr("Date"), self)
        self.date_from = QDateEdit(self, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.date_to = QDateEdit(self, calendarPopup=True, displayFormat="yyyy-MM-dd")
        self.use_hours = QCheckBox(tr("Hours"), self)
        self.hour_from = QSpinBox(self, minimum=0, maximum=23, suffix=tr(" h"))
        self.hour_to = QSpinBox(self, minimum=1, maximum=24, value=24, suffix=tr(" h"))
        self.hour_from.setToolTip(tr("From this hour (inclusive); a start after the end wraps midnight, e.g. 22–6"))
        self.hour_to.setToolTip(tr("To this hour (exclusive)"))
        self.weekday_buttons: list[QToolButton] = []
        days = QHBoxLayout()
        days.setSpacing(1)
        for i, name in enumerate(WEEKDAY_NAMES, start=1):
            button = QToolButton(self)
            button.setText(tr(name))
            button.setCheckable(True)
            button.setObjectName(f"weekday{i}")
            button.setToolTip(tr("Only incidents on the checked weekdays (none checked: every day)"))
            button.toggled.connect(self.schedule)
            self.weekday_buttons.append(button)
            days.addWidget(button)

        self.categories = QListWidget()
        self.categories.setObjectName("categoryList")
        self.categories.setMinimumSize(220, 260)
        self.categories.itemChanged.connect(self._categories_changed)
        self.category_button = QToolButton(self)
        self.category_button.setObjectName("categoryButton")
        self.category_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.category_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        menu = QMenu(self.category_button)
        holder = QWidgetAction(menu)
        holder.setDefaultWidget(self.categories)
        menu.addAction(holder)
        self.category_button.setMenu(menu)

        self.area = QComboBox(self)
        self.area.setObjectName("areaFilter")
        self.area.setMinimumContentsLength(8)
        self.area.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.reset_button = QToolButton(self)
        self.reset_button.setIcon(icon("reset"))
        self.reset_button.setToolTip(tr("Clear every filter"))
        self.reset_button.clicked.connect(self.reset)
        self.count = QLabel(self)
        self.count.setObjectName("filterCount")

        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(6)
        layout.addWidget(title)
        layout.addWidget(self.use_dates)
        layout.addWidget(self.date_from)
        layout.addWidget(QLabel("–", self))
        layout.addWidget(self.date_to)
        layout.addSpacing(8)
        layout.addWidget(self.use_hours)
        layout.addWidget(self.hour_from)
        layout.addWidget(QLabel("–", self))
        layout.addWidget(self.hour_to)
        layout.addSpacing(8)
        layout.addLayout(days)
        layout.addSpacing(8)
        layout.addWidget(self.category_button)
        layout.addWidget(QLabel(tr("Area"), self))
        layout.addWidget(self.area)
        layout.addWidget(self.reset_button)
        layout.addSpacing(10)
        layout.addWidget(self.count)
        layout.addStretch(1)

        for widget in (self.use_dates, self.use_hours):
            widget.toggled.connect(self.schedule)
        for widget in (self.date_from, self.date_to):
            widget.dateChanged.connect(self._date_edited)
        for widget in (self.hour_from, self.hour_to):
            widget.valueChanged.connect(self._hours_edited)
        self.area.currentIndexChanged.connect(self.schedule)
        workspace.reset.connect(self.refresh_choices)
        workspace.layerInserted.connect(lambda layer: self.refresh_choices())
        workspace.layerRemoved.connect(lambda layer: self.refresh_choices())
        workspace.layerChanged.connect(lambda layer, what: self.refresh_choices() if what == "data" else None)
        workspace.filterChanged.connect(self._update_count)
        self.refresh_choices()

    # ---- choices from the data ----------------------------------------------------------
    def _incident_layers(self):
        return [layer for layer in self.workspace.layers if layer.kind in FILTERED_KINDS]

    def refresh_choices(self) -> None:
        """Fill categories, areas and the date range from the layers; then show the workspace's filter."""
        self._loading = True
        try:
            values: dict[str, int] = {}
            first = last = None
            for layer in self._incident_layers():
                data = layer.data
                for column in ("category", "subcategory"):
                    if column in data:
                        for value, n in data[column].astype("string").value_counts().items():
                            values[str(value)] = values.get(str(value), 0) + int(n)
                if "occurred_at" in data and pd.api.types.is_datetime64_any_dtype(data["occurred_at"]) and data["occurred_at"].notna().any():
                    lo, hi = data["occurred_at"].min(), data["occurred_at"].max()
                    first = lo if first is None or lo < first else first
                    last = hi if last is None or hi > last else last
            self.categories.clear()
            for value in sorted(values, key=lambda v: (-values[v], v)):
                item = QListWidgetItem(f"{value}  ({values[value]:,})")
                item.setData(Qt.ItemDataRole.UserRole, value)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.categories.addItem(item)
            self.area.clear()
            self.area.addItem(tr("All areas"), None)
            for name in self.workspace.area_names():
                self.area.addItem(name, name)
            if first is not None:
                self.date_from.setDateRange(QDate(first.year, first.month, first.day), QDate(last.year, last.month, last.day))
                self.date_to.setDateRange(QDate(first.year, first.month, first.day), QDate(last.year, last.month, last.day))
                self.date_from.setDate(QDate(first.year, first.month, first.day))
                self.date_to.setDate(QDate(last.year, last.month, last.day))
            self.show_filter(self.workspace.filter)
        finally:
            self._loading = False
        self._update_count()

    # ---- widgets <-> filter -------------------------------------------------------------
    def show_filter(self, f: IncidentFilter) -> None:
        """Set the widgets from ``f`` without applying anything."""
        loading, self._loading = self._loading, True
        try:
            self.use_dates.setChecked(bool(f.start or f.end))
            if f.start:
                self.date_from.setDate(QDate.fromString(str(f.start)[:10], "yyyy-MM-dd"))
            if f.end:
                self.date_to.setDate(QDate.fromString(str(f.end)[:10], "yyyy-MM-dd"))
            self.use_hours.setChecked(bool(f.hours))
            if f.hours:
                self.hour_from.setValue(int(f.hours[0]))
                self.hour_to.setValue(int(f.hours[1]))
            days = set(f.weekdays or [])
            for i, button in enumerate(self.weekday_buttons, start=1):
                button.setChecked(i in days)
            wanted = set(f.categories or [])
            for row in range(self.categories.count()):
                item = self.categories.item(row)
                item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in wanted else Qt.CheckState.Unchecked)
            index = self.area.findData(f.within) if f.within else 0
            self.area.setCurrentIndex(max(index, 0))
        finally:
            self._loading = loading
        self._update_category_text()

    def current_filter(self) -> IncidentFilter:
        cats = [
            self.categories.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.categories.count())
            if self.categories.item(r).checkState() == Qt.CheckState.Checked
        ]
        days = [i for i, b in enumerate(self.weekday_buttons, start=1) if b.isChecked()]
        return IncidentFilter(
            start=self.date_from.date().toString("yyyy-MM-dd") if self.use_dates.isChecked() else None,
            end=self.date_to.date().toString("yyyy-MM-dd") if self.use_dates.isChecked() else None,
            hours=(self.hour_from.value(), self.hour_to.value()) if self.use_hours.isChecked() else None,
            weekdays=days or None,
            categories=cats or None,
            within=self.area.currentData(),
        )

    def schedule(self, *args) -> None:
        if not self._loading:
            self._timer.start()

    def _date_edited(self, *args) -> None:
        if not self._loading:
            self.use_dates.setChecked(True)
            self.schedule()

    def _hours_edited(self, *args) -> None:
        if not self._loading:
            self.use_hours.setChecked(True)
            self.schedule()

    def _categories_changed(self, item) -> None:
        self._update_category_text()
        self.schedule()

    def _update_category_text(self) -> None:
        checked = [
            self.categories.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(self.categories.count())
            if self.categories.item(r).checkState() == Qt.CheckState.Checked
        ]
        if not checked:
            text = tr("All categories")
        elif len(checked) <= 2:
            text = "、".join(checked)
        else:
            text = tr("{n} categories").format(n=len(checked))
        self.category_button.setText(text)

    def apply_now(self) -> bool:
        """Apply the widgets' filter to the workspace; False (and ``failed``) when it means nothing."""
        self._timer.stop()
        try:
            self.workspace.set_filter(self.current_filter())
        except GisappError as error:
            self.count.setText(f"<span style='color:#b00000'>{error}</span>")
            self.failed.emit(str(error))
            return False
        self.applied.emit(self.workspace.last_filter_ms)
        return True

    def reset(self) -> None:
        self.show_filter(IncidentFilter())
        self.apply_now()

    def _update_count(self) -> None:
        layers = self._incident_layers()
        if not layers:
            self.count.setText("")
            return
        shown = sum(self.workspace.visible_count(layer) for layer in layers)
        total = sum(len(layer.data) for layer in layers)
        if self.workspace.filter.is_empty():
            self.count.setText(tr("{total:,} incidents").format(total=total))
        else:
            self.count.setText(tr("<b>{shown:,}</b> of {total:,} incidents").format(shown=shown, total=total))
