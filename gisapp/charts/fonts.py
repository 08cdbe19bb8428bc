"""Pick a font that has Chinese glyphs, so labels never render as empty boxes.

Matplotlib's default font (DejaVu Sans) has no CJK glyphs. The first
installed font of :data:`CJK_FONTS` is put in front of ``font.sans-serif``.
Fonts by platform: Microsoft YaHei and SimHei on Windows, PingFang SC on
macOS, Noto Sans CJK SC (Debian ``fonts-noto-cjk``) or WenQuanYi
(``fonts-wqy-microhei``, ``fonts-wqy-zenhei``) on Linux. Without any of them
a warning says what to install; figures are still made, with boxes for the
Chinese characters.
"""

from __future__ import annotations

import functools
import warnings

import matplotlib
from matplotlib import font_manager

from gisapp.palette import CJK_FONTS  # one list for every front end


class NoChineseFontWarning(UserWarning):
    """No CJK font is installed: Chinese labels will show as boxes."""


def installed_chinese_fonts() -> list[str]:
    """The fonts of :data:`CJK_FONTS` that matplotlib can find, in preference order."""
    names = {entry.name for entry in font_manager.fontManager.ttflist}
    return [name for name in CJK_FONTS if name in names]


@functools.lru_cache(maxsize=1)
def use_chinese_font() -> str | None:
    """Make matplotlib draw Chinese with the first available CJK font; return its name.

    Sets ``rcParams["font.sans-serif"]`` (the font first, the previous list
    after it as fallback), ``font.family`` to sans-serif, and
    ``axes.unicode_minus = False`` (CJK fonts often lack U+2212, the
    typographic minus matplotlib uses for negative ticks). Returns None, with a
    :class:`NoChineseFontWarning`, when no CJK font is installed; it never raises.
    """
    try:
        found = installed_chinese_fonts()
    except Exception as error:  # a broken font cache must not stop a report
        warnings.warn(f"Could not list fonts ({error}); Chinese labels may show as boxes.", NoChineseFontWarning, stacklevel=2)
        return None
    if not found:
        warnings.warn(
            "No Chinese font found (looked for " + ", ".join(CJK_FONTS) + "); Chinese labels will show as boxes. "
            "Install one, e.g. 'apt-get install fonts-noto-cjk' or 'fonts-wqy-microhei' on Debian/Ubuntu.",
            NoChineseFontWarning,
            stacklevel=2,
        )
        return None
    current = [name for name in matplotlib.rcParams["font.sans-serif"] if name != found[0]]
    matplotlib.rcParams["font.sans-serif"] = [found[0], *current]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    return found[0]
