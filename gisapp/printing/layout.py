"""Paper sizes and where each block of the printed map goes, in millimetres.

Landscape: header band, the map frame on the left, a side panel (legend,
key figures, inset) on the right, and a footer. Portrait: the map takes the
upper part of the page and the panel runs underneath in two columns.
"""

from __future__ import annotations

from dataclasses import dataclass

from gisapp.layers.errors import InputError

#: ISO 216 sizes, (short side, long side) in millimetres.
PAPER_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
ORIENTATIONS = ("landscape", "portrait")
MM_PER_INCH = 25.4


@dataclass(frozen=True)
class Box:
    """A rectangle on the page in millimetres from the lower-left corner."""

    x: float
    y: float
    w: float
    h: float

    @property
    def top(self) -> float:
        return self.y + self.h

    @property
    def right(self) -> float:
        return self.x + self.w


@dataclass(frozen=True)
class Layout:
    paper: str
    orientation: str
    width: float
    height: float
    margin: float
    header: Box
    map: Box
    panel: Box
    footer: Box
    #: Font size multiplier: 1 on A4, larger on A3 so the page reads from the same distance.
    scale: float

    @property
    def size_inches(self) -> tuple[float, float]:
        return self.width / MM_PER_INCH, self.height / MM_PER_INCH

    def fraction(self, box: Box) -> list[float]:
        """``box`` as figure fractions ``[left, bottom, width, height]``."""
        return [box.x / self.width, box.y / self.height, box.w / self.width, box.h / self.height]


def paper_name(paper: str) -> str:
    name = str(paper).strip().upper()
    if name not in PAPER_MM:
        raise InputError(f"Unknown paper size {paper!r}: use {' or '.join(PAPER_MM)}.")
    return name


def orientation_name(orientation: str) -> str:
    name = str(orientation).strip().lower()
    if name not in ORIENTATIONS:
        raise InputError(f"Unknown orientation {orientation!r}: use landscape or portrait.")
    return name


def page_layout(paper: str = "A4", orientation: str = "landscape") -> Layout:
    """Where the header, map, panel and footer go on ``paper``.

    Raises
    ------
    InputError
        An unknown paper size or orientation.
    """
    paper, orientation = paper_name(paper), orientation_name(orientation)
    short, long = PAPER_MM[paper]
    width, height = (long, short) if orientation == "landscape" else (short, long)
    scale = short / PAPER_MM["A4"][0]
    margin = 10.0 * scale
    header_h = 19.0 * scale
    footer_h = 8.0 * scale
    gap = 5.0 * scale
    content_top = height - margin - header_h - 2.0 * scale
    content_bottom = margin + footer_h
    header = Box(margin, height - margin - header_h, width - 2 * margin, header_h)
    footer = Box(margin, margin, width - 2 * margin, footer_h)
    if orientation == "landscape":
        panel_w = 0.26 * (width - 2 * margin)
        map_box = Box(margin, content_bottom, width - 2 * margin - panel_w - gap, content_top - content_bottom)
        panel = Box(map_box.right + gap, content_bottom, panel_w, map_box.h)
    else:
        panel_h = 0.30 * (content_top - content_bottom)
        panel = Box(margin, content_bottom, width - 2 * margin, panel_h)
        map_box = Box(margin, panel.top + gap, width - 2 * margin, content_top - panel.top - gap)
    return Layout(paper, orientation, width, height, margin, header, map_box, panel, footer, scale)
