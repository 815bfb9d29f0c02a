"""get_visible_or_404: a malformed id, an id out of range, a missing record and a record the user may not see all
give the same Http404 with the same message (every app's lookups: tests/test_record_lookups.py)."""
from django.http import Http404
from django.test import SimpleTestCase

from haven.cases.access import NOT_FOUND, get_visible_or_404, parse_pk, visible_cases
from haven.cases.models import Case
from haven.testing.personas import PersonaTestCase

MAX_PK = 2**63 - 1  # the largest id a 64-bit primary key holds
# Ids that name no record whatever the database holds: text, signs, spaces, fractions, other scripts' digits,
# booleans, and numbers outside the 64-bit range of the primary keys.
GARBAGE = (None, "", "abc", "12abc", " 12", "12 ", "+12", "-1", "0", 0, -5, "1.5", 1.5, True, False, "١٢", "1_2",
           str(MAX_PK + 1), MAX_PK + 1, 10**30, -(10**30), "9" * 40, [], {}, b"12")


class ParsePkTests(SimpleTestCase):
    def test_digits_and_ints_in_range_are_ids(self):
        for given, expected in (("12", 12), (12, 12), ("007", 7), (str(MAX_PK), MAX_PK), (MAX_PK, MAX_PK)):
            with self.subTest(given=given):
                self.assertEqual(parse_pk(given), expected)

    def test_anything_else_is_the_not_found_answer(self):
        for given in GARBAGE:
            with self.subTest(given=given):
                with self.assertRaisesMessage(Http404, NOT_FOUND):
                    parse_pk(given)


class GetVisibleOr404Tests(PersonaTestCase):
    def message(self, queryset, pk) -> str:
        with self.assertRaises(Http404) as raised:
            get_visible_or_404(queryset, pk)
        return str(raised.exception)

    def test_returns_the_visible_record_for_an_int_or_a_digit_string(self):
        for pk in (self.case.pk, str(self.case.pk)):
            with self.subTest(pk=pk):
                self.assertEqual(get_visible_or_404(visible_cases(self.owner), pk), self.case)

    def test_missing_outsider_garbage_and_huge_ids_give_one_answer(self):
        missing = Case.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000
        answers = {
            "missing": self.message(visible_cases(self.owner), missing),
            "largest id, missing": self.message(visible_cases(self.owner), MAX_PK),
            "outsider": self.message(visible_cases(self.outsider), self.case.pk),
            "no one": self.message(visible_cases(self.analyst), self.case.pk),
        }
        for given in GARBAGE:
            answers[repr(given)] = self.message(visible_cases(self.owner), given)
        self.assertEqual(set(answers.values()), {NOT_FOUND}, answers)

    def test_ids_that_cannot_be_a_record_are_refused_before_any_query(self):
        for given in (MAX_PK + 1, 10**30, "abc", None, -1):
            with self.subTest(given=given), self.assertNumQueries(0):
                with self.assertRaises(Http404):
                    get_visible_or_404(Case.objects.all(), given)
