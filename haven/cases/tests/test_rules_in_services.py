"""One rule, one place: the services check it, and the web form, the API and a direct call all get the same
answer in the same words, in the reader's language."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from haven.api.tests.base import ApiTestCase, url
from haven.audit.models import Action, AuditEntry
from haven.cases import services
from haven.cases.models import Case, CaseAssignment, Note
from haven.people.models import Household, Person

CONFIDENTIAL_REFUSED = "You may only add notes that are not confidential."
REFERENCE_TAKEN = "Another case of the organization already has this reference."
HOUSEHOLD_REFERENCE_TAKEN = "Another household of the organization already has this reference."


def service_error(call, **kwargs) -> dict[str, list[str]]:
    try:
        call(**kwargs)
    except ValidationError as error:
        return error.message_dict
    raise AssertionError("the service accepted it")


class ConfidentialNoteRuleTests(ApiTestCase):
    def test_a_volunteer_cannot_write_a_confidential_note_through_any_door(self):
        notes = Note.objects.count()
        for language, expected in (("en", CONFIDENTIAL_REFUSED),
                                   ("fr", "Vous ne pouvez ajouter que des notes non confidentielles.")):
            with self.subTest(language=language), translation.override(language):
                self.assertEqual(service_error(services.add_note, actor=self.volunteer, case=self.case,
                                               body="Seen at the airport.", confidential=True),
                                 {"confidential": [expected]})
                self.login_as(self.volunteer)
                response = self.client.post(url("note-list"), {"case": self.case.pk, "body": "Seen at the airport.",
                                                               "confidential": True},
                                            format="json", HTTP_ACCEPT_LANGUAGE=language)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json(), {"confidential": [expected]})
        self.assertEqual(Note.objects.count(), notes)

    def test_the_web_form_offers_a_volunteer_no_confidential_choice(self):
        self.login_as(self.volunteer)
        page = self.client.get(reverse("note_create", args=[self.case.pk]))
        self.assertNotIn("confidential", page.context["form"].fields)
        response = self.client.post(reverse("note_create", args=[self.case.pk]),
                                    {"body": "Seen at the airport.", "confidential": "on"})
        self.assertEqual(response.status_code, 302)
        note = Note.objects.latest("pk")  # the body is encrypted: it cannot be searched
        self.assertEqual((note.body, note.confidential, note.author), ("Seen at the airport.", False, self.volunteer))

    def test_staff_may_write_a_confidential_note_and_it_is_audited(self):
        note = services.add_note(actor=self.owner, case=self.case, body="Family at risk.", confidential=True)
        self.assertTrue(note.confidential)
        entry = AuditEntry.objects.filter(action=Action.CREATE, object_id=str(note.pk)).get()
        self.assertEqual(entry.actor_id, self.owner.pk)

    def test_someone_without_access_cannot_add_a_note(self):
        self.assertRaisesMessage(ValidationError, "You may not add notes to this case.", services.add_note,
                                 actor=self.outsider, case=self.case, body="Hello", confidential=False)


class CaseReferenceRuleTests(ApiTestCase):
    def web_data(self, **overrides):
        return {"organization": self.org.pk, "reference": "MSS-2026-050", "title": "Jo family", "kind": "sponsorship",
                "sponsor_group": self.group_b.pk, "opened_on": "2026-03-02", "household": "",
                "household_reference": "HH-050", "household_name": "Jo family", "family_name": "Jo",
                "given_name": "Ŭn-hye", "family_name_hangul": "", "given_name_hangul": "", **overrides}

    def test_a_taken_reference_gets_the_same_message_from_form_api_and_service(self):
        before = (Case.objects.count(), Household.objects.count(), Person.objects.count())
        for language, expected in (("en", REFERENCE_TAKEN),
                                   ("fr", "Un autre dossier de l'organisme porte déjà cette référence.")):
            with self.subTest(language=language):
                self.login_as(self.owner)
                response = self.client.post(reverse("case_create"), self.web_data(reference=self.case.reference),
                                            HTTP_ACCEPT_LANGUAGE=language)
                self.assertEqual(response.status_code, 200)
                self.assertEqual(response.context["form"].errors["reference"], [expected])
                response = self.client.post(url("case-list"), {
                    "organization": self.org.pk, "household": self.household.pk, "reference": self.case.reference,
                    "kind": "sponsorship"}, format="json", HTTP_ACCEPT_LANGUAGE=language)
                self.assertEqual((response.status_code, response.json()), (400, {"reference": [expected]}))
                with translation.override(language):
                    self.assertEqual(service_error(services.open_case_with_household, actor=self.owner,
                                                   organization=self.org, reference=self.case.reference,
                                                   household=self.household),
                                     {"reference": [expected]})
        # The new household the form named was not left behind by the refused case.
        self.assertEqual((Case.objects.count(), Household.objects.count(), Person.objects.count()), before)

    def test_a_taken_household_reference_lands_on_the_form_field(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("case_create"), self.web_data(household_reference="HH-001"))
        self.assertEqual(response.context["form"].errors["household_reference"], [HOUSEHOLD_REFERENCE_TAKEN])
        self.assertEqual(service_error(services.open_case_with_household, actor=self.owner, organization=self.org,
                                       reference="MSS-2026-051", household_reference="HH-001",
                                       household_name="Jo family", principal={"family_name": "Jo"}),
                         {"household_reference": [HOUSEHOLD_REFERENCE_TAKEN]})
        self.assertFalse(Case.objects.filter(reference="MSS-2026-051").exists())


class OpenCaseWithHouseholdTests(ApiTestCase):
    def test_a_new_household_its_principal_and_the_case_in_one_service(self):
        case = services.open_case_with_household(
            actor=self.colleague, organization=self.org, reference="MSS-2026-060", title="Jo family",
            household_reference="HH-060", household_name="Jo family",
            principal={"family_name": "Jo", "given_name": "Ŭn-hye", "family_name_hangul": "조"})
        household = case.household
        self.assertEqual((household.reference, household.name, household.organization), ("HH-060", "Jo family",
                                                                                           self.org))
        principal = household.members.get()
        self.assertEqual((principal.relationship, principal.family_name, principal.family_name_hangul),
                         ("principal", "Jo", "조"))
        self.assertTrue(CaseAssignment.objects.filter(case=case, user=self.colleague, role="lead").exists())
        created = set(AuditEntry.objects.filter(action=Action.CREATE, actor=self.colleague)
                      .values_list("object_type", flat=True))
        self.assertLessEqual({"cases.case", "people.household", "people.person", "cases.caseassignment"}, created)

    def test_input_rules_are_the_service_s_own(self):
        self.assertEqual(service_error(services.open_case_with_household, actor=self.owner, organization=self.org,
                                       reference="MSS-2026-061", household_name=" ", principal={}),
                         {"household_name": ["Choose an existing household or name the new one."],
                          "family_name": ["Give the principal applicant's name, in Latin letters or Hangul."]})
        self.assertEqual(service_error(services.open_case_with_household, actor=self.owner, organization=self.org,
                                       reference="MSS-2026-061", household=self.other_household),
                         {"household": ["The household belongs to another organization."]})
        self.assertFalse(Case.objects.filter(reference="MSS-2026-061").exists())
