"""Crime concentration (80/20): curve and Gini definitions, street segments, snapping, the sample county, refusals."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st

from gisapp.analysis.hotspots.concentration import (
    ConcentrationParams,
    concentration_curve,
    crime_concentration,
    generalized_gini,
    gini,
    snap_to_segments,
    split_line,
    street_segments,
)
from gisapp.layers.errors import AnalysisError, InputError

CRS = "EPSG:4544"
X0, Y0 = 500_000.0, 3_400_000.0


def frame(x, y, crs=CRS, **columns):
    return gpd.GeoDataFrame(columns, geometry=gpd.points_from_xy(x, y), crs=crs)


def textbook_gini(values) -> float:
    y = np.sort(np.asarray(values, dtype=float))
    n = len(y)
    return float(2 * np.sum(np.arange(1, n + 1) * y) / (n * y.sum()) - (n + 1) / n)


# --------------------------------------------------------------------------- definitions


def test_gini_extremes_and_the_textbook_formula():
    assert gini(np.full(10, 3.0)) == pytest.approx(0.0, abs=1e-12)
    assert gini(np.r_[np.zeros(9), 5.0]) == pytest.approx(1 - 1 / 10)
    values = np.random.default_rng(0).poisson(2.0, 500)
    assert gini(values) == pytest.approx(textbook_gini(values), rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 50), min_size=2, max_size=60).filter(lambda v: sum(v) > 0), st.integers(1, 7), st.randoms())
def test_gini_properties(values, scale, rnd):
    g = gini(values)
    assert 0.0 <= g + 1e-12 and g < 1.0
    assert gini(np.asarray(values) * scale) == pytest.approx(g, abs=1e-12)
    shuffled = list(values)
    rnd.shuffle(shuffled)
    assert gini(shuffled) == pytest.approx(g, abs=1e-12)
    assert gini(values, np.full(len(values), 7.5)) == pytest.approx(g, abs=1e-12)  # equal sizes change nothing


def test_curve_counts_the_fewest_places():
    curve = concentration_curve([10, 0, 5, 5, 0, 30])
    assert curve.order[:2].tolist() == [5, 0]
    assert curve.places_for(0.5) == 1 and curve.places_for(0.75) == 2 and curve.places_for(0.8) == 2
    assert curve.places_for(0.85) == 3 and curve.places_for(1.0) == 4
    assert curve.y_at(0.5) == pytest.approx(0.9) and curve.y_at(0.25) == pytest.approx(0.7)
    weighted = concentration_curve([10, 10], sizes=[1.0, 3.0])  # a short segment with as many incidents ranks first
    assert weighted.x.tolist() == [0.0, 0.25, 1.0] and weighted.y.tolist() == [0.0, 0.5, 1.0]


def test_generalized_gini_for_more_places_than_incidents():
    places, incidents = 100, 20
    evenest = np.r_[np.ones(incidents), np.zeros(places - incidents)]
    g = gini(evenest)
    assert g == pytest.approx(1 - incidents / places)
    assert generalized_gini(g, incidents, places) == pytest.approx(0.0, abs=1e-12)
    assert generalized_gini(0.3, 500, 100) == 0.3


# --------------------------------------------------------------------------- places


def test_lines_split_into_equal_segments():
    line = shapely.LineString([(0, 0), (250, 0), (250, 180)])
    pieces = split_line(line, 100.0)
    assert len(pieces) == 4
    np.testing.assert_allclose([p.length for p in pieces], line.length / 4)
    assert shapely.union_all(pieces).length == pytest.approx(line.length)
    assert len(split_line(shapely.LineString([(0, 0), (30, 0)]), 100.0)) == 1


def test_street_segments_keep_names_and_cover_multilines():
    roads = gpd.GeoDataFrame({"name": ["西街", "滨河路3巷"], "road_class": ["primary", "alley"]},
                             geometry=[shapely.LineString([(X0, Y0), (X0 + 1000, Y0)]),
                                       shapely.MultiLineString([[(X0, Y0 + 500), (X0, Y0 + 700)], [(X0 + 50, Y0 + 500), (X0 + 50, Y0 + 600)]])],
                             crs=CRS)
    segments = street_segments(roads, 100.0)
    assert len(segments) == 10 + 2 + 1
    assert segments.groupby("name").length_m.sum().to_dict() == pytest.approx({"西街": 1000.0, "滨河路3巷": 300.0})


def test_snapping_respects_the_distance_and_takes_one_segment():
    segments = gpd.GeoDataFrame(geometry=[shapely.LineString([(0, 0), (100, 0)]), shapely.LineString([(100, 0), (200, 0)])], crs=CRS)
    points = frame([50, 100, 150, 150], [10, 5, 80, -49])
    assigned, distance = snap_to_segments(points, segments, 50.0)
    assert assigned[0] == 0 and assigned[1] in (0, 1) and assigned[2] == -1 and assigned[3] == 1
    assert distance[3] == pytest.approx(49.0)


def test_cells_inside_a_boundary_only():
    rng = np.random.default_rng(1)
    x, y = X0 + rng.uniform(0, 2000, 500), Y0 + rng.uniform(0, 2000, 500)
    everything = crime_concentration(frame(x, y), ConcentrationParams(unit="square", cell_size=200))
    assert everything.summary["places"] == 100 and everything.summary["incidents"] == 500
    half = shapely.box(X0, Y0, X0 + 1000, Y0 + 2000)
    inside = crime_concentration(frame(x, y), ConcentrationParams(unit="square", cell_size=200, boundary=half))
    assert inside.summary["places"] == 50
    assert inside.summary["incidents"] + inside.summary["incidents_outside"] == 500


def test_result_layer_ranks_and_flags():
    counts = np.array([0, 3, 9, 1, 0, 27, 0, 0])
    x = np.repeat(X0 + 50 + 100 * np.arange(8), counts)
    polygons = gpd.GeoDataFrame({"name": list("abcdefgh")}, geometry=[shapely.box(X0 + 100 * k, Y0 - 50, X0 + 100 * (k + 1), Y0 + 50) for k in range(8)], crs=CRS)
    result = crime_concentration(frame(x, np.full(len(x), Y0)), ConcentrationParams(unit="polygons", polygons=polygons))
    layer = result.layer.set_index("name")
    assert layer["n"].tolist() == counts.tolist()
    assert layer.loc["f", "rank"] == 1 and layer.loc["c", "rank"] == 2
    assert layer["top50"].sum() == 1 and layer["top80"].sum() == 2
    assert layer.loc["c", "cum_share_incidents"] == pytest.approx(36 / 40)
    s = result.summary
    assert s["by"]["places"]["places_holding"] == {"50": 1, "80": 2}
    assert s["by"]["places"]["share_of_places_holding"]["50"] == pytest.approx(1 / 8)
    assert s["active_places"]["share_of_places_holding"]["50"] == pytest.approx(1 / 4)
    assert s["gini"] == pytest.approx(textbook_gini(counts))
    assert "12.5%的区域（1个）集中了50%的案件" in s["sentence_zh"]
    json.dumps(s)


def test_weights_are_summed():
    polygons = gpd.GeoDataFrame(geometry=[shapely.box(X0, Y0, X0 + 100, Y0 + 100), shapely.box(X0 + 100, Y0, X0 + 200, Y0 + 100)], crs=CRS)
    points = frame([X0 + 10, X0 + 20, X0 + 150], [Y0 + 10] * 3, loss=[1.0, 1.0, 8.0])
    result = crime_concentration(points, ConcentrationParams(unit="polygons", polygons=polygons, weight_field="loss"))
    assert result.layer.weight_sum.tolist() == [2.0, 8.0] and result.summary["weight_total"] == 10.0
    assert result.summary["gini_generalized"] is None


# --------------------------------------------------------------------------- the sample county


@pytest.fixture(scope="module")
def county(sample_dir):
    from gisapp.analysis.core.inputs import Inputs
    from gisapp.layers.filters import IncidentFilter

    inputs = Inputs(sample_dir / "county.gpkg")
    return inputs, inputs.incidents(IncidentFilter())


def test_hot_streets_in_the_sample_county(county):
    inputs, incidents = county
    result = crime_concentration(incidents, ConcentrationParams(unit="roads", roads=inputs.frame("roads")))
    s = result.summary
    assert s["incidents"] + s["incidents_outside"] == len(incidents)
    top = result.layer.sort_values("rank").head(6)
    assert "滨河路3巷" in set(top.name)  # the blind-spot alley (f)
    by_length = s["by"]["length"]
    assert by_length["incidents_in_top"]["1"] > 0.10  # 1 % of road length holds over 10 % of the incidents
    assert by_length["share_of_axis_holding"]["50"] < 0.25
    assert 0 < s["gini"] < 1 and s["axis"] == "length"


def test_grid_cells_concentrate_more_than_the_fraud_control(county):
    inputs, incidents = county
    seat = inputs.frame("grids").query("grid_id <= 'G060'").union_all()
    params = ConcentrationParams(unit="square", cell_size=200, boundary=seat)
    pickpocketing = crime_concentration(incidents[incidents.subcategory == "扒窃"], params)
    fraud = crime_concentration(incidents[incidents.subcategory == "电信诈骗"], params)
    assert pickpocketing.summary["by"]["places"]["share_of_places_holding"]["50"] < 0.02  # three markets
    assert fraud.summary["by"]["places"]["share_of_places_holding"]["50"] > 0.15
    assert pickpocketing.summary["gini"] > fraud.summary["gini"] + 0.3


# --------------------------------------------------------------------------- refusals


def test_refusals():
    rng = np.random.default_rng(2)
    points = frame(X0 + rng.uniform(0, 500, 50), Y0 + rng.uniform(0, 500, 50))
    with pytest.raises(AnalysisError, match="geographic"):
        crime_concentration(points.to_crs(4326), ConcentrationParams(unit="square"))
    with pytest.raises(InputError, match="road layer"):
        crime_concentration(points, ConcentrationParams(unit="roads"))
    with pytest.raises(InputError, match="Unknown place unit"):
        crime_concentration(points, ConcentrationParams(unit="streets"))
    far_road = gpd.GeoDataFrame(geometry=[shapely.LineString([(X0 + 5000, Y0), (X0 + 6000, Y0)])], crs=CRS)
    with pytest.raises(AnalysisError, match="No incident falls"):
        crime_concentration(points, ConcentrationParams(unit="roads", roads=far_road))
    with pytest.raises(InputError, match="lines"):
        crime_concentration(points, ConcentrationParams(unit="roads", roads=gpd.GeoDataFrame(geometry=[shapely.box(0, 0, 1, 1)], crs=CRS)))
    weights = np.ones(50)
    weights[5] = np.nan
    with pytest.raises(InputError) as error:
        crime_concentration(frame(points.geometry.x, points.geometry.y, w=weights), ConcentrationParams(unit="square", weight_field="w"))
    assert [r.row for r in error.value.rows] == [6]
