"""One module per subcommand, each with ``register(subparsers, commands)``.

Modules are discovered, so adding a subcommand touches no shared file.
"""

from __future__ import annotations

import importlib
import pkgutil

# Helpers that are not subcommands themselves.
_NOT_COMMANDS = {"common", "options"}


def register_all(subparsers, commands) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name in _NOT_COMMANDS:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        if hasattr(module, "register"):
            module.register(subparsers, commands)
