"""Layer validates then emits; LayerList keeps names unique and announces every change."""

from __future__ import annotations

import subprocess
import sys

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

from gisapp.layers import Layer, LayerList


def points(n=3) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"case_id": [str(i) for i in range(n)]}, geometry=[Point(i, i) for i in range(n)], crs=4326)


def test_setters_validate_then_emit():
    layer = Layer("cases", "incidents", points())
    seen = []
    layer.events.connect(lambda e: seen.append((e.type, e.value)))
    layer.opacity = 0.5
    layer.visible = False
    layer.style = {"type": "categorized", "field": "category", "color": "#112233"}
    assert [t for t, _ in seen] == ["opacity", "visible", "style"]
    with pytest.raises(ValueError, match="between 0 and 1"):
        layer.opacity = 1.5
    with pytest.raises(ValueError, match="needs a 'field'"):
        layer.style = {"type": "graduated"}
    with pytest.raises(ValueError, match="#rrggbb"):
        layer.style = {"type": "single", "color": "red"}
    assert layer.opacity == 0.5 and len(seen) == 3  # failed sets neither store nor emit


def test_kind_and_geometry_must_agree():
    with pytest.raises(ValueError, match="holds polygon geometries, not Point"):
        Layer("g", "grids", points())
    lines = gpd.GeoDataFrame(geometry=[LineString([(0, 0), (1, 1)])], crs=4326)
    assert Layer("r", "result", lines).kind == "result"
    with pytest.raises(Exception, match="Unknown layer kind"):
        Layer("x", "hotspots", points())


def test_blocked_emitter_is_silent():
    layer = Layer("cases", "incidents", points())
    seen = []
    layer.events.connect(seen.append)
    with layer.events.blocked():
        layer.opacity = 0.2
    assert seen == [] and layer.opacity == 0.2


def test_layer_list_events_and_order():
    layers = LayerList()
    seen = []
    layers.events.connect(lambda e: seen.append((e.type, e.value.name, e.index)))
    a, b, c = (Layer(name, "incidents", points()) for name in "abc")
    layers.append(a)
    layers.append(b)
    layers.insert(0, c)
    assert layers.names == ["c", "a", "b"]
    layers.move(0, 2)
    assert layers.names == ["a", "b", "c"]
    b.opacity = 0.3  # a layer's own event is relayed with its index
    layers.remove("a")
    assert seen == [("inserted", "a", 0), ("inserted", "b", 1), ("inserted", "c", 0), ("moved", "c", 2), ("layer", "b", 1), ("removed", "a", 0)]
    a.opacity = 0.9  # removed layers are no longer observed
    assert seen[-1] == ("removed", "a", 0)


def test_names_stay_unique():
    layers = LayerList([Layer("a", "incidents", points()), Layer("b", "incidents", points())])
    with pytest.raises(ValueError, match="already exists"):
        layers.append(Layer("a", "incidents", points()))
    with pytest.raises(ValueError, match="already exists"):
        layers["b"].name = "a"
    assert layers.names == ["a", "b"]
    assert layers.unique_name("a") == "a (2)"


def test_layers_and_analysis_never_import_qt():
    code = (
        "import sys\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PyQt6', 'PySide6', 'qtpy'):\n"
        "            raise ImportError('Qt is blocked')\n"
        "sys.meta_path.insert(0, Block())\n"
        "import pkgutil, importlib, gisapp.layers, gisapp.analysis\n"
        "for package in (gisapp.layers, gisapp.analysis):\n"
        "    for module in pkgutil.walk_packages(package.__path__, package.__name__ + '.'):\n"
        "        importlib.import_module(module.name)\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "ok", result.stderr
