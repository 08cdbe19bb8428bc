"""Long commands show their progress on a terminal's stderr, and nowhere else."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from gisapp.commands.progress import TerminalProgress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_rewrites_one_line_and_clears_it():
    stream = Terminal()
    with TerminalProgress(stream) as progress:
        progress(0.0, "Reading county.gpkg")
        progress(1.0, "Writing out.gpkg")  # a finished stage is always drawn, however soon
    text = stream.getvalue()
    assert "[  0%] Reading county.gpkg" in text and "[100%] Writing out.gpkg" in text
    assert "\n" not in text and text.endswith("\r")  # one line, rewritten in place, then cleared


def test_nothing_is_drawn_when_stderr_is_not_a_terminal():
    stream = io.StringIO()
    with TerminalProgress(stream) as progress:
        progress(0.5, "Permutation 500 of 999")
    assert stream.getvalue() == ""


def test_json_output_stays_clean(sample_dir, tmp_path):
    run = subprocess.run([sys.executable, "-m", "gisapp", "hotspot", str(sample_dir / "county.gpkg"), "--cell", "400", "--band", "800",
                          "--out", str(tmp_path / "h.gpkg"), "--json"], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["cells"] > 0 and run.stderr == ""
