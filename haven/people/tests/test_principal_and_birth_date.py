"""One principal applicant per household, and birth dates that agree with their precision: the services refuse
with a clear message, the database refuses what bypasses them (run on SQLite and on PostgreSQL with
DATABASE_URL), the forms and the API reach the same rule, and the page shows the date as precise as it is known."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from haven.audit.models import AuditEntry
from haven.people import services
from haven.people.display import birth_date_text, place_text
from haven.people.models import Person
from haven.testing.personas import PersonaTestCase


class OnePrincipalTests(PersonaTestCase):
    def test_a_second_principal_is_refused_by_the_service_with_a_clear_message(self):
        with pytest.raises(ValidationError) as raised:
            services.create_person(actor=self.owner, household=self.household,
                                   data={"family_name": "Ri", "given_name": "Two", "relationship": "principal"})
        assert "already this household's principal applicant" in raised.value.message_dict["relationship"][0]
        with pytest.raises(ValidationError):
            services.update_person(actor=self.owner, person=self.child, data={"relationship": "principal"})
        assert Person.objects.filter(household=self.household, relationship="principal").count() == 1

    def test_the_database_refuses_a_second_principal(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            Person.objects.filter(pk=self.child.pk).update(relationship="principal")

    def test_a_member_added_without_a_relationship_is_not_the_principal(self):
        person = services.create_person(actor=self.owner, household=self.household, data={"given_name": "Ok"})
        assert person.relationship == "other_relative"

    def test_make_principal_swaps_the_two_in_one_audited_change(self):
        services.make_principal(actor=self.owner, person=self.child, former_relationship="parent")
        self.person.refresh_from_db()
        self.child.refresh_from_db()
        assert (self.child.relationship, self.person.relationship) == ("principal", "parent")
        entry = AuditEntry.objects.filter(object_type="people.person", object_id=str(self.child.pk)).latest("seq")
        assert entry.changes["former_principal"]["person"] == self.person.pk
        assert entry.changes["relationship"] == {"old": "child", "new": "principal"}

    def test_make_principal_needs_what_the_former_principal_becomes(self):
        with pytest.raises(ValidationError) as raised:
            services.make_principal(actor=self.owner, person=self.child, former_relationship="principal")
        assert "former_relationship" in raised.value.message_dict

    def test_the_member_form_does_not_offer_principal_once_there_is_one(self):
        self.login_as(self.owner)
        page = self.client.get(reverse("person_create", args=[self.household.pk])).content.decode()
        assert '<option value="" selected>' in page and '<option value="principal" selected>' not in page
        response = self.client.post(reverse("person_create", args=[self.household.pk]), {
            "relationship": "principal", "given_name": "Second", "sex": "U", "birth_date_precision": "unknown",
            "confirm_not_duplicate": "1"})
        self.assertContains(response, "already this household&#x27;s principal applicant")

    def test_the_make_principal_page_changes_it(self):
        self.login_as(self.colleague)
        url = reverse("person_make_principal", args=[self.child.pk])
        self.assertContains(self.client.get(url), "What the current principal applicant becomes")
        response = self.client.post(url, {"former_relationship": ""})
        self.assertContains(response, "This field is required.")
        response = self.client.post(url, {"former_relationship": "spouse"})
        self.assertRedirects(response, reverse("person_detail", args=[self.child.pk]))
        self.assertEqual(Person.objects.get(household=self.household, relationship="principal"), self.child)

    def test_the_api_gets_the_same_message(self):
        self.login_as(self.owner)
        response = self.client.post("/api/v1/persons/", {"household": self.household.pk, "given_name": "X",
                                                         "relationship": "principal"}, content_type="application/json")
        assert response.status_code == 400
        assert "already this household's principal applicant" in response.json()["relationship"][0]


class BirthDatePrecisionTests(PersonaTestCase):
    def create(self, **data):
        return services.create_person(actor=self.owner, household=self.household,
                                      data={"family_name": "Ri", "given_name": "Test", **data})

    def test_each_precision_stores_what_it_means(self):
        assert self.create(birth_date=dt.date(1975, 3, 14), birth_date_precision="year").birth_date == \
            dt.date(1975, 1, 1)
        assert self.create(birth_date=dt.date(1975, 3, 14), birth_date_precision="month").birth_date == \
            dt.date(1975, 3, 1)
        exact = self.create(birth_date=dt.date(1975, 3, 14))  # a date alone is exact
        assert (exact.birth_date, exact.birth_date_precision) == (dt.date(1975, 3, 14), "exact")
        assert self.create().birth_date_precision == "unknown"  # nothing said: unknown

    def test_a_precision_without_a_date_and_a_date_with_unknown_are_refused(self):
        with pytest.raises(ValidationError) as raised:
            self.create(birth_date_precision="year")
        assert "needs its date" in raised.value.message_dict["birth_date"][0]
        with pytest.raises(ValidationError) as raised:
            self.create(birth_date=dt.date(1975, 3, 14), birth_date_precision="unknown")
        assert "birth_date_precision" in raised.value.message_dict

    def test_the_database_refuses_a_date_that_disagrees_with_its_precision(self):
        for values in ({"birth_date_precision": "year", "birth_date": None},
                       {"birth_date_precision": "year", "birth_date": dt.date(1975, 3, 1)},
                       {"birth_date_precision": "month", "birth_date": dt.date(1975, 3, 14)},
                       {"birth_date_precision": "unknown", "birth_date": dt.date(1975, 1, 1)},
                       {"birth_date_precision": "exact", "birth_date": None}):
            with self.subTest(**values), pytest.raises(IntegrityError), transaction.atomic():
                Person.objects.filter(pk=self.child.pk).update(**values)
        Person.objects.filter(pk=self.child.pk).update(birth_date_precision="month", birth_date=dt.date(1975, 3, 1))

    def test_the_form_takes_only_the_parts_the_precision_needs(self):
        self.login_as(self.owner)
        url = reverse("person_create", args=[self.household.pk])
        base = {"relationship": "child", "family_name": "Ri", "given_name": "Year", "sex": "U",
                "confirm_not_duplicate": "1"}
        response = self.client.post(url, {**base, "birth_date_precision": "year", "birth_date_0": "1975",
                                          "birth_date_1": "", "birth_date_2": ""})
        person = Person.objects.get(given_name="Year")
        self.assertRedirects(response, reverse("person_detail", args=[person.pk]))
        assert (person.birth_date, person.birth_date_precision) == (dt.date(1975, 1, 1), "year")
        response = self.client.post(url, {**base, "given_name": "Month", "birth_date_precision": "month",
                                          "birth_date_0": "1975", "birth_date_1": "", "birth_date_2": ""})
        self.assertContains(response, "Give the month of birth")
        response = self.client.post(url, {**base, "given_name": "Bad", "birth_date_precision": "exact",
                                          "birth_date_0": "1975", "birth_date_1": "2", "birth_date_2": "30"})
        self.assertContains(response, "1975-02-30 is not a real date.")
        assert not Person.objects.filter(given_name__in=["Month", "Bad"]).exists()

    def test_the_form_shows_a_stored_date_in_its_parts(self):
        self.login_as(self.owner)
        page = self.client.get(reverse("person_edit", args=[self.person.pk])).content.decode()
        assert 'name="birth_date_0" value="1985"' in page
        assert '<option value="3" selected>March</option>' in page
        assert 'name="birth_date_2" value="14"' in page

    def test_open_a_case_takes_the_principal_applicants_birth_date(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("case_create"), {
            "organization": self.org.pk, "reference": "MSS-2026-777", "title": "", "kind": "sponsorship",
            "opened_on": "2026-01-20", "household": "", "household_reference": "HH-777", "household_name": "Pak family",
            "family_name": "Pak", "given_name": "Chŏl", "birth_date_precision": "month", "birth_date_0": "1968",
            "birth_date_1": "11", "birth_date_2": ""})
        assert response.status_code == 302
        principal = Person.objects.get(household__reference="HH-777")
        assert (principal.relationship, principal.birth_date, principal.birth_date_precision) == (
            "principal", dt.date(1968, 11, 1), "month")

    def test_the_api_refuses_a_precision_without_its_date(self):
        self.login_as(self.owner)
        response = self.client.patch(f"/api/v1/persons/{self.child.pk}/",
                                     {"birth_date": None, "birth_date_precision": "year"},
                                     content_type="application/json")
        assert response.status_code == 400 and "birth_date" in response.json()
        response = self.client.patch(f"/api/v1/persons/{self.child.pk}/", {"birth_date_precision": "unknown",
                                                                           "birth_date": None},
                                     content_type="application/json")
        assert response.status_code == 200 and response.json()["birth_date"] is None


@pytest.mark.parametrize(("language", "expected"), [
    ("en", ("1975", "March 1975", "14 March 1975", "unknown")),
    ("fr", ("1975", "mars 1975", "14 mars 1975", "inconnu")),
    ("ko", ("1975년", "1975년 3월", "1975년 3월 14일", "알 수 없음")),
])
def test_a_birth_date_is_shown_as_precise_as_it_is_known(language, expected):
    with translation.override(language):
        shown = (birth_date_text(dt.date(1975, 1, 1), "year"), birth_date_text(dt.date(1975, 3, 1), "month"),
                 birth_date_text(dt.date(1975, 3, 14), "exact"), birth_date_text(None, "unknown"))
    assert shown == expected


def test_a_place_shows_only_what_is_known():
    with translation.override("en"):
        assert place_text("", "CN") == "China"
        assert place_text("Hyesan", "") == "Hyesan"
        assert place_text("Hyesan", "KP") == "Hyesan, Korea, Democratic People's Republic of"
        assert place_text(" ", "") == ""
