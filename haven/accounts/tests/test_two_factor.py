"""Two-factor authentication: forced for administrators, optional for others, enrolment with a QR code."""
from io import StringIO

from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.models import Role
from haven.accounts.tests.helpers import current_code, wrong_code
from haven.audit.models import Action, AuditEntry
from haven.testing.factories import MembershipFactory, UserFactory
from haven.testing.personas import PASSWORD, PersonaTestCase


class TwoFactorTests(PersonaTestCase):
    def password_login(self, user):
        return self.client.post(reverse("login"), {"username": user.username, "password": PASSWORD})

    def test_admin_is_sent_to_two_factor_after_password(self):
        response = self.password_login(self.admin)
        self.assertRedirects(response, f"{reverse('two_factor')}?next=%2F", fetch_redirect_response=False)
        # Every other page sends them back there until they enter a code.
        for url in (reverse("dashboard"), reverse("case_list"), reverse("account")):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 302, url)
            self.assertTrue(response["Location"].startswith(reverse("two_factor")), url)

    def test_admin_sees_dashboard_after_correct_code(self):
        self.password_login(self.admin)
        page = self.client.get(reverse("two_factor"), {"next": "/"})
        self.assertContains(page, "Enter the code shown by your authenticator app")
        key_before = self.client.session.session_key
        self.assertNotContains(page, "<svg")
        response = self.client.post(reverse("two_factor"), {"token": current_code(self.admin_device), "next": "/"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        self.assertNotEqual(self.client.session.session_key, key_before)
        self.assertEqual(self.client.get(reverse("dashboard")).status_code, 200)
        self.assertEqual(self.client.get(reverse("account")).status_code, 200)

    def test_wrong_code_is_rejected(self):
        self.password_login(self.admin)
        response = self.client.post(reverse("two_factor"), {"token": wrong_code(self.admin_device)})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "That code is not valid")
        self.assertContains(response, 'aria-invalid="true"')
        self.assertRedirects(self.client.get(reverse("dashboard")), f"{reverse('two_factor')}?next=%2F",
                             fetch_redirect_response=False)
        entry = AuditEntry.objects.filter(action=Action.LOGIN_FAILED).latest("seq")
        self.assertEqual((entry.actor_id, entry.summary), (self.admin.pk, "two-factor code rejected"))

    def test_malformed_code_is_rejected_by_the_form(self):
        self.password_login(self.admin)
        response = self.client.post(reverse("two_factor"), {"token": "12ab"})
        self.assertContains(response, "Enter the 6-digit code")
        self.assertFalse(AuditEntry.objects.filter(action=Action.LOGIN_FAILED).exists())

    @override_settings(OTP_TOTP_THROTTLE_FACTOR=600)
    def test_repeated_wrong_codes_are_throttled(self):
        self.password_login(self.admin)
        self.client.post(reverse("two_factor"), {"token": wrong_code(self.admin_device)})
        # Right after a failure even the correct code is refused (django-otp back-off).
        response = self.client.post(reverse("two_factor"), {"token": current_code(self.admin_device)})
        self.assertContains(response, "That code is not valid")
        self.admin_device.refresh_from_db()
        self.assertGreaterEqual(self.admin_device.throttling_failure_count, 1)

    def test_caseworker_is_not_forced(self):
        response = self.password_login(self.owner)
        self.assertRedirects(response, reverse("dashboard"), fetch_redirect_response=False)
        self.assertEqual(self.client.get(reverse("account")).status_code, 200)
        self.assertEqual(self.client.get(reverse("dashboard")).status_code, 200)

    def test_caseworker_who_enrolled_is_asked_for_a_code(self):
        device = TOTPDevice.objects.create(user=self.owner, name="phone", confirmed=True)
        self.password_login(self.owner)
        response = self.client.get(reverse("account"))
        self.assertRedirects(response, f"{reverse('two_factor')}?next=%2Faccounts%2F", fetch_redirect_response=False)
        self.client.post(reverse("two_factor"), {"token": current_code(device)})
        self.assertEqual(self.client.get(reverse("account")).status_code, 200)

    def test_admin_without_device_enrols_with_qr_code(self):
        new_admin = UserFactory(username="new-admin@maple.test")
        MembershipFactory(user=new_admin, organization=self.org, role=Role.ADMIN)
        self.password_login(new_admin)
        page = self.client.get(reverse("two_factor"))
        self.assertContains(page, "Set up two-factor authentication")
        self.assertContains(page, "<svg")
        self.assertNotContains(page, "<?xml")
        device = TOTPDevice.objects.get(user=new_admin)
        self.assertFalse(device.confirmed)
        # Reloading keeps the same secret rather than creating more devices.
        self.client.get(reverse("two_factor"))
        self.assertEqual(TOTPDevice.objects.filter(user=new_admin).count(), 1)
        self.assertEqual(self.client.get(reverse("dashboard")).status_code, 302)
        response = self.client.post(reverse("two_factor"), {"token": current_code(device), "next": "/"})
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        device.refresh_from_db()
        self.assertTrue(device.confirmed)
        self.assertEqual(self.client.get(reverse("dashboard")).status_code, 200)
        self.assertTrue(AuditEntry.objects.filter(actor_id=new_admin.pk, action=Action.SECURITY,
                                                  summary="two-factor device confirmed").exists())

    def test_unverified_admin_cannot_remove_the_device_or_use_the_api(self):
        self.password_login(self.admin)
        response = self.client.post(reverse("account_two_factor_remove"))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("two_factor")))
        self.assertTrue(TOTPDevice.objects.filter(pk=self.admin_device.pk).exists())
        response = self.client.post(reverse("account_token"), {"action": "issue"})
        self.assertTrue(response["Location"].startswith(reverse("two_factor")))
        response = self.client.get("/api/v1/cases/")
        self.assertEqual(response.status_code, 403)

    def test_anonymous_is_sent_to_login(self):
        response = self.client.get(reverse("two_factor"))
        self.assertRedirects(response, f"{reverse('login')}?next=/accounts/two-factor/",
                             fetch_redirect_response=False)
        self.assertFalse(TOTPDevice.objects.exclude(user=self.admin).exists())

    def test_foreign_next_is_ignored(self):
        self.password_login(self.admin)
        response = self.client.post(reverse("two_factor"), {"token": current_code(self.admin_device),
                                                            "next": "https://evil.example/"})
        self.assertRedirects(response, reverse("dashboard"), fetch_redirect_response=False)


class TotpCommandTests(PersonaTestCase):
    @override_settings(DEBUG=True)
    def test_prints_current_code_in_development(self):
        out = StringIO()
        call_command("totp", self.admin.username, stdout=out)
        code = out.getvalue().strip()
        self.assertRegex(code, r"^\d{6}$")
        self.assertTrue(self.admin_device.verify_token(code))

    @override_settings(DEBUG=False)
    def test_refused_in_production(self):
        with self.assertRaisesMessage(CommandError, "Refused"):
            call_command("totp", self.admin.username, stdout=StringIO())

    @override_settings(DEBUG=True)
    def test_unknown_user_and_user_without_device(self):
        with self.assertRaisesMessage(CommandError, "No user named"):
            call_command("totp", "nobody", stdout=StringIO())
        with self.assertRaisesMessage(CommandError, "no authenticator yet"):
            call_command("totp", self.owner.username, stdout=StringIO())
