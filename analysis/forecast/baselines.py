"""The baseline forecasts every fancier method must beat: last period's counts, KDE and Gi*.

All three train on the last ``window_days`` before the cutoff ("last
period"):

- ``counts``: incidents per cell (open_cp ``naive.CountingGridKernel``),
  scaled to the horizon, so it is the expected count if the last period
  repeats;
- ``kde``: quartic-kernel density at the cell centres (the ArcGIS and QGIS
  default kernel, Silverman 1986), radius ``bandwidth``, evaluated exactly by
  :func:`gisapp.analysis.hotspots.density.density_direct`, in incidents per km²;
- ``gistar``: the Getis-Ord Gi* z of the cell counts over a distance band
  (:func:`gisapp.analysis.stats.gistar.gi_star_lattice`): "last period's
  hotspot map".

References
----------
Chainey, S., Tompson, L. & Uhlig, S. (2008). The utility of hotspot mapping for
predicting spatial patterns of crime. Security Journal 21, 4-28.
Silverman, B. W. (1986). Density Estimation for Statistics and Data Analysis. Chapman & Hall.
"""

from __future__ import annotations

import math

import numpy as np

from gisapp.analysis.hotspots.density import Grid, density_direct
from gisapp.analysis.stats.gistar import gi_star_lattice

from .grid import StudyGrid
from .surface import ForecastSettings, Surface, window_mask


def _window(history, grid, cutoff: float, settings: ForecastSettings):
    train = window_mask(history, grid, cutoff - settings.window_days, cutoff)
    return history.x[train], history.y[train], int(train.sum())


def forecast_counts(history, grid: StudyGrid, cutoff: float, horizon: float, settings: ForecastSettings) -> Surface:
    """Last period's counts per cell, scaled to the horizon (expected incidents if the period repeats)."""
    x, y, n = _window(history, grid, cutoff, settings)
    risk = grid.count(x, y) * (horizon / settings.window_days)
    return Surface("counts", risk.astype(np.float64), {"window_days": settings.window_days, "training_incidents": n}, expected=True)


def forecast_kde(history, grid: StudyGrid, cutoff: float, horizon: float, settings: ForecastSettings) -> Surface:
    """Quartic KDE of last period's incidents at the cell centres (incidents per km²)."""
    x, y, n = _window(history, grid, cutoff, settings)
    risk = kde_on_grid(x, y, grid, settings.bandwidth)
    return Surface("kde", risk, {"window_days": settings.window_days, "bandwidth_m": settings.bandwidth, "kernel": "quartic", "training_incidents": n})


def forecast_gistar(history, grid: StudyGrid, cutoff: float, horizon: float, settings: ForecastSettings) -> Surface:
    """Gi* z of last period's cell counts (binary weights within the band)."""
    x, y, n = _window(history, grid, cutoff, settings)
    band = float(settings.band) if settings.band is not None else grid.cell_size * math.sqrt(2.0)
    counts = grid.count(x, y)
    params = {"window_days": settings.window_days, "band_m": band, "training_incidents": n}
    if counts.size < 2 or np.ptp(counts) == 0:
        return Surface("gistar", np.zeros(counts.size), params, ["Every cell has the same count: the Gi* map ranks nothing."])
    raster = np.zeros(grid.lattice.shape)
    raster[grid.rows, grid.cols] = counts
    mask = np.zeros(grid.lattice.shape, dtype=bool)
    mask[grid.rows, grid.cols] = True
    z = gi_star_lattice(raster, grid.cell_size, band, mask=mask).z
    return Surface("gistar", z[grid.rows, grid.cols], params)


def kde_on_grid(x, y, grid: StudyGrid, bandwidth: float) -> np.ndarray:
    """Quartic-kernel density (incidents per km²) at the centres of the candidate cells.

    The shared exact evaluation of :func:`gisapp.analysis.hotspots.density.density_direct`
    (the ArcGIS / QGIS quartic kernel) on the study grid's lattice, which has
    the same south-west origin and south-up rows.
    """
    if len(x) == 0:
        return np.zeros(grid.size)
    rows, cols = grid.lattice.shape
    lattice = Grid(grid.lattice.origin[0], grid.lattice.origin[1], grid.cell_size, cols, rows)
    raster = density_direct(np.asarray(x, dtype=float), np.asarray(y, dtype=float), None, lattice, bandwidth, "quartic")
    return raster[grid.rows, grid.cols] * 1e6
