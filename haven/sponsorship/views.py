"""Sponsorship pages: the organization's pipeline, an application (stages, history, eligibility, budget and
schedule), recording and correcting steps (HTMX form), the priority flag and the eligibility questionnaire.

Thin: applications come through haven.sponsorship.selectors (404 for anyone not allowed, exactly as for a missing
record), writes go through the services, every page showing records audits it. Plans: plan_views.py."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.accounts.models import Team
from haven.audit.models import Action
from haven.audit.services import record, record_views
from haven.cases.access import access_profile, get_case_for_user
from haven.sponsorship import eligibility, plans, selectors, services, stages
from haven.sponsorship.forms import (
    ApplicationForm,
    CorrectionForm,
    EligibilityForm,
    PriorityForm,
    RemovalForm,
    StepForm,
    add_service_errors,
)
from haven.sponsorship.models import StageEvent

QUEUE_SIZE = 100


@login_required
@require_GET
def pipeline(request):
    """Staff and volunteers: the queue they may see, by stage with ages, priority first. Analysts: the figures."""
    today = timezone.localdate()
    profile = access_profile(request.user)
    scope = selectors.aggregate_scope(request.user)
    queue = [] if profile.is_analyst_only else list(selectors.pipeline_queue(request.user)[:QUEUE_SIZE])
    stage_labels = dict(stages.Stage.choices)
    rows = [{"application": app, "stage_label": stage_labels[app.stage], "stage_days": (today - app.stage_since).days,
             "total_days": stages.total_days(app.started_on, app.arrived_on, today)} for app in queue]
    if queue:
        record(actor=request.user, action=Action.LIST, summary="sponsorship pipeline",
               changes={"application_ids": [app.pk for app in queue]})
    points = selectors.arrivals_against_target(scope, today)
    return render(request, "sponsorship/pipeline.html", {
        "rows": rows, "counts": selectors.stage_counts(scope), "durations": selectors.durations(scope, today),
        "comparison": selectors.published_comparison(), "chart": _chart(points),
        "arrived": points[-1][1] if points else 0, "target": selectors.PILOT_TARGET_FAMILIES,
        "ending": [] if profile.is_analyst_only else selectors.support_ending(request.user, today),
        "is_analyst_only": profile.is_analyst_only})


def _chart(points) -> dict:
    """SVG coordinates of the cumulative arrivals and of the pilot's target line (0 to 5 over 24 months)."""
    width, height, top = 480, 160, max(selectors.PILOT_TARGET_FAMILIES, *(p[1] for p in points)) if points else 5
    step = width / max(len(points) - 1, 1)

    def line(values):
        return " ".join(f"{index * step:.1f},{height - value / top * height:.1f}"
                        for index, value in enumerate(values))
    return {"width": width, "height": height, "arrivals": line([p[1] for p in points]),
            "target": line([p[2] for p in points]),
            "first": points[0][0] if points else None, "last": points[-1][0] if points else None}


@login_required
@require_GET
def case_application(request, case_pk):
    """From a case page: its application, or the form that starts one (for the organization's staff)."""
    case, _perms = get_case_for_user(request.user, case_pk)
    application = selectors.visible_applications(request.user).filter(case=case).first()
    if application is not None:
        return redirect("sponsorship:application_detail", pk=application.pk)
    if case.organization_id not in access_profile(request.user).staff_org_ids:
        raise Http404("No such record.")
    return redirect("sponsorship:application_create", case_pk=case.pk)


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request, case_pk):
    case, _perms = get_case_for_user(request.user, case_pk, write=True)
    if case.organization_id not in access_profile(request.user).staff_org_ids:
        raise Http404("No such record.")
    groups = Team.objects.filter(organization_id=case.organization_id, kind=Team.Kind.SPONSOR_GROUP)
    form = ApplicationForm(request.POST or None, sponsor_groups=groups,
                           initial={"sponsor_group": case.sponsor_group_id, "started_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.create_application(
                actor=request.user, case=case, sponsor_group=data["sponsor_group"], program=data["program"],
                transit_country=data["transit_country"], started_on=data["started_on"],
                recognition_proof=data["recognition_proof"], priority=data["priority"],
                priority_reason=data["priority_reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Sponsorship application started."))
            return redirect("sponsorship:application_detail", pk=application.pk)
    return render(request, "sponsorship/application_form.html", {"case": case, "form": form})


@login_required
@require_GET
def application_detail(request, pk):
    application, access = selectors.get_application_for_user(request.user, pk)
    today = timezone.localdate()
    periods, rows, total = selectors.application_timeline(application, today)
    plan = selectors.plan_of(application)
    record_views(actor=request.user, objects=[(application, application.case_id)])
    context = {"application": application, "access": access, "periods": periods, "rows": rows, "total": total,
               "today": today, "plan": plan, "budget": plans.plan_budget(plan) if plan else None,
               "support_month": selectors.support_month(plan, today) if plan else None,
               "period_end": selectors.period_end(plan) if plan and plan.support_starts_on else None,
               "state": stages.replay(rows, today=today) if rows else None}
    if access.perms.see_confidential:  # eligibility (admissibility flags) is not for volunteers
        answers = selectors.current_answers(application.case)
        context["eligibility"] = eligibility.summarize({key: a.answer for key, a in answers.items()})
        context["durable_labels"] = eligibility.DURABLE_LABELS
    return render(request, "sponsorship/application_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def step_add(request, pk):
    application, _access = selectors.get_application_for_user(request.user, pk, write=True)
    state = stages.replay(application.events.all(), today=timezone.localdate())
    form = StepForm(request.POST or None, allowed=stages.next_stages(state),
                    initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_step(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Step recorded."))
            return redirect("sponsorship:application_detail", pk=application.pk)
    template = "sponsorship/_step_form.html" if request.htmx else "sponsorship/step_form.html"
    return render(request, template, {"application": application, "form": form,
                                      "finished": not stages.next_stages(state)},
                  status=400 if request.method == "POST" else 200)


def _event_for_write(user, pk) -> StageEvent:
    event = get_object_or_404(StageEvent.objects.select_related("application", "corrects"), pk=pk)
    selectors.get_application_for_user(user, event.application_id, write=True)
    return event


@login_required
@require_http_methods(["GET", "POST"])
def step_correct(request, pk):
    event = _event_for_write(request.user, pk)
    form = CorrectionForm(request.POST or None, initial={
        "occurred_on": event.occurred_on, "federal_file_number": event.federal_file_number,
        "decision": event.decision, "reasons": event.reasons})
    if request.method == "POST" and form.is_valid():
        try:
            services.correct_step(actor=request.user, event=event, occurred_on=form.cleaned_data["occurred_on"],
                                  reason=form.cleaned_data["correction_reason"],
                                  federal_file_number=form.cleaned_data["federal_file_number"],
                                  decision=form.cleaned_data["decision"], reasons=form.cleaned_data["reasons"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Step corrected; the earlier version stays in the history."))
            return redirect("sponsorship:application_detail", pk=event.application_id)
    return render(request, "sponsorship/step_correct.html", {"event": event, "form": form, "removal": False})


@login_required
@require_http_methods(["GET", "POST"])
def step_remove(request, pk):
    event = _event_for_write(request.user, pk)
    form = RemovalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.remove_step(actor=request.user, event=event, reason=form.cleaned_data["correction_reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Step removed; it stays in the history."))
            return redirect("sponsorship:application_detail", pk=event.application_id)
    return render(request, "sponsorship/step_correct.html", {"event": event, "form": form, "removal": True})


@login_required
@require_POST
def priority(request, pk):
    application, _access = selectors.get_application_for_user(request.user, pk, write=True)
    form = PriorityForm(request.POST)
    if form.is_valid():
        try:
            services.set_priority(actor=request.user, application=application, priority=form.cleaned_data["priority"],
                                  reason=form.cleaned_data["priority_reason"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Priority saved."))
    return redirect("sponsorship:application_detail", pk=application.pk)


@login_required
@require_http_methods(["GET", "POST"])
def eligibility_form(request, pk):
    """The guided questionnaire (staff of the case; never volunteers: it holds admissibility flags)."""
    application, access = selectors.get_application_for_user(request.user, pk)
    if not access.perms.see_confidential:
        raise Http404("No such record.")
    answers = selectors.current_answers(application.case)
    current = {key: answer.answer for key, answer in answers.items()}
    form = EligibilityForm(request.POST or None, current=current)
    if request.method == "POST":
        if not access.can_write:
            raise Http404("No such record.")
        if form.is_valid():
            _save_answers(request.user, application, form.cleaned_data, current)
            messages.success(request, _("Answers saved."))
            return redirect("sponsorship:eligibility", pk=application.pk)
    record_views(actor=request.user, objects=[(application, application.case_id)])
    return render(request, "sponsorship/eligibility.html", {
        "application": application, "form": form, "access": access,
        "questions": [(q, form[q.key], form[f"{q.key}_note"], answers.get(q.key)) for q in eligibility.QUESTIONS],
        "summary": eligibility.summarize(current), "durable_labels": eligibility.DURABLE_LABELS,
        "history": selectors.answer_history(application.case), "labels": {q.key: q.text for q in eligibility.QUESTIONS}})


def _save_answers(user, application, data: dict, current: dict) -> None:
    for question in eligibility.QUESTIONS:
        answer, note = data[question.key], data[f"{question.key}_note"]
        if answer != current.get(question.key, "unknown") or note:
            services.answer_question(actor=user, case=application.case, question=question.key, answer=answer,
                                     note=note)
