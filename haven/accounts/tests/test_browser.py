"""An administrator's first sign-in in a real browser: password, then two-factor
enrolment from the QR page (secret read off the page, as an authenticator app
would), then the dashboard; the strict CSP holds (no violation reported by
Chromium) and the skip link is the first thing the keyboard reaches."""
from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import TOTP

from haven.accounts.models import Role
from haven.testing.factories import MembershipFactory, OrganizationFactory, UserFactory
from haven.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The `page` fixture (Debian Chromium through Playwright) comes from the root conftest.py.


def code_for(secret_base32: str) -> str:
    totp = TOTP(b32decode(secret_base32), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time()
    return f"{totp.token():06d}"


def test_admin_enrols_two_factor_and_reaches_dashboard(live_server, page):
    org = OrganizationFactory(name="Maple Sponsorship Society", slug="maple")
    admin = UserFactory(username="admin@maple.test")
    MembershipFactory(user=admin, organization=org, role=Role.ADMIN)
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    base = live_server.url

    page.goto(base + reverse("login"))
    page.fill("#id_username", admin.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(re.compile(re.escape(base + reverse("two_factor"))))
    assert page.locator(".qr svg").count() == 1
    secret = page.locator(".secret code").inner_text().replace(" ", "")
    page.fill("#id_token", code_for(secret))
    page.get_by_role("button", name="Confirm and continue").click()

    page.wait_for_url(base + reverse("dashboard"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    assert "Your authenticator app is set up" in page.locator(".messages").inner_text()
    assert page.evaluate("typeof window.htmx") == "object"  # the vendored htmx loaded under the CSP
    assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") \
        == "rgb(31, 78, 121)"  # the stylesheet applied

    # Signing out from the user menu ends the session.
    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(re.escape(base + reverse("login"))))
    assert "You have signed out." in page.locator(".messages").inner_text()
    assert problems == []
