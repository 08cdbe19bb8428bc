"""The review table of an address-matching result, in Chinese: take a candidate, click the map, learn, reuse."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from PyQt6.QtCore import QPoint, Qt

ADDRESSES = ["人民路12号", "人民路与解放路交叉口", "<b>幸福路</b>1号", "人民路与解放路交叉口", "乐安镇"]


def _geocode(table: Path, gazetteer: Path):
    from gisapp.analysis.catalog import method
    from gisapp.analysis.core.inputs import Inputs
    from gisapp.analysis.core.running import execute

    geocode = method("geocode")
    return geocode, execute(geocode, Inputs(table), geocode.build({"gazetteer": str(gazetteer)}))


@pytest.fixture
def table(tmp_path) -> Path:
    path = tmp_path / "警情.csv"
    pd.DataFrame({"案件编号": [f"A{i}" for i in range(len(ADDRESSES))], "发案地点": ADDRESSES}).to_csv(path, index=False, encoding="gbk")
    return path


def test_review_places_learns_and_is_reused(make_window, qtbot, sample_dir, table, tmp_path):
    from gisapp.layers.project import load_project
    from gisapp.ui.analysis.dialog import add_result_layers
    from gisapp.ui.i18n import tr

    window = make_window(language="zh_CN")
    geocode, result = _geocode(table, sample_dir / "county.gpkg")
    layer = add_result_layers(window, geocode, result)
    assert list(layer.data["geocode_level"]) == ["门牌", "交叉口", "未匹配", "交叉口", "乡镇"]

    review_action = [a for a in window.layer_panel.actions_for(layer) if a.text() == tr("Review address matches…")]
    assert review_action and review_action[0].text() == "校对地址匹配…"
    review_action[0].trigger()
    review = window.__dict__["_geocode_reviews"][id(layer)]
    qtbot.waitExposed(review)
    shown = [review.table.item(r, 1).text() for r in range(review.table.rowCount())]
    assert shown == ADDRESSES[1:]  # the unplaced rows; the markup is text
    assert review.table.horizontalHeaderItem(1).text() == "地址"
    folder = Path(os.environ.get("GISAPP_SCREENSHOTS") or tmp_path)
    review.grab().save(str(folder / "geocode_review_zh.png"))

    review.table.selectRow(0)  # 人民路与解放路交叉口: its crossing is the one candidate
    assert review.candidates.count() == 1
    qtbot.mouseClick(review.accept_button, Qt.MouseButton.LeftButton)
    data = layer.data
    assert data.geometry.notna().tolist() == [True, True, False, True, False]  # both rows of that text placed
    assert data.geometry.iloc[1].equals(data.geometry.iloc[3])
    entries = window.controller.geocode_aliases["entries"]
    assert list(entries) == ["人民路与解放路交叉口"] and entries["人民路与解放路交叉口"]["level"] == "交叉口"
    assert window.controller.dirty

    review.table.selectRow([review.table.item(r, 1).text() for r in range(review.table.rowCount())].index("<b>幸福路</b>1号"))
    qtbot.mouseClick(review.pick_button, Qt.MouseButton.LeftButton)
    canvas = window.canvas
    assert canvas.map_tool is review.tool
    centre = QPoint(canvas.width() // 2, canvas.height() // 2)
    expected = canvas.view.to_world(centre.x(), centre.y())
    qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=centre)
    assert canvas.map_tool is None
    from gisapp.ui.tools.base import DISPLAY, transformer

    placed = layer.data.geometry.iloc[2]
    x, y = transformer(layer.data.crs, DISPLAY).transform(placed.x, placed.y)
    assert (x, y) == pytest.approx(tuple(float(v) for v in expected), abs=0.01)
    assert layer.data["geocode_note"].iloc[2] == "人工校正"

    window.editing.undo_stack.undo()  # the click is one undoable step
    assert layer.data.geometry.iloc[2] is None
    window.editing.undo_stack.redo()

    project = tmp_path / "项目.gpkg"
    window.controller.save_as(project)
    # the texts as the matcher reads them (markup, spaces and width folded)
    assert set(load_project(project).geocode_aliases["entries"]) == {"人民路与解放路交叉口", "幸福路1号"}
    review.close()

    _, again = _geocode(table, project)  # the next run reuses the corrections kept in the project
    assert list(again.layer["geocode_level"])[1:4] == ["交叉口", "门牌", "交叉口"]
    assert again.layer["geocode_note"].iloc[2] == "人工校正" and again.layer.geometry.iloc[2] is not None


def test_analysis_menu_without_a_result_says_so(make_window):
    window = make_window()
    assert window.open_geocode_review() is None
    assert "address-matching" in window.statusBar().currentMessage()
