"""Hotspot zones: touching significant hot cells merged into one named place.

A county-wide Gi* map marks a market as dozens of hot cells. A reader (and
every table of a briefing or a printed map) needs one row per *place*: the
cells hot at the chosen confidence that touch each other, along an edge or
at a corner (queen contiguity, the neighbourhood ArcGIS uses for polygon
contiguity), form one zone; its incidents are the sum over its cells, so the
hotspot table, the blind-spot table and the written findings all quote the
same number for the same market.

A zone is named the way :mod:`gisapp.analysis.hotspots.places` names a cell
(the area — market, school, fringe — the cell overlaps most, else the grid
(网格) that holds its centre): each of its cells is named so, and the zone
takes the name under which most of its incidents fall. Weighting by incidents
matters: a blob of hot streets around a quiet, well-watched square overlaps
the square most, yet the square is not where its crime is.

Nothing here draws or formats: the briefing, the printed map, the CLI and the
window take the :class:`Zones` and present them.

References
----------
Getis, A. and Ord, J. K. (1992). The analysis of spatial association by use
of distance statistics. *Geographical Analysis* 24(3), 189-206.
Esri. "How Hot Spot Analysis (Getis-Ord Gi*) works": significant cells of the
same sign that are adjacent read as one hot spot.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from gisapp.analysis.hotspots.places import place_names

#: Cells hot at this ``gi_bin`` or more form zones: 99 % confidence. At 95 % the halo of a dense
#: town centre joins separate markets into one zone (on the sample county, 西门市场 and the seat's
#: centre become one 1.1 km² zone); the 99 % cores stay apart. Every 99 % cell is also a hot cell
#: for camera coverage (``gisapp coverage`` counts cells from 95 %), so blind spots fall inside zones.
ZONE_MIN_BIN = 3
#: Suffix of a zone's name: 西门市场 -> 西门市场热点区.
ZONE_SUFFIX = "热点区"


@dataclass
class Zones:
    """Hotspot zones and which zone each input cell belongs to.

    Attributes
    ----------
    layer : GeoDataFrame
        One row per zone, largest first: ``zone_id`` (1 = most incidents),
        ``name`` (e.g. ``西门市场热点区``), ``place`` (the area or grid named),
        ``n`` (incidents in its cells; None when the cells carry no ``n``),
        ``cells``, ``area_km2``, ``peak_z`` (largest ``gi_z``), ``gi_bin``
        (highest bin of its cells), and the union of its cells as geometry.
    cell_zone : ndarray of int
        For each row of the input cells (in order), its ``zone_id``; 0 for
        cells in no zone.
    min_bin : int
        The ``gi_bin`` a cell needed to join a zone.
    """

    layer: gpd.GeoDataFrame
    cell_zone: np.ndarray
    min_bin: int = ZONE_MIN_BIN

    def __len__(self) -> int:
        return len(self.layer)

    def records(self) -> list[dict]:
        """The zones as JSON-ready dicts (no geometry), largest first."""
        columns = [c for c in self.layer.columns if c != self.layer.geometry.name]
        return [{k: _plain(v) for k, v in row.items()} for row in self.layer[columns].to_dict("records")]


def touching_groups(geometries, tolerance: float = 0.0) -> np.ndarray:
    """Label each geometry with its group: geometries closer than ``tolerance`` (touching) share a group.

    Groups are the connected components of the "touches or overlaps" graph
    (an STRtree query, then :func:`scipy.sparse.csgraph.connected_components`),
    numbered 0, 1, … in order of their first member.
    """
    geometries = np.asarray(geometries, dtype=object)
    count = len(geometries)
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    tree = shapely.STRtree(geometries)
    # candidates by bounding box (widened by the tolerance), then the exact test on those pairs only:
    # much faster than the tree's own dwithin predicate on thousands of cells
    x0, y0, x1, y1 = shapely.bounds(geometries).T
    boxes = shapely.box(x0 - tolerance, y0 - tolerance, x1 + tolerance, y1 + tolerance)
    left, right = tree.query(boxes)
    keep = shapely.dwithin(geometries[left], geometries[right], tolerance) if tolerance > 0 else shapely.intersects(geometries[left], geometries[right])
    left, right = left[keep], right[keep]
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(count, count))
    _, labels = connected_components(graph, directed=False)
    # renumber by first appearance, so the labels do not depend on scipy's traversal
    _, first = np.unique(labels, return_index=True)
    order = np.argsort(np.argsort(first))
    return order[labels]


def hotspot_zones(cells: gpd.GeoDataFrame, min_bin: int = ZONE_MIN_BIN, areas: gpd.GeoDataFrame | None = None,
                  grids: gpd.GeoDataFrame | None = None, tolerance: float | None = None) -> Zones:
    """Merge touching hot cells (``gi_bin >= min_bin``) into zones, count and name them.

    Parameters
    ----------
    cells : GeoDataFrame
        Gi* cells with ``gi_bin`` (and ``n``, ``gi_z`` where known), in a metric CRS.
    min_bin : int
        1, 2 or 3: the confidence (90, 95, 99 %) a cell needs to join a zone.
    areas, grids : GeoDataFrame, optional
        Named polygons (``name``) used to name the zones; reprojected to the cells' CRS.
    tolerance : float, optional
        Gap (in CRS units) still counted as touching; default a thousandth of
        the median cell width, which absorbs rounding where the cells were
        reprojected.

    Returns
    -------
    Zones
    """
    if min_bin not in (1, 2, 3):
        raise ValueError(f"min_bin must be 1, 2 or 3 (90, 95, 99 % confidence); got {min_bin}")
    bins = pd.to_numeric(cells["gi_bin"], errors="coerce").fillna(0).to_numpy()
    hot = np.flatnonzero(bins >= min_bin)
    cell_zone = np.zeros(len(cells), dtype=np.int64)
    if not len(hot):
        return Zones(_empty(cells.crs), cell_zone, min_bin)
    geometries = cells.geometry.values[hot]
    if tolerance is None:
        tolerance = 1e-3 * float(np.median(np.sqrt(shapely.area(geometries))))
    groups = touching_groups(geometries, tolerance)
    table = pd.DataFrame({
        "group": groups,
        "n": pd.to_numeric(cells["n"], errors="coerce").to_numpy()[hot] if "n" in cells else np.nan,
        "gi_z": pd.to_numeric(cells["gi_z"], errors="coerce").to_numpy()[hot] if "gi_z" in cells else np.nan,
        "gi_bin": bins[hot].astype(int),
    })
    per_zone = table.groupby("group").agg(n=("n", lambda v: v.sum(min_count=1)), cells=("gi_bin", "size"),
                                          peak_z=("gi_z", "max"), gi_bin=("gi_bin", "max"))
    shapes = [shapely.union_all(geometries[groups == g]) for g in per_zone.index]
    per_zone = per_zone.assign(area_km2=[shapely.area(s) / 1e6 for s in shapes])
    # largest first: by incidents, then by the strongest cell
    order = per_zone.assign(_n=per_zone["n"].fillna(-1), _z=per_zone["peak_z"].fillna(-np.inf)).sort_values(
        ["_n", "_z", "cells"], ascending=False).index.to_numpy()
    rank = np.empty(len(per_zone), dtype=np.int64)
    rank[order] = np.arange(1, len(order) + 1)
    cell_zone[hot] = rank[groups]
    shapes = [shapes[g] for g in order]
    weights = table["n"].fillna(1.0).to_numpy() if table["n"].notna().any() else np.ones(len(hot))
    places = _names(geometries, rank[groups], weights, len(order), cells.crs, areas, grids)
    layer = gpd.GeoDataFrame(
        {
            "zone_id": np.arange(1, len(order) + 1),
            "name": unique_names([f"{p}{ZONE_SUFFIX}" if p else f"热点区{i}" for i, p in enumerate(places, 1)]),
            "place": [p or "" for p in places],
            "n": [None if pd.isna(v) else int(v) for v in per_zone["n"].to_numpy()[order]],
            "cells": per_zone["cells"].to_numpy()[order].astype(int),
            "area_km2": per_zone["area_km2"].to_numpy()[order].round(4),
            "peak_z": [None if pd.isna(v) else round(float(v), 2) for v in per_zone["peak_z"].to_numpy()[order]],
            "gi_bin": per_zone["gi_bin"].to_numpy()[order].astype(int),
        },
        geometry=gpd.GeoSeries(shapes, crs=cells.crs),
        crs=cells.crs,
    )
    return Zones(layer, cell_zone, min_bin)


def unique_names(names: list[str]) -> list[str]:
    """Names made unique by numbering the repeats: 城乡结合部热点区, 城乡结合部热点区（2）, …"""
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else f"{name}（{seen[name]}）")
    return out


class _NamedLayers:
    """The two layers :func:`places.place_names` reads, under the ``frame(kind)`` call it makes on ``Inputs``."""

    def __init__(self, crs, **frames):
        self._frames = {kind: _aligned(frame, crs) for kind, frame in frames.items()}

    def frame(self, kind: str, required: bool = False):
        return self._frames.get(kind)


def _names(geometries, zone_of: np.ndarray, weights: np.ndarray, count: int, crs, areas, grids) -> list[str | None]:
    """Per zone (1..count), the cell name carrying the most incidents (ties: the name met first)."""
    if (areas is None or not len(areas)) and (grids is None or not len(grids)):
        return [None] * count
    cell_names = place_names(gpd.GeoSeries(geometries, crs=crs), _NamedLayers(crs, areas=areas, grids=grids))
    votes = pd.DataFrame({"zone": zone_of, "name": cell_names, "w": weights}).dropna(subset=["name"])
    best = votes.groupby(["zone", "name"], sort=False)["w"].sum().reset_index().sort_values("w", ascending=False, kind="stable")
    chosen = best.drop_duplicates("zone").set_index("zone")["name"]
    return [chosen.get(z) for z in range(1, count + 1)]


def _aligned(frame, crs):
    if frame is None or not len(frame) or "name" not in frame:
        return None
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty].reset_index(drop=True)  # place_names reads positions
    if frame.crs is not None and crs is not None and not frame.crs.equals(crs):
        frame = frame.to_crs(crs)
    return frame


def _empty(crs) -> gpd.GeoDataFrame:
    columns = {"zone_id": [], "name": [], "place": [], "n": [], "cells": [], "area_km2": [], "peak_z": [], "gi_bin": []}
    return gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries([], crs=crs), crs=crs)


def _plain(value):
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if not np.isfinite(value) else float(value)
    return value
