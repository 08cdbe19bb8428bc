"""The Qt models checked by Qt's own model tester, plus the table's sort, search and export."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyogrio
import pytest
from PyQt6.QtCore import Qt

from gisapp.layers import LayerList
from gisapp.layers.filters import IncidentFilter


@pytest.fixture
def workspace(qapp, fresh_layers):
    from gisapp.ui.workspace import Workspace

    return Workspace(LayerList(fresh_layers()))


def test_layer_tree_model_passes_model_tester(qtmodeltester, workspace, fresh_layers):
    from gisapp.ui.canvas.renderer import MapRenderer
    from gisapp.ui.layer_panel import LayerTreeModel

    renderer = MapRenderer()
    model = LayerTreeModel(workspace, legend=renderer.legend, error=renderer.error)
    qtmodeltester.check(model)
    layers = workspace.layers
    layers.move(0, 3)
    layers.remove("roads")
    layers.append(fresh_layers(["roads"])[0])
    layers["areas"].style = {"type": "single", "color": "#00ff00"}
    layers["grids"].name = "网格"
    qtmodeltester.check(model)
    assert [model.layer_at(model.index(r, 0)).name for r in range(model.rowCount())] == list(reversed(layers.names))
    assert model.data(model.index_of(layers["网格"])) == "网格"
    assert not model.setData(model.index_of(layers["网格"]), "areas")  # a taken name is refused


def test_feature_table_model_passes_model_tester(qtmodeltester, workspace):
    from gisapp.layers import Layer
    from gisapp.ui.attribute_table import FeatureTableModel

    model = FeatureTableModel()
    # the tester reads every cell: a 300-row slice keeps it quick
    incidents = Layer("some", "incidents", workspace.layers["incidents"].data.iloc[:300])
    model.set_layer(incidents)
    qtmodeltester.check(model)
    assert model.rowCount() == len(incidents.data)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Time of occurrence"
    assert model.headerData(1, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole) == "occurred_at"


def test_table_sort_search_and_mask(qapp, workspace):
    from gisapp.ui.attribute_table import FeatureTableModel

    incidents = workspace.layers["incidents"]
    data = incidents.data
    model = FeatureTableModel()
    model.set_layer(incidents)
    column = list(data.columns).index("occurred_at")
    model.sort(column, Qt.SortOrder.DescendingOrder)
    first = model.data(model.index(0, column))
    assert first == data["occurred_at"].max().strftime("%Y-%m-%d %H:%M:%S")
    model.set_search("民主路")
    expected = np.zeros(len(data), dtype=bool)
    for c in data.columns:
        if c != "geometry":
            expected |= data[c].astype("string").str.contains("民主路", regex=False).fillna(False).to_numpy(dtype=bool)
    assert model.rowCount() == expected.sum() > 0
    mask = IncidentFilter(categories=["诈骗"]).mask(data)
    model.set_mask(mask)
    assert model.rowCount() == (expected & mask).sum()
    # still sorted newest first after filtering
    times = data["occurred_at"].to_numpy()[model.rows]
    assert (np.diff(times.astype("int64")) <= 0).all()
    assert np.array_equal(model.view_rows(model.rows[[2, 0]]), [0, 2])


def test_export_selection(qapp, workspace, tmp_path):
    from gisapp.layers.errors import InputError
    from gisapp.ui.export import export_rows

    incidents = workspace.layers["incidents"]
    rows = np.array([5, 10, 20])
    csv = export_rows(incidents.data, rows, tmp_path / "sel.csv")
    table = pd.read_csv(csv, encoding="utf-8-sig")
    assert list(table["case_id"]) == list(incidents.data["case_id"].iloc[rows])
    assert table["lon"].between(104, 106).all() and table["lat"].between(30, 32).all()
    assert csv.read_bytes()[:3] == b"\xef\xbb\xbf"  # Excel opens Chinese UTF-8 only with the BOM
    gpkg = export_rows(workspace.layers["grids"].data, np.array([0, 1]), tmp_path / "sel.gpkg")
    back = pyogrio.read_dataframe(gpkg)
    assert list(back["grid_id"]) == list(workspace.layers["grids"].data["grid_id"].iloc[:2])
    with pytest.raises(InputError, match="Nothing is selected"):
        export_rows(incidents.data, np.array([], dtype=int), tmp_path / "none.csv")
    with pytest.raises(InputError, match=".xlsx"):
        export_rows(incidents.data, rows, tmp_path / "sel.xlsx")


def test_export_from_the_table_widget(make_window, tmp_path):
    window = make_window()
    incidents = window.workspace.layers["incidents"]
    window.workspace.select(incidents, [1, 2, 3])
    assert window.table.export_selection(tmp_path / "three.gpkg")
    assert len(pyogrio.read_dataframe(tmp_path / "three.gpkg")) == 3
