"""Edit versions over the API: detail reads send an ETag, a write with a stale If-Match answers 412 and saves
nothing, a matching one saves, and a write without If-Match works as before (haven.api.versions)."""
from __future__ import annotations

from haven.api.tests.base import ApiTestCase, url
from haven.audit.models import Action, AuditEntry
from haven.cases.models import Case, Note
from haven.people.models import Household, Person


class PersonVersionTests(ApiTestCase):
    def setUp(self):
        self.login_as(self.owner)
        self.detail = url("person-detail", self.person.pk)

    def etag(self) -> str:
        response = self.client.get(self.detail)
        self.assertEqual(response.status_code, 200)
        return response["ETag"]

    def test_the_detail_read_names_the_version(self):
        self.assertEqual(self.etag(), f'"person-{self.person.pk}-v1"')

    def test_two_clients_the_second_with_the_stale_tag_gets_412_and_saves_nothing(self):
        tag = self.etag()
        second = self.token_client(self.colleague)
        self.assertEqual(second.get(self.detail)["ETag"], tag)

        first = self.client.patch(self.detail, {"birth_place": "Hyesan"}, format="json", HTTP_IF_MATCH=tag)
        self.assertEqual(first.status_code, 200, first.content)
        self.assertEqual(first["ETag"], f'"person-{self.person.pk}-v2"')

        updates = AuditEntry.objects.filter(action=Action.UPDATE, object_type="people.person").count()
        stale = second.patch(self.detail, {"given_name": "Myong-chol"}, format="json", HTTP_IF_MATCH=tag)
        self.assertEqual(stale.status_code, 412, stale.content)
        self.assertEqual(stale.json()["current_version"], 2)
        self.assertEqual(stale["ETag"], f'"person-{self.person.pk}-v2"')
        person = Person.objects.get(pk=self.person.pk)
        self.assertEqual((person.given_name, person.birth_place, person.version), ("Myŏng-ch'ŏl", "Hyesan", 2))
        self.assertEqual(AuditEntry.objects.filter(action=Action.UPDATE, object_type="people.person").count(),
                         updates)

        fresh = second.patch(self.detail, {"given_name": "Myong-chol"}, format="json",
                             HTTP_IF_MATCH=second.get(self.detail)["ETag"])
        self.assertEqual(fresh.status_code, 200, fresh.content)
        person.refresh_from_db()
        self.assertEqual((person.given_name, person.birth_place, person.version), ("Myong-chol", "Hyesan", 3))

    def test_without_if_match_the_write_is_unchecked_as_before(self):
        self.client.patch(self.detail, {"birth_place": "Hyesan"}, format="json")
        response = self.client.patch(self.detail, {"given_name": "Myong-chol"}, format="json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(Person.objects.get(pk=self.person.pk).version, 3)

    def test_a_tag_of_another_record_or_a_weak_tag_never_matches(self):
        for header in (f'"person-{self.child.pk}-v1"', f'W/"person-{self.person.pk}-v1"', '"1"', "garbage"):
            with self.subTest(header=header):
                response = self.client.patch(self.detail, {"birth_place": "Hyesan"}, format="json",
                                             HTTP_IF_MATCH=header)
                self.assertEqual(response.status_code, 412)
        self.assertEqual(Person.objects.get(pk=self.person.pk).birth_place, "")

    def test_any_version_and_a_list_holding_the_current_one_match(self):
        self.assertEqual(self.client.patch(self.detail, {"birth_place": "Hyesan"}, format="json",
                                           HTTP_IF_MATCH="*").status_code, 200)
        listed = f'"person-{self.person.pk}-v1", "person-{self.person.pk}-v2"'
        self.assertEqual(self.client.patch(self.detail, {"birth_place": "Kimchaek"}, format="json",
                                           HTTP_IF_MATCH=listed).status_code, 200)
        self.assertEqual(Person.objects.get(pk=self.person.pk).version, 3)

    def test_an_outsider_still_gets_404_whatever_the_tag(self):
        self.login_as(self.outsider)
        response = self.client.patch(self.detail, {"birth_place": "Hyesan"}, format="json", HTTP_IF_MATCH='"x"')
        self.assertEqual(response.status_code, 404)


class OtherRecordVersionTests(ApiTestCase):
    def setUp(self):
        self.login_as(self.owner)

    def check(self, name: str, obj, change: dict, model):
        detail = url(name, obj.pk)
        tag = self.client.get(detail)["ETag"]
        self.assertEqual(tag, f'"{model._meta.model_name}-{obj.pk}-v1"')
        self.assertEqual(self.client.patch(detail, change, format="json", HTTP_IF_MATCH=tag).status_code, 200)
        self.assertEqual(self.client.patch(detail, change, format="json", HTTP_IF_MATCH=tag).status_code, 412)
        self.assertEqual(model._base_manager.get(pk=obj.pk).version, 2)

    def test_case(self):
        self.check("case-detail", self.case, {"title": "Ri family, 2026"}, Case)

    def test_household(self):
        self.check("household-detail", self.household, {"name": "Ri household"}, Household)

    def test_household_stale_tag_with_nothing_to_change(self):
        detail = url("household-detail", self.household.pk)
        self.client.patch(detail, {"name": "Ri household"}, format="json")
        response = self.client.patch(detail, {}, format="json", HTTP_IF_MATCH=f'"household-{self.household.pk}-v1"')
        self.assertEqual(response.status_code, 412)

    def test_note(self):
        self.check("note-detail", self.note, {"body": "Rewritten."}, Note)

    def test_attachments_carry_no_version(self):
        response = self.client.get(url("attachment-detail", self.attachment.pk))
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("ETag", response)


class SchemaTests(ApiTestCase):
    def test_the_schema_documents_if_match_and_412(self):
        from drf_spectacular.generators import SchemaGenerator

        schema = SchemaGenerator().get_schema(request=None, public=True)
        for path in ("/api/v1/persons/{id}/", "/api/v1/cases/{id}/", "/api/v1/households/{id}/",
                     "/api/v1/notes/{id}/"):
            with self.subTest(path=path):
                patch = schema["paths"][path]["patch"]
                self.assertIn("If-Match", [p["name"] for p in patch["parameters"] if p["in"] == "header"])
                self.assertIn("412", patch["responses"])
                self.assertIn("ETag", schema["paths"][path]["get"]["responses"]["200"]["headers"])
