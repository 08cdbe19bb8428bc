"""The subcommands: one generated per declared method, plus the hand-written ones (open, inspect, brief, print).

Generated commands come from :mod:`gisapp.analysis.catalog` (see
:mod:`.method_cli`); a hand-written command is a module here with
``register(subparsers, commands)``. Modules are discovered, so adding either
touches no shared file. Registering imports no scientific package: every
command imports what it uses when it runs.
"""

from __future__ import annotations

import importlib
import pkgutil

#: Helpers that are not subcommands themselves.
_NOT_COMMANDS = {"common", "options", "arguments", "method_cli", "output", "progress"}


def register_all(subparsers, commands) -> None:
    from gisapp.analysis.catalog import methods

    from .method_cli import register_method

    declared = methods().values()
    for method in declared:
        if not method.variant_of:
            register_method(subparsers, commands, method, tuple(v for v in declared if v.variant_of == method.key))
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name in _NOT_COMMANDS:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(subparsers, commands)
