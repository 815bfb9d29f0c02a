"""Statistics pages and downloads. Thin: scoping is in scopes.py, computing in figures/selectors."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from haven.audit.models import Action
from haven.audit.services import record
from haven.cases.access import visible_cases
from haven.stats import comparison, exports, scopes, selectors
from haven.stats.charts import table_chart
from haven.stats.figures import quality_rows
from haven.stats.registry import REGISTRY, Scope, build_table


def _scope_for(request, figure_group: str) -> Scope:
    published = request.GET.get("version") == "published"
    scope = scopes.stats_scope(request.user, published=published)
    if scope is None:
        if figure_group == "published" and scopes.is_member(request.user):
            return Scope(cases=None, published=True, label="")
        # 404, as for every page that is not the user's: no hint that Haven keeps figures they may not see.
        raise Http404("No such report.")
    return scope


def _present(request, figure_key: str, scope: Scope, rows=None) -> dict:
    figure = REGISTRY[figure_key]
    table = build_table(figure, scope, request.GET.dict(), rows=rows)
    query = {k: v for k, v in {**table.params, "version": "published" if scope.published else ""}.items() if v}
    downloads = [(fmt.upper(), reverse("stats_export", kwargs={"key": figure.key, "fmt": fmt})
                  + ("?" + urlencode(query) if query else "")) for fmt in exports.FORMATS]
    return {"table": table, "chart": table_chart(table), "downloads": downloads,
            "header": [str(c.label) for c in table.columns],
            "cells": exports.display_cells(table)}


def _context(request, scope: Scope, keys: tuple[str, ...], rows=None) -> dict:
    figure = REGISTRY[keys[0]]
    return {"scope": scope, "reports": [_present(request, key, scope, rows) for key in keys],
            "params": figure.clean_params(request.GET.dict()), "param_specs": figure.params,
            "can_see_internal": scopes.can_see_internal(request.user),
            "version": "published" if scope.published else "internal"}


@login_required
@require_GET
def outcomes(request):
    scope = _scope_for(request, "claims")
    return render(request, "stats/outcomes.html",
                  _context(request, scope, ("claim_outcomes", "claim_file_outcomes", "rad_outcomes",
                                                            "decision_times")))


@login_required
@require_GET
def published(request):
    scope = _scope_for(request, "published")
    context = _context(request, scope, ("published_comparison",))
    groups = comparison.published_groups()
    context["conflicts"] = [g for g in groups if g.in_conflict]
    context["has_haven"] = scope.cases is not None
    return render(request, "stats/published.html", context)


@login_required
@require_GET
def quality(request):
    scope = _scope_for(request, "quality")
    checks = []
    if not scope.published:
        checks = selectors.data_quality(selectors.claims_in(scope.cases))
        shown = {case_id for check in checks for case_id in check.case_ids}
        # Links only to records the user may open (one query for all of them).
        openable = set(visible_cases(request.user).filter(pk__in=shown).values_list("pk", flat=True))
        for check in checks:
            for item in check.items:
                item["openable"] = item["case_id"] in openable
        if shown:
            record(actor=request.user, action=Action.LIST, summary="data-quality report",
                   changes={"report": "data_quality", "case_ids": sorted(shown)})
    # Internal: the counts come from the checks already run; published: counts only, protected.
    context = _context(request, scope, ("data_quality",), rows=quality_rows(checks) if checks else None)
    context["checks"] = checks
    return render(request, "stats/quality.html", context)


@login_required
@require_GET
def export(request, key: str, fmt: str):
    figure = REGISTRY.get(key)
    if figure is None or fmt not in exports.FORMATS:
        raise Http404("No such report.")
    scope = _scope_for(request, figure.group)
    table = build_table(figure, scope, request.GET.dict())
    body = exports.render(table, fmt)
    record(actor=request.user, action=Action.EXPORT, summary=f"statistics {key}.{fmt}",
           changes={"report": key, "format": fmt, "params": table.params,
                    "version": "published" if scope.published else "internal"})
    response = HttpResponse(body, content_type=exports.FORMATS[fmt])
    suffix = "published" if scope.published else "internal"
    name = slugify(f"haven-{key}-{'-'.join(v for v in table.params.values() if v)}-{suffix}")
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
