"""Authentication on every API route: anonymous callers are refused, tokens work, and a session
of a user who must use two-factor authentication has to be verified."""
from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.urls import resolve
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient, APIRequestFactory

from haven.accounts.models import User
from haven.api.tests.base import ApiTestCase, url
from haven.api.views import ApiRootView, CaseViewSet
from haven.cases.models import Note


class ApiAuthenticationTests(ApiTestCase):
    def requests(self):
        """(method, url) for every operation of the API."""
        case, note, attachment = self.case.pk, self.open_note.pk, self.attachment.pk
        return [
            ("get", url("api-root")),
            ("get", url("case-list")), ("post", url("case-list")),
            ("get", url("case-detail", case)), ("patch", url("case-detail", case)),
            ("get", url("household-list")), ("post", url("household-list")),
            ("get", url("household-detail", self.household.pk)), ("patch", url("household-detail", self.household.pk)),
            ("get", url("person-list")), ("post", url("person-list")),
            ("get", url("person-detail", self.person.pk)), ("patch", url("person-detail", self.person.pk)),
            ("get", url("note-list", case=case)), ("post", url("note-list")),
            ("get", url("note-detail", note)), ("patch", url("note-detail", note)),
            ("delete", url("note-detail", note)),
            ("get", url("attachment-list", case=case)), ("post", url("attachment-list")),
            ("get", url("attachment-detail", attachment)), ("delete", url("attachment-detail", attachment)),
            ("get", url("attachment-download", attachment)),
        ]

    def test_anonymous_callers_are_refused_everywhere(self):
        client = APIClient()
        for method, path in self.requests():
            with self.subTest(method=method, path=path):
                response = getattr(client, method)(path)
                self.assertIn(response.status_code, (401, 403))
                self.assertNotIn(b"MSS-2026-001", response.content)
        self.assertTrue(Note.objects.filter(pk=self.open_note.pk).exists())

    def test_token_authentication(self):
        client = self.token_client(self.owner)
        ids = self.ids(client.get(url("case-list")))
        self.assertEqual(ids, [self.case.pk])
        response = client.post(url("note-list"), {"case": self.case.pk, "body": "By token."}, format="json")
        self.assertEqual(response.status_code, 201)
        self.assertEqual(Note.objects.get(pk=response.json()["id"]).author, self.owner)
        bad = APIClient()
        bad.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
        response = bad.get(url("case-list"))
        self.assertEqual(response.status_code, 403)  # 403 rather than 401: the session scheme comes first
        self.assertEqual(response.json(), {"detail": "Invalid token."})

    def test_token_does_not_widen_access(self):
        client = self.token_client(self.outsider)
        self.assertEqual(client.get(url("case-detail", self.case.pk)).status_code, 404)
        self.assertEqual(self.ids(client.get(url("case-list"))), [self.other_case.pk])

    def test_unverified_administrator_session_is_refused_everywhere(self):
        self.client.force_login(self.admin)  # signed in, second factor not verified
        for method, path in self.requests():
            with self.subTest(method=method, path=path):
                response = getattr(self.client, method)(path)
                self.assertEqual(response.status_code, 403)
                self.assertIn("Two-factor", response.json()["detail"])
                self.assertNotIn(b"MSS-2026-001", response.content)
        self.assertTrue(Note.objects.filter(pk=self.open_note.pk).exists())

    def test_verified_administrator_session_and_administrator_token_pass(self):
        self.login_as(self.admin)
        self.assertEqual(self.ids(self.client.get(url("case-list"))), [self.case.pk])
        self.assertEqual(self.client.get(url("case-detail", self.case.pk)).status_code, 200)
        client = self.token_client(self.admin)
        self.assertEqual(client.get(url("case-detail", self.case.pk)).status_code, 200)

    def test_two_factor_roles_follow_the_setting(self):
        with self.settings(HAVEN_2FA_REQUIRED_ROLES=["admin", "caseworker"]):
            self.client.force_login(self.owner)
            self.assertEqual(self.client.get(url("case-list")).status_code, 403)
            self.assertEqual(self.token_client(self.owner).get(url("case-list")).status_code, 200)

    def test_api_root_lists_the_endpoints(self):
        self.login_as(self.volunteer)
        response = self.client.get(url("api-root"))
        self.assertEqual(response.status_code, 200)
        funds = {f"funds/{name}" for name in ("campaigns", "donors", "pledges", "donations", "receipts", "trusts",
                                               "allocations", "disbursements")}
        self.assertEqual(set(response.json()), {"cases", "households", "persons", "notes", "attachments",
                                                "sponsorship/sponsors", "sponsorship/applications",
                                                "assessments", "goals", "referrals", "milestones", "providers",
                                                "tasks", "appointments", "claims", "deadlines"} | funds)

    def test_browsable_api_renders_for_a_signed_in_user(self):
        self.login_as(self.owner)
        response = self.client.get(url("case-list"), HTTP_ACCEPT="text/html")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "MSS-2026-001")


class TwoFactorPermissionTests(ApiTestCase):
    """The permission class itself, without the two-factor middleware in front of it."""

    def call(self, *, verified: bool, token: bool = False, view=None):
        headers = {}
        if token:
            key = Token.objects.get_or_create(user=self.admin)[0].key
            headers["HTTP_AUTHORIZATION"] = f"Token {key}"
        request = APIRequestFactory().get("/api/v1/", **headers)
        request.resolver_match = resolve("/api/v1/")
        if token:
            request.user = AnonymousUser()  # no session: DRF's token authentication finds the user
        else:
            admin = User.objects.get(pk=self.admin.pk)
            admin.is_verified = lambda: verified
            request.user = admin  # what the authentication and OTP middleware set for a session
        view = view or CaseViewSet.as_view({"get": "list"})
        return view(request)

    def test_unverified_session_is_refused(self):
        response = self.call(verified=False)
        self.assertEqual(response.status_code, 403)
        self.assertIn("Two-factor verification is required", str(response.data["detail"]))

    def test_verified_session_passes(self):
        response = self.call(verified=True)
        self.assertEqual(response.status_code, 200)
        self.assertEqual([row["id"] for row in response.data["results"]], [self.case.pk])

    def test_token_passes_without_a_verified_session(self):
        response = self.call(verified=False, token=True)
        self.assertEqual(response.status_code, 200)

    def test_api_root_applies_it_too(self):
        root = ApiRootView.as_view(api_root_dict={"cases": "case-list"})
        self.assertEqual(self.call(verified=False, view=root).status_code, 403)
        self.assertEqual(self.call(verified=True, view=root).status_code, 200)
