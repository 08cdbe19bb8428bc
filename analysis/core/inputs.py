"""The layers an analysis reads, gathered the same way for the command line and the window.

An input is a layer file, or a GeoPackage (a gisapp project, or any
multi-layer GeoPackage such as ``sample_data/county.gpkg``) from which each
analysis takes the layers it needs by kind: incidents, grids, areas, cameras,
routes, roads, stations, addresses. A layer of a kind can also come from its
own file (``--cameras FILE`` on the command line). The window builds the same
object over a snapshot of its layer list (:meth:`Inputs.from_layers`), so
both front ends hand the analyses identical frames.

All frames come back in one metric analysis CRS, chosen from the incidents
(or the first layer) unless the user set one. A layer already in that CRS is
returned as it is: never sent through another system and back, which would
move points off exact cell and band edges.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from gisapp.layers.errors import InputError

#: ArcGIS "Hot Spot Analysis" output fields, read as gisapp's.
ARCGIS_HOTSPOT_FIELDS = {"Gi_Bin": "gi_bin", "GiZScore": "gi_z", "GiPValue": "gi_p"}
#: Points sampled to choose the analysis CRS (the median centre needs no more).
CENTRE_SAMPLE = 100_000


class Inputs:
    """The input layers of one analysis run.

    Parameters
    ----------
    source : str or Path
        A layer file or a GeoPackage / gisapp project.
    overrides : dict, optional
        ``{kind: file}``: a layer of that kind read from its own file.
    analysis_crs : str
        ``"auto"`` (the CGCS2000 3° zone of the data's centre, or the data's own
        local metric system) or a projected CRS in metres.
    reading : dict, optional
        Keyword arguments for :func:`gisapp.layers.io.read_layers` when reading
        ``source`` (``columns``, ``crs`` of the file, ``sheet``, ``encoding``,
        ``layer``, ``header_row``, ``kind``).
    incident_filter : IncidentFilter, optional
        Applied by :meth:`incidents`.
    """

    def __init__(self, source, *, overrides=None, analysis_crs="auto", reading=None, incident_filter=None):
        self.source = Path(source)
        self.title = self.source.name
        self.overrides = {k: v for k, v in (overrides or {}).items() if v}
        self.setting = analysis_crs or "auto"
        self.reading = {k: v for k, v in (reading or {}).items() if v not in (None, {}, "")}
        self.incident_filter = incident_filter
        self.project_filters = None
        self._given_layers = None
        #: Places table rows without usable coordinates by their address (``--geocode``); see :mod:`gisapp.analysis.geocode.incidents`.
        self.geocoder = None

    @classmethod
    def from_layers(cls, layers, analysis_crs="auto", incident_filter=None, title: str = "project") -> Inputs:
        """Inputs over a list of :class:`~gisapp.layers.Layer` (the window's snapshot), not a file.

        The layers are copied shallowly: a worker thread then reads frames that
        nobody mutates (a layer's setters replace its frame, never edit it).
        """
        from gisapp.layers import Layer

        inputs = cls(title, analysis_crs=analysis_crs, incident_filter=incident_filter)
        inputs.title = title
        inputs._given_layers = [
            Layer(layer.name, layer.kind, layer.data, source=layer.source, params=dict(layer.params), report=getattr(layer, "report", None))
            for layer in layers
        ]
        return inputs

    # ------------------------------------------------------------------ layers
    @cached_property
    def layers(self) -> list:
        """Every layer of the input, in order (a project's result layers included)."""
        if self._given_layers is not None:
            return self._given_layers
        from gisapp.layers.io import read_layers
        from gisapp.layers.project import is_project, load_project

        if self.source.suffix.lower() == ".gpkg" and is_project(self.source):
            project = load_project(self.source)
            self.project_filters = project.filters
            return list(project.layers)
        extra = {"geocoder": self.geocoder} if self.geocoder is not None else {}
        return list(read_layers(self.source, to_crs=self._reading_target(), **self.reading, **extra))

    def _reading_target(self):
        # Build the points once, in the analysis CRS, when the user named it; "auto" is the zone
        # of the data's centre, which the reader knows as soon as it has the coordinates.
        return self.setting

    def layer(self, kind: str, required: bool = True):
        """The layer of ``kind``: from its override file, else the input's layer so named, else of that kind."""
        if kind in self.overrides:
            return self._override(kind)
        candidates = [layer for layer in self.layers if layer.name == kind] or [layer for layer in self.layers if layer.kind == kind]
        if not candidates:
            if required:
                raise InputError(self._missing(kind))
            return None
        return candidates[0]

    @cached_property
    def _override_layers(self) -> dict:
        return {}

    def _override(self, kind: str):
        if kind not in self._override_layers:
            from gisapp.layers.io import read_layers

            self._override_layers[kind] = read_layers(self.overrides[kind], kind=kind)[0]
        return self._override_layers[kind]

    def _missing(self, kind: str) -> str:
        if kind == "incidents" and self.layers and all(_is_polygons(layer.data) for layer in self.layers):
            return (
                f"{self.title} holds polygons, not incidents: to analyse a value per polygon, give the field with "
                "--value FIELD (or a rate with --rate NUMERATOR/DENOMINATOR)."
            )
        return f"{self.title} has no {kind} layer: give one with --{kind} FILE."

    # ------------------------------------------------------------------ CRS
    @cached_property
    def crs(self):
        """The metric CRS every frame is returned in."""
        from gisapp.layers.crs import analysis_crs_from_setting

        base = self.layer("incidents", required=False) or (self.layers[0] if self.layers else None)
        if base is None:
            raise InputError(f"{self.title} holds no layers.")
        own = base.data.crs
        if _is_local(own):
            return own  # an unknown local metric system cannot be placed on the earth: analyse in it
        if own is not None and self.setting == "auto" and own.is_projected and _unit_is_metre(own):
            lon, lat = _sample_lonlat(base.data)
            chosen = analysis_crs_from_setting("auto", lon, lat)
            return own if own.equals(chosen) else chosen
        lon, lat = _sample_lonlat(base.data)
        return analysis_crs_from_setting(self.setting, lon, lat)

    def frame(self, kind: str, required: bool = True):
        """The ``kind`` layer's data in the analysis CRS (None when absent and not required)."""
        layer = self.layer(kind, required)
        return None if layer is None else self.in_analysis_crs(layer.data, kind)

    def in_analysis_crs(self, data, what: str = "layer"):
        from gisapp.layers.reproject import reproject

        if data.crs is None:
            raise InputError(f"The {what} layer has no coordinate system; set one (for example EPSG:4326) and try again.")
        if _is_local(data.crs) != _is_local(self.crs) or (_is_local(data.crs) and not data.crs.equals(self.crs)):
            raise InputError(
                f"The {what} layer is in an unknown local system and cannot be combined with layers in another system; "
                "give every layer in the same system."
            )
        return reproject(data, self.crs)

    # ------------------------------------------------------------------ incidents
    def incidents(self, incident_filter=None):
        """The incidents the filter keeps (``incident_filter``, else the one given at construction),
        in the analysis CRS; an empty selection is a user mistake."""
        from gisapp.layers.filters import IncidentFilter

        data = self.frame("incidents")
        incident_filter = incident_filter or self.incident_filter or IncidentFilter()
        if incident_filter.within and incident_filter.within_geometry is None:
            incident_filter.within_geometry = self.area_geometry(incident_filter.within)
        selected = incident_filter.apply(data)
        if len(selected) == 0:
            raise InputError(f"The filters leave no incidents out of {len(data):,}: widen them.")
        return selected

    def filters(self) -> dict:
        """The filter as recorded with a result."""
        return {} if self.incident_filter is None else self.incident_filter.to_dict()

    def area_geometry(self, name_or_file: str):
        """The polygon named ``name_or_file`` in the areas or grids layer (or all grids of a township),
        or the union of a polygon file."""
        candidate = Path(str(name_or_file))
        if candidate.suffix and candidate.exists():
            return self.read_file(candidate, "area").union_all()
        for kind, column in (("areas", "name"), ("grids", "name"), ("grids", "grid_id"), ("areas", "area_id"), ("grids", "township")):
            frame = self.frame(kind, required=False)
            if frame is not None and column in frame:
                hit = frame[frame[column].astype(str) == str(name_or_file)]
                if len(hit):
                    return hit.union_all()
        raise InputError(f"No area or grid is named {name_or_file!r}, and no such polygon file exists.")

    # ------------------------------------------------------------------ other files
    def read_file(self, path, what: str):
        """Any layer file (obstacles, stations, candidate sites, polygons) in the analysis CRS."""
        from gisapp.layers.io import read_layers

        path = Path(path)
        if not path.is_file():
            raise InputError(f"The {what} file {path} does not exist.")
        layers = read_layers(path, kind="result")
        if not layers or len(layers[0].data) == 0:
            raise InputError(f"The {what} file {path.name} holds no features.")
        return self.in_analysis_crs(layers[0].data, what)

    def layer_or_file(self, value: str, what: str, option: str | None = None):
        """A layer of the input named or of the kind ``value``, else the file ``value``, in the analysis CRS.

        ``option`` names the setting in the refusal (``--unit``), so the user knows what to change.
        """
        named = [layer for layer in self.layers if layer.name == value] or [layer for layer in self.layers if layer.kind == value]
        if named:
            return self.in_analysis_crs(named[0].data, what)
        if value in self.overrides:
            return self.frame(value)
        if Path(value).suffix:
            return self.read_file(value, what)
        known = ", ".join(dict.fromkeys(layer.name for layer in self.layers))
        where = f"{option} {value}: " if option else ""
        raise InputError(f"{where}{self.title} has no layer named {value!r} (it has {known}), and {value!r} is not a file.")

    def hotspot_cells(self, path=None):
        """Hotspot cells (``gi_bin``) from ``path`` if given, else None.

        ``path`` is the output of ``gisapp hotspot`` or any polygon layer with
        ``gi_bin`` (or ArcGIS's ``Gi_Bin``).
        """
        if not path:
            return None
        import pyogrio

        from gisapp.layers.io import read_layers
        from gisapp.layers.project import is_project, load_project

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
                return self.in_analysis_crs(frame, "hotspot")
        raise InputError(f"{path.name} has no layer with a gi_bin column: give the output of 'gisapp hotspot'.")

    def latest_result(self, column: str, method: str | None = None):
        """The most recently added result layer holding ``column`` (and made by ``method``), in the analysis CRS, or None."""
        for layer in reversed(self.layers):
            made_by = layer.params.get("method") or str(layer.source or "").removeprefix("gisapp ")
            if layer.kind == "result" and column in layer.data.columns and (method is None or made_by == method):
                return self.in_analysis_crs(layer.data, column)
        return None

    # ------------------------------------------------------------------ reports
    def load_report(self, kind: str = "incidents") -> dict | None:
        """The reader's report of the ``kind`` layer (rows read, loaded, rejected by reason), JSON-ready."""
        layer = self.layer(kind, required=False)
        report = getattr(layer, "report", None)
        return None if report is None else report.to_dict()

    def rejects(self, kind: str) -> list[dict]:
        """Rows of the ``kind`` layer that the reader rejected (``{"row", "reason"}``)."""
        layer = self.layer(kind, required=False)
        report = getattr(layer, "report", None)
        return [problem.to_dict() for problem in getattr(report, "rejects", [])]


def _sample_lonlat(data):
    """Longitude and latitude of up to :data:`CENTRE_SAMPLE` features (points, or points inside polygons)."""
    import numpy as np

    from gisapp.layers.reproject import is_point_layer, point_coordinates
    from gisapp.layers.transformers import transformer

    step = max(1, len(data) // CENTRE_SAMPLE)
    sample = data.iloc[::step]
    if is_point_layer(sample):
        x, y = point_coordinates(sample)
    else:
        inside = sample.geometry.representative_point()
        x, y = inside.x.to_numpy(), inside.y.to_numpy()
    if sample.crs is None or sample.crs.is_geographic:
        return np.asarray(x), np.asarray(y)
    import pyproj

    return transformer(sample.crs, pyproj.CRS.from_epsg(4326)).transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))


def _is_polygons(data) -> bool:
    types = set(data.geometry.dropna().geom_type.unique()) if len(data) else set()
    return bool(types) and types <= {"Polygon", "MultiPolygon"}


def _is_local(crs) -> bool:
    """An unknown local metric system (a file without a coordinate system whose values are not degrees)."""
    from gisapp.layers.crs import is_local_crs

    return crs is not None and is_local_crs(crs)


def _unit_is_metre(crs) -> bool:
    unit = (crs.axis_info[0].unit_name or "").lower() if crs.axis_info else ""
    return unit in ("metre", "meter", "m")
