"""Writes of settlement records: each `check_<action>` validates (translated messages keyed by field) and
`<action>(*, actor, ...)` calls it, saves and writes its audit row in one transaction. Who may act (the case's
write permission, a designation) is checked by the caller through haven.settlement.selectors, as every app
does; the rules that depend on the records themselves are here."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.audit.models import Action
from haven.audit.services import created_fields, diff, record, snapshot
from haven.cases.access import case_permissions
from haven.cases.models import Case
from haven.records import check_version, move_to_deleted, save_versioned
from haven.records.dates import check_not_future
from haven.records.text import check_safe_text
from haven.settlement.models import (
    Assessment,
    DesignatedWorker,
    Domain,
    DomainRating,
    Goal,
    Milestone,
    MonthlyBudget,
    Provider,
    Referral,
    RestrictedNote,
)

GOAL_FIELDS = ("domain", "description", "target_date", "status", "achieved_on")
PROVIDER_FIELDS = ("name", "kind", "contact", "languages")


# --- shared checks -------------------------------------------------------------------------------------------

def check_text(value: str, field: str, *, required: bool = False, max_length: int | None = None) -> None:
    if required and not (value or "").strip():
        raise ValidationError({field: _("This field is required.")})
    check_safe_text(value or "", field=field)
    if max_length and len(value or "") > max_length:
        raise ValidationError({field: _("Keep this under %(n)d characters.") % {"n": max_length}})


def check_person_of_case(person, case: Case, field: str = "person") -> None:
    if person is not None and person.household_id != case.household_id:
        raise ValidationError({field: _("Choose a member of the case's household.")})


def _remove(actor, item, *, fields: Iterable[str]) -> None:
    with transaction.atomic():
        move_to_deleted(actor, item, changes=created_fields(snapshot(item, fields)), case_id=getattr(
            item, "case_id", None))


# --- assessments ---------------------------------------------------------------------------------------------

def check_assessment(*, case: Case, person, assessed_on: dt.date, summary: str,
                     ratings: list[Mapping]) -> None:
    check_person_of_case(person, case)
    check_not_future(assessed_on, organization=case.organization, field="assessed_on")
    check_text(summary, "summary")
    if not ratings:
        raise ValidationError({"ratings": _("Rate at least one domain.")})
    seen = set()
    for rating in ratings:
        domain = rating.get("domain")
        if domain not in Domain.values or domain in seen:
            raise ValidationError({"ratings": _("Rate each domain once.")})
        seen.add(domain)
        if rating.get("level") not in (1, 2, 3, 4, 5):
            raise ValidationError({"ratings": _("A level is a number from 1 (urgent need) to 5 (self-reliant).")})
        for name in DomainRating.CLB_FIELDS:
            value = rating.get(name)
            if value is not None and (domain != Domain.LANGUAGE or not 1 <= value <= 12):
                raise ValidationError({"ratings": _("Canadian Language Benchmarks (1 to 12) belong to the "
                                                    "language domain.")})
        check_text(rating.get("comment", ""), "ratings")


def record_assessment(*, actor, case: Case, assessed_on: dt.date, ratings: list[Mapping], person=None,
                      kind: str = Assessment.Kind.FOLLOW_UP, summary: str = "") -> Assessment:
    """A baseline or follow-up assessment with one rating per domain assessed."""
    check_assessment(case=case, person=person, assessed_on=assessed_on, summary=summary, ratings=ratings)
    with transaction.atomic():
        assessment = Assessment.objects.create(case=case, person=person, kind=kind, assessed_on=assessed_on,
                                               assessed_by=actor, summary=summary)
        DomainRating.objects.bulk_create([
            DomainRating(assessment=assessment, domain=r["domain"], level=r["level"], comment=r.get("comment", ""),
                         **{name: r.get(name) for name in DomainRating.CLB_FIELDS}) for r in ratings])
        record(actor=actor, action=Action.CREATE, obj=assessment, case_id=case.pk,
               changes=created_fields({"kind": kind, "assessed_on": assessed_on, "person": getattr(person, "pk", None),
                                       "domains": sorted(r["domain"] for r in ratings), "summary": summary},
                                      sensitive=["summary"]))
    return assessment


def delete_assessment(*, actor, assessment: Assessment) -> None:
    _remove(actor, assessment, fields=("kind", "assessed_on"))


# --- providers -----------------------------------------------------------------------------------------------

def check_provider(*, organization, name: str, kind: str, contact: str = "", languages: str = "",
                   exclude_pk: int | None = None) -> None:
    check_text(name, "name", required=True, max_length=200)
    check_text(contact, "contact", max_length=300)
    check_text(languages, "languages", max_length=200)
    if kind not in Provider.Kind.values:
        raise ValidationError({"kind": _("Choose a kind of service.")})
    same = Provider.objects.filter(organization=organization, name__iexact=name.strip()).exclude(pk=exclude_pk)
    if same.exists():
        raise ValidationError({"name": _("The directory already lists a provider of this name.")})


def add_provider(*, actor, organization, name: str, kind: str, contact: str = "", languages: str = "") -> Provider:
    check_provider(organization=organization, name=name, kind=kind, contact=contact, languages=languages)
    with transaction.atomic():
        provider = Provider.objects.create(organization=organization, name=name.strip(), kind=kind,
                                           contact=contact.strip(), languages=languages.strip())
        record(actor=actor, action=Action.CREATE, obj=provider, changes=created_fields(
            snapshot(provider, PROVIDER_FIELDS)))
    return provider


def update_provider(*, actor, provider: Provider, expected_version: int | None = None, **values) -> Provider:
    """`expected_version`: the version the writer read (haven.records.versioning); None for internal jobs. A stale
    one raises EditConflict, even when the values sent equal the stored ones."""
    check_version(provider, expected_version)
    merged = {**snapshot(provider, PROVIDER_FIELDS), **values}
    check_provider(organization=provider.organization, exclude_pk=provider.pk, **merged)
    with transaction.atomic():
        old = snapshot(provider, PROVIDER_FIELDS)
        for name, value in merged.items():
            setattr(provider, name, value.strip())
        save_versioned(provider, expected_version=expected_version, update_fields=PROVIDER_FIELDS)
        record(actor=actor, action=Action.UPDATE, obj=provider,
               changes=diff(old, snapshot(provider, PROVIDER_FIELDS)))
    return provider


def delete_provider(*, actor, provider: Provider) -> None:
    _remove(actor, provider, fields=PROVIDER_FIELDS)


# --- goals ---------------------------------------------------------------------------------------------------

def check_goal(*, case: Case, person, domain: str, description: str, target_date: dt.date | None,
               status: str = Goal.Status.OPEN, achieved_on: dt.date | None = None) -> None:
    check_person_of_case(person, case)
    if domain not in Domain.values:
        raise ValidationError({"domain": _("Choose a domain.")})
    check_text(description, "description", required=True, max_length=300)
    if status not in Goal.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    if status == Goal.Status.ACHIEVED and achieved_on is None:
        raise ValidationError({"achieved_on": _("An achieved goal needs the date it was achieved.")})
    if status != Goal.Status.ACHIEVED and achieved_on is not None:
        raise ValidationError({"achieved_on": _("Only an achieved goal has an achievement date.")})
    check_not_future(achieved_on, organization=case.organization, field="achieved_on")


def add_goal(*, actor, case: Case, domain: str, description: str, target_date: dt.date | None = None,
             person=None) -> Goal:
    check_goal(case=case, person=person, domain=domain, description=description, target_date=target_date)
    with transaction.atomic():
        goal = Goal.objects.create(case=case, person=person, domain=domain, description=description.strip(),
                                   target_date=target_date, created_by=actor)
        record(actor=actor, action=Action.CREATE, obj=goal, case_id=case.pk,
               changes=created_fields(snapshot(goal, GOAL_FIELDS)))
    return goal


def update_goal(*, actor, goal: Goal, expected_version: int | None = None, **values) -> Goal:
    """`expected_version`: the version the writer read (haven.records.versioning); None for internal jobs. A stale
    one raises EditConflict, even when the values sent equal the stored ones."""
    check_version(goal, expected_version)
    merged = {**snapshot(goal, GOAL_FIELDS), **values}
    check_goal(case=goal.case, person=goal.person, **merged)
    with transaction.atomic():
        old = snapshot(goal, GOAL_FIELDS)
        for name, value in merged.items():
            setattr(goal, name, value.strip() if isinstance(value, str) else value)
        save_versioned(goal, expected_version=expected_version, update_fields=GOAL_FIELDS)
        record(actor=actor, action=Action.UPDATE, obj=goal, case_id=goal.case_id,
               changes=diff(old, snapshot(goal, GOAL_FIELDS)))
    return goal


def delete_goal(*, actor, goal: Goal) -> None:
    _remove(actor, goal, fields=GOAL_FIELDS)


# --- referrals -----------------------------------------------------------------------------------------------

def check_referral(*, case: Case, provider: Provider, person, domain: str, referred_on: dt.date,
                   notes: str = "") -> None:
    check_person_of_case(person, case)
    live = Provider.objects.filter(pk=provider.pk, organization_id=case.organization_id)
    if not live.exists():
        raise ValidationError({"provider": _("Choose a provider of the case's organization.")})
    if domain not in Domain.values:
        raise ValidationError({"domain": _("Choose a domain.")})
    check_not_future(referred_on, organization=case.organization, field="referred_on")
    check_text(notes, "notes")


def refer(*, actor, case: Case, provider: Provider, domain: str, referred_on: dt.date, person=None,
          notes: str = "") -> Referral:
    """Refer the household (or one member) to a provider of the directory."""
    check_referral(case=case, provider=provider, person=person, domain=domain, referred_on=referred_on, notes=notes)
    with transaction.atomic():
        referral = Referral.objects.create(case=case, provider=provider, person=person, domain=domain,
                                           referred_on=referred_on, status_changed_on=referred_on, notes=notes,
                                           created_by=actor)
        record(actor=actor, action=Action.CREATE, obj=referral, case_id=case.pk, changes=created_fields(
            {"provider": provider.pk, "domain": domain, "referred_on": referred_on, "notes": notes},
            sensitive=["notes"]))
    return referral


def check_referral_status(*, referral: Referral, status: str, changed_on: dt.date) -> None:
    if status not in Referral.Status.values:
        raise ValidationError({"status": _("Choose a status.")})
    check_not_future(changed_on, organization=referral.case.organization, field="changed_on")
    if changed_on < referral.referred_on:
        raise ValidationError({"changed_on": _("The status cannot change before the referral was made.")})


def update_referral_status(*, actor, referral: Referral, status: str, changed_on: dt.date) -> Referral:
    check_referral_status(referral=referral, status=status, changed_on=changed_on)
    with transaction.atomic():
        old = snapshot(referral, ("status", "status_changed_on"))
        referral.status, referral.status_changed_on = status, changed_on
        referral.save(update_fields=["status", "status_changed_on"])
        record(actor=actor, action=Action.UPDATE, obj=referral, case_id=referral.case_id,
               changes=diff(old, snapshot(referral, ("status", "status_changed_on"))))
    return referral


def delete_referral(*, actor, referral: Referral) -> None:
    _remove(actor, referral, fields=("domain", "status", "referred_on"))


# --- milestones and monthly income ---------------------------------------------------------------------------

def check_milestone(*, case: Case, kind: str, done_on: dt.date) -> None:
    if kind not in Milestone.Kind.values:
        raise ValidationError({"kind": _("Choose a milestone.")})
    check_not_future(done_on, organization=case.organization, field="done_on")
    if kind != Milestone.Kind.ARRIVAL:
        arrival = case.milestones.filter(kind=Milestone.Kind.ARRIVAL).values_list("done_on", flat=True).first()
        if arrival and done_on < arrival:
            raise ValidationError({"done_on": _("This milestone cannot come before the arrival (%(date)s).")
                                   % {"date": arrival.isoformat()}})


def record_milestone(*, actor, case: Case, kind: str, done_on: dt.date) -> Milestone:
    """Mark a milestone done on a date; recording it again corrects the date."""
    check_milestone(case=case, kind=kind, done_on=done_on)
    with transaction.atomic():
        milestone = case.milestones.filter(kind=kind).first()
        if milestone is None:
            milestone = Milestone.objects.create(case=case, kind=kind, done_on=done_on, recorded_by=actor)
            record(actor=actor, action=Action.CREATE, obj=milestone, case_id=case.pk,
                   changes=created_fields({"kind": kind, "done_on": done_on}))
            return milestone
        old = snapshot(milestone, ("done_on",))
        milestone.done_on = done_on
        milestone.save(update_fields=["done_on"])
        record(actor=actor, action=Action.UPDATE, obj=milestone, case_id=case.pk,
               changes=diff(old, {"done_on": done_on}))
    return milestone


def clear_milestone(*, actor, milestone: Milestone) -> None:
    """Mark a milestone not done (recorded in error); the row waits in the deleted items."""
    _remove(actor, milestone, fields=("kind", "done_on"))


def check_monthly_budget(*, case: Case, month: dt.date, income: Decimal, needs: Decimal) -> None:
    first = month.replace(day=1)
    if first > timezone.localdate().replace(day=1):
        raise ValidationError({"month": _("Record a month that has begun.")})
    if income < 0 or needs < 0:
        raise ValidationError({"income": _("Amounts cannot be negative.")})
    if case.monthly_budgets.filter(month=first).exists():
        raise ValidationError({"month": _("This month is already recorded: remove it first to correct it.")})


def record_monthly_budget(*, actor, case: Case, month: dt.date, income: Decimal, needs: Decimal) -> MonthlyBudget:
    """The household's own income (not sponsor support) and its needs for one month."""
    check_monthly_budget(case=case, month=month, income=income, needs=needs)
    with transaction.atomic():
        entry = MonthlyBudget.objects.create(case=case, month=month.replace(day=1), income=income, needs=needs,
                                             recorded_by=actor)
        record(actor=actor, action=Action.CREATE, obj=entry, case_id=case.pk,
               changes=created_fields({"month": entry.month, "income": income, "needs": needs}))
    return entry


def delete_monthly_budget(*, actor, entry: MonthlyBudget) -> None:
    _remove(actor, entry, fields=("month", "income", "needs"))


# --- designated workers and restricted notes ------------------------------------------------------------------

def check_designation(*, case: Case, user) -> None:
    perms = case_permissions(user, case)
    if perms is None or not perms.see_confidential:
        raise ValidationError({"user": _("Only staff who see the whole case can be designated workers.")})
    if DesignatedWorker.objects.filter(case=case, user=user).exists():
        raise ValidationError({"user": _("This person is already a designated worker of the case.")})


def designate_worker(*, actor, case: Case, user) -> DesignatedWorker:
    check_designation(case=case, user=user)
    with transaction.atomic():
        designation = DesignatedWorker.objects.create(case=case, user=user, designated_by=actor)
        record(actor=actor, action=Action.CREATE, obj=designation, case_id=case.pk,
               changes=created_fields({"user": user.pk}))
    return designation


def remove_designation(*, actor, designation: DesignatedWorker) -> None:
    with transaction.atomic():
        record(actor=actor, action=Action.DELETE, obj=designation, case_id=designation.case_id,
               changes={"user": {"old": designation.user_id, "new": None}})
        designation.delete()


def check_restricted_note(*, topic: str, body: str) -> None:
    if topic not in RestrictedNote.Topic.values:
        raise ValidationError({"topic": _("Choose a topic.")})
    check_text(body, "body", required=True)


def add_restricted_note(*, actor, case: Case, topic: str, body: str) -> RestrictedNote:
    check_restricted_note(topic=topic, body=body)
    with transaction.atomic():
        note = RestrictedNote.objects.create(case=case, topic=topic, body=body, author=actor)
        record(actor=actor, action=Action.CREATE, obj=note, case_id=case.pk,
               changes=created_fields({"topic": topic, "body": body}, sensitive=["body"]))
    return note


def delete_restricted_note(*, actor, note: RestrictedNote) -> None:
    with transaction.atomic():
        move_to_deleted(actor, note, changes=created_fields({"topic": note.topic, "body": note.body},
                                                            sensitive=["body"]), case_id=note.case_id)
