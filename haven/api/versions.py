"""Edit versions over HTTP (haven.records.versioning): detail reads and writes send an `ETag` naming the record's
version; a write with an `If-Match` that no longer names the stored version answers 412 Precondition Failed, so
an API client cannot silently undo an edit it has not seen. A write without `If-Match` is not checked.

The tag is strong (If-Match compares strongly, RFC 9110 §13.1.1) and names the record as well as its version, so
the tag of one person never passes for another's."""
from __future__ import annotations

import re

from django.db import models
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework.response import Response

from haven.records import EditConflict, Versioned

_TAG = re.compile(r'^"(?P<kind>[a-z_]+)-(?P<pk>\d+)-v(?P<version>\d+)"$')

IF_MATCH = OpenApiParameter(
    "If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False,
    description=_("The ETag of the version you read. If the record has changed since, nothing is saved and the "
                  "answer is 412. Without this header the change is saved whatever the current version."))
ETAG = OpenApiParameter("ETag", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200],
                        description=_("The record's version: send it back in If-Match when you change it."))
PRECONDITION_FAILED = OpenApiResponse(description=_(
    "The record changed after the version named in If-Match: nothing was saved. Read it again (the answer's ETag "
    "names the current version) and reapply your change."))


def etag(obj: Versioned) -> str:
    return f'"{obj._meta.model_name}-{obj.pk}-v{obj.version}"'


def expected_version(request, obj: models.Model) -> int | None:
    """The version the client's If-Match names for `obj`, for the service to check (None: no If-Match, or `*`).
    A header that names no version of this record cannot hold: EditConflict at once."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    versions = set()
    for tag in (part.strip() for part in header.split(",")):
        found = _TAG.match(tag)
        if found and found["kind"] == obj._meta.model_name and int(found["pk"]) == obj.pk:
            versions.add(int(found["version"]))
    if not versions:
        raise EditConflict(obj, expected_version=None)
    return obj.version if obj.version in versions else min(versions)


def with_etag(response: Response, obj: models.Model) -> Response:
    if isinstance(obj, Versioned):
        response["ETag"] = etag(obj)
    return response


def with_current_version(response: Response, conflict: EditConflict) -> Response:
    """The 412 answer (haven.api.exceptions) names the stored version, in the body and as the ETag, so the client
    can read the record again and reapply its change."""
    current = conflict.current
    if isinstance(current, Versioned):
        response.data["current_version"] = current.version
        with_etag(response, current)
    return response
