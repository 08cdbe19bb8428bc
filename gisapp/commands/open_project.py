"""``gisapp open PROJECT`` (and ``gisapp`` alone): the desktop app.

With no screen (a server, CI, an SSH session) and no project named, ``gisapp``
writes the headless briefing of the sample county instead, so the README's
first command does something useful everywhere.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..data_files import sample_project

SAMPLE = sample_project()
HEADLESS_BRIEF = Path("county_brief.html")


def register(subparsers, commands) -> None:
    parser = subparsers.add_parser("open", help="open a project in the desktop app")
    parser.add_argument("project", nargs="?", help="a project GeoPackage (the last project or the sample county when omitted)")
    parser.add_argument("--screenshot", metavar="PNG", help="render the window off screen to PNG and exit")
    commands["open"] = run


def has_screen() -> bool:
    """False on Linux with no X11/Wayland display and no explicit Qt platform (offscreen counts as asked for)."""
    if not sys.platform.startswith("linux"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM"))


def run(args: argparse.Namespace) -> int:
    if args.project is None and args.screenshot is None and not has_screen():
        return _headless_briefing()
    from .. import ui

    return ui.run_app(args.project, screenshot=args.screenshot)


def _headless_briefing() -> int:
    from ..cli import main

    print(f"gisapp: no screen here, so instead of the desktop app this writes the sample county's briefing to {HEADLESS_BRIEF.resolve()}", file=sys.stderr)
    return main(["brief", str(SAMPLE), "--out", str(HEADLESS_BRIEF)])
