"""Checks every reader runs on what it loaded."""

from __future__ import annotations

import numpy as np

from ..crs import find_location_outliers
from ..reproject import output_crs, transformer
from ..report import LoadReport


def warn_outliers(x: np.ndarray, y: np.ndarray, crs, report: LoadReport) -> None:
    """Add a warning naming the loaded rows that are locational outliers (see ``find_location_outliers``)."""
    report.outliers_checked = True
    if len(x) < 3:
        return
    if not crs.is_projected:
        x, y = transformer(crs, output_crs(x, y, "auto")).transform(x, y)
    far = find_location_outliers(x, y)
    if far.any():
        first = ", ".join(str(i + 1) for i in np.flatnonzero(far)[:10])
        report.warnings.append(
            f"{int(far.sum())} points are far from every other (loaded rows {first}"
            f"{', …' if far.sum() > 10 else ''}); check their coordinates."
        )
