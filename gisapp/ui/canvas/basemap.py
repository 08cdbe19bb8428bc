"""Basemaps, offline first: none, the project's own roads and grids, a local MBTiles file, or an XYZ URL.

Tiles are Web Mercator XYZ tiles (256 px). An XYZ source fetches them with
QNetworkAccessManager (asynchronous: the canvas never waits), caches them on
disk, and after repeated failures reports itself offline and stops asking for a
while, so an unreachable intranet server costs nothing but an indicator.
"""

from __future__ import annotations

import hashlib
import math
import sqlite3
import time
from collections import OrderedDict
from pathlib import Path

from PyQt6.QtCore import QObject, QRectF, QTimer, QUrl, pyqtSignal
from PyQt6.QtGui import QImage, QPainter
from PyQt6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest

from gisapp.layers.errors import InputError

from .view import EARTH_RADIUS, ZOOM0_RESOLUTION, MapView

ORIGIN = math.pi * EARTH_RADIUS  # half the world's width in Web Mercator metres
MEMORY_TILES = 512
MAX_PARALLEL = 6
OFFLINE_AFTER = 3  # consecutive failures
RETRY_SECONDS = 30.0


class TileSource(QObject):
    """A source of XYZ tiles. ``tile`` returns an image now or None (and may fetch it for later)."""

    tileLoaded = pyqtSignal()
    statusChanged = pyqtSignal(str, str)  # state ("ok", "loading", "offline", "error"), detail

    min_zoom = 0
    max_zoom = 19
    attribution = ""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._memory: OrderedDict[tuple[int, int, int], QImage] = OrderedDict()
        self.state = "ok"
        self.detail = ""

    def tile(self, z: int, x: int, y: int) -> QImage | None:
        return self.cached(z, x, y)

    def cached(self, z: int, x: int, y: int) -> QImage | None:
        image = self._memory.get((z, x, y))
        if image is not None:
            self._memory.move_to_end((z, x, y))
        return image

    def _remember(self, key, image: QImage) -> None:
        self._memory[key] = image
        while len(self._memory) > MEMORY_TILES:
            self._memory.popitem(last=False)

    def _set_state(self, state: str, detail: str = "") -> None:
        if (state, detail) != (self.state, self.detail):
            self.state, self.detail = state, detail
            self.statusChanged.emit(state, detail)

    def begin_frame(self) -> None:
        """Called before each draw: sources drop requests the new view no longer needs."""

    def close(self) -> None:
        pass


class MBTilesSource(TileSource):
    """Tiles from a local MBTiles (SQLite) file; TMS rows are flipped to XYZ."""

    def __init__(self, path, parent=None):
        super().__init__(parent)
        self.path = Path(path)
        if not self.path.is_file():
            raise InputError(f"The MBTiles file {self.path} does not exist.")
        try:
            self._db = sqlite3.connect(f"file:{self.path.as_posix()}?mode=ro", uri=True, check_same_thread=False)
            names = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
            if "tiles" not in names:
                raise InputError(f"{self.path.name} is not an MBTiles file: it has no tiles table.")
            meta = dict(self._db.execute("SELECT name, value FROM metadata").fetchall()) if "metadata" in names else {}
            self._db.execute("SELECT zoom_level, tile_column, tile_row, tile_data FROM tiles LIMIT 1").fetchall()
        except sqlite3.DatabaseError as error:
            raise InputError(f"{self.path.name} is not a readable MBTiles file ({error}); choose another basemap.") from None
        self.min_zoom = _int(meta.get("minzoom"), 0)
        self.max_zoom = _int(meta.get("maxzoom"), 19)
        self.attribution = str(meta.get("attribution", meta.get("name", self.path.stem)))
        self._missing: set[tuple[int, int, int]] = set()

    def tile(self, z, x, y):
        image = self.cached(z, x, y)
        if image is not None or (z, x, y) in self._missing:
            return image
        try:
            row = self._db.execute(
                "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?", (z, x, (1 << z) - 1 - y)
            ).fetchone()
        except sqlite3.DatabaseError as error:
            self._set_state("error", f"{self.path.name}: {error}")
            self._missing.add((z, x, y))
            return None
        image = QImage.fromData(bytes(row[0])) if row and row[0] else QImage()
        if image.isNull():
            self._missing.add((z, x, y))
            return None
        self._remember((z, x, y), image)
        return image

    def close(self):
        self._db.close()


class XYZSource(TileSource):
    """Tiles from a URL template such as ``http://tiles.intranet/{z}/{x}/{y}.png``, cached on disk."""

    def __init__(self, template: str, cache_dir, timeout_ms: int = 8000, parent=None):
        super().__init__(parent)
        template = template.strip()
        if not all(k in template for k in ("{z}", "{x}", "{y}")):
            raise InputError(f"The tile URL must contain {{z}}, {{x}} and {{y}}, such as http://server/{{z}}/{{x}}/{{y}}.png; got {template!r}.")
        if not template.lower().startswith(("http://", "https://", "file://")):
            raise InputError(f"The tile URL must start with http://, https:// or file://; got {template!r}.")
        self.template = template
        self.attribution = QUrl(template.replace("{", "").replace("}", "")).host()
        self.cache_dir = Path(cache_dir) / hashlib.sha1(template.encode()).hexdigest()[:12]
        self.timeout_ms = timeout_ms
        self._manager = QNetworkAccessManager(self)
        self._pending: dict[tuple[int, int, int], QNetworkReply] = {}
        self._queue: list[tuple[int, int, int]] = []
        self._failed: dict[tuple[int, int, int], float] = {}
        self._failures = 0
        self._offline_until = 0.0
        self._retry = QTimer(self, singleShot=True, timeout=self._leave_offline)

    def url(self, z, x, y) -> str:
        return self.template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y)).replace("{s}", "a")

    def _disk_path(self, z, x, y) -> Path:
        return self.cache_dir / str(z) / str(x) / f"{y}.tile"

    def tile(self, z, x, y):
        key = (z, x, y)
        image = self.cached(z, x, y)
        if image is not None:
            return image
        path = self._disk_path(z, x, y)
        if path.is_file():
            image = QImage(str(path))
            if not image.isNull():
                self._remember(key, image)
                return image
        if key in self._pending or key in self._queue or time.monotonic() < self._offline_until:
            return None
        if time.monotonic() - self._failed.get(key, -1e9) < RETRY_SECONDS:
            return None
        self._queue.append(key)
        self._pump()
        return None

    def begin_frame(self) -> None:
        self._queue.clear()  # the previous view's wishes; the new draw asks again

    def _pump(self) -> None:
        while self._queue and len(self._pending) < MAX_PARALLEL and time.monotonic() >= self._offline_until:
            key = self._queue.pop()
            request = QNetworkRequest(QUrl(self.url(*key)))
            request.setTransferTimeout(self.timeout_ms)
            request.setRawHeader(b"User-Agent", b"gisapp")
            reply = self._manager.get(request)
            self._pending[key] = reply
            reply.finished.connect(lambda key=key, reply=reply: self._finished(key, reply))
        if self._pending and self.state != "offline":
            self._set_state("loading", "")

    def _finished(self, key, reply: QNetworkReply) -> None:
        self._pending.pop(key, None)
        error = reply.error()
        data = bytes(reply.readAll()) if error == QNetworkReply.NetworkError.NoError else b""
        detail = reply.errorString()
        reply.deleteLater()
        image = QImage.fromData(data) if data else QImage()
        if image.isNull():
            self._failed[key] = time.monotonic()
            self._failures += 1
            if error in (QNetworkReply.NetworkError.ContentNotFoundError,):
                self._failures -= 1  # a missing tile is not an outage
            elif self._failures >= OFFLINE_AFTER or error in _CONNECTION_ERRORS:
                self._go_offline(detail or "no tile data")
        else:
            self._failures = 0
            self._remember(key, image)
            self._save(key, data)
            self.tileLoaded.emit()
        if not self._pending and self.state == "loading":
            self._set_state("ok", "")
        self._pump()

    def _go_offline(self, detail: str) -> None:
        self._offline_until = time.monotonic() + RETRY_SECONDS
        self._queue.clear()
        for reply in list(self._pending.values()):
            reply.abort()
        self._set_state("offline", detail)
        self._retry.start(int(RETRY_SECONDS * 1000))

    def _leave_offline(self) -> None:
        self._offline_until = 0.0
        self._failures = 0
        self._failed.clear()
        self.tileLoaded.emit()  # ask the canvas to draw, which asks for tiles again

    def _save(self, key, data: bytes) -> None:
        path = self._disk_path(*key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp = path.with_suffix(".part")
            temp.write_bytes(data)
            temp.replace(path)
        except OSError:
            pass  # a read-only cache only costs refetching

    def close(self) -> None:
        self._retry.stop()
        self._queue.clear()
        for reply in list(self._pending.values()):
            reply.abort()
        self._pending.clear()


_CONNECTION_ERRORS = {
    QNetworkReply.NetworkError.ConnectionRefusedError,
    QNetworkReply.NetworkError.HostNotFoundError,
    QNetworkReply.NetworkError.TimeoutError,
    QNetworkReply.NetworkError.OperationCanceledError,
    QNetworkReply.NetworkError.RemoteHostClosedError,
    QNetworkReply.NetworkError.NetworkSessionFailedError,
    QNetworkReply.NetworkError.TemporaryNetworkFailureError,
    QNetworkReply.NetworkError.UnknownNetworkError,
}


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def tile_zoom(view: MapView, source: TileSource) -> int:
    z = round(math.log2(ZOOM0_RESOLUTION / view.resolution))
    return int(min(max(z, source.min_zoom), source.max_zoom))


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    span = 2 * ORIGIN / (1 << z)
    return -ORIGIN + x * span, ORIGIN - (y + 1) * span, -ORIGIN + (x + 1) * span, ORIGIN - y * span


def draw_tiles(painter: QPainter, view: MapView, source: TileSource) -> int:
    """Draw what ``source`` has for the view (parents stand in for missing tiles); return tiles drawn."""
    source.begin_frame()
    z = tile_zoom(view, source)
    n = 1 << z
    span = 2 * ORIGIN / n
    xmin, ymin, xmax, ymax = view.extent
    x0, x1 = max(int((xmin + ORIGIN) // span), 0), min(int((xmax + ORIGIN) // span), n - 1)
    y0, y1 = max(int((ORIGIN - ymax) // span), 0), min(int((ORIGIN - ymin) // span), n - 1)
    if (x1 - x0 + 1) * (y1 - y0 + 1) > 400:
        return 0
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
    drawn = 0
    centre_x, centre_y = (x0 + x1) / 2, (y0 + y1) / 2
    order = sorted(((x, y) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)), key=lambda t: -((t[0] - centre_x) ** 2 + (t[1] - centre_y) ** 2))
    for x, y in order:  # requests are served last-in first-out: the centre comes first
        target = _screen_rect(view, tile_bounds(z, x, y))
        image = source.tile(z, x, y)
        if image is not None:
            painter.drawImage(target, image)
            drawn += 1
            continue
        for up in range(1, 4):  # a coarser cached tile, enlarged, beats a hole
            if z - up < 0:
                break
            px, py = x >> up, y >> up
            parent = source.cached(z - up, px, py)
            if parent is not None:
                k = 1 << up
                w, h = parent.width() / k, parent.height() / k
                painter.drawImage(target, parent, QRectF((x - px * k) * w, (y - py * k) * h, w, h))
                break
    return drawn


def _screen_rect(view: MapView, bounds) -> QRectF:
    left, top = view.to_screen(bounds[0], bounds[3])
    right, bottom = view.to_screen(bounds[2], bounds[1])
    return QRectF(float(left), float(top), float(right - left), float(bottom - top))
