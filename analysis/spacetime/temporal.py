"""Temporal profiles of incidents: hour x weekday, monthly trend, market-day effect.

Three questions an analyst asks of a place before planning patrols:

- **When in the week?** The hour-of-day x weekday table (24 x 7 counts;
  weekdays are ISO, Monday = 1).
- **Rising or falling?** Counts per calendar month (months without incidents
  count as 0), with the Mann-Kendall trend test (:mod:`gisapp.analysis.stats.trend`) and
  Sen's slope (the median of the pairwise slopes, Sen 1968), the usual
  companion estimate of the change per month.
- **Does it follow the market?** Rural Chinese markets (集市, 赶集) meet on a
  fixed rhythm: every few days, or on dates ending in given digits (逢一四七:
  the 1st, 4th, 7th, 11th, 14th, ...). For every day of the period the days
  since the last market day are counted (0 = market day); incidents per day
  at each lag show the periodicity, and market days are compared with the
  other days by the rate ratio (incidents per market day / incidents per
  other day) with an exact conditional binomial test (see
  :func:`gisapp.analysis.stats.rate_tests.poisson_rate_test`).

The market rule is a parameter (:class:`MarketRule`): ``cycle:3@2024-01-01``
(every third day counted from that date) or ``digits:1,4,7`` (days of the
Gregorian month whose last digit is 1, 4 or 7). Lunar-calendar rules are not
supported; give the dates as a cycle if they are regular.

References
----------
Sen, P. K. (1968). Estimates of the regression coefficient based on Kendall's
tau. Journal of the American Statistical Association 63, 1379-1389.
Skinner, G. W. (1964). Marketing and social structure in rural China, part I.
Journal of Asian Studies 24(1), 3-43 (periodic market schedules).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gisapp.analysis.core.time_steps import calendar_steps, period_bounds
from gisapp.analysis.stats.rate_tests import poisson_rate_test
from gisapp.analysis.stats.trend import mann_kendall
from gisapp.layers.errors import InputError

WEEKDAYS_ZH = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


@dataclass(frozen=True)
class MarketRule:
    """Which days are market days.

    Attributes
    ----------
    kind : {"cycle", "digits"}
    every : int
        Cycle length in days (``cycle``).
    anchor : str
        A market day of the cycle, ``YYYY-MM-DD`` (``cycle``).
    digits : tuple of int
        Last digits of the day of month (``digits``); 逢一四七 is (1, 4, 7).
    """

    kind: str
    every: int = 0
    anchor: str = ""
    digits: tuple = ()

    @classmethod
    def parse(cls, text: str) -> MarketRule:
        """``cycle:3@2024-01-01`` or ``digits:1,4,7`` (also 逢1,4,7)."""
        value = str(text).strip()
        match = re.fullmatch(r"cycle:(\d+)@(\d{4}-\d{1,2}-\d{1,2})", value)
        if match:
            every = int(match.group(1))
            if not 2 <= every <= 60:
                raise InputError(f"A market cycle must be 2 to 60 days, got {every}.")
            try:
                anchor = pd.Timestamp(match.group(2)).strftime("%Y-%m-%d")
            except ValueError:
                raise InputError(f"The market anchor {match.group(2)!r} is not a date.") from None
            return cls("cycle", every=every, anchor=anchor)
        match = re.fullmatch(r"(?:digits:|逢)([0-9,，、\s]+)", value)
        if match:
            digits = tuple(sorted({int(d) for d in re.findall(r"\d", match.group(1))}))
            if not digits or len(digits) == 10:
                raise InputError(f"Give between one and nine last digits for market days, got {value!r}.")
            return cls("digits", digits=digits)
        raise InputError(
            f"The market-day rule {value!r} is not understood; use cycle:3@2024-01-01 (every 3 days from that date) "
            "or digits:1,4,7 (逢一四七)."
        )

    def describe(self) -> str:
        if self.kind == "cycle":
            return f"every {self.every} days from {self.anchor}"
        return "days of month ending in " + ",".join(str(d) for d in self.digits)

    def describe_zh(self) -> str:
        if self.kind == "cycle":
            return f"每{self.every}天一集（自{self.anchor}起）"
        return "逢" + "、".join(str(d) for d in self.digits) + "（公历日期尾数）"

    def is_market_day(self, days: pd.DatetimeIndex) -> np.ndarray:
        days = pd.DatetimeIndex(days).normalize()
        if self.kind == "cycle":
            offset = (days - pd.Timestamp(self.anchor)).days.to_numpy()
            return np.mod(offset, self.every) == 0
        return np.isin(days.day.to_numpy() % 10, self.digits)


@dataclass
class TemporalProfile:
    """Temporal tables of one group of incidents.

    Attributes
    ----------
    hour_weekday : DataFrame
        24 rows (hour 0..23) x 7 columns (ISO weekday 1..7) of counts.
    monthly : DataFrame
        ``month``, ``n`` (every calendar month of the period, zeros included), ``days``.
    market : DataFrame or None
        ``lag`` (days since the last market day), ``n``, ``days``, ``per_day``, ``ratio_to_mean``.
    summary : dict
        Trend (Mann-Kendall z, p, Sen's slope) and the market-day comparison.
    """

    hour_weekday: pd.DataFrame
    monthly: pd.DataFrame
    market: pd.DataFrame | None
    summary: dict


def temporal_profile(times, start, end, market_rule: MarketRule | None = None) -> TemporalProfile:
    """Hour x weekday, monthly trend and (with a rule) market-day effect of the given times.

    Parameters
    ----------
    times : array_like of datetime64
        Occurrence times of the group's incidents (NaT ignored).
    start, end : str or Timestamp
        The period (inclusive days). Months and days with no incident count as zeros.
    market_rule : MarketRule, optional
    """
    stamps = pd.DatetimeIndex(pd.to_datetime(np.asarray(times)))
    stamps = stamps[~stamps.isna()]
    first, stop = period_bounds(start, end)
    stamps = stamps[(stamps >= first) & (stamps < stop)]
    hour_weekday = hour_weekday_table(stamps)
    monthly, trend = monthly_trend(stamps, first, stop)
    summary = {"incidents": len(stamps), "trend": trend}
    market = None
    if market_rule is not None:
        market, summary["market"] = market_day_effect(stamps, first, stop, market_rule)
    peak = np.unravel_index(np.argmax(hour_weekday.to_numpy()), hour_weekday.shape)
    summary["peak_hour"] = int(hour_weekday.index[peak[0]])
    summary["peak_weekday"] = int(hour_weekday.columns[peak[1]])
    return TemporalProfile(hour_weekday, monthly, market, summary)


def hour_weekday_table(stamps: pd.DatetimeIndex) -> pd.DataFrame:
    """Counts by hour (rows 0..23) and ISO weekday (columns 1..7)."""
    counts = np.zeros((24, 7), dtype=np.int64)
    np.add.at(counts, (stamps.hour.to_numpy(), stamps.day_of_week.to_numpy()), 1)
    return pd.DataFrame(counts, index=pd.Index(range(24), name="hour"), columns=pd.Index(range(1, 8), name="weekday"))


def monthly_trend(stamps: pd.DatetimeIndex, first: pd.Timestamp, stop: pd.Timestamp) -> tuple[pd.DataFrame, dict]:
    """Counts per calendar month of ``[first, stop)`` and their Mann-Kendall trend with Sen's slope."""
    steps = calendar_steps("month", first, stop - pd.Timedelta(days=1))
    index = steps.index(stamps.to_numpy())
    n = np.bincount(index[index >= 0], minlength=steps.count)
    ends = steps.edges[1:].to_numpy().clip(max=np.datetime64(stop, "ns"))
    begins = steps.edges[:-1].to_numpy().clip(min=np.datetime64(first, "ns"))
    covered = (ends - begins) // np.timedelta64(1, "D")
    frame = pd.DataFrame({"month": steps.labels(), "n": n, "days": covered.astype(np.int64)})
    result = mann_kendall(n.astype(np.float64))
    trend = {
        "months": int(steps.count),
        "mk_s": float(result.s[0]),
        "mk_z": _finite(result.z[0]),
        "mk_p": _finite(result.p[0]),
        "sen_slope_per_month": sens_slope(n) if steps.count >= 2 else None,
        "direction": _direction(result.z[0], result.p[0]),
        "notes": steps.notes(),
    }
    return frame, trend


def sens_slope(values) -> float:
    """Sen's slope: the median of (x_j - x_i) / (j - i) over all i < j."""
    x = np.asarray(values, dtype=np.float64)
    i, j = np.triu_indices(x.size, k=1)
    return float(np.median((x[j] - x[i]) / (j - i)))


def market_day_effect(stamps: pd.DatetimeIndex, first: pd.Timestamp, stop: pd.Timestamp, rule: MarketRule) -> tuple[pd.DataFrame, dict]:
    """Incidents per day by days since the last market day, and market days against the others."""

    days = pd.date_range(first, stop - pd.Timedelta(days=1), freq="D")
    market = rule.is_market_day(days)
    if not market.any():
        raise InputError(f"No day of the period is a market day under the rule '{rule.describe()}'.")
    # days since the most recent market day; days before the first market day of the period look back before it
    positions = np.arange(days.size)
    last = np.maximum.accumulate(np.where(market, positions, -1))
    lag = positions - last
    if (last < 0).any():
        before = _lag_before_period(days[0], rule)
        lag[last < 0] = before + positions[last < 0]
    day_of = (stamps.normalize() - days[0]).days.to_numpy()
    incident_lag = lag[day_of]
    lags = np.arange(lag.max() + 1)
    n = np.bincount(incident_lag, minlength=lags.size)
    exposure = np.bincount(lag, minlength=lags.size)
    per_day = np.where(exposure > 0, n / np.maximum(exposure, 1), np.nan)
    mean_per_day = len(stamps) / days.size
    frame = pd.DataFrame({
        "lag": lags,
        "label_zh": ["集日" if k == 0 else f"集后第{k}天" for k in lags],
        "n": n,
        "days": exposure,
        "per_day": per_day,
        "ratio_to_mean": per_day / mean_per_day if mean_per_day > 0 else np.nan,
    })
    on, off = int(n[0]), int(n[1:].sum())
    on_days, off_days = int(exposure[0]), int(exposure[1:].sum())
    test = poisson_rate_test(off, off_days, on, on_days)
    summary = {
        "rule": rule.describe(),
        "rule_zh": rule.describe_zh(),
        "market_days": on_days,
        "other_days": off_days,
        "incidents_market_days": on,
        "incidents_other_days": off,
        "per_market_day": on / on_days,
        "per_other_day": off / off_days if off_days else None,
        "rate_ratio": test["rate_ratio"],
        "rate_ratio_ci95": test["ci95"],
        "p_value": test["p_value"],
        "test": test["test"],
    }
    return frame, summary


def _lag_before_period(first_day: pd.Timestamp, rule: MarketRule) -> int:
    """Days from the last market day before ``first_day`` to it."""
    back = pd.date_range(first_day - pd.Timedelta(days=40), first_day - pd.Timedelta(days=1), freq="D")
    hits = np.flatnonzero(rule.is_market_day(back))
    return int(back.size - hits[-1]) if hits.size else 0


def _finite(value):
    return float(value) if np.isfinite(value) else None


def _direction(z, p, alpha: float = 0.05) -> str:
    if not np.isfinite(z) or not np.isfinite(p) or p >= alpha:
        return "no significant trend"
    return "rising" if z > 0 else "falling"
