"""Writes for duplicate review: batch run, "not the same person", merge and un-merge.

Each function checks that the actor is staff of the persons' organization (outsiders get Http404, exactly as
for a missing record), then validates, saves and audits in one transaction."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.audit.models import Action
from haven.audit.services import record
from haven.cases.access import access_profile, not_found
from haven.matching.linkage import dedup, explain_pairs, linkage_record
from haven.matching.models import MatchCandidate, MergeRecord, NotSamePerson
from haven.matching.selectors import MOVED, moving_rows, names_of
from haven.people.models import Person, PersonName, Relationship
from haven.people.derived import refresh_household_case_keys, refresh_person_search_key
from haven.people.selectors import current_principal

BATCH_MIN_PROBABILITY = 0.5


def _require_staff(actor, organization_id: int) -> None:
    if organization_id not in access_profile(actor).staff_org_ids:
        raise not_found()


def _ordered(a: Person, b: Person) -> tuple[Person, Person]:
    return (a, b) if a.pk < b.pk else (b, a)


@transaction.atomic
def run_batch(*, actor, organization) -> list[MatchCandidate]:
    """Score every pair of the organization's persons (through the same Splink model as `haven dedup`) and
    queue the likely duplicates, skipping pairs already queued or decided "not the same person"."""
    _require_staff(actor, organization.pk)
    # Person.objects: persons merged into another are not scored again.
    persons = {p.pk: p for p in Person.objects.filter(household__organization=organization)}
    rows = [linkage_record({f: getattr(p, f) for f in ("family_name", "given_name", "family_name_hangul",
                                                  "given_name_hangul", "birth_date", "sex", "birth_place")},
                    str(pk)) for pk, p in persons.items()]
    result = dedup(rows, pairs_threshold=BATCH_MIN_PROBABILITY, progress=None)
    known = set(MatchCandidate.objects.filter(organization=organization).values_list("person_a_id", "person_b_id"))
    known |= set(NotSamePerson.objects.values_list("person_a_id", "person_b_id"))
    pairs = []
    for left, right, _probability in result.pairs:
        a, b = _ordered(persons[int(left)], persons[int(right)])
        if (a.pk, b.pk) not in known:
            known.add((a.pk, b.pk))
            pairs.append((a, b))
    by_pk = {row["record_id"]: row for row in rows}
    explained = explain_pairs([(by_pk[str(a.pk)], by_pk[str(b.pk)]) for a, b in pairs]) if pairs else []
    created = MatchCandidate.objects.bulk_create([
        MatchCandidate(organization=organization, person_a=a, person_b=b,
                       match_probability=e["match_probability"], match_weight=e["match_weight"],
                       comparisons=e["comparisons"])
        for (a, b), e in zip(pairs, explained)
    ])
    record(actor=actor, action=Action.CREATE, obj=None,
           summary=f"duplicate review run for organization {organization.pk}: {len(persons)} persons, "
                   f"{len(created)} new candidates",
           changes={"candidates": [c.pk for c in created]})
    return created


@transaction.atomic
def mark_not_same(*, actor, candidate: MatchCandidate) -> NotSamePerson:
    _require_staff(actor, candidate.organization_id)
    decision, _created = NotSamePerson.objects.get_or_create(person_a_id=candidate.person_a_id,
                                                      person_b_id=candidate.person_b_id,
                                                      defaults={"decided_by": actor})
    candidate.status = MatchCandidate.Status.NOT_SAME
    candidate.decided_by, candidate.decided_at = actor, timezone.now()
    candidate.save(update_fields=["status", "decided_by", "decided_at"])
    record(actor=actor, action=Action.UPDATE, obj=candidate,
           changes={"status": {"old": MatchCandidate.Status.OPEN, "new": candidate.status},
                    "persons": [candidate.person_a_id, candidate.person_b_id]})
    return decision


def check_merge(*, kept: Person, absorbed: Person) -> None:
    if kept.pk == absorbed.pk:
        raise ValidationError(_("A person cannot be merged into themselves."))
    if kept.merged_into_id is not None or absorbed.merged_into_id is not None:
        raise ValidationError(_("One of these persons is already merged into another."))


@transaction.atomic
def merge_persons(*, actor, kept: Person, absorbed: Person, candidate: MatchCandidate | None = None) -> MergeRecord:
    """Merge `absorbed` into `kept`. Nothing is lost: the absorbed row stays as it was, marked `merged_into` the
    kept person (Person.objects, and so every list, household, search, count, API answer and import, leaves it
    out from then on); its names become PersonName rows of the kept person; its sub-records move to the kept
    person (a nationality or language the kept person already has stays where it is). The snapshot lists every
    id touched, for un-merge."""
    if kept.household.organization_id != absorbed.household.organization_id:
        raise not_found()
    _require_staff(actor, kept.household.organization_id)
    check_merge(kept=kept, absorbed=absorbed)
    rows_moved, rows_left = moving_rows(kept=kept, absorbed=absorbed)
    moved = {key: [r.pk for r in rows] for key, rows in rows_moved.items()}
    left = {key: [r.pk for r in rows] for key, rows in rows_left.items()}
    for key, (model, _unique) in MOVED.items():
        model._base_manager.filter(pk__in=moved[key]).update(person=kept)
    absorbed.merged_into = kept
    absorbed.save(update_fields=["merged_into"])
    source = f"merged from person {absorbed.pk}"
    created_names = [PersonName.objects.create(person=kept, source=source, **name).pk for name in names_of(absorbed)]
    snapshot = {"moved": moved, "left_on_absorbed": left, "created_names": created_names,
                "candidate": candidate.pk if candidate else None}
    merge = MergeRecord.objects.create(kept=kept, absorbed=absorbed, snapshot=snapshot, merged_by=actor)
    if candidate is not None:
        candidate.status = MatchCandidate.Status.MERGED
        candidate.decided_by, candidate.decided_at = actor, timezone.now()
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
    refresh_person_search_key(kept)
    refresh_household_case_keys(household_id=absorbed.household_id)
    record(actor=actor, action=Action.MERGE, obj=kept,
           summary=f"person {absorbed.pk} merged into person {kept.pk}",
           changes={"absorbed": absorbed.pk, "merge": merge.pk, **snapshot})
    return merge


def check_unmerge(*, merge: MergeRecord) -> None:
    if merge.undone_at is not None:
        raise ValidationError(_("This merge was already undone."))
    absorbed = merge.absorbed
    if absorbed.relationship == Relationship.PRINCIPAL:
        principal = current_principal(absorbed.household_id)
        if principal is not None:
            raise ValidationError(_(
                "%(absorbed)s was the principal applicant of their household, which now has another one, "
                "%(principal)s. Make %(principal)s a member of another kind first (“Make principal applicant” "
                "changes who it is), then undo the merge.") % {"absorbed": absorbed.display_name,
                                                                "principal": principal.display_name})


@transaction.atomic
def unmerge(*, actor, merge: MergeRecord) -> MergeRecord:
    """Undo a merge exactly: moved sub-records go back, the names it added are removed, and the absorbed person is
    themselves again, in their household, in every list and search."""
    _require_staff(actor, merge.kept.household.organization_id)
    check_unmerge(merge=merge)
    Person.all_objects.filter(pk=merge.absorbed_id).update(merged_into=None)
    merge.absorbed.merged_into = None
    for key, (model, _unique) in MOVED.items():
        model._base_manager.filter(pk__in=merge.snapshot["moved"][key]).update(person=merge.absorbed)
    PersonName.objects.filter(pk__in=merge.snapshot["created_names"], person=merge.kept).delete()
    merge.undone_at, merge.undone_by = timezone.now(), actor
    merge.save(update_fields=["undone_at", "undone_by"])
    if merge.snapshot.get("candidate"):
        MatchCandidate.objects.filter(pk=merge.snapshot["candidate"]).update(
            status=MatchCandidate.Status.OPEN, decided_by=None, decided_at=None)
    refresh_person_search_key(merge.kept)
    refresh_person_search_key(merge.absorbed)
    record(actor=actor, action=Action.UNMERGE, obj=merge.kept,
           summary=f"person {merge.absorbed.pk} separated again from person {merge.kept.pk}",
           changes={"absorbed": merge.absorbed_id, "merge": merge.pk})
    return merge
