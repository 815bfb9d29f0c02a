import datetime as dt

from haven.matching.selectors import likely_duplicates
from haven.testing.personas import PersonaTestCase


class LikelyDuplicateTests(PersonaTestCase):
    def test_other_spelling_of_a_visible_person_is_found_with_weights(self):
        found = likely_duplicates(user=self.owner, family_name="Lee", given_name="Myung-chul",
                                  birth_date=self.person.birth_date)
        assert [d.person_id for d in found] == [self.person.pk]
        assert {c["comparison"] for c in found[0].comparisons} >= {"name", "birth_date"}
        assert found[0].match_probability >= 0.5

    def test_sibling_and_stranger_are_not_suggested(self):
        found = likely_duplicates(user=self.owner, family_name="Park", given_name="Sun-hee",
                                  birth_date=dt.date(1990, 7, 2))
        assert found == []

    def test_persons_the_user_may_not_see_are_never_suggested(self):
        other = self.other_person
        found = likely_duplicates(user=self.owner, family_name_hangul="김", given_name_hangul="옥순",
                                  birth_date=other.birth_date)
        assert other.pk not in [d.person_id for d in found]
        found = likely_duplicates(user=self.outsider, family_name="Ri", given_name="Myong Chol",
                                  birth_date=self.person.birth_date)
        assert self.person.pk not in [d.person_id for d in found]
        assert [d.person_id for d in likely_duplicates(user=self.outsider, family_name="Kim",
                                                       given_name="Ok-sun", birth_date=other.birth_date)] \
            == [other.pk]
        assert likely_duplicates(user=self.analyst, family_name="Ri", given_name="Myong Chol") == []
