"""An ``.xls`` that is really an HTML page (some police systems export that way), read as its largest table.

Python's own ``html.parser`` reads it: it is lenient with the unclosed
``<td>`` and ``<tr>`` such exports are full of, needs no extra package (pandas'
``read_html`` needs lxml or html5lib), and keeps every cell as text, so case
numbers keep their leading zeros. ``colspan`` cells are padded so the columns
stay aligned; a ``<br>`` inside a cell becomes a space.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def looks_like_html(head: bytes) -> bool:
    """True when the file starts (after a BOM and blanks) with an HTML tag or doctype."""
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").replace(b"\x00", b"")[:512].lower()
    return text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body", b"<style", b"<!--"))


def decode_html(raw: bytes) -> str:
    """The page's text: its BOM, else its declared charset, else UTF-8, else GB18030."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace")
    declared = _CHARSET.search(raw[:4096])
    names = [declared.group(1).decode("ascii").lower()] if declared else []
    for name in names + ["utf-8", "gb18030"]:
        try:
            return raw.decode("gb18030" if name in ("gbk", "gb2312") else name)
        except (UnicodeDecodeError, LookupError):
            continue
    return raw.decode("utf-8", errors="replace")


def html_tables(text: str) -> list[list[list[str]]]:
    """Every ``<table>`` of ``text`` as rows of cell texts (nested tables are read as their own)."""
    parser = _TableParser()
    parser.feed(text)
    parser.close()
    return parser.tables


class _TableParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._stack: list[list[list[str]]] = []  # open tables
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._close_cell()
            self._stack.append([])
        elif not self._stack:
            return
        elif tag == "tr":
            self._close_cell()
            self._stack[-1].append([])
        elif tag in ("td", "th"):
            self._close_cell()
            if not self._stack[-1]:
                self._stack[-1].append([])
            self._cell = []
            span = dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() and 0 < int(span) <= 1000 else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th", "tr"):
            self._close_cell()
        elif tag == "table" and self._stack:
            self._close_cell()
            self.tables.append(self._stack.pop())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)

    def close(self):
        super().close()
        self._close_cell()
        while self._stack:  # a page cut off before </table>
            self.tables.append(self._stack.pop())

    def _close_cell(self):
        if self._cell is None or not self._stack:
            self._cell = None
            return
        text = re.sub(r"\s+", " ", "".join(self._cell).replace("\xa0", " ")).strip()
        self._stack[-1][-1].extend([text] + [""] * (self._span - 1))
        self._cell = None
        self._span = 1
