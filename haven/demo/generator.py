"""Seeded synthetic North Korean households (no real person is described).

Names are built from common Korean surnames and given-name syllables and
written the ways they appear across borders: Hangul in the North Korean form
(리, 림, 류: no initial-sound rule) or the South Korean one (이, 임, 유), the
customary passport spelling (Lee, Park, Choi), Revised Romanization,
McCune-Reischauer with and without diacritics, and the North Korean official
form with the given name written syllable by syllable ("Ri Myong Chol").
Romanization works on the jamo of each syllable (lead, vowel and tail come from
arithmetic on the code point) with McCune-Reischauer voicing between
syllables; it ignores the other sound changes, which is good enough for test
data.

Everything is drawn from one random.Random(seed) and a fixed reference date,
so the same seed gives the same rows on every machine.
"""
from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

REFERENCE_DATE = dt.date(2026, 1, 1)
TRANSIT_COUNTRIES = ("CN", "TH", "LA", "VN", "MN")

# --- romanization of one syllable -------------------------------------------------------------------------------
LEADS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
RR_LEAD = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
MR_LEAD = ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch'", "k'", "t'", "p'", "h"]
MR_VOICED = {"k": "g", "t": "d", "p": "b", "ch": "j"}
NK_LEAD = ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "kh", "th", "ph", "h"]
NK_VOICED = {"k": "g", "t": "d", "p": "b"}
RR_VOWEL = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
            "yu", "eu", "ui", "i"]
MR_VOWEL = ["a", "ae", "ya", "yae", "ŏ", "e", "yŏ", "ye", "o", "wa", "wae", "oe", "yo", "u", "wŏ", "we", "wi",
            "yu", "ŭ", "ŭi", "i"]
TAILS = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
         "ng", "t", "t", "k", "t", "p", "t"]
SONORANT_TAILS = {"", "n", "m", "ng", "l"}


def jamo_indexes(syllable: str) -> tuple[int, int, int]:
    code = ord(syllable) - 0xAC00
    if not 0 <= code < 11172:
        raise ValueError(f"{syllable!r} is not a Hangul syllable")
    return code // 588, code % 588 // 28, code % 28


def _strip_marks(text: str) -> str:
    return text.replace("ŏ", "o").replace("ŭ", "u").replace("Ŏ", "O").replace("Ŭ", "U").replace("'", "")


def romanize_given(hangul: str, system: str) -> list[str]:
    """Romanize a given name syllable by syllable: system is rr, mr or nk. Returns one string per syllable."""
    parts: list[str] = []
    previous_tail = None
    for syllable in hangul:
        lead, vowel, tail = jamo_indexes(syllable)
        if system == "rr":
            text = RR_LEAD[lead] + RR_VOWEL[vowel] + TAILS[tail]
        else:
            onset = MR_LEAD[lead] if system == "mr" else NK_LEAD[lead]
            voiced = MR_VOICED if system == "mr" else NK_VOICED
            if previous_tail is not None and previous_tail in SONORANT_TAILS and onset in voiced:
                onset = voiced[onset]
            text = onset + MR_VOWEL[vowel] + TAILS[tail]
            if system == "nk":
                text = _strip_marks(text)
        parts.append(text)
        previous_tail = TAILS[tail]
    return parts


# --- surnames ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Surname:
    south: str              # Hangul in South Korea (initial-sound rule applied)
    north: str              # Hangul in North Korea
    rr: str                 # Revised Romanization
    mr: str                 # McCune-Reischauer, with diacritics
    nk: str                 # North Korean official
    customary: tuple[str, ...]  # passport spellings, most common first
    weight: float           # share of the population, percent (approximate)


SURNAMES = (
    Surname("김", "김", "Gim", "Kim", "Kim", ("Kim", "Gim"), 21.5),
    Surname("이", "리", "I", "Yi", "Ri", ("Lee", "Yi", "Rhee", "Li"), 14.7),
    Surname("박", "박", "Bak", "Pak", "Pak", ("Park", "Bak", "Pak"), 8.4),
    Surname("최", "최", "Choe", "Ch'oe", "Choe", ("Choi", "Choe"), 4.7),
    Surname("정", "정", "Jeong", "Chŏng", "Jong", ("Jung", "Jeong", "Chung"), 4.4),
    Surname("강", "강", "Gang", "Kang", "Kang", ("Kang",), 2.3),
    Surname("조", "조", "Jo", "Cho", "Jo", ("Cho", "Jo"), 2.1),
    Surname("윤", "윤", "Yun", "Yun", "Yun", ("Yoon", "Yun"), 2.1),
    Surname("장", "장", "Jang", "Chang", "Jang", ("Jang", "Chang"), 2.0),
    Surname("임", "림", "Im", "Im", "Rim", ("Lim", "Im", "Yim"), 1.7),
    Surname("한", "한", "Han", "Han", "Han", ("Han",), 1.5),
    Surname("오", "오", "O", "O", "O", ("Oh",), 1.5),
    Surname("서", "서", "Seo", "Sŏ", "So", ("Seo", "Suh"), 1.5),
    Surname("신", "신", "Sin", "Sin", "Sin", ("Shin",), 1.5),
    Surname("권", "권", "Gwon", "Kwŏn", "Kwon", ("Kwon", "Gwon", "Kweon"), 1.4),
    Surname("황", "황", "Hwang", "Hwang", "Hwang", ("Hwang",), 1.4),
    Surname("안", "안", "An", "An", "An", ("Ahn",), 1.4),
    Surname("송", "송", "Song", "Song", "Song", ("Song",), 1.3),
    Surname("유", "류", "Yu", "Yu", "Ryu", ("Yoo", "Yu", "You", "Ryu", "Lyu"), 1.3),
    Surname("홍", "홍", "Hong", "Hong", "Hong", ("Hong",), 1.1),
    Surname("전", "전", "Jeon", "Chŏn", "Jon", ("Jeon", "Jun", "Chun"), 1.1),
    Surname("고", "고", "Go", "Ko", "Ko", ("Ko", "Go"), 0.9),
    Surname("문", "문", "Mun", "Mun", "Mun", ("Moon",), 0.9),
    Surname("양", "량", "Yang", "Yang", "Ryang", ("Yang",), 1.0),
    Surname("손", "손", "Son", "Son", "Son", ("Son",), 0.9),
    Surname("배", "배", "Bae", "Pae", "Pae", ("Bae",), 0.8),
    Surname("백", "백", "Baek", "Paek", "Paek", ("Baek", "Paik"), 0.7),
    Surname("허", "허", "Heo", "Hŏ", "Ho", ("Heo", "Hur"), 0.6),
    Surname("노", "로", "No", "No", "Ro", ("Roh", "Noh", "Ro"), 0.5),
)
SURNAME_WEIGHTS = [s.weight for s in SURNAMES]

MALE_FIRST = "명영성광철국동정혁용진학석태경준만길일남"
MALE_SECOND = "철호수남일국혁진근민석훈길룡범식환웅규"
FEMALE_FIRST = "순옥영미은혜금춘향경정선명현수진연복화서"
FEMALE_SECOND = "희옥순미아란화향영숙실심주경연진정애"
CHILD_FIRST = "민서지하도수예윤주은시유"
CHILD_SECOND = "준연우은아윤린호서진원빈"

BIRTH_PLACES_KP = ("Hyesan", "Hoeryong", "Musan", "Chongjin", "Pyongyang", "Hamhung", "Sinuiju", "Kimchaek",
                   "Wonsan", "Kanggye", "Nampo", "Onsong")
BIRTH_PLACES = {"CN": ("Yanji", "Shenyang", "Dandong", "Tumen", "Longjing", "Qingdao"),
                "TH": ("Bangkok", "Chiang Rai"), "LA": ("Vientiane",), "VN": ("Hanoi",), "MN": ("Ulaanbaatar",)}
PHONE_PREFIX = {"CN": "+86 131 5550", "TH": "+66 81 555", "LA": "+856 20 555", "VN": "+84 91 555",
                "MN": "+976 88 555", "KR": "+82 10 5550", "CA": "+1 416 555 01"}
ADDRESS = {"CN": "Building {n}, Yanji Road, Yanji", "TH": "{n} Soi Sukhumvit 5, Bangkok",
           "LA": "{n} Ban Sisavath, Vientiane", "VN": "{n} Pho Hue, Hanoi",
           "MN": "Apartment {n}, Bayanzurkh, Ulaanbaatar",
           "KR": "{n} Nowon-ro, Seoul", "CA": "{n} Example Street, Toronto ON"}


@dataclass
class GeneratedDocument:
    kind: str
    issuing_country: str
    number: str


@dataclass
class GeneratedPerson:
    row: dict[str, str]
    documents: list[GeneratedDocument] = field(default_factory=list)


@dataclass
class GeneratedHousehold:
    key: str
    name: str
    case_reference: str
    members: list[GeneratedPerson] = field(default_factory=list)


def _given_name(rng: random.Random, sex: str, child: bool) -> str:
    if child:
        return rng.choice(CHILD_FIRST) + rng.choice(CHILD_SECOND)
    if sex == "M":
        return rng.choice(MALE_FIRST) + rng.choice(MALE_SECOND)
    return rng.choice(FEMALE_FIRST) + rng.choice(FEMALE_SECOND)


def name_forms(surname: Surname, given_hangul: str) -> dict[str, tuple[str, str]]:
    """Every written form of one name, as (family, given)."""
    rr = romanize_given(given_hangul, "rr")
    mr = romanize_given(given_hangul, "mr")
    nk = romanize_given(given_hangul, "nk")
    mr_joined = mr[0] + "-" + "".join(mr[1:]) if len(mr) > 1 else mr[0]
    return {
        "hangul_north": (surname.north, given_hangul),
        "hangul_south": (surname.south, given_hangul),
        "rr_hyphen": (surname.customary[0], "-".join(rr).capitalize()),
        "rr_joined": (surname.rr, "".join(rr).capitalize()),
        "mr": (surname.mr, mr_joined.capitalize()),
        "mr_plain": (_strip_marks(surname.mr), _strip_marks(mr_joined).capitalize()),
        "nk": (surname.nk, " ".join(part.capitalize() for part in nk)),
        "customary_spaced": (surname.customary[-1], " ".join(part.capitalize() for part in rr)),
    }


def _birth(rng: random.Random, age: int) -> tuple[str, str]:
    """(birth_date, precision): some dates are known to the year only and recorded as 1 January."""
    born = REFERENCE_DATE - dt.timedelta(days=age * 365 + rng.randrange(365))
    roll = rng.random()
    if roll < 0.68:
        return born.isoformat(), "exact"
    if roll < 0.90:
        return born.replace(month=1, day=1).isoformat(), "year"
    if roll < 0.97:
        return born.replace(day=1).isoformat(), "month"
    return "", "unknown"


def _person(rng: random.Random, *, surname: Surname, relationship: str, sex: str, age: int, transit: str,
            residence: str, household_index: int, principal: bool) -> GeneratedPerson:
    # The helpers draw from rng in this order: changing it changes every generated file after it.
    child = age < 18 and relationship in ("child", "grandchild", "principal")
    given = _given_name(rng, sex, child and age < 12)
    forms = name_forms(surname, given)
    born_in_transit = relationship in ("child", "grandchild") and age < 14 and rng.random() < 0.6
    primary_latin, primary_hangul, other_names = _names(rng, forms)
    birth_date, precision = _birth(rng, age)
    birth_country = transit if born_in_transit else "KP"
    birth_place = rng.choice(BIRTH_PLACES.get(birth_country, BIRTH_PLACES_KP))
    nationalities, kr_status = _nationalities(rng, born_in_transit=born_in_transit, transit=transit)
    languages = _languages(rng, age=age, transit=transit, born_in_transit=born_in_transit)
    vulnerabilities = _vulnerabilities(rng, sex=sex, age=age, principal=principal)
    phone, email, address = _contact(rng, forms, principal=principal, household_index=household_index,
                                     residence=residence)
    documents = _documents(rng, age=age, principal=principal, transit=transit, kr_status=kr_status,
                           born_in_transit=born_in_transit)
    row = {
        "relationship": relationship,
        "family_name": primary_latin[0],
        "given_name": primary_latin[1],
        "family_name_hangul": primary_hangul[0],
        "given_name_hangul": primary_hangul[1],
        "other_names": "; ".join(other_names),
        "sex": sex,
        "birth_date": birth_date,
        "birth_date_precision": precision,
        "birth_place": birth_place,
        "birth_country": birth_country,
        "residence_country": residence,
        "nationalities": "; ".join(nationalities),
        "languages": "; ".join(languages),
        "phone": phone,
        "email": email,
        "address": address,
        "vulnerabilities": "; ".join(vulnerabilities),
    }
    return GeneratedPerson(row=row, documents=documents)


def _names(rng: random.Random, forms: dict) -> tuple[tuple, tuple, list[str]]:
    """The primary Latin and Hangul spellings and a few other spellings of the same name."""
    primary_latin = forms[rng.choice(("nk", "nk", "rr_hyphen", "mr_plain"))]
    primary_hangul = forms["hangul_north" if rng.random() < 0.75 else "hangul_south"]
    primary_text = " ".join(primary_latin)
    others = list(dict.fromkeys(" ".join(forms[key]) for key in ("rr_hyphen", "rr_joined", "mr", "mr_plain", "nk",
                                                                 "customary_spaced")))
    others = [text for text in others if text != primary_text]
    other_names = rng.sample(others, k=min(len(others), rng.randint(1, 3)))
    other_hangul = forms["hangul_south" if primary_hangul == forms["hangul_north"] else "hangul_north"]
    if other_hangul != primary_hangul:
        other_names.append("".join(other_hangul))
    return primary_latin, primary_hangul, other_names


def _nationalities(rng: random.Random, *, born_in_transit: bool, transit: str) -> tuple[list[str], str]:
    nationalities = []
    if born_in_transit:
        nationalities = ["KP:may_acquire", f"{transit}:unknown"]
    else:
        nationalities = ["KP:citizen"]
    kr_status = rng.choices(("may_acquire", "held", "refused", "unknown"), weights=(60, 15, 5, 20))[0]
    nationalities.append(f"KR:{kr_status}")
    return nationalities, kr_status


def _languages(rng: random.Random, *, age: int, transit: str, born_in_transit: bool) -> list[str]:
    languages = ["kor:fluent", "zho:native"] if born_in_transit and transit == "CN" else ["kor:native"]
    if age >= 16 and rng.random() < 0.25:
        languages.append("eng:basic")
    if age >= 16 and transit == "CN" and not born_in_transit and rng.random() < 0.35:
        languages.append(f"zho:{rng.choice(('basic', 'fluent'))}")
    return languages


def _vulnerabilities(rng: random.Random, *, sex: str, age: int, principal: bool) -> list[str]:
    vulnerabilities = []
    if sex == "F" and age >= 16 and rng.random() < 0.18:
        vulnerabilities.append("sgbv_survivor")
    if principal and age < 18:
        vulnerabilities.append("unaccompanied_minor")
    if rng.random() < 0.10:
        vulnerabilities.append("medical_need")
    if age >= 18 and rng.random() < 0.05:
        vulnerabilities.append("torture_survivor")
    if age >= 65:
        vulnerabilities.append("elderly")
    return vulnerabilities


def _contact(rng: random.Random, forms: dict, *, principal: bool, household_index: int,
             residence: str) -> tuple[str, str, str]:
    """Phone, e-mail and address: the principal's only."""
    phone = email = address = ""
    if principal:
        number = f"{household_index % 10000:04d}"
        phone = f"{PHONE_PREFIX[residence]}{number[-2:] if residence == 'CA' else ' ' + number}"
        if rng.random() < 0.6:
            email = f"{forms['rr_joined'][0].lower()}.{forms['rr_joined'][1].lower()}{household_index}@example.org"
        address = ADDRESS[residence].format(n=rng.randint(1, 400))
    return phone, email, address


def _documents(rng: random.Random, *, age: int, principal: bool, transit: str, kr_status: str,
               born_in_transit: bool) -> list[GeneratedDocument]:
    documents = []
    if age >= 16 or principal:
        documents.append(GeneratedDocument("unhcr_registration", "", f"{transit}-{rng.randint(10, 26):02d}C-"
                                                                     f"{rng.randint(0, 999999):06d}"))
    if kr_status == "held":
        documents.append(GeneratedDocument("passport", "KR", f"M{rng.randint(10000000, 99999999)}"))
    if rng.random() < 0.15 and not born_in_transit:
        documents.append(GeneratedDocument("national_id", "KP", f"{rng.randint(100000, 999999)}-"
                                                                f"{rng.randint(1000000, 9999999)}"))
    return documents


def generate_households(*, seed: int, households: int, key_prefix: str = "HH", reference_prefix: str = "C",
                        case_kind: str = "sponsorship", sponsor_groups: tuple[str, ...] = (),
                        opened_from: dt.date = dt.date(2024, 1, 1)) -> list[GeneratedHousehold]:
    """Synthetic households, about 2.5 people each; deterministic for a given seed and arguments."""
    rng = random.Random(seed)
    width = max(5, len(str(households)))
    result = []
    for index in range(1, households + 1):
        transit = rng.choices(TRANSIT_COUNTRIES, weights=(45, 30, 10, 8, 7))[0]
        residence = "CA" if case_kind == "protection_claim" else ("KR" if rng.random() < 0.05 else transit)
        surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
        unaccompanied = rng.random() < 0.04
        kind = "minor" if unaccompanied else rng.choices(("single", "couple", "parent"), weights=(32, 45, 23))[0]
        principal_sex = "F" if kind == "parent" or rng.random() < 0.55 else "M"
        principal_age = rng.randint(15, 17) if unaccompanied else rng.randint(20, 62)
        spec = [("principal", principal_sex, principal_age, surname)]
        if kind == "couple":
            spouse_sex = "M" if principal_sex == "F" else "F"
            spouse_surname = rng.choices(SURNAMES, weights=SURNAME_WEIGHTS)[0]
            spec.append(("spouse", spouse_sex, max(20, principal_age + rng.randint(-6, 6)), spouse_surname))
        if kind in ("couple", "parent"):
            father = surname if principal_sex == "M" else (spec[1][3] if len(spec) > 1 else surname)
            for _ in range(rng.choices((0, 1, 2, 3), weights=(25, 42, 27, 6))[0] + (1 if kind == "parent" else 0)):
                spec.append(("child", rng.choice("FM"), rng.randint(0, max(0, min(25, principal_age - 18))), father))
        if rng.random() < 0.08:
            spec.append(("parent", rng.choice("FM"), principal_age + rng.randint(22, 30), surname))
        elif rng.random() < 0.05:
            spec.append(("sibling", rng.choice("FM"), max(16, principal_age + rng.randint(-8, 8)), surname))
        household = GeneratedHousehold(key=f"{key_prefix}-{index:0{width}d}", name="",
                                       case_reference=f"{reference_prefix}-{index:0{width}d}")
        for relationship, sex, age, member_surname in spec:
            household.members.append(_person(rng, surname=member_surname, relationship=relationship, sex=sex,
                                             age=age, transit=transit, residence=residence, household_index=index,
                                             principal=relationship == "principal"))
        principal_row = household.members[0].row
        household.name = f"{principal_row['family_name']} family"
        if kind == "parent" and len(household.members) > 1:
            household.members[0].row["vulnerabilities"] = "; ".join(
                filter(None, [principal_row["vulnerabilities"], "single_parent"]))
        group = rng.choice(sponsor_groups) if sponsor_groups and rng.random() < 0.85 else ""
        opened_on = opened_from + dt.timedelta(days=rng.randrange(max(1, (REFERENCE_DATE - opened_from).days)))
        for member_index, member in enumerate(household.members):
            first = member_index == 0
            member.row = {
                "household_key": household.key,
                "household_name": household.name if first else "",
                "case_reference": household.case_reference if first else "",
                "case_kind": case_kind if first else "",
                "case_opened_on": opened_on.isoformat() if first else "",
                "sponsor_group": group if first else "",
                **member.row,
            }
        result.append(household)
    return result


def generate_people_rows(*, seed: int, households: int, **options) -> list[dict[str, str]]:
    """Rows in the import template's columns (docs/import-people.md), one per person."""
    return [member.row for household in generate_households(seed=seed, households=households, **options)
            for member in household.members]


# --- protection claims ------------------------------------------------------------------------------------------
# In-land refugee protection claims for the legal clinic's households, spread across the lifecycle. Every date is
# counted back (or forward, for a hearing) from the load date, so the deadlines they start are live: some due in
# the coming weeks, some overdue, some met. Event types and legal-issue kinds are the values of
# haven.claims.models.EventType and LegalIssue.Kind (kept as strings: the generator does not import Django).

@dataclass
class GeneratedStep:
    type: str
    occurred_on: dt.date
    details: dict[str, object] = field(default_factory=dict)


@dataclass
class GeneratedIssue:
    kind: str
    notes: str
    # Statuses of the issue's evidence checklist items, in order (items beyond the list stay "needed").
    evidence: list[str] = field(default_factory=list)


@dataclass
class GeneratedClaim:
    household_key: str
    reference: str
    scenario: str
    province: str
    steps: list[GeneratedStep] = field(default_factory=list)
    issues: list[GeneratedIssue] = field(default_factory=list)


# scenario → steps as (type, days before the load date, details); a detail ending in "_ago" is a date given in
# days before the load date, one ending in "_in" a date that many days after it.
CLAIM_SCENARIOS: dict[str, tuple[tuple[str, int, dict[str, object]], ...]] = {
    # Referred ten days ago: the Basis of Claim form is due within the week.
    "referred_boc_due": (
        ("referral", 9, {"note": "Claim made at the port of entry; referred to the RPD the same day."}),
    ),
    # Referred almost a month ago and the BOC form is not recorded as filed: overdue.
    "referred_boc_overdue": (
        ("referral", 25, {"note": "Inland claim; BOC interview with the interpreter still to be booked."}),
    ),
    "hearing_scheduled": (
        ("referral", 50, {}),
        ("boc_filed", 36, {}),
        ("hearing_scheduled", 28, {"scheduled_for_in": 20}),
    ),
    "accepted": (
        ("referral", 400, {}),
        ("boc_filed", 386, {}),
        ("hearing_scheduled", 300, {"scheduled_for_ago": 200}),
        ("hearing_held", 200, {}),
        ("decision_accepted", 200, {"received_on_ago": 190}),
    ),
    # Rejected last week: the RAD notice and record deadlines run.
    "rejected_rad_running": (
        ("referral", 260, {}),
        ("boc_filed", 246, {}),
        ("hearing_scheduled", 120, {"scheduled_for_ago": 40}),
        ("hearing_held", 40, {}),
        ("decision_rejected", 12, {"received_on_ago": 5, "ground": "credibility"}),
    ),
    # Appeal filed, but the appellant's record is overdue.
    "rad_record_overdue": (
        ("referral", 300, {}),
        ("boc_filed", 286, {}),
        ("hearing_scheduled", 150, {"scheduled_for_ago": 90}),
        ("hearing_held", 90, {}),
        ("decision_rejected", 57, {"received_on_ago": 50}),
        ("rad_appeal_filed", 40, {"appellant": "claimant"}),
    ),
    "rad_perfected": (
        ("referral", 330, {}),
        ("boc_filed", 316, {}),
        ("hearing_scheduled", 190, {"scheduled_for_ago": 130}),
        ("hearing_held", 130, {}),
        ("decision_rejected", 95, {"received_on_ago": 90}),
        ("rad_appeal_filed", 80, {"appellant": "claimant"}),
        ("rad_perfected", 50, {}),
    ),
    # The Minister intervenes before the hearing on Article 1E: status in South Korea.
    "article_1e_intervention": (
        ("referral", 80, {}),
        ("boc_filed", 66, {}),
        ("hearing_scheduled", 40, {"scheduled_for_in": 30}),
        ("minister_intervention", 4, {"ground": "article_1e",
                                      "note": "Minister's notice: alleges South Korean nationality (Article 1E)."}),
    ),
    # No credible basis: no appeal to the RAD, leave to the Federal Court within 15 days.
    "no_credible_basis": (
        ("referral", 120, {}),
        ("boc_filed", 106, {}),
        ("hearing_scheduled", 60, {"scheduled_for_ago": 15}),
        ("hearing_held", 15, {}),
        ("decision_ncb", 8, {"received_on_ago": 6, "ground": "identity"}),
    ),
    # Every remedy exhausted more than a year ago; PRRA notification received, application filed, submissions due.
    "prra": (
        ("referral", 900, {}),
        ("boc_filed", 886, {}),
        ("hearing_scheduled", 760, {"scheduled_for_ago": 700}),
        ("hearing_held", 700, {}),
        ("decision_rejected", 680, {"received_on_ago": 675}),
        ("rad_appeal_filed", 665, {"appellant": "claimant"}),
        ("rad_perfected", 640, {}),
        ("rad_confirmed", 520, {"received_on_ago": 516}),
        ("fc_leave_filed", 505, {}),
        ("fc_leave_refused", 430, {}),
        ("removal_order", 425, {"order_kind": "deportation"}),
        ("prra_notification", 12, {}),
        ("prra_applied", 4, {"note": "PRRA application filed with new country evidence."}),
    ),
}
FINISHED_SCENARIOS = ("accepted",)
ROK_NOTES = (
    "The claimant says they never registered with the South Korean authorities; check the NIS interview records.",
    "A brother resettled in Seoul in 2016; the claimant spent three weeks in transit through Incheon.",
    "No South Korean documents; the claimant fears being sent to the South, where the broker's contacts live.",
)
CREDIBILITY_NOTES = (
    "Dates of the border crossing differ between the BOC and the port-of-entry notes; prepare an explanation.",
    "RPD doubted the account of detention in China; gather the medical report and a witness letter.",
)
IDENTITY_NOTES = (
    "Only a photocopy of the citizen's certificate; request the original from the relative in Yanji.",
)
EARLY = {"referred_boc_due", "referred_boc_overdue"}
BEFORE_HEARING = {"hearing_scheduled", "article_1e_intervention"}
REGION = {"ON": "T", "QC": "M", "BC": "V"}


def _weekday(day: dt.date) -> dt.date:
    """Boards and courts act on working days: a Saturday or Sunday moves back to the Friday."""
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


def _steps(rng: random.Random, scenario: str, today: dt.date) -> list[GeneratedStep]:
    shift = rng.randint(0, 2)
    steps = []
    for kind, ago, spec in CLAIM_SCENARIOS[scenario]:
        details: dict[str, object] = {}
        for name, value in spec.items():
            if name.endswith("_ago"):
                details[name.removesuffix("_ago")] = _weekday(today - dt.timedelta(days=int(value) + shift))
            elif name.endswith("_in"):
                details[name.removesuffix("_in")] = _weekday(today + dt.timedelta(days=int(value) - shift))
            else:
                details[name] = value
        steps.append(GeneratedStep(kind, _weekday(today - dt.timedelta(days=ago + shift)), details))
    return steps


def _issues(rng: random.Random, scenario: str) -> list[GeneratedIssue]:
    if scenario in EARLY:
        progress = ["requested", "needed", "needed", "needed"]
    elif scenario in BEFORE_HEARING:
        progress = ["obtained", "requested", "filed", "needed"]
    else:
        progress = ["filed", "filed", "filed", "unavailable"]
    issues = [GeneratedIssue("rok_nationality", rng.choice(ROK_NOTES), progress)]
    if scenario in ("rejected_rad_running", "rad_record_overdue", "rad_perfected", "prra", "accepted"):
        issues.append(GeneratedIssue("credibility", rng.choice(CREDIBILITY_NOTES), progress[:2]))
    if scenario in ("no_credible_basis", "referred_boc_overdue"):
        issues.append(GeneratedIssue("identity", rng.choice(IDENTITY_NOTES), progress[:3]))
    return issues


def generate_claims(*, seed: int, households: list[GeneratedHousehold], today: dt.date,
                    finished: frozenset[str] | set[str] = frozenset()) -> list[GeneratedClaim]:
    """One protection claim per household, the principal applicant claiming with the family joined.

    Households whose key is in `finished` (e.g. closed cases) get a finished claim (accepted); the others get
    the open scenarios in a seeded order, so that ten households cover every stage. Dates count from `today`
    (the load date); everything else is deterministic for a given seed."""
    rng = random.Random(seed)
    open_scenarios = [name for name in CLAIM_SCENARIOS if name not in FINISHED_SCENARIOS]
    rng.shuffle(open_scenarios)
    pending = [*open_scenarios, *FINISHED_SCENARIOS]
    numbers = rng.sample(range(1000, 99999), k=len(households))
    result = []
    for index, household in enumerate(households):
        if household.key in finished:
            scenario = FINISHED_SCENARIOS[index % len(FINISHED_SCENARIOS)]
        else:
            scenario = pending[0] if pending else open_scenarios[index % len(open_scenarios)]
        if scenario in pending:
            pending.remove(scenario)
        province = rng.choices(("ON", "QC", "BC"), weights=(6, 2, 2))[0]
        steps = _steps(rng, scenario, today)
        referred = steps[0].occurred_on
        reference = f"{REGION[province]}{'ABCD'[(referred.year - 2000) // 10 % 4]}{referred.year % 10}-" \
                    f"{numbers[index]:05d}"
        result.append(GeneratedClaim(household_key=household.key, reference=reference, scenario=scenario,
                                     province=province, steps=steps, issues=_issues(rng, scenario)))
    return result


def demo_password(username: str) -> str:
    """The documented laptop password of a demo user (only used when DEBUG is on)."""
    return f"{username}-password"
