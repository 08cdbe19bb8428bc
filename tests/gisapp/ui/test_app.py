"""``gisapp open PROJECT --screenshot PNG``: off screen, the PNG shows the window, exit code 0; bad input exits 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
from PyQt6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[3]


def test_screenshot_command_writes_a_real_picture(county_project, tmp_path):
    out = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "GISAPP_LANGUAGE": "zh_CN", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-m", "gisapp", "open", str(county_project), "--screenshot", str(out)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1600, 1000)
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    ptr = image.constBits()
    ptr.setsize(image.sizeInBytes())
    pixels = np.frombuffer(ptr, dtype=np.uint32).copy()
    assert len(np.unique(pixels)) > 500  # a window with a map, not a blank or one-colour frame
    centre = pixels.reshape(1000, -1)[350:650, 600:1000]
    assert len(np.unique(centre)) > 50  # the map area itself has content


def test_open_missing_project_exits_2(isolated_settings, tmp_path, capsys, qapp):
    from gisapp.cli import main

    code = main(["open", str(tmp_path / "nowhere.gpkg"), "--screenshot", str(tmp_path / "x.png")])
    assert code == 2
    err = capsys.readouterr().err
    assert "does not exist" in err and "Traceback" not in err
    assert not (tmp_path / "x.png").exists()
    from PyQt6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
