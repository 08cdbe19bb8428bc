"""The import preview of Add Layer, off screen, in English and Chinese."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from police_exports import make_truth, write_csv, write_xlsx
from PyQt6.QtWidgets import QApplication

from gisapp.ui.import_preview import ImportPreviewDialog

from .conftest import close_error_boxes


def open_dialogs() -> list[ImportPreviewDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, ImportPreviewDialog) and w.isVisible()]


def roles(dialog) -> dict[str, str]:
    return {dialog.roles.item(r, 0).text(): dialog.roles.cellWidget(r, 1).currentData() for r in range(dialog.roles.rowCount())}


@pytest.fixture
def export(tmp_path) -> Path:
    path = tmp_path / "警情统计.xlsx"
    write_xlsx(path, make_truth(30))
    return path


def test_preview_shows_what_was_understood(qtbot, make_window, export):
    window = make_window(layers=False)
    dialog = ImportPreviewDialog(export, parent=window)
    with qtbot.waitSignal(dialog.previewShown, timeout=30000):
        dialog.show()
    assert "Header on row 4; title rows 1–3 skipped" in dialog.summary.text()
    assert roles(dialog)["X坐标"] == "x" and roles(dialog)["发生地址"] == "address" and roles(dialog)["发案时间"] == "time"
    assert dialog.rows.rowCount() == 20 and dialog.rows.horizontalHeaderItem(1).text() == "警情编号"
    group = dialog.rejects.topLevelItem(0)
    assert group.text(1) == "2" and "row 31" in group.child(0).text(0) and "合计" in group.child(0).text(1)
    assert dialog.map.x.size == 30 and 100 < dialog.map.x.mean() < 101
    assert dialog.loaded_layers() and dialog.options()["columns"]["x"] == "X坐标"
    dialog.close()


def test_changing_a_choice_reads_again_and_a_refusal_is_one_sentence(qtbot, make_window, export):
    window = make_window(layers=False)
    dialog = ImportPreviewDialog(export, parent=window)
    with qtbot.waitSignal(dialog.previewShown, timeout=30000):
        dialog.show()
    dialog.crs.setEditText("EPSG:4326")
    with qtbot.waitSignal(dialog.previewShown, timeout=30000):
        dialog.refresh()
    assert dialog.error.isVisible() and "not degrees" in dialog.error.text()
    assert not dialog.loaded_layers()
    dialog.close()


def test_add_layer_previews_then_remembers_the_choices(qtbot, make_window, tmp_path, export):
    window = make_window(layers=False)
    window.import_files([export])
    qtbot.waitUntil(lambda: bool(open_dialogs()), timeout=30000)
    dialog = open_dialogs()[0]
    with qtbot.waitSignal(window.loadFinished, timeout=30000) as added:
        dialog.accept()
    layer = added.args[0][0]
    assert layer.import_options["columns"]["x"] == "X坐标" and len(layer.data) == 30

    # Next week's export of the same system: same headers, other rows; no dialog, no clicks.
    next_week = tmp_path / "next_week.csv"
    write_csv(next_week, make_truth(12, seed=99))
    with qtbot.waitSignal(window.loadFinished, timeout=30000) as again:
        window.import_files([next_week])
    assert not open_dialogs()
    assert len(again.args[0][0].data) == 12 and again.args[0][0].import_options == layer.import_options

    # The choices travel with the layer's source in the project.
    from gisapp.layers.project import load_project

    saved = window.controller.save_as(tmp_path / "p.gpkg")
    assert load_project(saved).layers[0].import_options == layer.import_options
    close_error_boxes()


def test_chinese_preview_reads_well(qtbot, make_window, export):
    window = make_window(layers=False, language="zh_CN")
    dialog = ImportPreviewDialog(export, parent=window)
    with qtbot.waitSignal(dialog.previewShown, timeout=30000):
        dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle().startswith("导入预览")
    assert "表头在第 4 行；跳过标题行 1–3" in dialog.summary.text()
    assert dialog.tabs.tabText(1).startswith("被拒绝的行")
    assert dialog.rejects.topLevelItem(0).text(0) == "合计、小计或签名行"
    target = os.environ.get("GISAPP_PREVIEW_SCREENSHOT")  # e.g. /tmp/import_preview_zh.png, to look at
    assert dialog.grab().save(str(target) if target else str(export.with_suffix(".png")))
    dialog.close()
