"""CSV, XLSX and PDF renderings of a registry Table (the PDF carries the SVG chart)."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from haven.stats.charts import table_chart
from haven.stats.labels import shown

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "json": "application/json",
}


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return value


def display_cells(table) -> list[list[Any]]:
    """The table's cells as people read them (the page and the PDF): a rate as a percentage with one decimal, in
    the active language's number format; countries, measures and units in words (haven.stats.labels). CSV and
    XLSX keep the fraction and the codes, for calculation."""
    rates = [column.kind == "rate" for column in table.columns]
    keys = [column.key for column in table.columns]
    return [[_percent(value) if is_rate and isinstance(value, Decimal) else _plain(shown(key, value))
             for value, is_rate, key in zip(row, rates, keys)] for row in table.cells()]


def _percent(fraction: Decimal) -> str:
    return pgettext("a percentage", "%(number)s%%") % {"number": number_format(fraction * 100, decimal_pos=1)}


def to_csv(table, *, header_keys: bool = False, keys: tuple[str, ...] | None = None) -> str:
    """The table as CSV; `keys`: only these columns, in this order (the command's fixed columns)."""
    columns = [c for c in table.columns if keys is None or c.key in keys]
    if keys is not None:
        columns.sort(key=lambda c: keys.index(c.key))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c.key if header_keys else str(c.label) for c in columns])
    for row in table.rows:
        writer.writerow([_plain(row.get(c.key)) for c in columns])
    return buffer.getvalue()


def to_json(table) -> bytes:
    """The table for programs (the statistics API): the same protected cells as the page, counts as numbers, rates
    as fractions (4 decimals), a suppressed cell as "--" and an empty rate as null."""
    rows = [{c.key: _json_value(row.get(c.key)) for c in table.columns} for row in table.rows]
    body = {"figure": table.figure.key, "title": str(table.figure.title), "published": table.published,
            "params": table.params, "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind}
                                                for c in table.columns],
            "rows": rows, "notes": [str(note) for note in table.figure.notes]}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Promise):
        return str(value)
    return None if value == "" else value


def to_xlsx(table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, LineChart, Reference

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Figures"
    sheet.append([str(c.label) for c in table.columns])
    for row in table.cells():
        sheet.append([_xlsx_value(v) for v in row])
    for index, column in enumerate(table.columns, start=1):
        if column.kind == "rate":  # the fraction, shown as a percentage
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = "0.0%"
    keys = [c.key for c in table.columns]
    series_cols = [keys.index(k) + 1 for k in table.figure.chart.series if k in keys]
    if table.rows and series_cols:
        chart = LineChart() if table.figure.chart.kind == "line" else BarChart()
        chart.title = str(table.figure.title)
        for col in series_cols:
            chart.add_data(Reference(sheet, min_col=col, min_row=1, max_row=len(table.rows) + 1), titles_from_data=True)
        x_col = keys.index(table.figure.chart.x) + 1 if table.figure.chart.x in keys else 1
        chart.set_categories(Reference(sheet, min_col=x_col, min_row=2, max_row=len(table.rows) + 1))
        chart.width, chart.height = 24, 10
        sheet.add_chart(chart, f"A{len(table.rows) + 4}")
    about = workbook.create_sheet("About")
    for label, value in _about(table):
        about.append([label, value])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _xlsx_value(value):
    """A number as a number; a label (a lazily translated one too, which openpyxl refuses) as its text."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Promise):
        return str(value)
    return value


def _about(table) -> list[tuple[str, str]]:
    return [
        (_("Figure"), str(table.figure.title)),
        (_("Source"), str(table.figure.source)),
        (_("Scope"), table.scope_label),
        (_("Parameters"), ", ".join(f"{k}={v}" for k, v in table.params.items() if v)),
        (_("Disclosure control"), _("published: counts under the threshold suppressed (--), others rounded to 5")
         if table.published else _("internal: exact counts, not for outside use")),
        (_("Generated"), timezone.localtime().strftime("%Y-%m-%d %H:%M %Z")),
    ] + [(_("Note"), str(note)) for note in table.figure.notes]


def to_pdf(table) -> bytes:
    from weasyprint import HTML

    html = render_to_string("stats/report_pdf.html", {
        "table": table, "chart": table_chart(table), "about": _about(table),
        "header": [str(c.label) for c in table.columns],
        "cells": display_cells(table),
    })
    return HTML(string=html).write_pdf()


def render(table, fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(table).encode("utf-8")
    if fmt == "xlsx":
        return to_xlsx(table)
    if fmt == "pdf":
        return to_pdf(table)
    if fmt == "json":
        return to_json(table)
    raise ValueError(fmt)
