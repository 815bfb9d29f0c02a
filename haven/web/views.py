"""Case, household and person screens. Views stay thin: objects come from
haven.cases.access (404 for anyone not allowed), reads from the selectors,
writes from the services, and every page that shows a record audits it."""
from __future__ import annotations

from functools import partial
from html import unescape

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import strip_tags
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from haven.accounts.selectors import today_for_user
from haven.audit.models import Action
from haven.audit.services import record, record_views
from haven.cases import selectors as case_selectors
from haven.cases import services as case_services
from haven.cases.access import (
    access_profile,
    case_permissions,
    get_attachment_for_user,
    get_case_for_user,
    get_household_for_user,
    get_item_for_admin,
    get_note_for_user,
    get_person_for_user,
    get_visible_or_404,
    not_found,
    writable_organizations,
)
from haven.cases.forms import CaseFilterForm
from haven.cases.models import Attachment, Case, Note
from haven.forms import add_service_errors
from haven.casework import agenda
from haven.claims import selectors as claim_selectors
from haven.matching import selectors as matching_selectors
from haven.people import selectors as people_selectors
from haven.people import services as people_services
from haven.people.models import Relationship
from haven.records import EditConflict
from haven.web import forms
from haven.web.conflicts import conflict_page
from haven.web.forms import SECTIONS, Section

CASES_PER_PAGE = 25


# --- dashboard and case list --------------------------------------------------------------------------


DASHBOARD_DEADLINES = 8  # the soonest claim deadlines listed; the rest are a link away, on the deadlines page


@login_required
@require_GET
def dashboard(request):
    profile = access_profile(request.user)
    board = None if profile.is_analyst_only else case_selectors.dashboard(user=request.user)
    deadlines, deadline_page, met_late = [], None, 0
    if not profile.is_analyst_only:
        # Open deadlines overdue or due within 30 days, of the cases the user may see (a volunteer: their group's).
        # Those met after their due date stay on the deadlines page's late list; here they are counted and linked,
        # not listed: listed first (the oldest due dates), they pushed the deadlines still to meet off the panel.
        today = today_for_user(request.user)
        deadlines, deadline_page = claim_selectors.deadlines_page(
            request.user, today=today, number=1, per_page=DASHBOARD_DEADLINES, days="30", include_met_late=False)
        met_late = claim_selectors.met_late_count(request.user, today=today, days="30")
    if board is not None and (board.mine or board.recent or deadlines):
        record(actor=request.user, action=Action.LIST, summary="dashboard",
               changes={"case_ids": [case.pk for case in [*board.mine, *board.recent]],
                        **({"claim_ids": sorted({row.claim_id for row in deadlines})} if deadlines else {})})
    work = None if profile.is_analyst_only else agenda.summary_counts(request.user, today=timezone.localdate())
    return render(request, "web/dashboard.html", {
        "board": board, "work": work, "is_analyst_only": profile.is_analyst_only,
        "rows": claim_selectors.linked_deadline_rows(deadlines),
        "deadline_total": deadline_page.paginator.count if deadline_page else 0, "met_late_total": met_late,
        "can_create_case": bool(profile.staff_org_ids),
        "status_choices": Case.Status.choices,
    })


@login_required
@require_GET
def case_list(request):
    if access_profile(request.user).is_analyst_only:
        raise not_found()
    organizations, groups = case_selectors.case_filter_options(request.user)
    form = CaseFilterForm(request.GET or None, organizations=organizations, sponsor_groups=groups)
    values = form.values() if request.GET else {}
    # Active search: typing in the box refreshes the results table (the other filters refresh on change).
    form.fields["q"].widget.attrs.update({
        "hx-get": reverse("case_list"), "hx-trigger": "input changed delay:300ms, search",
        "hx-target": "#case-results", "hx-swap": "outerHTML", "hx-include": "closest form", "hx-push-url": "true"})
    sort = request.GET.get("sort", "")
    if sort not in case_selectors.CASE_ORDERINGS:
        sort = case_selectors.DEFAULT_CASE_ORDERING
    page = case_selectors.case_list_page(user=request.user, query=values.get("q", ""), filters=values, ordering=sort,
                                         number=request.GET.get("page"), per_page=CASES_PER_PAGE)
    record(actor=request.user, action=Action.LIST, summary="case_list",
           changes={"case_ids": [case.pk for case in page.object_list], "page": page.number,
                    "filters": values,
                    "sort": sort})
    context = {"form": form, "page": page, "sort": sort, "total": page.paginator.count,
               "can_create_case": bool(access_profile(request.user).staff_org_ids),
               # Labels translated once per page, not once per row (a lazy label costs a catalogue lookup).
               "kind_labels": {value: str(label) for value, label in Case.Kind.choices},
               "status_labels": {value: str(label) for value, label in Case.Status.choices}}
    template = "web/cases/_results.html" if request.htmx else "web/cases/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # same URL, partial or full page
    return response


# --- cases --------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def case_create(request):
    organizations = writable_organizations(request.user)
    org_ids = sorted(access_profile(request.user).staff_org_ids)
    if not org_ids:
        raise not_found()
    form_kwargs = {"organizations": organizations, "households": case_selectors.household_choices(request.user),
                   "sponsor_groups": case_selectors.sponsor_groups_of(org_ids)}
    form = forms.CaseCreateForm(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_services.open_case_with_household(actor=request.user, **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Case %(reference)s opened.") % {"reference": case.reference})
            return redirect("case_detail", pk=case.pk)
    return render(request, "web/cases/form.html", {"form": form, "creating": True})


def _case_page(request, case, perms, *, assignment_form=None):
    """The case page (audited): also shown again, with its errors, when assigning a worker fails."""
    detail = case_selectors.case_detail(user=request.user, case=case, perms=perms)
    all_history = request.GET.get("history") == "all"
    history = (list(case_selectors.case_history(case=case, include_reads=all_history)) if perms.can_view_history
               else None)
    record_views(actor=request.user, objects=[
        (case, case.pk), *[(person, case.pk) for person in detail.members],
        *[(note, case.pk) for note in (*detail.notes, *detail.deleted_notes)],
        *[(item, case.pk) for item in (*detail.attachments, *detail.deleted_attachments)]])
    if assignment_form is None and perms.can_write:
        assignment_form = forms.AssignmentForm(case=case)
    return render(request, "web/cases/detail.html", {
        "case": case, "perms": perms, "detail": detail, "history": history, "all_history": all_history,
        "note_form": forms.NoteForm(allow_confidential=perms.see_confidential) if perms.can_add_note else None,
        "attachment_form": forms.AttachmentForm() if perms.can_write else None,
        "assignment_form": assignment_form,
    })


@login_required
@require_GET
def case_detail(request, pk):
    case, perms = get_case_for_user(request.user, pk)
    return _case_page(request, case, perms)


@login_required
@require_http_methods(["GET", "POST"])
def case_edit(request, pk):
    case, perms = get_case_for_user(request.user, pk, write=True)
    form = forms.CaseEditForm(request.POST or None, initial=forms.CaseEditForm.initial_for(case), case=case,
                              sponsor_groups=case_selectors.sponsor_groups_of([case.organization_id]))
    if request.method == "POST" and form.is_valid():
        try:
            case_services.update_case(actor=request.user, case=case, expected_version=form.expected_version,
                                      **form.edited_values())
        except ValidationError as error:
            add_service_errors(form, error)
        except EditConflict as conflict:
            return conflict_page(request, conflict, form=form, case_id=case.pk, cancel_url=reverse(
                "case_detail", args=[case.pk]), heading=_("Case %(reference)s was changed while you were editing it")
                % {"reference": case.reference})
        else:
            messages.success(request, _("Case saved."))
            return redirect("case_detail", pk=case.pk)
    if request.method == "GET":
        record_views(actor=request.user, objects=[(case, case.pk)])
    return render(request, "web/cases/form.html", {"form": form, "case": case, "creating": False})


# --- assignments --------------------------------------------------------------------------------------


@login_required
@require_POST
def assignment_add(request, pk):
    case, perms = get_case_for_user(request.user, pk, write=True)
    form = forms.AssignmentForm(request.POST, case=case)
    if form.is_valid():
        try:
            assignment = form.save(actor=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(username)s assigned as %(role)s.") % {
                "username": assignment.user.get_username(), "role": assignment.get_role_display()})
            return redirect(reverse("case_detail", args=[case.pk]) + "#assignments")
    return _case_page(request, case, perms, assignment_form=form)


@login_required
@require_POST
def assignment_remove(request, pk, item_pk):
    case, perms = get_case_for_user(request.user, pk, write=True)
    assignment = get_visible_or_404(case.assignments.select_related("user"), item_pk)
    username = assignment.user.get_username()
    case_services.unassign_worker(actor=request.user, assignment=assignment)
    if case_permissions(request.user, case) is None:
        # The user removed their own assignment and had no other access to the case.
        messages.success(request, _("You are no longer assigned to case %(reference)s.")
                         % {"reference": case.reference})
        return redirect("dashboard")
    messages.success(request, _("%(username)s is no longer assigned.") % {"username": username})
    return redirect(reverse("case_detail", args=[case.pk]) + "#assignments")


# --- notes --------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def note_create(request, pk):
    case, perms = get_case_for_user(request.user, pk)
    if not perms.can_add_note:
        raise not_found()
    form = forms.NoteForm(request.POST or None, allow_confidential=perms.see_confidential)
    if request.method == "POST" and form.is_valid():
        try:
            # A volunteer's form offers no confidential choice: their notes are for the whole group.
            case_services.add_note(actor=request.user, case=case, body=form.cleaned_data["body"],
                                   confidential=form.cleaned_data.get("confidential", False))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Note added."))
            return redirect(reverse("case_detail", args=[case.pk]) + "#notes")
    return render(request, "web/notes/form.html", {"form": form, "case": case, "note": None})


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request, pk):
    note, perms = get_note_for_user(request.user, pk, write=True)
    form = forms.NoteEditForm(request.POST or None, initial=forms.NoteEditForm.initial_for(note),
                              allow_confidential=perms.see_confidential)
    if request.method == "POST" and form.is_valid():
        try:
            case_services.update_note(actor=request.user, note=note, body=form.cleaned_data["body"],
                                      confidential=form.cleaned_data.get("confidential", note.confidential),
                                      expected_version=form.expected_version)
        except ValidationError as error:
            add_service_errors(form, error)
        except EditConflict as conflict:
            return conflict_page(request, conflict, form=form, case_id=note.case_id, heading=_(
                "This note was changed while you were editing it"),
                cancel_url=reverse("case_detail", args=[note.case_id]) + "#notes")
        else:
            messages.success(request, _("Note saved."))
            return redirect(reverse("case_detail", args=[note.case_id]) + "#notes")
    if request.method == "GET":
        record_views(actor=request.user, objects=[(note, note.case_id)])
    return render(request, "web/notes/form.html", {"form": form, "case": note.case, "note": note})


@login_required
@require_http_methods(["GET", "POST"])
def note_delete(request, pk):
    note, perms = get_note_for_user(request.user, pk, write=True)
    return _confirm_delete(request, note, delete=case_services.delete_note, keyword="note", anchor="notes",
                           what=_("this note"), excerpt=note.body, done=_("Note deleted."))


@login_required
@require_POST
def note_restore(request, pk):
    return _restore(request, Note, pk, anchor="notes", done=_("Note restored."))


def _restore(request, model, pk, *, anchor: str, done):
    item = get_item_for_admin(request.user, model, pk)
    case_services.restore_case_item(actor=request.user, item=item)
    messages.success(request, done)
    return redirect(reverse("case_detail", args=[item.case_id]) + f"#{anchor}")


def _confirm_delete(request, obj, *, delete, keyword: str, anchor: str, what, excerpt: str, done):
    """GET: the confirmation page (the record is shown, so the view is audited); POST: delete and go back
    to the case."""
    back = reverse("case_detail", args=[obj.case_id]) + f"#{anchor}"
    if request.method == "POST":
        delete(actor=request.user, **{keyword: obj})
        messages.success(request, done)
        return redirect(back)
    record_views(actor=request.user, objects=[(obj, obj.case_id)])
    return render(request, "web/confirm_delete.html", {
        "case": obj.case, "what": what, "excerpt": excerpt, "cancel_url": back})


# --- attachments --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def attachment_upload(request, pk):
    case, perms = get_case_for_user(request.user, pk, write=True)
    form = forms.AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            case_services.add_attachment(
                actor=request.user, case=case, filename=upload.name, content=upload.read(),
                content_type=upload.content_type, kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"], confidential=form.cleaned_data["confidential"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("File uploaded."))
            return redirect(reverse("case_detail", args=[case.pk]) + "#attachments")
    return render(request, "web/attachments/form.html", {"form": form, "case": case})


@login_required
@require_GET
def attachment_download(request, pk):
    attachment, _perms = get_attachment_for_user(request.user, pk)
    data = case_services.read_attachment(actor=request.user, attachment=attachment)
    response = HttpResponse(data, content_type=attachment.content_type or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(True, attachment.filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Length"] = str(len(data))
    return response


@login_required
@require_http_methods(["GET", "POST"])
def attachment_delete(request, pk):
    attachment, _perms = get_attachment_for_user(request.user, pk, write=True)
    return _confirm_delete(request, attachment, delete=case_services.delete_attachment, keyword="attachment",
                           anchor="attachments", what=_("this file"), excerpt=attachment.filename,
                           done=_("File deleted."))


@login_required
@require_POST
def attachment_restore(request, pk):
    return _restore(request, Attachment, pk, anchor="attachments", done=_("File restored."))


# --- households ---------------------------------------------------------------------------------------


@login_required
@require_GET
def household_detail(request, pk):
    household, perms = get_household_for_user(request.user, pk)
    members = list(people_selectors.household_members(household))
    cases = list(case_selectors.household_cases(request.user, household))
    record_views(actor=request.user, objects=[(household, None), *[(person, None) for person in members]])
    return render(request, "web/households/detail.html", {
        "household": household, "perms": perms, "members": members, "cases": cases})


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request, pk):
    household, perms = get_household_for_user(request.user, pk, write=True)
    form = forms.HouseholdForm(request.POST or None, initial=forms.HouseholdForm.initial_for(household))
    if request.method == "POST" and form.is_valid():
        try:
            people_services.update_household(actor=request.user, household=household, name=form.cleaned_data["name"],
                                             expected_version=form.expected_version)
        except ValidationError as error:
            add_service_errors(form, error)
        except EditConflict as conflict:
            return conflict_page(request, conflict, form=form, heading=_(
                "This household was changed while you were editing it"),
                cancel_url=reverse("household_detail", args=[household.pk]))
        else:
            messages.success(request, _("Household saved."))
            return redirect("household_detail", pk=household.pk)
    return render(request, "web/households/form.html", {"form": form, "household": household})


# --- persons ------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def person_create(request, pk):
    household, perms = get_household_for_user(request.user, pk, write=True)
    principal = people_selectors.current_principal(household)
    form = forms.PersonForm(request.POST or None, relationship_default=None if principal else Relationship.PRINCIPAL)
    duplicates = []
    if request.method == "POST" and form.is_valid():
        # A likely duplicate is shown before saving; saving goes on once the user has checked it.
        if not request.POST.get("confirm_not_duplicate"):
            duplicates = matching_selectors.duplicates_for_intake(user=request.user, data=form.cleaned_data)
        if duplicates:
            record_views(actor=request.user, objects=[(item.person, item.case.pk if item.case else None)
                                                      for item in duplicates])
        else:
            try:
                person = people_services.create_person(actor=request.user, household=household,
                                                       data=form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("%(name)s added to the household.") % {"name": person.display_name})
                return redirect("person_detail", pk=person.pk)
    return render(request, "web/people/form.html", {"form": form, "household": household, "person": None,
                                                    "duplicates": duplicates})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person, perms = get_person_for_user(request.user, pk, write=True)
    form = forms.PersonEditForm(request.POST or None, initial=forms.PersonEditForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            people_services.update_person(actor=request.user, person=person, data=form.edited_values(),
                                          expected_version=form.expected_version)
        except ValidationError as error:
            add_service_errors(form, error)
        except EditConflict as conflict:
            return conflict_page(request, conflict, form=form, heading=_(
                "This person's record was changed while you were editing it"),
                cancel_url=reverse("person_detail", args=[person.pk]))
        else:
            messages.success(request, _("Person saved."))
            return redirect("person_detail", pk=person.pk)
    if request.method == "GET":
        record_views(actor=request.user, objects=[(person, None)])
    return render(request, "web/people/form.html", {"form": form, "household": person.household, "person": person})


def _person_page(request, person, perms, *, bound: dict | None = None, edit: dict | None = None,
                 status: int = 200):
    """`bound`: section key -> add form, `edit`: section key -> (item pk, edit form), shown with their errors."""
    detail = people_selectors.person_detail(person=person, perms=perms)
    sections = []
    for section in SECTIONS.values():
        if section.confidential and not perms.see_confidential:
            continue
        form = (bound or {}).get(section.key) or (section.form_for(person) if perms.can_write else None)
        sections.append(section.context(person=person, perms=perms, items=getattr(detail, section.key), form=form,
                                        edit=(edit or {}).get(section.key)))
    cases = list(case_selectors.household_cases(request.user, person.household))
    return render(request, "web/people/detail.html", {
        "person": person, "perms": perms, "detail": detail, "sections": sections, "cases": cases,
    }, status=status)


@login_required
@require_GET
def person_detail(request, pk):
    person, perms = get_person_for_user(request.user, pk, include_merged=True)
    if person.merged_into_id is not None:
        response = render(request, "web/people/merged.html", {
            "person": person, "kept": person.merged_into,
            "merge": matching_selectors.active_merge_of(request.user, person)})
    else:
        response = _person_page(request, person, perms)
    record_views(actor=request.user, objects=[(person, None)])
    return response


def _get_section(key: str, perms) -> Section:
    section = SECTIONS[key]
    if section.confidential and not perms.see_confidential:
        raise not_found()
    return section


def _section_response(request, person, perms, section: Section, form=None, edit=None):
    items = list(getattr(person, section.related_name).all())
    context = section.context(person=person, perms=perms, items=items,
                              form=form if form is not None else section.form_for(person), edit=edit)
    return render(request, "web/people/_section.html", {"section": context, "person": person, "perms": perms})


@login_required
@require_POST
def person_item_add(request, pk, section):
    return _person_item_form(request, pk, section)


@login_required
@require_POST
def person_item_edit(request, pk, section, item_pk):
    return _person_item_form(request, pk, section, item_pk=item_pk)


def _person_item_form(request, pk, section: str, *, item_pk=None):
    """Add an item to a section of the person page, or edit one in place (`item_pk`). Answers the section
    again (HTMX) or the person page, with the form's and the service's errors when either refused."""
    person, perms = get_person_for_user(request.user, pk, write=True)
    spec = _get_section(section, perms)
    if item_pk is None:
        item, form = None, spec.form_for(person, request.POST)
        save = partial(spec.add, person=person)
    else:
        item = get_visible_or_404(getattr(person, spec.related_name).all(), item_pk)
        form = spec.edit_form_for(item, request.POST)
        save = partial(spec.edit, item=item)
    if form.is_valid():
        try:
            save(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except EditConflict as conflict:
            item, form = _item_conflict(request, spec, conflict, form)
        else:
            if request.htmx:
                return _section_response(request, person, perms, spec)
            messages.success(request, _("Saved."))
            return redirect(reverse("person_detail", args=[person.pk]) + f"#{spec.anchor}")
    if item is None:
        if request.htmx:
            return _section_response(request, person, perms, spec, form=form)
        return _person_page(request, person, perms, bound={spec.key: form})
    if request.htmx:
        return _section_response(request, person, perms, spec, edit=(item.pk, form))
    return _person_page(request, person, perms, edit={spec.key: (item.pk, form)})


def _item_conflict(request, spec: Section, conflict: EditConflict, form):
    """Someone changed the item after this writer's page was shown: nothing is saved. The edit form comes back
    with the writer's values, now based on the current version (saving it again applies them on top), and a
    message naming what is stored now; the section above it lists the current item."""
    current = conflict.current
    if current is None:  # removed meanwhile, as for a record that never existed
        raise not_found()
    data = request.POST.copy()
    data["version"] = current.version
    again = spec.edit_form_for(current, data)
    again.is_valid()
    stored = render_to_string(spec.item_template, {"item": current}, request=request)
    again.add_error(None, _("Someone else changed this entry after you opened the page: it is now %(current)s. "
                            "Your change was not saved; save again to apply it to the current entry.")
                    % {"current": " ".join(unescape(strip_tags(stored)).split())})
    return current, again


@login_required
@require_POST
def person_item_remove(request, pk, section, item_pk):
    person, perms = get_person_for_user(request.user, pk, write=True)
    spec = _get_section(section, perms)
    item = get_visible_or_404(getattr(person, spec.related_name).all(), item_pk)
    spec.remove(actor=request.user, item=item)
    if request.htmx:
        return _section_response(request, person, perms, spec)
    messages.success(request, _("Removed."))
    return redirect(reverse("person_detail", args=[person.pk]) + f"#{spec.anchor}")


@login_required
@require_POST
def person_item_restore(request, pk, section, item_pk):
    """Put a removed vulnerability or document back: the organization's administrators only (404 otherwise)."""
    person, perms = get_person_for_user(request.user, pk, write=True)
    spec = _get_section(section, perms)
    if not perms.is_admin:
        raise not_found()
    item = get_visible_or_404(spec.model.all_objects.filter(person=person), item_pk)
    people_services.restore_removed_item(actor=request.user, item=item)
    messages.success(request, _("Restored."))
    return redirect(reverse("person_detail", args=[person.pk]) + f"#{spec.anchor}")
