"""``gisapp.analysis`` is the index of the entry points: each name resolves, and to a function that takes parameters."""

from __future__ import annotations

import inspect

import gisapp.analysis as analysis


def test_every_indexed_entry_point_resolves_to_a_documented_function():
    for name in analysis.ENTRY_POINTS:
        function = getattr(analysis, name)
        assert callable(function) and function.__name__ == name
        assert inspect.getdoc(function), name


def test_every_declared_method_runner_exists():
    from gisapp.analysis.catalog import methods

    for method in methods().values():
        runner = method.runner()
        assert list(inspect.signature(runner).parameters)[:2] == ["inputs", "params"], method.key
