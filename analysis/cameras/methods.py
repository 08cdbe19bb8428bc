"""The camera methods as every front end sees them: coverage (blind spots) and siting new cameras.

Only the standard library is imported here (see :mod:`gisapp.analysis.core.contract`):
the command line reads these declarations to build its parser before any
scientific package loads. The work itself is in :mod:`.coverage` and
:mod:`.siting`, whose runners the declarations name.

The hotspot-cell parameters are shared with the patrol methods
(:mod:`gisapp.analysis.patrol.methods`), so that ``--hotspots`` and
``--min-bin`` mean the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from gisapp.analysis.core.contract import AUTO, method, param
from gisapp.palette import (
    BLIND_SPOT_COLOUR,
    BLIND_SPOT_WIDTH,
    CAMERA_SITE_COLOUR,
    CAMERA_SITE_OUTLINE,
    CAMERA_SITE_SIZE,
    CAMERA_SITE_SYMBOL,
)

HOTSPOT_CELLS = "hotspot cells"
CAMERA_DEFAULTS = "camera defaults (for cameras that lack a value; every use is reported)"
#: How candidate sites are generated along the roads (else: a point layer or file of candidate sites).
CANDIDATE_KINDS = ("spacing", "intersections", "vertices")
SOLVERS = (
    (AUTO, ("自动（规模小时求最优解，否则贪心）", "automatic (optimal when small enough, else greedy)")),
    ("mclp", ("最优解（最大覆盖选址 MCLP）", "optimal (maximal covering, MCLP)")),
    ("greedy", ("贪心（快，至少达最优的 63%）", "greedy (fast, at least 63% of the optimum)")),
)
HOTSPOT_LEVELS = (
    (1, ("90% 及以上", "90% and above")),
    (2, ("95% 及以上", "95% and above")),
    (3, ("仅 99%", "99% only")),
)
#: Blind spots must stand out from the red hot cells beside them: a hatched, thick-bordered outline that
#: leaves the cells (and the cameras drawn above) visible.
BLIND_STYLE = {"type": "single", "color": BLIND_SPOT_COLOUR, "fill": "#00000000", "hatch": "diagonal", "width": BLIND_SPOT_WIDTH,
               "outline_merged": True}
#: Proposed sites: a star with its rank (the ``order`` column) beside it.
SITE_STYLE = {"type": "single", "color": CAMERA_SITE_COLOUR, "outline": CAMERA_SITE_OUTLINE, "symbol": CAMERA_SITE_SYMBOL,
              "size": CAMERA_SITE_SIZE, "label": "order", "label_position": "right"}


def hotspot_cells_param():
    """The ``--hotspots`` parameter: which hotspot cells a camera or patrol analysis judges against."""
    return param(
        AUTO, kind="layer", words=(AUTO,), layer_kinds=("gi_bin",), flag="--hotspots", metavar="auto|LAYER|FILE", group=HOTSPOT_CELLS,
        label=("热点单元", "Hotspot cells"),
        help=("热点分析（gisapp hotspot）的结果图层或文件；auto：输入中最新的热点结果，没有则与 gisapp hotspot 相同（自动尺度）现算",
              ("a result of 'gisapp hotspot' (a layer of the input or a file); auto: the input's newest hot-spot result, "
               "else computed as 'gisapp hotspot' does (automatic scale), as the briefing and the printed map do")),
    )


def hotspot_level_param():
    """The ``--min-bin`` parameter: the Gi* confidence bin from which a cell counts as a hotspot."""
    return param(
        2, kind="choice", choices=HOTSPOT_LEVELS, flag="--min-bin", group=HOTSPOT_CELLS,
        label=("热点置信度", "Hotspot level"),
        help=("gi_bin 不低于此级的单元算热点（2 = 95% 置信度）", "cells with gi_bin at least this count as hotspots (2 = 95% confidence)"),
    )


def obstacles_param():
    """The ``--obstacles`` parameter: polygons that block a camera's view."""
    return param(
        None, kind="layer", optional=True, flag="--obstacles", metavar="LAYER|FILE",
        label=("遮挡物", "Obstacles"),
        help=("遮挡视线的建筑或围墙面（图层或文件）；不设置则不考虑遮挡", "building or wall polygons that block the view (line of sight): a layer or a file"),
    )


@dataclass
class CameraDefaults:
    """Values assumed for a camera whose register lacks them (each use is reported).

    The engine's :class:`gisapp.analysis.cameras.geometry.CameraParams` extends
    these with the settings no front end offers (checkpoint field of view,
    missing headings, arc resolution).
    """

    fixed_fov_deg: float = param(
        70.0, minimum=0, above_minimum=True, maximum=360, unit="deg", flag="--fixed-fov", metavar="DEG", group=CAMERA_DEFAULTS, advanced=True,
        label=("枪机视角", "Fixed camera field of view"), help=("缺少视角的枪机按此视角计算", "field of view of a fixed camera that has none"),
    )
    fixed_range_m: float = param(
        80.0, minimum=0, above_minimum=True, unit="m", flag="--fixed-range", group=CAMERA_DEFAULTS, advanced=True,
        label=("枪机视距", "Fixed camera range"), help=("缺少视距的枪机按此距离计算", "range of a fixed camera that has none"),
    )
    dome_range_m: float = param(
        60.0, minimum=0, above_minimum=True, unit="m", flag="--dome-range", group=CAMERA_DEFAULTS, advanced=True,
        label=("球机视距", "Dome camera range"), help=("缺少视距的球机按此半径计算", "range of a dome camera that has none"),
    )
    checkpoint_range_m: float = param(
        40.0, minimum=0, above_minimum=True, unit="m", flag="--checkpoint-range", group=CAMERA_DEFAULTS, advanced=True,
        label=("卡口视距", "Checkpoint range"), help=("缺少视距的卡口相机按此距离计算", "range of a checkpoint camera that has none"),
    )


@dataclass
class CoverageParams(CameraDefaults):
    """How coverage and blind spots are judged (see :mod:`gisapp.analysis.cameras.coverage`).

    Parameters
    ----------
    hotspots : str
        ``"auto"``, or a layer of the input or a file holding ``gi_bin`` cells.
    min_gi_bin : int
        Hotspot cells are those with ``gi_bin`` at least this (2: 95 %).
    max_covered_share : float
        A hotspot cell is a blind spot when cameras see less than this share of its incidents.
    top : int
        Blind spots (and least-covered grids) listed in the summary; the layers hold all.
    obstacles : str, optional
        A layer or file of polygons that block the view.
    """

    hotspots: str = hotspot_cells_param()
    min_gi_bin: int = hotspot_level_param()
    max_covered_share: float = param(
        0.5, minimum=0, above_minimum=True, maximum=1, flag="--blind-share", metavar="SHARE",
        label=("盲区阈值", "Blind-spot share"),
        help=("摄像头看到的警情少于此比例的热点单元算盲区", "a hotspot cell is a blind spot when cameras see under this share (0-1) of its incidents"),
    )
    top: int = param(
        10, minimum=0, flag="--top",
        label=("列出盲区数", "Blind spots listed"), help=("摘要列出的盲区个数（图层包含全部）", "blind spots listed in the summary (the layer holds all)"),
    )
    obstacles: str | None = obstacles_param()

    def validate(self) -> None:
        """The front ends' checks, for parameters built in code: declared bounds and choices."""
        COVERAGE.build(COVERAGE.values_of(self))


@dataclass
class SitingParams(CameraDefaults):
    """What to optimise and how (see :mod:`gisapp.analysis.cameras.siting`).

    Parameters
    ----------
    n_new : int
        Number of new camera sites.
    candidates : str
        ``"spacing"``, ``"intersections"`` or ``"vertices"`` (generated from
        the roads, see :func:`gisapp.analysis.core.road_network.candidate_points`),
        or a point layer of the input or a point file of candidate sites.
    spacing_m : float
        Distance between candidates along roads (``"spacing"``).
    new_range_m : float
        A new camera sees a disc of this radius.
    method : {"auto", "mclp", "greedy"}
    time_limit_s : float
        CBC stops after this many seconds with the best solution found.
    weight_field : str, optional
        Incident column used as demand weight (1 per incident by default).
    obstacles : str, optional
        A layer or file of polygons that block the view.
    max_exact_candidates : int
        ``auto`` uses greedy above this many (reduced) candidate sites.
    """

    n_new: int = param(
        10, minimum=1, flag="--n",
        label=("新增摄像头数", "New cameras"), help=("要布设的新摄像头个数", "number of new cameras to place"),
    )
    candidates: str = param(
        "spacing", kind="layer", words=CANDIDATE_KINDS, flag="--candidates", metavar="spacing|intersections|vertices|LAYER|FILE",
        label=("候选点位", "Candidate sites"),
        help=("沿道路每隔一定距离（含路口）、仅路口、道路节点，或给定的候选点图层/文件",
              "spacing (every --spacing m along the roads, plus junctions), intersections, vertices, or a point layer or file of sites"),
    )
    spacing_m: float = param(
        50.0, minimum=0, above_minimum=True, unit="m", flag="--spacing", when={"candidates": ("spacing",)},
        label=("候选点间距", "Candidate spacing"), help=("沿道路相邻候选点的距离", "distance between candidate sites along the roads"),
    )
    new_range_m: float = param(
        60.0, minimum=0, above_minimum=True, unit="m", flag="--range",
        label=("新摄像头视距", "New camera range"), help=("新摄像头（球机）看到的圆的半径", "a new (dome) camera sees a disc of this radius"),
    )
    method: str = param(
        AUTO, kind="choice", choices=SOLVERS, flag="--method",
        label=("求解方法", "Solver"),
        help=("mclp 用 CBC 求最优解（受求解时限约束），greedy 快且至少达最优的 63%；auto 在规模小时用 mclp，否则 greedy",
              ("mclp solves optimally with CBC (within the time limit), greedy is fast and reaches at least 63% of the optimum; "
               "auto uses mclp when the problem is small enough, else greedy")),
    )
    time_limit_s: float = param(
        60.0, minimum=0, above_minimum=True, unit="s", flag="--time-limit", metavar="S", when={"method": (AUTO, "mclp")},
        label=("求解时限", "Time limit"), help=("最优求解最多运行的秒数，到时给出已找到的最好解", "seconds the optimiser may run; then the best solution found is used"),
    )
    weight_field: str | None = param(
        None, kind="field", optional=True, flag="--weight", metavar="COLUMN", advanced=True,
        label=("权重字段", "Weight field"), help=("按此警情字段加权（默认每起 1）", "incident column to weight by (1 per incident by default)"),
    )
    obstacles: str | None = obstacles_param()
    max_exact_candidates: int = 6000

    def validate(self) -> None:
        """The front ends' checks, for parameters built in code: declared bounds and choices."""
        SITE_CAMERAS.build(SITE_CAMERAS.values_of(self))


#: Camera coverage of incidents, hotspots, grids and areas; blind spots.
COVERAGE = method(
    "coverage", ("天网覆盖与盲区", "Camera coverage and blind spots"),
    ("摄像头看到的警情和热点比例；按未覆盖警情排序的盲区；网格和区域的覆盖",
     "share of incidents and hotspots the cameras see; blind spots ranked by uncovered incidents; coverage of grids and areas"),
    CoverageParams, "gisapp.analysis.cameras.coverage:run_coverage",
    (("blind_spots", ("盲区", "Blind spots"), BLIND_STYLE),
     ("camera_coverage", ("摄像头视域", "Camera footprints"), None, False),
     ("hotspot_coverage", ("热点单元覆盖", "Hotspot cell coverage"), None, False),
     ("grid_coverage", ("网格覆盖", "Grid coverage"), None, False),
     ("area_coverage", ("区域覆盖", "Area coverage"), None, False)),
    needs=("incidents", "cameras"), uses=("grids", "areas", "roads"), group="cameras",
    description=("天网对警情、热点单元、网格和区域的覆盖。盲区：gi_bin 不低于 --min-bin、摄像头看到的警情少于 --blind-share 的热点单元，按未覆盖警情排序。",
                 ("Camera coverage (天网) of incidents, hotspot cells, grid cells and areas. Blind spots are hotspot cells "
                  "(gi_bin >= --min-bin) where cameras see under --blind-share of the incidents, ranked by uncovered incidents.")),
)

#: Maximal covering location of new cameras.
SITE_CAMERAS = method(
    "site-cameras", ("新增摄像头选址", "Camera siting"),
    ("N 个新摄像头布在哪里能看到最多警情（最大覆盖选址，保留现有摄像头）",
     "choose N new camera sites that see the most incidents (maximal covering, existing cameras kept)"),
    SitingParams, "gisapp.analysis.cameras.siting:run_site_cameras",
    (("camera_sites", ("新摄像头点位", "New camera sites"), SITE_STYLE),
     ("new_coverage", ("新摄像头视域", "New camera footprints"), None, False)),
    uses=("cameras", "roads"), group="cameras",
    description=(("最大覆盖选址：在道路上的候选点（或给定的点图层/文件）中选 --n 个新点位，使看到的警情最多，现有在线摄像头保留。"
                  "规模小时用 spopt/PuLP（CBC）求最优解，否则用贪心法（至少达最优的 1-1/e，通常只差几个百分点）。"),
                 ("Maximal covering location problem: choose --n new sites among candidates on the roads (or a point layer "
                  "or file) so that the most incidents are seen, keeping the existing online cameras. Solved optimally with "
                  "spopt/PuLP (CBC) when the problem is small enough, else greedily (within 1-1/e of the optimum, usually "
                  "within a few per cent).")),
)

METHODS = (COVERAGE, SITE_CAMERAS)
