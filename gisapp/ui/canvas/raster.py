"""Raster layers: a 2-D array with its bounds, coloured through a ramp into a QImage.

A KDE surface or any gridded result can be shown without turning it into
polygons: give the layer a ``raster`` attribute holding a
:class:`gisapp.layers.raster.Raster` (what ``gisapp.analysis.hotspots.density`` returns), a
:class:`RasterData`, or an ``(array, bounds)`` tuple in the layer's CRS. Row 0
of the array is the northern edge, as in GeoTIFF.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PyQt6.QtGui import QImage

from ..styles import hex_to_rgba, ramp_colours


@dataclass
class RasterData:
    """``array`` (rows north to south) covering ``bounds`` = (xmin, ymin, xmax, ymax) in ``crs`` (None: the layer's)."""

    array: np.ndarray
    bounds: tuple[float, float, float, float]
    crs: object = None


def raster_of(layer) -> RasterData | None:
    """The raster a layer carries, if any: a RasterData, anything with ``array`` and ``bounds``
    (such as :class:`gisapp.layers.raster.Raster`, whose ``nodata`` cells become transparent), or an
    ``(array, bounds)`` tuple."""
    raster = getattr(layer, "raster", None)
    if raster is None or isinstance(raster, RasterData):
        return raster
    if hasattr(raster, "array") and hasattr(raster, "bounds"):
        array = np.asarray(raster.array, dtype=float)
        nodata = getattr(raster, "nodata", None)
        if nodata is not None and np.isfinite(nodata):
            array = np.where(array == nodata, np.nan, array)
        return RasterData(array, tuple(float(b) for b in raster.bounds), getattr(raster, "crs", None))
    array, bounds = raster[0], raster[1]
    return RasterData(np.asarray(array), tuple(float(b) for b in bounds))


def colourise(array: np.ndarray, ramp: str = "Density", vmin: float | None = None, vmax: float | None = None) -> tuple[QImage, np.ndarray]:
    """An ARGB image of ``array``; NaN and values at or below ``vmin`` are transparent.

    Returns the image and the pixel buffer it borrows (keep both alive while drawing).
    """
    values = np.asarray(array, dtype=float)
    finite = np.isfinite(values)
    lo = float(np.nanmin(values)) if vmin is None and finite.any() else float(vmin or 0.0)
    hi = float(np.nanmax(values)) if vmax is None and finite.any() else float(vmax or 1.0)
    span = hi - lo if hi > lo else 1.0
    levels = 64
    lut = np.zeros(levels + 1, dtype=np.uint32)
    for i, colour in enumerate(ramp_colours(ramp, levels)):
        r, g, b, a = hex_to_rgba(colour)
        f = a / 255
        lut[i + 1] = (a << 24) | (int(r * f) << 16) | (int(g * f) << 8) | int(b * f)
    index = np.zeros(values.shape, dtype=np.int32)
    scaled = np.clip((values - lo) / span, 0, 1)
    index[finite] = 1 + np.minimum((scaled[finite] * levels).astype(np.int32), levels - 1)
    if vmin is not None:
        index[finite & (values <= lo)] = 0
    pixels = np.ascontiguousarray(lut[index])
    h, w = pixels.shape
    image = QImage(pixels.data, w, h, w * 4, QImage.Format.Format_ARGB32_Premultiplied)
    return image, pixels
