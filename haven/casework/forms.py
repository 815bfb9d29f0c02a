"""Forms for tasks, appointments and the "my work" filters: they parse input; the services decide."""
from __future__ import annotations

import html

from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from haven.cases.models import Case
from haven.casework.agenda import ANYONE, ME, WorkFilters, assignee_choices
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


class WorkFilterForm(forms.Form):
    # A CharField checked against the choices in clean_assignee: an organization may have a thousand members, and a
    # ChoiceField normalizes and searches its choices on every page (bench/casework_bench.py).
    assignee = forms.CharField(label=_("Assigned to"), required=False)
    case = forms.CharField(label=_("Case reference"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("Kind of case"), required=False)
    due_from = forms.DateField(label=_("Due from"), required=False, widget=DateInput())
    due_to = forms.DateField(label=_("Due to"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignee_choices = assignee_choices(user)
        self._assignee_values = {value for value, _label in self.assignee_choices}
        self.fields["kind"].choices = [("", _("All kinds")), *Case.Kind.choices]

    def assignee_options(self) -> str:
        """The assignee's options as one string. An organization may have a thousand members, and the template
        language spends about 30 microseconds on each option: half of the "my work" page's time (bench/casework_bench.py)."""
        current = str(self["assignee"].value() or ME)
        # The standard library's escape: Django's (the same replacements) checks every argument for lazy strings
        # first, which took more time than the escaping itself over a thousand labels.
        return mark_safe("".join(
            f'<option value="{html.escape(value)}"{" selected" if value == current else ""}>{html.escape(label)}'
            '</option>' for value, label in self.assignee_choices))

    def clean_assignee(self) -> str:
        value = self.cleaned_data["assignee"]
        if value and value not in self._assignee_values:
            raise forms.ValidationError(_("Select a valid choice. %(value)s is not one of the available choices."),
                                        params={"value": value})
        return value

    def filters(self) -> WorkFilters:
        """The filters as given, or the defaults (my own work) when the form is empty or invalid."""
        if not self.is_bound or not self.is_valid():
            return WorkFilters()
        data = self.cleaned_data
        assignee = data["assignee"] or ME
        return WorkFilters(assignee=assignee if assignee in (ME, ANYONE) else int(assignee),
                           case_reference=data["case"], kind=data["kind"], due_from=data["due_from"],
                           due_to=data["due_to"])
