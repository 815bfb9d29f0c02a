""""My work"'s queries compiled once per shape for stand-ins (agenda._compiled_rows, on PostgreSQL) give what their
querysets give, for every persona's access profile and every filter, and compile once per shape."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from haven.cases.models import Case
from haven.casework import agenda
from haven.casework.agenda import WorkFilters
from haven.casework.models import Task
from haven.casework.testing import build_work
from haven.testing.databases import postgresql_only
from haven.testing.factories import AssignmentFactory, CaseFactory, HouseholdFactory
from haven.testing.personas import PersonaTestCase


@postgresql_only
class CompiledWorkQueriesTests(PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        build_work(cls)
        today = timezone.localdate()
        other = CaseFactory(organization=cls.org, household=HouseholdFactory(organization=cls.org),
                            kind=Case.Kind.SETTLEMENT, sponsor_group=cls.group_b, reference="MSS-2026-050")
        AssignmentFactory(case=cls.other_case, user=cls.owner)  # a case of another organization
        tasks = [Task(case=case, title=f"{case.reference} {n}", assignee=user, created_by=cls.owner,
                      due_on=today + dt.timedelta(days=n % 15 - 7), status=status,
                      completed_at=timezone.now() - dt.timedelta(days=n % 9) if status == Task.Status.DONE else None)
                 for n, (case, user, status) in enumerate(
                     (case, user, status) for case in (cls.case, other, cls.other_case)
                     for user in (cls.owner, cls.volunteer, cls.other_volunteer, cls.counsel, cls.outsider)
                     for status in (Task.Status.OPEN, Task.Status.IN_PROGRESS, Task.Status.DONE))]
        Task.objects.bulk_create(tasks)

    def filters(self):
        yield from (WorkFilters(), WorkFilters(assignee="all"), WorkFilters(assignee=self.volunteer.pk),
                    WorkFilters(assignee=self.owner.pk), WorkFilters(assignee="all", kind=Case.Kind.SETTLEMENT),
                    WorkFilters(assignee="all", case_reference="mss-2026-050"),
                    WorkFilters(assignee=self.other_volunteer.pk, case_reference="MSS-2026-050",
                                kind=Case.Kind.SETTLEMENT), WorkFilters(case_reference="  padded  "))

    def queries(self):
        today = timezone.localdate()
        start, end = agenda.day_bounds(today - dt.timedelta(days=1), today + dt.timedelta(days=6))
        return ((agenda._overdue_query, {"today": today}),
                (agenda._upcoming_tasks_query, {"today": today, "first": today, "last": today + dt.timedelta(days=6)}),
                (agenda._upcoming_appointments_query, {"start": start, "end": end,
                                                       "today_end": agenda.day_bounds(today, today)[1]}),
                (agenda._recently_done_query, {"since": timezone.now() - dt.timedelta(days=7)}))

    def test_rows_match_the_querysets_for_every_persona_and_filter(self):
        agenda._COMPILED.clear()
        users = (self.owner, self.colleague, self.admin, self.volunteer, self.other_volunteer, self.analyst,
                 self.outsider, self.counsel)
        found = 0
        for user in users:
            for filters in self.filters():
                for build, scalars in self.queries():
                    for limit in (2, 10):
                        with self.subTest(user=user.username, filters=filters, query=build.__name__, limit=limit):
                            expected = list(build(user, filters, limit, **scalars))
                            rows = agenda._compiled_rows(build.__name__, build, user, filters, limit, **scalars)
                            self.assertEqual(rows, expected)
                            found += len(rows)
        self.assertGreater(found, 200)  # the personas see work, so the comparison compares rows

    def test_each_shape_is_compiled_once(self):
        agenda._COMPILED.clear()
        built = []

        def build(user, filters, limit, **scalars):
            built.append(user.pk)
            return agenda._overdue_query(user, filters, limit, **scalars)

        today = timezone.localdate()
        for user in (self.colleague, self.outsider, self.colleague):  # caseworkers of one organization each: one shape
            agenda._compiled_rows("overdue", build, user, WorkFilters(), 10, today=today)
        self.assertEqual(len(built), 1)
        self.assertLess(built[0], 0)  # built for the stand-in user
        agenda._compiled_rows("overdue", build, self.owner, WorkFilters(assignee="all"), 10, today=today)
        agenda._compiled_rows("overdue", build, self.counsel, WorkFilters(), 10, today=today)
        self.assertEqual(len(built), 3)
