"""A routable road network built from a roads layer (networkx), with snapping and travel times.

How the network is built
------------------------
- Roads are **noded**: two roads that cross get a junction where they cross,
  even when neither line has a vertex there (road layers drawn street by
  street usually look like this). Set ``node_crossings=False`` for data that
  already has junction vertices and bridges that must not connect.
- Every vertex is a node; every pair of consecutive vertices is an edge with
  its length and travel time. End points closer than ``snap_tolerance_m``
  are merged, which mends small digitising gaps.
- Travel time uses ``speed_kmh``, or a per-``road_class`` speed; a class
  with speed 0 is left out (for example alleys for a patrol car).
- A point (station, hotspot) is **snapped** to the nearest point of the
  nearest edge, which is split there; a point farther than ``max_snap_m``
  from every road is not on the network and is reported.
- Shortest travel times come from Dijkstra (``scipy.sparse.csgraph``, the
  same algorithm as ``networkx.single_source_dijkstra`` but for many sources
  at once). Nodes in another connected component are unreachable (infinite
  time): this is reported, never an error.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import geopandas as gpd
import networkx as nx
import numpy as np
import shapely
from scipy import sparse
from scipy.sparse.csgraph import connected_components, dijkstra
from scipy.spatial import cKDTree

from gisapp.layers.errors import InputError

#: Node coordinates are compared after rounding to this many metres.
NODE_ROUNDING_M = 0.001


@dataclass
class NetworkParams:
    """How the road network is built.

    Parameters
    ----------
    speed_kmh : float
        Travel speed on roads without a class speed.
    class_speeds_kmh : dict, optional
        ``road_class`` -> speed; 0 leaves the class out.
    snap_tolerance_m : float
        Road ends closer than this are joined.
    max_snap_m : float
        Points farther than this from every road are not on the network.
    node_crossings : bool
        Join roads where they cross (see the module notes).
    """

    speed_kmh: float = 20.0
    class_speeds_kmh: dict = field(default_factory=dict)
    snap_tolerance_m: float = 1.0
    max_snap_m: float = 300.0
    node_crossings: bool = True

    def validate(self) -> None:
        if not (np.isfinite(self.speed_kmh) and self.speed_kmh > 0):
            raise InputError(f"The speed must be a positive number of km/h, got {self.speed_kmh}.")
        for name, speed in self.class_speeds_kmh.items():
            if not (np.isfinite(speed) and speed >= 0):
                raise InputError(f"The speed of road class {name!r} must be 0 (left out) or positive, got {speed}.")
        if not self.max_snap_m > 0 or self.snap_tolerance_m < 0:
            raise InputError("Snapping distances must be positive.")

    def to_dict(self) -> dict:
        return {
            "speed_kmh": self.speed_kmh,
            "class_speeds_kmh": dict(self.class_speeds_kmh),
            "snap_tolerance_m": self.snap_tolerance_m,
            "max_snap_m": self.max_snap_m,
            "node_crossings": self.node_crossings,
        }


@dataclass
class RoadNetwork:
    """An undirected road graph.

    Attributes
    ----------
    graph : networkx.Graph
        Nodes ``0..n-1`` with ``x``, ``y``; edges with ``length`` (m),
        ``minutes`` and ``road`` (the road's name).
    xy : ndarray, shape (n, 2)
        Node coordinates (also in the graph, kept as an array for speed).
    summary : dict
        Roads used and left out, nodes, edges, connected components.
    """

    graph: nx.Graph
    xy: np.ndarray
    summary: dict

    @property
    def nodes(self) -> int:
        return len(self.xy)

    def matrix(self) -> sparse.csr_matrix:
        """Travel minutes as a symmetric sparse matrix over the nodes."""
        return nx.to_scipy_sparse_array(self.graph, nodelist=range(self.nodes), weight="minutes", format="csr")

    def travel(self, sources) -> tuple[np.ndarray, np.ndarray]:
        """Minutes and predecessors from each source node to every node (``inf`` where unreachable)."""
        return dijkstra(self.matrix(), directed=False, indices=np.asarray(sources, dtype=np.int64), return_predecessors=True)

    def path_xy(self, predecessors_row: np.ndarray, source: int, target: int) -> np.ndarray:
        """Node coordinates along the shortest path from ``source`` to ``target`` (from a ``travel`` row)."""
        nodes = [target]
        while nodes[-1] != source:
            previous = predecessors_row[nodes[-1]]
            if previous < 0:
                raise ValueError("target not reachable from source")
            nodes.append(previous)
        return self.xy[np.array(nodes[::-1])]

    def snap(self, x, y, max_snap_m: float) -> tuple[np.ndarray, np.ndarray]:
        """Add each point to the network at the nearest point of the nearest edge.

        Returns
        -------
        nodes : ndarray of int
            The node of every point, -1 where the nearest road is farther than ``max_snap_m``.
        distances : ndarray
            Metres from each point to the road.
        """
        x = np.atleast_1d(np.asarray(x, dtype=np.float64))
        y = np.atleast_1d(np.asarray(y, dtype=np.float64))
        nodes = np.full(len(x), -1, dtype=np.int64)
        edges = np.array(list(self.graph.edges()), dtype=np.int64).reshape(-1, 2)
        if len(edges) == 0 or len(x) == 0:
            return nodes, np.full(len(x), np.inf)
        segments = shapely.linestrings(np.stack([self.xy[edges[:, 0]], self.xy[edges[:, 1]]], axis=1))
        points = shapely.points(x, y)
        (point_i, edge_i), dist = shapely.STRtree(segments).query_nearest(points, return_distance=True, all_matches=False)
        distances = np.full(len(x), np.inf)
        distances[point_i] = dist
        ok = dist <= max_snap_m
        point_i, edge_i = point_i[ok], edge_i[ok]
        along = shapely.line_locate_point(segments[edge_i], points[point_i])
        for e in np.unique(edge_i):
            mine = np.flatnonzero(edge_i == e)
            nodes[point_i[mine]] = self._split_edge(int(edges[e, 0]), int(edges[e, 1]), along[mine])
        return nodes, distances

    def _split_edge(self, u: int, v: int, along: np.ndarray) -> np.ndarray:
        """Insert nodes at distances ``along`` from ``u`` on edge u-v; return the node of each distance."""
        data = self.graph.edges[u, v]
        length, minutes = data["length"], data["minutes"]
        a, b = self.xy[u], self.xy[v]
        order = np.argsort(along, kind="stable")
        result = np.empty(len(along), dtype=np.int64)
        chain = [u]
        positions = [0.0]
        new_xy = []
        for k in order:
            t = float(np.clip(along[k], 0.0, length))
            if t <= 1e-6:
                result[k] = u
                continue
            if t >= length - 1e-6:
                result[k] = v
                continue
            if t - positions[-1] <= 1e-6:
                result[k] = chain[-1]
                continue
            node = self.nodes + len(new_xy)
            new_xy.append(a + (b - a) * (t / length))
            chain.append(node)
            positions.append(t)
            result[k] = node
        if len(chain) == 1:
            return result
        self.xy = np.vstack([self.xy, np.array(new_xy)])
        for node, (px, py) in zip(chain[1:], new_xy):
            self.graph.add_node(node, x=float(px), y=float(py))
        self.graph.remove_edge(u, v)
        chain.append(v)
        positions.append(length)
        for (p, q), (s, t) in zip(itertools.pairwise(chain), itertools.pairwise(positions)):
            self.graph.add_edge(p, q, length=t - s, minutes=minutes * (t - s) / length, road=data.get("road", ""))
        return result


def build_road_network(roads: gpd.GeoDataFrame, params: NetworkParams | None = None) -> RoadNetwork:
    """Build the network from a roads layer (lines in a metric CRS).

    Rows that are not lines, or have no geometry, are left out and counted in
    ``summary["roads_rejected"]``. A roads layer with no usable line is an
    :class:`InputError`.
    """
    params = params or NetworkParams()
    params.validate()
    geoms = np.asarray(roads.geometry.values, dtype=object)
    usable = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    usable &= np.isin(shapely.get_type_id(geoms), (shapely.GeometryType.LINESTRING, shapely.GeometryType.MULTILINESTRING, shapely.GeometryType.LINEARRING))
    speeds = _road_speeds(roads, params)
    rejected = int((~usable).sum())
    left_out = int((usable & (speeds <= 0)).sum())
    keep = np.flatnonzero(usable & (speeds > 0))
    if len(keep) == 0:
        raise InputError("The roads layer has no usable line (every row is empty, not a line, or of a class with speed 0).")
    names = roads["name"].astype("string").fillna("").to_numpy(dtype=object) if "name" in roads else np.full(len(roads), "", dtype=object)
    lines = shapely.get_parts(geoms[keep])
    line_road = np.repeat(keep, shapely.get_num_geometries(geoms[keep]))
    if params.node_crossings:
        pieces = shapely.get_parts(shapely.node(shapely.multilinestrings(lines)))
        # Which road each noded piece came from: the line nearest to its midpoint.
        mids = shapely.line_interpolate_point(pieces, 0.5, normalized=True)
        owner = shapely.STRtree(lines).query_nearest(mids, all_matches=False)
        piece_road = np.empty(len(pieces), dtype=np.int64)
        piece_road[owner[0]] = line_road[owner[1]]
    else:
        pieces, piece_road = lines, line_road
    coords, piece_of = shapely.get_coordinates(pieces, return_index=True)
    node_of, xy = _unique_nodes(coords, params.snap_tolerance_m)
    same_piece = piece_of[1:] == piece_of[:-1]
    u, v = node_of[:-1][same_piece], node_of[1:][same_piece]
    road = piece_road[piece_of[:-1][same_piece]]
    length = np.hypot(*(xy[v] - xy[u]).T)
    real = u != v
    u, v, road, length = u[real], v[real], road[real], length[real]
    minutes = length / (speeds[road] * 1000.0 / 60.0)
    graph = nx.Graph()
    graph.add_nodes_from((i, {"x": float(px), "y": float(py)}) for i, (px, py) in enumerate(xy))
    # Parallel edges between two nodes: keep the quickest (added last wins).
    order = np.argsort(-minutes, kind="stable")
    graph.add_edges_from(
        (int(u[i]), int(v[i]), {"length": float(length[i]), "minutes": float(minutes[i]), "road": str(names[road[i]])}) for i in order
    )
    network = RoadNetwork(graph, xy, {})
    joined = _join_dangles(network, params.snap_tolerance_m)
    graph, xy = network.graph, network.xy
    components, labels = connected_components(nx.to_scipy_sparse_array(graph, nodelist=range(len(xy)), format="csr"), directed=False)
    sizes = np.bincount(labels)
    summary = {
        "roads_used": len(keep),
        "roads_rejected": rejected,
        "roads_left_out_speed_0": left_out,
        "nodes": int(graph.number_of_nodes()),
        "edges": int(graph.number_of_edges()),
        "length_km": round(float(length.sum()) / 1000, 3),
        "dead_ends_joined": joined,
        "components": int(components),
        "largest_component_share": round(float(sizes.max() / sizes.sum()), 4) if len(sizes) else None,
    }
    network.summary = summary
    return network


def _join_dangles(network: RoadNetwork, tolerance: float, passes: int = 5) -> int:
    """Join each dead end lying within ``tolerance`` of another edge to that edge (a T junction
    whose end point misses the through road by a rounding error). Returns how many were joined.

    An edge split by one dead end is looked up again in the next pass for the others near it.
    """
    if tolerance <= 0:
        return 0
    graph = network.graph
    joined = 0
    for _ in range(passes):
        dangles = np.array([n for n, d in graph.degree() if d == 1], dtype=np.int64)
        if len(dangles) == 0:
            break
        edges = np.array(list(graph.edges()), dtype=np.int64).reshape(-1, 2)
        segments = shapely.linestrings(np.stack([network.xy[edges[:, 0]], network.xy[edges[:, 1]]], axis=1))
        points = shapely.points(network.xy[dangles])
        dangle_i, edge_i = shapely.STRtree(segments).query(points, predicate="dwithin", distance=tolerance)
        own = (edges[edge_i, 0] == dangles[dangle_i]) | (edges[edge_i, 1] == dangles[dangle_i])
        dangle_i, edge_i = dangle_i[~own], edge_i[~own]
        if len(dangle_i) == 0:
            break
        dist = shapely.distance(points[dangle_i], segments[edge_i])
        order = np.lexsort((dist, dangle_i))
        first = order[np.unique(dangle_i[order], return_index=True)[1]]
        progress = 0
        for d, e, gap in zip(dangle_i[first], edge_i[first], dist[first]):
            u, v = int(edges[e, 0]), int(edges[e, 1])
            node = int(dangles[d])
            if not graph.has_edge(u, v) or graph.degree(node) != 1:
                continue  # split or joined earlier in this pass: next pass
            road = graph.edges[next(iter(graph.edges(node)))].get("road", "")
            along = shapely.line_locate_point(segments[e], points[d])
            target = int(network._split_edge(u, v, np.array([along]))[0])
            if target != node:
                graph.add_edge(node, target, length=float(gap), minutes=0.0, road=road)
                joined += 1
                progress += 1
        if progress == 0:
            break
    return joined


def _road_speeds(roads: gpd.GeoDataFrame, params: NetworkParams) -> np.ndarray:
    speeds = np.full(len(roads), float(params.speed_kmh))
    if params.class_speeds_kmh and "road_class" in roads:
        classes = roads["road_class"].astype("string").fillna("").to_numpy(dtype=object)
        for name, speed in params.class_speeds_kmh.items():
            speeds[classes == name] = float(speed)
    return speeds


def _unique_nodes(coords: np.ndarray, tolerance: float) -> tuple[np.ndarray, np.ndarray]:
    """Node index of every coordinate, and the node coordinates; points within ``tolerance`` are merged."""
    key = np.round(coords / NODE_ROUNDING_M).astype(np.int64)
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    xy = coords[first]
    inverse = inverse.ravel()
    if tolerance > 0 and len(xy) > 1:
        pairs = cKDTree(xy).query_pairs(tolerance, output_type="ndarray")
        if len(pairs):
            n = len(xy)
            links = sparse.coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(n, n))
            _, group = connected_components(links, directed=False)
            _, representative = np.unique(group, return_index=True)
            xy = xy[representative]
            inverse = group[inverse]
    return inverse, xy


def candidate_points(roads: gpd.GeoDataFrame, how: str, spacing_m: float = 50.0) -> gpd.GeoDataFrame:
    """Candidate camera sites on the roads.

    Parameters
    ----------
    how : {"intersections", "vertices", "spacing"}
        ``intersections``: junctions (nodes where three or more road pieces
        meet, after noding); ``vertices``: every vertex of the noded roads
        (junctions, bends and ends); ``spacing``: a point every ``spacing_m``
        metres along each road, plus the junctions.
    spacing_m : float

    Returns
    -------
    GeoDataFrame
        Points with ``site_id``, ``source`` (junction / vertex / along road)
        and ``road`` (nearest road name), in the roads' CRS, without duplicates.
    """
    if how not in ("intersections", "vertices", "spacing"):
        raise InputError(f"Candidates must be 'intersections', 'vertices', 'spacing' or a point file, got {how!r}.")
    network = build_road_network(roads, NetworkParams())
    degree = np.array([d for _, d in sorted(network.graph.degree())])
    junction = degree >= 3
    if how == "intersections":
        xy, source = network.xy[junction], np.full(int(junction.sum()), "junction", dtype=object)
    elif how == "vertices":
        xy, source = network.xy, np.where(junction, "junction", "vertex").astype(object)
    else:
        if not (np.isfinite(spacing_m) and spacing_m > 0):
            raise InputError(f"The candidate spacing must be a positive number of metres, got {spacing_m}.")
        lines = shapely.get_parts(np.asarray(roads.geometry.values, dtype=object))
        lines = lines[np.isin(shapely.get_type_id(lines), (1, 2))]
        lengths = shapely.length(lines)
        per = np.floor(lengths / spacing_m).astype(np.int64) + 1
        which = np.repeat(np.arange(len(lines)), per)
        dist = (np.arange(per.sum()) - np.repeat(np.cumsum(per) - per, per)) * spacing_m
        along = shapely.get_coordinates(shapely.line_interpolate_point(lines[which], dist))
        xy = np.vstack([network.xy[junction], along])
        source = np.concatenate([np.full(int(junction.sum()), "junction", dtype=object), np.full(len(along), "along road", dtype=object)])
    key = np.round(xy / 0.5).astype(np.int64)  # sites within half a metre are one site
    _, first = np.unique(key, axis=0, return_index=True)
    first = np.sort(first)
    xy, source = xy[first], source[first]
    points = shapely.points(xy)
    names = roads["name"].astype("string").fillna("").to_numpy(dtype=object) if "name" in roads else np.full(len(roads), "", dtype=object)
    near = shapely.STRtree(np.asarray(roads.geometry.values)).query_nearest(points, all_matches=False)
    road = np.full(len(points), "", dtype=object)
    road[near[0]] = names[near[1]]
    return gpd.GeoDataFrame(
        {"site_id": [f"S{i + 1:05d}" for i in range(len(points))], "source": source, "road": road}, geometry=points, crs=roads.crs
    )
