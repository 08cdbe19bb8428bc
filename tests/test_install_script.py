"""The install script brings every library Qt's xcb plugin links against (issue 16).

Off screen and in CI Qt never loads its xcb platform plugin, so a missing
library only shows on a real desktop ("could not load the Qt platform plugin
xcb"). This test reads what the plugin links against with ``ldd`` and checks
that ``scripts/install-system-packages`` installs each X11/xcb library.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "install-system-packages"
X_LIBRARIES = re.compile(r"^(libxcb[\w-]*|libX11[\w-]*|libxkbcommon[\w-]*)\.so\.\d+$")


def _linked(path: Path) -> set[str]:
    out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, check=True).stdout
    return {line.split()[0] for line in out.splitlines() if line.strip() and "=>" in line}


def test_the_script_installs_what_the_xcb_plugin_links_against():
    if shutil.which("ldd") is None:
        pytest.skip("ldd is not available")
    from PyQt6.QtCore import QLibraryInfo

    qt = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)).parent
    plugin = qt / "plugins" / "platforms" / "libqxcb.so"
    if not plugin.is_file():
        pytest.skip("this PyQt6 has no xcb plugin")
    wanted = {name for path in (plugin, *sorted((qt / "lib").glob("libQt6XcbQpa.so*"))[:1]) for name in _linked(path) if X_LIBRARIES.match(name)}
    assert {"libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-render-util.so.0"} <= wanted
    script = SCRIPT.read_text(encoding="utf-8")
    listed = set(re.findall(r"(lib[\w.+-]+\.so\.\d+):[\w.+-]+", script))
    assert wanted <= listed, f"scripts/install-system-packages lacks {sorted(wanted - listed)}"
