"""``--geocode`` on every analysis: the reader's hook that places incident rows by their address.

:func:`address_geocoder` returns the callable that
:func:`gisapp.layers.io.read_layers` takes as ``geocoder``: given the address
text of the rows the reader could not place (blank, 0,0 or unreadable
coordinates, or a table with no coordinate columns), it matches them against
the gazetteer and hands back WGS84 positions for those matched at
``min_level`` or better. The placed rows then go through the rest of the
import like any other row (times, categories, plausibility), so nothing
about them is special afterwards except their ``geocode_*`` columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from gisapp.layers.errors import InputError

from .frame import geocode_frame
from .gazetteer import build_gazetteer

#: The columns a placed row carries into the incidents layer.
KEPT = ("geocode_level", "geocode_score", "geocode_match", "geocode_note")


def address_geocoder(options, gazetteer_layers=(), reading: dict | None = None):
    """The reader's geocoder for ``options`` (:class:`~gisapp.analysis.geocode.methods.GeocodeOptions`).

    Parameters
    ----------
    options : GeocodeOptions
        ``gazetteer`` (a file), ``min_level`` and ``address_column``.
    gazetteer_layers : iterable of Layer
        Layers the gazetteer is also built from (the input's roads, areas, grids, addresses).
    reading : dict, optional
        ``read_layers`` options for the gazetteer file.

    Returns
    -------
    callable
        ``geocode(addresses) -> (frame, report)`` as :func:`gisapp.layers.io.tables.table_to_points` expects.
    """

    def geocode(addresses: pd.Series):
        gazetteer = build_gazetteer(list(gazetteer_layers), options.gazetteer, None, reading=reading)
        if gazetteer.is_empty:
            raise InputError(
                f"--geocode has {len(addresses):,} rows to place but no gazetteer: give --gazetteer FILE (a GeoPackage with "
                "addresses and roads, or a table of standard addresses with coordinates)."
            )
        table = pd.DataFrame({"address": addresses.to_numpy(dtype=object)})
        placed, report = geocode_frame(table, gazetteer, {"min_level": options.min_level}, "address", addresses.index.to_numpy())
        found = pd.DataFrame({"lon": np.nan, "lat": np.nan}, index=addresses.index)
        if len(placed):
            lonlat = placed.geometry.to_crs(4326)
            at = addresses.index[placed.index.to_numpy()]
            found.loc[at, "lon"] = lonlat.x.to_numpy()
            found.loc[at, "lat"] = lonlat.y.to_numpy()
            for column in KEPT:
                found.loc[at, column] = placed[column].to_numpy()
        summary = {key: report[key] for key in ("levels", "unmatched", "min_level") if key in report}
        summary["left_out"] = [{"row": r["row"], "reason": r["reason"]} for r in report.get("rows", [])[:1000]]
        return found, summary

    return geocode
