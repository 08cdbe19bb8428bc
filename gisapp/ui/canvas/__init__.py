"""The map canvas: a QWidget painted with QPainter in Web Mercator.

``view`` (no Qt) holds the world-to-screen transform, ``geometry`` projects and
caches layer coordinates as numpy arrays, ``paths`` turns them into
QPainterPaths in one call, ``points`` rasterises dense point layers with numpy,
``renderer`` draws a layer list, ``basemap`` supplies tiles and ``widget`` is the
interactive canvas with its tools.
"""
