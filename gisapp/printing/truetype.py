"""Chinese fonts as TrueType outlines, so a PDF embeds them as CID TrueType (``pdf.fonttype = 42``), not Type 3.

Print shops reject Type 3 fonts (bitmapped or procedure fonts, unhinted
and unsearchable in some RIPs). matplotlib embeds a TrueType font as a CID
font with its outlines when ``pdf.fonttype`` is 42, but only a font with
TrueType (``glyf``) outlines is valid there: the common Linux CJK font, Noto
Sans CJK, is OpenType with CFF outlines, which matplotlib would write as a
``FontFile2`` that is not TrueType (poppler warns "Mismatch between font type
and embedded font file"). Windows' Microsoft YaHei and SimHei are TrueType
already and pass through unchanged.

For a CFF font this module subsets it to the characters of the page
(fontTools), converts the cubic outlines to quadratic ones (``cu2qu``, at
most one font unit of error) and registers the result with matplotlib under
a new family name. Conversions are cached in the process and, keyed by the
font and the characters, in a folder of the system's temporary directory.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path

from matplotlib import font_manager

#: Maximum distance (font units, of 1000 or 2048 per em) between the cubic and the quadratic outline.
MAX_ERROR = 1.0
_FOLDER = Path(tempfile.gettempdir()) / "gisapp-fonts"


def has_truetype_outlines(path: str, index: int = 0) -> bool:
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True)
    return "glyf" in font


def truetype_family(name: str, path: str, index: int, text: str, bold_path: str | None = None, bold_index: int = 0) -> str:
    """A family name matplotlib can embed as TrueType for ``text``: ``name`` itself when the font has
    TrueType outlines, else a converted subset (regular and, when given, bold) registered under a new name."""
    if has_truetype_outlines(path, index):
        return name
    characters = "".join(sorted(set(text) | set(_BASIC)))
    family = f"gisapp {name} TT {hashlib.sha1(characters.encode('utf-8')).hexdigest()[:8]}"
    for source, source_index in ((path, index), (bold_path, bold_index)):
        if source:
            font_manager.fontManager.addfont(str(_converted(source, source_index, characters, family)))
    return family


#: Latin letters, digits and punctuation every page uses (numbers, scale, EPSG codes).
_BASIC = "".join(chr(c) for c in range(0x20, 0x7F)) + "·—–°×±：，。、（）％《》“”"


@functools.lru_cache(maxsize=16)
def _converted(path: str, index: int, characters: str, family: str) -> Path:
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont, newTable

    _FOLDER.mkdir(exist_ok=True)
    out = _FOLDER / f"{hashlib.sha1((family + path + str(index)).encode()).hexdigest()[:16]}.ttf"
    if out.is_file():  # converted by an earlier print with the same characters
        return out
    font = TTFont(path, fontNumber=index)
    for tag in ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "VORG", "vhea", "vmtx", "DSIG"):
        if tag in font:  # layout tables: never used by matplotlib, and decoding them is most of the subsetting time
            del font[tag]
    options = subset.Options()
    options.layout_features, options.name_IDs, options.notdef_outline, options.hinting = [], ["*"], True, False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for glyph_name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[glyph_name].draw(Cu2QuPen(pen, MAX_ERROR, reverse_direction=True))
        glyf.glyphs[glyph_name] = pen.glyph()
    font["glyf"], font["loca"] = glyf, newTable("loca")
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    font.sfntVersion = "\x00\x01\x00\x00"
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attribute in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                      "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, attribute, 0)
    maxp.maxZones = 1
    font["head"].indexToLocFormat, font["head"].glyphDataFormat = 0, 0
    font["post"].formatType = 3.0
    _rename(font, family)
    temp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    font.save(str(temp))
    temp.replace(out)  # atomic: two prints at once never read half a file
    return out


def _rename(font, family: str) -> None:
    """A new family name, so matplotlib never confuses the subset with the installed font."""
    style = "Bold" if font["OS/2"].usWeightClass >= 600 else "Regular"
    names = {1: family, 2: style, 4: f"{family} {style}", 6: f"{family}-{style}".replace(" ", ""), 16: family, 17: style}
    table = font["name"]
    for record in list(table.names):
        if record.nameID in names:
            table.removeNames(nameID=record.nameID)
    for name_id, value in names.items():
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)
