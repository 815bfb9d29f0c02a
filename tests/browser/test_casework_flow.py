"""A volunteer, on a phone-sized screen, completes the task a caseworker gave them; the caseworker then sees it
done on their "my work" dashboard (issue 13)."""
from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from haven.accounts.models import Organization, Role, Team
from haven.casework import services
from haven.casework.models import Task
from haven.testing.factories import CaseFactory, HouseholdFactory, MembershipFactory, OrganizationFactory, UserFactory
from haven.testing.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def work(transactional_db):
    org = OrganizationFactory(name="Maple Sponsorship Society", slug="maple", kind=Organization.Kind.SPONSORSHIP)
    group = Team.objects.create(organization=org, name="Group North", kind=Team.Kind.SPONSOR_GROUP)
    case = CaseFactory(organization=org, reference="MSS-NORTH-1", sponsor_group=group,
                       household=HouseholdFactory(organization=org, reference="HH-N1", name="Jo family"))
    caseworker = UserFactory(username="min-ji@maple.test", first_name="Min-ji")
    MembershipFactory(user=caseworker, organization=org, role=Role.CASEWORKER)
    volunteer = UserFactory(username="tom@maple.test", first_name="Tom")
    MembershipFactory(user=volunteer, organization=org, role=Role.VOLUNTEER, team=group)
    task = services.create_task(actor=caseworker, case=case, title="Drive the family to the bank",
                                assignee=volunteer, due_on=timezone.localdate() + dt.timedelta(days=1))
    return caseworker, volunteer, task


def sign_in(page, base: str, username: str) -> None:
    page.goto(base + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base + reverse("dashboard"))


def test_a_volunteer_completes_a_task_and_the_caseworker_sees_it_done(live_server, work, page):
    caseworker, volunteer, task = work
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, volunteer.username)
    page.get_by_role("link", name="My work").first.click()
    page.wait_for_url(base + reverse("casework:my_work"))
    week = page.locator("#bucket-week").locator("xpath=..")
    week.get_by_role("link", name="Drive the family to the bank").click()
    page.fill("#id_outcome", "Account opened at the Main Street branch.")
    page.get_by_role("button", name="Mark as done").click()
    assert "Task marked as done." in page.locator(".messages").inner_text()
    # No sideways scrolling at phone width.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    task.refresh_from_db()
    assert (task.status, task.completed_by) == (Task.Status.DONE, volunteer)

    page.locator(".user-menu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, caseworker.username)
    page.get_by_role("link", name="My work").first.click()
    done = page.locator(".work-bucket--done")
    assert "Drive the family to the bank" in done.inner_text()
    assert "Done" in done.inner_text()
    assert "Drive the family to the bank" not in page.locator(".work-bucket--week").inner_text()
