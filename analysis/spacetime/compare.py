"""Area comparison: counts, rates, change between two periods, category mix, temporal profiles.

"How do the markets compare with the urban fringe?" For each chosen polygon
(an area such as 西门市场, a 网格 grid cell, a township, or a group of them
dissolved by a column such as ``area_type``) this module reports:

- **counts** of incidents in the whole period and in two periods A and B;
- **rates per 10,000 residents** where the polygon's population is known.
  A polygon without a population (or with 0) gets no rate and the summary
  says so: a rate is never divided by zero or guessed. Rates are given for the
  whole period and per year (``rate_10k_year``) so periods of different
  length compare;
- **change from A to B** with an exact test. Counts of incidents are
  modelled as Poisson with rate lambda per day. Conditional on the total
  n = a + b, the count b is Binomial(n, E_b / (E_a + E_b)) under "same rate"
  (E = days in each period). The exact two-sided binomial test of that is the
  *conditional test for two Poisson rates* (Przyborowski & Wilenski 1940;
  Lehmann & Romano, Testing Statistical Hypotheses, sec. 4.6: it is the
  uniformly most powerful unbiased test). It is preferred to a chi-square
  test because it is exact for the small counts of single places (a
  chi-square approximation is poor once an expected count is under 5) and it
  handles periods of unequal length directly. The rate ratio (B per day / A
  per day) has an exact 95 % interval from the Clopper-Pearson interval of
  the binomial proportion. With many polygons, ``q_change`` gives
  Benjamini-Hochberg adjusted p-values;
- **category mix**: counts per ``category`` and a chi-square test of
  homogeneity across the polygons (flagged as approximate when more than
  20 % of the expected counts are under 5, Cochran's rule);
- **temporal profiles** (:mod:`gisapp.analysis.spacetime.temporal`) of each polygon and of all
  incidents: hour x weekday, monthly trend, market-day effect.

A point on the boundary of, or inside, two overlapping polygons counts in
both: each polygon is described on its own (unlike
:mod:`gisapp.analysis.core.aggregation`, which partitions points).

References
----------
Przyborowski, J. & Wilenski, H. (1940). Homogeneity of results in testing samples
from Poisson series. Biometrika 31, 313-323.
Lehmann, E. L. & Romano, J. P. (2005). Testing Statistical Hypotheses, 3rd ed. Springer.
Clopper, C. J. & Pearson, E. S. (1934). The use of confidence or fiducial limits
illustrated in the case of the binomial. Biometrika 26, 404-413.
Benjamini, Y. & Hochberg, Y. (1995). Controlling the false discovery rate. JRSS B 57, 289-300.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from scipy import stats

from gisapp.analysis.core.aggregation import require_metric_crs
from gisapp.analysis.core.result import AnalysisResult, report
from gisapp.analysis.core.time_steps import incident_times, period_bounds
from gisapp.analysis.spacetime.methods import CompareParams
from gisapp.analysis.spacetime.temporal import MarketRule, temporal_profile
from gisapp.analysis.stats.rate_tests import poisson_rate_test
from gisapp.layers.errors import InputError

PER = 10_000
ALL_LABEL = "全部"


def compare_areas(points: gpd.GeoDataFrame, polygons: gpd.GeoDataFrame, params: CompareParams, progress=None, cancelled=None) -> AnalysisResult:
    """Compare polygons: counts, rates, change A to B, category mix and temporal profiles.

    Parameters
    ----------
    points : GeoDataFrame
        Incidents in a projected metric CRS with ``occurred_at``.
    polygons : GeoDataFrame
        The areas compared, same CRS.
    params : CompareParams

    Returns
    -------
    AnalysisResult
        ``layer``: one row per polygon (after grouping) with ``name``,
        ``population``, ``n``, ``n_a``, ``n_b``, ``change``, ``change_pct``,
        ``rate_ratio`` and its ``rr_low``/``rr_high``, ``p_change``,
        ``q_change``, ``rate_10k``, ``rate_10k_year``, ``rate_10k_a``,
        ``rate_10k_b`` (NaN where the population is unknown), ``area_km2``,
        ``per_km2``, ``top_category``, ``top_share``.
        ``summary``: ``areas`` (the same table), ``periods``, ``category_mix``
        (polygon -> category -> count) and its test, ``profiles`` (per polygon
        and ``全部`` = all incidents: ``hour_weekday`` 24 x 7, ``monthly``,
        ``market`` by lag, ``trend``, ``market_effect``), ``notes``.

    Raises
    ------
    InputError
        No polygons, no usable times, a period outside the data, polygons and
        incidents in different CRSs, unknown name/group columns.
    """
    require_metric_crs(points, "incident layer")
    areas, notes = _prepare_polygons(polygons, points.crs, params)
    times, timed = incident_times(points)
    first, stop, (a_first, a_stop), (b_first, b_stop) = _periods(times[timed], params)
    in_period = timed & (times >= np.datetime64(first)) & (times < np.datetime64(stop))
    report(progress, cancelled, 0.1, "Counting incidents per area")
    point_idx, area_idx = areas.sindex.query(points.geometry.values, predicate="intersects")
    keep = in_period[point_idx]
    point_idx, area_idx = point_idx[keep], area_idx[keep]
    stamp = times[point_idx]
    in_a = (stamp >= np.datetime64(a_first)) & (stamp < np.datetime64(a_stop))
    in_b = (stamp >= np.datetime64(b_first)) & (stamp < np.datetime64(b_stop))
    n_areas = len(areas)
    n = np.bincount(area_idx, minlength=n_areas)
    n_a = np.bincount(area_idx[in_a], minlength=n_areas)
    n_b = np.bincount(area_idx[in_b], minlength=n_areas)
    days_total = (stop - first).days
    days_a, days_b = (a_stop - a_first).days, (b_stop - b_first).days
    table = _area_table(areas, n, n_a, n_b, days_total, days_a, days_b, notes)
    categories = points[params.category_column].astype("string").fillna("未分类").to_numpy() if params.category_column in points else np.full(len(points), "未分类", dtype=object)
    mix, mix_test = _category_mix(areas["name"].to_numpy(), area_idx, categories[point_idx], notes)
    tops = [max(mix[name], key=mix[name].get) if mix.get(name) else None for name in table["name"]]
    table["top_category"] = tops
    table["top_share"] = [mix[name][top] / sum(mix[name].values()) if top else np.nan for name, top in zip(table["name"], tops)]
    report(progress, cancelled, 0.5, "Temporal profiles")
    rule = MarketRule.parse(params.market_rule) if params.market_rule else None
    profiles = {}
    for k, name in enumerate(areas["name"]):
        profiles[str(name)] = profile_dict(temporal_profile(stamp[area_idx == k], first, stop - pd.Timedelta(days=1), rule))
    profiles[ALL_LABEL] = profile_dict(temporal_profile(times[in_period], first, stop - pd.Timedelta(days=1), rule))
    layer = gpd.GeoDataFrame(table, geometry=areas.geometry.values, crs=areas.crs)
    summary = {
        "areas": _records(table),
        "periods": {
            "whole": [str(first.date()), str((stop - pd.Timedelta(days=1)).date())],
            "a": [str(a_first.date()), str((a_stop - pd.Timedelta(days=1)).date())],
            "b": [str(b_first.date()), str((b_stop - pd.Timedelta(days=1)).date())],
            "days": {"whole": days_total, "a": days_a, "b": days_b},
        },
        "change_test": "exact conditional binomial test of two Poisson rates (Przyborowski & Wilenski 1940), two-sided; q = Benjamini-Hochberg",
        "incidents": int(in_period.sum()),
        "incidents_without_time": int((~timed).sum()),
        "incidents_outside_period": int((timed & ~in_period).sum()),
        "incidents_in_no_area": int(in_period.sum() - np.unique(point_idx).size),
        "category_mix": mix,
        "category_mix_test": mix_test,
        "profiles": profiles,
        "market_rule": None if rule is None else rule.describe(),
        "notes": notes,
    }
    report(progress, cancelled, 1.0, "Comparison done")
    return AnalysisResult(layer, summary, {"compare": params.to_dict(), "areas": int(n_areas)})


# --------------------------------------------------------------------------- pieces


def _prepare_polygons(polygons: gpd.GeoDataFrame, crs, params: CompareParams) -> tuple[gpd.GeoDataFrame, list[str]]:
    notes: list[str] = []
    if polygons is None or len(polygons) == 0:
        raise InputError("There are no polygons to compare: choose areas, grids or townships that exist.")
    if polygons.crs != crs:
        raise InputError("The polygons and the incidents have different coordinate systems; project them to the same metric CRS.")
    frame = polygons.reset_index(drop=True)
    for column in (params.name_column, params.group_column):
        if column is not None and column not in frame.columns:
            raise InputError(f"The polygon layer has no column {column!r}; its columns are {', '.join(map(str, frame.columns.drop('geometry')))}.")
    population = params.population_column
    has_population = population is not None and population in frame.columns
    pop = pd.to_numeric(frame[population], errors="coerce") if has_population else pd.Series(np.nan, index=frame.index)
    if params.group_column is not None:
        grouped = gpd.GeoDataFrame({"name": frame[params.group_column].astype(str), "population": pop, "_known": pop.notna()}, geometry=frame.geometry.values, crs=frame.crs)
        dissolved = grouped.dissolve(by="name", aggfunc={"population": "sum", "_known": "all"}).reset_index()
        dissolved.loc[~dissolved["_known"].astype(bool), "population"] = np.nan
        frame = dissolved.drop(columns="_known")
        notes.append(f"Polygons grouped by {params.group_column!r} into {len(frame)} areas.")
    else:
        names = frame[params.name_column].astype(str)
        if names.duplicated().any():
            names = names + names.groupby(names).cumcount().map(lambda k: "" if k == 0 else f" ({k + 1})")
        frame = gpd.GeoDataFrame({"name": names, "population": pop}, geometry=frame.geometry.values, crs=frame.crs)
    if not has_population:
        notes.append("The polygons have no population column, so rates per 10,000 residents are omitted (counts and densities are given).")
    else:
        missing = frame.loc[~(frame["population"] > 0), "name"].tolist()
        if missing:
            shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
            notes.append(f"No population for {shown}: their rates are omitted.")
    return frame, notes


def _periods(times: np.ndarray, params: CompareParams):
    if times.size == 0 and (params.start is None or params.end is None):
        raise InputError("No incident has a time, so periods cannot be compared.")
    start = params.start if params.start is not None else pd.Timestamp(times.min())
    end = params.end if params.end is not None else pd.Timestamp(times.max())
    first, stop = period_bounds(start, end)
    if params.periods()[0] is None and params.periods()[1] is None:
        half = _halfway(first, stop)
        if half <= first:
            raise InputError("The period is a single day, so it cannot be split into two periods to compare; give --period-a and --period-b.")
        return first, stop, (first, half), (half, stop)
    if params.periods()[0] is None or params.periods()[1] is None:
        raise InputError("Give both periods to compare (A and B), or neither to split the whole period in two.")
    a = period_bounds(*params.periods()[0])
    b = period_bounds(*params.periods()[1])
    if a[0] < b[1] and b[0] < a[1]:
        raise InputError("The two periods overlap; choose periods that do not share a day.")
    first, stop = min(first, a[0], b[0]), max(stop, a[1], b[1])
    return first, stop, a, b


def _halfway(first: pd.Timestamp, stop: pd.Timestamp) -> pd.Timestamp:
    """The middle day of ``[first, stop)``, moved to the nearest first of a month when the period spans two months or more.

    Two years then split into the two calendar years, which is what an analyst reports.
    """
    half = first + pd.Timedelta(days=(stop - first).days // 2)
    if (stop - first).days < 60:
        return half
    before = half.replace(day=1)
    after = before + pd.DateOffset(months=1)
    nearest = before if (half - before) <= (after - half) else after
    return nearest if first < nearest < stop else half


def _area_table(areas, n, n_a, n_b, days_total, days_a, days_b, notes) -> pd.DataFrame:
    table = pd.DataFrame({"name": areas["name"].to_numpy(), "population": areas["population"].to_numpy(dtype=float)})
    table["n"], table["n_a"], table["n_b"] = n, n_a, n_b
    table["change"] = n_b - n_a
    with np.errstate(divide="ignore", invalid="ignore"):
        table["change_pct"] = np.where(n_a > 0, 100.0 * (n_b - n_a) / np.maximum(n_a, 1), np.nan)
    tests = [poisson_rate_test(a, days_a, b, days_b) for a, b in zip(n_a, n_b)]
    table["rate_ratio"] = [np.nan if t["rate_ratio"] is None else t["rate_ratio"] for t in tests]
    table["rr_low"] = [np.nan if t["ci95"][0] is None else t["ci95"][0] for t in tests]
    table["rr_high"] = [np.nan if t["ci95"][1] is None else t["ci95"][1] for t in tests]
    table["p_change"] = [t["p_value"] for t in tests]
    table["q_change"] = stats.false_discovery_control(table["p_change"].to_numpy()) if len(table) > 1 else table["p_change"]
    pop = table["population"].to_numpy()
    known = pop > 0
    safe = np.where(known, pop, 1.0)
    table["rate_10k"] = np.where(known, n / safe * PER, np.nan)
    table["rate_10k_year"] = np.where(known, n / safe * PER * 365.25 / days_total, np.nan)
    table["rate_10k_a"] = np.where(known, n_a / safe * PER, np.nan)
    table["rate_10k_b"] = np.where(known, n_b / safe * PER, np.nan)
    area = areas.geometry.area.to_numpy() / 1e6
    table["area_km2"] = area
    table["per_km2"] = np.where(area > 0, n / np.where(area > 0, area, 1.0), np.nan)
    if days_a != days_b:
        notes.append(f"Period A has {days_a} days and period B {days_b}; the change test and the rate ratio account for it, the raw change does not.")
    return table


def _category_mix(names, area_idx, categories, notes) -> tuple[dict, dict]:
    mix: dict[str, dict[str, int]] = {str(name): {} for name in names}
    if area_idx.size:
        frame = pd.DataFrame({"area": np.asarray(names)[area_idx].astype(str), "category": categories})
        counts = frame.groupby(["area", "category"]).size()
        for (area, category), value in counts.items():
            mix[area][str(category)] = int(value)
    cross = pd.DataFrame(mix).T.fillna(0)
    cross = cross.loc[cross.sum(axis=1) > 0, cross.sum(axis=0) > 0] if cross.size else cross
    test = {"test": "chi-square test of homogeneity of the category mix across areas", "chi2": None, "dof": None, "p_value": None, "approximate": None}
    if cross.shape[0] >= 2 and cross.shape[1] >= 2:
        result = stats.chi2_contingency(cross.to_numpy())
        small = float((result.expected_freq < 5).mean())
        test.update(chi2=float(result.statistic), dof=int(result.dof), p_value=float(result.pvalue), approximate=bool(small > 0.2))
        if small > 0.2:
            notes.append(f"{small:.0%} of the expected category counts are under 5, so the category-mix chi-square p-value is only approximate.")
    return mix, test


def profile_dict(profile) -> dict:
    """A temporal profile (hour × weekday, monthly trend, market-day effect) as plain JSON-ready data."""
    out = {
        "incidents": profile.summary["incidents"],
        "hour_weekday": profile.hour_weekday.to_numpy().tolist(),
        "monthly": profile.monthly.to_dict(orient="records"),
        "trend": profile.summary["trend"],
        "peak_hour": profile.summary["peak_hour"],
        "peak_weekday": profile.summary["peak_weekday"],
    }
    if profile.market is not None:
        out["market"] = _records(profile.market)
        out["market_effect"] = profile.summary["market"]
    return out


def _records(frame: pd.DataFrame) -> list[dict]:
    records = frame.to_dict(orient="records")
    return [{k: (None if isinstance(v, float) and not np.isfinite(v) else (v.item() if hasattr(v, "item") else v)) for k, v in row.items()} for row in records]


def run_compare(inputs, params: CompareParams, progress=None, cancelled=None) -> AnalysisResult:
    """The ``compare`` method: the polygons the user chose, over the filter's dates."""
    from dataclasses import replace

    from gisapp.analysis.spacetime.temporal import MarketRule

    if params.market_rule:
        MarketRule.parse(params.market_rule)  # a bad rule is the user's first mistake to hear about
    polygons, group = chosen_polygons(inputs, params)
    flt = inputs.incident_filter
    params = replace(params, group_column=group, start=getattr(flt, "start", None), end=getattr(flt, "end", None))
    return compare_areas(inputs.incidents(), polygons, params, progress, cancelled)


def chosen_polygons(inputs, params: CompareParams) -> tuple[gpd.GeoDataFrame, str | None]:
    """The polygons to compare in the analysis CRS, and the column to dissolve them by."""
    if params.polygon_file:
        return inputs.read_file(params.polygon_file, "polygon"), params.group_column
    if params.townships or params.grid_ids is not None:
        grids = inputs.frame("grids")
        if params.townships:
            if "township" not in grids:
                raise InputError("The grids layer has no township column, so townships cannot be formed; use --grids or --polygons.")
            return grids, "township"
        if params.grid_ids != "all":
            wanted = {item.strip() for item in params.grid_ids.replace("，", ",").split(",") if item.strip()}
            match = grids["grid_id"].astype(str).isin(wanted) | grids.get("name", grids["grid_id"]).astype(str).isin(wanted)
            if not match.any():
                raise InputError(f"No grid has the id or name {', '.join(sorted(wanted))}.")
            grids = grids[match]
        return grids, params.group_column
    areas = inputs.frame("areas")
    if not params.areas:
        return areas, params.group_column
    wanted = set(params.areas)
    match = pd.Series(False, index=areas.index)
    for column in ("area_type", "name", "area_id"):
        if column in areas:
            match |= areas[column].astype(str).isin(wanted)
    if not match.any():
        known = sorted(set(areas.get("area_type", pd.Series(dtype=str)).astype(str)) | set(areas.get("name", pd.Series(dtype=str)).astype(str)))
        raise InputError(f"No area has the type or name {', '.join(sorted(wanted))}; known: {', '.join(known)}.")
    return areas[match], params.group_column
