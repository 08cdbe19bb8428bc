"""``gisapp open PROJECT`` (and ``gisapp`` alone): the desktop app."""

from __future__ import annotations

import argparse

from layers.errors import InputError


def register(subparsers, commands) -> None:
    parser = subparsers.add_parser("open", help="open a project in the desktop app")
    parser.add_argument("project", nargs="?", help="a project GeoPackage (the sample county when omitted)")
    parser.add_argument("--screenshot", metavar="PNG", help="render the window off screen to PNG and exit")
    commands["open"] = run


def run(args: argparse.Namespace) -> int:
    try:
        from .. import ui
    except ImportError:
        ui = None
    if ui is None or not hasattr(ui, "run_app"):
        raise InputError("The desktop app is not part of this build yet; use the subcommands (gisapp --help).")
    return ui.run_app(args.project, screenshot=args.screenshot)
