"""Thin forms of the settlement pages: they parse input; the services validate and save."""
from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import STAFF_ROLES
from haven.forms import version_field

from haven.people.display import name_for_language
from haven.settlement.models import (
    Assessment,
    Domain,
    DomainRating,
    Goal,
    Level,
    Milestone,
    Provider,
    Referral,
    RestrictedNote,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CLB_LABELS = {"clb_listening": _("CLB listening"), "clb_speaking": _("CLB speaking"),
              "clb_reading": _("CLB reading"), "clb_writing": _("CLB writing")}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return name_for_language(obj)


def _person_field(case, *, label=_("Person")) -> PersonChoiceField:
    return PersonChoiceField(queryset=case.household.members.all(), required=False, label=label,
                             empty_label=_("The whole household"))


class AssessmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Assessment.Kind.choices)
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = _person_field(case)
        level_choices = [("", _("— not assessed —")), *Level.choices]
        for domain, label in Domain.choices:
            self.fields[f"{domain}_level"] = forms.TypedChoiceField(label=label, choices=level_choices,
                                                                    coerce=int, required=False, empty_value=None)
            self.fields[f"{domain}_comment"] = forms.CharField(label=_("Comment"), required=False)
        for name, label in CLB_LABELS.items():
            self.fields[f"language_{name}"] = forms.IntegerField(label=label, min_value=1, max_value=12,
                                                                 required=False)

    def ratings(self) -> list[dict]:
        data, ratings = self.cleaned_data, []
        for domain in Domain.values:
            if data.get(f"{domain}_level") is None:
                continue
            rating = {"domain": domain, "level": data[f"{domain}_level"], "comment": data[f"{domain}_comment"]}
            if domain == Domain.LANGUAGE:
                rating.update({name: data.get(f"language_{name}") for name in DomainRating.CLB_FIELDS})
            ratings.append(rating)
        return ratings

    def domain_rows(self):
        """(level field, comment field) per domain, for the template's table."""
        return [(self[f"{domain}_level"], self[f"{domain}_comment"]) for domain in Domain.values]


class GoalForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    description = forms.CharField(label=_("Goal"), max_length=300)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = _person_field(case)


class GoalEditForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    description = forms.CharField(label=_("Goal"), max_length=300)
    target_date = forms.DateField(label=_("Target date"), required=False, widget=DATE)
    status = forms.ChoiceField(label=_("Status"), choices=Goal.Status.choices)
    achieved_on = forms.DateField(label=_("Achieved on"), required=False, widget=DATE)
    version = version_field()


class ReferralForm(forms.Form):
    domain = forms.ChoiceField(label=_("Domain"), choices=Domain.choices)
    referred_on = forms.DateField(label=_("Referred on"), widget=DATE)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, case, providers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"] = forms.ModelChoiceField(queryset=providers, label=_("Provider"))
        self.fields["person"] = _person_field(case)
        self.order_fields(["provider", "person", "domain", "referred_on", "notes"])


class ReferralStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Referral.Status.choices)
    changed_on = forms.DateField(label=_("Since"), widget=DATE)


class MilestoneForm(forms.Form):
    kind = forms.ChoiceField(label=_("Milestone"), choices=Milestone.Kind.choices)
    done_on = forms.DateField(label=_("Done on"), widget=DATE)


class MonthlyBudgetForm(forms.Form):
    month = forms.DateField(label=_("Month"), widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
                            input_formats=["%Y-%m", "%Y-%m-%d"])
    income = forms.DecimalField(label=_("Household income"), max_digits=12, decimal_places=2, min_value=0)
    needs = forms.DecimalField(label=_("Monthly needs"), max_digits=12, decimal_places=2, min_value=0)


class DesignationForm(forms.Form):
    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        staff = get_user_model().objects.filter(memberships__organization=case.organization, memberships__role__in=sorted(STAFF_ROLES)).distinct()
        self.fields["user"] = forms.ModelChoiceField(queryset=staff.order_by("username"), label=_("Staff member"))


class RestrictedNoteForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), choices=RestrictedNote.Topic.choices)
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 4}))


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Provider.Kind.choices)
    contact = forms.CharField(label=_("Contact"), max_length=300, required=False)
    languages = forms.CharField(label=_("Languages served"), max_length=200, required=False)
    version = version_field()

    def __init__(self, *args, organizations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organizations is not None:  # adding a provider: no version yet
            del self.fields["version"]
            self.fields["organization"] = forms.ModelChoiceField(queryset=organizations, label=_("Organization"),
                                                                 empty_label=None)
            self.order_fields(["organization"])
