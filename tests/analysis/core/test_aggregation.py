"""Counting incidents into fishnets, hexagons and polygons."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from gisapp.analysis.core.aggregation import (
    AggregationParams,
    Lattice,
    aggregate,
    count_points_in_lattice,
    count_points_in_polygons,
    hex_grid,
    hex_lattice,
    square_fishnet,
    square_lattice,
)
from gisapp.layers.errors import AnalysisError, InputError

UTM50 = "EPSG:32650"  # a metric CRS covering the county
X0, Y0 = 500_000.0, 3_000_000.0


def incidents(x, y, crs=UTM50, **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(columns, geometry=gpd.points_from_xy(x, y), crs=crs)


def random_incidents(n=500, seed=0, extent=1000.0) -> gpd.GeoDataFrame:
    rng = np.random.default_rng(seed)
    return incidents(X0 + rng.uniform(0, extent, n), Y0 + rng.uniform(0, extent, n))


# --------------------------------------------------------------------------- grids


def test_square_fishnet_tiles_the_bounds_with_integer_indices():
    cells = square_fishnet((0, 0, 100, 50), 10)
    assert len(cells) == 50
    assert cells["row"].dtype.kind == "i" and cells["col"].dtype.kind == "i"
    assert cells.area.round(9).eq(100).all()
    assert shapely.union_all(cells.geometry.values).equals(shapely.box(0, 0, 100, 50))
    first = cells[(cells["row"] == 0) & (cells["col"] == 0)].geometry.iloc[0]
    assert first.bounds == (0, 0, 10, 10)


def test_square_fishnet_covers_a_partial_last_cell_and_degenerate_bounds():
    assert len(square_fishnet((0, 0, 25, 10), 10)) == 3
    assert len(square_fishnet((5, 5, 5, 5), 10)) == 1


def test_hex_grid_cells_have_height_cell_size_and_cover_the_bounds():
    s = 20.0
    cells = hex_grid((0, 0, 200, 120), s)
    assert np.allclose(cells.area, math.sqrt(3) / 2 * s * s)
    heights = cells.bounds["maxy"] - cells.bounds["miny"]
    assert np.allclose(heights, s)
    assert shapely.union_all(cells.geometry.values).covers(shapely.box(0, 0, 200, 120))
    # adjacent centres are one cell size apart
    c = cells.geometry.centroid
    xy = np.column_stack([c.x, c.y])
    d = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1))
    np.fill_diagonal(d, np.inf)
    assert np.allclose(d.min(axis=1), s)


@pytest.mark.parametrize("seed", range(4))
def test_hexagons_over_the_bounds_match_shapely_predicates(seed):
    rng = np.random.default_rng(seed)
    xmin, ymin = rng.uniform(0, 100, 2).round()
    bounds = (xmin, ymin, xmin + rng.uniform(1, 300), ymin + rng.uniform(1, 300))
    cell = float(rng.integers(5, 60))
    cells, lattice = hex_grid(bounds, cell), hex_lattice(bounds, cell)
    rows, cols = np.indices(lattice.shape).reshape(2, -1)
    hexes, box = lattice.polygons(rows, cols), shapely.box(*bounds)
    expected = shapely.intersects(hexes, box) & ~shapely.touches(hexes, box)
    assert sorted(zip(cells["row"], cells["col"])) == sorted(zip(rows[expected], cols[expected]))


def test_hex_assignment_is_the_nearest_centre():
    rng = np.random.default_rng(3)
    x, y = rng.uniform(0, 300, 3000), rng.uniform(0, 200, 3000)
    lattice = hex_lattice((0, 0, 300, 200), 25)
    rows, cols, inside = lattice.locate(x, y)
    assert inside.all()
    all_rows, all_cols = np.indices(lattice.shape).reshape(2, -1)
    cx, cy = lattice.centres(all_rows, all_cols)
    nearest = ((x[:, None] - cx) ** 2 + (y[:, None] - cy) ** 2).argmin(axis=1)
    assert np.array_equal(all_rows[nearest], rows) and np.array_equal(all_cols[nearest], cols)
    assert shapely.intersects(lattice.polygons(rows, cols), shapely.points(x, y)).all()


# --------------------------------------------------------------------------- lattice counting


def test_point_on_a_shared_edge_is_counted_once_in_the_east_north_cell():
    # (10, 5) is on the edge between col 0 and col 1; (5, 10) between row 0 and row 1.
    counts = count_points_in_lattice([10.0, 5.0], [5.0, 10.0], (0, 0), 10, (2, 2))
    assert counts.sum() == 2
    assert counts[0, 1] == 1 and counts[1, 0] == 1


def test_points_on_the_outer_max_edge_go_to_the_last_cell_and_beyond_is_outside():
    counts = count_points_in_lattice([20.0, 20.0, 20.5, -0.1], [20.0, 3.0, 3.0, 3.0], (0, 0), 10, (2, 2))
    assert counts[1, 1] == 1 and counts[0, 1] == 1
    assert counts.sum() == 2


def test_weights_are_summed():
    raster = count_points_in_lattice([1, 2, 15], [1, 2, 1], (0, 0), 10, (1, 2), weights=[0.5, 2.0, 4.0])
    assert raster.dtype == np.float64
    assert raster.tolist() == [[2.5, 4.0]]


coordinate = st.floats(min_value=0, max_value=1000, allow_nan=False).map(lambda v: round(v * 8) / 8)


@settings(max_examples=60, deadline=None, database=None, derandomize=True)
@given(
    xs=st.lists(coordinate, min_size=1, max_size=60),
    ys=st.lists(coordinate, min_size=1, max_size=60),
    cell=st.sampled_from([7.0, 10.0, 33.3, 125.0]),
    grid=st.sampled_from(["square", "hex"]),
)
def test_counts_are_conserved_for_points_inside_the_bounds(xs, ys, cell, grid):
    n = min(len(xs), len(ys))
    x, y = np.array(xs[:n]), np.array(ys[:n])
    lattice = (square_lattice if grid == "square" else hex_lattice)((100.0, 100.0, 900.0, 900.0), cell)
    counts = count_points_in_lattice(x, y, lattice.origin, cell, lattice.shape, grid=grid)
    _, _, inside = lattice.locate(x, y)
    assert counts.sum() == inside.sum()
    in_bounds = (x >= 100) & (x <= 900) & (y >= 100) & (y <= 900)
    assert inside[in_bounds].all()
    if grid == "square":  # the fishnet ends at the first cell edge at or past the bounds
        rows, cols = lattice.shape
        in_extent = (x >= 100) & (x <= 100 + cols * cell) & (y >= 100) & (y <= 100 + rows * cell)
        assert counts.sum() == in_extent.sum()


@settings(max_examples=40, deadline=None, database=None, derandomize=True)
@given(
    xs=st.lists(coordinate, min_size=1, max_size=80),
    ys=st.lists(coordinate, min_size=1, max_size=80),
    cell=st.sampled_from([5.0, 12.5, 40.0]),
    grid=st.sampled_from(["square", "hex"]),
    trim=st.booleans(),
)
def test_aggregate_counts_every_incident_exactly_once(xs, ys, cell, grid, trim):
    n = min(len(xs), len(ys))
    result = aggregate(
        incidents(X0 + np.array(xs[:n]), Y0 + np.array(ys[:n])),
        AggregationParams(grid=grid, cell_size=cell, trim_empty=trim),
    )
    assert result.layer["n"].sum() == n
    assert result.summary["incidents"] == n and result.summary["incidents_outside"] == 0
    if trim:
        assert (result.layer["n"] > 0).all()


def test_near_duplicate_points_across_an_edge_are_each_counted_once():
    edge = X0 + 100.0
    x = np.array([edge - 1e-9, edge, edge + 1e-9, np.nextafter(edge, 0), np.nextafter(edge, np.inf)])
    pts = incidents(np.concatenate([[X0], x]), np.full(6, Y0 + 5.0))
    result = aggregate(pts, AggregationParams(cell_size=50, trim_empty=False))
    assert result.layer["n"].sum() == 6


def test_trimming_keeps_exactly_the_non_empty_cells():
    pts = incidents([X0, X0 + 1, X0 + 250], [Y0, Y0, Y0 + 250])
    trimmed = aggregate(pts, AggregationParams(cell_size=50))
    full = aggregate(pts, AggregationParams(cell_size=50, trim_empty=False))
    assert sorted(trimmed.layer["n"]) == [1, 2]
    assert len(full.layer) == 25  # 250 m is exactly 5 cells; the far corner joins the last cell
    assert trimmed.summary["cells_dropped_empty"] == 23


def test_untrimmed_hex_grid_keeps_hexagons_over_the_extent():
    pts = random_incidents(200, seed=5)
    result = aggregate(pts, AggregationParams(grid="hex", cell_size=100, trim_empty=False))
    assert (result.layer["n"] == 0).any()
    assert result.layer["n"].sum() == 200
    assert result.layer.geometry.union_all().covers(shapely.box(*pts.total_bounds))


def test_row_order_does_not_change_the_cells():
    pts = random_incidents(400, seed=1)
    shuffled = pts.sample(frac=1, random_state=7)
    a = aggregate(pts, AggregationParams(cell_size=80)).layer
    b = aggregate(shuffled, AggregationParams(cell_size=80)).layer
    assert a[["row", "col", "n"]].equals(b[["row", "col", "n"]])


def test_single_location_gives_a_single_cell():
    result = aggregate(incidents([X0] * 40, [Y0] * 40), AggregationParams(cell_size=50))
    assert len(result.layer) == 1 and result.layer["n"].iloc[0] == 40


# --------------------------------------------------------------------------- polygons


def two_squares() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["west", "east"]},
        geometry=[shapely.box(X0, Y0, X0 + 10, Y0 + 10), shapely.box(X0 + 10, Y0, X0 + 20, Y0 + 10)],
        crs=UTM50,
    )


def test_point_on_a_shared_polygon_edge_goes_to_the_first_polygon():
    pts = incidents([X0 + 10, X0 + 10, X0 + 15], [Y0 + 5, Y0 + 10, Y0 + 5])
    counts, outside = count_points_in_polygons(pts, two_squares())
    assert counts.tolist() == [2, 1] and outside == 0


def test_points_outside_all_polygons_are_reported():
    pts = incidents([X0 + 5, X0 + 15, X0 + 50, X0 - 1], [Y0 + 5, Y0 + 5, Y0 + 5, Y0 + 5])
    result = aggregate(pts, AggregationParams(grid="polygons", polygons=two_squares()))
    assert result.layer["n"].tolist() == [1, 1]
    assert result.summary["incidents"] == 2 and result.summary["incidents_outside"] == 2
    assert result.layer["name"].tolist() == ["west", "east"]


def test_polygon_columns_named_like_results_are_kept_under_a_new_name():
    polys = two_squares().assign(n=[7, 8])
    result = aggregate(incidents([X0 + 5], [Y0 + 5]), AggregationParams(grid="polygons", polygons=polys))
    assert result.layer["n_input"].tolist() == [7, 8]
    assert result.layer["n"].tolist() == [1, 0]


def test_polygon_counts_are_conserved_on_a_fishnet_with_points_on_every_edge():
    fishnet = square_fishnet((X0, Y0, X0 + 40, Y0 + 40), 10, crs=UTM50)
    grid = np.arange(0, 41, 5.0)  # every 5 m: centres, edges and corners
    x, y = np.meshgrid(X0 + grid, Y0 + grid)
    pts = incidents(x.ravel(), y.ravel())
    counts, outside = count_points_in_polygons(pts, fishnet)
    assert counts.sum() == x.size and outside == 0


def test_polygons_in_another_crs_are_refused():
    polys = two_squares().set_crs("EPSG:32651", allow_override=True)
    with pytest.raises(InputError, match="different coordinate systems"):
        aggregate(incidents([X0 + 5], [Y0 + 5]), AggregationParams(grid="polygons", polygons=polys))


# --------------------------------------------------------------------------- bad input


def test_nan_weights_are_an_input_error_naming_how_many_rows():
    pts = incidents([X0, X0 + 1, X0 + 2], [Y0] * 3, loss=[1.0, np.nan, "abc"])
    with pytest.raises(InputError, match="^2 incident rows") as err:
        aggregate(pts, AggregationParams(cell_size=50, weight_field="loss"))
    assert [p.row for p in err.value.rows] == [2, 3]


def test_weight_field_is_summed_into_weight_sum():
    pts = incidents([X0, X0 + 1, X0 + 80], [Y0] * 3, loss=[1.5, 2.0, 4.0])
    layer = aggregate(pts, AggregationParams(cell_size=50, weight_field="loss")).layer
    assert layer["weight_sum"].tolist() == [3.5, 4.0] and layer["n"].tolist() == [2, 1]


def test_missing_weight_column_is_named():
    with pytest.raises(InputError, match="'loss'"):
        aggregate(random_incidents(5), AggregationParams(cell_size=50, weight_field="loss"))


@pytest.mark.parametrize("crs", ["EPSG:4326", "EPSG:4490", None])
def test_geographic_or_unknown_coordinates_are_refused(crs):
    pts = incidents([113.5, 113.6], [22.1, 22.2], crs=crs)
    with pytest.raises(AnalysisError, match="project"):
        aggregate(pts, AggregationParams(cell_size=50))


def test_rows_without_location_are_reported_not_dropped_silently():
    pts = random_incidents(10)
    pts.loc[3, "geometry"] = None
    pts.loc[4, "geometry"] = shapely.Point()
    result = aggregate(pts, AggregationParams(cell_size=50))
    assert result.summary["incidents_without_location"] == 2
    assert result.layer["n"].sum() == 8


def test_non_point_geometries_are_refused():
    pts = random_incidents(3)
    pts.loc[1, "geometry"] = shapely.box(X0, Y0, X0 + 1, Y0 + 1)
    with pytest.raises(InputError, match="not points"):
        aggregate(pts, AggregationParams(cell_size=50))


@pytest.mark.parametrize("size", [None, 0, -5, float("nan")])
def test_bad_cell_size_is_an_input_error(size):
    with pytest.raises(InputError, match="cell size"):
        aggregate(random_incidents(5), AggregationParams(cell_size=size))


def test_a_cell_size_giving_too_many_cells_is_refused():
    with pytest.raises(InputError, match="larger cell size"):
        aggregate(random_incidents(5, extent=100_000), AggregationParams(cell_size=0.01))


def test_lattice_is_a_plain_value():
    lattice = square_lattice((0, 0, 30, 20), 10)
    assert lattice == Lattice("square", (0.0, 0.0), 10.0, (2, 3))
    assert lattice.size == 6
