"""What each camera sees: sectors and discs, defaults for missing values, line of sight.

The model
---------
- A **fixed** camera (枪机) sees a sector: every point within ``range_m`` of
  the camera whose bearing (clockwise from north) is within ``fov_deg / 2`` of
  ``heading_deg``. Points on the boundary are seen.
- A **dome** camera (球机) sees a disc of radius ``range_m``; when a field of
  view below 360° and a heading are given, it sees that sector instead (a dome
  locked in one direction).
- A **checkpoint** camera (卡口) sees a short, narrow sector along the lanes it
  watches (defaults 40°, 40 m), so its footprint lies across the carriageway at
  the checkpoint.
- An **offline** camera sees nothing. It stays in every list and its nominal
  footprint is drawn (flagged ``active = False``), so a map can show what a
  repair would add.

The membership test is analytic, not polygonal: a point p is in the sector of
camera c with unit heading vector u and half-angle h when
``|p - c| <= range`` and ``(p - c)·u >= |p - c| cos h``. The second condition is
the angle between p - c and u being at most h, for every h in [0°, 180°], so
the one formula covers sectors, half-discs and full discs (cos 180° = -1). The
polygons built by :func:`coverage_polygons` are for display and area sums:
their arcs are chords every ``arc_step_deg`` degrees, which lose less than
0.02 % of a sector's area at the default 2°.

Missing and impossible values (each one reported, never silent)
----------------------------------------------------------------
- heading missing: along the nearest road when a roads layer is given (the
  road's digitised direction; a camera may face the other way, which the
  report says), else the camera is treated as a disc of its range;
- heading outside [0, 360): taken modulo 360;
- field of view missing, zero, negative or above 360°: the default of its kind;
- range missing, zero or negative: the default of its kind;
- kind missing or unknown: ``dome`` when the field of view is 360°, else ``fixed``;
- status missing or unknown: online;
- no location: the camera is listed but sees nothing.

Line of sight
-------------
With an obstacle layer (building footprints, walls as thin polygons), each
obstacle near a camera casts a shadow: the region behind each of its edges as
seen from the camera, plus its own footprint. A point in a camera's shadow is
not seen by that camera. Obstacles that contain the camera (or lie within
``MOUNT_TOLERANCE_M`` of it) are treated as the building it is mounted on and
cast no shadow. Ground is flat: heights, trees and the camera's tilt are not
modelled.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gisapp.analysis.cameras.methods import CameraDefaults
from gisapp.layers.errors import InputError

KINDS = ("fixed", "dome", "checkpoint")
#: Names found in police camera registers, mapped onto the canonical kinds.
KIND_ALIASES = {
    "fixed": "fixed", "bullet": "fixed", "box": "fixed", "枪机": "fixed", "固定": "fixed", "枪式": "fixed",
    "dome": "dome", "ptz": "dome", "球机": "dome", "半球": "dome", "球型": "dome", "全景": "dome",
    "checkpoint": "checkpoint", "anpr": "checkpoint", "卡口": "checkpoint", "电子警察": "checkpoint",
}
ONLINE_WORDS = {"online", "on", "ok", "active", "在线", "正常", "启用", "1", "true"}
OFFLINE_WORDS = {"offline", "off", "fault", "broken", "inactive", "离线", "故障", "停用", "维修", "损坏", "0", "false"}
#: An obstacle this close to a camera is the building it hangs on: it casts no shadow for it.
MOUNT_TOLERANCE_M = 1.0
#: Shown problems per camera layer in a summary; the layer lists all of them.
MAX_LISTED_PROBLEMS = 50


@dataclass
class CameraParams(CameraDefaults):
    """Defaults for camera values that are missing or impossible, and drawing resolution.

    The defaults a user can set are declared on :class:`~gisapp.analysis.cameras.methods.CameraDefaults`
    (fixed field of view and range, dome range, checkpoint range); these add what no front end offers.

    Parameters
    ----------
    fixed_fov_deg, fixed_range_m : float
        Field of view and range assumed for a fixed camera that lacks them.
    dome_range_m : float
        Range assumed for a dome camera that lacks one.
    checkpoint_fov_deg, checkpoint_range_m : float
        Footprint assumed for a checkpoint camera that lacks them.
    missing_heading : {"road", "disc"}
        A fixed or checkpoint camera without a heading looks along the nearest
        road (``"road"``, when roads are given) or is treated as a disc.
    arc_step_deg : float
        Angular step of the polygon arcs (display and area only; membership is analytic).
    """

    checkpoint_fov_deg: float = 40.0
    missing_heading: str = "road"
    arc_step_deg: float = 2.0

    @classmethod
    def of(cls, defaults: CameraDefaults) -> CameraParams:
        """The camera settings of a coverage or siting run: its declared defaults, the rest as they are."""
        return cls(**{f.name: getattr(defaults, f.name) for f in fields(CameraDefaults)})

    def to_dict(self) -> dict:
        return asdict(self)

    def validate(self) -> None:
        for name in ("fixed_range_m", "dome_range_m", "checkpoint_range_m", "arc_step_deg"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise InputError(f"The camera default {name} must be a positive number, got {value}.")
        for name in ("fixed_fov_deg", "checkpoint_fov_deg"):
            value = getattr(self, name)
            if not (math.isfinite(value) and 0 < value <= 360):
                raise InputError(f"The camera default {name} must be between 0 and 360 degrees, got {value}.")
        if self.missing_heading not in ("road", "disc"):
            raise InputError(f"missing_heading must be 'road' or 'disc', got {self.missing_heading!r}.")

    def default_fov(self, kind: np.ndarray) -> np.ndarray:
        return np.select([kind == "dome", kind == "checkpoint"], [360.0, self.checkpoint_fov_deg], self.fixed_fov_deg)

    def default_range(self, kind: np.ndarray) -> np.ndarray:
        return np.select(
            [kind == "dome", kind == "checkpoint"], [self.dome_range_m, self.checkpoint_range_m], self.fixed_range_m
        )


@dataclass
class CameraTable:
    """Cameras reduced to what the coverage model needs, one row per input camera (same order).

    Attributes
    ----------
    camera_id : ndarray of str
    kind : ndarray of str
        ``fixed``, ``dome`` or ``checkpoint`` after mapping.
    x, y : ndarray
        Position in the metric CRS (NaN without a location).
    heading, fov, range : ndarray
        Values used (degrees clockwise from north, degrees, metres). A disc has
        ``fov = 360`` (its heading is irrelevant).
    online : ndarray of bool
        Status is online.
    located : ndarray of bool
        The camera has a position.
    notes : list of str
        What was assumed for each camera ("" when nothing was).
    shadows : ndarray of shapely geometries or None
        Per camera, the region its obstacles hide (None where nothing is hidden).
    """

    camera_id: np.ndarray
    kind: np.ndarray
    x: np.ndarray
    y: np.ndarray
    heading: np.ndarray
    fov: np.ndarray
    range: np.ndarray
    online: np.ndarray
    located: np.ndarray
    notes: list
    shadows: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.x)

    def subset(self, mask: np.ndarray) -> CameraTable:
        idx = np.flatnonzero(mask)
        return CameraTable(
            self.camera_id[idx], self.kind[idx], self.x[idx], self.y[idx], self.heading[idx], self.fov[idx],
            self.range[idx], self.online[idx], self.located[idx], [self.notes[i] for i in idx],
            None if self.shadows is None else self.shadows[idx],
        )

    @property
    def active(self) -> np.ndarray:
        """Cameras that see something: online and located."""
        return self.online & self.located

    def problems(self) -> list[dict]:
        """Every camera for which a value was assumed, as ``{"camera_id", "row", "note"}``."""
        return [
            {"camera_id": str(cid), "row": i + 1, "note": note}
            for i, (cid, note) in enumerate(zip(self.camera_id, self.notes))
            if note
        ]


def discs(x, y, radius, camera_id=None) -> CameraTable:
    """A table of online disc 'cameras' (candidate sites, circular buffers) at ``x, y``."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    n = len(x)
    ids = np.asarray(camera_id if camera_id is not None else np.arange(n).astype(str), dtype=object)
    return CameraTable(
        ids, np.full(n, "dome", dtype=object), x, y, np.zeros(n), np.full(n, 360.0),
        np.broadcast_to(np.asarray(radius, dtype=np.float64), (n,)).copy(), np.ones(n, bool), np.isfinite(x) & np.isfinite(y),
        [""] * n,
    )


# --------------------------------------------------------------------------- reading the register


def _text(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), "", dtype=object)
    values = frame[column].astype("string").fillna("").str.strip().str.lower()
    return values.to_numpy(dtype=object)


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)


def _add_note(notes: list, mask: np.ndarray, text_for) -> None:
    for i in np.flatnonzero(mask):
        note = text_for(i)
        notes[i] = f"{notes[i]}; {note}" if notes[i] else note


def camera_table(cameras: gpd.GeoDataFrame, params: CameraParams | None = None, roads: gpd.GeoDataFrame | None = None) -> CameraTable:
    """Read a camera layer into a :class:`CameraTable`, applying and reporting defaults.

    Parameters
    ----------
    cameras : GeoDataFrame
        Points in a metric CRS with any of ``camera_id``, ``kind``,
        ``heading_deg``, ``fov_deg``, ``range_m``, ``status``.
    params : CameraParams, optional
    roads : GeoDataFrame, optional
        Lines in the same CRS, to orient cameras that have no heading.

    Raises
    ------
    InputError
        When the layer holds geometries other than points.
    """
    params = params or CameraParams()
    params.validate()
    x, y, located = _positions(cameras)
    notes = [""] * len(cameras)
    _add_note(notes, ~located, lambda i: "no location: sees nothing")
    fov = _numbers(cameras, "fov_deg")
    kind = _kinds(_text(cameras, "kind"), fov, notes)
    fov = _fields_of_view(fov, kind, located, params, notes)
    reach = _ranges(_numbers(cameras, "range_m"), kind, located, params, notes)
    heading, fov = _headings(_numbers(cameras, "heading_deg"), fov, x, y, located, roads, params, notes)
    online = _online(_text(cameras, "status"), notes)
    return CameraTable(_camera_ids(cameras), kind, x, y, heading, fov, reach, online, located, notes)


def _positions(cameras: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """x, y (NaN without a location) and whether each camera has one; a camera that is not a point is refused."""
    geoms = np.asarray(cameras.geometry.values)
    located = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    not_point = located & (shapely.get_type_id(geoms) != shapely.GeometryType.POINT)
    if not_point.any():
        raise InputError(
            f"{int(not_point.sum())} camera rows are not points (first at row {int(np.flatnonzero(not_point)[0]) + 1}); "
            "cameras must be point features."
        )
    x = np.full(len(cameras), np.nan)
    y = np.full(len(cameras), np.nan)
    x[located] = shapely.get_x(geoms[located])
    y[located] = shapely.get_y(geoms[located])
    return x, y, located


def _camera_ids(cameras: gpd.GeoDataFrame) -> np.ndarray:
    """``camera_id`` as text; a camera without one is named by its row (``row7``)."""
    n = len(cameras)
    ids = cameras["camera_id"].astype("string").fillna("").to_numpy(dtype=object) if "camera_id" in cameras else np.array([""] * n, dtype=object)
    blank = ids == ""
    ids[blank] = [f"row{i + 1}" for i in np.flatnonzero(blank)]
    return ids


def _kinds(raw_kind: np.ndarray, fov: np.ndarray, notes: list) -> np.ndarray:
    """The canonical kind of each camera; an unknown one is a dome when it sees all round, else fixed."""
    kind = np.array([KIND_ALIASES.get(k, "") for k in raw_kind], dtype=object)
    unknown_kind = kind == ""
    kind[unknown_kind] = np.where(fov[unknown_kind] >= 360, "dome", "fixed")
    _add_note(notes, unknown_kind, lambda i: f"kind {raw_kind[i] or 'missing'!r}: taken as {kind[i]}")
    return kind


def _fields_of_view(fov: np.ndarray, kind: np.ndarray, located: np.ndarray, params: CameraParams, notes: list) -> np.ndarray:
    """Fields of view in (0, 360], the kind's default where missing or impossible."""
    bad_fov = ~(np.isfinite(fov) & (fov > 0) & (fov <= 360))
    default_fov = params.default_fov(kind)
    silent = (kind == "dome") & np.isnan(fov)  # a dome without a field of view is simply a dome
    _add_note(notes, bad_fov & located & ~silent, lambda i: f"field of view {_show(fov[i])}: used {default_fov[i]:g}°")
    return np.where(bad_fov, default_fov, fov)


def _ranges(reach: np.ndarray, kind: np.ndarray, located: np.ndarray, params: CameraParams, notes: list) -> np.ndarray:
    """Positive ranges, the kind's default where missing or not positive."""
    bad_range = ~(np.isfinite(reach) & (reach > 0))
    default_range = params.default_range(kind)
    _add_note(
        notes, bad_range & located,
        lambda i: f"range {_show(reach[i])} m is not a positive distance: used {default_range[i]:g} m",
    )
    return np.where(bad_range, default_range, reach)


def _headings(heading, fov, x, y, located, roads, params: CameraParams, notes: list) -> tuple[np.ndarray, np.ndarray]:
    """Headings in [0, 360); a sector camera without one faces along the nearest road or becomes a disc."""
    wraps = np.isfinite(heading) & ((heading < 0) | (heading >= 360))
    _add_note(notes, wraps & located, lambda i: f"heading {heading[i]:g}° taken as {heading[i] % 360:g}°")
    heading = np.where(wraps, np.mod(heading, 360.0), heading)
    needs_heading = ~np.isfinite(heading) & (fov < 360) & located
    if needs_heading.any():
        heading, fov = _fill_headings(heading, fov, x, y, needs_heading, roads, params, notes)
    return np.where(np.isfinite(heading), heading, 0.0), fov


def _online(status: np.ndarray, notes: list) -> np.ndarray:
    """Online unless the status says offline; an unknown status is taken as online, and noted."""
    online = ~np.isin(status, list(OFFLINE_WORDS))
    unknown_status = ~np.isin(status, list(ONLINE_WORDS | OFFLINE_WORDS))
    _add_note(notes, unknown_status, lambda i: f"status {status[i] or 'missing'!r}: taken as online")
    return online


def _show(value: float) -> str:
    return "missing" if not np.isfinite(value) else f"{value:g}"


def _fill_headings(heading, fov, x, y, needs, roads, params: CameraParams, notes):
    heading = heading.copy()
    fov = fov.copy()
    idx = np.flatnonzero(needs)
    if params.missing_heading == "road" and roads is not None and len(roads):
        bearings, names = road_bearings(x[idx], y[idx], roads)
        heading[idx] = bearings
        for i, name in zip(idx, names):
            note = f"no heading: faces along {name or 'the nearest road'} ({heading[i]:.0f}°; may face the other way)"
            notes[i] = f"{notes[i]}; {note}" if notes[i] else note
        return heading, fov
    fov[idx] = 360.0
    _add_note(notes, needs, lambda i: "no heading: treated as a disc of its range")
    return heading, fov


def road_bearings(x: np.ndarray, y: np.ndarray, roads: gpd.GeoDataFrame) -> tuple[np.ndarray, list[str]]:
    """Bearing (clockwise from north, digitised direction) of the nearest road at each point, and its name."""
    lines = np.asarray(roads.geometry.values)
    usable = ~(shapely.is_missing(lines) | shapely.is_empty(lines))
    lines_idx = np.flatnonzero(usable)
    points = shapely.points(x, y)
    tree = shapely.STRtree(lines[lines_idx])
    which = tree.query_nearest(points, return_distance=False, all_matches=False)
    nearest = np.empty(len(x), dtype=np.int64)
    nearest[which[0]] = lines_idx[which[1]]
    line = lines[nearest]
    along = shapely.line_locate_point(line, points)
    length = shapely.length(line)
    step = np.minimum(1.0, length / 2)
    a = shapely.line_interpolate_point(line, np.clip(along - step, 0, length))
    b = shapely.line_interpolate_point(line, np.clip(along + step, 0, length))
    bearing = np.degrees(np.arctan2(shapely.get_x(b) - shapely.get_x(a), shapely.get_y(b) - shapely.get_y(a))) % 360
    names = roads["name"].astype("string").fillna("").to_numpy(dtype=object)[nearest] if "name" in roads else [""] * len(x)
    return bearing, list(names)


# --------------------------------------------------------------------------- polygons


def sector_bounds(table: CameraTable) -> np.ndarray:
    """Tight bounding boxes ``(n, 4)`` of every footprint: apex, arc ends and the arc's extreme bearings."""
    r, h, half = table.range, table.heading, table.fov / 2
    start, end = h - half, h + half
    xs = [table.x, table.x + r * np.sin(np.radians(start)), table.x + r * np.sin(np.radians(end))]
    ys = [table.y, table.y + r * np.cos(np.radians(start)), table.y + r * np.cos(np.radians(end))]
    for bearing, dx, dy in ((0, 0, 1), (90, 1, 0), (180, 0, -1), (270, -1, 0)):
        inside = (np.mod(bearing - start, 360.0) <= table.fov) | (table.fov >= 360)
        xs.append(np.where(inside, table.x + dx * r, table.x))
        ys.append(np.where(inside, table.y + dy * r, table.y))
    xs, ys = np.stack(xs), np.stack(ys)
    return np.column_stack([xs.min(0), ys.min(0), xs.max(0), ys.max(0)])


def coverage_polygons(table: CameraTable, arc_step_deg: float = 2.0) -> np.ndarray:
    """Footprint polygons of every camera (shapely array; None without a location).

    Built in two vectorised calls, one for sectors and one for discs; arcs are
    chords every ``arc_step_deg`` degrees, vertices on the true arc (so the
    polygon lies inside the true footprint). Line-of-sight shadows are
    subtracted when the table carries them.
    """
    out = np.full(len(table), None, dtype=object)
    disc = table.located & (table.fov >= 360)
    sector = table.located & ~disc
    if disc.any():
        k = max(16, math.ceil(360.0 / arc_step_deg))
        angles = np.radians(np.linspace(0.0, 360.0, k + 1))
        xs = table.x[disc, None] + table.range[disc, None] * np.sin(angles)
        ys = table.y[disc, None] + table.range[disc, None] * np.cos(angles)
        xs[:, -1], ys[:, -1] = xs[:, 0], ys[:, 0]
        out[disc] = shapely.polygons(np.stack([xs, ys], axis=-1))
    if sector.any():
        fov = table.fov[sector]
        k = max(4, math.ceil(fov.max() / arc_step_deg)) + 1
        t = np.linspace(0.0, 1.0, k)
        angles = np.radians(table.heading[sector, None] - fov[:, None] / 2 + fov[:, None] * t)
        cx, cy = table.x[sector, None], table.y[sector, None]
        arc_x = cx + table.range[sector, None] * np.sin(angles)
        arc_y = cy + table.range[sector, None] * np.cos(angles)
        xs = np.concatenate([cx, arc_x, cx], axis=1)
        ys = np.concatenate([cy, arc_y, cy], axis=1)
        out[sector] = shapely.polygons(np.stack([xs, ys], axis=-1))
    if table.shadows is not None:
        hidden = np.flatnonzero(np.array([s is not None for s in table.shadows]) & table.located)
        if len(hidden):
            out[hidden] = shapely.make_valid(shapely.difference(out[hidden].astype(object), table.shadows[hidden]))
    return out


# --------------------------------------------------------------------------- membership


def coverage_pairs(x: np.ndarray, y: np.ndarray, table: CameraTable, cameras: np.ndarray | None = None, chunk: int = 500_000):
    """All (point, camera) pairs where the camera sees the point.

    Candidate pairs come from a uniform bucket grid (each footprint's bounding
    box is registered in every bucket it overlaps; each point looks up its own
    bucket), then the analytic sector test and, where the table has
    line-of-sight shadows, a point-in-shadow test decide. Exact, vectorised,
    no per-camera Python loop.

    Parameters
    ----------
    x, y : ndarray
        Point coordinates in the table's CRS (NaN points see nothing).
    table : CameraTable
    cameras : ndarray of int, optional
        Positions of the cameras to use (default: the active ones).
    chunk : int
        Points processed at a time (bounds memory).

    Returns
    -------
    points, cams : ndarray of int64
        Positions into ``x`` and into ``table``; each pair at most once.
    """
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    cams = np.flatnonzero(table.active) if cameras is None else np.asarray(cameras, dtype=np.int64)
    cams = cams[table.located[cams]]
    empty = (np.empty(0, np.int64), np.empty(0, np.int64))
    if len(cams) == 0 or len(x) == 0:
        return empty
    index = _BucketIndex(sector_bounds(table)[cams], cams)
    h = np.radians(table.heading)
    ux, uy = np.sin(h), np.cos(h)
    cos_half = np.cos(np.radians(np.minimum(table.fov, 360.0) / 2))
    # A hair of slack so that points exactly on an edge or the arc are seen.
    r2 = (table.range * (1 + 1e-12)) ** 2
    cos_half = np.where(table.fov >= 360, -2.0, cos_half - 1e-12)
    out_p, out_c = [], []
    for start in range(0, len(x), chunk):
        px, py = x[start : start + chunk], y[start : start + chunk]
        pi, ci = index.candidates(px, py)
        dx = px[pi] - table.x[ci]
        dy = py[pi] - table.y[ci]
        d2 = dx * dx + dy * dy
        seen = (d2 <= r2[ci]) & (dx * ux[ci] + dy * uy[ci] >= np.sqrt(d2) * cos_half[ci])
        pi, ci = pi[seen], ci[seen]
        if table.shadows is not None and len(pi):
            shadow = table.shadows[ci]
            has = np.array([s is not None for s in shadow], dtype=bool) if len(shadow) else np.zeros(0, bool)
            if has.any():
                hidden = np.zeros(len(pi), dtype=bool)
                hidden[has] = shapely.intersects_xy(shadow[has], px[pi[has]], py[pi[has]])
                pi, ci = pi[~hidden], ci[~hidden]
        out_p.append(pi + start)
        out_c.append(ci)
    return np.concatenate(out_p), np.concatenate(out_c)


def covered_mask(x, y, table: CameraTable, cameras: np.ndarray | None = None) -> np.ndarray:
    """True for every point that at least one (active, or the given) camera sees."""
    points, _ = coverage_pairs(x, y, table, cameras)
    return positions_mask(len(np.asarray(x)), points)


def positions_mask(n: int, positions: np.ndarray) -> np.ndarray:
    """A boolean mask of length ``n``, True at ``positions`` (the points of :func:`coverage_pairs`)."""
    mask = np.zeros(n, dtype=bool)
    mask[positions] = True
    return mask


class _BucketIndex:
    """Bounding boxes registered in a uniform grid of buckets, for bulk point look-ups."""

    def __init__(self, bounds: np.ndarray, ids: np.ndarray):
        widths = np.maximum(bounds[:, 2] - bounds[:, 0], bounds[:, 3] - bounds[:, 1])
        self.size = max(float(np.median(widths)) if len(widths) else 1.0, 1e-6)
        self.x0, self.y0 = float(bounds[:, 0].min()), float(bounds[:, 1].min())
        self.xmax, self.ymax = float(bounds[:, 2].max()), float(bounds[:, 3].max())
        self.ncols = int((self.xmax - self.x0) // self.size) + 1
        ix0 = ((bounds[:, 0] - self.x0) // self.size).astype(np.int64)
        iy0 = ((bounds[:, 1] - self.y0) // self.size).astype(np.int64)
        ix1 = ((bounds[:, 2] - self.x0) // self.size).astype(np.int64)
        iy1 = ((bounds[:, 3] - self.y0) // self.size).astype(np.int64)
        nx, ny = ix1 - ix0 + 1, iy1 - iy0 + 1
        per = nx * ny
        owner = np.repeat(np.arange(len(ids)), per)
        within = np.arange(per.sum()) - np.repeat(np.cumsum(per) - per, per)
        keys = (iy0[owner] + within // nx[owner]) * self.ncols + ix0[owner] + within % nx[owner]
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.ids = ids[owner[order]]

    def candidates(self, px: np.ndarray, py: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        inside = (px >= self.x0) & (px <= self.xmax) & (py >= self.y0) & (py <= self.ymax)
        points = np.flatnonzero(inside)
        keys = ((py[points] - self.y0) // self.size).astype(np.int64) * self.ncols + ((px[points] - self.x0) // self.size).astype(np.int64)
        left = np.searchsorted(self.keys, keys, side="left")
        right = np.searchsorted(self.keys, keys, side="right")
        counts = right - left
        total = int(counts.sum())
        pi = np.repeat(points, counts)
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        ci = self.ids[np.repeat(left, counts) + offsets]
        return pi, ci


# --------------------------------------------------------------------------- line of sight


def add_shadows(table: CameraTable, obstacles: gpd.GeoDataFrame | np.ndarray) -> tuple[CameraTable, dict]:
    """Attach line-of-sight shadows cast by ``obstacles`` (polygons) to the cameras they affect.

    Each obstacle edge (exterior rings) hides the region between the two rays
    from the camera through its end points, beyond the edge; the far side of
    that region lies at twice the camera's range, so it hides everything the
    camera could otherwise see. The obstacle's footprint is hidden too.

    Returns
    -------
    table : CameraTable
        A copy with ``shadows`` set.
    summary : dict
        ``obstacles``, ``cameras_clipped``, ``cameras_mounted`` (on an obstacle).
    """
    geoms = np.asarray(obstacles.geometry.values if hasattr(obstacles, "geometry") else obstacles, dtype=object)
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    polygon_types = (shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON)
    if len(geoms) and not np.isin(shapely.get_type_id(geoms), polygon_types).all():
        raise InputError("The obstacle layer must hold polygons (building footprints, walls drawn as thin polygons).")
    parts = shapely.get_parts(geoms)
    shadows = np.full(len(table), None, dtype=object)
    summary = {"obstacles": len(geoms), "cameras_clipped": 0, "cameras_mounted": 0}
    active = np.flatnonzero(table.located)
    if len(parts) == 0 or len(active) == 0:
        return _with_shadows(table, shadows), summary
    tree = shapely.STRtree(parts)
    bounds = sector_bounds(table)[active]
    cam_i, part_i = tree.query(shapely.box(*bounds.T), predicate="intersects")
    cam_i = active[cam_i]
    camera_points = shapely.points(table.x[cam_i], table.y[cam_i])
    mounted = shapely.dwithin(parts[part_i], camera_points, MOUNT_TOLERANCE_M)
    summary["cameras_mounted"] = len(np.unique(cam_i[mounted]))
    cam_i, part_i = cam_i[~mounted], part_i[~mounted]
    if len(cam_i) == 0:
        return _with_shadows(table, shadows), summary
    quads, quad_cam = _edge_shadows(table, cam_i, part_i, parts)
    pieces = np.concatenate([quads, parts[part_i]])
    owners = np.concatenate([quad_cam, cam_i])
    order = np.argsort(owners, kind="stable")
    pieces, owners = pieces[order], owners[order]
    cams, starts = np.unique(owners, return_index=True)
    ends = np.append(starts[1:], len(owners))
    for cam, a, b in zip(cams, starts, ends):  # one union per clipped camera
        shadows[cam] = shapely.union_all(pieces[a:b])
    shapely.prepare(shadows[cams])
    summary["cameras_clipped"] = len(cams)
    return _with_shadows(table, shadows), summary


def _with_shadows(table: CameraTable, shadows: np.ndarray) -> CameraTable:
    return CameraTable(
        table.camera_id, table.kind, table.x, table.y, table.heading, table.fov, table.range, table.online,
        table.located, list(table.notes), shadows,
    )


def _edge_shadows(table: CameraTable, cam_i, part_i, parts) -> tuple[np.ndarray, np.ndarray]:
    """The shadow polygon behind every exterior edge of every (camera, obstacle) pair."""
    rings = shapely.get_exterior_ring(parts)
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    starts = np.searchsorted(ring_of, np.arange(len(parts)))
    counts = np.bincount(ring_of, minlength=len(parts)) - 1  # edges per ring (closed rings repeat the first vertex)
    per_pair = counts[part_i]
    pair = np.repeat(np.arange(len(cam_i)), per_pair)
    k = np.arange(per_pair.sum()) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    first = starts[part_i[pair]] + k
    a, b = coords[first], coords[first + 1]
    cam = cam_i[pair]
    c = np.column_stack([table.x[cam], table.y[cam]])
    va, vb = a - c, b - c
    la = np.linalg.norm(va, axis=1)[:, None]
    lb = np.linalg.norm(vb, axis=1)[:, None]
    # Beyond the camera's reach and beyond the edge itself, so the polygon never folds over.
    far = np.maximum(2.0 * table.range[cam][:, None], 1.5 * np.maximum(la, lb))
    ok = (la[:, 0] > 1e-9) & (lb[:, 0] > 1e-9)
    ua, ub = va / np.where(la > 0, la, 1), vb / np.where(lb > 0, lb, 1)
    mid = ua + ub
    mid_len = np.linalg.norm(mid, axis=1)[:, None]
    ok &= mid_len[:, 0] > 1e-9  # the edge passes through the camera: it is mounted there
    um = mid / np.where(mid_len > 0, mid_len, 1)
    # The far side a' m' b' keeps at least 0.7 * far (> range) from the camera for any edge angle below 180°.
    a_far, b_far, m_far = c + ua * far, c + ub * far, c + um * far / np.maximum(np.sum(ua * um, axis=1), 0.5)[:, None]
    ring = np.stack([a, b, b_far, m_far, a_far, a], axis=1)[ok]
    quads = shapely.make_valid(shapely.polygons(ring))
    keep = ~shapely.is_empty(quads) & (shapely.area(quads) > 1e-9)
    return quads[keep], cam[ok][keep]
