"""The clustering method as every front end sees it (see :mod:`gisapp.analysis.core.contract`); standard library only."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from gisapp.analysis.core.contract import method, param
from gisapp.layers.errors import InputError
from gisapp.palette import (
    CLUSTER_HULL_COLOUR,
    CLUSTER_NOISE_COLOUR,
    CLUSTER_NOISE_ID,
    CLUSTER_NOISE_LABEL,
    CLUSTER_NOISE_SIZE,
    CLUSTER_POINT_SIZE,
)

ALGORITHMS = (
    ("hdbscan", ("HDBSCAN（自适应密度）", "HDBSCAN (self-adjusting)")),
    ("dbscan", ("DBSCAN（指定距离）", "DBSCAN (defined distance)")),
    ("optics", ("OPTICS（多尺度）", "OPTICS (multi-scale)")),
    ("nnh", ("最近邻层次聚类（CrimeStat NNH）", "nearest-neighbour hierarchical (CrimeStat NNH)")),
    ("kmeans", ("K 均值", "k-means")),
)
SPACE_TIME = "space-time"
SHAPES = "hulls and ellipses"


@dataclass
class ClusterParams:
    """How to cluster (see :mod:`gisapp.analysis.clusters.clustering` for each parameter's meaning).

    Parameters
    ----------
    method : {"hdbscan", "dbscan", "optics", "nnh", "kmeans"}
    min_cluster_size : int
        Smallest cluster (HDBSCAN, OPTICS, NNH); the default ``min_samples``.
    min_samples : int, optional
        Core neighbourhood size, counting the point itself.
    eps : float, optional
        Metres: DBSCAN search distance (required), HDBSCAN cluster-selection
        epsilon, OPTICS DBSCAN-style extraction distance, NNH fixed threshold.
    cluster_selection : {"eom", "leaf"}
        HDBSCAN's cluster selection (excess of mass, or leaves).
    xi : float
        OPTICS ξ steepness.
    max_eps : float, optional
        OPTICS search limit in metres (unlimited by default; a limit makes it faster).
    n_clusters : int, optional
        K-means: the number of clusters (required).
    seed : int
        K-means random seed.
    time_window_days : float, optional
        Space-time clustering.
    time_distance_m : float, optional
        Metres that one time window counts as (HDBSCAN, OPTICS, K-means).
    ellipse_sd : float
        Standard deviations of the ellipses (1, 2 or 3).
    ellipse_sqrt2 : bool
        ArcGIS's √2 adjustment of the ellipse axes.
    outlier_quantile : float
        HDBSCAN: incidents with a GLOSH score above this quantile are flagged ``outlier``.
    backend : {"auto", "hdbscan", "sklearn"}
        HDBSCAN implementation.
    nnh_probability : float
        NNH: one-tailed probability of the threshold distance, in (0, 0.5].
    study_area_km2 : float, optional
        NNH: the study area for the random nearest-neighbour distance (the
        incidents' bounding rectangle when None).
    """

    method: str = param("hdbscan", kind="choice", choices=ALGORITHMS, label=("聚类方法", "Method"),
                        help=("HDBSCAN 可发现任意密度的聚类；DBSCAN 需要搜索距离；K 均值需要聚类数",
                              "HDBSCAN finds clusters of any density; DBSCAN needs a search distance; k-means needs the number of clusters"))
    min_cluster_size: int = param(15, minimum=2, maximum=1_000_000, metavar="N", when={"method": ("hdbscan", "optics", "nnh", "dbscan")},
                                  label=("最小聚类规模", "Minimum cluster size"), help=("构成一个聚类的最少警情数", "fewest incidents that make a cluster"))
    min_samples: int | None = param(None, kind="int", optional=True, minimum=1, maximum=1_000_000, metavar="N", advanced=True,
                                    when={"method": ("hdbscan", "optics", "dbscan")}, label=("核心邻域规模", "Core neighbourhood"),
                                    help=("核心点的邻居数（含自身；默认等于最小聚类规模）",
                                          "core neighbourhood size, counting the incident itself (default: the minimum cluster size)"))
    eps: float | None = param(None, kind="float", optional=True, minimum=0, above_minimum=True, unit="m",
                              when={"method": ("dbscan", "nnh", "hdbscan", "optics")}, label=("搜索距离", "Search distance"),
                              help=("DBSCAN 必填；NNH 为固定阈值（空则用随机最近邻距离）",
                                    "required for DBSCAN; for NNH a fixed threshold instead of the random nearest-neighbour distance"))
    cluster_selection: str = param("eom", kind="choice", flag="--selection", advanced=True, when={"method": ("hdbscan",)},
                                   choices=(("eom", ("超额质量（eom）", "excess of mass (eom)")), ("leaf", ("叶节点（leaf）", "leaves (leaf)"))),
                                   label=("聚类选择", "Cluster selection"), help=("HDBSCAN 的聚类选择方式", "HDBSCAN cluster selection"))
    xi: float = param(0.05, minimum=0, maximum=1, above_minimum=True, advanced=True, when={"method": ("optics",)},
                      label=("OPTICS 陡度 ξ", "OPTICS xi"), help=("OPTICS 陡度参数 ξ", "OPTICS ξ steepness"))
    max_eps: float | None = param(None, kind="float", optional=True, minimum=0, above_minimum=True, unit="m", advanced=True,
                                  when={"method": ("optics",)}, label=("OPTICS 最大距离", "OPTICS search limit"),
                                  help=("OPTICS 的搜索上限（设定后更快）", "OPTICS search limit in metres (faster)"))
    n_clusters: int | None = param(None, kind="int", optional=True, minimum=1, maximum=10_000, flag="--k", metavar="N",
                                   when={"method": ("kmeans",)}, label=("聚类数", "Number of clusters"),
                                   help=("K 均值的聚类数（必填）", "number of clusters for k-means (required)"))
    seed: int = param(0, minimum=0, maximum=2**31 - 1, advanced=True, when={"method": ("kmeans",)},
                      label=("随机种子", "Random seed"), help=("K 均值的随机种子", "random seed for k-means"))
    time_window_days: float | None = param(None, kind="float", optional=True, minimum=0, above_minimum=True, unit="days",
                                           flag="--time-window", group=SPACE_TIME, advanced=True, label=("时间窗", "Time window"),
                                           help=("时空聚类：警情还须在这么多天之内", "space-time: incidents must also be within this many days"))
    time_distance_m: float | None = param(None, kind="float", optional=True, minimum=0, above_minimum=True, unit="m",
                                          flag="--time-distance", group=SPACE_TIME, advanced=True, label=("时间窗折算距离", "Time as distance"),
                                          help=("时空聚类（DBSCAN 除外）：一个时间窗折算的米数",
                                                "space-time (not DBSCAN): metres one time window counts as"))
    ellipse_sd: float = param(1.0, kind="choice", group=SHAPES, advanced=True,
                              choices=((1.0, ("1 倍标准差", "1 standard deviation")), (2.0, ("2 倍标准差", "2 standard deviations")),
                                       (3.0, ("3 倍标准差", "3 standard deviations"))),
                              label=("椭圆大小", "Ellipse size"), help=("标准差椭圆的标准差倍数", "standard deviations of the ellipses"))
    ellipse_sqrt2: bool = param(False, flag="--sqrt2", group=SHAPES, advanced=True, label=("√2 校正", "√2 adjustment"),
                                help=("按 ArcGIS 将椭圆轴乘以 √2", "scale the ellipse axes by √2 as ArcGIS does"))
    outlier_quantile: float = 0.9
    backend: str = param("auto", kind="choice", advanced=True, when={"method": ("hdbscan",)},
                         choices=(("auto", ("自动", "automatic")), ("hdbscan", ("hdbscan 包", "hdbscan package")),
                                  ("sklearn", ("scikit-learn", "scikit-learn"))),
                         label=("HDBSCAN 实现", "HDBSCAN implementation"), help=("默认用已安装的 hdbscan 包", "the hdbscan package if installed"))
    nnh_probability: float = param(0.5, minimum=0, maximum=0.5, above_minimum=True, flag="--probability", metavar="P",
                                   when={"method": ("nnh",)}, label=("NNH 阈值概率", "NNH threshold probability"),
                                   help=("NNH：阈值距离的单侧概率（0.5 为随机最近邻平均距离）",
                                         "NNH: one-tailed probability of the threshold distance (0.5: the mean random nearest-neighbour distance)"))
    study_area_km2: float | None = param(None, kind="float", optional=True, minimum=0, above_minimum=True, unit="km²", flag="--area-km2",
                                         when={"method": ("nnh",)}, label=("研究区面积", "Study area"),
                                         help=("NNH：计算随机最近邻距离的面积（默认警情外包矩形）",
                                               "NNH: the study area for the random nearest-neighbour distance (default: the incidents' bounding rectangle)"))

    def check(self) -> None:
        if self.method == "dbscan" and self.eps is None:
            raise InputError("dbscan needs --eps, the search distance in metres (for example --eps 100).")
        if self.method == "kmeans" and self.n_clusters is None:
            raise InputError("kmeans needs --k, the number of clusters.")

    def to_dict(self) -> dict:
        return asdict(self)


#: Each cluster its own colour (cycling the categorical palette, legend in numeric order); noise (-1)
#: as small grey dots beneath them.
CLUSTER_STYLE = {
    "type": "categorized", "field": "cluster_id", "color": CLUSTER_NOISE_COLOUR, "size": CLUSTER_POINT_SIZE, "others": "cycle",
    "classes": [{"value": CLUSTER_NOISE_ID, "color": CLUSTER_NOISE_COLOUR, "label": list(CLUSTER_NOISE_LABEL), "size": CLUSTER_NOISE_SIZE}],
}
HULL_STYLE = {"type": "single", "color": CLUSTER_HULL_COLOUR, "fill": "#00000000", "width": 1.5}

CLUSTER = method(
    "cluster", ("聚类分析", "Clustering"),
    ("警情聚类（HDBSCAN、DBSCAN、OPTICS、NNH、K 均值），给出凸包与标准差椭圆",
     "cluster incidents (HDBSCAN, DBSCAN, OPTICS, NNH, K-means) with convex hulls and standard deviational ellipses"),
    ClusterParams, "gisapp.analysis.clusters.clustering:run_cluster",
    (("clusters", ("聚类", "Clusters"), CLUSTER_STYLE),
     ("cluster_hulls", ("聚类凸包", "Cluster hulls"), HULL_STYLE),
     ("cluster_ellipses", ("标准差椭圆", "Standard deviational ellipses"), None, False)),
    group="clusters",
    description=("与 ArcGIS 相同的密度聚类（自适应 HDBSCAN、指定距离 DBSCAN、多尺度 OPTICS），或 CrimeStat 的最近邻层次聚类（NNH）与 K 均值；"
                 "--time-window 为时空聚类。",
                 "Density-based clustering as in ArcGIS (self-adjusting HDBSCAN, defined-distance DBSCAN, multi-scale OPTICS), or "
                 "CrimeStat's nearest-neighbour hierarchical clustering (NNH) and K-means; optional space-time clustering with --time-window."),
)

METHODS = (CLUSTER,)
