"""``gisapp hotspot``: Getis-Ord Gi* hot and cold spots, scale chosen automatically on request."""

from __future__ import annotations

import argparse

import geopandas as gpd

from gisapp.analysis.hotspots.optimized import HotspotParams, optimized_hotspots
from gisapp.layers.errors import InputError

from .common import Inputs, add_filter_options, add_output_options, incident_filter_from, report_summary, write_result
from .options import add_neighbourhood_options, neighbourhood_options

TOP = 5


def register(subparsers, commands) -> None:
    parser = subparsers.add_parser("hotspot", help="Getis-Ord Gi* hot spot analysis (ArcGIS Gi_Bin, FDR, automatic scale)")
    parser.add_argument("incidents", help="incident file, or a GeoPackage/project holding an incidents layer")
    add_neighbourhood_options(parser)
    parser.add_argument("--permutations", type=int, default=0, help="conditional permutations for gi_p_sim (e.g. 999)")
    parser.add_argument("--seed", type=int, default=12345)
    parser.add_argument("--no-fdr", action="store_true", help="bins without the False Discovery Rate correction")
    add_filter_options(parser)
    add_output_options(parser)
    commands["hotspot"] = run


def run(args: argparse.Namespace) -> int:
    inputs = Inputs(args.incidents, analysis_crs=args.analysis_crs)
    incidents = inputs.incidents(incident_filter_from(args))
    params = HotspotParams(
        **neighbourhood_options(args, inputs),
        permutations=_permutations(args.permutations),
        seed=args.seed,
        fdr=not args.no_fdr,
    )
    result = optimized_hotspots(incidents, params)
    result.summary["top_hotspots"] = top_hotspots(result.layer, inputs)
    result.summary["filters"] = incident_filter_from(args).to_dict()
    path = write_result("hotspots", result, args.out, inputs.crs)
    result.summary["out"] = str(path)
    report_summary(args, result.summary, describe(result.summary))
    return 0


def _permutations(n: int) -> int:
    if n < 0 or n > 99_999:
        raise InputError(f"--permutations must be between 0 and 99999; got {n}.")
    return n


def top_hotspots(cells: gpd.GeoDataFrame, inputs: Inputs, top: int = TOP) -> list[dict]:
    """The strongest hot cells, with their centre in lon/lat and the place they touch (area, else grid)."""
    hot = cells[cells["gi_bin"] > 0].sort_values("gi_z", ascending=False).head(top)
    if hot.empty:
        return []
    lonlat = gpd.GeoSeries(hot.geometry.centroid, crs=cells.crs).to_crs(4326)
    places = _place_names(hot.geometry.reset_index(drop=True), inputs)
    return [
        {
            "rank": rank + 1,
            "n": int(row.n),
            "gi_z": round(float(row.gi_z), 2),
            "gi_bin": int(row.gi_bin),
            "lon": round(float(point.x), 6),
            "lat": round(float(point.y), 6),
            "place": place,
        }
        for rank, (row, point, place) in enumerate(zip(hot.itertuples(), lonlat, places))
    ]


def _place_names(cells: gpd.GeoSeries, inputs: Inputs) -> list[str | None]:
    """Name each cell by the area it overlaps most (a market says more than a grid), else the grid of its centre."""
    names: list[str | None] = [None] * len(cells)
    grids = inputs.frame("grids", required=False)
    if grids is not None and "name" in grids:
        centres = gpd.GeoDataFrame(geometry=cells.centroid.values, crs=grids.crs)
        for index, name in gpd.sjoin(centres, grids[["name", "geometry"]], predicate="within")["name"].groupby(level=0).first().items():
            names[int(index)] = str(name)
    areas = inputs.frame("areas", required=False)
    if areas is not None and "name" in areas:
        frame = gpd.GeoDataFrame(geometry=cells.values, crs=areas.crs)
        hits = gpd.sjoin(frame, areas[["name", "geometry"]], predicate="intersects")
        if not hits.empty:
            overlap = [cells.iloc[i].intersection(areas.geometry.iloc[j]).area for i, j in zip(hits.index, hits["index_right"])]
            hits = hits.assign(overlap=overlap).sort_values("overlap", ascending=False)
            for index, name in hits["name"].groupby(level=0).first().items():
                names[int(index)] = str(name)
    return names


def describe(summary: dict) -> list[str]:
    bins = summary["gi_bin"]
    lines = [
        f"Gi* hot spots: {summary['cells']:,} cells"
        + (f" of {summary['cell_size_m']:.0f} m" if summary.get("cell_size_m") else "")
        + (f", distance band {summary['band_m']:.0f} m" if summary.get("band_m") else "")
        + f", {summary['incidents']:,} incidents, FDR {'on' if summary['fdr'] else 'off'}",
        f"  hot  99% {bins['3']:,}  95% {bins['2']:,}  90% {bins['1']:,}",
        f"  cold 99% {bins['-3']:,}  95% {bins['-2']:,}  90% {bins['-1']:,}   not significant {bins['0']:,}",
    ]
    lines += [f"  why: {reason}" for reason in summary["scale"].get("reasons", [])]
    for spot in summary.get("top_hotspots", []):
        lines.append(f"  #{spot['rank']} z={spot['gi_z']} n={spot['n']} at {spot['lon']}, {spot['lat']}" + (f" ({spot['place']})" if spot["place"] else ""))
    lines.append(f"  written to {summary['out']}")
    return lines
