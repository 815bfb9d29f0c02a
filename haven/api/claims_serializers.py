"""API representations of protection claims (haven.claims): claims, their steps, legal issues with their evidence
checklist, and deadlines. Every code is sent with its label in the reader's language (`<field>_label`, countries
as `<field>_name`), so a client never has to know the codes' meanings. Write serializers only shape input: the
claims services validate the law and answer with the same messages as the pages."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from haven.api.serializers import CASE_HELP, CountryCodeField, SafeCharField, enum_field
from haven.claims.forms import DAYS_CHOICES, RESPONSIBLE_CHOICES
from haven.claims.labels import DeadlineStatus, deadline_status, rule_label, trigger_label
from haven.claims.models import (
    Claim,
    ClaimEvent,
    Deadline,
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
from haven.people.codes import country_name
from haven.people.display import name_for_language

# Each choice set under one name in the schema, for the read and the write serializers alike.
ProvinceField = enum_field("ClaimProvinceEnum", Province.choices)
StepTypeField = enum_field("ClaimStepTypeEnum", EventType.choices)
PartyField = enum_field("ClaimPartyEnum", Party.choices)
GroundField = enum_field("ClaimGroundEnum", Ground.choices)
OutcomeField = enum_field("ClaimOutcomeEnum", Outcome.choices)
OrderKindField = enum_field("ClaimOrderKindEnum", OrderKind.choices)
IntakeRouteField = enum_field("ClaimIntakeRouteEnum", IntakeRoute.choices)
USLandCrossingField = enum_field("ClaimUSLandCrossingEnum", USLandCrossing.choices)
IneligibilityField = enum_field("ClaimIneligibilityEnum", Ineligibility.choices)
IssueKindField = enum_field("LegalIssueKindEnum", LegalIssue.Kind.choices)
IssueStatusField = enum_field("LegalIssueStatusEnum", LegalIssue.Status.choices)
EvidenceStatusField = enum_field("ClaimEvidenceStatusEnum", EvidenceItem.Status.choices)
ResponsibleField = enum_field("DeadlineResponsibleEnum", RESPONSIBLE_CHOICES)
DAY_CHOICES = [(value, label) for value, label in DAYS_CHOICES if value]
DaysField = enum_field("DeadlineDaysEnum", DAY_CHOICES)


def _shown(field_class, choices):
    """A read-only choice field under its schema name (the blank value allowed: a detail a step does not carry)."""
    return field_class(choices=choices, read_only=True, allow_blank=True)


def _label(choices, value: str) -> str:
    """The label of a TextChoices value; empty for an empty value, the value itself for one no longer a choice."""
    if not value:
        return ""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


class CountryNameField(serializers.CharField):
    """A country code's name in the reader's language (read-only)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return country_name(value) if value else ""


class ClaimSerializer(serializers.ModelSerializer):
    province = _shown(ProvinceField, Province.choices)
    outcome = _shown(OutcomeField, Outcome.choices)
    intake_route = _shown(IntakeRouteField, IntakeRoute.choices)
    us_land_crossing = _shown(USLandCrossingField, USLandCrossing.choices)
    intake_route_label = serializers.CharField(source="get_intake_route_display", read_only=True)
    us_land_crossing_label = serializers.CharField(source="get_us_land_crossing_display", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    members = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    country_of_persecution_name = CountryNameField(source="country_of_persecution")
    province_label = serializers.CharField(source="get_province_display", read_only=True)
    outcome_label = serializers.CharField(source="get_outcome_display", read_only=True)
    stage_label = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = ["id", "case", "case_reference", "reference", "claimant", "members", "country_of_persecution",
                  "country_of_persecution_name", "province", "province_label", "referred_on",
                  "designated_foreign_national", "stca_exception", "intake_route", "intake_route_label",
                  "entered_canada_on", "us_land_crossing", "us_land_crossing_label", "claim_made_on", "outcome",
                  "outcome_label", "outcome_on", "stage", "stage_label", "version", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_stage_label(self, claim: Claim) -> str:
        return _label(EventType, claim.stage)


class ClaimCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text=CASE_HELP)
    reference = SafeCharField(max_length=40)
    claimant = serializers.IntegerField(help_text=_("A member of the case's household."))
    members = serializers.ListField(child=serializers.IntegerField(), required=False, default=list,
                                    help_text=_("Family members whose claims are joined to this one."))
    country_of_persecution = CountryCodeField(required=True, allow_blank=False)
    province = ProvinceField(choices=Province.choices, default=Province.ON,
                             help_text=_("Province of the IRB regional office; its holidays extend deadlines."))
    referred_on = serializers.DateField(required=False, allow_null=True, default=None)
    designated_foreign_national = serializers.BooleanField(required=False, default=False, help_text=_(
        "IRPA s.20.1: no appeal to the RAD lies from the RPD's decision (IRPA s.110(2)(a)); the 15 days to seek "
        "leave of the Federal Court run from its notice."))
    stca_exception = serializers.BooleanField(required=False, default=False, help_text=_(
        "The claimant came directly or indirectly from the United States and the claim was eligible only by virtue of "
        "the Regulations' exceptions to the Safe Third Country Agreement (IRPR ss.159.2-159.6): no appeal to the RAD "
        "(IRPA s.110(2)(d))."))
    intake_route = IntakeRouteField(choices=IntakeRoute.choices, default=IntakeRoute.PORT_OF_ENTRY, help_text=_(
        "A port-of-entry claimant files the Basis of Claim form with the RPD within 15 days of the referral; an "
        "inland claimant gives it to the officer (IRPR s.159.8)."))
    entered_canada_on = serializers.DateField(required=False, allow_null=True, default=None)
    us_land_crossing = USLandCrossingField(choices=USLandCrossing.choices, required=False, allow_blank=True,
                                           default="")
    claim_made_on = serializers.DateField(required=False, allow_null=True, default=None)


class ClaimUpdateSerializer(serializers.Serializer):
    """Only the fields sent are changed (the same rules as the claim form)."""

    country_of_persecution = CountryCodeField(allow_blank=False)
    province = ProvinceField(choices=Province.choices, required=False)
    members = serializers.ListField(child=serializers.IntegerField(), required=False)
    designated_foreign_national = serializers.BooleanField(required=False)
    stca_exception = serializers.BooleanField(required=False)
    intake_route = IntakeRouteField(choices=IntakeRoute.choices, required=False)
    entered_canada_on = serializers.DateField(required=False, allow_null=True)
    us_land_crossing = USLandCrossingField(choices=USLandCrossing.choices, required=False, allow_blank=True)
    claim_made_on = serializers.DateField(required=False, allow_null=True)


class StepSerializer(serializers.ModelSerializer):
    """A recorded step. The note is sent only to users who may see confidential material."""

    type = _shown(StepTypeField, EventType.choices)
    appellant = _shown(PartyField, Party.choices)
    ground = _shown(GroundField, Ground.choices)
    substituted_outcome = _shown(OutcomeField, Outcome.choices)
    order_kind = _shown(OrderKindField, OrderKind.choices)
    ineligibility = _shown(IneligibilityField, Ineligibility.choices)
    type_label = serializers.CharField(source="get_type_display", read_only=True)
    appellant_label = serializers.CharField(source="get_appellant_display", read_only=True)
    ground_label = serializers.CharField(source="get_ground_display", read_only=True)
    substituted_outcome_label = serializers.CharField(source="get_substituted_outcome_display", read_only=True)
    order_kind_label = serializers.CharField(source="get_order_kind_display", read_only=True)
    ineligibility_label = serializers.CharField(source="get_ineligibility_display", read_only=True)
    destination_country_name = CountryNameField(source="destination_country")
    note = serializers.SerializerMethodField()

    class Meta:
        model = ClaimEvent
        fields = ["id", "claim", "claimant", "type", "type_label", "occurred_on", "received_on", "scheduled_for", "appellant",
                  "appellant_label", "ground", "ground_label", "substituted_outcome", "substituted_outcome_label",
                  "bar_exempt", "order_kind", "order_kind_label", "ineligibility", "ineligibility_label",
                  "destination_country", "destination_country_name",
                  "destination_confirmed", "note", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_note(self, event: ClaimEvent) -> str | None:
        perms = self.context.get("perms")
        return event.note if perms is not None and perms.see_confidential else None


class ClaimStepCreateSerializer(serializers.Serializer):
    """A step and only the details its type carries: any other detail is refused with a message naming it."""

    claimant = serializers.IntegerField(
        required=False, allow_null=True, default=None,
        help_text=_("A joined member's own step (their appeal, leave application, PRRA...): the id of the member's "
                    "record in this claim file, whose own decision is recorded. Empty: the claim's step."))
    type = StepTypeField(choices=EventType.choices)
    occurred_on = serializers.DateField(help_text=_("For a decision, the date it was made."))
    received_on = serializers.DateField(required=False, allow_null=True, default=None,
                                        help_text=_("Decisions: appeal and leave periods run from this date."))
    scheduled_for = serializers.DateField(required=False, allow_null=True, default=None,
                                          help_text=_("Hearings: the date of the hearing."))
    appellant = PartyField(choices=Party.choices, required=False, allow_blank=True, default="")
    ground = GroundField(choices=Ground.choices, required=False, allow_blank=True, default="")
    substituted_outcome = OutcomeField(choices=Outcome.choices, required=False, allow_blank=True, default="")
    bar_exempt = serializers.BooleanField(required=False, default=False, help_text=_(
        "PRRA application: the Minister may exempt the nationals of a country (IRPA s.112(2.1))."))
    order_kind = OrderKindField(choices=OrderKind.choices, required=False, allow_blank=True, default="")
    ineligibility = IneligibilityField(choices=Ineligibility.choices, required=False, allow_blank=True, default="",
                                       help_text=_("Ineligibility: the paragraph of IRPA s.101(1)."))
    destination_country = CountryCodeField(default="")
    confirm_destination = serializers.BooleanField(required=False, default=False, help_text=_(
        "Needed when the destination matches no nationality on file or is the country of persecution."))
    note = SafeCharField(required=False, allow_blank=True, default="")


class EvidenceSerializer(serializers.ModelSerializer):
    status = _shown(EvidenceStatusField, EvidenceItem.Status.choices)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = EvidenceItem
        fields = ["id", "issue", "description", "status", "status_label", "attachments", "version"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_attachments(self, item: EvidenceItem) -> list[int]:
        """The linked documents the reader may see (prefetched so: volunteers get no confidential one)."""
        return [attachment.pk for attachment in item.attachments.all()]


class EvidenceUpdateSerializer(serializers.Serializer):
    status = EvidenceStatusField(choices=EvidenceItem.Status.choices, required=False)
    attachments = serializers.ListField(child=serializers.IntegerField(), required=False, help_text=_(
        "Every document to link, by id: documents of the claim's case only."))


class IssueSerializer(serializers.ModelSerializer):
    """A legal issue with its evidence checklist; its notes only for users who may see confidential material."""

    kind = _shown(IssueKindField, LegalIssue.Kind.choices)
    status = _shown(IssueStatusField, LegalIssue.Status.choices)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    notes = serializers.SerializerMethodField()

    class Meta:
        model = LegalIssue
        fields = ["id", "claim", "kind", "kind_label", "status", "status_label", "notes", "evidence", "created_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_notes(self, issue: LegalIssue) -> str | None:
        perms = self.context.get("perms")
        return issue.notes if perms is not None and perms.see_confidential else None


class IssueCreateSerializer(serializers.Serializer):
    kind = IssueKindField(choices=LegalIssue.Kind.choices)
    notes = SafeCharField(required=False, allow_blank=True, default="")


class DeadlineSerializer(serializers.ModelSerializer):
    """A claim's deadline with its rule's label, citation and whose step it is, and what started it."""

    claim_reference = serializers.CharField(source="claim.reference", read_only=True)
    case_reference = serializers.CharField(source="case.reference", read_only=True)
    label = serializers.SerializerMethodField()
    citation = serializers.CharField(source="rule.citation", read_only=True)
    responsible = serializers.CharField(source="rule.responsible", read_only=True)
    responsible_label = serializers.SerializerMethodField()
    trigger_label = serializers.SerializerMethodField()
    days_left = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField()
    person = serializers.SerializerMethodField()

    class Meta:
        model = Deadline
        fields = ["id", "claim", "claim_reference", "case", "case_reference", "claimant", "person", "key", "label",
                  "citation", "responsible", "responsible_label", "trigger", "trigger_label", "trigger_on", "due_on",
                  "completed_on", "status", "days_left"]
        read_only_fields = fields
        extra_kwargs = {"claimant": {"help_text": _(
            "A joined member's own deadline: the member's record in the claim file (null: the claim's deadline).")}}

    @extend_schema_field(serializers.ChoiceField(choices=DeadlineStatus.choices))
    def get_status(self, deadline: Deadline) -> str:
        """As the deadlines page shows it: met, met_late (met after the due date: kept on the late list), closed
        (a later step ended the window without the step that meets it), information, overdue, today or open."""
        return deadline_status(due_on=deadline.due_on, completed_on=deadline.completed_on,
                               responsible=deadline.rule.responsible, today=self.context.get("today")
                               or deadline.due_on, lapsed=deadline.lapsed)

    @extend_schema_field(OpenApiTypes.STR)
    def get_person(self, deadline: Deadline) -> str:
        """A joined member's own deadline: the member's name in the reader's language; empty for the claim's."""
        return name_for_language(deadline.claimant.person) if deadline.claimant_id else ""

    @extend_schema_field(OpenApiTypes.STR)
    def get_label(self, deadline: Deadline) -> str:
        return rule_label(deadline.rule.label)

    @extend_schema_field(OpenApiTypes.STR)
    def get_responsible_label(self, deadline: Deadline) -> str:
        return _label(DeadlineRule.Responsible, deadline.rule.responsible)

    @extend_schema_field(OpenApiTypes.STR)
    def get_trigger_label(self, deadline: Deadline) -> str:
        return trigger_label(deadline.trigger, self.context.get("rule_labels"))

    @extend_schema_field(OpenApiTypes.INT)
    def get_days_left(self, deadline: Deadline) -> int | None:
        """Days from today (where the reader works) to the due date, negative when overdue; none once met."""
        today = self.context.get("today")
        return None if deadline.completed_on or today is None else (deadline.due_on - today).days


class DeadlineQuerySerializer(serializers.Serializer):
    """The deadlines list's filters, as the deadlines page has them (the case by id, as elsewhere in the API)."""

    responsible = serializers.ListField(child=ResponsibleField(choices=RESPONSIBLE_CHOICES), required=False,
                                        default=list)
    case = serializers.IntegerField(required=False, help_text=_("Only this case's deadlines."))
    days = DaysField(choices=DAY_CHOICES, required=False,
                     help_text=_("overdue; 7 or 30: overdue or due within that many days; all: every open "
                                 "deadline. Without it: overdue and the next 60 days."))
