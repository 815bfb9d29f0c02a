"""Operations (issue 14): /healthz checks the database; every response carries a request id, and log lines are
JSON objects that carry it too."""
from __future__ import annotations

import io
import json
import logging
from unittest import mock

from django.db import OperationalError
from django.test import TestCase

from haven.web.requestlog import JsonFormatter, RequestIdFilter


class HealthTests(TestCase):
    def test_healthy_when_the_database_answers(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json(), {"status": "ok", "database": "ok"})
        self.assertIn("no-cache", response["Cache-Control"])

    def test_503_when_the_database_does_not_answer(self):
        with mock.patch("haven.web.health.connection.cursor", side_effect=OperationalError("connection refused")):
            with self.assertLogs("haven.health", "ERROR"):
                response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json(), {"status": "unavailable", "database": "unavailable"})
        self.assertNotIn("refused", response.content.decode())


class RequestIdTests(TestCase):
    def test_a_plain_request_id_is_kept_and_echoed(self):
        response = self.client.get("/healthz", headers={"X-Request-ID": "lb-7f3a:42"})
        self.assertEqual(response["X-Request-ID"], "lb-7f3a:42")

    def test_a_missing_or_unsafe_request_id_is_replaced_by_a_new_one(self):
        ids = set()
        for offered in ("", 'x" "level": "CRITICAL', "a" * 65, "line\nbreak"):
            response = self.client.get("/healthz", headers={"X-Request-ID": offered} if offered else {})
            self.assertRegex(response["X-Request-ID"], r"^[0-9a-f]{32}$")
            ids.add(response["X-Request-ID"])
        self.assertEqual(len(ids), 4)

    def test_log_lines_are_json_with_the_request_id(self):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.addFilter(RequestIdFilter())
        handler.setFormatter(JsonFormatter())
        logger = logging.getLogger("haven.health")
        logger.addHandler(handler)
        self.addCleanup(logger.removeHandler, handler)
        with mock.patch("haven.web.health.connection.cursor", side_effect=OperationalError("down")):
            self.client.get("/healthz", headers={"X-Request-ID": "req-1"})
        line = json.loads(stream.getvalue().splitlines()[0])
        self.assertEqual((line["level"], line["logger"], line["request_id"]), ("ERROR", "haven.health", "req-1"))
        self.assertEqual(line["message"], "health check: the database does not answer")
        self.assertIn("OperationalError: down", line["exception"])
