"""Running a declared method, and the one description of how a result was made (its provenance).

Both front ends run a method through :func:`execute` and turn the result into
layers through :func:`result_layers`: the command line saves those layers as a
GeoPackage, the window adds them to its layer list (and the project file keeps
them). Every result layer therefore records, in the same shape,

    {"method", "params", "chosen", "resolved", "filters", "input", "load_report",
     "analysis_crs", "software", "created", "summary"}

``params`` are the values the user gave or left at their defaults, as the
front ends accept them (``"auto"`` included); ``chosen`` what each ``auto``
became; ``resolved`` every setting the algorithm actually used.

so that a result opened a month later says exactly how it was made, and the
window can run it again with the same values (重新运行).
"""

from __future__ import annotations

import datetime as _dt
import math

from gisapp import __version__
from gisapp.analysis.core.contract import Method

PROVENANCE_KEYS = ("method", "params", "chosen", "resolved", "filters", "input", "load_report", "analysis_crs", "software", "created")


def execute(method: Method, inputs, params, progress=None, cancelled=None):
    """Run ``method`` on ``inputs`` with checked ``params``; the result carries its provenance.

    The summary gains the input's load report (``load_report``), the filters,
    and ``incidents_without_location`` counts the rows the reader could not
    place too, so nothing dropped on the way is forgotten.
    """
    for kind in method.needs:
        inputs.layer(kind, required=True)
    result = method.runner()(inputs, params, progress, cancelled)
    summary = result.summary
    report = inputs.load_report("incidents") if "incidents" in (*method.needs, *method.uses) else None
    if report is None and summary.get("layer"):  # a value per polygon (or point): the layer that was analysed
        report = inputs.load_report(summary["layer"])
    summary["filters"] = inputs.filters()
    if report is not None:
        summary["load_report"] = report
        if "incidents_without_location" in summary:
            summary["incidents_without_location"] = int(summary["incidents_without_location"] or 0) + int(report.get("rows_rejected", 0))
    result.provenance = provenance(method, params, result, inputs, report)
    return result


def provenance(method: Method, params, result, inputs, report=None) -> dict:
    """How ``result`` was made, JSON-ready (see the module docstring)."""
    return _jsonable({
        "method": method.key,
        "params": method.values_of(params),
        "chosen": dict(getattr(result, "chosen", {}) or {}),
        "resolved": dict(getattr(result, "params", {}) or {}),
        "filters": inputs.filters(),
        "input": inputs.title,
        "load_report": report,
        "analysis_crs": inputs.crs.to_string() if hasattr(inputs.crs, "to_string") else str(inputs.crs),
        "software": f"gisapp {__version__}",
        "created": _dt.datetime.now().replace(microsecond=0).isoformat(),
    })


def result_layers(method: Method, result, names=None) -> list:
    """The result as :class:`~gisapp.layers.Layer` objects, main layer first.

    Every layer carries the provenance and the summary; secondary layers also
    name the main one (``part_of``). ``names`` maps a declared layer name to the
    name to use (the window makes names unique in its layer list).
    """
    from gisapp.layers import Layer

    names = names or {}
    recorded = {**getattr(result, "provenance", {}), "summary": _jsonable(result.summary)}
    frames = {method.main_layer.name: result.layer, **getattr(result, "extra_layers", {})}
    layers = []
    for name, frame in frames.items():
        declared = method.layer(name)
        data = frame if frame.crs is not None or result.layer.crs is None else frame.set_crs(result.layer.crs)
        params = recorded if name == method.main_layer.name else {**recorded, "part_of": method.main_layer.name}
        layers.append(Layer(
            names.get(name, name), "result", data, source=f"gisapp {method.key}",
            style=declared.style if declared else None, visible=declared.visible if declared else False, params=params,
        ))
    return layers


def _jsonable(value):
    """``value`` as plain JSON types: numpy scalars unwrapped, NaN and infinities as None, other objects as text."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", 1) == 0:
        value = value.item()  # a numpy scalar
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, (int, bool)):
        return value
    return str(value)
