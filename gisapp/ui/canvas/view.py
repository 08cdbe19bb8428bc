"""The map view: centre, resolution and size, and the world <-> screen transform (no Qt).

World coordinates are the display CRS (Web Mercator, metres at the equator).
Screen y grows downwards, world y upwards.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

EARTH_RADIUS = 6378137.0
#: Web Mercator resolution (m/px) of zoom level 0 for 256-pixel tiles.
ZOOM0_RESOLUTION = 2 * math.pi * EARTH_RADIUS / 256
MIN_RESOLUTION = 0.02
MAX_RESOLUTION = ZOOM0_RESOLUTION


@dataclass
class MapView:
    """What the canvas shows: ``resolution`` world units per pixel around ``(cx, cy)``."""

    cx: float = 11_700_000.0
    cy: float = 3_650_000.0
    resolution: float = 20.0
    width: int = 800
    height: int = 600

    def copy(self) -> MapView:
        return MapView(self.cx, self.cy, self.resolution, self.width, self.height)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        half_w, half_h = self.width * self.resolution / 2, self.height * self.resolution / 2
        return self.cx - half_w, self.cy - half_h, self.cx + half_w, self.cy + half_h

    def to_screen(self, x, y):
        xmin, _, _, ymax = self.extent
        return (np.asarray(x) - xmin) / self.resolution, (ymax - np.asarray(y)) / self.resolution

    def to_world(self, px, py):
        xmin, _, _, ymax = self.extent
        return xmin + np.asarray(px) * self.resolution, ymax - np.asarray(py) * self.resolution

    def affine(self) -> tuple[float, float, float, float]:
        """``(sx, sy, tx, ty)`` with screen = (x * sx + tx, y * sy + ty)."""
        xmin, _, _, ymax = self.extent
        s = 1.0 / self.resolution
        return s, -s, -xmin * s, ymax * s

    def zoom_at(self, factor: float, px: float, py: float) -> None:
        """Zoom in by ``factor`` (>1 zooms in) keeping the world point under pixel (px, py) fixed."""
        wx, wy = self.to_world(px, py)
        self.resolution = float(np.clip(self.resolution / factor, MIN_RESOLUTION, MAX_RESOLUTION))
        self.cx = float(wx) - (px - self.width / 2) * self.resolution
        self.cy = float(wy) + (py - self.height / 2) * self.resolution

    def pan_pixels(self, dx: float, dy: float) -> None:
        """Move the map content by (dx, dy) screen pixels."""
        self.cx -= dx * self.resolution
        self.cy += dy * self.resolution

    def fit(self, bounds, margin: float = 0.05, min_resolution: float = 0.5) -> None:
        xmin, ymin, xmax, ymax = (float(v) for v in bounds)
        if not all(math.isfinite(v) for v in (xmin, ymin, xmax, ymax)):
            return
        w, h = max(xmax - xmin, 1e-9), max(ymax - ymin, 1e-9)
        self.cx, self.cy = (xmin + xmax) / 2, (ymin + ymax) / 2
        res = max(w / max(self.width, 1), h / max(self.height, 1)) * (1 + 2 * margin)
        self.resolution = float(np.clip(res, max(min_resolution, MIN_RESOLUTION), MAX_RESOLUTION))

    def latitude(self) -> float:
        """Latitude (degrees) of the view centre."""
        return math.degrees(math.atan(math.sinh(self.cy / EARTH_RADIUS)))

    def ground_resolution(self) -> float:
        """True metres per pixel at the view centre (Web Mercator stretches by 1/cos(lat))."""
        return self.resolution * math.cos(math.radians(self.latitude()))

    def scale_denominator(self, dpi: float = 96.0) -> float:
        """The N of a 1:N scale for a screen of ``dpi`` dots per inch."""
        return self.ground_resolution() / (0.0254 / dpi)

    def set_scale_denominator(self, denominator: float, dpi: float = 96.0) -> None:
        ground = denominator * 0.0254 / dpi
        self.resolution = float(np.clip(ground / math.cos(math.radians(self.latitude())), MIN_RESOLUTION, MAX_RESOLUTION))

    def state(self) -> dict:
        """For the project file: centre and resolution are what make a view reproducible."""
        return {"crs": "EPSG:3857", "center": [round(self.cx, 3), round(self.cy, 3)], "resolution": self.resolution}

    def apply_state(self, state: dict) -> bool:
        try:
            cx, cy = (float(v) for v in state["center"])
            res = float(state["resolution"])
        except (KeyError, TypeError, ValueError):
            return False
        if state.get("crs", "EPSG:3857") != "EPSG:3857" or not (math.isfinite(cx) and math.isfinite(cy) and res > 0):
            return False
        self.cx, self.cy, self.resolution = cx, cy, float(np.clip(res, MIN_RESOLUTION, MAX_RESOLUTION))
        return True


def nice_scale_length(max_metres: float) -> float:
    """The largest 1/2/5 x 10^k metres not above ``max_metres`` (for the scale bar)."""
    if max_metres <= 0:
        return 0.0
    power = 10 ** math.floor(math.log10(max_metres))
    for step in (5, 2, 1):
        if step * power <= max_metres:
            return step * power
    return power


def lonlat_to_mercator(lon, lat):
    lon = np.asarray(lon, dtype=float)
    lat = np.clip(np.asarray(lat, dtype=float), -85.05112878, 85.05112878)
    return np.radians(lon) * EARTH_RADIUS, EARTH_RADIUS * np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))


def mercator_to_lonlat(x, y):
    return np.degrees(np.asarray(x, dtype=float) / EARTH_RADIUS), np.degrees(np.arctan(np.sinh(np.asarray(y, dtype=float) / EARTH_RADIUS)))
