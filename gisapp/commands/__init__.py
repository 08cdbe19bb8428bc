"""One module per subcommand; each has ``register(subparsers, commands)``."""

from __future__ import annotations

from . import inspect_file, open_project


def register_all(subparsers, commands) -> None:
    for module in (open_project, inspect_file):
        module.register(subparsers, commands)
