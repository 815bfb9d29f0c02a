import datetime as dt

import pytest

from haven.matching.dates import BadDate, date_level, parse_birth_date
from haven.matching.places import PROVINCES, place_key, province_key

D = dt.date


@pytest.mark.parametrize(("a", "b", "level"), [
    (D(1980, 3, 14), D(1980, 3, 14), "exact"),
    (D(1980, 3, 4), D(1980, 4, 3), "swap"),
    (D(1980, 3, 14), D(1980, 2, 1), "lunar"),
    (D(1979, 12, 20), D(1980, 1, 25), "lunar"),
    (D(1980, 1, 1), D(1980, 7, 9), "placeholder"),
    (D(1980, 1, 1), D(1980, 1, 1), "placeholder"),
    (D(1980, 7, 9), D(1981, 7, 9), "year_off"),
    (D(1980, 1, 1), D(1981, 7, 9), "year_off"),
    (D(1980, 3, 14), D(1980, 11, 2), "same_year"),
    (D(1980, 3, 14), D(1990, 3, 14), "different"),
    (None, D(1990, 3, 14), None),
])
def test_date_levels(a, b, level):
    assert date_level(a, b) == level
    assert date_level(b, a) == level


def test_parse_birth_date_forms():
    assert parse_birth_date("1980-03-14") == D(1980, 3, 14)
    assert parse_birth_date("1980/3/4") == D(1980, 3, 4)
    assert parse_birth_date("1980.03.14.") == D(1980, 3, 14)
    assert parse_birth_date("14.03.1980") == D(1980, 3, 14)
    assert parse_birth_date("1980") == D(1980, 1, 1)
    assert parse_birth_date("") is None
    for bad in ("1980-02-30", "yesterday", "80-1-1"):
        with pytest.raises(BadDate):
            parse_birth_date(bad)


@pytest.mark.parametrize("variant", ["North Hamgyong", "Hamgyong-bukto", "Hamgyŏng-pukto", "함경북도",
                                     "Hamgyongbuk-do", "HAMGYONG BUKTO", "North Hamgyong Province"])
def test_north_hamgyong_variants(variant):
    assert place_key(variant) == "KP-09"


def test_every_province_variant_maps_to_its_code():
    for code, variants in PROVINCES.items():
        for variant in variants:
            assert place_key(variant) == code, variant


def test_north_and_south_differ_and_cities_carry_province():
    assert place_key("South Hamgyong") != place_key("North Hamgyong")
    assert place_key("Hamgyong-namdo") == place_key("South Hamgyong")
    assert place_key("Ch'ŏngjin") == place_key("청진") != place_key("North Hamgyong")
    assert province_key("Chongjin") == "KP-09"
    assert place_key("량강도") == place_key("Yanggang") == place_key("Ryanggang")
    assert place_key("Springfield") == place_key("SPRINGFIELD") != place_key("Hyesan")
