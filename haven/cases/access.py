"""Record-level access. Every read of a case, household, person, note or
attachment goes through one of the `get_*_for_user` helpers or a `visible_*`
queryset here. Outsiders get Http404, exactly as for a record that does not
exist, so the existence of a record is never disclosed.

Every app does the same: its selectors build `visible_<kind>(user)` on these
querysets and fetch one record with `get_visible_or_404(queryset, pk)`, which
answers a malformed id, a missing record and a hidden one with one Http404.

Rules:
- administrators, caseworkers and legal representatives see every case of
  their organization, in full, and may change it;
- a user assigned to a case (from any organization) sees it in full and may
  change it;
- a sponsor-group volunteer sees the cases of their group, read-only, without
  confidential notes, vulnerabilities, identity documents or confidential
  attachments, and may add non-confidential notes;
- analysts see no case and no person: only aggregates;
- a platform superuser gets no special access to case data.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.db.models import CharField, IntegerField, Q, QuerySet, Value
from django.http import Http404

from haven.accounts.models import STAFF_ROLES, Membership, Organization, Role
from haven.cases.models import Attachment, Case, CaseAssignment, Note
from haven.db.compiled import CompiledQuery
from haven.people.models import Household, Person
from haven.records import deleted_rows


@dataclass(frozen=True)
class AccessProfile:
    staff_org_ids: frozenset[int]
    admin_org_ids: frozenset[int]
    volunteer_team_ids: frozenset[int]
    analyst_org_ids: frozenset[int]
    roles: frozenset[str] = frozenset()
    # Cases assigned to the user that their memberships do not already show (usually none).
    assigned_elsewhere: frozenset[int] = frozenset()

    @property
    def is_analyst_only(self) -> bool:
        return bool(self.analyst_org_ids) and not (self.staff_org_ids or self.volunteer_team_ids)


@dataclass(frozen=True)
class Permissions:
    can_write: bool
    see_confidential: bool
    can_add_note: bool
    is_admin: bool

    @property
    def can_view_history(self) -> bool:
        return self.is_admin


FULL = Permissions(can_write=True, see_confidential=True, can_add_note=True, is_admin=False)
FULL_ADMIN = Permissions(can_write=True, see_confidential=True, can_add_note=True, is_admin=True)
VOLUNTEER = Permissions(can_write=False, see_confidential=False, can_add_note=True, is_admin=False)
_EMPTY = AccessProfile(frozenset(), frozenset(), frozenset(), frozenset())


_ASSIGNED = "__assigned__"  # marks, in access_profile's one query, the rows that are case assignments


def access_profile(user) -> AccessProfile:
    """The user's roles, and the cases assigned to them that their roles do not already show, in one query
    per request object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return _EMPTY
    cached = getattr(user, "_haven_access", None)
    if cached is not None:
        return cached
    staff, admin, teams, analyst, roles, assigned = set(), set(), set(), set(), set(), set()
    for first, role, team_id in _membership_and_assignment_rows(user):
        if role == _ASSIGNED:
            assigned.add(first)
            continue
        org_id = first
        roles.add(role)
        if role in STAFF_ROLES:
            staff.add(org_id)
        if role == Role.ADMIN:
            admin.add(org_id)
        if role == Role.VOLUNTEER and team_id:
            teams.add(team_id)
        if role == Role.ANALYST:
            analyst.add(org_id)
    profile = AccessProfile(frozenset(staff), frozenset(admin), frozenset(teams), frozenset(analyst),
                            frozenset(roles), frozenset(assigned))
    user._haven_access = profile
    return profile


def _membership_and_assignment_rows(user) -> list[tuple]:
    """(organization id, role, team id) per membership, then (case id, _ASSIGNED, None) per case assigned to
    the user outside the organizations where they are staff and the sponsor groups where they volunteer.

    Every signed-in request runs this query, and building and compiling it through the ORM cost about as much
    as running it (1 ms): it is compiled once per process and database connection alias, for a stand-in user
    id, and run with the user's id in its place (tested against the queryset for each persona)."""
    return _PROFILE_ROWS.rows(Membership.objects.db, user_id=user.pk)


# Not an id any user has (ids are positive), and not equal to any other parameter of the query (role names).
_STAND_IN_USER_ID = -7_204_115_931


def _profile_rows_query(user_id: int) -> QuerySet:
    memberships = Membership.objects.filter(user_id=user_id)
    staff_orgs = memberships.filter(role__in=sorted(STAFF_ROLES)).values("organization_id")
    volunteer_teams = memberships.filter(role=Role.VOLUNTEER, team__isnull=False).values("team_id")
    assigned = (CaseAssignment.objects.filter(user_id=user_id)
                .exclude(case__organization_id__in=staff_orgs)
                .exclude(case__sponsor_group_id__in=volunteer_teams)
                .annotate(marker=Value(_ASSIGNED, output_field=CharField()),
                          no_team=Value(None, output_field=IntegerField()))
                .values_list("case_id", "marker", "no_team"))
    return memberships.values_list("organization_id", "role", "team_id").union(assigned, all=True)


_PROFILE_ROWS = CompiledQuery(_profile_rows_query, user_id=_STAND_IN_USER_ID)


def forget_access(user) -> None:
    if hasattr(user, "_haven_access"):
        del user._haven_access


def visible_cases(user) -> QuerySet[Case]:
    profile = access_profile(user)
    if profile is _EMPTY or not user.is_authenticated:
        return Case.objects.none()
    conditions = []
    if profile.staff_org_ids:
        conditions.append(Q(organization_id__in=profile.staff_org_ids))
    if profile.volunteer_team_ids:
        conditions.append(Q(sponsor_group_id__in=profile.volunteer_team_ids))
    # Listed ids rather than an OR with a subquery: usually there are none, and the condition is then
    # `organization_id IN (...)` alone, which PostgreSQL serves from an index in the list's order.
    if profile.assigned_elsewhere:
        conditions.append(Q(pk__in=sorted(profile.assigned_elsewhere)))
    if not conditions:
        return Case.objects.none()
    condition = conditions[0]
    for other in conditions[1:]:
        condition |= other
    return Case.objects.filter(condition)


def visible_households(user) -> QuerySet[Household]:
    profile = access_profile(user)
    if not user.is_authenticated:
        return Household.objects.none()
    condition = Q(pk__in=visible_cases(user).values("household_id"))
    if profile.staff_org_ids:
        condition |= Q(organization_id__in=profile.staff_org_ids)
    return Household.objects.filter(condition)


def visible_persons(user, *, include_merged: bool = False) -> QuerySet[Person]:
    """Persons of the households the user may see, as themselves: a person merged into another is left out
    (Person.objects) unless `include_merged` (the person page, which then says whom they were merged into)."""
    persons = Person.all_objects if include_merged else Person.objects
    return persons.filter(household_id__in=visible_households(user).values("pk"))


def case_permissions(user, case: Case) -> Permissions | None:
    profile = access_profile(user)
    if case.organization_id in profile.staff_org_ids:
        return FULL_ADMIN if case.organization_id in profile.admin_org_ids else FULL
    if user.is_authenticated and CaseAssignment.objects.filter(case=case, user=user).exists():
        return FULL
    if case.sponsor_group_id and case.sponsor_group_id in profile.volunteer_team_ids:
        return VOLUNTEER
    return None


def household_permissions(user, household: Household) -> Permissions | None:
    profile = access_profile(user)
    if household.organization_id in profile.staff_org_ids:
        return FULL_ADMIN if household.organization_id in profile.admin_org_ids else FULL
    best: Permissions | None = None
    for case in household.cases.all():
        perms = case_permissions(user, case)
        if perms and (best is None or perms.can_write > best.can_write):
            best = perms
    return best


# The one answer to "not there" and to "not yours": the same exception and message, so that neither the status
# nor the text tells an outsider that a record exists.
NOT_FOUND = "No such record."

# Primary keys are 64-bit signed integers on every database Haven runs on; a larger number cannot name a record
# (and SQLite refuses to bind it), so it is answered like any other id that does not exist.
MAX_PK = 2**63 - 1
M = TypeVar("M")


def not_found() -> Http404:
    """The Http404 for a record that is missing or that the user may not see (`raise not_found()`)."""
    return Http404(NOT_FOUND)


def parse_pk(pk) -> int:
    """`pk` as a positive 64-bit integer (an int, or a string of ASCII digits as URLs and query strings give);
    Http404 for anything else: None, text, signs, spaces, floats, out-of-range numbers."""
    if isinstance(pk, int) and not isinstance(pk, bool):
        value = pk
    elif isinstance(pk, str) and pk.isascii() and pk.isdigit() and len(pk) <= 19:
        value = int(pk)
    else:
        raise not_found()
    if not 0 < value <= MAX_PK:
        raise not_found()
    return value


def get_visible_or_404(queryset: QuerySet[M], pk) -> M:
    """The record `pk` of `queryset`, which is already limited to what the user may see (a `visible_<kind>(user)`
    queryset); Http404 with the same message whether the id is malformed, does not exist or is not visible."""
    value = parse_pk(pk)
    try:
        return queryset.get(pk=value)
    except queryset.model.DoesNotExist:
        raise not_found() from None


def require_permissions(perms: Permissions | None, *, write: bool = False) -> Permissions:
    """`perms`, when they allow reading (and writing, with `write`); Http404 otherwise, as for a missing record."""
    if perms is None or (write and not perms.can_write):
        raise not_found()
    return perms


def case_permissions_or_404(user, case: Case, *, write: bool = False) -> Permissions:
    return require_permissions(case_permissions(user, case), write=write)


def _case_item_permissions(user, item: Note | Attachment, *, write: bool) -> Permissions:
    """A note's or file's permissions are its case's; a confidential one is invisible to whoever may not see
    confidential material (a sponsor-group volunteer)."""
    perms = case_permissions_or_404(user, item.case, write=write)
    if item.confidential and not perms.see_confidential:
        raise not_found()
    return perms


def get_case_for_user(user, pk, *, write: bool = False) -> tuple[Case, Permissions]:
    case = get_visible_or_404(
        visible_cases(user).select_related("organization", "household", "sponsor_group"), pk)
    return case, case_permissions_or_404(user, case, write=write)


def get_household_for_user(user, pk, *, write: bool = False) -> tuple[Household, Permissions]:
    household = get_visible_or_404(visible_households(user).select_related("organization"), pk)
    return household, require_permissions(household_permissions(user, household), write=write)


def get_person_for_user(user, pk, *, write: bool = False, include_merged: bool = False) -> tuple[Person, Permissions]:
    """A person the user may see (and change, with `write`); a person merged into another only with
    `include_merged`, never to change."""
    persons = visible_persons(user, include_merged=include_merged and not write)
    person = get_visible_or_404(persons.select_related("household", "household__organization", "merged_into"), pk)
    return person, require_permissions(household_permissions(user, person.household), write=write)


def notes_of_visible_cases(user) -> QuerySet[Note]:
    """Notes of the cases the user may see, confidential or not (get_note_for_user then applies the case's
    permissions); `visible_notes` is one case's notes as the user may read them."""
    return Note.objects.filter(case_id__in=visible_cases(user).values("pk"))


def attachments_of_visible_cases(user) -> QuerySet[Attachment]:
    """Files of the cases the user may see (see notes_of_visible_cases)."""
    return Attachment.objects.filter(case_id__in=visible_cases(user).values("pk"))


def get_note_for_user(user, pk, *, write: bool = False) -> tuple[Note, Permissions]:
    note = get_visible_or_404(notes_of_visible_cases(user).select_related("case", "author"), pk)
    return note, _case_item_permissions(user, note, write=write)


def get_attachment_for_user(user, pk, *, write: bool = False) -> tuple[Attachment, Permissions]:
    attachment = get_visible_or_404(attachments_of_visible_cases(user).select_related("case"), pk)
    return attachment, _case_item_permissions(user, attachment, write=write)


def get_item_for_admin(user, model: type[Note] | type[Attachment], pk) -> Note | Attachment:
    """A note or file, in the deleted items or not, of a case whose organization `user` administers: restoring
    is the administrators'. Http404 for anyone else, as for a missing record."""
    administered = model.all_objects.filter(case__organization_id__in=access_profile(user).admin_org_ids)
    return get_visible_or_404(administered.select_related("case"), pk)


def deleted_items(case: Case) -> tuple[list[Note], list[Attachment]]:
    """The case's deleted notes and files, newest deletion first, for its administrators."""
    return (list(deleted_rows(Note, case=case).select_related("author", "deleted_by")),
            list(deleted_rows(Attachment, case=case).select_related("uploaded_by", "deleted_by")))


def visible_notes(user, case: Case, perms: Permissions) -> QuerySet[Note]:
    notes = case.notes.select_related("author")
    return notes if perms.see_confidential else notes.filter(confidential=False)


def visible_attachments(user, case: Case, perms: Permissions) -> QuerySet[Attachment]:
    attachments = case.attachments.select_related("uploaded_by")
    return attachments if perms.see_confidential else attachments.filter(confidential=False)


def writable_organizations(user):
    """Organizations in which the user may open cases and households."""
    return Organization.objects.filter(pk__in=access_profile(user).staff_org_ids)
