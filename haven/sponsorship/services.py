"""Writes to sponsor groups, applications and their stages, and eligibility answers: each `check_*` validates
with translated messages (keyed by field), each action calls it, saves and writes its audit row in one
transaction. Callers fetch the application through haven.sponsorship.selectors with write=True first; these
functions do not re-check access. Settlement plans: haven.sponsorship.plans."""
from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haven.accounts.models import Team
from haven.audit.models import Action
from haven.audit.services import created_fields, diff, record, snapshot
from haven.records import check_version, save_versioned
from haven.cases.models import Case
from haven.people.codes import country_code
from haven.sponsorship import stages
from haven.sponsorship.eligibility import BY_KEY
from haven.sponsorship.models import (
    RECOGNITION_REQUIRED,
    Answer,
    EligibilityAnswer,
    Program,
    SponsorKind,
    SponsorMember,
    SponsorProfile,
    SponsorshipApplication,
    StageEvent,
    UndertakingRole,
)

APPLICATION_FIELDS = ("stage", "stage_since", "started_on", "undertaking_signed_on", "submitted_on",
                      "federal_file_number", "decision", "arrived_on")
GROUP_OF_FIVE_RULE = _(
    "A Group of Five or a community sponsor may only sponsor a refugee recognized as such by UNHCR or a state, "
    "with documentary proof of that recognition (IRPR s. 153(1)(b)). Record the proof of recognition, or choose "
    "a sponsor group of the Sponsorship Agreement Holder.")


# ------------------------------------------------------------------ sponsor groups

def check_sponsor_profile(*, team: Team, kind: str) -> None:
    if team.kind != Team.Kind.SPONSOR_GROUP:
        raise ValidationError({"team": _("Only a sponsor group can have a sponsor profile.")})
    if kind not in SponsorKind.values:
        raise ValidationError({"kind": _("Choose the kind of sponsor.")})


@transaction.atomic
def save_sponsor_profile(*, actor, team: Team, kind: str, community: str = "",
                         expected_version: int | None = None) -> SponsorProfile:
    """Create the group's profile, or update it. `expected_version`: the version of the profile the writer read
    (haven.records.versioning), None for internal jobs or a writer who saw no profile yet."""
    check_sponsor_profile(team=team, kind=kind)
    profile = SponsorProfile.objects.filter(team=team).first()
    if profile is not None:
        check_version(profile, expected_version)
    if profile is None:
        profile = SponsorProfile.objects.create(team=team, kind=kind, community=community.strip())
        record(actor=actor, action=Action.CREATE, obj=profile,
               changes=created_fields({"team": team.pk, "kind": kind, "community": profile.community}))
        return profile
    old = snapshot(profile, ("kind", "community"))
    profile.kind, profile.community = kind, community.strip()
    changes = diff(old, snapshot(profile, ("kind", "community")))
    if changes:
        save_versioned(profile, expected_version=expected_version, update_fields=["kind", "community", "updated_at"])
        record(actor=actor, action=Action.UPDATE, obj=profile, changes=changes)
    return profile


def check_sponsor_member(*, name: str, role: str) -> None:
    if not (name or "").strip():
        raise ValidationError({"name": _("Give the member's name.")})
    if role not in UndertakingRole.values:
        raise ValidationError({"role": _("Choose the member's part in the undertaking.")})


@transaction.atomic
def add_sponsor_member(*, actor, profile: SponsorProfile, name: str, role: str, user=None) -> SponsorMember:
    check_sponsor_member(name=name, role=role)
    member = SponsorMember.objects.create(profile=profile, name=name.strip(), role=role, user=user)
    record(actor=actor, action=Action.CREATE, obj=member,
           changes=created_fields({"profile": profile.pk, "name": member.name, "role": role,
                                   "user": user.pk if user else None}))
    return member


# ------------------------------------------------------------------ applications

def check_sponsor_choice(*, sponsor_group: Team, recognition_proof: str) -> None:
    """A Group of Five (or community sponsor) needs the refugee's proof of recognition (IRPR s. 153(1)(b))."""
    kind = SponsorProfile.objects.filter(team=sponsor_group).values_list("kind", flat=True).first()
    if kind in RECOGNITION_REQUIRED and not (recognition_proof or "").strip():
        raise ValidationError({"sponsor_group": GROUP_OF_FIVE_RULE})


def check_create_application(*, case: Case, sponsor_group: Team, program: Program,
                             transit_country: str, recognition_proof: str) -> str:
    if case.kind != Case.Kind.SPONSORSHIP:
        raise ValidationError({"case": _("Only a case of kind “Private sponsorship” can have a sponsorship "
                                         "application.")})
    if SponsorshipApplication.objects.filter(case=case).exists():
        raise ValidationError({"case": _("This case already has a sponsorship application.")})
    if sponsor_group.kind != Team.Kind.SPONSOR_GROUP or sponsor_group.organization_id != case.organization_id:
        raise ValidationError({"sponsor_group": _("Choose one of the organization's sponsor groups.")})
    if program.code == Program.Code.JAS:
        kind = SponsorProfile.objects.filter(team=sponsor_group).values_list("kind", flat=True).first()
        if kind in (SponsorKind.GROUP_OF_FIVE, SponsorKind.COMMUNITY_SPONSOR):
            raise ValidationError({"program": _("Joint Assistance Sponsorship is open to Sponsorship Agreement "
                                                "Holders and their constituent groups only (canada.ca JAS).")})
    check_sponsor_choice(sponsor_group=sponsor_group, recognition_proof=recognition_proof)
    try:
        return country_code(transit_country)
    except ValidationError as exc:
        raise ValidationError({"transit_country": exc.messages}) from None


@transaction.atomic
def create_application(*, actor, case: Case, sponsor_group: Team, program: Program, transit_country: str,
                       started_on: dt.date, recognition_proof: str = "", priority: bool = False,
                       priority_reason: str = "") -> SponsorshipApplication:
    """A new application at its first stage (preparing, dated `started_on`)."""
    country = check_create_application(case=case, sponsor_group=sponsor_group, program=program,
                                       transit_country=transit_country, recognition_proof=recognition_proof)
    check_priority(priority=priority, reason=priority_reason)
    application = SponsorshipApplication.objects.create(
        organization_id=case.organization_id, case=case, sponsor_group=sponsor_group, program=program,
        transit_country=country, recognition_proof=recognition_proof.strip(), priority=priority,
        priority_reason=priority_reason.strip(), stage_since=started_on, started_on=started_on)
    record(actor=actor, action=Action.CREATE, obj=application, case_id=case.pk, changes=created_fields({
        "sponsor_group": sponsor_group.pk, "program": program.code, "transit_country": country,
        "priority": priority, "priority_reason": application.priority_reason}))
    record_step(actor=actor, application=application, stage=stages.Stage.PREPARING, occurred_on=started_on)
    return application


def check_priority(*, priority: bool, reason: str) -> None:
    if priority and not (reason or "").strip():
        raise ValidationError({"priority_reason": _("Say why the family comes first (for example, a survivor "
                                                    "of sexual or gender-based violence).")})


@transaction.atomic
def set_priority(*, actor, application: SponsorshipApplication, priority: bool,
                 reason: str = "") -> SponsorshipApplication:
    check_priority(priority=priority, reason=reason)
    old = snapshot(application, ("priority", "priority_reason"))
    application.priority, application.priority_reason = priority, (reason.strip() if priority else "")
    changes = diff(old, snapshot(application, ("priority", "priority_reason")))
    if changes:
        application.save(update_fields=["priority", "priority_reason", "updated_at"])
        record(actor=actor, action=Action.UPDATE, obj=application, case_id=application.case_id, changes=changes)
    return application


@transaction.atomic
def change_recognition_proof(*, actor, application: SponsorshipApplication,
                             recognition_proof: str) -> SponsorshipApplication:
    check_sponsor_choice(sponsor_group=application.sponsor_group, recognition_proof=recognition_proof)
    old = snapshot(application, ("recognition_proof",))
    application.recognition_proof = recognition_proof.strip()
    changes = diff(old, snapshot(application, ("recognition_proof",)))
    if changes:
        application.save(update_fields=["recognition_proof", "updated_at"])
        record(actor=actor, action=Action.UPDATE, obj=application, case_id=application.case_id, changes=changes)
    return application


# ------------------------------------------------------------------ stages

def check_steps(application: SponsorshipApplication, events: list[StageEvent]) -> stages.State:
    """Replay the application's steps with the new or corrected one; refuse with the rule's message."""
    try:
        return stages.replay(events, today=timezone.localdate())
    except stages.StepRefused as refused:
        raise ValidationError({refused.field: refused.message}) from None


def _refresh(application: SponsorshipApplication, state: stages.State, *, actor, event: StageEvent,
             summary: str) -> None:
    old = snapshot(application, APPLICATION_FIELDS)
    # The preparation step is never removed, so the state always has a stage and a start.
    for name in APPLICATION_FIELDS:
        setattr(application, name, getattr(state, name))
    application.save(update_fields=[*APPLICATION_FIELDS, "updated_at"])
    changes = {**diff(old, snapshot(application, APPLICATION_FIELDS)),
               "event": snapshot(event, ("stage", "occurred_on", "federal_file_number", "decision", "removed"))}
    record(actor=actor, action=Action.UPDATE, obj=application, case_id=application.case_id, summary=summary,
           changes=changes)


@transaction.atomic
def record_step(*, actor, application: SponsorshipApplication, stage: str, occurred_on: dt.date,
                federal_file_number: str = "", decision: str = "", reasons: str = "",
                note: str = "") -> StageEvent:
    """Record the next step of the application (refused, with the rule's message, if it may not come next)."""
    event = StageEvent(application=application, stage=stage, occurred_on=occurred_on, recorded_by=actor,
                       federal_file_number=(federal_file_number or "").strip(), decision=decision or "",
                       reasons=(reasons or "").strip(), note=(note or "").strip(),
                       form_reference="IMM 5373" if stage == stages.Stage.UNDERTAKING_SIGNED else "")
    existing = list(application.events.all())
    state = check_steps(application, [*existing, event])
    event.save()
    _refresh(application, state, actor=actor, event=event, summary=f"step recorded: {stage}")
    return event


def _root(event: StageEvent) -> StageEvent:
    return event.corrects if event.corrects_id else event


@transaction.atomic
def correct_step(*, actor, event: StageEvent, occurred_on: dt.date, reason: str,
                 federal_file_number: str | None = None, decision: str | None = None,
                 reasons: str | None = None) -> StageEvent:
    """Correct a recorded step: a new row replaces it (the original stays, as history)."""
    if not (reason or "").strip():
        raise ValidationError({"correction_reason": _("Say why the step is corrected.")})
    application, root = event.application, _root(event)
    correction = StageEvent(
        application=application, stage=root.stage, occurred_on=occurred_on, corrects=root, recorded_by=actor,
        form_reference=event.form_reference, correction_reason=reason.strip(), note=event.note,
        federal_file_number=(event.federal_file_number if federal_file_number is None
                             else federal_file_number.strip()),
        decision=event.decision if decision is None else decision,
        reasons=event.reasons if reasons is None else reasons.strip())
    state = check_steps(application, [*application.events.all(), correction])
    correction.save()
    _refresh(application, state, actor=actor, event=correction, summary=f"step corrected: {root.stage}")
    return correction


@transaction.atomic
def remove_step(*, actor, event: StageEvent, reason: str) -> StageEvent:
    """Withdraw the last step recorded in error: a removal row (the step stays in the history)."""
    if not (reason or "").strip():
        raise ValidationError({"correction_reason": _("Say why the step is removed.")})
    application, root = event.application, _root(event)
    steps = stages.effective(application.events.all())
    if not steps or _root(steps[-1]).pk != root.pk:
        raise ValidationError({"stage": _("Only the latest step can be removed; correct earlier ones instead.")})
    if len(steps) == 1:
        raise ValidationError({"stage": _("The preparation step is the application's start: correct its date "
                                          "instead.")})
    removal = StageEvent(application=application, stage=root.stage, occurred_on=steps[-1].occurred_on,
                         corrects=root, removed=True, correction_reason=reason.strip(), recorded_by=actor)
    state = check_steps(application, [*application.events.all(), removal])
    removal.save()
    _refresh(application, state, actor=actor, event=removal, summary=f"step removed: {root.stage}")
    return removal


# ------------------------------------------------------------------ eligibility

def check_answer(*, question: str, answer: str) -> None:
    if question not in BY_KEY:
        raise ValidationError({"question": _("No such question in the eligibility questionnaire.")})
    if answer not in Answer.values:
        raise ValidationError({"answer": _("Answer yes, no or not known yet.")})


@transaction.atomic
def answer_question(*, actor, case: Case, question: str, answer: str, note: str = "") -> EligibilityAnswer:
    """Save an answer on the case; earlier answers to the question stay as its history."""
    check_answer(question=question, answer=answer)
    saved = EligibilityAnswer.objects.create(case=case, question=question, answer=answer,
                                             note=(note or "").strip(), answered_by=actor)
    record(actor=actor, action=Action.CREATE, obj=saved, case_id=case.pk,
           changes=created_fields({"question": question, "answer": answer}))
    return saved
