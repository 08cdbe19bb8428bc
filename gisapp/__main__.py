"""``python -m gisapp``: the command line (the desktop app without a command)."""

from gisapp.cli import entry

entry()
