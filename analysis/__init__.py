"""Algorithms of gisapp: aggregation, hotspots, clustering, density, space-time, coverage, patrol.

Nothing here imports Qt. Every entry point takes GeoDataFrames or arrays plus a
parameters object and returns an :class:`gisapp.analysis.core.result.AnalysisResult`.
"""
