"""The API's one exception handler (haven.api.exceptions) and the ids that can name no record."""
from __future__ import annotations

from unittest import mock

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.test import SimpleTestCase
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework.settings import api_settings

from haven.api.exceptions import exception_handler
from haven.api.tests.base import ApiTestCase, url
from haven.cases import services as case_services
from haven.cases.access import NOT_FOUND
from haven.people import services as people_services
from haven.records import EditConflict

HUGE_IDS = (str(2**63), str(2**64), "9" * 30)


class ExceptionHandlerTests(SimpleTestCase):
    def answer(self, exc: Exception):
        response = exception_handler(exc, {})
        self.assertIsNotNone(response, exc)
        return response

    def test_is_the_registered_handler(self):
        self.assertIs(api_settings.EXCEPTION_HANDLER, exception_handler)

    def test_a_validation_error_by_field_answers_400_with_messages_by_field(self):
        response = self.answer(ValidationError({
            "closed_on": "A closed case needs the date it was closed.",
            "sponsor_group": ["Choose a sponsor group, not a staff team.", "Another reason."],
            NON_FIELD_ERRORS: ["Closing and reopening on the same day."]}))
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.data, {
            "closed_on": ["A closed case needs the date it was closed."],
            "sponsor_group": ["Choose a sponsor group, not a staff team.", "Another reason."],
            "non_field_errors": ["Closing and reopening on the same day."]})

    def test_a_validation_error_about_no_field_is_a_non_field_error(self):
        for error, messages in ((ValidationError("No active user has this exact username."),
                                 ["No active user has this exact username."]),
                                (ValidationError(["First.", "Second."]), ["First.", "Second."])):
            with self.subTest(messages=messages):
                response = self.answer(error)
                self.assertEqual(response.status_code, 400)
                self.assertEqual(response.data, {"non_field_errors": messages})

    def test_messages_are_in_the_language_of_the_request(self):
        with translation.override("fr"):
            response = self.answer(ValidationError({"case": _("This field is required.")}))
        self.assertEqual(response.data, {"case": ["Ce champ est obligatoire."]})

    def test_an_edit_conflict_answers_412_precondition_failed(self):
        response = self.answer(EditConflict(current=None, expected_version=3))
        self.assertEqual(response.status_code, 412)
        self.assertEqual(response.data, {"detail": str(EditConflict.message)})
        self.assertEqual(response.data["detail"].code, "edit_conflict")

    def test_http404_answers_404_with_its_message(self):
        response = self.answer(Http404(NOT_FOUND))
        self.assertEqual((response.status_code, response.data), (404, {"detail": NOT_FOUND}))

    def test_other_exceptions_are_left_to_django(self):
        self.assertIsNone(exception_handler(RuntimeError("bug"), {}))


class HandlerThroughTheViewsTests(ApiTestCase):
    def test_a_service_validation_error_answers_400_with_its_messages(self):
        self.login_as(self.owner)
        refusal = ValidationError({"name": "Another household has this name.", NON_FIELD_ERRORS: "Not now."})
        with mock.patch.object(people_services, "update_household", side_effect=refusal) as update_household:
            response = self.client.patch(url("household-detail", self.household.pk), {"name": "Ri"}, format="json")
        update_household.assert_called_once()
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"name": ["Another household has this name."],
                                           "non_field_errors": ["Not now."]})

    def test_an_edit_conflict_in_a_service_answers_412(self):
        self.login_as(self.owner)
        conflict = EditConflict(current=self.case, expected_version=1)
        with mock.patch.object(case_services, "update_case", side_effect=conflict) as update_case:
            response = self.client.patch(url("case-detail", self.case.pk), {"title": "Renamed"}, format="json")
        update_case.assert_called_once()
        self.assertEqual(response.status_code, 412)
        # The stored version, to read again and reapply the change (haven.api.versions).
        self.assertEqual(response.json(), {"detail": str(EditConflict.message), "current_version": self.case.version})
        self.assertEqual(response["ETag"], f'"case-{self.case.pk}-v{self.case.version}"')


class IdsThatNameNoRecordTests(ApiTestCase):
    """An id beyond the 64-bit range of the primary keys, or not a number, answers 404 as a missing record does,
    never 500."""

    def test_detail_routes(self):
        routes = [("get", "case-detail"), ("patch", "case-detail"), ("get", "household-detail"),
                  ("patch", "household-detail"), ("get", "person-detail"), ("patch", "person-detail"),
                  ("get", "note-detail"), ("patch", "note-detail"), ("delete", "note-detail"),
                  ("get", "attachment-detail"), ("delete", "attachment-detail"), ("get", "attachment-download")]
        for method, name in routes:
            for pk in (*HUGE_IDS, "-1", "0", "x1"):
                with self.subTest(method=method, route=name, pk=pk):
                    self.assert_hidden(self.owner, url(name, pk), method, data={})

    def test_restore_routes(self):
        for name in ("note-restore", "attachment-restore"):
            for pk in HUGE_IDS:
                with self.subTest(route=name, pk=pk):
                    self.assert_hidden(self.admin, url(name, pk), "post")

    def test_case_named_in_a_list_or_a_new_record(self):
        for pk in HUGE_IDS:
            with self.subTest(pk=pk):
                self.assert_hidden(self.owner, url("note-list", case=pk))
                self.assert_hidden(self.owner, url("attachment-list", case=pk))
