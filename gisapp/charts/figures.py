"""Figure plumbing shared by the chart modules: a pyplot-free figure and PNG saving."""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from gisapp.layers.errors import InputError

from .fonts import use_chinese_font

#: Report figures: 150 dpi reads well pasted into a Word/WPS report and on a projector.
DPI = 150
HOT = "#c0392b"
COLD = "#2471a3"
NEUTRAL = "#bdc3c7"


def new_figure(width: float = 8.0, height: float = 5.0) -> Figure:
    """A figure (inches) with the Chinese font set, not registered with pyplot."""
    use_chinese_font()
    return Figure(figsize=(width, height), layout="constrained")


def save_png(figure: Figure, path, dpi: int = DPI) -> Path:
    """Write ``figure`` as PNG at ``path`` (folders are created); a non-.png name is a user mistake."""
    path = Path(path)
    if path.suffix.lower() != ".png":
        raise InputError(f"Figures are written as PNG; name the file .png, got {path.name}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=dpi, format="png")
    return path
