"""Layer order by kind, the 分析结果 group, display names and identify (issue 16)."""

from __future__ import annotations

import geopandas as gpd
import shapely
from PyQt6.QtCore import QPoint, Qt

from gisapp.analysis.catalog import method
from gisapp.layers import Layer


def result_layer(name, key, frame, **params) -> Layer:
    m = method(key)
    declared = m.layer(name)
    return Layer(name, "result", frame, style=declared.style if declared else None, params={"method": key, **params})


def hot_cells_around(window, row: int, size: float = 300.0, gi_bin: int = 3) -> gpd.GeoDataFrame:
    """One square cell of ``size`` m (display CRS) centred on incident ``row``."""
    incidents = window.workspace.layers["incidents"].data.to_crs(3857)
    p = incidents.geometry.iloc[row]
    cell = shapely.box(p.x - size / 2, p.y - size / 2, p.x + size / 2, p.y + size / 2)
    return gpd.GeoDataFrame({"gi_bin": [gi_bin], "n": [5]}, geometry=[cell], crs=3857)


def kinds_bottom_up(window) -> list[str]:
    return [f"{layer.kind}:{layer.name}" for layer in window.workspace.layers]


def test_layers_are_stacked_by_kind_and_results_stay_below_routes_and_cameras(make_window):
    window = make_window()
    names = window.workspace.layers.names
    order = {name: i for i, name in enumerate(names)}
    assert order["grids"] < order["roads"] and order["areas"] < order["roads"]  # polygons at the bottom
    assert order["roads"] < order["incidents"] < order["routes"] < order["cameras"]  # then lines, points, the user's own on top
    hot = result_layer("hotspots", "hotspot", hot_cells_around(window, 0))
    tour = result_layer("patrol_plan", "plan", gpd.GeoDataFrame(
        {"tour": ["plan"], "value_per_minute": [1.0]}, geometry=[shapely.LineString([(0, 0), (1000, 0)])], crs=3857))
    window.add_layers([hot], interactive=False)
    window.add_layers([tour], interactive=False)
    order = {name: i for i, name in enumerate(window.workspace.layers.names)}
    assert order["incidents"] < order["hotspots"] < order["patrol_plan"] < order["routes"] < order["cameras"], kinds_bottom_up(window)


def test_drawing_a_route_puts_the_routes_layer_on_top(make_window, qtbot):
    window = make_window()
    layers = window.workspace.layers
    assert layers.index("routes") < len(layers) - 1  # the cameras are above the routes at first
    tool = window.editing.activate("route")
    canvas = window.canvas
    for x in (200, 320):
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(x, 200))
    qtbot.mouseDClick(canvas, Qt.MouseButton.LeftButton, pos=QPoint(320, 200))
    assert tool is not None
    assert layers[len(layers) - 1].name == "routes"


def test_results_are_grouped_with_their_titles_and_only_the_newest_legend_open(make_window):
    window = make_window(language="zh_CN")
    panel, model = window.layer_panel, window.layer_panel.model
    first = result_layer("hotspots", "hotspot", hot_cells_around(window, 0))
    second = result_layer("hotspots (2)", "hotspot", hot_cells_around(window, 5))
    window.add_layers([first], interactive=False)
    window.add_layers([second], interactive=False)
    top_texts = [model.data(model.index(r, 0)) for r in range(model.rowCount())]
    assert "分析结果 (2)" in top_texts
    assert "hotspots" not in top_texts and "热点" not in top_texts  # results live in the group, not at the top level
    group = model.group_index()
    inside = [model.data(model.index(r, 0, group)) for r in range(model.rowCount(group))]
    assert inside == ["热点 (2)", "热点"]  # declared titles; newest (drawn on top) first
    assert model.data(model.index_of(first), Qt.ItemDataRole.EditRole) == "hotspots"  # the stored name stays
    assert panel.tree.isExpanded(group)
    assert panel.tree.isExpanded(model.index_of(second)) and not panel.tree.isExpanded(model.index_of(first))
    assert panel.tree.isExpanded(model.index_of(window.workspace.layers["incidents"]))  # the user's layers keep theirs
    # the group's box hides and shows every result at once
    assert model.setData(group, Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    assert not first.visible and not second.visible
    assert model.data(group, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Unchecked
    second.visible = True
    assert model.data(group, Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.PartiallyChecked
    # dragging a result above the other reorders them inside the group
    mime = model.mimeData([model.index_of(first)])
    model.dropMimeData(mime, Qt.DropAction.MoveAction, 0, 0, group)
    assert [model.data(model.index(r, 0, group)) for r in range(model.rowCount(group))] == ["热点", "热点 (2)"]


def test_field_names_and_numbers_read_in_chinese(make_window):
    window = make_window(language="zh_CN")
    layer = result_layer("hotspots", "hotspot", hot_cells_around(window, 0).assign(gi_z=[9.885421337], gi_p=[0.000123456]))
    window.add_layers([layer], interactive=False)
    window.open_table(layer)
    model = window.table.model
    headers = {model.headerData(i, Qt.Orientation.Horizontal): i for i in range(model.columnCount())}
    assert "Gi* z 得分" in headers and "Gi* p 值" in headers and "警情" in headers  # n
    assert model.data(model.index(0, headers["Gi* z 得分"])) == "9.89"
    assert model.data(model.index(0, headers["Gi* p 值"])) == "0.000123"
    window.results.show_feature(layer, 0)
    top = window.results.identify.topLevelItem(0)
    fields = {top.child(i).text(0): top.child(i).text(1) for i in range(top.childCount())}
    assert top.text(0) == "热点" and fields["Gi* z 得分"] == "9.89"


def test_identify_reports_the_drawn_cell_above_an_incident_not_the_incident(make_window):
    window = make_window()
    canvas = window.canvas
    incidents = window.workspace.layers["incidents"]
    window.workspace.set_current(incidents)  # the current layer used to win, even under a cell
    hot = result_layer("hotspots", "hotspot", hot_cells_around(window, 10, gi_bin=3))
    quiet = result_layer("quiet", "hotspot", hot_cells_around(window, 20, gi_bin=0))
    window.add_layers([hot, quiet], interactive=False)
    window.workspace.set_current(incidents)
    pos = canvas.screen_position_of(incidents, 10)
    canvas.zoom_by(8.0, pos)
    layer, row = canvas.identify_at(canvas.screen_position_of(incidents, 10))
    assert layer is hot and row == 0
    # a not significant cell is drawn as nothing: the incident beneath it is what the eye sees
    canvas.zoom_to_bounds(tuple(quiet.data.total_bounds))
    layer, row = canvas.identify_at(canvas.screen_position_of(incidents, 20))
    assert layer is not quiet and layer.kind in ("incidents", "addresses", "cameras", "routes", "roads")


def test_in_a_list_the_user_ordered_otherwise_a_result_stays_below_the_routes_and_cameras(fresh_layers):
    from gisapp.layers import LayerList
    from gisapp.ui.stacking import insertion_index

    layers = LayerList(fresh_layers())  # the file's own order: incidents at the bottom, cameras in the middle
    names = layers.names
    hot = Layer("hotspots", "result", gpd.GeoDataFrame({"gi_bin": [3]}, geometry=[shapely.box(0, 0, 1, 1)], crs=3857))
    at = insertion_index(layers, hot)
    assert at <= names.index("cameras") and at <= names.index("routes")
    assert at > names.index("incidents")
