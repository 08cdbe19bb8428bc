"""Address matching (地址匹配) as every front end sees it: parameters, runner and result layer.

Only the standard library is imported here (see :mod:`gisapp.analysis.core.contract`).
The work is in :mod:`gisapp.analysis.geocode.run` and the modules it names.
"""

from __future__ import annotations

from dataclasses import dataclass

from gisapp.analysis.core.contract import method, param
from gisapp.layers.errors import InputError

from .levels import DEFAULT_MIN_LEVEL, LEVEL_NAMES_EN, LEVELS

MATCHING = "matching"
#: The documented similarity threshold of approximate name matching (see :mod:`gisapp.analysis.geocode.names`).
DEFAULT_MIN_SCORE = 85.0


@dataclass
class GeocodeParams:
    """How addresses are matched.

    Parameters
    ----------
    table : str, optional
        The window only: the address table to place (a layer of the project,
        or a CSV/XLSX/GeoPackage file). The command line takes it as ``IN``.
    gazetteer : str, optional
        An extra standard-address table with coordinates (CSV, XLSX or a
        GeoPackage, whose every layer joins the gazetteer), or the name of an
        ``addresses`` layer. The input's own addresses, roads, areas, grids and
        named points are always used.
    address_column : str, optional
        The column holding the address; detected (发案地址, 发案地点, 地址, address, ...) when not given.
    min_level : str
        The least precise level that counts as placed (default 门牌插值).
    min_score : float
        Approximate names below this similarity (0-100) are not matched.
    """

    table: str | None = param(
        None, kind="layer", optional=True, layer_kinds=("incidents",), cli=False, group=MATCHING,
        label=("地址表", "Address table"),
        help=("要定位的表（含地址列，可无坐标）：项目中的图层或 CSV/Excel 文件",
              "the table to place (an address column, coordinates optional): a layer or a CSV/Excel file"),
    )
    gazetteer: str | None = param(
        None, kind="layer", optional=True, layer_kinds=("addresses",), metavar="FILE", group=MATCHING,
        label=("标准地址库", "Gazetteer"),
        help=("另加的标准地址表（CSV、Excel 或 GeoPackage，含坐标）；输入中的地址、道路、区域、网格总会使用",
              "an extra table of standard addresses with coordinates (CSV, Excel or GeoPackage); "
              "the input's addresses, roads, areas and grids are always used"),
    )
    address_column: str | None = param(
        None, kind="field", optional=True, metavar="COLUMN", group=MATCHING,
        label=("地址列", "Address column"),
        help=("地址所在的列；默认自动识别（发案地址、发案地点、地址……）",
              "the column holding the address; detected by default (发案地址, 发案地点, 地址, address, ...)"),
    )
    min_level: str = param(
        DEFAULT_MIN_LEVEL, kind="choice", group=MATCHING,
        choices=tuple((level, (level, f"{level} ({LEVEL_NAMES_EN[level]})")) for level in LEVELS),
        label=("最低定位级别", "Least precise level placed"),
        help=("低于此级别的匹配不计为已定位；道路中点会造成虚假热点，故默认为门牌插值",
              "matches less precise than this are not placed; road midpoints would make false hotspots"),
    )
    min_score: float = param(
        DEFAULT_MIN_SCORE, minimum=50, maximum=100, group=MATCHING, advanced=True,
        label=("名称相似度下限", "Minimum name similarity"),
        help=("近似匹配道路、地点名称的最低相似度（0–100，同音字错写约 87）",
              "the least similarity (0-100) at which a misspelt road or place name is accepted (a homophone typo scores about 87)"),
    )

    def check(self) -> None:
        if self.min_level not in LEVELS:  # pragma: no cover - the choice parser refuses it first
            raise InputError(f"--min-level takes one of {', '.join(LEVELS)}.")


#: The style of the result: one colour per level, unmatched rows have no point.
LEVEL_COLOURS = {"坐标": "#4d4d4d", "门牌": "#1a9641", "门牌插值": "#66bd63", "交叉口": "#a6d96a", "道路": "#fdae61",
                 "地点": "#f46d43", "网格": "#d73027", "乡镇": "#a50026", "未匹配": "#bbbbbb"}

GEOCODE = method(
    "geocode", ("地址匹配", "Address matching"),
    ("按标准地址库、道路、区域和网格为没有坐标的记录定位（门牌、插值、交叉口、道路、地点、网格、乡镇）",
     "place rows that have only an address, offline, from the standard addresses, roads, areas and grids"),
    GeocodeParams, "gisapp.analysis.geocode.run:run_geocode",
    (("geocoded", ("地址定位结果", "Geocoded rows"),
      {"type": "categorized", "field": "geocode_level", "color": "#808080", "categories": LEVEL_COLOURS}),),
    needs=(), uses=("roads", "areas", "grids"), group="geocode",
    description=("", "Rows whose coordinates are usable keep them (level 坐标); the others are matched against the "
                 "input's addresses, roads, areas, grids and named points and any --gazetteer, best level first: "
                 "门牌 (door plate), 门牌插值 (interpolated plate), 交叉口 (intersection), 道路 (road), 地点 (place), "
                 "网格 (grid), 乡镇 (township). Rows less precise than --min-level are left unplaced and listed."),
)

METHODS = (GEOCODE,)


@dataclass
class GeocodeOptions:
    """``--geocode`` on every analysis: place incident rows that have an address but no usable coordinates.

    The rows a reader would reject for blank, 0,0 or unreadable coordinates
    (or every row of a table with no coordinate columns) are matched against
    the gazetteer; those matched at ``min_level`` or better join the incidents,
    the others stay rejected with their reason. The load report says how many
    were placed at each level.
    """

    geocode: bool = param(False, group="address matching (--geocode)", label=("按地址定位", "Place by address"),
                          help=("没有可用坐标的行按地址匹配定位（需要 --gazetteer 或输入中的地址库）",
                                "place rows without usable coordinates by their address (needs --gazetteer or an addresses layer)"))
    gazetteer: str | None = param(None, kind="text", optional=True, metavar="FILE", group="address matching (--geocode)",
                                  label=("标准地址库", "Gazetteer"),
                                  help=("标准地址库：含地址、道路的 GeoPackage，或带坐标的标准地址表（CSV、Excel）",
                                        "the gazetteer: a GeoPackage with addresses and roads, or a table of standard addresses with coordinates"))
    address_column: str | None = param(None, kind="text", optional=True, metavar="COLUMN", group="address matching (--geocode)",
                                       label=("地址列", "Address column"),
                                       help=("地址所在的列；默认自动识别", "the column holding the address; detected by default"))
    min_level: str = param(DEFAULT_MIN_LEVEL, kind="choice", group="address matching (--geocode)",
                           choices=tuple((level, (level, f"{level} ({LEVEL_NAMES_EN[level]})")) for level in LEVELS),
                           label=("最低定位级别", "Least precise level placed"),
                           help=("低于此级别的匹配不计为已定位（默认门牌插值：道路中点会造成虚假热点）",
                                 "matches less precise than this are left out (default 门牌插值: road midpoints would make false hotspots)"))
