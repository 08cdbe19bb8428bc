"""Form widgets generated from parameter declarations (:class:`gisapp.analysis.core.contract.Param`).

Each field hands back the *raw* value the user chose (a number, a word such
as ``auto``, a layer name, text); :meth:`Method.build` turns the raw values
into parameters with the same parsers the command line uses, so the dialog
cannot offer a value the analysis refuses, or refuse one the CLI takes.
"""

from __future__ import annotations

from PyQt6.QtCore import QObject, pyqtSignal
from PyQt6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QLineEdit, QSpinBox, QWidget

from gisapp.analysis.core.contract import Param

from ..i18n import current_language, tr

#: Units as the label shows them, per language.
UNITS = {"m": ("米", "m"), "days": ("天", "days"), "min": ("分钟", "min"), "km²": ("平方公里", "km²"), "km/h": ("公里/时", "km/h"),
         "s": ("秒", "s"), "deg": ("度", "°"), "%": ("%", "%")}
#: The words a parameter may take instead of a value, as a person reads them.
WORDS = {"auto": ("自动", "automatic"), "arcgis": ("ArcGIS 规则", "ArcGIS rule"), "silverman": ("Silverman 规则", "Silverman's rule"),
         "square": ("正方形格网", "square fishnet"), "hex": ("六边形格网", "hexagons"), "spacing": ("沿道路等距", "along the roads"),
         "intersections": ("路口", "intersections"), "vertices": ("道路节点", "road vertices")}
#: Kinds of layer a project can hold; a declaration may also name a column (``gi_bin``) that results carry.
LAYER_KINDS = ("incidents", "grids", "cameras", "routes", "areas", "roads", "stations", "addresses")
#: Shown for "not set" in optional choices and layer lists.
NOT_SET = ("（不设置）", "(none)")
BROWSE = "\0browse"


def pick(pair, language: str | None = None) -> str:
    language = language or current_language()
    return pair[0] if language.startswith("zh") else pair[1]


def label_text(p: Param) -> str:
    text = p.label.get(current_language())
    if p.unit:
        text += f"（{pick(UNITS.get(p.unit, (p.unit, p.unit)))}）" if current_language() == "zh" else f" ({pick(UNITS.get(p.unit, (p.unit, p.unit)))})"
    return text


class ParamField(QObject):
    """One parameter's widget, with ``value()`` / ``set_value()`` in raw values and a ``changed`` signal.

    Parameters
    ----------
    param : Param
    parent : QWidget
    layers : list of Layer
        The workspace's layers, for ``layer`` and ``field`` parameters.
    """

    changed = pyqtSignal()

    def __init__(self, param: Param, parent: QWidget, layers=()):
        super().__init__(parent)
        self.param = p = param
        self.layers = list(layers)
        language = current_language()
        if p.kind == "bool":
            self.widget = QCheckBox(parent)
            self.widget.toggled.connect(self.changed)
        elif p.kind == "choice":
            self.widget = QComboBox(parent)
            if p.optional:
                self.widget.addItem(pick(NOT_SET), None)
            for choice in p.choices:
                self.widget.addItem(choice.label.get(language), choice.value)
            self.widget.currentIndexChanged.connect(self.changed)
        elif p.kind == "layer":
            self.widget = QComboBox(parent)
            self._fill_layers()
            self.widget.activated.connect(self._maybe_browse)
            self.widget.currentIndexChanged.connect(self.changed)
        elif p.kind == "field":
            self.widget = QComboBox(parent)
            self.widget.setEditable(True)
            self.widget.addItem("", None)
            for column in self._incident_columns():
                self.widget.addItem(column, column)
            self.widget.currentTextChanged.connect(self.changed)
        elif p.kind in ("int", "float") and (p.words or p.optional or _needs_free_entry(p)):
            # A number or a word: an editable list offering the words, so "auto" is chosen, not typed.
            self.widget = QComboBox(parent)
            self.widget.setEditable(True)
            if p.optional:
                self.widget.addItem("", None)
            for word in p.words:
                self.widget.addItem(pick(WORDS.get(word, (word, word))), word)
            self.widget.currentTextChanged.connect(self.changed)
        elif p.kind == "int":
            self.widget = QSpinBox(parent)
            self.widget.setRange(int(p.minimum if p.minimum is not None else -(2**31 - 1)), int(min(p.maximum if p.maximum is not None else 2**31 - 1, 2**31 - 1)))
            self.widget.valueChanged.connect(self.changed)
        elif p.kind == "float":
            self.widget = QDoubleSpinBox(parent)
            low = p.minimum if p.minimum is not None else -1e9
            high = p.maximum if p.maximum is not None else 1e9
            self.widget.setDecimals(3 if high <= 1 else 2 if high <= 100 else 1)
            self.widget.setRange(low, high)
            self.widget.valueChanged.connect(self.changed)
        else:  # text, numbers, date, point, list
            self.widget = QLineEdit(parent)
            if p.metavar:
                self.widget.setPlaceholderText(p.metavar)
            self.widget.textChanged.connect(self.changed)
        self.widget.setObjectName(f"param_{p.name}")
        self.widget.setToolTip(p.help.get(language))
        self.set_value(p.default)

    # ------------------------------------------------------------------ values
    def value(self):
        """The raw value: what :meth:`Param.parse` reads (a number, a word, a layer name or path, text, None)."""
        w, p = self.widget, self.param
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QSpinBox | QDoubleSpinBox):
            return w.value()
        if isinstance(w, QComboBox):
            if w.isEditable():
                index = w.findText(w.currentText())
                data = w.itemData(index) if index >= 0 else None
                return data if data is not None else (w.currentText().strip() or None)
            return w.currentData()
        text = w.text().strip()
        return text if text or not p.optional else None

    def set_value(self, value) -> None:
        w, p = self.widget, self.param
        if isinstance(w, QCheckBox):
            w.setChecked(bool(value))
        elif isinstance(w, QSpinBox | QDoubleSpinBox):
            number = _number(value)
            if number is not None:  # a spin box cannot hold text: it keeps its value, as when typed into
                number = max(w.minimum(), min(w.maximum(), number))  # and clamps what is out of its range
                w.setValue(int(number) if isinstance(w, QSpinBox) else number)
        elif isinstance(w, QComboBox):
            index = w.findData(value)
            if index < 0 and p.kind == "layer" and value not in (None, ""):
                w.insertItem(w.count() - 1, str(value), str(value))  # a file or a layer not in the list
                index = w.findData(value)
            if index >= 0:
                w.setCurrentIndex(index)
            elif w.isEditable():
                w.setEditText("" if value is None else p.format(value) if not isinstance(value, str) else value)
        else:
            w.setText("" if value is None else (p.format(value) if not isinstance(value, str) else value))

    # ------------------------------------------------------------------ layer and field lists
    def _fill_layers(self) -> None:
        p, w = self.param, self.widget
        for word in p.words:
            w.addItem(pick(WORDS.get(word, (word, word))), word)
        if p.optional:
            w.addItem(pick(NOT_SET), None)
        seen = set()
        for layer in self.layers:
            if layer.kind in p.layer_kinds or (not p.layer_kinds) or (layer.kind == "result" and "gi_bin" in p.layer_kinds):
                if layer.name not in seen:
                    w.addItem(layer.name, layer.name)
                    seen.add(layer.name)
        for kind in p.layer_kinds:  # a kind the project lacks can still be named (the run then says it is missing)
            if kind in LAYER_KINDS and kind not in seen and not any(layer.kind == kind for layer in self.layers):
                w.addItem(kind, kind)
        w.addItem(tr("File…"), BROWSE)

    def _maybe_browse(self, index: int) -> None:
        if self.widget.itemData(index) != BROWSE:
            return
        path, _ = QFileDialog.getOpenFileName(self.widget, self.param.label.get(current_language()), "",
                                              tr("Layer files (*.gpkg *.geojson *.json *.shp *.zip *.csv *.xlsx)"))
        if path:
            self.set_value(path)
        else:
            self.widget.setCurrentIndex(0)

    def _incident_columns(self) -> list[str]:
        for layer in self.layers:
            if layer.kind == "incidents":
                return [str(c) for c in layer.data.columns if c != layer.data.geometry.name]
        return []


def _number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _needs_free_entry(p: Param) -> bool:
    """A small float (a tolerance, 1e-5) that a spin box would round away: typed, as text, instead."""
    return p.kind == "float" and isinstance(p.default, float) and p.default != 0 and abs(p.default) < 0.001
