"""Romanization and variant classes, from a table of real spellings."""
import pytest

from haven.matching.names import name_keys, skeleton, split_full_name, surname_classes, surname_key
from haven.matching.romanize import (
    could_be,
    hangul_candidates,
    northern_variants,
    romanize,
    romanize_name,
    southern_form,
)

# (Hangul, spellings seen on documents) — South Korean passport figures and the issue's examples.
SURNAME_TABLE = [
    ("김", ["Kim", "Gim", "KIM", "GIM"]),
    ("이", ["Lee", "Yi", "Rhee", "Ri", "I", "Li", "LEE"]),
    ("리", ["Lee", "Yi", "Rhee", "Ri", "I", "Li"]),
    ("박", ["Park", "Pak", "Bak", "PARK"]),
    ("최", ["Choi", "Choe"]),
    ("정", ["Jung", "Jeong", "Chung", "Chong", "Jong"]),
    ("류", ["Ryu", "Yu", "Yoo", "Lyu"]),
    ("유", ["Ryu", "Yu", "Yoo", "You", "Lyu"]),
    ("림", ["Rim", "Lim", "Im", "Yim"]),
    ("임", ["Rim", "Lim", "Im", "Yim"]),
    ("로", ["Ro", "Roh", "No", "Noh"]),
    ("노", ["Ro", "Roh", "No", "Noh"]),
    ("강", ["Kang", "Gang"]),
    ("권", ["Kwon", "Gwon", "Kweon"]),
    ("량", ["Ryang", "Yang"]),
    ("양", ["Ryang", "Yang"]),
    ("라", ["Ra", "Na"]),
    ("나", ["Ra", "Na"]),
    ("안", ["Ahn", "An"]),
    ("오", ["Oh", "O"]),
    ("신", ["Shin", "Sin"]),
    ("한", ["Han", "Hahn"]),
    ("황", ["Hwang"]),
    ("윤", ["Yoon", "Yun"]),
]

GIVEN_TABLE = [
    ("명철", ["Myong-chol", "Myung-chul", "Myŏngch'ŏl", "Myong Chol", "Myongchol", "Myeong-cheol",
             "MYONG CHOL", "Myŏng-ch'ŏl", "myeongcheol"]),
    ("정은", ["Jong-un", "Jong Un", "Chŏng-ŭn", "Chong-un", "Jeong-eun", "Jongun"]),
    ("동구", ["Tong Gu", "Dong-gu", "Tonggu", "Tong-gu"]),
    ("민서", ["Minseo", "Min-seo", "Min Seo", "Minsŏ", "Min-so"]),
    ("영수", ["Young-soo", "Yeong-su", "Yŏngsu", "Yong Su"]),
    ("성호", ["Sung-ho", "Seong-ho", "Sŏngho", "Song Ho"]),
    ("선희", ["Sun-hee", "Seon-hui", "Sŏnhŭi", "Son Hui"]),
    ("룡일", ["Ryong Il", "Yong-il", "Yongil"]),
    ("은혜", ["Eun-hye", "Ŭnhye", "Un Hye"]),
]


@pytest.mark.parametrize(("hangul", "spellings"), SURNAME_TABLE)
def test_surname_spellings_share_class_and_skeleton(hangul, spellings):
    expected = southern_form(hangul)
    for spelling in spellings:
        assert expected in surname_classes(spelling), spelling
        assert skeleton(spelling) == skeleton(hangul), spelling
        assert could_be(spelling, hangul), spelling


@pytest.mark.parametrize(("hangul", "spellings"), GIVEN_TABLE)
def test_given_name_spellings_share_skeleton(hangul, spellings):
    for spelling in spellings:
        assert skeleton(spelling) == skeleton(hangul), spelling
        assert could_be(spelling, hangul), spelling


def test_issue_example_shares_keys():
    forms = [
        name_keys(family_name_hangul="리", given_name_hangul="명철"),
        name_keys("Ri", "Myong-chol"),
        name_keys("Lee", "Myung-chul"),
        name_keys("Yi", "Myŏngch'ŏl"),
        name_keys("LEE", "MYUNG CHUL"),
    ]
    assert {keys.family_class for keys in forms} == {"이"}
    assert len({keys.given_skel for keys in forms}) == 1
    assert len({keys.full_skel for keys in forms}) == 1
    assert forms[0].family_hangul == "이" and forms[0].given_hangul == "명철"


def test_swapped_names_share_order_free_key():
    assert name_keys("Myong Chol", "Ri").full_skel == name_keys("Ri", "Myong Chol").full_skel


def test_different_people_do_not_share_keys():
    assert surname_key("Kim") != surname_key("Park")
    assert skeleton("Myong-chol") != skeleton("Myong-su")  # siblings sharing a syllable
    assert skeleton("Oh") != skeleton("Noh")  # 오 and 노 are different surnames
    assert skeleton("Choi") != skeleton("Chae")
    assert not could_be("Kim", "박")
    assert not could_be("Myong-chol", "명수")


def test_initial_sound_law_both_directions():
    for north, south in [("리", "이"), ("류", "유"), ("림", "임"), ("량", "양"), ("로", "노"), ("룡", "용"),
                         ("라", "나"), ("녀", "여")]:
        assert southern_form(north) == south
        assert north in northern_variants(south)
    assert southern_form("리명철") == "이명철"
    # Only the first syllable changes: 명렬 keeps its 렬.
    assert southern_form("명렬") == "명렬"


def test_forward_romanization_per_system():
    assert romanize("명철", "rr") == "myeong-cheol"
    assert romanize("명철", "mr") == "myŏng-ch'ŏl"
    assert romanize("명철", "mr_plain") == "myong-chol"
    assert romanize("정은", "mr") == "chŏng-ŭn"
    assert romanize("동구", "mr") == "tong-gu"  # plain stop voiced inside the name
    assert romanize("석열", "rr") == "seok-yeol"  # no cross-syllable sound change
    assert romanize_name("리", "명철", "dprk") == ("Ri", "Myong Chol")
    assert romanize_name("박", "동구", "dprk") == ("Pak", "Tong Gu")
    assert romanize_name("김", "정은", "mr") == ("Kim", "Chŏng-ŭn")


def test_reverse_candidates():
    readings = hangul_candidates("Myongchol")
    assert any(len(r) == 2 and "명" in r[0] and "철" in r[1] for r in readings)
    readings = hangul_candidates("Myong-chol")
    assert all(len(r) == 2 for r in readings)
    assert hangul_candidates("xyzzy") == []


def test_split_full_name():
    assert split_full_name("Ri Myong Chol") == ("Ri", "Myong Chol")
    assert split_full_name("리명철") == ("리", "명철")
