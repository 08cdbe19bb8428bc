"""Checks every reader runs on what it loaded."""

from __future__ import annotations

import numpy as np

from ..crs import find_location_outliers, is_metric
from ..report import LoadReport
from ..reproject import output_crs
from ..transformers import transformer


def warn_outliers(x: np.ndarray, y: np.ndarray, crs, report: LoadReport) -> None:
    """Add a warning naming the loaded rows that are locational outliers (see ``find_location_outliers``)."""
    report.outliers_checked = True
    warning = outlier_warning(x, y, crs)
    if warning:
        report.warnings.append(warning)


def outlier_warning(x: np.ndarray, y: np.ndarray, crs) -> str | None:
    """The warning :func:`warn_outliers` adds, or None; safe to run on another thread."""
    if len(x) < 3:
        return None
    if not is_metric(crs):
        x, y = transformer(crs, output_crs(x, y, "auto")).transform(x, y)
    far = find_location_outliers(x, y)
    if not far.any():
        return None
    first = ", ".join(str(i + 1) for i in np.flatnonzero(far)[:10])
    return (
        f"{int(far.sum())} points are far from every other (loaded rows {first}"
        f"{', …' if far.sum() > 10 else ''}); check their coordinates."
    )
