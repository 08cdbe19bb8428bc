"""Workbooks (.xlsx, .xlsm, .xls, .ods) as tables, through python-calamine.

Why calamine: one reader for the three formats police systems export (the
old binary ``.xls`` above all), written in Rust, and several times faster than
openpyxl on the same ``.xlsx`` with less memory (``bench/bench_excel.py``,
figures in ``bench/results/excel.json``). Cells keep their types: dates arrive
as dates, times of day as times, so :mod:`.dates` can combine them.

What is not a workbook is said so, or read as what it is:

* an ``.xls`` that is an HTML page (a common "Excel export" of web systems)
  is read as its largest HTML table (:mod:`.html_table`);
* an ``.xls`` that is plain delimited text is read as CSV;
* a password-protected workbook (an OLE container holding an
  ``EncryptedPackage``, or calamine's password error) gets one sentence.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from .csv import RawTable
from .grid import table_from_grid
from .html_table import decode_html, html_tables, looks_like_html
from .limits import MAX_COLUMNS, shown

WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def sheet_names(path: Path) -> list[str]:
    """Every sheet name of a workbook (``[]`` for an HTML or text "workbook")."""
    kind = _container(path)
    if kind != "workbook":
        return []
    workbook = _open(path)
    try:
        return list(workbook.sheet_names)
    finally:
        workbook.close()


def read_excel_table(path: Path, sheet: str | int | None = None, header_row: int | None = None) -> RawTable:
    """Read one sheet (the first with cells, by default) as a table whose cells keep their types.

    Parameters
    ----------
    path : Path
    sheet : str or int, optional
        A sheet name, or its 1-based position (``"2"``); the first sheet holding cells by default.
    header_row : int, optional
        1-based sheet row of the header; found among the first rows when None.
    """
    kind = _container(path)
    if kind == "html":
        return _html_table(path, header_row)
    if kind == "text":
        from .csv import read_csv_table

        return read_csv_table(path, header_row=header_row)
    workbook = _open(path)
    try:
        names = list(workbook.sheet_names)
        chosen, worksheet, notes = _choose_sheet(workbook, names, sheet, path.name)
        if worksheet.width > MAX_COLUMNS:
            raise InputError(f"{path.name} sheet {shown(chosen)} is {worksheet.width:,} columns wide, more than the {MAX_COLUMNS:,} gisapp reads.")
        rows = _rows(worksheet, path)
    finally:
        workbook.close()
    if not any(any(cell not in ("", None) for cell in row) for row in rows):
        raise InputError(f"{path.name} is empty: sheet {shown(chosen)} has no cells.")
    return table_from_grid(rows, f"{path.name} (sheet {chosen})", header_row, sheet=chosen, sheets=names, warnings=notes)


def _container(path: Path) -> str:
    """What the file really is: ``workbook``, ``encrypted``, ``html`` or ``text``."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith(_OLE):
        if _holds(path, _ENCRYPTED):
            raise _password_protected(path)
        return "workbook"
    if head.startswith(_ZIP):
        return "workbook"
    if looks_like_html(head):
        return "html"
    if head.lstrip().startswith(b"<?xml"):
        raise InputError(
            f"{path.name} is an XML spreadsheet (Excel 2003 XML), not a workbook gisapp reads: "
            "open it in Excel or WPS and save it as .xlsx."
        )
    if b"\x00" in head.replace(b"\x00\x00", b"") and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{path.name} is not a workbook: it is neither .xlsx, .xls, .ods nor an HTML or text export.")
    return "text"


def _holds(path: Path, needle: bytes) -> bool:
    """Whether the file's bytes contain ``needle`` (the OLE directory may sit anywhere in it)."""
    with open(path, "rb") as handle:
        tail = b""
        while chunk := handle.read(1 << 20):
            if needle in tail + chunk:
                return True
            tail = chunk[-len(needle) :]
    return False


def _password_protected(path: Path) -> InputError:
    return InputError(
        f"{path.name} is protected with a password (encrypted): open it in Excel or WPS, remove the password "
        "(File ▸ Info ▸ Protect Workbook) or save an unprotected copy, and load that."
    )


def _open(path: Path):
    import python_calamine

    try:
        return python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise _password_protected(path) from None
    except (python_calamine.CalamineError, ValueError, OSError, TypeError) as error:
        if "password" in str(error).lower() or "encrypt" in str(error).lower():
            raise _password_protected(path) from None
        raise InputError(
            f"{path.name} is not a readable {path.suffix.lower().lstrip('.')} workbook (damaged, or another format saved under this name)."
        ) from None


def _choose_sheet(workbook, names: list[str], sheet, filename: str):
    """The sheet's name, the sheet, and notes for the report."""
    if sheet is None or (isinstance(sheet, str) and not sheet.strip()):
        for name in names:  # the first sheet that holds anything: a cover sheet is skipped
            worksheet = workbook.get_sheet_by_name(name)
            if worksheet.height:
                skipped = names[: names.index(name)]
                notes = [f"Sheet {shown(name)} was read; the sheets before it are empty ({', '.join(map(shown, skipped))})."] if skipped else []
                if len(names) > 1:
                    notes.append(f"The workbook has {len(names)} sheets ({', '.join(shown(n, 30) for n in names)}); choose another with --sheet.")
                return name, worksheet, notes
        raise InputError(f"{filename} is empty: none of its {len(names)} sheets has any cells.")
    if isinstance(sheet, str) and sheet in names:
        return sheet, workbook.get_sheet_by_name(sheet), []
    position = int(sheet) if isinstance(sheet, int) or (isinstance(sheet, str) and sheet.strip().isdigit()) else None
    if position is not None and 1 <= position <= len(names):
        return names[position - 1], workbook.get_sheet_by_index(position - 1), []
    raise InputError(f"{filename} has no sheet {shown(sheet)}; its sheets are {', '.join(shown(n, 30) for n in names)}.")


def _rows(worksheet, path: Path) -> list[list]:
    import python_calamine

    try:
        # From cell A1, so that row numbers are the sheet's own.
        return worksheet.to_python(skip_empty_area=False)
    except (python_calamine.CalamineError, ValueError, OverflowError) as error:
        raise InputError(f"{path.name} has a sheet that cannot be read ({type(error).__name__}): it may be damaged.") from None


def _html_table(path: Path, header_row: int | None) -> RawTable:
    raw = path.read_bytes()
    tables = [t for t in html_tables(decode_html(raw)) if any(any(cell for cell in row) for row in t)]
    if not tables:
        raise InputError(f"{path.name} is an HTML page saved as {path.suffix}, and it holds no table to read.")
    largest = max(tables, key=lambda t: sum(len(row) for row in t))
    table = table_from_grid(largest, path.name, header_row, encoding="html")
    table.warnings.append(f"{path.name} is an HTML page saved as {path.suffix} (as some systems export); its largest table was read.")
    return table
