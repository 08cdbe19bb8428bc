"""Where a patrol plan starts: one rule for the command line and the window.

1. A start point given as longitude,latitude (``--start``), in WGS84 degrees.
2. Else a police station: the one named (``--station``, by name or id) or the
   first one of the station points (``--stations``: a layer of the input,
   by default its ``stations`` layer, or a file).
3. Else the run is refused with one sentence saying how to give a start.

The window once fell back to the centre of the road network when it found no
station, while the command line refused: a tour from an arbitrary point is no
plan for any police station, so both now refuse.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from gisapp.analysis.patrol.methods import STATIONS, PlanParams, start_lonlat
from gisapp.layers.errors import InputError

NO_START = (
    "Route planning needs a start: give a start point (--start LON,LAT), or police stations "
    "as a 'stations' layer of the input or a file (--stations FILE)."
)
#: Columns a station is looked up in by ``--station``.
STATION_NAME_COLUMNS = ("name", "station_id", "id")


@dataclass
class Start:
    """The start of a plan in the analysis CRS, what was chosen for it, and a note for the summary."""

    xy: tuple[float, float]
    chosen: dict = field(default_factory=dict)
    note: str = ""


def plan_start(inputs, params: PlanParams) -> Start:
    """The start of the plan ``params`` describes over ``inputs`` (see the module notes).

    Raises
    ------
    InputError
        No start point and no station; a station name that matches none; a stations layer without points.
    """
    if params.start is not None:
        return _start_point(inputs, params.start)
    stations = _stations(inputs, params.stations)
    if stations is None:
        raise InputError(NO_START)
    return _station(stations, params.station)


def _start_point(inputs, text: str) -> Start:
    import pyproj

    from gisapp.layers.transformers import transformer

    lon, lat, note = start_lonlat(text)
    x, y = transformer(pyproj.CRS.from_epsg(4326), pyproj.CRS.from_user_input(inputs.crs)).transform(lon, lat)
    return Start((float(x), float(y)), {"start": [lon, lat]}, note)


def _stations(inputs, value: str):
    """The station points in the analysis CRS, or None when the default ``stations`` layer is absent."""
    if value == STATIONS and inputs.layer(STATIONS, required=False) is None:
        return None
    return inputs.layer_or_file(value, "station")


def _station(stations, name: str | None) -> Start:
    points = stations[stations.geometry.geom_type == "Point"]
    if len(points) == 0:
        raise InputError("The stations layer holds no points.")
    if name:
        match = np.zeros(len(points), dtype=bool)
        for column in STATION_NAME_COLUMNS:
            if column in points:
                match |= points[column].astype(str).to_numpy() == name
        if not match.any():
            raise InputError(f"No station is named {name!r}.")
        chosen = points[match].iloc[0]
        return Start((chosen.geometry.x, chosen.geometry.y), {"station": name})
    chosen = points.iloc[0]
    label = str(chosen.get("name", "row 1"))
    note = f"{len(points)} stations: planned from the first ({label}); choose with --station" if len(points) > 1 else ""
    return Start((chosen.geometry.x, chosen.geometry.y), {"station": label}, note)
