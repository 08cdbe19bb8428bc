"""Where a new layer goes in the drawing order: by what it is, so that nothing the analyst needs hides.

Bottom to top:

0. the user's polygons (grid cells, areas);
1. roads and standard-address points (reference data for address matching);
2. incidents;
3. result polygons (hot cells, density, emerging hot spots, LISA, blind spots, cluster hulls),
   drawn semi-transparent over the incidents they summarise;
4. result lines (planned tours, route exposure);
5. result points (clustered incidents, proposed camera sites, tour stops);
6. the user's patrol routes;
7. cameras and police stations.

So points and lines lie above polygons, and results lie below the user's own routes and
cameras: a route drawn or planned never disappears under an analysis layer. Only a new
layer is placed; the user may reorder layers freely afterwards.
"""

from __future__ import annotations

import shapely

from gisapp.layers import Layer, LayerList

USER_RANKS = {"grids": 0, "areas": 0, "roads": 1, "addresses": 1, "incidents": 2, "routes": 6, "cameras": 7, "stations": 7}
RESULT_RANKS = {"polygon": 3, "line": 4, "point": 5}


def geometry_family(layer: Layer) -> str:
    """``point``, ``line`` or ``polygon``: what most of the layer's features are (a raster counts as polygon)."""
    if getattr(layer, "raster", None) is not None or not len(layer.data):
        return "polygon"
    sample = layer.data.geometry.values[:500]
    ids = shapely.get_type_id(sample)
    points = int(((ids == 0) | (ids == 4)).sum())
    lines = int(((ids == 1) | (ids == 2) | (ids == 5)).sum())
    polygons = int(((ids == 3) | (ids == 6)).sum())
    return max((polygons, "polygon"), (lines, "line"), (points, "point"))[1]


def stacking_rank(layer: Layer) -> int:
    """The layer's place in the order of the module notes (higher draws on top)."""
    if layer.kind == "result":
        return RESULT_RANKS[geometry_family(layer)]
    return USER_RANKS.get(layer.kind, 3)


def insertion_index(layers: LayerList, layer: Layer) -> int:
    """Where ``layer`` enters ``layers``: just above the topmost layer that ranks at or below it.

    In a list the user ordered otherwise (a higher-ranked layer beneath a lower-ranked one),
    the new layer stays below the lowest higher-ranked layer: a result never covers the
    user's routes and cameras.
    """
    ranks = [stacking_rank(other) for other in layers]
    rank = stacking_rank(layer)
    above_lower = max((i + 1 for i, r in enumerate(ranks) if r <= rank), default=0)
    below_higher = min((i for i, r in enumerate(ranks) if r > rank), default=len(ranks))
    return min(above_lower, below_higher)
