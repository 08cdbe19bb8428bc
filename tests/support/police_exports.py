"""Police-export-shaped files written from known truth, for the import-path tests.

The truth is a set of WGS84 points and times in a county that is not the
sample county (around 大理, 100.2°E 25.6°N: CGCS2000 3° zone 33, central
meridian 99°E, EPSG:4521 with the zone prefix, EPSG:4542 without). Each
writer lays the same rows out the way a police system would: a title row, a
unit line, a blank row, the header on row 4, the cases, then 合计 and 制表人
rows; dates and times in two columns; coordinates as Gauss-Krüger metres in
surveying order (X = northing, Y = easting with the zone number in front).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pyproj

ZONE = 33
EPSG_PREFIXED, EPSG_PLAIN = 4521, 4542
TITLE = "XX县公安局2025年1-6月警情统计表"
UNIT = "填报单位：城关派出所"
HEADER = ["序号", "警情编号", "发案日期", "发案时间", "警情类别", "警情细类", "发生地址", "处警单位", "报警人", "X坐标", "Y坐标"]
CATEGORIES = ["盗窃", "诈骗", "抢劫", "抢夺"]


@dataclass
class Truth:
    lon: np.ndarray
    lat: np.ndarray
    when: list[dt.datetime]
    northing: np.ndarray
    easting_prefixed: np.ndarray

    @property
    def n(self) -> int:
        return len(self.lon)


def make_truth(n: int = 40, seed: int = 7) -> Truth:
    rng = np.random.default_rng(seed)
    lon = 100.2 + rng.uniform(-0.15, 0.15, n)
    lat = 25.6 + rng.uniform(-0.12, 0.12, n)
    start = dt.datetime(2025, 1, 1)
    when = [start + dt.timedelta(days=int(d), minutes=int(m)) for d, m in zip(rng.integers(0, 180, n), rng.integers(0, 1440, n))]
    east, north = pyproj.Transformer.from_crs(4326, EPSG_PREFIXED, always_xy=True).transform(lon, lat)
    return Truth(lon, lat, when, np.round(north, 3), np.round(east, 3))


def rows(truth: Truth, typed: bool = True) -> list[list]:
    """The sheet from row 1: title, unit, blank, header, cases, 合计, 制表人.

    ``typed``: dates and times as date/time objects (workbook cells); else as text.
    """
    out: list[list] = [[TITLE] + [None] * 10, [UNIT] + [None] * 10, [None] * 11, list(HEADER)]
    for i in range(truth.n):
        when = truth.when[i]
        date = when.date() if typed else f"{when.year}/{when.month}/{when.day}"
        time = when.time() if typed else when.strftime("%H:%M")
        out.append([
            i + 1, f"J530100{i:06d}", date, time, CATEGORIES[i % 4], "入室盗窃" if i % 4 == 0 else "其他",
            f"人民路{i + 1}号", "城关派出所", f"张{i}", float(truth.northing[i]), float(truth.easting_prefixed[i]),
        ])
    out.append(["合计", None, None, None, None, None, None, None, None, f"{truth.n}起", None])
    out.append(["制表人：李四", None, None, None, "审核人：王五", None, None, None, None, None, None])
    return out


def write_xlsx(path, truth: Truth) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "警情"
    for row in rows(truth):
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=5, min_col=4, max_col=4):
        for cell in cells:
            cell.number_format = "hh:mm"
    workbook.create_sheet("说明").append(["本表由系统导出"])
    workbook.save(path)


def write_xls(path, truth: Truth) -> None:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("警情")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    time_style = xlwt.easyxf(num_format_str="hh:mm")
    for r, row in enumerate(rows(truth)):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write(r, c, dt.datetime.combine(value, dt.time()), date_style)
            elif isinstance(value, dt.time):
                sheet.write(r, c, value, time_style)
            else:
                sheet.write(r, c, value)
    book.save(str(path))


def write_ods(path, truth: Truth) -> None:
    import pandas as pd

    pd.DataFrame(rows(truth, typed=False)).to_excel(path, sheet_name="警情", index=False, header=False, engine="odf")


def write_csv(path, truth: Truth, encoding: str = "gbk", newline: str = "\r\n") -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    for row in rows(truth, typed=False):
        writer.writerow(["" if v is None else (f"{v:.3f}" if isinstance(v, float) else v) for v in row])
    path.write_bytes(buffer.getvalue().encode(encoding))


def positions_error_m(layer, truth: Truth, order: np.ndarray | None = None) -> float:
    """Largest distance (metres) between the layer's points and the truth, matched by case number."""
    index = layer.data["case_id"].astype(str).str[-6:].astype(int).to_numpy() if order is None else order
    geod = pyproj.Geod(ellps="WGS84")
    data = layer.data.to_crs(4326)
    _, _, distance = geod.inv(data.geometry.x.to_numpy(), data.geometry.y.to_numpy(), truth.lon[index], truth.lat[index])
    return float(np.max(distance))
