"""REST API for protection claims (haven.claims), under /api/v1/claims/ and /api/v1/deadlines/.

The pages' rules: claims come from visible_claims and get_claim_for_user (404 for anyone who may not see the case),
sponsor-group volunteers read (without notes) and may change nothing (403), writes go through the claims services
(record_event, add_issue, update_claim, update_evidence_item), whose ValidationError the one exception handler
answers with 400 and whose EditConflict with 412. Claims and evidence items are versioned: a detail read sends
an ETag, and a change with an If-Match naming an older version is refused. The deadlines list takes the deadlines
page's filters, and like the page answers 404 to analysts (aggregates only)."""
from __future__ import annotations

from django.db.models import Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from haven.accounts.selectors import today_for_user
from haven.api import claims_serializers as cs
from haven.api.permissions import DEFAULT_PERMISSIONS
from haven.api.services import audit_list, audit_view
from haven.api.versions import ETAG, IF_MATCH, expected_version, with_etag
from haven.api.views import INVALID, NOT_FOUND, HavenViewSet, write_responses
from haven.cases.access import access_profile, get_case_for_user, not_found, visible_attachments
from haven.cases.models import Attachment
from haven.claims import selectors, services
from haven.claims.models import Claim, ClaimEvent, Deadline, DeadlineRule, EvidenceItem, JoinedClaimant, LegalIssue
from haven.people.models import Person

CASE_FILTER = OpenApiParameter("case", OpenApiTypes.INT, required=False, description=_("Only this case's claims."))
DEADLINE_FILTERS = [
    OpenApiParameter("responsible", OpenApiTypes.STR, enum=[value for value, _label in cs.RESPONSIBLE_CHOICES],
                     many=True, required=False,
                     description=_("Whose step: claimant (or counsel), minister, board; repeat for several.")),
    OpenApiParameter("case", OpenApiTypes.INT, required=False, description=_("Only this case's deadlines.")),
    OpenApiParameter("days", OpenApiTypes.STR, enum=[value for value, _label in cs.DAY_CHOICES], required=False,
                     description=_(
        "overdue; 7 or 30: overdue or due within that many days; all: every open deadline. Without it: overdue "
        "and the next 60 days.")),
]


def _people(case, ids) -> list[Person]:
    """The persons named, from the case's household; an id of anyone else becomes a stand-in the service refuses
    by its household (their names are never read)."""
    found = {person.pk: person for person in case.household.members.filter(pk__in=ids)}
    return [found.get(pk) or Person(pk=pk, household_id=None) for pk in ids]


def _claimant(claim, pk: int | None) -> JoinedClaimant | None:
    """The claim's member record named by a step, or for an id of any other a stand-in the service refuses as not in
    this claim's file (nothing of it is read)."""
    if pk is None:
        return None
    return claim.claimants.filter(pk=pk).first() or JoinedClaimant(pk=pk, claim_id=None)


def _documents(perms) -> Prefetch:
    """An evidence item's linked documents that the reader may see (volunteers: none confidential)."""
    attachments = Attachment.objects.order_by("pk")
    if not perms.see_confidential:
        attachments = attachments.filter(confidential=False)
    return Prefetch("attachments", queryset=attachments)


def _issue_queryset(perms):
    """Issues with their checklist and the linked documents the reader may see."""
    items = EvidenceItem.objects.order_by("pk").prefetch_related(_documents(perms))
    return LegalIssue.objects.order_by("pk").prefetch_related(Prefetch("evidence", queryset=items))


@extend_schema_view(
    list=extend_schema(summary=_("List the protection claims you may see"), parameters=[CASE_FILTER]),
    retrieve=extend_schema(summary=_("A protection claim"), parameters=[ETAG],
                           responses={200: cs.ClaimSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary=_("Record a protection claim"), request=cs.ClaimCreateSerializer,
                         responses=write_responses(201, cs.ClaimSerializer, 403, 404)),
    partial_update=extend_schema(summary=_("Change a claim's country, province or joined members"),
                                 request=cs.ClaimUpdateSerializer, parameters=[IF_MATCH, ETAG],
                                 responses=write_responses(200, cs.ClaimSerializer, 403, 404, 412)),
)
class ClaimViewSet(HavenViewSet):
    """Claims are never deleted through the API: their steps are corrected or removed on the claim's page."""

    model = Claim
    read_serializer_class = cs.ClaimSerializer
    write_serializer_classes = {"create": cs.ClaimCreateSerializer, "partial_update": cs.ClaimUpdateSerializer}
    http_method_names = ["get", "post", "patch", "head", "options"]
    ordering_fields = ["referred_on", "outcome_on", "reference", "created_at", "updated_at"]
    getter = staticmethod(selectors.get_claim_for_user)

    def visible_queryset(self):
        queryset = selectors.visible_claims(self.request.user).select_related("case").prefetch_related("members")
        case_id = self.request.query_params.get("case")
        if case_id:
            case, _perms = get_case_for_user(self.request.user, case_id)
            queryset = queryset.filter(case=case)
            self.list_case_id = case.pk
        return queryset.order_by("-referred_on", "-pk")

    def detail_prefetch(self) -> tuple:
        return ("members",)

    def create(self, request, *args, **kwargs):
        data = self.validated(cs.ClaimCreateSerializer)
        case, perms = get_case_for_user(request.user, data.pop("case"))
        if not perms.can_write:
            raise PermissionDenied(_("You may not record claims in this case."))
        claimant, *members = _people(case, [data.pop("claimant"), *data.pop("members")])
        claim = services.create_claim(actor=request.user, case=case, claimant=claimant, members=members, **data)
        self.prefetch(claim)
        return with_etag(self.created(claim), claim)

    def partial_update(self, request, *args, **kwargs):
        claim = self.get_writable_object()
        data = self.validated(cs.ClaimUpdateSerializer, partial=True)
        if "members" in data:
            data["members"] = _people(claim.case, data["members"])
        services.update_claim(actor=request.user, claim=claim, expected_version=expected_version(request, claim),
                              **data)
        self.prefetch(claim)
        return with_etag(Response(self.read(claim)), claim)

    def _context(self) -> dict:
        return {**self.get_serializer_context(), "perms": self.perms}

    @extend_schema(summary=_("The claim's steps in order, or record the next one"), request=cs.ClaimStepCreateSerializer,
                   responses={200: cs.StepSerializer(many=True), **write_responses(201, cs.StepSerializer, 403, 404)},
                   description=_("A step carries only the details of its type (a hearing date for a hearing, the "
                                 "date the reasons were received for a decision...): any other is refused, naming "
                                 "it. A step the law does not allow at that point is refused with the reason."))
    @action(detail=True, methods=["get", "post"])
    def steps(self, request, pk=None, format=None):
        if request.method == "POST":
            claim = self.get_writable_object()
            data = self.validated(cs.ClaimStepCreateSerializer)
            data["claimant"] = _claimant(claim, data.get("claimant"))
            event = services.record_event(actor=request.user, claim=claim, **data)
            return Response(cs.StepSerializer(event, context=self._context()).data, status=status.HTTP_201_CREATED)
        claim = self.get_object()
        rows = selectors.timeline(claim)
        audit_list(actor=request.user, model=ClaimEvent, objects=rows, case_id=claim.case_id,
                   summary=f"API {request.get_full_path()}")
        return Response(cs.StepSerializer(rows, many=True, context=self._context()).data)

    @extend_schema(summary=_("The claim's legal issues with their evidence checklists, or add one"),
                   request=cs.IssueCreateSerializer,
                   responses={200: cs.IssueSerializer(many=True), **write_responses(201, cs.IssueSerializer, 403, 404)},
                   description=_("A new issue comes with its kind's evidence checklist."))
    @action(detail=True, methods=["get", "post"])
    def issues(self, request, pk=None, format=None):
        if request.method == "POST":
            claim = self.get_writable_object()
            issue = services.add_issue(actor=request.user, claim=claim, **self.validated(cs.IssueCreateSerializer))
            issue = _issue_queryset(self.perms).get(pk=issue.pk)
            return Response(cs.IssueSerializer(issue, context=self._context()).data, status=status.HTTP_201_CREATED)
        claim = self.get_object()
        rows = list(_issue_queryset(self.perms).filter(claim=claim))
        audit_list(actor=request.user, model=LegalIssue, objects=rows, case_id=claim.case_id,
                   summary=f"API {request.get_full_path()}")
        return Response(cs.IssueSerializer(rows, many=True, context=self._context()).data)

    @extend_schema(summary=_("The claim's deadlines, met and open"), responses={200: cs.DeadlineSerializer(many=True),
                                                                                 404: NOT_FOUND})
    @action(detail=True, methods=["get"])
    def deadlines(self, request, pk=None, format=None):
        claim = self.get_object()
        rows = selectors.claim_deadlines(claim)
        for row in rows:
            row.claim, row.case = claim, claim.case
        audit_list(actor=request.user, model=Deadline, objects=rows, case_id=claim.case_id,
                   summary=f"API {request.get_full_path()}")
        context = {**self._context(), "today": today_for_user(request.user),
                   "rule_labels": {row.key: row.rule.label for row in rows}}
        return Response(cs.DeadlineSerializer(rows, many=True, context=context).data)


@extend_schema_view(
    retrieve=extend_schema(summary=_("An evidence item of a legal issue"), parameters=[ETAG],
                           responses={200: cs.EvidenceSerializer, 404: NOT_FOUND}),
    partial_update=extend_schema(summary=_("Change an evidence item's status or linked documents"),
                                 request=cs.EvidenceUpdateSerializer, parameters=[IF_MATCH, ETAG],
                                 responses=write_responses(200, cs.EvidenceSerializer, 403, 404, 412)),
)
class EvidenceViewSet(viewsets.GenericViewSet):
    """One evidence item (items are listed with their issue, /api/v1/claims/{id}/issues/): no list of its own."""

    permission_classes = DEFAULT_PERMISSIONS
    serializer_class = cs.EvidenceSerializer
    queryset = EvidenceItem.objects.none()  # records come through get_evidence_item_for_user only
    http_method_names = ["get", "patch", "head", "options"]

    def _item(self, *, write: bool = False) -> EvidenceItem:
        item, perms = selectors.get_evidence_item_for_user(self.request.user, self.kwargs["pk"])
        if write and not perms.can_write:
            raise PermissionDenied(_("You may see this record but not change it."))
        self.perms = perms
        prefetch_related_objects([item], _documents(perms))
        return item

    def retrieve(self, request, *args, **kwargs):
        item = self._item()
        audit_view(actor=request.user, obj=item, case_id=item.issue.claim.case_id)
        return with_etag(Response(cs.EvidenceSerializer(item).data), item)

    def partial_update(self, request, *args, **kwargs):
        item = self._item(write=True)
        query = cs.EvidenceUpdateSerializer(data=request.data, partial=True)
        query.is_valid(raise_exception=True)
        data = dict(query.validated_data)
        if "attachments" in data:
            ids = data["attachments"]
            found = {a.pk: a for a in visible_attachments(request.user, item.issue.claim.case, self.perms)
                     .filter(pk__in=ids)}
            # An id of any other document becomes a stand-in the service refuses by its case.
            data["attachments"] = [found.get(pk) or Attachment(pk=pk, case_id=None) for pk in ids]
        services.update_evidence_item(actor=request.user, item=item, expected_version=expected_version(request, item),
                                      **data)
        prefetch_related_objects([item], _documents(self.perms))
        return with_etag(Response(cs.EvidenceSerializer(item).data), item)


@extend_schema_view(
    list=extend_schema(
        summary=_("The open deadlines of the claims you may see, and those met late, by due date"),
        parameters=DEADLINE_FILTERS,
        responses={200: cs.DeadlineSerializer(many=True), 400: INVALID, 404: NOT_FOUND},
        description=_("The deadlines page's list and filters: overdue first, then by due date; a deadline met after "
                      "its due date stays on the list with the status met_late, and a joined member's own deadline "
                      "names the member. Analysts get 404.")),
    retrieve=extend_schema(summary=_("A claim's deadline, open or met"),
                           responses={200: cs.DeadlineSerializer, 404: NOT_FOUND}))
class DeadlineViewSet(HavenViewSet):
    model = Deadline
    read_serializer_class = cs.DeadlineSerializer
    http_method_names = ["get", "head", "options"]
    filter_backends = []  # the filters below are the page's, validated by DeadlineQuerySerializer
    getter = staticmethod(selectors.get_deadline_for_user)

    def read(self, obj) -> dict:
        context = {**self.get_serializer_context(), "today": today_for_user(self.request.user),
                   "rule_labels": dict(DeadlineRule.objects.filter(key=obj.trigger).values_list("key", "label"))}
        return cs.DeadlineSerializer(obj, context=context).data

    def visible_queryset(self):
        user = self.request.user
        if access_profile(user).is_analyst_only:
            raise not_found()
        query = cs.DeadlineQuerySerializer(data={**self.request.query_params.dict(),
                                                 "responsible": self.request.query_params.getlist("responsible")})
        query.is_valid(raise_exception=True)
        filters = dict(query.validated_data)
        if "case" in filters:
            case, _perms = get_case_for_user(user, filters.pop("case"))
            filters["case_id"] = self.list_case_id = case.pk
        self.today = today_for_user(user)
        # Periods that run from another deadline are named by that deadline's label (one small table).
        self.rule_labels = dict(DeadlineRule.objects.values_list("key", "label"))
        # As on the deadlines page: the deadlines met after their due date stay on the list (status met_late).
        return (selectors.open_deadlines(user, today=self.today, include_met_late=True, **filters)
                .select_related("rule", "claim", "case", "claimant__person").only(
                    "id", "claim_id", "case_id", "claimant_id", "key", "trigger", "trigger_on", "due_on",
                    "completed_on", "lapsed", "rule__label", "rule__citation", "rule__responsible",
                    "claim__reference", "case__reference",
                    *(f"claimant__person__{part}" for part in selectors.NAME_PARTS)))

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": getattr(self, "today", None),
                "rule_labels": getattr(self, "rule_labels", None)}
