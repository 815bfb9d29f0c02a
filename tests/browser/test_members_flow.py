"""An administrator adds a volunteer in a real browser and hands over the one-time password; the volunteer signs
in with it, sees their sponsor group's case only, and changes the password on their account page."""
from __future__ import annotations

import re
import time

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.models import Organization, Role, Team, User
from haven.testing.factories import CaseFactory, HouseholdFactory, MembershipFactory, OrganizationFactory, UserFactory
from haven.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a long passphrase of my own 2026"


@pytest.fixture
def admin(transactional_db):
    org = OrganizationFactory(name="Maple Sponsorship Society", slug="maple", kind=Organization.Kind.SPONSORSHIP)
    group = Team.objects.create(organization=org, name="Group North", kind=Team.Kind.SPONSOR_GROUP)
    CaseFactory(organization=org, reference="MSS-NORTH-1", sponsor_group=group,
                household=HouseholdFactory(organization=org, reference="HH-N1", name="Jo family"))
    CaseFactory(organization=org, reference="MSS-OTHER-2",
                household=HouseholdFactory(organization=org, reference="HH-O2", name="Han family"))
    user = UserFactory(username="admin@maple.test")
    MembershipFactory(user=user, organization=org, role=Role.ADMIN)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


def current_code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    totp = TOTP(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()


def test_admin_adds_a_volunteer_who_signs_in_and_changes_the_password(live_server, admin, page):
    base = live_server.url
    sign_in(page, base, admin.username, PASSWORD)
    page.wait_for_url(re.compile(re.escape(base + reverse("two_factor"))))
    page.fill("#id_token", current_code(admin))
    page.get_by_role("button", name="Verify").click()
    page.wait_for_url(base + reverse("dashboard"))

    page.locator(".user-menu summary").click()
    page.get_by_role("link", name="Organization members").click()
    page.fill("#id_username", "sun-hee@maple.test")
    page.fill("#id_first_name", "Sun-hee")
    page.select_option("#id_role", "volunteer")
    page.select_option("#id_team", label="Group North")
    page.get_by_role("button", name="Add member").click()
    one_time = page.locator("#one-time-password").inner_text().strip()
    assert len(one_time) >= 12
    assert User.objects.get(username="sun-hee@maple.test").check_password(one_time)

    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "sun-hee@maple.test", one_time)
    # A one-time password must be changed before any other page opens (issue 14).
    page.wait_for_url(re.compile(re.escape(base + reverse("account"))))
    page.goto(base + reverse("case_list"))
    assert page.url.startswith(base + reverse("account"))
    # Just signed in with the one-time password: the form asks only for the new one.
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.wait_for_url(base + reverse("account"))
    assert "Your password is changed" in page.locator(".messages").inner_text()
    page.goto(base + reverse("case_list"))
    assert "MSS-NORTH-1" in page.content() and "MSS-OTHER-2" not in page.content()
    assert User.objects.get(username="sun-hee@maple.test").check_password(NEW_PASSWORD)
