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
from haven.matching.selectors import absorbed_ids
from haven.people.models import IdentityDocument, Nationality, Person, PersonLanguage, PersonName, Vulnerability
from haven.people.derived import refresh_person_search_key

BATCH_MIN_PROBABILITY = 0.5
MOVED = {  # sub-records that follow a merged person: model, unique-per-person field (None: no constraint)
    "names": (PersonName, None),
    "nationalities": (Nationality, "country"),
    "languages": (PersonLanguage, "language"),
    "vulnerabilities": (Vulnerability, None),
    "documents": (IdentityDocument, None),
}


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
    hidden = absorbed_ids()
    persons = {p.pk: p for p in Person.objects.filter(household__organization=organization).exclude(pk__in=hidden)}
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


def _names_of(person: Person) -> list[dict]:
    out = []
    if person.family_name or person.given_name:
        out.append({"family_name": person.family_name, "given_name": person.given_name,
                    "script": PersonName.Script.LATIN})
    if person.family_name_hangul or person.given_name_hangul:
        out.append({"family_name": person.family_name_hangul, "given_name": person.given_name_hangul,
                    "script": PersonName.Script.HANGUL})
    return out


@transaction.atomic
def merge_persons(*, actor, kept: Person, absorbed: Person, candidate: MatchCandidate | None = None) -> MergeRecord:
    """Merge `absorbed` into `kept`. Nothing is lost: the absorbed row stays as it was; its names become
    PersonName rows of the kept person; its sub-records move to the kept person (a nationality or language the
    kept person already has stays where it is). The snapshot lists every id touched, for un-merge."""
    if kept.pk == absorbed.pk:
        raise ValidationError(_("A person cannot be merged into themselves."))
    if kept.household.organization_id != absorbed.household.organization_id:
        raise not_found()
    _require_staff(actor, kept.household.organization_id)
    if MergeRecord.objects.filter(undone_at__isnull=True, absorbed__in=[kept, absorbed]).exists():
        raise ValidationError(_("One of these persons is already merged into another."))
    moved: dict[str, list[int]] = {}
    left: dict[str, list[int]] = {}
    for key, (model, unique_field) in MOVED.items():
        # The base manager: removed vulnerabilities and documents (haven.records) follow the person too.
        rows = list(model._base_manager.filter(person=absorbed).order_by("pk"))
        taken = set(model.objects.filter(person=kept).values_list(unique_field, flat=True)) if unique_field else set()
        go = [r.pk for r in rows if not unique_field or getattr(r, unique_field) not in taken]
        moved[key] = go
        left[key] = [r.pk for r in rows if r.pk not in go]
        model._base_manager.filter(pk__in=go).update(person=kept)
    source = f"merged from person {absorbed.pk}"
    created_names = [PersonName.objects.create(person=kept, source=source, **name).pk for name in _names_of(absorbed)]
    snapshot = {"moved": moved, "left_on_absorbed": left, "created_names": created_names,
                "candidate": candidate.pk if candidate else None}
    merge = MergeRecord.objects.create(kept=kept, absorbed=absorbed, snapshot=snapshot, merged_by=actor)
    if candidate is not None:
        candidate.status = MatchCandidate.Status.MERGED
        candidate.decided_by, candidate.decided_at = actor, timezone.now()
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
    refresh_person_search_key(kept)
    record(actor=actor, action=Action.MERGE, obj=kept,
           summary=f"person {absorbed.pk} merged into person {kept.pk}",
           changes={"absorbed": absorbed.pk, "merge": merge.pk, **snapshot})
    return merge


@transaction.atomic
def unmerge(*, actor, merge: MergeRecord) -> MergeRecord:
    """Undo a merge exactly: moved sub-records go back, the names it added are removed."""
    if merge.undone_at is not None:
        raise ValidationError(_("This merge was already undone."))
    _require_staff(actor, merge.kept.household.organization_id)
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
