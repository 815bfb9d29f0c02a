"""REST API for tasks and appointments (haven.casework), under /api/v1/tasks/ and /api/v1/appointments/.

The same rules as the pages: lists start from visible_tasks / visible_appointments (a volunteer sees their own
tasks and the appointments they attend), one record is fetched through get_task_for_user / get_appointment_for_user
(404 when hidden), writes go through haven.casework.services, whose ValidationError the one exception handler turns
into 400 and whose EditConflict into 412 (send the `version` you read)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from haven.accounts.models import User
from haven.api.serializers import CASE_HELP, SafeCharField, UserSummarySerializer
from haven.api.views import FORBIDDEN, NOT_FOUND, HavenViewSet, write_responses
from haven.cases.access import get_case_for_user
from haven.casework import services
from haven.casework.models import Appointment, Priority, Task
from haven.people.models import Person
from haven.casework.selectors import (
    get_appointment_for_user,
    get_task_for_user,
    visible_appointments,
    visible_tasks,
)

VERSION_HELP = _("The version you read. A stale version answers 412 and changes nothing.")


class TaskSerializer(serializers.ModelSerializer):
    assignee = UserSummarySerializer(read_only=True)
    case_reference = SafeCharField(source="case.reference", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "case", "case_reference", "title", "assignee", "due_on", "priority", "status", "outcome",
                  "version", "created_at", "updated_at", "completed_at"]
        read_only_fields = fields


class TaskCreateSerializer(serializers.Serializer):
    case = serializers.IntegerField(help_text=CASE_HELP)
    title = SafeCharField(max_length=200)
    assignee = serializers.IntegerField(help_text=_(
        "A staff member of the case's organization, a worker assigned to the case or a volunteer of its group."))
    due_on = serializers.DateField()
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)


class TaskUpdateSerializer(serializers.Serializer):
    title = SafeCharField(max_length=200, required=False)
    assignee = serializers.IntegerField(required=False)
    due_on = serializers.DateField(required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


class OutcomeSerializer(serializers.Serializer):
    outcome = SafeCharField(required=False, allow_blank=True, default="", max_length=4000)


class AppointmentSerializer(serializers.ModelSerializer):
    attendees = UserSummarySerializer(many=True, read_only=True)
    case_reference = SafeCharField(source="case.reference", read_only=True)

    class Meta:
        model = Appointment
        fields = ["id", "case", "case_reference", "title", "starts_at", "ends_at", "place", "link", "attendees",
                  "household_members", "interpreter_language", "status", "version", "created_at", "updated_at"]
        read_only_fields = fields


class AppointmentWriteSerializer(serializers.Serializer):
    title = SafeCharField(max_length=200)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place = SafeCharField(max_length=300, required=False, allow_blank=True, default="")
    link = SafeCharField(max_length=500, required=False, allow_blank=True, default="")
    attendees = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    household_members = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)
    interpreter_language = SafeCharField(max_length=3, required=False, allow_blank=True, default="",
                                                 help_text=_("ISO 639-3 code, e.g. kor; empty: no interpreter."))


class AppointmentCreateSerializer(AppointmentWriteSerializer):
    case = serializers.IntegerField(help_text=CASE_HELP)


class AppointmentUpdateSerializer(AppointmentWriteSerializer):
    version = serializers.IntegerField(required=False, help_text=VERSION_HELP)


CASE_FILTER = OpenApiParameter("case", OpenApiTypes.INT, required=False, description=_("Only this case's records."))


def _users(ids) -> list[User]:
    """The users named by id; unknown ids are left out, and the service refuses anyone who may not take part."""
    return list(User.objects.filter(pk__in=ids)) if ids else []


class WorkViewSet(HavenViewSet):
    """Tasks and appointments: `?case=ID` narrows the list; writes need the right to change the case (403 for
    a volunteer of its group, 404 for anyone who may not see it)."""

    def visible_queryset(self):
        queryset = self.visible(self.request.user).select_related("case")
        case_id = self.request.query_params.get("case")
        if case_id:
            case, _perms = get_case_for_user(self.request.user, case_id)
            queryset = queryset.filter(case=case)
        return queryset

    def get_writable_object(self):
        obj = self.get_object()
        if not self.perms.can_edit:
            raise PermissionDenied(_("You may see this record but not change it."))
        return obj

    def writable_case(self, case_id):
        case, perms = get_case_for_user(self.request.user, case_id)
        if not perms.can_write:
            raise PermissionDenied(_("You may not add tasks or appointments to this case."))
        return case


@extend_schema_view(
    list=extend_schema(summary=_("List the tasks you may see"), parameters=[CASE_FILTER], description=_(
        "Sponsor-group volunteers see only the tasks assigned to them.")),
    retrieve=extend_schema(summary=_("A task"), responses={200: TaskSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary=_("Add a task to a case"), request=TaskCreateSerializer,
                         responses=write_responses(201, TaskSerializer, 403, 404)),
    partial_update=extend_schema(summary=_("Change a task"), request=TaskUpdateSerializer,
                                 responses=write_responses(200, TaskSerializer, 403, 404, 412)),
    destroy=extend_schema(summary=_("Delete a task"), responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND},
                          description=_("The task moves to the deleted items; it is kept in the database.")),
    complete=extend_schema(summary=_("Mark a task as done"), request=OutcomeSerializer, description=_(
        "For the case's workers and the task's own assignee (a volunteer completes their task)."),
        responses=write_responses(200, TaskSerializer, 404)),
    reopen=extend_schema(summary=_("Reopen a task"), request=None,
                         responses=write_responses(200, TaskSerializer, 403, 404)),
    cancel=extend_schema(summary=_("Cancel a task"), request=OutcomeSerializer,
                         responses=write_responses(200, TaskSerializer, 403, 404)),
)
class TaskViewSet(WorkViewSet):
    model = Task
    read_serializer_class = TaskSerializer
    write_serializer_classes = {"create": TaskCreateSerializer, "partial_update": TaskUpdateSerializer,
                                "complete": OutcomeSerializer, "cancel": OutcomeSerializer}
    ordering_fields = ["due_on", "created_at", "updated_at", "priority", "status"]
    visible = staticmethod(visible_tasks)
    getter = staticmethod(get_task_for_user)

    def visible_queryset(self):
        return super().visible_queryset().select_related("assignee").order_by("due_on", "pk")

    def create(self, request, *args, **kwargs):
        data = self.validated(TaskCreateSerializer)
        case = self.writable_case(data.pop("case"))
        assignee = User.objects.filter(pk=data.pop("assignee")).first()
        task = services.create_task(actor=request.user, case=case, assignee=assignee, **data)
        return self.created(task)

    def partial_update(self, request, *args, **kwargs):
        task = self.get_writable_object()
        data = self.validated(TaskUpdateSerializer, partial=True)
        if "assignee" in data:
            data["assignee"] = User.objects.filter(pk=data["assignee"]).first()
        services.update_task(actor=request.user, task=task, expected_version=data.pop("version", None), **data)
        return Response(self.read(task))

    def destroy(self, request, *args, **kwargs):
        services.delete_task(actor=request.user, task=self.get_writable_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def complete(self, request, *args, **kwargs):
        task, self.perms = get_task_for_user(request.user, kwargs["pk"], complete=True)
        data = self.validated(OutcomeSerializer)
        services.complete_task(actor=request.user, task=task, outcome=data["outcome"])
        return Response(self.read(task))

    @action(detail=True, methods=["post"])
    def reopen(self, request, *args, **kwargs):
        task = self.get_writable_object()
        services.reopen_task(actor=request.user, task=task)
        return Response(self.read(task))

    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        task = self.get_writable_object()
        data = self.validated(OutcomeSerializer)
        services.cancel_task(actor=request.user, task=task, outcome=data["outcome"])
        return Response(self.read(task))


@extend_schema_view(
    list=extend_schema(summary=_("List the appointments you may see"), parameters=[CASE_FILTER], description=_(
        "Sponsor-group volunteers see only the appointments they attend.")),
    retrieve=extend_schema(summary=_("An appointment"), responses={200: AppointmentSerializer, 404: NOT_FOUND}),
    create=extend_schema(summary=_("Add an appointment to a case"), request=AppointmentCreateSerializer,
                         responses=write_responses(201, AppointmentSerializer, 403, 404)),
    partial_update=extend_schema(summary=_("Change an appointment"), request=AppointmentUpdateSerializer,
                                 responses=write_responses(200, AppointmentSerializer, 403, 404, 412)),
    destroy=extend_schema(summary=_("Delete an appointment"), responses={204: None, 403: FORBIDDEN, 404: NOT_FOUND},
                          description=_("The appointment moves to the deleted items; it is kept in the database.")),
    cancel=extend_schema(summary=_("Cancel an appointment"), request=None,
                         responses=write_responses(200, AppointmentSerializer, 403, 404)),
)
class AppointmentViewSet(WorkViewSet):
    model = Appointment
    read_serializer_class = AppointmentSerializer
    write_serializer_classes = {"create": AppointmentCreateSerializer,
                                "partial_update": AppointmentUpdateSerializer}
    ordering_fields = ["starts_at", "created_at", "updated_at"]
    visible = staticmethod(visible_appointments)
    getter = staticmethod(get_appointment_for_user)

    def visible_queryset(self):
        return super().visible_queryset().prefetch_related("attendees", "household_members").order_by(
            "starts_at", "pk")

    def people(self, data: dict, case) -> dict:
        for name in ("attendees", "household_members"):
            if name in data:
                ids = data[name]
                data[name] = _users(ids) if name == "attendees" else list(
                    case.household.members.filter(pk__in=ids)) + _strangers(ids, case)
        return data

    def create(self, request, *args, **kwargs):
        data = self.validated(AppointmentCreateSerializer)
        case = self.writable_case(data.pop("case"))
        appointment = services.create_appointment(actor=request.user, case=case, **self.people(data, case))
        return self.created(appointment)

    def partial_update(self, request, *args, **kwargs):
        appointment = self.get_writable_object()
        data = self.validated(AppointmentUpdateSerializer, partial=True)
        version = data.pop("version", None)
        services.update_appointment(actor=request.user, appointment=appointment, expected_version=version,
                                    **self.people(data, appointment.case))
        return Response(self.read(appointment))

    def destroy(self, request, *args, **kwargs):
        services.delete_appointment(actor=request.user, appointment=self.get_writable_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        appointment = self.get_writable_object()
        services.cancel_appointment(actor=request.user, appointment=appointment)
        return Response(self.read(appointment))


def _strangers(ids, case) -> list:
    """Persons named who are not of the case's household, as stand-ins the service refuses by their household
    (their names are never read)."""
    members = set(case.household.members.values_list("pk", flat=True))
    return [Person(pk=pk, household_id=None) for pk in ids if pk not in members]
