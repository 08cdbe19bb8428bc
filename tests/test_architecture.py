"""The package structure holds: no import cycles, no private names across modules, one dependency direction.

Read from the source with ``ast`` (nothing is imported), so a cycle hidden in
a function-level import counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Source folder -> the package it is installed as.
PACKAGES = {"gisapp": "gisapp", "analysis": "gisapp.analysis", "layers": "gisapp.layers"}
#: Application packages that the algorithms and the data model must never import.
APPLICATION = ("gisapp.cli", "gisapp.commands", "gisapp.ui", "gisapp.briefing", "gisapp.printing", "gisapp.charts")


def _modules() -> dict[str, Path]:
    found = {}
    for folder, package in PACKAGES.items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((package, *parts))] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> list[tuple[str, list[str], int]]:
    """(imported module, names taken from it, line) for every import in the file, relative ones resolved."""
    is_package = path.name == "__init__.py"
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(alias.name, [], node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base if is_package else base[:-1]
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            names = [alias.name for alias in node.names]
            submodules = [f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES]
            out.append((target, [n for n in names if f"{target}.{n}" not in MODULES], node.lineno))
            out += [(module, [], node.lineno) for module in submodules]
    return [(target, names, line) for target, names, line in out if target in MODULES]


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles() -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, components = {}, {}, [], set(), []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w, _, _ in GRAPH[v]:
            if w == v or (v.startswith(w + ".") and MODULES[w].name == "__init__.py"):
                continue  # a module may use its own package's __init__
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for module in GRAPH:
        if module not in index:
            visit(module)
    return components


def test_there_are_no_import_cycles():
    assert _cycles() == []


def test_no_module_imports_another_modules_private_names():
    offences = [
        f"{MODULES[module].relative_to(ROOT)}:{line} takes {name} from {target}"
        for module, imports in GRAPH.items()
        for target, names, line in imports
        for name in names
        if name.startswith("_") and not name.startswith("__") and target != module
    ]
    assert offences == []


@pytest.mark.parametrize("lower", ["gisapp.layers", "gisapp.analysis"])
def test_the_lower_packages_never_import_the_application(lower):
    offences = [
        f"{MODULES[module].relative_to(ROOT)}:{line} imports {target}"
        for module, imports in GRAPH.items()
        if module == lower or module.startswith(lower + ".")
        for target, _, line in imports
        if target.startswith(APPLICATION) or (lower == "gisapp.layers" and target.startswith("gisapp.analysis"))
    ]
    assert offences == []


def test_the_analysis_folder_is_laid_out_by_subject():
    subjects = {p.name for p in (ROOT / "analysis").iterdir() if (p / "__init__.py").is_file()}
    assert {"core", "stats", "hotspots", "clusters", "spacetime", "cameras", "patrol"} <= subjects
    loose = sorted(p.name for p in (ROOT / "analysis").glob("*.py") if p.name not in ("__init__.py", "catalog.py"))
    assert loose == [], "every analysis module belongs to a subject folder (catalog.py, the index of declarations, aside)"
