"""One command per declared method, generated: options, checks, run, result file and summary.

``gisapp KEY INPUT [options] --out OUT.gpkg`` exists for every method of
:mod:`gisapp.analysis.catalog`. Its options are the method's parameters plus
the options every analysis shares (reading the input, the filters, the layer
files, the output), all generated from their declarations. A method may add
outputs of its own (a GeoTIFF, a CSV table, a PNG figure) through a module
``gisapp.commands.KEY`` with ``add_outputs(parser)`` and
``write_outputs(args, result[, inputs]) -> dict``.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
from functools import partial
from pathlib import Path

from gisapp.analysis.core.contract import Method, parameters
from gisapp.analysis.core.input_options import FilterOptions, ReadingOptions
from gisapp.analysis.geocode.methods import GeocodeOptions
from gisapp.layers.errors import InputError

from .arguments import add_params, given_values, language

OUTPUT = "output"
LAYERS = "layer files (taken from the input GeoPackage when not given)"


def register_method(subparsers, commands: dict, method: Method, variants: tuple = ()) -> None:
    """Add ``gisapp METHOD`` with every option generated from the declarations.

    ``variants`` are methods run by a switch of this command (``--plan``); their
    parameters join the command's options (one option per name).
    """
    parser = subparsers.add_parser(
        method.key, help=_escaped(method.summary.en), description=_escaped(method.description.en or method.summary.en), allow_abbrev=False,
    )
    parser.add_argument("input", help="an incident file (CSV, Excel, GeoJSON, Shapefile) or a GeoPackage / gisapp project")
    groups: dict = {}
    add_params(parser, method.parameters(), groups)
    seen = {p.name for p in method.parameters()}
    for variant in variants:
        switch = parser.add_argument_group(f"{variant.title.en} ({variant.variant_flag})")
        switch.add_argument(variant.variant_flag, dest=f"variant_{variant.key}", action="store_true", help=_escaped(variant.summary.en))
        add_params(switch, [p for p in variant.parameters() if p.name not in seen])
        seen |= {p.name for p in variant.parameters()}
    layer_kinds = [kind for m in (method, *variants) for kind in (*m.needs, *m.uses) if kind != "incidents"]
    if layer_kinds:
        group = parser.add_argument_group(LAYERS)
        for kind in dict.fromkeys(layer_kinds):
            group.add_argument(f"--{kind}", dest=f"layer_{kind}", metavar="FILE", help=f"read the {kind} layer from FILE")
    add_params(parser, parameters(ReadingOptions), groups)
    own = {p.option for m in (method, *variants) for p in m.parameters()}
    add_params(parser, [p for p in parameters(GeocodeOptions) if p.option not in own], groups)
    add_params(parser, parameters(FilterOptions), groups)
    add_output_options(parser)
    extras = method_outputs(method)
    if extras is not None:
        extras.add_outputs(parser)
    commands[method.key] = partial(run_chosen, method, variants)


def run_chosen(method: Method, variants: tuple, args: argparse.Namespace) -> int:
    """Run the variant whose switch is on, else the command's own method."""
    chosen = next((v for v in variants if getattr(args, f"variant_{v.key}", False)), method)
    own = {p.name for p in chosen.parameters()}
    for other in (method, *variants):
        for p in other.parameters():
            if p.name not in own and getattr(args, p.name, None) is not None:
                switch = f" with {other.variant_flag}" if other.variant_flag else f" without {chosen.variant_flag}"
                raise InputError(f"{p.option} applies only{switch}.")
    return run_method(chosen, args)


def _escaped(text: str) -> str:
    return text.replace("%", "%%")  # argparse formats help texts with %


def add_output_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(OUTPUT)
    group.add_argument("--out", required=True, type=Path, metavar="OUT.gpkg", help="GeoPackage to write the result to")
    group.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    group.add_argument("--analysis-crs", dest="analysis_crs", default="auto", metavar="CRS",
                       help="analysis coordinate system in metres (auto: the CGCS2000 3° zone of the data, or its own local system)")
    group.add_argument("--crs", dest="analysis_crs_alias", metavar="CRS", help=argparse.SUPPRESS)
    group.add_argument("--lang", choices=("zh", "en"), help="language of the printed summary (default: the locale)")


def method_outputs(method: Method):
    """The module of the method's own extra outputs, or None."""
    name = f"gisapp.commands.{method.key.replace('-', '_')}"
    return importlib.import_module(name) if importlib.util.find_spec(name) is not None else None


def run_method(method: Method, args: argparse.Namespace) -> int:
    """Parse and check everything, then run, write and report."""
    from gisapp.analysis.core.inputs import Inputs
    from gisapp.analysis.core.running import execute, result_layers

    from ..summaries import describe
    from .output import report_summary, save_layers
    from .progress import TerminalProgress

    if args.out.suffix.lower() != ".gpkg":
        raise InputError(f"--out must name a .gpkg file; got {args.out.name}.")
    params = method.build(given_values(args, method.parameters()))
    reading = ReadingOptions(**checked_options(ReadingOptions, args))
    notes = []
    analysis_crs = args.analysis_crs
    if args.analysis_crs_alias:
        analysis_crs = args.analysis_crs_alias
        notes.append("--crs on an analysis is the analysis coordinate system (metres); the file's own system is --input-crs")
    filters = incident_filter(FilterOptions(**checked_options(FilterOptions, args)))
    inputs = Inputs(
        args.input,
        overrides={kind: getattr(args, f"layer_{kind}", None) for kind in (*method.needs, *method.uses) if kind != "incidents"},
        analysis_crs=analysis_crs,
        reading={**reading_keywords(reading), "keep": method.incident_columns(params, filters)},
        incident_filter=filters,
    )
    if not inputs.source.exists():
        raise InputError(f"{args.input} does not exist.")
    own = {p.name for p in method.parameters()}
    geocoding = GeocodeOptions(**{k: v for k, v in checked_options(GeocodeOptions, args).items() if k not in own})
    if geocoding.geocode:
        inputs.geocoder = incident_geocoder(geocoding, inputs)
        if inputs.reading.get("keep") is not None:
            inputs.reading["keep"] = (*inputs.reading["keep"], "address")
    with TerminalProgress() as progress:
        progress(0.0, f"Reading {inputs.title}")
        result = execute(method, inputs, params, progress)
        progress(0.99, f"Writing {args.out.name}")
        extras = method_outputs(method)
        written = write_extra_outputs(extras, args, result, inputs) if extras is not None else {}
        result.summary.update(written)  # the files written belong to the recorded summary too
        layers = result_layers(method, result)
        save_layers(layers, args.out, inputs.crs)
    summary = {**result.summary, "out": str(args.out), "layers": [layer.name for layer in layers]}
    if notes:
        summary["notes"] = [*summary.get("notes", []), *notes]
    report_summary(args, summary, describe(method.key, summary, language(args)))
    return 0


def write_extra_outputs(extras, args: argparse.Namespace, result, inputs) -> dict:
    """Call the method's ``write_outputs(args, result[, inputs])`` (the input's layers, for context in a figure)."""
    import inspect

    if len(inspect.signature(extras.write_outputs).parameters) >= 3:
        return extras.write_outputs(args, result, inputs)
    return extras.write_outputs(args, result)


def checked_options(options_class, args: argparse.Namespace) -> dict:
    """The typed values of a group of shared options, through each declaration's parser."""
    from gisapp.analysis.core.contract import parameters as declared

    params = declared(options_class)
    return {p.name: p.parse(raw) for p in params for raw in [given_values(args, [p]).get(p.name)] if raw is not None}


def incident_geocoder(options, inputs):
    """``--geocode``: the reader's geocoder, its gazetteer from ``--gazetteer`` and the layer files given (``--roads`` …)."""
    from gisapp.analysis.geocode.incidents import address_geocoder

    if not options.gazetteer and not inputs.overrides:
        raise InputError("--geocode needs a gazetteer: give --gazetteer FILE (a GeoPackage with addresses and roads, "
                         "or a table of standard addresses with coordinates).")
    layers = [inputs.layer(kind) for kind in inputs.overrides]
    if options.address_column:
        inputs.reading.setdefault("columns", {})["address"] = options.address_column
    return address_geocoder(options, layers)


def reading_keywords(options: ReadingOptions) -> dict:
    """``read_layers`` keyword arguments from the reading options."""
    return {
        "columns": parse_mapping(options.map),
        "crs": options.input_crs,
        "layer": options.layer,
        "encoding": options.encoding,
        "sheet": options.sheet,
        "header_row": options.header_row,
    }


def parse_mapping(items) -> dict[str, str]:
    """``("x=经度", "y=纬度")`` -> ``{"x": "经度", "y": "纬度"}``."""
    mapping = {}
    for item in items or ():
        role, sep, column = str(item).partition("=")
        if not sep or not role.strip() or not column.strip():
            raise InputError(f"--map takes ROLE=COLUMN, e.g. --map x=经度; got {item!r}.")
        mapping[role.strip()] = column.strip()
    return mapping


def incident_filter(options: FilterOptions):
    """The shared filter options as a validated :class:`~gisapp.layers.filters.IncidentFilter`."""
    from gisapp.layers.filters import IncidentFilter, parse_range

    hours = None
    if options.hours:
        parts = str(options.hours).split("-")
        try:
            hours = (int(parts[0]), int(parts[1]))
        except (ValueError, IndexError):
            raise InputError(f"--hours takes a range such as 8-12; got {options.hours!r}.") from None
    result = IncidentFilter(
        start=options.date_from,
        end=options.date_to,
        hours=hours,
        weekdays=parse_range(options.weekdays, 1, 7, "--weekdays") if options.weekdays else None,
        categories=list(options.category) or None,
        within=options.within,
    )
    result.validate()
    return result
