"""Test personas (after Healthchecks' hc/test.py): every access test speaks of
the same people.

- owner: caseworker of the sponsorship organization, assigned to `case`
- colleague: another caseworker of the same organization
- admin: administrator of the same organization (two-factor verified on login)
- volunteer: member of sponsor group A, which `case` belongs to
- other_volunteer: member of sponsor group B of the same organization
- analyst: analyst of the same organization (aggregates only)
- outsider: caseworker of an unrelated legal clinic
- counsel: a lawyer of the legal clinic assigned to `case` (cross-organization)
"""
from __future__ import annotations

from django.test import TestCase
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.middleware import SESSION_DEVICE_KEY, IdleSessionRefreshMiddleware
from haven.accounts.models import Organization, Role, Team
from haven.cases.access import forget_access
from haven.people.models import Nationality, Vulnerability
from haven.people.derived import refresh_person_search_key
from haven.testing.factories import (
    AssignmentFactory,
    AttachmentFactory,
    CaseFactory,
    HouseholdFactory,
    MembershipFactory,
    NoteFactory,
    OrganizationFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
)

PASSWORD = "correct horse battery staple"


def build_personas(target) -> None:
    """Create the personas and one case, setting them as attributes of `target`."""
    t = target
    t.org = OrganizationFactory(name="Maple Sponsorship Society", slug="maple", kind=Organization.Kind.SPONSORSHIP)
    t.clinic = OrganizationFactory(name="Harbour Legal Clinic", slug="harbour", kind=Organization.Kind.LEGAL_CLINIC)
    t.group_a = TeamFactory(organization=t.org, name="Group A", kind=Team.Kind.SPONSOR_GROUP)
    t.group_b = TeamFactory(organization=t.org, name="Group B", kind=Team.Kind.SPONSOR_GROUP)

    def member(username, org, role, team=None):
        user = UserFactory(username=username)
        MembershipFactory(user=user, organization=org, role=role, team=team)
        return user

    t.owner = member("owner@maple.test", t.org, Role.CASEWORKER)
    t.colleague = member("colleague@maple.test", t.org, Role.CASEWORKER)
    t.admin = member("admin@maple.test", t.org, Role.ADMIN)
    t.volunteer = member("volunteer@maple.test", t.org, Role.VOLUNTEER, t.group_a)
    t.other_volunteer = member("volunteer-b@maple.test", t.org, Role.VOLUNTEER, t.group_b)
    t.analyst = member("analyst@maple.test", t.org, Role.ANALYST)
    t.outsider = member("outsider@harbour.test", t.clinic, Role.CASEWORKER)
    t.counsel = member("counsel@harbour.test", t.clinic, Role.LEGAL_REP)
    t.admin_device = TOTPDevice.objects.create(user=t.admin, name="phone", confirmed=True)

    t.household = HouseholdFactory(organization=t.org, reference="HH-001", name="Ri family")
    t.person = PersonFactory(household=t.household, family_name="Ri", given_name="Myŏng-ch'ŏl",
                             family_name_hangul="리", given_name_hangul="명철", relationship="principal")
    t.child = PersonFactory(household=t.household, family_name="Ri", given_name="Su-a",
                            family_name_hangul="리", given_name_hangul="수아", relationship="child", sex="F")
    Nationality.objects.create(person=t.person, country="KP", status=Nationality.Status.CITIZEN)
    Nationality.objects.create(person=t.person, country="KR", status=Nationality.Status.UNKNOWN)
    t.vulnerability = Vulnerability.objects.create(person=t.person, kind=Vulnerability.Kind.SGBV,
                                                   details="Disclosed at intake; do not share.")
    t.case = CaseFactory(household=t.household, organization=t.org, reference="MSS-2026-001",
                         title="Ri family sponsorship", sponsor_group=t.group_a)
    AssignmentFactory(case=t.case, user=t.owner)
    AssignmentFactory(case=t.case, user=t.counsel, role="counsel")
    t.note = NoteFactory(case=t.case, author=t.owner, body="Confidential: family in Hyesan at risk.",
                         confidential=True)
    t.open_note = NoteFactory(case=t.case, author=t.owner, body="Airport pickup on Friday.", confidential=False)
    t.attachment = AttachmentFactory(case=t.case, uploaded_by=t.owner, filename="boc.pdf", confidential=True)
    refresh_person_search_key(t.person)
    refresh_person_search_key(t.child)

    # A case of the outsider's clinic that nobody at Maple may see.
    t.other_household = HouseholdFactory(organization=t.clinic, reference="HH-900", name="Kim family")
    t.other_person = PersonFactory(household=t.other_household, family_name="Kim", given_name="Ok-sun",
                                   family_name_hangul="김", given_name_hangul="옥순", sex="F")
    t.other_case = CaseFactory(household=t.other_household, organization=t.clinic, reference="HLC-2026-077")


class PersonaTestCase(TestCase):
    """Base class: personas and one case built once per class."""

    @classmethod
    def setUpTestData(cls):
        build_personas(cls)

    def login_as(self, user, client=None) -> None:
        """Log in; administrators are logged in with a verified second factor."""
        client = client or self.client
        forget_access(user)
        client.force_login(user)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        session = client.session
        # As the login view does: the session is fresh and knows whether the user has an authenticator,
        # so the first page view after login costs what every later one does.
        IdleSessionRefreshMiddleware.stamp(session)
        session[SESSION_DEVICE_KEY] = device is not None
        if device is not None:
            session["otp_device_id"] = device.persistent_id
        session.save()

    @property
    def all_personas(self):
        return {"owner": self.owner, "colleague": self.colleague, "admin": self.admin,
                "volunteer": self.volunteer, "other_volunteer": self.other_volunteer,
                "analyst": self.analyst, "outsider": self.outsider, "counsel": self.counsel}
