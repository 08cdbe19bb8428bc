"""Summaries that misled (issue 15), each pinned: LISA's permutations, the automatic scale's peak,
site-cameras' wording, the concentration headline's denominator."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from reference_data import libpysal_example

from gisapp.analysis.hotspots.concentration import crime_concentration
from gisapp.analysis.hotspots.lisa import lisa
from gisapp.analysis.hotspots.methods import ConcentrationParams, LisaParams
from gisapp.analysis.hotspots.scale import PEAK_MIN_Z, choose_scale, first_peak
from gisapp.layers.io import read_layer
from gisapp.summaries import describe


def test_lisa_default_raises_permutations_until_fdr_can_label(sample_dir):
    """999 permutations give no p below 0.001; with 19,067 cells FDR then needs 382 cells at that floor."""
    incidents = read_layer(sample_dir / "county.gpkg", layer="incidents", to_crs="EPSG:4544").data
    result = lisa(incidents, LisaParams())
    s = result.summary
    n, floor = s["cells"], 1 / (s["permutations"] + 1)
    assert n > 10_000 and s["permutations"] > 999
    assert s["clusters"]["HH"] > 50  # the markets, found by default
    significant = int((result.layer["lisa_cluster"] != "ns").sum())
    assert floor <= significant * s["alpha"] / n  # the BH condition, written out
    assert s["permutations_chosen"].startswith("raised from 999")
    assert "raised from 999" in " ".join(describe("lisa", s))


def test_lisa_given_permutations_are_kept_with_a_note(sample_dir):
    incidents = read_layer(sample_dir / "county.gpkg", layer="incidents", to_crs="EPSG:4544").data
    s = lisa(incidents, LisaParams(permutations=999)).summary
    assert s["permutations"] == 999 and s["permutations_chosen"] == ""
    assert any("cannot reach the FDR cutoff" in note for note in s["notes"])


def test_a_peak_must_be_positive_and_significant():
    assert first_peak([-1.0, -0.42, -0.9, -0.5]) is None
    assert first_peak([0.1, 1.5, 0.2]) is None
    assert first_peak([0.1, 1.5, 0.2, 2.5, 2.4]) == 3
    assert first_peak([1.0, PEAK_MIN_Z, 1.0]) == 1


def test_geodanet_crimes_fall_back_and_say_why():
    """libpysal's geodanet crimes (287 points): no significant peak, so ArcGIS's fallback distance."""
    crimes = gpd.read_file(libpysal_example("crimes.shp")).to_crs("EPSG:26949")  # State Plane feet -> metres
    choice = choose_scale(crimes.geometry.x.to_numpy(), crimes.geometry.y.to_numpy())
    zs = [row["z"] for row in choice.autocorrelation if row["z"] is not None]
    assert max(zs) < PEAK_MIN_Z
    assert any("fallback" in reason and "not significantly positive" in reason for reason in choice.reasons)


def test_concentration_headline_states_its_denominator():
    squares = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=[shapely.box(0, 0, 100, 100), shapely.box(100, 0, 200, 100)], crs="EPSG:4544")
    rng = np.random.default_rng(0)
    inside = rng.uniform([0, 0], [200, 100], size=(60, 2))
    outside = rng.uniform([300, 300], [900, 900], size=(140, 2))
    points = gpd.GeoDataFrame(geometry=shapely.points(np.vstack([inside, outside]) + [500_000, 3_400_000]), crs="EPSG:4544")
    squares = squares.set_geometry(squares.geometry.translate(500_000, 3_400_000))
    s = crime_concentration(points, ConcentrationParams(unit="polygons", polygons=squares)).summary
    assert "of the 60 incidents on areas, 30.0% of all 200" in s["sentence"] and "140 are on none" in s["sentence"]
    assert "60 起" in s["sentence_zh"] and "200 起" in s["sentence_zh"]


@pytest.mark.parametrize("optimal", [True, False])
def test_site_cameras_says_what_was_solved_and_what_the_bound_means(optimal):
    summary = {
        "new_cameras_placed": 10, "share_before": 0.049, "share_after": 0.092, "gain": 1571.0 if optimal else 1548.0,
        "incidents": 36334, "weight": "1 per incident", "candidates": {"count": 3205, "source": "roads"},
        "existing_cameras_used": 252, "covered_before": 1784.0, "covered_after": 3355.0, "sites": [],
        "method": "mclp" if optimal else "greedy", "solver": "CBC: Optimal" if optimal else "greedy", "optimal": optimal, "seconds": 0.4,
        "greedy": {"gain": 1548.0, "seconds": 0.001, "upper_bound_on_optimum": 1827.0, "gap_bound": 0.1527, "worst_case_ratio": 0.6321},
    }
    text = "\n".join(describe("site-cameras", summary))
    if optimal:
        assert "exactly" in text and "1571 is the most any 10 new sites can achieve" in text
        assert f"{1548 / 1571:.1%}" in text and "within" not in text and "at most 1827" not in text
    else:
        assert "greedy selection" in text and "at most 1827" in text and f"at least {1548 / 1827:.1%} of the optimum" in text
        assert "exactly" not in text
