"""The ledger as CSV and XLSX (after haven.stats.exports): amounts as numbers, dates as dates, labels not codes."""
from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils.functional import Promise

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Promise):
        return str(value)
    return value


def to_csv(header: list[str], rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([str(h) for h in header])
    writer.writerows([[_plain(value) for value in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(header: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Ledger"
    sheet.append([str(h) for h in header])
    for row in rows:
        sheet.append([value if isinstance(value, Decimal) else _plain(value) for value in row])
    for (cell,) in sheet.iter_rows(min_row=2, min_col=4, max_col=4):
        cell.number_format = "#,##0.00"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def render(header: list[str], rows: list[list], fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(header, rows)
    if fmt == "xlsx":
        return to_xlsx(header, rows)
    raise ValueError(fmt)
