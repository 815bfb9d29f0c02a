"""REST API, version 1.

Thin views: every queryset starts from haven.cases.access.visible_*, every
record is fetched through haven.cases.access.get_*_for_user (404 for records
the user may not see, exactly as for ids that do not exist), every write goes
through a service that validates, saves and audits, and every read is audited.
Views call services as they are: haven.api.exceptions, the one exception handler, answers a service's
ValidationError with 400 and its messages by field, and an edit conflict with 412.
"""
from __future__ import annotations

import json

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import routers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from haven.api import serializers as s
from haven.api.filters import CaseFilter, HouseholdFilter, PersonFilter
from haven.api.permissions import DEFAULT_PERMISSIONS
from haven.api.services import audit_list, audit_view
from haven.api.versions import ETAG, IF_MATCH, expected_version, with_etag
from haven.cases import services as case_services
from haven.cases.access import (
    Permissions,
    get_attachment_for_user,
    get_case_for_user,
    get_household_for_user,
    get_item_for_admin,
    get_note_for_user,
    get_person_for_user,
    visible_attachments,
    visible_cases,
    visible_households,
    visible_notes,
    visible_persons,
)
from haven.cases.models import Attachment, Case, CaseAssignment, Note
from haven.people import services as people_services
from haven.people.models import Household, Person
from haven.records import EditConflict, check_version

NOT_FOUND = OpenApiResponse(description=_("No such record, or one you may not see."))
FORBIDDEN = OpenApiResponse(description=_("You may see this record but not change it."))
# Written by haven.api.exceptions, the one exception handler: views do not catch a service's errors.
INVALID = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=_("Nothing was saved: the messages by field, `{field: [message, ...]}`, and under "
                  "`non_field_errors` those about no one field. The service's own rules answer the same way as "
                  "the input's."),
    examples=[OpenApiExample("invalid", value={"birth_date": ["Enter a valid date."],
                                               "non_field_errors": ["This person is already in the household."]})])
CONFLICT = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=_("Nothing was saved: the record changed after you read it (or the `If-Match` version is not "
                  "the current one). Read it again and apply your change to the current version."),
    examples=[OpenApiExample("conflict", value={"detail": str(EditConflict.message)})])
REFUSALS = {403: FORBIDDEN, 404: NOT_FOUND, 412: CONFLICT}


def write_responses(success: int, serializer, *refusals: int) -> dict:
    """A write's documented answers: its success, 400 with the validation messages by field, and `refusals`
    among 403, 404 and 412 (an edit conflict)."""
    return {success: serializer, 400: INVALID, **{code: REFUSALS[code] for code in refusals}}


class ApiRootView(routers.APIRootView):
    """The API's endpoints (same authentication and two-factor rule as every other view)."""

    permission_classes = DEFAULT_PERMISSIONS


class HavenViewSet(viewsets.GenericViewSet):
    """Lists audited as one LIST row; detail reads fetched through the access helpers and audited."""

    permission_classes = DEFAULT_PERMISSIONS
    model: type
    read_serializer_class: type
    write_serializer_classes: dict = {}
    # Subclasses set `getter` to a haven.cases.access helper: (user, pk) -> (object, Permissions), 404 if hidden.
    perms = None

    def get_serializer_class(self):
        return self.write_serializer_classes.get(self.action, self.read_serializer_class)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.model.objects.none()
        return self.visible_queryset()

    def case_id_of(self, obj) -> int | None:
        return getattr(obj, "case_id", None)

    def get_object(self):
        obj, self.perms = self.getter(self.request.user, self.kwargs["pk"])
        return obj

    def get_writable_object(self):
        obj = self.get_object()
        if not self.perms.can_write:
            raise PermissionDenied(_("You may see this record but not change it."))
        return obj

    def read(self, obj) -> dict:
        return self.read_serializer_class(obj, context=self.get_serializer_context()).data

    def created(self, obj) -> Response:
        return Response(self.read(obj), status=status.HTTP_201_CREATED)

    def validated(self, serializer_class, *, partial: bool = False, **context) -> dict:
        serializer = serializer_class(data=self.request.data, partial=partial,
                                      context={**self.get_serializer_context(), **context})
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = self.get_serializer(page, many=True).data
        audit_list(actor=request.user, model=self.model, objects=page, summary=f"API {request.get_full_path()}",
                   case_id=getattr(self, "list_case_id", None))
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        obj = self.get_object()
        self.prefetch(obj)
        audit_view(actor=request.user, obj=obj, case_id=self.case_id_of(obj))
        return with_etag(Response(self.read(obj)), obj)

    def detail_prefetch(self) -> tuple:
        return ()

    def prefetch(self, obj) -> None:
        """Load what the read serializer needs, in a constant number of queries."""
        prefetch_related_objects([obj], *self.detail_prefetch())


# --- Cases -------------------------------------------------------------------

CASE_PREFETCH = (
    Prefetch("assignments", queryset=CaseAssignment.objects.select_related("user").order_by("pk")),
    Prefetch("household__members", queryset=Person.objects.only("id", "household_id", "relationship", "family_name",
                                                                  "given_name", "family_name_hangul",
                                                                  "given_name_hangul")),
)


@extend_schema_view(
    list=extend_schema(summary=_("List the cases you may see"), description=_(
        "`q` searches references, titles and household members' names in any script and spelling "
        "(명, Myŏng and Myong find the same person).")),
    retrieve=extend_schema(summary=_("A case"), parameters=[ETAG], responses={200: s.CaseSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary=_("Open a case"), request=s.CaseCreateSerializer,
                         responses=write_responses(201, s.CaseSerializer)),
    partial_update=extend_schema(summary=_("Change a case"), request=s.CaseUpdateSerializer,
                                 parameters=[IF_MATCH, ETAG], responses=write_responses(200, s.CaseSerializer, 403, 404, 412)),
)
class CaseViewSet(HavenViewSet):
    """Cases are closed (status `closed`), never deleted: DELETE answers 405."""

    model = Case
    read_serializer_class = s.CaseSerializer
    write_serializer_classes = {"create": s.CaseCreateSerializer, "partial_update": s.CaseUpdateSerializer}
    filterset_class = CaseFilter
    ordering_fields = ["opened_on", "closed_on", "reference", "status", "kind", "created_at", "updated_at"]

    def visible_queryset(self):
        return (visible_cases(self.request.user).select_related("organization", "sponsor_group", "household")
                .prefetch_related(*CASE_PREFETCH))

    getter = staticmethod(get_case_for_user)

    def case_id_of(self, obj) -> int | None:
        return obj.pk

    def detail_prefetch(self) -> tuple:
        return CASE_PREFETCH

    def create(self, request, *args, **kwargs):
        data = self.validated(s.CaseCreateSerializer)
        case = case_services.open_case(actor=request.user, organization=data.pop("organization"),
                                       household=data.pop("household"), assign_actor=data.pop("assign_me"),
                                       **data)
        case, _perms = get_case_for_user(request.user, case.pk)
        self.prefetch(case)
        return self.created(case)

    def partial_update(self, request, *args, **kwargs):
        case = self.get_writable_object()
        data = self.validated(s.CaseUpdateSerializer, partial=True, case=case)
        case_services.update_case(actor=request.user, case=case, expected_version=expected_version(request, case),
                                  **data)
        self.prefetch(case)
        return with_etag(Response(self.read(case)), case)


# --- Households and persons ------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("List the households you may see")),
    retrieve=extend_schema(summary=_("A household"), parameters=[ETAG],
                           responses={200: s.HouseholdSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary=_("Register a household"), request=s.HouseholdCreateSerializer,
                         responses=write_responses(201, s.HouseholdSerializer)),
    partial_update=extend_schema(summary=_("Rename a household"), request=s.HouseholdUpdateSerializer,
                                 parameters=[IF_MATCH, ETAG], responses=write_responses(200, s.HouseholdSerializer, 403, 404, 412)),
)
class HouseholdViewSet(HavenViewSet):
    model = Household
    read_serializer_class = s.HouseholdSerializer
    write_serializer_classes = {"create": s.HouseholdCreateSerializer,
                                "partial_update": s.HouseholdUpdateSerializer}
    filterset_class = HouseholdFilter
    ordering_fields = ["reference", "name", "created_at", "updated_at"]

    def household_prefetch(self):
        return (Prefetch("members"),
                Prefetch("cases", queryset=visible_cases(self.request.user).only("id", "household_id"),
                         to_attr="visible_cases"))

    def visible_queryset(self):
        return (visible_households(self.request.user).select_related("organization")
                .prefetch_related(*self.household_prefetch()))

    getter = staticmethod(get_household_for_user)

    def detail_prefetch(self) -> tuple:
        return self.household_prefetch()

    def create(self, request, *args, **kwargs):
        data = self.validated(s.HouseholdCreateSerializer)
        household = people_services.create_household(actor=request.user, **data)
        self.prefetch(household)
        return self.created(household)

    def partial_update(self, request, *args, **kwargs):
        household = self.get_writable_object()
        data = self.validated(s.HouseholdUpdateSerializer, partial=True)
        version = expected_version(request, household)
        if "name" in data:
            people_services.update_household(actor=request.user, household=household, name=data["name"],
                                             expected_version=version)
        else:
            check_version(household, version)
        self.prefetch(household)
        return with_etag(Response(self.read(household)), household)


PERSON_PREFETCH = ("names", "nationalities", "languages")


@extend_schema_view(
    list=extend_schema(summary=_("List the people you may see"), description=_(
        "Vulnerabilities and identity documents are only in a person's detail, and only for users who may see "
        "confidential material.")),
    retrieve=extend_schema(summary=_("A person"), parameters=[ETAG],
                           responses={200: s.PersonDetailSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary=_("Add a person to a household"), request=s.PersonCreateSerializer,
                         responses=write_responses(201, s.PersonDetailSerializer, 403)),
    partial_update=extend_schema(summary=_("Change a person"), request=s.PersonWriteSerializer,
                                 parameters=[IF_MATCH, ETAG], responses=write_responses(200, s.PersonDetailSerializer, 403, 404, 412)),
)
class PersonViewSet(HavenViewSet):
    model = Person
    read_serializer_class = s.PersonSerializer
    write_serializer_classes = {"create": s.PersonCreateSerializer, "partial_update": s.PersonWriteSerializer}
    filterset_class = PersonFilter
    ordering_fields = ["family_name", "given_name", "birth_date", "created_at", "updated_at"]

    def visible_queryset(self):
        return visible_persons(self.request.user).prefetch_related(*PERSON_PREFETCH)

    getter = staticmethod(get_person_for_user)

    def read(self, obj) -> dict:
        return s.PersonDetailSerializer(obj, context={**self.get_serializer_context(), "perms": self.perms}).data

    def detail_prefetch(self) -> tuple:
        extra = ("vulnerabilities", "documents") if self.perms and self.perms.see_confidential else ()
        return (*PERSON_PREFETCH, *extra)

    def create(self, request, *args, **kwargs):
        data = self.validated(s.PersonCreateSerializer)
        household, self.perms = get_household_for_user(request.user, data.pop("household").pk)
        if not self.perms.can_write:
            raise PermissionDenied(_("You may not add people to this household."))
        person = people_services.create_person(actor=request.user, household=household, data=data)
        self.prefetch(person)
        return self.created(person)

    def partial_update(self, request, *args, **kwargs):
        person = self.get_writable_object()
        data = self.validated(s.PersonWriteSerializer, partial=True)
        people_services.update_person(actor=request.user, person=person, data=data,
                                      expected_version=expected_version(request, person))
        self.prefetch(person)
        return with_etag(Response(self.read(person)), person)


# --- Notes and attachments -------------------------------------------------------

CASE_PARAMETER = OpenApiParameter("case", OpenApiTypes.INT, required=True,
                                  description=_("The case whose records to list."))


def deletion_schema(summary, description):
    return extend_schema(summary=summary, description=description,
                         responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND})


def restoration_schema(summary, serializer):
    return extend_schema(summary=summary, request=None,
                         description=_("For the administrators of the case's organization."),
                         responses={200: serializer, 404: NOT_FOUND})


class CaseChildViewSet(HavenViewSet):
    """Records listed per case: `?case=ID` is required; an invisible case answers 404."""

    # Subclasses set `visible_for_case` to a haven.cases.access function: (user, case, perms) -> QuerySet,
    # and `remove_service` to the service that deletes and audits: (*, actor, <model name>) -> None.

    def visible_queryset(self):
        case_id = self.request.query_params.get("case")
        if not case_id:
            raise ValidationError({"case": [_("This query parameter is required.")]})
        case, perms = get_case_for_user(self.request.user, case_id)
        self.list_case_id = case.pk
        return self.visible_for_case(self.request.user, case, perms)

    def case_to_add_to(self, data: dict, *, allowed: str, refusal) -> tuple[Case, Permissions]:
        """The case a new record names, with the user's permissions on it: 404 when they may not see it (as
        for a case that does not exist), 403 with `refusal` when the permission `allowed` is not theirs."""
        case, perms = get_case_for_user(self.request.user, data["case"])
        if not getattr(perms, allowed):
            raise PermissionDenied(refusal)
        return case, perms

    def destroy(self, request, *args, **kwargs):
        obj = self.get_writable_object()
        self.remove_service(actor=request.user, **{self.model._meta.model_name: obj})
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def restore(self, request, *args, **kwargs):
        """Put a deleted record back in its case: the case organization's administrators only (404 otherwise,
        as for a record that does not exist). A record that is not deleted is left as it is."""
        item = get_item_for_admin(request.user, self.model, kwargs["pk"])
        case_services.restore_case_item(actor=request.user, item=item)
        return Response(self.read(item))


@extend_schema_view(
    list=extend_schema(summary=_("List a case's notes"), parameters=[CASE_PARAMETER], description=_(
        "Sponsor-group volunteers see only non-confidential notes.")),
    retrieve=extend_schema(summary=_("A note"), parameters=[ETAG], responses={200: s.NoteSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary=_("Add a note to a case"), request=s.NoteCreateSerializer,
                         responses=write_responses(201, s.NoteSerializer, 403, 404)),
    partial_update=extend_schema(summary=_("Change a note"), request=s.NoteUpdateSerializer,
                                 parameters=[IF_MATCH, ETAG], responses=write_responses(200, s.NoteSerializer, 403, 404, 412)),
    destroy=deletion_schema(_("Delete a note"), _(
        "The note moves to the case's deleted items: gone from every list and endpoint, kept for the "
        "organization's administrators to restore.")),
    restore=restoration_schema(_("Restore a deleted note"), s.NoteSerializer),
)
class NoteViewSet(CaseChildViewSet):
    model = Note
    read_serializer_class = s.NoteSerializer
    write_serializer_classes = {"create": s.NoteCreateSerializer, "partial_update": s.NoteUpdateSerializer}
    ordering_fields = ["created_at", "updated_at"]

    getter = staticmethod(get_note_for_user)
    visible_for_case = staticmethod(visible_notes)
    remove_service = staticmethod(case_services.delete_note)

    def create(self, request, *args, **kwargs):
        data = self.validated(s.NoteCreateSerializer)
        case, perms = self.case_to_add_to(data, allowed="can_add_note",
                                          refusal=_("You may not add notes to this case."))
        # Whether this actor may write a confidential note is the service's rule (cases.services.check_note).
        note = case_services.add_note(actor=request.user, case=case, body=data["body"],
                                      confidential=data.get("confidential", perms.see_confidential))
        return self.created(note)

    def partial_update(self, request, *args, **kwargs):
        note = self.get_writable_object()
        data = self.validated(s.NoteUpdateSerializer, partial=True)
        case_services.update_note(actor=request.user, note=note, body=data.get("body", note.body),
                                  confidential=data.get("confidential", note.confidential),
                                  expected_version=expected_version(request, note))
        return with_etag(Response(self.read(note)), note)


class DownloadRenderer(BaseRenderer):
    """Lets a client ask for the file's own type (Accept: application/pdf). A download itself is a
    plain HttpResponse; only errors pass through this renderer, and they are written as JSON."""

    media_type = "*/*"
    format = "download"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return json.dumps(data, default=str).encode()


@extend_schema_view(
    list=extend_schema(summary=_("List a case's attachments (metadata)"), parameters=[CASE_PARAMETER],
                       description=_("Sponsor-group volunteers see only non-confidential attachments.")),
    retrieve=extend_schema(summary=_("An attachment's metadata"),
                           responses={200: s.AttachmentSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary=_("Upload an attachment (multipart)"), request={
        "multipart/form-data": s.AttachmentUploadSerializer},
        responses=write_responses(201, s.AttachmentSerializer, 403, 404)),
    destroy=deletion_schema(_("Delete an attachment"), _(
        "The file moves to the case's deleted items: gone from every list and endpoint, kept for the "
        "organization's administrators to restore.")),
    restore=restoration_schema(_("Restore a deleted attachment"), s.AttachmentSerializer),
    download=extend_schema(summary=_("Download an attachment's content"), responses={
        (200, "application/octet-stream"): OpenApiTypes.BINARY, 404: NOT_FOUND}),
)
class AttachmentViewSet(CaseChildViewSet):
    model = Attachment
    read_serializer_class = s.AttachmentSerializer
    write_serializer_classes = {"create": s.AttachmentUploadSerializer}
    parser_classes = [MultiPartParser, FormParser]
    ordering_fields = ["created_at", "size"]

    getter = staticmethod(get_attachment_for_user)
    visible_for_case = staticmethod(visible_attachments)
    remove_service = staticmethod(case_services.delete_attachment)

    def create(self, request, *args, **kwargs):
        data = self.validated(s.AttachmentUploadSerializer)
        case, _perms = self.case_to_add_to(data, allowed="can_write",
                                           refusal=_("You may not add attachments to this case."))
        upload = data["file"]
        attachment = case_services.add_attachment(
            actor=request.user, case=case, filename=upload.name, content=upload.read(),
            content_type=upload.content_type, kind=data["kind"], description=data["description"],
            confidential=data["confidential"])
        return self.created(attachment)

    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, DownloadRenderer])
    def download(self, request, *args, **kwargs):
        attachment = self.get_object()
        content = case_services.read_attachment(actor=request.user, attachment=attachment)
        response = HttpResponse(content, content_type=attachment.content_type or "application/octet-stream")
        response.headers["Content-Disposition"] = content_disposition_header(True, attachment.filename)
        response.headers["Content-Length"] = str(len(content))
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
