"""The project file: one GeoPackage holding every layer plus a versioned JSON document.

Layout
------
* each layer is an ordinary feature table (QGIS opens them as layers);
* the table ``gisapp_project`` (attributes only) holds one row whose
  ``document`` is::

      {"version": 2, "layers": [{"name", "kind", "table", "source", "import_options",
       "style", "visible", "opacity", "params", "report"}, ...],
       "filters": {...}, "view": {...}, "analysis_crs": "auto" | "EPSG:....",
       "created_by": "gisapp x.y", "saved_at": "...",
       "geocode_aliases": {"version": 1, "entries": {...}}}   # optional

  ``geocode_aliases`` (added within version 1, absent when empty) holds the
  address corrections the analyst made, with a version of its own; see
  :mod:`gisapp.analysis.geocode.aliases`.

  Layers are listed bottom to top, the order of the ``LayerList``.

Saving is atomic (write a temporary file in the same folder, fsync it, rename
it over the old one, fsync the folder), so a crash or a kill mid-save leaves
the previous project intact. Opening migrates older documents step by step
and refuses newer ones (kepler.gl's rule for saved maps).
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

import pandas as pd
import pyogrio

from .errors import InputError
from .layer import Layer
from .layerlist import LayerList
from .report import LoadReport

CURRENT_VERSION = 2
META_TABLE = "gisapp_project"


def _add_import_options(document: dict) -> dict:
    """Version 1 -> 2: each layer gains ``import_options`` (how its source was read), empty for old layers."""
    layers = [{**entry, "import_options": dict(entry.get("import_options") or {})} for entry in document.get("layers", [])]
    return {**document, "layers": layers, "version": 2}


#: version -> function turning a document of that version into one of version + 1.
MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _add_import_options}


@dataclass
class Project:
    """Everything a project file holds: the layers and the analyst's working state."""

    layers: LayerList = field(default_factory=LayerList)
    filters: dict = field(default_factory=dict)
    view: dict = field(default_factory=dict)
    analysis_crs: str = "auto"
    created_by: str = ""
    #: Learned address corrections (:mod:`gisapp.analysis.geocode.aliases`), kept as the document holds them.
    geocode_aliases: dict = field(default_factory=dict)


def save_project(project: Project, path) -> Path:
    """Write ``project`` to ``path`` atomically and return the path.

    Raises
    ------
    InputError
        When the folder cannot be written.
    """
    path = Path(path)
    folder = path.parent.resolve()
    if not folder.is_dir():
        raise InputError(f"Cannot save to {path}: the folder {folder} does not exist.")
    _remove_stale_temporaries(folder, path.stem)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".tmp.gpkg", dir=folder)
    os.close(handle)
    temp = Path(temp_name)
    temp.unlink()  # GDAL wants to create the file itself
    try:
        document = _document(project)
        for entry, layer in zip(document["layers"], project.layers):
            _write_table(temp, entry["table"], layer.data)
        meta = pd.DataFrame({"version": [CURRENT_VERSION], "document": [json.dumps(document, ensure_ascii=False)]})
        pyogrio.write_dataframe(meta, temp, layer=META_TABLE, driver="GPKG")
        _fsync(temp)
        os.replace(temp, path)
        _fsync_folder(folder)
    except OSError as error:
        raise InputError(f"Cannot save {path.name}: {error.strerror or error}.") from None
    finally:
        for leftover in (temp, Path(f"{temp}-journal"), Path(f"{temp}-wal"), Path(f"{temp}-shm")):
            if leftover.exists():
                leftover.unlink()
    return path


def is_project(path) -> bool:
    """True when ``path`` is a GeoPackage with a gisapp project document."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # GDAL's notes on odd GeoPackages belong to no one-line message
            return any(str(name) == META_TABLE for name, _ in pyogrio.list_layers(str(path)))
    except Exception:  # not a GeoPackage at all
        return False


def load_project(path) -> Project:
    """Open a project file, migrating an older document and refusing a newer one.

    Raises
    ------
    InputError
        Not a project (a plain GeoPackage can be imported instead), a corrupt
        file, or a version this gisapp does not know.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path} does not exist or is not a file.")
    if not is_project(path):
        raise InputError(f"{path.name} is not a gisapp project (it has no {META_TABLE} table); import its layers instead.")
    document = migrate(_read_document(path), path.name)
    project = Project(
        filters=document.get("filters", {}),
        view=document.get("view", {}),
        analysis_crs=document.get("analysis_crs", "auto"),
        created_by=document.get("created_by", ""),
        geocode_aliases=document.get("geocode_aliases") or {},
    )
    for entry in document["layers"]:
        project.layers.append(_read_layer(path, entry))
    return project


def migrate(document: dict, name: str = "project") -> dict:
    """Bring ``document`` up to ``CURRENT_VERSION`` through ``MIGRATIONS``, one version at a time."""
    version = document.get("version")
    if not isinstance(version, int):
        raise InputError(f"{name} has a project document without a version number; it cannot be read safely.")
    if version > CURRENT_VERSION:
        raise InputError(
            f"{name} was saved by a newer gisapp (project version {version}; this one reads up to {CURRENT_VERSION}): update gisapp to open it."
        )
    while version < CURRENT_VERSION:
        if version not in MIGRATIONS:
            raise InputError(f"{name} has project version {version}, which this gisapp cannot migrate.")
        document = MIGRATIONS[version](dict(document))
        version = document["version"]
    return document


def _document(project: Project) -> dict:
    from . import __version__

    entries, tables = [], set()
    for index, layer in enumerate(project.layers):
        table = _table_name(layer.name, index, tables)
        tables.add(table)
        state = layer.state()
        state["table"] = table
        state["report"] = layer.report.to_dict() if isinstance(layer.report, LoadReport) else None
        entries.append(state)
    document = {
        "version": CURRENT_VERSION,
        "layers": entries,
        "filters": project.filters,
        "view": project.view,
        "analysis_crs": project.analysis_crs,
        "created_by": project.created_by or f"gisapp {__version__}",
        "saved_at": datetime.now().isoformat(timespec="seconds"),
    }
    if project.geocode_aliases:
        document["geocode_aliases"] = project.geocode_aliases
    return document


def read_geocode_aliases(path) -> dict:
    """The learned address corrections of the project at ``path`` (empty when it has none), without reading its layers."""
    return migrate(_read_document(Path(path)), Path(path).name).get("geocode_aliases") or {}


def _table_name(name: str, index: int, taken: set[str]) -> str:
    # Layer names are unique, but GeoPackage table names compare case-insensitively.
    table = name if name.lower() != META_TABLE else f"{name}_{index}"
    while table.lower() in {t.lower() for t in taken}:
        table = f"{table}_{index}"
    return table


def _write_table(path: Path, table: str, data) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        # pyogrio's Arrow path writes twice as fast as the feature-by-feature one (47k cells: 0.21 s against 0.44 s)
        pyogrio.write_dataframe(data, path, layer=table, driver="GPKG", promote_to_multi=False, use_arrow=True)


def _read_document(path: Path) -> dict:
    try:
        meta = pyogrio.read_dataframe(str(path), layer=META_TABLE, read_geometry=False)
        return json.loads(meta["document"].iloc[0])
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, KeyError, IndexError, json.JSONDecodeError, TypeError) as error:
        raise InputError(f"{path.name} has a damaged project document ({type(error).__name__}); it cannot be opened.") from None


def _read_layer(path: Path, entry: dict) -> Layer:
    try:
        data = pyogrio.read_dataframe(str(path), layer=entry["table"])
    except (pyogrio.errors.DataLayerError, pyogrio.errors.DataSourceError) as error:
        raise InputError(f"{path.name} lists layer {entry.get('name')!r} but its table is missing or damaged: {error}.") from None
    report = LoadReport.from_dict(entry["report"]) if entry.get("report") else None
    return Layer(
        entry["name"],
        entry["kind"],
        data,
        source=entry.get("source", ""),
        style=entry.get("style"),
        visible=entry.get("visible", True),
        opacity=entry.get("opacity", 1.0),
        report=report,
        params=entry.get("params"),
        import_options=entry.get("import_options"),
    )


def _remove_stale_temporaries(folder: Path, stem: str) -> None:
    """Delete what a killed save left behind; the project itself was never touched by it."""
    for stale in folder.glob(f".{stem}.*.tmp.gpkg*"):
        try:
            stale.unlink()
        except OSError:
            pass


def _fsync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # some systems (Windows) cannot open a folder; the rename is still atomic there
        return
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
