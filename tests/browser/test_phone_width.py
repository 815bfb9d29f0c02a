"""Every main page is usable at phone width (390 px) without sideways scrolling, as each role sees it: volunteers
work from their phones (issue 13). Each persona's session is made by the test client and handed to Chromium as
its session cookie (the administrator's carries a verified second factor, as after the login form)."""
from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from haven.settlement.testing import maple_settlement
from haven.testing.personas import PersonaTestCase, build_personas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 390


@pytest.fixture
def world(transactional_db):
    from types import SimpleNamespace

    t = SimpleNamespace()
    build_personas(t)
    maple_settlement(t)
    return t


def pages_for(t, persona: str) -> list[str]:
    everyone = [reverse("dashboard"), reverse("search") + "?q=myong", reverse("account")]
    case_pages = [reverse("case_list"), reverse("case_detail", args=[t.case.pk]),
                  reverse("household_detail", args=[t.household.pk]), reverse("person_detail", args=[t.person.pk]),
                  reverse("settlement_plan", args=[t.case.pk]),
                  reverse("settlement_assessment", args=[t.assessment.pk]), reverse("deadlines")]
    staff = [reverse("case_create"), reverse("settlement_assessment_create", args=[t.case.pk]),
             reverse("settlement_providers"), reverse("settlement_goal_edit", args=[t.goal.pk])]
    if persona == "analyst":
        return everyone + [reverse("stats_outcomes")]
    if persona == "volunteer":
        return everyone + case_pages
    if persona == "owner":
        return everyone + case_pages + staff + [reverse("settlement_restricted_notes", args=[t.case.pk])]
    return everyone + case_pages + staff


def session_cookie(t, user) -> str:
    client = Client()
    PersonaTestCase.login_as(None, user, client)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.mark.parametrize("persona", ["volunteer", "owner", "admin", "analyst"])
def test_main_pages_fit_a_phone(live_server, world, page, persona):
    page.set_viewport_size({"width": WIDTH, "height": 844})
    host = live_server.url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                               "value": session_cookie(world, getattr(world, persona)),
                               "domain": host, "path": "/"}])
    too_wide = []
    for path in pages_for(world, persona):
        response = page.goto(live_server.url + path)
        assert response.status == 200, (persona, path, response.status)
        assert not page.url.startswith(live_server.url + reverse("login")), (persona, path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > WIDTH:
            too_wide.append(f"{path}: {width}px")
    assert too_wide == [], f"{persona}: pages wider than {WIDTH}px: {too_wide}"


def test_the_deadline_table_reads_as_cards_on_a_phone(live_server, world, page):
    """A lawyer checks deadlines from a phone: each deadline a card whose cells all fit the screen, labelled, with
    no sideways scrolling inside the table either."""
    import datetime as dt

    from haven.claims import services as claim_services
    from haven.claims.tests.migrating import seed_rules_as_migrated

    # An earlier transactional test may have flushed the rules the data migrations seeded: seed them again.
    seed_rules_as_migrated()
    claim = claim_services.create_claim(actor=world.owner, case=world.case, reference="TC6-39001",
                                        claimant=world.person, country_of_persecution="KP", province="ON",
                                        referred_on=dt.date.today() - dt.timedelta(days=3))
    assert claim.deadlines.exists()
    page.set_viewport_size({"width": WIDTH, "height": 844})
    host = live_server.url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie(world, world.owner),
                               "domain": host, "path": "/"}])
    page.goto(live_server.url + reverse("deadlines"))
    table = page.locator("table.deadline-table")
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth")
    cells = page.locator("table.deadline-table tbody td")
    assert cells.count() >= 8
    rights = cells.evaluate_all("cells => cells.map(c => c.getBoundingClientRect().right)")
    assert max(rights) <= WIDTH
    labels = cells.evaluate_all("cells => cells.slice(0, 8).map(c => getComputedStyle(c, '::before').content)")
    assert labels == ['"Due"', '"Days left"', '"Deadline"', '"Whose step"', '"Person"', '"Claim"', '"Case"',
                      '"Source"']
