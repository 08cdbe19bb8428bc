"""``gisapp geocode``: place the rows of an address table, the runner both front ends call.

Rows whose own coordinates are usable keep them (level ``坐标``); the others
are matched by their address (:mod:`.frame`) against the gazetteer built from
the input's layers (a GeoPackage's addresses, roads, areas, grids and named
points; ``--roads``/``--areas``/``--grids`` files) and ``--gazetteer``.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from gisapp.analysis.core.result import AnalysisResult
from gisapp.analysis.core.result import report as progress_report
from gisapp.layers.errors import InputError

from .frame import COLUMNS, match_frame, report_of
from .gazetteer import build_gazetteer
from .levels import COORDINATES
from .table import TABLES, AddressTable, read_address_table

#: The input-file row number of each result row.
ROW = "geocode_row"


def run_geocode(inputs, params, progress=None, cancelled=None) -> AnalysisResult:
    """Runner of the ``geocode`` method (see :mod:`gisapp.analysis.geocode.methods`)."""
    progress_report(progress, cancelled, 0.0, "读取地址表")
    table = _table(inputs, params)
    todo = np.setdiff1d(np.arange(len(table.frame)), table.placed.index.to_numpy())
    progress_report(progress, cancelled, 0.1, "建立地址库")
    gazetteer = None
    if len(todo) or params.gazetteer:
        extra = _extra_file(inputs, params)
        gazetteer = build_gazetteer(_gazetteer_layers(inputs, table.name), extra, _crs(inputs), aliases=_aliases(inputs, extra))
        if len(todo) and gazetteer.is_empty:
            raise InputError(
                f"{len(todo):,} rows of {inputs.title} need their address matched, but there is no gazetteer: give --gazetteer FILE "
                "(standard addresses with coordinates) or a GeoPackage holding addresses, roads, areas or grids."
            )
    crs = gazetteer.crs if gazetteer is not None else _crs(inputs) or _own_crs(table)
    address_column = params.address_column or (inputs.reading.get("columns") or {}).get("address")
    matched, report = match_frame(table.frame.iloc[todo], gazetteer, params, address_column, table.rows[todo], progress, cancelled) \
        if len(todo) else (None, None)
    layer = _combined(table, matched, crs)
    inputs.crs = crs  # an address table has no layer to choose the analysis CRS from: the result's is the run's
    summary = _summary(table, layer, report, params, gazetteer)
    chosen = {"address_column": report["address_column"]} if report else {}
    return AnalysisResult(layer, summary, params={"min_level": params.min_level, "min_score": params.min_score,
                                                  "analysis_crs": crs.to_string()}, chosen=chosen)


# --------------------------------------------------------------------------- inputs


def _table(inputs, params) -> AddressTable:
    chosen = params.table
    if chosen:
        named = [layer for layer in inputs.layers if layer.name == chosen]
        if named:
            return _layer_table(named[0].data, chosen)
        return read_address_table(chosen)
    if inputs.source.is_file():
        return read_address_table(inputs.source, inputs.reading)
    if inputs.layer("incidents", required=False) is not None:  # the window: the incidents its filter keeps
        return _layer_table(inputs.incidents(), "incidents")
    raise InputError("Choose the address table to place (a layer or a CSV/Excel file).")


def _layer_table(data, name: str) -> AddressTable:
    frame = pd.DataFrame(data.drop(columns=data.geometry.name)).reset_index(drop=True)
    keep = data.geometry.notna().to_numpy() & ~data.geometry.is_empty.to_numpy()
    placed = gpd.GeoDataFrame(frame[keep], geometry=data.geometry.values[keep], crs=data.crs)
    return AddressTable(frame, np.arange(1, len(frame) + 1), placed, {}, [], len(frame), name)


def _is_table_file(inputs) -> bool:
    return inputs.source.suffix.lower() in TABLES and inputs.source.is_file()


def _gazetteer_layers(inputs, table_name: str) -> list:
    """The input's layers (but the table itself), with ``--roads``/``--areas``/``--grids`` files in place of their kinds."""
    overrides = [kind for kind in ("roads", "areas", "grids") if kind in inputs.overrides]
    own = [] if _is_table_file(inputs) else [layer for layer in inputs.layers if layer.name != table_name and layer.kind not in overrides]
    return own + [inputs.layer(kind) for kind in overrides]


def _extra_file(inputs, params):
    """``--gazetteer`` as a file; a layer of the input so named is already among the input's layers."""
    value = params.gazetteer
    if not value:
        return None
    if not _is_table_file(inputs) and any(layer.name == value for layer in inputs.layers):
        return None
    if not Path(value).is_file():
        raise InputError(f"The gazetteer {value} is neither a layer of {inputs.title} nor an existing file.")
    return value


def _aliases(inputs, extra_file) -> dict:
    """The learned corrections: set on the inputs by the window, else those of the input or gazetteer project files."""
    given = getattr(inputs, "geocode_aliases", None)
    if given is not None:
        return given
    from gisapp.layers.project import is_project, read_geocode_aliases

    from .aliases import checked

    merged = {}
    for source in (Path(extra_file) if extra_file else None, inputs.source):
        if source is not None and source.suffix.lower() == ".gpkg" and source.is_file() and is_project(source):
            table = checked(read_geocode_aliases(source))
            merged = {**table, "entries": {**merged.get("entries", {}), **table["entries"]}}
    return merged


def _crs(inputs):
    """The analysis CRS when the input decides it (a layer file or project, or a CRS the user named); None for 'auto' on a table."""
    if not _is_table_file(inputs) and inputs.layers:
        return inputs.crs
    if inputs.setting in (None, "", "auto"):
        return None
    from gisapp.layers.crs import analysis_crs_from_setting

    return analysis_crs_from_setting(inputs.setting, np.empty(0), np.empty(0))


def _own_crs(table: AddressTable):
    from gisapp.layers.crs import analysis_crs_from_setting
    from gisapp.layers.reproject import reproject

    if not len(table.placed):
        raise InputError("The table has no rows to place.")
    points = reproject(table.placed, "EPSG:4326").geometry
    return analysis_crs_from_setting("auto", points.x.to_numpy(), points.y.to_numpy())


# --------------------------------------------------------------------------- the result


def _combined(table: AddressTable, matched, crs) -> gpd.GeoDataFrame:
    from gisapp.layers.reproject import reproject

    own = reproject(table.placed, crs) if len(table.placed) else table.placed.set_crs(crs, allow_override=True)
    own = own.assign(geocode_level=COORDINATES, geocode_score=100.0, geocode_match="", geocode_note="", geocode_reason="",
                     geocode_radius_m=0.0, geocode_candidates="")
    parts = [own]
    if matched is not None:
        notes = [table.unusable.get(int(r)) for r in table.rows[matched.index.to_numpy()]]
        matched = matched.copy()
        matched["geocode_note"] = [f"原坐标不可用（{n}）；{old}" if n else old for n, old in zip(notes, matched["geocode_note"])]
        parts.append(matched)
    combined = pd.concat(parts).sort_index()
    combined.insert(0, ROW, table.rows[combined.index.to_numpy()])
    out = gpd.GeoDataFrame(combined.reset_index(drop=True), geometry="geometry", crs=crs)
    ordered = [c for c in out.columns if c not in COLUMNS and c != "geometry"] + list(COLUMNS) + ["geometry"]
    return out[ordered]


def _summary(table: AddressTable, layer: gpd.GeoDataFrame, report: dict | None, params, gazetteer) -> dict:
    summary = report_of(layer, layer[ROW].to_numpy(), report["address_column"], params.min_level, gazetteer) if report \
        else report_of(layer.assign(_address=""), layer[ROW].to_numpy(), "_address", params.min_level, gazetteer)
    summary["rows_read"] = int(table.rows_read)
    for row, reason in table.unreadable:
        summary["rows"].append({"row": int(row), "address": "", "reason": "unreadable", "level": "未匹配", "note": reason})
        summary["unmatched"]["unreadable"] = summary["unmatched"].get("unreadable", 0) + 1
    summary["rows"].sort(key=lambda item: item["row"])
    summary["incidents"] = int(len(layer))
    summary["table"] = table.name
    return summary
