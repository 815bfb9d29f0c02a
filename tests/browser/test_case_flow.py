"""A caseworker's first minutes in a real browser: sign in through the login
form, open a case for a new household whose principal applicant is written in
Hangul, find it with a Hangul search on the case list and open it.

Playwright (sync API) drives Debian's Chromium (scripts/install-chromium.sh
installs it; HAVEN_CHROMIUM overrides the path) against pytest-django's
live_server, which serves static files through Django's StaticFilesHandler.
"""
from __future__ import annotations

import re

import pytest
from django.urls import reverse

from haven.accounts.models import Organization, Role
from haven.testing.factories import (
    CaseFactory,
    HouseholdFactory,
    MembershipFactory,
    OrganizationFactory,
    PersonFactory,
    UserFactory,
)
from haven.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The `page` fixture (Debian Chromium through Playwright) comes from the root conftest.py.


@pytest.fixture
def caseworker(transactional_db):
    org = OrganizationFactory(name="Maple Sponsorship Society", slug="maple", kind=Organization.Kind.SPONSORSHIP)
    user = UserFactory(username="worker@maple.test")
    MembershipFactory(user=user, organization=org, role=Role.CASEWORKER)
    # Another case of the organization, so that the search has something to leave out.
    household = HouseholdFactory(organization=org, reference="HH-KIM", name="Kim family")
    PersonFactory(household=household, family_name="Kim", given_name="Ok-sun", family_name_hangul="김",
                  given_name_hangul="옥순", sex="F", search_key="|kimoksun|oksunkim|김옥순|옥순김|")
    CaseFactory(household=household, organization=org, reference="MSS-2026-050", title="Kim family sponsorship",
                search_key="|mss2026050|kimfamilysponsorship|kimoksun|김옥순|")
    return user


def test_caseworker_opens_a_case_and_finds_it_by_hangul_search(live_server, caseworker, page):
    base = live_server.url

    from playwright.sync_api import expect

    # Signing in: the case list sends an anonymous visitor to the login form.
    page.goto(base + reverse("case_list"))
    assert page.url.startswith(base + reverse("login"))
    page.fill("#id_username", caseworker.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(base + reverse("case_list"))))
    assert page.locator("h1").first.inner_text() == "Cases"
    # The stylesheet is served (static files work in live_server).
    stylesheet = page.locator("link[rel=stylesheet]").first.get_attribute("href")
    assert page.request.get(base + stylesheet).ok

    # Opening a case for a new household, principal applicant in Hangul and romanized.
    page.get_by_role("link", name="Open a case").click()
    page.wait_for_url(re.compile(re.escape(base + reverse("case_create"))))
    page.fill("#id_reference", "MSS-2026-101")
    page.fill("#id_title", "Ri family sponsorship")
    page.fill("#id_household_name", "Ri family")
    page.fill("#id_family_name", "Ri")
    page.fill("#id_given_name", "Myong-chol")
    page.fill("#id_family_name_hangul", "리")
    page.fill("#id_given_name_hangul", "명철")
    # Only the year of birth is known: the form takes it with that precision (issue 15).
    page.check("input[name=birth_date_precision][value=year]")
    page.fill("#id_birth_date_0", "1975")
    page.get_by_role("button", name="Open case").click()
    page.wait_for_url(re.compile(re.escape(base) + r"/cases/\d+/$"))
    assert "MSS-2026-101" in page.locator("h1").inner_text()

    # Finding it: a Hangul search on the case list shows it, and only it.
    page.goto(base + reverse("case_list"))
    assert page.get_by_role("link", name="MSS-2026-050").is_visible()
    page.fill("#id_q", "명철")
    page.get_by_role("button", name="Search").click()
    results = page.locator("#case-results")
    # The results are swapped in by htmx: wait for the filtered list, not the one already shown.
    expect(results.get_by_role("link", name="MSS-2026-050")).to_have_count(0)
    expect(results.locator(".results-count")).to_have_text("1 case")
    expect(results.get_by_role("link", name="MSS-2026-101")).to_be_visible()

    # A drop-down filters on change, without the Search button: no case is on hold.
    page.select_option("#id_status", "on_hold")
    expect(results.locator(".results-count")).to_have_text("0 cases")
    page.select_option("#id_status", "")
    expect(results.locator(".results-count")).to_have_text("1 case")

    # Opening it from the results: the case page with its household and principal applicant.
    results.get_by_role("link", name="MSS-2026-101").click()
    page.wait_for_url(re.compile(re.escape(base) + r"/cases/\d+/$"))
    assert "MSS-2026-101 · Ri family sponsorship" in page.locator("h1").inner_text()
    members = page.locator("#members")
    assert "Ri Myong-chol (리명철)" in members.inner_text()
