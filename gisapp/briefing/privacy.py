"""What leaves the building: popup fields, personal data and the public (aggregated) mode.

Rules
-----
* A popup shows only the fields the user lists (``--fields``). Without a
  list it shows :data:`DEFAULT_FIELDS`: category, subcategory and time, never
  a description, a name, a phone number or an address.
* Naming a personal field explicitly is allowed (an internal briefing may
  need it) and produces a warning.
* ``--public`` keeps aggregated layers only: no incident points or heat, no
  cameras, blind spots or routes (security details), counts below
  :data:`MIN_PUBLIC_COUNT` shown as "<3", and cells that would only say "one
  or two incidents here" dropped.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np

from gisapp.layers.errors import InputError

DEFAULT_FIELDS = ("category", "subcategory", "occurred_at")
#: Counts below this are suppressed in public output (statistical disclosure control).
MIN_PUBLIC_COUNT = 3
SUPPRESSED = "<3"

#: Column names that hold personal data: free text, people, contacts, identity numbers, home addresses.
_PERSONAL = re.compile(
    r"descr|narrat|remark|comment|note|detail|name|phone|mobile|tel|contact|person|people|victim|suspect|reporter|"
    r"witness|owner|id_?card|identity|passport|plate|address|addr|"
    r"案情|描述|备注|说明|姓名|名字|报警人|联系人|当事人|受害人|嫌疑人|证人|电话|手机|联系方式|身份证|证件|车牌|住址|地址|户籍",
    re.IGNORECASE,
)


def is_personal(column: str) -> bool:
    return bool(_PERSONAL.search(str(column)))


def popup_fields(incidents: gpd.GeoDataFrame, requested: list[str] | None) -> tuple[list[str], list[str]]:
    """The columns a popup may show, and warnings about personal ones the user asked for.

    Raises
    ------
    InputError
        A requested field that the incidents do not have.
    """
    if requested is None:
        return [f for f in DEFAULT_FIELDS if f in incidents.columns], []
    columns = [c for c in incidents.columns if c != incidents.geometry.name]
    missing = [f for f in requested if f not in columns]
    if missing:
        raise InputError(f"--fields names {', '.join(missing)}, which the incidents do not have; they have {', '.join(columns)}.")
    warnings = [f"popups include the personal field {f!r}: do not share this briefing outside the bureau." for f in requested if is_personal(f)]
    return list(dict.fromkeys(requested)), warnings


def suppress_counts(counts) -> list:
    """Counts for public output: values below 3 become ``"<3"``."""
    values = np.asarray(counts)
    return [SUPPRESSED if 0 < v < MIN_PUBLIC_COUNT else int(v) for v in values]


def public_hotspots(cells: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Hotspot cells fit for publication: not-significant cells holding 1-2 incidents dropped
    (on a trimmed grid a cell's existence already says 'an incident happened here')."""
    if "n" not in cells:
        return cells
    n = cells["n"].to_numpy()
    keep = (cells["gi_bin"].to_numpy() != 0) | (n >= MIN_PUBLIC_COUNT)
    return cells[keep]
