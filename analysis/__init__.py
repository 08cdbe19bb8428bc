"""Algorithms of gisapp, by subject; this module is the index of their entry points.

Every entry point takes a GeoDataFrame (in a metric CRS) or arrays plus a
parameters object and returns an :class:`~gisapp.analysis.core.result.AnalysisResult`
(``.layer``, ``.summary``, ``.params``). Nothing here imports Qt.

Subjects:

- ``core``: results, the method contract, inputs, running, aggregation, time steps, road networks
- ``stats``: spatial weights, Gi* and Moran, permutation inference, FDR, trend and rate tests, ellipses
- ``hotspots``: Gi* with the automatic scale, LISA, kernel density, concentration
- ``clusters``: HDBSCAN, DBSCAN, OPTICS, CrimeStat NNH, k-means
- ``spacetime``: emerging hot spots, near repeat (Knox), temporal profiles, area comparison
- ``cameras``: coverage and siting; ``patrol``: route exposure and planned tours
- ``forecast``: prospective, SEPP, RTM, evaluation, early warning, series profiles
- ``geocode``: offline address matching

The names below are imported on first use (``gisapp.analysis.optimized_hotspots``),
so importing the package itself loads no scientific library. What each
method offers the front ends is declared in ``<subject>/methods.py`` and
listed by :mod:`gisapp.analysis.catalog`.
"""

from __future__ import annotations

import importlib

#: Entry point -> module that defines it.
ENTRY_POINTS = {
    "optimized_hotspots": "hotspots.optimized",
    "hotspot_gi_star": "hotspots.gistar",
    "lisa": "hotspots.lisa",
    "kernel_density": "hotspots.density",
    "crime_concentration": "hotspots.concentration",
    "cluster_incidents": "clusters.clustering",
    "emerging_hot_spots": "spacetime.emerging",
    "near_repeat": "spacetime.nearrepeat",
    "compare_areas": "spacetime.compare",
    "temporal_profile": "spacetime.temporal",
    "camera_coverage": "cameras.coverage",
    "site_cameras": "cameras.siting",
    "route_exposure": "patrol.exposure",
    "plan_patrol": "patrol.plan",
    "evaluate_forecasts": "forecast.evaluation",
    "geocode_frame": "geocode",
    "build_gazetteer": "geocode",
}

__all__ = sorted(ENTRY_POINTS)


def __getattr__(name: str):
    if name in ENTRY_POINTS:
        value = getattr(importlib.import_module(f"{__name__}.{ENTRY_POINTS[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
