"""Forms of the claim pages. They only shape input: the services validate the law."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.claims.models import EventType, EvidenceItem, Ground, LegalIssue, OrderKind, Outcome, Party, Province

DATE = forms.DateInput(attrs={"type": "date"})


def _blank(choices):
    return [("", "—"), *choices]


class ClaimForm(forms.Form):
    reference = forms.CharField(label=_("Claim reference"), max_length=40,
                                help_text=_("The IRB file number, or your own reference."))
    claimant = forms.ModelChoiceField(label=_("Claimant"), queryset=None)
    members = forms.ModelMultipleChoiceField(label=_("Joined family members"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    country_of_persecution = forms.CharField(label=_("Country of persecution"), max_length=100,
                                             help_text=_("ISO code or English name, e.g. KP or North Korea."))
    province = forms.ChoiceField(label=_("Province of the IRB regional office"), choices=Province.choices,
                                 initial=Province.ON)
    referred_on = forms.DateField(label=_("Referred to the RPD on"), required=False, widget=DATE)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claimant"].queryset = people
        self.fields["members"].queryset = people


class EventForm(forms.Form):
    type = forms.ChoiceField(label=_("Step"), choices=EventType.choices)
    occurred_on = forms.DateField(label=_("Date"), widget=DATE,
                                  help_text=_("For a decision, the date it was made."))
    received_on = forms.DateField(label=_("Reasons or notice received on"), required=False, widget=DATE,
                                  help_text=_("Decisions: appeal and leave periods run from this date."))
    scheduled_for = forms.DateField(label=_("Hearing date"), required=False, widget=DATE)
    appellant = forms.ChoiceField(label=_("Appellant"), choices=_blank(Party.choices), required=False)
    ground = forms.ChoiceField(label=_("Ground"), choices=_blank(Ground.choices), required=False,
                               help_text=_("Minister's intervention, or the ground of a rejection (e.g. Article 1E)."))
    substituted_outcome = forms.ChoiceField(
        label=_("Decision substituted by the RAD"), required=False,
        choices=_blank([(Outcome.ACCEPTED, Outcome.ACCEPTED.label), (Outcome.REJECTED, Outcome.REJECTED.label)]))
    order_kind = forms.ChoiceField(label=_("Removal order"), choices=_blank(OrderKind.choices), required=False)
    destination_country = forms.CharField(label=_("Country of removal"), max_length=100, required=False,
                                          help_text=_("ISO code or English name."))
    confirm_destination = forms.BooleanField(
        label=_("I have checked the country of removal against the file"), required=False,
        help_text=_("Needed when the destination matches no nationality on file or is the country of persecution."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class IssueForm(forms.Form):
    kind = forms.ChoiceField(label=_("Legal issue"), choices=LegalIssue.Kind.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.filename


class EvidenceForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=EvidenceItem.Status.choices)
    attachments = AttachmentChoiceField(label=_("Documents"), queryset=None, required=False,
                                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, attachments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].queryset = attachments
