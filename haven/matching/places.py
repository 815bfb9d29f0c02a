"""North Korean provinces and cities in their variants: English, RR, MR (marks or not), DPRK, Hangul.

`place_key("Hamgyŏng-pukto") == place_key("North Hamgyong") == place_key("함경북도") == "KP-09"`.
Cities carry their province, so a record that says Chongjin and one that says North Hamgyong meet at the
"same province" level. Unknown places still get a stable key (their phonetic skeleton) so two records that
spell an unlisted town alike agree.
"""
from __future__ import annotations

import re
from functools import lru_cache

from haven.matching.names import skeleton
from haven.matching.romanize import is_hangul, southern_form, strip_marks

# ISO 3166-2:KP codes for provinces; cities are (name key, province code).
PROVINCES: dict[str, list[str]] = {
    "KP-01": ["Pyongyang", "P'yŏngyang", "Pyeongyang", "평양", "평양시", "Pyongyang-si", "Pyongyang Chikhalsi"],
    "KP-02": ["South Pyongan", "Pyongan-namdo", "P'yŏngan-namdo", "Pyeongannam-do", "평안남도", "Phyongan-namdo"],
    "KP-03": ["North Pyongan", "Pyongan-bukto", "P'yŏngan-pukto", "Pyonganbuk-do", "Pyeonganbuk-do", "평안북도",
              "Phyongan-pukto"],
    "KP-04": ["Chagang", "Chagang-do", "Jagang-do", "Jagang", "자강도"],
    "KP-05": ["South Hwanghae", "Hwanghae-namdo", "Hwanghaenam-do", "황해남도"],
    "KP-06": ["North Hwanghae", "Hwanghae-bukto", "Hwanghae-pukto", "Hwanghaebuk-do", "황해북도"],
    "KP-07": ["Kangwon", "Kangwon-do", "Kangwŏn-do", "Gangwon-do", "강원도"],
    "KP-08": ["South Hamgyong", "Hamgyong-namdo", "Hamgyŏng-namdo", "Hamgyeongnam-do", "Hamkyung-namdo", "함경남도"],
    "KP-09": ["North Hamgyong", "Hamgyong-bukto", "Hamgyŏng-pukto", "Hamgyeongbuk-do", "Hamkyung-pukdo",
              "Hamgyong-pukto", "함경북도", "Hambuk"],
    "KP-10": ["Ryanggang", "Ryanggang-do", "Yanggang-do", "Ryangkang", "Yanggang", "량강도", "양강도"],
    "KP-13": ["Rason", "Rasŏn", "Raseon", "Nason", "Rajin-Sonbong", "라선", "라선시", "나선"],
    "KP-14": ["Nampo", "Namp'o", "Nampho", "남포", "남포시"],
    "KP-15": ["Kaesong", "Kaesŏng", "Gaeseong", "개성", "개성시"],
}
CITIES: dict[str, tuple[str, list[str]]] = {
    "chongjin": ("KP-09", ["Chongjin", "Ch'ŏngjin", "Cheongjin", "Chungjin", "청진", "청진시"]),
    "hoeryong": ("KP-09", ["Hoeryong", "Hoeryŏng", "Hoeryeong", "Heryong", "회령", "회령시"]),
    "kimchaek": ("KP-09", ["Kimchaek", "Kimch'aek", "Gimchaek", "김책", "김책시"]),
    "musan": ("KP-09", ["Musan", "무산", "무산군"]),
    "onsong": ("KP-09", ["Onsong", "Onsŏng", "Onseong", "온성", "온성군"]),
    "hamhung": ("KP-08", ["Hamhung", "Hamhŭng", "Hamheung", "함흥", "함흥시"]),
    "tanchon": ("KP-08", ["Tanchon", "Tanch'ŏn", "Dancheon", "단천", "단천시"]),
    "hyesan": ("KP-10", ["Hyesan", "혜산", "혜산시"]),
    "sinuiju": ("KP-03", ["Sinuiju", "Sinŭiju", "Shinuiju", "Sineuiju", "신의주", "신의주시"]),
    "anju": ("KP-02", ["Anju", "안주", "안주시"]),
    "pyongsong": ("KP-02", ["Pyongsong", "P'yŏngsŏng", "Pyeongseong", "평성", "평성시"]),
    "wonsan": ("KP-07", ["Wonsan", "Wŏnsan", "원산", "원산시"]),
    "kanggye": ("KP-04", ["Kanggye", "Ganggye", "강계", "강계시"]),
    "sariwon": ("KP-06", ["Sariwon", "Sariwŏn", "사리원", "사리원시"]),
    "haeju": ("KP-05", ["Haeju", "해주", "해주시"]),
}

_GENERIC = {"province", "prov", "city", "county", "do", "si", "shi", "gun", "kun", "teukbyeolsi", "chikhalsi",
            "jikhalsi", "special", "dprk", "north korea", "korea", "kp", "of", "the"}
_NORTH = {"north", "n", "buk", "puk", "bukto", "pukto", "bukdo", "pukdo"}
_SOUTH = {"south", "s", "nam", "namdo"}
_JOINED_DIRECTION = re.compile(r"(bukdo|pukdo|bukto|pukto|namdo|buk|puk|nam)$")
_HANGUL_SUFFIX = ("특별시", "직할시", "시", "군", "구역")


def _raw_key(text: str) -> str:
    text = (text or "").strip()
    if not text:
        return ""
    if is_hangul(text.replace(" ", "")):
        compact = southern_form(text.replace(" ", ""))
        for suffix in _HANGUL_SUFFIX:
            if compact.endswith(suffix) and len(compact) > len(suffix) + 1:
                compact = compact[: -len(suffix)]
        return "h:" + compact
    words = re.split(r"[\s,\-]+", strip_marks(text).lower())
    words = [w for w in words if w and w not in _GENERIC]
    direction = ""
    rest: list[str] = []
    for w in words:
        if w in _NORTH:
            direction = "N"
        elif w in _SOUTH:
            direction = "S"
        else:
            rest.append(w)
    if not direction and len(rest) == 1:
        match = _JOINED_DIRECTION.search(rest[0])
        if match and len(rest[0]) >= len(match.group(0)) + 4:
            direction = "S" if match.group(0).startswith("nam") else "N"
            rest = [rest[0][: -len(match.group(0))]]
    return "l:" + skeleton("".join(rest)) + (":" + direction if direction else "")


@lru_cache(maxsize=1)
def _lookup() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for code, variants in PROVINCES.items():
        for variant in variants:
            table[_raw_key(variant)] = (code, code)
    for city, (province, variants) in CITIES.items():
        for variant in variants:
            table[_raw_key(variant)] = (f"{province}:{city}", province)
    return table


@lru_cache(maxsize=50_000)
def place_keys(text: str) -> tuple[str, str]:
    """(place key, province key) for a birth place; unknown places key on their skeleton for both."""
    raw = _raw_key(text)
    if not raw:
        return "", ""
    found = _lookup().get(raw)
    if found:
        return found
    return "~" + raw, "~" + raw


def place_key(text: str) -> str:
    return place_keys(text)[0]


def province_key(text: str) -> str:
    return place_keys(text)[1]
