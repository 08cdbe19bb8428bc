"""The command line starts at once: parsing, ``--help`` and ``--version`` import no scientific package."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("numpy", "pandas", "geopandas", "scipy", "sklearn", "matplotlib", "PyQt6", "shapely", "pyproj", "pyogrio", "esda", "libpysal")

PROBE = """
import contextlib, io, json, sys
from gisapp.cli import build_parser
parser = build_parser()
for argv in ARGVS:
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            parser.parse_args(argv)
        except SystemExit:
            pass
print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))
"""


def _loaded(argvs) -> set[str]:
    run = subprocess.run([sys.executable, "-c", PROBE.replace("ARGVS", repr(argvs))], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    return set(json.loads(run.stdout))


def test_help_and_version_import_no_scientific_stack():
    from gisapp.cli import build_parser

    commands = list(build_parser()._subparsers._group_actions[0].choices)  # every subcommand, generated or written
    assert {"hotspot", "lisa", "kde", "cluster", "emerging", "nearrepeat", "compare", "concentration", "inspect", "brief", "print"} <= set(commands)
    loaded = _loaded([["--help"], ["--version"], *[[command, "--help"] for command in commands]])
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_parsing_a_full_command_line_imports_no_scientific_stack():
    loaded = _loaded([["hotspot", "in.csv", "--cell", "50", "--band", "75", "--from", "2024-01-01", "--out", "o.gpkg"]])
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


@pytest.mark.parametrize("typo", ["--permu", "--perm", "--ce"])  # (--per is an option of its own: rates per population)
def test_abbreviated_options_are_refused(typo, tmp_path):
    # argparse once read "--per population" as "--permutations population"
    run = subprocess.run([sys.executable, "-m", "gisapp", "hotspot", "x.gpkg", typo, "9", "--out", str(tmp_path / "o.gpkg")],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 2 and "unrecognized arguments" in run.stderr and len(run.stderr.strip().splitlines()) == 1
