"""Dates of things that have happened (haven.records.dates), with the clock frozen at 2026-03-01T03:00Z: it is still
28 February in Toronto (22:00) but already 1 March in UTC and in Seoul, so 2026-03-01 is in the future for a
Toronto organization only. Every entry point is checked: services, forms, API and imports."""
from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from haven.accounts.models import Organization, default_time_zone
from haven.cases import services as case_services
from haven.cases.models import Case
from haven.claims import services as claim_services
from haven.claims.import_validation import COLUMNS as CLAIM_COLUMNS
from haven.claims.importing import import_claims
from haven.claims.models import Claim, ClaimEvent, EventType
from haven.people import services as people_services
from haven.people.models import Household, Person
from haven.records.dates import check_not_future, today_for
from haven.testing.personas import PersonaTestCase
from haven.transfer.errors import ImportRejected
from haven.transfer.services import import_people

LATE_EVENING_IN_TORONTO = "2026-03-01T03:00:00Z"
TORONTO_TODAY, TOMORROW = dt.date(2026, 2, 28), dt.date(2026, 3, 1)
FUTURE = "2026-03-01 is in the future"
FUTURE_FR = "2026-03-01 est dans le futur"


@pytest.fixture
def frozen():
    with time_machine.travel(LATE_EVENING_IN_TORONTO, tick=False):
        yield


# --- the check itself -------------------------------------------------------------------------------------


def test_today_is_the_organizations(frozen):
    assert today_for(Organization(time_zone="America/Toronto")) == TORONTO_TODAY
    assert today_for(Organization(time_zone="America/Vancouver")) == TORONTO_TODAY
    assert today_for(Organization(time_zone="Etc/UTC")) == TOMORROW
    assert today_for(Organization(time_zone="Asia/Seoul")) == TOMORROW


def test_the_boundary(frozen):
    toronto, seoul = Organization(time_zone="America/Toronto"), Organization(time_zone="Asia/Seoul")
    check_not_future(TORONTO_TODAY, organization=toronto, field="birth_date")
    check_not_future(None, organization=toronto, field="birth_date")
    check_not_future(TOMORROW, organization=seoul, field="birth_date")
    with pytest.raises(ValidationError) as raised:
        check_not_future(TOMORROW, organization=toronto, field="birth_date")
    assert raised.value.message_dict == {"birth_date": [FUTURE]}
    assert raised.value.error_dict["birth_date"][0].code == "future_date"
    with translation.override("fr"):
        with pytest.raises(ValidationError) as raised:
            check_not_future(TOMORROW, organization=toronto, field="opened_on")
        assert raised.value.message_dict == {"opened_on": [FUTURE_FR]}


def test_the_time_zone_must_exist(db):
    organization = Organization(name="Clinic", slug="clinic", kind="legal_clinic")
    assert organization.time_zone == default_time_zone() == settings.TIME_ZONE
    organization.full_clean()
    organization.time_zone = "Mars/Olympus_Mons"
    with pytest.raises(ValidationError) as raised:
        organization.full_clean()
    assert list(raised.value.message_dict) == ["time_zone"]


# --- every entry point ------------------------------------------------------------------------------------


class FrozenTestCase(PersonaTestCase):
    """The personas' organization keeps Toronto time; the clinic's is moved to Seoul."""

    def setUp(self):
        traveller = time_machine.travel(LATE_EVENING_IN_TORONTO, tick=False)
        traveller.start()
        self.addCleanup(traveller.stop)
        for organization, time_zone in ((self.org, "America/Toronto"), (self.clinic, "Asia/Seoul")):
            organization.time_zone = time_zone
            organization.save(update_fields=["time_zone"])

    def fresh_person(self) -> Person:
        return Person.objects.select_related("household__organization").get(pk=self.person.pk)


class ServiceTests(FrozenTestCase):
    def test_birth_dates(self):
        with pytest.raises(ValidationError) as raised:
            people_services.create_person(actor=self.owner, household=self.household,
                                          data={"family_name": "Ri", "given_name": "Baby", "birth_date": TOMORROW})
        assert raised.value.message_dict == {"birth_date": [FUTURE]}
        people_services.create_person(actor=self.owner, household=self.household,
                                      data={"family_name": "Ri", "given_name": "Born", "birth_date": TORONTO_TODAY})
        seoul = people_services.create_household(actor=self.outsider, organization=self.clinic, reference="S-1",
                                                  name="Seoul family")
        people_services.create_person(actor=self.outsider, household=seoul,
                                      data={"family_name": "Pak", "given_name": "Born", "birth_date": TOMORROW})
        with pytest.raises(ValidationError):
            people_services.update_person(actor=self.owner, person=self.fresh_person(),
                                          data={"birth_date": TOMORROW})
        assert not Person.objects.filter(given_name="Baby").exists()

    def test_a_future_birth_date_already_on_file_does_not_block_other_edits(self):
        Person.objects.filter(pk=self.person.pk).update(birth_date=dt.date(2030, 1, 1))
        person = people_services.update_person(actor=self.owner, person=self.fresh_person(),
                                               data={"birth_place": "Hyesan"})
        assert person.birth_place == "Hyesan"

    def test_case_openings(self):
        with pytest.raises(ValidationError) as raised:
            case_services.open_case(actor=self.owner, organization=self.org, household=self.household,
                                    reference="MSS-2099", opened_on=TOMORROW)
        assert raised.value.message_dict == {"opened_on": [FUTURE]}
        case = case_services.open_case(actor=self.owner, organization=self.org, household=self.household,
                                       reference="MSS-TODAY")
        assert case.opened_on == TORONTO_TODAY  # the default is today in the organization, too
        with pytest.raises(ValidationError):
            case_services.update_case(actor=self.owner, case=Case.objects.get(pk=self.case.pk), opened_on=TOMORROW)

    def test_claim_referral_and_steps(self):
        with pytest.raises(ValidationError) as raised:
            claim_services.create_claim(actor=self.owner, case=self.case, reference="TB6-20001", claimant=self.person,
                                        country_of_persecution="KP", referred_on=TOMORROW)
        assert raised.value.message_dict == {"referred_on": [FUTURE]}
        assert not Claim.objects.filter(reference="TB6-20001").exists()
        claim = claim_services.create_claim(actor=self.owner, case=self.case, reference="TB6-20002",
                                            claimant=self.person, country_of_persecution="KP",
                                            referred_on=dt.date(2026, 2, 2))
        # A Basis of Claim "filed" tomorrow cannot mark the live BOC deadline met.
        with pytest.raises(ValidationError) as raised:
            claim_services.record_event(actor=self.owner, claim=claim, type=EventType.BOC_FILED, occurred_on=TOMORROW)
        assert raised.value.message_dict == {"occurred_on": [FUTURE]}
        assert claim.deadlines.get(key="boc_due").completed_on is None
        # A hearing may be scheduled for a future date; the scheduling itself has happened.
        claim_services.record_event(actor=self.owner, claim=claim, type=EventType.HEARING_SCHEDULED,
                                    occurred_on=TORONTO_TODAY, scheduled_for=dt.date(2026, 6, 1))
        with pytest.raises(ValidationError) as raised:
            claim_services.record_event(actor=self.owner, claim=claim, type=EventType.DECISION_REJECTED,
                                        occurred_on=TORONTO_TODAY, received_on=TOMORROW)
        assert raised.value.message_dict == {"received_on": [FUTURE]}
        step = claim_services.record_event(actor=self.owner, claim=claim, type=EventType.BOC_FILED,
                                           occurred_on=TORONTO_TODAY)
        assert claim.deadlines.get(key="boc_due").completed_on == TORONTO_TODAY
        with pytest.raises(ValidationError) as raised:
            claim_services.correct_event(actor=self.owner, event=step, occurred_on=TOMORROW)
        assert raised.value.message_dict == {"occurred_on": [FUTURE]}
        assert ClaimEvent.objects.get(pk=step.pk).occurred_on == TORONTO_TODAY


class FormTests(FrozenTestCase):
    def person_data(self, **overrides):
        self.login_as(self.owner)
        form = self.client.get(reverse("person_edit", args=[self.person.pk])).context["form"]
        return {**{key: "" if value is None else value for key, value in form.initial.items()}, **overrides}

    def test_person_form(self):
        data = self.person_data(birth_date="2026-03-01", birth_date_precision="exact")
        response = self.client.post(reverse("person_edit", args=[self.person.pk]), data)
        assert response.context["form"].errors["birth_date"] == [FUTURE]
        response = self.client.post(reverse("person_edit", args=[self.person.pk]), data, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.context["form"].errors["birth_date"] == [FUTURE_FR]
        assert Person.objects.get(pk=self.person.pk).birth_date != TOMORROW

    def test_case_forms(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("case_edit", args=[self.case.pk]), {
            "reference": self.case.reference, "title": self.case.title, "kind": self.case.kind,
            "status": self.case.status, "sponsor_group": self.group_a.pk, "opened_on": "2026-03-01"})
        assert response.context["form"].errors["opened_on"] == [FUTURE]
        response = self.client.post(reverse("case_create"), {
            "organization": self.org.pk, "reference": "MSS-2099", "kind": "sponsorship", "opened_on": "2026-03-01",
            "household_name": "Pak family", "family_name": "Pak"})
        assert response.context["form"].errors["opened_on"] == [FUTURE]
        assert not Household.objects.filter(name="Pak family").exists()  # all or nothing

    def test_the_new_case_form_offers_today_in_the_organization(self):
        self.login_as(self.outsider)  # staff of the clinic only, in Seoul, where it is already 1 March
        form = self.client.get(reverse("case_create")).context["form"]
        assert form.fields["opened_on"].initial == TOMORROW

    def test_claim_forms(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("claim_create", args=[self.case.pk]), {
            "reference": "TB6-30001", "claimant": self.person.pk, "country_of_persecution": "KP",
            "province": "ON", "referred_on": "2026-03-01"})
        assert response.context["form"].errors["referred_on"] == [FUTURE]
        claim = claim_services.create_claim(actor=self.owner, case=self.case, reference="TB6-30002",
                                            claimant=self.person, country_of_persecution="KP",
                                            referred_on=dt.date(2026, 2, 2))
        response = self.client.post(reverse("claim_event_add", args=[claim.pk]),
                                    {"type": "boc_filed", "occurred_on": "2026-03-01"}, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.context["form"].errors["occurred_on"] == [FUTURE_FR]
        assert not claim.events.filter(type=EventType.BOC_FILED).exists()


class ApiTests(FrozenTestCase):
    client_class = APIClient

    def test_person_birth_date(self):
        self.login_as(self.owner)
        url = reverse("person-detail", args=[self.person.pk])
        response = self.client.patch(url, {"birth_date": "2026-03-01"}, format="json")
        assert (response.status_code, response.json()) == (400, {"birth_date": [FUTURE]})
        response = self.client.patch(url, {"birth_date": "2026-02-28"}, format="json")
        assert response.status_code == 200, response.content

    def test_case_opened_on(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("case-list"), {
            "organization": self.org.pk, "household": self.household.pk, "reference": "MSS-2099",
            "opened_on": "2026-03-01"}, format="json", HTTP_ACCEPT_LANGUAGE="fr")
        assert (response.status_code, response.json()) == (400, {"opened_on": [FUTURE_FR]})
        response = self.client.patch(reverse("case-detail", args=[self.case.pk]), {"opened_on": "2026-03-01"},
                                     format="json")
        assert (response.status_code, response.json()) == (400, {"opened_on": [FUTURE]})


class ImportTests(FrozenTestCase):
    ROW = {"household_key": "H-F", "household_name": "Pak family", "case_reference": "IMP-F",
           "relationship": "principal", "family_name": "Pak", "given_name": "Chol"}

    def test_people_import(self):
        with pytest.raises(ImportRejected) as raised:
            import_people(actor=self.owner, organization=self.org,
                          rows=[{**self.ROW, "birth_date": "2026-03-01", "case_opened_on": "2026-03-01"}])
        assert sorted(str(error) for error in raised.value.errors) == [
            f"row 2, column birth_date: {FUTURE}", f"row 2, column case_opened_on: {FUTURE}"]
        assert not Household.objects.filter(reference="H-F").exists()
        # In Seoul it is already 1 March.
        import_people(actor=self.outsider, organization=self.clinic,
                      rows=[{**self.ROW, "birth_date": "2026-03-01", "case_opened_on": "2026-03-01"}])
        assert Person.objects.get(household__organization=self.clinic, given_name="Chol").birth_date == TOMORROW

    def test_people_import_defaults_the_opening_to_the_organizations_today(self):
        import_people(actor=self.outsider, organization=self.clinic, rows=[self.ROW])
        assert Case.objects.get(organization=self.clinic, reference="IMP-F").opened_on == TOMORROW

    def test_claims_import(self):
        row = dict.fromkeys(CLAIM_COLUMNS, "")
        row.update(claim_ref="F-1", claimant_ref="H-F1", family_name="Kim", country_of_persecution="KP",
                   province="ON", referred_on="2026-03-01")
        for method in ("bulk", "services"):
            with pytest.raises(ImportRejected) as raised:
                import_claims(actor=self.owner, organization=self.org, rows=[(2, row)], columns=CLAIM_COLUMNS,
                              method=method)
            assert [str(error) for error in raised.value.errors] == [f"row 2, column referred_on: {FUTURE}"]
        assert not Claim.objects.filter(reference="F-1").exists()
        result = import_claims(actor=self.outsider, organization=self.clinic, rows=[(2, row)], columns=CLAIM_COLUMNS)
        assert Claim.objects.get(pk=result.claim_ids[0]).referred_on == TOMORROW
