"""Exporting the cases a user may see to CSV or XLSX.

The caller passes a queryset that already starts from
haven.cases.access.visible_cases (the case list's selector adds search and
filters); `export_cases` intersects it with visible_cases once more, so a
wider queryset can never leak. Exports hold no encrypted field: no contact
details, vulnerabilities, identity documents, notes or attachments, only
case facts and the members' names. Every export is audited with the case ids.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

from django.db.models import Prefetch, QuerySet
from openpyxl import Workbook

from haven.accounts.selectors import today_for_user
from haven.audit.models import Action
from haven.audit.services import record
from haven.cases.access import visible_cases
from haven.cases.models import Case
from haven.people.models import Person, Relationship
from haven.records.text import replace_unsafe_characters

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COLUMNS = ("reference", "title", "kind", "status", "organization", "sponsor_group", "opened_on", "closed_on",
           "household", "members")
MEMBER_SEPARATOR = "; "
# A cell starting with one of these is a formula to Excel and LibreOffice (CSV injection); such text gets a
# leading apostrophe, which spreadsheets show as plain text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NAME_FIELDS = ("id", "household_id", "relationship", "family_name", "given_name", "family_name_hangul",
               "given_name_hangul")


def safe_text(value: str) -> str:
    return "'" + value if value and value.startswith(FORMULA_START) else value


def _members(case: Case) -> str:
    people = sorted(case.household.members.all(), key=lambda p: (p.relationship != Relationship.PRINCIPAL, p.pk))
    return MEMBER_SEPARATOR.join(person.display_name for person in people)


def export_rows(cases: QuerySet[Case]) -> Iterator[list]:
    """One list per case, in COLUMNS order; dates stay dates, text is made formula-safe."""
    for case in cases:
        values = [case.reference, case.title, case.kind, case.status, case.organization.name,
                  case.sponsor_group.name if case.sponsor_group else "", case.opened_on, case.closed_on,
                  f"{case.household.reference} · {case.household.name}", _members(case)]
        yield [safe_text(value) if isinstance(value, str) else value for value in values]


def export_cases(*, user, cases: QuerySet[Case], fmt: str) -> tuple[bytes, str, str]:
    """Return (content, content type, file name) and log one `export` audit event listing the case ids."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format “{fmt}”; use one of {', '.join(FORMATS)}")
    members = Prefetch("household__members", queryset=Person.objects.only(*NAME_FIELDS).order_by())
    cases = (cases.filter(pk__in=visible_cases(user).values("pk"))
             .select_related("organization", "household", "sponsor_group").prefetch_related(members))
    rows = list(export_rows(cases))
    case_ids = [case.pk for case in cases]
    content = _csv(rows) if fmt == "csv" else _xlsx(rows)
    filename = f"haven-cases-{today_for_user(user).isoformat()}.{fmt}"  # the date where the user works
    record(actor=user, action=Action.EXPORT, summary=f"Exported {len(case_ids)} cases as {fmt.upper()}",
           changes={"format": fmt, "count": len(case_ids), "case_ids": case_ids})
    return content, FORMATS[fmt], filename


def _csv(rows: list[list]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if value is None else value.isoformat() if isinstance(value, dt.date) else value
                         for value in row])
    # With a byte-order mark, Excel reads the file as UTF-8 (Hangul and diacritics intact).
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(rows: list[list]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("cases")
    sheet.append(list(COLUMNS))
    for row in rows:
        # Text stored before control characters were refused would make openpyxl raise IllegalCharacterError
        # (XML cannot hold them) and the whole export fail: such characters show as U+FFFD instead.
        sheet.append([replace_unsafe_characters(value) if isinstance(value, str) else value for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
