"""Settlement plan pages (the plan form, in-kind donations, an extension and its approval by a second user, the
PDF summary) and the sponsor groups' pages. Thin: access through haven.sponsorship.selectors, writes through
haven.sponsorship.plans and services."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.accounts.models import Team
from haven.audit.models import Action
from haven.audit.services import record, record_views
from haven.cases.access import not_found
from haven.forms import show_edit_conflict
from haven.records import EditConflict
from haven.sponsorship import pdf, plans, selectors, services
from haven.sponsorship.forms import (
    ExtensionForm,
    InKindForm,
    PlanForm,
    SponsorMemberForm,
    SponsorProfileForm,
    add_service_errors,
)
from haven.sponsorship.models import SponsorProfile


def _plan_or_404(application):
    plan = selectors.plan_of(application)
    if plan is None:
        raise not_found()
    return plan


def _flash_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request, pk):
    application, _access = selectors.get_application_for_user(request.user, pk, write=True)
    plan = selectors.plan_of(application)
    initial = ({"family_size": plan.family_size, "support_starts_on": plan.support_starts_on,
                "version": plan.version} if plan else
               {"family_size": application.case.household.members.count() or 1})
    form = PlanForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if plan is None:
                plans.create_plan(actor=request.user, application=application, family_size=data["family_size"],
                                  support_starts_on=data["support_starts_on"])
            else:
                plans.update_plan(actor=request.user, plan=plan, family_size=data["family_size"],
                                  support_starts_on=data["support_starts_on"], expected_version=data["version"])
        except ValidationError as error:
            add_service_errors(form, error)
        except EditConflict as conflict:
            show_edit_conflict(form, conflict.current, fields=("family_size", "support_starts_on"))
            status = 409
        else:
            messages.success(request, _("Settlement plan saved."))
            return redirect("sponsorship:application_detail", pk=application.pk)
    return render(request, "sponsorship/plan_form.html", {"application": application, "form": form, "plan": plan,
                                                          "in_kind_form": InKindForm(),
                                                          "extension_form": ExtensionForm()}, status=status)


@login_required
@require_POST
def in_kind_add(request, pk):
    application, _access = selectors.get_application_for_user(request.user, pk, write=True)
    plan = _plan_or_404(application)
    form = InKindForm(request.POST)
    if form.is_valid():
        try:
            plans.add_in_kind(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, _("In-kind donation recorded."))
    else:
        messages.error(request, _("Give what was given and its value."))
    return redirect("sponsorship:application_detail", pk=application.pk)


@login_required
@require_POST
def extension_request(request, pk):
    application, _access = selectors.get_application_for_user(request.user, pk, write=True)
    plan = _plan_or_404(application)
    form = ExtensionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([m for errors in form.errors.values() for m in errors])
        plans.request_extension(actor=request.user, plan=plan, **form.cleaned_data)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("Extension requested; another user must approve it."))
    return redirect("sponsorship:application_detail", pk=application.pk)


@login_required
@require_POST
def extension_approve(request, pk):
    application, _access = selectors.get_application_for_user(request.user, pk, write=True)
    plan = _plan_or_404(application)
    try:
        plans.approve_extension(actor=request.user, plan=plan)
    except ValidationError as error:
        _flash_errors(request, error)
    else:
        messages.success(request, _("Extension approved."))
    return redirect("sponsorship:application_detail", pk=application.pk)


@login_required
@require_GET
def plan_pdf(request, pk):
    application, _access = selectors.get_application_for_user(request.user, pk)
    plan = _plan_or_404(application)
    content = pdf.plan_pdf(plan=plan, budget=plans.plan_budget(plan), today=timezone.localdate())
    record(actor=request.user, action=Action.DOWNLOAD, obj=plan, case_id=application.case_id,
           summary="settlement plan summary (PDF)")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        False, f"settlement-plan-{application.case.reference}.pdf")
    return response


# ------------------------------------------------------------------ sponsor groups

@login_required
@require_GET
def sponsor_list(request):
    groups = selectors.sponsor_groups_of(request.user).select_related("organization", "sponsor_profile")
    return render(request, "sponsorship/sponsor_list.html", {"groups": list(groups)})


@login_required
@require_http_methods(["GET", "POST"])
def sponsor_detail(request, team_pk):
    team = get_object_or_404(selectors.sponsor_groups_of(request.user).select_related("organization"), pk=team_pk)
    can_write = selectors.staff_organizations(request.user).filter(pk=team.organization_id).exists()
    profile = SponsorProfile.objects.filter(team=team).first()
    form = SponsorProfileForm(request.POST or None, initial={
        "kind": profile.kind, "community": profile.community, "version": profile.version} if profile else None)
    status = 200
    if request.method == "POST":
        if not can_write:
            raise not_found()
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.save_sponsor_profile(actor=request.user, team=team, expected_version=data.pop("version"),
                                              **data)
            except ValidationError as error:
                add_service_errors(form, error)
            except EditConflict as conflict:
                show_edit_conflict(form, conflict.current, fields=("kind", "community"))
                status = 409
            else:
                messages.success(request, _("Sponsor profile saved."))
                return redirect("sponsorship:sponsor_detail", team_pk=team.pk)
    members = list(profile.members.select_related("user")) if profile else []
    if profile:
        record_views(actor=request.user, objects=[(profile, None)])
    return render(request, "sponsorship/sponsor_detail.html", {
        "team": team, "profile": profile, "form": form, "members": members, "can_write": can_write,
        "member_form": SponsorMemberForm()}, status=status)


@login_required
@require_POST
def sponsor_member_add(request, team_pk):
    team = get_object_or_404(Team, pk=team_pk, kind=Team.Kind.SPONSOR_GROUP)
    if not selectors.staff_organizations(request.user).filter(pk=team.organization_id).exists():
        raise not_found()
    profile = SponsorProfile.objects.filter(team=team).first()
    form = SponsorMemberForm(request.POST)
    if profile is None:
        messages.error(request, _("Save the group's sponsor profile first."))
    elif form.is_valid():
        try:
            services.add_sponsor_member(actor=request.user, profile=profile, **form.cleaned_data)
        except ValidationError as error:
            _flash_errors(request, error)
        else:
            messages.success(request, _("Member added."))
    else:
        messages.error(request, _("Give the member's name and part in the undertaking."))
    return redirect("sponsorship:sponsor_detail", team_pk=team.pk)
