"""A Chinese font for printed maps, checked glyph by glyph.

The first installed font of :data:`CJK_FONTS` that covers every character
to be printed wins. Coverage is read from the font's own character map
(fontTools), so a font that *claims* to be Chinese but lacks a character is
skipped instead of printing boxes. When no font covers the text the map is
still printed, with the best font found and a :class:`FontWarning` that
says what to install: never a crash.

On Debian/Ubuntu ``apt-get install fonts-noto-cjk`` provides Noto Sans CJK SC.

The preference list and the warning class are those of ``gisapp.charts.fonts``
(the charts' font choice); this module adds the per-character coverage check,
TrueType-collection faces and fonts installed after matplotlib's cache.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field

from matplotlib import font_manager

from gisapp.charts.fonts import CJK_FONTS as CHART_CJK_FONTS
from gisapp.charts.fonts import NoChineseFontWarning

#: In order of preference (shared with the charts).
CJK_FONTS = CHART_CJK_FONTS
#: Latin fallback matplotlib always has.
LATIN_FALLBACK = "DejaVu Sans"
_FILE_HINTS = ("cjk", "wqy", "wenquan", "simhei", "msyh", "yahei", "sourcehan", "pingfang", "droidsansfallback")


class FontWarning(NoChineseFontWarning):
    """No installed font covers the text; it will print with missing glyphs."""


@dataclass(frozen=True)
class FontChoice:
    """The font to print with.

    Attributes
    ----------
    family : list of str
        ``rcParams["font.family"]`` value: the chosen font, then the Latin fallback.
    name : str or None
        The CJK font chosen, None when none is installed.
    path : str or None
        Its file.
    missing : str
        Characters of the text that the chosen font lacks (empty when all are covered).
    """

    family: list[str]
    name: str | None
    path: str | None
    missing: str = ""
    tried: tuple[str, ...] = field(default_factory=tuple)


def _entries(name: str) -> list:
    return [f for f in font_manager.fontManager.ttflist if f.name == name]


def _register_system_cjk_fonts() -> None:
    """Add CJK font files installed after matplotlib built its font cache."""
    for path in font_manager.findSystemFonts():
        if any(hint in path.lower() for hint in _FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except (RuntimeError, OSError, ValueError):
                continue


@functools.lru_cache(maxsize=32)
def _charmap(path: str, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(path, fontNumber=index, lazy=True)
        return frozenset(font.getBestCmap() or {})
    except Exception:  # an unreadable file covers nothing
        return frozenset()


def missing_glyphs(text: str, path: str, index: int = 0) -> str:
    """The distinct characters of ``text`` that the font file lacks (whitespace ignored)."""
    cmap = _charmap(path, index)
    return "".join(sorted({c for c in text if not c.isspace() and ord(c) not in cmap}))


def resolve_cjk_font(text: str, candidates=None) -> FontChoice:
    """The first candidate font (default :data:`CJK_FONTS`) that covers ``text``; warns (FontWarning) when none does."""
    candidates = tuple(CJK_FONTS if candidates is None else candidates)
    installed = [name for name in candidates if _entries(name)]
    if not installed:
        _register_system_cjk_fonts()
        installed = [name for name in candidates if _entries(name)]
    best = None
    for name in installed:
        entry = _entries(name)[0]
        lacking = missing_glyphs(text, entry.fname, getattr(entry, "index", 0))
        if not lacking:
            return FontChoice([name, LATIN_FALLBACK], name, entry.fname, "", candidates)
        latin_only = missing_glyphs(lacking, _latin_path())  # what the Latin fallback still fills in
        if not latin_only:
            return FontChoice([name, LATIN_FALLBACK], name, entry.fname, "", candidates)
        if best is None or len(latin_only) < len(best.missing):
            best = FontChoice([name, LATIN_FALLBACK], name, entry.fname, latin_only, candidates)
    if best is None:
        lacking = missing_glyphs(text, _latin_path())
        best = FontChoice([LATIN_FALLBACK], None, None, lacking, candidates)
        if lacking:
            warnings.warn(
                f"No Chinese font is installed (tried {', '.join(candidates)}): {len(lacking)} characters will print as boxes. "
                "Install one, e.g. apt-get install fonts-noto-cjk.",
                FontWarning,
                stacklevel=2,
            )
        return best
    warnings.warn(
        f"No installed font covers every character; using {best.name}, which lacks {best.missing[:20]!r}.",
        FontWarning,
        stacklevel=2,
    )
    return best


@functools.lru_cache(maxsize=1)
def _latin_path() -> str:
    return font_manager.findfont(LATIN_FALLBACK, fallback_to_default=True)
