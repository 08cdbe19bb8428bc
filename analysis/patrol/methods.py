"""The patrol methods as every front end sees them: route exposure, and route planning (``patrol --plan``).

Only the standard library is imported here (see :mod:`gisapp.analysis.core.contract`):
the command line reads these declarations to build its parser before any
scientific package loads. The work itself is in :mod:`.exposure` and
:mod:`.plan`, whose runners the declarations name. Route planning is a switch
of the ``patrol`` command (``gisapp patrol --plan``) and a method of its own
in the window.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from gisapp.analysis.cameras.methods import hotspot_cells_param, hotspot_level_param
from gisapp.analysis.core.contract import method, param
from gisapp.layers.errors import InputError
from gisapp.palette import PATROL_NAIVE_COLOUR, PATROL_PLAN_COLOUR, PATROL_STOP_FILL, PATROL_STOP_SIZE

#: Shifts of the dosage schedule when none are given: day and night, twelve hours each.
DEFAULT_SHIFTS = ("白班=08:00-20:00", "夜班=20:00-08:00")
#: The parameter a plan takes its start stations from by default: the input's layer of that kind.
STATIONS = "stations"
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*$")


def speed_param():
    """The ``--speed`` parameter, shared by route exposure and route planning."""
    return param(
        20.0, minimum=0, above_minimum=True, unit="km/h", flag="--speed", metavar="KMH",
        label=("巡逻速度", "Patrol speed"), help=("把路程换算成时间的巡逻速度", "patrol speed that turns length into time"),
    )


def clock_minutes(text: str) -> int:
    """Minutes after midnight of ``"HH:MM"`` (24:00 allowed)."""
    match = _CLOCK.match(str(text))
    if not match or int(match.group(1)) > 24 or int(match.group(2)) > 59 or (int(match.group(1)) == 24 and int(match.group(2))):
        raise InputError(f"A shift time must look like 08:00, got {text!r}.")
    return int(match.group(1)) * 60 + int(match.group(2))


def shift_span(item: str) -> tuple[str, str, str]:
    """``"白班=08:00-20:00"`` -> ``("白班", "08:00", "20:00")``; the times are checked."""
    name, sep, span = str(item).partition("=")
    start, dash, end = span.partition("-")
    if not sep or not dash or not name.strip():
        raise InputError(f"--shift takes NAME=HH:MM-HH:MM, e.g. 白班=08:00-20:00; got {item!r}.")
    clock_minutes(start)
    clock_minutes(end)
    return name.strip(), start.strip(), end.strip()


def start_lonlat(text: str) -> tuple[float, float, str]:
    """``(lon, lat, note)`` of a start given as ``LON,LAT`` in degrees.

    A pair that can only be latitude,longitude (the first number within ±90,
    the second beyond) is swapped, and ``note`` says so.
    """
    try:
        a, b = (float(v) for v in str(text).replace("，", ",").split(","))
    except ValueError:
        raise InputError(f"--start takes longitude,latitude, e.g. 105.09,31.09; got {text!r}.") from None
    note = ""
    if abs(a) <= 90 < abs(b) <= 180:
        a, b = b, a
        note = f"--start {text} looked like latitude,longitude: read as {a},{b}"
    if not (math.isfinite(a) and math.isfinite(b) and -180 <= a <= 180 and -90 <= b <= 90):
        raise InputError(f"--start {text} is not a longitude,latitude pair.")
    return a, b, note


@dataclass
class ExposureParams:
    """Route exposure settings (see :mod:`gisapp.analysis.patrol.exposure`).

    Parameters
    ----------
    corridor_width_m : float
        Full width of the corridor around a route (half on each side).
    speed_kmh : float
        Patrol speed for the time estimate.
    hotspots : str
        ``"auto"``, or a layer of the input or a file holding ``gi_bin`` cells.
    min_gi_bin : int
        Hotspot cells are those with ``gi_bin`` at least this.
    """

    corridor_width_m: float = param(
        100.0, minimum=0, above_minimum=True, unit="m", flag="--corridor",
        label=("走廊宽度", "Corridor width"), help=("路线两侧合计的走廊宽度（每侧一半）", "corridor width around each route, both sides together"),
    )
    speed_kmh: float = speed_param()
    hotspots: str = hotspot_cells_param()
    min_gi_bin: int = hotspot_level_param()

    def validate(self) -> None:
        """The front ends' checks, for parameters built in code: declared bounds and choices."""
        PATROL.build(PATROL.values_of(self))


@dataclass
class PlanParams:
    """Patrol planning settings (see :mod:`gisapp.analysis.patrol.plan`).

    Parameters
    ----------
    start : str, optional
        ``LON,LAT`` in WGS84 degrees; when empty the tour starts at a station.
    stations : str
        The station points: a layer of the input (by default its ``stations``
        layer) or a file.
    station : str, optional
        Which station, by name or id (the first one when empty).
    budget_minutes : float
        Time for the whole tour, travel and stops.
    dwell_minutes : float
        Minutes stopped at each hotspot, counted in the budget. The default
        12.5 is the mean Koper stop (10-15 minutes), so a 60-minute tour
        repeated every two hours is a Koper schedule; 0 plans a drive-past.
    one_way : bool
        The tour need not end back at the start.
    hotspots, min_gi_bin
        The hotspot cells, as for route exposure.
    merge_radius_m : float
        Hotspot cells within this distance of a more valuable hotspot cell
        are served by the same stop (see :func:`~gisapp.analysis.patrol.plan.hotspot_places`);
        0 keeps every cell a stop of its own.
    max_targets : int
        At most this many hotspot places (the most valuable) are targets.
    speed_kmh, max_snap_m : float
        Road network speed and snapping (:class:`~gisapp.analysis.core.road_network.NetworkParams`).
    shifts : tuple of str
        ``NAME=HH:MM-HH:MM`` of the dosage schedule; an end at or before the start runs past midnight.
    interval_minutes : float
        Aimed-for time between two visits to the same hotspot.
    seed : int
        Seed of the random stop times and lengths
        (:class:`~gisapp.analysis.patrol.dosage.DosageParams`).
    """

    start: str | None = param(
        None, kind="text", optional=True, metavar="LON,LAT",
        label=("起点", "Start"),
        help=("出发点的经纬度（WGS84），如 105.09,31.09；不填则从派出所出发",
              "the start as WGS84 longitude,latitude, e.g. 105.09,31.09; without it the tour starts at a station"),
    )
    stations: str = param(
        STATIONS, kind="layer", metavar="LAYER|FILE", when={"start": (None,)},
        label=("派出所图层", "Stations"),
        help=("派出所/警务室点：输入中的图层或文件（默认输入的 stations 图层）；没有起点时从这里出发",
              "station points (派出所): a layer of the input or a file; the tour starts at one of them when no start is given"),
    )
    station: str | None = param(
        None, kind="text", optional=True, metavar="NAME", when={"start": (None,)},
        label=("出发派出所", "Station"),
        help=("按名称或编号选择派出所；不填则取第一个", "which station, by name or id (the first one when not given)"),
    )
    budget_minutes: float = param(
        60.0, minimum=0, above_minimum=True, unit="min", flag="--budget", metavar="MIN",
        label=("时间预算", "Time budget"), help=("整趟巡逻（行驶加停留）的分钟数", "minutes for the tour, travel and stops"),
    )
    dwell_minutes: float = param(
        12.5, minimum=0, unit="min", flag="--dwell", metavar="MIN",
        label=("停留时间", "Stop time"),
        help=("每个热点停留的分钟数：12.5 为 Koper 停留的平均值，0 为驶过",
              "minutes stopped at each hotspot: 12.5 is the mean Koper stop, 0 drives past"),
    )
    one_way: bool = param(
        False, flag="--one-way",
        label=("不返回起点", "One way"), help=("巡逻结束后不必回到起点", "the tour need not return to the start"),
    )
    hotspots: str = hotspot_cells_param()
    min_gi_bin: int = hotspot_level_param()
    merge_radius_m: float = param(
        300.0, minimum=0, unit="m", flag="--merge-radius", advanced=True,
        label=("热点合并半径", "Merge radius"),
        help=("离更重要的热点单元这么近的单元共用一个停靠点（0 不合并）", "hotspot cells this close to a more valuable one share its stop (0: no merging)"),
    )
    max_targets: int = param(
        50, minimum=1, flag="--max-targets", advanced=True,
        label=("考虑的热点数", "Hotspots considered"), help=("只考虑价值最高的这么多个热点", "the most valuable hotspot places considered"),
    )
    speed_kmh: float = speed_param()
    max_snap_m: float = param(
        300.0, minimum=0, above_minimum=True, unit="m", flag="--max-snap", advanced=True,
        label=("最大吸附距离", "Largest snap distance"),
        help=("离道路超过此距离的点不在路网上", "points farther than this from a road are off the network"),
    )
    shifts: tuple = param(
        DEFAULT_SHIFTS, kind="list", flag="--shift", metavar="NAME=HH:MM-HH:MM", advanced=True,
        label=("班次", "Shifts"),
        help=("巡逻剂量安排的班次，名称=开始-结束（可重复或用逗号分隔）", "shifts of the dosage schedule as NAME=HH:MM-HH:MM (repeatable, or comma-separated)"),
    )
    interval_minutes: float = param(
        120.0, minimum=0, above_minimum=True, unit="min", flag="--interval", metavar="MIN", advanced=True,
        label=("回访间隔", "Revisit interval"), help=("同一热点两次巡访之间力求的分钟数", "aimed-for minutes between two visits to a hotspot"),
    )
    seed: int = param(
        20240101, minimum=0, maximum=2**31 - 1, advanced=True,
        label=("随机种子", "Random seed"), help=("停留时刻和时长的随机种子：相同种子给出相同安排", "seed of the random stop times and lengths: the same seed gives the same schedule"),
    )

    @property
    def return_to_start(self) -> bool:
        return not self.one_way

    def check(self) -> None:
        """Rules the kinds cannot state: a start that reads as longitude,latitude; at least one well-formed shift."""
        if self.start is not None:
            start_lonlat(self.start)
        if not self.shifts:
            raise InputError("The dosage schedule needs at least one shift, e.g. --shift 白班=08:00-20:00.")
        self.shift_spans()

    def shift_spans(self) -> list[tuple[str, str, str]]:
        """The shifts as ``(name, "HH:MM", "HH:MM")``."""
        return [shift_span(item) for item in self.shifts]

    def validate(self) -> None:
        """The front ends' checks, for parameters built in code: declared bounds and choices, then :meth:`check`."""
        PLAN.build(PLAN.values_of(self))


#: The planned tour with its start and direction, above a white casing; the naive tour dashed and grey beside it.
PLAN_STYLE = {
    "type": "categorized", "field": "tour", "color": PATROL_PLAN_COLOUR, "width": 4, "arrows": True, "start_marker": True,
    "casing": "#ffffff",
    "classes": [{"value": "plan", "color": PATROL_PLAN_COLOUR, "label": ["规划路线", "Planned tour"], "width": 4},
                {"value": "naive", "color": PATROL_NAIVE_COLOUR, "label": ["就近路线（对比）", "Nearest-next tour (comparison)"],
                 "width": 2, "dash": True}],
}
#: Numbered stops: white discs ringed in the plan colour with their order inside.
STOPS_STYLE = {"type": "single", "color": PATROL_STOP_FILL, "outline": PATROL_PLAN_COLOUR, "size": PATROL_STOP_SIZE,
               "label": "order", "label_position": "center"}

#: What existing patrol routes pass.
PATROL = method(
    "patrol", ("巡逻路线覆盖", "Patrol route exposure"),
    ("每条巡逻路线沿线的警情和热点单元，以及没有路线经过的热点",
     "incidents and hotspot cells along each patrol route, and the hotspot cells no route passes"),
    ExposureParams, "gisapp.analysis.patrol.exposure:run_patrol",
    (("route_exposure", ("路线覆盖", "Route exposure"), {"type": "single", "color": "#00897b", "width": 4}),
     ("corridors", ("路线走廊", "Route corridors"), None, False),
     ("unpatrolled_hotspots", ("无巡逻热点", "Unpatrolled hotspots"), None, False)),
    needs=("incidents", "routes"), uses=("roads",), group="patrol",
    description=(("不加 --plan：每条巡逻路线的长度、用时、走廊内的警情和热点单元，以及没有路线经过的热点单元。"
                  "加 --plan：从派出所出发、在 --budget 分钟内沿道路访问热点价值最高的巡逻路线，与“就近下一个热点”的简单路线比较，"
                  "并给出 Koper 剂量安排（每班约每两小时一次、每次随机停留 10-15 分钟）。"),
                 ("Without --plan: for each patrol route, its length, time, and the incidents and hotspot cells within its corridor, "
                  "plus the hotspot cells no route passes. With --plan: a tour on the roads from a station that visits the most "
                  "hotspot value within --budget minutes, compared with the naive nearest-hotspot-next tour, and a Koper dosage "
                  "schedule (random 10-15 minute stops about every two hours per shift).")),
)

#: A hotspot tour within a time budget, with a Koper dosage schedule.
PLAN = method(
    "plan", ("巡逻路线规划", "Patrol route planning"),
    ("从派出所出发、在时间预算内沿道路访问热点价值最高的巡逻路线，及 Koper 剂量安排",
     "a tour on the roads from a station that visits the most hotspot value within the time budget, with a Koper dosage schedule"),
    PlanParams, "gisapp.analysis.patrol.plan:run_plan",
    (("patrol_plan", ("巡逻路线规划", "Patrol plan"), PLAN_STYLE),
     ("stops", ("停靠点", "Stops"), STOPS_STYLE),
     ("dosage", ("剂量安排", "Dosage schedule"), None, False),
     ("unreachable_hotspots", ("无法到达的热点", "Unreachable hotspots"), None, False)),
    needs=("incidents", "roads"), group="patrol", variant_of="patrol", variant_flag="--plan",
)

METHODS = (PATROL, PLAN)
