"""``gisapp`` with no screen writes the sample county's briefing instead of failing to open a window."""

from __future__ import annotations

import os
import subprocess
import sys

from gisapp.commands.open_project import has_screen


def test_no_screen_means_the_headless_briefing(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "gisapp"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    page = (tmp_path / "county_brief.html").read_text(encoding="utf-8")
    assert "leaflet" in page.lower() and "西门市场" in page
    assert "no screen here" in result.stderr


def test_offscreen_platform_counts_as_a_screen(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert has_screen()
