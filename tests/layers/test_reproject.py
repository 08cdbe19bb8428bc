"""Fast reprojection of point layers: the CGCS2000 shortcut, split transforms, bulk point building."""

from __future__ import annotations

import gc

import numpy as np
import pyproj
import pytest
import shapely

from gisapp.layers.crs import WGS84
from gisapp.layers.reproject import collector_paused, make_points, transform_xy
from gisapp.layers.transformers import transformer


@pytest.mark.parametrize("epsg", [4544, 4545, 4513, 4490])
def test_the_cgcs2000_shortcut_builds_the_pipeline_proj_itself_chooses(epsg):
    # If PROJ ever gains a real WGS84 -> CGCS2000 transformation, this fails and the shortcut must go.
    target = pyproj.CRS.from_epsg(epsg)
    ours = transformer(WGS84, target)
    proj = pyproj.Transformer.from_crs(4326, epsg, always_xy=True)
    assert ours.definition == proj.definition
    assert transformer(target, WGS84).definition == pyproj.Transformer.from_crs(epsg, 4326, always_xy=True).definition


def test_other_targets_are_left_to_proj():
    utm = pyproj.CRS.from_epsg(32648)
    assert transformer(WGS84, utm).definition == pyproj.Transformer.from_crs(4326, 32648, always_xy=True).definition


@pytest.mark.parametrize("n", [10, 300_001])
def test_split_transform_equals_one_call_and_keeps_its_input(n):
    rng = np.random.default_rng(3)
    lon, lat = 105.0 + rng.random(n) * 0.2, 31.0 + rng.random(n) * 0.2
    kept = lon.copy()
    x, y = transform_xy(WGS84, pyproj.CRS.from_epsg(4544), lon, lat)
    ex, ey = pyproj.Transformer.from_crs(4326, 4544, always_xy=True).transform(lon, lat)
    assert np.array_equal(x, ex) and np.array_equal(y, ey)
    assert np.array_equal(lon, kept)


def test_points_built_in_slices_match_shapely_and_the_collector_comes_back():
    rng = np.random.default_rng(5)
    x, y = rng.random(4_567), rng.random(4_567)
    gc.enable()  # the switch is process-wide: a reader still running on another thread may have paused it
    points = make_points(x, y, step=1_000)
    assert points.dtype == object and len(points) == 4_567
    assert shapely.equals(points, shapely.points(x, y)).all()
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off before: left off
    finally:
        gc.enable()
