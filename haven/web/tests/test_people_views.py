"""Household and person screens, and the add/remove lists of the person page (HTMX and plain)."""
from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from haven.audit.models import Action, AuditEntry
from haven.matching.templatetags.matching_labels import level_label
from haven.people.models import (
    IdentityDocument,
    Nationality,
    Person,
    PersonLanguage,
    PersonName,
    Vulnerability,
)
from haven.testing.personas import PersonaTestCase
from haven.web.tests.helpers import WebAssertions

HTMX = {"HX-Request": "true"}


class HouseholdTests(WebAssertions, PersonaTestCase):
    def test_anonymous_is_sent_to_login(self):
        self.assert_login_redirect(reverse("household_detail", args=[self.household.pk]))
        self.assert_login_redirect(reverse("household_edit", args=[self.household.pk]))

    def test_staff_and_group_volunteer_see_members_and_views_are_audited(self):
        for user in (self.owner, self.colleague, self.counsel, self.volunteer):
            with self.subTest(user=user.username):
                self.login_as(user)
                response = self.client.get(reverse("household_detail", args=[self.household.pk]))
                self.assertContains(response, "Ri family")
                self.assertContains(response, reverse("person_detail", args=[self.child.pk]))
                self.assertContains(response, "MSS-2026-001")
                self.assertEqual(self.view_rows(user, self.household), 1)
                self.assertEqual(self.view_rows(user, self.child), 1)
                can_edit = user != self.volunteer
                self.assertEqual(reverse("household_edit", args=[self.household.pk]) in response.content.decode(),
                                 can_edit)

    def test_strangers_get_404(self):
        for user in (self.outsider, self.other_volunteer, self.analyst):
            for name in ("household_detail", "household_edit"):
                with self.subTest(user=user.username, view=name):
                    self.assert_not_found_for(user, reverse(name, args=[self.household.pk]))
        self.assert_not_found_for(self.volunteer, reverse("household_edit", args=[self.household.pk]))
        self.assert_not_found_for(self.owner, reverse("household_detail", args=[999999]))

    def test_rename_is_saved_audited_and_searchable(self):
        self.login_as(self.colleague)
        url = reverse("household_edit", args=[self.household.pk])
        self.assertRedirects(self.client.post(url, {"name": "Ri–Pak family"}),
                             reverse("household_detail", args=[self.household.pk]))
        self.household.refresh_from_db()
        self.assertEqual(self.household.name, "Ri–Pak family")
        self.assertTrue(AuditEntry.objects.filter(action=Action.UPDATE, object_type="people.household",
                                                  actor=self.colleague).exists())
        response = self.client.post(url, {"name": ""})
        self.assertContains(response, "This field is required.")
        self.household.refresh_from_db()
        self.assertEqual(self.household.name, "Ri–Pak family")


class PersonCreateEditTests(WebAssertions, PersonaTestCase):
    def data(self, **overrides):
        data = {"relationship": "spouse", "family_name": "Kang", "given_name": "Hye-gyŏng",
                "family_name_hangul": "강", "given_name_hangul": "혜경", "sex": "F", "birth_date": "1987-06-20",
                "birth_date_precision": "year", "birth_place": "Hyesan", "birth_country": "KP",
                "residence_country": "CA", "phone": "+1 416 555 0100", "email": "kang@example.org",
                "address": "12 Maple Street"}
        data.update(overrides)
        return data

    def test_anonymous_is_sent_to_login(self):
        self.assert_login_redirect(reverse("person_create", args=[self.household.pk]))
        self.assert_login_redirect(reverse("person_edit", args=[self.person.pk]))

    def test_owner_adds_a_member_with_all_fields(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("person_create", args=[self.household.pk]), self.data())
        person = Person.objects.get(family_name="Kang")
        self.assertRedirects(response, reverse("person_detail", args=[person.pk]))
        self.assertEqual(person.household, self.household)
        self.assertEqual(person.birth_date, dt.date(1987, 1, 1))  # year precision: 1 January
        self.assertEqual((person.birth_country, person.residence_country, person.phone),
                         ("KP", "CA", "+1 416 555 0100"))
        self.assertTrue(AuditEntry.objects.filter(action=Action.CREATE, object_type="people.person",
                                                  object_id=str(person.pk), actor=self.owner).exists())
        self.case.refresh_from_db()
        self.assertIn("강혜경", self.case.search_key)
        self.login_as(self.owner)
        self.assertContains(self.client.get(reverse("case_list"), {"q": "hyegyong"}), "MSS-2026-001")

    def test_bad_input_shows_errors_and_saves_nothing(self):
        self.login_as(self.owner)
        url = reverse("person_create", args=[self.household.pk])
        before = Person.objects.count()
        for overrides, message in (
            ({"family_name": "", "given_name": "", "family_name_hangul": "", "given_name_hangul": ""},
             "at least one name"),
            ({"birth_country": "XX"}, "Select a valid choice"),
            ({"birth_date": "31/02/1990"}, "Enter a valid date."),
            ({"email": "not-an-email"}, "Enter a valid email address."),
        ):
            with self.subTest(message=message):
                response = self.client.post(url, self.data(**overrides))
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
        self.assertEqual(Person.objects.count(), before)

    def test_volunteer_and_strangers_cannot_create_or_edit(self):
        for user in (self.volunteer, self.other_volunteer, self.analyst, self.outsider):
            with self.subTest(user=user.username):
                self.assert_not_found_for(user, reverse("person_create", args=[self.household.pk]), "post",
                                          self.data())
                self.assert_not_found_for(user, reverse("person_edit", args=[self.person.pk]))
                self.assert_not_found_for(user, reverse("person_edit", args=[self.person.pk]), "post",
                                          self.data())
        self.assertFalse(Person.objects.filter(family_name="Kang").exists())

    def test_colleague_edits_and_the_change_is_audited(self):
        self.login_as(self.colleague)
        url = reverse("person_edit", args=[self.person.pk])
        form = self.client.get(url).context["form"]
        self.assertEqual(self.view_rows(self.colleague, self.person), 1)
        data = {key: value if value is not None else "" for key, value in form.initial.items()}
        data.update(birth_place="Hoeryong", birth_date="1985-03-14", birth_date_precision="exact")
        response = self.client.post(url, data)
        self.assertRedirects(response, reverse("person_detail", args=[self.person.pk]))
        self.person.refresh_from_db()
        self.assertEqual(self.person.birth_place, "Hoeryong")
        entry = AuditEntry.objects.filter(action=Action.UPDATE, object_type="people.person").latest("seq")
        self.assertEqual(entry.changes["birth_place"], {"old": "", "new": "Hoeryong"})


class PersonDetailTests(WebAssertions, PersonaTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        PersonName.objects.create(person=cls.person, family_name="Lee", given_name="Myung-chul", source="ROK passport")
        PersonLanguage.objects.create(person=cls.person, language="kor")
        IdentityDocument.objects.create(person=cls.person, kind="passport", issuing_country="KR", number="M12345678")

    def url(self):
        return reverse("person_detail", args=[self.person.pk])

    def test_anonymous_is_sent_to_login(self):
        self.assert_login_redirect(self.url())

    def test_owner_sees_every_section(self):
        for user in (self.owner, self.colleague, self.counsel):
            with self.subTest(user=user.username):
                self.login_as(user)
                response = self.client.get(self.url())
                for text in ("명철", "Myung-chul", "ROK passport", "Korea, Democratic People", "Citizen",
                             "Unknown", "Korean", "Disclosed at intake", "M12345678",
                             reverse("nationality_add", args=[self.person.pk]),
                             reverse("person_edit", args=[self.person.pk])):
                    self.assertContains(response, text)

    def test_countries_and_languages_are_named_in_the_readers_language(self):
        self.login_as(self.owner)
        korean = self.client.get(self.url(), HTTP_ACCEPT_LANGUAGE="ko")
        for text in ("조선민주주의인민공화국", "대한민국", "한국어"):
            self.assertContains(korean, text)
        self.assertNotContains(korean, "Korea, Democratic People")
        french = self.client.get(reverse("person_edit", args=[self.person.pk]), HTTP_ACCEPT_LANGUAGE="fr")
        self.assertContains(french, '<option value="KP">Corée, République populaire démocratique de</option>',
                            html=True)

    def test_volunteer_sees_no_vulnerability_and_no_document_and_no_forms(self):
        self.login_as(self.volunteer)
        response = self.client.get(self.url())
        self.assertContains(response, "명철")
        self.assertContains(response, "Myung-chul")
        for text in ("Disclosed at intake", "Survivor of sexual", "M12345678", "Identity documents",
                     "Vulnerabilities", reverse("person_edit", args=[self.person.pk]),
                     reverse("nationality_add", args=[self.person.pk])):
            self.assertNotContains(response, text)

    def test_view_is_audited(self):
        self.login_as(self.volunteer)
        self.client.get(self.url())
        self.assertEqual(self.view_rows(self.volunteer, self.person), 1)

    def test_strangers_get_404(self):
        for user in (self.outsider, self.other_volunteer, self.analyst):
            with self.subTest(user=user.username):
                self.assert_not_found_for(user, self.url())
        self.assert_not_found_for(self.owner, reverse("person_detail", args=[999999]))


class PersonSectionTests(WebAssertions, PersonaTestCase):
    def add(self, section: str, data: dict, htmx: bool = False, user=None):
        self.login_as(user or self.owner)
        url = reverse(f"{section}_add", args=[self.person.pk])
        prefix = {"person_name": "names", "nationality": "nationalities", "language": "languages",
                  "vulnerability": "vulnerabilities", "document": "documents"}[section]
        body = {f"{prefix}-{key}": value for key, value in data.items()}
        return self.client.post(url, body, headers=HTMX if htmx else {})

    def test_add_name_plain_and_htmx_and_it_becomes_searchable(self):
        response = self.add("person_name", {"family_name": "Rhee", "given_name": "Myongchol", "script": "latin",
                                            "source": "UNHCR"})
        self.assertRedirects(response, reverse("person_detail", args=[self.person.pk]) + "#person-names")
        response = self.add("person_name", {"family_name": "李", "given_name": "明哲", "script": "han"}, htmx=True)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'id="person-names"')
        self.assertContains(response, "明哲")
        self.assertNotContains(response, "<html")
        self.assertEqual(self.person.names.count(), 2)
        self.assertContains(self.client.get(reverse("case_list"), {"q": "rhee"}), "MSS-2026-001")
        self.assertTrue(AuditEntry.objects.filter(action=Action.CREATE, object_type="people.personname").exists())

    def test_remove_name(self):
        name = PersonName.objects.create(person=self.person, family_name="Yi", given_name="Myong-chol")
        self.login_as(self.colleague)
        url = reverse("person_name_remove", args=[self.person.pk, name.pk])
        self.assertEqual(self.client.get(url).status_code, 405)
        response = self.client.post(url, headers=HTMX)
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, "Yi Myong-chol")
        self.assertFalse(PersonName.objects.filter(pk=name.pk).exists())
        self.assertTrue(AuditEntry.objects.filter(action=Action.DELETE, object_type="people.personname",
                                                  object_id=str(name.pk), actor=self.colleague).exists())

    def test_item_of_another_person_is_404(self):
        other = PersonName.objects.create(person=self.child, family_name="Yi", given_name="Su-a")
        self.login_as(self.owner)
        response = self.client.post(reverse("person_name_remove", args=[self.person.pk, other.pk]))
        self.assertEqual(response.status_code, 404)
        self.assertTrue(PersonName.objects.filter(pk=other.pk).exists())

    def test_nationality_rules_for_the_two_koreas(self):
        self.person.nationalities.all().delete()
        for data, message in (
            ({"country": "KP", "status": "may_acquire"}, "For this country the status must be one of: Citizen."),
            ({"country": "KR", "status": "citizen"}, "Citizenship held, Entitled to acquire as of right, May be able to acquire, Citizenship refused"),
            ({"country": "ZZ", "status": "citizen"}, "Select a valid choice"),
        ):
            with self.subTest(data=data):
                response = self.add("nationality", data, htmx=True)
                self.assertContains(response, message)
                self.assertContains(response, 'class="errorlist')
        self.assertFalse(self.person.nationalities.exists())
        self.add("nationality", {"country": "KP", "status": "citizen"})
        self.add("nationality", {"country": "KR", "status": "may_acquire", "note": "Arrived via Thailand"})
        self.add("nationality", {"country": "CN", "status": "unknown"})
        self.assertEqual(sorted(self.person.nationalities.values_list("country", "status")),
                         [("CN", "unknown"), ("KP", "citizen"), ("KR", "may_acquire")])
        response = self.add("nationality", {"country": "KR", "status": "held"})
        self.assertContains(response, "already recorded")
        self.assertEqual(self.person.nationalities.get(country="KR").status, "may_acquire")

    def test_remove_nationality(self):
        nationality = self.person.nationalities.get(country="KR")
        self.login_as(self.owner)
        self.client.post(reverse("nationality_remove", args=[self.person.pk, nationality.pk]))
        self.assertFalse(Nationality.objects.filter(pk=nationality.pk).exists())

    def test_languages_validated_against_iso_639(self):
        self.add("language", {"language": "Korean", "level": "native"})
        self.add("language", {"language": "en", "level": "basic", "needs_interpreter": "on"})
        self.assertEqual(sorted(self.person.languages.values_list("language", "needs_interpreter")),
                         [("eng", True), ("kor", False)])
        response = self.add("language", {"language": "Klingonese", "level": "basic"}, htmx=True)
        self.assertContains(response, "is not an ISO 639 language code or name")
        response = self.add("language", {"language": "kor", "level": "fluent"}, htmx=True)
        self.assertContains(response, "Korean is already recorded.")
        self.assertEqual(self.person.languages.count(), 2)
        language = self.person.languages.get(language="eng")
        self.client.post(reverse("language_remove", args=[self.person.pk, language.pk]))
        self.assertEqual(self.person.languages.count(), 1)

    def test_vulnerability_add_remove_and_redacted_audit(self):
        response = self.add("vulnerability", {"kind": "medical_need", "details": "Insulin daily"}, htmx=True)
        self.assertContains(response, "Insulin daily")
        vulnerability = self.person.vulnerabilities.get(kind="medical_need")
        entry = AuditEntry.objects.get(action=Action.CREATE, object_type="people.vulnerability",
                                       object_id=str(vulnerability.pk))
        self.assertEqual(entry.changes["details"]["new"], "[redacted]")
        self.client.post(reverse("vulnerability_remove", args=[self.person.pk, vulnerability.pk]))
        self.assertFalse(Vulnerability.objects.filter(pk=vulnerability.pk).exists())

    def test_document_add_validates_dates_and_records_the_spelling(self):
        response = self.add("document", {"kind": "passport", "issuing_country": "KR", "number": "M0000001",
                                         "issued_on": "2024-05-01", "expires_on": "2020-05-01"}, htmx=True)
        self.assertContains(response, "A document cannot expire before it was issued.")
        self.assertFalse(self.person.documents.exists())
        self.add("document", {"kind": "passport", "issuing_country": "KR", "number": "M0000001",
                              "family_name_as_written": "LEE", "given_name_as_written": "MYUNGCHUL",
                              "issued_on": "2024-05-01", "expires_on": "2034-05-01"})
        document = self.person.documents.get()
        self.assertEqual((document.number, document.issuing_country), ("M0000001", "KR"))
        self.assertTrue(self.person.names.filter(family_name="LEE", given_name="MYUNGCHUL").exists())
        self.client.post(reverse("document_remove", args=[self.person.pk, document.pk]))
        self.assertFalse(IdentityDocument.objects.filter(pk=document.pk).exists())

    def test_volunteer_and_strangers_cannot_add_or_remove(self):
        vulnerability = self.vulnerability
        nationality = self.person.nationalities.get(country="KP")
        for user in (self.volunteer, self.other_volunteer, self.analyst, self.outsider):
            with self.subTest(user=user.username):
                response = self.add("nationality", {"country": "CN", "status": "unknown"}, user=user)
                self.assertEqual(response.status_code, 404)
                response = self.add("vulnerability", {"kind": "other", "details": "x"}, user=user)
                self.assertEqual(response.status_code, 404)
                self.assert_not_found_for(user, reverse("vulnerability_remove",
                                                        args=[self.person.pk, vulnerability.pk]), "post")
                self.assert_not_found_for(user, reverse("nationality_remove",
                                                        args=[self.person.pk, nationality.pk]), "post")
                self.assertNotContains(response, "Disclosed at intake", status_code=404)
        self.assertTrue(Vulnerability.objects.filter(pk=vulnerability.pk).exists())
        self.assertEqual(self.person.nationalities.count(), 2)

    def test_plain_post_with_errors_redisplays_the_whole_page_with_the_bound_form(self):
        response = self.add("language", {"language": "zzzz", "level": "native"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<html")
        self.assertContains(response, "is not an ISO 639 language code or name")
        self.assertContains(response, 'value="zzzz"')


class PersonCreateDuplicateWarningTests(WebAssertions, PersonaTestCase):
    """A likely duplicate is shown before a new person is saved (haven.matching.selectors.likely_duplicates)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from haven.testing.factories import HouseholdFactory, PersonFactory

        # Registered in Hangul only, in another household of the same organization.
        cls.registered = PersonFactory(household=HouseholdFactory(organization=cls.org, reference="HH-002",
                                                                  name="Second household"),
                                       family_name="", given_name="", family_name_hangul="리",
                                       given_name_hangul="명철", birth_date=dt.date(1975, 6, 20),
                                       relationship="principal")
        # The clinic's person with the same name and birth date: never shown to Maple's staff.
        cls.clinic_namesake = PersonFactory(household=cls.other_household, family_name="Ri",
                                            given_name="Myong-chol", family_name_hangul="", given_name_hangul="",
                                            birth_date=dt.date(1975, 6, 20), relationship="other_relative")

    def data(self, **overrides):
        data = {"relationship": "other_relative", "family_name": "Ri", "given_name": "Myong-chol",
                "family_name_hangul": "", "given_name_hangul": "", "sex": "M", "birth_date": "1975-06-20",
                "birth_date_precision": "exact", "birth_place": "", "birth_country": "", "residence_country": "",
                "phone": "", "email": "", "address": ""}
        data.update(overrides)
        return data

    def test_near_duplicate_is_shown_with_its_weights_and_nothing_is_saved(self):
        self.login_as(self.owner)
        url = reverse("person_create", args=[self.household.pk])
        before = Person.objects.count()
        with CaptureQueriesContext(connection) as queries:
            response = self.client.post(url, self.data())
        # Sign-in checks, the household, merged-away ids, the visible persons and their other names, the
        # candidates' rows, their cases and one audit batch: no query per candidate.
        self.assertLessEqual(len(queries), 18)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Person.objects.count(), before)
        shown = [item.person for item in response.context["duplicates"]]
        self.assertIn(self.registered, shown)
        self.assertNotIn(self.clinic_namesake, shown)
        self.assertContains(response, "This person may already be registered")
        self.assertContains(response, "HH-002")
        self.assertContains(response, reverse("person_detail", args=[self.registered.pk]))
        self.assertContains(response, 'name="confirm_not_duplicate"')
        item = next(item for item in response.context["duplicates"] if item.person == self.registered)
        self.assertGreaterEqual(item.duplicate.match_probability, 0.5)
        self.assertLessEqual({"name", "birth_date"}, {c["comparison"] for c in item.duplicate.comparisons})
        for c in item.duplicate.comparisons:
            self.assertContains(response, level_label(c["level"]))
        self.assertContains(response, "Date of birth")
        self.assertEqual(self.view_rows(self.owner, self.registered), 1)  # showing a record is a view

    def test_confirming_saves_the_new_person(self):
        self.login_as(self.owner)
        url = reverse("person_create", args=[self.household.pk])
        response = self.client.post(url, self.data(confirm_not_duplicate="1"))
        person = Person.objects.get(household=self.household, given_name="Myong-chol")
        self.assertRedirects(response, reverse("person_detail", args=[person.pk]))

    def test_a_person_with_no_likely_duplicate_is_saved_at_once(self):
        self.login_as(self.owner)
        url = reverse("person_create", args=[self.household.pk])
        response = self.client.post(url, self.data(family_name="Kang", given_name="Hye-gyong", sex="F",
                                                   birth_date="1990-06-20"))
        person = Person.objects.get(family_name="Kang")
        self.assertRedirects(response, reverse("person_detail", args=[person.pk]))

    def test_another_organizations_person_is_never_a_candidate(self):
        # The clinic's caseworker adds the same name to their own household: Maple's 리명철 is not shown.
        self.login_as(self.outsider)
        url = reverse("person_create", args=[self.other_household.pk])
        response = self.client.post(url, self.data())
        self.assertEqual(response.status_code, 200)
        shown = [item.person for item in response.context["duplicates"]]
        self.assertEqual(shown, [self.clinic_namesake])
        self.assertNotContains(response, "HH-002")
        self.assertNotContains(response, "명철")
        self.assertNotContains(response, "MSS-2026-001")
