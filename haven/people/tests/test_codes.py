"""Country and language names follow the reader's language (pycountry's translations of the ISO names); the codes
stored and accepted do not change."""
from __future__ import annotations

import pytest
from django.utils import translation

from haven.people.codes import country_choices, country_code, country_name, language_code, language_name

NAMES = {
    "en": ("Korea, Democratic People's Republic of", "Korea, Republic of", "Thailand", "Korean"),
    "fr": ("Corée, République populaire démocratique de", "Corée, République de", "Thaïlande", "Coréen"),
    "ko": ("조선민주주의인민공화국", "대한민국", "태국", "한국어"),
}


@pytest.mark.parametrize("language", NAMES)
def test_names_are_in_the_active_language(language):
    with translation.override(language):
        assert (country_name("KP"), country_name("KR"), country_name("TH"), language_name("kor")) == NAMES[language]


def test_a_regional_variant_of_the_language_uses_its_catalogue():
    with translation.override("fr-ca"):
        assert country_name("TH") == "Thaïlande"


def test_unknown_codes_come_back_as_they_are():
    with translation.override("ko"):
        assert (country_name("XX"), language_name("zzz"), country_name("")) == ("XX", "zzz", "")


@pytest.mark.parametrize("language", NAMES)
def test_choices_are_named_and_sorted_in_the_active_language(language):
    with translation.override(language):
        choices = country_choices()
    assert len(choices) == len({code for code, _ in choices}) >= 249
    assert dict(choices)["KP"] == NAMES[language][0]
    if language == "ko":
        assert choices[0] == ("GH", "가나")  # 가나다 order
    if language == "fr":
        codes = [code for code, _ in choices]
        # Danemark < Égypte < Érythrée < Finlande: an accent does not push É after Z.
        assert codes.index("DK") < codes.index("EG") < codes.index("ER") < codes.index("FI")


def test_choices_follow_each_request_language_not_the_first():
    with translation.override("ko"):
        korean = dict(country_choices())["CN"]
    with translation.override("en"):
        english = dict(country_choices())["CN"]
    assert (korean, english) == ("중국", "China")


def test_parsing_still_takes_codes_and_english_names():
    with translation.override("ko"):
        assert [country_code("north korea"), country_code("THA"), country_code("Thailand")] == ["KP", "TH", "TH"]
        assert [language_code("ko"), language_code("Korean")] == ["kor", "kor"]
