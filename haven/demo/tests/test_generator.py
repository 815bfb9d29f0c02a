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
        self.assertTrue(any("KR:claimable" in row["nationalities"] for row in rows))
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
