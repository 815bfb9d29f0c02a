"""Download the case list (same search and filters as the list page) as CSV or XLSX, and import people from a
spreadsheet in the browser (the same all-or-nothing importer as `haven import people`)."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from haven.cases import selectors as case_selectors
from haven.cases.access import access_profile, not_found, writable_organizations
from haven.transfer.errors import ImportRejected
from haven.transfer.export import FORMATS, export_cases
from haven.transfer.forms import PeopleImportForm
from haven.transfer.readers import read_table
from haven.transfer.services import PEOPLE_COLUMNS, REQUIRED_COLUMNS, import_people
from haven.cases.forms import CaseFilterForm


@login_required
@require_GET
def case_export(request):
    if access_profile(request.user).is_analyst_only:
        raise not_found()
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        return HttpResponseBadRequest(_("Choose the CSV or XLSX format."), content_type="text/plain; charset=utf-8")
    organizations, groups = case_selectors.case_filter_options(request.user)
    values = CaseFilterForm(request.GET, organizations=organizations, sponsor_groups=groups).values()
    sort = request.GET.get("sort", "")
    if sort not in case_selectors.CASE_ORDERINGS:
        sort = case_selectors.DEFAULT_CASE_ORDERING
    cases = case_selectors.case_list(user=request.user, query=values.get("q", ""), filters=values, ordering=sort)
    content, content_type, filename = export_cases(user=request.user, cases=cases, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Cache-Control"] = "no-store"
    return response


ERRORS_SHOWN = 200


@login_required
@require_http_methods(["GET", "POST"])
def people_import(request):
    """Staff import people into one of their organizations; a file with any bad row writes nothing and the page
    lists every error by row and column."""
    organizations = list(writable_organizations(request.user).order_by("name"))
    if not organizations:
        raise Http404("No such page.")
    form = PeopleImportForm(request.POST or None, request.FILES or None, organizations=organizations)
    result, errors, status = None, [], 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload.read())
            result = import_people(actor=request.user, organization=form.cleaned_data["organization"],
                                   rows=table.rows, columns=table.columns, dry_run=form.cleaned_data["check_only"],
                                   source=f"web import: {upload.name}")
        except ImportRejected as rejected:
            errors, status = rejected.errors, 400
    elif request.method == "POST":
        status = 400
    return render(request, "transfer/people_import.html", {
        "form": form, "result": result, "errors": errors[:ERRORS_SHOWN],
        "more_errors": max(len(errors) - ERRORS_SHOWN, 0), "error_count": len(errors),
        "columns": [(column, column in REQUIRED_COLUMNS) for column in PEOPLE_COLUMNS],
    }, status=status)


@login_required
@require_GET
def people_import_template(request):
    """A blank template: the header row of every column the importer reads (docs/import-people.md)."""
    if not access_profile(request.user).staff_org_ids:
        raise Http404("No such page.")
    response = HttpResponse("\ufeff" + ",".join(PEOPLE_COLUMNS) + "\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, "haven-people-template.csv")
    return response
