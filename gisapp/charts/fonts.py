"""Pick a font that has Chinese glyphs, so labels never render as empty boxes.

Matplotlib's default font (DejaVu Sans) has no CJK glyphs. The first
installed font of :data:`CJK_FONTS` is put in front of ``font.sans-serif``.
Fonts by platform: Microsoft YaHei and SimHei on Windows, PingFang SC on
macOS, Noto Sans CJK SC (Debian ``fonts-noto-cjk``) or WenQuanYi
(``fonts-wqy-microhei``, ``fonts-wqy-zenhei``) on Linux. Without any of them
a warning says what to install; figures are still made, with boxes for the
Chinese characters.

Matplotlib lists fonts from a cache file (``fontlist-*.json`` in its config
folder) built the first time it ran. A font installed after that is not in
the list, so before saying that no Chinese font is installed the system's
font folders are searched again and any CJK font file found is added
(:func:`register_system_cjk_fonts`): the warning never asks to install a
font that is there.
"""

from __future__ import annotations

import functools
import warnings

import matplotlib
from matplotlib import font_manager

from gisapp.palette import CJK_FONTS  # one list for every front end


#: Parts of font file names that mark a CJK font (how a font missing from matplotlib's cache is recognised).
CJK_FILE_HINTS = ("cjk", "wqy", "wenquan", "simhei", "simsun", "msyh", "yahei", "sourcehan", "pingfang", "droidsansfallback",
                  "uming", "ukai", "notoserifcjk", "hei", "song")


class NoChineseFontWarning(UserWarning):
    """No CJK font is installed: Chinese labels will show as boxes."""


def _cjk_file(path: str) -> bool:
    name = str(path).replace("\\", "/").rsplit("/", 1)[-1].lower()
    return any(hint in name for hint in CJK_FILE_HINTS)


def register_system_cjk_fonts() -> list[str]:
    """Add the CJK font files installed after matplotlib built its font cache; return their family names."""
    manager = font_manager.fontManager
    known = {entry.fname for entry in manager.ttflist}
    added = []
    for path in font_manager.findSystemFonts():
        if path in known or not _cjk_file(path):
            continue
        before = len(manager.ttflist)
        try:
            manager.addfont(path)
        except (RuntimeError, OSError, ValueError):  # an unreadable file is skipped, never fatal
            continue
        added += [entry.name for entry in manager.ttflist[before:]]
    return added


def _listed_chinese_fonts() -> list[str]:
    entries = font_manager.fontManager.ttflist
    names = {entry.name for entry in entries}
    preferred = [name for name in CJK_FONTS if name in names]
    others = sorted({entry.name for entry in entries if _cjk_file(entry.fname)} - set(preferred))
    return preferred + others


def installed_chinese_fonts() -> list[str]:
    """The Chinese fonts matplotlib can use, those of :data:`CJK_FONTS` first (in preference order).

    When matplotlib's font list has none, the system's font folders are searched again
    (:func:`register_system_cjk_fonts`): its cache may predate the font.
    """
    found = _listed_chinese_fonts()
    if not found:
        register_system_cjk_fonts()
        found = _listed_chinese_fonts()
    return found


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
