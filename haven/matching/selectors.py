"""Reads for duplicate detection and review. Access goes through haven.cases.access: persons through
visible_persons, the review queue and merges through the organizations where the user is staff."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from haven.accounts.models import Organization
from haven.cases.access import access_profile, get_visible_or_404, visible_cases, visible_persons
from haven.matching.linkage import explain_pairs, linkage_record
from haven.matching.models import MatchCandidate, MergeRecord
from haven.matching.names import name_keys
from haven.people.models import IdentityDocument, Nationality, Person, PersonLanguage, PersonName, Vulnerability

INTAKE_MIN_PROBABILITY = 0.5
INTAKE_LIMIT = 5

MOVED = {  # sub-records that follow a merged person: model, unique-per-person field (None: no constraint)
    "names": (PersonName, None),
    "nationalities": (Nationality, "country"),
    "languages": (PersonLanguage, "language"),
    "vulnerabilities": (Vulnerability, None),
    "documents": (IdentityDocument, None),
}


@dataclass(frozen=True)
class LikelyDuplicate:
    person_id: int
    display_name: str
    birth_date: dt.date | None
    match_probability: float
    comparisons: list[dict]  # comparison, level, match_weight


def _could_match(a, b) -> bool:
    """Cheap pre-filter on the keys (the blocking of the batch model, done in Python)."""
    if a.family_hangul and b.family_hangul and a.given_hangul and a.given_hangul == b.given_hangul:
        return True
    same_family = a.family_class == b.family_class or (a.family_skel and a.family_skel == b.family_skel)
    if same_family and a.given_skel and b.given_skel:
        return True
    return bool(a.full_skel) and a.full_skel == b.full_skel


def likely_duplicates(*, user, family_name: str = "", given_name: str = "", family_name_hangul: str = "",
                      given_name_hangul: str = "", birth_date: dt.date | None = None, sex: str = "",
                      birth_place: str = "", limit: int = INTAKE_LIMIT,
                      min_probability: float = INTAKE_MIN_PROBABILITY) -> list[LikelyDuplicate]:
    """Persons the user may see who are likely the person about to be created, best first, with the match
    weight of each comparison. Names the person is also known under (PersonName) count as well."""
    new = {"family_name": family_name, "given_name": given_name, "family_name_hangul": family_name_hangul,
           "given_name_hangul": given_name_hangul, "birth_date": birth_date, "sex": sex,
           "birth_place": birth_place}
    new_keys = name_keys(family_name, given_name, family_name_hangul, given_name_hangul)
    if not (new_keys.full_skel or new_keys.family_hangul):
        return []
    fields = ("pk", "family_name", "given_name", "family_name_hangul", "given_name_hangul", "birth_date", "sex",
              "birth_place")
    candidates: list[tuple[dict, dict]] = []
    persons = {}
    # visible_persons leaves out persons merged into another: only the kept person is suggested.
    for person in visible_persons(user).only(*fields).prefetch_related("names"):
        written = [{f: getattr(person, f) for f in fields}]
        for alias in person.names.all():
            script_hangul = alias.script == "hangul"
            written.append(dict(written[0], family_name="" if script_hangul else alias.family_name,
                                given_name="" if script_hangul else alias.given_name,
                                family_name_hangul=alias.family_name if script_hangul else "",
                                given_name_hangul=alias.given_name if script_hangul else ""))
        for form in written:
            keys = name_keys(form["family_name"], form["given_name"], form["family_name_hangul"],
                             form["given_name_hangul"])
            if _could_match(new_keys, keys):
                candidates.append((linkage_record(new, "new"), linkage_record(form, str(person.pk))))
                persons[person.pk] = person
    if not candidates:
        return []
    best: dict[int, LikelyDuplicate] = {}
    for (_, form), explained in zip(candidates, explain_pairs(candidates)):
        pk = int(form["record_id"])
        if explained["match_probability"] < min_probability:
            continue
        if pk in best and best[pk].match_probability >= explained["match_probability"]:
            continue
        person = persons[pk]
        best[pk] = LikelyDuplicate(pk, person.display_name, person.birth_date, explained["match_probability"],
                                   explained["comparisons"])
    return sorted(best.values(), key=lambda d: -d.match_probability)[:limit]


def review_organizations(user) -> QuerySet[Organization]:
    """The organizations whose duplicates the user reviews: those where they are staff (caseworker, legal
    representative, administrator)."""
    return Organization.objects.filter(pk__in=access_profile(user).staff_org_ids)


def visible_candidates(user) -> QuerySet[MatchCandidate]:
    """Likely duplicates queued in the organizations the user reviews."""
    return MatchCandidate.objects.filter(organization_id__in=access_profile(user).staff_org_ids)


def visible_merges(user) -> QuerySet[MergeRecord]:
    """Merges of persons of the organizations the user reviews."""
    return MergeRecord.objects.filter(kept__household__organization_id__in=access_profile(user).staff_org_ids)


def review_queue(*, user, limit: int = 100):
    """Open candidates of the organizations where the user is staff (caseworker, legal rep, admin)."""
    return (visible_candidates(user).filter(status=MatchCandidate.Status.OPEN,
                                            person_a__merged_into__isnull=True, person_b__merged_into__isnull=True)
            .select_related("person_a", "person_b").order_by("-match_probability", "pk")[:limit])


def get_review_organization_for_user(user, pk) -> Organization:
    """An organization whose duplicates the user reviews; Http404 otherwise, as for one that does not exist."""
    return get_visible_or_404(review_organizations(user), pk)


def get_candidate_for_user(user, pk) -> MatchCandidate:
    """A candidate for review; Http404 for anyone who is not staff of its organization (as for a missing one)."""
    return get_visible_or_404(
        visible_candidates(user).select_related("person_a__household", "person_b__household"), pk)


def get_merge_for_user(user, pk) -> MergeRecord:
    return get_visible_or_404(visible_merges(user).select_related("kept__household", "absorbed__household"), pk)


def active_merge_of(user, person) -> MergeRecord | None:
    """The merge that absorbed `person`, if the user reviews their organization's duplicates (None otherwise)."""
    return (visible_merges(user).filter(absorbed=person, undone_at__isnull=True)
            .select_related("kept").first())


@dataclass(frozen=True)
class IntakeDuplicate:
    """A likely duplicate as the person form shows it: the person, their household and a case of it."""

    duplicate: LikelyDuplicate
    person: object  # haven.people.models.Person, household selected
    case: object | None  # the household's most recent case the user may see


def duplicates_for_intake(*, user, data: dict) -> list[IntakeDuplicate]:
    """`likely_duplicates` for the person creation form's cleaned data, with each candidate's household and
    case (only those the user may see), best first."""
    sex = data.get("sex") if data.get("sex") in ("F", "M") else ""
    found = likely_duplicates(user=user, family_name=data.get("family_name") or "",
                              given_name=data.get("given_name") or "",
                              family_name_hangul=data.get("family_name_hangul") or "",
                              given_name_hangul=data.get("given_name_hangul") or "",
                              birth_date=data.get("birth_date"), sex=sex, birth_place=data.get("birth_place") or "")
    if not found:
        return []
    persons = visible_persons(user).select_related("household").in_bulk([d.person_id for d in found])
    cases = {}
    for case in (visible_cases(user).filter(household_id__in={p.household_id for p in persons.values()})
                 .only("pk", "reference", "household_id").order_by("-opened_on", "-pk")):
        cases.setdefault(case.household_id, case)
    return [IntakeDuplicate(d, persons[d.person_id], cases.get(persons[d.person_id].household_id))
            for d in found if d.person_id in persons]


def moving_rows(*, kept: Person, absorbed: Person) -> tuple[dict[str, list], dict[str, list]]:
    """The absorbed person's sub-records, per MOVED key: those a merge moves to the kept person, and those it leaves
    (a nationality or language the kept person already has). The merge and its confirmation page share it."""
    moved: dict[str, list] = {}
    left: dict[str, list] = {}
    for key, (model, unique_field) in MOVED.items():
        # The base manager: removed vulnerabilities and documents (haven.records) follow the person too.
        rows = list(model._base_manager.filter(person=absorbed).order_by("pk"))
        taken = set(model.objects.filter(person=kept).values_list(unique_field, flat=True)) if unique_field else set()
        moved[key] = [r for r in rows if not unique_field or getattr(r, unique_field) not in taken]
        left[key] = [r for r in rows if r not in moved[key]]
    return moved, left


def names_of(person: Person) -> list[dict]:
    """The person's own names (Latin, Hangul), as a merge adds them to the kept person's other spellings."""
    out = []
    if person.family_name or person.given_name:
        out.append({"family_name": person.family_name, "given_name": person.given_name,
                    "script": PersonName.Script.LATIN})
    if person.family_name_hangul or person.given_name_hangul:
        out.append({"family_name": person.family_name_hangul, "given_name": person.given_name_hangul,
                    "script": PersonName.Script.HANGUL})
    return out
