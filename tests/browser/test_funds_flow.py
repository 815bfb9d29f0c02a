"""A caseworker records a gift to the pilot campaign in a real browser, issues its official receipt, opens the PDF
and sees the campaign's progress move; the family's sponsor-group volunteer then sees the family's disbursement
schedule, but no donor anywhere."""
from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.urls import reverse
from pypdf import PdfReader

from haven.funds import ledger, services, testing
from haven.funds.models import Receipt
from haven.testing.personas import PASSWORD, build_personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DONOR = "박민지 Min-ji Park"


@pytest.fixture
def maple(transactional_db):
    t = SimpleNamespace()
    build_personas(t)
    testing.charity(t)
    today = dt.date.today()
    t.campaign = services.create_campaign(actor=t.owner, organization=t.org, name="Pilot families", goal="10000.00",
                                          starts_on=today - dt.timedelta(days=30), sponsor_group=t.group_a)
    t.donor = services.create_donor(actor=t.owner, organization=t.org, name=DONOR,
                                    address="1 Rue Principale, Gatineau QC J8X 1A1")
    services.record_donation(actor=t.owner, organization=t.org, donor=t.donor, amount="1000.00",
                             received_on=today - dt.timedelta(days=10), campaign=t.campaign)
    ledger.allocate(actor=t.owner, case=t.case, amount="900.00")
    ledger.plan_disbursements(actor=t.owner, case=t.case,
                              schedule=ledger.flat_schedule(today + dt.timedelta(days=5), 3, Decimal("275.50")))
    return t


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + reverse("dashboard"))


def progress_of(page) -> int:
    return int(page.locator(".funds-progress progress").first.get_attribute("value"))


def test_caseworker_receipts_a_gift_and_the_volunteer_sees_the_schedule_not_the_donors(live_server, maple, page):
    base = live_server.url
    sign_in(page, base, maple.owner.username)
    page.get_by_role("link", name="Funds").click()
    assert progress_of(page) == 10  # 1,000 of 10,000

    page.get_by_role("link", name="Record a gift").click()
    page.select_option("#id_donor", label=DONOR)
    page.fill("#id_amount", "1500.00")
    page.select_option("#id_method", label="Interac e-Transfer")
    page.select_option("#id_campaign", label="Pilot families")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r"/funds/donations/\d+/$"))
    page.get_by_role("button", name="Issue official receipt").click()
    page.wait_for_url(re.compile(r"/funds/receipts/\d+/$"))
    assert "Receipt No. 1" in page.locator("h1").inner_text()

    pdf_url = page.get_by_role("link", name="Open the PDF").get_attribute("href")
    answer = page.context.request.get(base + pdf_url)
    assert answer.ok and answer.headers["content-type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(answer.body())).pages)
    assert "Official receipt for income tax purposes" in text and "박민지" in text and "1500.00" in text
    assert Receipt.objects.get(number=1).eligible_amount == Decimal("1500.00")

    page.goto(base + reverse("funds:campaign_detail", kwargs={"pk": maple.campaign.pk}))
    assert progress_of(page) == 25  # 2,500 of 10,000
    assert page.locator("svg.chart polyline").count() == 2  # raised and goal

    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, maple.volunteer.username)
    page.get_by_role("link", name="Funds").click()
    assert DONOR not in page.content() and "Min-ji" not in page.content()
    page.get_by_role("link", name="MSS-2026-001").click()
    schedule = page.locator("table").first
    assert schedule.locator("tbody tr").count() == 3
    assert "275.50" in schedule.inner_text() and "Awaiting approval" in schedule.inner_text()
    assert "Min-ji" not in page.content()
    page.goto(base + reverse("funds:donor_detail", kwargs={"pk": maple.donor.pk}))
    assert "Min-ji" not in page.content()
    assert page.goto(base + reverse("funds:donor_list")).status == 404
