"""Tables users download: one CSV dialect for machines and XLSX for people (docs/exports.md).

A ``Table`` holds typed values (``str``, ``int``, ``Decimal``, ``date``, ``datetime``,
``bool``, ``None``); ``table_csv`` and ``table_xlsx`` write it:

- CSV: RFC 4180 (comma, double quotes, CRLF), UTF-8 with BOM, dot decimals, ISO 8601 dates,
  snake_case headers (``Table.columns``); totals never as a data row (``Table.footer`` is for
  the XLSX only).
- XLSX (openpyxl): typed numbers and dates, the header row frozen, column widths, the footer
  (totals) below the data in bold.

Text cells starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return are neutralised
(CSV formula injection): in the CSV with a leading ``'``; in the XLSX they are stored as text,
never as a formula. Numbers stay numbers.
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Table:
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    # Human headers for the XLSX (translated); the CSV always uses ``columns``.
    headers: list[str] | None = None
    # A totals row for the XLSX footer (never written to the CSV).
    footer: list | None = None
    title: str = "Sheet"


def neutralise(value: str) -> str:
    """A text cell that a spreadsheet would run as a formula, made inert with a leading '."""
    if value and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return neutralise(str(value))


def table_csv(table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_csv_cell(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def _xlsx_value(value):
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    if value is None or isinstance(value, bool | int | float | Decimal | dt.date):
        return value
    return str(value)


def _xlsx_row(sheet, values, *, bold=False):
    from openpyxl.styles import Font

    sheet.append([_xlsx_value(value) for value in values])
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        elif isinstance(cell.value, Decimal):
            cell.number_format = "#,##0.00"
        elif isinstance(cell.value, dt.datetime):
            cell.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(cell.value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        if bold:
            cell.font = Font(bold=True)


def table_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31] or "Sheet"
    _xlsx_row(sheet, [str(h) for h in (table.headers or table.columns)], bold=True)
    for row in table.rows:
        _xlsx_row(sheet, row)
    if table.footer:
        _xlsx_row(sheet, table.footer, bold=True)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(sheet.columns, start=1):
        width = max((len(_csv_cell(cell.value)) for cell in column), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width + 2, 8), 60)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def table_export(table: Table, fmt: str) -> bytes:
    """The table as ``csv`` or ``xlsx``."""
    return table_xlsx(table) if fmt == "xlsx" else table_csv(table)
