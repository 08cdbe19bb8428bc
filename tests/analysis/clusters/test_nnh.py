"""CrimeStat's nearest-neighbour hierarchical clustering: threshold formula, linkage, orders, the sample county, refusals."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pyproj
import pytest
from scipy import stats

from gisapp.analysis.clusters.clustering import ClusterParams, cluster_incidents
from gisapp.analysis.clusters.nnh import incident_labels, nnh_levels, random_threshold, single_linkage
from gisapp.layers.errors import AnalysisError, InputError

CRS = "EPSG:4544"


def test_threshold_is_the_clark_evans_distance_with_its_t_interval():
    # 100 points on 1 km²: d_ran = 0.5·sqrt(10^6/100) = 50 m, SE = 0.26136/sqrt(100²/10^6) = 2.6136 m.
    half = random_threshold(100, 1e6, 0.5)
    assert half.distance_m == pytest.approx(50.0) and half.standard_error_m == pytest.approx(2.6136)
    strict = random_threshold(100, 1e6, 0.05)
    assert strict.t_value == pytest.approx(stats.t.ppf(0.05, 99)) == pytest.approx(-1.6604, abs=1e-4)
    assert strict.distance_m == pytest.approx(50.0 - 1.6604 * 2.6136, abs=1e-3)
    assert random_threshold(100, 4e6, 0.5).distance_m == pytest.approx(100.0)  # four times the area, twice the distance


def test_single_linkage_chains_and_drops_small_groups():
    chain = np.column_stack([np.arange(12) * 10.0, np.zeros(12)])  # links of 10 m
    pair = np.array([[500.0, 0.0], [505.0, 0.0]])
    coords = np.vstack([chain, pair])
    labels = single_linkage(coords, 15.0, 3)
    assert (labels[:12] == labels[0]).all() and labels[0] >= 0 and (labels[12:] == -1).all()
    assert (single_linkage(coords, 9.0, 3) == -1).all()  # no link is shorter than 9 m
    # Coincident incidents merged into one place still count each incident.
    weighted = single_linkage(pair, 15.0, 3, weights=np.array([1, 2]))
    assert (weighted >= 0).all()


def two_groups(seed=0):
    """Two groups of five blobs (600 m apart within a group, 7 km between groups) over sparse background."""
    rng = np.random.default_rng(seed)
    base = [(0, 0), (600, 0), (0, 600), (600, 600), (1200, 0)]
    centres = base + [(x + 7000, y + 7000) for x, y in base]
    parts = [rng.normal(c, 25.0, (100, 2)) for c in centres]
    background = rng.uniform(-3000, 10000, (300, 2))
    return np.vstack(parts + [background]), np.repeat(np.arange(10), 100)


def test_second_order_clusters_group_the_first_order_centres():
    coords, truth = two_groups()
    levels, area = nnh_levels(coords, min_points=5)
    assert area == pytest.approx(np.ptp(coords[:, 0]) * np.ptp(coords[:, 1]))
    first, second = levels[0].labels, levels[1].labels
    assert first.max() + 1 == 10 and len(levels) == 2
    for k in range(10):
        assert len(set(first[:1000][truth == k])) == 1 and (first[:1000][truth == k] >= 0).all()
    assert second.max() + 1 == 2
    order2 = incident_labels(levels)[1][:1000]
    assert len(set(order2[truth < 5])) == 1 and len(set(order2[truth >= 5])) == 1 and order2[0] != order2[-1]
    # The second-order threshold is the random distance for 10 centres on the same area.
    assert levels[1].threshold.distance_m == pytest.approx(0.5 * math.sqrt(area / 10))


def frame(coords, crs=CRS):
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(500_000 + coords[:, 0], 3_400_000 + coords[:, 1]), crs=crs)


def test_cluster_incidents_with_nnh_writes_orders():
    coords, _ = two_groups(1)
    result = cluster_incidents(frame(coords), ClusterParams(method="nnh", min_cluster_size=5))
    assert result.summary["clusters"] == 10 and [o["clusters"] for o in result.summary["nnh"]["orders"]] == [10, 2]
    assert set(result.layer["cluster_order_2"]) == {-1, 1, 2}
    assert result.hulls.groupby("order").size().to_dict() == {1: 10, 2: 2}
    second = result.hulls[result.hulls.order == 2]
    assert second["count"].sum() == (result.layer["cluster_order_2"] > 0).sum()
    assert not result.summary["notes"]


def test_pickpocketing_at_the_three_markets_and_the_back_alley(county, truth):
    # With a fixed 50 m link, or the seat's area instead of the county's, NNH separates the markets.
    incidents = county["incidents"]
    pick = incidents[incidents.subcategory == "扒窃"]
    to_metric = pyproj.Transformer.from_crs(4326, CRS, always_xy=True)
    places = [*truth["a"]["hotspots"], {"lon": truth["f"]["lon"], "lat": truth["f"]["lat"], "count": None}]
    for params in (ClusterParams(method="nnh", min_cluster_size=20, eps=50.0),
                   ClusterParams(method="nnh", min_cluster_size=20, study_area_km2=30.0)):
        hulls = cluster_incidents(pick, params).hulls
        assert len(hulls) == 4
        for place in places:
            px, py = to_metric.transform(place["lon"], place["lat"])
            distance = np.hypot(hulls.centre_x - px, hulls.centre_y - py)
            nearest = int(np.argmin(distance))
            assert distance.iloc[nearest] < 40
            if place["count"]:
                assert hulls["count"].iloc[nearest] == pytest.approx(place["count"], rel=0.1)


def test_county_wide_random_threshold_warns_of_chaining(county):
    result = cluster_incidents(county["incidents"], ClusterParams(method="nnh", min_cluster_size=15))
    assert result.summary["nnh"]["area_source"] == "bounding rectangle of the incidents"
    assert any("chains the dense places together" in note for note in result.summary["notes"])


@pytest.mark.parametrize("params, error, message", [
    (ClusterParams(method="nnh", nnh_probability=0.7), InputError, "between 0 and 0.5"),
    (ClusterParams(method="nnh", nnh_probability=0.0), InputError, "between 0 and 0.5"),
    (ClusterParams(method="nnh", study_area_km2=-1.0), InputError, "positive"),
    (ClusterParams(method="nnh", time_window_days=7), InputError, "space only"),
])
def test_bad_nnh_parameters(params, error, message):
    coords, _ = two_groups()
    with pytest.raises(error, match=message):
        cluster_incidents(frame(coords), params)


def test_incidents_on_a_line_need_an_area():
    coords = np.column_stack([np.arange(100) * 3.0, np.zeros(100)])
    with pytest.raises(AnalysisError, match="give the study area"):
        nnh_levels(coords, 5)
    assert nnh_levels(coords, 5, area_m2=1e6)[0][0].labels.max() == 0
