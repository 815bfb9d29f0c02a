"""Forms of the sponsorship pages: they parse input only; the rules (and their messages) are the services'."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.forms import DateInput, add_service_errors, version_field  # noqa: F401 (the views import them from here)
from haven.people.codes import country_choices
from haven.sponsorship.eligibility import QUESTIONS
from haven.sponsorship.models import (
    Answer,
    Decision,
    InKindDonation,
    Program,
    SponsorKind,
    Stage,
    UndertakingRole,
)


class ApplicationForm(forms.Form):
    sponsor_group = forms.ModelChoiceField(queryset=None, label=_("Sponsor group"))
    program = forms.ModelChoiceField(queryset=Program.objects.all(), label=_("Program"))
    transit_country = forms.ChoiceField(label=_("Country where the principal applicant waits"),
                                        choices=lambda: [("", _("— choose —")), *country_choices()])
    started_on = forms.DateField(label=_("Preparation started on"), widget=DateInput())
    recognition_proof = forms.CharField(label=_("Proof of refugee recognition (UNHCR or a state)"),
                                        required=False, max_length=200)
    priority = forms.BooleanField(label=_("Priority"), required=False)
    priority_reason = forms.CharField(label=_("Reason for priority"), required=False, max_length=300)

    def __init__(self, *args, sponsor_groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor_group"].queryset = sponsor_groups


class StepForm(forms.Form):
    stage = forms.ChoiceField(label=_("Step"), choices=Stage.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    federal_file_number = forms.CharField(label=_("Federal file number"), required=False, max_length=40)
    decision = forms.ChoiceField(label=_("Decision"), required=False,
                                 choices=[("", _("— not a decision —")), *Decision.choices])
    reasons = forms.CharField(label=_("Reasons given"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, allowed: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if allowed:
            self.fields["stage"].choices = [(value, Stage(value).label) for value in allowed]


class CorrectionForm(forms.Form):
    occurred_on = forms.DateField(label=_("Date"), widget=DateInput())
    federal_file_number = forms.CharField(label=_("Federal file number"), required=False, max_length=40)
    decision = forms.ChoiceField(label=_("Decision"), required=False,
                                 choices=[("", _("— not a decision —")), *Decision.choices])
    reasons = forms.CharField(label=_("Reasons given"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    correction_reason = forms.CharField(label=_("Why is this step corrected?"), max_length=300)


class RemovalForm(forms.Form):
    correction_reason = forms.CharField(label=_("Why is this step removed?"), max_length=300)


class PriorityForm(forms.Form):
    priority = forms.BooleanField(label=_("Priority"), required=False)
    priority_reason = forms.CharField(label=_("Reason for priority"), required=False, max_length=300)


class EligibilityForm(forms.Form):
    """One choice per question; only changed answers are saved (each keeps its history)."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for question in QUESTIONS:
            self.fields[question.key] = forms.ChoiceField(
                label=question.text, choices=Answer.choices, widget=forms.RadioSelect,
                initial=current.get(question.key, Answer.UNKNOWN),
                help_text=f"{question.rule} ({question.citation})")
            self.fields[f"{question.key}_note"] = forms.CharField(label=_("Note"), required=False, max_length=500)


class PlanForm(forms.Form):
    family_size = forms.IntegerField(label=_("People in the household"), min_value=1)
    support_starts_on = forms.DateField(label=_("Income support starts on"), required=False, widget=DateInput())
    version = version_field()


class InKindForm(forms.Form):
    kind = forms.ChoiceField(label=_("Given"), choices=InKindDonation.Kind.choices)
    value = forms.DecimalField(label=_("Value (dollars)"), max_digits=12, decimal_places=2)
    description = forms.CharField(label=_("Description"), required=False, max_length=300)


class ExtensionForm(forms.Form):
    months = forms.IntegerField(label=_("Months of income support in all"), min_value=13, max_value=36)
    reason = forms.CharField(label=_("Reason for support beyond 12 months"), max_length=500)


class SponsorProfileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of sponsor"), choices=SponsorKind.choices)
    community = forms.CharField(label=_("Community of settlement"), required=False, max_length=200)
    version = version_field()


class SponsorMemberForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.ChoiceField(label=_("Part in the undertaking"), choices=UndertakingRole.choices)
