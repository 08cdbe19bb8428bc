"""The space-time methods as every front end sees them (see :mod:`gisapp.analysis.core.contract`); standard library only."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gisapp.analysis.core.contract import method, param
from gisapp.analysis.hotspots.methods import CELL_SYMBOLOGY
from gisapp.layers.errors import InputError
from gisapp.palette import EMERGING_COLOURS, EMERGING_FILL_OPACITY, EMERGING_LABELS, EMERGING_ORDER

if TYPE_CHECKING:
    import geopandas as gpd

STEPS = (("day", ("日", "day")), ("week", ("周", "week")), ("month", ("月", "month")))
STEP_UNITS = tuple(value for value, _ in STEPS)
GRIDS = ("square", "hex", "polygons")
HISTORICAL = (("all", ("全部时间步的 90%（ArcGIS）", "90 % of all steps (ArcGIS)")),
              ("earlier", ("此前时间步的 90%", "90 % of the earlier steps")))
METRICS = (("euclidean", ("欧氏距离", "Euclidean")), ("manhattan", ("曼哈顿距离", "Manhattan")))
#: The Near Repeat Calculator's limit on Monte Carlo permutations.
MAX_PERMUTATIONS = 99_999
INFERENCE = "inference"


# --------------------------------------------------------------------------- emerging hot spots


@dataclass
class EmergingParams:
    """How the space-time cube is built and the bins judged (see :mod:`gisapp.analysis.spacetime.emerging`).

    Parameters
    ----------
    grid : str
        ``"square"`` fishnet, ``"hex"`` (``cell_size`` = height), or polygons:
        ``"polygons"`` with ``polygons`` set (the engine), or from a front end a
        polygon layer of the input (``grids``, ``areas``) or a polygon file.
    cell_size : float
        Cell size in metres for fishnets and hexagons (200 m by default).
    band : float, optional
        Spatial neighbourhood distance in metres between cell centres
        (inclusive). Default: ``cell_size * sqrt(2)``, the eight surrounding
        cells of a fishnet (six for hexagons); for polygons, queen contiguity.
        ArcGIS computes a default distance from the data instead; gisapp keeps
        the neighbourhood fixed so results do not move when data are added.
    time_step : {"day", "week", "month"}
    k : int
        Neighbourhood time step: the previous steps in each bin's neighbourhood (ArcGIS default 1).
    alpha : float
        A bin is a significant hot (cold) spot when its Gi* is significant at
        this level, FDR-corrected over all bins when ``fdr``; also the level
        of the Mann-Kendall trend test. 0.05 by default.
    fdr : bool
        False Discovery Rate correction of the bins (ArcGIS always applies it).
    value : str, optional
        Sum this numeric *incident* field per bin instead of counting. (For
        ``hotspot`` and ``lisa``, ``--value`` is a field of the polygons; a
        polygon layer has one value per polygon, not one per time step, so
        the cube's values come from the incidents.)
    historical : {"all", "earlier"}
        Rule for historical hot (cold) spots: 90 % of all steps (ArcGIS, the
        default) or of the earlier steps (see
        :func:`gisapp.analysis.spacetime.emerging.classify_emerging`).
    polygons : GeoDataFrame, optional
        Locations for ``grid="polygons"`` (same CRS as the incidents); all are kept.
    start, end : str, optional
        First and last day of the cube; by default the first and last incident
        (the front ends pass the filter's dates).
    """

    grid: str = param("square", kind="layer", words=("square", "hex"), layer_kinds=("grids", "areas"),
                      label=("分析单元", "Cells"),
                      help=("正方形或六边形格网，或网格、区域等面图层（也可给面文件）",
                            "square fishnet, hexagons, or polygons: grids, areas (layers of the input) or a polygon file"))
    cell_size: float = param(200.0, minimum=0, above_minimum=True, unit="m", flag="--cell", when={"grid": ("square", "hex")},
                             label=("格网大小", "Cell size"), help=("正方形或六边形单元的大小", "cell size of the fishnet or hexagons"))
    band: float | None = param(None, kind="float", optional=True, minimum=0, above_minimum=True, unit="m", label=("邻域距离", "Neighbourhood distance"),
                               help=("空间邻域距离（默认 格网×1.414，即周围 8 格；面单元为后相邻）",
                                     "neighbourhood distance (default: cell × 1.414, the 8 surrounding cells; queen contiguity for polygons)"))
    time_step: str = param("month", kind="choice", choices=STEPS, flag="--step", label=("时间步长", "Time step"),
                           help=("时空立方体中一个时间片的长度", "length of one slice of the space-time cube"))
    k: int = param(1, minimum=0, maximum=12, label=("前序时间步", "Previous steps"),
                   help=("每个单元邻域包含的前序时间步数（ArcGIS 默认 1）", "previous time steps in each bin's neighbourhood (default 1, as ArcGIS)"))
    alpha: float = param(0.05, minimum=0, maximum=1, above_minimum=True, group=INFERENCE, label=("显著性水平", "Significance level"),
                         help=("热冷点与趋势检验的显著性水平", "significance level of the bins and of the trend test"))
    fdr: bool = param(True, group=INFERENCE, label=("FDR 校正", "FDR correction"),
                      help=("错误发现率校正（ArcGIS 总是使用）", "False Discovery Rate correction (ArcGIS always applies it)"))
    value: str | None = param(
        None, kind="field", optional=True, flag="--value", metavar="FIELD", group=INFERENCE, advanced=True,
        label=("求和字段", "Value field"),
        help=("把警情的此数值字段（如损失金额）按单元×时间步求和，代替计数；面图层每个面只有一个值、没有按时间步的值，所以这里的 --value 是警情字段",
              "sum this numeric incident field (e.g. a loss amount) per location and time step instead of counting; unlike "
              "hotspot/lisa --value (a field of the polygons), a polygon layer holds one value per polygon, not one per time step"),
    )
    historical: str = param("all", kind="choice", choices=HISTORICAL, group=INFERENCE, advanced=True,
                            label=("历史热点规则", "Historical hot spot rule"),
                            help=("all：≥90% 的全部时间步为热点（ArcGIS）；earlier：≥90% 的此前时间步（少于 10 步时也能出现历史热点）",
                                  "all: hot in >= 90 % of all steps (ArcGIS); earlier: >= 90 % of the earlier steps "
                                  "(lets a series of under 10 steps show historical hot spots)"))
    polygons: gpd.GeoDataFrame | None = None
    start: str | None = None
    end: str | None = None

    def resolved_band(self) -> float | None:
        if self.band is not None or self.grid == "polygons":
            return self.band
        return float(self.cell_size) * math.sqrt(2.0)

    def to_dict(self) -> dict:
        return {
            "grid": self.grid,
            "cell_size": None if self.grid == "polygons" else float(self.cell_size),
            "polygons": None if self.polygons is None else f"{len(self.polygons)} polygons",
            "band": self.resolved_band(),
            "neighbours": "queen contiguity" if self.grid == "polygons" and self.band is None else "distance band",
            "time_step": self.time_step,
            "k": int(self.k),
            "start": None if self.start is None else str(self.start),
            "end": None if self.end is None else str(self.end),
            "alpha": float(self.alpha),
            "fdr": bool(self.fdr),
            "historical": self.historical,
            "value": self.value,
        }

    def check(self) -> None:
        """The rules a front end checks before any data is read (:meth:`validate` checks the rest)."""
        band = self.resolved_band()
        if self.grid in ("square", "hex") and band is not None and band < self.cell_size:
            raise InputError(
                f"The neighbourhood distance ({band:g} m) is shorter than the cell size ({self.cell_size:g} m), "
                "so no cell has a spatial neighbour; use at least one cell size."
            )

    def validate(self) -> None:
        if self.grid not in GRIDS:
            raise InputError(f"Unknown grid {self.grid!r}; use one of {', '.join(GRIDS)}.")
        if self.grid == "polygons":
            if self.polygons is None or len(self.polygons) < 2:
                raise InputError("An emerging hot spot analysis over polygons needs a layer of at least two polygons.")
        elif not (math.isfinite(float(self.cell_size)) and self.cell_size > 0):
            raise InputError(f"The cell size must be a positive number of metres, got {self.cell_size}.")
        if self.band is not None and not (math.isfinite(float(self.band)) and self.band > 0):
            raise InputError(f"The neighbourhood distance must be a positive number of metres, got {self.band}.")
        self.check()
        if self.time_step not in STEP_UNITS:
            raise InputError(f"Unknown time step {self.time_step!r}; use one of {', '.join(STEP_UNITS)}.")
        if int(self.k) != self.k or self.k < 0:
            raise InputError(f"The neighbourhood time step k must be 0 or a positive whole number, got {self.k}.")
        if not 0 < float(self.alpha) < 1:
            raise InputError(f"The significance level must lie between 0 and 1, got {self.alpha}.")


# --------------------------------------------------------------------------- near repeat


@dataclass
class KnoxParams:
    """Bands, metric and permutations of a Knox test (see :mod:`gisapp.analysis.spacetime.nearrepeat`).

    Parameters
    ----------
    distance_bands : sequence of float
        Increasing band edges in metres; a leading 0 adds the NRC's
        "same location" band.
    time_bands : sequence of float
        Increasing band edges in days; a leading 0 is optional.
    metric : {"euclidean", "manhattan"}
    permutations : int or "auto"
        Monte Carlo permutations of the times (999 as in the NRC); ``"auto"``
        lowers them for very many close pairs (see
        :func:`gisapp.analysis.spacetime.nearrepeat.chosen_permutations`).
    seed : int
        Seed of the permutation generator; the same seed gives the same table.
    same_location_m : float
        Distance up to which two events count as the same location (0: identical
        coordinates, as in the NRC; raise it for geocoding jitter).
    exact_times : bool
        Exact fractional days between events; by default the days between
        calendar dates (the Near Repeat Calculator's convention).
    classify : (float, float), optional
        The band (metres, days) for the event classification; default: the
        first band above the same location, and the first time band.
    """

    distance_bands: tuple = param((0.0, 100.0, 200.0, 400.0), minimum=0, increasing=True, metavar="M,M,...",
                                  label=("距离分段", "Distance bands"),
                                  help=("递增的距离分段边界（米）；首位 0 增加“同一地点”段", "increasing band edges in metres; a leading 0 adds the 'same location' band"))
    time_bands: tuple = param((0.0, 7.0, 14.0, 21.0), minimum=0, increasing=True, metavar="D,D,...", label=("时间分段", "Time bands"),
                              help=("递增的时间分段边界（天）", "increasing band edges in days"))
    metric: str = param("euclidean", kind="choice", choices=METRICS, label=("距离度量", "Distance metric"),
                        help=("欧氏或曼哈顿距离", "Euclidean or Manhattan distance"))
    permutations: int | str = param("auto", kind="int", words=("auto",), minimum=1, maximum=MAX_PERMUTATIONS, group=INFERENCE,
                                    label=("置换次数", "Permutations"),
                                    help=("时间的蒙特卡洛置换次数；auto 为 999，警情对极多时减至 499、199 或 99 并说明",
                                          "Monte Carlo permutations of the times; auto: 999, or 499, 199 or 99 when there are so many "
                                          "close pairs that 999 would take minutes (the summary says so)"))
    seed: int = param(12345, minimum=0, maximum=2**31 - 1, group=INFERENCE, advanced=True, label=("随机种子", "Random seed"),
                      help=("相同种子给出相同的表", "the same seed gives the same table"))
    same_location_m: float = param(0.0, minimum=0, unit="m", flag="--same-location", advanced=True, label=("同一地点距离", "Same-location distance"),
                                   help=("仍算作同一地点的距离（默认 0）", "distance that still counts as the same location (default 0)"))
    exact_times: bool = param(False, advanced=True, label=("精确时间差", "Exact time differences"),
                              help=("用精确的时间差而非日历日（近重复计算器按日历日）",
                                    "use exact time differences instead of calendar days (the Calculator's convention)"))
    classify: tuple | None = param(None, kind="numbers", optional=True, count=2, minimum=0, metavar="M,D", advanced=True,
                                   label=("分类阈值", "Classification band"),
                                   help=("事件分类的距离和天数，如 200,7（默认第一距离段、第一时间段）",
                                         "band for classifying events, metres,days (default: first distance band, first time band)"))

    @property
    def whole_days(self) -> bool:
        return not self.exact_times

    def to_dict(self) -> dict:
        out = {k: getattr(self, k) for k in ("metric", "permutations", "seed", "same_location_m", "whole_days")}
        out["distance_bands"] = [float(v) for v in self.distance_bands]
        out["time_bands"] = [float(v) for v in self.time_bands]
        distance, days = self.classification_band()
        out["classify_distance"], out["classify_days"] = distance, days
        return out

    def has_same_location_band(self) -> bool:
        return float(self.distance_bands[0]) == 0.0

    def distance_edges(self) -> list[float]:
        """Upper edges of the within-distance bands (the same-location band first, if any)."""
        edges = [float(v) for v in self.distance_bands]
        return [float(self.same_location_m), *edges[1:]] if self.has_same_location_band() else edges

    def time_edges(self) -> list[float]:
        """Upper edges of the within-time bands."""
        edges = [float(v) for v in self.time_bands]
        return edges[1:] if edges[0] == 0 else edges

    def classification_band(self) -> tuple[float, float]:
        distance, days = self.classify if self.classify is not None else (None, None)
        if distance is None:
            edges = self.distance_edges()
            distance = edges[1] if self.has_same_location_band() and len(edges) > 1 else edges[0]
        if days is None:
            days = self.time_edges()[0]
        return float(distance), float(days)

    def check(self) -> None:
        _check_edges(self.distance_bands, "Distance bands", "m")
        _check_edges(self.time_bands, "Time bands", "days")
        if self.metric not in dict(METRICS):
            raise InputError(f"Unknown distance metric {self.metric!r}; use euclidean or manhattan.")
        if self.permutations != "auto" and (int(self.permutations) != self.permutations or not 1 <= self.permutations <= MAX_PERMUTATIONS):
            raise InputError(
                f"The number of permutations must be a whole number from 1 to {MAX_PERMUTATIONS:,} "
                f"(999 is usual; p cannot go below 1/(R+1)); got {self.permutations}."
            )
        if not (math.isfinite(self.same_location_m) and self.same_location_m >= 0):
            raise InputError(f"The same-location distance must be 0 or more metres, got {self.same_location_m}.")
        if self.has_same_location_band() and len(self.distance_bands) > 1 and self.same_location_m >= self.distance_bands[1]:
            raise InputError(
                f"The same-location distance ({self.same_location_m:g} m) must be smaller than the first distance band "
                f"({self.distance_bands[1]:g} m)."
            )
        distance, days = self.classification_band()
        if not (distance >= 0 and days >= 0 and math.isfinite(distance) and math.isfinite(days)):
            raise InputError("The classification band needs a distance and a number of days of 0 or more.")

    validate = check


def _check_edges(edges, what: str, unit: str) -> None:
    try:
        values = [float(v) for v in edges]
    except (TypeError, ValueError):
        raise InputError(f"{what} must be numbers, e.g. 0,100,200,400; got {edges!r}.") from None
    if not values or (len(values) == 1 and values[0] == 0):
        raise InputError(f"{what} need at least one band above 0 {unit}; got {edges!r}.")
    if not all(math.isfinite(v) and v >= 0 for v in values):
        raise InputError(f"{what} must be finite and not negative; got {', '.join(f'{v:g}' for v in values)}.")
    if any(b <= a for a, b in zip(values, values[1:])):
        raise InputError(f"{what} must increase from one edge to the next, e.g. 0,7,14,21; got {', '.join(f'{v:g}' for v in values)}.")


# --------------------------------------------------------------------------- area comparison


@dataclass
class CompareParams:
    """What is compared and over which periods (see :mod:`gisapp.analysis.spacetime.compare`).

    Parameters
    ----------
    areas : tuple of str
        Areas of these ``area_type`` values or names (``market``, ``西门市场``).
    grid_ids : str, optional
        网格 grid cells: ``all``, or a comma-separated list of ``grid_id`` or names.
    townships : bool
        Grids dissolved by their ``township`` column, populations summed.
    polygon_file : str, optional
        Any polygon file. With none of the four, every area is compared.
    name_column : str
        Polygon name column (the label in tables and figures).
    population_column : str, optional
        Residents per polygon; rates are omitted (with a note) where missing.
    group_column : str, optional
        Dissolve polygons by this column first (e.g. ``area_type``: all
        markets together); populations are summed, and unknown if any member's is.
    period_a, period_b : (str, str), optional
        The two periods compared (inclusive days), read from ``FROM:TO``;
        default: the first and the second half of the whole period.
    category_column : str
        Incident column of the category mix.
    market_rule : str, optional
        Market-day rule for the profiles (:class:`gisapp.analysis.spacetime.temporal.MarketRule`),
        e.g. ``cycle:3@2024-01-01`` or ``digits:1,4,7`` (逢一四七).
    start, end : str, optional
        The whole period (inclusive days); default: the first and last incident
        (the front ends pass the filter's dates).
    """

    areas: tuple = param((), kind="list", metavar="TYPE_OR_NAME", label=("区域", "Areas"),
                         help=("此类型或名称的区域，如 market,urban_fringe 或 西门市场（可重复）",
                               "areas of this area_type or name, e.g. market,urban_fringe or 西门市场 (repeatable)"))
    grid_ids: str | None = param(None, kind="text", optional=True, flag="--grids", const="all", metavar="ID,...", label=("网格", "Grid cells"),
                                 help=("网格单元：all，或列出的网格编号/名称", "网格 grid cells: all, or the listed grid_id / names"))
    townships: bool = param(False, label=("乡镇", "Townships"), help=("按网格的 township 字段合并为乡镇，人口相加",
                                                                     "townships: grids dissolved by their township column, populations summed"))
    polygon_file: str | None = param(None, kind="text", optional=True, flag="--polygons", metavar="FILE", label=("面文件", "Polygon file"),
                                     help=("任意面文件", "any polygon file"))
    group_column: str | None = param(None, kind="text", optional=True, flag="--group-by", metavar="COLUMN", advanced=True,
                                     label=("合并字段", "Group by"), help=("先按此字段合并所选的面，如 area_type", "dissolve the chosen polygons by this column first, e.g. area_type"))
    name_column: str = param("name", kind="text", advanced=True, label=("名称字段", "Name column"), help=("面的名称字段", "polygon name column"))
    population_column: str | None = param("population", kind="text", optional=True, advanced=True, label=("人口字段", "Population column"),
                                          help=("每万人发案率所用的人口字段", "residents column for rates per 10,000"))
    period_a: str | tuple | None = param(None, kind="text", optional=True, metavar="FROM:TO", label=("时段 A", "Period A"),
                                 help=("比较的第一个时段，如 2024-01-01:2024-12-31（默认前一半）", "first period compared, e.g. 2024-01-01:2024-12-31 (default: first half)"))
    period_b: str | tuple | None = param(None, kind="text", optional=True, metavar="FROM:TO", label=("时段 B", "Period B"),
                                 help=("比较的第二个时段（默认后一半）", "second period compared (default: second half)"))
    market_rule: str | None = param(None, kind="text", optional=True, flag="--market-days", metavar="RULE", label=("赶集日", "Market days"),
                                    help=("赶集日规则：cycle:3@2024-01-01 或 digits:1,4,7（逢一四七）",
                                          "market-day rule for the market-day effect: cycle:3@2024-01-01 or digits:1,4,7 (逢一四七)"))
    category_column: str = param("category", kind="choice", flag="--mix-by",
                                 choices=(("category", ("案件类别", "category")), ("subcategory", ("案件细类", "subcategory"))),
                                 label=("构成依据", "Category mix by"), help=("类别构成所用的警情字段", "incident column of the category mix"))
    start: str | None = None
    end: str | None = None

    def check(self) -> None:
        chosen = [name for name, given in (("--areas", bool(self.areas)), ("--grids", self.grid_ids is not None),
                                           ("--townships", self.townships), ("--polygons", self.polygon_file is not None)) if given]
        if len(chosen) > 1:
            raise InputError(f"Choose one set of polygons: {' or '.join(chosen)}, not several.")
        for text, option in ((self.period_a, "--period-a"), (self.period_b, "--period-b")):
            parse_period(text, option)
        if self.market_rule and ":" not in self.market_rule:
            raise InputError(f"--market-days takes cycle:N@YYYY-MM-DD or digits:D,D,…; got {self.market_rule!r}.")

    def periods(self) -> tuple:
        return parse_period(self.period_a, "--period-a"), parse_period(self.period_b, "--period-b")

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.__dict__.items()}


def parse_period(text: str | None, option: str):
    """``"2024-01-01:2024-12-31"`` (or a pair) -> ``("2024-01-01", "2024-12-31")``; None when not given."""
    if not text:
        return None
    if isinstance(text, (tuple, list)) and len(text) == 2:
        return (str(text[0]), str(text[1]))
    first, sep, last = str(text).partition(":")
    if not sep or not first.strip() or not last.strip():
        raise InputError(f"{option} takes FROM:TO, e.g. 2024-01-01:2024-12-31; got {text!r}.")
    return (first.strip(), last.strip())


#: ArcGIS's convention: hot kinds in reds, cold kinds in blues, "no pattern" unfilled, the legend in a fixed order.
EMERGING_STYLE = {
    "type": "categorized", "field": "category", "color": "#bdbdbd", **CELL_SYMBOLOGY, "fill_opacity": EMERGING_FILL_OPACITY,
    "classes": [{"value": k, "color": EMERGING_COLOURS[k] or "#ffffff", "label": list(EMERGING_LABELS[k]),
                 **({"opacity": 0.0} if EMERGING_COLOURS[k] is None else {})} for k in EMERGING_ORDER],
}

EMERGING = method(
    "emerging", ("时空热点", "Emerging hot spots"),
    ("新增、连续、加剧、持续、减弱……等时空热冷点（ArcGIS 的 17 类）",
     "emerging hot spots: new, consecutive, intensifying, persistent, ... hot and cold spots over time"),
    EmergingParams, "gisapp.analysis.spacetime.emerging:run_emerging",
    (("emerging", ("时空热点", "Emerging hot spots"), EMERGING_STYLE),),
    uses=("grids", "areas"), group="spacetime",
    description=("与 ArcGIS Pro 相同的时空热点分析：警情计入单元×时间步，每个时空单元以前 k 步为邻域计算 Gi*（FDR），"
                 "每个单元做 Mann-Kendall 趋势检验，分为 17 类。",
                 "Emerging Hot Spot Analysis as in ArcGIS Pro: incidents counted into cells x time steps, Gi* per bin with the "
                 "previous k steps as neighbours (FDR), Mann-Kendall trend per cell, 17 categories."),
)

NEAR_REPEAT = method(
    "nearrepeat", ("近重复（Knox 检验）", "Near repeat (Knox)"),
    ("空间上相近的警情是否在时间上也紧随发生？Knox 检验与始发/近重复分类",
     "near-repeat (Knox) test over distance x time bands, and originator / near-repeat classification"),
    KnoxParams, "gisapp.analysis.spacetime.nearrepeat:run_near_repeat",
    (("nearrepeat", ("近重复分类", "Near-repeat classes")),),
    group="spacetime",
    description=("与 Ratcliffe 近重复计算器相同的 Knox 检验：警情对按距离段×时间段计数，与时间的蒙特卡洛置换比较"
                 "（p = (#模拟 ≥ 观测 + 1) / (R + 1)）。",
                 "Knox test as in Ratcliffe's Near Repeat Calculator: pairs of incidents counted by distance band x time band, "
                 "compared with Monte Carlo permutations of the times (p = (#sims >= observed + 1) / (R + 1))."),
)

COMPARE = method(
    "compare", ("区域比较", "Area comparison"),
    ("各区域的数量、每万人发案率、两时段变化、类别构成、时段×星期、趋势与赶集日效应",
     "compare areas: counts, rates per 10,000, change between periods, category mix, hour x weekday, trend, market days"),
    CompareParams, "gisapp.analysis.spacetime.compare:run_compare",
    (("compare", ("区域比较", "Area comparison")),),
    group="spacetime",
)

METHODS = (EMERGING, NEAR_REPEAT, COMPARE)
