"""Positions along a road: its middle, its extent, a house number between two known plates, a crossing.

House-number interpolation follows street geocoders (the TIGER address
ranges of the US Census Bureau, ArcGIS "dual ranges" locators): numbers run
along the road, odd on one side and even on the other, so a missing number
lies between the nearest known numbers *of the same parity*, in proportion to
the numbers. With a centre line, the two known plates are projected onto it
and the position is interpolated along the line (distance along, and offset
to the side), so a curved road is followed; without one, on the straight line
between the two plates.

References
----------
U.S. Census Bureau, *TIGER/Line Shapefiles Technical Documentation*, "Address
Ranges" (potential address ranges, parity by side).
Esri, *ArcGIS Pro: Introduction to locator roles* ("Street Address" role, dual ranges).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import shapely

#: A number past the last known plate is extrapolated at most this many plate steps (and never off the road).
MAX_EXTRAPOLATION_STEPS = 2
#: Plates of one number further apart than this are different places (flagged at load, never averaged).
SAME_PLACE_M = 50.0


@dataclass
class Road:
    """One road of the gazetteer: a name in one township, its centre line (if known) and its plates.

    Attributes
    ----------
    name : str
        Normalised name (without a township prefix).
    label : str
        The name as the source wrote it.
    township : str
        Normalised township, '' when unknown.
    line : shapely geometry or None
        The merged centre line in the gazetteer CRS.
    plates : ndarray of int
        Indices into the gazetteer's plate arrays.
    """

    name: str
    label: str
    township: str
    line: object = None
    plates: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=int))
    _sides: dict = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ the road as a whole
    def middle(self, px: np.ndarray, py: np.ndarray) -> tuple[float, float, float]:
        """``(x, y, radius)``: the middle of the road's length and the half-length; from the plates without a line."""
        if self.line is not None and not self.line.is_empty:
            length = float(self.line.length)
            point = shapely.line_interpolate_point(self.line, length / 2)
            return float(point.x), float(point.y), length / 2
        x, y = px[self.plates], py[self.plates]
        centre = np.array([x.mean(), y.mean()])
        nearest = int(np.argmin(np.hypot(x - centre[0], y - centre[1])))
        radius = float(np.hypot(x - x[nearest], y - y[nearest]).max()) if len(x) else 0.0
        return float(x[nearest]), float(y[nearest]), radius

    def extent(self, px: np.ndarray, py: np.ndarray) -> tuple[float, float, float, float]:
        """Bounding box of the road (its line, else its plates)."""
        if self.line is not None and not self.line.is_empty:
            return tuple(float(v) for v in self.line.bounds)
        x, y = px[self.plates], py[self.plates]
        return float(x.min()), float(y.min()), float(x.max()), float(y.max())

    # ------------------------------------------------------------------ interpolation
    def _side(self, parity: int, numbers: np.ndarray, px: np.ndarray, py: np.ndarray):
        """Plates of one parity sorted by number: (numbers, x, y, along, offset), along/offset None without a line."""
        if parity not in self._sides:
            ids = self.plates[numbers[self.plates] % 2 == parity]
            nums = numbers[ids]
            order = np.argsort(nums, kind="stable")
            ids, nums = ids[order], nums[order]
            unique = np.r_[True, nums[1:] != nums[:-1]] if len(nums) else np.empty(0, bool)  # one position per number
            ids, nums = ids[unique], nums[unique]
            along = offset = None
            if self.line is not None and not self.line.is_empty and len(ids):
                along = shapely.line_locate_point(self.line, shapely.points(px[ids], py[ids]))
                (lx, ly), (tx, ty) = _on_line(self.line, along)
                offset = tx * (py[ids] - ly) - ty * (px[ids] - lx)  # signed: left of the direction of travel is positive
            self._sides[parity] = (nums, px[ids], py[ids], along, offset)
        return self._sides[parity]

    def interpolate(self, number: int, numbers: np.ndarray, px: np.ndarray, py: np.ndarray):
        """Where house ``number`` would be, or None; see the module docstring.

        Returns
        -------
        (x, y, note_zh, note_en, span_m) or None
            ``span_m`` is the distance between the two plates used (the uncertainty).
        """
        for parity, other_side in ((number % 2, False), (1 - number % 2, True)):
            found = self._interpolate_side(number, parity, numbers, px, py)
            if found is not None:
                x, y, low, high, span, extrapolated = found
                zh = f"在{low}号与{high}号之间按号插值" if not extrapolated else f"按{low}号、{high}号外推"
                en = f"interpolated between No. {low} and No. {high}" if not extrapolated else f"extrapolated from No. {low} and No. {high}"
                if other_side:
                    zh += "（同侧无门牌，借用对侧）"
                    en += " (no plates on its side: the other side's numbers used)"
                return x, y, zh, en, span
        return None

    def _interpolate_side(self, number, parity, numbers, px, py):
        nums, x, y, along, offset = self._side(parity, numbers, px, py)
        if len(nums) < 2:
            return None
        i = int(np.searchsorted(nums, number))
        extrapolated = i == 0 or i == len(nums)
        if extrapolated:
            a, b = (0, 1) if i == 0 else (len(nums) - 2, len(nums) - 1)
            step = (nums[b] - nums[a]) / max(1, b - a)  # numbers per plate
            beyond = (nums[a] - number) if i == 0 else (number - nums[b])
            if beyond > MAX_EXTRAPOLATION_STEPS * max(step, 2):
                return None
        else:
            a, b = i - 1, i
        t = (number - nums[a]) / (nums[b] - nums[a])
        span = float(np.hypot(x[b] - x[a], y[b] - y[a]))
        if along is not None:
            s = along[a] + t * (along[b] - along[a])
            if s < -1.0 or s > self.line.length + 1.0:
                return None
            (lx, ly), (tx, ty) = _on_line(self.line, np.array([np.clip(s, 0, self.line.length)]))
            d = offset[a] + t * (offset[b] - offset[a])
            return float(lx[0] - ty[0] * d), float(ly[0] + tx[0] * d), int(nums[a]), int(nums[b]), span, extrapolated
        return x[a] + t * (x[b] - x[a]), y[a] + t * (y[b] - y[a]), int(nums[a]), int(nums[b]), span, extrapolated


def _on_line(line, along: np.ndarray):
    """Points at distances ``along`` the line and the unit tangents there (from half a metre either side)."""
    length = line.length
    at = shapely.get_coordinates(shapely.line_interpolate_point(line, along)).T
    ahead = shapely.get_coordinates(shapely.line_interpolate_point(line, np.minimum(along + 0.5, length))).T
    behind = shapely.get_coordinates(shapely.line_interpolate_point(line, np.maximum(along - 0.5, 0.0))).T
    tx, ty = ahead[0] - behind[0], ahead[1] - behind[1]
    norm = np.hypot(tx, ty)
    norm[norm == 0] = 1.0
    return (at[0], at[1]), (tx / norm, ty / norm)


def crossing(a: Road, b: Road, px: np.ndarray, py: np.ndarray, tolerance: float = 30.0):
    """Where roads ``a`` and ``b`` meet: ``[(x, y), ...]`` (several if they cross more than once), [] if they do not.

    With centre lines: their intersection points (or the closest points, when
    the lines stop within ``tolerance`` of each other). Without: the middle of
    the closest pair of plates, if within 4 × ``tolerance``.
    """
    if a.line is not None and b.line is not None:
        meet = shapely.intersection(a.line, b.line)
        points = shapely.get_coordinates(meet) if not meet.is_empty else np.empty((0, 2))
        if len(points):
            return _distinct(points)
        if shapely.distance(a.line, b.line) <= tolerance:
            pa, pb = shapely.get_coordinates(shapely.shortest_line(a.line, b.line))
            return [((pa[0] + pb[0]) / 2, (pa[1] + pb[1]) / 2)]
        return []
    if not len(a.plates) or not len(b.plates):
        return []
    dx = px[a.plates][:, None] - px[b.plates][None, :]
    dy = py[a.plates][:, None] - py[b.plates][None, :]
    d = np.hypot(dx, dy)
    i, j = np.unravel_index(np.argmin(d), d.shape)
    if d[i, j] > 4 * tolerance:
        return []
    return [((px[a.plates[i]] + px[b.plates[j]]) / 2, (py[a.plates[i]] + py[b.plates[j]]) / 2)]


def _distinct(points: np.ndarray, within: float = 20.0) -> list[tuple[float, float]]:
    kept: list[tuple[float, float]] = []
    for x, y in points:
        if all(np.hypot(x - kx, y - ky) > within for kx, ky in kept):
            kept.append((float(x), float(y)))
    return kept
