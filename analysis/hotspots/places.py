"""Naming hot cells by the place they are in: a market says more to a reader than a grid number."""

from __future__ import annotations

import geopandas as gpd

#: How many of the strongest hot cells a summary lists.
TOP = 5


def top_hotspots(cells: gpd.GeoDataFrame, inputs, top: int = TOP) -> list[dict]:
    """The strongest hot cells, with their centre in lon/lat and the place they touch (area, else grid)."""
    hot = cells[cells["gi_bin"] > 0].sort_values("gi_z", ascending=False).head(top)
    if hot.empty:
        return []
    centres = gpd.GeoSeries(hot.geometry.centroid, crs=cells.crs)
    lonlat = centres.to_crs(4326) if _georeferenced(cells.crs) else None
    places = place_names(hot.geometry.reset_index(drop=True), inputs)
    return [
        {
            "rank": rank + 1,
            **({"n": int(row.n)} if "n" in cells.columns else {"value": round(float(row.value), 6)}),
            "gi_z": round(float(row.gi_z), 2),
            "gi_bin": int(row.gi_bin),
            "lon": None if lonlat is None else round(float(lonlat.iloc[rank].x), 6),
            "lat": None if lonlat is None else round(float(lonlat.iloc[rank].y), 6),
            "place": place,
        }
        for rank, (row, place) in enumerate(zip(hot.itertuples(), places))
    ]


def place_names(cells: gpd.GeoSeries, inputs) -> list[str | None]:
    """Name each cell by the area it overlaps most (a market says more than a grid), else the grid of its centre."""
    names: list[str | None] = [None] * len(cells)
    grids = inputs.frame("grids", required=False)
    if grids is not None and "name" in grids:
        centres = gpd.GeoDataFrame(geometry=cells.centroid.values, crs=grids.crs)
        for index, name in gpd.sjoin(centres, grids[["name", "geometry"]], predicate="within")["name"].groupby(level=0).first().items():
            names[int(index)] = str(name)
    areas = inputs.frame("areas", required=False)
    if areas is not None and "name" in areas:
        frame = gpd.GeoDataFrame(geometry=cells.values, crs=areas.crs)
        hits = gpd.sjoin(frame, areas[["name", "geometry"]], predicate="intersects")
        if not hits.empty:
            overlap = [cells.iloc[i].intersection(areas.geometry.iloc[j]).area for i, j in zip(hits.index, hits["index_right"])]
            hits = hits.assign(overlap=overlap).sort_values("overlap", ascending=False)
            for index, name in hits["name"].groupby(level=0).first().items():
                names[int(index)] = str(name)
    return names


def _georeferenced(crs) -> bool:
    return crs is not None and not getattr(crs, "is_engineering", False)
