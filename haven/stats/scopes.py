"""Who may count what (the statistics counterpart of haven.cases.access).

- Staff (administrator, caseworker, legal representative) see exact internal figures over the cases of their
  own organization(s) that they may open: visible_cases(user) limited to their staff organizations. A case of
  another organization they are assigned to (counsel) is not counted: statistics are an organization's own.
  Staff may also ask for the published (outside-use) version.
- Analysts see only the published version: organization-wide aggregates of their organization(s), small counts
  suppressed and the rest rounded (haven.stats.privacy). They never see a case, a reference or a person:
  the data-quality page shows them counts only.
- Sponsor-group volunteers see no Haven statistics: a group's handful of cases would identify the people in
  them. They may read the published figures from outside sources, without Haven's column.
- Anyone without a role in an organization sees nothing (404, as for a page that does not exist).
"""
from __future__ import annotations

from django.utils.translation import gettext as _

from haven.accounts.models import Organization
from haven.cases.access import access_profile, visible_cases
from haven.cases.models import Case
from haven.stats.registry import Scope


def can_see_internal(user) -> bool:
    return bool(access_profile(user).staff_org_ids)


def is_member(user) -> bool:
    profile = access_profile(user)
    return bool(profile.staff_org_ids or profile.analyst_org_ids or profile.volunteer_team_ids)


def stats_scope(user, *, published: bool = False) -> Scope | None:
    """The cases a user's statistics are computed over, or None when the user may see no Haven statistics."""
    profile = access_profile(user)
    if profile.staff_org_ids and not published:
        cases = visible_cases(user).filter(organization_id__in=profile.staff_org_ids)
        return Scope(cases=cases, published=False, label=_label(profile.staff_org_ids, internal=True))
    org_ids = profile.staff_org_ids | profile.analyst_org_ids
    if not org_ids:
        return None
    return Scope(cases=Case.objects.filter(organization_id__in=org_ids), published=True,
                 label=_label(org_ids, internal=False))


def _label(org_ids, *, internal: bool) -> str:
    names = ", ".join(Organization.objects.filter(pk__in=org_ids).order_by("name").values_list("name", flat=True))
    kind = _("internal, exact counts") if internal else _("published version, suppressed and rounded")
    return f"{names} ({kind})"
