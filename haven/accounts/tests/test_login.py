"""Signing in and out: audited, locked out after repeated failures, language preference applied."""
from django.conf import settings
from django.urls import reverse

from haven.audit.models import Action, AuditEntry
from haven.testing.personas import PASSWORD, PersonaTestCase


class LoginTests(PersonaTestCase):
    def login(self, username, password=PASSWORD, **extra):
        return self.client.post(reverse("login"), {"username": username, "password": password, **extra})

    def test_login_page_renders_accessible_form(self):
        response = self.client.get(reverse("login"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, '<html lang="en"')
        self.assertContains(response, 'autocomplete="current-password"')
        self.assertContains(response, 'href="#main"')
        self.assertContains(response, '<main id="main"')

    def test_caseworker_logs_in_and_lands_on_dashboard(self):
        response = self.login(self.owner.username)
        self.assertRedirects(response, reverse("dashboard"), fetch_redirect_response=False)
        self.assertEqual(int(self.client.session["_auth_user_id"]), self.owner.pk)
        entry = AuditEntry.objects.filter(action=Action.LOGIN).latest("seq")
        self.assertEqual(entry.actor_id, self.owner.pk)
        self.assertEqual(entry.ip_address, "127.0.0.1")

    def test_safe_next_is_followed_and_foreign_next_ignored(self):
        response = self.login(self.owner.username, next="/accounts/")
        self.assertRedirects(response, "/accounts/", fetch_redirect_response=False)
        self.client.post(reverse("logout"))
        response = self.login(self.owner.username, next="https://evil.example/")
        self.assertRedirects(response, reverse("dashboard"), fetch_redirect_response=False)

    def test_wrong_password_is_refused_and_audited(self):
        response = self.login(self.owner.username, password="not the password")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'role="alert"')
        self.assertNotIn("_auth_user_id", self.client.session)
        entry = AuditEntry.objects.filter(action=Action.LOGIN_FAILED).latest("seq")
        self.assertEqual(entry.summary, f"username={self.owner.username}")
        self.assertIsNone(entry.actor_id)
        self.assertNotIn("not the password", str(entry.changes) + entry.summary)

    def test_lock_out_after_failure_limit(self):
        limit = settings.AXES_FAILURE_LIMIT
        for _attempt in range(limit - 1):
            self.assertEqual(self.login(self.owner.username, password="wrong").status_code, 200)
        response = self.login(self.owner.username, password="wrong")
        self.assertEqual(response.status_code, 429)
        self.assertTemplateUsed(response, "accounts/locked_out.html")
        self.assertContains(response, "Sign-in paused", status_code=429)
        # Even the right password is refused while locked out.
        response = self.login(self.owner.username)
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("_auth_user_id", self.client.session)
        # Another account from the same address is not affected.
        self.assertEqual(self.login(self.colleague.username).status_code, 302)

    def test_preferred_language_is_applied_on_login(self):
        self.owner.preferred_language = "ko"
        self.owner.save(update_fields=["preferred_language"])
        response = self.login(self.owner.username)
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "ko")

    def test_signed_in_user_visiting_login_is_sent_on(self):
        self.login_as(self.owner)
        response = self.client.get(reverse("login"))
        self.assertRedirects(response, reverse("dashboard"), fetch_redirect_response=False)

    def test_logout_requires_post_and_is_audited(self):
        self.login_as(self.owner)
        self.assertEqual(self.client.get(reverse("logout")).status_code, 405)
        self.assertIn("_auth_user_id", self.client.session)
        response = self.client.post(reverse("logout"))
        self.assertRedirects(response, reverse("login"), fetch_redirect_response=False)
        self.assertNotIn("_auth_user_id", self.client.session)
        entry = AuditEntry.objects.filter(action=Action.LOGOUT).latest("seq")
        self.assertEqual(entry.actor_id, self.owner.pk)
        # The account page now asks to sign in again.
        response = self.client.get(reverse("account"))
        self.assertRedirects(response, f"{reverse('login')}?next=/accounts/", fetch_redirect_response=False)
