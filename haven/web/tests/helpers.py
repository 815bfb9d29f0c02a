"""Shared helpers of the web tests."""
from __future__ import annotations

from django.urls import reverse

from haven.audit.models import Action, AuditEntry


class WebAssertions:
    """Mixin for PersonaTestCase subclasses."""

    def assert_login_redirect(self, url: str, method: str = "get") -> None:
        self.client.logout()
        response = getattr(self.client, method)(url)
        self.assertEqual(response.status_code, 302, url)
        self.assertTrue(response["Location"].startswith(reverse("login")), response["Location"])

    def assert_not_found_for(self, user, url: str, method: str = "get", data=None) -> None:
        self.login_as(user)
        response = getattr(self.client, method)(url, data or {})
        self.assertEqual(response.status_code, 404, f"{user.username} {method.upper()} {url}")
        self.assertNotContains(response, "MSS-2026-001", status_code=404)

    def view_rows(self, user, obj) -> int:
        return AuditEntry.objects.filter(actor=user, action=Action.VIEW, object_type=obj._meta.label_lower,
                                         object_id=str(obj.pk)).count()
