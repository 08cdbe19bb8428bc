"""HDBSCAN that calls every incident noise says so, and suggests a minimum size that forms clusters (issue 15)."""

from __future__ import annotations

import geopandas as gpd
from reference_data import libpysal_example

from gisapp.analysis.clusters.clustering import ClusterParams, cluster_incidents


def juvenile():
    """libpysal's juvenile offenders (168 points on a unit grid), scaled to metres in a projected CRS."""
    frame = gpd.read_file(libpysal_example("juvenile.shp"))
    return frame.set_geometry(frame.geometry.affine_transform([100, 0, 0, 100, 495_000, 3_395_000])).set_crs("EPSG:4544")


def test_all_noise_is_said_and_a_size_that_clusters_is_suggested():
    points = juvenile()
    result = cluster_incidents(points, ClusterParams(method="hdbscan"))
    assert result.summary["clusters"] == 0 and result.summary["noise_share"] == 1.0
    suggested = result.summary["suggested_min_cluster_size"]
    assert suggested is not None and 2 <= suggested < ClusterParams().min_cluster_size
    assert any("HDBSCAN found no cluster" in note and f"--min-cluster-size {suggested}" in note for note in result.summary["notes"])
    # The suggestion holds: run again with it.
    again = cluster_incidents(points, ClusterParams(method="hdbscan", min_cluster_size=suggested))
    assert again.summary["clusters"] > 0
    assert f"finds {again.summary['clusters']} cluster" in " ".join(result.summary["notes"])


def test_no_suggestion_when_clusters_are_found():
    result = cluster_incidents(juvenile(), ClusterParams(method="hdbscan", min_cluster_size=5))
    assert result.summary["clusters"] > 0 and "suggested_min_cluster_size" not in result.summary
