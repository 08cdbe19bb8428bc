"""The bureau's print profile: 制图单位, 审核人, data source, classification, paper and scale, saved between prints.

A small JSON file in the user's configuration folder:

* Linux and macOS: ``$XDG_CONFIG_HOME/gisapp/print_profile.json`` (``~/.config/gisapp/print_profile.json``);
* Windows: ``%APPDATA%\\gisapp\\print_profile.json``;
* anywhere: the folder named by ``GISAPP_CONFIG_DIR``, if set.

``gisapp print --save-profile`` and the print dialog write it; both read it
for their defaults, and anything given on the command line or in the dialog
wins. Unknown keys are ignored and a damaged file is reported, not fatal.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from gisapp.layers.errors import InputError

VERSION = 1
#: Keys the profile holds, with their meaning.
FIELDS = {
    "maker": "制图单位",
    "reviewer": "审核人",
    "source": "数据来源",
    "classification": "密级标注",
    "paper": "纸张",
    "orientation": "方向",
    "scale": "比例尺分母",
}


def config_dir() -> Path:
    if os.environ.get("GISAPP_CONFIG_DIR"):
        return Path(os.environ["GISAPP_CONFIG_DIR"])
    if os.name == "nt" and os.environ.get("APPDATA"):
        return Path(os.environ["APPDATA"]) / "gisapp"
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "gisapp"


def profile_path() -> Path:
    return config_dir() / "print_profile.json"


def load_profile(path: str | Path | None = None) -> dict:
    """The saved fields (only known keys, with values); {} when there is no profile.

    Raises
    ------
    InputError
        A profile that is not JSON or not an object.
    """
    path = Path(path) if path else profile_path()
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"The print profile {path} cannot be read ({error}); fix or delete it.") from None
    if not isinstance(data, dict):
        raise InputError(f"The print profile {path} is not a JSON object; fix or delete it.")
    fields = data.get("fields", data)
    return {k: v for k, v in fields.items() if k in FIELDS and v not in (None, "")}


def save_profile(fields: dict, path: str | Path | None = None) -> Path:
    """Write the known, non-empty ``fields`` (atomically) and return the file."""
    path = Path(path) if path else profile_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = {k: v for k, v in fields.items() if k in FIELDS and v not in (None, "")}
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_text(json.dumps({"version": VERSION, "fields": kept}, ensure_ascii=False, indent=2), encoding="utf-8")
    temp.replace(path)
    return path
