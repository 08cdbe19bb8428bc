"""The first view through the real start path (issue 16): the window opens on the data, not on a speck.

The view used to be fitted while the window was still being built, before the
canvas had its size, so ``gisapp open`` showed the sample county at 1:3,505,230.
``--screenshot`` hid it by fitting again; these tests start the app with
:func:`gisapp.ui.app.run_app` exactly as ``gisapp`` and ``gisapp open`` do, let
the event loop run, and read the canvas.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from gisapp.layers.project import load_project, save_project


#: Started in a fresh process, as ``gisapp open`` is: run_app with the event loop running, then read the canvas.
START = textwrap.dedent(
    """
    import json, sys
    from PyQt6.QtCore import QTimer
    from PyQt6.QtWidgets import QApplication
    from gisapp.ui.app import application, run_app
    from gisapp.ui.main_window import MainWindow

    app = application()
    seen = {}

    def look():
        window = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()][-1]
        canvas = window.canvas
        seen.update(extent=canvas.view.extent, data=canvas.full_bounds(), size=(canvas.width(), canvas.height()),
                    scale=window.scale_label.text(), title=window.windowTitle(), log=window.results.log_text(),
                    n_layers=len(window.workspace.layers))
        window.controller.set_dirty(False)
        window.close()
        app.quit()

    QTimer.singleShot(int(sys.argv[2]), look)
    run_app(sys.argv[1] if sys.argv[1] != "-" else None, language="zh_CN")
    print(json.dumps(seen, ensure_ascii=False))
    """
)


def _started_window_view(project_path, home: Path, when_ms: int = 600) -> dict:
    """Start the app on ``project_path`` the way ``gisapp open`` does, in its own process with its own settings."""
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / "config"), "XDG_DATA_HOME": str(home / "data"),
           "XDG_CACHE_HOME": str(home / "cache"), "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    env.pop("GISAPP_LANGUAGE", None)
    run = subprocess.run([sys.executable, "-c", START, str(project_path) if project_path else "-", str(when_ms)],
                         capture_output=True, text=True, env=env, timeout=240)
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def _fills_the_view(seen) -> float:
    """How much of the view the data span along their tighter axis (1.0: edge to edge)."""
    xmin, ymin, xmax, ymax = seen["extent"]
    dx0, dy0, dx1, dy1 = seen["data"]
    inside = dx0 >= xmin - 1 and dy0 >= ymin - 1 and dx1 <= xmax + 1 and dy1 <= ymax + 1
    assert inside, (seen["extent"], seen["data"])
    return max((dx1 - dx0) / (xmax - xmin), (dy1 - dy0) / (ymax - ymin))


@pytest.fixture
def clean_start(tmp_path) -> Path:
    """A home folder with no settings (no last project): what a first start sees."""
    home = tmp_path / "home"
    home.mkdir()
    return home


def test_open_a_plain_geopackage_starts_at_its_extent_and_says_what_loaded(clean_start, sample_dir):
    seen = _started_window_view(sample_dir / "county.gpkg", clean_start)
    assert seen["size"][0] > 300 and seen["size"][1] > 200  # the canvas had its real size when fitted
    assert _fills_the_view(seen) > 0.8
    n = seen["n_layers"]
    assert n >= 6
    # the log names the file and the layers that loaded, not "Untitled: 0 layers"
    assert f"已导入 county.gpkg：{n} 个图层" in seen["log"], seen["log"]
    assert "0 个图层" not in seen["log"]
    assert "county.gpkg" in seen["title"] and "未命名" not in seen["title"]


def test_no_argument_opens_the_sample_county_at_its_extent(clean_start):
    seen = _started_window_view(None, clean_start)
    assert _fills_the_view(seen) > 0.8


def test_a_project_whose_saved_view_is_a_speck_opens_at_its_data(clean_start, county_project, tmp_path):
    project = load_project(county_project)
    speck = {"crs": "EPSG:3857", "center": [11_700_000.0, 3_645_000.0], "resolution": 4000.0}  # the old 1:3.5M view
    project.view = speck
    path = save_project(project, tmp_path / "speck.gpkg")
    seen = _started_window_view(path, clean_start)
    assert _fills_the_view(seen) > 0.8
    assert "speck" in seen["title"] and "已打开 speck：" in seen["log"]


def test_a_project_whose_saved_view_shows_its_data_reopens_there(clean_start, county_project, tmp_path, truth):
    from gisapp.ui.canvas.view import lonlat_to_mercator

    project = load_project(county_project)
    x, y = lonlat_to_mercator(truth["seat_centre"]["lon"], truth["seat_centre"]["lat"])
    project.view = {"crs": "EPSG:3857", "center": [float(x), float(y)], "resolution": 3.0}  # zoomed in on the seat
    path = save_project(project, tmp_path / "seat.gpkg")
    seen = _started_window_view(path, clean_start)
    xmin, ymin, xmax, ymax = seen["extent"]
    assert (xmax - xmin) / seen["size"][0] == pytest.approx(3.0)
    assert (xmin + xmax) / 2 == pytest.approx(float(x), abs=1) and (ymin + ymax) / 2 == pytest.approx(float(y), abs=1)
