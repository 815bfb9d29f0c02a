"""REST API for private sponsorship (haven.sponsorship): sponsor profiles, applications with their steps,
eligibility answers and the settlement plan budget. Same rules as the pages: records come through
haven.sponsorship.selectors (404 for anyone not allowed, as for a missing id), writes through the services, reads
audited."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action

from rest_framework.response import Response

from haven.api.serializers import SafeCharField
from haven.accounts.models import Team
from haven.api.services import audit_list, audit_view
from haven.api.views import NOT_FOUND, HavenViewSet
from haven.cases.access import access_profile, get_case_for_user, not_found
from haven.sponsorship import plans, selectors, services
from haven.sponsorship.models import (
    Answer,
    EligibilityAnswer,
    Program,
    SponsorMember,
    SponsorProfile,
    SponsorshipApplication,
    Stage,
    StageEvent,
)


class SponsorMemberSerializer(serializers.ModelSerializer):
    role_label = SafeCharField(source="get_role_display", read_only=True)

    class Meta:
        model = SponsorMember
        fields = ["id", "name", "role", "role_label"]


class SponsorProfileSerializer(serializers.ModelSerializer):
    team_name = SafeCharField(source="team.name", read_only=True)
    kind_label = SafeCharField(source="get_kind_display", read_only=True)
    members = SponsorMemberSerializer(many=True, read_only=True)

    class Meta:
        model = SponsorProfile
        fields = ["id", "team", "team_name", "kind", "kind_label", "community", "members"]


class ApplicationSerializer(serializers.ModelSerializer):
    program = SafeCharField(source="program.code", read_only=True)
    stage_label = SafeCharField(source="get_stage_display", read_only=True)

    class Meta:
        model = SponsorshipApplication
        fields = ["id", "case", "sponsor_group", "program", "transit_country", "priority", "priority_reason",
                  "stage", "stage_label", "stage_since", "started_on", "undertaking_signed_on", "submitted_on",
                  "federal_file_number", "decision", "arrived_on"]


class ApplicationCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField()
    sponsor_group = serializers.IntegerField()
    program = serializers.ChoiceField(choices=Program.Code.choices)
    transit_country = SafeCharField(max_length=60)
    started_on = serializers.DateField()
    recognition_proof = SafeCharField(max_length=200, required=False, allow_blank=True, default="")
    priority = serializers.BooleanField(required=False, default=False)
    priority_reason = SafeCharField(max_length=300, required=False, allow_blank=True, default="")


class StageEventSerializer(serializers.ModelSerializer):
    stage_label = SafeCharField(source="get_stage_display", read_only=True)
    recorded_by = SafeCharField(source="recorded_by.get_username", read_only=True)

    class Meta:
        model = StageEvent
        fields = ["id", "stage", "stage_label", "occurred_on", "form_reference", "federal_file_number", "decision",
                  "reasons", "note", "corrects", "removed", "correction_reason", "recorded_by", "recorded_at"]


class StepCreateSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    occurred_on = serializers.DateField()
    federal_file_number = SafeCharField(max_length=40, required=False, allow_blank=True, default="")
    decision = SafeCharField(max_length=10, required=False, allow_blank=True, default="")
    reasons = SafeCharField(required=False, allow_blank=True, default="")
    note = SafeCharField(max_length=500, required=False, allow_blank=True, default="")


class EligibilityAnswerSerializer(serializers.ModelSerializer):
    answered_by = SafeCharField(source="answered_by.get_username", read_only=True)

    class Meta:
        model = EligibilityAnswer
        fields = ["id", "question", "answer", "note", "answered_by", "answered_at"]
        read_only_fields = ["answered_at"]


class AnswerCreateSerializer(serializers.Serializer):
    question = SafeCharField(max_length=40)
    answer = serializers.ChoiceField(choices=Answer.choices)
    note = SafeCharField(max_length=500, required=False, allow_blank=True, default="")


@extend_schema_view(list=extend_schema(summary=_("List the sponsor groups' profiles you may see")),
                    retrieve=extend_schema(summary=_("A sponsor group's profile"),
                                           responses={200: SponsorProfileSerializer, 404: NOT_FOUND}))
class SponsorProfileViewSet(HavenViewSet):
    model = SponsorProfile
    read_serializer_class = SponsorProfileSerializer
    http_method_names = ["get", "head", "options"]

    def visible_queryset(self):
        return selectors.visible_sponsor_profiles(self.request.user).prefetch_related("members").order_by("pk")

    def get_object(self):
        return selectors.get_sponsor_profile_for_user(self.request.user, self.kwargs["pk"])


@extend_schema_view(
    list=extend_schema(summary=_("List the sponsorship applications you may see (priority first)")),
    retrieve=extend_schema(summary=_("A sponsorship application"),
                           responses={200: ApplicationSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary=_("Start a sponsorship application"), request=ApplicationCreateSerializer,
                         responses={201: ApplicationSerializer, 400: OpenApiResponse(description=_("Invalid input."))}),
)
class ApplicationViewSet(HavenViewSet):
    model = SponsorshipApplication
    read_serializer_class = ApplicationSerializer
    write_serializer_classes = {"create": ApplicationCreateSerializer}
    http_method_names = ["get", "post", "head", "options"]

    def visible_queryset(self):
        return selectors.visible_applications(self.request.user).select_related("program") \
            .order_by("-priority", "started_on", "pk")

    getter = staticmethod(selectors.get_application_for_user)

    def create(self, request, *args, **kwargs):
        data = self.validated(ApplicationCreateSerializer)
        case, _perms = get_case_for_user(request.user, data.pop("case"), write=True)
        if case.organization_id not in access_profile(request.user).staff_org_ids:
            raise not_found()
        group = Team.objects.filter(pk=data.pop("sponsor_group"), organization_id=case.organization_id,
                                    kind=Team.Kind.SPONSOR_GROUP).first()
        if group is None:
            raise serializers.ValidationError({"sponsor_group": [_("Choose one of the organization's sponsor "
                                                                   "groups.")]})
        application = services.create_application(actor=request.user, case=case, sponsor_group=group,
                                                  program=Program.objects.get(code=data.pop("program")), **data)
        return Response(self.read(application), status=status.HTTP_201_CREATED)

    def _writable(self):
        application = self.get_object()
        if not self.perms.can_write:
            raise not_found()
        return application

    @extend_schema(summary=_("The application's steps (every row, corrections included), or record the next"),
                   request=StepCreateSerializer, responses={200: StageEventSerializer(many=True),
                                                            201: StageEventSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get", "post"])
    def steps(self, request, pk=None, format=None):
        if request.method == "POST":
            application = self._writable()
            data = self.validated(StepCreateSerializer)
            event = services.record_step(actor=request.user, application=application, **data)
            return Response(StageEventSerializer(event).data, status=status.HTTP_201_CREATED)
        application = self.get_object()
        rows = list(application.events.select_related("recorded_by").order_by("pk"))
        audit_list(actor=request.user, model=StageEvent, objects=rows, case_id=application.case_id,
                   summary=f"API {request.get_full_path()}")
        return Response(StageEventSerializer(rows, many=True).data)

    @extend_schema(summary=_("The eligibility answers with their history, or answer a question"),
                   request=AnswerCreateSerializer, responses={200: EligibilityAnswerSerializer(many=True),
                                                              201: EligibilityAnswerSerializer, 404: NOT_FOUND})
    @action(detail=True, methods=["get", "post"])
    def eligibility(self, request, pk=None, format=None):
        application = self.get_object()
        if not self.perms.perms.see_confidential:  # admissibility flags: never for volunteers
            raise not_found()
        if request.method == "POST":
            if not self.perms.can_write:
                raise not_found()
            data = self.validated(AnswerCreateSerializer)
            answer = services.answer_question(actor=request.user, case=application.case, **data)
            return Response(EligibilityAnswerSerializer(answer).data, status=status.HTTP_201_CREATED)
        rows = selectors.answer_history(application.case)
        audit_list(actor=request.user, model=EligibilityAnswer, objects=rows, case_id=application.case_id,
                   summary=f"API {request.get_full_path()}")
        return Response(EligibilityAnswerSerializer(rows, many=True).data)

    @extend_schema(summary=_("The settlement plan budget and its monthly schedule"),
                   responses={200: OpenApiResponse(description=_("income_support, start_up, in_kind, total, "
                                                                 "cash_needed, months, schedule")),
                              404: NOT_FOUND})
    @action(detail=True, methods=["get"])
    def budget(self, request, pk=None, format=None):
        application = self.get_object()
        plan = selectors.plan_of(application)
        if plan is None:
            raise not_found()
        audit_view(actor=request.user, obj=plan, case_id=application.case_id)
        return Response({**plans.plan_budget(plan).as_json(), "family_size": plan.family_size,
                         "cost_table": plan.cost_table.effective_from, "support_starts_on": plan.support_starts_on,
                         "extension_months": plan.extension_months})

