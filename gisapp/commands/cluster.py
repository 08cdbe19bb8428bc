"""``gisapp cluster INCIDENTS --out OUT.gpkg``: HDBSCAN, DBSCAN, OPTICS, NNH or K-means, with hulls and ellipses.

The output GeoPackage is a gisapp project with three layers: ``clusters``
(the incidents with ``cluster_id`` and the method's extra columns),
``cluster_hulls`` and ``cluster_ellipses`` (one polygon per cluster). Every
layer carries the parameters and the summary.
"""

from __future__ import annotations

import argparse

from gisapp.analysis.clusters.clustering import BACKENDS, METHODS, ClusterParams, cluster_incidents
from gisapp.layers.errors import InputError

from .common import Inputs, add_filter_options, add_output_options, incident_filter_from, report_summary, write_result


def register(subparsers, commands) -> None:
    parser = subparsers.add_parser(
        "cluster",
        help="cluster incidents (HDBSCAN, DBSCAN, OPTICS, NNH, K-means) with convex hulls and standard deviational ellipses",
        description="Density-based clustering as in ArcGIS (self-adjusting HDBSCAN, defined-distance DBSCAN, multi-scale "
        "OPTICS), or CrimeStat's nearest-neighbour hierarchical clustering (NNH) and K-means; optional space-time "
        "clustering with --time-window.",
    )
    parser.add_argument("input", help="incident file, or a GeoPackage with an incidents layer")
    parser.add_argument("--method", choices=METHODS, default="hdbscan", help="clustering method (default hdbscan)")
    parser.add_argument("--min-cluster-size", type=int, default=15, metavar="N", help="smallest cluster (default 15)")
    parser.add_argument("--min-samples", type=int, metavar="N", help="core neighbourhood size, counting the incident itself (default: the minimum cluster size)")
    parser.add_argument("--eps", type=float, metavar="M",
                        help="search distance in metres (required for dbscan; for nnh a fixed threshold instead of the random one)")
    parser.add_argument("--probability", type=float, default=0.5, metavar="P",
                        help="nnh: one-tailed probability of the threshold distance, 0 < P <= 0.5 (default 0.5: the mean random "
                        "nearest-neighbour distance)")
    parser.add_argument("--area-km2", type=float, metavar="KM2",
                        help="nnh: the study area for the random nearest-neighbour distance (default: the incidents' bounding rectangle)")
    parser.add_argument("--selection", choices=("eom", "leaf"), default="eom", help="HDBSCAN cluster selection (default eom)")
    parser.add_argument("--xi", type=float, default=0.05, help="OPTICS xi steepness (default 0.05)")
    parser.add_argument("--max-eps", type=float, metavar="M", help="OPTICS search limit in metres (faster)")
    parser.add_argument("--k", type=int, metavar="N", help="number of clusters for kmeans")
    parser.add_argument("--seed", type=int, default=0, help="random seed for kmeans (default 0)")
    parser.add_argument("--time-window", type=float, metavar="DAYS", help="space-time: incidents must also be within this many days")
    parser.add_argument("--time-distance", type=float, metavar="M", help="space-time (not dbscan): metres one time window counts as")
    parser.add_argument("--ellipse-sd", type=float, choices=(1.0, 2.0, 3.0), default=1.0, help="standard deviations of the ellipses (default 1)")
    parser.add_argument("--sqrt2", action="store_true", help="scale the ellipse axes by √2 as ArcGIS does")
    parser.add_argument("--backend", choices=BACKENDS, default="auto", help="HDBSCAN implementation (default: the hdbscan package if installed)")
    add_filter_options(parser)
    add_output_options(parser)
    commands["cluster"] = run


def params_from(args: argparse.Namespace) -> ClusterParams:
    return ClusterParams(
        method=args.method,
        min_cluster_size=args.min_cluster_size,
        min_samples=args.min_samples,
        eps=args.eps,
        cluster_selection=args.selection,
        xi=args.xi,
        max_eps=args.max_eps,
        n_clusters=args.k,
        seed=args.seed,
        time_window_days=args.time_window,
        time_distance_m=args.time_distance,
        ellipse_sd=args.ellipse_sd,
        ellipse_sqrt2=args.sqrt2,
        backend=args.backend,
        nnh_probability=args.probability,
        study_area_km2=args.area_km2,
    )


def run(args: argparse.Namespace) -> int:
    if args.method == "dbscan" and args.eps is None:
        raise InputError("dbscan needs --eps, the search distance in metres (for example --eps 100).")
    if args.method == "kmeans" and args.k is None:
        raise InputError("kmeans needs --k, the number of clusters.")
    params = params_from(args)
    inputs = Inputs(args.input, analysis_crs=args.analysis_crs)
    incident_filter = incident_filter_from(args)
    incidents = inputs.incidents(incident_filter)
    result = cluster_incidents(incidents, params)
    result.params["filters"] = incident_filter.to_dict()
    write_result("clusters", result, args.out, inputs.crs, source="gisapp cluster")
    summary = {**result.summary, "out": str(args.out), "crs": inputs.crs.to_string(), "filters": incident_filter.to_dict()}
    report_summary(args, summary, _lines(summary))
    return 0


def _lines(s: dict) -> list[str]:
    method = s["method"] + (f" ({s['backend']})" if s.get("backend") else "") + (f", space-time {s['space_time']}" if s.get("space_time") else "")
    lines = [
        (f"{method}: {s['clusters']} clusters among {s['incidents']:,} incidents; "
         f"{s['clustered']:,} clustered, {s['noise']:,} noise ({s['noise_share']:.1%})"),
    ]
    for c in s["largest"]:
        extra = f", mostly {c['main_subcategory']}" if c.get("main_subcategory") else ""
        lines.append(f"  cluster {c['cluster_id']}: {c['count']:,} incidents at {c['lon']:.5f}, {c['lat']:.5f}; "
                     f"ellipse {c['sd_major_m']:.0f} × {c['sd_minor_m']:.0f} m at {c['rotation_deg']:.0f}°{extra}")
    if nnh := s.get("nnh"):
        for order in nnh["orders"]:
            origin = (f"random nearest-neighbour distance over {nnh['area_km2']:,.1f} km² ({nnh['area_source']}), t = {order['t']}"
                      if order["random_nn_m"] is not None else "fixed")
            lines.append(f"  order {order['order']}: {order['clusters']} clusters, threshold {order['threshold_m']:.1f} m ({origin})")
    lines.extend(f"  note: {note}" for note in s.get("notes", []))
    lines.append(f"  written to {s['out']} (layers clusters, cluster_hulls, cluster_ellipses)")
    return lines
