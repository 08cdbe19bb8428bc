"""Shared fixtures: paths to the sample county and the bad-input corpus."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
BAD = Path(__file__).resolve().parent / "data" / "bad"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def bad_dir() -> Path:
    return BAD


@pytest.fixture(scope="session")
def truth() -> dict:
    """Where and when the sample county's planted patterns are (sample_data/truth.json)."""
    import json

    return json.loads((SAMPLE / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def county() -> dict:
    """Every layer of the sample county in its analysis CRS (EPSG:4544), read once; tests must not modify them."""
    from gisapp.layers.io import read_layers

    return {layer.name: layer.data.to_crs("EPSG:4544") for layer in read_layers(SAMPLE / "county.gpkg")}
