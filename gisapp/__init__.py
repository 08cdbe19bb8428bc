"""gisapp: crime mapping and hotspot analysis for county public-security analysts."""

from layers import __version__

__all__ = ["__version__"]
