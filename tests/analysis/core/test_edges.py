"""The one edge rule: east/north of a cell edge, e[i-1] < d <= e[i] for bands, the same tolerance everywhere."""

from __future__ import annotations

import numpy as np

from gisapp.analysis.core.edges import EDGE_TOLERANCE, band_index, cell_index, inclusive


def test_bands_are_closed_above_with_a_tolerance():
    edges = [0.0, 5000.0, 10000.0]
    d = np.array([0.0, 1e-12, 4999.999, 5000.0, 5000.0 + 2e-9, 5000.1, 10000.0 - 2e-9, 10000.0 + 2e-9, 10000.01])
    assert band_index(d, edges).tolist() == [0, 1, 1, 1, 1, 2, 2, 2, 3]
    assert inclusive(7.0) == 7.0 * (1 + EDGE_TOLERANCE)


def test_cells_are_half_open_east_and_north_with_the_same_tolerance():
    size, origin = 500.0, 500_000.0
    x = np.array([500_000.0, 500_499.999, 500_500.0, 500_500.0 - 2e-9, 500_500.0 + 2e-9, 501_000.0, 501_000.0 + 2e-9, np.nan])
    # The fishnet has 2 cells: 501,000 is its outer edge and joins the last cell; just beyond it is outside.
    assert cell_index(x, origin, size, 2).tolist() == [0, 0, 1, 1, 1, 1, 1, -1]
    assert cell_index(np.array([501_000.1]), origin, size, 2).tolist() == [2]
