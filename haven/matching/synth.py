"""A seeded synthetic registry of Korean names with ground truth, for tuning and for held-out evaluation.

Each entity is one person; each record is how one source wrote them down. Records vary by every variation the
matcher must see through: Hangul in the northern or southern spelling (리/이), RR, MR with and without marks,
the DPRK system, conventional passport spellings (Lee, Park, Myung-chul), given names joined, hyphenated or
spaced, upper case, family and given swapped, Hangul present or not, birth dates exact, year-only (1 January),
day-month swapped, lunar (up to 60 days), a year off, missing, place names in all their variants, and the odd
typo. Hard negatives are built in on purpose: siblings who share a surname, place and a given-name syllable,
twins who share the birth date too, and namesakes with the same name and birth year.

Use different seeds for tuning (TRAIN_SEED) and evaluation (EVAL_SEED): the evaluation data is never seen while
the model is fitted.
"""
from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass

from haven.matching.places import CITIES, PROVINCES
from haven.matching.romanize import (
    CONVENTIONAL_VOWEL,
    LEADS,
    VOWELS,
    decompose,
    romanize_name,
    romanize_syllable,
    syllables,
)

TRAIN_SEED = 20240601
EVAL_SEED = 99173

COLUMNS = ["record_id", "family_name", "given_name", "family_name_hangul", "given_name_hangul", "birth_date",
           "sex", "birth_place"]

# (southern Hangul, northern Hangul, share %, conventional spellings)
SURNAMES = [
    ("김", "김", 21.5, ["Kim"]), ("이", "리", 14.7, ["Lee", "Yi", "Rhee"]), ("박", "박", 8.4, ["Park"]),
    ("최", "최", 4.7, ["Choi"]), ("정", "정", 4.3, ["Jung", "Chung"]), ("강", "강", 2.3, ["Kang"]),
    ("조", "조", 2.1, ["Cho"]), ("윤", "윤", 2.1, ["Yoon"]), ("장", "장", 2.0, ["Jang", "Chang"]),
    ("임", "림", 1.7, ["Lim"]), ("한", "한", 1.5, ["Han"]), ("오", "오", 1.5, ["Oh"]), ("서", "서", 1.5, ["Suh"]),
    ("신", "신", 1.4, ["Shin"]), ("권", "권", 1.4, ["Kwon"]), ("황", "황", 1.4, ["Hwang"]),
    ("안", "안", 1.4, ["Ahn"]), ("송", "송", 1.3, ["Song"]), ("유", "류", 1.3, ["Yoo", "Ryu"]),
    ("전", "전", 1.1, ["Jeon", "Chun"]), ("홍", "홍", 1.1, ["Hong"]), ("고", "고", 0.9, ["Ko"]),
    ("문", "문", 0.9, ["Moon"]), ("양", "량", 0.8, ["Yang"]), ("손", "손", 0.9, ["Son"]),
    ("배", "배", 0.8, ["Bae"]), ("백", "백", 0.8, ["Baek", "Paik"]), ("허", "허", 0.6, ["Heo", "Huh"]),
    ("남", "남", 0.5, ["Nam"]), ("노", "로", 0.4, ["Roh", "Noh"]), ("심", "심", 0.5, ["Shim"]),
    ("하", "하", 0.4, ["Ha"]), ("곽", "곽", 0.4, ["Kwak"]), ("성", "성", 0.4, ["Sung"]),
    ("차", "차", 0.4, ["Cha"]), ("주", "주", 0.4, ["Joo"]), ("우", "우", 0.4, ["Woo"]),
    ("구", "구", 0.4, ["Koo"]), ("나", "라", 0.3, ["Na", "Ra"]), ("민", "민", 0.3, ["Min"]),
]
# Given-name syllables (southern spelling at the start of a name), with rough weights.
GIVEN_SYLLABLES = (
    "명철수영민정은혜진성호준희경숙미선순옥향광일남국동현지서연우석태훈용혁규상원재봉학춘금복애련"
    "림룡란윤하도병기충송효인주완영길강산봄별솔빛설향화월옥진"
)

PROVINCE_CODES = list(PROVINCES)
CITY_KEYS = list(CITIES)


@dataclass
class Entity:
    entity_id: int
    family: str  # southern Hangul
    family_north: str
    conventional: list[str]
    given: str  # Hangul syllables
    sex: str
    birth: dt.date
    place: tuple[str, str]  # ('province' | 'city', key)


def _weighted_surname(rng: random.Random):
    total = sum(s[2] for s in SURNAMES)
    x = rng.uniform(0, total)
    for s in SURNAMES:
        x -= s[2]
        if x <= 0:
            return s
    return SURNAMES[-1]


def _given(rng: random.Random) -> str:
    n = 1 if rng.random() < 0.06 else 2
    return "".join(rng.choice(GIVEN_SYLLABLES) for _ in range(n))


def _place(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.5:
        return ("province", rng.choice(PROVINCE_CODES))
    return ("city", rng.choice(CITY_KEYS))


def _new_entity(rng: random.Random, entity_id: int) -> Entity:
    s = _weighted_surname(rng)
    birth = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 75 * 365))
    return Entity(entity_id, s[0], s[1], s[3], _given(rng), rng.choice("FM"), birth, _place(rng))


def _conventional_syllable(rng: random.Random, syl: str, first: bool) -> str:
    lead, vowel, _ = decompose(syl)
    rr = romanize_syllable(syl, "rr", first=first)
    rr_vowel = romanize_syllable(chr(0xAC00 + 11 * 588 + vowel * 28), "rr")
    options = CONVENTIONAL_VOWEL.get(VOWELS[vowel])
    if options and rr_vowel in rr:
        rr = rr.replace(rr_vowel, rng.choice(options[:2]), 1)
    if LEADS[lead] == "ㅅ" and rr.startswith("si"):
        rr = "sh" + rr[1:]
    return rr


def _write_given(rng: random.Random, parts: list[str], style: str) -> str:
    if style == "joined":
        text = "".join(parts)
        return text[:1].upper() + text[1:]
    if style == "hyphen":
        text = parts[0] + ("-" + "".join(parts[1:]).lower() if len(parts) > 1 else "")
        return text[:1].upper() + text[1:]
    return " ".join(p.capitalize() for p in parts)


def _typo(rng: random.Random, text: str) -> str:
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:])
    op = rng.random()
    if op < 0.4:
        return text[:i] + text[i + 1:]
    if op < 0.7 and i + 1 < len(text):
        return text[:i] + text[i + 1] + text[i] + text[i + 2:]
    return text[:i] + rng.choice("aeiounmgk") + text[i + 1:]


def _latin_name(rng: random.Random, e: Entity, northern: bool) -> tuple[str, str]:
    system = rng.choices(["rr", "mr", "mr_plain", "dprk", "conventional"], [22, 12, 18, 20, 28])[0]
    hangul_family = e.family_north if northern else e.family
    parts_h = syllables(e.given)
    style = rng.choices(["joined", "hyphen", "spaced"], [30, 45, 25])[0]
    if system == "conventional":
        family = rng.choice(e.conventional)
        parts = [_conventional_syllable(rng, s, i == 0) for i, s in enumerate(parts_h)]
    else:
        family, _ = romanize_name(hangul_family, "", "rr" if system == "rr" else system)
        if system == "rr" and hangul_family in ("김", "이", "박", "최", "정") and rng.random() < 0.7:
            family = e.conventional[0]
        prev_voiced = False
        parts = []
        for i, s in enumerate(parts_h):
            parts.append(romanize_syllable(s, system, voiced=i > 0 and prev_voiced, first=i == 0))
            prev_voiced = decompose(s)[2] in (0, 4, 16, 21, 8)
        if system == "dprk":
            style = rng.choices(["spaced", "hyphen", "joined"], [70, 20, 10])[0]
    given = _write_given(rng, parts, style)
    if rng.random() < 0.15:
        family, given = family.upper(), given.upper()
    if rng.random() < 0.04:
        given = _typo(rng, given)
    return family, given


def _birth_date(rng: random.Random, e: Entity) -> str:
    b = e.birth
    x = rng.random()
    if x < 0.55:
        d = b
    elif x < 0.67:
        d = dt.date(b.year, 1, 1)
    elif x < 0.73 and b.day <= 12 and b.day != b.month:
        d = dt.date(b.year, b.day, b.month)
    elif x < 0.82:
        d = b - dt.timedelta(days=rng.randint(10, 55))
    elif x < 0.87:
        year = b.year + rng.choice((-1, 1))
        d = b.replace(year=year) if not (b.month == 2 and b.day == 29) else dt.date(year, 2, 28)
    elif x < 0.93:
        return ""
    else:
        d = b
    fmt = rng.random()
    if fmt < 0.8:
        return d.isoformat()
    if fmt < 0.9:
        return f"{d.year}/{d.month}/{d.day}"
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def _birth_place(rng: random.Random, e: Entity) -> str:
    if rng.random() < 0.25:
        return ""
    kind, key = e.place
    if kind == "city":
        province, variants = CITIES[key]
        if rng.random() < 0.2:
            return rng.choice(PROVINCES[province])
        return rng.choice(variants)
    return rng.choice(PROVINCES[key])


def records_for(rng: random.Random, e: Entity, n: int) -> Iterator[dict]:
    for _ in range(n):
        northern = rng.random() < 0.45
        row = {"family_name": "", "given_name": "", "family_name_hangul": "", "given_name_hangul": ""}
        kind = rng.random()
        if kind < 0.25:
            row["family_name_hangul"] = e.family_north if northern else e.family
            row["given_name_hangul"] = e.given
        elif kind < 0.75:
            row["family_name"], row["given_name"] = _latin_name(rng, e, northern)
        else:
            row["family_name"], row["given_name"] = _latin_name(rng, e, northern)
            row["family_name_hangul"] = e.family_north if northern else e.family
            row["given_name_hangul"] = e.given
        if row["family_name"] and rng.random() < 0.05:
            row["family_name"], row["given_name"] = row["given_name"], row["family_name"]
        row["birth_date"] = _birth_date(rng, e)
        row["sex"] = e.sex if rng.random() < 0.9 else ""
        row["birth_place"] = _birth_place(rng, e)
        row["entity_id"] = e.entity_id
        yield row


def _sibling(rng: random.Random, e: Entity, entity_id: int, twin: bool) -> Entity:
    given = syllables(e.given)
    if len(given) == 2:
        keep = rng.randrange(2)
        new = list(given)
        choices = [s for s in GIVEN_SYLLABLES if s != given[1 - keep]]
        new[1 - keep] = rng.choice(choices)
        given_text = "".join(new)
    else:
        given_text = rng.choice([s for s in GIVEN_SYLLABLES if s != e.given])
    if twin:
        birth = e.birth
    else:
        birth = e.birth + dt.timedelta(days=rng.choice((-1, 1)) * rng.randint(400, 2500))
    return Entity(entity_id, e.family, e.family_north, e.conventional, given_text, rng.choice("FM"), birth, e.place)


def _namesake(rng: random.Random, e: Entity, entity_id: int) -> Entity:
    birth = dt.date(e.birth.year, 1, 1) + dt.timedelta(days=rng.randrange(0, 365))
    return Entity(entity_id, e.family, e.family_north, e.conventional, e.given, rng.choice("FM"), birth,
                  _place(rng))


def generate(n_records: int, seed: int) -> list[dict]:
    """About n_records rows with record_id and the true entity_id; ~8 % of entities get a hard negative."""
    rng = random.Random(seed)
    rows: list[dict] = []
    entity_id = 0
    while len(rows) < n_records:
        entity_id += 1
        e = _new_entity(rng, entity_id)
        group = [e]
        x = rng.random()
        if x < 0.04:
            entity_id += 1
            group.append(_sibling(rng, e, entity_id, twin=False))
        elif x < 0.06:
            entity_id += 1
            group.append(_sibling(rng, e, entity_id, twin=True))
        elif x < 0.09:
            entity_id += 1
            group.append(_namesake(rng, e, entity_id))
        for member in group:
            n = min(1 + int(rng.expovariate(0.7)), 6)
            rows.extend(records_for(rng, member, n))
    rows = rows[:n_records]
    rng.shuffle(rows)
    for i, row in enumerate(rows, start=1):
        row["record_id"] = f"r{seed % 1000:03d}-{i:07d}"
    return rows


def write_csv(rows: list[dict], path, *, with_truth: bool = False) -> None:
    columns = COLUMNS + (["entity_id"] if with_truth else [])
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
