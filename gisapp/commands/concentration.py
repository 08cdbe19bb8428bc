"""``gisapp concentration INCIDENTS --out OUT.gpkg``: the "80/20" of places, with a Lorenz-curve PNG.

Places are road segments (hot streets, the default), square or hexagon cells,
the grids or areas of the input GeoPackage, or the polygons of a file. The
ranked places go to the GeoPackage, the concentration curve to a PNG with
Chinese labels.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from gisapp.analysis.hotspots.concentration import ConcentrationParams, ConcentrationResult, crime_concentration
from gisapp.layers.errors import InputError
from gisapp.layers.io import read_layers
from gisapp.layers.reproject import reproject

from .common import Inputs, add_filter_options, add_output_options, incident_filter_from, report_summary, write_result

UNIT_CHOICES = "roads, square, hex, grids, areas, or a polygon file"
_CJK_FAMILIES = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Zen Hei", "WenQuanYi Micro Hei",
                 "Microsoft YaHei", "SimHei", "PingFang SC", "Noto Sans CJK JP")


def register(subparsers, commands) -> None:
    parser = subparsers.add_parser(
        "concentration",
        help="how concentrated incidents are: the share of places (or road length) holding 50 %% / 80 %% of them",
        description="Rank road segments, grid cells or polygons by incidents; report the cumulative share of incidents "
        "against the share of places or road length, the Gini coefficient, and draw the Lorenz curve.",
    )
    parser.add_argument("input", help="incident file, or a GeoPackage with incidents (and roads / grids / areas)")
    parser.add_argument("--unit", default="roads", metavar="UNIT", help=f"places to rank: {UNIT_CHOICES} (default roads)")
    parser.add_argument("--cell", type=float, default=200.0, metavar="M", help="cell size for square/hex (default 200 m)")
    parser.add_argument("--segment", type=float, default=100.0, metavar="M", help="street segment length (default 100 m)")
    parser.add_argument("--snap", type=float, default=50.0, metavar="M", help="largest incident-to-road distance (default 50 m)")
    parser.add_argument("--roads", metavar="FILE", help="road lines, if not in the input GeoPackage")
    parser.add_argument("--weight", metavar="FIELD", help="numeric incident column to sum instead of counting")
    parser.add_argument("--png", type=Path, metavar="LORENZ.png", help="Lorenz curve image (default: OUT_lorenz.png)")
    add_filter_options(parser)
    add_output_options(parser)
    commands["concentration"] = run


def params_from(args: argparse.Namespace, inputs: Inputs, within_geometry) -> ConcentrationParams:
    unit = args.unit.strip()
    common = {"weight_field": args.weight}
    if unit in ("square", "hex"):
        return ConcentrationParams(unit=unit, cell_size=args.cell, boundary=within_geometry, **common)
    if unit == "roads":
        roads = reproject(read_layers(args.roads, kind="roads")[0].data, inputs.crs) if args.roads else inputs.frame("roads")
        return ConcentrationParams(unit="roads", roads=roads, segment_length=args.segment, snap_distance=args.snap, **common)
    if unit in ("grids", "areas"):
        return ConcentrationParams(unit="polygons", polygons=inputs.frame(unit), **common)
    path = Path(unit)
    if path.suffix and path.exists():
        polygons = reproject(read_layers(path)[0].data, inputs.crs)
        return ConcentrationParams(unit="polygons", polygons=polygons, **common)
    raise InputError(f"--unit takes {UNIT_CHOICES}; got {unit!r}.")


def run(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() != ".gpkg":
        raise InputError(f"--out must name a .gpkg file; got {args.out.name}.")
    inputs = Inputs(args.input, analysis_crs=args.analysis_crs)
    incident_filter = incident_filter_from(args)
    incidents = inputs.incidents(incident_filter)
    params = params_from(args, inputs, incident_filter.within_geometry)
    result = crime_concentration(incidents, params)
    png = args.png or args.out.with_name(args.out.stem + "_lorenz.png")
    write_lorenz_png(result, png)
    result.params["filters"] = incident_filter.to_dict()
    result.params["png"] = str(png)
    write_result("concentration", result, args.out, inputs.crs)
    summary = {**result.summary, "png": str(png), "out": str(args.out), "filters": incident_filter.to_dict()}
    report_summary(args, summary, _lines(summary))
    return 0


def _lines(s: dict) -> list[str]:
    lines = [s["sentence_zh"], s["sentence"]]
    lines.append(f"  {s['places']:,} places, {s['places_with_incidents']:,} with incidents; {s['incidents']:,} incidents counted, "
                 f"{s['incidents_outside']:,} outside every place")
    tops = s["by"][s["axis"]]["incidents_in_top"]
    lines.append("  top " + ", ".join(f"{k} %: {v:.1%}" for k, v in tops.items()) + " of incidents")
    lines.append(f"  Gini {s['gini']:.3f} (places with incidents {s['gini_active']:.3f})")
    lines.append(f"  curve {s['png']}; places {s['out']}")
    return lines


# --------------------------------------------------------------------------- the chart


def cjk_font_family() -> str | None:
    """The first installed font family that has Chinese glyphs, for matplotlib."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((family for family in _CJK_FAMILIES if family in installed), None)


def _chinese_font() -> str | None:
    """The shared CJK font choice (``gisapp.charts.fonts``), or the first CJK family installed."""
    try:
        from gisapp.charts.fonts import use_chinese_font
    except ImportError:
        return cjk_font_family()
    return use_chinese_font() or cjk_font_family()


def write_lorenz_png(result: ConcentrationResult, path: Path, dpi: int = 150) -> Path:
    """Draw the concentration (Lorenz) curve with Chinese labels to ``path``."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    family = _chinese_font()
    rc = {"axes.unicode_minus": False}
    if family:
        rc.update({"font.family": "sans-serif", "font.sans-serif": [family, "DejaVu Sans"]})
    s = result.summary
    axis_label = {"length": "累计道路长度比例（%）", "area": "累计面积比例（%）"}.get(result.axis, f"累计{result.unit_label}比例（%）")
    figures = s["by"][result.axis]
    with matplotlib.rc_context(rc):
        figure = Figure(figsize=(6.4, 5.2))
        FigureCanvasAgg(figure)
        ax = figure.add_subplot()
        curve = result.curve
        ax.plot(curve.x * 100, curve.y * 100, color="#c0392b", lw=2, label=f"案件集中度曲线（基尼系数 {s['gini']:.3f}）")
        ax.plot([0, 100], [0, 100], color="#7f7f7f", lw=1, ls="--", label="均匀分布")
        for share, colour in zip(figures["share_of_axis_holding"], ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b")):
            x = figures["share_of_axis_holding"][share] * 100
            y = float(share)
            ax.plot([x, x, 0], [0, y, y], color=colour, lw=1, ls=":")
            ax.plot([x], [y], "o", color=colour)
            ax.annotate(f"{x:.1f}% → {y:g}%案件", (x, y), xytext=(8, -14), textcoords="offset points", color=colour, fontsize=9)
        ax.set_xlim(0, 100)
        ax.set_ylim(0, 100)
        ax.set_xlabel(axis_label)
        ax.set_ylabel("累计案件比例（%）")
        ax.set_title(f"案件集中度：{result.unit_label}（洛伦兹曲线）")
        ax.grid(True, color="#dddddd", lw=0.5)
        ax.legend(loc="lower right", fontsize=9)
        note = f"{s['places']:,}个{result.unit_label}，{s['incidents']:,}起案件"
        if s.get("incidents_outside"):
            note += f"；另有{s['incidents_outside']:,}起不在任何{result.unit_label}内，未计入"
        figure.text(0.01, 0.01, note, fontsize=8, color="#555555")
        figure.tight_layout(rect=(0, 0.035, 1, 1))  # room for the note under the axis label
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, dpi=dpi)
    return path
