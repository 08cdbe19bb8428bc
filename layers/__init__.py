"""The data model and I/O of gisapp: layers, the layer list, readers, coordinate systems, the project file.

Nothing here imports Qt.
"""

__version__ = "0.1.0"

from .errors import AnalysisError, GisappError, InputError, RowProblem
from .layer import Layer
from .layerlist import LayerList
from .report import LoadReport

__all__ = ["AnalysisError", "GisappError", "InputError", "Layer", "LayerList", "LoadReport", "RowProblem"]
