"""Pages for tasks and appointments, "my work" and its calendar: thin, every record fetched through
haven.casework.selectors (404 for what the user may not see) and every change made by a service."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.audit.models import Action
from haven.audit.services import record
from haven.cases.access import get_case_for_user, not_found
from haven.cases.models import Case
from haven.casework import agenda, selectors, services
from haven.casework.feeds import render_work_calendar
from haven.casework.forms import AppointmentForm, OutcomeForm, TaskForm, WorkFilterForm, add_service_errors
from haven.claims import feeds as claim_feeds
from haven.records import EditConflict

# ------------------------------------------------------------------------------------------------- my work


@login_required
@require_GET
def my_work(request):
    form = WorkFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    today = timezone.localdate()
    # Each bucket lists its first few items; "show more" (?show=<bucket>) lists that bucket alone, at more length.
    shown = request.GET.get("show") if request.GET.get("show") in agenda.BUCKETS else None
    buckets = agenda.my_work(request.user, today=today, filters=filters, only=shown,
                             limit=agenda.EXPANDED_LIMIT if shown else agenda.DASHBOARD_LIMIT)
    done = [] if shown else agenda.recently_done(request.user, filters=filters)
    _audit_list(request.user, "my work", [item for bucket in buckets for item in bucket.items] + done)
    query = request.GET.copy()
    query.pop("show", None)
    return render(request, "casework/my_work.html", {
        "form": form, "buckets": buckets, "done": done, "today": today, "shown": shown,
        "query": query.urlencode(), "kind_labels": _kind_labels()})


@login_required
@require_GET
def calendar(request):
    form = WorkFilterForm(request.GET or None, user=request.user)
    today = timezone.localdate()
    first, last = agenda.month_bounds(request.GET.get("month"), today)
    items = agenda.month_items(request.user, today=today, first=first, last=last, filters=form.filters())
    _audit_list(request.user, "work calendar", items)
    previous = (first - dt.timedelta(days=1)).strftime("%Y-%m")
    following = (last + dt.timedelta(days=1)).strftime("%Y-%m")
    return render(request, "casework/calendar.html", {
        "form": form, "weeks": agenda.month_grid(first, last, items), "month": first, "today": today,
        "previous": previous, "following": following, "query": _query_without_month(request)})


def _query_without_month(request) -> str:
    query = request.GET.copy()
    query.pop("month", None)
    return query.urlencode()


def _kind_labels() -> dict:
    return {value: str(label) for value, label in Case.Kind.choices}


def _audit_list(user, summary: str, items) -> None:
    record(actor=user, action=Action.LIST, summary=summary,
           changes={kind: sorted({item.pk for item in items if item.kind == kind})
                    for kind in ("task", "appointment", "deadline")})


# ------------------------------------------------------------------------------------------------- feed

@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request):
    token = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            claim_feeds.revoke_feed(actor=request.user)
            messages.success(request, _("Your calendar feed is revoked; its address no longer works."))
            return redirect("casework:feed_settings")
        token = claim_feeds.create_feed(actor=request.user)
    feed_url = request.build_absolute_uri(reverse("casework:feed", kwargs={"token": token})) if token else ""
    return render(request, "casework/feed.html", {"feed": claim_feeds.feed_of(request.user), "feed_url": feed_url})


@require_GET
def feed(request, token):
    user = claim_feeds.user_for_token(token)
    if user is None:
        raise not_found()
    response = HttpResponse(render_work_calendar(user, today=timezone.localdate()),
                            content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    return response


# ------------------------------------------------------------------------------------------------- a case's work

@login_required
@require_GET
def case_work(request, case_pk):
    case, perms = get_case_for_user(request.user, case_pk)
    tasks, appointments = selectors.case_work(request.user, case)
    record(actor=request.user, action=Action.LIST, obj=case, case_id=case.pk, summary="case work",
           changes={"task": [t.pk for t in tasks], "appointment": [a.pk for a in appointments]})
    return render(request, "casework/case_work.html", {
        "case": case, "perms": perms, "tasks": tasks, "appointments": appointments})


def _save(request, form, action, **arguments):
    """Run a service with the form's arguments; its ValidationError goes on the form. The saved record, or None."""
    try:
        return action(actor=request.user, **arguments, **form.service_arguments())
    except ValidationError as error:
        add_service_errors(form, error)
    except EditConflict as conflict:
        form.add_error(None, _("Someone else changed this record after you opened it. Your changes were not "
                               "saved: here it is as it is now; apply your changes again."))
        form.data = form.data.copy()
        form.data["version"] = conflict.current.version
    return None


@login_required
@require_http_methods(["GET", "POST"])
def task_create(request, case_pk):
    case = selectors.get_writable_case(request.user, case_pk)
    form = TaskForm(request.POST or None, case=case, initial={"assignee": request.user.pk})
    if request.method == "POST" and form.is_valid():
        task = _save(request, form, services.create_task, case=case)
        if task is not None:
            messages.success(request, _("Task added."))
            return redirect("casework:case_work", case_pk=case.pk)
    return render(request, "casework/form.html", {"form": form, "case": case, "title": _("New task")})


@login_required
@require_http_methods(["GET", "POST"])
def appointment_create(request, case_pk):
    case = selectors.get_writable_case(request.user, case_pk)
    form = AppointmentForm(request.POST or None, case=case, initial={"attendees": [request.user.pk]})
    if request.method == "POST" and form.is_valid():
        appointment = _save(request, form, services.create_appointment, case=case)
        if appointment is not None:
            messages.success(request, _("Appointment added."))
            return redirect("casework:case_work", case_pk=case.pk)
    return render(request, "casework/form.html", {"form": form, "case": case, "title": _("New appointment")})


# ------------------------------------------------------------------------------------------------- tasks

@login_required
@require_GET
def task_detail(request, pk):
    task, perms = selectors.get_task_for_user(request.user, pk)
    record(actor=request.user, action=Action.VIEW, obj=task, case_id=task.case_id)
    return render(request, "casework/task_detail.html", {"task": task, "perms": perms,
                                                         "outcome_form": OutcomeForm()})


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request, pk):
    task, _perms = selectors.get_task_for_user(request.user, pk, edit=True)
    initial = {"title": task.title, "assignee": task.assignee_id, "due_on": task.due_on,
               "priority": task.priority, "version": task.version}
    form = TaskForm(request.POST or None, case=task.case, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _save(request, form, services.update_task, task=task,
                 expected_version=form.cleaned_data["version"]) is not None:
            messages.success(request, _("Task saved."))
            return redirect("casework:task_detail", pk=task.pk)
    return render(request, "casework/form.html", {"form": form, "case": task.case, "title": _("Change the task")})


def _task_transition(request, pk, action, done_message, *, complete=False, with_outcome=False):
    task, _perms = selectors.get_task_for_user(request.user, pk, edit=not complete, complete=complete)
    form = OutcomeForm(request.POST)
    arguments = {"outcome": form.cleaned_data["outcome"]} if with_outcome and form.is_valid() else {}
    try:
        action(actor=request.user, task=task, **arguments)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done_message)
    return redirect("casework:task_detail", pk=task.pk)


@login_required
@require_POST
def task_complete(request, pk):
    return _task_transition(request, pk, services.complete_task, _("Task marked as done."), complete=True,
                            with_outcome=True)


@login_required
@require_POST
def task_start(request, pk):
    return _task_transition(request, pk, services.start_task, _("Task marked as in progress."))


@login_required
@require_POST
def task_reopen(request, pk):
    return _task_transition(request, pk, services.reopen_task, _("Task reopened."))


@login_required
@require_POST
def task_cancel(request, pk):
    return _task_transition(request, pk, services.cancel_task, _("Task cancelled."), with_outcome=True)


@login_required
@require_POST
def task_delete(request, pk):
    task, _perms = selectors.get_task_for_user(request.user, pk, edit=True)
    services.delete_task(actor=request.user, task=task)
    messages.success(request, _("Task deleted."))
    return redirect("casework:case_work", case_pk=task.case_id)


# ------------------------------------------------------------------------------------------------- appointments

@login_required
@require_GET
def appointment_detail(request, pk):
    appointment, perms = selectors.get_appointment_for_user(request.user, pk)
    record(actor=request.user, action=Action.VIEW, obj=appointment, case_id=appointment.case_id)
    return render(request, "casework/appointment_detail.html", {
        "appointment": appointment, "perms": perms, "attendees": list(appointment.attendees.all()),
        "household_members": list(appointment.household_members.all()) if perms.case.can_write else []})


@login_required
@require_http_methods(["GET", "POST"])
def appointment_edit(request, pk):
    appointment, _perms = selectors.get_appointment_for_user(request.user, pk, edit=True)
    initial = {"title": appointment.title, "place": appointment.place, "link": appointment.link,
               "starts_at": timezone.localtime(appointment.starts_at),
               "ends_at": timezone.localtime(appointment.ends_at),
               "attendees": list(appointment.attendees.values_list("pk", flat=True)),
               "household_members": list(appointment.household_members.values_list("pk", flat=True)),
               "interpreter_language": appointment.interpreter_language, "version": appointment.version}
    form = AppointmentForm(request.POST or None, case=appointment.case, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _save(request, form, services.update_appointment, appointment=appointment,
                 expected_version=form.cleaned_data["version"]) is not None:
            messages.success(request, _("Appointment saved."))
            return redirect("casework:appointment_detail", pk=appointment.pk)
    return render(request, "casework/form.html", {"form": form, "case": appointment.case,
                                                  "title": _("Change the appointment")})


@login_required
@require_POST
def appointment_cancel(request, pk):
    appointment, _perms = selectors.get_appointment_for_user(request.user, pk, edit=True)
    try:
        services.cancel_appointment(actor=request.user, appointment=appointment)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Appointment cancelled."))
    return redirect("casework:appointment_detail", pk=appointment.pk)


@login_required
@require_POST
def appointment_delete(request, pk):
    appointment, _perms = selectors.get_appointment_for_user(request.user, pk, edit=True)
    services.delete_appointment(actor=request.user, appointment=appointment)
    messages.success(request, _("Appointment deleted."))
    return redirect("casework:case_work", case_pk=appointment.case_id)

