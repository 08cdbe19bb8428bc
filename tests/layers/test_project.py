"""The project file: round trip, atomic save under a kill, versions, and plain GeoPackages."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyogrio
import pytest
from geopandas.testing import assert_geodataframe_equal

from gisapp.layers import Layer, LayerList
from gisapp.layers.errors import InputError
from gisapp.layers.io import read_layers
from gisapp.layers.project import (
    CURRENT_VERSION,
    META_TABLE,
    MIGRATIONS,
    Project,
    is_project,
    load_project,
    migrate,
    save_project,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def county_layers(sample_dir):
    return read_layers(sample_dir / "county.gpkg")


def make_project(layers) -> Project:
    project = Project(LayerList(layers), filters={"categories": ["盗窃"], "hours": [8, 12]}, view={"centre": [105.09, 31.09], "scale": 25000})
    project.analysis_crs = "EPSG:4544"
    project.layers["grids"].visible = False
    project.layers["grids"].opacity = 0.4
    project.layers["incidents"].style = {"type": "categorized", "field": "category", "color": "#aa0000"}
    project.layers.move(0, 3)
    return project


def test_round_trip_keeps_layers_and_state(tmp_path, county_layers):
    project = make_project(county_layers)
    path = save_project(project, tmp_path / "county project.gpkg")
    again = load_project(path)
    assert again.layers.names == project.layers.names
    assert again.filters == project.filters and again.view == project.view
    assert again.analysis_crs == "EPSG:4544"
    for before, after in zip(project.layers, again.layers):
        assert after.kind == before.kind
        assert after.style == before.style
        assert (after.visible, after.opacity) == (before.visible, before.opacity)
        assert after.report.rows_read == before.report.rows_read
        left = before.data.reset_index(drop=True)
        right = after.data[left.columns]
        for column in left.columns:
            if left[column].dtype.kind == "M":
                left[column] = left[column].astype("datetime64[ms]")
            elif left[column].dtype != object and str(left[column].dtype).startswith(("str", "string")):
                left[column] = left[column].astype(object)
                right[column] = right[column].astype(object)
        assert_geodataframe_equal(left, right, check_dtype=False)


def test_the_file_is_an_ordinary_geopackage(tmp_path, county_layers):
    path = save_project(make_project(county_layers), tmp_path / "p.gpkg")
    listed = dict(pyogrio.list_layers(path))
    assert listed["incidents"] == "Point" and listed["grids"] in ("Polygon", "MultiPolygon")
    assert listed[META_TABLE] is None  # an attribute table, not a layer
    document = json.loads(pyogrio.read_dataframe(path, layer=META_TABLE)["document"][0])
    assert document["version"] == CURRENT_VERSION
    assert [entry["name"] for entry in document["layers"]][:2] == ["grids", "areas"]


def test_a_plain_geopackage_is_not_a_project(sample_dir):
    assert not is_project(sample_dir / "county.gpkg")
    with pytest.raises(InputError, match="not a gisapp project .* import its layers"):
        load_project(sample_dir / "county.gpkg")


def test_newer_version_is_refused(tmp_path, county_layers):
    path = save_project(Project(LayerList(county_layers[:1])), tmp_path / "p.gpkg")
    meta = pyogrio.read_dataframe(path, layer=META_TABLE)
    document = json.loads(meta["document"][0])
    document["version"] = CURRENT_VERSION + 1
    meta["document"] = [json.dumps(document)]
    pyogrio.write_dataframe(meta, path, layer=META_TABLE, driver="GPKG")
    with pytest.raises(InputError, match="saved by a newer gisapp"):
        load_project(path)


def test_older_versions_migrate_step_by_step(monkeypatch):
    # A version-0 document named its layer list "stack"; the step renames it.
    monkeypatch.setitem(MIGRATIONS, 0, lambda doc: {**{k: v for k, v in doc.items() if k != "stack"}, "layers": doc["stack"], "version": 1})
    migrated = migrate({"version": 0, "stack": [{"name": "a"}]})
    assert migrated == {"version": 2, "layers": [{"name": "a", "import_options": {}}]}
    with pytest.raises(InputError, match="cannot migrate"):
        migrate({"version": -1, "layers": []})
    with pytest.raises(InputError, match="without a version"):
        migrate({"layers": []})


def test_save_into_a_missing_folder(tmp_path, county_layers):
    with pytest.raises(InputError, match="does not exist"):
        save_project(Project(LayerList(county_layers[:1])), tmp_path / "no" / "p.gpkg")


_SLOW_SAVE = """
import sys, numpy as np, geopandas as gpd
sys.path.insert(0, {root!r})
from gisapp.layers import Layer, LayerList
from gisapp.layers.project import Project, save_project
rng = np.random.default_rng(0)
n = 400_000
data = gpd.GeoDataFrame({{"case_id": np.arange(n).astype(str), "category": "盗窃"}},
                        geometry=gpd.points_from_xy(rng.uniform(105, 105.2, n), rng.uniform(31, 31.2, n)), crs=4326)
layers = LayerList([Layer(f"big{{i}}", "incidents", data) for i in range(6)])
print("saving", flush=True)
save_project(Project(layers), {path!r})
"""


def test_a_killed_save_leaves_the_old_project_intact(tmp_path, county_layers):
    path = tmp_path / "p.gpkg"
    save_project(Project(LayerList(county_layers[:2])), path)
    before = path.read_bytes()
    proc = subprocess.Popen([sys.executable, "-c", _SLOW_SAVE.format(root=str(ROOT), path=str(path))], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "saving"
    deadline = time.time() + 60
    while not list(tmp_path.glob(".p.*.tmp.gpkg")) and time.time() < deadline:
        time.sleep(0.01)
    time.sleep(0.3)  # well inside the write of the temporary file
    assert proc.poll() is None, "the save finished before it could be interrupted"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert path.read_bytes() == before
    again = load_project(path)
    assert again.layers.names == [layer.name for layer in county_layers[:2]]
    # The next save clears what the killed one left behind.
    save_project(again, path)
    assert not list(tmp_path.glob(".p.*.tmp.gpkg*"))


def test_version_1_documents_gain_import_options():
    migrated = migrate({"version": 1, "layers": [{"name": "a", "source": "x.csv"}]})
    assert migrated["version"] == 2 and migrated["layers"] == [{"name": "a", "source": "x.csv", "import_options": {}}]


def test_import_options_round_trip(tmp_path, county_layers):
    first = county_layers[0]
    options = {"columns": {"x": "X坐标"}, "crs": "EPSG:4521", "header_row": 4}
    layer = Layer(first.name, first.kind, first.data, source=first.source, import_options=options)
    save_project(Project(LayerList([layer])), tmp_path / "p.gpkg")
    assert load_project(tmp_path / "p.gpkg").layers[0].import_options == options
