"""The load report: what a reader understood, loaded, repaired and rejected.

The invariant ``rows_loaded + rows_rejected == rows_read`` always holds; a
reader that drops a row without a reason is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import RowProblem


@dataclass
class LoadReport:
    """What happened when one layer was read.

    Attributes
    ----------
    source : str
        Path (and layer name inside a multi-layer file).
    kind : str
        The layer kind chosen (given, or detected from columns and geometry).
    rows_read : int
        Data rows (features) found in the source.
    rejects : list of RowProblem
        Rows not loaded, each with its 1-based row number and reason.
    columns : dict
        Role (``x``, ``y``, ``occurred_at``, ...) -> source column name.
    crs : str
        The source coordinate system as understood (``EPSG:4326``, ``GCJ-02``, ...).
    encoding : str or None
        Text encoding of a CSV source.
    bounds : list of float or None
        ``[min_lon, min_lat, max_lon, max_lat]`` of the loaded features (WGS84).
    time_range : list of str or None
        First and last ``occurred_at`` (ISO), when the layer has times.
    corrections : list of RowProblem
        Rows that were loaded after a repair (swapped lat/lon, invalid polygon, ...).
    warnings : list of str
        Sentences about the whole layer (outliers, missing times, assumed CRS).
    """

    source: str
    kind: str = ""
    rows_read: int = 0
    rejects: list[RowProblem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    crs: str = ""
    encoding: str | None = None
    bounds: list[float] | None = None
    time_range: list[str] | None = None
    corrections: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: Set once the locational-outlier check ran, so it runs once per read.
    outliers_checked: bool = field(default=False, repr=False)

    @property
    def rows_rejected(self) -> int:
        return len(self.rejects)

    @property
    def rows_loaded(self) -> int:
        return self.rows_read - self.rows_rejected

    def reject(self, rows, reason: str) -> None:
        """Record ``reason`` for every 1-based row number in ``rows``."""
        self.rejects.extend(RowProblem(int(r), reason) for r in rows)

    def correct(self, rows, note: str) -> None:
        self.corrections.extend(RowProblem(int(r), note) for r in rows)

    def to_dict(self) -> dict:
        return {
            "source": self.source,
            "kind": self.kind,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "rejects": [p.to_dict() for p in sorted(self.rejects, key=lambda p: p.row)],
            "columns": dict(self.columns),
            "crs": self.crs,
            "encoding": self.encoding,
            "bounds": self.bounds,
            "time_range": self.time_range,
            "corrections": [p.to_dict() for p in sorted(self.corrections, key=lambda p: p.row)],
            "warnings": list(self.warnings),
        }

    @classmethod
    def from_dict(cls, data: dict) -> "LoadReport":
        report = cls(
            source=data.get("source", ""),
            kind=data.get("kind", ""),
            rows_read=int(data.get("rows_read", 0)),
            columns=dict(data.get("columns", {})),
            crs=data.get("crs", ""),
            encoding=data.get("encoding"),
            bounds=data.get("bounds"),
            time_range=data.get("time_range"),
            warnings=list(data.get("warnings", [])),
        )
        report.rejects = [RowProblem(p["row"], p["reason"]) for p in data.get("rejects", [])]
        report.corrections = [RowProblem(p["row"], p["reason"]) for p in data.get("corrections", [])]
        return report
