"""Chinese wording of the printed map's footer: the coordinate system, sizes, the scale."""

from __future__ import annotations

import math
import re

import pyproj

#: Scales a bureau prints at (denominators); the map takes the first at or above what fits.
NICE_SCALES = (1_000, 2_000, 2_500, 5_000, 7_500, 10_000, 15_000, 20_000, 25_000, 30_000, 40_000, 50_000, 75_000, 100_000,
               150_000, 200_000, 250_000, 300_000, 500_000, 750_000, 1_000_000)


def crs_label_zh(crs) -> str:
    """``CGCS2000 3度带 高斯-克吕格 中央经线105°`` for a Gauss-Krüger zone; UTM and others in the same words."""
    crs = pyproj.CRS.from_user_input(crs)
    datum = _datum_zh(crs)
    if not crs.is_projected:
        return f"{datum} 经纬度" if crs.is_geographic else "本地坐标（未地理配准）"
    name = crs.name or ""
    operation = crs.coordinate_operation
    method = (operation.method_name if operation else "") or ""
    centre = _central_meridian(operation)
    meridian = f" 中央经线{centre:g}°" if centre is not None else ""
    if "Gauss" in name or "Gauss" in method:
        width = re.search(r"(\d)-degree", name)
        band = f" {width.group(1)}度带" if width else ""
        return f"{datum}{band} 高斯-克吕格{meridian}"
    zone = re.search(r"UTM zone (\d+)([NS])", name)
    if zone:
        return f"{datum} UTM 第{zone.group(1)}带（{'北' if zone.group(2) == 'N' else '南'}半球）{meridian}"
    if "Transverse Mercator" in method:
        return f"{datum} 横轴墨卡托{meridian}"
    return name


def _datum_zh(crs) -> str:
    datum = (crs.datum.name if crs.datum else "") or ""
    if "China" in datum and "2000" in datum:
        return "CGCS2000"
    if ("WGS" in datum and "84" in datum) or "World Geodetic System 1984" in datum:
        return "WGS84"
    if "Xian" in datum or "1980" in datum:
        return "西安80"
    if "Beijing" in datum:
        return "北京54"
    return datum


def _central_meridian(operation) -> float | None:
    for parameter in getattr(operation, "params", []) or []:
        if "natural origin" in parameter.name and "Longitude" in parameter.name or parameter.name == "Central meridian":
            return round(float(parameter.value), 4)
    return None


def round_metres(value: float) -> str:
    """A length for a footer: whole metres below 100 m, then 10 m, then 50 m steps (283 -> '280 m')."""
    if value is None or not math.isfinite(value):
        return "—"
    step = 1 if value < 100 else 10 if value < 1000 else 50
    return f"{round(value / step) * step:,.0f} m"


def nice_scale(denominator: float) -> int:
    """The first of :data:`NICE_SCALES` at or above ``denominator`` (or a round 10^k multiple beyond them)."""
    for scale in NICE_SCALES:
        if scale >= denominator - 1e-6:
            return scale
    step = 10 ** math.floor(math.log10(denominator))
    return int(math.ceil(denominator / step) * step)


def scale_text(denominator: int) -> str:
    return f"1:{denominator:,}"
