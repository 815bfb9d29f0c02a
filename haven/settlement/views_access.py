"""Designated workers and restricted notes, the provider directory, and the printable plan and case summary."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from haven.accounts.models import Organization
from haven.audit.models import Action
from haven.audit.services import Event, record, record_events
from haven.cases.access import access_profile, get_case_for_user, not_found
from haven.casework.selectors import upcoming_appointments
from haven.settlement import documents, forms, selectors
from haven.settlement import services as settlement
from haven.settlement.views import plan_page
from haven.forms import add_service_errors, show_edit_conflict
from haven.records import EditConflict

# --- designated workers --------------------------------------------------------------------------------------


@login_required
@require_POST
def designation_add(request, pk):
    case, perms = get_case_for_user(request.user, pk)
    if not selectors.may_designate(request.user, case):
        raise not_found()
    form = forms.DesignationForm(request.POST, case=case)
    if form.is_valid():
        try:
            settlement.designate_worker(actor=request.user, case=case, user=form.cleaned_data["user"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Designated worker added."))
            return redirect("settlement_plan", pk=case.pk)
    return plan_page(request, case, perms, designation_form=form)


@login_required
@require_POST
def designation_remove(request, pk):
    designation = selectors.get_designation_for_user(request.user, pk)
    settlement.remove_designation(actor=request.user, designation=designation)
    messages.success(request, _("Designated worker removed."))
    return redirect("settlement_plan", pk=designation.case_id)


# --- restricted notes ----------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def restricted_notes(request, pk):
    """The case's restricted notes and the form to add one: its designated workers only (404 for anyone
    else, as for a case that does not exist); every note shown is audited as read."""
    case, perms = get_case_for_user(request.user, pk)
    if not selectors.may_read_restricted(request.user, case, perms):
        raise not_found()
    form = forms.RestrictedNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            settlement.add_restricted_note(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Restricted note added."))
            return redirect("settlement_restricted_notes", pk=case.pk)
    notes = selectors.restricted_notes_of(request.user, case, perms)
    return render(request, "settlement/restricted_notes.html", {"case": case, "notes": notes, "form": form})


@login_required
def restricted_note_detail(request, pk):
    note = selectors.get_restricted_note_for_user(request.user, pk)
    return render(request, "settlement/restricted_note.html", {"note": note, "case": note.case})


@login_required
@require_POST
def restricted_note_delete(request, pk):
    note = selectors.get_restricted_note_for_user(request.user, pk, write=True)
    settlement.delete_restricted_note(actor=request.user, note=note)
    messages.success(request, _("Restricted note moved to the deleted items."))
    return redirect("settlement_restricted_notes", pk=note.case_id)


# --- providers -----------------------------------------------------------------------------------------------

@login_required
@require_http_methods(["GET", "POST"])
def provider_list(request):
    """The provider directories of the user's organizations, for their staff (404 for anyone else)."""
    organizations = Organization.objects.filter(pk__in=access_profile(request.user).staff_org_ids)
    if not organizations:
        raise not_found()
    form = forms.ProviderForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            settlement.add_provider(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Provider added."))
            return redirect("settlement_providers")
    providers = list(selectors.visible_providers(request.user).select_related("organization"))
    record_events(actor=request.user, events=[Event(action=Action.LIST, object_type="settlement.provider",
                                                    changes={"ids": [p.pk for p in providers]})])
    return render(request, "settlement/providers.html", {"providers": providers, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def provider_edit(request, pk):
    provider = selectors.get_provider_for_user(request.user, pk)
    initial = {**{name: getattr(provider, name) for name in settlement.PROVIDER_FIELDS}, "version": provider.version}
    form = forms.ProviderForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            settlement.update_provider(actor=request.user, provider=provider, expected_version=data.pop("version"),
                                       **data)
        except ValidationError as error:
            add_service_errors(form, error)
        except EditConflict as conflict:
            show_edit_conflict(form, conflict.current, fields=settlement.PROVIDER_FIELDS)
            status = 409
        else:
            messages.success(request, _("Provider saved."))
            return redirect("settlement_providers")
    return render(request, "settlement/item_form.html", {"form": form, "title": provider.name}, status=status)


@login_required
@require_POST
def provider_delete(request, pk):
    provider = selectors.get_provider_for_user(request.user, pk)
    settlement.delete_provider(actor=request.user, provider=provider)
    messages.success(request, _("Provider removed from the directory."))
    return redirect("settlement_providers")


# --- printable documents -------------------------------------------------------------------------------------

def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response.headers["Content-Disposition"] = content_disposition_header(False, filename)
    return response


@login_required
def family_plan_pdf(request, pk):
    """The family's own plan, to print and hand over: ?lang=ko (default), en or fr."""
    case, perms = get_case_for_user(request.user, pk)
    language = request.GET.get("lang", "ko")
    if language not in documents.PLAN_LANGUAGES:
        language = "ko"
    # Health and trauma goals stay off paper that travels (docs/settlement.md), whoever prints it.
    goals = [goal for goal in selectors.goals_of(case, perms) if goal.domain not in selectors.SENSITIVE_DOMAINS]
    # The appointments the reader may see (a volunteer: those they attend), never all of the case's.
    appointments = documents.appointment_rows(upcoming_appointments(request.user, case), language=language)
    content = documents.family_plan_pdf(case, language=language, goals=goals,
                                        milestone_rows=selectors.milestone_rows(case), appointments=appointments)
    record(actor=request.user, action=Action.EXPORT, obj=case, case_id=case.pk, summary=f"family plan ({language})")
    return _pdf_response(content, f"plan-{case.reference}-{language}.pdf")


@login_required
def case_summary_pdf(request, pk):
    """The staff's printable case summary: for readers who see the whole case (404 for volunteers)."""
    case, perms = get_case_for_user(request.user, pk)
    if selectors.practical_only(perms):
        raise not_found()
    assessments = selectors.assessments_of(case, perms)
    content = documents.case_summary_pdf(
        case, assignments=list(case.assignments.select_related("user")), goals=selectors.goals_of(case, perms),
        referrals=selectors.referrals_of(case, perms), milestone_rows=selectors.milestone_rows(case),
        indicator=selectors.self_sufficiency(case), latest_assessment=assessments[-1] if assessments else None)
    record(actor=request.user, action=Action.EXPORT, obj=case, case_id=case.pk,
           summary=f"case summary ({get_language()})")
    return _pdf_response(content, f"summary-{case.reference}.pdf")
