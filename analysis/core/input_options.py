"""The options every analysis takes besides its own parameters: how to read the input, and which incidents.

Declared once with :func:`~gisapp.analysis.core.contract.param`, like a
method's parameters, so that every command gets the same options with the
same meaning and the same checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from gisapp.analysis.core.contract import param

READING = "reading the input"
FILTERS = "filters"


@dataclass
class ReadingOptions:
    """How the input file is read (ignored for a gisapp project, whose layers are already read)."""

    map: tuple = param(
        (), kind="list", metavar="ROLE=COLUMN", group=READING,
        label=("字段对应", "Column mapping"),
        help=("指定某角色用哪一列，如 --map x=经度 --map occurred_at=报警时间、--map xy=坐标（一列“经度,纬度”）、"
              "--map date=发案日期 --map time=发案时间（可重复）",
              "use COLUMN for ROLE, e.g. --map x=经度 --map occurred_at=报警时间, --map xy=坐标 (one column of lon,lat), "
              "--map date=发案日期 --map time=发案时间 (repeatable)"),
    )
    input_crs: str | None = param(
        None, kind="text", optional=True, metavar="CRS", group=READING,
        label=("数据坐标系", "Coordinate system of the file"),
        help=("文件本身的坐标系：EPSG:4326、cgcs2000、gcj02、bd09、EPSG:4544，或 local（未知的本地米制坐标）",
              "the file's own coordinate system: EPSG:4326, cgcs2000, gcj02, bd09, EPSG:4544, … or local (unknown local metres)"),
    )
    sheet: str | None = param(None, kind="text", optional=True, group=READING, label=("工作表", "Sheet"),
                              help=("工作簿的工作表：名称或从 1 起的序号（默认第一个有内容的表）", "workbook sheet: its name or 1-based position (the first sheet with cells by default)"))
    encoding: str | None = param(None, kind="text", optional=True, group=READING, label=("编码", "Encoding"),
                                 help=("强制 CSV 编码（utf-8、gbk、gb18030、utf-16）", "force a CSV encoding (utf-8, gbk, gb18030, utf-16)"))
    layer: str | None = param(None, kind="text", optional=True, group=READING, label=("图层", "Layer"),
                              help=("GeoPackage 中的一个图层", "one layer of a GeoPackage"))
    header_row: int | None = param(None, kind="int", optional=True, minimum=1, maximum=1000, metavar="N", group=READING,
                                   label=("表头行", "Header row"),
                                   help=("表头所在行号（默认在前 30 行中自动识别，跳过标题行）", "1-based row of the column names (found among the first 30 rows by default, skipping title rows)"))


@dataclass
class FilterOptions:
    """Which incidents an analysis takes (the same filter as the window's filter bar)."""

    date_from: str | None = param(None, kind="date", optional=True, flag="--from", metavar="DATE", group=FILTERS,
                                  label=("起始日期", "From"), help=("第一天，如 2024-01-01", "first day, e.g. 2024-01-01"))
    date_to: str | None = param(None, kind="date", optional=True, flag="--to", metavar="DATE", group=FILTERS,
                                label=("截止日期", "To"), help=("最后一天（含）", "last day (inclusive)"))
    category: tuple = param((), kind="list", metavar="NAME", group=FILTERS, label=("类别", "Category"),
                            help=("案件类别或细类，如 盗窃 或 扒窃（可重复）", "category or subcategory, e.g. 盗窃 or 扒窃 (repeatable)"))
    hours: str | None = param(None, kind="text", optional=True, metavar="H-H", group=FILTERS, label=("时段", "Hours"),
                              help=("一天中的时段，如 8-12（左闭右开；22-6 跨午夜）", "time of day, e.g. 8-12 (half-open; 22-6 wraps midnight)"))
    weekdays: str | None = param(None, kind="text", optional=True, metavar="D-D", group=FILTERS, label=("星期", "Weekdays"),
                                 help=("ISO 星期，如 1-5 为周一至周五", "ISO weekdays, e.g. 1-5 for Monday to Friday"))
    within: str | None = param(None, kind="text", optional=True, metavar="AREA", group=FILTERS, label=("范围", "Within"),
                               help=("输入中的区域或网格名称，或一个面文件", "an area or grid name in the input GeoPackage, or a polygon file"))
