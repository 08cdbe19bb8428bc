"""The hot-spot methods as every front end sees them: parameters, rules, runners and result layers.

Only the standard library is imported here (see :mod:`gisapp.analysis.core.contract`):
the command line reads these declarations to build its parser before any
scientific package loads. The work itself is in the modules each runner names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gisapp.analysis.core.contract import AUTO, method, param
from gisapp.layers.errors import InputError
from gisapp.palette import (
    CELL_OUTLINE_COLOUR,
    CELL_OUTLINE_MIN_PX,
    DENSITY_UNIT,
    GI_BIN_COLOURS,
    GI_BIN_FILL_OPACITY,
    GI_BIN_LABELS,
    LISA_COLOURS,
    LISA_LABELS,
    LISA_ORDER,
)

if TYPE_CHECKING:
    import geopandas as gpd

#: The Gi* / LISA neighbourhood choices, shared by both methods' dialogs and options.
NEIGHBOURHOOD = "neighbourhood"
INFERENCE = "inference"
CONTIGUITIES = (("queen", ("后相邻（共边或共点）", "queen (shared edge or corner)")), ("rook", ("车相邻（共边）", "rook (shared edge)")))
MORAN_WEIGHTS = (("row", ("行标准化", "row-standardised")), ("binary", ("二值", "binary")))
VALUES = "value per unit (instead of counting incidents)"
SMOOTHINGS = (("none", ("不平滑", "none")), ("eb", ("经验贝叶斯（全局）", "empirical Bayes (global)")),
              ("spatial-eb", ("空间经验贝叶斯", "spatial empirical Bayes")))


@dataclass
class NeighbourhoodParams:
    """Cells and neighbourhoods, each fixed or ``"auto"``.

    Parameters
    ----------
    grid : str
        ``"square"`` or ``"hex"`` fishnet, or polygons: ``"polygons"`` with
        ``polygons`` set (what the engine takes), or, from a front end, the
        name of a polygon layer of the input (``grids``, ``areas``) or a
        polygon file, which the runner reads into ``polygons``.
    cell_size : float or "auto"
        Cell width in metres (square) or height (hex); ignored for polygons.
    band : float or "auto"
        Distance band in metres; ignored when ``k`` or ``contiguity`` is set.
        For polygons, ``"auto"`` means queen contiguity.
    k : int, optional
        k nearest neighbours instead of a band.
    contiguity : {"queen", "rook"}, optional
        Shared-border neighbours (polygons only).
    weight_field : str, optional
        Sum this incident column instead of counting.
    value : str, optional
        Analyse this numeric field of a polygon (or point) layer instead of
        counting incidents: Gi* or local Moran's I of the field over those
        units (``gisapp hotspot columbus.gpkg --value CRIME``). The layer is
        the one ``grid`` names, else the input's layer that has the field.
    rate : str, optional
        ``"NUMERATOR/DENOMINATOR"``: analyse the rate of two fields of a
        polygon layer, per 10,000 (``--rate count/population``).
    per : str, optional
        Count the incidents in each polygon (``grids`` by default) and divide
        by this field of the polygons, per 10,000 (``--per population``).
    smooth : {"none", "eb", "spatial-eb"}
        Empirical Bayes smoothing of a rate (:mod:`gisapp.analysis.stats.rates`):
        small populations give unstable rates.
    polygons : GeoDataFrame, optional
        The cells for ``grid="polygons"``, in the incidents' CRS.
    """

    grid: str = param(
        "square", kind="layer", words=("square", "hex"), layer_kinds=("grids", "areas"), group=NEIGHBOURHOOD,
        label=("分析单元", "Cells"),
        help=("正方形或六边形格网，或网格、区域等面图层（也可给面文件）",
              "square or hex fishnet, or polygons: grids, areas (layers of the input) or a polygon file"),
    )
    cell_size: float | str = param(
        AUTO, kind="float", words=(AUTO,), minimum=0, above_minimum=True, unit="m", flag="--cell", group=NEIGHBOURHOOD,
        label=("格网大小", "Cell size"),
        help=("格网边长（米）；auto 按事件间距自动选择（ArcGIS 优化热点分析）",
              "cell width in metres; auto chooses it from the incident spacing (ArcGIS Optimized Hot Spot Analysis)"),
    )
    band: float | str = param(
        AUTO, kind="float", words=(AUTO,), minimum=0, above_minimum=True, unit="m", group=NEIGHBOURHOOD,
        label=("距离阈值", "Distance band"),
        help=("此距离内的单元互为邻居；auto 取空间自相关的峰值", "neighbours within this distance; auto picks the peak of spatial autocorrelation"),
    )
    k: int | None = param(
        None, kind="int", optional=True, minimum=1, maximum=1000, group=NEIGHBOURHOOD, advanced=True,
        label=("K 近邻", "k nearest neighbours"),
        help=("用 K 个最近邻代替距离阈值", "k nearest neighbours instead of a distance band"),
    )
    contiguity: str | None = param(
        None, kind="choice", optional=True, choices=CONTIGUITIES, group=NEIGHBOURHOOD, advanced=True,
        label=("邻接", "Contiguity"),
        help=("面单元以共享边界为邻居（仅面图层）", "shared-border neighbours (polygon cells only)"),
    )
    weight_field: str | None = param(
        None, kind="field", optional=True, group=NEIGHBOURHOOD, advanced=True,
        label=("权重字段", "Weight field"),
        help=("累加此事件字段（如损失金额）而不是计数", "sum this incident column (e.g. a loss amount) instead of counting"),
    )
    value: str | None = param(
        None, kind="field", optional=True, flag="--value", metavar="FIELD", group=VALUES,
        label=("分析字段", "Value field"),
        help=("分析面（或点）图层的此数值字段（如各网格的发案数），而不是统计警情点；邻接、距离阈值或 K 近邻",
              "analyse this numeric field of a polygon (or point) layer instead of counting incidents, "
              "with contiguity, a distance band or k nearest neighbours"),
    )
    rate: str | None = param(
        None, kind="text", optional=True, flag="--rate", metavar="NUMERATOR/DENOMINATOR", group=VALUES,
        label=("比率字段", "Rate"),
        help=("分析两个字段之比（每万人），如 count/population", "analyse the ratio of two fields per 10,000, e.g. count/population"),
    )
    per: str | None = param(
        None, kind="field", optional=True, flag="--per", metavar="FIELD", group=VALUES,
        label=("按人口计率", "Per field"),
        help=("统计每个网格（面）内的警情数，除以该面的此字段（每万人），如 --per population",
              "count the incidents in each grid polygon and divide by this field, per 10,000 (e.g. --per population)"),
    )
    smooth: str = param(
        "none", kind="choice", choices=SMOOTHINGS, flag="--smooth", group=VALUES,
        label=("比率平滑", "Rate smoothing"),
        help=("人口少的单元比率很不稳定（1 起与 2 起相差一倍），经验贝叶斯将其拉向全局（eb）或邻域（spatial-eb）平均率，如 GeoDa",
              "small populations make rates unstable (one incident more doubles them): empirical Bayes pulls them "
              "towards the overall (eb) or neighbourhood (spatial-eb) rate, as GeoDa does"),
    )
    polygons: gpd.GeoDataFrame | None = None

    def uses_values(self) -> bool:
        """Whether the units carry their own value (``value``, ``rate`` or ``per``) rather than incident counts."""
        return any(v is not None for v in (self.value, self.rate, self.per))

    def rate_fields(self) -> tuple[str, str] | None:
        """``(numerator, denominator)`` of ``rate``, or None."""
        if self.rate is None:
            return None
        numerator, sep, denominator = str(self.rate).partition("/")
        if not sep or not numerator.strip() or not denominator.strip() or "/" in denominator:
            raise InputError(f"--rate takes NUMERATOR/DENOMINATOR, two field names, e.g. --rate count/population; got {self.rate!r}.")
        return numerator.strip(), denominator.strip()

    def check_values(self) -> None:
        given = [option for option, value in (("--value", self.value), ("--rate", self.rate), ("--per", self.per)) if value is not None]
        if len(given) > 1:
            raise InputError(f"Choose one of {' and '.join(given)}: each says what the units' value is.")
        self.rate_fields()
        if self.smooth != "none" and self.rate is None and self.per is None:
            raise InputError("--smooth smooths a rate: give --rate NUMERATOR/DENOMINATOR or --per FIELD with it.")
        if not given:
            return
        if self.grid == "hex" or (self.cell_size != AUTO and self.grid in ("square", "hex")):
            raise InputError(f"{given[0]} analyses the units of a layer (its polygons or points), so a fishnet (--grid hex, --cell) does not apply.")
        if self.weight_field is not None:
            raise InputError(f"--weight-field sums incidents into cells; with {given[0]} the units carry their own value.")

    def check(self) -> None:
        self.check_values()
        if self.k is not None and self.contiguity is not None:
            raise InputError("Choose one neighbourhood: --k or --contiguity, not both.")
        if self.uses_values():
            return
        if self.contiguity is not None and self.grid in ("square", "hex"):
            raise InputError("--contiguity needs polygon cells (--grid grids, areas or a polygon file); use a distance band on a fishnet.")
        if self.band != AUTO and self.cell_size != AUTO and self.grid in ("square", "hex") and self.k is None and self.band < self.cell_size:
            raise InputError(
                f"The distance band ({self.band:g} m) is shorter than the cell size ({self.cell_size:g} m), "
                "so no cell has a neighbour; use a band of at least one cell."
            )


@dataclass
class HotspotParams(NeighbourhoodParams):
    """:class:`NeighbourhoodParams` plus Gi* inference (see :class:`gisapp.analysis.hotspots.gistar.GiStarParams`)."""

    permutations: int = param(
        0, minimum=0, maximum=99_999, group=INFERENCE,
        label=("置换次数", "Permutations"),
        help=("0 用正态近似；999 另给置换检验 p 值（gi_p_sim）", "0 uses the normal approximation; 999 adds a permutation p-value (gi_p_sim)"),
    )
    seed: int = param(12345, minimum=0, maximum=2**31 - 1, group=INFERENCE, advanced=True,
                      label=("随机种子", "Random seed"), help=("相同种子给出相同的置换结果", "the same seed gives the same permutation p-values"))
    fdr: bool = param(True, group=INFERENCE, label=("FDR 校正", "FDR correction"),
                      help=("按错误发现率（FDR）校正置信分级，如 ArcGIS", "correct the confidence bins for multiple testing (False Discovery Rate), as ArcGIS does"))


@dataclass
class LisaParams(NeighbourhoodParams):
    """:class:`NeighbourhoodParams` plus inference.

    Parameters
    ----------
    permutations : int or "auto"
        Conditional permutations (at least 99). ``"auto"`` starts with 999 and
        raises them when the FDR cutoff cannot be reached otherwise
        (:mod:`gisapp.analysis.hotspots.lisa`).
    seed : int
    fdr : bool
        Benjamini-Hochberg correction of the cluster labels (on by default).
    alpha : float
        Significance level of the labels.
    weights : {"row", "binary"}
        Transformation of the weights of the *global* Moran's I: row-standardised
        (GeoDa's and esda's default) or binary. The local I are row-standardised.
    """

    permutations: int | str = param(
        AUTO, kind="int", words=(AUTO,), minimum=99, maximum=99_999, group=INFERENCE,
        label=("置换次数", "Permutations"),
        help=("条件置换次数（至少 99）；auto：先 999 次，FDR 需要时增加到足以达到其阈值的次数",
              "conditional permutations for the pseudo p-value (at least 99); auto: 999, raised when the FDR cutoff needs more"),
    )
    seed: int = param(12345, minimum=0, maximum=2**31 - 1, group=INFERENCE, advanced=True,
                      label=("随机种子", "Random seed"), help=("相同种子给出相同的置换结果", "the same seed gives the same pseudo p-values"))
    fdr: bool = param(True, group=INFERENCE, label=("FDR 校正", "FDR correction"),
                      help=("按错误发现率（FDR）校正聚类标记", "correct the cluster labels for multiple testing (False Discovery Rate)"))
    alpha: float = param(0.05, minimum=0, maximum=0.5, above_minimum=True, group=INFERENCE,
                         label=("显著性水平", "Significance level"), help=("聚类标记的显著性水平", "significance level of the cluster labels"))
    weights: str = param(
        "row", kind="choice", choices=MORAN_WEIGHTS, flag="--weights", group=INFERENCE, advanced=True,
        label=("全局莫兰指数权重", "Global Moran's I weights"),
        help=("全局莫兰指数的权重：行标准化（GeoDa、esda 默认）或二值；局部莫兰指数总是行标准化",
              "weights of the global Moran's I: row-standardised (the GeoDa and esda default) or binary; local I are always row-standardised"),
    )


KERNELS = (("quartic", ("四次核（ArcGIS、QGIS 默认）", "quartic (ArcGIS and QGIS default)")),
           ("gaussian", ("高斯核", "Gaussian")))
SUMMATIONS = (("auto", ("自动（较快者）", "automatic (the faster)")), ("direct", ("精确求和", "exact summation")),
              ("fft", ("分箱 FFT", "binned FFT")))


@dataclass
class KdeParams:
    """How to estimate the density (see :mod:`gisapp.analysis.hotspots.density`).

    Parameters
    ----------
    kernel : {"quartic", "gaussian"}
    bandwidth : float or {"arcgis", "silverman"}
        Search radius (quartic) or standard deviation (Gaussian) in metres, or
        the rule that chooses it; ``"auto"`` is read as ``"arcgis"``.
    cell_size : float or "auto"
        Output cell size in metres; ``"auto"`` is ArcGIS's rule.
    weight_field : str, optional
        Numeric incident column to weight by (ArcGIS's population field).
        Missing, non-numeric or negative values are an :class:`InputError`.
    extent : (xmin, ymin, xmax, ymax), optional
        Output extent in the incidents' CRS; by default their extent padded by
        the kernel support. Incidents outside it still count where their
        kernel reaches inside.
    method : {"auto", "direct", "fft"}
    tolerance : float
        Bound on the FFT path's binning error per incident, relative to ``K(0)``.
    volume_levels : tuple of float
        Percent-volume levels of the isopleth bands, ascending.
    """

    kernel: str = param("quartic", kind="choice", choices=KERNELS, label=("核函数", "Kernel"),
                        help=("每起警情的核形状；四次核为 ArcGIS 默认", "shape of each incident's bump; quartic is the ArcGIS default"))
    bandwidth: float | str = param(
        "arcgis", kind="float", words=("arcgis", "silverman", AUTO), minimum=0, above_minimum=True, unit="m",
        label=("带宽", "Bandwidth"),
        help=("搜索半径（四次核）或标准差（高斯核）；arcgis、silverman 按数据自动选择",
              "search radius (quartic) or standard deviation (Gaussian); arcgis or silverman choose it from the data"),
    )
    cell_size: float | str = param(AUTO, kind="float", words=(AUTO,), minimum=0, above_minimum=True, unit="m", flag="--cell",
                                   label=("输出像元", "Cell size"),
                                   help=("输出栅格像元大小；auto 为短边 / 250（ArcGIS）", "output cell size; auto is the shorter side / 250, as ArcGIS"))
    weight_field: str | None = param(None, kind="field", optional=True, flag="--weight", advanced=True, label=("权重字段", "Weight field"),
                                     help=("按此数值字段加权（ArcGIS 的 population 字段）", "numeric incident column to weight by (ArcGIS's population field)"))
    extent: tuple | None = param(None, kind="numbers", optional=True, count=4, metavar="XMIN,YMIN,XMAX,YMAX", advanced=True,
                                 label=("输出范围", "Extent"), help=("分析坐标系中的输出范围（米）", "output extent in the analysis CRS (metres)"))
    method: str = param("auto", kind="choice", choices=SUMMATIONS, advanced=True, label=("计算方法", "Summation"),
                        help=("精确求和、分箱 FFT，或自动取较快者", "exact summation, binned FFT, or the faster of the two"))
    tolerance: float = 0.005
    volume_levels: tuple = param((50.0, 75.0, 90.0, 95.0), kind="numbers", minimum=0, maximum=100, above_minimum=True, increasing=True,
                                 flag="--levels", metavar="P,P,...", advanced=True, label=("等值线百分比", "Isopleth levels"),
                                 help=("百分比体积等值线（如 50,75,90,95）", "percent-volume isopleth levels, e.g. 50,75,90,95"))

    def check(self) -> None:
        if self.bandwidth == AUTO:
            self.bandwidth = "arcgis"

    def to_dict(self) -> dict:
        return {
            "kernel": self.kernel,
            "bandwidth": self.bandwidth,
            "cell_size": self.cell_size,
            "weight_field": self.weight_field,
            "extent": None if self.extent is None else [float(v) for v in self.extent],
            "method": self.method,
            "tolerance": self.tolerance,
            "volume_levels": [float(v) for v in self.volume_levels],
        }


@dataclass
class ConcentrationParams:
    """Which places to rank (see :mod:`gisapp.analysis.hotspots.concentration`).

    Parameters
    ----------
    unit : str
        ``"square"``, ``"hex"``, ``"roads"``, or polygons: ``"polygons"`` with
        ``polygons`` set (the engine), or from a front end a polygon layer of
        the input (``grids``, ``areas``) or a polygon file.
    cell_size : float
        Cell width (square) or height (hexagon) in metres.
    segment_length : float
        Target street-segment length in metres.
    snap_distance : float
        Largest distance in metres from an incident to its segment.
    weight_field : str, optional
        Numeric incident column to sum instead of counting.
    polygons, roads : GeoDataFrame, optional
        The places for ``"polygons"`` and ``"roads"``; same CRS as the incidents.
    boundary : shapely geometry, optional
        For cells: only cells whose centre lies inside count as places.
    shares : tuple of float
        Percentages of incidents to find the fewest places for.
    tops : tuple of float
        Percentages of places to report the incident share of.
    """

    unit: str = param("roads", kind="layer", words=("roads", "square", "hex"), layer_kinds=("grids", "areas"),
                      label=("地点单元", "Places"),
                      help=("排序的地点：路段、正方形或六边形格网、网格、区域，或一个面文件",
                            "places to rank: road segments, square or hex cells, grids, areas, or a polygon file"))
    cell_size: float = param(200.0, minimum=0, above_minimum=True, unit="m", flag="--cell", when={"unit": ("square", "hex")},
                             label=("格网大小", "Cell size"), help=("正方形或六边形格网的大小", "cell size of square or hex cells"))
    segment_length: float = param(100.0, minimum=0, above_minimum=True, unit="m", flag="--segment", when={"unit": ("roads",)},
                                  label=("路段长度", "Segment length"), help=("道路切分成的路段长度", "street segment length"))
    snap_distance: float = param(50.0, minimum=0, above_minimum=True, unit="m", flag="--snap", when={"unit": ("roads",)},
                                 label=("吸附距离", "Snap distance"), help=("警情到道路的最大距离", "largest incident-to-road distance"))
    weight_field: str | None = param(None, kind="field", optional=True, flag="--weight", advanced=True, label=("权重字段", "Weight field"),
                                     help=("累加此数值字段而不是计数", "numeric incident column to sum instead of counting"))
    polygons: gpd.GeoDataFrame | None = None
    roads: gpd.GeoDataFrame | None = None
    boundary: object = None
    shares: tuple = (50.0, 80.0)
    tops: tuple = (1.0, 5.0, 10.0, 20.0)

    def to_dict(self) -> dict:
        return {
            "unit": self.unit,
            "cell_size": self.cell_size if self.unit in ("square", "hex") else None,
            "polygons": None if self.polygons is None else f"{len(self.polygons)} polygons",
            "roads": None if self.roads is None else f"{len(self.roads)} road lines",
            "segment_length": self.segment_length if self.unit == "roads" else None,
            "snap_distance": self.snap_distance if self.unit == "roads" else None,
            "boundary": None if self.boundary is None else "given",
            "weight_field": self.weight_field,
            "shares": [float(s) for s in self.shares],
            "tops": [float(t) for t in self.tops],
        }


#: Cells of a statistic drawn as ArcGIS Pro draws its hot spot bins: significant classes filled
#: semi-transparent over the map, the not significant class unfilled (``opacity`` 0), and outlines
#: only where a cell is large enough on screen to need one. Shared by every layer with ``gi_bin``.
CELL_SYMBOLOGY = {"fill_opacity": GI_BIN_FILL_OPACITY, "outline": CELL_OUTLINE_COLOUR, "outline_min_px": CELL_OUTLINE_MIN_PX,
                  "width": 0.5}
GI_BIN_STYLE = {
    "type": "graduated", "field": "gi_bin", "color": "#808080", **CELL_SYMBOLOGY,
    "classes": [{"value": b, "color": GI_BIN_COLOURS[b], "label": list(GI_BIN_LABELS[b]), **({"opacity": 0.0} if b == 0 else {})}
                for b in range(3, -4, -1)],
}
LISA_STYLE = {
    "type": "categorized", "field": "lisa_cluster", "color": "#808080", **CELL_SYMBOLOGY,
    "classes": [{"value": k, "color": LISA_COLOURS[k] or "#ffffff", "label": list(LISA_LABELS[k]),
                 **({"opacity": 0.0} if LISA_COLOURS[k] is None else {})} for k in LISA_ORDER],
}
#: The density surface rides on the isopleth layer (``layer.raster``): a ramp from transparent, with its unit.
KDE_STYLE = {"type": "single", "color": "#b30000", "ramp": "Density", "unit": list(DENSITY_UNIT)}

#: Getis-Ord Gi*, the main hot-spot method.
HOTSPOT = method(
    "hotspot", ("热点分析（Gi*）", "Hot spots (Getis-Ord Gi*)"),
    ("事件聚集程度超出随机的区域，给出 90/95/99% 置信分级（ArcGIS Gi_Bin，FDR，自动尺度）",
     "Getis-Ord Gi* hot spot analysis (ArcGIS Gi_Bin, FDR, automatic scale)"),
    HotspotParams, "gisapp.analysis.hotspots.optimized:run_hotspot",
    (("hotspots", ("热点", "Hot spots"), GI_BIN_STYLE),),
    columns=(),
    # No layer is needed up front: with --value the units carry their own values; without it the runner
    # asks for the incidents, and their absence gets the sentence of Inputs._missing.
    needs=(), uses=("incidents", "grids", "areas"), group="hotspots",
)

#: Local Moran's I.
LISA = method(
    "lisa", ("局部莫兰指数（LISA）", "Local Moran's I (LISA)"),
    ("高-高、低-低聚集与其间的异常单元（置换检验，FDR）", "local Moran's I: HH/LL clusters and HL/LH outliers, permutation p, FDR"),
    LisaParams, "gisapp.analysis.hotspots.lisa:run_lisa",
    (("lisa", ("LISA 聚类", "LISA clusters"), LISA_STYLE),),
    needs=(), uses=("incidents", "grids", "areas"), group="hotspots",
)

#: Kernel density.
KDE = method(
    "kde", ("核密度", "Kernel density"),
    ("警情核密度（起/平方公里）GeoTIFF，及百分比体积等值线", "kernel density of incidents (incidents per km²) as a GeoTIFF, plus isopleth polygons"),
    KdeParams, "gisapp.analysis.hotspots.density:run_kde",
    (("kde_isopleths", ("核密度", "Kernel density"), KDE_STYLE),),
    columns=(),
    group="hotspots",
    description=("四次核（ArcGIS/QGIS）或高斯核密度，单位为起/平方公里；栅格写为 GeoTIFF，50/75/90/95% 体积等值线写入 GeoPackage。",
                 "Quartic (ArcGIS/QGIS) or Gaussian kernel density in incidents per km². Writes the surface as a float32 GeoTIFF "
                 "and the percent-volume isopleth bands (50/75/90/95 %) to the GeoPackage."),
)

#: Crime concentration (the 80/20 rule).
CONCENTRATION = method(
    "concentration", ("案件集中度", "Crime concentration"),
    ("多少比例的地点（或道路长度）集中了 50%/80% 的警情；洛伦兹曲线与基尼系数",
     "how concentrated incidents are: the share of places (or road length) holding 50 % / 80 % of them"),
    ConcentrationParams, "gisapp.analysis.hotspots.concentration:run_concentration",
    (("concentration", ("集中度地点", "Ranked places"), {"type": "graduated", "field": "n", "color": "#808080", "ramp": "YlOrRd", "n": 5}),),
    uses=("roads", "grids", "areas"), group="hotspots",
    description=("按警情数对路段、格网或面排序，给出累计警情比例对地点（或道路长度）比例、基尼系数，并绘制洛伦兹曲线。",
                 "Rank road segments, grid cells or polygons by incidents; report the cumulative share of incidents against the "
                 "share of places or road length, the Gini coefficient, and draw the Lorenz curve."),
)

METHODS = (HOTSPOT, LISA, KDE, CONCENTRATION)
