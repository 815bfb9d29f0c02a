"""Assigning workers to a case from the case page: who may, who may be assigned, validation, audit."""
from __future__ import annotations

from django.urls import reverse

from haven.accounts.models import Role
from haven.audit.models import Action, AuditEntry
from haven.cases.models import CaseAssignment
from haven.testing.factories import MembershipFactory, UserFactory
from haven.testing.personas import PersonaTestCase
from haven.web.tests.helpers import WebAssertions


class AssignmentTests(WebAssertions, PersonaTestCase):
    def add_url(self, case=None):
        return reverse("assignment_add", args=[(case or self.case).pk])

    def remove_url(self, assignment, case=None):
        return reverse("assignment_remove", args=[(case or self.case).pk, assignment.pk])

    def assign(self, username, role="member", user=None):
        self.login_as(user or self.owner)
        return self.client.post(self.add_url(), {"username": username, "role": role})

    def counsel_assignment(self):
        return CaseAssignment.objects.get(case=self.case, user=self.counsel)

    # ------------------------------------------------------------------ access

    def test_anonymous_is_sent_to_login(self):
        self.assert_login_redirect(self.add_url(), "post")
        self.assert_login_redirect(self.remove_url(self.counsel_assignment()), "post")
        self.assertEqual(self.case.assignments.count(), 2)

    def test_volunteer_analyst_and_outsider_get_404_and_change_nothing(self):
        assignment = self.counsel_assignment()
        for user in (self.volunteer, self.other_volunteer, self.analyst, self.outsider):
            with self.subTest(user=user.username):
                self.assert_not_found_for(user, self.add_url(), "post",
                                          {"username": user.username, "role": "lead"})
                self.assert_not_found_for(user, self.remove_url(assignment), "post")
        self.assertEqual(sorted(self.case.assignments.values_list("user__username", flat=True)),
                         ["counsel@harbour.test", "owner@maple.test"])

    def test_get_is_not_allowed(self):
        self.login_as(self.owner)
        self.assertEqual(self.client.get(self.add_url()).status_code, 405)
        self.assertEqual(self.client.get(self.remove_url(self.counsel_assignment())).status_code, 405)

    def test_case_page_offers_the_form_to_writers_only(self):
        self.login_as(self.owner)
        response = self.client.get(reverse("case_detail", args=[self.case.pk]))
        self.assertContains(response, self.add_url())
        self.assertContains(response, self.remove_url(self.counsel_assignment()))
        # The datalist suggests the organization's staff who are not assigned yet.
        self.assertContains(response, '<option value="colleague@maple.test">')
        self.assertContains(response, '<option value="admin@maple.test">')
        self.assertNotContains(response, '<option value="owner@maple.test">')
        self.assertNotContains(response, '<option value="volunteer@maple.test">')
        self.assertNotContains(response, '<option value="analyst@maple.test">')
        self.login_as(self.volunteer)
        response = self.client.get(reverse("case_detail", args=[self.case.pk]))
        self.assertContains(response, "owner@maple.test")
        self.assertNotContains(response, self.add_url())
        self.assertNotContains(response, "assignments/")

    # --------------------------------------------------------------- assigning

    def test_owner_colleague_and_admin_assign_staff_of_the_organization(self):
        for user, target, role in ((self.owner, self.colleague, "lead"), (self.colleague, self.admin, "member"),
                                   (self.admin, self.owner, "lead")):
            with self.subTest(user=user.username):
                if target == self.owner:
                    CaseAssignment.objects.filter(case=self.case, user=self.owner).delete()
                response = self.assign(target.username, role, user=user)
                self.assertRedirects(response, reverse("case_detail", args=[self.case.pk]) + "#assignments",
                                     fetch_redirect_response=False)
                assignment = CaseAssignment.objects.get(case=self.case, user=target)
                self.assertEqual(assignment.role, role)
                entry = AuditEntry.objects.get(action=Action.CREATE, object_type="cases.caseassignment",
                                               object_id=str(assignment.pk))
                self.assertEqual(entry.actor, user)
                self.assertEqual(entry.case_id, self.case.pk)
                self.assertEqual(entry.changes["role"]["new"], role)

    def test_counsel_of_another_clinic_gains_and_loses_access(self):
        case_url = reverse("case_detail", args=[self.case.pk])
        self.login_as(self.outsider)
        self.assertEqual(self.client.get(case_url).status_code, 404)

        response = self.assign("outsider@harbour.test", "counsel", user=self.admin)
        self.assertEqual(response.status_code, 302)
        assignment = CaseAssignment.objects.get(case=self.case, user=self.outsider)
        self.assertEqual(assignment.role, "counsel")

        self.login_as(self.outsider)
        response = self.client.get(case_url)
        self.assertContains(response, "MSS-2026-001")
        self.assertContains(response, "family in Hyesan at risk")  # full access, as any assigned worker

        self.login_as(self.colleague)
        response = self.client.post(self.remove_url(assignment))
        self.assertRedirects(response, case_url + "#assignments", fetch_redirect_response=False)
        self.assertFalse(CaseAssignment.objects.filter(pk=assignment.pk).exists())
        entry = AuditEntry.objects.get(action=Action.DELETE, object_type="cases.caseassignment",
                                       object_id=str(assignment.pk))
        self.assertEqual((entry.actor, entry.case_id), (self.colleague, self.case.pk))

        self.assert_not_found_for(self.outsider, case_url)

    def test_a_legal_representative_of_another_organization_can_be_assigned(self):
        lawyer = UserFactory(username="lawyer@elsewhere.test")
        MembershipFactory(user=lawyer, role=Role.LEGAL_REP)
        self.assign("lawyer@elsewhere.test", "counsel")
        self.assertTrue(CaseAssignment.objects.filter(case=self.case, user=lawyer, role="counsel").exists())

    def test_counsel_removing_their_own_assignment_is_sent_to_the_dashboard(self):
        self.login_as(self.counsel)
        response = self.client.post(self.remove_url(self.counsel_assignment()))
        self.assertRedirects(response, reverse("dashboard"), fetch_redirect_response=False)
        self.assertFalse(CaseAssignment.objects.filter(case=self.case, user=self.counsel).exists())
        self.assertEqual(self.client.get(reverse("case_detail", args=[self.case.pk])).status_code, 404)

    def test_assignment_of_another_case_is_404(self):
        from haven.testing.factories import AssignmentFactory

        foreign = AssignmentFactory(case=self.other_case, user=self.outsider)
        self.login_as(self.owner)
        self.assertEqual(self.client.post(self.remove_url(foreign)).status_code, 404)
        self.assertTrue(CaseAssignment.objects.filter(pk=foreign.pk).exists())

    # -------------------------------------------------------------- validation

    def test_refusals_are_explained_and_assign_nobody(self):
        inactive = UserFactory(username="gone@maple.test", is_active=False)
        MembershipFactory(user=inactive, organization=self.org, role=Role.CASEWORKER)
        loner = UserFactory(username="loner@nowhere.test")
        clinic_volunteer = UserFactory(username="helper@harbour.test")
        MembershipFactory(user=clinic_volunteer, organization=self.clinic, role=Role.ANALYST)
        clinic_admin = UserFactory(username="director@harbour.test")
        MembershipFactory(user=clinic_admin, organization=self.clinic, role=Role.ADMIN)
        before = set(self.case.assignments.values_list("pk", "user_id", "role"))
        volunteers = "Volunteers and analysts cannot be assigned"
        others = "Nobody with this exact username can be assigned"
        for username, role, message in (
            ("volunteer@maple.test", "member", volunteers),
            ("volunteer-b@maple.test", "member", volunteers),
            ("analyst@maple.test", "lead", volunteers),
            ("helper@harbour.test", "counsel", others),
            ("director@harbour.test", "counsel", others),
            ("loner@nowhere.test", "member", others),
            ("nobody@maple.test", "member", others),
            ("gone@maple.test", "member", others),
            ("OUTSIDER@harbour.test", "counsel", others),
            ("owner@maple.test", "lead", "owner@maple.test is already assigned to this case"),
            ("counsel@harbour.test", "counsel", "counsel@harbour.test is already assigned to this case"),
            ("colleague@maple.test", "boss", "Select a valid choice"),
            ("", "member", "This field is required."),
        ):
            with self.subTest(username=username, role=role):
                response = self.assign(username, role)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, 'class="errorlist')
                self.assertContains(response, message)
                self.assertContains(response, "<details open>")
                self.assertContains(response, "MSS-2026-001")  # the whole case page, with the bound form
        self.assertEqual(set(self.case.assignments.values_list("pk", "user_id", "role")), before)
        self.assertFalse(AuditEntry.objects.filter(action=Action.CREATE, object_type="cases.caseassignment").exists())

    def test_a_redisplayed_case_page_is_audited_like_a_view(self):
        self.assign("volunteer@maple.test", "member", user=self.colleague)
        self.assertEqual(self.view_rows(self.colleague, self.case), 1)
        self.assertEqual(self.view_rows(self.colleague, self.note), 1)


class AssignmentEnumerationTests(PersonaTestCase):
    """Issue 14, defect 4: an assigner learns nothing about users of other organizations. A username nobody has,
    an inactive account, another organization's volunteer, analyst or administrator and a user with no
    organization all get the very same answer."""

    def test_one_message_for_every_user_outside_the_organization_who_cannot_be_assigned(self):
        MembershipFactory(user=UserFactory(username="analyst@harbour.test"), organization=self.clinic,
                          role=Role.ANALYST)
        MembershipFactory(user=UserFactory(username="director@harbour.test"), organization=self.clinic,
                          role=Role.ADMIN)
        MembershipFactory(user=UserFactory(username="retired@harbour.test", is_active=False),
                          organization=self.clinic, role=Role.CASEWORKER)
        UserFactory(username="loner@nowhere.test")
        self.login_as(self.owner)
        answers = set()
        for username in ("analyst@harbour.test", "director@harbour.test", "retired@harbour.test",
                         "loner@nowhere.test", "nobody@nowhere.test"):
            response = self.client.post(reverse("assignment_add", args=[self.case.pk]),
                                        {"username": username, "role": "member"})
            self.assertEqual(response.status_code, 200)
            answers.add(tuple(str(error) for error in response.context["assignment_form"].errors["username"]))
        self.assertEqual(answers, {("Nobody with this exact username can be assigned: staff of the case's "
                                    "organization, or caseworkers and legal representatives of another "
                                    "organization.",)})
