"""The route tool: simulated clicks draw a route; undo, redo, save and reopen; vertex editing; Esc; snapping."""

from __future__ import annotations

import shapely
from PyQt6.QtCore import QPoint, Qt


def click(qtbot, canvas, x, y, button=Qt.MouseButton.LeftButton):
    qtbot.mouseClick(canvas, button, pos=QPoint(x, y))


def draw(qtbot, canvas, points):
    for x, y in points[:-1]:
        click(qtbot, canvas, x, y)
    x, y = points[-1]
    click(qtbot, canvas, x, y)
    qtbot.mouseDClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(x, y))


def test_draw_undo_redo_save_reopen(qtbot, make_window, tmp_path):
    window = make_window()
    routes = window.workspace.layers["routes"]
    before = len(routes.data)
    tool = window.editing.activate("route")
    assert window.canvas.map_tool is tool and window.editing.tool_actions["route"].isChecked()
    messages = []
    tool.message.connect(messages.append)
    draw(qtbot, window.canvas, [(300, 300), (420, 310), (500, 400), (560, 420)])
    assert len(routes.data) == before + 1
    line = routes.data.geometry.iloc[-1]
    assert line.geom_type == "LineString" and len(line.coords) == 4
    assert any("km" in m or " m" in m for m in messages) and any("min" in m for m in messages)  # live length and time
    assert routes.data["route_id"].iloc[-1] not in set(routes.data["route_id"].iloc[:-1])
    assert window.controller.dirty

    window.editing.act_undo.trigger()
    assert len(routes.data) == before
    window.editing.act_redo.trigger()
    assert len(routes.data) == before + 1

    path = tmp_path / "drawn.gpkg"
    window.controller.save_as(path)
    other = make_window(layers=False)
    assert other.open_path(path, interactive=False)
    reopened = other.workspace.layers["routes"].data
    assert len(reopened) == before + 1
    assert shapely.equals_exact(reopened.geometry.iloc[-1], line, tolerance=1e-9)


def test_sketch_vertex_drag_delete_and_escape(qtbot, make_window):
    window = make_window()
    canvas = window.canvas
    tool = window.editing.activate("route")
    for x, y in [(300, 300), (400, 300), (500, 300)]:
        click(qtbot, canvas, x, y)
    assert len(tool.vertices) == 3
    # drag the middle vertex down
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(400, 300))
    qtbot.mouseMove(canvas, QPoint(400, 380))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(400, 380))
    assert len(tool.vertices) == 3
    assert tool.screen(*tool.vertices[1]).y() > 370
    # right-click deletes it
    click(qtbot, canvas, 400, 380, Qt.MouseButton.RightButton)
    assert len(tool.vertices) == 2
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)
    assert tool.vertices == []
    qtbot.keyClick(canvas, Qt.Key.Key_Escape)  # nothing left to drop: Esc leaves the tool
    assert canvas.map_tool is None and window.act_pan.isChecked()


def test_drag_vertex_of_saved_route_is_undoable(qtbot, make_window):
    window = make_window()
    canvas = window.canvas
    tool = window.editing.activate("route")
    draw(qtbot, canvas, [(300, 500), (450, 500)])
    routes = window.workspace.layers["routes"]
    old = routes.data.geometry.iloc[-1]
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(450, 500))
    qtbot.mouseMove(canvas, QPoint(470, 560))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(470, 560))
    moved = routes.data.geometry.iloc[-1]
    assert not moved.equals(old) and len(moved.coords) == 2
    assert tool.vertices == []
    window.editing.act_undo.trigger()
    assert routes.data.geometry.iloc[-1].equals(old)


def test_snapping_follows_the_roads(qtbot, make_window):
    window = make_window()
    window.editing.act_snap.trigger()
    tool = window.editing.activate("route")
    assert tool.snap_to_roads
    roads = window.workspace.layers["roads"].data.to_crs(3857)
    # points inside roads (a road's end may be a saved route's vertex, which a click would grab)
    a = roads.geometry.iloc[0].interpolate(0.37, normalized=True).coords[0]
    b = roads.geometry.iloc[len(roads) // 2].interpolate(0.71, normalized=True).coords[0]
    window.canvas.zoom_to_bounds((min(a[0], b[0]) - 500, min(a[1], b[1]) - 500, max(a[0], b[0]) + 500, max(a[1], b[1]) + 500))
    for x, y in (a, b):
        p = tool.screen(x, y)
        click(qtbot, window.canvas, int(p.x()), int(p.y()))
    assert len(tool.vertices) > 2  # the path along the roads, not a straight segment
    tool.cancel()


def test_area_and_measure(qtbot, make_window):
    window = make_window()
    areas = window.workspace.layers["areas"]
    before = len(areas.data)
    window.editing.area_type_actions["market"].trigger()
    window.editing.activate("area")
    draw(qtbot, window.canvas, [(300, 300), (400, 300), (400, 400), (300, 400)])
    assert len(areas.data) == before + 1
    polygon = areas.data.geometry.iloc[-1]
    assert polygon.geom_type == "Polygon" and polygon.is_valid
    assert areas.data["area_type"].iloc[-1] == "market"
    measure = window.editing.activate("measure")
    texts = []
    measure.message.connect(texts.append)
    draw(qtbot, window.canvas, [(300, 300), (400, 300), (400, 400)])
    assert "Area" in texts[-1] and "Distance" in texts[-1]
    assert len(areas.data) == before + 1  # measuring saves nothing
    assert window.workspace.layers.names.count("areas") == 1


def test_delete_key_removes_selection_undoably(qtbot, make_window):
    window = make_window()
    cameras = window.workspace.layers["cameras"]
    n = len(cameras.data)
    window.workspace.select(cameras, [0, 1, 2])
    window.canvas.setFocus()
    window.editing.act_delete.trigger()
    assert len(cameras.data) == n - 3
    window.editing.act_undo.trigger()
    assert len(cameras.data) == n


def test_space_drag_pans_while_drawing(qtbot, make_window):
    window = make_window()
    canvas = window.canvas
    tool = window.editing.activate("route")
    centre = (canvas.view.cx, canvas.view.cy)
    qtbot.keyPress(canvas, Qt.Key.Key_Space)
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    qtbot.mouseMove(canvas, QPoint(360, 330))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(360, 330))
    qtbot.keyRelease(canvas, Qt.Key.Key_Space)
    assert (canvas.view.cx, canvas.view.cy) != centre
    assert tool.vertices == []  # the drag panned instead of drawing


def test_feature_context_menu(qtbot, make_window):
    window = make_window()
    canvas = window.canvas
    cameras = window.workspace.layers["cameras"]
    window.workspace.set_current(cameras)
    pos = canvas.screen_position_of(cameras, 0)
    menu = window.editing.feature_menu(pos.toPoint())
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert "Identify" in texts and "Delete feature" in texts and "Charts for the selection" in texts
    assert 0 in window.workspace.selection(cameras)
    menu.deleteLater()
    window.editing.activate("route")
    assert window.editing.feature_menu(pos.toPoint()) is None  # the drawing tool owns right-clicks


def test_every_new_action_has_a_tooltip(make_window):
    window = make_window()
    actions = [*window.editing.tool_actions.values(), window.editing.act_undo, window.editing.act_redo, window.editing.act_delete,
               window.editing.act_snap, *window.analysis_actions.values(), window.act_charts, window.act_briefing, window.act_print,
               window.act_zoom_in, window.act_remove, window.act_table]
    for act in actions:
        assert act.toolTip() and act.toolTip() != act.text().replace("&", ""), act.text()
