"""Holidays as the Interpretation Act s.35 counts them, province by province, from each province's own law
(haven.claims.holiday_law); the days federal offices close beyond s.35(1) (Boxing Day, the Sunday Mondays) and the
doubt about them on the claim page; the Federal Court recess (Federal Courts Rules r.6(3)) and r.2 "holiday";
"before" deadlines and how a holiday moves them. One test per provision, and a table of hand-computed deadlines in
all 13 provinces and territories, each with its reasoning."""
from __future__ import annotations

import datetime as dt
import io

import pytest

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from haven.claims import services
from haven.claims.deadlines import (
    Rule,
    compute_due,
    deadlines_for,
    federal_holidays,
    is_holiday,
    office_closure_doubt,
)
from haven.claims.holiday_law import VERIFIED, sources
from haven.claims.labels import holiday_rule_note, office_closure_note, recess_note
from haven.claims.models import Province
from haven.testing.personas import PersonaTestCase

D = dt.date

# (trigger, trigger date, province, rule, expected due date). The reasoning of each row: trigger date + period =
# first day; the holidays (and weekends) skipped; the result. Federal list (Interpretation Act s.35(1), with Canada
# Day on 2 July when 1 July is a Sunday, Holidays Act s.2(2)) in every province; provincial days only where their
# law was verified (unverified ones are not counted by default). Boxing Day and the Monday after a Sunday New Year's
# Day or Remembrance Day are not in s.35(1): counted only through a province's law, or where counting them gives the
# earlier date (a roll backward), or with HAVEN_DEADLINE_FEDERAL_OFFICE_CLOSURES (OFFICE_CLOSURES_TABLE below).
TABLE = [
    # Family Day and its cousins, Mon 17 Feb 2025. Reasons Sun 2 Feb + 15 = Mon 17 Feb.
    ("rpd_reasons_received", D(2025, 2, 2), "ON", "rad_notice_due", D(2025, 2, 18)),  # Family Day (ON s.88) -> Tue
    ("rpd_reasons_received", D(2025, 2, 2), "QC", "rad_notice_due", D(2025, 2, 17)),  # not in CCP art. 82
    ("rpd_reasons_received", D(2025, 2, 2), "MB", "rad_notice_due", D(2025, 2, 18)),  # Louis Riel Day (s.23) -> Tue
    ("rpd_reasons_received", D(2025, 2, 2), "AB", "rad_notice_due", D(2025, 2, 17)),  # Family Day unverified
    ("rpd_reasons_received", D(2025, 2, 2), "SK", "rad_notice_due", D(2025, 2, 17)),  # Family Day unverified
    ("rpd_reasons_received", D(2025, 2, 2), "BC", "rad_notice_due", D(2025, 2, 17)),  # BC Family Day unverified
    ("rpd_reasons_received", D(2025, 2, 2), "NS", "rad_notice_due", D(2025, 2, 17)),  # Heritage Day unverified
    ("rpd_reasons_received", D(2025, 2, 2), "PE", "rad_notice_due", D(2025, 2, 17)),  # Islander Day unverified
    ("rpd_reasons_received", D(2025, 2, 2), "NB", "rad_notice_due", D(2025, 2, 18)),  # Family Day (NB s.38) -> Tue
    # New Brunswick's Family Day from its first year (Bill 67, s.3): Sun 4 Feb 2018 + 15 = Mon 19 Feb 2018 -> Tue 20;
    # the year before, Sun 5 Feb 2017 + 15 = Mon 20 Feb 2017 was a working day.
    ("rpd_reasons_received", D(2018, 2, 4), "NB", "rad_notice_due", D(2018, 2, 20)),
    ("rpd_reasons_received", D(2017, 2, 5), "NB", "rad_notice_due", D(2017, 2, 20)),
    # Counted back: hearing Thu 26 Feb 2026 - 10 = Mon 16 Feb, NB Family Day; Sun 15, Sat 14 -> Fri 13 Feb.
    ("hearing_scheduled", D(2026, 2, 26), "NB", "minister_intervention_due", D(2026, 2, 13)),
    ("hearing_scheduled", D(2026, 2, 26), "NL", "minister_intervention_due", D(2026, 2, 16)),  # a working day in NL
    # Alberta's and Saskatchewan's Family Day are unverified, but counting back an uncounted holiday would give the
    # later date: they count where they give the earlier one. Mon 16 Feb 2026 -> Fri 13 Feb, as in NB.
    ("hearing_scheduled", D(2026, 2, 26), "AB", "minister_intervention_due", D(2026, 2, 13)),
    ("hearing_scheduled", D(2026, 2, 26), "SK", "minister_intervention_due", D(2026, 2, 13)),
    # 2 January. Reasons Thu 18 Dec 2025 + 15 = Fri 2 Jan 2026.
    ("rpd_reasons_received", D(2025, 12, 18), "QC", "rad_notice_due", D(2026, 1, 5)),  # art. 82; Sat, Sun -> Mon 5
    ("rpd_reasons_received", D(2025, 12, 18), "ON", "rad_notice_due", D(2026, 1, 2)),  # a working day in Ontario
    ("rpd_reasons_received", D(2025, 12, 18), "NL", "rad_notice_due", D(2026, 1, 2)),  # federal list only
    ("rpd_reasons_received", D(2025, 12, 18), "YT", "rad_notice_due", D(2026, 1, 2)),
    ("rpd_reasons_received", D(2025, 12, 18), "NT", "rad_notice_due", D(2026, 1, 2)),
    ("rpd_reasons_received", D(2025, 12, 18), "NU", "rad_notice_due", D(2026, 1, 2)),
    # Fête nationale, Tue 24 June 2025. Reasons Mon 9 June + 15 = Tue 24 June.
    ("rpd_reasons_received", D(2025, 6, 9), "QC", "rad_notice_due", D(2025, 6, 25)),  # art. 82 -> Wed 25
    ("rpd_reasons_received", D(2025, 6, 9), "NL", "rad_notice_due", D(2025, 6, 24)),  # Discovery Day: not in NL s.27
    # NL s.27(1)(l) names no St. Patrick's Day (Mon 17 Mar 2025: Sun 2 Mar + 15) nor Orangemen's Day (Mon 14 July
    # 2025: Sun 29 June + 15): both are working days for deadlines.
    ("rpd_reasons_received", D(2025, 3, 2), "NL", "rad_notice_due", D(2025, 3, 17)),
    ("rpd_reasons_received", D(2025, 6, 29), "NL", "rad_notice_due", D(2025, 7, 14)),
    # Boxing Day in NL s.27(1)(l)(ii) (not on the federal list): Thu 11 Dec 2025 + 15 = Fri 26 Dec; Sat, Sun.
    ("prra_notification", D(2025, 12, 11), "NL", "prra_application_due", D(2025, 12, 29)),  # -> Mon 29
    ("prra_notification", D(2025, 12, 11), "ON", "prra_application_due", D(2025, 12, 29)),  # ON s.88 -> Mon 29
    ("prra_notification", D(2025, 12, 11), "AB", "prra_application_due", D(2025, 12, 26)),  # not s.35(1): Fri 26
    # British Columbia Day and the August civic holidays, Mon 4 Aug 2025. Reasons Sun 20 July + 15 = Mon 4 Aug.
    ("rpd_reasons_received", D(2025, 7, 20), "BC", "rad_notice_due", D(2025, 8, 5)),  # BC s.29 -> Tue 5
    ("rpd_reasons_received", D(2025, 7, 20), "AB", "rad_notice_due", D(2025, 8, 4)),  # Heritage Day unverified
    ("rpd_reasons_received", D(2025, 7, 20), "SK", "rad_notice_due", D(2025, 8, 4)),  # Saskatchewan Day unverified
    ("rpd_reasons_received", D(2025, 7, 20), "NS", "rad_notice_due", D(2025, 8, 4)),  # Natal Day unverified
    ("rpd_reasons_received", D(2025, 7, 20), "NT", "rad_notice_due", D(2025, 8, 4)),  # Civic Holiday unverified
    ("rpd_reasons_received", D(2025, 7, 20), "NU", "rad_notice_due", D(2025, 8, 4)),  # Civic Holiday unverified
    ("rpd_reasons_received", D(2025, 7, 20), "MB", "rad_notice_due", D(2025, 8, 4)),  # Terry Fox Day unverified
    ("rpd_reasons_received", D(2025, 7, 20), "NB", "rad_notice_due", D(2025, 8, 4)),  # New Brunswick Day unverified
    ("rpd_reasons_received", D(2025, 7, 20), "ON", "rad_notice_due", D(2025, 8, 4)),  # not in ON s.88
    # Christmas on a Saturday (2027): ON s.88(5) makes Mon 27 Dec a holiday. Reasons Sun 12 Dec + 15 = Mon 27 Dec.
    ("rpd_reasons_received", D(2027, 12, 12), "ON", "rad_notice_due", D(2027, 12, 28)),  # -> Tue 28
    ("rpd_reasons_received", D(2027, 12, 12), "QC", "rad_notice_due", D(2027, 12, 27)),  # 25-26 Dec only
    # Christmas on a Sunday (2022): ON s.88(5) makes Tue 27 Dec a holiday. Reasons Mon 12 Dec + 15 = Tue 27 Dec.
    ("rpd_reasons_received", D(2022, 12, 12), "ON", "rad_notice_due", D(2022, 12, 28)),  # -> Wed 28
    ("rpd_reasons_received", D(2022, 12, 12), "AB", "rad_notice_due", D(2022, 12, 27)),  # federal: Sun 25 only
    # Canada Day on a Sunday (2029, 2018): Holidays Act s.2(2) makes Mon 2 July the holiday, everywhere.
    ("rpd_reasons_received", D(2029, 6, 17), "YT", "rad_notice_due", D(2029, 7, 3)),  # Mon 2 July -> Tue 3
    ("rpd_reasons_received", D(2018, 6, 17), "AB", "rad_notice_due", D(2018, 7, 3)),  # Mon 2 July 2018 -> Tue 3
    # New Year's Day on a Sunday (2023): no Monday holiday in s.35(1). Sun 18 Dec 2022 + 15 = Mon 2 Jan 2023.
    ("rpd_reasons_received", D(2022, 12, 18), "SK", "rad_notice_due", D(2023, 1, 2)),  # a working day
    ("rpd_reasons_received", D(2022, 12, 18), "QC", "rad_notice_due", D(2023, 1, 3)),  # art. 82: 2 January -> Tue 3
    # Remembrance Day on a Sunday (2029): no Monday holiday either (Holidays Act s.3). Sun 28 Oct + 15 = Mon 12 Nov.
    ("rpd_reasons_received", D(2029, 10, 28), "PE", "rad_notice_due", D(2029, 11, 12)),
    # Federal days in provinces without their own: Remembrance Day Tue 11 Nov 2025 (Mon 27 Oct + 15).
    ("rpd_reasons_received", D(2025, 10, 27), "PE", "rad_notice_due", D(2025, 11, 12)),  # -> Wed 12
    # National Day for Truth and Reconciliation Tue 30 Sept 2025 (Mon 15 Sept + 15).
    ("rpd_reasons_received", D(2025, 9, 15), "NS", "rad_notice_due", D(2025, 10, 1)),  # -> Wed 1 Oct
    # Good Friday Fri 3 Apr 2026 (Thu 19 Mar + 15): Sat, Sun, Easter Monday 6 Apr skipped.
    ("rpd_reasons_received", D(2026, 3, 19), "SK", "rad_notice_due", D(2026, 4, 7)),  # -> Tue 7
    # Thanksgiving Mon 12 Oct 2026 (Sun 27 Sept + 15).
    ("rpd_reasons_received", D(2026, 9, 27), "NB", "rad_notice_due", D(2026, 10, 13)),  # -> Tue 13
    # Victoria Day Mon 18 May 2026 (Sun 3 May + 15).
    ("rpd_reasons_received", D(2026, 5, 3), "NL", "rad_notice_due", D(2026, 5, 19)),  # -> Tue 19
    # Labour Day Mon 7 Sept 2026 (Sun 23 Aug + 15).
    ("rpd_reasons_received", D(2026, 8, 23), "YT", "rad_notice_due", D(2026, 9, 8)),  # -> Tue 8
    # BOC (port of entry): referral Tue 16 June 2026 + 15 = Wed 1 July, Canada Day.
    ("referral_to_rpd", D(2026, 6, 16), "NU", "boc_due", D(2026, 7, 2)),  # -> Thu 2
    # PRRA application: notification Thu 11 Dec 2025 + 15 = Fri 26 Dec: Boxing Day, not in s.35(1), and NT's Act
    # was not read. The doubt is said on the claim page (test_the_claim_page_states_the_boxing_day_doubt).
    ("prra_notification", D(2025, 12, 11), "NT", "prra_application_due", D(2025, 12, 26)),
    # FC record: leave filed Wed 26 Nov 2025 + 30 = Fri 26 Dec; the recess is counted (doubt stated); Boxing Day is
    # not in s.35(1) and Manitoba's s.23(1) list was not read past Louis Riel Day: Fri 26 Dec.
    ("fc_leave_filed", D(2025, 11, 26), "MB", "fc_record_due", D(2025, 12, 26)),
    # "Before" deadlines roll back: hearing Thu 14 Aug 2025 - 10 = Mon 4 Aug, BC Day in BC; Sun, Sat -> Fri 1 Aug.
    ("hearing_scheduled", D(2025, 8, 14), "BC", "boc_amendments_due", D(2025, 8, 1)),
    ("hearing_scheduled", D(2025, 8, 14), "ON", "boc_amendments_due", D(2025, 8, 4)),  # a working day in Ontario
    # Hearing Mon 12 Jan 2026 - 10 = Fri 2 Jan: QC art. 82 -> Thu 1 Jan (holiday) -> Wed 31 Dec 2025.
    ("hearing_scheduled", D(2026, 1, 12), "QC", "minister_intervention_due", D(2025, 12, 31)),
    ("hearing_scheduled", D(2026, 1, 12), "AB", "minister_intervention_due", D(2026, 1, 2)),
    # Hearing Mon 5 Jan 2026 - 10 = Fri 26 Dec 2025. Counting back, Boxing Day is counted (the earlier date) even
    # where s.35(1) alone applies: Thu 25 Dec (Christmas) -> Wed 24 Dec. In Ontario, s.88 gives the same.
    ("hearing_scheduled", D(2026, 1, 5), "AB", "minister_intervention_due", D(2025, 12, 24)),
    ("hearing_scheduled", D(2026, 1, 5), "ON", "boc_amendments_due", D(2025, 12, 24)),
    # RAD record 45 days: reasons Mon 17 Nov 2025 + 45 = Thu 1 Jan 2026 -> Fri 2 Jan (QC holiday), Sat, Sun -> Mon 5.
    ("rpd_reasons_received", D(2025, 11, 17), "QC", "rad_record_due", D(2026, 1, 5)),
    ("rpd_reasons_received", D(2025, 11, 17), "ON", "rad_record_due", D(2026, 1, 2)),  # -> Fri 2 Jan
    # PRRA bar, 12 months (s.28): Fri 28 Feb 2025 -> Sat 28 Feb 2026 -> Mon 2 Mar.
    ("last_negative_decision", D(2025, 2, 28), "PE", "prra_bar_ends", D(2026, 3, 2)),
    # Provincial days from the year they began: Louis Riel Day (2008) and Ontario's Family Day (2008) were not
    # holidays on Mon 19 Feb 2007 (notification Sun 4 Feb + 15).
    ("prra_notification", D(2007, 2, 4), "MB", "prra_application_due", D(2007, 2, 19)),
    ("prra_notification", D(2007, 2, 4), "ON", "prra_application_due", D(2007, 2, 19)),
    ("prra_notification", D(2008, 2, 3), "MB", "prra_application_due", D(2008, 2, 19)),  # Mon 18 Feb 2008 -> Tue
]


def test_the_table_has_at_least_40_rows_in_every_province_and_territory():
    assert len(TABLE) >= 40
    assert {row[2] for row in TABLE} == set(Province.values)


@pytest.mark.django_db
@pytest.mark.parametrize("trigger, on, province, key, expected", TABLE)
def test_hand_computed_deadlines_in_every_province_and_territory(trigger, on, province, key, expected):
    due = {c.rule.key: c.due for c in deadlines_for(trigger, on, province)}
    assert due[key] == expected


# The same triggers with HAVEN_DEADLINE_FEDERAL_OFFICE_CLOSURES on: Boxing Day and the Sunday Mondays are holidays
# everywhere (the days federal offices, the Board's included, close).
OFFICE_CLOSURES_TABLE = [
    ("prra_notification", D(2025, 12, 11), "NT", "prra_application_due", D(2025, 12, 29)),  # Fri 26 -> Mon 29
    ("prra_notification", D(2025, 12, 11), "AB", "prra_application_due", D(2025, 12, 29)),
    ("fc_leave_filed", D(2025, 11, 26), "MB", "fc_record_due", D(2025, 12, 29)),
    ("rpd_reasons_received", D(2022, 12, 18), "SK", "rad_notice_due", D(2023, 1, 3)),  # Mon 2 Jan 2023 -> Tue 3
    ("rpd_reasons_received", D(2029, 10, 28), "PE", "rad_notice_due", D(2029, 11, 13)),  # Mon 12 Nov 2029 -> Tue 13
    ("hearing_scheduled", D(2026, 1, 5), "AB", "minister_intervention_due", D(2025, 12, 24)),  # as without it
    ("prra_notification", D(2025, 12, 11), "ON", "prra_application_due", D(2025, 12, 29)),  # as without it
]


@pytest.mark.django_db
@pytest.mark.parametrize("trigger, on, province, key, expected", OFFICE_CLOSURES_TABLE)
def test_with_the_office_closures_setting_boxing_day_and_the_sunday_mondays_count_everywhere(
        settings, trigger, on, province, key, expected):
    settings.HAVEN_DEADLINE_FEDERAL_OFFICE_CLOSURES = True
    due = {c.rule.key: c.due for c in deadlines_for(trigger, on, province)}
    assert due[key] == expected


def test_the_federal_list_is_interpretation_act_s_35_1_with_holidays_act_s_2_2():
    # 2023: New Year's Day on a Sunday; 2029: Canada Day and Remembrance Day on a Sunday.
    assert sorted(federal_holidays(2023)) == [
        D(2023, 1, 1), D(2023, 4, 7), D(2023, 4, 10), D(2023, 5, 22), D(2023, 7, 1), D(2023, 9, 4), D(2023, 9, 30),
        D(2023, 10, 9), D(2023, 11, 11), D(2023, 12, 25)]
    assert D(2029, 7, 2) in federal_holidays(2029) and D(2029, 11, 12) not in federal_holidays(2029)
    assert D(2020, 9, 30) not in federal_holidays(2020)  # the NDTR from 2021 (S.C. 2021, c. 11)
    with_closures = federal_holidays(2023, office_closures=True)
    assert set(with_closures) - set(federal_holidays(2023)) == {D(2023, 1, 2), D(2023, 12, 26)}


def test_boxing_day_is_a_holiday_only_through_a_provinces_law_or_the_setting(settings):
    boxing_day = D(2025, 12, 26)
    for province in ("QC", "ON", "BC", "NL"):  # CCP art. 82, s.88, s.29, s.27(1)(l)
        assert is_holiday(boxing_day, province)
    for province in (None, "AB", "SK", "MB", "NB", "NS", "PE", "NT", "NU", "YT"):
        assert not is_holiday(boxing_day, province)
    settings.HAVEN_DEADLINE_FEDERAL_OFFICE_CLOSURES = True
    assert is_holiday(boxing_day, "AB") and is_holiday(D(2023, 1, 2), None) and is_holiday(D(2029, 11, 12), "PE")


# ------------------------------------------------------------------ the doubt on the claim page

def test_the_doubt_names_the_day_and_both_dates_only_where_a_closing_day_moves_the_deadline():
    rule = Rule(key="prra_application_due", label="x", trigger="prra_notification", period=15)
    doubt = office_closure_doubt(rule, D(2025, 12, 11), "AB")
    assert doubt == (({D(2025, 12, 26): "boxing_day"}), D(2025, 12, 29), D(2025, 12, 26), D(2025, 12, 26))
    assert office_closure_doubt(rule, D(2025, 12, 11), "ON") is None  # Boxing Day is an Ontario holiday
    assert office_closure_doubt(rule, D(2025, 12, 12), "AB") is None  # Sat 27 Dec -> Mon 29 either way
    note = office_closure_note(days=doubt.days, counted=doubt.counted, not_counted=doubt.not_counted,
                               counting=False)
    assert note == (
        "Not a holiday under the Interpretation Act s.35(1), though federal offices, including the Board's, are "
        "closed: Boxing Day (2025-12-26). Whether it counts is unsettled: counted, this deadline is 2025-12-29; "
        "not counted, 2025-12-26. Haven shows the earlier date.")
    before = Rule(key="x", label="x", trigger="hearing_scheduled", period=10, direction="before", rollover="backward")
    doubt = office_closure_doubt(before, D(2026, 1, 5), "AB")  # Fri 26 Dec: counted, Wed 24 Dec is shown
    assert (doubt.counted, doubt.not_counted, doubt.shown) == (D(2025, 12, 24), D(2025, 12, 26), D(2025, 12, 24))


class OfficeClosureNoteOnTheClaimPageTests(PersonaTestCase):
    def claim(self, reference, province):
        # Referred Thu 11 Dec 2025 at a port of entry: the BOC is due 15 days later, Fri 26 Dec (Boxing Day).
        return services.create_claim(actor=self.owner, case=self.case, reference=reference, claimant=self.person,
                                     country_of_persecution="KP", province=province, referred_on=D(2025, 12, 11))

    def page(self, claim):
        self.login_as(self.owner)
        return self.client.get(reverse("claim_detail", args=[claim.pk])).content.decode()

    def test_the_claim_page_states_the_boxing_day_doubt(self):
        claim = self.claim("TB6-09001", "AB")
        self.assertEqual(claim.deadlines.get(key="boc_due").due_on, D(2025, 12, 26))
        page = self.page(claim)
        self.assertIn('data-doubt="office-closure"', page)
        self.assertIn("closed: Boxing Day (2025-12-26). Whether it counts is unsettled: counted, this deadline is "
                      "2025-12-29; not counted, 2025-12-26. Haven shows the earlier date.", page)
        self.assertEqual(page.count('data-doubt="office-closure"'), 1)  # only the BOC deadline ends on it

    def test_no_doubt_where_the_province_makes_boxing_day_a_holiday(self):
        claim = self.claim("TB6-09002", "ON")
        self.assertEqual(claim.deadlines.get(key="boc_due").due_on, D(2025, 12, 29))
        self.assertNotIn('data-doubt="office-closure"', self.page(claim))

    def test_with_the_setting_on_a_recompute_moves_the_deadline_and_the_page_says_why(self):
        claim = self.claim("TB6-09003", "AB")
        with override_settings(HAVEN_DEADLINE_FEDERAL_OFFICE_CLOSURES=True):
            # The stored date is the old one until the recompute, and the page says nothing it cannot stand by.
            self.assertNotIn('data-doubt="office-closure"', self.page(claim))
            call_command("deadlines", "recompute", stdout=io.StringIO())
            self.assertEqual(claim.deadlines.get(key="boc_due").due_on, D(2025, 12, 29))
            self.assertIn("(setting HAVEN_DEADLINE_FEDERAL_OFFICE_CLOSURES): Boxing Day (2025-12-26). It is not a "
                          "holiday under the Interpretation Act s.35(1); not counted, this deadline would be "
                          "2025-12-26.", self.page(claim))
        call_command("deadlines", "recompute", stdout=io.StringIO())  # the setting off again: one day earlier
        self.assertEqual(claim.deadlines.get(key="boc_due").due_on, D(2025, 12, 26))


# ------------------------------------------------------------------ one test per provincial provision

def test_quebec_code_of_civil_procedure_art_82_2_january_24_june_and_26_december():
    for day in (D(2026, 1, 2), D(2025, 6, 24), D(2025, 12, 26)):
        assert is_holiday(day, "QC")
    assert not is_holiday(D(2026, 1, 2), "ON") and not is_holiday(D(2025, 6, 24), "ON")


def test_ontario_legislation_act_s_88_family_day_boxing_day_and_christmas_weekend_days():
    assert is_holiday(D(2025, 2, 17), "ON")
    assert is_holiday(D(2027, 12, 27), "ON")  # s.88(5): Christmas on a Saturday
    assert is_holiday(D(2022, 12, 27), "ON")  # s.88(5): Christmas on a Sunday
    assert not is_holiday(D(2025, 8, 4), "ON")  # the Civic Holiday is not in s.88


def test_british_columbia_interpretation_act_s_29_british_columbia_day():
    assert is_holiday(D(2025, 8, 4), "BC")
    assert not is_holiday(D(2025, 2, 17), "BC")  # Family Day: not verified, not counted by default


def test_manitoba_interpretation_act_s_23_louis_riel_day():
    assert is_holiday(D(2025, 2, 17), "MB")
    assert not is_holiday(D(2007, 2, 19), "MB")


def test_newfoundland_and_labrador_interpretation_act_s_27_1_l_boxing_day_and_no_other_provincial_day(settings):
    assert is_holiday(D(2025, 12, 26), "NL")
    assert [entry.name for entry in VERIFIED["NL"]] == ["Boxing Day"]
    settings.HAVEN_DEADLINE_UNVERIFIED_PROVINCIAL_HOLIDAYS = True  # NL's list was read: the setting adds nothing
    for day in (D(2025, 3, 17), D(2025, 6, 23), D(2025, 7, 14)):  # St. Patrick's, Discovery, Orangemen's Days
        assert not is_holiday(day, "NL")


def test_new_brunswick_interpretation_act_s_38_family_day_from_2018():
    assert is_holiday(D(2025, 2, 17), "NB") and is_holiday(D(2018, 2, 19), "NB")
    assert not is_holiday(D(2017, 2, 20), "NB")
    assert not is_holiday(D(2025, 8, 4), "NB")  # New Brunswick Day: the rest of s.38 was not read


def test_unverified_provincial_days_count_only_when_the_setting_says_so(settings):
    assert not is_holiday(D(2025, 2, 17), "AB")
    settings.HAVEN_DEADLINE_UNVERIFIED_PROVINCIAL_HOLIDAYS = True
    assert is_holiday(D(2025, 2, 17), "AB")  # Alberta Family Day, from the holidays package
    assert is_holiday(D(2025, 2, 17), "BC")


def test_unverified_provincial_days_count_when_counting_back_where_they_give_the_earlier_date(settings):
    # Alberta Family Day, Mon 16 Feb 2026, unverified. Forward (reasons Sun 1 Feb + 15): not counted, Mon 16 Feb;
    # counted back (hearing Thu 26 Feb - 10): counted, rolled back to Fri 13 Feb. The setting counts it both ways.
    forward = Rule(key="f", label="f", trigger="t", period=15)
    back = Rule(key="b", label="b", trigger="t", period=10, direction="before", rollover="backward")
    assert (compute_due(forward, D(2026, 2, 1), "AB"), compute_due(back, D(2026, 2, 26), "AB")) == (
        D(2026, 2, 16), D(2026, 2, 13))
    settings.HAVEN_DEADLINE_UNVERIFIED_PROVINCIAL_HOLIDAYS = True
    assert (compute_due(forward, D(2026, 2, 1), "AB"), compute_due(back, D(2026, 2, 26), "AB")) == (
        D(2026, 2, 17), D(2026, 2, 13))


def test_every_provincial_day_names_its_source():
    assert {province for province, *_ in sources()} == set(VERIFIED)
    for province, day, citation, url, verified in sources():
        assert citation and url.startswith("https://"), (province, day)


# ------------------------------------------------------------------ Federal Courts Rules r.6(3), "before" deadlines

def test_federal_courts_rules_r_6_3_recess_is_skipped_only_where_a_rule_says_and_its_doubt_is_stated():
    assert "21 December to 7 January are not counted" in recess_note(key="anything", skip_fc_recess=True)
    for key in ("fc_leave_due", "fc_record_due"):
        assert "unsettled" in recess_note(key=key, skip_fc_recess=False)
    assert recess_note(key="rad_notice_due", skip_fc_recess=False) == ""


@pytest.mark.django_db
def test_federal_courts_rules_r_6_3_doubt_is_in_the_seeded_notes():
    from haven.claims.models import DeadlineRule

    for key in ("fc_leave_due", "fc_record_due"):
        note = DeadlineRule.objects.get(key=key).note
        assert "r.6(3)" in note and "unsettled" in note and "earlier date" in note


def test_federal_courts_rules_r_2_holidays_apply_to_the_periods_those_rules_set():
    fc = Rule(key="x", label="x", trigger="t", period=15, skip_fc_recess=True)
    plain = Rule(key="x", label="x", trigger="t", period=15)
    # r.2(c): Remembrance Day on Sat 11 Nov 2028 -> Mon 13 Nov; Sun 29 Oct + 15 = Mon 13 Nov -> Tue 14 Nov.
    assert compute_due(fc, D(2028, 10, 29), "AB") == D(2028, 11, 14)
    assert compute_due(plain, D(2028, 10, 29), "AB") == D(2028, 11, 13)
    # r.2(c): Canada Day on Sat 1 July 2028 -> Mon 3 July; Sun 18 June + 15 = Mon 3 July -> Tue 4 July.
    assert compute_due(fc, D(2028, 6, 18), "ON") == D(2028, 7, 4)
    assert compute_due(plain, D(2028, 6, 18), "ON") == D(2028, 7, 3)
    # r.2(c) on a Sunday Remembrance Day (Mon 12 Nov 2029): counted for these periods, so no doubt to state.
    assert compute_due(fc, D(2029, 10, 28), "PE") == D(2029, 11, 13)
    assert office_closure_doubt(fc, D(2029, 10, 28), "PE") is None
    # r.2(d), (e): the days after a weekend or Friday Christmas fall in the r.6(3) recess, never counted anyway.
    assert is_holiday(D(2027, 12, 28), "AB", fc_rules=True) and not is_holiday(D(2027, 12, 28), "AB")
    assert is_holiday(D(2026, 12, 28), "AB", fc_rules=True) and not is_holiday(D(2026, 12, 28), "AB")


def test_rpd_rules_before_deadlines_say_how_a_holiday_moves_them():
    assert holiday_rule_note(direction="before", rollover="backward") == (
        "Counted back from the event: if this day is a holiday, the deadline moves to the previous working day.")
    assert "next working day" in holiday_rule_note(direction="after", rollover="forward")
    assert holiday_rule_note(direction="after", rollover="none") == "A holiday does not move this deadline."
