"""One hotspot definition: coverage, patrol and the briefing use the cells 'gisapp hotspot' computes by default.

Regression for issue 15: the briefing computed Gi* on 200 m cells and
``coverage`` on 200 m cells with a 400 m band, ``gisapp hotspot`` on its
automatic scale; the briefing and coverage reported 271 and 323 blind spots
on the same data.
"""

from __future__ import annotations

import numpy as np
import pytest

from gisapp.analysis.cameras.coverage import run_coverage
from gisapp.analysis.cameras.methods import CoverageParams
from gisapp.analysis.core.inputs import Inputs
from gisapp.analysis.hotspots.methods import HotspotParams
from gisapp.analysis.hotspots.optimized import run_hotspot
from gisapp.briefing.content import collect_content


def hot_cells(frame, level=2) -> set:
    hot = frame[frame["gi_bin"] >= level]
    return set(zip(hot["row"].astype(int), hot["col"].astype(int)))


@pytest.fixture(scope="module")
def county_runs(sample_dir):
    source = sample_dir / "county.gpkg"
    hotspot = run_hotspot(Inputs(source), HotspotParams())
    coverage = run_coverage(Inputs(source), CoverageParams())
    content = collect_content(Inputs(source))
    return hotspot, coverage, content


def test_coverage_and_briefing_use_the_hotspot_commands_cells(county_runs):
    hotspot, coverage, content = county_runs
    reference = hot_cells(hotspot.layer)
    assert len(reference) > 100
    assert hot_cells(coverage.extra_layers["hotspot_coverage"]) == reference
    assert hot_cells(content.hotspots) == reference
    assert content.summary["coverage"]["hot_cells"] == coverage.summary["hotspots"]["hot_cells"]
    assert content.summary["coverage"]["hot_cells_blind"] == coverage.summary["blind_spots"]["count"]
    source = coverage.summary["hotspots"]["source"]
    assert "as 'gisapp hotspot' does" in source and f"{hotspot.summary['cell_size_m']:.0f} m" in source


def test_a_cell_size_given_is_used_as_gisapp_hotspot_would(sample_dir):
    content = collect_content(Inputs(sample_dir / "county.gpkg"), cell_size=200.0)
    reference = run_hotspot(Inputs(sample_dir / "county.gpkg"), HotspotParams(cell_size=200.0))
    assert hot_cells(content.hotspots) == hot_cells(reference.layer)
    assert np.allclose(np.sort(content.hotspots["gi_z"].to_numpy()), np.sort(reference.layer["gi_z"].to_numpy()))
