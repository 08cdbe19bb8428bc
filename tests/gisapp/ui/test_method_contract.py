"""The command line and the window accept and reject the same values, for every parameter of every method.

Both front ends are generated from one declaration (``gisapp.analysis.core.contract``).
For each parameter, a set of raw values (in range, out of range, at the
bounds, words such as ``auto``, nonsense) goes through the real argparse
parser and through the dialog's real widget, and each side says whether it
took the value: the two answers must agree, and where both take it they must
mean the same value.
"""

from __future__ import annotations

import pytest

from gisapp.analysis.catalog import methods
from gisapp.cli import build_parser
from gisapp.commands.arguments import given_values
from gisapp.layers.errors import InputError
from gisapp.ui.analysis.dialog import open_analysis_dialog

METHODS = methods()


def candidates(p) -> list:
    """Raw values worth trying for parameter ``p``: typical, boundary, outside, words and nonsense."""
    values = ["nonsense", "auto", "arcgis"]
    if p.kind in ("int", "float"):
        values += [p.default, 0, 1, -1, 2.5, 1e9]
        values += [bound for bound in (p.minimum, p.maximum) if bound is not None]
        values += [p.minimum - 1] if p.minimum is not None else []
        values += [p.maximum + 1] if p.maximum is not None else []
    elif p.kind == "choice":
        values += [choice.value for choice in p.choices]
    elif p.kind == "bool":
        values = [True, False]
    elif p.kind == "numbers":
        values += ["1,2,3", "3,2,1", "0,100", "5", "1,2,3,4", "a,b"]
    elif p.kind == "point":
        values += ["105.1,31.1", "200,10", "1,2,3"]
    elif p.kind == "date":
        values += ["2024-02-29", "2023-02-29"]
    else:
        values += ["grids", "areas", "square", "name"]
    return [v for v in values if v is not None]


def cli_takes(method, p, raw):
    """The value the generated command line makes of ``raw``, or None when it refuses it."""
    parser = build_parser()
    option = [p.option if raw else "--no-" + p.option[2:]] if p.kind == "bool" else [p.option, str(raw)]
    try:
        args = parser.parse_args([method.variant_of or method.key, "in.gpkg", *option, "--out", "o.gpkg",
                                  *([method.variant_flag] if method.variant_flag else [])])
        params = method.build({p.name: given_values(args, [p])[p.name]})
    except (SystemExit, InputError):
        return None
    return getattr(params, p.name)


def gui_takes(method, field, p, raw):
    """The value the dialog makes of ``raw`` typed or chosen in its widget, or None when the widget cannot hold it."""
    field.set_value(raw)
    shown = field.value()
    try:
        wanted = p.parse(raw)
        if p.parse(shown) != wanted:
            return None  # the widget clamped or dropped the value: it does not take it
        params = method.build({p.name: shown})
    except InputError:
        return None
    return getattr(params, p.name)


@pytest.mark.parametrize("key", list(METHODS))
def test_the_window_and_the_command_line_take_the_same_values(qtbot, make_window, key):
    method = METHODS[key]
    window = make_window()
    dialog = open_analysis_dialog(window, key)
    disagreements = []
    for p in method.parameters():
        if not (p.cli and p.gui):
            continue
        field = dialog.fields[p.name]
        for raw in candidates(p):
            by_cli, by_gui = cli_takes(method, p, raw), gui_takes(method, field, p, raw)
            if by_cli != by_gui:
                disagreements.append(f"{p.name}={raw!r}: command line {by_cli!r}, window {by_gui!r}")
        field.set_value(p.default)
    dialog.close()
    assert disagreements == []


def test_every_parameter_is_offered_by_both_front_ends():
    for method in METHODS.values():
        for p in method.parameters():
            if p.kind == "layer" and p.gui and not p.cli:
                continue  # the window's choice of a layer to work on is the command line's INPUT argument
            assert p.cli and p.gui, f"{method.key}.{p.name} is missing from a front end"
