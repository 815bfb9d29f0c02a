"""Who sees which settlement record: restricted notes only for the case's designated workers (audited), health
and trauma assessments never for volunteers, everything 404 for outsiders."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from haven.audit.models import AuditEntry
from haven.settlement import selectors, services
from haven.settlement.testing import maple_settlement
from haven.testing.personas import PersonaTestCase

SECRET = "Disclosed assault in transit"
TRAUMA_COMMENT = "Nightmares about the border crossing"
HEALTH_GOAL = "Weekly sessions with a trauma counsellor"


class RestrictedNoteAccessTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        maple_settlement(cls)

    def get(self, user, name, pk):
        self.login_as(user)
        return self.client.get(reverse(name, args=[pk]))

    def test_designated_worker_reads_and_every_read_is_audited(self):
        before = AuditEntry.objects.filter(action="view", object_type="settlement.restrictednote").count()
        response = self.get(self.owner, "settlement_restricted_note", self.restricted_note.pk)
        self.assertContains(response, SECRET)
        response = self.get(self.owner, "settlement_restricted_notes", self.case.pk)
        self.assertContains(response, SECRET)
        after = AuditEntry.objects.filter(action="view", object_type="settlement.restrictednote").count()
        self.assertEqual(after - before, 2)

    def test_other_staff_volunteers_and_outsiders_get_404(self):
        for user in (self.colleague, self.admin, self.counsel, self.volunteer, self.other_volunteer, self.analyst,
                     self.outsider):
            with self.subTest(user=user.username):
                self.assertEqual(self.get(user, "settlement_restricted_note", self.restricted_note.pk).status_code,
                                 404)
                self.assertEqual(self.get(user, "settlement_restricted_notes", self.case.pk).status_code, 404)

    def test_plan_page_never_shows_restricted_notes(self):
        for user in (self.owner, self.colleague, self.volunteer):
            with self.subTest(user=user.username):
                self.assertNotContains(self.get(user, "settlement_plan", self.case.pk), SECRET)

    def test_designation_makes_the_difference(self):
        self.assertEqual(self.get(self.colleague, "settlement_restricted_note", self.restricted_note.pk).status_code,
                         404)
        self.login_as(self.admin)
        response = self.client.post(reverse("settlement_designation_add", args=[self.case.pk]),
                                    {"user": self.colleague.pk})
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.get(self.colleague, "settlement_restricted_note", self.restricted_note.pk), SECRET)

    def test_a_volunteer_cannot_be_designated(self):
        with self.assertRaises(ValidationError):
            services.designate_worker(actor=self.admin, case=self.case, user=self.volunteer)
        self.assertFalse(selectors.may_read_restricted(self.volunteer, self.case, None))


class AssessmentAccessTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        maple_settlement(cls)

    def page(self, user, name, pk):
        self.login_as(user)
        return self.client.get(reverse(name, args=[pk]))

    def test_staff_see_every_domain_and_the_summary(self):
        for user in (self.owner, self.colleague, self.admin, self.counsel):
            with self.subTest(user=user.username):
                response = self.page(user, "settlement_assessment", self.assessment.pk)
                self.assertContains(response, "Mental health and trauma")
                self.assertContains(response, TRAUMA_COMMENT)
                self.assertContains(response, "sleeps badly")

    def test_volunteer_sees_practical_domains_only(self):
        response = self.page(self.volunteer, "settlement_assessment", self.assessment.pk)
        self.assertContains(response, "Language")
        self.assertNotContains(response, "Mental health and trauma")
        self.assertNotContains(response, TRAUMA_COMMENT)
        self.assertNotContains(response, "sleeps badly")
        plan = self.page(self.volunteer, "settlement_plan", self.case.pk)
        self.assertNotContains(plan, HEALTH_GOAL)
        self.assertNotContains(plan, "2400.00")  # income is not a practical detail
        self.assertContains(plan, "Reach CLB 4 in speaking")
        self.assertContains(plan, "Arrival in Canada")

    def test_volunteer_gets_404_for_a_health_goal(self):
        self.login_as(self.volunteer)
        self.assertEqual(self.client.get(f"/api/v1/goals/{self.health_goal.pk}/").status_code, 404)
        self.login_as(self.owner)
        self.assertEqual(self.client.get(f"/api/v1/goals/{self.health_goal.pk}/").status_code, 200)

    def test_api_trims_for_the_volunteer(self):
        self.login_as(self.volunteer)
        data = self.client.get(f"/api/v1/assessments/{self.assessment.pk}/").json()
        self.assertEqual([r["domain"] for r in data["ratings"]], ["language"])
        self.assertEqual(data["summary"], "")
        listed = self.client.get(f"/api/v1/assessments/?case={self.case.pk}").json()
        self.assertNotIn(TRAUMA_COMMENT, str(listed))

    def test_outsiders_get_404(self):
        for user in (self.outsider, self.other_volunteer, self.analyst):
            with self.subTest(user=user.username):
                self.assertEqual(self.page(user, "settlement_assessment", self.assessment.pk).status_code, 404)
                self.assertEqual(self.page(user, "settlement_plan", self.case.pk).status_code, 404)

    def test_assessment_view_is_audited(self):
        before = AuditEntry.objects.filter(action="view", object_type="settlement.assessment").count()
        self.page(self.owner, "settlement_assessment", self.assessment.pk)
        self.assertEqual(AuditEntry.objects.filter(action="view", object_type="settlement.assessment").count(),
                         before + 1)
