"""argparse options generated from parameter declarations (:mod:`gisapp.analysis.core.contract`).

Every option is read as text and turned into its value by the parameter's own
parser (:meth:`Param.parse`, through :meth:`Method.build`), the same one the
window's dialog uses, so both front ends accept and reject the same values.
Nothing here imports a scientific package.
"""

from __future__ import annotations

import argparse
import os

from gisapp.analysis.core.contract import Param

#: argparse's default abbreviation matching turned ``--per population`` into ``--permutations population``.
ALLOW_ABBREV = False


def language(args: argparse.Namespace | None = None) -> str:
    """``zh`` or ``en``: ``--lang`` when given, else the locale (``LANG=zh_CN.UTF-8`` speaks Chinese)."""
    chosen = getattr(args, "lang", None)
    if chosen:
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def add_params(parser, params: list[Param], groups: dict | None = None) -> None:
    """Add one option per command-line parameter, in argument groups named by ``Param.group``."""
    groups = {} if groups is None else groups
    for p in params:
        if not p.cli:
            continue
        target = parser
        if p.group:
            if p.group not in groups:
                groups[p.group] = parser.add_argument_group(p.group)
            target = groups[p.group]
        add_param(target, p)


def add_param(parser, p: Param) -> None:
    names = [p.option, *p.aliases]
    help_text = _help(p)
    if p.kind == "bool":
        parser.add_argument(*names, dest=p.name, action=argparse.BooleanOptionalAction, default=None, help=help_text)
    elif p.kind == "list":
        parser.add_argument(*names, dest=p.name, action="append", default=None, metavar=p.metavar or "VALUE", help=help_text)
    elif p.const is not None:
        parser.add_argument(*names, dest=p.name, nargs="?", const=p.const, default=None, metavar=p.metavar or _metavar(p), help=help_text)
    else:
        parser.add_argument(*names, dest=p.name, default=None, metavar=p.metavar or _metavar(p), help=help_text)


def given_values(args: argparse.Namespace, params: list[Param]) -> dict:
    """The raw values of the options the user gave (the others keep their declared defaults)."""
    values = {}
    for p in params:
        raw = getattr(args, p.name, None)
        if raw is None:
            continue
        if p.kind == "list":  # repeatable, and each occurrence may hold a comma-separated list
            raw = [item for occurrence in raw for item in str(occurrence).replace("，", ",").split(",") if item.strip()]
        values[p.name] = raw
    return values


def _help(p: Param) -> str:
    text = p.help.en
    default = p.format(p.default)
    if p.kind == "bool":
        text += f" (default {'on' if p.default else 'off'})"
    elif default not in ("",):
        text += f" (default {default})"
    return text.replace("%", "%%")


def _metavar(p: Param) -> str:
    if p.kind == "choice":
        return "{" + ",".join(str(c.value) for c in p.choices) + "}"
    if p.kind == "numbers":
        return "N,N,..."
    if p.kind in ("int", "float"):
        unit = "M" if p.unit == "m" else "N"
        return unit + "".join("|" + w for w in p.words)
    if p.kind == "layer":
        return "|".join((*p.words, *p.layer_kinds, "FILE"))
    if p.kind == "point":
        return "LON,LAT"
    return p.name.upper()
