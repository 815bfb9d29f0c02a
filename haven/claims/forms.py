"""Forms of the claim pages. They only shape input: the services validate the law."""
from __future__ import annotations

import copy

from django import forms
from django.utils.translation import gettext_lazy as _

from haven.claims.events import STEP_DETAILS, details_of
from haven.claims.models import (
    DeadlineRule,
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
from haven.forms import country_field
from haven.people.display import name_for_language
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
    designated_foreign_national = forms.BooleanField(
        label=_("The claimant is a designated foreign national"), required=False,
        help_text=_("IRPA s.20.1: no appeal to the RAD lies from the RPD's decision (IRPA s.110(2)(a)); the 15 days to "
                    "seek leave of the Federal Court run from its notice."))
    stca_exception = forms.BooleanField(
        label=_("Safe Third Country Agreement exception claim"), required=False,
        help_text=_("The claimant came from the United States and the claim was eligible only under an exception to "
                    "the Agreement (IRPR ss.159.2-159.6): no appeal to the RAD (IRPA s.110(2)(d)). Whether paragraph "
                    "(d) also reaches a claim made inland after the 14 days is not settled: if in doubt, seek leave "
                    "of the Federal Court within its 15 days as well as appealing to the RAD."))
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
    """Record a step: its kind, date and note, and only the details that kind of step carries (STEP_DETAILS).
    `step_type`: the kind chosen so far (none: only the kind, date and note are shown)."""

    type = forms.ChoiceField(label=_("Step"), choices=_blank(EventType.choices))
    occurred_on = forms.DateField(label=_("Date"), widget=DATE,
                                  help_text=_("For a decision, the date it was made."))
    received_on = forms.DateField(label=_("Reasons or notice received on"), required=False, widget=DATE,
                                  help_text=_("Decisions: appeal and leave periods run from this date."))
    scheduled_for = forms.DateField(label=_("Hearing date"), required=False, widget=DATE)
    appellant = forms.ChoiceField(label=_("Appellant"), choices=_blank(Party.choices), required=False)
    ground = forms.ChoiceField(label=_("Ground"), choices=_blank(Ground.choices), required=False,
                               help_text=_("Minister's intervention, or the ground of a rejection. Another country of "
                                           "nationality (art. 1A(2)) and Article 1E are different grounds."))
    substituted_outcome = forms.ChoiceField(
        label=_("Decision substituted by the RAD"), required=False,
        choices=_blank([(Outcome.ACCEPTED, Outcome.ACCEPTED.label), (Outcome.REJECTED, Outcome.REJECTED.label)]))
    order_kind = forms.ChoiceField(label=_("Removal order"), choices=_blank(OrderKind.choices), required=False)
    ineligibility = forms.ChoiceField(label=_("Ineligible under"), choices=_blank(Ineligibility.choices),
                                      required=False, help_text=_("Ineligibility: the paragraph of IRPA s.101(1)."))
    destination_country = country_field(_("Country of removal"))
    confirm_destination = forms.BooleanField(
        label=_("I have checked the country of removal against the file"), required=False,
        help_text=_("Needed when the destination matches no nationality on file or is the country of persecution."))
    bar_exempt = forms.BooleanField(
        label=_("The applicant's country is exempted from the 12-month PRRA bar"), required=False,
        help_text=_("PRRA application: the Minister may exempt the nationals of a country (IRPA s.112(2.1))."))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, step_type: str | None = None, choose_url: str = "", members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.members = {str(member.pk): member for member in members}
        if self.members:
            # Whose step, only in a claim file with joined members: the claim's, or a member's own later
            # proceedings (checked against that member's own decision).
            self.fields["claimant"] = forms.ChoiceField(
                label=_("Whose step"), required=False,
                choices=[("", _("The claim (the principal claimant and the members who follow its decision)")),
                         *((pk, name_for_language(member.person)) for pk, member in self.members.items())],
                help_text=_("A joined member's own appeal, leave application, PRRA...: choose the member. Their "
                            "own decision must be recorded first."))
            self.order_fields(["claimant"])
        if choose_url:
            # Choosing another kind of step posts `choose_step` and swaps in the form with that step's fields
            # (nothing is saved); the noscript button of _event_form.html does the same without JavaScript.
            self.fields["type"].widget.attrs.update({
                "hx-post": choose_url, "hx-trigger": "change", "hx-target": "#event-form", "hx-swap": "outerHTML",
                "hx-vals": '{"choose_step": "1"}', "aria-controls": "event-form"})
        chosen = step_type if step_type is not None else self.data.get("type", "")
        # A detail typed for another kind of step (chosen before, without JavaScript) stays on the form, so that
        # the service's refusal shows on it rather than the value being dropped unseen.
        carried = set(details_of(chosen)) | {name for name in STEP_DETAILS if self.data.get(name)}
        for name in STEP_DETAILS:
            if name not in carried:
                del self.fields[name]
        if "destination_country" not in carried:
            del self.fields["confirm_destination"]

    def service_arguments(self) -> dict:
        """The cleaned data as keyword arguments of services.record_event."""
        data = dict(self.cleaned_data)
        data["claimant"] = self.members.get(data.pop("claimant", "") or "")
        return data


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


class MemberDecisionForm(forms.Form):
    """A joined member's own decision (RPD Rules r.55), or "follows the claim's decision" again."""

    RECORD, FOLLOW = "record", "follow"
    action = forms.ChoiceField(choices=((RECORD, RECORD), (FOLLOW, FOLLOW)), widget=forms.HiddenInput,
                               initial=RECORD)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=_blank(Outcome.choices), required=False)
    outcome_on = forms.DateField(label=_("Decided on"), required=False, widget=DATE)
    reasons_received_on = forms.DateField(label=_("Reasons received on"), required=False, widget=DATE)
    # The record's version the page showed (haven.records.versioning).
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, required=False)


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


DAYS_CHOICES = [
    ("", _("Overdue and the next 60 days")),
    ("overdue", _("Overdue")),
    ("7", _("Overdue or due within 7 days")),
    ("30", _("Overdue or due within 30 days")),
    ("all", _("All open deadlines")),
]
RESPONSIBLE_CHOICES = [(value, label) for value, label in DeadlineRule.Responsible.choices
                       if value != DeadlineRule.Responsible.INFORMATION]


class DeadlineFilterForm(forms.Form):
    """The deadlines page's filters. Unknown values are ignored rather than refused: a filter only narrows."""

    responsible = forms.MultipleChoiceField(label=_("Whose step"), choices=RESPONSIBLE_CHOICES, required=False,
                                            widget=forms.CheckboxSelectMultiple)
    case = forms.CharField(label=_("Case reference"), max_length=40, required=False)
    days = forms.ChoiceField(label=_("Due"), choices=DAYS_CHOICES, required=False)

    def filters(self) -> dict:
        """The valid filters as keyword arguments of selectors.deadlines_page."""
        self.is_valid()  # cleaned_data then holds the fields that are valid; an invalid one is left out
        data = self.cleaned_data
        return {"responsible": list(data.get("responsible") or []), "case_reference": (data.get("case") or "").strip(),
                "days": data.get("days") or ""}
