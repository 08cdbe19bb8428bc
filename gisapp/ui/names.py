"""What the window calls layers and fields: display names over the stored ones.

Stored names stay as the method writes them (``hotspots``, ``gi_z``), so a
project or a GeoPackage reads the same in QGIS and in scripts; the window shows
the title the method declares for each of its layers
(``Method.layers[i].title``: 热点, 盲区) and a label for each known column, in
the interface language. A layer the user renamed shows its own name.
"""

from __future__ import annotations

import re

from gisapp.layers import Layer

from .i18n import current_language, tr
from .styles import N_

#: ``hotspots (2)``: the stem and the number LayerList.unique_name added.
_NUMBERED = re.compile(r"^(?P<stem>.*?)(?: \((?P<n>\d+)\))?$")

#: Canonical columns and the columns results write, shown with their Chinese/English names.
COLUMN_LABELS = {
    "case_id": N_("Case ID"),
    "occurred_at": N_("Time of occurrence"),
    "category": N_("Category"),
    "subcategory": N_("Subcategory"),
    "address": N_("Address"),
    "grid_id": N_("Grid ID"),
    "name": N_("Name"),
    "population": N_("Population"),
    "camera_id": N_("Camera ID"),
    "kind": N_("Type"),
    "heading_deg": N_("Heading (°)"),
    "fov_deg": N_("Field of view (°)"),
    "range_m": N_("Range (m)"),
    "status": N_("Status"),
    "route_id": N_("Route ID"),
    "unit": N_("Unit"),
    "shift": N_("Shift"),
    "area_id": N_("Area ID"),
    "area_type": N_("Area type"),
    "road_class": N_("Road class"),
    "description": N_("Description"),
    "township": N_("Township"),
    "geometry": N_("Geometry"),
    # results
    "n": N_("Incidents"),
    "n_input": N_("Incidents (input)"),
    "cell_id": N_("Cell ID"),
    "row": N_("Grid row"),
    "col": N_("Grid column"),
    "gi_z": N_("Gi* z-score"),
    "gi_p": N_("Gi* p-value"),
    "gi_p_sim": N_("Gi* permutation p-value"),
    "gi_bin": N_("Gi* confidence bin"),
    "neighbours": N_("Neighbours"),
    "lisa_i": N_("Local Moran's I"),
    "lisa_q": N_("Moran quadrant"),
    "lisa_p": N_("Pseudo p-value"),
    "lisa_cluster": N_("LISA cluster"),
    "lisa_label": N_("LISA class"),
    "cluster_id": N_("Cluster"),
    "probability": N_("Membership probability"),
    "outlier_score": N_("Outlier score"),
    "exemplar": N_("Exemplar"),
    "outlier": N_("Outlier"),
    "count": N_("Incidents"),
    "hull_area_km2": N_("Hull area (km²)"),
    "density_per_km2": N_("Density (per km²)"),
    "category_zh": N_("Pattern (Chinese)"),
    "category_code": N_("ArcGIS category code"),
    "pattern": N_("Pattern"),
    "trend_z": N_("Trend z"),
    "trend_p": N_("Trend p-value"),
    "hot_bins": N_("Hot time steps"),
    "cold_bins": N_("Cold time steps"),
    "volume_pct": N_("Volume (%)"),
    "label": N_("Label"),
    "density_min": N_("Density from (per km²)"),
    "density_max": N_("Density to (per km²)"),
    "area_km2": N_("Area (km²)"),
    "rank": N_("Rank"),
    "n_covered": N_("Incidents seen"),
    "n_uncovered": N_("Incidents not seen"),
    "covered_share": N_("Share seen"),
    "area_covered_share": N_("Area share covered"),
    "cameras": N_("Cameras"),
    "nearest_road": N_("Nearest road"),
    "nearest_camera_m": N_("Nearest camera (m)"),
    "order": N_("Order"),
    "site_id": N_("Site ID"),
    "source": N_("Source"),
    "road": N_("Road"),
    "marginal_gain": N_("Incidents gained"),
    "cumulative_share": N_("Cumulative share seen"),
    "only_this": N_("Seen only by this site"),
    "lon": N_("Longitude"),
    "lat": N_("Latitude"),
    "tour": N_("Tour"),
    "minutes": N_("Minutes"),
    "travel_minutes": N_("Travel minutes"),
    "stops": N_("Stops"),
    "value": N_("Value"),
    "value_per_minute": N_("Value per minute"),
    "km": N_("Length (km)"),
    "leg_minutes": N_("Minutes from previous stop"),
    "arrive_minute": N_("Arrival (minute)"),
}


def column_label(column: str) -> str:
    """A column's display name in the interface language (the stored name when it has none)."""
    return tr(COLUMN_LABELS[column]) if column in COLUMN_LABELS else str(column)


#: Layer kinds, as the window names them (and names a layer called by its kind: ``incidents`` is 警情).
KIND_LABELS = {
    "incidents": N_("Incidents"),
    "grids": N_("Grid cells"),
    "cameras": N_("Cameras"),
    "routes": N_("Patrol routes"),
    "areas": N_("Areas"),
    "roads": N_("Roads"),
    "addresses": N_("Standard addresses"),
    "stations": N_("Police stations"),
    "result": N_("Analysis result"),
}


def layer_title(layer: Layer, language: str | None = None) -> str:
    """The name the window shows for ``layer``: a result's declared title, a kind's name, else its name.

    ``hotspots`` shows as 热点 in Chinese and "Hot spots" in English; a second run's
    ``hotspots (2)`` as 热点 (2); a layer named after its kind (``incidents``) as that kind
    (警情). Other layers, and renamed results, show their own name.
    """
    params = layer.params if isinstance(layer.params, dict) else {}
    key = params.get("method")
    match = _NUMBERED.match(layer.name)
    stem, number = match.group("stem"), match.group("n")
    if layer.kind != "result" and stem == layer.kind and layer.kind in KIND_LABELS:
        title = tr(KIND_LABELS[layer.kind])
        return f"{title} ({number})" if number else title
    if layer.kind != "result" or not key:
        return layer.name
    from gisapp.analysis.catalog import method as declared_method

    try:
        declared = declared_method(key).layer(stem)
    except KeyError:
        return layer.name
    if declared is None:
        return layer.name
    title = declared.title.get(language or current_language())
    return f"{title} ({number})" if number else title
