"""Every URL pattern of the project has an access test here, with the exact status each persona gets.

The test walks the project's resolver (every `path()`/`re_path()`, through
every `include()`, including the REST router's routes and their format-suffix
variants) and looks each route up in ROUTES. A route with no entry fails
`test_every_route_has_an_access_test`: whoever adds a view adds a line here
saying how to fill its URL with the personas' objects and, for every HTTP
method it accepts, the one status each persona receives, in the order of
PERSONAS (see haven.testing.personas): anonymous, outsider (a caseworker of an
unrelated clinic), other_volunteer (sponsor group B), analyst, volunteer (the
case's own sponsor group A), counsel (the clinic's lawyer assigned to the
case), colleague and owner (Maple caseworkers, the owner assigned) and admin
(Maple's administrator). One test per persona requests every route with every
method (a format-suffix variant such as /cases/1.json with its first method
only) and compares.

The statuses are what the code answers; `test_table_follows_the_access_rules`
checks that the table itself obeys the README's access rules, so a wrong entry
cannot be written down to make a test pass:

- anonymous callers are sent to the login page (web) or get 401/403 (API),
  except on PUBLIC routes (login, health check, language switch, API schema and
  docs, the token-protected calendar feed);
- OBJECT routes address a record of the Maple case: the outsider, the other
  group's volunteer and the analyst get 404, exactly as for a missing record;
- STAFF routes are for the staff of an organization (the duplicate review
  queue): volunteers and the analyst get 404; the outsider opens their own;
- a write (`write=True`, or an unsafe method on an OBJECT route) is refused to
  the read-only volunteer, unless `volunteer_writes` (non-confidential notes);
- refusing is 404; 403 only tells the volunteer they may read but not change
  a record they can see;
- every OBJECT and STAFF method has a persona who gets something other than
  404 (a positive control), so a wrong URL filling cannot pass silently;
- no 5xx.
An entry that breaks a rule today keeps its exact status and names the persona
and the reason in `deviations`; the rules test fails when a deviation is no
longer needed.

Leaks: every response is searched for the personal values of the fixtures
(haven.testing.leaks: every text value of the records of the Maple case and of
the clinic's case, decrypted, names in every script, notes, vulnerabilities,
identity documents, attachment names, references and titles), as LEAK_POLICY
says per persona: strangers never see either case, the outsider and the
counsel see the clinic's, Maple's staff never see the clinic's, and the Maple
volunteer never sees a confidential note or file, a vulnerability or an
identity document.

Rule for Django's admin: routes under `admin/` are served by
`django.contrib.admin`, whose views are all wrapped in `AdminSite.admin_view`
(login as `is_staff` required). They are not listed in ROUTES; instead
`test_admin_routes_require_staff` requests every one of them anonymously and
as a non-staff caseworker and expects a redirect to the admin login.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import KW_ONLY, dataclass, field
from typing import Any

from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from haven.accounts.models import Membership
from haven.casework.testing import build_work
from haven.claims import feeds
from haven.claims import services as claim_services
from haven.claims import testing as claim_testing
from haven.matching import services as matching_services
from haven.matching.models import MatchCandidate
from haven.people.models import IdentityDocument, Nationality, PersonLanguage, PersonName
from haven.settlement.testing import maple_settlement
from haven.testing.factories import PersonFactory
from haven.testing.leaks import confidential_values, found, personal_values
from haven.testing.personas import PersonaTestCase

PUBLIC = "public"
SIGNED_IN = "signed_in"
OBJECT = "object"
STAFF = "staff"

# The columns of every row of ROUTES (anon out ovol anal vol cnsl coll own adm).
PERSONAS = ("anonymous", "outsider", "other_volunteer", "analyst", "volunteer", "counsel", "colleague", "owner",
            "admin")
# Whose personal values each persona may never receive: "maple" (every value of the Maple case), "confidential"
# (its confidential notes and files, vulnerabilities and identity documents), "clinic" (the clinic's case).
LEAK_POLICY = {
    "anonymous": ("maple", "clinic"),
    "outsider": ("maple",),
    "other_volunteer": ("maple", "clinic"),
    "analyst": ("maple", "clinic"),
    "volunteer": ("confidential", "clinic"),
    "counsel": (),
    "colleague": ("clinic",),
    "owner": ("clinic",),
    "admin": ("clinic",),
}
# Values of the fixtures that the application itself prints, so finding them proves nothing.
SHOWN_BY_THE_APPLICATION = {
    "Ri family": "the household form's help text gives it as its example",
}

SAFE_METHODS = ("get", "head", "options")


def no_kwargs(t) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Access:
    """How to reach one route and the status each persona gets for each method."""

    scope: str
    kwargs: Callable[[Any], dict[str, Any]] = no_kwargs
    _: KW_ONLY
    # Method → one status per persona, in the order of PERSONAS; the methods are requested in this order.
    expect: dict[str, tuple[int, ...]]
    # The route changes the record (edit and delete forms, add/remove): the read-only
    # volunteer of the case's group must be refused, unless volunteer_writes.
    write: bool = False
    volunteer_writes: bool = False
    # Request body for unsafe methods (a callable of the test case).
    data: Callable[[Any], dict[str, Any]] = no_kwargs
    # Query string appended to the URL (a callable of the test case), e.g. the API's ?case=ID.
    query: Callable[[Any], str] = lambda t: ""
    # Persona → why their status breaks an access rule today (see the module docstring).
    deviations: dict[str, str] = field(default_factory=dict)

    @property
    def methods(self) -> tuple[str, ...]:
        return tuple(self.expect)

    def status(self, method: str, persona: str) -> int:
        return self.expect[method][PERSONAS.index(persona)]


def pk_of(attribute: str) -> Callable[[Any], dict[str, Any]]:
    return lambda t: {"pk": getattr(t, attribute).pk}


def item_of(section: str) -> Callable[[Any], dict[str, Any]]:
    """A person-page sub-item (names, nationalities, ...) of the Maple principal applicant."""
    return lambda t: {"pk": t.person.pk, "item_pk": getattr(t, f"{section}_item").pk}


def matching_kwargs(kind: str) -> Callable[[Any], dict[str, Any]]:
    """The Maple duplicate candidate or merge record (created in RouteAccessTests.setUpTestData)."""
    return lambda t: {"pk": getattr(t, f"maple_{kind}").pk}


def claim_kwargs(kind: str) -> Callable[[Any], dict[str, Any]]:
    """The Maple case's claim and its records (haven.claims.testing, created in RouteAccessTests.setUpTestData)."""

    def fill(t):
        return {"pk": {"claim": claim_testing.maple_claim, "event": claim_testing.maple_event,
                       "evidence": claim_testing.maple_evidence, "claimant": claim_testing.maple_member}[kind](t).pk}
    return fill


def claim_step_data(t, **fields) -> dict[str, Any]:
    """A correction or removal form for the Maple claim's last step, with the step's current version."""
    event = claim_testing.maple_event(t)
    return {"occurred_on": event.occurred_on.isoformat(), "version": claim_services.event_version(event), **fields}


def colleague_membership(t):
    return Membership.objects.get(user=t.colleague, organization=t.org)


ORGANIZATION = pk_of("org")
COLLEAGUE_MEMBERSHIP = lambda t: {"pk": t.org.pk, "item_pk": colleague_membership(t).pk}  # noqa: E731
CASE = pk_of("case")
PERSON = pk_of("person")
HOUSEHOLD = pk_of("household")
NOTE = pk_of("note")
ATTACHMENT = pk_of("attachment")
VOLUNTEER_TASK = pk_of("volunteer_task")  # haven.casework.testing.build_work
VOLUNTEER_APPOINTMENT = pk_of("volunteer_appointment")


# Route name (namespaced as `namespace:name`) or, for an unnamed route, its
# full pattern → how to test it and what each persona gets.
ROUTES: dict[str, Access] = {
    # Public: infrastructure, language switch, sign-in and the API's description.
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "healthz": Access(PUBLIC, expect={
        "get":    (200, 200, 200, 200, 200, 200, 200, 200, 200)}),
    "set_language": Access(PUBLIC, data=lambda t: {"language": "ko"}, expect={
        "get":    (302, 302, 302, 302, 302, 302, 302, 302, 302),
        "post":   (302, 302, 302, 302, 302, 302, 302, 302, 302)}),
    "api-schema": Access(PUBLIC, expect={
        "get":    (200, 200, 200, 200, 200, 200, 200, 200, 200)}),
    "api-docs": Access(PUBLIC, expect={
        "get":    (200, 200, 200, 200, 200, 200, 200, 200, 200)}),
    "api-redoc": Access(PUBLIC, expect={
        "get":    (200, 200, 200, 200, 200, 200, 200, 200, 200)}),
    "login": Access(PUBLIC, expect={
        "get":    (200, 302, 302, 302, 302, 302, 302, 302, 302),
        "post":   (200, 302, 302, 302, 302, 302, 302, 302, 302)}),
    "logout": Access(PUBLIC, expect={
        "post":   (302, 302, 302, 302, 302, 302, 302, 302, 302)}),
    # The signed-in user's own account: no record id in any of these URLs. The administrator, verified at
    # login, is sent on from the second-factor page; an empty password form answers 400 with its errors;
    # the token and two-factor removal forms redirect to the account page whatever they were given.
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "two_factor": Access(SIGNED_IN, expect={
        "get":    (302, 200, 200, 200, 200, 200, 200, 200, 302),
        "post":   (302, 200, 200, 200, 200, 200, 200, 200, 302)}),
    "account": Access(SIGNED_IN, expect={
        "get":    (302, 200, 200, 200, 200, 200, 200, 200, 200)}),
    "account_language": Access(SIGNED_IN, data=lambda t: {"preferred_language": "fr"}, expect={
        "post":   (302, 302, 302, 302, 302, 302, 302, 302, 302)}),
    "account_token": Access(SIGNED_IN, expect={
        "post":   (302, 302, 302, 302, 302, 302, 302, 302, 302)}),
    "account_password": Access(SIGNED_IN, expect={
        "post":   (302, 400, 400, 400, 400, 400, 400, 400, 400)}),
    # The members of Maple, for Maple's administrators only: its other staff get 404 like everyone else.
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "organization_members": Access(OBJECT, ORGANIZATION, expect={
        "get":    (302, 404, 404, 404, 404, 404, 404, 404, 200)}),
    "member_add": Access(OBJECT, ORGANIZATION, write=True,
                         data=lambda t: {"username": "new-member@maple.test", "role": "caseworker"}, expect={
        "post":   (302, 404, 404, 404, 404, 404, 404, 404, 200)}),
    "member_update": Access(OBJECT, COLLEAGUE_MEMBERSHIP, write=True,
                            data=lambda t: {f"m{colleague_membership(t).pk}-role": "legal_rep"}, expect={
        "post":   (302, 404, 404, 404, 404, 404, 404, 404, 302)}),
    "member_remove": Access(OBJECT, COLLEAGUE_MEMBERSHIP, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 404, 404, 302)}),
    "member_password_reset": Access(OBJECT, COLLEAGUE_MEMBERSHIP, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 404, 404, 200)}),
    "account_two_factor_remove": Access(SIGNED_IN, expect={
        "post":   (302, 302, 302, 302, 302, 302, 302, 302, 302)}),
    # Lists, dashboards and creation forms: open to signed-in users, scoped to what they may see. The analyst
    # (aggregates only) gets 404 on the web case list and export but an empty page from the API's case list:
    # different answers that reveal nothing either way. Creation forms and the import are for staff: the
    # outsider gets their own clinic's; an empty import form answers 400. The API answers anonymous callers
    # 403, not 401: session authentication sends no WWW-Authenticate challenge.
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "dashboard": Access(SIGNED_IN, expect={
        "get":    (302, 200, 200, 200, 200, 200, 200, 200, 200)}),
    "case_list": Access(SIGNED_IN, expect={
        "get":    (302, 200, 200, 404, 200, 200, 200, 200, 200)}),
    "case_create": Access(SIGNED_IN, expect={
        "get":    (302, 200, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 200, 404, 404, 404, 200, 200, 200, 200)}),
    "people_import": Access(SIGNED_IN, expect={
        "get":    (302, 200, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 400, 404, 404, 404, 400, 400, 400, 400)}),
    "people_import_template": Access(SIGNED_IN, expect={
        "get":    (302, 200, 404, 404, 404, 200, 200, 200, 200)}),
    "api-root": Access(SIGNED_IN, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200)}),
    # The case list as CSV (the same search and filters): only cases the caller may see.
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "case_export": Access(SIGNED_IN, query=lambda t: "?format=csv", expect={
        "get":    (302, 200, 200, 404, 200, 200, 200, 200, 200)}),
    # An empty body: the API's validation answers 400 before anything is written.
    "case-list": Access(SIGNED_IN, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200),
        "post":   (403, 400, 400, 400, 400, 400, 400, 400, 400)}),
    "household-list": Access(SIGNED_IN, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200),
        "post":   (403, 400, 400, 400, 400, 400, 400, 400, 400)}),
    "person-list": Access(SIGNED_IN, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200),
        "post":   (403, 400, 400, 400, 400, 400, 400, 400, 400)}),
    # Notes and attachments are listed per case (?case=ID): the case is the record addressed.
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "note-list": Access(OBJECT, query=lambda t: f"?case={t.case.pk}", volunteer_writes=True,
                        data=lambda t: {"case": t.case.pk, "body": "Route access check.", "confidential": False},
                        expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "post":   (403, 404, 404, 404, 201, 201, 201, 201, 201)}),
    "attachment-list": Access(OBJECT, query=lambda t: f"?case={t.case.pk}", expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200)}),
    # Statistics: aggregates only (analysts included); never a name or a reference. The published figures are
    # for every signed-in user; the others answer volunteers 404, as for a page that is not theirs.
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "stats_outcomes": Access(SIGNED_IN, expect={
        "get":    (302, 200, 404, 200, 404, 200, 200, 200, 200)}),
    "stats_published": Access(SIGNED_IN, expect={
        "get":    (302, 200, 200, 200, 200, 200, 200, 200, 200)}),
    "stats_quality": Access(SIGNED_IN, expect={
        "get":    (302, 200, 404, 200, 404, 200, 200, 200, 200)}),
    "stats_export": Access(SIGNED_IN, kwargs=lambda t: {"key": "data_quality", "fmt": "csv"},
                           expect={
        "get":    (302, 200, 404, 200, 404, 200, 200, 200, 200)}),
    # Records of the Maple case (web).
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "case_detail": Access(OBJECT, CASE, expect={
        "get":    (302, 404, 404, 404, 200, 200, 200, 200, 200)}),
    "case_edit": Access(OBJECT, CASE, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "assignment_add": Access(OBJECT, CASE, write=True,
                             data=lambda t: {"username": t.outsider.username, "role": "counsel"}, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "assignment_remove": Access(OBJECT,
                                lambda t: {"pk": t.case.pk, "item_pk": t.case.assignments.get(user=t.counsel).pk},
                                write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "note_create": Access(OBJECT, CASE, write=True, volunteer_writes=True, expect={
        "get":    (302, 404, 404, 404, 200, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 200, 200, 200, 200, 200)}),
    "note_edit": Access(OBJECT, NOTE, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "note_delete": Access(OBJECT, NOTE, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "attachment_upload": Access(OBJECT, CASE, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "attachment_download": Access(OBJECT, ATTACHMENT, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "attachment_delete": Access(OBJECT, ATTACHMENT, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    # Restoring from the deleted items: the case organization's administrators only.
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "note_restore": Access(OBJECT, NOTE, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 404, 404, 302)}),
    "attachment_restore": Access(OBJECT, ATTACHMENT, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 404, 404, 302)}),
    "household_detail": Access(OBJECT, HOUSEHOLD, expect={
        "get":    (302, 404, 404, 404, 200, 200, 200, 200, 200)}),
    "household_edit": Access(OBJECT, HOUSEHOLD, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "person_create": Access(OBJECT, HOUSEHOLD, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "person_detail": Access(OBJECT, PERSON, expect={
        "get":    (302, 404, 404, 404, 200, 200, 200, 200, 200)}),
    "person_edit": Access(OBJECT, PERSON, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    # Changing who the household's principal applicant is: the child becomes it, the father their parent.
    "person_make_principal": Access(OBJECT, pk_of("child"), write=True,
                                    data=lambda t: {"former_relationship": "parent"}, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "person_name_add": Access(OBJECT, PERSON, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "person_name_remove": Access(OBJECT, item_of("names"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "nationality_add": Access(OBJECT, PERSON, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "nationality_remove": Access(OBJECT, item_of("nationalities"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "nationality_edit": Access(OBJECT, item_of("nationalities"), write=True,
                               data=lambda t: {"status": "may_acquire", "note": "Route access check."}, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "language_add": Access(OBJECT, PERSON, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "language_remove": Access(OBJECT, item_of("languages"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "vulnerability_add": Access(OBJECT, PERSON, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "vulnerability_remove": Access(OBJECT, item_of("vulnerabilities"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "document_add": Access(OBJECT, PERSON, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "document_remove": Access(OBJECT, item_of("documents"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "vulnerability_restore": Access(OBJECT, item_of("vulnerabilities"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 404, 404, 302)}),
    "document_restore": Access(OBJECT, item_of("documents"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 404, 404, 302)}),
    # Claims of the Maple case.
        #         anon  out ovol anal  vol cnsl coll  own  adm
    # Deadlines name claims and cases: the analyst (aggregates only) has no use for them and gets 404.
    "deadlines": Access(SIGNED_IN, expect={
        "get":    (302, 200, 200, 404, 200, 200, 200, 200, 200)}),
    "deadline_calendar": Access(SIGNED_IN, expect={
        "get":    (302, 200, 200, 404, 200, 200, 200, 200, 200),
        "post":   (302, 200, 200, 404, 200, 200, 200, 200, 200)}),
    # The private calendar feed: its token is the credential. Here with a token nobody holds;
    # test_calendar_feed_answers_only_its_token covers a real one.
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "deadline_feed": Access(PUBLIC, kwargs=lambda t: {"token": "not-a-real-token"}, expect={
        "get":    (404, 404, 404, 404, 404, 404, 404, 404, 404)}),
    "case_claims": Access(OBJECT, lambda t: {"case_pk": t.case.pk}, expect={
        "get":    (302, 404, 404, 404, 200, 200, 200, 200, 200)}),
    "claim_create": Access(OBJECT, lambda t: {"case_pk": t.case.pk}, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "claim_detail": Access(OBJECT, claim_kwargs("claim"), expect={
        "get":    (302, 404, 404, 404, 200, 200, 200, 200, 200)}),
    "claim_event_add": Access(OBJECT, claim_kwargs("claim"), write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "claim_event_correct": Access(OBJECT, claim_kwargs("event"), write=True,
                                  data=lambda t: claim_step_data(t, received_on="2024-06-17"), expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "claim_event_remove": Access(OBJECT, claim_kwargs("event"), write=True,
                                 data=lambda t: claim_step_data(t, reason="Route access check."), expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "claim_issue_add": Access(OBJECT, claim_kwargs("claim"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "evidence_update": Access(OBJECT, claim_kwargs("evidence"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "claimant_decision": Access(OBJECT, claim_kwargs("claimant"), write=True,
                                data=lambda t: {"action": "record", "outcome": "accepted", "outcome_on": "2024-06-03"},
                                expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    # Duplicate review (haven.matching): staff of the person's organization only; the Maple volunteer and
    # the clinic's counsel (assigned to the case, but not staff of Maple) get 404 as well.
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "matching:queue": Access(STAFF, expect={
        "get":    (302, 200, 404, 404, 404, 200, 200, 200, 200)}),
    "matching:run": Access(OBJECT, write=True, data=lambda t: {"organization": t.org.pk}, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    "matching:candidate": Access(OBJECT, matching_kwargs("candidate"), expect={
        "get":    (302, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "matching:not_same": Access(OBJECT, matching_kwargs("candidate"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    # GET: the confirmation page (what will move); POST: the merge.
    "matching:merge": Access(OBJECT, matching_kwargs("candidate"), write=True, data=lambda t: {"keep": "a"},
                             query=lambda t: "?keep=a", expect={
        "get":    (302, 404, 404, 404, 404, 404, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    "matching:merge_detail": Access(OBJECT, matching_kwargs("merge"), expect={
        "get":    (302, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "matching:unmerge": Access(OBJECT, matching_kwargs("merge"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    # Records of the Maple case (API): reading, changing and deleting. The volunteer reads the case, its
    # household and people but may not change them: 403 (the web forms answer 404 instead, as for the
    # case's confidential records). Cases, households, persons and attachments cannot be deleted or
    # attachments edited through the API: 405 to everyone, answered before any lookup.
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "case-detail": Access(OBJECT, CASE, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "patch":  (403, 404, 404, 404, 403, 200, 200, 200, 200),
        "delete": (403, 405, 405, 405, 405, 405, 405, 405, 405)}),
    "household-detail": Access(OBJECT, HOUSEHOLD, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "patch":  (403, 404, 404, 404, 403, 200, 200, 200, 200),
        "delete": (403, 405, 405, 405, 405, 405, 405, 405, 405)}),
    "person-detail": Access(OBJECT, PERSON, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "patch":  (403, 404, 404, 404, 403, 200, 200, 200, 200),
        "delete": (403, 405, 405, 405, 405, 405, 405, 405, 405)}),
    "note-detail": Access(OBJECT, NOTE, expect={
        "get":    (403, 404, 404, 404, 404, 200, 200, 200, 200),
        "patch":  (403, 404, 404, 404, 404, 200, 200, 200, 200),
        "delete": (403, 404, 404, 404, 404, 204, 204, 204, 204)}),
    "note-restore": Access(OBJECT, NOTE, write=True, expect={
        "post":   (403, 404, 404, 404, 404, 404, 404, 404, 200)}),
    "attachment-restore": Access(OBJECT, ATTACHMENT, write=True, expect={
        "post":   (403, 404, 404, 404, 404, 404, 404, 404, 200)}),
    "attachment-detail": Access(OBJECT, ATTACHMENT, expect={
        "get":    (403, 404, 404, 404, 404, 200, 200, 200, 200),
        "patch":  (403, 405, 405, 405, 405, 405, 405, 405, 405),
        "delete": (403, 404, 404, 404, 404, 204, 204, 204, 204)}),
    "attachment-download": Access(OBJECT, ATTACHMENT, expect={
        "get":    (403, 404, 404, 404, 404, 200, 200, 200, 200)}),
    # ---------------------------------------------------------------------------------------------------------
    # Tasks and appointments (haven.casework; issue 13). "My work", its calendar and the feed page are every
    # signed-in user's own (scoped to what they may see); the feed is token-protected like the deadline feed.
    # Records: the volunteer's task and an appointment the volunteer attends (haven.casework.testing). The
    # volunteer reads them and completes their own task, and may change nothing else (pages 404, API 403);
    # a reopen of an open task is refused by the service (web: a message and a redirect; API: 400).
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "casework:my_work": Access(SIGNED_IN, expect={
        "get":    (302, 200, 200, 200, 200, 200, 200, 200, 200)}),
    "casework:calendar": Access(SIGNED_IN, expect={
        "get":    (302, 200, 200, 200, 200, 200, 200, 200, 200)}),
    "casework:feed_settings": Access(SIGNED_IN, expect={
        "get":    (302, 200, 200, 200, 200, 200, 200, 200, 200),
        "post":   (302, 200, 200, 200, 200, 200, 200, 200, 200)}),
    "casework:feed": Access(PUBLIC, kwargs=lambda t: {"token": "not-a-real-token"}, expect={
        "get":    (404, 404, 404, 404, 404, 404, 404, 404, 404)}),
    "casework:case_work": Access(OBJECT, lambda t: {"case_pk": t.case.pk}, expect={
        "get":    (302, 404, 404, 404, 200, 200, 200, 200, 200)}),
    "casework:task_create": Access(OBJECT, lambda t: {"case_pk": t.case.pk}, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "casework:appointment_create": Access(OBJECT, lambda t: {"case_pk": t.case.pk}, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "casework:task_detail": Access(OBJECT, VOLUNTEER_TASK, expect={
        "get":    (302, 404, 404, 404, 200, 200, 200, 200, 200)}),
    "casework:task_edit": Access(OBJECT, VOLUNTEER_TASK, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "casework:task_complete": Access(OBJECT, VOLUNTEER_TASK, write=True, volunteer_writes=True,
                                     data=lambda t: {"outcome": "Route access check."}, expect={
        "post":   (302, 404, 404, 404, 302, 302, 302, 302, 302)}),
    "casework:task_start": Access(OBJECT, VOLUNTEER_TASK, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "casework:task_reopen": Access(OBJECT, VOLUNTEER_TASK, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "casework:task_cancel": Access(OBJECT, VOLUNTEER_TASK, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "casework:task_delete": Access(OBJECT, VOLUNTEER_TASK, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "casework:appointment_detail": Access(OBJECT, VOLUNTEER_APPOINTMENT, expect={
        "get":    (302, 404, 404, 404, 200, 200, 200, 200, 200)}),
    "casework:appointment_edit": Access(OBJECT, VOLUNTEER_APPOINTMENT, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "casework:appointment_cancel": Access(OBJECT, VOLUNTEER_APPOINTMENT, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "casework:appointment_delete": Access(OBJECT, VOLUNTEER_APPOINTMENT, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    # The API: lists of what each may see (an empty body answers 400 before anything is written).
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "task-list": Access(SIGNED_IN, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200),
        "post":   (403, 400, 400, 400, 400, 400, 400, 400, 400)}),
    "appointment-list": Access(SIGNED_IN, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200),
        "post":   (403, 400, 400, 400, 400, 400, 400, 400, 400)}),
    "task-detail": Access(OBJECT, VOLUNTEER_TASK, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "patch":  (403, 404, 404, 404, 403, 200, 200, 200, 200),
        "delete": (403, 404, 404, 404, 403, 204, 204, 204, 204)}),
    "task-complete": Access(OBJECT, VOLUNTEER_TASK, volunteer_writes=True, expect={
        "post":   (403, 404, 404, 404, 200, 200, 200, 200, 200)}),
    "task-reopen": Access(OBJECT, VOLUNTEER_TASK, expect={
        "post":   (403, 404, 404, 404, 403, 400, 400, 400, 400)}),
    "task-cancel": Access(OBJECT, VOLUNTEER_TASK, expect={
        "post":   (403, 404, 404, 404, 403, 200, 200, 200, 200)}),
    "appointment-detail": Access(OBJECT, VOLUNTEER_APPOINTMENT, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "patch":  (403, 404, 404, 404, 403, 200, 200, 200, 200),
        "delete": (403, 404, 404, 404, 403, 204, 204, 204, 204)}),
    "appointment-cancel": Access(OBJECT, VOLUNTEER_APPOINTMENT, expect={
        "post":   (403, 404, 404, 404, 403, 200, 200, 200, 200)}),
    # --------------------------------------------------------------------------------- end of haven.casework
}


# ---------------------------------------------------------------------------------------------------------------
# Protection claims over the API (haven/api/claims.py; issue 12): the claim pages' rules. The Maple claim, its
# steps, issues, evidence and deadlines are read by whoever sees the case; the volunteer of its group reads them and
# is refused every change with 403 (the API's answer to a reader; the pages answer 404); claims are never deleted
# (405). An empty claim answers 400 before any lookup. The deadlines list is the deadlines page's: 404 for the
# analyst, like the page.
def maple_deadline(t) -> dict[str, Any]:
    return {"pk": claim_testing.maple_claim(t).deadlines.order_by("pk").first().pk}


CLAIM_STEP = {"type": "rad_appeal_filed", "occurred_on": "2024-06-20", "appellant": "claimant"}
ROUTES.update({
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "claim-list": Access(SIGNED_IN, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200),
        "post":   (403, 400, 400, 400, 400, 400, 400, 400, 400)}),
    "claim-detail": Access(OBJECT, claim_kwargs("claim"), data=lambda t: {"province": "QC"}, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "patch":  (403, 404, 404, 404, 403, 200, 200, 200, 200),
        "delete": (403, 405, 405, 405, 405, 405, 405, 405, 405)}),
    "claim-steps": Access(OBJECT, claim_kwargs("claim"), data=lambda t: CLAIM_STEP, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "post":   (403, 404, 404, 404, 403, 201, 201, 201, 201)}),
    "claim-issues": Access(OBJECT, claim_kwargs("claim"), data=lambda t: {"kind": "identity"}, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "post":   (403, 404, 404, 404, 403, 201, 201, 201, 201)}),
    "claim-deadlines": Access(OBJECT, claim_kwargs("claim"), expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200)}),
    "claim-evidence-detail": Access(OBJECT, claim_kwargs("evidence"), data=lambda t: {"status": "requested"}, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "patch":  (403, 404, 404, 404, 403, 200, 200, 200, 200)}),
    "deadline-list": Access(SIGNED_IN, query=lambda t: "?days=all", expect={
        "get":    (403, 200, 200, 404, 200, 200, 200, 200, 200)}),
    "deadline-detail": Access(OBJECT, maple_deadline, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200)}),
})


# ----------------------------------------------------------------- sponsorship (haven.sponsorship, issue 11)
def sponsorship_kwargs(kind: str) -> Callable[[Any], dict[str, Any]]:
    """The Maple case's sponsorship application (haven.sponsorship.testing), created on first use."""

    def fill(t):
        from haven.sponsorship import testing

        if kind == "case":
            return {"case_pk": t.case.pk}
        if kind == "team":
            return {"team_pk": t.group_a.pk}
        return {"pk": {"application": testing.maple_application, "event": testing.maple_event}[kind](t).pk}
    return fill


SPONSORSHIP_APP = sponsorship_kwargs("application")
SPONSORSHIP_EVENT = sponsorship_kwargs("event")
SPONSORSHIP_ROUTES: dict[str, Access] = {
    # The queue and figures: signed-in users see only the applications they may see; analysts only figures.
    "sponsorship:pipeline": Access(SIGNED_IN, expect={
        "get":    (302, 200, 200, 200, 200, 200, 200, 200, 200)}),
    "sponsorship:sponsor_list": Access(SIGNED_IN, expect={
        "get":    (302, 200, 200, 200, 200, 200, 200, 200, 200)}),
    "sponsorship:case_application": Access(OBJECT, sponsorship_kwargs("case"), expect={
        "get":    (302, 404, 404, 404, 302, 302, 302, 302, 302)}),
    "sponsorship:application_create": Access(OBJECT, sponsorship_kwargs("case"),
                                             write=True, expect={
        "get":    (302, 404, 404, 404, 404, 404, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "sponsorship:application_detail": Access(OBJECT, SPONSORSHIP_APP, expect={
        "get":    (302, 404, 404, 404, 200, 200, 200, 200, 200)}),
    "sponsorship:step_add": Access(OBJECT, SPONSORSHIP_APP, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 404, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 404, 400, 400, 400)}),
    "sponsorship:step_correct": Access(OBJECT, SPONSORSHIP_EVENT, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 404, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "sponsorship:step_remove": Access(OBJECT, SPONSORSHIP_EVENT, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 404, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "sponsorship:priority": Access(OBJECT, SPONSORSHIP_APP, write=True, data=lambda t: {"priority": "", "priority_reason": ""}, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    # The questionnaire holds admissibility flags: never for volunteers.
    "sponsorship:eligibility": Access(OBJECT, SPONSORSHIP_APP, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "sponsorship:plan_edit": Access(OBJECT, SPONSORSHIP_APP, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 404, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "sponsorship:in_kind_add": Access(OBJECT, SPONSORSHIP_APP, write=True, data=lambda t: {"kind": "housing", "value": "100"}, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    "sponsorship:extension_request": Access(OBJECT, SPONSORSHIP_APP, write=True,
                                            data=lambda t: {"months": "18", "reason": "Route access check."}, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    "sponsorship:extension_approve": Access(OBJECT, SPONSORSHIP_APP, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    # The volunteer of the family's group reads the plan and its schedule.
    "sponsorship:plan_pdf": Access(OBJECT, SPONSORSHIP_APP, expect={
        "get":    (302, 404, 404, 404, 200, 200, 200, 200, 200)}),
    # A sponsor group's profile: its organization's staff, and read-only its own volunteers.
    "sponsorship:sponsor_detail": Access(OBJECT, sponsorship_kwargs("team"), expect={
        "get":    (302, 404, 404, 404, 200, 404, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "sponsorship:sponsor_member_add": Access(OBJECT, sponsorship_kwargs("team"),
                                             write=True,
                                             data=lambda t: {"name": "Route check", "role": "contact"}, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    # API (haven/api/sponsorship.py).
    "sponsor-profile-list": Access(SIGNED_IN, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200)}),
    "sponsor-profile-detail": Access(OBJECT, lambda t: {"pk": sponsorship_kwargs("application")(t) and
                                                        t.group_a.sponsor_profile.pk}, expect={
        "get":    (403, 404, 404, 404, 200, 404, 200, 200, 200)}),
    "sponsorship-application-list": Access(SIGNED_IN, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200),
        "post":   (403, 400, 400, 400, 400, 400, 400, 400, 400)}),
    "sponsorship-application-detail": Access(OBJECT, SPONSORSHIP_APP, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200)}),
    "sponsorship-application-steps": Access(OBJECT, SPONSORSHIP_APP,
                                            data=lambda t: {"stage": "submitted", "occurred_on": "2024-03-01"}, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "post":   (403, 404, 404, 404, 404, 404, 201, 201, 201)}),
    "sponsorship-application-eligibility": Access(OBJECT, SPONSORSHIP_APP,
                                                  data=lambda t: {"question": "medical_concern", "answer": "no"}, expect={
        "get":    (403, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (403, 404, 404, 404, 404, 404, 201, 201, 201)}),
    "sponsorship-application-budget": Access(OBJECT, SPONSORSHIP_APP, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200)}),
}
ROUTES.update(SPONSORSHIP_ROUTES)
# ---------------------------------------------------------------------------------------------------------------
# Settlement (haven.settlement, issue 13) and the everyday gaps: the header search, the printable case summary.
# Records of the Maple case from haven.settlement.testing.maple_settlement (the owner is its designated worker).
# The plan and its practical parts are for everyone who sees the case (the volunteer reads a trimmed plan: no
# health or trauma domain, no income); changes are for whoever may change the case; the forms posted empty
# answer 200 with their errors. Restricted notes: the designated worker (owner) only, 404 to everyone else,
# administrators included. Designations: the staff of the case's organization (not the clinic's counsel). The
# provider directory: the staff of its organization; the outsider opens their own clinic's.
SETTLEMENT_CASE = pk_of("case")
API_CASE = lambda t: f"?case={t.case.pk}"  # noqa: E731
ROUTES.update({
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "search": Access(SIGNED_IN, query=lambda t: "?q=myong", expect={
        "get":    (302, 200, 200, 200, 200, 200, 200, 200, 200)}),
    "case_summary_pdf": Access(OBJECT, SETTLEMENT_CASE, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "settlement_plan": Access(OBJECT, SETTLEMENT_CASE, expect={
        "get":    (302, 404, 404, 404, 200, 200, 200, 200, 200)}),
    "settlement_family_plan_pdf": Access(OBJECT, SETTLEMENT_CASE, query=lambda t: "?lang=ko", expect={
        "get":    (302, 404, 404, 404, 200, 200, 200, 200, 200)}),
    "settlement_goal_add": Access(OBJECT, SETTLEMENT_CASE, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "settlement_referral_add": Access(OBJECT, SETTLEMENT_CASE, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "settlement_milestone_record": Access(OBJECT, SETTLEMENT_CASE, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "settlement_month_add": Access(OBJECT, SETTLEMENT_CASE, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "settlement_assessment_create": Access(OBJECT, SETTLEMENT_CASE, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "settlement_designation_add": Access(OBJECT, SETTLEMENT_CASE, write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "settlement_restricted_notes": Access(OBJECT, SETTLEMENT_CASE, write=True, expect={
        "get":    (302, 404, 404, 404, 404, 404, 404, 200, 404),
        "post":   (302, 404, 404, 404, 404, 404, 404, 200, 404)}),
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "settlement_assessment": Access(OBJECT, pk_of("assessment"), expect={
        "get":    (302, 404, 404, 404, 200, 200, 200, 200, 200)}),
    "settlement_assessment_delete": Access(OBJECT, pk_of("assessment"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "settlement_goal_edit": Access(OBJECT, pk_of("goal"), write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "settlement_goal_delete": Access(OBJECT, pk_of("goal"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "settlement_referral_status": Access(OBJECT, pk_of("referral"), write=True, expect={
        "get":    (302, 404, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 200, 200, 200, 200)}),
    "settlement_referral_delete": Access(OBJECT, pk_of("referral"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "settlement_milestone_clear": Access(OBJECT, pk_of("milestone"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "settlement_month_delete": Access(OBJECT, pk_of("budget"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 302, 302, 302, 302)}),
    "settlement_designation_remove": Access(OBJECT, pk_of("designation"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    "settlement_restricted_note": Access(OBJECT, pk_of("restricted_note"), expect={
        "get":    (302, 404, 404, 404, 404, 404, 404, 200, 404)}),
    "settlement_restricted_note_delete": Access(OBJECT, pk_of("restricted_note"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 404, 302, 404)}),
    "settlement_providers": Access(STAFF, expect={
        "get":    (302, 200, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 200, 404, 404, 404, 200, 200, 200, 200)}),
    "settlement_provider_edit": Access(OBJECT, pk_of("provider"), write=True, expect={
        "get":    (302, 404, 404, 404, 404, 404, 200, 200, 200),
        "post":   (302, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "settlement_provider_delete": Access(OBJECT, pk_of("provider"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    # API: lists per case (?case=ID); the volunteer reads the practical parts and may change nothing (403).
        #         anon  out ovol anal  vol cnsl coll  own  adm
    "assessment-list": Access(OBJECT, query=API_CASE, data=lambda t: {
        "case": t.case.pk, "assessed_on": "2025-05-01", "ratings": [{"domain": "housing", "level": 3}]}, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "post":   (403, 404, 404, 404, 403, 201, 201, 201, 201)}),
    "assessment-detail": Access(OBJECT, pk_of("assessment"), expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "delete": (403, 404, 404, 404, 403, 204, 204, 204, 204)}),
    "goal-list": Access(OBJECT, query=API_CASE, data=lambda t: {
        "case": t.case.pk, "domain": "housing", "description": "Find a two-bedroom flat"}, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "post":   (403, 404, 404, 404, 403, 201, 201, 201, 201)}),
    "goal-detail": Access(OBJECT, pk_of("goal"), data=lambda t: {"description": "Reach CLB 5 in speaking"},
                          expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "patch":  (403, 404, 404, 404, 403, 200, 200, 200, 200),
        "delete": (403, 404, 404, 404, 403, 204, 204, 204, 204)}),
    "referral-list": Access(OBJECT, query=API_CASE, data=lambda t: {
        "case": t.case.pk, "provider": t.provider.pk, "domain": "language", "referred_on": "2025-04-01"}, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "post":   (403, 404, 404, 404, 403, 201, 201, 201, 201)}),
    "referral-detail": Access(OBJECT, pk_of("referral"), data=lambda t: {
        "status": "attending", "changed_on": "2025-03-10"}, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "patch":  (403, 404, 404, 404, 403, 200, 200, 200, 200),
        "delete": (403, 404, 404, 404, 403, 204, 204, 204, 204)}),
    "milestone-list": Access(OBJECT, query=API_CASE, data=lambda t: {
        "case": t.case.pk, "kind": "sin", "done_on": "2025-03-01"}, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "post":   (403, 404, 404, 404, 403, 201, 201, 201, 201)}),
    "milestone-detail": Access(OBJECT, pk_of("milestone"), expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200),
        "delete": (403, 404, 404, 404, 403, 204, 204, 204, 204)}),
    "plan-detail": Access(OBJECT, SETTLEMENT_CASE, expect={
        "get":    (403, 404, 404, 404, 200, 200, 200, 200, 200)}),
    # The directory as a list answers everyone signed in, with the providers of their own organizations (none
    # for volunteers and the analyst); adding one to Maple's is for Maple's staff (400 for the others).
    "provider-list": Access(SIGNED_IN, data=lambda t: {"organization": t.org.pk, "name": "Harbour Jobs",
                                                       "kind": "employment_program"}, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200),
        "post":   (403, 400, 400, 400, 400, 400, 201, 201, 201)}),
    "provider-detail": Access(OBJECT, pk_of("provider"), data=lambda t: {"contact": "604-555-0100"}, expect={
        "get":    (403, 404, 404, 404, 404, 404, 200, 200, 200),
        "patch":  (403, 404, 404, 404, 404, 404, 200, 200, 200),
        "delete": (403, 404, 404, 404, 404, 404, 204, 204, 204)}),
})


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


def forbidden_values(maple_case, clinic_case) -> dict[str, dict[str, str]]:
    """Persona → the personal values (→ where they come from) it may never receive, after LEAK_POLICY.

    A value both cases hold, or one the application prints itself, cannot tell which record was shown."""
    maple, clinic = personal_values(maple_case), personal_values(clinic_case)
    shared = set(maple) & set(clinic) | set(SHOWN_BY_THE_APPLICATION)
    sets = {"maple": maple, "clinic": clinic, "confidential": confidential_values(maple_case)}
    return {persona: {value: where for kind in kinds for value, where in sets[kind].items() if value not in shared}
            for persona, kinds in LEAK_POLICY.items()}


def rule_breaches(route: Route, spec: Access) -> Iterator[tuple[str, str, str]]:
    """(persona, method, breach) for each status of `spec` that breaks an access rule (module docstring)."""
    is_api = route.pattern.startswith("api/")
    for method, row in spec.expect.items():
        if len(row) != len(PERSONAS):
            yield "", method, f"has {len(row)} statuses, not one per persona of PERSONAS"
            continue
        status = dict(zip(PERSONAS, row))
        yield from ((persona, method, f"answers {code}") for persona, code in status.items() if code >= 500)
        if spec.scope != PUBLIC and status["anonymous"] not in ((401, 403) if is_api else (302,)):
            yield "anonymous", method, f"gets {status['anonymous']}, not {'401/403' if is_api else 'the login page'}"
        signed_in = set(row[1:])
        if signed_in == {405}:  # the route does not offer this method to anyone
            continue
        strangers = {OBJECT: ("outsider", "other_volunteer", "analyst"),
                     STAFF: ("other_volunteer", "volunteer", "analyst")}.get(spec.scope, ())
        yield from ((persona, method, f"gets {status[persona]}, not 404 as for a missing record")
                    for persona in strangers if status[persona] != 404)
        writes = spec.write or method not in SAFE_METHODS
        if spec.scope == OBJECT and writes and not spec.volunteer_writes and status["volunteer"] not in (403, 404):
            yield "volunteer", method, f"may write ({status['volunteer']}) although read-only"
        for persona, code in status.items():
            if code == 403 and persona != "anonymous" and not (persona == "volunteer" and spec.scope == OBJECT):
                yield persona, method, "gets 403: a refusal is 404, as for a record that does not exist"
        if spec.scope in (OBJECT, STAFF) and signed_in == {404}:
            yield "", method, "no persona reaches the record (a positive control): is the URL filled right?"


class RouteAccessTests(PersonaTestCase):
    """One pass over every route per persona; all failures are reported together."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # One item of each person-page section, so that the remove routes address a real record.
        cls.names_item = PersonName.objects.create(person=cls.person, family_name="Lee", given_name="Myeong-cheol")
        cls.nationalities_item = Nationality.objects.get(person=cls.person, country="KR")
        cls.languages_item = PersonLanguage.objects.create(person=cls.person, language="kor")
        cls.vulnerabilities_item = cls.vulnerability
        cls.documents_item = IdentityDocument.objects.create(person=cls.person, kind=IdentityDocument.Kind.UNHCR,
                                                             number="UNHCR-123-456")
        # A likely duplicate of the principal applicant waiting for review, and a past merge of two more
        # spellings of him, both named so that only someone allowed to see Maple may read them.
        spellings = [PersonFactory(household=cls.household, family_name=family, given_name="Myŏng-chŏl",
                                   family_name_hangul="리", given_name_hangul="명철", birth_date=cls.person.birth_date,
                                   relationship="other_relative") for family in ("Rhee", "Yi", "Lee")]
        cls.maple_candidate = MatchCandidate.objects.create(
            organization=cls.org, person_a=cls.person, person_b=spellings[0], match_probability=0.97,
            match_weight=8.5, comparisons=[{"comparison": "name", "level": "Same Hangul name", "match_weight": 9.0}])
        cls.maple_merge = matching_services.merge_persons(actor=cls.owner, kept=spellings[1], absorbed=spellings[2])
        # The Maple claim, its steps, issue and evidence, before the values are gathered, so that they count.
        claim_testing.maple_claim(cls)
        maple_settlement(cls)
        build_work(cls)  # the volunteer's task and appointment, and the owner's (haven.casework.testing)
        cls.forbidden = forbidden_values(cls.case, cls.other_case)

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

    def test_table_follows_the_access_rules(self):
        problems = []
        for route in project_routes():
            spec = ROUTES.get(route.key)
            if spec is None:
                continue
            used = set()
            for persona, method, breach in rule_breaches(route, spec):
                if persona in spec.deviations:
                    used.add(persona)
                else:
                    problems.append(f"ROUTES[{route.key!r}] {method.upper()} [{persona or 'table'}] {breach}")
            problems += [f"ROUTES[{route.key!r}]: deviation for {persona} no longer needed, remove it"
                         for persona in set(spec.deviations) - used]
        self.fail_all(sorted(set(problems)))

    def test_the_walk_sees_included_and_router_routes(self):
        keys = {route.key for route in iter_routes()}
        self.assertIn("healthz", keys)
        self.assertIn("api-root", keys)
        self.assertIn("admin:index", keys)
        self.assertTrue(any(route.pattern.startswith("api/v1/") and "format" in route.params
                            for route in iter_routes()), "the router's format-suffix routes are walked")

    # --------------------------------------------------------------- personas

    def check_persona(self, persona: str) -> None:
        """Every route, every method: the exact status of the table, and none of the persona's forbidden values."""
        login_url = reverse("login")
        forbidden = self.forbidden[persona]
        problems = []
        for route, spec, method, url, response in self.each_request(None if persona == "anonymous" else persona):
            where = f"[{persona}] {method.upper()} {url} ({route.key})"
            if isinstance(response, Exception):
                problems.append(f"{where}: raised {response!r}")
                continue
            status, expected = response.status_code, spec.status(method, persona)
            if status != expected:
                problems.append(f"{where}: expected {expected}, got {status}")
            elif persona == "anonymous" and spec.scope != PUBLIC and status == 302:
                location = response["Location"]
                if not location.startswith(login_url):
                    problems.append(f"{where}: expected a redirect to {login_url}, got one to {location}")
            shown = found(body_text(response), forbidden)
            if shown:
                problems.append(f"{where}: answered {status} showing {', '.join(shown)}")
        self.fail_all(problems)

    def test_anonymous(self):
        self.check_persona("anonymous")

    def test_outsider(self):
        self.check_persona("outsider")

    def test_other_sponsor_group(self):
        self.check_persona("other_volunteer")

    def test_analyst(self):
        self.check_persona("analyst")

    def test_volunteer(self):
        self.check_persona("volunteer")

    def test_counsel(self):
        self.check_persona("counsel")

    def test_colleague(self):
        self.check_persona("colleague")

    def test_owner(self):
        self.check_persona("owner")

    def test_admin(self):
        self.check_persona("admin")

    def test_leak_detection_knows_the_fixtures(self):
        """The values searched for include every kind of personal field, decrypted, in every script."""
        maple = self.forbidden["anonymous"]
        for value in ("MSS-2026-001", "Ri family sponsorship", "Myŏng-ch'ŏl", "명철", "Su-a", "수아", "HH-001",
                      "Airport pickup on Friday.", "Confidential: family in Hyesan at risk.", "boc.pdf",
                      "Disclosed at intake; do not share.", "UNHCR-123-456", "Myeong-cheol", "Rhee", "TB6-00001",
                      "HLC-2026-077", "Ok-sun", "옥순"):
            self.assertIn(value, maple)
        self.assertNotIn("Ri family", maple)  # SHOWN_BY_THE_APPLICATION
        self.assertNotIn("Ri", maple)  # too short to mean anything (haven.testing.leaks.MIN_LENGTH)
        volunteer = self.forbidden["volunteer"]
        self.assertIn("Disclosed at intake; do not share.", volunteer)
        self.assertIn("UNHCR-123-456", volunteer)
        self.assertNotIn("Airport pickup on Friday.", volunteer)  # a non-confidential note: the volunteer reads it
        self.assertEqual(found("<td>Myŏng-ch&#x27;ŏl</td>", maple), ["Person.given_name \"Myŏng-ch'ŏl\""])

    def test_calendar_feed_answers_only_its_token(self):
        """The one public route that shows records: its token is the credential (see ROUTES["deadline_feed"])."""
        owner_token = feeds.create_feed(actor=self.owner)
        outsider_token = feeds.create_feed(actor=self.outsider)
        anonymous = Client()
        own = anonymous.get(reverse("deadline_feed", kwargs={"token": owner_token}))
        self.assertEqual(own.status_code, 200)
        self.assertIn("BEGIN:VCALENDAR", body_text(own))
        foreign = anonymous.get(reverse("deadline_feed", kwargs={"token": outsider_token}))
        self.assertEqual(foreign.status_code, 200)
        self.assertEqual(found(body_text(foreign), self.forbidden["outsider"]), [])
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
                shown = found(body_text(response), self.forbidden["anonymous"])
                if shown:
                    problems.append(f"{where}: shows {', '.join(shown)}")
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


FUNDS_ROUTES: dict[str, Access] = {
    "funds:home": Access(SIGNED_IN, expect={
        "get":    (302, 200, 200, 200, 200, 200, 200, 200, 200)}),
    "funds:campaign_create": Access(STAFF, expect={
        "get":    (302, 200, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 200, 404, 404, 404, 200, 200, 200, 200)}),
    "funds:campaign_detail": Access(OBJECT, funds_kwargs("campaign"), expect={
        "get":    (302, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "funds:donor_list": Access(STAFF, expect={
        "get":    (302, 200, 404, 404, 404, 200, 200, 200, 200)}),
    "funds:donor_create": Access(STAFF, expect={
        "get":    (302, 200, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 200, 404, 404, 404, 200, 200, 200, 200)}),
    "funds:donor_detail": Access(OBJECT, funds_kwargs("donor"), expect={
        "get":    (302, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "funds:pledge_create": Access(STAFF, expect={
        "get":    (302, 200, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 200, 404, 404, 404, 200, 200, 200, 200)}),
    "funds:donation_create": Access(STAFF, expect={
        "get":    (302, 200, 404, 404, 404, 200, 200, 200, 200),
        "post":   (302, 200, 404, 404, 404, 200, 200, 200, 200)}),
    "funds:donation_detail": Access(OBJECT, funds_kwargs("donation"), expect={
        "get":    (302, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "funds:receipt_issue": Access(OBJECT, funds_kwargs("donation"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    "funds:receipt_detail": Access(OBJECT, funds_kwargs("receipt"), expect={
        "get":    (302, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "funds:receipt_pdf": Access(OBJECT, funds_kwargs("receipt"), expect={
        "get":    (302, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "funds:receipt_void_request": Access(OBJECT, funds_kwargs("receipt"),
                                         write=True,
                                         data=lambda t: {"reason": "Route access check.", "replace": "on"}, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    "funds:receipt_void_approve": Access(OBJECT, funds_kwargs("receipt"),
                                         write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    "funds:trust_detail": Access(OBJECT, funds_kwargs("trust"), expect={
        "get":    (302, 404, 404, 404, 200, 404, 200, 200, 200)}),
    "funds:allocate": Access(OBJECT, funds_kwargs("trust"), write=True, data=lambda t: {"case": t.case.pk, "amount": "1.00"}, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    "funds:family": Access(OBJECT, funds_kwargs("case"), expect={
        "get":    (302, 404, 404, 404, 200, 404, 200, 200, 200)}),
    "funds:plan": Access(OBJECT, funds_kwargs("case"), write=True, data=lambda t: {"first_due_on": "2026-01-01", "months": 2,
                                                                     "monthly_amount": "10.00"}, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    "funds:plan_from_settlement": Access(OBJECT, funds_kwargs("case"), write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    "funds:disbursement_approve": Access(OBJECT, funds_kwargs("disbursement"),
                                         write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    "funds:disbursement_pay": Access(OBJECT, funds_kwargs("disbursement"),
                                     write=True, expect={
        "post":   (302, 404, 404, 404, 404, 404, 302, 302, 302)}),
    "funds:ledger_export": Access(STAFF, kwargs=lambda t: {"fmt": "csv"}, expect={
        "get":    (302, 200, 404, 404, 404, 200, 200, 200, 200)}),
    "funds:charity_settings": Access(OBJECT, ORGANIZATION, write=True,
                                     expect={
        "get":    (302, 404, 404, 404, 404, 404, 404, 404, 200),
        "post":   (302, 404, 404, 404, 404, 404, 404, 404, 200)}),
    # API: lists are scoped to what the caller may see (staff lists for donors, gifts, pledges, receipts and
    # campaigns; the volunteer's group's trust, allocations and disbursements); POST creates through a service.
    "campaign-list": Access(SIGNED_IN, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200),
        "post":   (403, 400, 400, 400, 400, 400, 400, 400, 400)}),
    "donor-list": Access(SIGNED_IN, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200),
        "post":   (403, 400, 400, 400, 400, 400, 400, 400, 400)}),
    "pledge-list": Access(SIGNED_IN, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200),
        "post":   (403, 400, 400, 400, 400, 400, 400, 400, 400)}),
    "donation-list": Access(SIGNED_IN, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200),
        "post":   (403, 400, 400, 400, 400, 400, 400, 400, 400)}),
    "receipt-list": Access(SIGNED_IN, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200),
        "post":   (403, 400, 400, 400, 400, 400, 400, 400, 400)}),
    "trust-list": Access(SIGNED_IN, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200)}),
    "allocation-list": Access(SIGNED_IN, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200),
        "post":   (403, 400, 400, 400, 400, 400, 400, 400, 400)}),
    "disbursement-list": Access(SIGNED_IN, expect={
        "get":    (403, 200, 200, 200, 200, 200, 200, 200, 200)}),
    "campaign-detail": Access(OBJECT, funds_kwargs("campaign"), expect={
        "get":    (403, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "donor-detail": Access(OBJECT, funds_kwargs("donor"), expect={
        "get":    (403, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "pledge-detail": Access(OBJECT, funds_kwargs("pledge"), expect={
        "get":    (403, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "donation-detail": Access(OBJECT, funds_kwargs("donation"), expect={
        "get":    (403, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "receipt-detail": Access(OBJECT, funds_kwargs("receipt"), expect={
        "get":    (403, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "receipt-pdf": Access(OBJECT, funds_kwargs("receipt"), expect={
        "get":    (403, 404, 404, 404, 404, 404, 200, 200, 200)}),
    "receipt-void": Access(OBJECT, funds_kwargs("receipt"), write=True, expect={
        "post":   (403, 404, 404, 404, 404, 404, 400, 400, 400)}),
    "receipt-approve-void": Access(OBJECT, funds_kwargs("receipt"), write=True, expect={
        "post":   (403, 404, 404, 404, 404, 404, 400, 400, 400)}),
    "trust-detail": Access(OBJECT, funds_kwargs("trust"), expect={
        "get":    (403, 404, 404, 404, 200, 404, 200, 200, 200)}),
    "allocation-detail": Access(OBJECT, funds_kwargs("allocation"), expect={
        "get":    (403, 404, 404, 404, 200, 404, 200, 200, 200)}),
    "disbursement-detail": Access(OBJECT, funds_kwargs("disbursement"), expect={
        "get":    (403, 404, 404, 404, 200, 404, 200, 200, 200)}),
    "disbursement-approve": Access(OBJECT, funds_kwargs("disbursement"),
                                   write=True, expect={
        "post":   (403, 404, 404, 404, 404, 404, 200, 400, 200)}),
    "disbursement-pay": Access(OBJECT, funds_kwargs("disbursement"), write=True, expect={
        "post":   (403, 404, 404, 404, 404, 404, 400, 400, 400)}),
}
ROUTES.update(FUNDS_ROUTES)

MAPLE_STAFF = ("owner", "colleague", "admin")


class FundsDonorLeakTests:
    """No funds route shows a donor's name to anyone but the staff of the donor's organization (a donor is no
    record of the Maple case, so the personal values of the fixtures do not cover them)."""

    def test_funds_routes_never_show_a_donor_to_others(self):
        from haven.funds.testing import DONOR_NAME

        problems = []
        for persona in (None, *PERSONAS[1:]):
            if persona in MAPLE_STAFF:
                continue
            for route in project_routes():
                spec = FUNDS_ROUTES.get(route.key)
                if spec is None or "format" in route.params:
                    continue
                url = self.url_for(route, spec)
                for method in spec.methods:
                    response = self.call(self.client_for(persona), method, route, spec, url)
                    if found(body_text(response), {DONOR_NAME: "the donor"}):
                        problems.append(f"[{persona or 'anonymous'}] {method.upper()} {url} shows the donor's name")
        self.fail_all(problems)


RouteAccessTests.test_funds_routes_never_show_a_donor_to_others = (
    FundsDonorLeakTests.test_funds_routes_never_show_a_donor_to_others)
