"""An organization's administrators manage its members: add people (with a one-time password), set each one's
role and sponsor group, reset a password, remove a member. Everyone else gets 404 (tests/test_route_access.py)."""
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haven.accounts.models import Membership, Role, User
from haven.audit.models import Action, AuditEntry
from haven.cases.models import CaseAssignment
from haven.testing.factories import MembershipFactory, UserFactory
from haven.testing.personas import PersonaTestCase


class MembersTests(PersonaTestCase):
    def url(self, name="organization_members", item=None):
        kwargs = {"pk": self.org.pk} if item is None else {"pk": self.org.pk, "item_pk": item.pk}
        return reverse(name, kwargs=kwargs)

    def membership(self, user) -> Membership:
        return Membership.objects.get(user=user, organization=self.org)

    def setUp(self):
        self.login_as(self.admin)

    def test_administrator_sees_every_member_in_a_constant_number_of_queries(self):
        response = self.client.get(self.url())
        for user in (self.owner, self.colleague, self.volunteer, self.analyst):
            self.assertContains(response, user.username)
        self.assertNotContains(response, self.outsider.username)  # the clinic's
        self.assertContains(response, 'id="one-time-password"', count=0)
        add_role = response.content.decode().split('name="role"', 1)[1].split("</select>", 1)[0]
        self.assertIn('<option value="" selected>', add_role)  # no role preselected for a new member
        with CaptureQueriesContext(connection) as few:
            self.client.get(self.url())
        for n in range(5):
            MembershipFactory(user=UserFactory(username=f"extra{n}@maple.test"), organization=self.org,
                              role=Role.CASEWORKER)
        with self.assertNumQueries(len(few)):
            self.client.get(self.url())

    def test_menu_links_administrators_to_their_members_page_only(self):
        self.assertContains(self.client.get(reverse("dashboard")), f'href="{self.url()}"')
        self.login_as(self.owner)
        self.assertNotContains(self.client.get(reverse("dashboard")), f'href="{self.url()}"')

    def test_add_member_hands_over_a_one_time_password_once_and_audits_without_it(self):
        response = self.client.post(self.url("member_add"), {
            "username": "sun-hee@maple.test", "first_name": "Sun-hee", "last_name": "Park",
            "email": "sun-hee@maple.test", "role": Role.VOLUNTEER, "team": self.group_b.pk})
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Cache-Control"], "no-store")
        password = response.context["handed_over"][1]
        user = User.objects.get(username="sun-hee@maple.test")
        self.assertTrue(user.check_password(password))
        self.assertEqual((self.membership(user).role, self.membership(user).team), (Role.VOLUNTEER, self.group_b))
        entries = AuditEntry.objects.filter(actor=self.admin, action=Action.CREATE,
                                            object_type__in=["accounts.user", "accounts.membership"])
        self.assertEqual(entries.count(), 2)
        self.assertFalse(any(password in str(entry.changes) for entry in entries))
        self.assertNotContains(self.client.get(self.url()), password)  # shown once

    def test_add_member_refuses_a_taken_username_and_a_volunteer_without_a_group(self):
        before = User.objects.count()
        taken = self.client.post(self.url("member_add"), {"username": "OWNER@maple.test", "role": Role.CASEWORKER})
        self.assertContains(taken, "That username is taken", status_code=400)
        no_group = self.client.post(self.url("member_add"), {"username": "new@maple.test", "role": Role.VOLUNTEER})
        self.assertContains(no_group, "needs one of this organization", status_code=400)
        other_org_team = self.client.post(self.url("member_add"), {"username": "new@maple.test",
                                                                   "role": Role.VOLUNTEER, "team": 10**6})
        self.assertEqual(other_org_team.status_code, 400)
        self.assertEqual(User.objects.count(), before)

    def test_change_role_is_audited_and_takes_effect_on_the_next_page(self):
        membership = self.membership(self.colleague)
        prefix = f"m{membership.pk}"
        response = self.client.post(self.url("member_update", membership),
                                    {f"{prefix}-role": Role.VOLUNTEER, f"{prefix}-team": self.group_b.pk})
        self.assertRedirects(response, self.url())
        membership.refresh_from_db()
        self.assertEqual((membership.role, membership.team), (Role.VOLUNTEER, self.group_b))
        entry = AuditEntry.objects.filter(action=Action.UPDATE, object_type="accounts.membership").latest("seq")
        self.assertEqual(entry.changes["role"], {"old": Role.CASEWORKER, "new": Role.VOLUNTEER})
        self.login_as(self.colleague)  # now a group B volunteer: the group A case is gone
        self.assertEqual(self.client.get(reverse("case_detail", args=[self.case.pk])).status_code, 404)

    def test_two_administrators_changing_one_role_the_second_gets_both_versions_and_nothing_is_reverted(self):
        membership = self.membership(self.colleague)
        prefix = f"m{membership.pk}"
        page = self.client.get(self.url()).content.decode()
        self.assertIn(f'name="{prefix}-version" value="1"', page)
        self.client.post(self.url("member_update", membership), {f"{prefix}-role": Role.LEGAL_REP,
                                                                 f"{prefix}-version": "1"})
        response = self.client.post(self.url("member_update", membership),
                                    {f"{prefix}-role": Role.VOLUNTEER, f"{prefix}-team": self.group_b.pk,
                                     f"{prefix}-version": "1"}, follow=True)
        self.assertContains(response, "someone else changed this membership after you opened the page")
        self.assertContains(response, f"Your change (Sponsor-group volunteer · {self.group_b.name}) was not saved")
        membership.refresh_from_db()
        self.assertEqual((membership.role, membership.version), (Role.LEGAL_REP, 2))
        self.assertIn(f'name="{prefix}-version" value="2"', response.content.decode())

    def test_the_last_administrator_stays(self):
        mine = self.membership(self.admin)
        response = self.client.post(self.url("member_update", mine), {f"m{mine.pk}-role": Role.CASEWORKER},
                                    follow=True)
        self.assertContains(response, "keeps at least one administrator")
        response = self.client.post(self.url("member_remove", mine), follow=True)
        self.assertContains(response, "keeps at least one administrator")
        mine.refresh_from_db()
        self.assertEqual(mine.role, Role.ADMIN)

    def test_removing_a_member_ends_their_assignments_to_our_cases(self):
        self.assertTrue(CaseAssignment.objects.filter(user=self.owner, case=self.case).exists())
        response = self.client.post(self.url("member_remove", self.membership(self.owner)), follow=True)
        self.assertContains(response, "1 case assignment ended")
        self.assertFalse(Membership.objects.filter(user=self.owner, organization=self.org).exists())
        self.assertFalse(CaseAssignment.objects.filter(user=self.owner).exists())
        self.assertTrue(AuditEntry.objects.filter(action=Action.DELETE, object_type="cases.caseassignment",
                                                  case_id=self.case.pk).exists())
        self.login_as(self.owner)
        self.assertEqual(self.client.get(reverse("case_detail", args=[self.case.pk])).status_code, 404)
        # Counsel from the clinic is no member of ours: their assignment stays.
        self.assertTrue(CaseAssignment.objects.filter(user=self.counsel, case=self.case).exists())

    def test_password_reset_ends_sessions_and_is_refused_for_an_account_of_another_organization_too(self):
        elsewhere = self.client_class()
        self.login_as(self.colleague, client=elsewhere)
        response = self.client.post(self.url("member_password_reset", self.membership(self.colleague)))
        password = response.context["handed_over"][1]
        self.colleague.refresh_from_db()
        self.assertTrue(self.colleague.check_password(password))
        self.assertEqual(elsewhere.get(reverse("dashboard")).status_code, 302)
        self.assertTrue(AuditEntry.objects.filter(action=Action.SECURITY, object_id=str(self.colleague.pk),
                                                  summary="one-time password set by an administrator; API token revoked, "
                                                          "lock-out lifted").exists())
        MembershipFactory(user=self.owner, organization=self.clinic, role=Role.CASEWORKER)
        before = User.objects.get(pk=self.owner.pk).password
        response = self.client.post(self.url("member_password_reset", self.membership(self.owner)), follow=True)
        self.assertContains(response, "Only the account&#x27;s owner, or a platform administrator, can change")
        self.assertNotContains(response, "another organization")
        self.assertEqual(User.objects.get(pk=self.owner.pk).password, before)
