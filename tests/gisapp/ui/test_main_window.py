"""The main window on the sample county: open, layers, style, filters, selection, save, recovery, errors."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
from PyQt6.QtCore import QModelIndex, QPoint, Qt

from gisapp.layers.filters import IncidentFilter

from .conftest import close_error_boxes


def colour_pixels(image, colour: str, tolerance: int = 12) -> int:
    """How many pixels of a QImage are within ``tolerance`` of ``colour`` (#rrggbb)."""
    from PyQt6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_RGB32)
    ptr = image.constBits()
    ptr.setsize(image.sizeInBytes())
    pixels = np.frombuffer(ptr, dtype=np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)[:, : image.width(), :3].copy()
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    target = np.array([b, g, r])  # RGB32 is BGRA in memory on little-endian machines
    return int((np.abs(pixels.astype(int) - target).max(axis=2) <= tolerance).sum())


def test_open_sample_project(make_window, county_project):
    window = make_window(layers=False)
    assert window.open_path(county_project, interactive=False)
    names = window.workspace.layers.names
    assert set(names) == {"incidents", "grids", "areas", "cameras", "routes", "roads", "addresses"}
    assert window.layer_panel.model.rowCount() == 7
    assert window.workspace.current_layer.kind == "incidents"
    assert window.table.model.rowCount() == len(window.workspace.layers["incidents"].data)
    image = window.canvas.render_layers()
    assert window.canvas.last_render_ms < 2000
    assert len(np.unique(_pixels(image))) > 20  # something was drawn
    assert "gisapp" in window.windowTitle() and "county" in window.windowTitle()
    window._show_cursor(window.canvas.view.cx, window.canvas.view.cy)
    assert "EPSG:4544" in window.metres_label.text()  # the sample's CGCS2000 3° zone
    assert "1:" in window.scale_label.text()


def _pixels(image):
    from PyQt6.QtGui import QImage

    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    ptr = image.constBits()
    ptr.setsize(image.sizeInBytes())
    return np.frombuffer(ptr, dtype=np.uint32).copy()  # the converted image dies with this function


def test_toggle_and_reorder_layers(make_window):
    window = make_window()
    model, layers = window.layer_panel.model, window.workspace.layers
    top = model.index(0, 0)
    assert model.layer_at(top) is layers[len(layers) - 1]  # the panel lists the top layer first
    incidents = layers["incidents"]
    index = model.index_of(incidents)
    assert model.setData(index, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert incidents.visible is False
    assert model.data(index, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert incidents.visible is True

    # drag the bottom layer (grids) to the top of the panel
    bottom_row = model.rowCount() - 1
    assert model.layer_at(model.index(bottom_row, 0)).name == "grids"
    mime = model.mimeData([model.index(bottom_row, 0)])
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert layers.names[-1] == "grids"
    assert model.layer_at(model.index(0, 0)).name == "grids"
    assert [model.layer_at(model.index(r, 0)).name for r in range(model.rowCount())] == list(reversed(layers.names))
    assert window.controller.dirty

    # and one step down again through the LayerList: the panel follows the model
    layers.move(len(layers) - 1, 0)
    assert model.layer_at(model.index(model.rowCount() - 1, 0)).name == "grids"


def test_opacity_rename_and_remove(make_window, answers):
    window = make_window()
    panel, layers = window.layer_panel, window.workspace.layers
    roads = layers["roads"]
    window.workspace.set_current(roads)
    panel.opacity.setValue(35)
    assert roads.opacity == 0.35 and panel.opacity_value.text() == "35%"
    assert panel.model.setData(panel.model.index_of(roads), "道路")
    assert roads.name == "道路" and window.table.layer_box.findText("道路") >= 0
    answers.append("no")
    window.remove_layer(roads)
    assert "道路" in layers
    answers.append("yes")
    window.remove_layer(roads)
    assert "道路" not in layers and panel.model.rowCount() == 6
    assert window.table.layer_box.findText("道路") < 0


def test_change_style_redraws(make_window):
    from gisapp.ui.style_dialog import StyleDialog

    window = make_window()
    for layer in window.workspace.layers:
        layer.visible = layer.name == "grids"
    grids = window.workspace.layers["grids"]
    dialog = StyleDialog(grids, window)
    dialog.fill.set_colour("#00c000ff")
    dialog.colour.set_colour("#202020")
    assert dialog.apply()
    dialog.close()
    assert grids.style["fill"] == "#00c000ff"
    assert colour_pixels(window.canvas.render_layers(), "#00c000") > 10_000

    # categorised by grid: as many legend entries as grids (up to the palette), shown in the panel
    grids.style = {"type": "categorized", "field": "township", "color": "#808080"}
    model = window.layer_panel.model
    assert model.rowCount(model.index_of(grids)) == grids.data["township"].nunique()


def test_graduated_gi_bin_colours(make_window, county_layers):
    import geopandas as gpd

    from gisapp.layers import Layer
    from gisapp.ui.styles import GI_BIN_COLOURS

    grids = next(d for n, k, d, s, r in county_layers if n == "grids")
    cells = gpd.GeoDataFrame({"gi_bin": np.resize(np.arange(-3, 4), len(grids))}, geometry=grids.geometry.values, crs=grids.crs)
    window = make_window(layers=[Layer("hotspots", "result", cells)])
    assert window.workspace.layers["hotspots"].style["type"] == "graduated"  # the Gi* preset was chosen
    image = window.canvas.render_layers()
    for b in (3, -3):
        assert colour_pixels(image, GI_BIN_COLOURS[b]) > 200
    labels = [model_text for model_text in _legend_texts(window, "hotspots")]
    assert labels[0] == "Hot spot, 99% confidence" and labels[-1] == "Cold spot, 99% confidence"


def _legend_texts(window, name):
    model = window.layer_panel.model
    parent = model.index_of(window.workspace.layers[name])
    return [model.data(model.index(r, 0, parent)) for r in range(model.rowCount(parent))]


def test_filters_change_map_and_table(make_window, qtbot):
    window = make_window()
    incidents = window.workspace.layers["incidents"]
    data = incidents.data
    bar = window.filter_bar
    theft = next(bar.categories.item(r) for r in range(bar.categories.count()) if bar.categories.item(r).data(Qt.ItemDataRole.UserRole) == "盗窃")
    theft.setCheckState(Qt.CheckState.Checked)
    bar.weekday_buttons[5].setChecked(True)  # Saturday
    bar.weekday_buttons[6].setChecked(True)  # Sunday
    bar.use_hours.setChecked(True)
    bar.hour_from.setValue(8)
    bar.hour_to.setValue(18)
    with qtbot.waitSignal(bar.applied, timeout=3000):
        pass  # the bar applies by itself after a short pause
    expected = IncidentFilter(categories=["盗窃"], weekdays=[6, 7], hours=(8, 18)).mask(data)
    assert window.workspace.visible_count(incidents) == expected.sum() > 0
    assert window.table.model.rowCount() == expected.sum()
    assert f"{expected.sum():,}" in bar.count.text()
    assert window.workspace.filter.to_dict() == {"hours": [8, 18], "weekdays": [6, 7], "categories": ["盗窃"]}
    before = window.canvas.render_layers()
    # the map shows fewer incident pixels than without the filter
    bar.reset()
    assert window.workspace.visible_count(incidents) == len(data)
    after = window.canvas.render_layers()
    assert len(np.flatnonzero(_pixels(after))) > len(np.flatnonzero(_pixels(before)))


def test_bad_filter_is_refused(make_window):
    window = make_window()
    bar = window.filter_bar
    bar.use_dates.setChecked(True)
    bar.date_from.setDate(bar.date_from.maximumDate())
    bar.date_to.setDate(bar.date_to.minimumDate())
    assert not bar.apply_now()
    assert "after it ends" in bar.count.text()
    assert window.workspace.filter.is_empty()


def test_select_on_map_selects_table_row(make_window, qtbot):
    window = make_window()
    window.act_select.trigger()
    canvas = window.canvas
    incidents = window.workspace.layers["incidents"]
    # zoom to street level around one incident so a click hits exactly one point
    row = 1234
    pos = canvas.screen_position_of(incidents, row)
    canvas.zoom_by(64.0, pos)
    pos = canvas.screen_position_of(incidents, row)
    target = canvas.feature_at(incidents, pos)
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(round(pos.x()), round(pos.y())))
    selected = window.workspace.selection(incidents)
    assert list(selected) == [target]
    assert list(window.table.selected_positions()) == [target]
    assert window.selected_label.text().startswith("1 ")

    # rubber band: everything in a 200 x 150 box around it
    x, y = round(pos.x()), round(pos.y())
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(x - 100, y - 75))
    qtbot.mouseMove(canvas, QPoint(x, y))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(x + 100, y + 75))
    box = window.workspace.selection(incidents)
    assert len(box) > 1 and target in box
    assert np.array_equal(window.table.selected_positions(), box)

    # and the other way: selecting table rows selects on the map
    window.table.view.selectRow(0)
    first = int(window.table.model.rows[0])
    assert list(window.workspace.selection(incidents)) == [first]


def test_save_reopen_same_state(make_window, tmp_path):
    window = make_window()
    layers = window.workspace.layers
    layers["roads"].visible = False
    layers["grids"].opacity = 0.4
    layers["areas"].style = {"type": "single", "color": "#123456", "fill": "#12345640"}
    layers.move(0, len(layers) - 1)
    window.workspace.set_filter(IncidentFilter(categories=["诈骗"], hours=(20, 6)))
    window.canvas.zoom_by(3.0)
    path = tmp_path / "saved.gpkg"
    window.controller.save_as(path)
    assert not window.controller.dirty and not window.isWindowModified()
    states = [layer.state() for layer in layers]
    view = window.canvas.view.state()

    again = make_window(layers=False)
    assert again.open_path(path, interactive=False)
    assert [layer.state() for layer in again.workspace.layers] == states
    assert again.workspace.filter.to_dict() == {"hours": [20, 6], "categories": ["诈骗"]}
    assert again.canvas.view.state()["center"] == pytest.approx(view["center"])
    assert again.canvas.view.resolution == pytest.approx(view["resolution"])
    assert again.filter_bar.use_hours.isChecked() and again.filter_bar.hour_from.value() == 20
    assert again.workspace.visible_count(again.workspace.layers["incidents"]) == window.workspace.visible_count(layers["incidents"])
    assert str(path.resolve()) in again.settings.recent_projects()


def test_crash_then_recover_from_autosave(make_window, fresh_layers, tmp_path, qtbot, answers):
    from gisapp.layers import LayerList
    from gisapp.layers.project import Project, save_project

    project = tmp_path / "work.gpkg"  # a small project keeps the three opens quick
    save_project(Project(LayerList(fresh_layers(["grids", "areas", "routes"]))), project)
    window = make_window(layers=False)
    window.open_path(project, interactive=False)
    window.workspace.layers["grids"].style = {"type": "single", "color": "#ff00ff", "fill": "#00000000"}
    assert window.controller.dirty
    with qtbot.waitSignal(window.controller.autosaved, timeout=20000) as autosave:
        window.controller.autosave()
    side = window.controller.autosave_path()
    assert autosave.args == [str(side)] and side.is_file()
    # the crash: the process dies, nothing cleans up
    window.controller.close = lambda: window.controller.timer.stop()
    window.controller.set_dirty(False)
    window.close()

    answers.append("yes")
    again = make_window(layers=False)
    assert again.open_path(project)
    assert "autosaved copy" in answers.asked[0]
    assert again.workspace.layers["grids"].style["color"] == "#ff00ff"
    assert again.controller.dirty and again.controller.path == project.resolve()
    again.controller.save()
    assert not side.exists()  # saving makes the side file obsolete

    answers.append("no")
    third = make_window(layers=False)
    third.open_path(project)  # no autosave any more: no question
    assert len(answers.asked) == 1 and answers == ["no"]
    answers.clear()


def test_bad_file_shows_error_dialog(make_window, bad_dir, qtbot):
    window = make_window()
    with qtbot.waitSignal(window.loadFinished, timeout=10000):
        window.add_layer_files([bad_dir / "empty.csv"])
    texts = close_error_boxes()
    assert len(texts) == 1
    assert "empty" in texts[0] and "Traceback" not in texts[0]
    assert "empty" not in window.workspace.layers.names
    assert "empty.csv" in window.results.log_text()


def test_rejected_rows_show_report(make_window, bad_dir, qtbot):
    from PyQt6.QtWidgets import QApplication

    window = make_window(layers=False)
    with qtbot.waitSignal(window.loadFinished, timeout=10000) as loaded:
        window.add_layer_files([bad_dir / "bad_coordinates.csv"])
    layer = loaded.args[0][0]
    assert layer.report.rows_rejected > 0
    dialogs = [w for w in QApplication.topLevelWidgets() if w.objectName() == "propertiesDialog" and w.isVisible()]
    assert len(dialogs) == 1
    assert dialogs[0].tabs.currentWidget() is dialogs[0].report_tab
    from PyQt6.QtWidgets import QTableView

    rejects = dialogs[0].report_tab.findChild(QTableView, "rejectTable")
    assert rejects.model().rowCount() == layer.report.rows_rejected
    dialogs[0].close()


def test_non_project_geopackage_offers_import(make_window, sample_dir, answers):
    window = make_window(layers=False)
    answers.append("no")
    assert not window.open_path(sample_dir / "county.gpkg")
    assert len(window.workspace.layers) == 0
    answers.append("yes")
    assert window.open_path(sample_dir / "county.gpkg")
    assert "not a gisapp project" in answers.asked[0]
    assert len(window.workspace.layers) == 7 and window.controller.path is None and window.controller.dirty
    assert window.workspace.layers.names[0] == "grids"  # polygons at the bottom, points on top


def test_newer_project_is_refused(make_window, county_project, tmp_path):
    import shutil

    path = tmp_path / "future.gpkg"
    shutil.copy(county_project, path)
    with sqlite3.connect(path) as db:
        (document,) = db.execute("SELECT document FROM gisapp_project").fetchone()
        db.execute("UPDATE gisapp_project SET document = ?", (document.replace('"version": 2', '"version": 99', 1),))
    window = make_window(layers=False)
    assert not window.open_path(path)
    texts = close_error_boxes()
    assert len(texts) == 1 and "newer gisapp" in texts[0]
    assert len(window.workspace.layers) == 0


def test_dirty_prompt_on_close(make_window, answers):
    window = make_window()
    window.workspace.layers["grids"].visible = False
    assert window.isWindowModified()
    answers.append("cancel")
    assert not window.close()
    assert window.isVisible()
    answers.append("discard")
    assert window.close()


def test_empty_and_unprojectable_layers(make_window):
    import geopandas as gpd
    import pyproj
    import shapely

    from gisapp.layers import Layer

    window = make_window()
    empty = Layer("nothing", "incidents", gpd.GeoDataFrame({"occurred_at": []}, geometry=[], crs=4326))
    engineering = pyproj.CRS.from_wkt('ENGCRS["site grid",EDATUM["site"],CS[Cartesian,2],AXIS["x",east,LENGTHUNIT["metre",1]],AXIS["y",north,LENGTHUNIT["metre",1]]]')
    odd = Layer("site plan", "result", gpd.GeoDataFrame({"v": [1]}, geometry=[shapely.Point(10, 10)], crs=engineering))
    window.add_layers([empty, odd])
    texts = close_error_boxes()
    assert len(texts) == 1 and "site plan" in texts[0] and "cannot be shown" in texts[0]
    assert window.canvas.layer_error(odd)
    assert window.canvas.layer_error(empty) is None
    assert not window.canvas.zoom_to_layer(empty)
    window.canvas.render_layers()  # neither layer breaks drawing
    window.workspace.set_filter(IncidentFilter(hours=(8, 12)))
    window.table.show_layer(empty)
    assert window.table.model.rowCount() == 0
    assert "no features" in window.results.log_text()
    model = window.layer_panel.model
    assert "Cannot be shown" in model.data(model.index_of(odd), Qt.ItemDataRole.ToolTipRole)


def test_identify_shows_attributes(make_window):
    window = make_window()
    canvas = window.canvas
    incidents = window.workspace.layers["incidents"]
    pos = canvas.screen_position_of(incidents, 10)
    canvas.zoom_by(64.0, pos)
    canvas.identify_at(canvas.screen_position_of(incidents, 10))
    top = window.results.identify.topLevelItem(0)
    assert top.text(0) == "Incidents"  # the layer's display name (stored as "incidents")
    fields = {top.child(i).text(0): top.child(i).text(1) for i in range(top.childCount())}
    assert fields["Case ID"].startswith("A2024")


def test_pan_drag_and_wheel_zoom(make_window, qtbot):
    from PyQt6.QtCore import QPointF
    from PyQt6.QtGui import QWheelEvent
    from PyQt6.QtWidgets import QApplication

    window = make_window()
    canvas = window.canvas
    view = canvas.view
    cx, cy, res = view.cx, view.cy, view.resolution
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(300, 300))
    qtbot.mouseMove(canvas, QPoint(350, 320))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(400, 340))
    assert view.cx == pytest.approx(cx - 100 * res) and view.cy == pytest.approx(cy + 40 * res)
    under = view.to_world(200, 150)
    event = QWheelEvent(QPointF(200, 150), canvas.mapToGlobal(QPointF(200, 150)), QPoint(), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(canvas, event)
    assert view.resolution == pytest.approx(res / 1.25**2)
    assert np.allclose(view.to_world(200, 150), under)  # zoomed around the cursor
    assert window.scale_label.text().startswith("Scale 1:")


def test_dropping_files_adds_layers(make_window, bad_dir, qtbot):
    from PyQt6.QtCore import QMimeData, QUrl

    window = make_window(layers=False)
    mime = QMimeData()
    from PyQt6.QtWidgets import QApplication

    from gisapp.ui.import_preview import ImportPreviewDialog

    mime.setUrls([QUrl.fromLocalFile(str(bad_dir / "swapped_some.csv"))])
    window.layer_panel.model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, 0, QModelIndex())
    # A table is previewed first (the import preview of Add Layer); Load adds it.
    previews = lambda: [w for w in QApplication.topLevelWidgets() if isinstance(w, ImportPreviewDialog) and w.isVisible()]  # noqa: E731
    qtbot.waitUntil(lambda: bool(previews()), timeout=20000)
    with qtbot.waitSignal(window.loadFinished, timeout=10000) as loaded:
        previews()[0].accept()
    assert [layer.name for layer in loaded.args[0]] == ["swapped_some"]
    assert window.workspace.layers.names == ["swapped_some"]


def test_untitled_project_recovered_after_crash(make_window, fresh_layers, qtbot):
    window = make_window(layers=fresh_layers(["grids", "areas"]))
    window.workspace.layers["areas"].visible = False
    with qtbot.waitSignal(window.controller.autosaved, timeout=20000):
        window.controller.autosave()
    assert window.controller.autosave_path().name == "untitled.autosave.gpkg"
    window.controller.close = lambda: window.controller.timer.stop()  # crash: no clean-up
    again = make_window(layers=False)
    assert again.controller.recover_untitled(lambda side: True)
    assert again.workspace.layers.names == ["grids", "areas"] and not again.workspace.layers["areas"].visible


def test_analysis_result_enters_as_layer(make_window, county_layers):
    import geopandas as gpd

    from gisapp.analysis.core.result import AnalysisResult

    window = make_window()
    grids = next(d for n, k, d, s, r in county_layers if n == "grids")
    result = AnalysisResult(gpd.GeoDataFrame({"gi_bin": [3] * len(grids)}, geometry=grids.geometry.values, crs=grids.crs),
                            summary={"gi_bin": {"3": len(grids)}}, params={"cell": 250, "fdr": True})
    layer = window.add_result("hotspots", result)
    assert layer.kind == "result" and layer.params["cell"] == 250 and layer.style["type"] == "graduated"
    assert window.results.results.topLevelItem(0).text(0) == "hotspots"
    assert window.current_filter() is window.workspace.filter
