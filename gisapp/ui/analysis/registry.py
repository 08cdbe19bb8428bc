"""One small declarative spec per analysis method; the generic dialog builds its form from it.

A :class:`MethodSpec` names the method, its parameters (label, one-line
explanation, default, kind) and a ``run`` function that turns the form's values
into the analysis' own parameter dataclass and calls the same entry point the
CLI command calls. Nothing here computes a statistic: that is ``analysis/``'s
job. ``headline`` turns the result's summary into the one readable line the
results panel and the log show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from gisapp.layers.errors import InputError

from ..i18n import tr

AUTO = "auto"


def N_(text: str) -> str:
    """Mark ``text`` for translation; it is translated where shown."""
    return text


@dataclass(frozen=True)
class Param:
    """One form field.

    ``kind``: ``float``, ``int``, ``auto`` (a float or the word auto), ``bool``,
    ``choice`` (``choices`` holds ``(value, label)`` pairs) or ``text``.
    """

    name: str
    label: str
    tip: str
    default: Any
    kind: str = "float"
    minimum: float = 0.0
    maximum: float = 1e7
    choices: tuple = ()


@dataclass(frozen=True)
class MethodSpec:
    key: str
    title: str
    description: str
    params: tuple
    run: Callable  # run(inputs, incident_filter, values, progress, cancelled) -> AnalysisResult
    layer_name: str
    headline: Callable[[dict], str]
    needs: tuple = ("incidents",)
    styles: dict = field(default_factory=dict)  # layer name -> style dict (else the kind's default)

    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}


def metres_or_auto(value, label: str):
    """``"auto"`` or a positive number (the CLI's rule, so both front ends accept the same values)."""
    if value is None or str(value).strip().lower() in ("", AUTO):
        return AUTO
    try:
        number = float(value)
    except ValueError:
        raise InputError(f"{label}: give metres or auto, not {value!r}.") from None
    if number <= 0:
        raise InputError(f"{label} must be a positive number of metres.")
    return number


def _numbers(text: str, label: str) -> tuple:
    try:
        return tuple(float(v) for v in str(text).replace("，", ",").split(",") if v.strip())
    except ValueError:
        raise InputError(f"{label}: give numbers separated by commas, not {text!r}.") from None


def _pct(share) -> str:
    return "–" if share is None else f"{100 * float(share):.1f}%"


# ---- run functions: values -> the analysis' parameters -> its entry point ----------------------
def _polygons_for(grid: str, inputs):
    if grid in ("grids", "areas"):
        return "polygons", inputs.frame(grid)
    return grid, None


def run_hotspot(inputs, flt, v, progress=None, cancelled=None):
    from gisapp.analysis.hotspots.methods import HotspotParams
    from gisapp.analysis.hotspots.optimized import optimized_hotspots

    grid, polygons = _polygons_for(v["grid"], inputs)
    params = HotspotParams(grid=grid, polygons=polygons, cell_size=metres_or_auto(v["cell_size"], "Cell size"),
                           band=metres_or_auto(v["band"], "Distance band"), permutations=int(v["permutations"]), fdr=bool(v["fdr"]))
    return optimized_hotspots(inputs.incidents(flt), params, progress=progress, cancelled=cancelled)


def run_lisa(inputs, flt, v, progress=None, cancelled=None):
    from gisapp.analysis.hotspots.lisa import lisa
    from gisapp.analysis.hotspots.methods import LisaParams

    grid, polygons = _polygons_for(v["grid"], inputs)
    params = LisaParams(grid=grid, polygons=polygons, cell_size=metres_or_auto(v["cell_size"], "Cell size"),
                        band=metres_or_auto(v["band"], "Distance band"), permutations=int(v["permutations"]), fdr=bool(v["fdr"]))
    return lisa(inputs.incidents(flt), params, progress=progress, cancelled=cancelled)


def run_kde(inputs, flt, v, progress=None, cancelled=None):
    from gisapp.analysis.hotspots.density import KdeParams, kernel_density

    bandwidth = v["bandwidth"] if str(v["bandwidth"]).lower() in ("arcgis", "silverman") else metres_or_auto(v["bandwidth"], "Bandwidth")
    params = KdeParams(kernel=v["kernel"], bandwidth=bandwidth, cell_size=metres_or_auto(v["cell_size"], "Cell size"))
    return kernel_density(inputs.incidents(flt), params, progress=progress, cancelled=cancelled)


def run_cluster(inputs, flt, v, progress=None, cancelled=None):
    from gisapp.analysis.clusters.clustering import ClusterParams, cluster_incidents

    method = v["method"]
    if method == "dbscan" and not v["eps"]:
        raise InputError("DBSCAN needs a search distance (eps) in metres.")
    params = ClusterParams(method=method, min_cluster_size=int(v["min_cluster_size"]), eps=float(v["eps"]) if v["eps"] else None,
                           n_clusters=int(v["min_cluster_size"]) if method == "kmeans" else None,
                           study_area_km2=float(v["area_km2"]) if v["area_km2"] else None)
    return cluster_incidents(inputs.incidents(flt), params, progress=progress, cancelled=cancelled)


def run_emerging(inputs, flt, v, progress=None, cancelled=None):
    from gisapp.analysis.spacetime.emerging import EmergingParams, emerging_hot_spots

    grid, polygons = _polygons_for(v["grid"], inputs)
    band = metres_or_auto(v["band"], "Distance band")
    params = EmergingParams(grid=grid, polygons=polygons, cell_size=float(v["cell_size"]), band=None if band == AUTO else band,
                            time_step=v["time_step"], k=int(v["k"]), start=flt.start, end=flt.end, alpha=float(v["alpha"]))
    return emerging_hot_spots(inputs.incidents(flt), params, progress=progress, cancelled=cancelled)


def run_nearrepeat(inputs, flt, v, progress=None, cancelled=None):
    from gisapp.analysis.spacetime.nearrepeat import KnoxParams, near_repeat

    params = KnoxParams(distance_bands=_numbers(v["distance_bands"], "Distance bands"), time_bands=_numbers(v["time_bands"], "Time bands"),
                        permutations=int(v["permutations"]))
    params.validate()
    return near_repeat(inputs.incidents(flt), params, progress=progress, cancelled=cancelled)


def run_compare(inputs, flt, v, progress=None, cancelled=None):
    from gisapp.analysis.spacetime.compare import CompareParams, compare_areas

    polygons = inputs.frame(v["polygons"])
    group = "township" if v["polygons"] == "grids" and v["by_township"] and "township" in polygons else None
    params = CompareParams(group_column=group, start=flt.start, end=flt.end, category_column=v["mix_by"])
    return compare_areas(inputs.incidents(flt), polygons, params, progress=progress, cancelled=cancelled)


def _hotspot_cells(inputs):
    """The newest hot-spot result in the project (what the analyst just looked at); None: the analysis computes its own.

    Only layers the hot-spot method wrote (``gisapp hotspots``, from this GUI or the CLI) count: coverage
    and exposure results carry ``gi_bin`` too, but only for their subset of cells.
    """
    return inputs.latest_result("gi_bin", source="gisapp hotspots")


def run_coverage(inputs, flt, v, progress=None, cancelled=None):
    from gisapp.analysis.cameras.coverage import CoverageParams, camera_coverage

    params = CoverageParams(min_gi_bin=int(v["min_gi_bin"]), max_covered_share=float(v["max_covered_share"]))
    return camera_coverage(inputs.incidents(flt), inputs.frame("cameras"), params, hotspots=_hotspot_cells(inputs),
                           grids=inputs.frame("grids", required=False), areas=inputs.frame("areas", required=False),
                           roads=inputs.frame("roads", required=False), progress=progress, cancelled=cancelled)


def run_siting(inputs, flt, v, progress=None, cancelled=None):
    from gisapp.analysis.cameras.siting import SitingParams, site_cameras

    params = SitingParams(n_new=int(v["n_new"]), spacing_m=float(v["spacing_m"]), new_range_m=float(v["new_range_m"]),
                          method=v["method"], time_limit_s=float(v["time_limit_s"]))
    return site_cameras(inputs.incidents(flt), inputs.frame("cameras", required=False), params, roads=inputs.frame("roads"),
                        progress=progress, cancelled=cancelled)


def run_exposure(inputs, flt, v, progress=None, cancelled=None):
    from gisapp.analysis.patrol.exposure import ExposureParams, route_exposure

    params = ExposureParams(corridor_width_m=float(v["corridor_width_m"]), speed_kmh=float(v["speed_kmh"]), min_gi_bin=int(v["min_gi_bin"]))
    return route_exposure(inputs.frame("routes"), inputs.incidents(flt), params, hotspots=_hotspot_cells(inputs),
                          roads=inputs.frame("roads", required=False), progress=progress, cancelled=cancelled)


def run_plan(inputs, flt, v, progress=None, cancelled=None):
    from gisapp.analysis.core.road_network import NetworkParams
    from gisapp.analysis.patrol.plan import PlanParams, plan_patrol

    stations = inputs.frame("stations", required=False)
    if stations is not None and len(stations):
        start = stations.geometry.iloc[0]
    else:  # no station layer: start from the middle of the road network, and say so in the summary
        roads = inputs.frame("roads")
        start = roads.union_all().centroid
    params = PlanParams(budget_minutes=float(v["budget_minutes"]), dwell_minutes=float(v["dwell_minutes"]),
                        min_gi_bin=int(v["min_gi_bin"]), max_targets=int(v["max_targets"]),
                        network=NetworkParams(speed_kmh=float(v["speed_kmh"])))
    result = plan_patrol(inputs.frame("roads"), start, params, hotspots=_hotspot_cells(inputs), incidents=inputs.incidents(flt),
                         progress=progress, cancelled=cancelled)
    if stations is None:
        result.summary.setdefault("notes", []).insert(0, "no stations layer: the tour starts at the centre of the road network")
    return result


# ---- shared parameter definitions ----------------------------------------------------------------
GRID = Param("grid", N_("Cells"), N_("Square or hexagon fishnet, or the project's grid or area polygons"), "square", "choice",
             choices=(("square", N_("Square fishnet")), ("hex", N_("Hexagons")), ("grids", N_("Grid cells (网格)")), ("areas", N_("Areas"))))
CELL = Param("cell_size", N_("Cell size (m)"), N_("Width of a cell; auto chooses it from the incident spacing"), AUTO, "auto")
BAND = Param("band", N_("Distance band (m)"), N_("Neighbours within this distance; auto picks the peak of spatial autocorrelation"), AUTO, "auto")
FDR = Param("fdr", N_("FDR correction"), N_("Correct the confidence bins for multiple testing (False Discovery Rate)"), True, "bool")
MIN_BIN = Param("min_gi_bin", N_("Hotspot level"), N_("Hotspot cells at least this confident count as hotspots"), 2, "choice",
                choices=((1, N_("90% and above")), (2, N_("95% and above")), (3, N_("99% only"))))
SPEED = Param("speed_kmh", N_("Speed (km/h)"), N_("Patrol speed used to turn length into time"), 20.0, "float", minimum=1, maximum=120)

#: Blind spots must stand out from the hot cells beneath them: magenta outline over a light wash.
BLIND_STYLE = {"type": "single", "color": "#c2185b", "fill": "#e91e6366", "width": 2.5}

#: LISA clusters in the GeoDa colours: high-high red, low-low blue, outliers pale.
LISA_COLOURS = {"HH": "#d7191c", "LL": "#2c7bb6", "HL": "#fdae61", "LH": "#abd9e9", "ns": "#eeeeee"}

METHODS: dict[str, MethodSpec] = {}


def _register(spec: MethodSpec) -> None:
    METHODS[spec.key] = spec


def method(key: str) -> MethodSpec:
    return METHODS[key]


_register(MethodSpec(
    "hotspot", N_("Hot spots (Getis-Ord Gi*)"), N_("Where incidents cluster more than chance allows, with 90/95/99% confidence bins"),
    (GRID, CELL, BAND, Param("permutations", N_("Permutations"), N_("0 uses the normal approximation; 999 adds a permutation p-value"), 0, "int", maximum=99999), FDR),
    run_hotspot, "hotspots",
    lambda s: tr("{cells} cells of {cell} m, band {band} m: {hot} hot, {cold} cold").format(
        cells=s.get("cells", "?"), cell=_num(s.get("cell_size_m")), band=_num(s.get("band_m")),
        hot=sum(int(s.get("gi_bin", {}).get(k, 0)) for k in ("1", "2", "3")),
        cold=sum(int(s.get("gi_bin", {}).get(k, 0)) for k in ("-1", "-2", "-3"))),
))
_register(MethodSpec(
    "lisa", N_("Local Moran's I (LISA)"), N_("High-high and low-low clusters and the outliers between them"),
    (GRID, CELL, BAND, Param("permutations", N_("Permutations"), N_("Conditional permutations for the pseudo p-value (99 to 99999)"), 999, "int", 99, maximum=99999), FDR),
    run_lisa, "lisa",
    lambda s: tr("{cells} cells: HH {hh}, LL {ll}, HL {hl}, LH {lh}").format(
        cells=s.get("cells", "?"), **{k.lower(): s.get("clusters", {}).get(k, 0) for k in ("HH", "LL", "HL", "LH")}),
    styles={"lisa": {"type": "categorized", "field": "lisa_cluster", "color": "#808080", "categories": LISA_COLOURS}},
))
_register(MethodSpec(
    "kde", N_("Kernel density"), N_("A smooth density surface with 50/75/90/95% isopleths"),
    (Param("kernel", N_("Kernel"), N_("Shape of each incident's bump; quartic is the ArcGIS default"), "quartic", "choice",
           choices=(("quartic", N_("Quartic")), ("gaussian", N_("Gaussian")), ("epanechnikov", N_("Epanechnikov")))),
     Param("bandwidth", N_("Bandwidth (m)"), N_("Search radius; arcgis and silverman choose it from the data"), "arcgis", "text"),
     CELL),
    run_kde, "kde_isopleths",
    lambda s: tr("{n} incidents, bandwidth {bw} m, cells {cell} m").format(n=s.get("incidents", "?"), bw=_num(s.get("bandwidth_m")), cell=_num(s.get("cell_size_m"))),
))
_register(MethodSpec(
    "cluster", N_("Clustering"), N_("Groups of nearby incidents (HDBSCAN, DBSCAN, OPTICS, NNH or k-means) with hulls and ellipses"),
    (Param("method", N_("Method"), N_("HDBSCAN finds clusters of any density; DBSCAN needs a search distance"), "hdbscan", "choice",
           choices=(("hdbscan", "HDBSCAN"), ("dbscan", "DBSCAN"), ("optics", "OPTICS"), ("nnh", "NNH (CrimeStat)"), ("kmeans", "k-means"))),
     Param("min_cluster_size", N_("Minimum cluster size"), N_("Fewest incidents that make a cluster (k-means: the number of clusters)"), 15, "int", 2, 100000),
     Param("eps", N_("Search distance (m)"), N_("DBSCAN: incidents closer than this are neighbours; NNH: a fixed threshold (0: the random one)"), 0.0, "float"),
     Param("area_km2", N_("Study area (km²)"), N_("NNH: the area incidents could fall in (0: their bounding rectangle)"), 0.0, "float")),
    run_cluster, "clusters",
    lambda s: tr("{k} clusters among {n} incidents, {noise} noise").format(k=s.get("clusters", "?"), n=s.get("incidents", "?"), noise=_pct(s.get("noise_share"))),
    styles={"clusters": {"type": "categorized", "field": "cluster_id", "color": "#9e9e9e", "size": 3}, "cluster_hulls": {"type": "single", "color": "#6a1b9a", "fill": "#6a1b9a33", "width": 2}},
))
_register(MethodSpec(
    "emerging", N_("Emerging hot spots"), N_("Space-time Gi* with a Mann-Kendall trend: new, intensifying, persistent, diminishing"),
    (GRID, Param("cell_size", N_("Cell size (m)"), N_("Width of a square cell"), 200.0, "float", 10),
     BAND, Param("time_step", N_("Time step"), N_("Length of one slice of the space-time cube"), "month", "choice",
                 choices=(("day", N_("Day")), ("week", N_("Week")), ("month", N_("Month")))),
     Param("k", N_("Previous steps"), N_("How many earlier time steps count as neighbours"), 1, "int", 0, 12),
     Param("alpha", N_("Significance"), N_("Two-sided significance level of the hot and cold tests"), 0.05, "float", 0.001, 0.2)),
    run_emerging, "emerging",
    lambda s: tr("{n} locations over {steps} steps").format(n=s.get("locations", "?"), steps=s.get("steps", "?")),
    styles={"emerging": {"type": "categorized", "field": "category_zh", "color": "#bdbdbd"}},
))
_register(MethodSpec(
    "nearrepeat", N_("Near repeat (Knox)"), N_("Do incidents close in space follow each other closely in time?"),
    (Param("distance_bands", N_("Distance bands (m)"), N_("Band edges in metres, comma-separated"), "0,100,200,400", "text"),
     Param("time_bands", N_("Time bands (days)"), N_("Band edges in days, comma-separated"), "0,7,14,21", "text"),
     Param("permutations", N_("Permutations"), N_("Monte Carlo permutations of the Knox test"), 99, "int", 19, 99999)),
    run_nearrepeat, "nearrepeat",
    lambda s: tr("{n} incidents; Knox table with {p} permutations").format(n=s.get("incidents", s.get("events", "?")), p=s.get("permutations", "?")),
))
_register(MethodSpec(
    "compare", N_("Area comparison"), N_("Counts, rates, change between periods and category mix per area"),
    (Param("polygons", N_("Areas"), N_("Which polygons to compare"), "areas", "choice", choices=(("areas", N_("Areas")), ("grids", N_("Grid cells (网格)")))),
     Param("by_township", N_("Group grids by township"), N_("Dissolve grid cells by their township column"), False, "bool"),
     Param("mix_by", N_("Category mix by"), N_("Incident column of the category mix"), "category", "choice",
           choices=(("category", N_("Category")), ("subcategory", N_("Subcategory"))))),
    run_compare, "compare",
    lambda s: tr("{n} areas compared").format(n=len(s.get("areas", [])) or "?"),
    needs=("incidents",),
))
_register(MethodSpec(
    "coverage", N_("Camera coverage"), N_("Share of incidents and hotspots cameras see; blind spots ranked by uncovered incidents"),
    (MIN_BIN, Param("max_covered_share", N_("Blind spot share"), N_("A hotspot cell is blind when cameras see less than this share"), 0.5, "float", 0, 1)),
    run_coverage, "blind_spots",
    lambda s: tr("cameras see {share} of {n} incidents; {blind} blind spots").format(
        share=_pct(s.get("share_covered")), n=s.get("incidents", "?"), blind=s.get("blind_spots", {}).get("count", "?")),
    needs=("incidents", "cameras"),
    styles={"blind_spots": BLIND_STYLE},
))
_register(MethodSpec(
    "siting", N_("Camera siting"), N_("Where N new cameras would see the most incidents (maximal covering)"),
    (Param("n_new", N_("New cameras"), N_("How many new cameras to place"), 10, "int", 1, 1000),
     Param("spacing_m", N_("Candidate spacing (m)"), N_("Distance between candidate sites along the roads"), 50.0, "float", 5),
     Param("new_range_m", N_("Range (m)"), N_("A new dome camera sees a disc of this radius"), 60.0, "float", 5),
     Param("method", N_("Solver"), N_("auto: optimal when small enough, else greedy"), "auto", "choice",
           choices=(("auto", N_("Automatic")), ("mclp", N_("Optimal (MCLP)")), ("greedy", N_("Greedy")))),
     Param("time_limit_s", N_("Time limit (s)"), N_("Seconds the optimiser may run"), 60.0, "float", 1, 3600)),
    run_siting, "camera_sites",
    lambda s: tr("{k} new sites: cameras would see {after} instead of {before} of incidents").format(
        k=s.get("new_cameras_placed", "?"), before=_pct(s.get("share_before")), after=_pct(s.get("share_after"))),
    needs=("incidents", "roads"),
    styles={"camera_sites": {"type": "single", "color": "#0d47a1", "size": 9}},
))
_register(MethodSpec(
    "exposure", N_("Patrol exposure"), N_("Incidents and hotspot cells along each patrol route, and hotspots no route passes"),
    (Param("corridor_width_m", N_("Corridor width (m)"), N_("Width around each route, both sides together"), 100.0, "float", 5, 5000), SPEED, MIN_BIN),
    run_exposure, "route_exposure",
    lambda s: tr("{r} routes touch {t} of {h} hotspot cells; {u} unpatrolled").format(
        r=s.get("routes", "?"), t=s.get("hot_cells_touched", "?"), h=s.get("hotspots", {}).get("hot_cells", "?"), u=s.get("hot_cells_unpatrolled", "?")),
    needs=("incidents", "routes"),
    styles={"route_exposure": {"type": "single", "color": "#00897b", "width": 4}},
))
_register(MethodSpec(
    "plan", N_("Route planning"), N_("A tour on the roads from the station visiting the most hotspot value within the time budget"),
    (Param("budget_minutes", N_("Budget (min)"), N_("Minutes for the tour, travel and stops"), 60.0, "float", 5, 1440),
     Param("dwell_minutes", N_("Stop (min)"), N_("Minutes stopped at each hotspot; 0 drives past"), 12.5, "float", 0, 120),
     Param("max_targets", N_("Hotspots considered"), N_("The most valuable hotspot places considered"), 50, "int", 1, 1000),
     SPEED, MIN_BIN),
    run_plan, "patrol_plan",
    lambda s: tr("tour of {m} min visiting {k} hotspot places").format(m=_num(s.get("plan", {}).get("minutes")), k=len(s.get("stops", []))),
    needs=("incidents", "roads"),
    styles={"patrol_plan": {"type": "single", "color": "#ff6f00", "width": 4}},
))


def _num(value) -> str:
    if value is None:
        return "–"
    try:
        number = float(value)
        return f"{number:.0f}" if abs(number) >= 10 else f"{number:.3g}"
    except (TypeError, ValueError):
        return str(value)
