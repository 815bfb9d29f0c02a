"""Bulk seeder for the benchmark: households of synthetic North Korean
refugees (Hangul names and several romanizations), one case per household,
in one organization, plus a caseworker who sees every case.

It writes through bulk_create (no per-row audit entries: this is fixture
data for timing reads, not user activity) but computes every derived column
exactly as the services do (search keys through haven.people.services and
haven.cases.services, contact details through the encrypted field), so the
database looks like one filled through the application.

Usage (Django settings from the environment, DATABASE_URL included):
    python bench/seed.py --persons 100000 --cases 40000 --out bench/results/seed.json
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")

# Family names: Hangul as written in the North (no initial-sound rule) and the
# romanizations met on documents (DPRK official, McCune-Reischauer, South Korean passport spellings).
FAMILY_NAMES = [
    ("김", ["Kim", "Gim"]), ("리", ["Ri", "Lee", "Yi", "Rhee"]), ("박", ["Pak", "Park", "Bak"]),
    ("최", ["Choe", "Choi"]), ("정", ["Jong", "Jung", "Chong", "Jeong"]), ("강", ["Kang", "Gang"]),
    ("조", ["Jo", "Cho"]), ("윤", ["Yun", "Yoon"]), ("장", ["Jang", "Chang"]), ("림", ["Rim", "Lim", "Im"]),
    ("한", ["Han"]), ("오", ["O", "Oh"]), ("서", ["So", "Seo", "Sŏ"]), ("신", ["Sin", "Shin"]),
    ("권", ["Kwon", "Gwon"]), ("황", ["Hwang"]), ("안", ["An", "Ahn"]), ("송", ["Song"]),
    ("류", ["Ryu", "Yu", "Yoo"]), ("전", ["Jon", "Jeon", "Chŏn"]), ("홍", ["Hong"]), ("고", ["Ko", "Go"]),
    ("문", ["Mun", "Moon"]), ("량", ["Ryang", "Yang"]), ("손", ["Son"]), ("배", ["Pae", "Bae"]),
    ("백", ["Paek", "Baek"]), ("허", ["Ho", "Heo", "Hŏ"]), ("남", ["Nam"]), ("로", ["Ro", "Roh", "Noh"]),
]
# Given-name syllables: Hangul, then (DPRK/MR without marks, MR with marks, Revised Romanization).
SYLLABLES = [
    ("명", ("myong", "myŏng", "myeong")), ("철", ("chol", "ch'ŏl", "cheol")), ("영", ("yong", "yŏng", "yeong")),
    ("수", ("su", "su", "su")), ("성", ("song", "sŏng", "seong")), ("광", ("kwang", "kwang", "gwang")),
    ("혁", ("hyok", "hyŏk", "hyeok")), ("은", ("un", "ŭn", "eun")), ("희", ("hui", "hŭi", "hui")),
    ("순", ("sun", "sun", "sun")), ("옥", ("ok", "ok", "ok")), ("금", ("kum", "kŭm", "geum")),
    ("향", ("hyang", "hyang", "hyang")), ("미", ("mi", "mi", "mi")), ("경", ("kyong", "kyŏng", "gyeong")),
    ("진", ("jin", "chin", "jin")), ("남", ("nam", "nam", "nam")), ("일", ("il", "il", "il")),
    ("호", ("ho", "ho", "ho")), ("석", ("sok", "sŏk", "seok")), ("국", ("kuk", "kuk", "guk")),
    ("혜", ("hye", "hye", "hye")), ("련", ("ryon", "ryŏn", "ryeon")), ("주", ("ju", "chu", "ju")),
    ("원", ("won", "wŏn", "won")), ("하", ("ha", "ha", "ha")), ("지", ("ji", "chi", "ji")),
    ("현", ("hyon", "hyŏn", "hyeon")), ("봉", ("pong", "pong", "bong")), ("란", ("ran", "ran", "ran")),
    ("충", ("chung", "ch'ung", "chung")), ("숙", ("suk", "suk", "suk")),
    ("애", ("ae", "ae", "ae")), ("동", ("dong", "tong", "dong")), ("학", ("hak", "hak", "hak")),
]
TRANSIT = ["CN", "CN", "CN", "TH", "LA", "VN", "MN", "KR"]
BIRTH_PLACES = ["Hyesan", "Chongjin", "Musan", "Hoeryong", "Pyongyang", "Sinuiju", "Hamhung", "Wonsan", "Kimchaek"]


def given_name(rng: random.Random) -> tuple[str, str]:
    first, second = rng.choice(SYLLABLES), rng.choice(SYLLABLES)
    system = rng.randrange(3)
    style = rng.randrange(3)
    a, b = first[1][system], second[1][system]
    latin = {0: f"{a}-{b}", 1: f"{a} {b}", 2: f"{a}{b}"}[style]
    return first[0] + second[0], latin.capitalize() if style != 1 else f"{a.capitalize()} {b.capitalize()}"


def household_sizes(persons: int, households: int) -> list[int]:
    """Sizes 1..4 cycling (mean 2.5), adjusted so they add up to `persons` exactly."""
    sizes = [1 + (i % 4) for i in range(households)]
    diff = persons - sum(sizes)
    i = 0
    while diff != 0 and households:
        step = 1 if diff > 0 else -1
        if 1 <= sizes[i % households] + step <= 9:
            sizes[i % households] += step
            diff -= step
        i += 1
    return sizes


def generate(persons: int, households: int, seed: int = 2026):
    """Yield (household dict, [person dicts]) for the requested totals."""
    rng = random.Random(seed)
    for index, size in enumerate(household_sizes(persons, households)):
        family_hangul, spellings = rng.choice(FAMILY_NAMES)
        family = rng.choice(spellings)
        members = []
        for position in range(size):
            hangul, latin = given_name(rng)
            relationship = "principal" if position == 0 else ("spouse" if position == 1 else "child")
            year = rng.randint(1950, 2000) if position < 2 else rng.randint(2001, 2024)
            precision = rng.choice(["exact", "exact", "exact", "year", "month", "unknown"])
            birth = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            if precision == "year":
                birth = birth.replace(month=1, day=1)
            elif precision == "month":
                birth = birth.replace(day=1)
            elif precision == "unknown":
                birth = None
            members.append({
                "relationship": relationship,
                "family_name": family,
                "given_name": latin,
                "family_name_hangul": family_hangul,
                "given_name_hangul": hangul,
                "sex": rng.choice("FFM") if position else rng.choice("FM"),
                "birth_date": birth,
                "birth_date_precision": precision,
                "birth_place": rng.choice(BIRTH_PLACES),
                "birth_country": "KP",
                "residence_country": rng.choice(TRANSIT),
                "phone": f"+86 13{rng.randint(100000000, 999999999)}" if rng.random() < 0.3 else "",
            })
        yield {"index": index, "reference": f"HH-{index + 1:06d}", "name": f"{family} family"}, members


class _Seeder:
    """Writes generated households, their members and their cases in batches, and keeps a sample of the names
    for the search scenarios."""

    def __init__(self, org, groups: list, rng: random.Random, batch: int) -> None:
        from haven.cases.models import Case

        self.org, self.groups, self.rng, self.batch = org, groups, rng, batch
        self.statuses = [Case.Status.OPEN] * 6 + [Case.Status.ON_HOLD] + [Case.Status.CLOSED] * 3
        self.kinds = ([Case.Kind.SPONSORSHIP] * 5 + [Case.Kind.PROTECTION_CLAIM] * 3
                      + [Case.Kind.SETTLEMENT, Case.Kind.LEGAL])
        self.names_hangul: list[str] = []
        self.names_latin: list[str] = []

    def flush(self, rows) -> None:
        from django.db import transaction

        from haven.cases.models import Case
        from haven.people.models import Household, Person
        from haven.people.derived import person_search_key

        with transaction.atomic():
            households = Household.objects.bulk_create(
                [Household(organization=self.org, reference=h["reference"], name=h["name"]) for h, _ in rows],
                batch_size=self.batch)
            people = []
            for household, (_, members) in zip(households, rows):
                for data in members:
                    person = Person(household=household, **data)
                    person.search_key = person_search_key(person)
                    people.append(person)
            Person.objects.bulk_create(people, batch_size=self.batch)
            Case.objects.bulk_create(self.cases(households, rows, people), batch_size=self.batch)
        for person in people[:: max(1, len(people) // 200)]:
            self.names_hangul.append(person.given_name_hangul)
            self.names_hangul.append(person.family_name_hangul + person.given_name_hangul)
            self.names_latin.append(person.given_name)
            self.names_latin.append(f"{person.family_name} {person.given_name}")

    def cases(self, households, rows, people) -> list:
        from haven.cases.models import Case
        from haven.cases.services import case_search_key

        rng, groups, org = self.rng, self.groups, self.org
        new_cases = []
        by_household: dict[int, list[str]] = {}
        for person in people:
            by_household.setdefault(person.household_id, []).append(person.search_key)
        for household, (h, _) in zip(households, rows):
            status = rng.choice(self.statuses)
            opened = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(11 * 365))
            case = Case(organization=org, household=household, reference=f"BEN-{h['index'] + 1:06d}",
                        title=f"{household.name} sponsorship", kind=rng.choice(self.kinds), status=status,
                        sponsor_group=rng.choice(groups) if rng.random() < 0.5 else None, opened_on=opened,
                        closed_on=opened + dt.timedelta(days=rng.randrange(30, 900))
                        if status == Case.Status.CLOSED else None)
            case.search_key = case_search_key(case, by_household.get(household.pk, []))
            new_cases.append(case)
        return new_cases


def seed(*, persons: int, cases: int, organization_slug: str = "bench", batch: int = 5000,
         seed_value: int = 2026) -> dict:
    import django

    django.setup()
    from django.db import connection

    from haven.accounts.models import Organization, Team
    from haven.cases.models import Case
    from haven.people.models import Person

    started = time.perf_counter()
    org, _ = Organization.objects.get_or_create(
        slug=organization_slug,
        defaults={"name": f"Bench Sponsorship Society ({organization_slug})", "kind": Organization.Kind.SPONSORSHIP})
    groups = [Team.objects.get_or_create(organization=org, name=f"Sponsor group {n:02d}",
                                         defaults={"kind": Team.Kind.SPONSOR_GROUP})[0] for n in range(20)]
    seeder = _Seeder(org, groups, random.Random(seed_value + 1), batch)
    flush = seeder.flush
    names_hangul, names_latin = seeder.names_hangul, seeder.names_latin

    pending = []
    for household, members in generate(persons, cases, seed_value):
        pending.append((household, members))
        if len(pending) >= batch:
            flush(pending)
            pending = []
    if pending:
        flush(pending)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    seeded = time.perf_counter() - started
    user = ensure_bench_user(org)
    return {
        "organization": org.slug,
        "persons": Person.objects.filter(household__organization=org).count(),
        "cases": Case.objects.filter(organization=org).count(),
        "seconds": round(seeded, 2),
        "user": user.username,
        "search_hangul": sorted(set(names_hangul)),
        "search_latin": sorted(set(names_latin)),
    }


def ensure_bench_user(org):
    """A caseworker of the bench organization: sees every case of it."""
    from haven.accounts.models import Membership, Role, User

    user, created = User.objects.get_or_create(username="caseworker@bench.test",
                                               defaults={"email": "caseworker@bench.test"})
    if created:
        user.set_password(os.environ.get("HAVEN_BENCH_PASSWORD", "bench caseworker password 2026"))
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, organization=org, defaults={"role": Role.CASEWORKER})
    return user


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=40_000)
    parser.add_argument("--organization", default="bench")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    result = seed(persons=args.persons, cases=args.cases, organization_slug=args.organization)
    text = json.dumps(result, ensure_ascii=False, indent=1)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    print(f"seeded {result['persons']} persons in {result['cases']} cases in {result['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
