"""``gisapp print``: page sizes, formats, fonts, labels and bad input."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from gisapp.analysis.core.inputs import Inputs
from gisapp.briefing import collect_content
from gisapp.layers import Layer, LayerList
from gisapp.layers.errors import InputError
from gisapp.layers.project import Project, save_project
from gisapp.printing import FontWarning, PrintOptions, cartography, fonts, page_layout, render_map, resolve_cjk_font

MM_TO_PT = 72 / 25.4


def gisapp(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gisapp", *args], capture_output=True, text=True)


@pytest.fixture(scope="module")
def county(sample_dir):
    return collect_content(Inputs(sample_dir / "county.gpkg"))


def media_box(pdf: bytes) -> tuple[float, float]:
    x0, y0, x1, y1 = (float(v) for v in re.search(rb"/MediaBox\s*\[\s*([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)", pdf).groups())
    return x1 - x0, y1 - y0


def test_the_county_prints_as_vector_pdf(county, tmp_path):
    printed = render_map(county, tmp_path / "map.pdf", PrintOptions(title="城关镇警情热点分布图"))
    assert printed.dropped_labels == [] and printed.warnings == []
    pdf = printed.path.read_bytes()
    assert pdf.startswith(b"%PDF")
    width, height = media_box(pdf)
    assert abs(width - 297 * MM_TO_PT) < 1 and abs(height - 210 * MM_TO_PT) < 1  # A4 landscape
    assert b"/Subtype /Image" not in pdf  # everything drawn as vectors, no raster map
    assert b"NotoSansCJK" in pdf or b"YaHei" in pdf or b"SimHei" in pdf or b"WenQuanYi" in pdf, "no CJK font embedded"


def test_png_is_300_dpi_a4(county, tmp_path):
    from PIL import Image

    printed = render_map(county, tmp_path / "map.png", PrintOptions(dpi=300))
    with Image.open(printed.path) as image:
        assert abs(image.size[0] - 3508) <= 2 and abs(image.size[1] - 2480) <= 2
        # Nearest-neighbour sampling keeps small cells' own colour (the hotspot cells are those of 'gisapp hotspot',
        # 44 m on the county, which a smoothing resize would blend into the grey around them).
        pixels = np.asarray(image.convert("RGB").resize((300, 212), Image.NEAREST))
    # 99 % hot cells, semi-transparent over white: strongly red, whatever the blend
    reds = (pixels[..., 0].astype(int) - pixels[..., 1] > 80) & (pixels[..., 0] > 150) & (pixels[..., 2] < 150)
    assert reds.mean() > 0.02


def test_a3_portrait(county, tmp_path):
    printed = render_map(county, tmp_path / "map.pdf", PrintOptions(paper="a3", orientation="Portrait", inset=False))
    width, height = media_box(printed.path.read_bytes())
    assert abs(width - 297 * MM_TO_PT) < 1 and abs(height - 420 * MM_TO_PT) < 1


def test_the_title_font_has_every_glyph(county):
    title = "城关镇警情热点分布图（西门市场·凤凰山市场·武昌馆）"
    choice = resolve_cjk_font(title)
    assert choice.name is not None, "no CJK font installed: apt-get install fonts-noto-cjk"
    assert choice.missing == ""
    from matplotlib import font_manager

    entry = next(f for f in font_manager.fontManager.ttflist if f.name == choice.name)
    assert fonts.missing_glyphs(title, entry.fname, getattr(entry, "index", 0)) == ""


def test_missing_cjk_font_falls_back_with_a_warning(county, tmp_path, monkeypatch):
    monkeypatch.setattr(fonts, "CJK_FONTS", ("No Such Font SC",))
    monkeypatch.setattr(fonts, "_register_system_cjk_fonts", lambda: None)
    with pytest.warns(FontWarning, match="No Chinese font is installed"):
        printed = render_map(county, tmp_path / "map.png", PrintOptions(dpi=60))
    assert printed.path.stat().st_size > 10_000 and printed.font.name is None and printed.warnings


def test_unknown_paper_size(county, tmp_path, sample_dir):
    with pytest.raises(InputError, match="Unknown paper size 'A5': use A4 or A3"):
        render_map(county, tmp_path / "map.pdf", PrintOptions(paper="A5"))
    with pytest.raises(InputError, match="Unknown orientation"):
        page_layout("A4", "sideways")
    with pytest.raises(InputError, match=".pdf or .png"):
        render_map(county, tmp_path / "map.svg")
    result = gisapp("print", str(sample_dir / "county.gpkg"), "--out", str(tmp_path / "m.pdf"), "--paper", "Letter")
    assert result.returncode == 2 and result.stderr.strip() == "gisapp: Unknown paper size 'Letter': use A4 or A3."


def test_title_with_markup_prints_as_text(county, tmp_path):
    options = PrintOptions(title="<b>$x^2$ 热点</b> & <script>", subtitle="50% $ 100", dpi=60)
    printed = render_map(county, tmp_path / "map.png", options)
    assert printed.path.exists()


def test_project_without_incidents_prints_context(county, tmp_path):
    layers = LayerList([Layer(kind, kind, getattr(county, kind).to_crs(4326)) for kind in ("grids", "areas", "roads")])
    content = collect_content(Inputs(save_project(Project(layers), tmp_path / "p.gpkg")))
    printed = render_map(content, tmp_path / "map.png", PrintOptions(dpi=60))
    assert printed.path.stat().st_size > 10_000


def test_geographic_layers_are_drawn_in_metres(county):
    assert county.crs.is_projected and county.crs.to_epsg() == 4544
    for name, frame in county.layers().items():
        assert frame.crs.equals(county.crs), name
    x0, y0, x1, y1 = county.bounds()
    assert 4e5 < x0 < x1 < 6e5 and 3e6 < y0 < y1 < 4e6


def test_labels_do_not_overlap():
    figure = Figure(figsize=(4, 3), dpi=100)
    canvas = FigureCanvasAgg(figure)
    ax = figure.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, 100)
    ax.set_ylim(0, 100)
    labels = [{"text": f"市场{i}", "x": 50 + i * 0.5, "y": 50, "priority": i, "style": {"fontsize": 9}} for i in range(14)]
    renderer = canvas.get_renderer()
    dropped = cartography.place_labels(ax, renderer, labels, [], ax.get_window_extent(renderer))
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert len(boxes) + len(dropped) == 14 and len(boxes) >= 6
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert not set(dropped) & {f"市场{i}" for i in range(6)}  # the most important are placed first


def test_scale_bar_and_north():
    assert [cartography.nice_length(v) for v in (870, 1234, 0.3, 5000)] == [500, 1000, 0.2, 5000]
    import pyproj

    # CGCS2000 3-degree zone with central meridian 105 E: grid north is within a few hundredths of a degree of true north
    assert abs(cartography.north_angle(pyproj.CRS(4544), 508_600, 3_440_000)) < 0.1
    assert cartography.north_angle(pyproj.CRS(4544), 700_000, 3_440_000) > 0.5  # east of the meridian true north leans left (anticlockwise)


def test_focus_and_layout_boxes_fit_the_page():
    for paper in ("A4", "A3"):
        for orientation in ("landscape", "portrait"):
            layout = page_layout(paper, orientation)
            for box in (layout.header, layout.map, layout.panel, layout.footer):
                assert 0 <= box.x and box.right <= layout.width + 1e-9 and 0 <= box.y and box.top <= layout.height + 1e-9
            assert layout.map.top <= layout.header.y and layout.map.y >= layout.footer.top
