"""Analysis dialogs: every method runs from its dialog in a worker and adds a result layer; cancel adds nothing."""

from __future__ import annotations

import os

import pytest
from PyQt6.QtCore import QThreadPool, QTimer

from gisapp.analysis.catalog import methods
from gisapp.layers.filters import IncidentFilter
from gisapp.ui.analysis.dialog import open_analysis_dialog

from .conftest import close_error_boxes

#: Small, fast parameters per method (the sample county has 36k incidents).
FAST = {
    "hotspot": {"cell_size": "400"},
    "lisa": {"cell_size": "400", "permutations": 99},
    "kde": {"cell_size": "auto"},
    "cluster": {"min_cluster_size": 30},
    "emerging": {"cell_size": 800.0},
    "nearrepeat": {"permutations": 19, "distance_bands": "0,200", "time_bands": "0,7,14"},
    "evaluate": {"methods": "counts,prospective", "cell_size": 400.0},
    "forecast": {"cell_size": 400.0},
    "alerts": {"step": "month"},
    "profile": {"chain": 1},
    "site-cameras": {"n_new": 3, "spacing_m": 200.0, "method": "greedy", "time_limit_s": 5.0},
    "plan": {"budget_minutes": 30.0, "max_targets": 10, "start": "105.09,31.09"},  # the county seat (sample_data/truth.json)
}


def run_dialog(qtbot, window, key, timeout=60000, **values):
    dialog = open_analysis_dialog(window, key)
    dialog.set_values(**{**FAST.get(key, {}), **values})
    with qtbot.waitSignal(dialog.finished_run, timeout=timeout) as outcome:
        dialog.start()
    return dialog, outcome.args[0]


@pytest.fixture
def window(make_window):
    window = make_window()
    # a filter keeps the runs short: theft only (the dialogs take the current filter)
    window.workspace.set_filter(IncidentFilter(categories=["盗窃"]))
    return window


METHODS = methods()


@pytest.mark.parametrize("key", list(METHODS))
def test_each_dialog_adds_a_result_layer(qtbot, window, key):
    before = len(window.workspace.layers)
    dialog, outcome = run_dialog(qtbot, window, key)
    assert outcome == "ok", (dialog.status.text(), close_error_boxes())
    method = METHODS[key]
    layer = window.workspace.layers[method.main_layer.name]
    assert layer.kind == "result" and len(layer.data) > 0
    assert len(window.workspace.layers) > before
    headline = layer.params["summary"]["headline"]
    assert headline and "?" not in headline
    top = window.results.results.topLevelItem(0)
    # the result is listed under the title its method declares (the stored name stays in the tool tip)
    assert top.text(0) == method.main_layer.title.en and top.toolTip(0) == method.main_layer.name and top.text(1) == headline
    assert layer.params["method"] == key and layer.params["params"] == method.values_of(method.build(dialog.values()))
    assert layer.params["filters"] == {"categories": ["盗窃"]}  # the window records its filter with the result
    dialog.close()


def test_every_parameter_has_chinese_and_english_labels_and_help():
    for method in METHODS.values():
        assert method.title.zh and method.title.en and method.summary.zh and method.summary.en
        for param in method.parameters():
            for text in (param.label, param.help):
                assert text.en and text.zh, (method.key, param.name)
                assert any("\u4e00" <= ch <= "\u9fff" for ch in text.zh), (method.key, param.name, text.zh)


def test_hotspot_uses_the_filter_and_styles_gi_bins(qtbot, window):
    run_dialog(qtbot, window, "hotspot")
    layer = window.workspace.layers["hotspots"]
    theft = int((window.workspace.layers["incidents"].data["category"] == "盗窃").sum())
    assert layer.params["summary"]["incidents"] <= theft < 36334
    assert layer.style["type"] == "graduated" and layer.style["field"] == "gi_bin"


def test_bad_parameter_shows_one_sentence(qtbot, window):
    dialog, outcome = run_dialog(qtbot, window, "hotspot", cell_size="wide")
    assert outcome == "failed"
    texts = close_error_boxes()
    assert len(texts) == 1 and "\n" not in texts[0] and "Traceback" not in texts[0]
    assert "hotspots" not in window.workspace.layers.names


def test_missing_layer_is_reported(qtbot, make_window, fresh_layers):
    window = make_window(layers=[l for l in fresh_layers() if l.kind != "cameras"])
    dialog, outcome = run_dialog(qtbot, window, "coverage")
    assert outcome == "failed"
    assert any("cameras" in text for text in close_error_boxes())


def test_cancel_long_run_keeps_ui_responsive_and_adds_nothing(qtbot, make_window):
    window = make_window()  # all 36k incidents, many permutations: seconds of work
    before = list(window.workspace.layers.names)
    dialog = open_analysis_dialog(window, "lisa")
    dialog.set_values(cell_size="100", permutations=99999)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    run = dialog.start()
    qtbot.waitUntil(lambda: dialog.progress.value() > 0 or len(ticks) > 10, timeout=20000)
    qtbot.wait(300)
    assert run.running
    assert len(ticks) >= 5  # the event loop kept running while the analysis worked
    with qtbot.waitSignal(dialog.finished_run, timeout=30000) as outcome:
        dialog.cancel_button.click()
    timer.stop()
    assert outcome.args[0] == "cancelled"
    assert window.workspace.layers.names == before
    assert QThreadPool.globalInstance().waitForDone(5000)
    assert QThreadPool.globalInstance().activeThreadCount() == 0
    assert dialog.run_button.isEnabled()
    dialog.close()


def test_nnh_from_the_cluster_dialog_finds_the_markets(qtbot, window, tmp_path):
    window.workspace.set_filter(IncidentFilter(categories=["扒窃"]))
    dialog, outcome = run_dialog(qtbot, window, "cluster", method="nnh", min_cluster_size=20, eps=None, study_area_km2=30.0)
    assert outcome == "ok", (dialog.status.text(), close_error_boxes())
    hulls = window.workspace.layers["cluster_hulls"].data
    assert list(hulls["order"]) == [1, 1, 1, 1] and sorted(hulls["count"])[-3] > 600
    if os.environ.get("GISAPP_SCREENSHOTS"):  # for looking at the dialog by hand
        dialog.grab().save(str(tmp_path / "nnh_dialog.png"))
        print(tmp_path / "nnh_dialog.png")
    dialog.close()


def test_a_result_reopened_from_its_project_runs_again_with_the_same_values(qtbot, window, tmp_path):
    from gisapp.layers.project import Project, load_project, save_project

    dialog, outcome = run_dialog(qtbot, window, "hotspot", cell_size="400", band="800")
    assert outcome == "ok"
    dialog.close()
    first = window.workspace.layers["hotspots"]
    saved = save_project(Project(window.workspace.layers), tmp_path / "p.gpkg")
    reopened = load_project(saved).layers["hotspots"]  # a month later: the project file says how it was made
    assert reopened.params["params"] == first.params["params"] and reopened.params["filters"] == {"categories": ["盗窃"]}
    window.workspace.set_filter(IncidentFilter(categories=["诈骗"]))
    dialog.set_values(cell_size="auto", band="auto")
    again = window.rerun_analysis(reopened)
    assert window.workspace.filter.to_dict() == {"categories": ["盗窃"]}
    params = again.method.build(again.values())
    assert params.cell_size == 400.0 and params.band == 800.0
    with qtbot.waitSignal(again.finished_run, timeout=60000) as outcome:
        again.start()
    assert outcome.args[0] == "ok", (again.status.text(), close_error_boxes())
    rerun = window.workspace.layers["hotspots (2)"]
    assert rerun.params["params"] == first.params["params"] and rerun.params["summary"]["gi_bin"] == first.params["summary"]["gi_bin"]
    actions = [act.objectName() for act in window.layer_panel.actions_for(rerun)]
    assert "rerunAction" in actions
    again.close()
