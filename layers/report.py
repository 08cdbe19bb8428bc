"""The load report: what a reader understood, loaded, repaired and rejected.

The invariant ``rows_loaded + rows_rejected == rows_read`` always holds; a
reader that drops a row without a reason is a bug.

Every rejected row carries a short stable *kind* besides its sentence, so
that summaries can count rejects by kind (``{"no_coordinates": 303}``) and
programs can act on them without parsing sentences. Rows that are loaded but
lack something (an unreadable date) get a per-row *warning* instead.

The hook for address matching
-----------------------------
``LoadReport.rejected_cells`` is a DataFrame of the rejected rows' original
cells (every source column, as text or as read), indexed by the 1-based data
row, with ``reject_kind`` and ``reject_reason`` columns added. A geocoder takes
the rows whose ``reject_kind`` is ``no_coordinates`` and reads their address
from the column ``report.columns["address"]``. It is kept in memory only:
``to_dict`` does not carry it (a project stores the rejects, not their cells).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from .errors import RowProblem

#: The kinds of reason a row is rejected (or warned about) for, with what each means.
REASON_KINDS: dict[str, str] = {
    "no_coordinates": "no usable coordinates (blank); the row keeps its address for address matching",
    "bad_coordinates": "coordinates that are not numbers, not finite, out of range, or malformed (DMS, combined column)",
    "zero_coordinates": "placeholder coordinates (0, 0)",
    "outside_area": "a position outside the coordinate system's area of use, or outside China for Chinese data",
    "summary_row": "a total, subtotal or signature row (合计, 小计, 制表人, ...)",
    "no_geometry": "a feature without geometry",
    "invalid_geometry": "a geometry that cannot be built or repaired (e.g. a LineString with one point)",
    "wrong_geometry": "a geometry type the layer kind cannot hold",
    "ragged_row": "a row with the wrong number of fields",
    "undecodable": "bytes that are not text in the file's encoding",
    "unreadable_date": "a date that cannot be read (warning: the row is loaded without a time)",
    "no_time_of_day": "a date without its time of day (warning: loaded at 00:00 of that day)",
    "other": "anything else",
}


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
        Data rows (features) found in the source, summary rows included.
    rejects : list of RowProblem
        Rows not loaded, each with its 1-based data-row number, reason and kind.
    row_warnings : list of RowProblem
        Rows loaded with something missing (an unreadable date), same numbering.
    columns : dict
        Role (``x``, ``y``, ``occurred_at``, ...) -> source column name.
    headers : list of str
        The source's column names in file order (the import preview offers them for each role).
    crs : str
        The source coordinate system as understood (``EPSG:4326``, ``GCJ-02``, ``local``, ...).
    encoding : str or None
        Text encoding of a text source.
    bounds : list of float or None
        ``[minx, miny, maxx, maxy]`` of the loaded features in the output CRS.
    time_range : list of str or None
        First and last ``occurred_at`` (ISO), when the layer has times.
    rows_without_time : int
        Loaded rows whose ``occurred_at`` is empty (blank or unreadable), when the layer has a time column.
    corrections : list of RowProblem
        Rows that were loaded after a repair (swapped lat/lon, invalid polygon, ...).
    warnings : list of str
        Sentences about the whole layer (outliers, missing times, assumed CRS).
    header_row : int or None
        1-based line (CSV) or sheet row (Excel) of the header, for tables.
    skipped_rows : list of int
        1-based lines or sheet rows above the header that were skipped (titles, units, blanks).
    header_note : dict or None
        ``{"zh": "表头在第 3 行；跳过标题行 1–2", "en": "..."}``.
    sheet : str or None
        The sheet read, and ``sheets`` every sheet name of the workbook.
    date_order : dict or None
        How ambiguous dates were read: ``{"column", "order", "reason"}``, order being
        ``day-first`` or ``month-first``.
    time_source : dict or None
        Where times came from: ``{"date": column, "time": column}`` when two columns were combined.
    coordinates : dict or None
        The coordinate decision: ``{"shape", "order", "zone", "zone_width", "crs", "columns", "reason"}``.
    georeferenced : bool
        False for data in the local-metres system (positions not on the earth).
    geocoded : dict or None
        When rows without coordinates were placed by their address: ``tried``,
        ``placed``, counts per match level and the reasons of the rest.
    rejected_cells : DataFrame or None
        The rejected rows' original cells (see the module notes); not part of ``to_dict``.
    """

    source: str
    kind: str = ""
    rows_read: int = 0
    rejects: list[RowProblem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)
    crs: str = ""
    encoding: str | None = None
    bounds: list[float] | None = None
    time_range: list[str] | None = None
    corrections: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    row_warnings: list[RowProblem] = field(default_factory=list)
    rows_without_time: int = 0
    header_row: int | None = None
    skipped_rows: list[int] = field(default_factory=list)
    header_note: dict | None = None
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    date_order: dict | None = None
    time_source: dict | None = None
    coordinates: dict | None = None
    georeferenced: bool = True
    geocoded: dict | None = None
    rejected_cells: pd.DataFrame | None = field(default=None, repr=False)
    #: A vector file's points in their own projected system, for a reader asked for that system (no round trip).
    source_geometry: object = field(default=None, repr=False)
    #: Set once the locational-outlier check ran, so it runs once per read.
    outliers_checked: bool = field(default=False, repr=False)

    @property
    def rows_rejected(self) -> int:
        return len(self.rejects)

    @property
    def rows_loaded(self) -> int:
        return self.rows_read - self.rows_rejected

    @property
    def reasons(self) -> dict[str, int]:
        """Rejected rows counted by kind, most frequent first."""
        return dict(Counter(p.kind for p in self.rejects).most_common())

    def reject(self, rows, reason: str, kind: str = "other") -> None:
        """Record ``reason`` (of ``kind``) for every 1-based row number in ``rows``."""
        self.rejects.extend(RowProblem(int(r), reason, kind) for r in rows)

    def warn_rows(self, rows, reason: str, kind: str = "other") -> None:
        """A per-row warning: the row is loaded, but ``reason``."""
        self.row_warnings.extend(RowProblem(int(r), reason, kind) for r in rows)

    def correct(self, rows, note: str, kind: str = "corrected") -> None:
        self.corrections.extend(RowProblem(int(r), note, kind) for r in rows)

    def to_dict(self) -> dict:
        """Everything but the rejected cells, JSON-ready; every key is always present."""
        by_row = lambda problems: [p.to_dict() for p in sorted(problems, key=lambda p: p.row)]  # noqa: E731
        return {
            "source": self.source,
            "kind": self.kind,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_rejected,
            "reasons": self.reasons,
            "rejects": by_row(self.rejects),
            "rows_without_time": int(self.rows_without_time),
            "row_warnings": by_row(self.row_warnings),
            "row_warning_kinds": dict(Counter(p.kind for p in self.row_warnings).most_common()),
            "columns": dict(self.columns),
            "headers": list(self.headers),
            "crs": self.crs,
            "georeferenced": bool(self.georeferenced),
            "coordinates": dict(self.coordinates) if self.coordinates else None,
            "encoding": self.encoding,
            "sheet": self.sheet,
            "sheets": list(self.sheets),
            "header_row": self.header_row,
            "skipped_rows": list(self.skipped_rows),
            "header_note": dict(self.header_note) if self.header_note else None,
            "date_order": dict(self.date_order) if self.date_order else None,
            "time_source": dict(self.time_source) if self.time_source else None,
            "bounds": self.bounds,
            "time_range": self.time_range,
            "corrections": by_row(self.corrections),
            "warnings": list(self.warnings),
            "geocoded": self.geocoded,
        }

    @classmethod
    def from_dict(cls, data: dict) -> "LoadReport":
        report = cls(
            source=data.get("source", ""),
            kind=data.get("kind", ""),
            rows_read=int(data.get("rows_read", 0)),
            columns=dict(data.get("columns", {})),
            headers=list(data.get("headers", [])),
            crs=data.get("crs", ""),
            encoding=data.get("encoding"),
            bounds=data.get("bounds"),
            time_range=data.get("time_range"),
            warnings=list(data.get("warnings", [])),
            rows_without_time=int(data.get("rows_without_time", 0)),
            geocoded=data.get("geocoded"),
            header_row=data.get("header_row"),
            skipped_rows=list(data.get("skipped_rows", [])),
            header_note=data.get("header_note"),
            sheet=data.get("sheet"),
            sheets=list(data.get("sheets", [])),
            date_order=data.get("date_order"),
            time_source=data.get("time_source"),
            coordinates=data.get("coordinates"),
            georeferenced=bool(data.get("georeferenced", True)),
        )
        report.rejects = [RowProblem.from_dict(p) for p in data.get("rejects", [])]
        report.corrections = [RowProblem.from_dict(p) for p in data.get("corrections", [])]
        report.row_warnings = [RowProblem.from_dict(p) for p in data.get("row_warnings", [])]
        return report
