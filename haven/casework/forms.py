"""Forms for tasks, appointments and the "my work" filters: they parse input; the services decide."""
from __future__ import annotations

import html

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from haven.cases.models import Case
from haven.casework.agenda import (
    ANYONE,
    ASSIGNEE_CHOICES,
    ME,
    WorkFilters,
    colleague_choice,
    find_colleagues,
    may_filter_by_colleague,
)
from haven.casework.models import Priority
from haven.casework.selectors import attendee_candidates
from haven.people.codes import language_code, language_name

# The shared form helpers; they move from haven.web.forms to haven.forms (issue 10), and these imports with them.
from haven.forms import DateInput, add_service_errors  # noqa: F401  (re-exported for the views)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _person_label(person) -> str:
    return " ".join(part for part in (person.given_name, person.family_name) if part) or str(person.pk)


def _user_label(user) -> str:
    return user.get_full_name() or user.get_username()


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return _user_label(obj)


class UsersChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return _user_label(obj)


class PersonsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return _person_label(obj)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    assignee = UserChoiceField(label=_("Assigned to"), queryset=None)
    due_on = forms.DateField(label=_("Due date"), widget=DateInput())
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = attendee_candidates(case)

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("Outcome"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("What was done, or why it was cancelled."))


class AppointmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    link = forms.CharField(label=_("Link (video call)"), max_length=500, required=False)
    attendees = UsersChoiceField(label=_("Staff and volunteers attending"), queryset=None, required=False,
                                 widget=forms.CheckboxSelectMultiple)
    household_members = PersonsChoiceField(label=_("Household members attending"), queryset=None, required=False,
                                           widget=forms.CheckboxSelectMultiple)
    interpreter_language = forms.CharField(
        label=_("Interpreter needed for"), max_length=60, required=False,
        help_text=_("A language name or ISO 639 code (Korean, kor, ko); leave empty when no interpreter is needed."))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = attendee_candidates(case)
        self.fields["household_members"].queryset = case.household.members.order_by("pk")
        code = self.initial.get("interpreter_language")
        if code and not self.is_bound:
            self.initial["interpreter_language"] = language_name(code)

    def clean_interpreter_language(self) -> str:
        value = self.cleaned_data["interpreter_language"]
        return language_code(value) if value.strip() else ""

    def service_arguments(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


_UNBOUND_FIELDS: dict[tuple[str, tuple[str, ...]], str] = {}


class WorkFilterForm(forms.Form):
    # Me, anyone, or a user's id (a link or the colleague field below gives one). An organization may have a
    # thousand members: listing them all as options took a tenth of the "my work" page's time and most of its
    # bytes (bench/casework_bench.py), so a colleague is asked for by name and only the one chosen is listed.
    assignee = forms.CharField(label=_("Assigned to"), required=False)
    colleague = forms.CharField(label=_("Or a colleague"), max_length=254, required=False,
                                help_text=_("Their username, email address or full name."))
    case = forms.CharField(label=_("Case reference"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind of case"), required=False)
    due_from = forms.DateField(label=_("Due from"), required=False, widget=DateInput())
    due_to = forms.DateField(label=_("Due to"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.chosen: tuple[str, str] | None = None  # (id, name) of the colleague whose work is shown
        if not may_filter_by_colleague(user):
            del self.fields["colleague"]
        self.fields["kind"].choices = [("", _("All kinds")), *Case.Kind.choices]

    def assignee_options(self) -> str:
        """Me, anyone, and the colleague chosen (if any), as <option> elements."""
        current = self.chosen[0] if self.chosen else str(self["assignee"].value() or ME)
        choices = [(value, str(label)) for value, label in ASSIGNEE_CHOICES] + ([self.chosen] if self.chosen else [])
        return mark_safe("".join(
            f'<option value="{html.escape(value)}"{" selected" if value == current else ""}>{html.escape(label)}'
            '</option>' for value, label in choices))

    def unbound_fields_html(self) -> str:
        """The empty form's fields (the page as first opened): the same for everyone with the same fields, in one
        language, so rendered once per process and language. Django's widget templates cost a millisecond a page."""
        key = (get_language(), tuple(self.fields))
        fields = _UNBOUND_FIELDS.get(key)
        if fields is None:
            fields = _UNBOUND_FIELDS[key] = render_to_string("casework/_filter_fields.html", {"form": self})
        return mark_safe(fields)

    def clean(self) -> dict:
        data = super().clean()
        text, value = data.get("colleague", ""), data.get("assignee", "")  # no colleague field for a volunteer
        if text:  # a colleague named overrides the select
            found = find_colleagues(self.user, text)
            if len(found) == 1:
                self.chosen = found[0]
                data["assignee"] = found[0][0]
                # Now an option of the select (chosen): the field is emptied so that the select can change it.
                self.data = self.data.copy()
                self.data["colleague"] = ""
            else:
                self.add_error("colleague", _("Several people have this name: give their username or email "
                                              "address.") if found else
                               _("Nobody in your organization has this username, email address or name."))
        elif value not in ("", ME, ANYONE):
            self.chosen = colleague_choice(self.user, int(value)) if value.isdigit() else None
            if self.chosen is None:
                self.add_error("assignee", _("Select a valid choice. %(value)s is not one of the available "
                                             "choices.") % {"value": value})
        return data

    def filters(self) -> WorkFilters:
        """The filters as given, or the defaults (my own work) when the form is empty or invalid."""
        if not self.is_bound or not self.is_valid():
            return WorkFilters()
        data = self.cleaned_data
        assignee = data["assignee"] or ME
        return WorkFilters(assignee=assignee if assignee in (ME, ANYONE) else int(assignee),
                           case_reference=data["case"], kind=data["kind"], due_from=data["due_from"],
                           due_to=data["due_to"])
