"""Shared fixtures of the forecast tests: incidents from coordinates and times, and a self-exciting simulator."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

CRS = "EPSG:4544"
X0, Y0 = 500_000.0, 3_400_000.0


def make_incidents(x, y, times, **columns) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"occurred_at": pd.to_datetime(times), **columns}, geometry=gpd.points_from_xy(x, y), crs=CRS)


def simulate_hawkes(mu, theta: float, omega: float, duration: float, rng) -> tuple[np.ndarray, np.ndarray]:
    """Times (days) and cells of a grid self-exciting process, by its branching structure.

    Each cell's background events are a Poisson process of rate mu[c]; every
    event has Poisson(theta) children, each Exp(omega) days later, in the same
    cell; children after ``duration`` are dropped.
    """
    times, cells = [], []
    for cell, rate in enumerate(mu):
        generation = rng.uniform(0, duration, rng.poisson(rate * duration))
        every = [generation]
        while generation.size:
            children = rng.poisson(theta, generation.size)
            generation = np.repeat(generation, children) + rng.exponential(1.0 / omega, children.sum())
            generation = generation[generation < duration]
            every.append(generation)
        found = np.concatenate(every)
        times.append(found)
        cells.append(np.full(found.size, cell))
    return np.concatenate(times), np.concatenate(cells)


@pytest.fixture
def incidents_factory():
    return make_incidents
