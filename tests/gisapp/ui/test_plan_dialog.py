"""Route planning from the window: the start rule of ``gisapp patrol --plan`` (issue 17).

The window once started a plan at the centre of the road network when the
project had no station, while the command line refused; both now follow
:func:`gisapp.analysis.patrol.start.plan_start`.
"""

from __future__ import annotations

import geopandas as gpd
import pytest
import shapely

from gisapp.analysis.patrol.start import NO_START
from gisapp.layers import Layer
from gisapp.layers.filters import IncidentFilter

from .conftest import close_error_boxes
from .test_analysis_dialogs import run_dialog


def stations_layer(seat) -> Layer:
    frame = gpd.GeoDataFrame(
        {"name": ["城关派出所", "城东派出所"]},
        geometry=[shapely.Point(seat["lon"], seat["lat"]), shapely.Point(seat["lon"] + 0.01, seat["lat"])], crs=4326,
    )
    return Layer("stations", "result", frame)  # gisapp has no stations kind yet: the layer is found by its name


@pytest.fixture
def plan_window(make_window, fresh_layers):
    def make(*extra):
        window = make_window(layers=[*fresh_layers(), *extra])
        window.workspace.set_filter(IncidentFilter(categories=["盗窃"]))
        return window

    return make


def test_no_start_and_no_station_is_refused_with_the_clis_sentence(qtbot, plan_window):
    window = plan_window()  # the sample county has no stations layer
    dialog, outcome = run_dialog(qtbot, window, "plan", start=None)
    assert outcome == "failed"
    assert close_error_boxes() == [NO_START]  # the sentence `gisapp patrol --plan` prints (tests/gisapp/test_cli_cameras_patrol.py)
    assert "patrol_plan" not in window.workspace.layers.names
    dialog.close()


def test_the_named_station_of_the_project_is_the_start(qtbot, plan_window, truth):
    seat = truth["seat_centre"]
    window = plan_window(stations_layer(seat))
    dialog, outcome = run_dialog(qtbot, window, "plan", start=None, station="城东派出所")
    assert outcome == "ok", (dialog.status.text(), close_error_boxes())
    recorded = window.workspace.layers["patrol_plan"].params
    assert recorded["method"] == "plan" and recorded["chosen"]["station"] == "城东派出所"
    assert recorded["summary"]["start"]["lonlat"] == pytest.approx([seat["lon"] + 0.01, seat["lat"]], abs=1e-6)
    dialog.close()


def test_a_start_point_wins_over_the_stations(qtbot, plan_window, truth):
    seat = truth["seat_centre"]
    window = plan_window(stations_layer(seat))
    dialog, outcome = run_dialog(qtbot, window, "plan", start=f"{seat['lon'] + 0.005},{seat['lat']}")
    assert outcome == "ok", (dialog.status.text(), close_error_boxes())
    recorded = window.workspace.layers["patrol_plan"].params
    assert recorded["chosen"]["start"] == pytest.approx([seat["lon"] + 0.005, seat["lat"]])
    assert "station" not in recorded["chosen"]
    dialog.close()


def test_the_start_is_picked_on_the_map(qtbot, plan_window):
    """Issue 16: the plan's start can be clicked on the map instead of typed (the sample county has no stations)."""
    from PyQt6.QtCore import QPoint, Qt

    from gisapp.ui.analysis.dialog import open_analysis_dialog
    from gisapp.ui.canvas.view import mercator_to_lonlat

    window = plan_window()
    dialog = open_analysis_dialog(window, "plan")
    button = dialog.findChild(type(dialog.run_button), "pick_start")
    assert button is not None and button.text() == "Pick on the map"
    button.click()
    assert window.canvas.map_tool is not None and window.canvas.map_tool.name == "pick_point"
    seat = window.canvas.screen_position_of(window.workspace.layers["incidents"], 2)
    click = QPoint(int(seat.x()), int(seat.y()))
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=click)
    assert window.canvas.map_tool is None  # the mouse is handed back
    x, y = window.canvas.view.to_world(click.x(), click.y())
    lon, lat = (float(v) for v in mercator_to_lonlat(x, y))
    text = dialog.fields["start"].value()
    got = [float(v) for v in text.split(",")]
    assert got == pytest.approx([lon, lat], abs=1e-6)
    with qtbot.waitSignal(dialog.finished_run, timeout=60000) as outcome:
        dialog.start()
    assert outcome.args[0] == "ok", (dialog.status.text(), close_error_boxes())
    recorded = window.workspace.layers["patrol_plan"].params
    assert recorded["chosen"]["start"] == pytest.approx(got)
    dialog.close()
