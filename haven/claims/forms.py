"""Forms of the claim pages. They only shape input: the services validate the law."""
from __future__ import annotations

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.claims.models import (
    EventType,
    EvidenceItem,
    Ground,
    Ineligibility,
    IntakeRoute,
    LegalIssue,
    OrderKind,
    Outcome,
    Party,
    Province,
    USLandCrossing,
)
from haven.records.text import SafeTextForm

DATE = forms.DateInput(attrs={"type": "date"})


def _blank(choices):
    return [("", "—"), *choices]


class ClaimForm(SafeTextForm):
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
    intake_route = forms.ChoiceField(
        label=_("How the claim was made"), choices=IntakeRoute.choices, initial=IntakeRoute.PORT_OF_ENTRY,
        required=False,  # left out (an older page, a script): a port-of-entry claim, as before routes existed
        help_text=_("A port-of-entry claimant files the Basis of Claim form with the RPD within 15 days of the "
                    "referral; an inland claimant gives it to the officer (IRPR s.159.8)."))
    entered_canada_on = forms.DateField(label=_("Entered Canada on"), required=False, widget=DATE,
                                        help_text=_("The first entry after 24 June 2020 if there were several."))
    us_land_crossing = forms.ChoiceField(label=_("Crossing from the United States"), required=False,
                                         choices=USLandCrossing.choices)
    claim_made_on = forms.DateField(label=_("Claim made on"), required=False, widget=DATE)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["claimant"].queryset = people
        self.fields["members"].queryset = people


class EventForm(SafeTextForm):
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
    ineligibility = forms.ChoiceField(label=_("Ineligible under"), choices=_blank(Ineligibility.choices),
                                      required=False, help_text=_("Ineligibility: the paragraph of IRPA s.101(1)."))
    destination_country = forms.CharField(label=_("Country of removal"), max_length=100, required=False,
                                          help_text=_("ISO code or English name."))
    confirm_destination = forms.BooleanField(
        label=_("I have checked the country of removal against the file"), required=False,
        help_text=_("Needed when the destination matches no nationality on file or is the country of persecution."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class IssueForm(SafeTextForm):
    kind = forms.ChoiceField(label=_("Legal issue"), choices=LegalIssue.Kind.choices)
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.filename


class EvidenceForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=EvidenceItem.Status.choices)
    # The item's version the page showed (haven.records.versioning); missing from an old page: saved unchecked.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)
    attachments = AttachmentChoiceField(label=_("Documents"), queryset=None, required=False,
                                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, attachments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].queryset = attachments


# The details each kind of step carries, beyond its date and note (see haven.claims.lifecycle and events).
_DECISIONS = {
    EventType.DECISION_ACCEPTED, EventType.DECISION_REJECTED, EventType.DECISION_NCB, EventType.DECISION_MU,
    EventType.ABANDONMENT, EventType.RAD_CONFIRMED, EventType.RAD_SET_ASIDE, EventType.RAD_REFERRED_BACK,
    EventType.FC_LEAVE_GRANTED, EventType.FC_LEAVE_REFUSED, EventType.JR_ALLOWED, EventType.JR_DISMISSED,
    EventType.PRRA_ACCEPTED, EventType.PRRA_REFUSED, EventType.VACATION, EventType.CESSATION,
}
STEP_DETAILS: dict[str, set[str]] = {
    "received_on": _DECISIONS,
    "scheduled_for": {EventType.HEARING_SCHEDULED, EventType.HEARING_POSTPONED},
    "appellant": {EventType.RAD_APPEAL_FILED},
    "ground": {EventType.MINISTER_INTERVENTION, EventType.DECISION_ACCEPTED, EventType.DECISION_REJECTED,
               EventType.DECISION_NCB, EventType.DECISION_MU, EventType.RAD_CONFIRMED, EventType.RAD_SET_ASIDE,
               EventType.RAD_REFERRED_BACK},
    "substituted_outcome": {EventType.RAD_SET_ASIDE},
    "order_kind": {EventType.REMOVAL_ORDER},
    "ineligibility": {EventType.INELIGIBLE},
    "destination_country": {EventType.REMOVAL_ORDER, EventType.REMOVAL},
}


class EventCorrectionForm(SafeTextForm):
    """Correct a recorded step: its date, the details its kind carries (and any other detail it holds), its note.
    The kind of step is not editable: a step recorded as the wrong kind is removed and the right one recorded."""

    reason = forms.CharField(label=_("Reason for the correction"), required=False, max_length=500,
                             help_text=_("Optional; kept in the audit log with the old and new values. Do not "
                                         "write confidential details here."))
    version = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, event, **kwargs):
        super().__init__(*args, **kwargs)
        template = EventForm.base_fields
        fields = {"occurred_on": copy.deepcopy(template["occurred_on"])}
        for name, types in STEP_DETAILS.items():
            if event.type in types or getattr(event, name):
                fields[name] = copy.deepcopy(template[name])
        if "destination_country" in fields:
            fields["confirm_destination"] = copy.deepcopy(template["confirm_destination"])
        fields["note"] = copy.deepcopy(template["note"])
        self.fields = {**fields, **self.fields}
        self.detail_names = [name for name in fields if name != "confirm_destination"]
        for name in self.detail_names:
            self.initial.setdefault(name, getattr(event, name))

    def service_arguments(self) -> dict:
        """The cleaned data as keyword arguments of services.correct_event."""
        data = self.cleaned_data
        arguments = {name: data.get(name) for name in self.detail_names}
        arguments.update(reason=data.get("reason", ""), version=data.get("version"),
                         confirm_destination=bool(data.get("confirm_destination")))
        return arguments

    def changed_details(self) -> list[str]:
        return [name for name in self.changed_data if name in self.detail_names]


class EventRemovalForm(SafeTextForm):
    reason = forms.CharField(label=_("Why is this step removed?"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Required; kept in the audit log with every detail of the step. Do not "
                                         "write confidential details here."))
    version = forms.CharField(widget=forms.HiddenInput)
