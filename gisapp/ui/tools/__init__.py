"""Drawing and editing tools on the map canvas, with undo (QUndoStack): route, camera, area, measure."""

from .base import MapTool
from .camera import CameraTool
from .edits import AddLayerCommand, SetLayerDataCommand
from .measure import MeasureTool
from .sketch import AreaTool, RouteTool

TOOLS = {"route": RouteTool, "camera": CameraTool, "area": AreaTool, "measure": MeasureTool}

__all__ = ["TOOLS", "MapTool", "RouteTool", "AreaTool", "CameraTool", "MeasureTool", "AddLayerCommand", "SetLayerDataCommand"]
