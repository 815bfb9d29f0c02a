"""REST API of haven.settlement: assessments, goals, referrals, milestones, providers and a case's whole plan.
Same access as the web pages (haven.settlement.selectors): lists are per case (`?case=ID`, 404 for a case the
caller may not see), sponsor-group volunteers read the practical details only and change nothing (403), the
provider directory is for the staff of its organization. Services validate and audit; haven.api.exceptions
turns their ValidationError into 400."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from haven.accounts.models import Organization
from haven.api import settlement_serializers as s
from haven.api.permissions import DEFAULT_PERMISSIONS
from haven.api.services import audit_view
from haven.api.versions import ETAG, IF_MATCH, expected_version, with_etag
from haven.api.views import FORBIDDEN, NOT_FOUND, HavenViewSet, write_responses
from haven.cases.access import (
    Permissions,
    access_profile,
    get_case_for_user,
    get_person_for_user,
    get_visible_or_404,
)
from haven.cases.models import Case
from haven.settlement import selectors
from haven.settlement import services as settlement
from haven.settlement.models import Assessment, Goal, Milestone, Provider, Referral

CASE_PARAMETER = OpenApiParameter("case", OpenApiTypes.INT, required=True,
                                  description=_("The case whose records to list."))
DELETED = {204: None, 403: FORBIDDEN, 404: NOT_FOUND}


class SettlementChildViewSet(HavenViewSet):
    """Records of one case: listed with `?case=ID`; written by whoever may change the case."""

    def visible_queryset(self):
        case_id = self.request.query_params.get("case")
        if not case_id:
            raise ValidationError({"case": [_("This query parameter is required.")]})
        case, perms = get_case_for_user(self.request.user, case_id)
        self.list_case_id, self.perms = case.pk, perms
        return self.listed(case, perms)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "perms": self.perms}

    def writable_case(self, case_id) -> tuple[Case, Permissions]:
        case, perms = get_case_for_user(self.request.user, case_id)
        if not perms.can_write:
            raise PermissionDenied(_("You may see this case but not change it."))
        self.perms = perms
        return case, perms

    def person_of(self, person_id):
        return None if person_id is None else get_person_for_user(self.request.user, person_id)[0]

    def destroy(self, request, *args, **kwargs):
        obj = self.get_writable_object()
        self.remove(obj)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(
    list=extend_schema(summary=_("List a case's needs assessments"), parameters=[CASE_PARAMETER], description=_(
        "Volunteers see no health or mental-health ratings, summaries or comments.")),
    retrieve=extend_schema(summary=_("A needs assessment"), responses={200: s.AssessmentSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary=_("Record a needs assessment"), request=s.AssessmentCreateSerializer,
                         responses=write_responses(201, s.AssessmentSerializer, 403, 404)),
    destroy=extend_schema(summary=_("Delete a needs assessment"), responses=DELETED),
)
class AssessmentViewSet(SettlementChildViewSet):
    model = Assessment
    read_serializer_class = s.AssessmentSerializer
    getter = staticmethod(selectors.get_assessment_for_user)

    def listed(self, case, perms):
        return selectors.assessments_of(case, perms)

    def create(self, request, *args, **kwargs):
        data = self.validated(s.AssessmentCreateSerializer)
        case, _perms = self.writable_case(data["case"])
        assessment = settlement.record_assessment(
            actor=request.user, case=case, person=self.person_of(data["person"]), kind=data["kind"],
            assessed_on=data["assessed_on"], summary=data["summary"], ratings=[dict(r) for r in data["ratings"]])
        return self.created(assessment)

    def remove(self, obj):
        settlement.delete_assessment(actor=self.request.user, assessment=obj)


@extend_schema_view(
    list=extend_schema(summary=_("List a case's settlement goals"), parameters=[CASE_PARAMETER]),
    retrieve=extend_schema(summary=_("A settlement goal"), responses={200: s.GoalSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary=_("Add a settlement goal"), request=s.GoalCreateSerializer,
                         responses=write_responses(201, s.GoalSerializer, 403, 404)),
    partial_update=extend_schema(summary=_("Change a settlement goal"), request=s.GoalUpdateSerializer,
                                 parameters=[IF_MATCH, ETAG],
                                 responses=write_responses(200, s.GoalSerializer, 403, 404, 412)),
    destroy=extend_schema(summary=_("Delete a settlement goal"), responses=DELETED),
)
class GoalViewSet(SettlementChildViewSet):
    model = Goal
    read_serializer_class = s.GoalSerializer
    getter = staticmethod(selectors.get_goal_for_user)

    def listed(self, case, perms):
        return selectors.goals_of(case, perms)

    def create(self, request, *args, **kwargs):
        data = self.validated(s.GoalCreateSerializer)
        case, _perms = self.writable_case(data.pop("case"))
        goal = settlement.add_goal(actor=request.user, case=case, person=self.person_of(data.pop("person")), **data)
        return self.created(goal)

    def partial_update(self, request, *args, **kwargs):
        goal = self.get_writable_object()
        data = self.validated(s.GoalUpdateSerializer, partial=True)
        settlement.update_goal(actor=request.user, goal=goal, expected_version=expected_version(request, goal), **data)
        return with_etag(Response(self.read(goal)), goal)

    def remove(self, obj):
        settlement.delete_goal(actor=self.request.user, goal=obj)


@extend_schema_view(
    list=extend_schema(summary=_("List a case's referrals"), parameters=[CASE_PARAMETER]),
    retrieve=extend_schema(summary=_("A referral"), responses={200: s.ReferralSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary=_("Refer to a provider"), request=s.ReferralCreateSerializer,
                         responses=write_responses(201, s.ReferralSerializer, 403, 404)),
    partial_update=extend_schema(summary=_("Change a referral's status"), request=s.ReferralStatusSerializer,
                                 responses=write_responses(200, s.ReferralSerializer, 403, 404)),
    destroy=extend_schema(summary=_("Delete a referral"), responses=DELETED),
)
class ReferralViewSet(SettlementChildViewSet):
    model = Referral
    read_serializer_class = s.ReferralSerializer
    getter = staticmethod(selectors.get_referral_for_user)

    def listed(self, case, perms):
        return selectors.referrals_of(case, perms)

    def create(self, request, *args, **kwargs):
        data = self.validated(s.ReferralCreateSerializer)
        case, _perms = self.writable_case(data.pop("case"))
        provider = get_visible_or_404(selectors.providers_for_case(case), data.pop("provider"))
        referral = settlement.refer(actor=request.user, case=case, provider=provider,
                                    person=self.person_of(data.pop("person")), **data)
        return self.created(referral)

    def partial_update(self, request, *args, **kwargs):
        referral = self.get_writable_object()
        data = self.validated(s.ReferralStatusSerializer)
        return Response(self.read(settlement.update_referral_status(actor=request.user, referral=referral,
                                                                    **data)))

    def remove(self, obj):
        settlement.delete_referral(actor=self.request.user, referral=obj)


@extend_schema_view(
    list=extend_schema(summary=_("List a case's milestones done"), parameters=[CASE_PARAMETER]),
    retrieve=extend_schema(summary=_("A milestone"), responses={200: s.MilestoneSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary=_("Record a milestone (again: corrects its date)"),
                         request=s.MilestoneCreateSerializer,
                         responses=write_responses(201, s.MilestoneSerializer, 403, 404)),
    destroy=extend_schema(summary=_("Mark a milestone not done"), responses=DELETED),
)
class MilestoneViewSet(SettlementChildViewSet):
    model = Milestone
    read_serializer_class = s.MilestoneSerializer
    getter = staticmethod(selectors.get_milestone_for_user)

    def listed(self, case, perms):
        return case.milestones.all()

    def create(self, request, *args, **kwargs):
        data = self.validated(s.MilestoneCreateSerializer)
        case, _perms = self.writable_case(data.pop("case"))
        return self.created(settlement.record_milestone(actor=request.user, case=case, **data))

    def remove(self, obj):
        settlement.clear_milestone(actor=self.request.user, milestone=obj)


@extend_schema_view(
    list=extend_schema(summary=_("List your organizations' service providers")),
    retrieve=extend_schema(summary=_("A service provider"), responses={200: s.ProviderSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary=_("Add a service provider"), request=s.ProviderWriteSerializer,
                         responses=write_responses(201, s.ProviderSerializer, 404)),
    partial_update=extend_schema(summary=_("Change a service provider"), request=s.ProviderUpdateSerializer,
                                 parameters=[IF_MATCH, ETAG],
                                 responses=write_responses(200, s.ProviderSerializer, 404, 412)),
    destroy=extend_schema(summary=_("Remove a service provider"), responses={204: None, 404: NOT_FOUND}),
)
class ProviderViewSet(HavenViewSet):
    """The provider directory of the organizations where the caller is staff (404 for anyone else)."""

    model = Provider
    read_serializer_class = s.ProviderSerializer

    def visible_queryset(self):
        return selectors.visible_providers(self.request.user)

    def get_object(self):
        return selectors.get_provider_for_user(self.request.user, self.kwargs["pk"])

    def create(self, request, *args, **kwargs):
        data = self.validated(s.ProviderWriteSerializer)
        organization_id = data.pop("organization")
        if organization_id not in access_profile(request.user).staff_org_ids:
            raise ValidationError({"organization": [_("Choose an organization where you are staff.")]})
        provider = settlement.add_provider(actor=request.user,
                                           organization=Organization.objects.get(pk=organization_id), **data)
        return self.created(provider)

    def partial_update(self, request, *args, **kwargs):
        provider = self.get_object()
        data = self.validated(s.ProviderUpdateSerializer, partial=True)
        settlement.update_provider(actor=request.user, provider=provider,
                                   expected_version=expected_version(request, provider), **data)
        return with_etag(Response(self.read(provider)), provider)

    def destroy(self, request, *args, **kwargs):
        settlement.delete_provider(actor=request.user, provider=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema_view(retrieve=extend_schema(
    summary=_("A case's settlement plan"), responses={200: s.PlanSerializer, 404: NOT_FOUND},
    parameters=[OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description=_("The case's id."))],
    description=_("Goals, referrals, every milestone (done or not) and the self-sufficiency indicator; the id is "
                  "the case's.")))
class PlanViewSet(viewsets.ViewSet):
    permission_classes = DEFAULT_PERMISSIONS

    def retrieve(self, request, *args, **kwargs):
        case, perms = get_case_for_user(request.user, kwargs["pk"])
        audit_view(actor=request.user, obj=case, case_id=case.pk)
        context = {"request": request, "perms": perms}
        indicator = selectors.self_sufficiency(case)
        data = {"case": case.pk, "goals": selectors.goals_of(case, perms),
                "referrals": selectors.referrals_of(case, perms),
                "milestones": [row.__dict__ for row in selectors.milestone_rows(case)],
                "self_sufficiency": {**indicator.__dict__, "explanation": indicator.explanation}}
        return Response(s.PlanSerializer(data, context=context).data)
