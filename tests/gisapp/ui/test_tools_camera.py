"""The camera tool: click to place, drag to aim, the panel edits FOV/range/kind; the drawn sector follows."""

from __future__ import annotations

import numpy as np
from PyQt6.QtCore import QPoint, Qt

from gisapp.ui.tools.camera import bearing


def changed_pixels(a, b) -> int:
    from PyQt6.QtGui import QImage

    def arr(image):
        image = image.convertToFormat(QImage.Format.Format_ARGB32)
        ptr = image.constBits()
        ptr.setsize(image.sizeInBytes())
        return np.frombuffer(ptr, dtype=np.uint32).copy()

    return int((arr(a) != arr(b)).sum())


def test_bearing_is_compass_degrees():
    assert bearing(0, 0, 0, 1) == 0
    assert bearing(0, 0, 1, 0) == 90
    assert bearing(0, 0, 0, -1) == 180
    assert bearing(0, 0, -1, 0) == 270


def test_place_aim_edit_and_undo(qtbot, make_window):
    window = make_window()
    canvas = window.canvas
    cameras = window.workspace.layers["cameras"]
    n = len(cameras.data)
    # zoom in so a sector is many pixels wide
    tool = window.editing.activate("camera")
    assert window.editing.camera_dock.isVisible()
    centre = cameras.data.to_crs(3857).geometry.iloc[0]
    canvas.zoom_to_bounds((centre.x - 400, centre.y - 400, centre.x + 400, centre.y + 400))
    here = tool.screen(centre.x + 150, centre.y + 150)
    start = QPoint(int(here.x()), int(here.y()))
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, start + QPoint(60, 0))  # drag east
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start + QPoint(60, 0))
    assert len(cameras.data) == n + 1
    new = cameras.data.iloc[-1]
    assert abs(new["heading_deg"] - 90) < 2 and new["kind"] == "fixed" and new["status"] == "planned"
    assert window.editing.camera_panel.which.text() == new["name"]

    first = canvas.render_layers()
    # re-aim it: drag from the camera towards the south
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, start + QPoint(0, 60))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start + QPoint(0, 60))
    assert len(cameras.data) == n + 1
    assert abs(cameras.data["heading_deg"].iloc[-1] - 180) < 2
    aimed = canvas.render_layers()
    assert changed_pixels(first, aimed) > 200  # the sector turned on the map

    panel = window.editing.camera_panel
    panel.fov.setValue(120)
    panel.range.setValue(150)
    assert cameras.data["fov_deg"].iloc[-1] == 120 and cameras.data["range_m"].iloc[-1] == 150
    wider = canvas.render_layers()
    assert changed_pixels(aimed, wider) > 200
    panel.kind.setCurrentIndex(panel.kind.findData("dome"))
    assert cameras.data["kind"].iloc[-1] == "dome" and cameras.data["fov_deg"].iloc[-1] == 360

    stack = window.editing.undo_stack
    for _ in range(4):  # kind, range, fov, heading
        stack.undo()
    assert abs(cameras.data["heading_deg"].iloc[-1] - 90) < 2 and cameras.data["fov_deg"].iloc[-1] == 70
    stack.undo()
    assert len(cameras.data) == n


def test_live_sector_preview_while_dragging(qtbot, make_window):
    window = make_window()
    canvas = window.canvas
    tool = window.editing.activate("camera")
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    qtbot.mouseMove(canvas, QPoint(300, 240))
    assert tool._heading is not None and abs(tool._heading) < 2  # north
    image = canvas.grab()
    assert not image.isNull()
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)  # Esc drops the camera being placed
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(300, 240))
    assert tool._placing is None
