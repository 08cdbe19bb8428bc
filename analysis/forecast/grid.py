"""The forecast grid and the event history every forecaster reads.

A forecast ranks the cells of a square fishnet over the study area
(:class:`StudyGrid`). The incidents become a :class:`History`: coordinates,
times in days since the first midnight, and the candidate cell of each. Rows
without a time or a location are never dropped silently: they are counted in
``History.skipped`` and every summary reports them. Times are naive local
wall-clock times; a time-zone-aware column is converted to Asia/Shanghai
first (:func:`gisapp.analysis.core.time_steps.incident_times`).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gisapp.analysis.core.aggregation import point_coordinates, require_metric_crs, square_lattice
from gisapp.analysis.core.time_steps import incident_times
from gisapp.layers.errors import InputError

DAY_NS = 86_400e9


@dataclass
class StudyGrid:
    """The candidate cells: a square fishnet over the study area."""

    lattice: object
    rows: np.ndarray
    cols: np.ndarray
    cx: np.ndarray
    cy: np.ndarray
    index: np.ndarray  # lattice (row, col) -> candidate position, -1 outside the study area

    @classmethod
    def build(cls, bounds, cell_size: float, study_area=None) -> StudyGrid:
        lattice = square_lattice(bounds, cell_size)
        rows, cols = np.indices(lattice.shape).reshape(2, -1)
        if study_area is not None:
            keep = shapely.intersects(lattice.polygons(rows, cols), study_area)
            rows, cols = rows[keep], cols[keep]
        if rows.size == 0:
            raise InputError("The study area holds no grid cell; check the area and the cell size.")
        index = np.full(lattice.shape, -1, dtype=np.int64)
        index[rows, cols] = np.arange(rows.size)
        cx, cy = lattice.centres(rows, cols)
        return cls(lattice, rows, cols, cx, cy, index)

    @property
    def size(self) -> int:
        return int(self.rows.size)

    @property
    def cell_size(self) -> float:
        return float(self.lattice.cell_size)

    def locate(self, x, y) -> np.ndarray:
        """Candidate position of every point, -1 outside the study area."""
        rows, cols, inside = self.lattice.locate(x, y)
        out = np.full(len(x), -1, dtype=np.int64)
        out[inside] = self.index[rows[inside], cols[inside]]
        return out

    def count(self, x, y) -> np.ndarray:
        where = self.locate(x, y)
        return np.bincount(where[where >= 0], minlength=self.size)

    def polygons(self) -> np.ndarray:
        return self.lattice.polygons(self.rows, self.cols)


@dataclass
class History:
    """Located, timed incidents on a grid.

    Attributes
    ----------
    x, y : ndarray
        Coordinates in the analysis CRS (metres).
    t : ndarray
        Days since ``origin`` (fractional).
    cell : ndarray of int
        Candidate cell of each event, -1 outside the study area.
    origin : Timestamp
        Midnight before the first event.
    rows : ndarray of int
        Positions of the events in the input layer.
    skipped : dict
        ``incidents_without_time`` and ``incidents_without_location``.
    """

    x: np.ndarray
    y: np.ndarray
    t: np.ndarray
    cell: np.ndarray
    origin: pd.Timestamp
    rows: np.ndarray
    skipped: dict

    def day(self, stamp) -> float:
        """Days from the origin to ``stamp``."""
        return (pd.Timestamp(stamp) - self.origin) / pd.Timedelta(days=1)

    def stamp(self, day: float) -> pd.Timestamp:
        return self.origin + pd.Timedelta(days=float(day))

    def stamps(self) -> np.ndarray:
        """The event times as ``datetime64[ns]``."""
        return np.datetime64(self.origin.to_datetime64(), "ns") + np.round(self.t * DAY_NS).astype(np.int64).astype("timedelta64[ns]")

    def between(self, start: float, stop: float) -> np.ndarray:
        """Events with ``start <= t < stop``."""
        return (self.t >= start) & (self.t < stop)

    @property
    def first_day(self) -> float:
        return float(self.t.min())

    @property
    def last_day(self) -> float:
        return float(self.t.max())


def prepare_history(points: gpd.GeoDataFrame, grid: StudyGrid | None = None) -> History:
    """The incidents with a time and a location; the others are counted in ``skipped``.

    Raises
    ------
    InputError
        No incident with both a time and a location; no time column.
    """
    require_metric_crs(points, "incident layer")
    times, timed = incident_times(points)
    x, y, located = point_coordinates(points)
    keep = timed & located
    if not keep.any():
        raise InputError("No incident has both a location and a time.")
    stamps = times[keep]
    origin = pd.Timestamp(stamps.min()).normalize()
    t = (stamps - np.datetime64(origin.to_datetime64(), "ns")).astype(np.int64) / DAY_NS
    xs, ys = x[keep], y[keep]
    cell = grid.locate(xs, ys) if grid is not None else np.full(xs.size, -1, dtype=np.int64)
    skipped = {"incidents_without_time": int((~timed).sum()), "incidents_without_location": int((timed & ~located).sum())}
    return History(xs, ys, t, cell, origin, np.flatnonzero(keep), skipped)


def grid_over(history: History, cell_size: float, study_area=None) -> StudyGrid:
    """A grid over the study area, or over the events' extent, with every event located on it."""
    bounds = study_area.bounds if study_area is not None else (history.x.min(), history.y.min(), history.x.max(), history.y.max())
    grid = StudyGrid.build(bounds, cell_size, study_area)
    history.cell = grid.locate(history.x, history.y)
    return grid


def skipped_note(skipped: dict) -> list[str]:
    """One note listing the rows left out for want of a time or a location (none when nothing was)."""
    parts = [f"{key.removeprefix('incidents_').replace('_', ' ')} {value:,}" for key, value in skipped.items() if value]
    return ["Incidents left out: " + ", ".join(parts) + "."] if parts else []
