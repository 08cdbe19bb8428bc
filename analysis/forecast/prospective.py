"""Prospective hotspotting (Bowers, Johnson & Pease 2004), as open_cp's grid algorithm.

After a burglary the risk to nearby homes is raised for a few weeks; the
prospective map lays a space-time weight over every recent event and sums
it. open_cp (``open_cp.prohotspot``: ``ProspectiveHotSpot`` with
``ClassicWeight`` and ``DistanceDiagonalsSame``) implements the classic grid
form, which this module follows:

- an event's age ``t`` is the whole number of weeks between it and the
  prediction time (the cutoff), ``floor(dt / 1 week)``;
- its distance ``d`` to a cell is counted in grid cells between the cell of
  the event and the cell, with diagonals as 1 (the l-infinity norm, open_cp's
  default ``DistanceDiagonalsSame``);
- its weight is ``1 / ((1 + d) (1 + t))`` when ``d`` is below the space
  bandwidth and ``t`` below the time bandwidth, else 0;
- a cell's risk is the sum of the weights of all events before the cutoff.

Defaults, with their source: open_cp's ``ClassicWeight`` has a space
bandwidth of ``400 / 50`` = 8 cells and a time bandwidth of 8 weeks, for its
50 m grid; Bowers et al. (2004) used 400 m and two months. Here the space
bandwidth is given in metres (400 m) and divided by the cell size, so that a
coarser grid keeps the published 400 m reach.

The sum is computed as a discrete convolution: the time weights are binned
per cell, and the binned raster is convolved with the distance kernel
(exact; no FFT, whose rounding would break the ties of empty cells).

References
----------
Bowers, K. J., Johnson, S. D. & Pease, K. (2004). Prospective hot-spotting: the
future of crime mapping? British Journal of Criminology 44(5), 641-658.
Johnson, S. D. et al. (2007). Prospective crime mapping in operational context.
Home Office Online Report 19/07.
Daws, M. et al. open_cp, QuantCrimAtLeeds/PredictCode (``open_cp/prohotspot.py``).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import ndimage

from .grid import StudyGrid
from .surface import ForecastSettings, Surface

WEEK_DAYS = 7.0


def bandwidth_cells(space_bandwidth_m: float, cell_size: float) -> float:
    """The space bandwidth in cells (open_cp measures it in cells; here it is given in metres)."""
    return float(space_bandwidth_m) / float(cell_size)


def classic_weight(weeks: np.ndarray, cells: np.ndarray, space_bandwidth: float, time_bandwidth: float) -> np.ndarray:
    """open_cp ``ClassicWeight``: ``1/((1+d)(1+t))`` where ``d < space_bandwidth`` and ``t < time_bandwidth``."""
    inside = (weeks < time_bandwidth) & (cells < space_bandwidth)
    return np.where(inside, 1.0 / ((1.0 + cells) * (1.0 + weeks)), 0.0)


def forecast_prospective(history, grid: StudyGrid, cutoff: float, horizon: float, settings: ForecastSettings) -> Surface:
    """The prospective risk of every candidate cell at the cutoff (see the module notes)."""
    space = bandwidth_cells(settings.space_bandwidth, grid.cell_size)
    weeks = np.floor((cutoff - history.t) / WEEK_DAYS)
    used = (history.t < cutoff) & (weeks < settings.time_bandwidth)
    reach = max(int(math.ceil(space)) - 1, 0)  # the farthest cell distance with a weight: d < space
    risk = prospective_raster(history.x[used], history.y[used], weeks[used], grid, space, settings.time_bandwidth, reach)
    params = {
        "space_bandwidth_m": settings.space_bandwidth, "space_bandwidth_cells": space, "time_bandwidth_weeks": settings.time_bandwidth,
        "distance": "grid cells, diagonals count 1 (open_cp DistanceDiagonalsSame)", "weight": "1/((1+d)(1+t))",
        "training_incidents": int(used.sum()),
    }
    return Surface("prospective", risk, params)


def prospective_raster(x, y, weeks, grid: StudyGrid, space: float, time_bandwidth: float, reach: int) -> np.ndarray:
    """Summed classic weights at the candidate cells, by binning and exact convolution.

    Events in the ``reach`` cells around the lattice count too (the raster is padded).
    """
    nrows, ncols = grid.lattice.shape
    x0, y0 = grid.lattice.origin
    size = grid.cell_size
    col = np.floor((np.asarray(x) - x0) / size).astype(np.int64) + reach
    row = np.floor((np.asarray(y) - y0) / size).astype(np.int64) + reach
    inside = (row >= 0) & (row < nrows + 2 * reach) & (col >= 0) & (col < ncols + 2 * reach)
    raster = np.zeros((nrows + 2 * reach, ncols + 2 * reach))
    time_weight = classic_weight(np.asarray(weeks, dtype=float), np.zeros(len(weeks)), np.inf, time_bandwidth)
    np.add.at(raster, (row[inside], col[inside]), time_weight[inside])
    offsets = np.arange(-reach, reach + 1)
    chebyshev = np.maximum(np.abs(offsets)[:, None], np.abs(offsets)[None, :]).astype(float)
    kernel = classic_weight(np.zeros_like(chebyshev), chebyshev, space, np.inf)
    summed = ndimage.correlate(raster, kernel, mode="constant", cval=0.0)
    return summed[grid.rows + reach, grid.cols + reach]
