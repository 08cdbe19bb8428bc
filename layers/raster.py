"""A single-band raster result and a dependency-free GeoTIFF writer and reader.

Why GeoTIFF, written here
-------------------------
Density surfaces are continuous values (incidents per km²), so they need a
float raster. GeoTIFF opens natively in QGIS, ArcGIS and every GDAL tool, with
its coordinate system taken from an EPSG code. The alternative, GeoPackage
tiles, stores 8-bit PNG/JPEG images; float data need the "2D gridded
coverage" extension (16-bit PNG with scale/offset), which fewer programs read.
GDAL is present only inside pyogrio (vector API), and rasterio would be a large
extra dependency for one small job, so this module writes baseline TIFF 6.0
itself: one band of little-endian ``float32`` in strips, Deflate-compressed
(TIFF compression 8, "Adobe Deflate", read by GDAL and libtiff), plus the
GeoTIFF 1.0 keys (OGC 19-008r4):

- ``ModelPixelScaleTag`` (33550) and ``ModelTiepointTag`` (33922): the
  north-up affine transform, upper-left corner of pixel (0, 0) at
  ``(xmin, ymax)``;
- ``GeoKeyDirectoryTag`` (34735): ``GTModelTypeGeoKey`` (projected or
  geographic), ``GTRasterTypeGeoKey = RasterPixelIsArea`` and the EPSG code in
  ``ProjectedCSTypeGeoKey`` / ``GeographicTypeGeoKey``. A CRS without an EPSG
  code gets "user-defined" (32767) plus a GDAL ``.aux.xml`` sidecar holding its WKT;
- GDAL's private ``GDAL_NODATA`` (42113) and ``GDAL_METADATA`` (42112) tags,
  which QGIS shows as the layer's no-data value and metadata: gisapp stores the
  analysis parameters there, so the file carries what made it.

:func:`read_geotiff` reads what :func:`write_geotiff` writes (and other
uncompressed or Deflate, single-band, strip-organised float/integer GeoTIFFs).
"""

from __future__ import annotations

import json
import math
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import numpy as np
import pyproj

from .errors import InputError

# TIFF field types
_ASCII, _SHORT, _LONG, _DOUBLE = 2, 3, 4, 12
_TYPE_SIZE = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 16: 8}
_TYPE_CODE = {1: "B", 2: "s", 3: "H", 4: "I", 5: "II", 6: "b", 7: "B", 8: "h", 9: "i", 10: "ii", 11: "f", 12: "d", 16: "Q"}

_USER_DEFINED = 32767
_STRIP_BYTES = 1 << 16


@dataclass
class Raster:
    """A north-up single-band grid in a coordinate system.

    Attributes
    ----------
    array : ndarray, shape (rows, cols)
        Cell values; row 0 is the **northern** row (image order), as in GDAL.
    origin : (float, float)
        ``(xmin, ymax)``: the upper-left corner of cell (0, 0).
    cell_size : float
        Width and height of a cell, in CRS units (square cells).
    crs : pyproj.CRS
    nodata : float or None
        Value meaning "no data"; None when every cell holds a value.
    units : str
        What a value means, e.g. ``"incidents per km²"``.
    metadata : dict
        JSON-serialisable key figures and parameters; written into the GeoTIFF.
    """

    array: np.ndarray
    origin: tuple[float, float]
    cell_size: float
    crs: pyproj.CRS
    nodata: float | None = None
    units: str = ""
    metadata: dict = field(default_factory=dict)

    @property
    def shape(self) -> tuple[int, int]:
        return tuple(self.array.shape)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """``(xmin, ymin, xmax, ymax)`` of the outer cell edges."""
        rows, cols = self.array.shape
        xmin, ymax = self.origin
        return (xmin, ymax - rows * self.cell_size, xmin + cols * self.cell_size, ymax)

    @property
    def geotransform(self) -> tuple[float, float, float, float, float, float]:
        """The GDAL geotransform ``(xmin, dx, 0, ymax, 0, -dy)``."""
        xmin, ymax = self.origin
        return (xmin, self.cell_size, 0.0, ymax, 0.0, -self.cell_size)

    def cell_centres(self) -> tuple[np.ndarray, np.ndarray]:
        """x and y of every cell centre, each shaped like ``array``."""
        rows, cols = self.array.shape
        xmin, ymax = self.origin
        xs = xmin + (np.arange(cols) + 0.5) * self.cell_size
        ys = ymax - (np.arange(rows) + 0.5) * self.cell_size
        return np.meshgrid(xs, ys)

    def value_at(self, x: float, y: float) -> float:
        """The value of the cell containing ``(x, y)``; NaN outside the raster."""
        xmin, ymax = self.origin
        col = math.floor((x - xmin) / self.cell_size)
        row = math.floor((ymax - y) / self.cell_size)
        rows, cols = self.array.shape
        if 0 <= row < rows and 0 <= col < cols:
            return float(self.array[row, col])
        return float("nan")


# --------------------------------------------------------------------------- writing


def write_geotiff(raster: Raster, path, compress: bool = True) -> Path:
    """Write ``raster`` as a single-band float32 GeoTIFF at ``path``; returns the path.

    The file is written to a temporary name and renamed, so a crash never
    leaves a half-written raster under the final name.
    """
    path = Path(path)
    if path.suffix.lower() not in (".tif", ".tiff"):
        raise InputError(f"A raster is written as GeoTIFF: give a .tif file name, not {path.name}.")
    data = np.ascontiguousarray(raster.array, dtype="<f4")
    if data.ndim != 2 or data.size == 0:
        raise InputError("A raster needs a two-dimensional, non-empty array of values.")
    if not (math.isfinite(raster.cell_size) and raster.cell_size > 0):
        raise InputError(f"The raster cell size must be positive, got {raster.cell_size}.")
    rows, cols = data.shape
    row_bytes = cols * 4
    rows_per_strip = max(1, min(rows, _STRIP_BYTES // row_bytes))
    strips = [data[r:r + rows_per_strip].tobytes() for r in range(0, rows, rows_per_strip)]
    if compress:
        strips = [zlib.compress(s, 6) for s in strips]

    epsg = raster.crs.to_epsg(min_confidence=90)
    geokeys, citation = _geokeys(raster.crs, epsg)
    xmin, ymax = raster.origin
    tags: dict[int, tuple[int, object]] = {
        256: (_LONG, [cols]),
        257: (_LONG, [rows]),
        258: (_SHORT, [32]),
        259: (_SHORT, [8 if compress else 1]),
        262: (_SHORT, [1]),
        273: (_LONG, [0] * len(strips)),  # filled in below
        277: (_SHORT, [1]),
        278: (_LONG, [rows_per_strip]),
        279: (_LONG, [len(s) for s in strips]),
        284: (_SHORT, [1]),
        339: (_SHORT, [3]),
        33550: (_DOUBLE, [raster.cell_size, raster.cell_size, 0.0]),
        33922: (_DOUBLE, [0.0, 0.0, 0.0, float(xmin), float(ymax), 0.0]),
        34735: (_SHORT, geokeys),
        34737: (_ASCII, citation),
        42112: (_ASCII, _gdal_metadata(raster)),
    }
    if raster.nodata is not None:
        tags[42113] = (_ASCII, _nodata_text(raster.nodata))

    body = bytearray(b"II*\x00\x00\x00\x00\x00")
    offsets = []
    for strip in strips:
        offsets.append(len(body))
        body += strip
        if len(body) % 2:
            body += b"\x00"
    tags[273] = (_LONG, offsets)
    if len(body) + 4096 > 2**32:
        raise InputError("The raster is too large for a classic TIFF (4 GB); choose a larger cell size.")

    # values longer than 4 bytes go after the image data, then the IFD
    encoded = {}
    for tag, (kind, values) in sorted(tags.items()):
        payload = _encode(kind, values)
        count = len(payload) if kind == _ASCII else len(values)
        if len(payload) <= 4:
            encoded[tag] = (kind, count, payload.ljust(4, b"\x00"))
        else:
            offset = len(body)
            body += payload
            if len(body) % 2:
                body += b"\x00"
            encoded[tag] = (kind, count, struct.pack("<I", offset))
    ifd_offset = len(body)
    body += struct.pack("<H", len(encoded))
    for tag, (kind, count, value) in sorted(encoded.items()):
        body += struct.pack("<HHI", tag, kind, count) + value
    body += struct.pack("<I", 0)
    body[4:8] = struct.pack("<I", ifd_offset)

    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.partial")
    temporary.write_bytes(bytes(body))
    temporary.replace(path)
    sidecar = path.with_name(path.name + ".aux.xml")
    if epsg is None:
        sidecar.write_text(f"<PAMDataset>\n  <SRS>{escape(raster.crs.to_wkt())}</SRS>\n</PAMDataset>\n", encoding="utf-8")
    elif sidecar.exists():
        sidecar.unlink()  # a stale sidecar would override the EPSG code in GDAL
    return path


def _encode(kind: int, values) -> bytes:
    if kind == _ASCII:
        text = values if isinstance(values, bytes) else str(values).encode("utf-8")
        return text + b"\x00"
    return struct.pack("<" + _TYPE_CODE[kind] * len(values), *values)


def _geokeys(crs: pyproj.CRS, epsg: int | None) -> tuple[list[int], str]:
    """GeoKeyDirectory entries and the GeoAsciiParams text."""
    name = crs.name or "unknown"
    citation = name.replace("|", "/") + "|"
    keys = [
        (1024, 0, 1, 2 if crs.is_geographic else 1),  # GTModelTypeGeoKey
        (1025, 0, 1, 1),  # GTRasterTypeGeoKey: RasterPixelIsArea
        (1026, 34737, len(citation), 0),  # GTCitationGeoKey
    ]
    code = epsg if epsg is not None and epsg < 65536 else _USER_DEFINED
    keys.append((2048, 0, 1, code) if crs.is_geographic else (3072, 0, 1, code))
    if not crs.is_geographic:
        keys.append((3076, 0, 1, 9001))  # ProjLinearUnitsGeoKey: metre
    keys.sort()
    directory = [1, 1, 0, len(keys)]
    for key in keys:
        directory.extend(key)
    return directory, citation


def _nodata_text(value: float) -> str:
    if math.isnan(value):
        return "nan"
    return repr(float(value))


def _gdal_metadata(raster: Raster) -> str:
    """GDAL's metadata XML: every key figure as a dataset item, units and a description on the band."""
    items = []
    for key, value in raster.metadata.items():
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        items.append(f"  <Item name={quoteattr(str(key))}>{escape(text)}</Item>")
    if raster.units:
        items.append(f'  <Item name="UNITTYPE" sample="0" role="unittype">{escape(raster.units)}</Item>')
        items.append(f'  <Item name="DESCRIPTION" sample="0" role="description">{escape(raster.units)}</Item>')
    return "<GDALMetadata>\n" + "\n".join(items) + "\n</GDALMetadata>"


# --------------------------------------------------------------------------- reading


def read_geotiff(path) -> Raster:
    """Read a single-band, north-up, strip-organised GeoTIFF (as written by :func:`write_geotiff`)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"Cannot read {path.name}: {error.strerror or error}.") from None
    if data[:4] != b"II*\x00":
        raise InputError(f"{path.name} is not a little-endian classic TIFF file.")
    tags = _read_ifd(data, struct.unpack_from("<I", data, 4)[0])

    def one(tag, default=None):
        values = tags.get(tag)
        return default if values is None else values[0]

    cols, rows = int(one(256)), int(one(257))
    bits, compression, sample_format = int(one(258, 8)), int(one(259, 1)), int(one(339, 1))
    if int(one(277, 1)) != 1:
        raise InputError(f"{path.name} has several bands; gisapp reads single-band rasters.")
    if compression not in (1, 8, 32946):
        raise InputError(f"{path.name} uses TIFF compression {compression}; only none and Deflate are read.")
    dtype = {(3, 32): "<f4", (3, 64): "<f8", (1, 8): "u1", (1, 16): "<u2", (1, 32): "<u4", (2, 16): "<i2", (2, 32): "<i4"}.get((sample_format, bits))
    if dtype is None or 273 not in tags:
        raise InputError(f"{path.name} is not a strip-organised raster of a supported sample type.")
    chunks = []
    for offset, count in zip(tags[273], tags[279]):
        chunk = data[offset:offset + count]
        chunks.append(zlib.decompress(chunk) if compression != 1 else chunk)
    array = np.frombuffer(b"".join(chunks), dtype=dtype)[: rows * cols].reshape(rows, cols).astype(np.float64)

    scale, tie = tags.get(33550), tags.get(33922)
    if scale is None or tie is None:
        raise InputError(f"{path.name} has no georeferencing (ModelPixelScale and ModelTiepoint tags).")
    if abs(scale[0] - scale[1]) > 1e-9 * abs(scale[0]):
        raise InputError(f"{path.name} has non-square cells, which gisapp does not read.")
    origin = (tie[3] - tie[0] * scale[0], tie[4] + tie[1] * scale[1])
    crs = _crs_from_geokeys(tags.get(34735), path)
    nodata_text = tags.get(42113)
    nodata = None if nodata_text is None else float(nodata_text.strip())
    metadata, units = _parse_gdal_metadata(tags.get(42112))
    return Raster(array, origin, float(scale[0]), crs, nodata, units, metadata)


def _read_ifd(data: bytes, offset: int) -> dict[int, object]:
    count = struct.unpack_from("<H", data, offset)[0]
    tags = {}
    for i in range(count):
        tag, kind, n, raw = struct.unpack_from("<HHI4s", data, offset + 2 + 12 * i)
        size = _TYPE_SIZE.get(kind, 1) * n
        payload = raw[:size] if size <= 4 else data[struct.unpack("<I", raw)[0]:struct.unpack("<I", raw)[0] + size]
        if kind == _ASCII:
            tags[tag] = payload.rstrip(b"\x00").decode("utf-8", errors="replace")
        elif kind in _TYPE_CODE:
            tags[tag] = list(struct.unpack("<" + _TYPE_CODE[kind] * n, payload))
    return tags


def _crs_from_geokeys(directory, path: Path) -> pyproj.CRS:
    sidecar = path.with_name(path.name + ".aux.xml")
    keys = {}
    if directory:
        for i in range(4, 4 + 4 * directory[3], 4):
            keys[directory[i]] = directory[i + 3]
    code = keys.get(3072) or keys.get(2048)
    if code and code != _USER_DEFINED:
        return pyproj.CRS.from_epsg(code)
    if sidecar.exists():
        text = sidecar.read_text(encoding="utf-8")
        start, end = text.find("<SRS>"), text.find("</SRS>")
        if start >= 0 and end > start:
            from xml.sax.saxutils import unescape

            return pyproj.CRS.from_wkt(unescape(text[start + 5:end]))
    raise InputError(f"{path.name} does not say its coordinate system by EPSG code.")


def _parse_gdal_metadata(text: str | None) -> tuple[dict, str]:
    if not text:
        return {}, ""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(text)
    except ET.ParseError:
        return {}, ""
    metadata, units = {}, ""
    for item in root.iter("Item"):
        if item.get("role") == "unittype":
            units = item.text or ""
        elif item.get("role") is None:
            value = item.text or ""
            try:
                metadata[item.get("name")] = json.loads(value)
            except ValueError:
                metadata[item.get("name")] = value
    return metadata, units
