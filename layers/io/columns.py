"""Map source column headers onto canonical roles, in Chinese and English.

Police systems export headers such as ``经度``, ``发案时间`` or ``案件类别``;
GIS files use ``lon``/``x``/``longitude``. A header is normalised (case, spaces,
units in brackets) and then looked up in an alias table per role. The first
matching column wins; an explicit mapping always overrides detection.

The alias table is data, not code: ``header_aliases.toml`` beside this module,
merged under the user's own ``columns.toml`` in their settings folder (see
:func:`user_aliases_path`), so an analyst can teach gisapp a new export's
headers without a new release.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import tomllib
from pathlib import Path

from ..errors import InputError
from .limits import shown

BUILT_IN_ALIASES = Path(__file__).with_name("header_aliases.toml")
USER_ALIASES_NAME = "columns.toml"


def user_config_dir() -> Path:
    """gisapp's settings folder: ``$GISAPP_CONFIG_DIR``, else the folder the window keeps its settings in.

    The same folder as the window's QSettings INI file (``~/.config/gisapp`` on
    Linux, ``%APPDATA%\\gisapp`` on Windows), found without Qt because
    ``layers`` never imports it.
    """
    if os.environ.get("GISAPP_CONFIG_DIR"):
        return Path(os.environ["GISAPP_CONFIG_DIR"])
    if sys.platform == "win32" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "gisapp"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Preferences" / "gisapp"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "gisapp"


def user_aliases_path() -> Path:
    """Where a user's own header names go (``columns.toml`` in :func:`user_config_dir`)."""
    return user_config_dir() / USER_ALIASES_NAME


def _read_alias_file(path: Path) -> dict[str, tuple[str, ...]]:
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise InputError(f"The column-name settings file {path} cannot be read ({error}): fix or remove it.") from None
    table = data.get("aliases", {})
    if not isinstance(table, dict) or not all(isinstance(v, list) for v in table.values()):
        raise InputError(f"The column-name settings file {path} must hold [aliases] with role = [\"name\", ...] lines.")
    return {str(role): tuple(normalise(str(a)) for a in names) for role, names in table.items()}


@functools.cache
def load_aliases(user_file: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Role -> aliases: the user's names first, then the built-in ones; cached per user file."""
    built_in = _read_alias_file(BUILT_IN_ALIASES)
    user = _read_alias_file(user_file) if user_file is not None else {}
    unknown = sorted(set(user) - set(built_in))
    if unknown:
        raise InputError(f"{user_file} names unknown column roles ({', '.join(unknown)}): use {', '.join(built_in)}.")
    merged = {}
    for role, names in built_in.items():
        extra = user.get(role, ())
        # Shapefile field names stop at 10 characters: occurred_at arrives as occurred_a.
        short = (role[:10],) if len(role) > 10 else ()
        merged[role] = tuple(dict.fromkeys(extra + names + short))
    return merged


def aliases() -> dict[str, tuple[str, ...]]:
    """The alias table in force (built-in merged with the user's file)."""
    return load_aliases(user_aliases_path())


#: The roles that readers look for, per layer kind (coordinates only for tables).
ROLES_BY_KIND: dict[str, tuple[str, ...]] = {
    "incidents": ("case_id", "occurred_at", "category", "subcategory", "address", "grid_id", "status", "unit", "reporter", "description"),
    "grids": ("grid_id", "name", "population"),
    "cameras": ("camera_id", "kind", "heading_deg", "fov_deg", "range_m", "status", "name"),
    "routes": ("route_id", "name", "unit", "shift"),
    "areas": ("area_id", "name", "area_type"),
    "roads": ("name", "road_class"),
    "addresses": ("address",),
    "result": (),
}

_UNITS = re.compile(r"[\(（\[【].*?[\)）\]】]")
_SPACES = re.compile(r"[\s_\-.:：/]+")


def normalise(header: str) -> str:
    """Lower-case, drop bracketed units such as ``(°)`` and separators, so ``经度(GCJ02)`` reads as ``经度``."""
    text = _UNITS.sub("", str(header).replace("\ufeff", "")).strip().lower()
    return _SPACES.sub("_", text).strip("_")


def _compact(text: str) -> str:
    return text.replace("_", "")


def detect_columns(headers: list[str], roles: tuple[str, ...], override: dict[str, str] | None = None) -> dict[str, str]:
    """Return role -> header for ``roles`` found in ``headers``.

    Parameters
    ----------
    headers : list of str
        Source column names, in file order.
    roles : tuple of str
        Roles to look for (see :func:`aliases`).
    override : dict, optional
        Role -> header chosen by the user; each must exist, else ``InputError``.

    Notes
    -----
    Each header serves at most one role. An exact alias match beats a
    compacted one (``case_id`` vs ``caseid``); within a role, aliases earlier in
    the table win, then earlier columns.
    """
    override = dict(override or {})
    table = aliases()
    missing = [col for col in override.values() if col not in headers]
    if missing:
        listed = ", ".join(shown(h, 30) for h in headers[:40]) + (", …" if len(headers) > 40 else "")
        raise InputError(f"Column {shown(missing[0])} named in the column mapping is not in the file; its columns are: {listed}.")
    unknown = [role for role in override if role not in table]
    if unknown:
        raise InputError(f"Unknown column role {shown(unknown[0])}: use one of {', '.join(table)}.")
    mapping = dict(override)
    used = set(override.values())
    normalised = [(h, normalise(h)) for h in headers]
    for role in roles:
        if role in mapping:
            continue
        found = _find(table[role], normalised, used)
        if found is not None:
            mapping[role] = found
            used.add(found)
    return mapping


def _find(names: tuple[str, ...], normalised: list[tuple[str, str]], used: set[str]) -> str | None:
    for alias in names:
        for header, norm in normalised:
            if header not in used and norm == alias:
                return header
    for alias in names:
        for header, norm in normalised:
            if header not in used and _compact(norm) == _compact(alias):
                return header
    return None


def offset_hint(header: str) -> str | None:
    """``gcj02`` or ``bd09`` when a coordinate header names the offset (``经度(GCJ02)``, ``百度经度``)."""
    text = str(header).lower()
    if "gcj" in text or "火星" in text or "高德" in text or "腾讯" in text:
        return "gcj02"
    if "bd09" in text or "bd-09" in text or "百度" in text:
        return "bd09"
    return None


def dedupe_headers(headers: list[str]) -> tuple[list[str], list[str]]:
    """Make headers unique (``名称``, ``名称_2``) and say which were repeated, so no column is silently lost."""
    seen: dict[str, int] = {}
    unique, repeated = [], []
    for header in headers:
        header = str(header).strip() or "column"
        if header in seen:
            seen[header] += 1
            repeated.append(header)
            candidate = f"{header}_{seen[header]}"
            while candidate in seen:
                seen[header] += 1
                candidate = f"{header}_{seen[header]}"
            unique.append(candidate)
            seen[candidate] = 1
        else:
            seen[header] = 1
            unique.append(header)
    return unique, repeated


def known_header_count(cells: list[str]) -> int:
    """How many of ``cells`` are known header names of any role (for finding the header row)."""
    known = _known_names()
    return sum(1 for cell in cells if cell and (normalise(cell) in known or _compact(normalise(cell)) in known))


def _known_names() -> frozenset[str]:
    table = aliases()
    return frozenset(n for names in table.values() for n in names) | frozenset(_compact(n) for names in table.values() for n in names)


def repeated_headers_note(repeated: list[str]) -> list[str]:
    """The warning for headers that :func:`dedupe_headers` renamed (none when nothing was repeated)."""
    if not repeated:
        return []
    return [f"Repeated column headers were renamed so that none is lost: {', '.join(sorted(set(repeated)))} (second copy gets _2)."]
