"""Search-key matching: the same answer on both databases, and the bigram index used on PostgreSQL."""
from __future__ import annotations

from django.db import connection
from django.test import SimpleTestCase, TestCase
from hypothesis import given
from hypothesis import strategies as st

from haven.people.models import Person
from haven.people.search import _normalize_unicode, key_contains, normalize
from haven.testing.databases import postgresql_only


class KeyContainsTests(TestCase):
    def test_only_a_two_syllable_hangul_key_asks_for_bigrams(self):
        for key, uses_bigrams in (("철수", True), ("박철수", False), ("철", False), ("li", False),
                                  ("myongchol", False)):
            with self.subTest(key=key):
                sql = str(Person.objects.filter(key_contains(key)).query)
                self.assertIn("LIKE", sql.upper())
                expected = uses_bigrams and connection.vendor == "postgresql"
                self.assertEqual("haven_hangul_bigrams" in sql, expected)

    @postgresql_only  # the bigram function exists on PostgreSQL only
    def test_the_sql_function_lists_adjacent_syllable_pairs_within_hangul_runs(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT haven_hangul_bigrams(%s)", ["|mss2026050|kimoksun|김옥순|옥순김|리|"])
            self.assertEqual(sorted(cursor.fetchone()[0]), ["김옥", "순김", "옥순"])

    def test_normalized_hangul_key_keeps_syllables(self):
        self.assertEqual(normalize("철 수"), "철수")


class NormalizeTests(SimpleTestCase):
    @given(st.text(alphabet=st.characters(max_codepoint=127)))
    def test_ascii_fast_path_agrees_with_the_unicode_path(self, text):
        self.assertEqual(normalize(text), _normalize_unicode(text))

    def test_examples(self):
        for text, key in (("Myŏng-ch'ol", "myongchol"), ("Myong Chol", "myongchol"), ("RI  Su-A", "risua"),
                          ("리 명철", "리명철"), ("", ""), (None, "")):
            with self.subTest(text=text):
                self.assertEqual(normalize(text), key)
