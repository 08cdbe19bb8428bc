"""The result object every analysis returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, is_dataclass
from typing import Any, Callable

import geopandas as gpd

#: ``progress(fraction, message)``; fraction in [0, 1].
ProgressCallback = Callable[[float, str], None]
#: Returns True when the user asked to stop.
CancelCheck = Callable[[], bool]


class Cancelled(Exception):
    """Raised inside an analysis when its cancel check returned True."""


def report(progress: ProgressCallback | None, cancelled: CancelCheck | None, fraction: float, message: str) -> None:
    """Report progress and honour cancellation at the same point, as QGIS tasks do."""
    if cancelled is not None and cancelled():
        raise Cancelled(message)
    if progress is not None:
        progress(float(fraction), message)


@dataclass
class AnalysisResult:
    """What an analysis produced.

    Attributes
    ----------
    layer : GeoDataFrame
        The result layer (cells, points, clusters, ...), in the analysis CRS.
    summary : dict
        JSON-serialisable key figures.
    params : dict
        Every parameter actually used, including those chosen automatically.
    chosen : dict
        What each ``auto`` parameter became (``{"cell_size": 44.2, "band": 310.0}``).
    provenance : dict
        How the result was made, filled by :func:`gisapp.analysis.core.running.execute`.
    """

    layer: gpd.GeoDataFrame
    summary: dict = field(default_factory=dict)
    params: dict = field(default_factory=dict)
    # keyword-only, so the subclasses' own fields keep their positions
    chosen: dict = field(default_factory=dict, kw_only=True)
    provenance: dict = field(default_factory=dict, kw_only=True)

    @staticmethod
    def params_dict(params: Any) -> dict:
        return asdict(params) if is_dataclass(params) else dict(params)


@dataclass
class LayeredResult(AnalysisResult):
    """An :class:`AnalysisResult` whose analysis also produced secondary layers.

    Attributes
    ----------
    extra_layers : dict of str to GeoDataFrame
        Further result layers by name (for example ``blind_spots`` or
        ``stops``), in the same CRS as ``layer``. A front end writes them next
        to ``layer``, in the same project.
    """

    extra_layers: dict = field(default_factory=dict)
