"""The wheel: every package listed, and the icons, translations and sample county inside it, found when installed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_package_list_names_every_package_folder():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    # analysis/ and layers/ are installed as gisapp.analysis and gisapp.layers (pyproject's package-dir)
    found = {
        ".".join(("gisapp", *init.parent.relative_to(ROOT).parts) if top != "gisapp" else init.parent.relative_to(ROOT).parts)
        for top in ("gisapp", "layers", "analysis")
        for init in (ROOT / top).rglob("__init__.py")
    }
    assert listed - found == {"gisapp._data.resources", "gisapp._data.sample_data"}
    assert found <= listed


def test_an_installed_wheel_finds_its_interface_and_sample_county(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist"), "-q"],
        capture_output=True, text=True, check=False,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("gisapp-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    tops = {name.split("/")[0] for name in names if ".dist-info/" not in name}
    assert tops == {"gisapp"}, f"the wheel claims top-level names besides gisapp: {tops}"
    assert "gisapp/analysis/hotspots/gistar.py" in names and "gisapp/layers/io/csv.py" in names
    assert {"gisapp/_data/resources/i18n/gisapp_zh_CN.ts", "gisapp/_data/resources/icons/gisapp.svg",
            "gisapp/_data/sample_data/county.gpkg", "gisapp/briefing/static/briefing.js"} <= names
    assert not any("screenshots" in name or name.endswith(".csv") for name in names)  # not needed at run time
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "import json, gisapp, gisapp.data_files as d\n"
        "from gisapp.ui.i18n import TS_FILE, TsTranslator\n"
        "print(json.dumps({'package': gisapp.__file__, 'resources': str(d.resources_dir()), 'sample': d.sample_project().is_file(),"
        " 'translations': len(TsTranslator(TS_FILE).messages), 'open_icon': (d.resources_dir() / 'icons' / 'open.svg').is_file()}))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen"}
    run = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    found = json.loads(run.stdout)
    assert found["package"].startswith(str(site)) and found["resources"] == str(site / "gisapp" / "_data" / "resources")
    assert found["sample"] and found["open_icon"] and found["translations"] > 300


def test_a_local_analysis_module_or_layers_folder_does_not_shadow_gisapp(tmp_path):
    # An analyst's own analysis.py and layers/ in the working folder: gisapp must still import its own.
    (tmp_path / "analysis.py").write_text("raise SystemExit('the local analysis.py was imported')\n", encoding="utf-8")
    (tmp_path / "layers").mkdir()
    (tmp_path / "layers" / "__init__.py").write_text("raise SystemExit('the local layers/ was imported')\n", encoding="utf-8")
    probe = (
        "import gisapp.analysis.hotspots.gistar as g, gisapp.layers.io as io, gisapp.cli\n"
        "print(g.__file__); print(io.__file__)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    first, second = run.stdout.split()
    assert Path(first) == ROOT / "analysis" / "hotspots" / "gistar.py"
    assert Path(second) == ROOT / "layers" / "io" / "__init__.py"
