"""Round trips through every format, column detection, encodings and dates."""

from __future__ import annotations

import zipfile

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import Point

from gisapp.layers.io import read_layer, read_layers
from gisapp.layers.io.columns import detect_columns, normalise
from gisapp.layers.io.dates import parse_datetimes
from gisapp.layers.offsets import wgs84_to_bd09, wgs84_to_gcj02


@pytest.fixture(scope="module")
def incidents() -> gpd.GeoDataFrame:
    rng = np.random.default_rng(7)
    n = 50
    times = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 700 * 86400, n), unit="s")
    return gpd.GeoDataFrame(
        {
            "case_id": [f"A{i:04d}" for i in range(n)],
            "occurred_at": times.astype("datetime64[ms]"),
            "category": rng.choice(["盗窃", "诈骗", "抢劫"], n),
            "subcategory": rng.choice(["扒窃", "电信诈骗", "入室盗窃"], n),
            "address": [f"人民路{i}号" for i in range(n)],
        },
        geometry=[Point(x, y) for x, y in zip(105.09 + rng.normal(0, 0.02, n).round(6), 31.09 + rng.normal(0, 0.02, n).round(6))],
        crs="EPSG:4326",
    )


def comparable(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = gdf[["case_id", "occurred_at", "category", "subcategory", "address", "geometry"]].copy()
    for column in ("case_id", "category", "subcategory", "address"):
        out[column] = out[column].astype(object)
    out["occurred_at"] = out["occurred_at"].astype("datetime64[ms]")
    return out.reset_index(drop=True)


def table_of(gdf: gpd.GeoDataFrame, chinese: bool) -> pd.DataFrame:
    frame = pd.DataFrame(gdf.drop(columns="geometry"))
    frame["lon"], frame["lat"] = gdf.geometry.x, gdf.geometry.y
    if chinese:
        frame.columns = ["案件编号", "发案时间", "案件类别", "案件细类", "发案地址", "经度", "纬度"]
    return frame


@pytest.mark.parametrize("encoding, chinese", [("utf-8", False), ("utf-8-sig", True), ("gbk", True), ("gb18030", True)])
def test_csv_round_trip(tmp_path, incidents, encoding, chinese):
    path = tmp_path / "cases.csv"
    table_of(incidents, chinese).to_csv(path, index=False, encoding=encoding, date_format="%Y-%m-%d %H:%M:%S")
    layer = read_layer(path)
    assert layer.kind == "incidents"
    assert layer.report.encoding == ("gbk" if encoding == "gb18030" else encoding)
    assert_geodataframe_equal(comparable(layer.data), comparable(incidents), check_less_precise=True)


def test_excel_round_trip_with_real_dates_and_serials(tmp_path, incidents):
    path = tmp_path / "cases.xlsx"
    frame = table_of(incidents, chinese=True)
    serials = (frame["发案时间"] - pd.Timestamp("1899-12-30")) / pd.Timedelta(days=1)
    frame["发案时间"] = frame["发案时间"].astype(object)
    frame.loc[::2, "发案时间"] = serials[::2]  # half typed as dates, half as bare Excel serial numbers
    frame.to_excel(path, index=False)
    layer = read_layer(path)
    assert_geodataframe_equal(comparable(layer.data), comparable(incidents), check_less_precise=True)


@pytest.mark.parametrize("suffix, driver", [(".geojson", "GeoJSON"), (".gpkg", "GPKG"), (".shp", "ESRI Shapefile")])
def test_vector_round_trip(tmp_path, incidents, suffix, driver):
    path = tmp_path / f"incidents{suffix}"
    data = incidents.copy()
    if driver == "ESRI Shapefile":  # shapefiles cannot hold a time of day; police shapefiles carry text times
        data["occurred_at"] = data["occurred_at"].dt.strftime("%Y-%m-%d %H:%M:%S")
    data.to_file(path, driver=driver)
    layer = read_layer(path)
    assert layer.kind == "incidents"
    # GeoJSON writes 15 significant digits: equal to well under a millimetre.
    assert_geodataframe_equal(comparable(layer.data), comparable(incidents), check_less_precise=driver == "GeoJSON")


def test_zipped_shapefile(tmp_path, incidents):
    folder = tmp_path / "shp"
    folder.mkdir()
    data = incidents.assign(occurred_at=incidents["occurred_at"].dt.strftime("%Y-%m-%d %H:%M:%S"))
    data.to_file(folder / "cases.shp")
    archive = tmp_path / "cases.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for part in folder.iterdir():
            z.write(part, f"export/{part.name}")
    layer = read_layer(archive, kind="incidents")
    assert_geodataframe_equal(comparable(layer.data), comparable(incidents))


def test_geopackage_gives_every_layer(sample_dir):
    layers = read_layers(sample_dir / "county.gpkg")
    assert {layer.name for layer in layers} >= {"incidents", "grids", "areas", "cameras", "routes", "roads"}
    kinds = {layer.name: layer.kind for layer in layers}
    assert kinds["cameras"] == "cameras" and kinds["roads"] == "roads"
    assert all(layer.report.rows_loaded == len(layer.data) for layer in layers)


@pytest.mark.parametrize("offset, forward", [("gcj02", wgs84_to_gcj02), ("bd09", wgs84_to_bd09)])
def test_offset_coordinates_are_corrected(tmp_path, incidents, offset, forward):
    frame = table_of(incidents, chinese=True)
    frame["经度"], frame["纬度"] = forward(frame["经度"].to_numpy(), frame["纬度"].to_numpy())
    path = tmp_path / "amap.csv"
    frame.to_csv(path, index=False)
    layer = read_layer(path, crs=offset)
    assert np.abs(layer.data.geometry.x.to_numpy() - incidents.geometry.x.to_numpy()).max() < 1e-6
    assert np.abs(layer.data.geometry.y.to_numpy() - incidents.geometry.y.to_numpy()).max() < 1e-6


def test_offset_named_in_the_header_is_detected(tmp_path, incidents):
    frame = table_of(incidents, chinese=True).rename(columns={"经度": "经度(GCJ02)", "纬度": "纬度(GCJ02)"})
    frame["经度(GCJ02)"], frame["纬度(GCJ02)"] = wgs84_to_gcj02(frame["经度(GCJ02)"].to_numpy(), frame["纬度(GCJ02)"].to_numpy())
    path = tmp_path / "gaode.csv"
    frame.to_csv(path, index=False)
    layer = read_layer(path)
    assert layer.report.crs == "GCJ-02"
    assert np.abs(layer.data.geometry.x.to_numpy() - incidents.geometry.x.to_numpy()).max() < 1e-6


def test_projected_output_in_the_analysis_crs(sample_dir):
    layer = read_layer(sample_dir / "incidents_gbk.csv", to_crs="auto")
    assert layer.crs.to_epsg() == 4544
    assert 400_000 < layer.data.geometry.x.median() < 600_000


def test_column_override(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("编号,when,E,N,备注时间\nA1,2024-03-05 14:30,105.09,31.09,2024-01-01\n", encoding="utf-8")
    layer = read_layer(path, columns={"x": "E", "y": "N", "occurred_at": "when"})
    assert layer.report.columns["x"] == "E"
    assert str(layer.data["occurred_at"].iloc[0]) == "2024-03-05 14:30:00"
    assert layer.data["备注时间"].iloc[0] == "2024-01-01"  # other columns are kept as they are


@pytest.mark.parametrize(
    "headers, expected",
    [
        (["经度", "纬度", "发案时间", "案件类别", "地址", "案件编号"], {"x": "经度", "y": "纬度", "occurred_at": "发案时间", "category": "案件类别", "address": "地址", "case_id": "案件编号"}),
        (["Longitude", "Latitude", "Date", "Type", "ID"], {"x": "Longitude", "y": "Latitude", "occurred_at": "Date", "category": "Type", "case_id": "ID"}),
        (["X", "Y", "报警时间", "类别"], {"x": "X", "y": "Y", "occurred_at": "报警时间", "category": "类别"}),
        (["lng", "lat", "time"], {"x": "lng", "y": "lat", "occurred_at": "time"}),
        (["经度(°)", " 纬度 ", "发案 时间"], {"x": "经度(°)", "y": " 纬度 ", "occurred_at": "发案 时间"}),
    ],
)
def test_column_detection(headers, expected):
    found = detect_columns(headers, ("x", "y", "occurred_at", "category", "address", "case_id"))
    assert found == expected


def test_normalise_drops_units_and_separators():
    assert normalise("经度(GCJ02)") == "经度"
    assert normalise("\ufeffCase-ID") == "case_id"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024年3月5日 14:30", "2024-03-05 14:30:00"),
        ("2024年3月5日14时30分", "2024-03-05 14:30:00"),
        ("2024年3月5日 下午2:30", "2024-03-05 14:30:00"),
        ("2024/3/5 14:30", "2024-03-05 14:30:00"),
        ("2024.03.05", "2024-03-05 00:00:00"),
        ("2024-03-05T14:30:00", "2024-03-05 14:30:00"),
        ("2024-03-05T06:30:00Z", "2024-03-05 14:30:00"),
        ("2024-03-05 14:30:00.250", "2024-03-05 14:30:00"),
        ("20240305143000", "2024-03-05 14:30:00"),
        ("45356.6041666667", "2024-03-05 14:30:00"),
    ],
)
def test_date_forms(text, expected):
    parsed, bad = parse_datetimes(pd.Series([text], dtype="string"))
    assert not bad[0]
    assert str(parsed.iloc[0]) == expected


def test_blank_dates_are_missing_not_bad():
    parsed, bad = parse_datetimes(pd.Series(["", None, "2024-01-01"], dtype="string"))
    assert list(bad) == [False, False, False]
    assert parsed.isna().tolist() == [True, True, False]


def test_a_clean_iso_column_is_read_whole_and_strictly():
    # Arrow's ISO parser reads the column in one pass; fractions are cut to whole seconds as elsewhere.
    values = pd.Series(["2024-03-05 14:30:00", "2024-03-05 14:30:00.750", None, "2024-02-29 23:59:59"], dtype="string[pyarrow]")
    parsed, bad = parse_datetimes(values)
    assert not bad.any()
    assert [str(v) for v in parsed] == ["2024-03-05 14:30:00", "2024-03-05 14:30:00", "NaT", "2024-02-29 23:59:59"]


@pytest.mark.parametrize("odd", ["2024-02-30 10:00:00", "2023-02-29 00:00:00", "2024-03-05 25:00:00"])
def test_one_impossible_date_in_an_iso_column_is_rejected_not_rolled_over(odd):
    values = pd.Series(["2024-03-05 14:30:00", odd, "2024-03-06 08:00:00"], dtype="string[pyarrow]")
    parsed, bad = parse_datetimes(values)
    assert bad.tolist() == [False, True, False]
    assert str(parsed.iloc[2]) == "2024-03-06 08:00:00"


def test_an_iso_column_with_other_forms_falls_back_to_the_general_reader():
    values = pd.Series(["2024-03-05 14:30:00", "2024年3月5日 下午2:30", "  ", "2024-03-05T06:30:00Z"], dtype="string[pyarrow]")
    parsed, bad = parse_datetimes(values)
    assert bad.tolist() == [False, False, False, False]
    assert [str(v) for v in parsed] == ["2024-03-05 14:30:00", "2024-03-05 14:30:00", "NaT", "2024-03-05 14:30:00"]
