"""The OpenAPI schema: generated without warnings, public, and every operation in it is tested."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

import yaml
from django.core.management import call_command
from django.test import SimpleTestCase, TestCase
from django.urls import resolve
from drf_spectacular.generators import SchemaGenerator

from haven.api.urls import router

TEST_DIR = Path(__file__).parent
CALL = re.compile(r"""\.(get|post|patch|put|delete)\(\s*url\(\s*"([a-z-]+)\"""")


def operations_the_tests_call() -> set[tuple[str, str]]:
    """(method, route name) of every request the API tests make with `client.<method>(url("<name>" ...`."""
    found: set[tuple[str, str]] = set()
    for path in TEST_DIR.glob("test_*.py"):
        found |= {(method, name) for method, name in CALL.findall(path.read_text(encoding="utf-8"))}
    return found


def schema_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = set()
    for path, item in schema["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        match = resolve(re.sub(r"\{[^}]+\}", "1", path))
        for method in item:
            operations.add((method, match.url_name))
    return operations


class SchemaGenerationTests(SimpleTestCase):
    def test_schema_validates_without_warnings(self):
        with tempfile.TemporaryDirectory() as tmp:
            target = Path(tmp) / "schema.yaml"
            call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
            schema = yaml.safe_load(target.read_text(encoding="utf-8"))
        self.assertIn("/api/v1/cases/", schema["paths"])
        self.assertNotIn("delete", schema["paths"]["/api/v1/cases/{id}/"])
        # Volunteers get a person without these two sections: the schema must not promise them.
        person = schema["components"]["schemas"]["PersonDetail"]
        self.assertIn("vulnerabilities", person["properties"])
        self.assertNotIn("vulnerabilities", person["required"])
        self.assertNotIn("documents", person["required"])
        self.assertEqual(set(schema["paths"]["/api/v1/attachments/{id}/download/"]["get"]["responses"]["200"]
                             ["content"]), {"application/octet-stream"})

    def test_every_schema_operation_is_exercised_by_the_tests(self):
        operations = schema_operations()
        self.assertGreaterEqual(len(operations), 20)
        missing = operations - operations_the_tests_call()
        self.assertEqual(missing, set(), "schema operations without a test request in haven/api/tests")

    def test_every_router_route_is_named_in_the_tests(self):
        names = {pattern.name for pattern in router.urls}
        used = {name for _, name in operations_the_tests_call()}
        self.assertEqual(names - used, set())


class PublicSchemaTests(TestCase):
    def test_schema_and_docs_need_no_login(self):
        response = self.client.get("/api/schema/")
        self.assertEqual(response.status_code, 200)
        self.assertIn(b"/api/v1/cases/", response.content)
        for path in ("/api/docs/", "/api/redoc/"):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 200)
                self.assertNotIn(b"cdn.jsdelivr.net", response.content)
