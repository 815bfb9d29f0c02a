"""The account page: only ever the signed-in user's own data, tokens shown once."""
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from haven.audit.models import Action, AuditEntry
from haven.testing.personas import PASSWORD, PersonaTestCase

POST_VIEWS = ("account_language", "account_password", "account_token", "account_two_factor_remove")


class AccountAccessTests(PersonaTestCase):
    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(reverse("account"))
        self.assertRedirects(response, f"{reverse('login')}?next=/accounts/", fetch_redirect_response=False)
        for name in POST_VIEWS:
            response = self.client.post(reverse(name), {"action": "issue", "preferred_language": "fr"})
            self.assertEqual(response.status_code, 302, name)
            self.assertTrue(response["Location"].startswith(reverse("login")), name)
        self.assertFalse(Token.objects.exists())

    def test_post_only_views_refuse_get(self):
        self.login_as(self.owner)
        for name in POST_VIEWS:
            self.assertEqual(self.client.get(reverse(name)).status_code, 405, name)

    def test_page_shows_own_memberships_only(self):
        self.login_as(self.owner)
        with CaptureQueriesContext(connection) as queries:
            response = self.client.get(reverse("account"))
        # Session, user, 2FA check, token, memberships, device, access profile, session save.
        self.assertLessEqual(len(queries), 12)
        self.assertContains(response, self.owner.username)
        self.assertContains(response, "Maple Sponsorship Society")
        self.assertContains(response, "Caseworker")
        self.assertNotContains(response, "Harbour Legal Clinic")
        self.assertEqual(response["Cache-Control"], "no-store")

    def test_volunteer_sees_sponsor_group(self):
        self.login_as(self.volunteer)
        self.assertContains(self.client.get(reverse("account")), "Group A")


class LanguagePreferenceTests(PersonaTestCase):
    def test_saving_language_sets_preference_and_cookie(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("account_language"), {"preferred_language": "fr"})
        self.assertRedirects(response, reverse("account"), fetch_redirect_response=False)
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "fr")
        self.owner.refresh_from_db()
        self.assertEqual(self.owner.preferred_language, "fr")
        page = self.client.get(reverse("account"))
        self.assertContains(page, '<html lang="fr"')
        entry = AuditEntry.objects.filter(action=Action.UPDATE, actor_id=self.owner.pk).latest("seq")
        self.assertEqual(entry.changes, {"preferred_language": {"old": "", "new": "fr"}})

    def test_browser_default_clears_preference(self):
        self.owner.preferred_language = "ko"
        self.owner.save(update_fields=["preferred_language"])
        self.login_as(self.owner)
        response = self.client.post(reverse("account_language"), {"preferred_language": ""})
        self.assertEqual(response.cookies[settings.LANGUAGE_COOKIE_NAME].value, "")
        self.owner.refresh_from_db()
        self.assertEqual(self.owner.preferred_language, "")

    def test_unknown_language_is_refused(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("account_language"), {"preferred_language": "xx"})
        self.assertEqual(response.status_code, 400)
        self.owner.refresh_from_db()
        self.assertEqual(self.owner.preferred_language, "")


class ApiTokenTests(PersonaTestCase):
    def test_token_is_shown_once_then_never_again(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("account_token"), {"action": "issue"})
        key = Token.objects.get(user=self.owner).key
        self.assertContains(response, key)
        self.assertContains(response, "it will not be shown again")
        self.assertEqual(response["Cache-Control"], "no-store")
        # The language switcher on this POST answer leads back to a GET page, not to the POST-only URL.
        self.assertContains(response, 'name="next" value="/accounts/"')
        page = self.client.get(reverse("account"))
        self.assertNotContains(page, key)
        self.assertContains(page, "Regenerate token")
        # The key never reaches the audit log or the message cookie.
        entry = AuditEntry.objects.filter(action=Action.SECURITY, actor_id=self.owner.pk).latest("seq")
        self.assertEqual(entry.summary, "API token created")
        self.assertFalse(AuditEntry.objects.filter(object_id=key).exists())
        self.assertNotIn(key, str(response.cookies))

    def test_token_authenticates_against_the_api(self):
        self.login_as(self.owner)
        self.client.post(reverse("account_token"), {"action": "issue"})
        key = Token.objects.get(user=self.owner).key
        self.client.post(reverse("logout"))
        response = self.client.get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {key}")
        self.assertEqual(response.status_code, 200)

    def test_regenerate_replaces_and_revoke_deletes(self):
        self.login_as(self.owner)
        self.client.post(reverse("account_token"), {"action": "issue"})
        first = Token.objects.get(user=self.owner).key
        self.client.post(reverse("account_token"), {"action": "issue"})
        second = Token.objects.get(user=self.owner).key
        self.assertNotEqual(first, second)
        self.assertFalse(Token.objects.filter(key=first).exists())
        response = self.client.post(reverse("account_token"), {"action": "revoke"})
        self.assertRedirects(response, reverse("account"), fetch_redirect_response=False)
        self.assertFalse(Token.objects.filter(user=self.owner).exists())
        self.assertEqual(AuditEntry.objects.filter(actor_id=self.owner.pk, summary="API token revoked").count(), 1)

    def test_only_own_token_is_touched(self):
        colleague_token = Token.objects.create(user=self.colleague)
        self.login_as(self.owner)
        page = self.client.get(reverse("account"))
        self.assertContains(page, "You have no API token")
        self.assertNotContains(page, colleague_token.key)
        self.client.post(reverse("account_token"), {"action": "revoke"})
        self.client.post(reverse("account_token"), {"action": "issue"})
        self.assertTrue(Token.objects.filter(key=colleague_token.key, user=self.colleague).exists())

    def test_unknown_action_changes_nothing(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("account_token"), {"action": "steal"})
        self.assertRedirects(response, reverse("account"), fetch_redirect_response=False)
        self.assertFalse(Token.objects.exists())


class AuthenticatorRemovalTests(PersonaTestCase):
    def test_caseworker_removes_own_device_only(self):
        mine = TOTPDevice.objects.create(user=self.owner, name="phone", confirmed=True)
        self.login_as(self.owner)
        response = self.client.post(reverse("account_two_factor_remove"))
        self.assertRedirects(response, reverse("account"), fetch_redirect_response=False)
        self.assertFalse(TOTPDevice.objects.filter(pk=mine.pk).exists())
        self.assertTrue(TOTPDevice.objects.filter(pk=self.admin_device.pk).exists())
        self.assertEqual(self.client.get(reverse("account")).status_code, 200)

    def test_verified_admin_who_removes_device_must_enrol_again(self):
        self.login_as(self.admin)
        response = self.client.post(reverse("account_two_factor_remove"))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("two_factor")))
        self.assertFalse(TOTPDevice.objects.filter(user=self.admin, confirmed=True).exists())
        response = self.client.get(reverse("dashboard"))
        self.assertTrue(response["Location"].startswith(reverse("two_factor")))


class PasswordChangeTests(PersonaTestCase):
    NEW = "a new and long passphrase 2026"

    def change(self, **data):
        return self.client.post(reverse("account_password"), data)

    def test_change_keeps_this_session_ends_the_others_and_is_audited_without_the_password(self):
        other = self.client_class()
        self.login_as(self.owner)
        self.login_as(self.owner, client=other)
        response = self.change(old_password=PASSWORD, new_password1=self.NEW, new_password2=self.NEW)
        self.assertRedirects(response, reverse("account"))
        self.owner.refresh_from_db()
        self.assertTrue(self.owner.check_password(self.NEW))
        self.assertFalse(self.owner.check_password(PASSWORD))
        self.assertEqual(self.client.get(reverse("account")).status_code, 200)  # still signed in here
        self.assertEqual(other.get(reverse("account")).status_code, 302)  # signed out elsewhere
        entry = AuditEntry.objects.filter(action=Action.SECURITY, actor=self.owner).latest("seq")
        self.assertEqual(entry.summary, "password changed")
        self.assertNotIn(self.NEW, str(entry.changes) + entry.summary)

    def test_wrong_current_password_weak_or_mismatched_new_one_change_nothing(self):
        self.login_as(self.owner)
        cases = {
            "Your old password was entered incorrectly": dict(old_password="not it", new_password1=self.NEW,
                                                               new_password2=self.NEW),
            "too short": dict(old_password=PASSWORD, new_password1="short", new_password2="short"),
            "didn’t match": dict(old_password=PASSWORD, new_password1=self.NEW, new_password2=self.NEW + "!"),
        }
        for message, data in cases.items():
            with self.subTest(message=message):
                response = self.change(**data)
                self.assertContains(response, message, status_code=400)
                self.owner.refresh_from_db()
                self.assertTrue(self.owner.check_password(PASSWORD))
        self.assertFalse(AuditEntry.objects.filter(action=Action.SECURITY, summary="password changed").exists())

    def test_the_form_is_on_the_account_page_in_the_readers_language(self):
        self.login_as(self.owner)
        response = self.client.get(reverse("account"), HTTP_ACCEPT_LANGUAGE="ko")
        self.assertContains(response, f'action="{reverse("account_password")}"')
        self.assertContains(response, "비밀번호 변경")
        self.assertNotContains(response, "autofocus")
