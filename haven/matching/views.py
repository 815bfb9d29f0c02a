"""Duplicate review: queue, side-by-side page, decisions. Staff of the organization only; others get 404."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.audit.models import Action
from haven.audit.services import record, record_views
from haven.cases.access import access_profile
from haven.matching import selectors, services
from haven.people.codes import country_name
from haven.people.display import birth_date_text

# Field and its label (the person form's labels, so their translations are shared).
SIDE_BY_SIDE = (("family_name", _lazy("Family name")), ("given_name", _lazy("Given name")),
                ("family_name_hangul", _lazy("Family name (Hangul)")),
                ("given_name_hangul", _lazy("Given name (Hangul)")), ("sex", _lazy("Sex")),
                ("birth_date", _lazy("Date of birth")), ("birth_place", _lazy("Place of birth")),
                ("birth_country", _lazy("Country of birth")))


MOVED_LABELS = {"names": _lazy("Other spellings of the name"), "nationalities": _lazy("Nationalities"),
                "languages": _lazy("Languages"), "vulnerabilities": _lazy("Vulnerabilities"),
                "documents": _lazy("Identity documents")}


def _staff_only(user) -> None:
    if not access_profile(user).staff_org_ids:
        raise Http404("No such page.")


@login_required
@require_GET
def queue(request):
    _staff_only(request.user)
    candidates = list(selectors.review_queue(user=request.user))
    record(actor=request.user, action=Action.LIST, summary="duplicate review queue",
           changes={"person_ids": sorted({c.person_a_id for c in candidates} | {c.person_b_id for c in candidates})})
    orgs = selectors.review_organizations(request.user).order_by("name")
    return render(request, "matching/queue.html", {"candidates": candidates, "organizations": orgs})


@login_required
@require_GET
def candidate(request, pk):
    item = selectors.get_candidate_for_user(request.user, pk)
    record_views(actor=request.user, objects=[(item.person_a, None), (item.person_b, None)])
    rows = [(label, _shown(item.person_a, field), _shown(item.person_b, field)) for field, label in SIDE_BY_SIDE]
    return render(request, "matching/candidate.html", {"candidate": item, "rows": rows})


def _shown(person, field: str) -> str:
    """A field as the person page shows it: the sex and the country by name, the birth date as precise as it is
    known (a 1 January date that stands for "year only" weighs differently in a match)."""
    if field == "sex":
        return person.get_sex_display() if person.sex else ""
    if field == "birth_country":
        return country_name(person.birth_country) if person.birth_country else ""
    if field == "birth_date":
        return birth_date_text(person.birth_date, person.birth_date_precision)
    return getattr(person, field)


@login_required
@require_POST
def run(request):
    organization = selectors.get_review_organization_for_user(request.user, request.POST.get("organization"))
    created = services.run_batch(actor=request.user, organization=organization)
    messages.success(request, _("%(count)d new likely duplicates queued.") % {"count": len(created)})
    return redirect("matching:queue")


@login_required
@require_POST
def not_same(request, pk):
    item = selectors.get_candidate_for_user(request.user, pk)
    services.mark_not_same(actor=request.user, candidate=item)
    messages.success(request, _("Recorded: not the same person. They will not be suggested again."))
    return redirect("matching:queue")


@login_required
@require_http_methods(["GET", "POST"])
def merge(request, pk):
    """GET: what the merge will do (the confirmation page, `?keep=a` or `b`); POST: merge."""
    item = selectors.get_candidate_for_user(request.user, pk)
    keep = request.POST.get("keep") if request.method == "POST" else request.GET.get("keep")
    if keep not in ("a", "b"):
        raise Http404("No such choice.")
    kept, absorbed = (item.person_a, item.person_b) if keep == "a" else (item.person_b, item.person_a)
    if request.method == "GET":
        record_views(actor=request.user, objects=[(kept, None), (absorbed, None)])
        moved, left = selectors.moving_rows(kept=kept, absorbed=absorbed)
        return render(request, "matching/confirm_merge.html", {
            "candidate": item, "keep": keep, "kept": kept, "absorbed": absorbed,
            "moved": [(MOVED_LABELS[key], len(rows)) for key, rows in moved.items() if rows],
            "left": [(MOVED_LABELS[key], len(rows)) for key, rows in left.items() if rows],
            "names": selectors.names_of(absorbed)})
    try:
        done = services.merge_persons(actor=request.user, kept=kept, absorbed=absorbed, candidate=item)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("matching:candidate", pk=item.pk)
    messages.success(request, _("Merged. Every name and record was kept; the merge can be undone."))
    return redirect("matching:merge_detail", pk=done.pk)


@login_required
@require_GET
def merge_detail(request, pk):
    done = selectors.get_merge_for_user(request.user, pk)
    record_views(actor=request.user, objects=[(done.kept, None), (done.absorbed, None)])
    return render(request, "matching/merge.html", {"merge": done})


@login_required
@require_POST
def unmerge(request, pk):
    done = selectors.get_merge_for_user(request.user, pk)
    try:
        services.unmerge(actor=request.user, merge=done)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The merge was undone."))
    return redirect("matching:merge_detail", pk=done.pk)
