"""Hotspot zones: touching hot cells merged, checked against a brute-force union of touching cells."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely

from gisapp.analysis.hotspots.zones import ZONE_SUFFIX, hotspot_zones, touching_groups, unique_names

CRS = "EPSG:4544"


def square_cells(rows: int, cols: int, size: float = 100.0) -> list:
    return [shapely.box(c * size, r * size, (c + 1) * size, (r + 1) * size) for r in range(rows) for c in range(cols)]


def hex_cells(rows: int, cols: int, size: float = 60.0) -> list:
    """Pointy-top hexagons on an offset lattice (each touches up to six others along edges)."""
    w, h = math.sqrt(3) * size, 1.5 * size
    cells = []
    for r in range(rows):
        for c in range(cols):
            cx, cy = c * w + (w / 2 if r % 2 else 0.0), r * h
            cells.append(shapely.Polygon([(cx + size * math.cos(math.radians(30 + 60 * k)), cy + size * math.sin(math.radians(30 + 60 * k)))
                                          for k in range(6)]))
    return cells


def brute_force_partition(geometries) -> set[frozenset]:
    """Union-find over every pair that touches or overlaps, nothing clever (a micrometre of slack for the
    hexagons' rounded corners, which shapely.intersects alone would call apart)."""
    parent = list(range(len(geometries)))

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for i in range(len(geometries)):
        for j in range(i + 1, len(geometries)):
            if geometries[i].distance(geometries[j]) <= 1e-6:
                parent[root(i)] = root(j)
    groups: dict[int, set] = {}
    for i in range(len(geometries)):
        groups.setdefault(root(i), set()).add(i)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize("lattice", [square_cells(14, 17), hex_cells(12, 13)], ids=["squares", "hexagons"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_zones_are_the_brute_force_union_of_touching_hot_cells(lattice, seed):
    rng = np.random.default_rng(seed)
    bins = rng.choice([-2, 0, 0, 1, 2, 3], size=len(lattice))
    n = rng.integers(0, 40, size=len(lattice))
    cells = gpd.GeoDataFrame({"gi_bin": bins, "n": n, "gi_z": rng.normal(2, 2, len(lattice))}, geometry=lattice, crs=CRS)
    zones = hotspot_zones(cells, min_bin=2)

    hot = np.flatnonzero(bins >= 2)
    expected = brute_force_partition([lattice[i] for i in hot])
    got: dict[int, set] = {}
    for position, i in enumerate(hot):
        got.setdefault(int(zones.cell_zone[i]), set()).add(position)
    assert {frozenset(g) for g in got.values()} == expected
    assert (zones.cell_zone[bins < 2] == 0).all() and (zones.cell_zone[hot] > 0).all()
    for zone in zones.layer.itertuples():
        members = np.flatnonzero(zones.cell_zone == zone.zone_id)
        assert zone.n == int(n[members].sum()) and zone.cells == len(members)
        assert zone.gi_bin == int(bins[members].max())
        assert zone.area_km2 == pytest.approx(sum(lattice[i].area for i in members) / 1e6, abs=1e-4)
    assert list(zones.layer["n"]) == sorted(zones.layer["n"], reverse=True)  # largest first
    assert list(zones.layer["zone_id"]) == list(range(1, len(zones) + 1))


def test_a_planted_pair_of_blobs_gives_two_zones_and_corners_join():
    lattice = square_cells(10, 10)
    bins = np.zeros(100, dtype=int)
    bins[[11, 12, 21, 22]] = 3  # a 2 x 2 block
    bins[33] = 2  # touches cell 22 only at a corner: joins the block
    bins[[77, 78, 88]] = 2  # a second blob, apart
    bins[[55]] = 1  # hot at 90 % only: left out at min_bin 2
    n = np.where(bins > 0, 10, 1)
    n[[77, 78, 88]] = 50
    cells = gpd.GeoDataFrame({"gi_bin": bins, "n": n}, geometry=lattice, crs=CRS)
    zones = hotspot_zones(cells, min_bin=2)
    assert list(zones.layer["cells"]) == [3, 5] and list(zones.layer["n"]) == [150, 50]
    assert set(np.flatnonzero(zones.cell_zone == 2)) == {11, 12, 21, 22, 33}
    assert zones.cell_zone[55] == 0
    assert len(hotspot_zones(cells, min_bin=1)) == 3
    assert list(hotspot_zones(cells).layer["cells"]) == [4]  # the default: 99 % cores only


def test_reprojected_cells_with_tiny_gaps_still_touch():
    lattice = [shapely.affinity.translate(cell, 0.02 * (i % 3), 0.0) for i, cell in enumerate(square_cells(1, 6))]  # 2 cm gaps
    cells = gpd.GeoDataFrame({"gi_bin": [3] * 6, "n": [1] * 6}, geometry=lattice, crs=CRS)
    assert len(hotspot_zones(cells)) == 1
    assert len(hotspot_zones(cells, tolerance=0.001)) == 5  # honour an explicit tolerance: only the overlapping pair joins


def test_zones_are_named_by_the_area_they_overlap_most_else_the_grid():
    lattice = square_cells(10, 10)
    bins = np.zeros(100, dtype=int)
    bins[[0, 1, 10, 11]] = 3
    bins[[8, 9]] = 3
    bins[[88, 89]] = 3
    cells = gpd.GeoDataFrame({"gi_bin": bins, "n": np.where(bins > 0, 5, 0)}, geometry=lattice, crs=CRS)
    market = shapely.box(20, 20, 180, 150)
    areas = gpd.GeoDataFrame({"name": ["西门市场"]}, geometry=[market], crs=CRS).to_crs(4326)  # named in another CRS
    grids = gpd.GeoDataFrame({"name": ["城关第01网格", "城关第02网格"]}, geometry=[shapely.box(500, 0, 1000, 500), shapely.box(500, 500, 1000, 1000)], crs=CRS)
    zones = hotspot_zones(cells, areas=areas, grids=grids)
    names = dict(zip(zones.layer["cells"], zones.layer["name"]))
    assert names[4] == f"西门市场{ZONE_SUFFIX}"
    assert set(zones.layer["name"]) == {"西门市场热点区", "城关第01网格热点区", "城关第02网格热点区"}
    unnamed = hotspot_zones(cells)
    assert list(unnamed.layer["name"]) == ["热点区1", "热点区2", "热点区3"]
    assert unique_names(["甲热点区", "乙热点区", "甲热点区"]) == ["甲热点区", "乙热点区", "甲热点区（2）"]


def test_no_hot_cells_and_bad_level():
    cells = gpd.GeoDataFrame({"gi_bin": [0, -3, 1]}, geometry=square_cells(1, 3), crs=CRS)
    zones = hotspot_zones(cells)
    assert len(zones) == 0 and list(zones.cell_zone) == [0, 0, 0] and zones.records() == []
    assert hotspot_zones(cells, min_bin=1).layer["n"].tolist() == [None]  # no n column: unknown, not zero
    with pytest.raises(ValueError, match="min_bin must be 1, 2 or 3"):
        hotspot_zones(cells, min_bin=0)


def test_touching_groups_numbers_groups_by_first_member():
    boxes = [shapely.box(0, 0, 1, 1), shapely.box(5, 5, 6, 6), shapely.box(1, 0, 2, 1), shapely.box(5, 6, 6, 7), shapely.box(9, 9, 10, 10)]
    assert touching_groups(boxes).tolist() == [0, 1, 0, 1, 2]
    assert touching_groups([]).tolist() == []


def test_a_quiet_square_inside_a_hot_blob_does_not_name_it():
    """Regression: the seat's hot blob overlapped the well-watched 县政府广场 most and was named after it."""
    lattice = square_cells(6, 6)
    bins = np.full(36, 3)
    n = np.full(36, 20)
    plaza_cells = [14, 15, 20, 21]  # the middle 2 x 2: hot by its neighbours, few incidents of its own
    n[plaza_cells] = 1
    cells = gpd.GeoDataFrame({"gi_bin": bins, "n": n}, geometry=lattice, crs=CRS)
    areas = gpd.GeoDataFrame({"name": ["县政府广场"]}, geometry=[shapely.box(190, 190, 410, 410)], crs=CRS)
    grids = gpd.GeoDataFrame({"name": ["城关第26网格"]}, geometry=[shapely.box(0, 0, 600, 600)], crs=CRS)
    zones = hotspot_zones(cells, areas=areas, grids=grids)
    assert list(zones.layer["name"]) == ["城关第26网格热点区"] and zones.layer["n"].iloc[0] == 32 * 20 + 4
