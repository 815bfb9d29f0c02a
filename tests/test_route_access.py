"""Every URL pattern of the project has an access test here.

The test walks the project's resolver (every `path()`/`re_path()`, through
every `include()`, including the REST router's routes and their format-suffix
variants) and looks each route up in ROUTES. A route with no entry fails
`test_every_route_has_an_access_test`: whoever adds a view adds a line here
saying how to fill its URL with the personas' objects and who may open it.

What each kind of entry proves, for every HTTP method listed in the entry:

- PUBLIC routes (login, health check, language switch, API schema and docs,
  the token-protected calendar feed): anyone may call them; they never answer
  5xx and never show a record of the Maple case.
- SIGNED_IN routes (lists, dashboards, creation forms, exports): anonymous
  callers are sent to the login page (web) or get 401/403 (API); the outsider,
  the other group's volunteer and the analyst may open them but never see the
  Maple case's reference or its people's names.
- OBJECT routes (anything addressing a record of the Maple case): anonymous
  callers as above; the outsider (a caseworker of an unrelated clinic) and the
  volunteer of another sponsor group get 404, exactly as for a missing record;
  the analyst gets 403 or 404. The volunteer of the case's own group never
  sees a confidential note or a vulnerability on any route.
- STAFF routes (pages for the staff of an organization, such as the duplicate
  review queue): anonymous callers as above; volunteers of either group and the
  analyst get 404, as for a page that does not exist; the outsider (staff of
  another organization) may open them but only ever sees their own
  organization's records, never the Maple case's.

Each entry also states what its positive control (the case's own caseworker
by default, or the administrator) receives, so that a wrong URL filling
(which would make every persona get 404) cannot pass silently.

Rule for Django's admin: routes under `admin/` are served by
`django.contrib.admin`, whose views are all wrapped in `AdminSite.admin_view`
(login as `is_staff` required). They are not listed in ROUTES; instead
`test_admin_routes_require_staff` requests every one of them anonymously and
as a non-staff caseworker and expects a redirect to the admin login.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from haven.testing.personas import PersonaTestCase

PUBLIC = "public"
SIGNED_IN = "signed_in"
OBJECT = "object"
STAFF = "staff"
# Personas who are nobody's staff: STAFF routes answer them 404.
NOT_STAFF = ("volunteer", "other_volunteer", "analyst")

# Strings only someone allowed to see the Maple case may ever receive: its
# reference and title, and its people's names (specific enough not to occur
# in help texts or the API description, which mention "Myŏng" and "Ri family").
MAPLE_MARKERS = ("MSS-2026-001", "Ri family sponsorship", "Myŏng-ch", "명철", "Su-a", "수아")
# Strings the Maple volunteer (group A) may never receive: the confidential
# note's body and the vulnerability's details.
CONFIDENTIAL_MARKERS = ("Hyesan", "Disclosed at intake")


def no_kwargs(t) -> dict[str, Any]:
    return {}


SAFE_METHODS = ("get", "head", "options")


@dataclass(frozen=True)
class Access:
    """How to reach one route and what each persona must get."""

    scope: str
    kwargs: Callable[[Any], dict[str, Any]] = no_kwargs
    methods: tuple[str, ...] = ("get",)
    # Statuses the positive control gets for the first method.
    expect: tuple[int, ...] = (200,)
    control: str = "owner"
    # The route changes the record (edit and delete forms, add/remove): the read-only
    # volunteer of the case's group must get 403/404 on it, unless volunteer_writes.
    write: bool = False
    volunteer_writes: bool = False
    # Personas (beyond the strangers) that must get 403/404 on every method.
    denied: tuple[str, ...] = ()
    # Request body for unsafe methods (a callable of the test case).
    data: Callable[[Any], dict[str, Any]] = no_kwargs
    # For PUBLIC routes: statuses an anonymous caller may get.
    anonymous: tuple[int, ...] = (200, 204, 301, 302, 400, 404, 405)
    # Query string appended to the URL (a callable of the test case), e.g. the API's ?case=ID.
    query: Callable[[Any], str] = lambda t: ""


def pk_of(attribute: str) -> Callable[[Any], dict[str, Any]]:
    return lambda t: {"pk": getattr(t, attribute).pk}


def item_of(section: str) -> Callable[[Any], dict[str, Any]]:
    """A person-page sub-item (names, nationalities, ...) of the Maple principal applicant."""
    return lambda t: {"pk": t.person.pk, "item_pk": getattr(t, f"{section}_item").pk}


def matching_kwargs(kind: str) -> Callable[[Any], dict[str, Any]]:
    """The Maple duplicate candidate or merge record (created in RouteAccessTests.setUpTestData)."""
    return lambda t: {"pk": getattr(t, f"maple_{kind}").pk}


def claim_kwargs(kind: str) -> Callable[[Any], dict[str, Any]]:
    """The Maple case's claim and its records (haven.claims.testing), created on first use."""

    def fill(t):
        from haven.claims import testing

        return {"pk": {"claim": testing.maple_claim, "event": testing.maple_event,
                       "evidence": testing.maple_evidence}[kind](t).pk}
    return fill


def claim_step_data(t, **fields) -> dict[str, Any]:
    """A correction or removal form for the Maple claim's last step, with the step's current version."""
    from haven.claims import services, testing

    event = testing.maple_event(t)
    return {"occurred_on": event.occurred_on.isoformat(), "version": services.event_version(event), **fields}


def colleague_membership(t):
    from haven.accounts.models import Membership

    return Membership.objects.get(user=t.colleague, organization=t.org)


ORGANIZATION = pk_of("org")
COLLEAGUE_MEMBERSHIP = lambda t: {"pk": t.org.pk, "item_pk": colleague_membership(t).pk}  # noqa: E731
MAPLE_NOT_ADMIN = ("owner", "colleague", "volunteer")
CASE = pk_of("case")
PERSON = pk_of("person")
HOUSEHOLD = pk_of("household")
NOTE = pk_of("note")
OPEN_NOTE = pk_of("open_note")
ATTACHMENT = pk_of("attachment")
API_DETAIL = ("get", "patch", "delete")


# Route name (namespaced as `namespace:name`) or, for an unnamed route, its
# full pattern → how to test it.
ROUTES: dict[str, Access] = {
    # Public: infrastructure, language switch, sign-in and the API's description.
    "healthz": Access(PUBLIC),
    "set_language": Access(PUBLIC, methods=("get", "post"), expect=(302,), data=lambda t: {"language": "ko"}),
    "api-schema": Access(PUBLIC),
    "api-docs": Access(PUBLIC),
    "api-redoc": Access(PUBLIC),
    "login": Access(PUBLIC, methods=("get", "post"), expect=(302,)),  # a signed-in user is sent on
    "logout": Access(PUBLIC, methods=("post",), expect=(302,)),
    # The signed-in user's own account: no record id in any of these URLs.
    "two_factor": Access(SIGNED_IN, methods=("get", "post"), expect=(200,)),
    "account": Access(SIGNED_IN),
    "account_language": Access(SIGNED_IN, methods=("post",), expect=(200, 302, 400),
                               data=lambda t: {"preferred_language": "fr"}),
    "account_token": Access(SIGNED_IN, methods=("post",), expect=(200, 302, 400)),
    "account_password": Access(SIGNED_IN, methods=("post",), expect=(200, 302, 400)),
    # The members of Maple, for Maple's administrators only: its other staff get 404 like everyone else.
    "organization_members": Access(OBJECT, ORGANIZATION, control="admin", denied=MAPLE_NOT_ADMIN),
    "member_add": Access(OBJECT, ORGANIZATION, methods=("post",), control="admin", write=True,
                         denied=MAPLE_NOT_ADMIN, data=lambda t: {"username": "new-member@maple.test",
                                                                 "role": "caseworker"}),
    "member_update": Access(OBJECT, COLLEAGUE_MEMBERSHIP, methods=("post",), expect=(302,), control="admin",
                            write=True, denied=MAPLE_NOT_ADMIN,
                            data=lambda t: {f"m{colleague_membership(t).pk}-role": "legal_rep"}),
    "member_remove": Access(OBJECT, COLLEAGUE_MEMBERSHIP, methods=("post",), expect=(302,), control="admin",
                            write=True, denied=MAPLE_NOT_ADMIN),
    "member_password_reset": Access(OBJECT, COLLEAGUE_MEMBERSHIP, methods=("post",), control="admin", write=True,
                                    denied=MAPLE_NOT_ADMIN),
    "account_two_factor_remove": Access(SIGNED_IN, methods=("post",), expect=(200, 302, 400, 403)),
    # Lists, dashboards and creation forms: open to signed-in users, scoped to what they may see.
    "dashboard": Access(SIGNED_IN),
    "case_list": Access(SIGNED_IN),
    "case_create": Access(SIGNED_IN, methods=("get", "post")),
    "people_import": Access(SIGNED_IN, methods=("get", "post"), expect=(200,), denied=("volunteer", "analyst")),
    "people_import_template": Access(SIGNED_IN, denied=("volunteer", "analyst")),
    "api-root": Access(SIGNED_IN),
    # The case list as CSV (the same search and filters): only cases the caller may see.
    "case_export": Access(SIGNED_IN, query=lambda t: "?format=csv"),
    "case-list": Access(SIGNED_IN, methods=("get", "post"), expect=(200,)),
    "household-list": Access(SIGNED_IN, methods=("get", "post"), expect=(200,)),
    "person-list": Access(SIGNED_IN, methods=("get", "post"), expect=(200,)),
    # Notes and attachments are listed per case (?case=ID): the case is the record addressed.
    "note-list": Access(OBJECT, methods=("get", "post"), query=lambda t: f"?case={t.case.pk}",
                        volunteer_writes=True,
                        data=lambda t: {"case": t.case.pk, "body": "Route access check.", "confidential": False}),
    "attachment-list": Access(OBJECT, methods=("get",), query=lambda t: f"?case={t.case.pk}"),
    # Statistics: aggregates only (analysts included); never a name or a reference.
    "stats_outcomes": Access(SIGNED_IN),
    "stats_published": Access(SIGNED_IN),
    "stats_quality": Access(SIGNED_IN),
    "stats_export": Access(SIGNED_IN, kwargs=lambda t: {"key": "data_quality", "fmt": "csv"}),
    # Records of the Maple case (web).
    "case_detail": Access(OBJECT, CASE),
    "case_edit": Access(OBJECT, CASE, methods=("get", "post"), write=True),
    "assignment_add": Access(OBJECT, CASE, methods=("post",), expect=(200, 302), write=True,
                             data=lambda t: {"username": t.outsider.username, "role": "counsel"}),
    "assignment_remove": Access(OBJECT, lambda t: {"pk": t.case.pk,
                                                   "item_pk": t.case.assignments.get(user=t.counsel).pk},
                                methods=("post",), expect=(302,), write=True),
    "note_create": Access(OBJECT, CASE, methods=("get", "post"), write=True, volunteer_writes=True),
    "note_edit": Access(OBJECT, NOTE, methods=("get", "post"), write=True, denied=("volunteer",)),
    "note_delete": Access(OBJECT, NOTE, methods=("get", "post"), write=True, denied=("volunteer",)),
    "attachment_upload": Access(OBJECT, CASE, methods=("get", "post"), write=True),
    "attachment_download": Access(OBJECT, ATTACHMENT, denied=("volunteer",)),
    "attachment_delete": Access(OBJECT, ATTACHMENT, methods=("get", "post"), write=True, denied=("volunteer",)),
    # Restoring from the deleted items: the case organization's administrators only.
    "note_restore": Access(OBJECT, NOTE, methods=("post",), expect=(302,), control="admin", write=True,
                           denied=MAPLE_NOT_ADMIN + ("counsel",)),
    "attachment_restore": Access(OBJECT, ATTACHMENT, methods=("post",), expect=(302,), control="admin", write=True,
                                 denied=MAPLE_NOT_ADMIN + ("counsel",)),
    "household_detail": Access(OBJECT, HOUSEHOLD),
    "household_edit": Access(OBJECT, HOUSEHOLD, methods=("get", "post"), write=True),
    "person_create": Access(OBJECT, HOUSEHOLD, methods=("get", "post"), write=True),
    "person_detail": Access(OBJECT, PERSON),
    "person_edit": Access(OBJECT, PERSON, methods=("get", "post"), write=True),
    "person_name_add": Access(OBJECT, PERSON, methods=("post",), expect=(200, 302, 400), write=True),
    "person_name_remove": Access(OBJECT, item_of("names"), methods=("post",), expect=(200, 302), write=True),
    "nationality_add": Access(OBJECT, PERSON, methods=("post",), expect=(200, 302, 400), write=True),
    "nationality_remove": Access(OBJECT, item_of("nationalities"), methods=("post",), expect=(200, 302),
                                 write=True),
    "nationality_edit": Access(OBJECT, item_of("nationalities"), methods=("post",), expect=(200, 302, 400),
                               write=True, data=lambda t: {"status": "claimable", "note": "Route access check."}),
    "language_add": Access(OBJECT, PERSON, methods=("post",), expect=(200, 302, 400), write=True),
    "language_remove": Access(OBJECT, item_of("languages"), methods=("post",), expect=(200, 302), write=True),
    "vulnerability_add": Access(OBJECT, PERSON, methods=("post",), expect=(200, 302, 400), write=True,
                                denied=("volunteer",)),
    "vulnerability_remove": Access(OBJECT, item_of("vulnerabilities"), methods=("post",), expect=(200, 302),
                                   write=True, denied=("volunteer",)),
    "document_add": Access(OBJECT, PERSON, methods=("post",), expect=(200, 302, 400), write=True,
                           denied=("volunteer",)),
    "document_remove": Access(OBJECT, item_of("documents"), methods=("post",), expect=(200, 302), write=True,
                              denied=("volunteer",)),
    "vulnerability_restore": Access(OBJECT, item_of("vulnerabilities"), methods=("post",), expect=(302,),
                                    control="admin", write=True, denied=MAPLE_NOT_ADMIN + ("counsel",)),
    "document_restore": Access(OBJECT, item_of("documents"), methods=("post",), expect=(302,), control="admin",
                               write=True, denied=MAPLE_NOT_ADMIN + ("counsel",)),
    # Claims of the Maple case.
    "deadlines": Access(SIGNED_IN),
    "deadline_calendar": Access(SIGNED_IN, methods=("get", "post")),
    # The private calendar feed: its token is the credential. Here with a token nobody holds;
    # test_calendar_feed_answers_only_its_token covers a real one.
    "deadline_feed": Access(PUBLIC, kwargs=lambda t: {"token": "not-a-real-token"}, expect=(404,),
                            anonymous=(404,)),
    "case_claims": Access(OBJECT, lambda t: {"case_pk": t.case.pk}),
    "claim_create": Access(OBJECT, lambda t: {"case_pk": t.case.pk}, methods=("get", "post"), write=True),
    "claim_detail": Access(OBJECT, claim_kwargs("claim")),
    "claim_event_add": Access(OBJECT, claim_kwargs("claim"), methods=("get", "post"), write=True),
    "claim_event_correct": Access(OBJECT, claim_kwargs("event"), methods=("get", "post"), write=True,
                                  data=lambda t: claim_step_data(t, received_on="2024-06-17")),
    "claim_event_remove": Access(OBJECT, claim_kwargs("event"), methods=("get", "post"), write=True,
                                 data=lambda t: claim_step_data(t, reason="Route access check.")),
    "claim_issue_add": Access(OBJECT, claim_kwargs("claim"), methods=("post",), expect=(200, 302, 400),
                              write=True),
    "evidence_update": Access(OBJECT, claim_kwargs("evidence"), methods=("post",), expect=(200, 302, 400),
                              write=True),
    # Duplicate review (haven.matching): staff of the person's organization only; the Maple volunteer and
    # the clinic's counsel (assigned to the case, but not staff of Maple) get 404 as well.
    "matching:queue": Access(STAFF),
    "matching:run": Access(OBJECT, methods=("post",), expect=(302,), write=True, denied=("volunteer", "counsel"),
                           data=lambda t: {"organization": t.org.pk}),
    "matching:candidate": Access(OBJECT, matching_kwargs("candidate"), denied=("volunteer", "counsel")),
    "matching:not_same": Access(OBJECT, matching_kwargs("candidate"), methods=("post",), expect=(302,), write=True,
                                denied=("volunteer", "counsel")),
    "matching:merge": Access(OBJECT, matching_kwargs("candidate"), methods=("post",), expect=(302,), write=True,
                             denied=("volunteer", "counsel"), data=lambda t: {"keep": "a"}),
    "matching:merge_detail": Access(OBJECT, matching_kwargs("merge"), denied=("volunteer", "counsel")),
    "matching:unmerge": Access(OBJECT, matching_kwargs("merge"), methods=("post",), expect=(302,), write=True,
                               denied=("volunteer", "counsel")),
    # Records of the Maple case (API): reading, changing and deleting.
    "case-detail": Access(OBJECT, CASE, methods=API_DETAIL),
    "household-detail": Access(OBJECT, HOUSEHOLD, methods=API_DETAIL),
    "person-detail": Access(OBJECT, PERSON, methods=API_DETAIL),
    "note-detail": Access(OBJECT, NOTE, methods=API_DETAIL, denied=("volunteer",)),
    "note-restore": Access(OBJECT, NOTE, methods=("post",), control="admin", write=True,
                           denied=MAPLE_NOT_ADMIN + ("counsel",)),
    "attachment-restore": Access(OBJECT, ATTACHMENT, methods=("post",), control="admin", write=True,
                                 denied=MAPLE_NOT_ADMIN + ("counsel",)),
    "attachment-detail": Access(OBJECT, ATTACHMENT, methods=API_DETAIL, denied=("volunteer",)),
    "attachment-download": Access(OBJECT, ATTACHMENT, denied=("volunteer",)),
}


@dataclass(frozen=True)
class Route:
    key: str
    name: str | None
    pattern: str
    params: tuple[str, ...]
    callback: Any = field(compare=False, repr=False)

    @property
    def is_admin(self) -> bool:
        return self.pattern.startswith("admin/") or (self.name or "").startswith("admin:")


def _params(pattern) -> tuple[str, ...]:
    if isinstance(pattern, RoutePattern):
        return tuple(pattern.converters)
    if isinstance(pattern, RegexPattern):
        return tuple(pattern.regex.groupindex)
    return ()


def iter_routes(resolver: URLResolver | None = None, prefix: str = "", namespace: str | None = None,
                params: tuple[str, ...] = ()) -> Iterator[Route]:
    """Every URL pattern reachable from the root URLconf, through every include()."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        entry_params = params + _params(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from iter_routes(entry, pattern, inner, entry_params)
        elif isinstance(entry, URLPattern):
            name = entry.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield Route(key=name or pattern, name=name, pattern=pattern, params=entry_params,
                        callback=entry.callback)


def project_routes() -> list[Route]:
    return [route for route in iter_routes() if not route.is_admin]


def admin_routes() -> list[Route]:
    return [route for route in iter_routes() if route.is_admin]


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    return content.decode("utf-8", errors="replace")


def leaked(text: str, markers: tuple[str, ...]) -> list[str]:
    import html

    unescaped = html.unescape(text)
    return [marker for marker in markers if marker in text or marker in unescaped]


class RouteAccessTests(PersonaTestCase):
    """One pass over every route per persona; all failures are reported together."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        from haven.people.models import IdentityDocument, Nationality, PersonLanguage, PersonName

        # One item of each person-page section, so that the remove routes address a real record.
        cls.names_item = PersonName.objects.create(person=cls.person, family_name="Lee", given_name="Myeong-cheol")
        cls.nationalities_item = Nationality.objects.get(person=cls.person, country="KR")
        cls.languages_item = PersonLanguage.objects.create(person=cls.person, language="kor")
        cls.vulnerabilities_item = cls.vulnerability
        cls.documents_item = IdentityDocument.objects.create(person=cls.person, kind=IdentityDocument.Kind.UNHCR,
                                                             number="UNHCR-123-456")
        # A likely duplicate of the principal applicant waiting for review, and a past merge of two more
        # spellings of him, both named so that only someone allowed to see Maple may read them.
        from haven.matching import services as matching_services
        from haven.matching.models import MatchCandidate
        from haven.testing.factories import PersonFactory

        spellings = [PersonFactory(household=cls.household, family_name=family, given_name="Myŏng-chŏl",
                                   family_name_hangul="리", given_name_hangul="명철", birth_date=cls.person.birth_date,
                                   relationship="other_relative") for family in ("Rhee", "Yi", "Lee")]
        cls.maple_candidate = MatchCandidate.objects.create(
            organization=cls.org, person_a=cls.person, person_b=spellings[0], match_probability=0.97,
            match_weight=8.5, comparisons=[{"comparison": "name", "level": "Same Hangul name", "match_weight": 9.0}])
        cls.maple_merge = matching_services.merge_persons(actor=cls.owner, kept=spellings[1], absorbed=spellings[2])

    def url_for(self, route: Route, spec: Access) -> str:
        kwargs = dict(spec.kwargs(self))
        if "format" in route.params and "format" not in kwargs:
            kwargs["format"] = "json"
        kwargs = {key: value for key, value in kwargs.items() if key in route.params}
        missing = set(route.params) - set(kwargs)
        if missing:
            raise AssertionError(f"ROUTES[{route.key!r}] does not fill {sorted(missing)}")
        if route.name:
            return reverse(route.name, kwargs=kwargs) + spec.query(self)
        url = "/" + route.pattern
        for key, value in kwargs.items():
            url = re.sub(rf"<(?:\w+:)?{key}>", str(value), url)
        return url + spec.query(self)

    def call(self, client: Client, method: str, route: Route, spec: Access, url: str):
        """One request, rolled back afterwards so routes do not affect each other."""
        data = spec.data(self)
        is_api = route.pattern.startswith("api/")
        with transaction.atomic():
            if method in ("get", "head", "options"):
                response = getattr(client, method)(url)
            elif is_api:
                response = getattr(client, method)(url, data, content_type="application/json")
            elif method == "post":
                response = client.post(url, data)
            else:
                response = getattr(client, method)(url)
            transaction.set_rollback(True)
        return response

    def client_for(self, persona: str | None) -> Client:
        client = Client()
        if persona is not None:
            self.login_as(getattr(self, persona), client)
        return client

    def each_request(self, persona: str | None, *, first_method_only: bool = False):
        """Yield (route, spec, method, url, response-or-exception) for every route entry.

        Each route gets a fresh client and session: signing out or switching language on one
        route must not change what the next one sees."""
        for route in project_routes():
            spec = ROUTES.get(route.key)
            if spec is None:
                continue
            client = self.client_for(persona)
            url = self.url_for(route, spec)
            # A format-suffix variant (/cases/1.json) is the same view: reading it is enough.
            methods = spec.methods[:1] if first_method_only or "format" in route.params else spec.methods
            for method in methods:
                try:
                    response = self.call(client, method, route, spec, url)
                except Exception as exc:  # reported as a failure with the route's name
                    yield route, spec, method, url, exc
                    continue
                yield route, spec, method, url, response

    def fail_all(self, problems: list[str]) -> None:
        if problems:
            self.fail(f"{len(problems)} access problem(s):\n" + "\n".join(problems))

    # ------------------------------------------------------------------ table

    def test_every_route_has_an_access_test(self):
        missing = {route.key: route.pattern for route in reversed(project_routes()) if route.key not in ROUTES}
        self.fail_all([f"route {key} ({pattern}) has no access test: add it to ROUTES in tests/test_route_access.py"
                       for key, pattern in sorted(missing.items())])

    def test_routes_table_has_no_stale_entries(self):
        known = {route.key for route in project_routes()}
        self.fail_all([f"ROUTES entry {key!r} matches no route any more: remove or rename it"
                       for key in ROUTES if key not in known])

    def test_the_walk_sees_included_and_router_routes(self):
        keys = {route.key for route in iter_routes()}
        self.assertIn("healthz", keys)
        self.assertIn("api-root", keys)
        self.assertIn("admin:index", keys)
        self.assertTrue(any(route.pattern.startswith("api/v1/") and "format" in route.params
                            for route in iter_routes()), "the router's format-suffix routes are walked")

    # --------------------------------------------------------------- personas

    def test_anonymous_is_sent_to_login(self):
        login_url = reverse("login") if "login" in {r.key for r in iter_routes()} else "/accounts/login/"
        problems = []
        for route, spec, method, url, response in self.each_request(None):
            where = f"[anonymous] {method.upper()} {url} ({route.key})"
            if isinstance(response, Exception):
                problems.append(f"{where}: raised {response!r}")
                continue
            status = response.status_code
            if spec.scope == PUBLIC:
                if status not in spec.anonymous:
                    problems.append(f"{where}: public route answered {status}")
            elif route.pattern.startswith("api/"):
                if status not in (401, 403):
                    problems.append(f"{where}: expected 401/403, got {status}")
            elif status in (401, 403):
                continue
            elif status != 302 or not response["Location"].startswith(login_url):
                location = response.get("Location", "")
                problems.append(f"{where}: expected a redirect to {login_url}, got {status} {location}")
            if leaked(body_text(response), MAPLE_MARKERS + CONFIDENTIAL_MARKERS):
                problems.append(f"{where}: shows Maple data to an anonymous caller")
        self.fail_all(problems)

    def check_stranger(self, persona: str, object_statuses: tuple[int, ...]) -> None:
        problems = []
        for route, spec, method, url, response in self.each_request(persona):
            where = f"[{persona}] {method.upper()} {url} ({route.key})"
            if isinstance(response, Exception):
                problems.append(f"{where}: raised {response!r}")
                continue
            status = response.status_code
            if status >= 500:
                problems.append(f"{where}: server error {status}")
            allowed = object_statuses if method in SAFE_METHODS else (*object_statuses, 405)
            if (spec.scope == OBJECT or (spec.scope == STAFF and persona in NOT_STAFF)) and status not in allowed:
                problems.append(f"{where}: expected {'/'.join(map(str, allowed))}, got {status}")
            found = leaked(body_text(response), MAPLE_MARKERS + CONFIDENTIAL_MARKERS)
            if found:
                problems.append(f"{where}: answered {status} showing {found}")
        self.fail_all(problems)

    def test_outsider_gets_404_and_sees_nothing(self):
        self.check_stranger("outsider", (404,))

    def test_other_sponsor_group_gets_404_and_sees_nothing(self):
        self.check_stranger("other_volunteer", (404,))

    def test_analyst_sees_no_person_and_no_case(self):
        self.check_stranger("analyst", (403, 404))

    def test_volunteer_never_sees_confidential_material(self):
        problems = []
        for route, spec, method, url, response in self.each_request("volunteer"):
            where = f"[volunteer] {method.upper()} {url} ({route.key})"
            if isinstance(response, Exception):
                problems.append(f"{where}: raised {response!r}")
                continue
            if response.status_code >= 500:
                problems.append(f"{where}: server error {response.status_code}")
            must_refuse = "volunteer" in spec.denied or spec.scope == STAFF or (
                spec.scope == OBJECT and (spec.write or method not in SAFE_METHODS) and not spec.volunteer_writes)
            if must_refuse and response.status_code not in (403, 404, 405):
                problems.append(f"{where}: expected 403/404, got {response.status_code}")
            found = leaked(body_text(response), CONFIDENTIAL_MARKERS)
            if found:
                problems.append(f"{where}: shows confidential {found}")
        self.fail_all(problems)

    def test_denied_staff_get_403_or_404(self):
        problems = []
        for persona in ("owner", "colleague", "counsel"):
            for route, spec, method, url, response in self.each_request(persona):
                if persona not in spec.denied:
                    continue
                where = f"[{persona}] {method.upper()} {url} ({route.key})"
                status = getattr(response, "status_code", None)
                if status not in (403, 404):
                    problems.append(f"{where}: expected 403/404, got {status or repr(response)}")
        self.fail_all(problems)

    def test_positive_controls_reach_every_route(self):
        """The case's caseworker (or the entry's control persona) gets the expected answer,
        which proves the URL filling addresses the real record."""
        problems = []
        for persona in sorted({spec.control for spec in ROUTES.values()}):
            for route in project_routes():
                spec = ROUTES.get(route.key)
                if spec is None or spec.control != persona:
                    continue
                client = self.client_for(persona)
                url = self.url_for(route, spec)
                method = spec.methods[0]
                where = f"[{persona}] {method.upper()} {url} ({route.key})"
                try:
                    response = self.call(client, method, route, spec, url)
                except Exception as exc:
                    problems.append(f"{where}: raised {exc!r}")
                    continue
                if response.status_code not in spec.expect:
                    problems.append(f"{where}: expected {spec.expect}, got {response.status_code}")
        self.fail_all(problems)

    def test_calendar_feed_answers_only_its_token(self):
        """The one public route that shows records: its token is the credential (see ROUTES["deadline_feed"])."""
        from haven.claims import feeds, testing

        testing.maple_claim(self)
        owner_token = feeds.create_feed(actor=self.owner)
        outsider_token = feeds.create_feed(actor=self.outsider)
        anonymous = Client()
        own = anonymous.get(reverse("deadline_feed", kwargs={"token": owner_token}))
        self.assertEqual(own.status_code, 200)
        self.assertIn("BEGIN:VCALENDAR", body_text(own))
        foreign = anonymous.get(reverse("deadline_feed", kwargs={"token": outsider_token}))
        self.assertEqual(foreign.status_code, 200)
        self.assertEqual(leaked(body_text(foreign), MAPLE_MARKERS + (testing.MAPLE_CLAIM_REFERENCE,)), [])
        feeds.revoke_feed(actor=self.owner)
        self.assertEqual(anonymous.get(reverse("deadline_feed", kwargs={"token": owner_token})).status_code, 404)
        self.assertEqual(anonymous.get(reverse("deadline_feed", kwargs={"token": owner_token[:-1]})).status_code, 404)

    # ------------------------------------------------------------------ admin

    def admin_url(self, route: Route) -> str:
        fillers = {
            "app_label": next(iter(admin.site._registry))._meta.app_label,
            "object_id": str(self.case.pk),
            "content_type_id": "1",
            "url": "nowhere/",
        }
        kwargs = {key: fillers.get(key, "1") for key in route.params}
        return reverse(route.name, kwargs=kwargs) if route.name else "/" + route.pattern

    def test_admin_routes_require_staff(self):
        """Documented rule for admin/ routes (see the module docstring)."""
        self.assertTrue(admin_routes(), "the admin site is mounted")
        login = reverse("admin:login")
        problems = []
        for persona in (None, "owner"):
            client = self.client_for(persona)
            for route in admin_routes():
                if route.name == "admin:login":
                    continue
                url = self.admin_url(route)
                response = client.get(url)
                where = f"[{persona or 'anonymous'}] GET {url} ({route.key})"
                location = response.get("Location", "")
                if response.status_code != 302 or not (location.startswith(login) or
                                                       location == reverse("admin:index")):
                    problems.append(f"{where}: expected a redirect to {login}, got {response.status_code} {location}")
                if leaked(body_text(response), MAPLE_MARKERS):
                    problems.append(f"{where}: shows Maple data")
        self.fail_all(problems)


# ====================================================================================================================
# Funds (haven.funds, haven/api/funds.py): issue 11's money side. A separate block so that it merges with the
# rewrite of this file's internals: FUNDS_ROUTES joins ROUTES for the checks above, and FUNDS_STATUSES states the
# exact status each persona gets on the first method of each route (FundsRouteStatusTests).
# Rules: staff of Maple see and change everything; the group A volunteer sees the group's trust totals and the Ri
# family's funds and schedule, read-only, never a donor, gift, pledge or receipt; everyone else gets 404 (analysts
# see aggregates on the funds overview only).
# ====================================================================================================================

def funds_kwargs(kind: str) -> Callable[[Any], dict[str, Any]]:
    """The Maple funds records (haven.funds.testing), created on first use in each test."""

    def fill(t):
        from haven.funds import testing as funds_testing

        if not getattr(t, "_funds_built", False):
            funds_testing.build_maple_funds(t)
            t._funds_built = True
        return {"case": {"case_pk": t.case.pk}}.get(kind) or {"pk": getattr(t, kind).pk}
    return fill


FUNDS_NOT_MAPLE = ("volunteer", "counsel")  # beyond the strangers: may not see Maple's donors, gifts, receipts
FUNDS_WRITE_DENIED = ("volunteer", "counsel")
FUNDS_ROUTES: dict[str, Access] = {
    "funds:home": Access(SIGNED_IN),
    "funds:campaign_create": Access(STAFF, methods=("get", "post")),
    "funds:campaign_detail": Access(OBJECT, funds_kwargs("campaign"), denied=FUNDS_NOT_MAPLE),
    "funds:donor_list": Access(STAFF),
    "funds:donor_create": Access(STAFF, methods=("get", "post")),
    "funds:donor_detail": Access(OBJECT, funds_kwargs("donor"), denied=FUNDS_NOT_MAPLE),
    "funds:pledge_create": Access(STAFF, methods=("get", "post")),
    "funds:donation_create": Access(STAFF, methods=("get", "post")),
    "funds:donation_detail": Access(OBJECT, funds_kwargs("donation"), denied=FUNDS_NOT_MAPLE),
    "funds:receipt_issue": Access(OBJECT, funds_kwargs("donation"), methods=("post",), expect=(302,), write=True,
                                  denied=FUNDS_WRITE_DENIED),
    "funds:receipt_detail": Access(OBJECT, funds_kwargs("receipt"), denied=FUNDS_NOT_MAPLE),
    "funds:receipt_pdf": Access(OBJECT, funds_kwargs("receipt"), denied=FUNDS_NOT_MAPLE),
    "funds:receipt_void_request": Access(OBJECT, funds_kwargs("receipt"), methods=("post",), expect=(302,),
                                         write=True, denied=FUNDS_WRITE_DENIED,
                                         data=lambda t: {"reason": "Route access check.", "replace": "on"}),
    "funds:receipt_void_approve": Access(OBJECT, funds_kwargs("receipt"), methods=("post",), expect=(302,),
                                         write=True, denied=FUNDS_WRITE_DENIED),
    "funds:trust_detail": Access(OBJECT, funds_kwargs("trust"), denied=("counsel",)),
    "funds:allocate": Access(OBJECT, funds_kwargs("trust"), methods=("post",), expect=(302,), write=True,
                             denied=FUNDS_WRITE_DENIED, data=lambda t: {"case": t.case.pk, "amount": "1.00"}),
    "funds:family": Access(OBJECT, funds_kwargs("case"), denied=("counsel",)),
    "funds:plan": Access(OBJECT, funds_kwargs("case"), methods=("post",), expect=(302,), write=True,
                         denied=FUNDS_WRITE_DENIED, data=lambda t: {"first_due_on": "2026-01-01", "months": 2,
                                                                     "monthly_amount": "10.00"}),
    "funds:disbursement_approve": Access(OBJECT, funds_kwargs("disbursement"), methods=("post",), expect=(302,),
                                         write=True, denied=FUNDS_WRITE_DENIED),
    "funds:disbursement_pay": Access(OBJECT, funds_kwargs("disbursement"), methods=("post",), expect=(302,),
                                     write=True, denied=FUNDS_WRITE_DENIED),
    "funds:ledger_export": Access(STAFF, kwargs=lambda t: {"fmt": "csv"}),
    "funds:charity_settings": Access(OBJECT, ORGANIZATION, methods=("get", "post"), control="admin", write=True,
                                     denied=MAPLE_NOT_ADMIN + ("counsel",)),
    # API: lists are scoped to what the caller may see (staff lists for donors, gifts, pledges, receipts and
    # campaigns; the volunteer's group's trust, allocations and disbursements); POST creates through a service.
    "campaign-list": Access(SIGNED_IN, methods=("get", "post"), expect=(200,)),
    "donor-list": Access(SIGNED_IN, methods=("get", "post"), expect=(200,)),
    "pledge-list": Access(SIGNED_IN, methods=("get", "post"), expect=(200,)),
    "donation-list": Access(SIGNED_IN, methods=("get", "post"), expect=(200,)),
    "receipt-list": Access(SIGNED_IN, methods=("get", "post"), expect=(200,)),
    "trust-list": Access(SIGNED_IN),
    "allocation-list": Access(SIGNED_IN, methods=("get", "post"), expect=(200,)),
    "disbursement-list": Access(SIGNED_IN),
    "campaign-detail": Access(OBJECT, funds_kwargs("campaign"), denied=FUNDS_NOT_MAPLE),
    "donor-detail": Access(OBJECT, funds_kwargs("donor"), denied=FUNDS_NOT_MAPLE),
    "pledge-detail": Access(OBJECT, funds_kwargs("pledge"), denied=FUNDS_NOT_MAPLE),
    "donation-detail": Access(OBJECT, funds_kwargs("donation"), denied=FUNDS_NOT_MAPLE),
    "receipt-detail": Access(OBJECT, funds_kwargs("receipt"), denied=FUNDS_NOT_MAPLE),
    "receipt-pdf": Access(OBJECT, funds_kwargs("receipt"), denied=FUNDS_NOT_MAPLE),
    "receipt-void": Access(OBJECT, funds_kwargs("receipt"), methods=("post",), expect=(400,), write=True,
                           denied=FUNDS_WRITE_DENIED),
    "receipt-approve-void": Access(OBJECT, funds_kwargs("receipt"), methods=("post",), expect=(400,), write=True,
                                   denied=FUNDS_WRITE_DENIED),
    "trust-detail": Access(OBJECT, funds_kwargs("trust"), denied=("counsel",)),
    "allocation-detail": Access(OBJECT, funds_kwargs("allocation"), denied=("counsel",)),
    "disbursement-detail": Access(OBJECT, funds_kwargs("disbursement"), denied=("counsel",)),
    "disbursement-approve": Access(OBJECT, funds_kwargs("disbursement"), methods=("post",), expect=(400,),
                                   write=True, denied=FUNDS_WRITE_DENIED),
    "disbursement-pay": Access(OBJECT, funds_kwargs("disbursement"), methods=("post",), expect=(400,), write=True,
                               denied=FUNDS_WRITE_DENIED),
}
ROUTES.update(FUNDS_ROUTES)

FUNDS_PERSONAS = ("owner", "colleague", "admin", "volunteer", "other_volunteer", "analyst", "outsider", "counsel")


def _funds_statuses(ok: int, *, allowed: tuple[str, ...], others: int = 404, anonymous: int = 302) -> dict:
    return {None: anonymous, **{p: ok if p in allowed else others for p in FUNDS_PERSONAS}}


MAPLE_STAFF = ("owner", "colleague", "admin")
ANY_STAFF = MAPLE_STAFF + ("outsider", "counsel")  # the clinic's staff open staff pages, seeing only their own
EVERYONE = FUNDS_PERSONAS
API_ANONYMOUS = 403
FUNDS_STATUSES: dict[str, dict] = {
    "funds:home": _funds_statuses(200, allowed=EVERYONE),
    "funds:campaign_create": _funds_statuses(200, allowed=ANY_STAFF),
    "funds:campaign_detail": _funds_statuses(200, allowed=MAPLE_STAFF),
    "funds:donor_list": _funds_statuses(200, allowed=ANY_STAFF),
    "funds:donor_create": _funds_statuses(200, allowed=ANY_STAFF),
    "funds:donor_detail": _funds_statuses(200, allowed=MAPLE_STAFF),
    "funds:pledge_create": _funds_statuses(200, allowed=ANY_STAFF),
    "funds:donation_create": _funds_statuses(200, allowed=ANY_STAFF),
    "funds:donation_detail": _funds_statuses(200, allowed=MAPLE_STAFF),
    "funds:receipt_issue": _funds_statuses(302, allowed=MAPLE_STAFF),
    "funds:receipt_detail": _funds_statuses(200, allowed=MAPLE_STAFF),
    "funds:receipt_pdf": _funds_statuses(200, allowed=MAPLE_STAFF),
    "funds:receipt_void_request": _funds_statuses(302, allowed=MAPLE_STAFF),
    "funds:receipt_void_approve": _funds_statuses(302, allowed=MAPLE_STAFF),
    "funds:trust_detail": _funds_statuses(200, allowed=MAPLE_STAFF + ("volunteer",)),
    "funds:allocate": _funds_statuses(302, allowed=MAPLE_STAFF),
    "funds:family": _funds_statuses(200, allowed=MAPLE_STAFF + ("volunteer",)),
    "funds:plan": _funds_statuses(302, allowed=MAPLE_STAFF),
    "funds:disbursement_approve": _funds_statuses(302, allowed=MAPLE_STAFF),
    "funds:disbursement_pay": _funds_statuses(302, allowed=MAPLE_STAFF),
    "funds:ledger_export": _funds_statuses(200, allowed=ANY_STAFF),
    "funds:charity_settings": _funds_statuses(200, allowed=("admin",)),
    **{f"{kind}-list": _funds_statuses(200, allowed=EVERYONE, anonymous=API_ANONYMOUS)
       for kind in ("campaign", "donor", "pledge", "donation", "receipt", "trust", "allocation", "disbursement")},
    **{f"{kind}-detail": _funds_statuses(200, allowed=MAPLE_STAFF, anonymous=API_ANONYMOUS)
       for kind in ("campaign", "donor", "pledge", "donation", "receipt")},
    "receipt-pdf": _funds_statuses(200, allowed=MAPLE_STAFF, anonymous=API_ANONYMOUS),
    # The owner requested nothing yet (void: no reason given; approve: nothing pending): 400 with the message.
    "receipt-void": _funds_statuses(400, allowed=MAPLE_STAFF, anonymous=API_ANONYMOUS),
    "receipt-approve-void": _funds_statuses(400, allowed=MAPLE_STAFF, anonymous=API_ANONYMOUS),
    **{f"{kind}-detail": _funds_statuses(200, allowed=MAPLE_STAFF + ("volunteer",), anonymous=API_ANONYMOUS)
       for kind in ("trust", "allocation", "disbursement")},
    # The owner planned the month, so may not approve it (400); colleagues may (200); nobody may pay it unapproved.
    "disbursement-approve": {**_funds_statuses(200, allowed=("colleague", "admin"), anonymous=API_ANONYMOUS),
                             "owner": 400},
    "disbursement-pay": _funds_statuses(400, allowed=MAPLE_STAFF, anonymous=API_ANONYMOUS),
}


class FundsRouteStatusTests:
    """The exact status of every funds route for every persona, and no donor's name for anyone but Maple's staff.
    Its tests join RouteAccessTests (below) rather than subclass it, which would run every route check twice."""

    def test_every_funds_route_has_exact_statuses(self):
        funds_keys = {route.key for route in project_routes() if route.key in FUNDS_ROUTES}
        self.assertEqual(funds_keys, set(FUNDS_ROUTES))
        self.assertEqual(set(FUNDS_STATUSES), set(FUNDS_ROUTES))

    def test_funds_routes_answer_each_persona_exactly(self):
        from haven.funds.testing import DONOR_NAME

        problems = []
        for persona in (None, *FUNDS_PERSONAS):
            for route in project_routes():
                if route.key not in FUNDS_ROUTES:
                    continue
                spec = FUNDS_ROUTES[route.key]
                if "format" in route.params:
                    continue
                url = self.url_for(route, spec)
                method = spec.methods[0]
                response = self.call(self.client_for(persona), method, route, spec, url)
                expected = FUNDS_STATUSES[route.key][persona]
                where = f"[{persona or 'anonymous'}] {method.upper()} {url} ({route.key})"
                if response.status_code != expected:
                    problems.append(f"{where}: expected {expected}, got {response.status_code}")
                if persona not in MAPLE_STAFF and leaked(body_text(response), (DONOR_NAME,)):
                    problems.append(f"{where}: shows the donor's name")
        self.fail_all(problems)


for _name in ("test_every_funds_route_has_exact_statuses", "test_funds_routes_answer_each_persona_exactly"):
    setattr(RouteAccessTests, _name, getattr(FundsRouteStatusTests, _name))
