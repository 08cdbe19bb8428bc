"""The workspace's layers seen the way the CLI's ``Inputs`` sees a GeoPackage.

The GUI and the CLI must call the same analyses with the same inputs, so the
dialogs reuse :class:`gisapp.commands.common.Inputs` (layers by kind, the
analysis CRS, filtered incidents, named areas) over a snapshot of the layer
list taken on the main thread. The worker then only reads GeoDataFrames that
nobody mutates (layer setters replace a layer's frame, never edit it).
"""

from __future__ import annotations

from gisapp.layers import Layer

from ...commands.common import Inputs


class WorkspaceInputs(Inputs):
    """``Inputs`` over a snapshot of layers instead of a file."""

    def __init__(self, layers: list[Layer], analysis_crs: str = "auto", title: str = "project"):
        super().__init__(title, None, analysis_crs)
        self.__dict__["_layers"] = [Layer(layer.name, layer.kind, layer.data, source=layer.source, params=dict(layer.params))
                                    for layer in layers]

    def latest_result(self, column: str, source: str | None = None):
        """The most recently added result layer holding ``column`` (and made by ``source``), in the analysis CRS, or None."""
        for layer in reversed(self._layers):
            if layer.kind == "result" and column in layer.data.columns and (source is None or layer.source == source):
                from gisapp.layers.reproject import reproject

                return reproject(layer.data, self.crs)
        return None
