"""The deadline engine against hand-checked dates (every rule, every federal holiday, provincial holidays,
weekends, year ends, leap days, the 2020-09-28 switch) and property tests."""
from __future__ import annotations

import datetime as dt
import importlib
import io
import json
from dataclasses import replace

import pytest
from django.core.management import call_command
from hypothesis import given, settings
from hypothesis import strategies as st

from haven.claims.deadlines import (
    PROVINCES,
    Rule,
    RuleSet,
    add_months,
    compute_due,
    deadlines_for,
    federal_holidays,
    holiday_name,
    is_holiday,
)
from haven.testing.databases import postgresql_only
from haven.testing.personas import PersonaTestCase

# The rules the migrations seed: 0002's, and the Minister's appeal period of a positive decision (0014).
SEED = [*importlib.import_module("haven.claims.migrations.0002_seed_deadline_rules").RULES,
        importlib.import_module("haven.claims.migrations.0014_minister_rad_appeal_period_of_a_positive_decision").RULE]
RULES = RuleSet([Rule(**{k: v for k, v in row.items() if k != "source_url"} | {
    "completed_by": tuple(row["completed_by"])}) for row in SEED])
D = dt.date


def due(trigger: str, on: dt.date, province: str | None = "ON") -> dict[str, dt.date]:
    return {item.rule.key: item.due for item in RULES.compute([(trigger, on)], province)}


def rule(key: str, on: dt.date | None = None) -> Rule:
    return next(r for r in RULES.rules if r.key == key and (on is None or r.applies_on(on)))


# ------------------------------------------------------------------ every rule, hand-checked

@pytest.mark.parametrize("trigger, on, expected", [
    # Referral Mon 3 June 2024: BOC 15 days -> Tue 18 June; extension request 3 working days before -> Thu 13 June;
    # hearing within 60 days -> Fri 2 August.
    ("referral_to_rpd", D(2024, 6, 3), {"boc_due": D(2024, 6, 18), "boc_extension_request_due": D(2024, 6, 13),
                                        "hearing_due": D(2024, 8, 2)}),
    # Hearing Tue 10 Sept 2024: 10 days before is Sat 31 Aug -> rolled back to Fri 30 Aug.
    ("hearing_scheduled", D(2024, 9, 10), {"boc_amendments_due": D(2024, 8, 30),
                                           "minister_intervention_due": D(2024, 8, 30)}),
    # Hearing Thu 12 Sept 2024: 10 days before is Labour Day (Mon 2 Sept) -> rolled back to Fri 30 Aug.
    ("hearing_scheduled", D(2024, 9, 12), {"boc_amendments_due": D(2024, 8, 30),
                                           "minister_intervention_due": D(2024, 8, 30)}),
    # Reasons received Mon 3 June 2024: notice 15 days -> Tue 18 June; record 45 days -> Thu 18 July.
    ("rpd_reasons_received", D(2024, 6, 3), {"rad_notice_due": D(2024, 6, 18), "rad_record_due": D(2024, 7, 18)}),
    # A positive decision's reasons received Mon 3 June 2024: the Minister's 15 days -> Tue 18 June; no record due.
    ("rpd_acceptance_reasons_received", D(2024, 6, 3), {"rad_minister_notice_due": D(2024, 6, 18)}),
    # Perfected Mon 3 June 2024: 90 days -> Sun 1 Sept -> Labour Day -> Tue 3 Sept.
    ("rad_record_perfected", D(2024, 6, 3), {"rad_decision_due": D(2024, 9, 3)}),
    # Notice received Fri 20 Dec 2024: 15 days -> Sat 4 Jan 2025 -> Mon 6 Jan (recess counted by default).
    ("decision_notice_received", D(2024, 12, 20), {"fc_leave_due": D(2025, 1, 6)}),
    ("fc_leave_filed", D(2024, 6, 3), {"fc_record_due": D(2024, 7, 3)}),
    ("prra_notification", D(2024, 6, 3), {"prra_application_due": D(2024, 6, 18),
                                          "prra_submissions_due": D(2024, 7, 3)}),
    ("departure_order_in_force", D(2024, 6, 3), {"departure_due": D(2024, 7, 3)}),
    # 12 months after Mon 3 June 2024 -> Tue 3 June 2025.
    ("last_negative_decision", D(2024, 6, 3), {"prra_bar_ends": D(2025, 6, 3)}),
])
def test_every_rule_against_hand_checked_dates(trigger, on, expected):
    assert due(trigger, on) == expected


def test_every_seeded_rule_is_covered_above():
    covered = {"boc_due", "boc_extension_request_due", "hearing_due", "boc_amendments_due",
               "minister_intervention_due", "rad_notice_due", "rad_minister_notice_due", "rad_record_due", "rad_decision_due", "fc_leave_due",
               "fc_record_due", "prra_application_due", "prra_submissions_due", "departure_due", "prra_bar_ends"}
    assert RULES.rule_keys == covered


def test_every_rule_has_a_citation():
    for row in RULES.rules:
        assert row.citation.strip(), row.key


# ------------------------------------------------------------------ the 2020-09-28 switch

def test_rad_record_is_30_days_for_reasons_received_before_28_september_2020():
    # Sun 27 Sept 2020 + 30 days = Tue 27 Oct 2020.
    assert due("rpd_reasons_received", D(2020, 9, 27))["rad_record_due"] == D(2020, 10, 27)
    assert rule("rad_record_due", D(2020, 9, 27)).citation == "IRPR s.159.91(1)(b)"


def test_rad_record_is_45_days_from_28_september_2020():
    # Mon 28 Sept 2020 + 45 days = Thu 12 Nov 2020 (Remembrance Day, Wed 11 Nov, is one day earlier).
    assert due("rpd_reasons_received", D(2020, 9, 28))["rad_record_due"] == D(2020, 11, 12)
    assert "practice notice" in rule("rad_record_due", D(2020, 9, 28)).citation


# ------------------------------------------------------------------ each federal holiday rolls a deadline

@pytest.mark.parametrize("holiday, name, trigger, expected", [
    (D(2024, 1, 1), "New Year's Day", D(2023, 12, 17), D(2024, 1, 2)),
    (D(2024, 3, 29), "Good Friday", D(2024, 3, 14), D(2024, 4, 2)),  # then the weekend and Easter Monday
    (D(2024, 4, 1), "Easter Monday", D(2024, 3, 17), D(2024, 4, 2)),
    (D(2024, 5, 20), "Victoria Day", D(2024, 5, 5), D(2024, 5, 21)),
    (D(2024, 7, 1), "Canada Day", D(2024, 6, 16), D(2024, 7, 2)),
    (D(2024, 9, 2), "Labour Day", D(2024, 8, 18), D(2024, 9, 3)),
    (D(2024, 9, 30), "National Day for Truth and Reconciliation", D(2024, 9, 15), D(2024, 10, 1)),
    (D(2024, 10, 14), "Thanksgiving", D(2024, 9, 29), D(2024, 10, 15)),
    (D(2024, 11, 11), "Remembrance Day", D(2024, 10, 27), D(2024, 11, 12)),
    # Fri 25 Dec 2026, then the weekend. Boxing Day is not on the federal list (test_holidays.py).
    (D(2026, 12, 25), "Christmas Day", D(2026, 12, 10), D(2026, 12, 28)),
])
def test_each_federal_holiday_moves_a_deadline_to_the_next_working_day(holiday, name, trigger, expected):
    assert name in federal_holidays(holiday.year)[holiday]
    assert is_holiday(holiday, None)
    assert trigger + dt.timedelta(days=15) == holiday
    # Remembrance Day and the NDTR are not Ontario holidays: the federal list applies anyway.
    assert due("rpd_reasons_received", trigger, "ON")["rad_notice_due"] == expected
    assert due("rpd_reasons_received", trigger, None)["rad_notice_due"] == expected


def test_easter_monday_is_computed():
    for monday in (D(2019, 4, 22), D(2024, 4, 1), D(2025, 4, 21), D(2038, 4, 26)):
        assert federal_holidays(monday.year)[monday] == "Easter Monday"


def test_truth_and_reconciliation_day_only_from_2021():
    assert not is_holiday(D(2020, 9, 30))
    assert is_holiday(D(2021, 9, 30))
    assert due("rpd_reasons_received", D(2020, 9, 15))["rad_notice_due"] == D(2020, 9, 30)


def test_holidays_act_s_2_2_canada_day_on_2_july_but_no_other_monday_after_a_sunday():
    assert is_holiday(D(2029, 7, 2))  # Canada Day 2029 is a Sunday: Holidays Act s.2(2)
    # Not in Interpretation Act s.35(1): federal offices close, counted only with the setting (test_holidays.py).
    assert not is_holiday(D(2023, 1, 2))  # New Year's Day 2023 was a Sunday
    assert not is_holiday(D(2029, 11, 12))  # Remembrance Day 2029 is a Sunday
    assert not is_holiday(D(2024, 11, 12))


def test_holiday_names_are_reported():
    assert holiday_name(D(2024, 4, 1)) == "Easter Monday"
    assert holiday_name(D(2024, 2, 19), "ON") == "Family Day"
    assert holiday_name(D(2024, 6, 22)) == "Saturday"


# ------------------------------------------------------------------ provincial holidays

def test_family_day_in_ontario_but_not_in_quebec():
    # Sun 4 Feb 2024 + 15 = Mon 19 Feb 2024, Family Day in Ontario.
    assert due("rpd_reasons_received", D(2024, 2, 4), "ON")["rad_notice_due"] == D(2024, 2, 20)
    assert due("rpd_reasons_received", D(2024, 2, 4), "QC")["rad_notice_due"] == D(2024, 2, 19)


def test_saint_jean_baptiste_in_quebec_only():
    # Sun 9 June 2024 + 15 = Mon 24 June 2024.
    assert due("rpd_reasons_received", D(2024, 6, 9), "QC")["rad_notice_due"] == D(2024, 6, 25)
    assert due("rpd_reasons_received", D(2024, 6, 9), "ON")["rad_notice_due"] == D(2024, 6, 24)


def test_british_columbia_day():
    assert due("rpd_reasons_received", D(2024, 7, 21), "BC")["rad_notice_due"] == D(2024, 8, 6)
    assert due("rpd_reasons_received", D(2024, 7, 21), "ON")["rad_notice_due"] == D(2024, 8, 5)


# ------------------------------------------------------------------ weekends, year ends, leap days

def test_saturday_and_sunday_roll_to_monday():
    assert due("rpd_reasons_received", D(2024, 3, 1))["rad_notice_due"] == D(2024, 3, 18)  # Sat 16 March
    assert due("rpd_reasons_received", D(2024, 3, 2))["rad_notice_due"] == D(2024, 3, 18)  # Sun 17 March


def test_year_end():
    # Tue 17 Dec 2024 + 15 = Wed 1 Jan 2025 -> Thu 2 Jan 2025.
    assert due("rpd_reasons_received", D(2024, 12, 17))["rad_notice_due"] == D(2025, 1, 2)
    # 45 days from Mon 18 Nov 2024 = Thu 2 Jan 2025, across the year end.
    assert due("rpd_reasons_received", D(2024, 11, 18))["rad_record_due"] == D(2025, 1, 2)


def test_leap_days():
    assert due("rpd_reasons_received", D(2024, 2, 14))["rad_notice_due"] == D(2024, 2, 29)  # Thu 29 Feb
    assert due("rpd_reasons_received", D(2023, 2, 14))["rad_notice_due"] == D(2023, 3, 1)
    # Interpretation Act s.28: 29 Feb + 12 months = 28 Feb (Fri 28 Feb 2025).
    assert due("last_negative_decision", D(2024, 2, 29))["prra_bar_ends"] == D(2025, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert add_months(D(2024, 3, 31), -1) == D(2024, 2, 29)


def test_federal_court_recess_is_a_configurable_choice():
    leave = rule("fc_leave_due")
    assert leave.skip_fc_recess is False
    # Not counting 21 Dec - 7 Jan: the 15 days run 8 - 22 Jan 2025 (Wed).
    assert compute_due(replace(leave, skip_fc_recess=True), D(2024, 12, 20), "ON") == D(2025, 1, 22)
    assert compute_due(leave, D(2024, 12, 20), "ON") == D(2025, 1, 6)


def test_working_days_skip_holidays():
    three = Rule(key="x", label="x", trigger="referral_to_rpd", period=3, unit="working_days")
    # Thu 28 March 2024: Fri Good Friday, weekend, Easter Monday -> Tue 2, Wed 3, Thu 4 April.
    assert compute_due(three, D(2024, 3, 28)) == D(2024, 4, 4)


def test_no_rollover_is_possible_but_not_seeded():
    plain = Rule(key="x", label="x", trigger="referral_to_rpd", period=15, rollover="none")
    assert compute_due(plain, D(2024, 3, 1)) == D(2024, 3, 16)
    assert all(r.rollover != "none" for r in RULES.rules)


# ------------------------------------------------------------------ properties

dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2045, 12, 31))
provinces = st.sampled_from([None, *sorted(PROVINCES)])
triggers = st.sampled_from(sorted({r.trigger for r in RULES.rules if r.trigger not in RULES.rule_keys}))


@settings(max_examples=300, deadline=None)
@given(trigger=triggers, on=dates, province=provinces)
def test_no_computed_deadline_is_a_holiday_or_weekend(trigger, on, province):
    for item in RULES.compute([(trigger, on)], province):
        assert not is_holiday(item.due, province), (item.rule.key, item.due, holiday_name(item.due, province))
        assert item.due.weekday() < 5


@settings(max_examples=300, deadline=None)
@given(trigger=triggers, on=dates, later_by=st.integers(min_value=0, max_value=400), province=provinces)
def test_deadlines_never_move_earlier_when_the_trigger_moves_later(trigger, on, later_by, province):
    first = {i.rule.key: i.due for i in RULES.compute([(trigger, on)], province)}
    later = {i.rule.key: i.due for i in RULES.compute([(trigger, on + dt.timedelta(days=later_by))], province)}
    assert first.keys() == later.keys()
    for key in first:
        assert later[key] >= first[key], key


@settings(max_examples=200, deadline=None)
@given(on=dates, period=st.integers(min_value=0, max_value=120),
       unit=st.sampled_from(["calendar_days", "working_days", "months"]),
       direction=st.sampled_from(["after", "before"]), recess=st.booleans(), province=provinces)
def test_any_rolling_rule_avoids_holidays_and_is_monotonic(on, period, unit, direction, recess, province):
    some = Rule(key="x", label="x", trigger="t", period=period % 13 if unit == "months" else period, unit=unit,
                direction=direction, rollover="forward" if direction == "after" else "backward",
                skip_fc_recess=recess)
    result = compute_due(some, on, province)
    assert not is_holiday(result, province)
    assert compute_due(some, on + dt.timedelta(days=3), province) >= result


# ------------------------------------------------------------------ database rules and the command line

@pytest.mark.django_db
def test_seeded_rules_match_the_migration_and_admin_changes_apply_at_once():
    from haven.claims.models import DeadlineRule

    assert DeadlineRule.objects.count() == len(SEED)
    assert [c.due for c in deadlines_for("referral_to_rpd", D(2024, 6, 3), "ON") if c.rule.key == "boc_due"] == [
        D(2024, 6, 18)]
    DeadlineRule.objects.filter(key="boc_due").update(period=20)
    assert [c.due for c in deadlines_for("referral_to_rpd", D(2024, 6, 3), "ON") if c.rule.key == "boc_due"] == [
        D(2024, 6, 24)]  # Sun 23 June -> Mon 24 June
    DeadlineRule.objects.filter(key="boc_due").update(active=False)
    assert "boc_due" not in {c.rule.key for c in deadlines_for("referral_to_rpd", D(2024, 6, 3), "ON")}


@pytest.mark.django_db
def test_rule_validation_refuses_overlapping_windows_and_unknown_triggers():
    from django.core.exceptions import ValidationError

    from haven.claims.models import DeadlineRule

    overlapping = DeadlineRule(key="rad_record_due", label="x", trigger="rpd_reasons_received", period=60,
                               effective_from=D(2024, 1, 1), citation="x")
    with pytest.raises(ValidationError, match="overlaps"):
        overlapping.clean()
    unknown = DeadlineRule(key="new_rule", label="x", trigger="no_such_event", period=5, citation="x")
    with pytest.raises(ValidationError, match="neither a known event"):
        unknown.clean()
    chained = DeadlineRule(key="new_rule", label="x", trigger="boc_due", period=5, citation="x",
                           completed_by=["boc_filed"])
    chained.clean()


@pytest.mark.django_db
def test_command_prints_json_with_rule_due_and_citation():
    out = io.StringIO()
    call_command("deadlines", event="rpd_reasons_received", date="2024-12-20", province="ON", json=True, stdout=out)
    rows = json.loads(out.getvalue())
    assert {row["rule"]: row["due"] for row in rows} == {"rad_notice_due": "2025-01-06",
                                                         "rad_record_due": "2025-02-03"}
    assert all(row["citation"] for row in rows)


@pytest.mark.django_db
@pytest.mark.parametrize("options, message", [
    ({"event": "no_such_event", "date": "2024-01-01", "province": "ON"}, "unknown event"),
    ({"event": "referral_to_rpd", "date": "2024-02-30", "province": "ON"}, "malformed date"),
    ({"event": "referral_to_rpd", "date": "01/02/2024", "province": "ON"}, "malformed date"),
    ({"event": "referral_to_rpd", "date": "2024-01-01", "province": "XX"}, "unknown province"),
])
def test_command_errors_exit_with_status_2(options, message):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("deadlines", json=True, stderr=err, stdout=io.StringIO(), **options)
    assert exit_info.value.code == 2
    assert message in err.getvalue()


# ------------------------------------------------------------------ bulk recompute (services) and the deadlines page

def _event(pk, type, on, received=None):
    """An event tuple in services.EV_FIELDS order."""
    return (pk, type, on, received, None, "", "", "")


def test_planner_computes_a_pattern_once_and_gives_each_claim_its_own_event_ids():
    from haven.claims.services import DeadlinePlanner, Ev, desired_deadlines

    planner = DeadlinePlanner(RULES)
    # Referral Sun 4 Feb 2024: BOC due Mon 19 Feb, Family Day in Ontario (not in Quebec) -> Tue 20 Feb in Ontario.
    first = [_event(11, "referral", D(2024, 2, 4)), _event(12, "decision_rejected", D(2024, 6, 3), D(2024, 6, 10))]
    second = [_event(21, "referral", D(2024, 2, 4)), _event(22, "decision_rejected", D(2024, 6, 3), D(2024, 6, 10))]
    plans = [dict(planner.plan(events, province)) for events, province in
             ((first, "ON"), (second, "ON"), (list(reversed(second)), "ON"), (second, "QC"))]
    assert planner.computed == 2  # ON once (the reversed list is sorted first), QC once
    for plan, events, province in zip(plans, (first, second, second, second), ("ON", "ON", "ON", "QC"), strict=True):
        assert plan == desired_deadlines([Ev._make(e) for e in events], RULES, province)
    assert plans[0]["boc_due"][3] == D(2024, 2, 20) and plans[3]["boc_due"][3] == D(2024, 2, 19)
    assert plans[0]["rad_notice_due"][5] == 12 and plans[1]["rad_notice_due"][5] == 22
    assert plans[0]["boc_due"][5] == 11 and plans[1]["boc_due"][5] == 21


def _claim_rows(claim_ids):
    from haven.claims.models import Deadline

    return {(row[0], row[1]): row[2:] for row in Deadline.objects.filter(claim_id__in=claim_ids).values_list(
        "claim_id", "key", "pk", "rule_id", "trigger", "trigger_on", "due_on", "completed_on", "event_id", "lapsed",
        "case_id")}


def _expected_rows(claim_ids):
    """Each claim's deadlines computed on its own from its ClaimEvent rows (no planner, no memo)."""
    from haven.claims.deadlines import load_rules
    from haven.claims.models import Claim
    from haven.claims.recompute import latest_today
    from haven.claims.services import desired_deadlines

    rules = load_rules()
    expected = {}
    for claim in Claim.objects.filter(pk__in=claim_ids).prefetch_related("events"):
        # The seeded steps of recent claims are dated after today: they meet nothing yet.
        for key, values in desired_deadlines(list(claim.events.all()), rules, claim.province, claim.intake_route,
                                             latest_today()).items():
            expected[(claim.pk, key)] = (*values, claim.case_id)
    return expected


def _seed(count):
    from django.utils import timezone

    from haven.accounts.models import Organization
    from haven.claims.testing import seed_claims

    organization = Organization.objects.create(name="Recompute tests", slug="recompute-tests",
                                               kind=Organization.Kind.LEGAL_CLINIC)
    return seed_claims(organization=organization, claims=count, today=timezone.localdate(), prefix="RT")


@pytest.mark.django_db
def test_recompute_all_writes_updates_in_place_and_deletes_what_the_rules_say():
    from haven.claims.models import ClaimEvent, Deadline, DeadlineRule, EventType
    from haven.claims.recompute import recompute_all_deadlines

    ids = _seed(60)
    cold = recompute_all_deadlines(chunk=25)  # several chunks
    rows = _claim_rows(ids)
    assert cold == {"claims": 60, "created": len(rows), "updated": 0, "deleted": 0} and len(rows) > 120
    assert {key: values[1:] for key, values in rows.items()} == _expected_rows(ids)
    assert recompute_all_deadlines(chunk=25) == {"claims": 60, "created": 0, "updated": 0, "deleted": 0}

    rule = DeadlineRule.objects.get(key="boc_due")
    rule.period += 5
    rule.save(update_fields=["period"])
    changed = recompute_all_deadlines(chunk=25)
    after = _claim_rows(ids)
    boc = {key for key in rows if key[1] == "boc_due"}
    rewritten = {key for key in rows if after[key] != rows[key]}  # the BOC deadlines and those counted from them
    assert changed == {"claims": 60, "created": 0, "updated": len(rewritten), "deleted": 0}
    assert boc < rewritten and all(after[key][4] > rows[key][4] for key in boc)
    assert all(after[key][0] == rows[key][0] for key in rows)  # same rows (ids kept), rewritten in place
    assert {key: values[1:] for key, values in after.items()} == _expected_rows(ids)

    # A stale row is deleted, a missing one created, a changed one updated: only those.
    decisions = list(ClaimEvent.objects.filter(claim_id__in=ids, type=EventType.DECISION_REJECTED)[:3])
    ClaimEvent.objects.filter(pk__in=[e.pk for e in decisions]).delete()
    Deadline.objects.filter(claim_id=ids[0], key="boc_due").delete()
    stale = sum(1 for key in after if key[0] in {e.claim_id for e in decisions}
                and key[1] in ("rad_notice_due", "rad_record_due", "prra_bar_ends"))
    result = recompute_all_deadlines(chunk=25)
    assert result["created"] == 1 and result["deleted"] == stale > 0
    assert {key: values[1:] for key, values in _claim_rows(ids).items()} == _expected_rows(ids)


@pytest.mark.django_db
def test_recompute_of_given_claims_leaves_the_others_alone():
    from haven.claims.models import Deadline
    from haven.claims.recompute import recompute_all_deadlines

    ids = _seed(10)
    assert recompute_all_deadlines(claim_ids=ids[:4])["claims"] == 4
    assert set(Deadline.objects.values_list("claim_id", flat=True)) == set(ids[:4])
    assert {key: values[1:] for key, values in _claim_rows(ids).items()} == _expected_rows(ids[:4])


def _foreign_keys():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' AND "
                       "(conrelid = 'claims_deadline'::regclass OR confrelid = 'claims_deadline'::regclass) "
                       "ORDER BY conname")
        return cursor.fetchall()


def _indexes():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                       "WHERE indrelid = 'claims_deadline'::regclass ORDER BY 1")
        return cursor.fetchall()


@postgresql_only  # the bulk mode is PostgreSQL's (elsewhere every recompute goes row by row)
@pytest.mark.django_db
def test_bulk_recompute_checks_the_foreign_keys_once_and_keeps_them_and_the_indexes(monkeypatch):
    from django.db import IntegrityError, connection, transaction

    from haven.claims import recompute as services
    from haven.claims.models import ClaimEvent, Deadline, EventType

    keys = _foreign_keys()
    assert len(keys) == 6  # claim, case, rule, event, joined member; ReminderSent's key to the deadline
    ids = _seed(30)
    # Rows written earlier in the same transaction leave deferred checks pending: ALTER TABLE needs them run.
    services.recompute_all_deadlines(claim_ids=ids[:5])
    # ... and the bulk run deletes rows too (ReminderSent's key queues a deferred check per deleted row).
    ClaimEvent.objects.filter(claim_id__in=ids[:5]).exclude(type=EventType.REFERRAL).delete()
    stale = len(_claim_rows(ids[:5])) - len(_expected_rows(ids[:5]))
    assert stale > 0
    monkeypatch.setattr(services, "BULK_MISSING_CLAIMS", 20)
    calls = []
    original = services._bulk_load

    def spy(model, *, rebuild_indexes):
        calls.append((model, rebuild_indexes))
        return original(model, rebuild_indexes=rebuild_indexes)

    monkeypatch.setattr(services, "_bulk_load", spy)
    indexes = _indexes()
    result = services.recompute_all_deadlines(chunk=7)
    assert calls == [(Deadline, True)]  # 25 of the 30 claims had no deadline: the indexes were rebuilt
    assert _indexes() == indexes
    assert result["created"] == len(_claim_rows(ids[5:])) and result["deleted"] == stale
    assert {key: values[1:] for key, values in _claim_rows(ids).items()} == _expected_rows(ids)
    assert _foreign_keys() == keys
    row = Deadline.objects.filter(claim_id=ids[0]).values_list("case_id", "rule_id", "key", "trigger",
                                                               "trigger_on", "due_on").first()
    with pytest.raises(IntegrityError), transaction.atomic():  # the claim key is enforced again
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO claims_deadline (claim_id, case_id, rule_id, key, trigger, trigger_on, "
                           "due_on) VALUES (%s, %s, %s, %s, %s, %s, %s)", [10**12, *row])
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class DeadlinesPageSelectorTests(PersonaTestCase):
    def seed(self, count: int, prefix: str) -> list[int]:
        from django.utils import timezone

        from haven.claims.testing import seed_claims
        from haven.claims.recompute import recompute_all_deadlines

        ids = seed_claims(organization=self.case.organization, claims=count, today=timezone.localdate(),
                          prefix=prefix)
        recompute_all_deadlines(claim_ids=ids)
        return ids

    def page(self, user, number, per_page=7):
        from django.utils import timezone

        from haven.claims.selectors import deadlines_page

        return deadlines_page(user, today=timezone.localdate(), number=number, per_page=per_page)

    def test_pages_follow_the_open_deadlines_in_order_with_their_labels(self):
        from django.utils import timezone

        from haven.claims.selectors import visible_deadlines

        self.seed(40, "PG")
        today = timezone.localdate()
        # The deadlines page lists the open deadlines and those met late (the late list).
        everything = list(visible_deadlines(self.owner, today=today, include_met_late=True))
        assert len(everything) > 30
        per_page = 7
        last = -(-len(everything) // per_page)
        for number, shown in ((1, 1), ("2", 2), (last, last), ("abc", 1), (None, 1), (999, last), ("0", last),
                              ("-3", last)):
            rows, page = self.page(self.owner, number, per_page)
            self.assertEqual(page.number, shown)
            self.assertEqual(page.paginator.count, len(everything))
            expected = everything[(shown - 1) * per_page:shown * per_page]
            self.assertEqual([row.pk for row in rows], [d.pk for d in expected])
            for row, deadline in zip(rows, expected, strict=True):
                self.assertEqual((row.claim_id, row.key, row.due_on, row.label, row.citation, row.claim_reference,
                                  row.case_reference),
                                 (deadline.claim_id, deadline.key, deadline.due_on, deadline.rule.label,
                                  deadline.rule.citation, deadline.claim.reference, deadline.case.reference))
                late = deadline.completed_on is not None
                self.assertEqual(row.status, "met_late" if late else "overdue" if row.due_on < today else
                                 "today" if row.due_on == today else "open")
        self.assertIn("overdue", {row.status for number in range(1, last + 1)
                                  for row in self.page(self.owner, number, per_page)[0]})

    def test_outsiders_get_an_empty_first_page(self):
        self.seed(5, "PO")
        rows, page = self.page(self.outsider, "3")
        self.assertEqual((rows, page.number, page.paginator.count), ([], 1, 0))

    def test_query_count_does_not_grow_with_the_deadlines(self):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from haven.cases.access import forget_access

        self.seed(3, "PQ")
        forget_access(self.owner)
        self.page(self.owner, 1)
        with CaptureQueriesContext(connection) as few:
            self.page(self.owner, 1)
        self.seed(60, "PR")
        for number in (1, 2, 3):
            with self.assertNumQueries(len(few)):
                rows, _ = self.page(self.owner, number)
            self.assertEqual(len(rows), 7)
        self.assertLessEqual(len(few), 4)  # visible cases, the page with its count, the page's labels


@pytest.mark.django_db
def test_bulk_recompute_can_be_switched_off(monkeypatch, settings):
    from haven.claims import recompute as services

    ids = _seed(8)
    monkeypatch.setattr(services, "BULK_MISSING_CLAIMS", 1)
    monkeypatch.setattr(services, "_bulk_load", lambda *args, **kwargs: pytest.fail("bulk mode used"))
    settings.HAVEN_DEADLINE_BULK_RECOMPUTE = False
    assert services.recompute_all_deadlines()["created"] == len(_expected_rows(ids)) > 0
    assert {key: values[1:] for key, values in _claim_rows(ids).items()} == _expected_rows(ids)


@postgresql_only
@pytest.mark.django_db
def test_bulk_recompute_goes_row_by_row_when_its_tables_are_busy(monkeypatch):
    from contextlib import contextmanager

    import psycopg
    from django.db import connection

    from haven.claims import recompute as services
    from haven.claims.models import Deadline

    ids = _seed(8)
    keys = _foreign_keys()
    monkeypatch.setattr(services, "BULK_MISSING_CLAIMS", 1)
    monkeypatch.setattr(services, "BULK_LOCK_TIMEOUT", "200ms")
    busy = []
    original = services._bulk_load

    @contextmanager
    def spy(model, *, rebuild_indexes):
        try:
            with original(model, rebuild_indexes=rebuild_indexes):
                yield
        except services.LocksBusy:
            busy.append(model)
            raise

    monkeypatch.setattr(services, "_bulk_load", spy)
    db = connection.settings_dict
    with psycopg.connect(host=db["HOST"] or None, port=db["PORT"] or None, user=db["USER"], password=db["PASSWORD"],
                         dbname=db["NAME"]) as other:
        other.execute("LOCK TABLE cases_case IN ACCESS SHARE MODE")  # someone reading cases, in a transaction
        result = services.recompute_all_deadlines()
        other.rollback()
    assert busy == [Deadline]  # bulk mode was tried, could not lock, and the recompute went row by row
    assert result["created"] == len(_expected_rows(ids)) > 0
    assert {key: values[1:] for key, values in _claim_rows(ids).items()} == _expected_rows(ids)
    assert _foreign_keys() == keys
