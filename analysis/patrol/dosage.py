"""A Koper-curve patrol dosage schedule: short random stops at each hotspot, about every two hours.

Koper (1995, Minneapolis Hot Spots data) found that the deterrence a patrol
leaves behind grows with the time it stays, up to about 10-15 minutes, after
which more time adds little; stops of that length at random times, roughly
every two hours, are the usual reading for hot-spot patrol ("the Koper curve
principle"). The schedule here applies it to a planned tour:

- a shift is cut into cycles of ``interval_minutes`` (120 by default);
- in each cycle the unit drives the planned tour, in its planned or reverse
  order (a coin flip per cycle, so the order is not predictable), and stops
  at every hotspot for a random whole number of minutes in
  ``[stop_min, stop_max]`` (10-15);
- a cycle starts at a random moment of its slack (interval minus the expected
  cycle time), never before the previous cycle has ended, so visits do not
  come at fixed times;
- a stop that would end after the shift is not scheduled.

When one cycle (tour plus stops) takes longer than the interval, cycles follow
one another without a break and each hotspot is revisited less often than
every interval; ``fits_interval`` is then False and the summary gives the
actual mean revisit time. The random draws come from ``numpy`` with ``seed``:
the same seed gives the same schedule.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from gisapp.analysis.patrol.methods import DEFAULT_SHIFTS, clock_minutes, shift_span
from gisapp.layers.errors import InputError


def _default_shifts() -> list:
    return [shift_span(item) for item in DEFAULT_SHIFTS]


@dataclass
class DosageParams:
    """The dosage schedule.

    Parameters
    ----------
    shifts : list of (name, start "HH:MM", end "HH:MM")
        An end at or before the start runs past midnight.
    interval_minutes : float
        Aimed-for time between two visits to the same hotspot.
    stop_min, stop_max : int
        Stop length range in whole minutes (inclusive).
    seed : int
    """

    shifts: list = field(default_factory=_default_shifts)
    interval_minutes: float = 120.0
    stop_min: int = 10
    stop_max: int = 15
    seed: int = 20240101

    def validate(self) -> None:
        if not self.shifts:
            raise InputError("The dosage schedule needs at least one shift, e.g. 白班 08:00-20:00.")
        for shift in self.shifts:
            if len(shift) != 3:
                raise InputError(f"A shift is (name, start, end), got {shift!r}.")
            clock_minutes(shift[1])
            clock_minutes(shift[2])
        if not self.interval_minutes > 0:
            raise InputError(f"The revisit interval must be positive, got {self.interval_minutes}.")
        if not (0 < self.stop_min <= self.stop_max):
            raise InputError(f"Stop lengths must satisfy 0 < min <= max, got {self.stop_min}-{self.stop_max}.")

    def to_dict(self) -> dict:
        return {
            "shifts": [list(s) for s in self.shifts],
            "interval_minutes": self.interval_minutes,
            "stop_minutes": [self.stop_min, self.stop_max],
            "seed": self.seed,
        }


def _clock(minutes: float) -> str:
    m = round(float(minutes)) % (24 * 60)
    return f"{m // 60:02d}:{m % 60:02d}"


def koper_schedule(stop_ids: list, legs: np.ndarray, params: DosageParams | None = None) -> tuple[pd.DataFrame, dict]:
    """Dosage schedule for a planned tour.

    Parameters
    ----------
    stop_ids : list
        Hotspot ids in tour order.
    legs : ndarray, shape (len(stop_ids) + 1,)
        Travel minutes: start to the first stop, between consecutive stops,
        last stop to the end.
    params : DosageParams, optional

    Returns
    -------
    schedule : DataFrame
        One row per stop: ``shift``, ``cycle`` (from 1), ``visit`` (within the
        cycle), ``stop_id``, ``arrive``, ``depart`` ("HH:MM"),
        ``stop_minutes``, ``arrive_min`` (minutes after the shift start).
    summary : dict
        ``cycle_minutes_expected``, ``fits_interval``, visits per shift, mean
        revisit minutes per hotspot.
    """
    params = params or DosageParams()
    params.validate()
    legs = np.asarray(legs, dtype=np.float64)
    n = len(stop_ids)
    if len(legs) != n + 1:
        raise ValueError("legs must have one more entry than stops")
    rng = np.random.default_rng(params.seed)
    mean_stop = (params.stop_min + params.stop_max) / 2
    expected = float(legs.sum() + n * mean_stop)
    rows = []
    for name, start_text, end_text in params.shifts:
        start, end = clock_minutes(start_text), clock_minutes(end_text)
        length = (end - start) % (24 * 60) or 24 * 60
        t_free = 0.0
        cycle = 0
        while n and t_free < length:
            window = cycle * params.interval_minutes
            if window >= length:
                break
            slack = max(0.0, params.interval_minutes - expected)
            t = max(window + float(rng.uniform(0, slack)), t_free)
            reverse = bool(rng.integers(0, 2))
            order = list(range(n))[::-1] if reverse else list(range(n))
            tour_legs = legs[::-1] if reverse else legs
            cycle += 1
            for visit, (k, leg) in enumerate(zip(order, tour_legs[:-1]), start=1):
                arrive = t + leg
                stay = int(rng.integers(params.stop_min, params.stop_max + 1))
                if arrive + stay > length:
                    t = length
                    break
                rows.append((name, cycle, visit, stop_ids[k], _clock(start + arrive), _clock(start + arrive + stay), stay, round(arrive, 1)))
                t = arrive + stay
            t_free = t + tour_legs[-1]
    schedule = pd.DataFrame(rows, columns=["shift", "cycle", "visit", "stop_id", "arrive", "depart", "stop_minutes", "arrive_min"])
    return schedule, _summary(schedule, expected, params)


def _summary(schedule: pd.DataFrame, expected: float, params: DosageParams) -> dict:
    gaps = []
    for _, visits in schedule.groupby(["shift", "stop_id"]):
        times = np.sort(visits["arrive_min"].to_numpy())
        gaps.extend(np.diff(times))
    return {
        "cycle_minutes_expected": round(expected, 1),
        "interval_minutes": params.interval_minutes,
        "fits_interval": bool(expected <= params.interval_minutes),
        "stops": len(schedule),
        "stops_per_shift": {str(k): int(v) for k, v in schedule.groupby("shift").size().items()},
        "mean_revisit_minutes": round(float(np.mean(gaps)), 1) if gaps else None,
        "stop_minutes_mean": round(float(schedule["stop_minutes"].mean()), 2) if len(schedule) else None,
        "principle": "Koper (1995): random 10-15 minute stops at each hotspot, about every two hours",
    }
