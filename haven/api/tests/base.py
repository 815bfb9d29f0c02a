"""Shared helpers for the API tests."""
from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from haven.audit.models import Action, AuditEntry
from haven.testing.personas import PersonaTestCase

# Access answers for a user who may not see a record: the same as for an id that does not exist.
NOT_FOUND = 404


def url(name: str, *args, **query) -> str:
    """The URL of an API route by its router name (case-list, case-detail, attachment-download ...)."""
    path = reverse(name, args=args)
    return f"{path}?{urlencode(query)}" if query else path


class ApiTestCase(PersonaTestCase):
    client_class = APIClient

    def token_client(self, user) -> APIClient:
        token, _ = Token.objects.get_or_create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    def ids(self, response) -> list[int]:
        self.assertEqual(response.status_code, 200, response.content)
        return [row["id"] for row in response.json()["results"]]

    def last_audit(self, action: str) -> AuditEntry:
        entry = AuditEntry.objects.filter(action=action).order_by("-seq").first()
        self.assertIsNotNone(entry, f"no {action} audit entry")
        return entry

    def assert_list_audited(self, user, object_type: str, ids: list[int]) -> None:
        entry = self.last_audit(Action.LIST)
        self.assertEqual(entry.actor_id, user.pk)
        self.assertEqual(entry.object_type, object_type)
        self.assertEqual(entry.changes, {"ids": ids})

    def assert_hidden(self, user, path: str, method: str = "get", data=None) -> None:
        """`user` gets the very answer a missing record gives."""
        self.login_as(user)
        response = getattr(self.client, method)(path, data, format="json")
        self.assertEqual(response.status_code, NOT_FOUND, f"{user.username}: {response.content!r}")
        self.assertEqual(response.json(), {"detail": "No such record."})
