"""``gisapp kde INCIDENTS --out OUT.gpkg``: kernel density raster (GeoTIFF) plus percent-volume isopleths."""

from __future__ import annotations

import argparse
from pathlib import Path

from gisapp.analysis.hotspots.density import KERNELS, METHODS, KdeParams, kernel_density
from gisapp.layers.errors import InputError
from gisapp.layers.raster import write_geotiff

from .common import Inputs, add_filter_options, add_output_options, incident_filter_from, report_summary, write_result


def register(subparsers, commands) -> None:
    parser = subparsers.add_parser(
        "kde",
        help="kernel density of incidents (incidents per km²) as a GeoTIFF, plus isopleth polygons",
        description="Quartic (ArcGIS/QGIS) or Gaussian kernel density in incidents per km². Writes the surface as a "
        "float32 GeoTIFF and the percent-volume isopleth bands (50/75/90/95 %) to the GeoPackage.",
    )
    parser.add_argument("input", help="incident file, or a GeoPackage with an incidents layer")
    parser.add_argument("--kernel", choices=KERNELS, default="quartic", help="kernel (default quartic, as ArcGIS and QGIS)")
    parser.add_argument("--bandwidth", default="arcgis", metavar="M|arcgis|silverman",
                        help="search radius (quartic) or standard deviation (gaussian) in metres, or a rule (default arcgis)")
    parser.add_argument("--cell", default="auto", metavar="M|auto", help="cell size in metres (auto: shorter side / 250, as ArcGIS)")
    parser.add_argument("--weight", metavar="FIELD", help="numeric incident column to weight by")
    parser.add_argument("--method", choices=METHODS, default="auto", help="exact summation, binned FFT, or the faster of the two")
    parser.add_argument("--extent", metavar="XMIN,YMIN,XMAX,YMAX", help="output extent in the analysis CRS (metres)")
    parser.add_argument("--levels", default="50,75,90,95", metavar="P,P,...", help="percent-volume isopleth levels (default 50,75,90,95)")
    parser.add_argument("--raster", type=Path, metavar="OUT.tif", help="GeoTIFF to write (default: OUT.gpkg with .tif)")
    add_filter_options(parser)
    add_output_options(parser)
    commands["kde"] = run


def _numbers(text: str, what: str, count: int | None = None) -> tuple[float, ...]:
    try:
        values = tuple(float(v) for v in str(text).split(",") if v.strip())
    except ValueError:
        raise InputError(f"{what} takes comma-separated numbers; got {text!r}.") from None
    if count is not None and len(values) != count:
        raise InputError(f"{what} takes {count} comma-separated numbers; got {text!r}.")
    return values


def params_from(args: argparse.Namespace) -> KdeParams:
    bandwidth = args.bandwidth.strip().lower()
    bandwidth = "arcgis" if bandwidth == "auto" else bandwidth
    if bandwidth not in ("arcgis", "silverman"):
        bandwidth = _numbers(bandwidth, "--bandwidth", 1)[0]
    cell = args.cell.strip().lower()
    levels = tuple(sorted(_numbers(args.levels, "--levels")))
    if not levels or not all(0 < v <= 100 for v in levels):
        raise InputError(f"--levels takes percentages between 0 and 100; got {args.levels!r}.")
    return KdeParams(
        kernel=args.kernel,
        bandwidth=bandwidth,
        cell_size="auto" if cell == "auto" else _numbers(cell, "--cell", 1)[0],
        weight_field=args.weight,
        extent=_numbers(args.extent, "--extent", 4) if args.extent else None,
        method=args.method,
        volume_levels=levels,
    )


def run(args: argparse.Namespace) -> int:
    params = params_from(args)
    if args.out.suffix.lower() != ".gpkg":
        raise InputError(f"--out must name a .gpkg file; got {args.out.name}.")
    raster_path = args.raster or args.out.with_suffix(".tif")
    inputs = Inputs(args.input, analysis_crs=args.analysis_crs)
    incident_filter = incident_filter_from(args)
    incidents = inputs.incidents(incident_filter)
    result = kernel_density(incidents, params)
    result.raster.metadata["filters"] = incident_filter.to_dict()
    write_geotiff(result.raster, raster_path)
    result.params["raster"] = str(raster_path)
    result.params["filters"] = incident_filter.to_dict()
    write_result("kde_isopleths", result, args.out, inputs.crs)
    summary = {**result.summary, "raster": str(raster_path), "out": str(args.out), "crs": inputs.crs.to_string(),
               "filters": incident_filter.to_dict()}
    report_summary(args, summary, _lines(summary))
    return 0


def _lines(s: dict) -> list[str]:
    peak = s["max_density_at"]
    rule = {"arcgis": "ArcGIS default radius", "silverman": "Silverman's rule", "fixed": "given"}[s["bandwidth_rule"]]
    lines = [
        f"kernel density of {s['incidents']:,} incidents: {s['kernel']} kernel, bandwidth {s['bandwidth_m']:.0f} m ({rule}), "
        f"{s['cell_size_m']:g} m cells, {s['rows']}×{s['cols']} grid, {s['method']} summation"
        + (f" (binning error ≤ {s['binning_error_bound']:.2%} of one incident's peak)" if s["method"] == "fft" else ""),
        f"  peak {s['max_density']:,.1f} {s['units']} at {peak['lon']:.5f}, {peak['lat']:.5f}",
    ]
    for band in s["bands"]:
        lines.append(f"  {band['volume_pct']:g} % of the density lies within {band['area_within_km2']:.3f} km² "
                     f"(density ≥ {band['density_min']:,.1f})")
    lines.append(f"  raster {s['raster']}; isopleths {s['out']}")
    return lines
