"""The patrol planner's walk-through, all in the GUI, in Chinese, with a screenshot per step.

open the sample county → hotspots → blind spots (coverage) → draw a route through
them → its exposure figures → print the map. Screenshots go to a temporary
folder, or to ``$GISAPP_SCREENSHOTS`` when set: ``scripts/refresh-screenshots``
sets it to ``resources/screenshots`` to update the committed pictures, so an
ordinary test run never rewrites tracked files.

The pictures show the app's own defaults: the test only navigates (zooms); it
never restyles, reorders or hides a layer to make them read (issue 16).
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
from PyQt6.QtCore import QPoint, Qt

from .conftest import close_error_boxes
from .test_analysis_dialogs import run_dialog


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("GISAPP_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def shot(widget, name: str, folder: Path) -> Path:
    path = folder / f"walkthrough_{name}.png"
    assert widget.grab().save(str(path), "PNG")
    return path


def test_walkthrough(qtbot, make_window, county_project, tmp_path, answers, shots):
    # 1. open the sample county
    window = make_window(layers=False, language="zh_CN", size=(1440, 900))
    assert window.open_path(county_project, interactive=False)
    qtbot.wait(50)
    shot(window, "1_open", shots)

    # 2. hotspots (Gi*, automatic scale) from the Analysis menu's dialog
    dialog, outcome = run_dialog(qtbot, window, "hotspot", cell_size="auto")
    assert outcome == "ok", dialog.status.text()
    assert "热点" in dialog.status.text() or "格网" in dialog.status.text()
    dialog.move(window.geometry().center() - dialog.rect().center())
    shot(dialog, "2a_hotspot_dialog", shots)
    dialog.close()
    hot = window.workspace.layers["hotspots"].data
    hot = hot[hot["gi_bin"] > 0].to_crs(3857)
    window.canvas.zoom_to_bounds(tuple(hot.total_bounds))
    shot(window, "2b_hotspots", shots)

    # 3. blind spots: hotspot cells the cameras do not see
    dialog, outcome = run_dialog(qtbot, window, "coverage")
    assert outcome == "ok", dialog.status.text()
    dialog.close()
    blind = window.workspace.layers["blind_spots"]
    assert len(blind.data) > 0
    layers = window.workspace.layers
    assert layers.index("blind_spots") < layers.index("cameras")  # the cameras stay visible above the blind spots
    ranked = blind.data.sort_values("n_uncovered", ascending=False)
    centres = gpd.GeoSeries(ranked.geometry.centroid, crs=blind.data.crs).to_crs(3857)
    picked: list[tuple[float, float]] = []  # the worst blind spots, at least 600 m apart (one per cluster)
    for x, y in zip(centres.x, centres.y):
        if all((x - a) ** 2 + (y - b) ** 2 > 600**2 for a, b in picked):
            picked.append((x, y))
        if len(picked) == 4:
            break
    xs, ys = [p[0] for p in picked], [p[1] for p in picked]
    xs, ys = np.array(xs), np.array(ys)
    window.canvas.zoom_to_bounds((xs.min() - 800, ys.min() - 800, xs.max() + 800, ys.max() + 800))
    shot(window, "3_blind_spots", shots)

    # 4. draw a new route that passes them (nearest-neighbour order from the first)
    order = [0]
    while len(order) < len(xs):
        last = order[-1]
        rest = [i for i in range(len(xs)) if i not in order]
        order.append(min(rest, key=lambda i: (xs[i] - xs[last]) ** 2 + (ys[i] - ys[last]) ** 2))
    tool = window.editing.activate("route")
    routes = window.workspace.layers["routes"]
    n_routes = len(routes.data)
    points = [tool.screen(xs[i], ys[i]) for i in order]
    for p in points[:-1]:
        qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=QPoint(int(p.x()), int(p.y())))
    qtbot.mouseMove(window.canvas, QPoint(int(points[-1].x()), int(points[-1].y())))
    shot(window, "4a_drawing_route", shots)
    last = QPoint(int(points[-1].x()), int(points[-1].y()))
    qtbot.mouseClick(window.canvas, Qt.MouseButton.LeftButton, pos=last)
    qtbot.mouseDClick(window.canvas, Qt.MouseButton.LeftButton, pos=last)
    assert len(routes.data) == n_routes + 1
    new_id = routes.data["route_id"].iloc[-1]
    window.act_pan.trigger()
    assert layers.index(routes) == len(layers) - 1  # the route just drawn is on top of everything
    shot(window, "4b_route_drawn", shots)

    # 5. its exposure figures
    dialog, outcome = run_dialog(qtbot, window, "patrol")
    assert outcome == "ok", dialog.status.text()
    dialog.close()
    exposure = window.workspace.layers["route_exposure"]
    mine = [r for r in exposure.params["summary"]["per_route"] if r.get("route_id") == new_id]
    assert mine and mine[0]["hotspot_cells"] >= 1 and mine[0]["incidents"] > 0
    row = int((exposure.data["route_id"] == new_id).to_numpy().nonzero()[0][0])
    window.workspace.select(exposure, [row])
    window.results.show_feature(exposure, row)  # the route's own figures: length, time, incidents, hot cells
    identified = window.results.identify.topLevelItem(0)
    texts = {identified.child(i).text(0): identified.child(i).text(1) for i in range(identified.childCount())}
    assert any("hotspot" in key or "热点" in key for key in texts), texts
    shot(window, "5_exposure", shots)

    # 6. print the map
    printer = window.print_dialog()
    printer.title.setText("城区热点与巡逻路线图")
    worker = printer.make_preview()
    with qtbot.waitSignal(worker.signals.finished, timeout=60000):
        pass
    qtbot.waitUntil(lambda: not printer.preview.pixmap().isNull(), timeout=5000)
    printer.path.setText(str(tmp_path / "map.pdf"))
    answers.append("no")
    worker = printer.export()
    with qtbot.waitSignal(worker.signals.finished, timeout=60000):
        pass
    assert (tmp_path / "map.pdf").stat().st_size > 20_000
    shot(printer, "6_print", shots)
    printer.close()
    assert not close_error_boxes()
