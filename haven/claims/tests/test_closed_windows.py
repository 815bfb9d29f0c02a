"""A deadline whose window a later step closes without the step that meets it is "closed", not "met late"
(claims migration 0016: DeadlineRule.closed_by, Deadline.lapsed). Hearing Tue 10 Sept 2024: the Minister's notice of
intervention and the BOC changes are due 10 days before, Fri 30 Aug (Sat 31 Aug rolled back); referral Mon 8 Jan
2024: the BOC is due 15 days later, Tue 23 Jan."""
from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from haven.api.tests.base import url
from haven.claims.labels import DeadlineStatus
from haven.claims.models import Deadline, EventType
from haven.claims.selectors import claim_deadline_rows, met_late_count
from haven.claims.tests.migrating import latest, migrate_to
from haven.claims.tests.test_lifecycle import ClaimTestCase

D = dt.date
E = EventType
TODAY = D(2024, 12, 1)


class ClosedWindowTests(ClaimTestCase):
    def heard(self, *, intervened_on=None):
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.BOC_FILED, D(2024, 1, 20))
        self.step(E.HEARING_SCHEDULED, D(2024, 6, 20), scheduled_for=D(2024, 9, 10))
        if intervened_on:
            self.step(E.MINISTER_INTERVENTION, intervened_on, ground="article_1e")
        self.step(E.HEARING_HELD, D(2024, 9, 10))

    def statuses(self) -> dict[str, str]:
        return {row.deadline.key: row.status for row in claim_deadline_rows(self.claim, today=TODAY)}

    def test_the_hearing_closes_the_ministers_window_it_does_not_meet_it_late(self):
        self.heard()
        notice = Deadline.objects.get(claim=self.claim, key="minister_intervention_due")
        self.assertEqual((notice.due_on, notice.completed_on, notice.lapsed), (D(2024, 8, 30), D(2024, 8, 30), True))
        self.assertEqual(self.statuses()["minister_intervention_due"], DeadlineStatus.CLOSED)
        self.assertEqual(self.statuses()["boc_amendments_due"], DeadlineStatus.CLOSED)
        # The BOC filed on 20 Jan, after the last day to ask for more time (Thu 18 Jan), ended that window.
        self.assertEqual(self.statuses()["boc_extension_request_due"], DeadlineStatus.CLOSED)
        self.assertEqual(self.statuses()["boc_due"], DeadlineStatus.MET)
        self.assertEqual(self.statuses()["hearing_due"], DeadlineStatus.MET_LATE)  # the Board held it late
        # Only the hearing is on the late list: the closed windows are not.
        self.assertEqual(met_late_count(self.owner, today=D(2024, 9, 12), days="all", overdue_days=400), 1)

    def test_the_ministers_own_late_notice_is_met_late(self):
        self.heard(intervened_on=D(2024, 9, 3))
        notice = Deadline.objects.get(claim=self.claim, key="minister_intervention_due")
        self.assertEqual((notice.completed_on, notice.lapsed), (D(2024, 9, 3), False))
        self.assertEqual(self.statuses()["minister_intervention_due"], DeadlineStatus.MET_LATE)

    def test_a_claim_withdrawn_before_its_boc_closes_the_boc_deadline(self):
        self.step(E.REFERRAL, D(2024, 1, 8))
        self.step(E.WITHDRAWAL, D(2024, 1, 15))
        boc = Deadline.objects.get(claim=self.claim, key="boc_due")
        self.assertEqual((boc.completed_on, boc.lapsed), (D(2024, 1, 15), True))
        self.assertEqual(self.statuses()["boc_due"], DeadlineStatus.CLOSED)

    def test_the_claim_page_and_the_api_say_closed(self):
        self.heard()
        self.login_as(self.owner)
        page = self.client.get(reverse("claim_detail", args=[self.claim.pk]))
        self.assertContains(page, "Closed without the step")
        api = APIClient()
        api.force_authenticate(self.owner)
        rows = api.get(url("claim-deadlines", self.claim.pk)).json()
        rows = rows["results"] if isinstance(rows, dict) else rows
        self.assertEqual({row["key"]: row["status"] for row in rows}["minister_intervention_due"], "closed")


BEFORE = ("claims", "0015_ineligibility_labels_cite_s101_b1_b2")
AFTER = ("claims", "0016_closed_windows_apart_from_met_deadlines")


# Not serialized_rollback, as test_intake_migration.py explains; the rules are seeded when a flush removed them.
@pytest.mark.django_db(transaction=True)
def test_migration_0016_moves_the_closing_steps_out_of_completed_by_and_back():
    old = migrate_to(BEFORE)
    if not old.get_model("claims", "DeadlineRule").objects.filter(key="minister_intervention_due").exists():
        importlib.import_module("haven.claims.migrations.0002_seed_deadline_rules").seed(old, None)
    new = migrate_to(AFTER)
    rule = new.get_model("claims", "DeadlineRule").objects.get(key="minister_intervention_due")
    assert rule.completed_by == ["minister_intervention"]
    assert rule.closed_by == ["hearing_held", "decision_accepted", "decision_rejected", "decision_ncb",
                              "decision_mu", "abandonment", "withdrawal"]
    assert new.get_model("claims", "DeadlineRule").objects.get(key="rad_notice_due").closed_by == []
    back = migrate_to(BEFORE)
    assert back.get_model("claims", "DeadlineRule").objects.get(key="minister_intervention_due").completed_by == [
        "minister_intervention", "hearing_held", "decision_accepted", "decision_rejected", "decision_ncb",
        "decision_mu", "abandonment", "withdrawal"]
    migrate_to(latest())
