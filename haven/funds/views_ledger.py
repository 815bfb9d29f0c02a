"""Funds pages of the trust ledger: a sponsor group's trust, a family's funds and monthly disbursements, their
approval and payment, the ledger export and the charity's receipt details. Thin, as haven.funds.views."""
from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.audit.models import Action
from haven.audit.services import record, record_views
from haven.cases.access import access_profile, not_found
from haven.funds import exports, ledger, reports, selectors, services
from haven.forms import show_edit_conflict
from haven.funds.forms import AllocationForm, CharityProfileForm, PlanForm, add_service_errors
from haven.records import EditConflict


def _act(request, action: Callable[[], object], done: str) -> None:
    """Run a button's service call: its refusal, or `done`, becomes the page's message (the page redirects)."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)


def _form_valid(form) -> dict:
    """The form's data, or a ValidationError listing its messages (shown like a service's refusal)."""
    if not form.is_valid():
        raise ValidationError([message for errors in form.errors.values() for message in errors])
    return form.cleaned_data


@login_required
@require_GET
def trust_detail(request, pk):
    trust = selectors.get_trust_for_user(request.user, pk)
    is_staff = trust.organization_id in access_profile(request.user).staff_org_ids
    cases = selectors.visible_family_cases(request.user).filter(sponsor_group=trust.sponsor_group)
    record_views(actor=request.user, objects=[(trust, None)])
    return render(request, "funds/trust_detail.html", {
        "trust": trust, "is_staff": is_staff, "families": reports.family_rows(cases),
        "allocation_form": AllocationForm(cases=cases) if is_staff else None,
        "allocations": selectors.visible_allocations(request.user).filter(fund__trust=trust)
        .select_related("fund__case", "created_by")[:200],
    })


@login_required
@require_POST
def allocate(request, pk):
    trust = selectors.get_trust_for_user(request.user, pk, write=True)
    cases = selectors.visible_family_cases(request.user).filter(sponsor_group=trust.sponsor_group)
    form = AllocationForm(request.POST, cases=cases)
    _act(request, lambda: ledger.allocate(actor=request.user, **_form_valid(form)), _("Allocated to the family."))
    return redirect("funds:trust_detail", pk=trust.pk)


@login_required
@require_GET
def family(request, case_pk):
    case = selectors.get_family_case_for_user(request.user, case_pk)
    is_staff = case.organization_id in access_profile(request.user).staff_org_ids
    months = list(selectors.visible_disbursements(request.user).filter(fund__case=case)
                  .select_related("requested_by", "approved_by"))
    record_views(actor=request.user, objects=[(case, case.pk)])
    return render(request, "funds/family.html", {
        "case": case, "is_staff": is_staff, "row": reports.family_rows(
            selectors.visible_family_cases(request.user).filter(pk=case.pk))[0],
        "months": months, "plan_form": PlanForm(initial={"first_due_on": timezone.localdate()}) if is_staff else None,
        "settlement_plan": selectors.settlement_plan_of(case) if is_staff else None,
    })


@login_required
@require_POST
def plan(request, case_pk):
    case = selectors.get_family_case_for_user(request.user, case_pk, write=True)
    form = PlanForm(request.POST)
    def plan_flat():
        data = _form_valid(form)
        ledger.plan_disbursements(actor=request.user, case=case, schedule=ledger.flat_schedule(
            data["first_due_on"], data["months"], data["monthly_amount"]))

    _act(request, plan_flat, _("Disbursements planned: another person must approve each one."))
    return redirect("funds:family", case_pk=case.pk)


@login_required
@require_POST
def plan_from_settlement(request, case_pk):
    """Plan the months from the settlement plan's budget schedule (the flat form stays for families without)."""
    case = selectors.get_family_case_for_user(request.user, case_pk, write=True)
    _act(request, lambda: ledger.plan_disbursements(actor=request.user, case=case,
                                                    schedule=ledger.schedule_from_settlement_plan(case)),
         _("Disbursements planned: another person must approve each one."))
    return redirect("funds:family", case_pk=case.pk)


@login_required
@require_POST
def disbursement_approve(request, pk):
    disbursement = selectors.get_disbursement_for_user(request.user, pk, write=True)
    _act(request, lambda: ledger.approve_disbursement(actor=request.user, disbursement=disbursement), _("Disbursement approved."))
    return redirect("funds:family", case_pk=disbursement.fund.case_id)


@login_required
@require_POST
def disbursement_pay(request, pk):
    disbursement = selectors.get_disbursement_for_user(request.user, pk, write=True)
    _act(request, lambda: ledger.pay_disbursement(actor=request.user, disbursement=disbursement), _("Disbursement paid."))
    return redirect("funds:family", case_pk=disbursement.fund.case_id)


@login_required
@require_GET
def ledger_export(request, fmt):
    organization_ids = access_profile(request.user).staff_org_ids
    if fmt not in exports.FORMATS or not organization_ids:
        raise not_found()
    rows = reports.ledger_rows(organization_ids)
    record(actor=request.user, action=Action.EXPORT, summary=f"funds ledger {fmt}", changes={"rows": len(rows)})
    response = HttpResponse(exports.render(reports.ledger_header(), rows, fmt), content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = content_disposition_header(True, f"ledger-{timezone.localdate()}.{fmt}")
    return response


@login_required
@require_http_methods(["GET", "POST"])
def charity_settings(request, pk):
    organization = selectors.get_admin_organization(request.user, pk)
    profile = selectors.charity_profile(organization)
    form = CharityProfileForm(request.POST or None, instance=profile,
                              initial={"version": profile.version} if profile else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.save_charity_profile(actor=request.user, organization=organization,
                                          expected_version=form.cleaned_data["version"],
                                          **{name: form.cleaned_data[name] for name in services.CHARITY_FIELDS})
        except ValidationError as error:
            add_service_errors(form, error)
        except EditConflict as conflict:
            show_edit_conflict(form, conflict.current, fields=services.CHARITY_FIELDS)
            status = 409
        else:
            messages.success(request, _("Charity details saved."))
            return redirect("funds:charity_settings", pk=organization.pk)
    return render(request, "funds/form.html", {"form": form, "title": _("Charity details for receipts")},
                  status=status)
