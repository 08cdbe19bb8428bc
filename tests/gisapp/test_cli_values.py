"""Hot spots of a value per polygon (``--value``, ``--rate``, ``--per``, ``--smooth``) through the command line,
against esda on libpysal's columbus and esda's empirical Bayes rates on the sample county's grids."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import esda
import geopandas as gpd
import libpysal
import numpy as np
import pyogrio
import pytest
from reference_data import columbus, columbus_file


def gisapp(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gisapp", *map(str, args)], capture_output=True, text=True)


def run_json(*args) -> dict:
    result = gisapp(*args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def columbus_gpkg(tmp_path_factory):
    return columbus_file(tmp_path_factory.mktemp("columbus") / "columbus.gpkg")


def esda_weights(kind: str, **options):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        builder = {"queen": libpysal.weights.Queen, "rook": libpysal.weights.Rook, "knn": libpysal.weights.KNN}[kind]
        w = builder.from_dataframe(columbus(), use_index=False, **options) if kind != "knn" else builder.from_dataframe(columbus(), **options)
    return w


@pytest.mark.parametrize("contiguity", ["queen", "rook"])
def test_hotspot_value_equals_esda_gi_star(columbus_gpkg, tmp_path, contiguity):
    out = tmp_path / "hot.gpkg"
    summary = run_json("hotspot", columbus_gpkg, "--value", "CRIME", "--contiguity", contiguity, "--out", out)
    cells = pyogrio.read_dataframe(out, layer="hotspots")
    theirs = esda.G_Local(columbus()["CRIME"].to_numpy(), esda_weights(contiguity), star=True, transform="B", permutations=0)
    assert np.max(np.abs(cells["gi_z"].to_numpy() - theirs.Zs)) < 1e-9
    assert summary["units"] == summary["cells"] == 49 and summary["weights"] == f"{contiguity} contiguity"
    assert (cells["unit_status"] == "ok").all() and np.allclose(cells["value"], columbus()["CRIME"])


def test_hotspot_value_defaults_to_queen(columbus_gpkg, tmp_path):
    summary = run_json("hotspot", columbus_gpkg, "--value", "CRIME", "--out", tmp_path / "h.gpkg")
    assert summary["weights"] == "queen contiguity"


def test_lisa_value_equals_esda_local_and_global_moran(columbus_gpkg, tmp_path):
    out = tmp_path / "lisa.gpkg"
    summary = run_json("lisa", columbus_gpkg, "--value", "CRIME", "--out", out)
    cells = pyogrio.read_dataframe(out, layer="lisa")
    crime = columbus()["CRIME"].to_numpy()
    w = esda_weights("queen")
    local = esda.Moran_Local(crime, w, transformation="r", permutations=0)
    assert np.max(np.abs(cells["lisa_i"].to_numpy() - local.Is)) < 1e-9
    assert (cells["lisa_q"].to_numpy() == local.q).all()
    overall = esda.Moran(crime, w, permutations=0)
    g = summary["global_moran"]
    assert abs(g["moran_i"] - overall.I) < 1e-9 and abs(g["z"] - overall.z_norm) < 1e-9
    assert round(g["moran_i"], 4) == 0.5002 and round(g["z"], 2) == 5.63 and g["weights"] == "row"


def test_lisa_value_with_k_nearest_neighbours_gets_esdas_z(columbus_gpkg, tmp_path):
    g = run_json("lisa", columbus_gpkg, "--value", "CRIME", "--k", 3, "--out", tmp_path / "l.gpkg")["global_moran"]
    overall = esda.Moran(columbus()["CRIME"].to_numpy(), esda_weights("knn", k=3), permutations=0)
    assert abs(g["z"] - overall.z_norm) < 1e-9 and round(g["z"], 2) == 5.82


def test_lisa_binary_global_weights_on_request(columbus_gpkg, tmp_path):
    g = run_json("lisa", columbus_gpkg, "--value", "CRIME", "--weights", "binary", "--out", tmp_path / "l.gpkg")["global_moran"]
    assert round(g["moran_i"], 4) == 0.5155 and g["weights"] == "binary"


def test_value_on_a_point_layer_with_k_neighbours(tmp_path):
    frame = columbus()
    points = gpd.GeoDataFrame({"CRIME": frame["CRIME"]}, geometry=frame.geometry.centroid.affine_transform([1000, 0, 0, 1000, 500_000, 3_400_000]).values,
                              crs="EPSG:4544")
    points.to_file(tmp_path / "points.gpkg", layer="centres")
    out = tmp_path / "h.gpkg"
    run_json("hotspot", tmp_path / "points.gpkg", "--value", "CRIME", "--k", 5, "--out", out)
    w = libpysal.weights.KNN.from_array(np.column_stack([points.geometry.x, points.geometry.y]), k=5)
    theirs = esda.G_Local(frame["CRIME"].to_numpy(), w, star=True, transform="B", permutations=0)
    assert np.max(np.abs(pyogrio.read_dataframe(out, layer="hotspots")["gi_z"].to_numpy() - theirs.Zs)) < 1e-9


@pytest.fixture(scope="module")
def grids_and_counts(sample_dir):
    """The sample county's grids with their populations, and the incidents counted in them by geopandas (not gisapp)."""
    grids = gpd.read_file(sample_dir / "county.gpkg", layer="grids").to_crs("EPSG:4544")
    incidents = gpd.read_file(sample_dir / "county.gpkg", layer="incidents").to_crs("EPSG:4544")
    joined = gpd.sjoin(incidents[["geometry"]], grids[["geometry"]], predicate="within")
    counts = joined.groupby("index_right").size().reindex(range(len(grids)), fill_value=0).to_numpy().astype(float)
    return grids, counts


@pytest.mark.parametrize("smooth", ["eb", "spatial-eb"])
def test_grid_rate_per_population_with_eb_equals_esda(sample_dir, tmp_path, grids_and_counts, smooth):
    grids, counts = grids_and_counts
    out = tmp_path / "rate.gpkg"
    summary = run_json("hotspot", sample_dir / "county.gpkg", "--per", "population", "--smooth", smooth, "--out", out)
    cells = pyogrio.read_dataframe(out, layer="hotspots")
    population = grids["population"].to_numpy(dtype=float)
    if smooth == "eb":
        expected = esda.smoothing.Empirical_Bayes(counts, population).r.ravel() * 10_000
    else:
        w = libpysal.weights.Queen.from_dataframe(grids, use_index=False, silence_warnings=True)
        w.id_order = list(w.id_order)
        expected = esda.smoothing.Spatial_Empirical_Bayes(counts, population, w).r.ravel() * 10_000
    assert np.allclose(cells["numerator"], counts)
    assert np.allclose(cells["rate_raw"], counts / population * 10_000)
    assert np.allclose(cells["value"], expected, rtol=1e-12, atol=1e-9)
    assert summary["smooth"] == smooth and summary["per"] == "population"
    islands = cells.loc[cells["unit_status"] == "island", "grid_id"].tolist()
    assert summary["units_excluded"]["island"]["ids"] == islands and len(islands) > 0  # reported, not a crash


def test_rate_with_zero_and_missing_denominators_is_reported_per_polygon(tmp_path):
    frame = columbus()
    frame["population"] = (frame["HOVAL"] * 100).round()
    frame.loc[[3, 17], "population"] = 0
    frame.loc[[25], "population"] = np.nan
    frame = frame.set_geometry(frame.geometry.affine_transform([1000, 0, 0, 1000, 500_000, 3_400_000])).set_crs("EPSG:4544")
    frame.to_file(tmp_path / "c.gpkg", layer="columbus")
    out = tmp_path / "r.gpkg"
    summary = run_json("lisa", tmp_path / "c.gpkg", "--rate", "CRIME/population", "--out", out)
    cells = pyogrio.read_dataframe(out, layer="lisa")
    assert cells.loc[[3, 17], "unit_status"].tolist() == ["zero_denominator"] * 2
    assert cells.loc[25, "unit_status"] == "missing_denominator"
    assert np.isnan(cells.loc[[3, 17, 25], "lisa_i"]).all() and summary["cells"] == 46 and summary["units"] == 49
    assert summary["units_excluded"]["zero_denominator"]["units"] == 2
    ok = cells["unit_status"] == "ok"
    assert np.allclose(cells.loc[ok, "value"], frame.loc[ok.to_numpy(), "CRIME"] / frame.loc[ok.to_numpy(), "population"] * 10_000)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--value", "CRIME", "--rate", "CRIME/HOVAL"], "Choose one of --value and --rate"),
        (["--rate", "CRIME"], "NUMERATOR/DENOMINATOR"),
        (["--value", "CRIME", "--smooth", "eb"], "--smooth smooths a rate"),
        (["--value", "NOPE"], "has the field NOPE"),
        (["--value", "CRIME", "--cell", "200"], "fishnet"),
        ([], "--value FIELD"),
    ],
)
def test_bad_value_options_get_one_sentence(columbus_gpkg, tmp_path, args, message):
    result = gisapp("hotspot", columbus_gpkg, *args, "--out", tmp_path / "x.gpkg")
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", ["hotspot", "lisa"])
def test_a_value_per_polygon_carries_its_layers_load_report_and_speaks_chinese(columbus_gpkg, tmp_path, command):
    summary = run_json(command, columbus_gpkg, "--value", "CRIME", "--out", tmp_path / "a.gpkg")
    report = summary["load_report"]
    assert report["rows_read"] == report["rows_loaded"] == 49 and "columbus.gpkg" in report["source"]
    result = gisapp(command, columbus_gpkg, "--value", "CRIME", "--lang", "zh", "--out", tmp_path / "b.gpkg")
    assert result.returncode == 0, result.stderr
    head = [line for line in result.stdout.splitlines() if not line.strip().startswith(("已写入", "读取"))]
    assert not [line for line in head if "contiguity" in line or "cutoff" in line], head
    assert "后相邻" in head[0]
