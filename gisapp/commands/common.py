"""Plumbing shared by the analysis subcommands: inputs, the shared filters, output and summaries.

An input is a layer file, or a GeoPackage (a gisapp project, or any
multi-layer GeoPackage such as ``sample_data/county.gpkg``) from which each
analysis takes the layers it needs by kind: incidents, grids, areas, cameras,
routes, roads. Every result is written as a one-layer gisapp project, so it
opens in gisapp with its parameters and in QGIS as an ordinary layer.
"""

from __future__ import annotations

import argparse
import json
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pyogrio

from gisapp.layers import Layer, LayerList
from gisapp.layers.crs import analysis_crs_for
from gisapp.layers.errors import InputError
from gisapp.layers.filters import IncidentFilter, parse_range
from gisapp.layers.io import read_layers
from gisapp.layers.project import Project, is_project, load_project, save_project
from gisapp.layers.reproject import reproject

from ..cli import print_json

#: ArcGIS "Hot Spot Analysis" output fields, read as gisapp's.
ARCGIS_HOTSPOT_FIELDS = {"Gi_Bin": "gi_bin", "GiZScore": "gi_z", "GiPValue": "gi_p"}


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters (shared by every analysis)")
    group.add_argument("--from", dest="date_from", metavar="DATE", help="first day, e.g. 2024-01-01")
    group.add_argument("--to", dest="date_to", metavar="DATE", help="last day (inclusive)")
    group.add_argument("--category", action="append", metavar="NAME", help="category or subcategory, e.g. 盗窃 or 扒窃 (repeatable)")
    group.add_argument("--hours", metavar="H-H", help="time of day, e.g. 8-12 (half-open; 22-6 wraps midnight)")
    group.add_argument("--weekdays", metavar="D-D", help="ISO weekdays, e.g. 1-5 for Monday to Friday")
    group.add_argument("--within", metavar="AREA", help="an area or grid name in the input GeoPackage, or a polygon file")


def add_output_options(parser: argparse.ArgumentParser, required: bool = True) -> None:
    parser.add_argument("--out", required=required, type=Path, metavar="OUT.gpkg", help="GeoPackage to write the result to")
    parser.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    parser.add_argument("--crs", dest="analysis_crs", default="auto", help="analysis CRS in metres (auto: CGCS2000 3° zone of the data)")


class Inputs:
    """The layers an analysis reads, from one GeoPackage or file plus per-kind overrides."""

    def __init__(self, path: str | Path, overrides: dict[str, str | Path | None] | None = None, analysis_crs: str = "auto"):
        self.path = Path(path)
        self.overrides = {k: v for k, v in (overrides or {}).items() if v}
        self.setting = analysis_crs

    @cached_property
    def _layers(self) -> LayerList:
        if self.path.suffix.lower() == ".gpkg" and is_project(self.path):
            project = load_project(self.path)
            self.project_filters = project.filters
            return project.layers
        return LayerList(read_layers(self.path))

    @property
    def layers(self) -> LayerList:
        """Every layer of the input, in order (a project's result layers included)."""
        return self._layers

    def layer(self, kind: str, required: bool = True) -> Layer | None:
        """The layer of ``kind``: from its override file, else the input's layer named or of that kind."""
        if kind in self.overrides:
            layers = read_layers(self.overrides[kind], kind=kind)
            return layers[0]
        candidates = [layer for layer in self._layers if layer.name == kind] or [layer for layer in self._layers if layer.kind == kind]
        if not candidates:
            if required:
                raise InputError(f"{self.path.name} has no {kind} layer: give one with --{kind} FILE.")
            return None
        return candidates[0]

    @cached_property
    def crs(self):
        incidents = self.layer("incidents", required=False) or next(iter(self._layers))
        # Local-metres data (not georeferenced) are analysed in their own metric system.
        return analysis_crs_for(incidents.data, self.setting)

    def frame(self, kind: str, required: bool = True) -> gpd.GeoDataFrame | None:
        """The layer's data in the analysis CRS."""
        layer = self.layer(kind, required)
        return None if layer is None else reproject(layer.data, self.crs)

    def incidents(self, incident_filter: IncidentFilter) -> gpd.GeoDataFrame:
        """Filtered incidents in the analysis CRS; an empty selection is a user mistake."""
        data = self.frame("incidents")
        if incident_filter.within and incident_filter.within_geometry is None:
            incident_filter.within_geometry = self.area_geometry(incident_filter.within)
        selected = incident_filter.apply(data)
        if len(selected) == 0:
            raise InputError(f"The filters leave no incidents out of {len(data):,}: widen them.")
        return selected

    def area_geometry(self, name_or_file: str):
        """The polygon named ``name_or_file`` in the areas or grids layer (or all grids of a township),
        or the union of a polygon file."""
        candidate = Path(name_or_file)
        if candidate.suffix and candidate.exists():
            polygons = read_layers(candidate)[0].data
            return reproject(polygons, self.crs).union_all()
        for kind, column in (("areas", "name"), ("grids", "name"), ("grids", "grid_id"), ("areas", "area_id"), ("grids", "township")):
            frame = self.frame(kind, required=False)
            if frame is not None and column in frame:
                hit = frame[frame[column].astype(str) == name_or_file]
                if len(hit):
                    return hit.union_all()
        raise InputError(f"No area or grid is named {name_or_file!r}, and no such polygon file exists.")


def incident_filter_from(args: argparse.Namespace) -> IncidentFilter:
    """The shared filter options as an :class:`IncidentFilter` (validated)."""
    hours = None
    if args.hours:
        parts = str(args.hours).split("-")
        try:
            hours = (int(parts[0]), int(parts[1]))
        except (ValueError, IndexError):
            raise InputError(f"--hours takes a range such as 8-12; got {args.hours!r}.") from None
    result = IncidentFilter(
        start=args.date_from,
        end=args.date_to,
        hours=hours,
        weekdays=parse_range(args.weekdays, 1, 7, "--weekdays") if args.weekdays else None,
        categories=args.category,
        within=args.within,
    )
    result.validate()
    return result


def write_result(main_name: str, result, out: Path, crs, source: str | None = None, styles: dict | None = None) -> Path:
    """Save ``result.layer`` and every ``result.extra_layers`` (if any) as one gisapp project at ``out``.

    Every layer carries the parameters and summary, so each stands on its own
    when opened alone; extra layers (blind spots, stops, cluster hulls, ...)
    also name the main one they belong to.
    """
    if out.suffix.lower() != ".gpkg":
        raise InputError(f"--out must name a .gpkg file; got {out.name}.")
    params = json.loads(json.dumps({**result.params, "summary": result.summary}, default=str))
    styles = styles or {}
    frames = {main_name: result.layer, **getattr(result, "extra_layers", {})}
    layers = []
    for name, frame in frames.items():
        data = frame if frame.crs is not None else frame.set_crs(crs)
        layer_params = params if name == main_name else {**params, "part_of": main_name}
        layers.append(Layer(name, "result", data, source=source or f"gisapp {main_name}", style=styles.get(name), params=layer_params))
    return save_project(Project(LayerList(layers), analysis_crs=str(crs.to_string())), out)


def add_layer_options(parser: argparse.ArgumentParser, kinds) -> None:
    group = parser.add_argument_group("layers (taken from the input GeoPackage when not given)")
    for kind in kinds:
        group.add_argument(f"--{kind}", metavar="FILE", help=f"{kind} layer file")


def layer_overrides(args: argparse.Namespace, kinds) -> dict:
    return {kind: getattr(args, kind, None) for kind in kinds}


def reader_rejects(inputs: Inputs, kind: str) -> list[dict]:
    """Rows of the ``kind`` layer that the reader rejected (``{"row", "reason"}``), so no row goes missing silently."""
    layer = inputs.layer(kind, required=False)
    report = getattr(layer, "report", None)
    return [problem.to_dict() for problem in getattr(report, "rejects", [])]


def rejected_note(rejects: list[dict], what: str) -> list[str]:
    if not rejects:
        return []
    first = rejects[0]
    return [f"{len(rejects)} {what} rows rejected on reading (first: row {first['row']}, {first['reason']}); see gisapp inspect"]


def read_hotspot_file(path) -> gpd.GeoDataFrame | None:
    """The hotspot cells of a ``gisapp hotspot`` result (or any polygon layer with ``gi_bin`` / ArcGIS ``Gi_Bin``)."""
    if not path:
        return None
    path = Path(path)
    if not path.is_file():
        raise InputError(f"The hotspot file {path} does not exist.")
    if path.suffix.lower() == ".gpkg" and is_project(path):
        frames = [layer.data for layer in load_project(path).layers]
    elif path.suffix.lower() == ".gpkg":
        frames = [pyogrio.read_dataframe(str(path), layer=name) for name, _ in pyogrio.list_layers(str(path))]
    else:
        frames = [layer.data for layer in read_layers(path, kind="result")]
    for frame in frames:
        frame = frame.rename(columns={k: v for k, v in ARCGIS_HOTSPOT_FIELDS.items() if k in frame.columns and v not in frame.columns})
        if "gi_bin" in frame.columns:
            return frame
    raise InputError(f"{path.name} has no layer with a gi_bin column: give the output of 'gisapp hotspot'.")


def read_plain_layer(path, what: str) -> gpd.GeoDataFrame | None:
    """Any layer file as a GeoDataFrame (obstacles, stations, candidate sites), or None."""
    if not path:
        return None
    layers = read_layers(path, kind="result")
    if not layers or len(layers[0].data) == 0:
        raise InputError(f"The {what} file {Path(path).name} holds no features.")
    return layers[0].data


def publish(args: argparse.Namespace, main_name: str, result, crs, source: str, describe) -> int:
    """Write ``result`` to ``args.out``, then report its summary (with the file and its layers) via ``describe``."""
    write_result(main_name, result, args.out, crs, source)
    summary = {**result.summary, "out": str(args.out), "layers": [main_name, *getattr(result, "extra_layers", {})]}
    report_summary(args, summary, describe(summary))
    return 0


def percent(share) -> str:
    """A share as ``12.3%``, or ``n/a`` when it could not be computed."""
    return "n/a" if share is None else f"{100 * share:.1f}%"


def report_summary(args: argparse.Namespace, summary: dict, lines: list[str]) -> None:
    """``--json``: the summary as JSON on stdout; otherwise readable lines."""
    if getattr(args, "json", False):
        print_json(summary)
    else:
        print("\n".join(lines))
