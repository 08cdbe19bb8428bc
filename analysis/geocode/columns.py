"""Which column of a table holds the address, road, house number, building, township or name.

The standard-address columns are detected with the aliases of the
``addresses`` kind (:data:`gisapp.layers.kinds.ADDRESS_ALIASES`), compared as
the readers compare headers (:func:`gisapp.layers.io.columns.normalise`); an
incident table's address column with the incident aliases (发案地址, 发案地点, ...).
"""

from __future__ import annotations

from gisapp.layers.errors import InputError
from gisapp.layers.io.columns import normalise
from gisapp.layers.kinds import ADDRESS_ALIASES

#: Header names of an incident table's address, in order of preference.
INCIDENT_ADDRESS = ("address", "发案地址", "案发地址", "发生地址", "发案地点", "案发地点", "发生地点", "事发地址", "事发地点",
                    "报警地址", "地址", "地点", "详细地址", "标准地址", "location", "addr")
#: Header names of a place's name (POI layers, areas, grids).
NAME = ("name", "名称", "地名", "标准名称", "兴趣点名称", "poi_name", "poi", "区域名称", "网格名称", "单位名称")


def _find(headers, aliases) -> str | None:
    by_form = {}
    for header in headers:
        by_form.setdefault(normalise(header), header)
        by_form.setdefault(normalise(header).replace("_", ""), header)
    for alias in aliases:
        form = normalise(alias)
        if form in by_form:
            return by_form[form]
        if form.replace("_", "") in by_form:
            return by_form[form.replace("_", "")]
    return None


def address_columns(headers) -> dict[str, str]:
    """``{role: header}`` for the standard-address roles found in ``headers``."""
    found = {}
    remaining = [h for h in headers if h != "geometry"]
    for role, aliases in ADDRESS_ALIASES.items():
        header = _find(remaining, (role, *aliases))
        if header is not None:
            found[role] = header
            remaining.remove(header)
    return found


def name_column(headers) -> str | None:
    return _find([h for h in headers if h != "geometry"], NAME)


def incident_address_column(headers, given: str | None = None) -> str:
    """The column holding the address; ``given`` (``--address-column``) must exist.

    Raises
    ------
    InputError
        When the named column is missing, or none looks like an address.
    """
    headers = [str(h) for h in headers]
    if given:
        if given not in headers:
            raise InputError(f"There is no column {given!r}; the columns are: {', '.join(headers[:40])}.")
        return given
    found = _find(headers, INCIDENT_ADDRESS)
    if found is None:
        raise InputError(
            f"No address column was found (expected 发案地址, 发案地点, 地址 or address) among: {', '.join(headers[:40])}. "
            "Name it with --address-column COLUMN."
        )
    return found
