"""The method contract: every analysis declares its parameters once, and every front end is built from that.

A method's parameters are the fields of its ``*Params`` dataclass, each made
with :func:`param`, which records what a front end needs to know: the kind of
value, default, bounds, choices, unit, whether ``auto`` (or another word such
as ``arcgis``) is allowed, Chinese and English labels and help, and the option
name on the command line. Cross-parameter rules are the dataclass's ``check``
method. A :class:`Method` ties the parameters to the entry point that runs
them and to the result layers it writes.

From this one declaration ``gisapp.commands`` generates the argparse options
and ``gisapp.ui.analysis`` the dialog's form; both turn raw values into a
parameters object through :meth:`Method.build`, so the two front ends accept
and reject exactly the same values (the idea of QGIS Processing's
``initAlgorithm`` and napari's magicgui). This module imports nothing beyond
the standard library, so the command line can build its parser before any
scientific package is loaded.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import importlib
import math
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

from gisapp.layers.errors import InputError

AUTO = "auto"
#: Units as messages spell them.
UNIT_NAMES = {"m": "metres", "min": "minutes", "s": "seconds", "deg": "degrees", "km²": "square kilometres", "km/h": "km/h"}
#: What a parameter's value can be; each kind has one parser shared by every front end.
KINDS = ("int", "float", "bool", "choice", "text", "numbers", "date", "field", "layer", "point", "list")


class Text(NamedTuple):
    """A label or help text in Chinese and English."""

    zh: str
    en: str

    def get(self, language: str = "en") -> str:
        return self.zh if str(language).lower().startswith("zh") else self.en


def text(value) -> Text:
    """``Text`` from a ``(zh, en)`` pair, or an English-only string (for internal names)."""
    if isinstance(value, Text):
        return value
    if isinstance(value, str):
        return Text(value, value)
    zh, en = value
    return Text(zh, en)


@dataclass(frozen=True)
class Choice:
    """One allowed value of a ``choice`` parameter, with its labels."""

    value: Any
    label: Text


@dataclass(frozen=True)
class Param:
    """The declaration of one parameter; see :func:`param` for the meaning of each attribute."""

    name: str
    kind: str
    default: Any
    label: Text
    help: Text
    minimum: float | None = None
    maximum: float | None = None
    above_minimum: bool = False
    choices: tuple[Choice, ...] = ()
    unit: str = ""
    words: tuple[str, ...] = ()
    optional: bool = False
    flag: str | None = None
    aliases: tuple[str, ...] = ()
    metavar: str | None = None
    group: str = ""
    when: tuple[tuple[str, tuple], ...] = ()
    count: int | None = None
    increasing: bool = False
    layer_kinds: tuple[str, ...] = ()
    cli: bool = True
    gui: bool = True
    advanced: bool = False
    const: Any = None

    # ------------------------------------------------------------------ names
    @property
    def option(self) -> str:
        """The command-line option, ``--cell`` for ``cell_size`` when so declared."""
        return self.flag or "--" + self.name.replace("_", "-")

    def where(self, language: str = "en") -> str:
        """How the user names this parameter in messages: the option and the label."""
        return f"{self.option} ({self.label.get(language)})"

    # ------------------------------------------------------------------ parsing
    def parse(self, raw):
        """The typed value of ``raw`` (text from a command line or a form, or an already typed value).

        Raises
        ------
        InputError
            One sentence naming the option and what it takes.
        """
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            if self.optional:
                return None
            if self.kind == "list":
                return ()
            raise InputError(f"{self.option} needs a value: {self._takes()}.")
        if isinstance(raw, str) and raw.strip().lower() in self.words:
            return raw.strip().lower()
        parser = getattr(self, f"_parse_{self.kind}")
        return parser(raw)

    def format(self, value) -> str:
        """``value`` written the way :meth:`parse` reads it back (for help texts and re-runs)."""
        if value is None:
            return ""
        if self.kind == "numbers" or (self.kind in ("point", "list") and isinstance(value, (tuple, list))):
            return ",".join(_number_text(v) if isinstance(v, (int, float)) else str(v) for v in value)
        if self.kind == "bool":
            return "yes" if value else "no"
        if isinstance(value, float):
            return _number_text(value)
        return str(value)

    def applies(self, values: dict) -> bool:
        """Whether this parameter matters given the other values (``when`` conditions)."""
        return all(values.get(name) in allowed for name, allowed in self.when)

    def _takes(self) -> str:
        words = " or ".join(self.words)
        if self.kind in ("int", "float"):
            positive = self.minimum == 0 and self.above_minimum and self.maximum is None
            what = ("a positive " if positive else "a ") + ("whole number" if self.kind == "int" else "number")
            if self.unit:
                what += f" of {UNIT_NAMES.get(self.unit, self.unit)}"
            if not positive:
                what += self._range_text()
            return f"{what}{' or ' + words if words else ''}"
        if self.kind == "choice":
            return "one of " + ", ".join(str(c.value) for c in self.choices)
        if self.kind == "numbers":
            n = f"{self.count} " if self.count else ""
            return f"{n}numbers separated by commas{' in increasing order' if self.increasing else ''}{self._range_text()}"
        if self.kind == "date":
            return "a date such as 2024-01-31"
        if self.kind == "point":
            return "longitude,latitude in degrees, e.g. 105.09,31.09"
        if self.kind == "bool":
            return "yes or no"
        return "text"

    def _range_text(self) -> str:
        low, high = self.minimum, self.maximum
        if low is not None and high is not None:
            return f" from {_number_text(low)}{' (exclusive)' if self.above_minimum else ''} to {_number_text(high)}"
        if low is not None:
            return f" {'above' if self.above_minimum else 'of at least'} {_number_text(low)}"
        if high is not None:
            return f" of at most {_number_text(high)}"
        return ""

    def _bad(self, raw) -> InputError:
        return InputError(f"{self.option} takes {self._takes()}; got {_shown(raw)}.")

    def _checked_number(self, value: float, raw):
        if not math.isfinite(value):
            raise self._bad(raw)
        if self.minimum is not None and (value < self.minimum or (self.above_minimum and value == self.minimum)):
            raise self._bad(raw)
        if self.maximum is not None and value > self.maximum:
            raise self._bad(raw)
        return value

    def _parse_int(self, raw):
        if isinstance(raw, bool):
            raise self._bad(raw)
        try:
            value = float(str(raw).strip().replace(",", "")) if not isinstance(raw, (int, float)) else float(raw)
        except ValueError:
            raise self._bad(raw) from None
        if not math.isfinite(value) or value != int(value):
            raise self._bad(raw)
        return int(self._checked_number(value, raw))

    def _parse_float(self, raw):
        if isinstance(raw, bool):
            raise self._bad(raw)
        try:
            value = float(str(raw).strip()) if not isinstance(raw, (int, float)) else float(raw)
        except ValueError:
            raise self._bad(raw) from None
        return self._checked_number(value, raw)

    def _parse_bool(self, raw):
        if isinstance(raw, bool):
            return raw
        word = str(raw).strip().lower()
        if word in ("1", "true", "yes", "on", "是"):
            return True
        if word in ("0", "false", "no", "off", "否"):
            return False
        raise self._bad(raw)

    def _parse_choice(self, raw):
        for choice in self.choices:
            if raw == choice.value or str(raw).strip().lower() == str(choice.value).lower():
                return choice.value
        raise self._bad(raw)

    def _parse_text(self, raw):
        return str(raw).strip()

    _parse_field = _parse_text
    _parse_layer = _parse_text

    def _parse_list(self, raw):
        items = raw if isinstance(raw, (list, tuple)) else str(raw).replace("，", ",").split(",")
        return tuple(str(item).strip() for item in items if str(item).strip())

    def _parse_numbers(self, raw):
        items = raw if isinstance(raw, (list, tuple)) else str(raw).replace("，", ",").split(",")
        try:
            values = tuple(float(item) for item in items if str(item).strip() != "")
        except (TypeError, ValueError):
            raise self._bad(raw) from None
        if not values or (self.count is not None and len(values) != self.count):
            raise self._bad(raw)
        for value in values:
            self._checked_number(value, raw)
        if self.increasing and any(b <= a for a, b in zip(values, values[1:])):
            raise self._bad(raw)
        return values

    def _parse_date(self, raw):
        if isinstance(raw, (_dt.date, _dt.datetime)):
            return raw.strftime("%Y-%m-%d")
        try:
            return _dt.date.fromisoformat(str(raw).strip()[:10].replace("/", "-")).isoformat()
        except ValueError:
            raise self._bad(raw) from None

    def _parse_point(self, raw):
        values = raw if isinstance(raw, (list, tuple)) else str(raw).replace("，", ",").split(",")
        try:
            lon, lat = (float(v) for v in values)
        except (TypeError, ValueError):
            raise self._bad(raw) from None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise self._bad(raw)
        return (lon, lat)


def _number_text(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _shown(raw) -> str:
    """A raw value quoted for a message, control characters escaped and length capped."""
    shown = repr(raw) if not isinstance(raw, str) else repr(raw[:80] + ("…" if len(raw) > 80 else ""))
    return shown


def param(
    default=dataclasses.MISSING,
    *,
    label,
    help,
    kind: str | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    above_minimum: bool = False,
    choices=(),
    unit: str = "",
    words: tuple[str, ...] = (),
    optional: bool = False,
    flag: str | None = None,
    aliases: tuple[str, ...] = (),
    metavar: str | None = None,
    group: str = "",
    when: dict | None = None,
    count: int | None = None,
    increasing: bool = False,
    layer_kinds: tuple[str, ...] = (),
    cli: bool = True,
    gui: bool = True,
    advanced: bool = False,
    const=None,
):
    """A dataclass field that is also a user-facing parameter.

    Parameters
    ----------
    default
        The default value (``None`` with ``optional=True`` means "not set").
    label, help : (zh, en)
        The dialog's label and the one-line explanation shown as hint, tooltip and ``--help``.
    kind : str, optional
        One of :data:`KINDS`; inferred from the default when omitted (int, float, bool, text).
    minimum, maximum : float, optional
        Inclusive bounds of a number (or of each number of a ``numbers`` list);
        ``above_minimum`` makes the minimum exclusive (a positive length).
    choices : sequence of (value, (zh, en))
        The allowed values of a ``choice`` parameter.
    unit : str
        Unit of a number ("m", "days", "min", "km²", "%"), shown with the label.
    words : tuple of str
        Words accepted instead of a value, such as ``("auto",)`` or ``("arcgis", "silverman")``.
    optional : bool
        The parameter may be left empty (``None``).
    flag, aliases, metavar : str
        Command-line option name (default ``--name-with-hyphens``), other accepted names, placeholder.
    group : str
        Section of ``--help`` and of the dialog.
    when : dict, optional
        ``{other_param: (values...)}``: the parameter only matters then (the dialog disables it otherwise).
    count, increasing : optional
        For ``numbers``: an exact count, strictly increasing values.
    layer_kinds : tuple of str
        For ``layer``: the kinds of the input's layers that fit (a file path is also accepted).
    cli, gui : bool
        Whether the command line / the dialog offers it.
    advanced : bool
        Shown under "More options" in the dialog.
    const : optional
        The value of the option given without a value on the command line (``--grids`` alone means all grids).
    """
    if kind is None:
        kind = _kind_of(default)
    if kind not in KINDS:
        raise ValueError(f"unknown parameter kind {kind!r}")
    spec = {
        "kind": kind, "label": text(label), "help": text(help), "minimum": minimum, "maximum": maximum,
        "above_minimum": above_minimum, "choices": tuple(Choice(v, text(t)) for v, t in choices), "unit": unit,
        "words": tuple(w.lower() for w in words), "optional": optional, "flag": flag, "aliases": tuple(aliases),
        "metavar": metavar, "group": group, "when": tuple((k, tuple(v)) for k, v in (when or {}).items()),
        "count": count, "increasing": increasing, "layer_kinds": tuple(layer_kinds), "cli": cli, "gui": gui,
        "advanced": advanced, "const": const,
    }
    if isinstance(default, (list, dict, set)):
        raise ValueError("use a tuple for a sequence default")
    return field(default=default, metadata={"gisapp": spec})


def _kind_of(default) -> str:
    if isinstance(default, bool):
        return "bool"
    if isinstance(default, int):
        return "int"
    if isinstance(default, float):
        return "float"
    if isinstance(default, tuple):
        return "numbers"
    return "text"


def parameters(params_class) -> list[Param]:
    """The declared parameters of a ``*Params`` dataclass, in field order (inherited ones first)."""
    out = []
    for f in dataclasses.fields(params_class):
        spec = f.metadata.get("gisapp")
        if spec is None:
            continue
        default = f.default if f.default is not dataclasses.MISSING else None
        out.append(Param(name=f.name, default=default, **spec))
    return out


# --------------------------------------------------------------------------- methods


@dataclass(frozen=True)
class ResultLayer:
    """A layer a method writes: its stored name, display names and default style (a plain dict)."""

    name: str
    title: Text
    style: dict | None = None
    visible: bool = True


@dataclass(frozen=True)
class Method:
    """One analysis as every front end sees it.

    Attributes
    ----------
    key : str
        The command name (``gisapp hotspot``) and the dialog's key.
    title, summary : Text
        Menu/dialog title; one-line description (``--help`` and the dialog's header).
    params : type
        The ``*Params`` dataclass; its :func:`param` fields are the parameters
        and its optional ``check()`` method the cross-parameter rules.
    run : str
        ``"module:function"`` of the runner, ``run(inputs, params, progress, cancelled)``
        returning an :class:`~gisapp.analysis.core.result.AnalysisResult`. Imported
        only when the method runs.
    layers : tuple of ResultLayer
        The main result layer first, then the extra layers the result carries.
    needs : tuple of str
        Layer kinds the input must hold (``incidents``, ``cameras``, ...).
    uses : tuple of str
        Layer kinds used when present, each overridable by ``--KIND FILE``.
    group : str
        Menu section: hotspots, clusters, spacetime, cameras, patrol, forecast, geocode.
    description : Text
        A longer explanation for ``--help``.
    variant_of, variant_flag : str
        A method the command line offers as a switch of another command
        (``gisapp patrol --plan`` runs the ``plan`` method); the window lists it
        as a method of its own.
    columns : tuple of str, optional
        The incident columns (roles) the method reads besides the positions,
        when it reads few: a reader then parses only those (with the filter's and
        the named fields' columns). None: every column.
    """

    key: str
    title: Text
    summary: Text
    params: type
    run: str
    layers: tuple[ResultLayer, ...]
    needs: tuple[str, ...] = ("incidents",)
    uses: tuple[str, ...] = ()
    group: str = ""
    description: Text = Text("", "")
    variant_of: str = ""
    variant_flag: str = ""
    columns: tuple[str, ...] | None = None

    def parameters(self) -> list[Param]:
        return parameters(self.params)

    def parameter(self, name: str) -> Param:
        for p in self.parameters():
            if p.name == name:
                return p
        raise KeyError(name)

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.parameters()}

    def build(self, values: dict | None = None):
        """The parameters object from raw values (missing ones take their defaults), checked.

        Both front ends call this, so one value is accepted or refused the same way everywhere.
        """
        values = dict(values or {})
        known = {p.name: p for p in self.parameters()}
        unknown = set(values) - set(known)
        if unknown:
            raise InputError(f"{self.key} has no parameter {sorted(unknown)[0]!r}.")
        typed = {name: known[name].parse(raw) for name, raw in values.items()}
        params = self.params(**typed)
        check = getattr(params, "check", None)
        if check is not None:
            check()
        return params

    def values_of(self, params) -> dict:
        """The user-facing values of a parameters object, JSON-ready (for provenance and re-runs)."""
        return {p.name: _jsonable(getattr(params, p.name)) for p in self.parameters()}

    def incident_columns(self, params, incident_filter=None) -> tuple[str, ...] | None:
        """The incident columns a run with ``params`` and ``incident_filter`` reads (None: all of them)."""
        if self.columns is None:
            return None
        needed = list(self.columns)
        if incident_filter is not None and (incident_filter.start or incident_filter.end or incident_filter.hours or incident_filter.weekdays):
            needed.append("occurred_at")
        if incident_filter is not None and incident_filter.categories:
            needed += ["category", "subcategory"]
        needed += [getattr(params, p.name) for p in self.parameters() if p.kind == "field" and getattr(params, p.name)]
        return tuple(dict.fromkeys(needed))

    def runner(self) -> Callable:
        module, _, function = self.run.partition(":")
        return getattr(importlib.import_module(module), function)

    @property
    def main_layer(self) -> ResultLayer:
        return self.layers[0]

    def layer(self, name: str) -> ResultLayer | None:
        for layer in self.layers:
            if layer.name == name:
                return layer
        return None


def _jsonable(value):
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def method(key, title, summary, params, run, layers, **options) -> Method:
    """A :class:`Method` from plain values: ``(zh, en)`` pairs for the texts, ``(name, (zh, en), style)`` for layers."""
    built = tuple(
        layer if isinstance(layer, ResultLayer) else ResultLayer(layer[0], text(layer[1]), *(layer[2:]))
        for layer in layers
    )
    if "description" in options:
        options["description"] = text(options["description"])
    return Method(key, text(title), text(summary), params, run, built, **options)
