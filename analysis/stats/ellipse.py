"""Standard deviational ellipse (SDE) and the other centrographic measures of a set of points.

Definition (Lefever 1926; Ebdon 1988; CrimeStat III ch. 4; ArcGIS
"Directional Distribution (Standard Deviational Ellipse)"):

- the **mean centre** ``(x̄, ȳ)`` (weighted by ``w`` when weights are given);
- the **rotation** θ of the major axis, from the covariance of the centred
  coordinates ``x̃ = x − x̄``, ``ỹ = y − ȳ``: ArcGIS writes it as
  ``tan θ = (A + B) / C`` with ``A = Σx̃² − Σỹ²``, ``B = sqrt(A² + 4(Σx̃ỹ)²)``,
  ``C = 2 Σx̃ỹ``, which is the direction of the leading eigenvector of the
  covariance matrix ``[[Σx̃², Σx̃ỹ], [Σx̃ỹ, Σỹ²]] / Σw``;
- the **standard deviations along the rotated axes**,
  ``σ = sqrt(Σ w (x̃ cos θ − ỹ sin θ)² / Σw)`` and its perpendicular twin:
  the square roots of the covariance matrix's eigenvalues. The divisor is
  ``n`` (``Σw``), as in ArcGIS.

Scaling. gisapp's default is the plain **1-SD ellipse**: the semi-axes are the
standard deviations above. ArcGIS (10.x and Pro) multiplies them by an
"adjustment factor" for two-dimensional data, √2 for 1 SD (2.83 for 2 SD,
4.24 for 3 SD, i.e. ``√2 · k``), so that its 1-SD ellipse holds about 63 % of
normally distributed points instead of 39 %; ``sqrt2=True`` reproduces
ArcGIS's axes. (CrimeStat's manual describes the √2 factor together with an
``n − 2`` divisor; that variant is not offered.) ``n_std`` scales the axes
by 1, 2 or 3 standard deviations.

``rotation_deg`` is the azimuth of the **major** axis, clockwise from north
(grid north of the projected CRS), in ``[0, 180)``, like ArcGIS's rotation
"clockwise from noon".
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import shapely


@dataclass(frozen=True)
class Ellipse:
    """A standard deviational ellipse.

    Attributes
    ----------
    centre_x, centre_y : float
        (Weighted) mean centre.
    sd_major, sd_minor : float
        Semi-axes after scaling (``n_std``, √2), in CRS units; ``sd_major ≥ sd_minor``.
    rotation_deg : float
        Azimuth of the major axis, clockwise from north, in ``[0, 180)``.
    n : int
        Number of points.
    n_std : float
        Number of standard deviations the axes span.
    sqrt2 : bool
        Whether ArcGIS's √2 adjustment is applied.
    """

    centre_x: float
    centre_y: float
    sd_major: float
    sd_minor: float
    rotation_deg: float
    n: int
    n_std: float = 1.0
    sqrt2: bool = False

    @property
    def area(self) -> float:
        return math.pi * self.sd_major * self.sd_minor

    @property
    def degenerate(self) -> bool:
        """True when the points lie on a line or at one place (the minor axis is ~0)."""
        return self.sd_minor <= 1e-9 * max(1.0, self.sd_major)

    def to_dict(self) -> dict:
        return asdict(self)

    def polygon(self, vertices: int = 72, min_axis: float = 0.5) -> shapely.Polygon:
        """The ellipse as a polygon; a degenerate ellipse is widened to ``min_axis`` so it stays a valid area."""
        a = max(self.sd_major, min_axis)
        b = max(self.sd_minor, min_axis)
        t = np.linspace(0.0, 2.0 * math.pi, vertices, endpoint=False)
        az = math.radians(self.rotation_deg)
        ux, uy = math.sin(az), math.cos(az)  # major axis direction (azimuth from north)
        px = self.centre_x + a * np.cos(t) * ux - b * np.sin(t) * uy
        py = self.centre_y + a * np.cos(t) * uy + b * np.sin(t) * ux
        return shapely.Polygon(np.column_stack([px, py]))


def standard_deviational_ellipse(x, y, weights=None, n_std: float = 1.0, sqrt2: bool = False) -> Ellipse:
    """The standard deviational ellipse of points ``(x, y)`` (see the module notes).

    Parameters
    ----------
    x, y : array_like
        Coordinates in a projected CRS.
    weights : array_like, optional
        Non-negative weights (ArcGIS's weight field).
    n_std : float
        Standard deviations spanned by the axes (1, 2 or 3 in ArcGIS).
    sqrt2 : bool
        Multiply the axes by √2 as ArcGIS does for two-dimensional data.

    Returns
    -------
    Ellipse
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if len(x) == 0:
        raise ValueError("a standard deviational ellipse needs at least one point")
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float)
    total = w.sum()
    mx = float(np.dot(w, x) / total)
    my = float(np.dot(w, y) / total)
    dx, dy = x - mx, y - my
    sxx = float(np.dot(w, dx * dx) / total)
    syy = float(np.dot(w, dy * dy) / total)
    sxy = float(np.dot(w, dx * dy) / total)
    values, vectors = np.linalg.eigh(np.array([[sxx, sxy], [sxy, syy]]))
    minor_var, major_var = max(values[0], 0.0), max(values[1], 0.0)
    vx, vy = vectors[:, 1]
    rotation = math.degrees(math.atan2(vx, vy)) % 180.0 if major_var > minor_var else 0.0
    if rotation >= 180.0 - 1e-12:
        rotation = 0.0
    scale = n_std * (math.sqrt(2.0) if sqrt2 else 1.0)
    return Ellipse(mx, my, scale * math.sqrt(major_var), scale * math.sqrt(minor_var), rotation, len(x), n_std, sqrt2)
