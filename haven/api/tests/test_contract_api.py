"""What schemathesis found (issue 14; tests/test_api_schemathesis.py runs it over every operation), one test each,
so a regression names itself: answers the schema did not document, invalid input accepted, valid input refused."""
from __future__ import annotations

from drf_spectacular.generators import SchemaGenerator

from haven.api.tests.base import ApiTestCase, url
from haven.settlement.models import Goal
from haven.settlement.testing import maple_settlement

CONTROL_MESSAGE = "Remove the control character U+0085 from this text."


class ContractTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        maple_settlement(cls)

    def test_an_unknown_api_url_answers_json_404(self):
        self.login_as(self.owner)
        response = self.client.get("/api/v1/notes/-1.5/")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json(), {"detail": "Not found."})

    def test_a_malformed_page_number_is_refused_not_read_as_the_first_page(self):
        self.login_as(self.owner)
        for page in ("", "abc", "0", "-3", "1e3", "99999999999"):
            with self.subTest(page=page):
                response = self.client.get(url("case-list", page=page))
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.json(), {"page": ["Enter a page number: a whole number from 1."]})
        self.assertEqual(self.client.get(url("case-list", page=7)).status_code, 404)  # past the last
        self.assertEqual(self.client.get(url("case-list", page=1)).status_code, 200)

    def test_settlement_text_with_a_control_character_is_refused_and_not_stored(self):
        self.login_as(self.owner)
        before = Goal.objects.count()
        response = self.client.post(url("goal-list"), {"case": self.case.pk, "domain": "housing",
                                                       "description": "Flat\x85near school"}, format="json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"description": [CONTROL_MESSAGE]})
        self.assertEqual(Goal.objects.count(), before)

    def test_search_text_refuses_control_characters_with_the_one_message(self):
        self.login_as(self.owner)
        response = self.client.get(url("person-list", q="Ri\x00"))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"q": ["Remove the control character U+0000 from this text."]})

    def test_the_schema_documents_what_every_operation_may_answer(self):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        for path, methods in schema["paths"].items():
            for method, operation in methods.items():
                with self.subTest(operation=f"{method.upper()} {path}"):
                    self.assertIn("403", operation["responses"])
                    if operation.get("parameters") or "requestBody" in operation:
                        self.assertLessEqual({"400", "404"}, set(operation["responses"]))
                    if "requestBody" in operation:
                        self.assertIn("415", operation["responses"])
        amount = schema["components"]["schemas"]["DonationCreateRequest"]["properties"]["amount"]
        self.assertNotRegex("", amount["pattern"])
        goal = schema["components"]["schemas"]["GoalCreateRequest"]["properties"]["description"]
        self.assertIn("pattern", goal)
