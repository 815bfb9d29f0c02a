"""Funds forms: input parsing only; the rules are the services' (haven.funds.services, ledger, receipts)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.forms import DateInput, add_service_errors, version_field  # noqa: F401 (the views import them from here)
from haven.funds.models import CharityProfile, Donation, Donor


def amount_field(label, *, required: bool = True, initial=None) -> forms.DecimalField:
    # Validation of cents and sign is the service's (haven.funds.money.check_amount), so the form accepts any
    # number and the message comes from one place.
    return forms.DecimalField(label=label, required=required, initial=initial, max_digits=20, decimal_places=6,
                              widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}))


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    goal = amount_field(_("Goal"))
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput(), required=False)
    sponsor_group = forms.ModelChoiceField(label=_("Held in trust for"), queryset=None, required=False,
                                           empty_label=_("— general funds —"))
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sponsor_group"].queryset = groups


class DonorForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Donor.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("For a person: first name, initial and last name, as the receipt needs."))
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class PledgeForm(forms.Form):
    donor = forms.ModelChoiceField(label=_("Donor"), queryset=None)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=None, required=False)
    amount = amount_field(_("Amount pledged"))
    pledged_on = forms.DateField(label=_("Pledged on"), widget=DateInput())
    due_on = forms.DateField(label=_("Due by"), widget=DateInput(), required=False)

    def __init__(self, *args, donors, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = donors
        self.fields["campaign"].queryset = campaigns


class DonationForm(forms.Form):
    donor = forms.ModelChoiceField(label=_("Donor"), queryset=None, required=False,
                                   empty_label=_("— not recorded —"))
    anonymous = forms.BooleanField(label=_("Anonymous"), required=False,
                                   help_text=_("Never name the donor in reports or acknowledgements."))
    amount = amount_field(_("Amount"))
    received_on = forms.DateField(label=_("Date received"), widget=DateInput())
    method = forms.ChoiceField(label=_("Method"), choices=Donation.Method.choices)
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=None, required=False)
    case = forms.ModelChoiceField(label=_("Designated to family"), queryset=None, required=False)
    pledge = forms.ModelChoiceField(label=_("Fulfils pledge"), queryset=None, required=False)
    advantage = amount_field(_("Advantage received by the donor"), required=False, initial="0.00")
    advantage_description = forms.CharField(label=_("Advantage description"), max_length=200, required=False)

    def __init__(self, *args, donors, campaigns, cases, pledges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = donors
        self.fields["campaign"].queryset = campaigns
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda case: f"{case.reference} · {case.title}"
        self.fields["pledge"].queryset = pledges
        self.fields["pledge"].label_from_instance = lambda p: f"{p.donor.name} · {p.amount} · {p.pledged_on}"


class AllocationForm(forms.Form):
    case = forms.ModelChoiceField(label=_("Family"), queryset=None)
    amount = amount_field(_("Amount"))
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = cases
        self.fields["case"].label_from_instance = lambda case: f"{case.reference} · {case.title}"


class PlanForm(forms.Form):
    """A flat monthly schedule, until the sponsorship plan's schedule feeds plan_disbursements."""

    first_due_on = forms.DateField(label=_("First payment on"), widget=DateInput())
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=36, initial=12)
    monthly_amount = amount_field(_("Monthly amount"))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
    replace = forms.BooleanField(label=_("Issue a corrected replacement once approved"), required=False,
                                 initial=True)


class CharityProfileForm(forms.ModelForm):
    version = version_field()

    class Meta:
        model = CharityProfile
        fields = ["legal_name", "address", "registration_number", "place_of_issue", "signatory_name",
                  "signatory_title", "cra_website"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}
