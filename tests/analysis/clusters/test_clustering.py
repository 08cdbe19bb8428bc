"""Clustering and the standard deviational ellipse: definitions, backends, space-time, the sample county, refusals."""

from __future__ import annotations

import json
import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from gisapp.analysis.clusters.clustering import (
    ClusterParams,
    cluster_incidents,
    hdbscan_exemplars,
    renumber_by_size,
    space_time_neighbours,
)
from gisapp.analysis.core.result import Cancelled
from gisapp.analysis.stats.ellipse import standard_deviational_ellipse
from gisapp.layers.errors import AnalysisError, InputError

CRS = "EPSG:4544"
X0, Y0 = 500_000.0, 3_400_000.0


def blobs(seed=0, sizes=(300, 200, 120), spread=40.0, noise=200, extent=5000.0):
    rng = np.random.default_rng(seed)
    centres = np.array([[1000.0, 1000.0], [3500.0, 1500.0], [2000.0, 4000.0]])[: len(sizes)]
    parts = [c + rng.normal(0, spread, (n, 2)) for c, n in zip(centres, sizes)]
    parts.append(rng.uniform(0, extent, (noise, 2)))
    xy = np.vstack(parts)
    truth = np.concatenate([np.full(n, k) for k, n in enumerate(sizes)] + [np.full(noise, -1)])
    return X0 + xy[:, 0], Y0 + xy[:, 1], truth


def frame(x, y, crs=CRS, **columns):
    return gpd.GeoDataFrame(columns, geometry=gpd.points_from_xy(x, y), crs=crs)


# --------------------------------------------------------------------------- standard deviational ellipse


def arcgis_trigonometric(x, y):
    """The SDE as Esri and CrimeStat write it: tan θ = (A + B)/C, then σ along the rotated axes (divisor n)."""
    dx, dy = x - x.mean(), y - y.mean()
    a = (dx**2).sum() - (dy**2).sum()
    c = 2 * (dx * dy).sum()
    b = math.sqrt(a * a + c * c)
    theta = math.atan((a + b) / c)
    sx = math.sqrt(((dx * math.cos(theta) - dy * math.sin(theta)) ** 2).sum() / len(x))
    sy = math.sqrt(((dx * math.sin(theta) + dy * math.cos(theta)) ** 2).sum() / len(x))
    return theta, sorted([sx, sy])


def test_ellipse_axes_equal_the_published_trigonometric_formula():
    rng = np.random.default_rng(1)
    for _ in range(20):
        x, y = rng.normal(0, rng.uniform(10, 300), 50), rng.normal(0, rng.uniform(10, 300), 50)
        y = y + rng.uniform(-2, 2) * x
        _, (minor, major) = arcgis_trigonometric(x, y)
        e = standard_deviational_ellipse(x, y)
        assert e.sd_major == pytest.approx(major, rel=1e-9) and e.sd_minor == pytest.approx(minor, rel=1e-9)


@pytest.mark.parametrize("azimuth", [0.0, 30.0, 90.0, 135.0, 170.0])
def test_ellipse_recovers_a_rotated_distribution(azimuth):
    rng = np.random.default_rng(2)
    u, v = rng.normal(0, 300, 20000), rng.normal(0, 100, 20000)
    az = math.radians(azimuth)
    x = 1000 + u * math.sin(az) - v * math.cos(az)
    y = 2000 + u * math.cos(az) + v * math.sin(az)
    e = standard_deviational_ellipse(x, y)
    assert (e.centre_x, e.centre_y) == pytest.approx((1000, 2000), abs=10)
    assert e.sd_major == pytest.approx(300, rel=0.03) and e.sd_minor == pytest.approx(100, rel=0.03)
    assert min(abs(e.rotation_deg - azimuth), 180 - abs(e.rotation_deg - azimuth)) < 1.0


def test_ellipse_scaling_weights_and_polygon():
    rng = np.random.default_rng(3)
    x, y = rng.normal(0, 50, 40), rng.normal(0, 20, 40)
    plain = standard_deviational_ellipse(x, y)
    arcgis = standard_deviational_ellipse(x, y, n_std=2, sqrt2=True)
    assert arcgis.sd_major == pytest.approx(plain.sd_major * 2 * math.sqrt(2))  # ArcGIS's 2.83 for 2 SD
    w = rng.integers(1, 4, 40)
    weighted = standard_deviational_ellipse(x, y, weights=w)
    repeated = standard_deviational_ellipse(np.repeat(x, w), np.repeat(y, w))
    assert weighted.sd_major == pytest.approx(repeated.sd_major) and weighted.rotation_deg == pytest.approx(repeated.rotation_deg)
    polygon = plain.polygon(vertices=720)
    assert polygon.is_valid and polygon.area == pytest.approx(plain.area, rel=1e-4)
    assert polygon.centroid.distance(shapely.Point(plain.centre_x, plain.centre_y)) < 1e-6


@settings(max_examples=40, deadline=None)
@given(st.floats(-1e5, 1e5), st.floats(-1e5, 1e5), st.integers(0, 10_000))
def test_ellipse_is_translation_invariant(dx, dy, seed):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(0, 80, 25), rng.normal(0, 30, 25) + rng.normal(0, 1) * np.arange(25)
    a = standard_deviational_ellipse(x, y)
    b = standard_deviational_ellipse(x + 500_000 + dx, y + 3_400_000 + dy)
    assert b.sd_major == pytest.approx(a.sd_major, rel=1e-6, abs=1e-6)
    assert b.sd_minor == pytest.approx(a.sd_minor, rel=1e-5, abs=1e-5)
    if a.sd_major > 1.01 * a.sd_minor:
        assert min(abs(a.rotation_deg - b.rotation_deg), 180 - abs(a.rotation_deg - b.rotation_deg)) < 1e-3


def test_collinear_points_give_a_degenerate_ellipse():
    e = standard_deviational_ellipse(np.arange(10.0), 2 * np.arange(10.0))
    assert e.degenerate and e.sd_minor == pytest.approx(0, abs=1e-9)
    assert e.rotation_deg == pytest.approx(math.degrees(math.atan2(1, 2)))
    assert e.polygon().is_valid


# --------------------------------------------------------------------------- methods


def test_renumbering_is_by_size_then_place():
    labels = np.array([5, 5, 2, 2, 2, -1, 7, 7])
    x = np.array([0, 0, 9, 9, 9, 1, 3, 3.0])
    assert renumber_by_size(labels, x, np.zeros(8)).tolist() == [2, 2, 1, 1, 1, -1, 3, 3]


@pytest.mark.parametrize("method, options", [
    ("hdbscan", {}),
    ("dbscan", {"eps": 60.0}),
    ("optics", {"max_eps": 400.0}),
])
def test_density_methods_find_the_planted_blobs(method, options):
    x, y, truth = blobs()
    result = cluster_incidents(frame(x, y), ClusterParams(method=method, min_cluster_size=30, **options))
    ids = result.layer["cluster_id"].to_numpy()
    for k, size in enumerate((300, 200, 120)):
        members = ids[truth == k]
        assert (members == k + 1).mean() > 0.9  # numbered by size
    assert result.summary["clusters"] == 3 and len(result.hulls) == 3 and len(result.ellipses) == 3
    assert (result.hulls["count"].to_numpy() == np.bincount(ids[ids > 0])[1:]).all()
    json.dumps(result.summary, default=str)


def test_hdbscan_columns_and_backends_agree():
    pytest.importorskip("hdbscan")
    x, y, _ = blobs(seed=4, sizes=(400, 250, 150), noise=400)
    points = frame(x, y)
    package = cluster_incidents(points, ClusterParams(min_cluster_size=25, min_samples=10, backend="hdbscan"))
    sklearn = cluster_incidents(points, ClusterParams(min_cluster_size=25, min_samples=10, backend="sklearn"))
    assert package.params["backend"] == "hdbscan" and sklearn.params["backend"] == "sklearn"
    assert adjusted_rand_score(package.layer.cluster_id, sklearn.layer.cluster_id) >= 0.99
    layer = package.layer
    assert layer.probability.between(0, 1).all() and (layer.probability[layer.cluster_id < 0] == 0).all()
    assert layer.outlier_score.notna().all() and layer.outlier.mean() == pytest.approx(0.1, abs=0.02)
    assert sklearn.layer.outlier_score.isna().all()
    # Exemplars (ArcGIS's EXEMPLAR): some in every cluster, none in noise; scikit-learn has none to give.
    exemplars = layer[layer.exemplar == 1]
    assert set(exemplars.cluster_id) == set(layer.cluster_id[layer.cluster_id > 0])
    assert layer.exemplar.isin([0.0, 1.0]).all() and sklearn.layer.exemplar.isna().all()
    assert exemplars.groupby("cluster_id").probability.min().min() == 1.0  # exemplars sit deepest in their cluster


def test_exemplars_from_the_condensed_tree_are_the_packages():
    hdbscan = pytest.importorskip("hdbscan")
    x, y, _ = blobs(seed=9, sizes=(400, 250, 150), noise=400)
    coords = np.column_stack([x, y])
    for selection in ("eom", "leaf"):
        model = hdbscan.HDBSCAN(min_cluster_size=25, min_samples=9, cluster_selection_method=selection).fit(coords)
        ours = hdbscan_exemplars(model)
        theirs = np.zeros(len(coords))
        for label, points in enumerate(model.exemplars_):
            members = np.flatnonzero(model.labels_ == label)
            theirs[members[np.isin(coords[members, 0] + 1j * coords[members, 1], points[:, 0] + 1j * points[:, 1])]] = 1.0
        assert np.array_equal(ours, theirs) and ours.sum() > 0


def test_kmeans_and_optics_extras():
    x, y, _ = blobs(noise=0)
    kmeans = cluster_incidents(frame(x, y), ClusterParams(method="kmeans", n_clusters=3, seed=1))
    assert sorted(kmeans.hulls["count"]) == [120, 200, 300] and (kmeans.layer.cluster_id > 0).all()
    assert kmeans.layer.distance_to_centre_m.max() < 250
    optics = cluster_incidents(frame(x, y), ClusterParams(method="optics", min_cluster_size=30, max_eps=300.0, eps=60.0))
    assert sorted(optics.layer.optics_order) == list(range(len(x)))
    assert optics.layer.reachability_m.isna().sum() >= 1 and optics.summary["clusters"] == 3


@pytest.mark.parametrize("params", [ClusterParams(min_cluster_size=30), ClusterParams(method="kmeans", n_clusters=3)])
def test_row_order_changes_at_most_a_few_border_points(params):
    x, y, _ = blobs(seed=5)
    points = frame(x, y, case=np.arange(len(x)))
    order = np.random.default_rng(0).permutation(len(x))
    a = cluster_incidents(points, params).layer.sort_values("case").cluster_id.to_numpy()
    b = cluster_incidents(points.iloc[order], params).layer.sort_values("case").cluster_id.to_numpy()
    # ids are numbered by size, so they match; mutual-reachability ties may move a border point or two
    assert (a != b).sum() <= 3 and adjusted_rand_score(a, b) >= 0.99


# --------------------------------------------------------------------------- space-time


def test_st_dbscan_separates_the_same_place_at_different_times():
    rng = np.random.default_rng(6)
    xy = rng.normal(0, 30, (60, 2))
    times = pd.to_datetime("2025-04-01") + pd.to_timedelta(np.r_[rng.uniform(0, 5, 30), rng.uniform(60, 65, 30)], unit="D")
    points = frame(X0 + xy[:, 0], Y0 + xy[:, 1], occurred_at=times)
    spatial = cluster_incidents(points, ClusterParams(method="dbscan", eps=60.0, min_cluster_size=5))
    assert spatial.summary["clusters"] == 1
    st_result = cluster_incidents(points, ClusterParams(method="dbscan", eps=60.0, min_cluster_size=5, time_window_days=7))
    assert st_result.summary["clusters"] == 2 and st_result.summary["space_time"] == "st-dbscan"
    ids = st_result.layer.cluster_id.to_numpy()
    assert len(set(ids[:30])) == 1 and len(set(ids[30:])) == 1 and ids[0] != ids[30]
    scaled = cluster_incidents(points, ClusterParams(min_cluster_size=10, time_window_days=7, time_distance_m=60.0))
    assert scaled.summary["clusters"] == 2 and scaled.params["time_scale_m_per_day"] == pytest.approx(60 / 7)


def test_space_time_neighbours_count_the_incident_itself():
    coords = np.array([[0.0, 0.0], [10.0, 0.0], [0.0, 10.0], [500.0, 500.0]])
    graph = space_time_neighbours(coords, np.array([0.0, 1.0, 2.0, 0.0]), 50.0, 7.0)
    assert graph.nnz == 6
    points = frame(X0 + coords[:, 0], Y0 + coords[:, 1], occurred_at=pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-01"]))
    # min_samples 3 counts the incident itself, as scikit-learn's DBSCAN does
    result = cluster_incidents(points, ClusterParams(method="dbscan", eps=50.0, min_cluster_size=3, time_window_days=7))
    assert result.layer.cluster_id.tolist() == [1, 1, 1, -1]


def test_incidents_without_time_are_counted_not_clustered():
    x, y, _ = blobs(noise=0, sizes=(50, 40))
    times = pd.Series(pd.to_datetime("2025-01-01") + pd.to_timedelta(np.arange(90) % 5, unit="D"))
    times.iloc[[0, 1]] = pd.NaT
    result = cluster_incidents(frame(x, y, occurred_at=times.to_numpy()), ClusterParams(method="dbscan", eps=60, min_cluster_size=5, time_window_days=3))
    assert result.summary["incidents_without_time"] == 2 and len(result.layer) == 88


# --------------------------------------------------------------------------- the sample county


@pytest.fixture(scope="module")
def county(sample_dir):
    from gisapp.analysis.core.inputs import Inputs
    from gisapp.layers.filters import IncidentFilter

    inputs = Inputs(sample_dir / "county.gpkg")
    truth = json.loads((sample_dir / "truth.json").read_text(encoding="utf-8"))
    return inputs, inputs.incidents(IncidentFilter()), truth


def test_hdbscan_finds_the_market_pickpocketing(county):
    inputs, incidents, truth = county
    result = cluster_incidents(incidents[incidents.subcategory == "扒窃"], ClusterParams(min_cluster_size=50))
    to_metric = pyproj.Transformer.from_crs(4326, inputs.crs, always_xy=True)
    top3 = result.hulls.head(3)
    for market in truth["a"]["hotspots"]:
        mx, my = to_metric.transform(market["lon"], market["lat"])
        distances = np.hypot(top3.centre_x - mx, top3.centre_y - my)
        best = int(np.argmin(distances))
        assert distances.iloc[best] < 30
        assert top3.geometry.iloc[best].contains(shapely.Point(mx, my))
        assert top3["count"].iloc[best] >= 0.8 * market["count"]
        assert top3.sd_major_m.iloc[best] < 120 and top3.main_subcategory.iloc[best] == "扒窃"


def test_st_dbscan_recovers_the_burglary_chains(county):
    inputs, incidents, truth = county
    from gisapp.layers.filters import IncidentFilter

    chosen = IncidentFilter(start="2025-03-01", end="2025-06-30", categories=["入室盗窃"], within="G062")
    chosen.within_geometry = inputs.area_geometry("G062")
    burglaries = chosen.apply(incidents)
    result = cluster_incidents(burglaries, ClusterParams(method="dbscan", eps=200, min_cluster_size=3, time_window_days=7))
    chains = [set(chain) for chain in truth["b"]["chains"]]
    in_chain = burglaries.case_id.isin(set().union(*chains)).to_numpy()
    ids = result.layer.cluster_id.to_numpy()
    assert (ids[in_chain] > 0).all() and (ids[~in_chain] == -1).all()
    for chain in chains:
        assert len(set(ids[burglaries.case_id.isin(chain).to_numpy()])) == 1


# --------------------------------------------------------------------------- refusals


def test_fewer_points_than_the_minimum_cluster_size():
    x, y, _ = blobs(sizes=(5,), noise=3)
    with pytest.raises(AnalysisError, match="fewer than the minimum cluster size"):
        cluster_incidents(frame(x, y), ClusterParams(min_cluster_size=15))
    with pytest.raises(AnalysisError, match="clusters asked for"):
        cluster_incidents(frame(x, y), ClusterParams(method="kmeans", n_clusters=20))


def test_all_points_identical_are_refused():
    points = frame(np.full(40, X0), np.full(40, Y0))
    for params in (ClusterParams(), ClusterParams(method="dbscan", eps=10), ClusterParams(method="kmeans", n_clusters=2)):
        with pytest.raises(AnalysisError, match="one place"):
            cluster_incidents(points, params)


def test_geographic_coordinates_are_refused():
    x, y, _ = blobs()
    with pytest.raises(AnalysisError, match="geographic"):
        cluster_incidents(frame(x, y).to_crs(4326))


@pytest.mark.parametrize("params, message", [
    (ClusterParams(method="dbscan"), "eps"),
    (ClusterParams(method="kmeans"), "n_clusters"),
    (ClusterParams(method="meanshift"), "Unknown clustering method"),
    (ClusterParams(min_cluster_size=1), "at least 2"),
    (ClusterParams(eps=-3), "positive"),
    (ClusterParams(time_window_days=7), "occurred_at"),
])
def test_bad_parameters(params, message):
    x, y, _ = blobs()
    with pytest.raises(InputError, match=message):
        cluster_incidents(frame(x, y), params)


def test_kmeans_with_too_few_distinct_places():
    points = frame(np.r_[np.full(20, X0), np.full(20, X0 + 100)], np.full(40, Y0))
    with pytest.raises(AnalysisError, match="distinct"):
        cluster_incidents(points, ClusterParams(method="kmeans", n_clusters=3))


def test_cancel_is_honoured():
    x, y, _ = blobs()
    with pytest.raises(Cancelled):
        cluster_incidents(frame(x, y), cancelled=lambda: True)
