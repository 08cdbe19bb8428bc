"""Plain data for the briefing: next week's risk (下周风险) and the warning list (预警), each saying how it was made.

The briefing code calls these two functions and draws what they return; they
choose nothing it would have to explain. ``next_week_risk`` first evaluates
the candidate methods on the weeks just before (rolling, weekly, PAI at 5 %
of the area), forecasts with the best of them, and reports that method with
its score against last week's counts, so the page can say "SEPP, PAI 12.3
over the last 8 weeks (counts 9.8)" or that nothing beat the counts.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from .alerts import AlertParams, unit_alerts
from .evaluation import EvaluationParams, evaluate_forecasts
from .predict import ForecastRequest, forecast_cells
from .surface import METHOD_LABELS_ZH

CANDIDATES = ("counts", "kde", "prospective", "sepp")


def next_week_risk(incidents: gpd.GeoDataFrame, cell_size: float = 200.0, methods=CANDIDATES, weeks: int = 8,
                   train_to: str | None = None, study_area=None) -> tuple[gpd.GeoDataFrame, dict]:
    """The next seven days' risk per cell from the method that forecast the last ``weeks`` weeks best.

    Parameters
    ----------
    incidents : GeoDataFrame
        In a metric CRS, with ``occurred_at``.
    train_to : str, optional
        Last day of history (default: the last incident's day).

    Returns
    -------
    layer : GeoDataFrame
        Cells with ``risk``, ``rank``, ``top_pct`` (see :func:`gisapp.analysis.forecast.predict.forecast_cells`).
    about : dict
        ``method``, ``method_zh``, ``pai_5`` (its mean PAI at 5 % over the weeks evaluated), ``counts_pai_5``,
        ``verdict``, ``weeks_evaluated``, ``forecast_from``, ``forecast_to``, ``parameters``, ``table``.
    """
    last = pd.Timestamp(train_to) if train_to else pd.Timestamp(incidents["occurred_at"].max()).normalize()
    # whole weeks (Monday to Sunday) ending with the week before the forecast
    end = last - pd.Timedelta(days=(last.day_of_week + 1) % 7)
    start = end - pd.Timedelta(days=7 * (weeks + 1) - 1)
    methods = tuple(dict.fromkeys(("counts", *methods)))
    evaluation = evaluate_forecasts(incidents, EvaluationParams(methods=methods, cell_size=cell_size, period="week", coverages=(0.05,),
                                                                start=str(start.date()), end=str(end.date()), study_area=study_area))
    table = evaluation.summary["table"]
    scored = [row for row in table if row["pai_mean"] is not None]
    best = max(scored, key=lambda row: (row.get("better_than_counts", row["method"] == "counts"), row["pai_mean"]))
    if best["method"] != "counts" and not best.get("better_than_counts"):
        best = next(row for row in scored if row["method"] == "counts")
    counts_row = next((row for row in scored if row["method"] == "counts"), None)
    forecast = forecast_cells(incidents, ForecastRequest(method=best["method"], cell_size=cell_size, train_to=str(last.date()), horizon=7.0,
                                                         study_area=study_area))
    about = {
        "method": best["method"], "method_zh": METHOD_LABELS_ZH[best["method"]], "pai_5": best["pai_mean"],
        "counts_pai_5": None if counts_row is None else counts_row["pai_mean"],
        "verdict": best.get("verdict", "last week's counts: no method beat them" if best["method"] == "counts" else ""),
        "weeks_evaluated": evaluation.summary["test_periods"], "forecast_from": forecast.summary["forecast_from"],
        "forecast_to": forecast.summary["forecast_to"], "parameters": forecast.summary["parameters"], "table": table,
    }
    return forecast.layer, about


def alert_list(incidents: gpd.GeoDataFrame, units: gpd.GeoDataFrame | None, step: str = "week", as_of: str | None = None,
               baseline: int = 8, alpha: float = 0.05, fdr: bool = True) -> list[dict]:
    """The ranked 预警 list: one dict per alerting unit (see :func:`gisapp.analysis.forecast.alerts.unit_alerts`).

    Each entry carries ``unit_id``, ``name``, ``observed``, ``expected``, ``ratio``, ``p_value``, ``q_value``,
    ``rising_steps``, ``label_zh``, plus ``method`` (how the alert was made) and ``latest_step``.
    """
    result = unit_alerts(incidents, units, AlertParams(step=step, as_of=as_of, baseline=baseline, alpha=alpha, fdr=fdr))
    method = f"{result.summary['test']}; baseline {baseline} {step}s; alpha {alpha:g}"
    return [{**row, "method": method, "latest_step": result.summary["latest_step"]} for row in result.summary["alert_list"]]
