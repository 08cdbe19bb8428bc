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

if TYPE_CHECKING:
    import geopandas as gpd

#: The Gi* / LISA neighbourhood choices, shared by both methods' dialogs and options.
NEIGHBOURHOOD = "neighbourhood"
INFERENCE = "inference"
CONTIGUITIES = (("queen", ("后相邻（共边或共点）", "queen (shared edge or corner)")), ("rook", ("车相邻（共边）", "rook (shared edge)")))


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
    polygons: gpd.GeoDataFrame | None = None

    def check(self) -> None:
        if self.k is not None and self.contiguity is not None:
            raise InputError("Choose one neighbourhood: --k or --contiguity, not both.")
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
    seed: int = param(12345, minimum=0, maximum=2**32 - 1, group=INFERENCE, advanced=True,
                      label=("随机种子", "Random seed"), help=("相同种子给出相同的置换结果", "the same seed gives the same permutation p-values"))
    fdr: bool = param(True, group=INFERENCE, label=("FDR 校正", "FDR correction"),
                      help=("按错误发现率（FDR）校正置信分级，如 ArcGIS", "correct the confidence bins for multiple testing (False Discovery Rate), as ArcGIS does"))


@dataclass
class LisaParams(NeighbourhoodParams):
    """:class:`NeighbourhoodParams` plus inference.

    Parameters
    ----------
    permutations : int
        Conditional permutations (999 by default; at least 99).
    seed : int
    fdr : bool
        Benjamini-Hochberg correction of the cluster labels (on by default).
    alpha : float
        Significance level of the labels.
    """

    permutations: int = param(
        999, minimum=99, maximum=99_999, group=INFERENCE,
        label=("置换次数", "Permutations"), help=("条件置换次数（至少 99）", "conditional permutations for the pseudo p-value (at least 99)"),
    )
    seed: int = param(12345, minimum=0, maximum=2**32 - 1, group=INFERENCE, advanced=True,
                      label=("随机种子", "Random seed"), help=("相同种子给出相同的置换结果", "the same seed gives the same pseudo p-values"))
    fdr: bool = param(True, group=INFERENCE, label=("FDR 校正", "FDR correction"),
                      help=("按错误发现率（FDR）校正聚类标记", "correct the cluster labels for multiple testing (False Discovery Rate)"))
    alpha: float = param(0.05, minimum=0, maximum=0.5, above_minimum=True, group=INFERENCE,
                         label=("显著性水平", "Significance level"), help=("聚类标记的显著性水平", "significance level of the cluster labels"))


#: Getis-Ord Gi*, the main hot-spot method.
HOTSPOT = method(
    "hotspot", ("热点分析（Gi*）", "Hot spots (Getis-Ord Gi*)"),
    ("事件聚集程度超出随机的区域，给出 90/95/99% 置信分级（ArcGIS Gi_Bin，FDR，自动尺度）",
     "Getis-Ord Gi* hot spot analysis (ArcGIS Gi_Bin, FDR, automatic scale)"),
    HotspotParams, "gisapp.analysis.hotspots.optimized:run_hotspot",
    (("hotspots", ("热点", "Hot spots")),),
    uses=("grids", "areas"), group="hotspots",
)

#: Local Moran's I.
LISA = method(
    "lisa", ("局部莫兰指数（LISA）", "Local Moran's I (LISA)"),
    ("高-高、低-低聚集与其间的异常单元（置换检验，FDR）", "local Moran's I: HH/LL clusters and HL/LH outliers, permutation p, FDR"),
    LisaParams, "gisapp.analysis.hotspots.lisa:run_lisa",
    (("lisa", ("LISA 聚类", "LISA clusters"),
      {"type": "categorized", "field": "lisa_cluster", "color": "#808080",
       "categories": {"HH": "#d7191c", "LL": "#2c7bb6", "HL": "#fdae61", "LH": "#abd9e9", "ns": "#eeeeee"}}),),
    uses=("grids", "areas"), group="hotspots",
)

METHODS = (HOTSPOT, LISA)
