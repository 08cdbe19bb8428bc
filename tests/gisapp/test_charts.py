"""Charts that read (issue 16): Chinese with a stale font cache, the Knox table, context in titles, shared scales, rates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import warnings

import numpy as np
import pytest

from gisapp.charts.context import context_line

STALE_CACHE = textwrap.dedent(
    """
    # A font cache made "before the CJK font was installed": matplotlib's own list minus every CJK face.
    import os, sys
    os.environ["MPLCONFIGDIR"] = sys.argv[1]
    from matplotlib import font_manager
    manager = font_manager.FontManager()
    manager.ttflist = [e for e in manager.ttflist if not any(h in e.fname.lower() for h in ("cjk", "wqy", "droid"))]
    path = os.path.join(sys.argv[1], f"fontlist-v{font_manager.FontManager.__version__}.json")
    font_manager.json_dump(manager, path)
    print(path)
    """
)

USE_FONT = textwrap.dedent(
    """
    import json, os, sys, warnings
    os.environ["MPLCONFIGDIR"] = sys.argv[1]
    from matplotlib import font_manager
    stale = sorted({e.name for e in font_manager.fontManager.ttflist if "CJK" in e.name})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        from gisapp.charts import new_figure, save_png
        from gisapp.charts.fonts import use_chinese_font
        name = use_chinese_font()
        figure = new_figure(3, 2)
        figure.add_subplot().set_title("近重复分析 热点 巡逻")
        save_png(figure, os.path.join(sys.argv[1], "chart.png"))
    print(json.dumps({"stale": stale, "font": name, "warnings": [str(w.message) for w in caught]}, ensure_ascii=False))
    """
)


def _cjk_font_installed() -> bool:
    from matplotlib import font_manager

    return any("cjk" in path.lower() or "wqy" in path.lower() for path in font_manager.findSystemFonts())


@pytest.mark.skipif(not _cjk_font_installed(), reason="no CJK font installed (install fonts-noto-cjk)")
def test_chinese_is_drawn_when_matplotlibs_font_cache_predates_the_font(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "MPLCONFIGDIR"}
    made = subprocess.run([sys.executable, "-c", STALE_CACHE, str(tmp_path)], capture_output=True, text=True, env=env, check=True)
    assert os.path.isfile(made.stdout.strip())
    run = subprocess.run([sys.executable, "-c", USE_FONT, str(tmp_path)], capture_output=True, text=True, env=env, check=True)
    outcome = json.loads(run.stdout.strip().splitlines()[-1])
    assert outcome["stale"] == []  # the cache really lacked the font
    assert outcome["font"] and "CJK" in outcome["font"] or "Hei" in (outcome["font"] or "")
    assert not [w for w in outcome["warnings"] if "Glyph" in w or "Chinese font" in w], outcome["warnings"]


def test_the_warning_asks_to_install_a_font_only_when_none_is_on_the_system(monkeypatch):
    from matplotlib import font_manager

    from gisapp.charts import fonts

    entries = font_manager.fontManager.ttflist
    fonts.use_chinese_font.cache_clear()
    try:
        monkeypatch.setattr(font_manager.fontManager, "ttflist", [e for e in entries if not fonts._cjk_file(e.fname) and e.name not in fonts.CJK_FONTS])
        monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])  # truly none on the system
        with pytest.warns(fonts.NoChineseFontWarning, match="fonts-noto-cjk"):
            assert fonts.use_chinese_font() is None
    finally:
        fonts.use_chinese_font.cache_clear()


def knox(ratio, p, observed=None, distance=("same location", "1-100 m", "101-200 m", "more than 200 m"),
         time=("0-7 days", "8-14 days", "more than 14 days")) -> dict:
    rows, cols = len(distance), len(time)
    observed = observed if observed is not None else [[5] * cols for _ in range(rows)]
    return {"distance_bands": list(distance), "time_bands": list(time), "observed": observed,
            "expected": [[4.0] * cols for _ in range(rows)], "knox_ratio": ratio, "p_value": p, "permutations": 999}


def test_knox_highlights_only_excess_pairs_in_the_near_bands():
    from gisapp.charts.knox import near_repeat_cells

    ratio = [[None, None, None], [1.8, 1.00, 1.2], [0.7, 1.3, 1.1], [1.00, 1.01, 1.00]]
    p = [[1, 1, 1], [0.001, 0.003, 0.04], [0.001, 0.2, 0.01], [0.003, 0.001, 0.003]]
    cells = near_repeat_cells(knox(ratio, p))
    expected = np.zeros((4, 3), dtype=bool)
    expected[1, 0] = True  # 1.8, p .001: a near repeat
    # [1, 1]: ratio 1.00 is no excess; [1, 2] and [2, 2]: the open-ended time band; [2, 0]: fewer pairs than chance;
    # row 3: the open-ended distance band ("> 200 m and > 14 days" with p .003 is the non-finding)
    assert np.array_equal(cells, expected)


def test_knox_colours_are_centred_on_the_neutral_ratio_and_the_empty_same_location_row_is_hidden():
    from gisapp.charts.knox import knox_heat_table

    ratio = [[None, None, None], [1.8, 1.00, 1.2], [0.7, 1.3, 1.1], [1.00, 1.01, 1.00]]
    p = [[1, 1, 1], [0.001, 0.003, 0.04], [0.001, 0.2, 0.01], [0.003, 0.001, 0.003]]
    observed = [[0, 0, 0], [9, 4, 5], [3, 5, 4], [4, 4, 4]]
    figure = knox_heat_table(knox(ratio, p, observed), context="乐安镇 · 盗窃 · 2024-01-01 至 2024-06-30")
    ax = figure.axes[0]
    image = ax.images[0]
    assert min(image.cmap(image.norm(1.0))[:3]) > 0.95  # white at ratio 1.0 (it was at 0.5)
    assert image.cmap(image.norm(0.5))[2] > image.cmap(image.norm(0.5))[0] + 0.2  # 0.5, fewer pairs than chance: blue
    assert image.cmap(image.norm(1.8))[0] > image.cmap(image.norm(1.8))[2]  # above 1: red
    assert [t.get_text() for t in ax.get_yticklabels()] == ["1-100 m", "101-200 m", "more than 200 m"]  # no "same location"
    assert "乐安镇 · 盗窃 · 2024-01-01 至 2024-06-30" in ax.get_title(loc="left")
    with_pairs = knox_heat_table(knox(ratio, p, [[2, 0, 0], *observed[1:]]))
    assert len(with_pairs.axes[0].get_yticklabels()) == 4


def test_titles_carry_area_category_and_period():
    assert context_line({"within": "城关镇", "categories": ["盗窃", "抢夺"], "start": "2024-01-01", "end": "2024-06-30"}) == \
        "城关镇 · 盗窃、抢夺 · 2024-01-01 至 2024-06-30"
    import pandas as pd

    span = (pd.Timestamp("2024-01-03 08:00"), pd.Timestamp("2025-12-30 23:10"))
    assert context_line({}, span) == "全部区域 · 全部类别 · 2024-01-03 至 2025-12-30"
    assert context_line({"hours": [8, 12], "weekdays": [6, 7]}, span, area="西门市场") == \
        "西门市场 · 全部类别 · 2024-01-03 至 2025-12-30 · 8–12 时 · 周六、日"


def _profile(counts: np.ndarray) -> dict:
    return {"hour_weekday": counts.tolist(), "incidents": int(counts.sum())}


def test_hour_weekday_panels_share_one_colour_scale():
    from gisapp.charts.profiles import hour_weekday_figure

    busy_hour = np.zeros((24, 7))
    busy_hour[9, 2] = 90
    busy_hour[10, :] = 10 / 7  # 90 % of one area's incidents in one cell
    spread = np.ones((24, 7))  # 0.6 % everywhere
    figure = hour_weekday_figure({"西门市场": _profile(busy_hour), "城关镇": _profile(spread)}, context="全部区域 · 盗窃")
    images = [ax.images[0] for ax in figure.axes if ax.images]
    assert len(images) == 2
    assert [im.norm.vmax for im in images] == [pytest.approx(90.0)] * 2  # one scale: the largest share of any panel
    assert {im.norm.vmin for im in images} == {0}
    assert len(figure.axes) == 3  # two panels and one shared colour bar
    assert "全部区域 · 盗窃" in figure.get_suptitle()


def test_compare_draws_rates_beside_counts():
    from gisapp.charts.profiles import area_change_figure

    areas = [
        {"name": "城关镇", "n": 900, "n_a": 400, "n_b": 500, "rate_ratio": 1.25, "q_change": 0.01, "rate_10k_year": 75.0, "per_km2": 90.0},
        {"name": "乐安镇", "n": 90, "n_a": 40, "n_b": 50, "rate_ratio": 1.25, "q_change": 0.4, "rate_10k_year": 30.0, "per_km2": 3.0},
    ]
    periods = {"a": ["2024-01-01", "2024-12-31"], "b": ["2025-01-01", "2025-12-31"]}
    figure = area_change_figure(areas, periods)
    rate_ax = figure.axes[1]
    heights = [bar.get_height() for bar in rate_ax.patches]
    assert heights == [75.0, 30.0] and "每万人年发案率" in rate_ax.get_title(loc="left")
    without_population = [{**a, "rate_10k_year": None} for a in areas]
    rate_ax = area_change_figure(without_population, periods).axes[1]
    assert [bar.get_height() for bar in rate_ax.patches] == [90.0, 3.0] and "每平方公里" in rate_ax.get_title(loc="left")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # no font or layout warning either
        area_change_figure([{**a, "rate_10k_year": None, "per_km2": None} for a in areas], periods)
