"""Formula injection: every CSV/XLSX gisapp writes shows data that starts with = + - @ tab or CR as text."""

from __future__ import annotations

import csv

import openpyxl
import pandas as pd

from gisapp.layers.io.safe_cells import safe_cell, write_csv, write_xlsx

HOSTILE = ["=cmd|' /C notepad'!A0", "@SUM(1)", "+1+1", "-2+3", "\t=1", "\r=1", "人民路1号"]


def frame() -> pd.DataFrame:
    return pd.DataFrame({"address": HOSTILE, "n": [-1.5, 2.0, -3.0, 4.0, 5.0, 6.0, 7.0], "k": [-1, 2, 3, 4, 5, 6, 7]})


def test_text_cells_get_an_apostrophe_numbers_stay_numbers(tmp_path):
    path = tmp_path / "out.csv"
    write_csv(frame(), path)
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["address", "n", "k"]
    assert [r[0] for r in rows[1:]] == ["'" + v for v in HOSTILE[:-1]] + ["人民路1号"]
    assert [r[1] for r in rows[1:3]] == ["-1.5", "2.0"] and rows[1][2] == "-1"


def test_xlsx_cells_are_text_not_formulas(tmp_path):
    path = tmp_path / "out.xlsx"
    write_xlsx(frame(), path)
    sheet = openpyxl.load_workbook(path).active
    values = [row for row in sheet.iter_rows(min_row=2, values_only=True)]
    # XML keeps no lone carriage return: openpyxl reads it back as a line feed.
    assert [v[0] for v in values] == ["'" + v.replace("\r", "\n") for v in HOSTILE[:-1]] + ["人民路1号"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert values[0][1] == -1.5 and values[0][2] == -1


def test_safe_cell_leaves_other_values_alone():
    assert safe_cell(-3) == -3 and safe_cell(None) is None and safe_cell("a=b") == "a=b"
