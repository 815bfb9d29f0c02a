"""The demo's settlement work: an arrived family of the sponsorship organization with a baseline and a follow-up
needs assessment, a plan with goals and referrals to a small provider directory, milestones partly done, months
of income against needs, and the caseworker as the case's designated worker with one restricted note. Written
through haven.settlement.services, so the audit log is complete. Called by haven.demo.services._load."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from haven.settlement import services as settlement

PROVIDERS = (
    ("Maple Newcomer English (LINC)", "language_classes", "classes@linc.example.org", "Korean, English"),
    ("Toronto Settlement Services", "settlement_agency", "intake@settlement.example.org", "Korean, English"),
    ("Hana Trauma Counselling", "trauma_counselling", "416-555-0143", "Korean"),
    ("North Korean Newcomers' Circle", "korean_community", "circle@example.org", "Korean"),
    ("Skills to Work Program", "employment_program", "jobs@example.org", "English"),
)


def _months_ago(today: dt.date, months: int) -> dt.date:
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.date(year, month + 1, 1)


def add_settlement_demo(*, organization, case, caseworker, admin, today: dt.date) -> None:
    """Settlement records for `case`, dated from `today` (arrival about nine months earlier)."""
    providers = {kind: settlement.add_provider(actor=caseworker, organization=organization, name=name, kind=kind,
                                               contact=contact, languages=languages)
                 for name, kind, contact, languages in PROVIDERS}
    arrival = today - dt.timedelta(days=270)
    _assess(case, caseworker, arrival, today)
    _plan(case, caseworker, providers, arrival, today)
    for kind, days in (("arrival", 0), ("sin", 9), ("health_card", 20), ("bank_account", 5), ("lease_signed", 30),
                       ("school_enrolment", 25), ("first_language_class", 40)):
        settlement.record_milestone(actor=caseworker, case=case, kind=kind, done_on=arrival + dt.timedelta(days=days))
    for back, income in ((4, "900.00"), (3, "1400.00"), (2, "2450.00"), (1, "2500.00")):
        settlement.record_monthly_budget(actor=caseworker, case=case, month=_months_ago(today, back),
                                         income=Decimal(income), needs=Decimal("2400.00"))
    settlement.designate_worker(actor=admin, case=case, user=caseworker)
    settlement.add_restricted_note(actor=caseworker, case=case, topic="mental_health",
                                   body="Panic attacks when sirens pass; agreed weekly counselling in Korean.")


def _assess(case, caseworker, arrival: dt.date, today: dt.date) -> None:
    baseline = [{"domain": "language", "level": 1, "clb_listening": 1, "clb_speaking": 1, "clb_reading": 1,
                 "clb_writing": 1}, {"domain": "employment", "level": 2}, {"domain": "housing", "level": 2},
                {"domain": "finances", "level": 1}, {"domain": "mental_health", "level": 2,
                                                     "comment": "Sleep problems since detention in China."},
                {"domain": "community", "level": 2}]
    settlement.record_assessment(actor=caseworker, case=case, kind="baseline", assessed_on=arrival +
                                 dt.timedelta(days=7), ratings=baseline, summary="Baseline after arrival.")
    follow_up = [{"domain": "language", "level": 3, "clb_listening": 3, "clb_speaking": 2, "clb_reading": 3,
                  "clb_writing": 2}, {"domain": "employment", "level": 3}, {"domain": "housing", "level": 4},
                 {"domain": "finances", "level": 3}, {"domain": "mental_health", "level": 3},
                 {"domain": "community", "level": 4}]
    settlement.record_assessment(actor=caseworker, case=case, kind="follow_up", assessed_on=today -
                                 dt.timedelta(days=14), ratings=follow_up, summary="Six-month follow-up.")


def _plan(case, caseworker, providers, arrival: dt.date, today: dt.date) -> None:
    settlement.add_goal(actor=caseworker, case=case, domain="language", description="Reach CLB 4 in speaking",
                        target_date=today + dt.timedelta(days=120))
    settlement.add_goal(actor=caseworker, case=case, domain="employment", description="Part-time work in a kitchen",
                        target_date=today + dt.timedelta(days=60))
    goal = settlement.add_goal(actor=caseworker, case=case, domain="housing", description="Sign a one-year lease",
                               target_date=arrival + dt.timedelta(days=45))
    settlement.update_goal(actor=caseworker, goal=goal, status="achieved", achieved_on=arrival + dt.timedelta(days=30))
    for kind, domain, status, days in (("language_classes", "language", "attending", 35),
                                       ("trauma_counselling", "mental_health", "attending", 60),
                                       ("korean_community", "community", "completed", 20),
                                       ("employment_program", "employment", "waiting", 150)):
        referral = settlement.refer(actor=caseworker, case=case, provider=providers[kind], domain=domain,
                                    referred_on=arrival + dt.timedelta(days=days))
        settlement.update_referral_status(actor=caseworker, referral=referral, status=status,
                                          changed_on=min(today, arrival + dt.timedelta(days=days + 14)))
