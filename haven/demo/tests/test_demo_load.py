"""`haven demo load`: creates the demo once, prints logins that work, refuses production."""
from __future__ import annotations

import base64
import io
import re

from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import TestCase, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from haven.accounts.models import Membership, Organization, Role, Team, User
from haven.audit.models import AuditEntry
from haven.cases.models import Attachment, Case, CaseAssignment, Note
from haven.matching.models import MatchCandidate
from haven.people.models import IdentityDocument, Person


def load() -> str:
    out = io.StringIO()
    call_command("demo", "load", stdout=out)
    return out.getvalue()


def snapshot() -> tuple:
    from haven.claims.models import Claim, Deadline

    return (Organization.objects.count(), Membership.objects.count(), Case.objects.count(),
            Person.objects.count(), Note.objects.count(), AuditEntry.objects.count(), Claim.objects.count(),
            Deadline.objects.count())


class DemoLoadTests(TestCase):
    @override_settings(DEBUG=True)
    def test_load_creates_everything_once(self):
        output = load()
        self.assertIn("Demo data loaded: 30 households, 30 cases", output)
        sah = Organization.objects.get(name="Maplebridge Sponsorship Society")  # an invented name
        clinic = Organization.objects.get(name="Harbour Refugee Legal Clinic")
        self.assertEqual(sah.kind, "sponsorship")
        self.assertEqual(Team.objects.filter(organization=sah, kind="sponsor_group").count(), 3)
        self.assertEqual(set(Membership.objects.values_list("role", flat=True)), set(Role.values))
        self.assertEqual(Case.objects.filter(organization=sah).count(), 20)
        self.assertEqual(Case.objects.filter(organization=clinic, kind="protection_claim").count(), 10)
        self.assertGreater(Case.objects.filter(organization=sah, sponsor_group__isnull=False).count(), 10)
        self.assertTrue(Case.objects.filter(status="closed").exists())
        self.assertTrue(Note.objects.filter(confidential=True).exists())
        self.assertTrue(Note.objects.filter(confidential=False).exists())
        # Two documents per organization's first cases, and the BOC narrative of each claim whose BOC was filed.
        names = [attachment.filename for attachment in Attachment.objects.all()]  # encrypted: not filterable
        self.assertEqual(len([name for name in names if not name.startswith("BOC-")]), 4)
        self.assertEqual(len(names), 12)
        self.assertTrue(IdentityDocument.objects.exists())
        # The likely-duplicates queue holds one pair: a principal applicant registered again in another household,
        # romanized another way.
        candidate = MatchCandidate.objects.get(organization=sah)
        pair = (candidate.person_a, candidate.person_b)
        self.assertEqual(len({(p.family_name_hangul, p.given_name_hangul, p.birth_date) for p in pair}), 1)
        self.assertNotEqual(pair[0].household_id, pair[1].household_id)
        self.assertNotEqual(pair[0].family_name, pair[1].family_name)
        # Counsel from the clinic works on sponsorship cases too.
        self.assertTrue(CaseAssignment.objects.filter(user__username="demo-lawyer", case__organization=sah).exists())
        device = TOTPDevice.objects.get(user__username="demo-admin", confirmed=True)
        self.assertIn("TOTP secret (base32): ", output)
        self.assertIn(".venv/bin/haven totp demo-admin", output)
        self.assertIn(base64.b32encode(device.bin_key).decode(), output)
        # The table's passwords work.
        for role, username, password in re.findall(r"^(\w+)\s+(demo-[\w-]+)\s+(\S+)", output, re.MULTILINE):
            with self.subTest(username=username):
                self.assertEqual(password, f"{username}-password")
                self.assertTrue(User.objects.get(username=username).check_password(password))
        call_command("audit", "verify", stdout=io.StringIO())

        before = snapshot()
        again = load()
        self.assertIn("Demo data is already loaded; nothing was changed.", again)
        self.assertIn("demo-admin-password", again)
        self.assertEqual(snapshot(), before)

    def test_without_debug_passwords_are_random(self):
        output = load()
        passwords = dict(re.findall(r"^\w+\s+(demo-[\w-]+)\s+(\S+)", output, re.MULTILINE))
        self.assertEqual(len(passwords), 7)
        for username, password in passwords.items():
            self.assertNotEqual(password, f"{username}-password")
            self.assertTrue(User.objects.get(username=username).check_password(password))
        self.assertIn("shown only this once", output)
        self.assertNotIn("-password", load())

    @override_settings(HAVEN_ENV="production", PRODUCTION=True)
    def test_refused_in_production(self):
        with self.assertRaisesMessage(CommandError, "HAVEN_ENV=production"):
            load()
        self.assertFalse(Organization.objects.exists())


class DemoClaimsTests(TestCase):
    """The legal clinic's cases carry protection claims at every stage, dated from the load date."""

    def test_the_demo_lawyer_sees_claims_with_deadlines_due_and_overdue(self):
        from django.urls import reverse
        from django.utils import timezone

        from haven.cases.access import visible_cases
        from haven.claims.models import Claim, ClaimEvent, Deadline, EvidenceItem, LegalIssue
        from haven.claims.selectors import visible_deadlines

        output = load()
        self.assertIn("10 protection claims", output)
        lawyer = User.objects.get(username="demo-lawyer")
        claims = Claim.objects.filter(case__in=visible_cases(lawyer))
        self.assertEqual(claims.count(), 10)
        self.assertEqual(Claim.objects.count(), 10)
        self.assertTrue(all(claim.case.kind == "protection_claim" for claim in claims))
        stages = set(claims.values_list("stage", flat=True))
        self.assertLessEqual({"referral", "hearing_scheduled", "decision_accepted", "decision_rejected",
                              "minister_intervention", "prra_applied"}, stages)
        self.assertTrue(ClaimEvent.objects.filter(type="minister_intervention", ground="article_1e").exists())
        self.assertEqual(set(claims.values_list("outcome", flat=True)),
                         {"", "accepted", "rejected", "no_credible_basis"})
        # Every claim has legal issues with an evidence checklist, some of it already gathered.
        self.assertEqual(LegalIssue.objects.filter(kind="rok_nationality").count(), 10)
        self.assertTrue(EvidenceItem.objects.filter(status="filed").exists())
        self.assertTrue(EvidenceItem.objects.filter(status="needed").exists())
        linked = EvidenceItem.objects.filter(attachments__isnull=False).select_related("issue__claim")
        self.assertEqual(len(linked), 8)
        for item in linked:
            self.assertEqual({a.case_id for a in item.attachments.all()}, {item.issue.claim.case_id})

        today = timezone.localdate()
        shown = list(visible_deadlines(lawyer, today=today))
        self.assertTrue(any(d.due_on < today for d in shown), "an overdue deadline")
        self.assertTrue(any(d.due_on >= today for d in shown), "a deadline still to meet")
        keys = {d.key for d in shown}
        self.assertLessEqual({"boc_due", "rad_notice_due", "rad_record_due", "fc_leave_due",
                              "prra_submissions_due"}, keys)
        self.assertTrue(Deadline.objects.filter(completed_on__isnull=False).exists())
        self.client.force_login(lawyer)
        page = self.client.get(reverse("deadlines"))
        self.assertContains(page, "Overdue")
        self.assertContains(page, shown[0].claim.reference)
        # Outside the clinic (the sponsorship organization's caseworker) nobody sees these claims.
        self.assertFalse(Claim.objects.filter(case__in=visible_cases(User.objects.get(username="demo-caseworker")))
                         .exists())
        call_command("audit", "verify", stdout=io.StringIO())

        counts = (Claim.objects.count(), ClaimEvent.objects.count(), Deadline.objects.count(),
                  LegalIssue.objects.count(), AuditEntry.objects.count())
        self.assertIn("nothing was changed", load())
        self.assertEqual((Claim.objects.count(), ClaimEvent.objects.count(), Deadline.objects.count(),
                          LegalIssue.objects.count(), AuditEntry.objects.count()), counts)

    def test_a_demo_loaded_before_claims_existed_gets_them_once(self):
        from haven.claims.models import Claim, ClaimEvent, Deadline, EvidenceItem, LegalIssue

        load()
        EvidenceItem.objects.all().delete()
        LegalIssue.objects.all().delete()
        Deadline.objects.all().delete()
        ClaimEvent.objects.all().delete()
        Claim.objects.all().delete()
        self.assertIn("added 10 protection claims", load())
        self.assertEqual(Claim.objects.count(), 10)
        self.assertTrue(Deadline.objects.exists())
        before = snapshot()
        self.assertIn("nothing was changed", load())
        self.assertEqual(snapshot(), before)
        self.assertEqual(Claim.objects.count(), 10)
