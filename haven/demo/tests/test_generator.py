"""The synthetic data generator: deterministic, realistic enough, and importable."""
from __future__ import annotations

import re
from collections import Counter

from django.test import TestCase

from haven.accounts.models import Team
from haven.demo.generator import (
    SURNAMES,
    TRANSIT_COUNTRIES,
    generate_households,
    generate_people_rows,
    name_forms,
    romanize_given,
)
from haven.people.models import Person, PersonName
from haven.testing.factories import OrganizationFactory, TeamFactory
from haven.transfer.services import PEOPLE_COLUMNS, import_people


class RomanizationTests(TestCase):
    def test_one_given_name_in_every_system(self):
        self.assertEqual(romanize_given("명철", "rr"), ["myeong", "cheol"])
        self.assertEqual(romanize_given("명철", "mr"), ["myŏng", "ch'ŏl"])
        self.assertEqual(romanize_given("명철", "nk"), ["myong", "chol"])
        # McCune-Reischauer voices a plain stop after a vowel or a sonorant: 동근 → Tong-gŭn.
        self.assertEqual(romanize_given("동근", "mr"), ["tong", "gŭn"])
        self.assertEqual(romanize_given("정은", "nk"), ["jong", "un"])

    def test_surname_forms_follow_the_border(self):
        lee = next(s for s in SURNAMES if s.south == "이")
        forms = name_forms(lee, "명철")
        self.assertEqual(forms["hangul_north"], ("리", "명철"))
        self.assertEqual(forms["hangul_south"], ("이", "명철"))
        self.assertEqual(forms["nk"], ("Ri", "Myong Chol"))
        self.assertEqual(forms["mr"], ("Yi", "Myŏng-ch'ŏl"))
        self.assertEqual(forms["mr_plain"], ("Yi", "Myong-chol"))
        self.assertEqual(forms["rr_hyphen"], ("Lee", "Myeong-cheol"))


class GeneratorTests(TestCase):
    def test_same_seed_same_rows_and_another_seed_other_rows(self):
        first = generate_people_rows(seed=7, households=50)
        self.assertEqual(first, generate_people_rows(seed=7, households=50))
        self.assertNotEqual(first, generate_people_rows(seed=8, households=50))

    def test_rows_are_in_template_columns_and_look_like_the_population(self):
        rows = generate_people_rows(seed=11, households=400)
        self.assertTrue(all(set(row) <= set(PEOPLE_COLUMNS) for row in rows))
        self.assertEqual(sum(row["relationship"] == "principal" for row in rows), 400)
        self.assertTrue(2 <= len(rows) / 400 <= 3.2)
        precisions = Counter(row["birth_date_precision"] for row in rows)
        self.assertTrue(precisions["exact"] and precisions["year"] and precisions["month"] and precisions["unknown"])
        for row in rows:
            if row["birth_date_precision"] == "year":
                self.assertTrue(row["birth_date"].endswith("-01-01"))
            if row["birth_date_precision"] == "unknown":
                self.assertEqual(row["birth_date"], "")
        residences = {row["residence_country"] for row in rows}
        self.assertTrue(set(TRANSIT_COUNTRIES) <= residences)
        hangul_surnames = {row["family_name_hangul"] for row in rows}
        self.assertTrue({"리", "이", "김", "박"} <= hangul_surnames)
        latin_surnames = {row["family_name"] for row in rows} | {
            name.split()[0] for row in rows for name in row["other_names"].split("; ") if name}
        self.assertTrue({"Ri", "Lee", "Yi", "Park", "Pak"} <= latin_surnames)
        self.assertTrue(any(re.search("[ŏŭ]", row["other_names"]) for row in rows))
        self.assertTrue(any("KR:may_acquire" in row["nationalities"] for row in rows))
        self.assertTrue(any("KR:held" in row["nationalities"] for row in rows))
        self.assertTrue(all(row["nationalities"].startswith("KP:") for row in rows))
        self.assertTrue(any("zho" in row["languages"] for row in rows))
        vulnerabilities = Counter(kind for row in rows for kind in row["vulnerabilities"].split("; ") if kind)
        for kind in ("sgbv_survivor", "unaccompanied_minor", "medical_need"):
            self.assertGreater(vulnerabilities[kind], 0, kind)

    def test_households_carry_identity_documents(self):
        households = generate_households(seed=3, households=30)
        numbers = [document.number for household in households for member in household.members
                   for document in member.documents]
        self.assertTrue(numbers)
        self.assertEqual(len(numbers), len(set(numbers)))

    def test_generated_rows_import_cleanly(self):
        organization = OrganizationFactory(slug="gen")
        for name in ("North", "South"):
            TeamFactory(organization=organization, name=name, kind=Team.Kind.SPONSOR_GROUP)
        rows = generate_people_rows(seed=5, households=60, sponsor_groups=("North", "South"))
        result = import_people(actor=None, organization=organization, rows=rows)
        self.assertEqual((result.households, result.persons), (60, len(rows)))
        self.assertEqual(Person.objects.filter(household__organization=organization).count(), len(rows))
        self.assertEqual(PersonName.objects.filter(person__household__organization=organization).count(),
                         result.names)
        self.assertGreater(result.names, len(rows))


class ClaimGeneratorTests(TestCase):
    """Protection claims for the demo: every stage once, dated from the load date, deterministic per seed."""

    def claims(self, today=None, seed=4, finished=frozenset()):
        import datetime as dt

        from haven.demo.generator import generate_claims

        households = generate_households(seed=3, households=10, key_prefix="HRLC-HH", case_kind="protection_claim")
        return households, generate_claims(seed=seed, households=households, today=today or dt.date(2026, 11, 21),
                                           finished=finished)

    def test_ten_households_cover_every_stage_once(self):
        from haven.demo.generator import CLAIM_SCENARIOS

        households, claims = self.claims()
        self.assertEqual([c.household_key for c in claims], [h.key for h in households])
        self.assertEqual(sorted(c.scenario for c in claims), sorted(CLAIM_SCENARIOS))
        self.assertEqual(len({c.reference for c in claims}), 10)
        for claim in claims:
            self.assertRegex(claim.reference, r"^[TMV][ABC]\d-\d{5}$")
            self.assertEqual(claim.steps[0].type, "referral")
            self.assertEqual(claim.issues[0].kind, "rok_nationality")

    def test_finished_households_get_the_accepted_claim(self):
        households, claims = self.claims(finished={"HRLC-HH-00006"})
        self.assertEqual(claims[5].scenario, "accepted")
        self.assertEqual(sum(c.scenario == "accepted" for c in claims), 1)

    def test_dates_count_from_the_load_date_on_working_days(self):
        import datetime as dt

        today = dt.date(2026, 11, 21)
        _, claims = self.claims(today=today)
        later_households, later = self.claims(today=today + dt.timedelta(days=70))
        for claim, moved in zip(claims, later):
            self.assertEqual(claim.scenario, moved.scenario)
            for step, moved_step in zip(claim.steps, moved.steps):
                self.assertLessEqual(step.occurred_on, today)
                self.assertLess(step.occurred_on.weekday(), 5)
                self.assertIn((moved_step.occurred_on - step.occurred_on).days, range(68, 73))
            dates = [step.occurred_on for step in claim.steps]
            self.assertEqual(dates, sorted(dates))
        hearing = next(s for c in claims if c.scenario == "hearing_scheduled" for s in c.steps
                       if s.type == "hearing_scheduled")
        self.assertGreater(hearing.details["scheduled_for"], today)

    def test_same_seed_same_claims(self):
        self.assertEqual(self.claims()[1], self.claims()[1])
        self.assertNotEqual([c.reference for c in self.claims()[1]], [c.reference for c in self.claims(seed=5)[1]])
