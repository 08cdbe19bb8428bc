"""Kernel density estimation of incidents (``gisapp kde``).

The surface is the one ArcGIS Spatial Analyst "Kernel Density" and the QGIS
"Heatmap (Kernel Density Estimation)" tool draw: at the centre of every output
cell,

    f(c) = Σ_i w_i · K(‖c − x_i‖),

with ``w_i`` the incident weight (1 without a weight field; ArcGIS's
"population field"). ``K`` integrates to 1 over the plane, so ``f`` is in
incidents per unit area; gisapp reports **incidents per km²** (ArcGIS's
default area unit for metre data).

Kernels
-------
``quartic`` (the default, ArcGIS and QGIS)
    ``K(d) = 3 / (π h²) · (1 − d²/h²)²`` for ``d < h``, else 0: Silverman
    (1986, p. 76, eq. 4.5), as cited in Esri's "How Kernel Density works".
    ``h`` is the search radius.
``gaussian``
    ``K(d) = exp(−d² / 2h²) / (2π h²)``: ``h`` is the standard deviation, as in
    scikit-learn and CrimeStat's "normal" kernel. Evaluation truncates it at
    ``4h``, which drops ``exp(−8) ≈ 0.03 %`` of each incident's mass.

Bandwidth rules (``KdeParams.bandwidth``)
-----------------------------------------
``"arcgis"`` (the default)
    Esri's default search radius since ArcGIS 10.2.1, "a spatial variant of
    Silverman's rule of thumb that is robust to spatial outliers":
    ``h = 0.9 · min(SD, sqrt(1/ln 2) · Dm) · n^(−0.2)``, where ``SD`` is the
    (weighted) standard distance of the incidents, ``Dm`` the (weighted) median
    distance to the (weighted) mean centre, and ``n`` the number of incidents,
    or the sum of the weights. Esri's text ("How Kernel Density works",
    ArcMap 10.6) gives these steps and the meaning of SD, Dm and n; the formula
    itself is an image on Esri's page, and the one above is as quoted by
    several independent implementations of the ArcGIS rule. The same value is
    used as the Gaussian's standard deviation.
``"silverman"``
    Silverman's (1986, eq. 4.14) rule for a bivariate normal sample with the
    normal kernel: ``σ̄ · n^(−1/6)``, ``σ̄ = sqrt((σx² + σy²)/2)``. For the
    quartic kernel it is rescaled by the kernel's canonical factor
    ``(R(K)/μ₂(K)²)^(1/6) / (1/4π)^(1/6) = 460.8^(1/6) ≈ 2.779`` (Silverman's
    Table 4.1 gives 2.78) so that both kernels smooth alike.
a number
    The radius (quartic) or standard deviation (Gaussian) in metres.

Evaluation and its error
------------------------
``method="direct"`` sums every incident's kernel over the cells within its
support: exact (to float rounding), and fast while the kernel spans few cells.
``method="fft"`` bins the incidents onto a grid ``s`` times finer than the
output grid with **linear binning** (each incident's weight shared between the
four surrounding nodes with bilinear weights; Wand & Jones 1995, *Kernel
Smoothing*, app. D), convolves the bins with the sampled kernel by FFT
(``scipy.signal.fftconvolve``) and reads the result at the output cell centres,
which are nodes of the fine grid. The binned sum replaces ``K(c − x_i)`` by the
bilinear interpolation of ``K`` between the four nodes around ``x_i``, whose
error is at most ``g²/8 · sup(|K_xx| + |K_yy|)`` for fine spacing ``g``:

- quartic: ``≤ 2 (g/h)² · K(0)`` per incident;
- Gaussian: ``≤ (g/h)²/4 · K(0)`` per incident.

``s`` is the smallest integer that keeps this bound within ``tolerance``
(default 0.5 % of ``K(0)``, i.e. of the density one incident gives at its own
location), subject to a cap on the fine grid's size; the bound actually
achieved is reported as ``binning_error_bound``. The errors of different
incidents partly cancel, so the measured error is smaller still: the tests
compare both methods with brute-force summation and require agreement within
1 % of the peak density. ``method="auto"`` chooses the cheaper of the two.

Differences from ArcGIS
-----------------------
- The default output extent is the incidents' extent **padded by the kernel
  support**, snapped to multiples of the cell size, so no incident's kernel is
  cut at the edge and rasters of the same cell size line up. ArcGIS uses the
  incidents' extent.
- Cells beyond every kernel hold 0, not NoData, so the raster can be summed
  and compared directly.
- The default cell size follows ArcGIS (the shorter side of the extent / 250),
  computed on the padded extent.

The vector layer
----------------
Alongside the raster, :func:`kernel_density` returns **percent-volume
isopleths** (as in home-range analysis and crime "hot spot" density maps): the
band for ``p`` is the area where the density is at least the level above which
cells hold ``p`` % of the density's total volume, minus the bands above it.
They answer "where is half of the risk?" directly, draw as a small number of
polygons in any map or briefing, and carry their area and levels; the full
detail stays in the raster.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from scipy import signal

from gisapp.analysis.core.aggregation import incident_weights, point_coordinates, require_metric_crs
from gisapp.analysis.core.result import AnalysisResult, report
from gisapp.analysis.hotspots.methods import KdeParams
from gisapp.layers.errors import AnalysisError, InputError
from gisapp.layers.raster import Raster

KERNELS = ("quartic", "gaussian")
BANDWIDTH_RULES = ("arcgis", "silverman")
METHODS = ("auto", "direct", "fft")
#: The Gaussian is cut at this many standard deviations.
GAUSSIAN_SUPPORT = 4.0
#: ArcGIS default cell size: the shorter side of the extent divided by this.
ARCGIS_CELLS_ACROSS = 250
#: Output grids larger than this are a unit mistake (cell size in km or degrees).
MAX_OUTPUT_CELLS = 25_000_000
#: Fine (binning) grids are capped at this many nodes; beyond it the error bound grows.
MAX_FINE_NODES = 24_000_000
#: Quartic over Gaussian canonical bandwidth factor in two dimensions (see the module notes).
QUARTIC_CANONICAL_FACTOR = 460.8 ** (1.0 / 6.0)
PER_KM2 = 1e6
#: Incident-cell pairs evaluated at once by the direct sum.
_DIRECT_PAIRS = 2_000_000
UNITS = "incidents per km²"


@dataclass
class DensityResult(AnalysisResult):
    """An :class:`AnalysisResult` whose ``layer`` holds the isopleth bands, plus the raster.

    Attributes
    ----------
    raster : Raster
        The density in incidents per km², north-up, in the incidents' CRS.
    """

    raster: Raster | None = None


@dataclass(frozen=True)
class Grid:
    """Output cells: ``cols`` × ``rows`` squares of ``cell`` metres from ``(x0, y0)``, the south-west corner."""

    x0: float
    y0: float
    cell: float
    cols: int
    rows: int


# --------------------------------------------------------------------------- kernels and bandwidths


def kernel_support(kernel: str, bandwidth: float) -> float:
    """Distance beyond which the kernel is (taken as) zero."""
    return bandwidth if kernel == "quartic" else GAUSSIAN_SUPPORT * bandwidth


def kernel_values(d2: np.ndarray, bandwidth: float, kernel: str) -> np.ndarray:
    """``K`` at squared distances ``d2`` (per square metre), zero beyond the support."""
    h2 = bandwidth * bandwidth
    if kernel == "quartic":
        u = 1.0 - d2 / h2
        return np.where(u > 0.0, 3.0 / (math.pi * h2) * u * u, 0.0)
    out = np.exp(-0.5 * d2 / h2) / (2.0 * math.pi * h2)
    return np.where(d2 < (GAUSSIAN_SUPPORT**2) * h2, out, 0.0)


def binning_error_bound(kernel: str, fine_spacing: float, bandwidth: float) -> float:
    """Per-incident bound of the linear-binning error, relative to ``K(0)`` (module notes)."""
    ratio2 = (fine_spacing / bandwidth) ** 2
    return 2.0 * ratio2 if kernel == "quartic" else ratio2 / 4.0


def weighted_median(values: np.ndarray, weights: np.ndarray | None = None) -> float:
    """The (lower) weighted median: the smallest value with at least half the weight at or below it."""
    values = np.asarray(values, dtype=float)
    if weights is None:
        return float(np.median(values))
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(np.asarray(weights, dtype=float)[order])
    return float(values[order][np.searchsorted(cum, 0.5 * cum[-1])])


def standard_distance(x, y, weights=None) -> float:
    """The (weighted) standard distance ``sqrt(Σ w((x−x̄)² + (y−ȳ)²) / Σ w)`` (ArcGIS "Standard Distance", 1 SD)."""
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float)
    mx, my = np.average(x, weights=w), np.average(y, weights=w)
    return float(math.sqrt(np.average((x - mx) ** 2 + (y - my) ** 2, weights=w)))


def arcgis_search_radius(x, y, weights=None) -> tuple[float, dict]:
    """ArcGIS's default search radius ``0.9 · min(SD, sqrt(1/ln 2) · Dm) · n^−0.2`` and its ingredients."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    w = None if weights is None else np.asarray(weights, dtype=float)
    n = float(len(x)) if w is None else float(w.sum())
    mx = float(np.average(x, weights=w))
    my = float(np.average(y, weights=w))
    dm = weighted_median(np.hypot(x - mx, y - my), w)
    sd = standard_distance(x, y, w)
    radius = 0.9 * min(sd, math.sqrt(1.0 / math.log(2.0)) * dm) * n ** -0.2
    return radius, {"standard_distance_m": sd, "median_distance_m": dm, "n": n}


def silverman_bandwidth(x, y, weights=None, kernel: str = "quartic") -> tuple[float, dict]:
    """Silverman's bivariate rule ``σ̄ n^(−1/6)``, scaled for the quartic kernel."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    w = None if weights is None else np.asarray(weights, dtype=float)
    n = float(len(x)) if w is None else float(w.sum())
    vx = np.average((x - np.average(x, weights=w)) ** 2, weights=w)
    vy = np.average((y - np.average(y, weights=w)) ** 2, weights=w)
    sigma = math.sqrt(0.5 * (vx + vy))
    h = sigma * n ** (-1.0 / 6.0)
    if kernel == "quartic":
        h *= QUARTIC_CANONICAL_FACTOR
    return h, {"sigma_m": sigma, "n": n}


def choose_bandwidth(x, y, weights, params: KdeParams) -> tuple[float, str, dict]:
    """The bandwidth in metres, the rule that gave it, and the rule's ingredients."""
    rule = params.bandwidth
    if isinstance(rule, str) and rule.strip().lower() in BANDWIDTH_RULES:
        rule = rule.strip().lower()
        if len(x) < 2:
            raise AnalysisError(f"A bandwidth cannot be derived from {len(x)} incident; give one in metres.")
        if rule == "arcgis":
            h, details = arcgis_search_radius(x, y, weights)
        else:
            h, details = silverman_bandwidth(x, y, weights, params.kernel)
        if not h > 0:
            raise AnalysisError(
                f"All {len(x)} incidents are at one place (or half of them are), so the {rule} rule gives a zero "
                "bandwidth; give the bandwidth in metres."
            )
        return h, rule, details
    h = _positive_number(rule, "bandwidth")
    return h, "fixed", {}


def _positive_number(value, what: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"The {what} must be a number of metres or one of {', '.join(BANDWIDTH_RULES)}; got {value!r}.") from None
    if not math.isfinite(number) or number <= 0:
        raise InputError(f"The {what} must be a positive number of metres, got {value}.")
    return number


# --------------------------------------------------------------------------- grid


def output_grid(x, y, support: float, cell_size, extent=None) -> tuple[Grid, str]:
    """The output grid and how its cell size was chosen."""
    if extent is not None:
        xmin, ymin, xmax, ymax = (float(v) for v in extent)
        if not all(math.isfinite(v) for v in (xmin, ymin, xmax, ymax)) or xmax <= xmin or ymax <= ymin:
            raise InputError(f"The extent {tuple(extent)} has no area; give xmin, ymin, xmax, ymax with xmin < xmax and ymin < ymax.")
    else:
        xmin, xmax = float(np.min(x)) - support, float(np.max(x)) + support
        ymin, ymax = float(np.min(y)) - support, float(np.max(y)) + support
    if isinstance(cell_size, str) and cell_size.strip().lower() == "auto":
        cell = min(xmax - xmin, ymax - ymin) / ARCGIS_CELLS_ACROSS
        how = f"ArcGIS rule: shorter side of the extent / {ARCGIS_CELLS_ACROSS}"
        cell = float(f"{cell:.3g}")  # a readable number; the extent is padded anyway
    else:
        cell = _positive_number(cell_size, "cell size")
        how = "given"
    if extent is None:
        xmin, ymin = math.floor(xmin / cell) * cell, math.floor(ymin / cell) * cell
    cols = max(1, math.ceil((xmax - xmin) / cell - 1e-9))
    rows = max(1, math.ceil((ymax - ymin) / cell - 1e-9))
    if cols * rows > MAX_OUTPUT_CELLS:
        raise InputError(
            f"A {cell:g} m grid over this extent has {cols * rows:,} cells (limit {MAX_OUTPUT_CELLS:,}); choose a larger cell size."
        )
    return Grid(xmin, ymin, cell, cols, rows), how


# --------------------------------------------------------------------------- evaluation


def density_direct(x, y, w, grid: Grid, bandwidth: float, kernel: str, on_step=None) -> np.ndarray:
    """Exact kernel sum at the cell centres, south-up ``(rows, cols)``, per square metre.

    Every incident is paired with the cells within its support (the same
    stencil of cell offsets around the cell it lies in), in chunks of about
    two million pairs: ``O(n · (support/cell)²)`` work.
    """
    support = kernel_support(kernel, bandwidth)
    g = grid.cell
    ci = np.rint((x - grid.x0) / g - 0.5).astype(np.int64)
    ri = np.rint((y - grid.y0) / g - 0.5).astype(np.int64)
    m = math.ceil(support / g) + 1
    dr, dc = np.mgrid[-m:m + 1, -m:m + 1].reshape(2, -1)
    near = (np.maximum(np.abs(dr) - 1, 0) * g) ** 2 + (np.maximum(np.abs(dc) - 1, 0) * g) ** 2 < support**2
    dr, dc = dr[near], dc[near]
    out = np.zeros(grid.rows * grid.cols)
    chunk = max(1, _DIRECT_PAIRS // len(dr))
    for start in range(0, len(x), chunk):
        stop = min(start + chunk, len(x))
        rows = (ri[start:stop, None] + dr[None, :]).ravel()
        cols = (ci[start:stop, None] + dc[None, :]).ravel()
        dx = (grid.x0 + (cols + 0.5) * g) - np.repeat(x[start:stop], len(dr))
        dy = (grid.y0 + (rows + 0.5) * g) - np.repeat(y[start:stop], len(dr))
        k = kernel_values(dx * dx + dy * dy, bandwidth, kernel)
        if w is not None:
            k *= np.repeat(w[start:stop], len(dr))
        inside = (rows >= 0) & (rows < grid.rows) & (cols >= 0) & (cols < grid.cols) & (k > 0)
        out += np.bincount(rows[inside] * grid.cols + cols[inside], weights=k[inside], minlength=out.size)
        if on_step is not None:
            on_step(stop / len(x))
    return out.reshape(grid.rows, grid.cols)


def fft_oversampling(grid: Grid, bandwidth: float, kernel: str, tolerance: float) -> int:
    """The oversampling ``s`` (fine spacing ``cell / s``) that meets ``tolerance``, within the size cap."""
    if not (0 < tolerance < 1):
        raise InputError(f"The binning tolerance must lie between 0 and 1, got {tolerance}.")
    limit = bandwidth * (math.sqrt(tolerance / 2.0) if kernel == "quartic" else 2.0 * math.sqrt(tolerance))
    s = max(1, math.ceil(grid.cell / limit))
    while s > 1 and _fine_shape(grid, s, bandwidth, kernel)[0] * _fine_shape(grid, s, bandwidth, kernel)[1] > MAX_FINE_NODES:
        s -= 1
    return s


def _fine_shape(grid: Grid, s: int, bandwidth: float, kernel: str) -> tuple[int, int, int]:
    g = grid.cell / s
    pad = math.ceil(kernel_support(kernel, bandwidth) / g) + 1
    return (grid.rows - 1) * s + 1 + 2 * pad, (grid.cols - 1) * s + 1 + 2 * pad, pad


def density_fft(x, y, w, grid: Grid, bandwidth: float, kernel: str, s: int) -> np.ndarray:
    """Linear binning onto a grid ``s`` times finer, FFT convolution, read at the cell centres.

    Returns the south-up ``(rows, cols)`` density per square metre.
    """
    g = grid.cell / s
    nrows, ncols, pad = _fine_shape(grid, s, bandwidth, kernel)
    fx0 = grid.x0 + 0.5 * grid.cell - pad * g
    fy0 = grid.y0 + 0.5 * grid.cell - pad * g
    u = (x - fx0) / g
    v = (y - fy0) / g
    i0 = np.floor(u).astype(np.int64)
    j0 = np.floor(v).astype(np.int64)
    keep = (i0 >= 0) & (i0 < ncols - 1) & (j0 >= 0) & (j0 < nrows - 1)
    i0, j0, fu, fv = i0[keep], j0[keep], (u - np.floor(u))[keep], (v - np.floor(v))[keep]
    mass = np.ones(len(i0)) if w is None else w[keep]
    bins = np.zeros(nrows * ncols)
    for di, dj, share in ((0, 0, (1 - fu) * (1 - fv)), (1, 0, fu * (1 - fv)), (0, 1, (1 - fu) * fv), (1, 1, fu * fv)):
        bins += np.bincount((j0 + dj) * ncols + (i0 + di), weights=mass * share, minlength=bins.size)
    bins = bins.reshape(nrows, ncols)
    half = math.ceil(kernel_support(kernel, bandwidth) / g)
    offsets = np.arange(-half, half + 1) * g
    stencil = kernel_values(offsets[None, :] ** 2 + offsets[:, None] ** 2, bandwidth, kernel)
    smooth = signal.fftconvolve(bins, stencil, mode="same")
    out = smooth[pad::s, pad::s][: grid.rows, : grid.cols]
    out = np.where(out > out.max() * 1e-12, out, 0.0)  # FFT round-off leaves ±1e-16 noise where the density is 0
    return np.ascontiguousarray(out)


def _costs(n: int, grid: Grid, bandwidth: float, kernel: str, s: int) -> tuple[float, float]:
    """Estimated nanoseconds of the direct and FFT paths (constants timed on the 2-core development machine)."""
    support_cells = kernel_support(kernel, bandwidth) / grid.cell
    pairs = n * math.pi * (support_cells + 1.0) ** 2
    direct = 25.0 * pairs + 2.0 * grid.rows * grid.cols * math.ceil(pairs / _DIRECT_PAIRS)
    rows, cols, _ = _fine_shape(grid, s, bandwidth, kernel)
    nodes = rows * cols
    fft = 5.5 * nodes * math.log2(max(nodes, 2)) + 40.0 * n
    return direct, fft


# --------------------------------------------------------------------------- isopleths


def volume_thresholds(values: np.ndarray, levels) -> list[float]:
    """Density levels above which the cells hold each percentage of the total (percent-volume contours)."""
    flat = np.sort(values[values > 0].ravel())[::-1]
    if flat.size == 0:
        return [math.inf for _ in levels]
    cum = np.cumsum(flat) / flat.sum()
    return [float(flat[min(np.searchsorted(cum, p / 100.0), flat.size - 1)]) for p in levels]


def isopleth_bands(raster: Raster, levels) -> gpd.GeoDataFrame:
    """Polygons between consecutive percent-volume levels, highest density first."""
    import contourpy

    values = raster.array
    xs, ys = raster.cell_centres()
    thresholds = volume_thresholds(values, levels)
    top = float(values.max())
    generator = contourpy.contour_generator(xs, ys, values, fill_type="OuterOffset")
    rows = []
    upper = math.inf
    for pct, lower in zip(levels, thresholds):
        if not math.isfinite(lower) or lower >= upper or lower <= 0:
            continue
        points, offsets = generator.filled(lower, upper)
        polygons = []
        for pts, offs in zip(points, offsets):
            rings = [pts[offs[k]:offs[k + 1]] for k in range(len(offs) - 1)]
            polygons.append(shapely.Polygon(rings[0], rings[1:]))
        if polygons:
            geometry = shapely.make_valid(shapely.union_all(polygons))
            rows.append({
                "volume_pct": float(pct),
                "label": f"前{pct:g}%核密度",
                "density_min": lower,
                "density_max": top if not math.isfinite(upper) else upper,
                "area_km2": shapely.area(geometry) / 1e6,
                "geometry": geometry,
            })
        upper = lower
    return gpd.GeoDataFrame(rows, columns=["volume_pct", "label", "density_min", "density_max", "area_km2", "geometry"],
                            geometry="geometry", crs=raster.crs)


# --------------------------------------------------------------------------- entry point


def kernel_density(points_gdf: gpd.GeoDataFrame, params: KdeParams | None = None, progress=None, cancelled=None) -> DensityResult:
    """Kernel density of incident points, in incidents per km².

    Parameters
    ----------
    points_gdf : GeoDataFrame
        Incident points in a projected CRS in metres. Geographic (degree)
        coordinates are refused with an :class:`AnalysisError`: project first
        (the CLI does). Rows without a location are skipped and counted.
    params : KdeParams
    progress, cancelled : callables, optional
        ``progress(fraction, message)`` and a cancel check (see :func:`gisapp.analysis.core.result.report`).

    Returns
    -------
    DensityResult
        ``raster``: the surface (north-up, ``float``, incidents per km²).
        ``layer``: the percent-volume isopleth bands (module notes).
        ``summary``: ``incidents``, ``bandwidth_m``, ``bandwidth_rule``,
        ``cell_size_m``, ``rows``/``cols``, ``method``, ``binning_error_bound``,
        ``max_density``, its location, the area of each band.
        ``params``: every parameter, with the chosen bandwidth and cell size.

    Notes
    -----
    See the module docstring for the kernels, the bandwidth rules (ArcGIS's
    default search radius; Silverman 1986), the evaluation methods and their
    error, and where gisapp differs from ArcGIS.
    """
    params = params or KdeParams()
    if params.kernel not in KERNELS:
        raise InputError(f"Unknown kernel {params.kernel!r}; use one of {', '.join(KERNELS)}.")
    if params.method not in METHODS:
        raise InputError(f"Unknown method {params.method!r}; use one of {', '.join(METHODS)}.")
    require_metric_crs(points_gdf, "incident layer")
    report(progress, cancelled, 0.0, "reading incidents")
    x, y, located = point_coordinates(points_gdf)
    weights = incident_weights(points_gdf, params.weight_field)
    if weights is not None:
        negative = np.flatnonzero(weights < 0)
        if len(negative):
            raise InputError(f"{len(negative)} incidents have a negative weight in '{params.weight_field}'; weights must be 0 or more.")
        weights = weights[located]
    x, y = x[located], y[located]
    if len(x) == 0:
        raise AnalysisError("No incident has a location, so there is no density to estimate.")
    if weights is not None and not weights.sum() > 0:
        raise AnalysisError(f"The weights in '{params.weight_field}' add up to zero, so the density is zero everywhere.")

    bandwidth, rule, rule_details = choose_bandwidth(x, y, weights, params)
    support = kernel_support(params.kernel, bandwidth)
    grid, cell_rule = output_grid(x, y, support, params.cell_size, params.extent)
    s = fft_oversampling(grid, bandwidth, params.kernel, params.tolerance)
    direct_cost, fft_cost = _costs(len(x), grid, bandwidth, params.kernel, s)
    method = params.method if params.method != "auto" else ("direct" if direct_cost <= fft_cost else "fft")
    report(progress, cancelled, 0.1, f"{method} kernel sum over {grid.rows}×{grid.cols} cells")
    if method == "direct":
        density = density_direct(x, y, weights, grid, bandwidth, params.kernel,
                                 on_step=lambda f: report(progress, cancelled, 0.1 + 0.7 * f, "summing kernels"))
        error_bound = 0.0
    else:
        density = density_fft(x, y, weights, grid, bandwidth, params.kernel, s)
        error_bound = binning_error_bound(params.kernel, grid.cell / s, bandwidth)
    report(progress, cancelled, 0.8, "drawing isopleths")

    per_km2 = np.flipud(density) * PER_KM2  # north-up, as GeoTIFF and GDAL expect
    chosen = {
        **params.to_dict(),
        "bandwidth_m": bandwidth,
        "bandwidth_rule": rule,
        "cell_size_m": grid.cell,
        "cell_size_rule": cell_rule,
        "method_used": method,
        "oversampling": s if method == "fft" else 1,
        "extent_used": [grid.x0, grid.y0, grid.x0 + grid.cols * grid.cell, grid.y0 + grid.rows * grid.cell],
        **{f"bandwidth_{k}": v for k, v in rule_details.items()},
    }
    raster = Raster(per_km2, (grid.x0, grid.y0 + grid.rows * grid.cell), grid.cell, points_gdf.crs, None, UNITS)
    bands = isopleth_bands(raster, params.volume_levels)
    summary = _summary(raster, bands, len(x), int((~located).sum()), weights, chosen, error_bound)
    raster.metadata = {"analysis": "kernel density", **{k: v for k, v in chosen.items() if v is not None}, "summary": summary}
    report(progress, cancelled, 1.0, "done")
    return DensityResult(bands, summary, chosen, raster)


def _summary(raster: Raster, bands, n: int, unlocated: int, weights, chosen: dict, error_bound: float) -> dict:
    values = raster.array
    peak = np.unravel_index(int(np.argmax(values)), values.shape)
    xs, ys = raster.cell_centres()
    px, py = float(xs[peak]), float(ys[peak])
    lon, lat = pyproj.Transformer.from_crs(raster.crs, 4326, always_xy=True).transform(px, py)
    return {
        "incidents": n,
        "incidents_without_location": unlocated,
        "weight_total": None if weights is None else float(weights.sum()),
        "kernel": chosen["kernel"],
        "bandwidth_m": round(chosen["bandwidth_m"], 3),
        "bandwidth_rule": chosen["bandwidth_rule"],
        "cell_size_m": chosen["cell_size_m"],
        "rows": raster.shape[0],
        "cols": raster.shape[1],
        "method": chosen["method_used"],
        "oversampling": chosen["oversampling"],
        "binning_error_bound": error_bound,
        "units": UNITS,
        "max_density": float(values.max()),
        "max_density_at": {"x": px, "y": py, "lon": round(lon, 6), "lat": round(lat, 6)},
        "mean_density_nonzero": float(values[values > 0].mean()) if (values > 0).any() else 0.0,
        "bands": [{"volume_pct": b.volume_pct, "density_min": round(b.density_min, 3), "area_km2": round(b.area_km2, 4),
                   "area_within_km2": round(float(bands.area_km2.iloc[: k + 1].sum()), 4)}
                  for k, b in enumerate(bands.itertuples())],
    }


def run_kde(inputs, params: KdeParams, progress=None, cancelled=None) -> DensityResult:
    """The ``kde`` method: kernel density of the filtered incidents (the raster rides on the result)."""
    result = kernel_density(inputs.incidents(), params, progress, cancelled)
    result.chosen.update(bandwidth=result.summary["bandwidth_m"], cell_size=result.summary["cell_size_m"])
    return result
