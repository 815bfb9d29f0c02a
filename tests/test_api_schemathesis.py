"""Schemathesis over every operation of the API, as each role: no server error, no answer the OpenAPI description
does not document, no response that breaks its schema, invalid input refused and valid input accepted.

Every operation is run with schema-valid (positive) and schema-invalid (negative) examples, as anonymous, the
owner (caseworker), the administrator, the volunteer, the analyst, the counsel of another organization and the
outsider (haven.testing.personas), each with their own API token. The examples are bounded and derandomized so
`make test` runs the same few minutes every time; HAVEN_FUZZ_EXAMPLES raises the bound for a longer search.

Two of schemathesis's checks are adapted to what a schema can say:
- positive_data_acceptance: a schema says a reference is an integer, not which records exist or belong to the
  caller. A 400 whose every message concerns a field holding such an id (`{"case": ["Invalid pk ..."]}`) is the
  API refusing that record; any other 400 to schema-valid input fails (`valid_input_accepted`).
- ignored_auth: its probe cannot tell our token from the session cookie it generates; that every operation
  refuses anonymous callers is asserted exactly by tests/test_route_access.py."""
from __future__ import annotations

import os

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from haven.wsgi import application

ROLES = ("anonymous", "owner", "admin", "volunteer", "analyst", "counsel", "outsider")
MAX_EXAMPLES = int(os.environ.get("HAVEN_FUZZ_EXAMPLES", "3"))


def bounded(role: str):
    """Hypothesis settings: anonymous callers get 403 whatever they send, so one example each is enough."""
    return settings(max_examples=1 if role == "anonymous" else MAX_EXAMPLES, deadline=None, derandomize=True,
                    database=None, suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate])


def _reference_fields(case) -> set[str]:
    """The body's fields that the schema types as integers (or lists of them): ids of other records."""
    body_schema = (case.operation.definition.raw.get("requestBody", {}).get("content", {})
                   .get(case.media_type or "application/json", {}).get("schema", {}))
    if "$ref" in body_schema:  # "#/components/schemas/Name"
        body_schema = case.operation.schema.raw_schema["components"]["schemas"][body_schema["$ref"].rsplit("/", 1)[1]]
    properties = body_schema.get("properties", {})
    return {name for name, spec in properties.items()
            if spec.get("type") == "integer" or spec.get("items", {}).get("type") == "integer"}


@schemathesis.check
def valid_input_accepted(ctx, response, case):
    """Schema-valid input is accepted, or refused for the records it names (see the module docstring)."""
    if case.meta is None or not case.meta.generation.mode.is_positive or response.status_code != 400:
        return None
    errors = response.json()
    if isinstance(errors, dict) and isinstance(case.body, dict) and set(errors) <= _reference_fields(case):
        return None
    raise AssertionError(f"schema-valid input refused: {response.text[:500]}")


def headers_for(personas, role: str) -> dict[str, str]:
    if role == "anonymous":
        return {}
    return {"Authorization": f"Token {Token.objects.create(user=getattr(personas, role)).key}"}


def failures_of(operation, mode: GenerationMode, headers: dict[str, str], role: str) -> list[str]:
    @bounded(role)
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call(headers=headers)
        case.validate_response(response, headers=headers, additional_checks=[valid_input_accepted],
                               excluded_checks=[positive_data_acceptance, ignored_auth])

    try:
        run()
    except (Exception, BaseExceptionGroup) as found:  # hypothesis reports every distinct failure, in one group
        return [f"{operation.label} ({mode.value}): {found}"]
    return []


@pytest.fixture
def connection_kept_open():
    """Keep the test's database connection across the WSGI calls, as Django's own test client does: at the end of
    each request Django closes a connection that is inside a transaction (the test's), which on PostgreSQL leaves
    every later query with "the connection is closed" (SQLite's in-memory database is never closed)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_operation_as_each_role(personas, role, connection_kept_open):
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    headers = headers_for(personas, role)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50
    failures = [failure for operation in operations for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
                for failure in failures_of(operation, mode, headers, role)]
    assert not failures, "\n\n".join(failures)
