"""Matplotlib figures with Chinese labels for reports and briefings (no Qt).

Every function returns a :class:`matplotlib.figure.Figure` built without
pyplot, so figures can be made in worker threads and in headless runs; save
them with :func:`gisapp.charts.figures.save_png`. Chinese text needs a CJK
font: :func:`gisapp.charts.fonts.use_chinese_font` picks one.
"""

from .figures import new_figure, save_png
from .fonts import use_chinese_font

__all__ = ["new_figure", "save_png", "use_chinese_font"]
