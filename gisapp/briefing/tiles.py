"""Basemaps the user configures: an intranet XYZ URL, or tiles embedded from a local MBTiles file.

MBTiles tiles are *embedded* in the HTML as data URIs (one file to hand out,
nothing to serve), limited to the tiles that cover the map's extent and to a
byte budget: zoom levels are added from the lowest up while they fit, and
deeper zooms are over-zoomed from the last embedded level.
"""

from __future__ import annotations

import base64
import html
import math
import sqlite3
from pathlib import Path

from gisapp.layers.errors import InputError

#: Embedded tiles stop at this many bytes (before base64).
MBTILES_BUDGET_BYTES = 12 * 1024 * 1024
_MIME = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}


def check_xyz_url(url: str) -> str:
    """An XYZ template such as ``http://10.1.2.3/tiles/{z}/{x}/{y}.png``."""
    if not all(part in url for part in ("{z}", "{x}", "{y}")):
        raise InputError(f"--tiles needs an XYZ URL template with {{z}}, {{x}} and {{y}}; got {url!r}.")
    if not url.lower().startswith(("http://", "https://", "file://")) and not url.startswith(("/", "./", "../")):
        raise InputError(f"--tiles must be an http(s):// or file:// URL template; got {url!r}.")
    return url


def _tile_range(bounds_lonlat, zoom: int) -> tuple[int, int, int, int]:
    west, south, east, north = bounds_lonlat
    n = 2**zoom

    def tile_x(lon):
        return min(n - 1, max(0, int((lon + 180.0) / 360.0 * n)))

    def tile_y(lat):
        lat = max(-85.05112878, min(85.05112878, lat))
        rad = math.radians(lat)
        return min(n - 1, max(0, int((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * n)))

    return tile_x(west), tile_y(north), tile_x(east), tile_y(south)


def embed_mbtiles(path: str | Path, bounds_lonlat, budget: int = MBTILES_BUDGET_BYTES) -> tuple[dict, list[str]]:
    """The payload for ``gisappBrief.embeddedTiles`` and notes about what was left out.

    Raises
    ------
    InputError
        Not an MBTiles file, vector tiles, or no tile over the map.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"--mbtiles: {path} does not exist.")
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        metadata = dict(connection.execute("SELECT name, value FROM metadata").fetchall())
        zooms = [z for (z,) in connection.execute("SELECT DISTINCT zoom_level FROM tiles ORDER BY zoom_level")]
    except sqlite3.DatabaseError as error:
        raise InputError(f"{path.name} is not an MBTiles file ({error}).") from None
    fmt = str(metadata.get("format", "png")).lower()
    if fmt not in _MIME:
        raise InputError(f"{path.name} holds {fmt} tiles; the briefing can embed raster tiles (png, jpg, webp) only.")
    tiles, used, notes, embedded = {}, 0, [], []
    try:
        for zoom in zooms:
            x0, y0, x1, y1 = _tile_range(bounds_lonlat, zoom)
            n = 2**zoom
            # MBTiles rows count from the south (TMS); Leaflet's from the north.
            rows = connection.execute(
                "SELECT tile_column, tile_row, tile_data FROM tiles WHERE zoom_level = ? AND tile_column BETWEEN ? AND ? "
                "AND tile_row BETWEEN ? AND ?",
                (zoom, x0, x1, n - 1 - y1, n - 1 - y0),
            ).fetchall()
            size = sum(len(data) for _, _, data in rows)
            if used + size > budget and embedded:
                notes.append(f"MBTiles 底图只嵌入到第 {embedded[-1]} 级（文件大小限制），更高级别放大显示。")
                break
            for column, row, data in rows:
                tiles[f"{zoom}/{column}/{n - 1 - row}"] = f"data:{_MIME[fmt]};base64," + base64.b64encode(data).decode("ascii")
            used += size
            if rows:
                embedded.append(zoom)
    finally:
        connection.close()
    if not tiles:
        raise InputError(f"{path.name} has no tile over the map's extent.")
    west, south, east, north = bounds_lonlat
    payload = {
        "tiles": tiles,
        "minZoom": embedded[0],
        "maxZoom": embedded[-1],
        "bounds": [[south, west], [north, east]],
        # Leaflet writes attributions as HTML: escape them like any other text from a file.
        "attribution": html.escape(str(metadata.get("attribution", "") or metadata.get("name", ""))),
    }
    return payload, notes
