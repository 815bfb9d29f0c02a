"""The access profile's one query, compiled once with a stand-in user id, answers as the queryset it is compiled
from, for every persona and whoever asked before."""
from django.db import connection
from django.test.utils import CaptureQueriesContext

from haven.accounts.models import Role
from haven.cases import access
from haven.testing.factories import AssignmentFactory, CaseFactory, HouseholdFactory, MembershipFactory, UserFactory
from haven.testing.personas import PersonaTestCase


class AccessProfileQueryTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A volunteer of group B assigned to a case of group A (outside their group) and to one of the clinic.
        cls.helper = UserFactory(username="helper@maple.test")
        MembershipFactory(user=cls.helper, organization=cls.org, role=Role.VOLUNTEER, team=cls.group_b)
        AssignmentFactory(case=cls.case, user=cls.helper)
        cls.clinic_case = CaseFactory(household=HouseholdFactory(organization=cls.clinic), organization=cls.clinic,
                                      reference="HLC-2026-078")
        AssignmentFactory(case=cls.clinic_case, user=cls.helper)
        group_b_case = CaseFactory(household=HouseholdFactory(organization=cls.org), organization=cls.org,
                                   reference="MSS-2026-010", sponsor_group=cls.group_b)
        AssignmentFactory(case=group_b_case, user=cls.helper)  # already visible to them: not listed
        cls.nobody = UserFactory(username="nobody@example.org")

    def users(self):
        return [self.owner, self.colleague, self.admin, self.volunteer, self.other_volunteer, self.analyst,
                self.outsider, self.counsel, self.helper, self.nobody]

    def test_same_rows_as_the_queryset_for_every_persona_in_any_order(self):
        for users in (self.users(), self.users()[::-1]):
            for user in users:
                with self.subTest(user=user.username):
                    self.assertEqual(sorted(access._membership_and_assignment_rows(user)),
                                     sorted(access._profile_rows_query(user.pk)))

    def test_profiles_from_the_rows(self):
        self.assertEqual(access._membership_and_assignment_rows(self.counsel),
                         [(self.clinic.pk, Role.LEGAL_REP, None), (self.case.pk, "__assigned__", None)])
        helper = access.access_profile(self.helper)
        self.assertEqual(helper.assigned_elsewhere, {self.case.pk, self.clinic_case.pk})
        self.assertEqual(helper.volunteer_team_ids, {self.group_b.pk})
        self.assertEqual(access.access_profile(self.nobody), access.AccessProfile(
            frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), frozenset()))
        owner = access.access_profile(self.owner)
        self.assertEqual((owner.staff_org_ids, owner.assigned_elsewhere), ({self.org.pk}, frozenset()))

    def test_one_statement(self):
        user = UserFactory(username="fresh@example.org")
        MembershipFactory(user=user, organization=self.org, role=Role.ADMIN)
        with CaptureQueriesContext(connection) as queries:
            profile = access.access_profile(user)
            access.access_profile(user)
        self.assertEqual(len(queries), 1)
        self.assertEqual((profile.admin_org_ids, profile.roles), ({self.org.pk}, {Role.ADMIN}))
