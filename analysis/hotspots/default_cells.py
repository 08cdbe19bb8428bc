"""The hotspot cells every product uses when the user gives none: one definition, so the numbers agree.

Camera coverage and siting, patrol exposure and plans, the briefing, the
printed map and the window all need "the hotspot cells". Computed in
different ways (200 m cells here, 44 m cells there) they disagreed: the
briefing and ``gisapp coverage`` once counted 271 and 323 blind spots on the
same data. So when no hotspot layer is given (``--hotspots``) every one of
them computes the cells exactly as ``gisapp hotspot`` does by default:
Getis-Ord Gi* with the automatic scale of ArcGIS Optimized Hot Spot
Analysis (:mod:`gisapp.analysis.hotspots.scale`) and FDR-corrected bins. A
cell size the user gives (``gisapp brief --cell 200``) is used as
``gisapp hotspot --cell 200`` would: the band is then still chosen
automatically.
"""

from __future__ import annotations

import geopandas as gpd

from gisapp.analysis.core.contract import AUTO


def default_hotspot_cells(incidents: gpd.GeoDataFrame, cell_size: float | str = AUTO, progress=None, cancelled=None) -> tuple[gpd.GeoDataFrame, str, dict]:
    """The hotspot cells of ``incidents`` as ``gisapp hotspot [--cell CELL]`` computes them.

    Returns
    -------
    cells : GeoDataFrame
        The cells with ``n``, ``gi_z``, ``gi_p``, ``gi_bin`` (and ``row``/``col``).
    source : str
        One sentence saying how they were made, for a summary.
    summary : dict
        The summary of the Gi* run (scale choices and their reasons included).
    """
    from gisapp.analysis.hotspots.methods import HotspotParams
    from gisapp.analysis.hotspots.optimized import optimized_hotspots

    result = optimized_hotspots(incidents, HotspotParams(cell_size=cell_size, band=AUTO), progress, cancelled)
    cell, band = result.summary["cell_size_m"], result.summary["band_m"]
    how = "chosen automatically" if cell_size == AUTO else "as given"
    source = (
        f"computed as 'gisapp hotspot' does: Getis-Ord Gi* on {cell:.0f} m square cells ({how}), "
        f"{band:.0f} m distance band (chosen automatically), FDR-corrected bins, over the selected incidents"
    )
    return result.layer, source, result.summary
