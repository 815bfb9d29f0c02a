"""The API's one exception handler (settings.REST_FRAMEWORK["EXCEPTION_HANDLER"]).

API views call services and selectors as they are and never wrap them: a service's Django ValidationError
answers 400 with its messages by field, an EditConflict (the record changed since the client read it) answers
412 Precondition Failed, and Http404, DRF's own exceptions and the rest are DRF's default handling."""
from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from haven.api.versions import with_current_version
from haven.records import EditConflict


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = EditConflict.message
    default_code = "edit_conflict"


def messages_by_field(error: DjangoValidationError) -> dict[str, list[str]]:
    """A ValidationError as the body of a 400: `{field: [message, ...]}`, and the messages that concern no one
    field under `non_field_errors`, as DRF's own serializer errors are written."""
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    return {(api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
            for field, messages in error.message_dict.items()}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(messages_by_field(exc))
    elif isinstance(exc, EditConflict):
        return with_current_version(drf_exception_handler(PreconditionFailed(), context), exc)
    return drf_exception_handler(exc, context)
