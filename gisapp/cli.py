"""The ``gisapp`` command line: the same work as the desktop app, headless.

Exit codes: 0 success, 2 bad input or arguments (one line on stderr), 1 an
internal error. No traceback is shown for a user mistake; set
``GISAPP_DEBUG=1`` to see one for an internal error.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from typing import Callable, Sequence

from gisapp.layers.errors import GisappError

#: subcommand name -> function(args) -> exit code; filled by ``command``.
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


class _ArgumentParser(argparse.ArgumentParser):
    """One-line errors with exit code 2, and no abbreviated options (``--per`` is not ``--permutations``)."""

    def __init__(self, *args, **kwargs):
        kwargs["allow_abbrev"] = False
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> None:  # one line, exit 2, as for any bad input
        self.exit(2, f"gisapp: {message} (see gisapp {self.prog.split()[-1]} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    from . import __version__
    from .commands import register_all

    parser = _ArgumentParser(prog="gisapp", description="Crime mapping and hotspot analysis. Without a command, opens the desktop app.")
    parser.add_argument("--version", action="version", version=f"gisapp {__version__}")
    subparsers = parser.add_subparsers(dest="command", parser_class=_ArgumentParser)
    register_all(subparsers, COMMANDS)
    return parser


#: Commands after which the process may end without tearing its objects down (see :func:`entry`).
_QUICK_EXIT = {"open": False}


def entry() -> None:
    """The console script and ``python -m gisapp``: run :func:`main`, then end the process.

    Freeing half a million geometries and the loaded modules one by one at
    interpreter exit takes about 0.3 s, longer than some analyses, and every
    file is already written and closed when a command returns; so, output
    flushed, the process ends at once. The desktop app exits normally, so Qt
    saves its settings.
    """
    code = main()
    if _QUICK_EXIT.get("allowed"):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["open"])
    _QUICK_EXIT["allowed"] = args.command != "open"
    try:
        return COMMANDS[args.command](args)
    except GisappError as error:
        print(f"gisapp: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader (head, less) went away; nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("gisapp: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # an internal error: say so briefly, never dump on the user
        if os.environ.get("GISAPP_DEBUG"):
            traceback.print_exc()
        print(f"gisapp: internal error ({type(error).__name__}: {error}); set GISAPP_DEBUG=1 to see details.", file=sys.stderr)
        return 1
