"""gisapp: crime mapping and hotspot analysis for county public-security analysts.

The package holds three layers, one dependency direction: ``gisapp.layers``
(data model and I/O) <- ``gisapp.analysis`` (algorithms) <- the application
(``gisapp.cli``, ``gisapp.commands``, ``gisapp.ui``, ``gisapp.briefing``,
``gisapp.printing``). Importing this package imports nothing else, so the
command line starts at once.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
