"""A result with more than one layer (coverage, siting and patrol plans produce several)."""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.result import AnalysisResult


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
