"""Issue 12, intake and dates: each provision implemented has a test named after it.

- IRPR s.159.8: the Basis of Claim deadline follows the intake route;
- IRPA s.100(1), s.101(1): eligibility is a step before referral, an ineligible claim is not referred and goes to
  the PRRA path (IRPA s.112, IRPR s.162);
- S.C. 2026, c. 4: the one-year and fourteen-day rules as dated, configurable data;
- dates of things that happened (haven.records.dates): a step dated in the future meets nothing; a deadline met
  after its due date is met late and stays on the late list;
- `haven deadlines --route`.
"""
from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from haven.claims import services
from haven.claims.deadlines import deadlines_for
from haven.claims.eligibility import DOUBT as ELIGIBILITY_DOUBT
from haven.claims.eligibility import eligibility_concerns
from haven.claims.labels import DeadlineStatus, deadline_status
from haven.claims.models import Claim, ClaimEvent, Deadline, EventType, Ineligibility, IntakeRoute, USLandCrossing
from haven.claims.recompute import recompute_all_deadlines
from haven.claims.selectors import deadlines_page
from haven.claims.tests.test_lifecycle import ClaimTestCase

D = dt.date
# Noon in Toronto on Wed 5 Nov 2025: every date below is "today or earlier" unless it says otherwise.
NOW = dt.datetime(2025, 11, 5, 17, 0, tzinfo=dt.timezone.utc)


class IntakeTestCase(ClaimTestCase):
    """ClaimTestCase's steps and refusals, on a claim made by `route`, with time frozen."""

    route = IntakeRoute.PORT_OF_ENTRY

    def setUp(self):
        self.traveller = time_machine.travel(NOW, tick=False)
        self.traveller.start()
        self.addCleanup(self.traveller.stop)
        self.claim = services.create_claim(actor=self.owner, case=self.case, reference="TC12-0001",
                                           claimant=self.person, country_of_persecution="KP", province="ON",
                                           intake_route=self.route)

    def deadlines(self) -> dict[str, tuple]:
        return {d.key: (d.due_on, d.completed_on) for d in Deadline.objects.filter(claim=self.claim)}


# ------------------------------------------------------------------ IRPR s.159.8: the BOC follows the route

class PortOfEntryTests(IntakeTestCase):
    def test_irpr_159_8_2_port_of_entry_claim_has_its_boc_deadline_15_days_after_referral(self):
        # Referral Mon 3 Mar 2025: 15 days -> Tue 18 Mar 2025; extension request 3 working days before -> Thu 13.
        self.step(EventType.REFERRAL, D(2025, 3, 3))
        due = self.deadlines()
        self.assertEqual(due["boc_due"], (D(2025, 3, 18), None))
        self.assertEqual(due["boc_extension_request_due"], (D(2025, 3, 13), None))

    def test_existing_claims_are_port_of_entry_claims(self):
        self.assertEqual(Claim.objects.get(pk=self.claim.pk).intake_route, IntakeRoute.PORT_OF_ENTRY)


class InlandTests(IntakeTestCase):
    route = IntakeRoute.INLAND

    def test_irpr_159_8_1_inland_claim_has_no_boc_deadline(self):
        self.step(EventType.REFERRAL, D(2025, 3, 3))
        due = self.deadlines()
        self.assertNotIn("boc_due", due)
        self.assertNotIn("boc_extension_request_due", due)  # counted back from boc_due
        self.assertEqual(due["hearing_due"], (D(2025, 5, 2), None))  # IRPR 159.9(1)(b) runs for every claim

    def test_changing_the_route_recomputes_the_deadlines(self):
        self.step(EventType.REFERRAL, D(2025, 3, 3))
        services.update_claim(actor=self.owner, claim=self.claim, intake_route=IntakeRoute.PORT_OF_ENTRY)
        self.assertIn("boc_due", self.deadlines())
        services.update_claim(actor=self.owner, claim=self.claim, intake_route="inland")
        self.assertNotIn("boc_due", self.deadlines())


# ------------------------------------------------------------------ IRPA s.100(1), s.101(1): eligibility

class EligibilityTests(IntakeTestCase):
    def test_irpa_100_1_eligibility_is_determined_before_referral(self):
        self.step(EventType.ELIGIBLE, D(2025, 3, 1))
        self.step(EventType.REFERRAL, D(2025, 3, 3))
        self.refused("Eligibility is determined before the claim is referred", EventType.ELIGIBLE, D(2025, 3, 4))

    def test_irpa_100_1_eligibility_is_determined_once(self):
        self.step(EventType.ELIGIBLE, D(2025, 3, 1))
        self.refused("already been determined", EventType.INELIGIBLE, D(2025, 3, 2),
                     ineligibility=Ineligibility.ONE_YEAR)

    def test_irpa_101_1_an_ineligibility_names_its_paragraph(self):
        self.refused("Give the paragraph of IRPA s.101(1)", EventType.INELIGIBLE, D(2025, 3, 1))
        event = self.step(EventType.INELIGIBLE, D(2025, 3, 1), ineligibility=Ineligibility.SAFE_THIRD_COUNTRY)
        self.assertEqual(event.get_ineligibility_display(),
                         "s.101(1)(e): came directly from a designated country (Safe Third Country Agreement)")

    def test_irpa_101_an_ineligible_claim_is_not_referred(self):
        self.step(EventType.INELIGIBLE, D(2025, 3, 1), ineligibility=Ineligibility.ONE_YEAR)
        self.refused("A claim found ineligible is not referred to the RPD", EventType.REFERRAL, D(2025, 3, 3))
        self.refused("cannot be recorded before the claim is referred", EventType.BOC_FILED, D(2025, 3, 3))

    def test_irpa_112_and_irpr_162_an_ineligible_claim_goes_to_the_prra_with_its_deadlines(self):
        self.step(EventType.INELIGIBLE, D(2025, 3, 1), ineligibility=Ineligibility.FOURTEEN_DAYS)
        # Notification Mon 3 Mar 2025: application 15 days -> Tue 18 Mar; submissions 30 days -> Wed 2 Apr.
        self.step(EventType.PRRA_NOTIFICATION, D(2025, 3, 3))
        due = self.deadlines()
        self.assertEqual(due["prra_application_due"], (D(2025, 3, 18), None))
        self.assertEqual(due["prra_submissions_due"], (D(2025, 4, 2), None))
        self.assertNotIn("boc_due", due)
        self.step(EventType.PRRA_APPLIED, D(2025, 3, 17))
        self.assertEqual(self.deadlines()["prra_application_due"], (D(2025, 3, 18), D(2025, 3, 17)))

    def test_the_claim_page_shows_the_route_the_step_and_the_paragraph(self):
        self.step(EventType.INELIGIBLE, D(2025, 3, 1), ineligibility=Ineligibility.ONE_YEAR)
        self.login_as(self.owner)
        page = self.client.get(reverse("claim_detail", args=[self.claim.pk])).content.decode()
        self.assertIn("At a port of entry", page)
        self.assertIn("Claim found ineligible (IRPA s.101)", page)
        self.assertIn("claim made more than one year after entry", page)
        self.assertIn("S.C. 2026, c. 4", page)  # the doubt, stated on screen


# ------------------------------------------------------------------ S.C. 2026, c. 4: the time bars

def _claim(entered, made, crossing=""):
    return Claim(entered_canada_on=entered, claim_made_on=made, us_land_crossing=crossing)


def test_irpa_s_101_1_b_1_one_year_rule_for_claims_made_from_3_june_2025():
    # Entered Wed 10 Jan 2024: one year ends Fri 10 Jan 2025; a claim on 10 June 2025 is late.
    concerns = eligibility_concerns(_claim(D(2024, 1, 10), D(2025, 6, 10)))
    assert [(c.key, c.last_day) for c in concerns] == [("one_year", D(2025, 1, 10))]
    # Made before 3 June 2025: the rule does not reach it.
    assert eligibility_concerns(_claim(D(2024, 1, 10), D(2025, 6, 2))) == []
    assert [c.key for c in eligibility_concerns(_claim(D(2024, 1, 10), D(2025, 6, 3)))] == ["one_year"]
    # Entered on 24 June 2020 (not after it): not reached.
    assert eligibility_concerns(_claim(D(2020, 6, 24), D(2025, 7, 1))) == []
    # Made on the anniversary of the entry: within the year (Interpretation Act s.28).
    assert eligibility_concerns(_claim(D(2024, 7, 2), D(2025, 7, 2))) == []
    assert [c.key for c in eligibility_concerns(_claim(D(2024, 7, 2), D(2025, 7, 3)))] == ["one_year"]


def test_irpa_s_101_1_b_2_with_irpr_s_159_4_1_1_a_claim_14_days_after_crossing_between_ports_is_caught():
    # Crossed between ports Tue 1 July 2025. IRPR s.159.4(1.1) covers a claim made "less than 14 days after" the
    # entry: Mon 14 July (13 days after) is the last day; a claim on Tue 15 July (14 days after) is after the end of
    # that time limit, s.101(1)(b.2).
    between = USLandCrossing.BETWEEN_PORTS
    assert eligibility_concerns(_claim(D(2025, 7, 1), D(2025, 7, 14), between)) == []
    concerns = eligibility_concerns(_claim(D(2025, 7, 1), D(2025, 7, 15), between))
    assert [(c.key, c.last_day) for c in concerns] == [("fourteen_days", D(2025, 7, 14))]
    assert "s.101(1)(b.2)" in concerns[0].message
    assert eligibility_concerns(_claim(D(2025, 7, 1), D(2025, 7, 16), USLandCrossing.AT_PORT)) == []


def test_sc_2026_c_4_s_75_doubt_names_what_was_read_and_what_was_not():
    doubt = str(ELIGIBILITY_DOUBT)
    assert "s.101(1)(b.1) and (b.2)" in doubt and "s.73" in doubt and "26 March 2026" in doubt
    assert "3 June 2025, which was not checked" in doubt


def test_sc_2026_c_4_time_bars_are_dated_settings(settings):
    claim = _claim(D(2024, 1, 10), D(2025, 6, 10))
    settings.HAVEN_ELIGIBILITY_TIME_BARS = {"one_year": {"claims_from": "2025-07-01"}}
    assert eligibility_concerns(claim) == []
    settings.HAVEN_ELIGIBILITY_TIME_BARS = {"one_year": {"enabled": False}}
    assert eligibility_concerns(claim) == []
    settings.HAVEN_ELIGIBILITY_TIME_BARS = {}
    assert [c.key for c in eligibility_concerns(claim)] == ["one_year"]


def test_a_claim_without_its_dates_is_asked_for_them():
    assert [c.key for c in eligibility_concerns(_claim(None, D(2025, 6, 10)))] == ["dates_unknown"]


class IntakeFieldTests(IntakeTestCase):
    def test_intake_dates_follow_the_shared_rule_for_dates_of_things_that_happened(self):
        with self.assertRaises(ValidationError) as raised:
            services.update_claim(actor=self.owner, claim=self.claim, claim_made_on=D(2025, 11, 6))
        self.assertEqual(raised.exception.message_dict["claim_made_on"], ["2025-11-06 is in the future"])
        with self.assertRaises(ValidationError) as raised:
            services.update_claim(actor=self.owner, claim=self.claim, entered_canada_on=D(2025, 6, 2),
                                  claim_made_on=D(2025, 6, 1))
        self.assertIn("claim_made_on", raised.exception.message_dict)

    def test_the_new_claim_form_records_the_intake(self):
        self.login_as(self.owner)
        response = self.client.post(reverse("claim_create", args=[self.case.pk]), {
            "reference": "TC12-0002", "claimant": self.person.pk, "country_of_persecution": "KP", "province": "QC",
            "intake_route": "inland", "entered_canada_on": "2024-01-10", "us_land_crossing": "between_ports",
            "claim_made_on": "2025-06-10", "referred_on": "2025-06-20"})
        self.assertEqual(response.status_code, 302)
        claim = Claim.objects.get(reference="TC12-0002")
        self.assertEqual((claim.intake_route, claim.entered_canada_on, claim.us_land_crossing, claim.claim_made_on),
                         ("inland", D(2024, 1, 10), "between_ports", D(2025, 6, 10)))
        self.assertNotIn("boc_due", {d.key for d in claim.deadlines.all()})
        page = self.client.get(reverse("claim_detail", args=[claim.pk])).content.decode()
        self.assertIn('data-concern="one_year"', page)


# ------------------------------------------------------------------ dates: met late, future steps

class MetLateTests(IntakeTestCase):
    def test_a_deadline_met_after_its_due_date_is_met_late_and_stays_on_the_late_list(self):
        # Referral Fri 3 Oct 2025: BOC due Sat 18 Oct -> Mon 20 Oct; filed Fri 24 Oct (late); today Wed 5 Nov.
        self.step(EventType.REFERRAL, D(2025, 10, 3))
        self.step(EventType.BOC_FILED, D(2025, 10, 24))
        self.assertEqual(self.deadlines()["boc_due"], (D(2025, 10, 20), D(2025, 10, 24)))
        rows, _ = deadlines_page(self.owner, today=D(2025, 11, 5), number=1, per_page=50)
        self.assertEqual({row.key: row.status for row in rows}["boc_due"], DeadlineStatus.MET_LATE)
        self.login_as(self.owner)
        page = self.client.get(reverse("deadlines")).content.decode()
        self.assertIn('data-rule="boc_due"', page)
        self.assertIn("Met late", page)
        detail = self.client.get(reverse("claim_detail", args=[self.claim.pk])).content.decode()
        self.assertIn('data-rule="boc_due" data-status="met_late"', detail)

    def test_a_deadline_met_in_time_leaves_the_late_list(self):
        self.step(EventType.REFERRAL, D(2025, 10, 3))
        self.step(EventType.BOC_FILED, D(2025, 10, 17))
        rows, _ = deadlines_page(self.owner, today=D(2025, 11, 5), number=1, per_page=50)
        self.assertNotIn("boc_due", {row.key for row in rows})


def test_deadline_status_never_counts_a_step_dated_after_today():
    common = {"due_on": D(2025, 10, 20), "responsible": "claimant"}
    assert deadline_status(completed_on=D(2025, 10, 18), today=D(2025, 11, 5), **common) == DeadlineStatus.MET
    assert deadline_status(completed_on=D(2025, 10, 24), today=D(2025, 11, 5), **common) == DeadlineStatus.MET_LATE
    assert deadline_status(completed_on=D(2025, 11, 6), today=D(2025, 11, 5), **common) == DeadlineStatus.OVERDUE
    assert deadline_status(completed_on=None, today=D(2025, 10, 20), **common) == DeadlineStatus.DUE_TODAY


class FutureStepTests(IntakeTestCase):
    def test_a_step_dated_in_the_future_never_marks_a_deadline_met(self):
        self.step(EventType.REFERRAL, D(2025, 10, 30))
        self.refused("2025-11-06 is in the future", EventType.BOC_FILED, D(2025, 11, 6))
        # A future-dated step that got in anyway (written straight to the table, an old import) meets nothing.
        ClaimEvent.objects.create(claim=self.claim, type=EventType.BOC_FILED, occurred_on=D(2025, 11, 7))
        recompute_all_deadlines(claim_ids=[self.claim.pk])
        self.assertEqual(self.deadlines()["boc_due"], (D(2025, 11, 14), None))
        with time_machine.travel(dt.datetime(2025, 11, 7, 17, 0, tzinfo=dt.timezone.utc), tick=False):
            recompute_all_deadlines(claim_ids=[self.claim.pk])
        self.assertEqual(self.deadlines()["boc_due"], (D(2025, 11, 14), D(2025, 11, 7)))


# ------------------------------------------------------------------ the command line

@pytest.mark.django_db
def test_haven_deadlines_route_inland_lists_no_15_day_boc_deadline():
    out = io.StringIO()
    call_command("deadlines", event="referral_to_rpd", date="2025-03-03", route="inland", json=True, stdout=out)
    keys = {row["rule"] for row in json.loads(out.getvalue())}
    assert keys == {"hearing_due"}
    out = io.StringIO()
    call_command("deadlines", event="referral_to_rpd", date="2025-03-03", json=True, stdout=out)
    rows = {row["rule"]: row for row in json.loads(out.getvalue())}
    assert rows["boc_due"]["due"] == "2025-03-18" and rows["boc_due"]["route"] == "port_of_entry"
    assert set(rows) == {"boc_due", "boc_extension_request_due", "hearing_due"}


@pytest.mark.django_db
def test_deadlines_for_refuses_an_unknown_route():
    from haven.claims.deadlines import UnknownRoute

    with pytest.raises(UnknownRoute):
        deadlines_for("referral_to_rpd", D(2025, 3, 3), "ON", route="by sea")
    assert {c.rule.key for c in deadlines_for("referral_to_rpd", D(2025, 3, 3), "ON", route="port-of-entry")} == {
        "boc_due", "boc_extension_request_due", "hearing_due"}


# ------------------------------------------------------------------ the claims import

INTAKE_CSV = (
    "claim_ref,claimant_ref,family_name,given_name,country_of_persecution,referred_on,province,intake_route,"
    "entered_canada_on,us_land_crossing,claim_made_on\n"
    "TC12-IMP-1,HH-12-1,Kim,Ok-sun,KP,2025-03-03,ON,inland,2024-01-10,,2025-02-20\n"
    "TC12-IMP-2,HH-12-2,Pak,Chol,KP,2025-03-03,ON,,,,\n"
    "TC12-IMP-3,HH-12-3,Ri,Song,KP,2025-03-03,QC,port-of-entry,2025-02-01,between_ports,2025-02-10\n"
)


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["services", "bulk"])
def test_the_claims_import_records_the_intake_and_the_boc_deadline_follows_it(personas, tmp_path, method):
    from haven.claims.importing import import_claims
    from haven.transfer.readers import read_table

    path = tmp_path / "claims.csv"
    path.write_text(INTAKE_CSV, encoding="utf-8")
    table = read_table(path)
    import_claims(actor=personas.owner, organization=personas.case.organization, rows=table.rows,
                  columns=table.columns, method=method, source="claims.csv")
    claims = {c.reference: c for c in Claim.objects.filter(reference__startswith="TC12-IMP")}
    assert (claims["TC12-IMP-1"].intake_route, claims["TC12-IMP-1"].entered_canada_on,
            claims["TC12-IMP-1"].claim_made_on) == ("inland", D(2024, 1, 10), D(2025, 2, 20))
    assert claims["TC12-IMP-2"].intake_route == "port_of_entry"  # empty: a port-of-entry claim, as before
    assert claims["TC12-IMP-3"].us_land_crossing == "between_ports"
    boc = set(Deadline.objects.filter(key="boc_due", claim__reference__startswith="TC12-IMP").values_list(
        "claim__reference", flat=True))
    assert boc == {"TC12-IMP-2", "TC12-IMP-3"}


@pytest.mark.django_db
def test_the_claims_import_refuses_future_and_inconsistent_intake_dates(personas, tmp_path):
    from haven.claims.importing import import_claims
    from haven.transfer.errors import ImportRejected
    from haven.transfer.readers import read_table

    path = tmp_path / "claims.csv"
    path.write_text(INTAKE_CSV.split("\n")[0] + "\n"
                    "TC12-BAD-1,HH-12-9,Kim,Ok-sun,KP,2025-03-03,ON,by sea,2099-01-01,swimming,2025-02-20\n"
                    "TC12-BAD-2,HH-12-9,Kim,Ok-sun,KP,2025-03-03,ON,,2025-02-21,,2025-02-20\n"
                    "TC12-BAD-3,HH-12-9,Kim,Ok-sun,KP,2025-03-03,ON,,,,2025-03-04\n", encoding="utf-8")
    table = read_table(path)
    with pytest.raises(ImportRejected) as rejected:
        import_claims(actor=personas.owner, organization=personas.case.organization, rows=table.rows,
                      columns=table.columns, method="bulk", source="claims.csv")
    messages = {(e.row, e.column): e.message for e in rejected.value.errors}
    assert messages[(2, "entered_canada_on")] == "2099-01-01 is in the future"  # haven.records.dates
    assert "is not one of: port_of_entry, inland" in messages[(2, "intake_route")]
    assert "is not one of: at_port, between_ports" in messages[(2, "us_land_crossing")]
    assert messages[(3, "claim_made_on")] == "2025-02-20 is before the entry to Canada (2025-02-21)"
    assert messages[(4, "referred_on")] == "2025-03-03 is before the claim was made (2025-03-04)"
    assert not Claim.objects.filter(reference__startswith="TC12-BAD").exists()
