"""`{% case_rows %}` renders the case list's rows in Python from `CaseRow` values: byte for byte what the template
loop it replaced rendered from model instances, escaping and translations included."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.db import connection
from django.template import engines
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from haven.cases import selectors
from haven.cases.models import Case
from haven.cases.selectors import CaseRow
from haven.testing.factories import AssignmentFactory, CaseFactory, HouseholdFactory, PersonFactory
from haven.people.derived import refresh_person_search_key
from haven.testing.personas import PersonaTestCase

# The loop of web/cases/_results.html as it was before `{% case_rows %}` (over Case instances).
TEMPLATE_LOOP = engines["django"].from_string("""{% load i18n haven_web %}<tbody>
  {% for case in page.object_list %}
    <tr>
      <td><a href="{% url 'case_detail' case.pk %}">{{ case.reference }}</a>{% if case.assigned_to_me %} <span class="badge">{% translate "mine" %}</span>{% endif %}</td>
      <td>{{ case.household.name }}</td>
      <td>{{ case.organization.name }}</td>
      <td>{{ case.sponsor_group.name|default:"—" }}</td>
      <td>{{ kind_labels|get_item:case.kind }}</td>
      <td><span class="badge badge--{{ case.status }}">{{ status_labels|get_item:case.status }}</span></td>
      <td><time datetime="{{ case.opened_on.isoformat }}">{{ case.opened_on.isoformat }}</time></td>
      <td>{{ case.member_count }}</td>
    </tr>
  {% endfor %}
  </tbody>""")
TAG = engines["django"].from_string("""{% load haven_web %}<tbody>
  {% case_rows page.object_list kind_labels status_labels %}
  </tbody>""")


def labels() -> dict:
    return {"kind_labels": {value: str(label) for value, label in Case.Kind.choices},
            "status_labels": {value: str(label) for value, label in Case.Status.choices}}


def as_instance(row: CaseRow) -> SimpleNamespace:
    """A CaseRow shaped like the Case instance (with its related objects) the template loop read."""
    group = None if row.sponsor_group_name is None else SimpleNamespace(name=row.sponsor_group_name)
    return SimpleNamespace(pk=row.pk, reference=row.reference, title=row.title,
                           household=SimpleNamespace(name=row.household_name),
                           organization=SimpleNamespace(name=row.organization_name), sponsor_group=group,
                           kind=row.kind, status=row.status, opened_on=row.opened_on, member_count=row.member_count,
                           assigned_to_me=row.assigned_to_me)


ROWS = [
    CaseRow(pk=1, reference="MSS-2026-001", title="<script>alert('x')</script> & \"co\"", household_name="Ri family",
            organization_name="Maple & Sons", sponsor_group_name="Group <A>", kind="sponsorship", status="open",
            opened_on=dt.date(2026, 1, 31), member_count=3, assigned_to_me=True),
    CaseRow(pk=22, reference="HH<2>", title="", household_name="리명철 가족 'Ri'", organization_name="하나",
            sponsor_group_name=None, kind="legal", status="on_hold", opened_on=dt.date(1999, 12, 1),
            member_count=0, assigned_to_me=False),
    CaseRow(pk=333, reference="R-3", title="", household_name="", organization_name="O", sponsor_group_name="",
            kind="protection_claim", status="closed", opened_on=dt.date(2025, 6, 9), member_count=12345,
            assigned_to_me=True),
    CaseRow(pk=4444, reference="R-4", title="T", household_name="H", organization_name="O", sponsor_group_name="G",
            kind="not-a-kind", status="<b>", opened_on=dt.date(2025, 6, 9), member_count=1, assigned_to_me=False),
]


class CaseRowsMarkupTests(SimpleTestCase):
    def test_same_bytes_as_the_template_loop_in_every_language(self):
        for language in ("en", "fr", "ko"):
            with self.subTest(language=language), translation.override(language):
                context = labels()
                expected = TEMPLATE_LOOP.render({**context, "page": {"object_list": [as_instance(r) for r in ROWS]}})
                self.assertEqual(TAG.render({**context, "page": {"object_list": ROWS}}), expected)

    def test_text_is_escaped_and_translated(self):
        with translation.override("ko"):
            html = TAG.render({**labels(), "page": {"object_list": ROWS[:2]}})
            self.assertIn(f'<span class="badge">{translation.gettext("mine")}</span>', html)
            self.assertNotEqual(translation.gettext("mine"), "mine")
        self.assertNotIn("<script>", html)
        self.assertNotIn("alert", html)  # the column is the household's, not the case's title
        self.assertIn('<a href="/cases/22/">HH&lt;2&gt;</a></td>', html)
        self.assertIn("<td>리명철 가족 &#x27;Ri&#x27;</td>", html)  # the household's name, escaped
        self.assertIn("<td>—</td>", html)  # no sponsor group

    def test_no_rows_no_markup(self):
        self.assertEqual(TAG.render({**labels(), "page": {"object_list": []}}), "<tbody>\n  \n  </tbody>")


class CaseRowsFromTheDatabaseTests(PersonaTestCase):
    """The selector's rows carry what the Case instances (with select_related and annotations) carried."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        household = HouseholdFactory(organization=cls.org, name="Pak <household>")
        pak = PersonFactory(household=household, family_name="Pak", given_name="Chŏl-su", family_name_hangul="박",
                            given_name_hangul="철수")
        cls.untitled = CaseFactory(household=household, organization=cls.org, reference="MSS-2026-002", title="",
                                   kind=Case.Kind.LEGAL, status=Case.Status.ON_HOLD, opened_on=dt.date(2025, 5, 1))
        cls.assigned = CaseFactory(household=HouseholdFactory(organization=cls.org), organization=cls.org,
                                   reference="MSS-2026-003", title="<b>bold</b>", sponsor_group=cls.group_b,
                                   opened_on=dt.date(2024, 1, 2))
        AssignmentFactory(case=cls.assigned, user=cls.owner)
        refresh_person_search_key(pak)

    def assert_rows_match_instances(self, **arguments):
        cases = selectors.case_list(user=arguments.get("user", self.owner), query=arguments.get("query", ""),
                                    filters=arguments.get("filters"), ordering=arguments.get("ordering", "-opened_on"))
        instances = selectors.paginate(cases, arguments.get("number", 1), arguments.get("per_page", 25))
        with CaptureQueriesContext(connection) as queries:
            page = selectors.case_list_page(**{"user": self.owner, "number": 1, "per_page": 25, **arguments})
        self.assertEqual(len(queries), 2)  # the count, then the page's rows
        self.assertEqual((page.number, page.paginator.count), (instances.number, instances.paginator.count))
        rows = page.object_list
        self.assertEqual([row.pk for row in rows], [case.pk for case in instances.object_list])
        for row, case in zip(rows, instances.object_list):
            self.assertEqual(row, CaseRow(
                pk=case.pk, reference=case.reference, title=case.title, household_name=case.household.name,
                organization_name=case.organization.name,
                sponsor_group_name=case.sponsor_group.name if case.sponsor_group else None, kind=case.kind,
                status=case.status, opened_on=case.opened_on, member_count=case.member_count,
                assigned_to_me=case.assigned_to_me))
        self.assertEqual(TAG.render({**labels(), "page": {"object_list": rows}}),
                         TEMPLATE_LOOP.render({**labels(), "page": {"object_list": instances.object_list}}))
        return rows

    def test_rows_match_the_instances_and_render_the_same(self):
        for sort in selectors.CASE_ORDERINGS:
            with self.subTest(sort=sort):
                self.assertEqual(len(self.assert_rows_match_instances(ordering=sort)), 3)
        for arguments, found in (
                ({"query": "pak"}, 1), ({"query": "철수"}, 1), ({"query": "리명철"}, 1), ({"query": "MSS-2026"}, 2),
                ({"filters": {"status": "on_hold"}}, 1), ({"filters": {"mine": True}}, 2),
                ({"filters": {"sponsor_group": self.group_b.pk, "kind": "sponsorship"}}, 1),
                ({"query": "mss", "number": 2, "per_page": 1, "ordering": "reference"}, 1),
                ({"number": 99, "per_page": 2}, 1), ({"user": self.volunteer}, 1), ({"user": self.counsel}, 2),
                ({"user": self.outsider}, 1)):
            with self.subTest(**{key: str(value) for key, value in arguments.items()}):
                self.assertEqual(len(self.assert_rows_match_instances(**arguments)), found)

    def test_the_page_shows_the_rows(self):
        self.login_as(self.owner)
        response = self.client.get("/cases/", {"sort": "reference"})
        self.assertEqual([row.reference for row in response.context["page"].object_list],
                         ["MSS-2026-001", "MSS-2026-002", "MSS-2026-003"])
        self.assertContains(response, "<td>Pak &lt;household&gt;</td>", html=False)
        self.assertContains(response, f"<td>{self.assigned.household.name}</td>", html=False)
        self.assertNotContains(response, "bold")  # the "Household" column shows the household, not the title
        self.assertContains(response, '<a href="/cases/%d/">MSS-2026-003</a> <span class="badge">mine</span>'
                            % self.assigned.pk, html=False)
