"""assign_worker itself refuses users an assignment must not empower (any caller: web, API, import)."""
from django.core.exceptions import ValidationError

from haven.audit.models import AuditEntry
from haven.cases.models import CaseAssignment
from haven.cases.services import assign_worker
from haven.testing.personas import PersonaTestCase


class AssignWorkerTests(PersonaTestCase):
    def test_volunteer_and_analyst_are_refused(self):
        for user in (self.volunteer, self.analyst):
            with self.subTest(user=user.username), self.assertRaisesMessage(ValidationError, "cannot be assigned"):
                assign_worker(actor=self.owner, case=self.case, user=user)
        self.assertFalse(CaseAssignment.objects.filter(user__in=[self.volunteer, self.analyst]).exists())

    def test_outside_caseworker_can_be_assigned_and_it_is_audited(self):
        before = AuditEntry.objects.count()
        assignment = assign_worker(actor=self.owner, case=self.case, user=self.outsider, role="counsel")
        self.assertEqual(assignment.role, "counsel")
        self.assertEqual(AuditEntry.objects.count(), before + 1)
        self.assertEqual(AuditEntry.objects.last().case_id, self.case.pk)
