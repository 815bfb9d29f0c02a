"""API representations of settlement records (haven.settlement). Write serializers only parse input; the
services validate, save and audit. Volunteers' reads are trimmed by the selectors (no health domains, no
assessment summaries or comments)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from haven.api.serializers import SafeCharField
from haven.settlement.models import (
    Assessment,
    Domain,
    DomainRating,
    Goal,
    Milestone,
    Provider,
    Referral,
)

CASE_HELP = _("The case's id.")


class RatingSerializer(serializers.ModelSerializer):
    domain_label = SafeCharField(source="get_domain_display", read_only=True)

    class Meta:
        model = DomainRating
        fields = ["domain", "domain_label", "level", "comment", *DomainRating.CLB_FIELDS]


class AssessmentSerializer(serializers.ModelSerializer):
    ratings = serializers.SerializerMethodField()
    summary = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = ["id", "case", "person", "kind", "assessed_on", "summary", "ratings", "created_at"]

    def _practical(self) -> bool:
        perms = self.context.get("perms")
        return perms is None or not perms.see_confidential

    def get_summary(self, obj) -> str:
        return "" if self._practical() else obj.summary

    def get_ratings(self, obj) -> list[dict]:
        rows = RatingSerializer(obj.ratings.all(), many=True).data
        if self._practical():
            rows = [{**row, "comment": ""} for row in rows if row["domain"] not in
                    ("physical_health", "mental_health")]
        return rows


class RatingInputSerializer(serializers.Serializer):
    domain = serializers.ChoiceField(choices=Domain.choices)
    level = serializers.IntegerField(min_value=1, max_value=5)
    comment = SafeCharField(required=False, allow_blank=True, default="")
    clb_listening = serializers.IntegerField(required=False, allow_null=True, default=None)
    clb_speaking = serializers.IntegerField(required=False, allow_null=True, default=None)
    clb_reading = serializers.IntegerField(required=False, allow_null=True, default=None)
    clb_writing = serializers.IntegerField(required=False, allow_null=True, default=None)


class AssessmentCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text=CASE_HELP)
    person = serializers.IntegerField(required=False, allow_null=True, default=None,
                                      help_text=_("A member of the case's household; empty for the household."))
    kind = serializers.ChoiceField(choices=Assessment.Kind.choices, default=Assessment.Kind.FOLLOW_UP)
    assessed_on = serializers.DateField()
    summary = SafeCharField(required=False, allow_blank=True, default="")
    ratings = RatingInputSerializer(many=True)


class GoalSerializer(serializers.ModelSerializer):
    domain_label = SafeCharField(source="get_domain_display", read_only=True)
    status_label = SafeCharField(source="get_status_display", read_only=True)

    class Meta:
        model = Goal
        fields = ["id", "case", "person", "domain", "domain_label", "description", "target_date", "status",
                  "status_label", "achieved_on", "created_at"]


class GoalCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text=CASE_HELP)
    person = serializers.IntegerField(required=False, allow_null=True, default=None)
    domain = serializers.ChoiceField(choices=Domain.choices)
    description = SafeCharField(max_length=300)
    target_date = serializers.DateField(required=False, allow_null=True, default=None)


class GoalUpdateSerializer(serializers.Serializer):
    domain = serializers.ChoiceField(choices=Domain.choices, required=False)
    description = SafeCharField(max_length=300, required=False)
    target_date = serializers.DateField(required=False, allow_null=True)
    status = serializers.ChoiceField(choices=Goal.Status.choices, required=False)
    achieved_on = serializers.DateField(required=False, allow_null=True)


class ProviderSerializer(serializers.ModelSerializer):
    kind_label = SafeCharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Provider
        fields = ["id", "organization", "name", "kind", "kind_label", "contact", "languages"]


class ProviderWriteSerializer(serializers.Serializer):
    organization = serializers.IntegerField(help_text=_("An organization where you are staff."))
    name = SafeCharField(max_length=200)
    kind = serializers.ChoiceField(choices=Provider.Kind.choices)
    contact = SafeCharField(max_length=300, required=False, allow_blank=True, default="")
    languages = SafeCharField(max_length=200, required=False, allow_blank=True, default="")


class ProviderUpdateSerializer(serializers.Serializer):
    name = SafeCharField(max_length=200, required=False)
    kind = serializers.ChoiceField(choices=Provider.Kind.choices, required=False)
    contact = SafeCharField(max_length=300, required=False, allow_blank=True)
    languages = SafeCharField(max_length=200, required=False, allow_blank=True)


class ReferralSerializer(serializers.ModelSerializer):
    provider_name = SafeCharField(source="provider.name", read_only=True)
    domain_label = SafeCharField(source="get_domain_display", read_only=True)
    status_label = SafeCharField(source="get_status_display", read_only=True)
    notes = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = ["id", "case", "person", "provider", "provider_name", "domain", "domain_label", "status",
                  "status_label", "referred_on", "status_changed_on", "notes"]

    def get_notes(self, obj) -> str:
        perms = self.context.get("perms")
        return obj.notes if perms is not None and perms.see_confidential else ""


class ReferralCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text=CASE_HELP)
    provider = serializers.IntegerField(help_text=_("A provider of the case organization's directory."))
    person = serializers.IntegerField(required=False, allow_null=True, default=None)
    domain = serializers.ChoiceField(choices=Domain.choices)
    referred_on = serializers.DateField()
    notes = SafeCharField(required=False, allow_blank=True, default="")


class ReferralStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Referral.Status.choices)
    changed_on = serializers.DateField()


class MilestoneSerializer(serializers.ModelSerializer):
    kind_label = SafeCharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Milestone
        fields = ["id", "case", "kind", "kind_label", "done_on"]


class MilestoneCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text=CASE_HELP)
    kind = serializers.ChoiceField(choices=Milestone.Kind.choices)
    done_on = serializers.DateField()


class MilestoneRowSerializer(serializers.Serializer):
    kind = SafeCharField()
    label = SafeCharField()
    done_on = serializers.DateField(allow_null=True)
    core = serializers.BooleanField()


class SelfSufficiencySerializer(serializers.Serializer):
    reached = serializers.BooleanField()
    covered_months = serializers.IntegerField()
    months_required = serializers.IntegerField()
    missing_milestones = serializers.ListField(child=SafeCharField())
    explanation = SafeCharField()


class PlanSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    goals = GoalSerializer(many=True)
    referrals = ReferralSerializer(many=True)
    milestones = MilestoneRowSerializer(many=True)
    self_sufficiency = SelfSufficiencySerializer()
