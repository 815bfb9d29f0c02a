"""Download the case list (same search and filters as the list page) as CSV or XLSX."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from haven.cases import selectors as case_selectors
from haven.cases.access import access_profile
from haven.transfer.export import FORMATS, export_cases
from haven.web.forms import CaseFilterForm


@login_required
@require_GET
def case_export(request):
    if access_profile(request.user).is_analyst_only:
        raise Http404("No such record.")
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
