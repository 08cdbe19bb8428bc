"""The anticipation methods as every front end sees them: forecast, evaluate, alerts, profile.

Only the standard library is imported here (see :mod:`gisapp.analysis.core.contract`);
the work is in the modules each runner names.
"""

from __future__ import annotations

from dataclasses import dataclass

from gisapp.analysis.core.contract import method, param
from gisapp.layers.errors import InputError

FORECAST_METHODS = (
    ("prospective", ("前瞻热点（Bowers 等 2004）", "prospective hotspotting (Bowers, Johnson & Pease 2004)")),
    ("sepp", ("自激点过程（Mohler 等 2015）", "self-exciting point process (Mohler et al. 2015)")),
    ("rtm", ("风险地形建模（RTM）", "risk terrain modelling (Caplan & Kennedy)")),
    ("kde", ("核密度", "kernel density")),
    ("counts", ("上期计数", "last period's counts")),
)
EVALUATED = ("counts", "kde", "gistar", "prospective", "sepp", "rtm")
GRID = "grid"
MODEL = "model"
TEST = "test"


@dataclass
class ModelSettings:
    """The settings of the forecasting models, shared by ``forecast`` and ``evaluate``."""

    bandwidth: float = param(400.0, minimum=0, above_minimum=True, unit="m", group=MODEL,
                             label=("核密度半径", "KDE radius"), help=("核密度（四次核）的搜索半径", "search radius of the quartic KDE"))
    space_bandwidth: float = param(400.0, minimum=0, above_minimum=True, unit="m", group=MODEL, advanced=True,
                                   label=("前瞻空间带宽", "Prospective space bandwidth"),
                                   help=("前瞻热点的空间带宽（open_cp 默认 400 米）", "prospective hotspotting's space bandwidth (open_cp default 400 m)"))
    time_bandwidth: float = param(8.0, minimum=0, above_minimum=True, unit="weeks", group=MODEL, advanced=True,
                                  label=("前瞻时间带宽（周）", "Prospective time bandwidth (weeks)"),
                                  help=("前瞻热点的时间带宽（open_cp 默认 8 周）", "prospective hotspotting's time bandwidth (open_cp default 8 weeks)"))
    history_days: float = param(365.0, minimum=28, unit="days", group=MODEL, advanced=True,
                                label=("拟合历史天数", "History (days)"),
                                help=("自激点过程与风险地形拟合所用的历史天数", "days of history SEPP and RTM are fitted on"))
    tolerance: float = param(1e-5, minimum=0, above_minimum=True, maximum=0.1, group=MODEL, advanced=True,
                             label=("收敛容差", "EM tolerance"), help=("EM 参数变化低于此值即收敛", "EM stops when its parameters change by less than this"))
    max_iterations: int = param(300, minimum=1, maximum=100_000, group=MODEL, advanced=True,
                                label=("最大迭代次数", "EM iteration cap"), help=("EM 超过此次数仍未收敛则退回背景率", "EM gives up after this many iterations and falls back to the background rates"))
    factors: tuple = param(("areas",), kind="list", group=MODEL, metavar="LAYER[:TYPE]",
                           label=("风险因子图层", "Risk factors"),
                           help=("风险地形的因子图层，如 areas、areas:market、cameras 或文件", "RTM factor layers: areas (one factor per type), areas:market, cameras, or a file"))
    distances: tuple = param((100.0, 200.0, 400.0), kind="numbers", minimum=0, above_minimum=True, increasing=True, unit="m", group=MODEL,
                             label=("因子作用距离", "Factor distances"), help=("风险因子按这些距离计算邻近和密度", "distances at which each factor's proximity and density are measured"))
    study_area: str | None = param(None, kind="text", optional=True, group=GRID,
                                   label=("研究区域", "Study area"), help=("只在此区域、网格、乡镇或面文件内选取网格（默认：案件范围）", "restrict the cells to an area, grid, township or polygon file (default: the incidents' extent)"))


@dataclass
class ForecastParams(ModelSettings):
    """``gisapp forecast``."""

    method: str = param("prospective", kind="choice", choices=FORECAST_METHODS, group=GRID,
                        label=("预测方法", "Method"), help=("风险预测方法", "the forecasting method"))
    cell_size: float = param(200.0, minimum=10, unit="m", flag="--cell", group=GRID,
                             label=("格网大小", "Cell size"), help=("预测格网边长（米）", "width of the forecast cells in metres"))
    train_to: str | None = param(None, kind="date", optional=True, group=GRID,
                                 label=("训练截止日", "Train to"), help=("用到此日（含）为止的案件训练（默认：最后一起案件的日期）", "train on the incidents up to this day (default: the last incident's day)"))
    horizon: float = param(7.0, minimum=1, maximum=366, unit="days", group=GRID,
                           label=("预测天数", "Horizon (days)"), help=("预测之后多少天", "days ahead the forecast covers"))
    window: float | None = param(None, kind="float", optional=True, minimum=1, unit="days", group=GRID, advanced=True,
                                 label=("上期天数", "Last period (days)"), help=("计数与核密度所用的最近天数（默认等于预测天数）", "days of recent history for counts and KDE (default: the horizon)"))


@dataclass
class EvaluateParams(ModelSettings):
    """``gisapp evaluate``."""

    methods: tuple = param(("counts", "kde", "gistar", "prospective", "sepp"), kind="list", flag="--method", group=TEST, metavar="METHOD,...",
                           label=("检验的方法", "Methods"), help=("counts、kde、gistar、prospective、sepp、rtm，逗号分隔", "any of counts, kde, gistar, prospective, sepp, rtm (comma-separated)"))
    cell_size: float = param(200.0, minimum=10, unit="m", flag="--cell", group=TEST,
                             label=("格网大小", "Cell size"), help=("预测格网边长（米）", "width of the forecast cells in metres"))
    period: str = param("month", kind="choice", group=TEST,
                        choices=(("day", ("日", "day")), ("week", ("周", "week")), ("month", ("月", "month"))),
                        label=("检验周期", "Period"), help=("每个训练与检验时段的长度", "length of each training and test period"))
    train_periods: int = param(1, minimum=1, maximum=60, group=TEST,
                               label=("训练期数", "Training periods"), help=("计数、核密度、Gi* 用检验期之前的几期训练", "periods before each test period that train counts, KDE and Gi*"))
    coverage: tuple = param((1.0, 5.0, 10.0, 20.0), kind="numbers", minimum=0, above_minimum=True, maximum=100, increasing=True, unit="%", group=TEST,
                            label=("面积占比", "Coverages"), help=("报告命中率、PAI、PEI 的面积百分比", "area shares in percent at which hit rate, PAI and PEI are reported"))
    band: float | None = param(None, kind="float", optional=True, minimum=0, above_minimum=True, unit="m", group=TEST, advanced=True,
                               label=("Gi* 距离阈值", "Gi* band"), help=("Gi* 距离阈值（默认格网 × 1.414）", "Gi* distance band (default cell x 1.414)"))

    def check(self) -> None:
        unknown = [m for m in self.methods if m not in EVALUATED]
        if not self.methods or unknown:
            raise InputError(f"--method takes any of {', '.join(EVALUATED)}; got {', '.join(unknown) or 'nothing'}.")


@dataclass
class AlertsParams:
    """``gisapp alerts``."""

    unit: str = param("grids", kind="choice", choices=(("grids", ("网格", "grids")), ("square", ("正方形格网", "square cells")), ("areas", ("区域", "areas"))),
                      label=("预警单元", "Units"), help=("按网格、区域或正方形格网预警", "warn per grid, per area or per square cell"))
    step: str = param("week", kind="choice", choices=(("week", ("周", "week")), ("month", ("月", "month"))),
                      label=("时间步长", "Step"), help=("比较最近一周或一个月", "compare the latest week or month"))
    as_of: str | None = param(None, kind="date", optional=True,
                              label=("预警日期", "As of"), help=("检验此日之前最近一个完整时段（默认：最后一起案件）", "test the latest complete step up to this day (default: the last incident)"))
    baseline: int = param(8, minimum=2, maximum=104,
                          label=("基线期数", "Baseline steps"), help=("与之前多少个时段比较", "steps before the latest that make its expectation"))
    alpha: float = param(0.05, minimum=0, above_minimum=True, maximum=0.5,
                         label=("显著性水平", "Significance level"), help=("预警的显著性水平", "significance level of an alert"))
    fdr: bool = param(True, label=("FDR 校正", "FDR correction"), help=("按错误发现率校正多个单元", "correct for testing many units (False Discovery Rate)"))
    cell_size: float = param(500.0, minimum=10, unit="m", flag="--cell", when={"unit": ("square",)},
                             label=("格网大小", "Cell size"), help=("正方形格网边长（米）", "width of the square cells in metres"))


@dataclass
class ProfileParams:
    """``gisapp profile``."""

    ids: tuple = param((), kind="list", metavar="ID,ID,...", label=("案件编号", "Case ids"),
                       help=("串案的案件编号，逗号分隔", "case ids of the series, comma-separated"))
    chain: int | None = param(None, kind="int", optional=True, minimum=1,
                              label=("近重复链", "Near-repeat chain"), help=("取近重复分析的第 N 条链", "take the events of near-repeat chain N"))
    method: str = param("cgt", kind="choice", choices=(("cgt", ("Rossmo 犯罪地理定位", "Rossmo's criminal geographic targeting")),
                                                       ("jtc", ("CrimeStat 作案路程", "CrimeStat journey to crime"))),
                        label=("方法", "Method"), help=("地理画像方法", "geographic profiling model"))
    anchor: tuple | None = param(None, kind="point", optional=True,
                                 label=("已知落脚点", "Known anchor"), help=("已知落脚点（经度,纬度），用于计算命中分", "known anchor (lon,lat) for the hit score"))
    cell_size: float | None = param(None, kind="float", optional=True, minimum=1, unit="m", flag="--cell", advanced=True,
                                    label=("格网大小", "Cell size"), help=("概率面格网边长（默认：搜索区长边 / 100）", "cell width (default: the search area's longer side / 100)"))
    buffer: float | None = param(None, kind="float", optional=True, minimum=0, above_minimum=True, unit="m", advanced=True, when={"method": ("cgt",)},
                                 label=("缓冲区半径", "Buffer radius"), help=("Rossmo 缓冲区半径（默认：案发地点间平均距离的一半）", "Rossmo's buffer B (default: half the mean distance between the crime sites)"))
    f: float = param(1.2, minimum=0, above_minimum=True, maximum=10, advanced=True, when={"method": ("cgt",)},
                     label=("衰减指数 f", "Exponent f"), help=("缓冲区外的距离衰减指数", "distance decay beyond the buffer"))
    g: float = param(1.2, minimum=0, above_minimum=True, maximum=10, advanced=True, when={"method": ("cgt",)},
                     label=("衰减指数 g", "Exponent g"), help=("缓冲区内的衰减指数", "decay inside the buffer"))
    decay_distance: float | None = param(None, kind="float", optional=True, minimum=0, above_minimum=True, unit="m", advanced=True, when={"method": ("jtc",)},
                                         label=("衰减距离", "Decay distance"), help=("负指数衰减的距离尺度 1/β（默认由数据估计）", "1/beta of the negative exponential (default: from the data)"))
    solved: str | None = param(None, kind="text", optional=True, advanced=True, when={"method": ("jtc",)}, metavar="SOLVED.csv",
                               label=("已破案件表", "Solved cases"), help=("含 distance_m 列的已破案件表，用于拟合距离衰减", "table of solved cases with distance_m, to fit the distance decay"))
    link_distance: float = param(200.0, minimum=0, above_minimum=True, unit="m", advanced=True,
                                 label=("链接距离", "Link distance"), help=("无近重复结果时，判定链的距离", "chain link distance when no near-repeat result is given"))
    link_days: float = param(7.0, minimum=0, above_minimum=True, unit="days", advanced=True,
                             label=("链接天数", "Link days"), help=("无近重复结果时，判定链的天数", "chain link days when no near-repeat result is given"))

    def check(self) -> None:
        if bool(self.ids) == (self.chain is not None):
            raise InputError("Give the series either by --ids ID,ID,... or by --chain N (one of them).")


FORECAST = method(
    "forecast", ("风险预测", "Forecast"),
    ("下一时段每个格网的风险：前瞻热点、自激点过程、风险地形、核密度或上期计数", "risk per cell for the next days: prospective, SEPP, RTM, KDE or last period's counts"),
    ForecastParams, "gisapp.analysis.forecast.predict:run_forecast",
    (("forecast", ("风险预测", "Forecast"), {"type": "graduated", "field": "risk", "color": "#c0392b"}),),
    uses=("areas", "grids", "cameras", "roads"), group="forecast",
)
EVALUATE = method(
    "evaluate", ("预测检验", "Forecast evaluation"),
    ("滚动检验各预测方法：命中率、PAI、PEI、对数得分与 Brier 得分，并判断是否胜过上期计数",
     "rolling evaluation of the forecasts: hit rate, PAI, PEI, log and Brier scores, and whether each beats last period's counts"),
    EvaluateParams, "gisapp.analysis.forecast.evaluation:run_evaluate",
    (("evaluation", ("预测检验", "Forecast evaluation")),),
    uses=("areas", "grids", "cameras", "roads"), group="forecast",
)
ALERTS = method(
    "alerts", ("预警", "Early warning"),
    ("每个网格最近一周（月）案件数是否显著高于近期基线", "is each unit's latest week (month) significantly above its recent baseline"),
    AlertsParams, "gisapp.analysis.forecast.alerts:run_alerts",
    (("alerts", ("预警", "Alerts"), {"type": "categorized", "field": "alert", "color": "#bdbdbd", "categories": {"True": "#d7191c", "False": "#eeeeee"}}),),
    uses=("grids", "areas"), group="forecast",
)
PROFILE = method(
    "profile", ("串案地理画像", "Series profile"),
    ("由串案发案地点推断作案人落脚点的概率面（Rossmo CGT 或 CrimeStat 作案路程）", "probability surface of a series offender's anchor (Rossmo CGT or CrimeStat journey to crime)"),
    ProfileParams, "gisapp.analysis.forecast.profile:run_profile",
    (("profile", ("地理画像", "Geographic profile"), {"type": "graduated", "field": "probability", "color": "#6a1b9a"}),
     ("profile_peak", ("画像峰值", "Profile peak"), {"type": "single", "color": "#000000", "size": 10}),
     ("profile_series", ("串案事件", "Series events"), {"type": "single", "color": "#d7191c", "size": 6})),
    group="forecast",
)

METHODS = (FORECAST, EVALUATE, ALERTS, PROFILE)
