"""Reading import files: CSV (UTF-8, with or without a byte-order mark) or XLSX.

Every reader returns a Table: the normalized column names and the data rows as
(spreadsheet row number, {column: text}) with the header on row 1. Cells are
text: XLSX dates become YYYY-MM-DD and whole numbers lose their ".0", so every
importer validates one kind of input. Wholly empty rows are skipped (their row
numbers are not reused).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from haven.records.text import find_unsafe_character, unsafe_character_message
from haven.transfer.errors import HEADER_ROW, ImportRejected, RowError

ZIP_MAGIC = b"PK\x03\x04"
# A formula element (`<f>`, `<f t="shared" ...>`, `<x:f>`) in a worksheet's XML.
FORMULA_ELEMENT = re.compile(rb"<(?:\w+:)?f[\s>/]")


@dataclass
class Table:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def normalize_header(value: str) -> str:
    return "_".join(str(value or "").strip().lower().split())


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(source: str | Path | bytes | BinaryIO) -> Table:
    """Read a CSV or XLSX file (told apart by content, not by name)."""
    if isinstance(source, (str, Path)):
        data = Path(source).read_bytes()
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
    if data.startswith(ZIP_MAGIC):
        errors: list[RowError] = []
        return _table(_xlsx_rows(data, errors), scan=True, errors=errors)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRejected([RowError(HEADER_ROW, "", f"the file is neither XLSX nor UTF-8 CSV text "
                                                      f"(byte {exc.start} is not UTF-8); save it as "
                                                      f"“CSV UTF-8” or as an Excel workbook")]) from None
    # One pass over the whole text first: the cells are looked at one by one only when it holds a control
    # character, which no importer may store (haven.records.text).
    return _table(csv.reader(io.StringIO(text, newline="")), scan=find_unsafe_character(text) is not None)


def _open_workbook(data: bytes, *, data_only: bool):
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=data_only)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign zip file.
        raise ImportRejected([RowError(HEADER_ROW, "", f"the workbook cannot be read: {exc}")]) from None


def _has_formulas(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(FORMULA_ELEMENT.search(archive.read(name)) for name in archive.namelist()
                       if name.startswith("xl/worksheets/") and name.endswith(".xml"))
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ImportRejected([RowError(HEADER_ROW, "", f"the workbook cannot be read: {exc}")]) from None


def _xlsx_rows(data: bytes, errors: list[RowError]) -> Iterator[list[str]]:
    """The first sheet's rows as text. A formula saved without its value (openpyxl and some converters write
    them so) would read as an empty cell: each one is an error in `errors`, naming the cell."""
    workbook = _open_workbook(data, data_only=True)
    formulas = _open_workbook(data, data_only=False) if _has_formulas(data) else None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        formula_rows = formulas.worksheets[0].iter_rows(values_only=True) if formulas else ()
        for row_number, (values, written) in enumerate(itertools.zip_longest(rows, formula_rows), start=1):
            values = values or ()
            for column, (value, text) in enumerate(itertools.zip_longest(values, written or ()), start=1):
                if value is None and text is not None:
                    errors.append(RowError(row_number, get_column_letter(column),
                                           f"the formula {str(getattr(text, 'text', text))[:80]} has no saved "
                                           f"value: recalculate and save the file in a spreadsheet program, or "
                                           f"paste the values instead of the formula"))
            yield [cell_text(value) for value in values]
    finally:
        workbook.close()
        if formulas:
            formulas.close()


def _table(records, *, scan: bool = False, errors: list[RowError] | None = None) -> Table:
    """The table of `records` (lists of cells, the header first); `scan`: check every cell for control
    characters, each one found being a row error of its own; `errors`: those the reader finds as it goes."""
    records = iter(records)
    header = next(records, None)
    errors = errors if errors is not None else []
    if not header or not any(cell.strip() for cell in header):
        raise ImportRejected(errors or [RowError(HEADER_ROW, "", "the file is empty: the first row must hold the "
                                                                "column names")])
    columns: list[str] = []
    positions: list[tuple[int, str]] = []
    for index, raw in enumerate(header):
        name = normalize_header(raw)
        if not name:
            continue
        if name in columns:
            errors.append(RowError(HEADER_ROW, name, "this column appears twice"))
            continue
        columns.append(name)
        positions.append((index, name))
    named = {index for index, _ in positions} | {index for index, raw in enumerate(header) if normalize_header(raw)}
    table = Table(columns=columns)
    for row_number, record in enumerate(records, start=HEADER_ROW + 1):
        cells = [cell.strip() if isinstance(cell, str) else cell_text(cell) for cell in record]
        if not any(cells):
            continue
        for index, cell in enumerate(cells):
            if cell and index not in named:
                errors.append(RowError(row_number, get_column_letter(index + 1),
                                       "a value in a column that has no name in row 1"))
        values = {name: cells[index] if index < len(cells) else "" for index, name in positions}
        if scan:
            errors += [RowError(row_number, name, message) for name, value in values.items()
                       if (message := unsafe_character_message(value))]
        table.rows.append((row_number, values))
    if errors:
        raise ImportRejected(errors)
    return table
