"""The charts dock: figures for the selection (a grid cell's incidents), Knox and evaluation from results; copy and PNG."""

from __future__ import annotations

from PyQt6.QtWidgets import QApplication

from .test_analysis_dialogs import run_dialog


def test_hour_weekday_follows_a_selected_grid_cell(qtbot, make_window, tmp_path):
    window = make_window()
    panel = window.show_charts()
    assert window.charts.isVisible()
    assert "all 36,334 incidents" in panel.source.text()
    grids = window.workspace.layers["grids"]
    window.workspace.select(grids, [0])
    qtbot.waitUntil(lambda: "incidents in" in panel.source.text(), timeout=3000)
    assert str(grids.data["name"].iloc[0]) in panel.source.text()
    assert panel.figure is not None and panel.canvas is not None
    title = panel.figure.axes[0].get_title()
    assert "起" in title  # Chinese label with the cell's count
    count = int(title.split("（")[1].split(" ")[0].replace(",", ""))
    assert 0 < count < 36334
    assert panel.copy()
    assert not QApplication.clipboard().image().isNull()
    path = panel.export_png(tmp_path / "hour_weekday.png")
    assert path.stat().st_size > 10_000


def test_monthly_trend_for_selected_incidents(qtbot, make_window):
    window = make_window()
    panel = window.show_charts()
    incidents = window.workspace.layers["incidents"]
    window.workspace.select(incidents, list(range(0, 3000)))
    panel.set_chart("monthly")
    assert "3,000 selected incidents" in panel.source.text()
    assert len([ax for ax in panel.figure.axes if ax.get_visible()]) >= 2  # one panel per category


def test_knox_and_evaluation_need_results_then_draw(qtbot, make_window):
    window = make_window()
    panel = window.show_charts()
    panel.set_chart("knox")
    assert panel.figure is None and "near-repeat" in panel.source.text()
    from gisapp.layers.filters import IncidentFilter

    window.workspace.set_filter(IncidentFilter(categories=["盗窃"]))
    dialog, outcome = run_dialog(qtbot, window, "nearrepeat")
    assert outcome == "ok"
    dialog.close()
    panel.set_chart("knox")
    assert panel.figure is not None
    dialog, outcome = run_dialog(qtbot, window, "evaluate")
    assert outcome == "ok"
    dialog.close()
    panel.set_chart("evaluation")
    assert panel.figure is not None and panel.export_button.isEnabled()


def test_charts_open_in_a_window_large_enough_to_read(qtbot, make_window):
    """Issue 16: the dock opened at about 300 x 90 px with 4 px text."""
    from gisapp.ui.charts_panel import DPI_RANGE, MINIMUM_SIZE

    window = make_window()
    panel = window.show_charts()
    panel.set_chart("hour_weekday")
    qtbot.waitUntil(lambda: panel.canvas is not None and panel.canvas.pixmap() is not None and not panel.canvas.pixmap().isNull())
    dock = window.charts
    assert dock.isFloating()
    assert dock.width() >= MINIMUM_SIZE[0] and dock.height() >= MINIMUM_SIZE[1]
    assert panel.minimumWidth() >= MINIMUM_SIZE[0]
    # the chart is drawn (not shrunk as a picture) at a resolution that keeps 8 pt text at least 8 px high
    assert panel.dpi >= DPI_RANGE[0] and 8 * panel.dpi / 72 >= 8
    shown = panel.canvas.pixmap()
    assert shown.width() == round(panel.figure.get_figwidth() * panel.dpi)
    dock.close()
