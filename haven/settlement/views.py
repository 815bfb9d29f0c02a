"""The settlement plan of a case: assessments, goals, referrals, milestones and monthly income. Thin: parse,
call one service or selector, render. Access through haven.cases.access and haven.settlement.selectors."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.audit.services import record_views
from haven.cases.access import get_case_for_user
from haven.settlement import documents, forms, selectors
from haven.settlement import services as settlement
from haven.forms import add_service_errors, show_edit_conflict
from haven.records import EditConflict


def _plan_context(request, case, perms, **bound) -> dict:
    assessments = selectors.assessments_of(case, perms)
    writer = perms.can_write
    blank = {
        "goal_form": forms.GoalForm(case=case) if writer else None,
        "referral_form": forms.ReferralForm(case=case, providers=selectors.providers_for_case(case))
        if writer else None,
        "milestone_form": forms.MilestoneForm() if writer else None,
        "budget_form": forms.MonthlyBudgetForm() if writer else None,
        "designation_form": forms.DesignationForm(case=case) if selectors.may_designate(request.user, case) else None,
    }
    return {
        "case": case, "perms": perms, "practical_only": selectors.practical_only(perms),
        "assessments": assessments, "charts": documents.assessment_charts(assessments),
        "goals": selectors.goals_of(case, perms), "referrals": selectors.referrals_of(case, perms),
        "milestones": selectors.milestone_rows(case), "budgets": selectors.budgets_of(case, perms),
        "indicator": selectors.self_sufficiency(case),
        "may_read_restricted": selectors.may_read_restricted(request.user, case, perms),
        "may_designate": selectors.may_designate(request.user, case),
        "designations": selectors.designations(case) if selectors.may_designate(request.user, case) else [],
        "plan_languages": documents.PLAN_LANGUAGES,
        **blank, **bound,
    }


def plan_page(request, case, perms, **bound):
    return render(request, "settlement/plan.html", _plan_context(request, case, perms, **bound))


@login_required
def plan(request, pk):
    case, perms = get_case_for_user(request.user, pk)
    record_views(actor=request.user, objects=[(case, case.pk)])
    return plan_page(request, case, perms)


def _post_plan_form(request, pk, form_name, build, act, done_message):
    """A form posted from the plan page: valid and accepted → back to the plan; else the plan with its errors."""
    case, perms = get_case_for_user(request.user, pk, write=True)
    form = build(case)
    if form.is_valid():
        try:
            act(case, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done_message)
            return redirect("settlement_plan", pk=case.pk)
    return plan_page(request, case, perms, **{form_name: form})


@login_required
@require_POST
def goal_add(request, pk):
    return _post_plan_form(request, pk, "goal_form", lambda case: forms.GoalForm(request.POST, case=case),
                           lambda case, data: settlement.add_goal(actor=request.user, case=case, **data),
                           _("Goal added."))


@login_required
@require_POST
def referral_add(request, pk):
    return _post_plan_form(
        request, pk, "referral_form",
        lambda case: forms.ReferralForm(request.POST, case=case, providers=selectors.providers_for_case(case)),
        lambda case, data: settlement.refer(actor=request.user, case=case, **data), _("Referral recorded."))


@login_required
@require_POST
def milestone_record(request, pk):
    return _post_plan_form(request, pk, "milestone_form", lambda case: forms.MilestoneForm(request.POST),
                           lambda case, data: settlement.record_milestone(actor=request.user, case=case, **data),
                           _("Milestone recorded."))


@login_required
@require_POST
def budget_add(request, pk):
    return _post_plan_form(request, pk, "budget_form", lambda case: forms.MonthlyBudgetForm(request.POST),
                           lambda case, data: settlement.record_monthly_budget(actor=request.user, case=case,
                                                                                **data),
                           _("Month recorded."))


# --- assessments ---------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request, pk):
    case, perms = get_case_for_user(request.user, pk, write=True)
    form = forms.AssessmentForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            assessment = settlement.record_assessment(
                actor=request.user, case=case, person=data["person"], kind=data["kind"],
                assessed_on=data["assessed_on"], summary=data["summary"], ratings=form.ratings())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Assessment recorded."))
            return redirect("settlement_assessment", pk=assessment.pk)
    return render(request, "settlement/assessment_form.html", {"form": form, "case": case})


@login_required
def assessment_detail(request, pk):
    assessment, perms = selectors.get_assessment_for_user(request.user, pk)
    record_views(actor=request.user, objects=[(assessment, assessment.case_id)])
    return render(request, "settlement/assessment_detail.html", {
        "assessment": assessment, "case": assessment.case, "perms": perms,
        "ratings": selectors.ratings_of(assessment, perms), "practical_only": selectors.practical_only(perms)})


@login_required
@require_POST
def assessment_delete(request, pk):
    assessment, _perms = selectors.get_assessment_for_user(request.user, pk, write=True)
    settlement.delete_assessment(actor=request.user, assessment=assessment)
    messages.success(request, _("Assessment moved to the deleted items."))
    return redirect("settlement_plan", pk=assessment.case_id)


# --- goals, referrals, milestones, months --------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request, pk):
    goal, _perms = selectors.get_goal_for_user(request.user, pk, write=True)
    initial = {**{name: getattr(goal, name) for name in settlement.GOAL_FIELDS}, "version": goal.version}
    form = forms.GoalEditForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            settlement.update_goal(actor=request.user, goal=goal, expected_version=data.pop("version"), **data)
        except ValidationError as error:
            add_service_errors(form, error)
        except EditConflict as conflict:
            show_edit_conflict(form, conflict.current, fields=settlement.GOAL_FIELDS)
            status = 409
        else:
            messages.success(request, _("Goal saved."))
            return redirect("settlement_plan", pk=goal.case_id)
    return render(request, "settlement/item_form.html", {"form": form, "case": goal.case, "title": _("Edit a goal")},
                  status=status)


@login_required
@require_http_methods(["GET", "POST"])
def referral_status(request, pk):
    referral, _perms = selectors.get_referral_for_user(request.user, pk, write=True)
    form = forms.ReferralStatusForm(request.POST or None, initial={"status": referral.status})
    if request.method == "POST" and form.is_valid():
        try:
            settlement.update_referral_status(actor=request.user, referral=referral, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Referral updated."))
            return redirect("settlement_plan", pk=referral.case_id)
    return render(request, "settlement/item_form.html", {
        "form": form, "case": referral.case, "title": _("Referral to %(provider)s") % {
            "provider": referral.provider.name}})


def _remove(request, getter, service, keyword, message):
    item, _perms = getter(request.user, request.resolver_match.kwargs["pk"], write=True)
    service(actor=request.user, **{keyword: item})
    messages.success(request, message)
    return redirect("settlement_plan", pk=item.case_id)


@login_required
@require_POST
def goal_delete(request, pk):
    return _remove(request, selectors.get_goal_for_user, settlement.delete_goal, "goal",
                   _("Goal moved to the deleted items."))


@login_required
@require_POST
def referral_delete(request, pk):
    return _remove(request, selectors.get_referral_for_user, settlement.delete_referral, "referral",
                   _("Referral moved to the deleted items."))


@login_required
@require_POST
def milestone_clear(request, pk):
    return _remove(request, selectors.get_milestone_for_user, settlement.clear_milestone, "milestone",
                   _("Milestone marked as not done."))


@login_required
@require_POST
def budget_delete(request, pk):
    return _remove(request, selectors.get_budget_for_user, settlement.delete_monthly_budget, "entry",
                   _("Month moved to the deleted items."))
