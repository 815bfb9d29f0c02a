"""Record-level access. Every read of a case, household, person, note or
attachment goes through one of the `get_*_for_user` helpers or a `visible_*`
queryset here. Outsiders get Http404, exactly as for a record that does not
exist, so the existence of a record is never disclosed.

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

from django.db import connections
from django.db.models import CharField, IntegerField, Q, QuerySet, Value
from django.http import Http404

from haven.accounts.models import STAFF_ROLES, Membership, Organization, Role
from haven.cases.models import Attachment, Case, CaseAssignment, Note
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
    using = Membership.objects.db
    compiled = _PROFILE_SQL.get(using)
    if compiled is None:
        compiled = _PROFILE_SQL[using] = _profile_rows_query(_STAND_IN_USER_ID).query.get_compiler(
            using=using).as_sql()
    sql, params = compiled
    with connections[using].cursor() as cursor:
        cursor.execute(sql, [user.pk if param == _STAND_IN_USER_ID else param for param in params])
        return cursor.fetchall()


# Not an id any user has (ids are positive), and not equal to any other parameter of the query (role names).
_STAND_IN_USER_ID = -7_204_115_931
_PROFILE_SQL: dict[str, tuple[str, tuple]] = {}


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


def visible_persons(user) -> QuerySet[Person]:
    return Person.objects.filter(household_id__in=visible_households(user).values("pk"))


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


def _check(perms: Permissions | None, write: bool) -> Permissions:
    if perms is None or (write and not perms.can_write):
        raise Http404("No such record.")
    return perms


def get_case_for_user(user, pk, *, write: bool = False) -> tuple[Case, Permissions]:
    try:
        case = Case.objects.select_related("organization", "household", "sponsor_group").get(pk=int(pk))
    except (Case.DoesNotExist, TypeError, ValueError):
        raise Http404("No such record.") from None
    return case, _check(case_permissions(user, case), write)


def get_household_for_user(user, pk, *, write: bool = False) -> tuple[Household, Permissions]:
    try:
        household = Household.objects.select_related("organization").get(pk=int(pk))
    except (Household.DoesNotExist, TypeError, ValueError):
        raise Http404("No such record.") from None
    return household, _check(household_permissions(user, household), write)


def get_person_for_user(user, pk, *, write: bool = False) -> tuple[Person, Permissions]:
    try:
        person = Person.objects.select_related("household", "household__organization").get(pk=int(pk))
    except (Person.DoesNotExist, TypeError, ValueError):
        raise Http404("No such record.") from None
    return person, _check(household_permissions(user, person.household), write)


def get_note_for_user(user, pk, *, write: bool = False) -> tuple[Note, Permissions]:
    try:
        note = Note.objects.select_related("case", "author").get(pk=int(pk))
    except (Note.DoesNotExist, TypeError, ValueError):
        raise Http404("No such record.") from None
    perms = _check(case_permissions(user, note.case), write)
    if note.confidential and not perms.see_confidential:
        raise Http404("No such record.")
    return note, perms


def get_attachment_for_user(user, pk, *, write: bool = False) -> tuple[Attachment, Permissions]:
    try:
        attachment = Attachment.objects.select_related("case").get(pk=int(pk))
    except (Attachment.DoesNotExist, TypeError, ValueError):
        raise Http404("No such record.") from None
    perms = _check(case_permissions(user, attachment.case), write)
    if attachment.confidential and not perms.see_confidential:
        raise Http404("No such record.")
    return attachment, perms


def get_item_for_admin(user, model: type[Note] | type[Attachment], pk) -> Note | Attachment:
    """A note or file, in the deleted items or not, of a case whose organization `user` administers: restoring
    is the administrators'. Http404 for anyone else, as for a missing record."""
    try:
        item = model.all_objects.select_related("case").get(pk=int(pk))
    except (model.DoesNotExist, TypeError, ValueError):
        raise Http404("No such record.") from None
    perms = case_permissions(user, item.case)
    if perms is None or not perms.is_admin:
        raise Http404("No such record.")
    return item


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
