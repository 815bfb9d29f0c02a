"""Issue 14, defect 6 (passwords) and defect 3 (the platform superuser in the Django admin)."""
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from haven.accounts.models import Membership, Role
from haven.audit.models import Action, AuditEntry
from haven.audit.services import ADMIN_SUMMARY
from haven.testing.factories import UserFactory
from haven.testing.personas import PASSWORD, PersonaTestCase

NEW_PASSWORD = "a quite different passphrase 42"


class PasswordTests(PersonaTestCase):
    def sign_in(self, client, user, password):
        return client.post(reverse("login"), {"username": user.username, "password": password})

    def reset_colleague_password(self) -> str:
        self.login_as(self.admin)
        membership = Membership.objects.get(user=self.colleague, organization=self.org)
        response = self.client.post(reverse("member_password_reset", args=[self.org.pk, membership.pk]))
        return response.context["handed_over"][1]

    def test_a_one_time_password_works_once_and_must_be_changed_first(self):
        one_time = self.reset_colleague_password()
        client = Client()
        self.assertEqual(self.sign_in(client, self.colleague, one_time).status_code, 302)
        # Every page but the account page asks for a new password first; the API refuses.
        self.assertRedirects(client.get(reverse("dashboard")), reverse("account") + "#password",
                             fetch_redirect_response=False)
        self.assertEqual(client.get("/api/v1/cases/").status_code, 403)
        self.assertContains(client.get(reverse("account")), "the one-time password you were given works only once")
        # The one-time password no longer signs in, from anywhere.
        self.assertEqual(self.sign_in(Client(), self.colleague, one_time).status_code, 200)
        response = client.post(reverse("account_password"),
                               {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        self.assertRedirects(response, reverse("account"), fetch_redirect_response=False)
        self.assertEqual(client.get(reverse("dashboard")).status_code, 200)
        self.assertEqual(self.sign_in(Client(), self.colleague, NEW_PASSWORD).status_code, 302)
        self.assertTrue(AuditEntry.objects.filter(actor=self.colleague, summary="one-time password used").exists())

    def test_an_administrators_reset_lifts_a_lock_out(self):
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            self.sign_in(Client(), self.colleague, "wrong")
        self.assertEqual(self.sign_in(Client(), self.colleague, PASSWORD).status_code, 429)
        one_time = self.reset_colleague_password()
        self.assertEqual(self.sign_in(Client(), self.colleague, one_time).status_code, 302)

    def test_changing_the_password_revokes_api_tokens_and_other_sessions(self):
        token = Token.objects.create(user=self.owner)
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        self.assertEqual(api.get("/api/v1/cases/").status_code, 200)
        elsewhere = Client()
        self.login_as(self.owner, client=elsewhere)
        self.login_as(self.owner)
        response = self.client.post(reverse("account_password"), {
            "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        self.assertRedirects(response, reverse("account"), fetch_redirect_response=False)
        self.assertEqual(api.get("/api/v1/cases/").status_code, 403)  # an unknown token, as the API's auth says
        self.assertFalse(Token.objects.filter(user=self.owner).exists())
        self.assertRedirects(elsewhere.get(reverse("dashboard")), f"{reverse('login')}?next=/",
                             fetch_redirect_response=False)
        self.assertEqual(self.client.get(reverse("dashboard")).status_code, 200)


class AdminAuditTests(PersonaTestCase):
    def setUp(self):
        self.root = UserFactory(username="root@platform.test", is_staff=True, is_superuser=True)
        TOTPDevice.objects.create(user=self.root, name="phone", confirmed=True)
        self.login_as(self.root)

    def test_a_membership_added_in_the_admin_is_in_the_chained_log_and_on_the_members_page(self):
        response = self.client.post(reverse("admin:accounts_membership_add"), {
            "user": self.root.pk, "organization": self.org.pk, "role": Role.CASEWORKER, "team": "",
            "version": 1})
        self.assertEqual(response.status_code, 302, response.content[:2000])
        membership = Membership.objects.get(user=self.root, organization=self.org)
        entry = AuditEntry.objects.get(object_type="accounts.membership", object_id=str(membership.pk))
        self.assertEqual((entry.actor_id, entry.action, entry.summary), (self.root.pk, Action.CREATE, ADMIN_SUMMARY))
        self.assertEqual(entry.changes["role"], {"old": None, "new": "caseworker"})
        self.login_as(self.admin)
        page = self.client.get(reverse("organization_members", args=[self.org.pk]))
        self.assertContains(page, "root@platform.test")
        self.assertContains(page, "set in the platform administration")

    def test_changes_and_deletions_of_any_model_are_audited(self):
        membership = Membership.objects.get(user=self.analyst, organization=self.org)
        self.client.post(reverse("admin:accounts_membership_delete", args=[membership.pk]), {"post": "yes"})
        self.assertFalse(Membership.objects.filter(pk=membership.pk).exists())
        self.assertTrue(AuditEntry.objects.filter(actor=self.root, action=Action.DELETE, summary=ADMIN_SUMMARY,
                                                  object_id=str(membership.pk)).exists())
        response = self.client.post(reverse("admin:accounts_team_change", args=[self.group_b.pk]), {
            "organization": self.org.pk, "name": "Group B (Calgary)", "kind": "sponsor_group"})
        self.assertEqual(response.status_code, 302)
        entry = AuditEntry.objects.get(actor=self.root, action=Action.UPDATE, object_type="accounts.team")
        self.assertEqual(entry.changes, {"name": {"old": "Group B", "new": "Group B (Calgary)"}})
