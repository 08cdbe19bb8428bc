"""Public reference data sets shipped inside libpysal (no download), for checks against independent tools."""

from __future__ import annotations

import warnings

import geopandas as gpd

#: A projected CRS in metres to give columbus (whose coordinates are local) when a test writes it to a file.
COLUMBUS_TEST_CRS = "EPSG:4544"


def libpysal_example(name: str) -> str:
    """Path of a file of a libpysal built-in example (columbus.shp, burkitt.shp, crimes.shp, juvenile.shp)."""
    from libpysal import examples

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return examples.get_path(name)


def columbus() -> gpd.GeoDataFrame:
    """The 49 Columbus, Ohio neighbourhoods (Anselin 1988) with CRIME, HOVAL, INC; no CRS (local units)."""
    return gpd.read_file(libpysal_example("columbus.shp"))


def columbus_file(path, crs: str = COLUMBUS_TEST_CRS):
    """Columbus written as a GeoPackage layer ``columbus`` in ``crs``, placed inside that CRS's area of use.

    The coordinates are local (about 24-55 by 24-45 units). They are scaled
    by 1,000 and shifted to the zone's false easting: an affine map changes
    neither contiguity (equal vertices stay equal) nor the order of distances,
    so queen/rook and k-nearest-neighbour weights stay those of the original.
    """
    from shapely import affinity

    frame = columbus()
    frame = frame.set_geometry(frame.geometry.apply(lambda g: affinity.affine_transform(g, [1000, 0, 0, 1000, 500_000, 3_400_000])))
    frame = frame.set_crs(crs, allow_override=True)
    frame.to_file(path, layer="columbus", driver="GPKG")
    return path
