"""/api/v1/sponsorship/: sponsor profiles, applications with their steps, eligibility answers and the budget, with
the pages' rules: the family's volunteer reads the stage, budget and schedule; never eligibility; outsiders and the
other group get 404 like a missing record; writes are the organization's staff's and are audited."""
from __future__ import annotations

from haven.api.tests.base import ApiTestCase, url
from haven.audit.models import Action
from haven.sponsorship.models import EligibilityAnswer, SponsorshipApplication, Stage
from haven.sponsorship.testing import maple_application
from haven.testing.factories import CaseFactory, HouseholdFactory


class SponsorshipApiTests(ApiTestCase):
    def setUp(self):
        self.app = maple_application(self)

    def test_profiles_of_the_users_groups(self):
        self.login_as(self.volunteer)
        self.assertEqual(self.ids(self.client.get(url("sponsor-profile-list"))), [self.group_a.sponsor_profile.pk])
        response = self.client.get(url("sponsor-profile-detail", self.group_a.sponsor_profile.pk))
        self.assertEqual(response.json()["kind_label"], "Constituent group")
        self.assert_hidden(self.other_volunteer, url("sponsor-profile-detail", self.group_a.sponsor_profile.pk))

    def test_applications_list_and_detail_follow_the_case_rules(self):
        self.login_as(self.volunteer)
        self.assertEqual(self.ids(self.client.get(url("sponsorship-application-list"))), [self.app.pk])
        self.assert_list_audited(self.volunteer, "sponsorship.sponsorshipapplication", [self.app.pk])
        detail = self.client.get(url("sponsorship-application-detail", self.app.pk)).json()
        self.assertEqual((detail["stage"], detail["program"]), ("undertaking_signed", "PSR"))
        for user in (self.outsider, self.other_volunteer, self.analyst):
            self.assert_hidden(user, url("sponsorship-application-detail", self.app.pk))

    def test_staff_start_an_application_and_the_group_of_five_rule_is_the_services(self):
        case = CaseFactory(household=HouseholdFactory(organization=self.org), organization=self.org,
                           reference="MSS-API-1", sponsor_group=self.group_b)
        self.login_as(self.owner)
        body = {"case": case.pk, "sponsor_group": self.group_b.pk, "program": "BVOR", "transit_country": "TH",
                "started_on": "2024-05-01", "priority": True, "priority_reason": ""}
        response = self.client.post(url("sponsorship-application-list"), body, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("priority_reason", response.json())
        body["priority_reason"] = "Mother and children"
        response = self.client.post(url("sponsorship-application-list"), body, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(SponsorshipApplication.objects.get(case=case).stage, Stage.PREPARING)
        self.assert_hidden(self.volunteer, url("sponsorship-application-list"), "post", {**body, "case": self.case.pk})

    def test_steps_are_recorded_by_staff_and_refused_with_the_rule(self):
        self.login_as(self.owner)
        late = self.client.post(url("sponsorship-application-steps", self.app.pk),
                                {"stage": "submitted", "occurred_on": "2024-06-01"}, format="json")
        self.assertEqual(late.status_code, 400)
        self.assertIn("90 days", late.json()["occurred_on"][0])
        ok = self.client.post(url("sponsorship-application-steps", self.app.pk),
                              {"stage": "submitted", "occurred_on": "2024-03-01"}, format="json")
        self.assertEqual(ok.status_code, 201)
        rows = self.client.get(url("sponsorship-application-steps", self.app.pk)).json()
        self.assertEqual([row["stage"] for row in rows], ["preparing", "undertaking_signed", "submitted"])
        self.assert_hidden(self.volunteer, url("sponsorship-application-steps", self.app.pk), "post",
                           {"stage": "submitted", "occurred_on": "2024-03-01"})

    def test_eligibility_is_never_for_volunteers(self):
        self.login_as(self.owner)
        response = self.client.post(url("sponsorship-application-eligibility", self.app.pk),
                                    {"question": "security_concern", "answer": "no"}, format="json")
        self.assertEqual(response.status_code, 201)
        self.assertEqual(EligibilityAnswer.objects.get(case=self.case).answered_by, self.owner)
        rows = self.client.get(url("sponsorship-application-eligibility", self.app.pk)).json()
        self.assertEqual([row["question"] for row in rows], ["security_concern"])
        self.assert_hidden(self.volunteer, url("sponsorship-application-eligibility", self.app.pk))

    def test_budget_and_schedule_for_the_family_volunteer(self):
        self.login_as(self.volunteer)
        data = self.client.get(url("sponsorship-application-budget", self.app.pk)).json()
        self.assertEqual((data["income_support"], data["total"], data["months"]), ("19700.00", "24800.00", 12))
        self.assertEqual(len(data["schedule"]), 12)
        self.assertEqual(self.last_audit(Action.VIEW).object_type, "sponsorship.settlementplan")
        self.assert_hidden(self.other_volunteer, url("sponsorship-application-budget", self.app.pk))
