"""In a real browser: a caseworker records an RPD decision through the HTMX step form and sees the RAD
deadlines appear with their citations, then corrects the date the reasons were received and sees them move.

Playwright drives Debian's Chromium (scripts/install-chromium.sh; HAVEN_CHROMIUM overrides the path) against
pytest-django's live_server.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from haven.accounts.models import Organization, Role
from haven.claims import services
from haven.claims.tests.migrating import seed_rules_as_migrated
from haven.testing.factories import (
    AssignmentFactory,
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
def claim(transactional_db):
    # An earlier transactional test may have flushed the rules the data migrations seeded: seed them again.
    seed_rules_as_migrated()
    org = OrganizationFactory(name="Harbour Legal Clinic", slug="harbour", kind=Organization.Kind.LEGAL_CLINIC)
    user = UserFactory(username="counsel@harbour.test")
    MembershipFactory(user=user, organization=org, role=Role.LEGAL_REP)
    household = HouseholdFactory(organization=org, reference="HH-201", name="Kim family")
    person = PersonFactory(household=household, family_name="Kim", given_name="Ok-sun")
    case = CaseFactory(household=household, organization=org, reference="HLC-2024-201", kind="protection_claim")
    AssignmentFactory(case=case, user=user)
    return services.create_claim(actor=user, case=case, reference="TC4-20001", claimant=person,
                                 country_of_persecution="KP", province="ON", referred_on=dt.date(2024, 1, 8))


def test_recording_a_rejection_shows_the_rad_deadlines(live_server, claim, page):
    base = live_server.url
    detail = base + reverse("claim_detail", args=[claim.pk])
    page.goto(detail)
    page.fill("#id_username", "counsel@harbour.test")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(re.escape(detail) + "$"))
    assert page.locator("#deadlines [data-rule=rad_notice_due]").count() == 0
    assert page.locator("#deadlines [data-rule=boc_due]").count() == 1

    page.get_by_role("button", name="Record a step").click()  # HTMX loads the form in place
    form = page.locator("#event-form")
    form.wait_for()
    assert form.locator("#id_received_on").count() == 0  # no step chosen: only its kind, date and note
    form.locator("#id_type").select_option("decision_rejected")
    form.locator("#id_received_on").wait_for()  # the form swapped in with a decision's details
    form.locator("#id_occurred_on").fill("2024-06-03")
    form.locator("#id_received_on").fill("2024-06-10")
    form.get_by_role("button", name="Record step").click()

    notice = page.locator("#deadlines [data-rule=rad_notice_due]")
    notice.wait_for()
    assert "2024-06-25" in notice.inner_text()
    assert "IRPR s.159.91(1)(a)" in notice.inner_text()
    record = page.locator("#deadlines [data-rule=rad_record_due]")
    assert "2024-07-25" in record.inner_text()
    assert "RPD decision: rejected" in page.locator("#timeline").inner_text()

    # A refused step shows the reason in the form, without leaving the page.
    page.get_by_role("button", name="Record a step").click()
    form = page.locator("#event-form")
    form.wait_for()
    # The response arrives before HTMX swaps the form in; mark the old form so the test waits for the new one
    # (filling the old one loses the date when the swap replaces it).
    page.evaluate("document.querySelector('#event-form').setAttribute('data-replaced', '')")
    form.locator("#id_type").select_option("fc_leave_filed")  # the form swaps in: no details for this step
    page.locator("#event-form:not([data-replaced])").wait_for()
    form.locator("#id_occurred_on").fill("2024-06-20")
    form.get_by_role("button", name="Record step").click()
    page.get_by_text("IRPA s.72(2)(a)").wait_for()

    # Correcting the reasons date from the claim page moves the RAD deadlines; a step others depend on cannot
    # be removed, and the page says why.
    page.get_by_role("link", name="Correct “RPD decision: rejected” of 2024-06-03").click()
    page.locator("#id_received_on").fill("2024-06-17")
    page.fill("#id_reason", "The reasons arrived a week later.")
    page.get_by_role("button", name="Save correction").click()
    page.wait_for_url(re.compile(re.escape(detail) + "#timeline$"))
    assert "2024-07-02" in page.locator("#deadlines [data-rule=rad_notice_due]").inner_text()
    page.get_by_role("link", name="Remove “Referred to the RPD” of 2024-01-08").click()
    assert "depends on it" in page.get_by_role("alert").inner_text()
    assert page.get_by_role("button", name="Remove step").count() == 0
