"""The style editor: single colour, categories, graduated classes (with the Gi* preset) or camera sectors."""

from __future__ import annotations

import pandas as pd
from PyQt6.QtCore import Qt, pyqtSignal
from PyQt6.QtGui import QColor
from PyQt6.QtWidgets import (
    QCheckBox,
    QColorDialog,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from gisapp.layers import Layer

from .i18n import current_language, tr
from .icons import qcolor, swatch
from .layer_panel import layer_shape
from .styles import DISPLAY_KEYS, N_, RAMPS, classify, gi_bin_classes, label_text

STYLE_NAMES = {"single": N_("Single symbol"), "categorized": N_("Categorized"), "graduated": N_("Graduated"), "sector": N_("Camera sectors")}
METHODS = {"quantile": N_("Quantiles"), "equal": N_("Equal intervals")}


class ColourButton(QPushButton):
    """A button showing a colour; clicking opens the colour picker."""

    colourChanged = pyqtSignal(str)

    def __init__(self, colour: str, parent=None, alpha: bool = False):
        super().__init__(parent)
        self._alpha = alpha
        self.setMinimumWidth(96)
        self.clicked.connect(self._pick)
        self.set_colour(colour)

    def colour(self) -> str:
        return self._colour

    def set_colour(self, colour: str) -> None:
        self._colour = colour
        self.setIcon(swatch(colour, "polygon", 16))
        self.setText(tr("No fill") if len(colour) == 9 and colour[7:] == "00" else colour[:7])

    def _pick(self) -> None:
        options = QColorDialog.ColorDialogOption.ShowAlphaChannel if self._alpha else QColorDialog.ColorDialogOption(0)
        chosen = QColorDialog.getColor(qcolor(self._colour), self, tr("Choose a colour"), options)
        if chosen.isValid():
            name = chosen.name(QColor.NameFormat.HexArgb if self._alpha else QColor.NameFormat.HexRgb)
            if self._alpha:  # Qt writes #aarrggbb; styles use #rrggbbaa
                name = "#" + name[3:] + name[1:3]
            self.set_colour(name)
            self.colourChanged.emit(self._colour)


class StyleDialog(QDialog):
    """Edit ``layer.style``; Apply/OK validate through the layer (a ValueError is shown, not raised)."""

    def __init__(self, layer: Layer, parent=None):
        super().__init__(parent)
        self.layer = layer
        self.setWindowTitle(tr("Style — {name}").format(name=layer.name))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        style = layer.style
        data = layer.data
        self.shape = layer_shape(layer)
        columns = [c for c in data.columns if c != data.geometry.name]
        numeric = [c for c in columns if pd.api.types.is_numeric_dtype(data[c])]

        self.kind = QComboBox(self)
        for key, label in STYLE_NAMES.items():
            if key == "sector" and layer.kind != "cameras":
                continue
            self.kind.addItem(tr(label), key)
        self.kind.setCurrentIndex(max(self.kind.findData(style.get("type", "single")), 0))
        self.colour = ColourButton(style.get("color", "#3070b0"), self)
        self.fill = ColourButton(style.get("fill", "#00000000"), self, alpha=True)
        self.size = QDoubleSpinBox(self, minimum=1, maximum=30, singleStep=0.5, value=float(style.get("size", 4)), suffix=" px")
        self.width = QDoubleSpinBox(self, minimum=0.2, maximum=20, singleStep=0.5, value=float(style.get("width", 1.5)), suffix=" px")
        self.field = QComboBox(self)
        self._all_columns, self._numeric = columns, numeric
        self.method = QComboBox(self)
        for key, label in METHODS.items():
            self.method.addItem(tr(label), key)
        self.method.setCurrentIndex(max(self.method.findData(style.get("method", "quantile")), 0))
        self.classes = QSpinBox(self, minimum=2, maximum=9, value=int(style.get("n", 5)))
        self.ramp = QComboBox(self)
        for name in RAMPS:
            self.ramp.addItem(name, name)
        self.ramp.setCurrentIndex(max(self.ramp.findData(style.get("ramp", "YlOrRd")), 0))
        self.gi_preset = QCheckBox(tr("Gi* hot and cold spots (7 classes, 90/95/99%)"), self)
        self.gi_preset.setChecked(bool(style.get("classes")) and style.get("field") == "gi_bin")
        self.label = QComboBox(self)
        self.label.addItem(tr("(no labels)"), None)
        for c in columns:
            self.label.addItem(c, c)
        self.label.setCurrentIndex(max(self.label.findData(style.get("label")), 0))
        self.preview = QListWidget(self)
        self.preview.setObjectName("stylePreview")
        self.preview.setMinimumHeight(150)
        self.preview.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self._extra = {k: v for k, v in style.items() if k in ("categories",) and style.get("type") == "categorized"}

        form = QFormLayout()
        form.addRow(tr("Symbology"), self.kind)
        form.addRow(tr("Field"), self.field)
        colour_row = QHBoxLayout()
        colour_row.addWidget(self.colour)
        if self.shape == "polygon":
            colour_row.addWidget(QLabel(tr("Fill"), self))
            colour_row.addWidget(self.fill)
        colour_row.addStretch(1)
        form.addRow(tr("Colour"), _wrap(colour_row))
        if self.shape in ("point", "sector"):
            form.addRow(tr("Point size"), self.size)
            self.width.hide()
        else:
            form.addRow(tr("Line width"), self.width)
            self.size.hide()
        grad = QHBoxLayout()
        grad.addWidget(self.method)
        grad.addWidget(self.classes)
        grad.addWidget(self.ramp)
        form.addRow(tr("Classes"), _wrap(grad))
        form.addRow("", self.gi_preset)
        if self.shape == "polygon":
            form.addRow(tr("Labels"), self.label)
        else:
            self.label.hide()
        if self.shape != "polygon":
            self.fill.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Apply | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(self.apply)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #b00000")
        self.error.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(tr("Legend preview"), self))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

        self._fill_fields(style.get("field"))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for signal in (self.field.currentIndexChanged, self.method.currentIndexChanged, self.classes.valueChanged,
                       self.ramp.currentIndexChanged, self.gi_preset.toggled, self.colour.colourChanged):
            signal.connect(self._update)
        self._update()
        self.resize(460, 520)

    def _fill_fields(self, wanted=None) -> None:
        kind = self.kind.currentData()
        columns = self._numeric if kind == "graduated" else self._all_columns
        self.field.blockSignals(True)
        self.field.clear()
        for c in columns:
            self.field.addItem(c, c)
        if wanted is None and kind == "categorized":
            wanted = next((c for c in ("category", "area_type", "kind", "status") if c in columns), None)
        if wanted is None and kind == "graduated":
            wanted = "gi_bin" if "gi_bin" in columns else None
        self.field.setCurrentIndex(max(self.field.findData(wanted), 0))
        self.field.blockSignals(False)

    def _kind_changed(self) -> None:
        self._extra = {}
        self._fill_fields()
        self._update()

    def style(self) -> dict:
        """The style the widgets describe."""
        kind = self.kind.currentData()
        style: dict = {"type": kind, "color": self.colour.colour()}
        if self.shape in ("point", "sector"):
            style["size"] = self.size.value()
        else:
            style["width"] = self.width.value()
        if self.shape == "polygon":
            style["fill"] = self.fill.colour()
            if self.label.currentData():
                style["label"] = self.label.currentData()
        if kind in ("categorized", "graduated") and self.field.currentData():
            style["field"] = self.field.currentData()
        if kind == "categorized":
            style.update(self._extra)
        if kind == "graduated":
            if self.gi_preset.isChecked():
                style["classes"] = gi_bin_classes()
            else:
                style.update({"method": self.method.currentData(), "n": self.classes.value(), "ramp": self.ramp.currentData()})
        original = self.layer.style  # what the dialog does not edit (opacities, hatching, symbols) stays
        if kind == original.get("type") and style.get("field") == original.get("field"):
            for key in DISPLAY_KEYS:
                ramp_chosen = key == "classes" and kind == "graduated" and not self.gi_preset.isChecked()
                if key in original and key not in style and not ramp_chosen:
                    style[key] = original[key]
        return style

    def _update(self) -> None:
        kind = self.kind.currentData()
        self.field.setEnabled(kind in ("categorized", "graduated"))
        graduated = kind == "graduated"
        for widget in (self.method, self.classes, self.ramp):
            widget.setEnabled(graduated and not self.gi_preset.isChecked())
        self.gi_preset.setEnabled(graduated)
        self.preview.clear()
        style = self.style()
        if style.get("type") in ("categorized", "graduated") and not style.get("field"):
            return
        try:
            entries = classify(style, self.layer.data).legend() if kind != "single" else []
        except (ValueError, TypeError) as error:
            self.error.setText(str(error))
            return
        self.error.setText("")
        if kind == "single":
            entries = [type("E", (), {"color": style["color"], "label": self.layer.name})()]
        for entry in entries:
            self.preview.addItem(QListWidgetItem(swatch(entry.color or "#ffffff00", self.shape, outline=getattr(entry, "outline", None)),
                                                 label_text(entry.label, current_language(), tr)))

    def apply(self) -> bool:
        try:
            self.layer.style = self.style()
        except ValueError as error:
            self.error.setText(str(error))
            return False
        return True

    def accept(self) -> None:
        if self.apply():
            super().accept()


def _wrap(layout) -> QWidget:
    holder = QWidget()
    layout.setContentsMargins(0, 0, 0, 0)
    holder.setLayout(layout)
    return holder
