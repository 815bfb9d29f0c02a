"""Claim pages: a case's claims, the claim (timeline, deadlines, legal issues), the add-step form (HTMX),
the pages that correct or remove a recorded step, the deadlines page across my cases and the private
iCalendar feed.

Views stay thin: claims come through their case's access rules
(haven.claims.selectors → haven.cases.access, 404 for anyone not allowed),
writes go through haven.claims.services, every page showing records audits it."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.accounts.selectors import today_for_user
from haven.audit.models import Action
from haven.audit.services import record, record_views
from haven.cases.access import access_profile, get_case_for_user, not_found, visible_attachments
from haven.claims import feeds, selectors, services
from haven.claims.eligibility import DOUBT as ELIGIBILITY_DOUBT
from haven.claims.eligibility import eligibility_concerns
from haven.claims.events import event_version
from haven.claims.forms import (
    ClaimForm,
    DeadlineFilterForm,
    EventCorrectionForm,
    EventForm,
    EventRemovalForm,
    EvidenceForm,
    IssueForm,
    MemberDecisionForm,
)
from haven.claims.models import EvidenceItem
from haven.forms import add_service_errors
from haven.records import EditConflict
from haven.records.dates import today_for

DEADLINES_PER_PAGE = 50


@login_required
@require_GET
def case_claims(request, case_pk):
    case, perms = get_case_for_user(request.user, case_pk)
    claims = list(selectors.claims_of_case(case))
    record_views(actor=request.user, objects=[(claim, case.pk) for claim in claims] or [(case, case.pk)])
    return render(request, "claims/case_claims.html", {"case": case, "perms": perms, "claims": claims})


@login_required
@require_http_methods(["GET", "POST"])
def claim_create(request, case_pk):
    case, perms = get_case_for_user(request.user, case_pk, write=True)
    form = ClaimForm(request.POST or None, people=case.household.members.order_by("pk"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.create_claim(
                actor=request.user, case=case, reference=data["reference"], claimant=data["claimant"],
                members=data["members"], country_of_persecution=data["country_of_persecution"],
                province=data["province"], referred_on=data["referred_on"],
                designated_foreign_national=data["designated_foreign_national"],
                stca_exception=data["stca_exception"], intake_route=data["intake_route"],
                entered_canada_on=data["entered_canada_on"], us_land_crossing=data["us_land_crossing"],
                claim_made_on=data["claim_made_on"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Claim %(ref)s recorded.") % {"ref": claim.reference})
            return redirect("claim_detail", pk=claim.pk)
    return render(request, "claims/claim_form.html", {"case": case, "form": form})


@login_required
@require_GET
def claim_detail(request, pk):
    claim, perms = selectors.get_claim_for_user(request.user, pk)
    record_views(actor=request.user, objects=[(claim, claim.case_id)])
    attachments = visible_attachments(request.user, claim.case, perms)
    today = today_for(claim.case.organization)
    deadlines = selectors.claim_deadline_rows(claim, today=today)
    return render(request, "claims/claim_detail.html", {
        "claim": claim, "case": claim.case, "perms": perms,
        "members": list(claim.members.order_by("pk")),
        # The claim's own deadlines in their table; each member's under their decision.
        "claimants": selectors.claimant_outcomes(claim, deadlines),
        "outcome_choices": MemberDecisionForm.base_fields["outcome"].choices,
        "events": selectors.timeline(claim),
        "deadlines": [row for row in deadlines if row.deadline.claimant_id is None],
        "eligibility_concerns": eligibility_concerns(claim), "eligibility_doubt": ELIGIBILITY_DOUBT,
        "issues": selectors.issues_with_evidence(claim, perms),
        "today": today,
        "event_form": EventForm() if perms.can_write else None,
        "issue_form": IssueForm() if perms.can_write else None,
        "evidence_attachments": list(attachments) if perms.can_write else [],
        "evidence_statuses": EvidenceItem.Status.choices,
    })


@login_required
@require_http_methods(["GET", "POST"])
def claim_event_add(request, pk):
    """Record a step. The form shows the fields of the step chosen: choosing another kind of step re-renders it
    (HTMX swaps it in place; without JavaScript, the "Show the fields of this step" button posts `choose_step`),
    keeping what was typed and saving nothing."""
    claim, perms = selectors.get_claim_for_user(request.user, pk, write=True)
    choose_url = reverse("claim_event_add", kwargs={"pk": claim.pk})
    members = selectors.joined_members(claim)
    if request.method == "GET" or "choose_step" in request.POST:
        data = request.GET if request.method == "GET" else request.POST
        form = EventForm(initial={name: value for name, value in data.items() if name != "csrfmiddlewaretoken"},
                         step_type=data.get("type", ""), choose_url=choose_url, members=members)
    else:
        form = EventForm(request.POST, choose_url=choose_url, members=members)
    if form.is_bound and form.is_valid():
        try:
            services.record_event(actor=request.user, claim=claim, **form.service_arguments())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Step recorded; deadlines recomputed."))
            url = reverse("claim_detail", kwargs={"pk": claim.pk})
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = url
                return response
            return redirect(url)
    template = "claims/_event_form.html" if request.htmx else "claims/event_form.html"
    return render(request, template, {"claim": claim, "form": form})


@login_required
@require_POST
def claim_issue_add(request, pk):
    claim, perms = selectors.get_claim_for_user(request.user, pk, write=True)
    form = IssueForm(request.POST)
    if form.is_valid():
        services.add_issue(actor=request.user, claim=claim, **form.cleaned_data)
        messages.success(request, _("Legal issue added with its evidence checklist."))
    else:
        messages.error(request, _("Choose a legal issue."))
    return redirect("claim_detail", pk=claim.pk)


@login_required
@require_POST
def evidence_update(request, pk):
    item, perms = selectors.get_evidence_item_for_user(request.user, pk, write=True)
    claim = item.issue.claim
    form = EvidenceForm(request.POST, attachments=visible_attachments(request.user, claim.case, perms))
    if form.is_valid():
        try:
            services.update_evidence_item(actor=request.user, item=item, status=form.cleaned_data["status"],
                                          attachments=form.cleaned_data["attachments"],
                                          expected_version=form.cleaned_data["version"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except EditConflict as conflict:
            _evidence_conflict(request, conflict.current, yours=form.cleaned_data)
        else:
            messages.success(request, _("Evidence updated."))
    else:
        messages.error(request, _("The evidence could not be updated: %(errors)s") % {
            "errors": "; ".join(e for errors in form.errors.values() for e in errors)})
    return redirect(reverse("claim_detail", kwargs={"pk": claim.pk}) + "#issues")


@login_required
@require_POST
def claimant_decision(request, pk):
    """Record a joined member's own decision, or make the member follow the claim's decision again."""
    claimant, perms = selectors.get_claimant_for_user(request.user, pk, write=True)
    url = reverse("claim_detail", kwargs={"pk": claimant.claim_id}) + "#claimants"
    form = MemberDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The decision could not be recorded: %(errors)s") % {
            "errors": "; ".join(e for errors in form.errors.values() for e in errors)})
        return redirect(url)
    data = form.cleaned_data
    try:
        if data["action"] == MemberDecisionForm.FOLLOW:
            services.follow_claim_decision(actor=request.user, claimant=claimant, expected_version=data["version"])
        else:
            services.record_member_decision(
                actor=request.user, claimant=claimant, outcome=data["outcome"], outcome_on=data["outcome_on"],
                reasons_received_on=data["reasons_received_on"], expected_version=data["version"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except EditConflict:
        messages.error(request, _("Someone else changed this person's decision after you opened the page; "
                                  "nothing was saved. Check the decision shown and try again."))
    else:
        messages.success(request, _("Decision recorded for %(name)s.") % {"name": claimant.person})
    return redirect(url)


def _evidence_conflict(request, current: EvidenceItem | None, *, yours: dict) -> None:
    """Someone changed the item after this writer's page was shown: nothing saved; the message names both versions
    and the claim page shows the current one, from which the change can be made again."""
    if current is None:  # removed meanwhile, as for a record that never existed
        raise not_found()
    messages.error(request, _("“%(item)s”: someone else changed this evidence after you opened the page. Your change "
                              "(%(yours)s) was not saved; it is now %(current)s.") % {
        "item": current.description, "yours": _evidence_label(yours["status"], yours["attachments"]),
        "current": _evidence_label(current.status, current.attachments.all())})


def _evidence_label(status: str, attachments) -> str:
    label = str(EvidenceItem.Status(status).label)
    names = ", ".join(attachment.filename for attachment in attachments)
    return f"{label} · {names}" if names else label


def _refuse_analysts(user) -> None:
    """Deadlines name claims and cases: an analyst (aggregates only) has no use for these pages; 404 as for any
    page that is not theirs."""
    if access_profile(user).is_analyst_only:
        raise not_found()


@login_required
@require_GET
def deadlines(request):
    _refuse_analysts(request.user)
    today = today_for_user(request.user)
    form = DeadlineFilterForm(request.GET)
    filters = form.filters()
    rows, page = selectors.deadlines_page(request.user, today=today, number=request.GET.get("page"),
                                          per_page=DEADLINES_PER_PAGE, **filters)
    record(actor=request.user, action=Action.LIST, summary="deadlines",
           changes={"claim_ids": sorted({row.claim_id for row in rows}), "page": page.number,
                    **{name: value for name, value in filters.items() if value}})
    return render(request, "claims/deadlines.html", {
        "page": page, "rows": selectors.linked_deadline_rows(rows), "form": form,
        "filtered": any(filters.values())})


@login_required
@require_http_methods(["GET", "POST"])
def calendar_settings(request):
    _refuse_analysts(request.user)
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            feeds.revoke_feed(actor=request.user)
            messages.success(request, _("Your calendar feed is revoked; its address no longer works."))
            return redirect("deadline_calendar")
        token = feeds.create_feed(actor=request.user)
    feed = feeds.feed_of(request.user)
    feed_url = request.build_absolute_uri(reverse("deadline_feed", kwargs={"token": token})) if token else ""
    return render(request, "claims/calendar.html", {"feed": feed, "feed_url": feed_url})


@require_GET
def calendar_feed(request, token):
    user = feeds.user_for_token(token)
    if user is None:
        raise not_found()
    body = feeds.render_calendar(user, today=today_for_user(user))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------ correcting and removing a recorded step

def _timeline_url(claim_pk: int) -> str:
    return reverse("claim_detail", kwargs={"pk": claim_pk}) + "#timeline"


@login_required
@require_http_methods(["GET", "POST"])
def claim_event_correct(request, pk):
    """Correct the date or details of a recorded step; the services replay the claim's steps and refuse a
    correction that would make any of them invalid, with the reason."""
    event, perms = selectors.get_event_for_user(request.user, pk, write=True)
    claim = event.claim
    form = EventCorrectionForm(request.POST or None, event=event,
                               initial={"version": event_version(event)})
    if request.method == "POST" and form.is_valid():
        if not form.changed_details():
            messages.info(request, _("Nothing was changed."))
            return redirect(_timeline_url(claim.pk))
        try:
            services.correct_event(actor=request.user, event=event, **form.service_arguments())
        except services.StepChanged as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("claim_event_correct", pk=event.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Step corrected; deadlines recomputed. The audit log keeps the old values."))
            return redirect(_timeline_url(claim.pk))
    if request.method == "GET":
        record_views(actor=request.user, objects=[(event, claim.case_id)])
    return render(request, "claims/event_correct.html", {"claim": claim, "event": event, "form": form,
                                                         "perms": perms})


@login_required
@require_http_methods(["GET", "POST"])
def claim_event_remove(request, pk):
    """Remove a step recorded by mistake, with a required reason; refused while a later step depends on it."""
    event, perms = selectors.get_event_for_user(request.user, pk, write=True)
    claim = event.claim
    form = EventRemovalForm(request.POST or None, initial={"version": event_version(event)})
    refusal = services.removal_refusal(event=event)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_event(actor=request.user, event=event, reason=form.cleaned_data["reason"],
                                  version=form.cleaned_data["version"])
        except services.StepChanged as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(_timeline_url(claim.pk) if not claim.events.filter(pk=event.pk).exists()
                            else reverse("claim_event_remove", kwargs={"pk": event.pk}))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Step removed; deadlines recomputed. The audit log keeps its details and "
                                        "your reason."))
            return redirect(_timeline_url(claim.pk))
    if request.method == "GET":
        record_views(actor=request.user, objects=[(event, claim.case_id)])
    return render(request, "claims/event_remove.html", {"claim": claim, "event": event, "form": form,
                                                        "refusal": refusal, "perms": perms})
