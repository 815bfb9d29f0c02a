"""/api/v1/households/ and /api/v1/persons/."""
from __future__ import annotations

from haven.api.tests.base import ApiTestCase, url
from haven.audit.models import Action, AuditEntry
from haven.people.models import Household, IdentityDocument, Person, PersonLanguage, PersonName
from haven.testing.factories import AssignmentFactory, CaseFactory, HouseholdFactory


class HouseholdTests(ApiTestCase):
    def test_list_follows_the_cases(self):
        expected = {self.owner: [self.household.pk], self.volunteer: [self.household.pk],
                    self.counsel: [self.household.pk, self.other_household.pk], self.analyst: [],
                    self.other_volunteer: [], self.outsider: [self.other_household.pk]}
        for user, ids in expected.items():
            with self.subTest(user=user.username):
                self.login_as(user)
                self.assertEqual(sorted(self.ids(self.client.get(url("household-list")))), sorted(ids))
        self.assert_list_audited(self.outsider, "people.household", [self.other_household.pk])

    def test_only_visible_cases_are_named(self):
        hidden = CaseFactory(household=self.household, organization=self.org, sponsor_group=self.group_b)
        self.login_as(self.volunteer)
        row = self.client.get(url("household-list")).json()["results"][0]
        self.assertEqual(row["cases"], [self.case.pk])
        self.login_as(self.owner)
        row = self.client.get(url("household-detail", self.household.pk)).json()
        self.assertEqual(sorted(row["cases"]), sorted([self.case.pk, hidden.pk]))
        self.assertEqual(len(row["members"]), 2)

    def test_search_and_filter(self):
        HouseholdFactory(organization=self.org, reference="HH-002", name="Pak family")
        self.login_as(self.owner)
        for query in ("명", "Myong", "Ri fam", "hh-001"):
            with self.subTest(q=query):
                self.assertEqual(self.ids(self.client.get(url("household-list", q=query))), [self.household.pk])
        self.assertEqual(len(self.ids(self.client.get(url("household-list", organization=self.org.pk)))), 2)
        self.assertEqual(self.ids(self.client.get(url("household-list", ordering="-reference")))[1],
                         self.household.pk)

    def test_detail_is_audited_and_hidden_from_others(self):
        self.login_as(self.volunteer)
        self.assertEqual(self.client.get(url("household-detail", self.household.pk)).status_code, 200)
        entry = self.last_audit(Action.VIEW)
        self.assertEqual((entry.actor_id, entry.object_type), (self.volunteer.pk, "people.household"))
        for user in (self.analyst, self.outsider, self.other_volunteer):
            with self.subTest(user=user.username):
                self.assert_hidden(user, url("household-detail", self.household.pk))

    def test_staff_register_a_household(self):
        self.login_as(self.owner)
        response = self.client.post(url("household-list"),
                                    {"organization": self.org.pk, "reference": "HH-010", "name": "Choe family"},
                                    format="json")
        self.assertEqual(response.status_code, 201, response.content)
        household = Household.objects.get(reference="HH-010")
        self.assertEqual(response.json()["id"], household.pk)
        self.assertTrue(AuditEntry.objects.filter(action=Action.CREATE, object_type="people.household",
                                                  object_id=str(household.pk)).exists())

    def test_household_validation_and_refusals_write_nothing(self):
        count = Household.objects.count()
        self.login_as(self.owner)
        response = self.client.post(url("household-list"),
                                    {"organization": self.org.pk, "reference": "HH-001", "name": "Duplicate"},
                                    format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(),
                         {"reference": ["Another household of the organization already has this reference."]})
        response = self.client.post(url("household-list"), {"organization": self.org.pk, "reference": "HH-011"},
                                    format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("name", response.json())
        for user in (self.volunteer, self.analyst, self.outsider):
            with self.subTest(user=user.username):
                self.login_as(user)
                response = self.client.post(url("household-list"),
                                            {"organization": self.org.pk, "reference": "HH-012", "name": "X"},
                                            format="json")
                self.assertEqual(response.status_code, 400)
                self.assertIn("organization", response.json())
        self.assertEqual(Household.objects.count(), count)

    def test_rename(self):
        self.login_as(self.colleague)
        response = self.client.patch(url("household-detail", self.household.pk), {"name": "Ri-Pak family"},
                                     format="json")
        self.assertEqual(response.status_code, 200)
        self.household.refresh_from_db()
        self.assertEqual(self.household.name, "Ri-Pak family")
        response = self.client.patch(url("household-detail", self.household.pk), {"name": ""}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("name", response.json())
        self.login_as(self.volunteer)
        response = self.client.patch(url("household-detail", self.household.pk), {"name": "Mine"}, format="json")
        self.assertEqual(response.status_code, 403)
        for user in (self.analyst, self.outsider):
            with self.subTest(user=user.username):
                self.assert_hidden(user, url("household-detail", self.household.pk), "patch", {"name": "x"})
        self.household.refresh_from_db()
        self.assertEqual(self.household.name, "Ri-Pak family")

    def test_households_are_not_deleted(self):
        self.login_as(self.owner)
        self.assertEqual(self.client.delete(url("household-detail", self.household.pk)).status_code, 405)


class PersonReadTests(ApiTestCase):
    def setUp(self):
        PersonName.objects.create(person=self.person, family_name="Lee", given_name="Myeongcheol", source="passport")
        PersonLanguage.objects.create(person=self.person, language="kor")
        IdentityDocument.objects.create(person=self.person, kind="passport", issuing_country="KR", number="M1234567")

    def test_list_nests_names_nationalities_and_languages_but_no_confidential_material(self):
        self.login_as(self.owner)
        response = self.client.get(url("person-list", q="명철"))
        rows = response.json()["results"]
        self.assertEqual([row["id"] for row in rows], [self.person.pk])
        row = rows[0]
        self.assertEqual([n["given_name"] for n in row["names"]], ["Myeongcheol"])
        self.assertEqual([n["country"] for n in row["nationalities"]], ["KP", "KR"])
        self.assertEqual([lang["language"] for lang in row["languages"]], ["kor"])
        self.assertNotIn("vulnerabilities", row)
        self.assertNotIn("documents", row)
        self.assert_list_audited(self.owner, "people.person", [self.person.pk])

    def test_search_in_any_spelling(self):
        self.login_as(self.volunteer)
        for query in ("명", "Myŏng", "Myong", "Su-a", "수아"):
            with self.subTest(q=query):
                self.assertTrue(self.ids(self.client.get(url("person-list", q=query))))
        self.assertEqual(self.ids(self.client.get(url("person-list", q="옥순"))), [])
        self.assertEqual(self.ids(self.client.get(url("person-list", relationship="child"))), [self.child.pk])
        self.assertEqual(len(self.ids(self.client.get(url("person-list", household=self.household.pk)))), 2)
        self.assertEqual(self.ids(self.client.get(url("person-list", ordering="given_name")))[0], self.person.pk)

    def test_staff_detail_has_vulnerabilities_and_documents(self):
        for user in (self.owner, self.admin, self.counsel):
            with self.subTest(user=user.username):
                self.login_as(user)
                data = self.client.get(url("person-detail", self.person.pk)).json()
                self.assertEqual(data["vulnerabilities"][0]["details"], "Disclosed at intake; do not share.")
                self.assertEqual(data["documents"][0]["number"], "M1234567")
                entry = self.last_audit(Action.VIEW)
                self.assertEqual((entry.actor_id, entry.object_id), (user.pk, str(self.person.pk)))

    def test_volunteer_detail_has_neither(self):
        self.login_as(self.volunteer)
        response = self.client.get(url("person-detail", self.person.pk))
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["family_name_hangul"], "리")
        self.assertNotIn("vulnerabilities", data)
        self.assertNotIn("documents", data)
        self.assertNotIn(b"M1234567", response.content)
        self.assertNotIn(b"Disclosed", response.content)

    def test_analyst_outsider_and_other_group_see_no_person(self):
        for user in (self.analyst, self.outsider, self.other_volunteer):
            with self.subTest(user=user.username):
                self.login_as(user)
                self.assertNotIn(self.person.pk, self.ids(self.client.get(url("person-list"))))
                self.assert_hidden(user, url("person-detail", self.person.pk))
        self.login_as(self.analyst)
        self.assertEqual(self.ids(self.client.get(url("person-list"))), [])


class PersonWriteTests(ApiTestCase):
    def payload(self, **extra):
        return {"household": self.household.pk, "relationship": "spouse", "family_name": "Kang",
                "given_name": "Ok-hui", "family_name_hangul": "강", "given_name_hangul": "옥희", "sex": "F",
                "birth_date": "1987-06-20", "birth_date_precision": "year", "birth_country": "North Korea",
                "residence_country": "THA", "phone": "+66 2 555 0100", **extra}

    def test_staff_add_a_person_through_the_service(self):
        self.login_as(self.owner)
        response = self.client.post(url("person-list"), self.payload(), format="json")
        self.assertEqual(response.status_code, 201, response.content)
        person = Person.objects.get(given_name="Ok-hui")
        self.assertEqual((person.birth_country, person.residence_country), ("KP", "TH"))
        self.assertEqual(str(person.birth_date), "1987-01-01")  # the service records an unknown day as 1 January
        self.assertEqual(response.json()["vulnerabilities"], [])
        entry = AuditEntry.objects.get(action=Action.CREATE, object_type="people.person", object_id=str(person.pk))
        self.assertEqual(entry.changes["phone"], {"old": "", "new": "[redacted]"})
        self.assertIn(self.case.pk, self.ids(self.client.get(url("case-list", q="옥희"))))

    def test_validation_errors_write_nothing(self):
        self.login_as(self.owner)
        count = Person.objects.count()
        cases = {
            "birth_country": {"birth_country": "Atlantis"},
            "sex": {"sex": "Q"},
            "birth_date": {"birth_date": "yesterday"},
            "family_name": {"family_name": "", "given_name": "", "family_name_hangul": "", "given_name_hangul": ""},
            "household": {"household": 999999},
        }
        for field, change in cases.items():
            with self.subTest(field=field):
                response = self.client.post(url("person-list"), self.payload(**change), format="json")
                self.assertEqual(response.status_code, 400)
                self.assertIn(field, response.json())
        self.assertEqual(Person.objects.count(), count)

    def test_volunteer_cannot_add_and_outsiders_cannot_name_the_household(self):
        count = Person.objects.count()
        self.login_as(self.volunteer)
        self.assertEqual(self.client.post(url("person-list"), self.payload(), format="json").status_code, 403)
        for user in (self.analyst, self.outsider, self.other_volunteer):
            with self.subTest(user=user.username):
                self.login_as(user)
                response = self.client.post(url("person-list"), self.payload(), format="json")
                self.assertEqual(response.status_code, 400)
                self.assertIn("household", response.json())
        self.assertEqual(Person.objects.count(), count)

    def test_assigned_worker_from_another_organization_may_add(self):
        AssignmentFactory(case=self.other_case, user=self.colleague)
        self.login_as(self.colleague)
        response = self.client.post(url("person-list"), self.payload(household=self.other_household.pk),
                                    format="json")
        self.assertEqual(response.status_code, 201, response.content)

    def test_patch(self):
        self.login_as(self.owner)
        response = self.client.patch(url("person-detail", self.child.pk), {"birth_place": "Hyesan"}, format="json")
        self.assertEqual(response.status_code, 200)
        self.child.refresh_from_db()
        self.assertEqual(self.child.birth_place, "Hyesan")
        entry = self.last_audit(Action.UPDATE)
        self.assertEqual(entry.changes, {"birth_place": {"old": "", "new": "Hyesan"}})
        response = self.client.patch(url("person-detail", self.child.pk), {"residence_country": "ZZ"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertIn("residence_country", response.json())
        self.login_as(self.volunteer)
        response = self.client.patch(url("person-detail", self.child.pk), {"birth_place": "X"}, format="json")
        self.assertEqual(response.status_code, 403)
        for user in (self.analyst, self.outsider):
            with self.subTest(user=user.username):
                self.assert_hidden(user, url("person-detail", self.child.pk), "patch", {"birth_place": "X"})
        self.child.refresh_from_db()
        self.assertEqual(self.child.birth_place, "Hyesan")

    def test_persons_are_not_deleted_or_replaced(self):
        self.login_as(self.owner)
        self.assertEqual(self.client.delete(url("person-detail", self.child.pk)).status_code, 405)
        self.assertEqual(self.client.put(url("person-detail", self.child.pk), self.payload(), format="json")
                         .status_code, 405)
        self.assertTrue(Person.objects.filter(pk=self.child.pk).exists())
