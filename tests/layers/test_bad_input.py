"""Every file in tests/data/bad gives a per-row reject with its reason or one clear sentence."""

from __future__ import annotations

import subprocess
import sys

import pytest

from gisapp.layers.errors import InputError
from gisapp.layers.io import read_layer, read_layers


def reasons(layer) -> dict[int, str]:
    return {p.row: p.reason for p in layer.report.rejects}


def assert_conserved(layer) -> None:
    report = layer.report
    assert report.rows_loaded + report.rows_rejected == report.rows_read
    assert len(layer.data) == report.rows_loaded


@pytest.mark.parametrize(
    "name, sentence",
    [
        ("empty.csv", "is empty (0 bytes)"),
        ("headers_only.csv", "header row but no data rows"),
        ("no_coordinates.csv", "has no coordinate columns"),
        ("corrupt.gpkg", "is not a readable GeoPackage"),
        ("not_a_zip.zip", "is not a readable zip archive"),
        ("two_shapefiles.zip", "holds 2 shapefiles"),
        ("no_dbf.shp", "without its .dbf"),
    ],
)
def test_unusable_files_give_one_sentence(bad_dir, name, sentence):
    with pytest.raises(InputError) as caught:
        read_layers(bad_dir / name)
    message = str(caught.value)
    assert sentence in message
    assert "\n" not in message and "Traceback" not in message


def test_a_directory_is_not_a_file(bad_dir):
    with pytest.raises(InputError, match="is a folder, not a file"):
        read_layers(bad_dir)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_layers(tmp_path / "nothing.csv")


def test_unknown_extension(tmp_path):
    path = tmp_path / "cases.dat"
    path.write_text("x")
    with pytest.raises(InputError, match="cannot read '.dat' files"):
        read_layers(path)


def test_unknown_crs_is_one_sentence(bad_dir):
    with pytest.raises(InputError, match="Unknown coordinate system 'EPSG:999999'"):
        read_layer(bad_dir / "projected_no_crs.csv", crs="EPSG:999999")


def test_bad_coordinates_are_rejected_row_by_row(bad_dir):
    layer = read_layer(bad_dir / "bad_coordinates.csv")
    assert_conserved(layer)
    assert reasons(layer) == {
        2: "not a number or a DMS angle: 'abc'",
        3: "coordinates out of range (longitude 205.1, latitude 31.09)",
        4: "placeholder coordinates (0, 0)",
        5: "no coordinates (blank)",
        6: "position outside China (longitude -74.00000, latitude 40.70000)",
    }
    kinds = {p.row: p.kind for p in layer.report.rejects}
    assert kinds == {2: "bad_coordinates", 3: "bad_coordinates", 4: "zero_coordinates", 5: "no_coordinates", 6: "outside_area"}
    assert layer.report.reasons == {"bad_coordinates": 2, "zero_coordinates": 1, "no_coordinates": 1, "outside_area": 1}
    assert list(layer.data["case_id"]) == ["A001", "A007"]
    # The hook for address matching: the rejected rows' own cells, with their kind.
    cells = layer.report.rejected_cells
    assert list(cells.index) == [2, 3, 4, 5, 6] and cells.loc[5, "reject_kind"] == "no_coordinates"


def test_swapped_columns_are_read_the_other_way(bad_dir):
    layer = read_layer(bad_dir / "swapped_all.csv")
    assert_conserved(layer)
    assert layer.report.rows_loaded == 20
    assert any("swapped in the whole file" in w for w in layer.report.warnings)
    assert (layer.data.geometry.x > 100).all() and (layer.data.geometry.y < 40).all()


def test_a_swapped_row_is_corrected_and_reported(bad_dir):
    layer = read_layer(bad_dir / "swapped_some.csv")
    assert_conserved(layer)
    assert [(p.row, p.reason) for p in layer.report.corrections] == [(4, "latitude and longitude were swapped; corrected")]
    point = layer.data.geometry.iloc[3]
    assert point.x == pytest.approx(105.053) and point.y == pytest.approx(31.053)


def test_mixed_encodings_decode_line_by_line(bad_dir):
    layer = read_layer(bad_dir / "mixed_encoding.csv")
    assert_conserved(layer)
    assert layer.report.encoding == "mixed"
    assert list(layer.data["category"]) == ["盗窃", "诈骗", "抢劫"]


def test_truncated_multibyte_character_rejects_its_row(bad_dir):
    layer = read_layer(bad_dir / "truncated_multibyte.csv")
    assert_conserved(layer)
    assert list(reasons(layer)) == [3]
    assert "neither UTF-8 nor GBK" in reasons(layer)[3]
    assert list(layer.data["address"]) == ["人民路1号", "西街2号"]


def test_duplicate_headers_keep_both_columns(bad_dir):
    layer = read_layer(bad_dir / "duplicate_headers.csv")
    assert layer.data["address"].iloc[0] == "人民路"
    assert layer.data["地址_2"].iloc[0] == "1号"
    assert any("Repeated column headers" in w for w in layer.report.warnings)


def test_impossible_dates_load_without_a_time_not_rolled_over(bad_dir):
    layer = read_layer(bad_dir / "impossible_dates.csv")
    assert_conserved(layer)
    assert layer.report.rows_rejected == 0
    warned = {p.row: p.reason for p in layer.report.row_warnings}
    assert sorted(warned) == [2, 3, 4] and "2024-02-30" in warned[2]
    assert {p.kind for p in layer.report.row_warnings} == {"unreadable_date"}
    assert layer.report.rows_without_time == 3
    assert layer.data["occurred_at"].isna().tolist() == [False, True, True, True, False]
    assert str(layer.data["occurred_at"].iloc[4]) == "2024-03-05 14:30:00"


def test_rows_with_the_wrong_number_of_fields(bad_dir):
    layer = read_layer(bad_dir / "ragged_rows.csv")
    assert_conserved(layer)
    assert reasons(layer) == {2: "has 3 fields where the header has 6", 3: "has 7 fields where the header has 6"}


def test_self_intersecting_polygon_is_repaired_and_reported(bad_dir):
    layer = read_layer(bad_dir / "self_intersecting.geojson")
    assert_conserved(layer)
    assert layer.kind == "grids"
    assert layer.data.geometry.is_valid.all()
    assert [p.row for p in layer.report.corrections] == [1]
    assert "Self-intersection" in layer.report.corrections[0].reason
    assert reasons(layer) == {3: "no geometry"}
    # The bow-tie becomes two triangles: its area survives the repair.
    assert layer.data.geometry.iloc[0].area == pytest.approx(0.5 * 0.01 * 0.01, rel=1e-6)


def test_shapefile_without_prj_in_degrees_is_read_as_wgs84(bad_dir):
    layer = read_layer(bad_dir / "no_prj_degrees.shp")
    assert_conserved(layer)
    assert any("no coordinate system" in w for w in layer.report.warnings)
    assert layer.crs.to_epsg() == 4326


def test_projected_csv_without_crs_loads_in_local_metres(bad_dir):
    layer = read_layer(bad_dir / "projected_no_crs.csv")
    assert_conserved(layer)
    assert layer.report.crs == "local" and layer.report.georeferenced is False
    assert any("NOT georeferenced" in w for w in layer.report.warnings)
    assert layer.data.geometry.x.iloc[0] == 500000 and layer.data.geometry.y.iloc[0] == 3440000


def test_shapefile_without_prj_in_metres_loads_in_local_metres(bad_dir):
    layer = read_layer(bad_dir / "no_prj_projected.shp")
    assert_conserved(layer)
    assert layer.report.crs == "local" and not layer.report.georeferenced
    assert any("NOT georeferenced" in w for w in layer.report.warnings)


def test_shapefile_without_prj_can_be_given_a_crs(bad_dir):
    layer = read_layer(bad_dir / "no_prj_projected.shp", crs="EPSG:4544")
    assert layer.data.geometry.x.iloc[0] == pytest.approx(105.0, abs=1e-6)


@pytest.mark.parametrize("name", ["empty.csv", "corrupt.gpkg", "no_dbf.shp", "headers_only.csv"])
def test_cli_says_one_line_and_exits_2(bad_dir, name):
    result = subprocess.run([sys.executable, "-m", "gisapp", "inspect", str(bad_dir / name)], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("gisapp: ")


def test_a_file_whose_every_row_is_rejected_says_why(tmp_path):
    path = tmp_path / "all_bad.csv"
    path.write_text("经度,纬度,发案时间\n0,0,2024-02-03\n,,2024-01-01\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"None of the 2 rows .*row 1: placeholder coordinates \(0, 0\)") as caught:
        read_layer(path)
    assert [p.row for p in caught.value.rows] == [1, 2]
