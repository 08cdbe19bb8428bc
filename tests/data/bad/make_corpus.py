"""Write the bad-input corpus (run from anywhere: ``python tests/data/bad/make_corpus.py``).

Every file is small, deterministic and committed; each stands for one way
real exports go wrong. tests/layers/test_bad_input.py says what gisapp must
do with each.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEADER = "案件编号,发案时间,案件类别,发案地址,经度,纬度\n"
GOOD = "A001,2024-03-05 14:30:00,盗窃,人民路1号,105.09,31.09\n"


def text(name: str, content: str, encoding: str = "utf-8") -> None:
    (HERE / name).write_bytes(content.encode(encoding))


def main() -> None:
    (HERE / "empty.csv").write_bytes(b"")
    text("headers_only.csv", HEADER)
    text("no_coordinates.csv", "案件编号,发案时间,地址\nA001,2024-03-05 14:30:00,人民路1号\n")
    text(
        "bad_coordinates.csv",
        HEADER
        + GOOD
        + "A002,2024-03-05 15:00:00,盗窃,人民路2号,abc,31.09\n"
        + "A003,2024-03-05 16:00:00,盗窃,人民路3号,205.1,31.09\n"
        + "A004,2024-03-05 17:00:00,盗窃,人民路4号,0,0\n"
        + "A005,2024-03-05 18:00:00,盗窃,人民路5号,,31.09\n"
        + "A006,2024-03-05 19:00:00,盗窃,人民路6号,-74.0,40.7\n"
        + "A007,2024-03-05 20:00:00,盗窃,人民路7号,105.1,31.1\n",
    )
    rows = [f"A{i:03d},2024-03-05 14:{i % 60:02d}:00,盗窃,人民路{i}号,{31.05 + i * 1e-3:.4f},{105.05 + i * 1e-3:.4f}\n" for i in range(20)]
    text("swapped_all.csv", HEADER + "".join(rows))
    rows = [f"A{i:03d},2024-03-05 14:{i % 60:02d}:00,盗窃,人民路{i}号,{105.05 + i * 1e-3:.4f},{31.05 + i * 1e-3:.4f}\n" for i in range(20)]
    rows[3] = "A003,2024-03-05 14:03:00,盗窃,人民路3号,31.053,105.053\n"
    text("swapped_some.csv", HEADER + "".join(rows))
    # Lines 2 and 4 UTF-8, line 3 GBK: a file pasted together from two systems.
    mixed = HEADER.encode("utf-8") + GOOD.encode("utf-8") + "A002,2024-03-05 15:00:00,诈骗,西街2号,105.1,31.1\n".encode("gbk")
    mixed += "A003,2024-03-05 16:00:00,抢劫,北街3号,105.11,31.11\n".encode("utf-8")
    (HERE / "mixed_encoding.csv").write_bytes(mixed)
    truncated = (HEADER + GOOD).encode("gbk") + "A002,2024-03-05 15:00:00,诈骗,西街2号,105.1,31.1\n".encode("gbk")
    truncated += "A003,2024-03-05 16:00:00,抢劫,北".encode("gbk")[:-1]  # cut inside the last character
    (HERE / "truncated_multibyte.csv").write_bytes(truncated)
    text("duplicate_headers.csv", "案件编号,发案时间,地址,地址,经度,纬度\nA001,2024-03-05 14:30:00,人民路,1号,105.09,31.09\n")
    text(
        "impossible_dates.csv",
        HEADER
        + GOOD
        + "A002,2024-02-30 10:00:00,盗窃,人民路2号,105.1,31.1\n"
        + "A003,2024-03-05 25:00:00,盗窃,人民路3号,105.1,31.1\n"
        + "A004,昨天下午,盗窃,人民路4号,105.1,31.1\n"
        + "A005,2024年3月5日 14:30,盗窃,人民路5号,105.1,31.1\n",
    )
    text("ragged_rows.csv", HEADER + GOOD + "A002,2024-03-05 15:00:00,盗窃\n" + "A003,2024-03-05 16:00:00,盗窃,人民路3号,105.1,31.1,extra\n")
    text("projected_no_crs.csv", "id,x,y\n1,500000,3440000\n2,500100,3440100\n")
    (HERE / "corrupt.gpkg").write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 8)
    text("not_a_zip.zip", "this is not a zip archive")
    text(
        "self_intersecting.geojson",
        '{"type":"FeatureCollection","features":['
        '{"type":"Feature","properties":{"grid_id":"G1","name":"蝴蝶","population":100},'
        '"geometry":{"type":"Polygon","coordinates":[[[105.0,31.0],[105.01,31.01],[105.01,31.0],[105.0,31.01],[105.0,31.0]]]}},'
        '{"type":"Feature","properties":{"grid_id":"G2","name":"正常","population":200},'
        '"geometry":{"type":"Polygon","coordinates":[[[105.02,31.0],[105.03,31.0],[105.03,31.01],[105.02,31.01],[105.02,31.0]]]}},'
        '{"type":"Feature","properties":{"grid_id":"G3","name":"无几何","population":50},"geometry":null}'
        "]}",
    )
    _shapefile_without("no_dbf", ".dbf")
    _shapefile_without("no_prj_projected", ".prj", projected=True)
    _shapefile_without("no_prj_degrees", ".prj")


def _shapefile_without(stem: str, missing: str, projected: bool = False) -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    crs = "EPSG:4544" if projected else "EPSG:4326"
    xy = [(500000.0, 3440000.0), (500100.0, 3440100.0)] if projected else [(105.09, 31.09), (105.1, 31.1)]
    gdf = gpd.GeoDataFrame({"case_id": ["A1", "A2"]}, geometry=[Point(p) for p in xy], crs=crs)
    gdf.to_file(HERE / f"{stem}.shp")
    (HERE / f"{stem}{missing}").unlink()
    for extra in (".cpg",):
        (HERE / f"{stem}{extra}").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
    with zipfile.ZipFile(HERE / "two_shapefiles.zip", "w") as archive:
        for stem in ("no_prj_degrees",):
            for suffix in (".shp", ".shx", ".dbf"):
                archive.write(HERE / f"{stem}{suffix}", f"a{suffix}")
                archive.write(HERE / f"{stem}{suffix}", f"b{suffix}")
