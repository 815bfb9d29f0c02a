"""Property tests over every parser of outside input (issue 14): whatever they are given, the import readers
(CSV and XLSX), birth dates with their precision, names in any script and the people and claims row validators
answer with a value or their own clear refusal (ImportRejected, BadDate), never a crash; and what they accept
reads back as written."""
from __future__ import annotations

import csv
import datetime as dt
import io
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from openpyxl import Workbook

from haven.claims.import_validation import COLUMNS as CLAIM_COLUMNS
from haven.claims.import_validation import validate_claims
from haven.matching.dates import BadDate, parse_birth_date
from haven.people.derived import normalize_birth_date
from haven.people.models import DatePrecision
from haven.people.search import normalize
from haven.records.text import UNSAFE_CHARACTER
from haven.testing.personas import build_personas
from haven.transfer.errors import ImportRejected
from haven.transfer.readers import read_table
from haven.transfer.people_rows import validate_people
from haven.transfer.services import PEOPLE_COLUMNS

BOUNDED = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Text in any script: letters, marks, digits, punctuation, symbols, spaces, surrogates and control characters aside.
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
# What a cell of a CSV or XLSX file can hold once read: no control characters, no surrounding spaces.
CELL_TEXT = ANY_TEXT.map(lambda text: UNSAFE_CHARACTER.sub("", text).strip())
HEADER = st.lists(st.text(string.ascii_lowercase, min_size=1, max_size=8), min_size=1, max_size=5, unique=True)


def csv_bytes(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode()


def xlsx_bytes(rows: list[list], *, text: bool = False) -> bytes:
    """The rows as an XLSX file. openpyxl stores a string starting with "=" as a formula; `text` keeps every string
    a string, as a spreadsheet program does for text typed into a cell formatted as text."""
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
        if text:
            for cell in workbook.active[workbook.active.max_row]:
                if isinstance(cell.value, str):
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def tables(draw):
    header = draw(HEADER)
    rows = draw(st.lists(st.lists(CELL_TEXT, min_size=len(header), max_size=len(header)), max_size=6))
    return header, rows


def expected_rows(header, rows):
    """(row number, values) of the rows that are not wholly empty, numbered as in the spreadsheet."""
    return [(number, dict(zip(header, row))) for number, row in enumerate(rows, start=2) if any(row)]


@BOUNDED
@given(st.binary(max_size=400))
def test_any_bytes_are_a_table_or_a_clear_refusal(data):
    try:
        table = read_table(data)
    except ImportRejected as refused:
        assert refused.errors and all(error.message for error in refused.errors)
    else:
        assert all(isinstance(value, str) for _number, row in table.rows for value in row.values())


@BOUNDED
@given(tables())
def test_csv_text_in_any_script_reads_back_as_written(table):
    header, rows = table
    assert read_table(csv_bytes(header, rows)).rows == expected_rows(header, rows)


@BOUNDED
@given(tables())
def test_xlsx_text_in_any_script_reads_back_as_written(table):
    header, rows = table
    assert read_table(xlsx_bytes([header, *[[cell or None for cell in row] for row in rows]], text=True)).rows == \
        expected_rows(header, rows)


XLSX_CELL = st.one_of(st.none(), CELL_TEXT, st.integers(-10**12, 10**12), st.floats(allow_nan=False, width=32),
                      st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)), st.booleans(),
                      st.sampled_from(["=1+1", "=SUM(A1:A2)", '=UPPER("명철")']))


@BOUNDED
@given(st.lists(st.lists(XLSX_CELL, min_size=1, max_size=4), min_size=1, max_size=5))
def test_any_xlsx_cells_are_a_table_or_a_refusal_naming_the_cell(rows):
    try:
        table = read_table(xlsx_bytes(rows))
    except ImportRejected as refused:
        assert all(error.row >= 1 for error in refused.errors)
    else:
        assert all(isinstance(value, str) for _number, row in table.rows for value in row.values())


@BOUNDED
@given(ANY_TEXT)
def test_a_birth_date_in_any_text_is_a_date_or_bad_date(text):
    try:
        value = parse_birth_date(text)
    except BadDate as refused:
        assert str(refused)
    else:
        assert value is None or isinstance(value, dt.date)


@BOUNDED
@given(st.dates(dt.date(1000, 1, 1), dt.date(9999, 12, 31)), st.sampled_from(list(DatePrecision.values)))
def test_dates_read_back_and_precision_keeps_only_what_is_known(day, precision):
    assert parse_birth_date(day.isoformat()) == day
    assert parse_birth_date(f"{day.year:04d}") == dt.date(day.year, 1, 1)
    kept = normalize_birth_date(day, precision)
    assert kept == normalize_birth_date(kept, precision)  # idempotent
    if kept is not None:
        assert kept.year == day.year and kept <= day


@BOUNDED
@given(ANY_TEXT, ANY_TEXT)
def test_names_in_any_script_have_a_search_key(family, given_name):
    key = normalize(family + given_name)
    assert all(character.isalnum() for character in key)
    assert normalize(family.upper()) == normalize(family.lower()) or not family.isascii()


class RowValidatorProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_personas(cls)

    @BOUNDED
    @given(st.lists(st.fixed_dictionaries({column: CELL_TEXT for column in PEOPLE_COLUMNS}), min_size=1,
                    max_size=3))
    def test_people_rows_of_any_text_are_parsed_or_refused_by_row_and_column(self, rows):
        try:
            households = validate_people(organization=self.org, rows=list(enumerate(rows, start=2)),
                                         columns=list(PEOPLE_COLUMNS))
        except ImportRejected as refused:
            assert all(error.row >= 2 and error.message for error in refused.errors)
        else:
            assert sum(len(household.members) for household in households) == len(rows)

    @BOUNDED
    @given(st.lists(st.fixed_dictionaries({column: CELL_TEXT for column in CLAIM_COLUMNS}), min_size=1,
                    max_size=3))
    def test_claim_rows_of_any_text_are_parsed_or_refused_by_row_and_column(self, rows):
        try:
            parsed = validate_claims(organization=self.org, rows=list(enumerate(rows, start=2)),
                                     columns=list(CLAIM_COLUMNS))
        except ImportRejected as refused:
            assert all(error.row >= 2 and error.message for error in refused.errors)
        else:
            assert len(parsed) == len(rows)
