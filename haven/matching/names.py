"""Name keys for matching Korean personal names written in any script or system.

Three kinds of key, from strict to loose:

* the Hangul form, in its southern spelling (initial-sound law applied to the first syllable of each part, so
  리명철 and 이명철 are one key);
* the surname class: the canonical Hangul surname for every known spelling (Lee, Yi, Rhee, Ri, I, Li → 이);
* the phonetic skeleton: a string of sound classes that RR, MR (marks or not), the DPRK system and conventional
  spellings all reduce to. It merges b/p, g/k, d/t, j/ch, the aspirates (k', kh), l/r, folds ŏ/eo/o/u/ŭ/eu/oo
  into one vowel, ae/e into another, oe/oi/we/wae into one, ee/ui into i, drops the initial ㄹ/ㄴ before i/y
  (Ri → I, Ryu → Yu) and turns the other initial l/r into n (Ro → No), drops the silent r of Park and the final
  h of Roh. Given names are joined before the skeleton is taken, so Myong-chol, Myong Chol and Myongchol agree.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from haven.matching.romanize import (
    is_hangul,
    latin_letters,
    romanize_syllable,
    segmentations,
    southern_form,
    strip_marks,
    syllables,
)

# Surname variant classes: canonical (southern) Hangul → Latin spellings met on documents and forms.
SURNAME_SPELLINGS: dict[str, tuple[str, ...]] = {
    "김": ("kim", "gim", "ghim", "kimm"),
    "이": ("lee", "yi", "rhee", "ri", "i", "li", "rhie", "rie", "ree", "ye", "yee", "leigh"),
    "박": ("park", "pak", "bak", "bark", "parck", "paik"),
    "최": ("choi", "choe", "chwe", "choy", "chey"),
    "정": ("jung", "jeong", "chung", "chong", "jong", "cheong", "joung", "jeung"),
    "강": ("kang", "gang", "khang"),
    "조": ("cho", "jo", "joe", "zo", "chough"),
    "윤": ("yoon", "yun", "youn", "yune"),
    "장": ("jang", "chang", "zang"),
    "임": ("lim", "rim", "im", "yim", "leem", "rhim", "lym"),
    "한": ("han", "hahn"),
    "오": ("oh", "o", "oe"),
    "서": ("seo", "suh", "so", "sŏ", "seu", "sur"),
    "신": ("shin", "sin", "sheen", "shinn"),
    "권": ("kwon", "gwon", "kweon", "kwun", "kwan"),
    "황": ("hwang", "whang", "hoang"),
    "안": ("ahn", "an", "ann"),
    "송": ("song", "soung"),
    "유": ("yu", "yoo", "you", "ryu", "lyu", "ryoo", "rhyu", "yiu", "liu"),
    "전": ("jeon", "jun", "chun", "chon", "jon", "cheon"),
    "홍": ("hong",),
    "고": ("ko", "go", "koh"),
    "문": ("moon", "mun", "mune"),
    "양": ("yang", "ryang", "lyang", "liang"),
    "손": ("son", "sohn", "shon"),
    "배": ("bae", "pae", "bai", "pai"),
    "백": ("baek", "paek", "baik", "paik", "back", "pack"),
    "허": ("heo", "hur", "huh", "ho", "hŏ"),
    "남": ("nam",),
    "심": ("shim", "sim"),
    "노": ("noh", "roh", "ro", "no", "nho", "rho"),
    "하": ("ha",),
    "곽": ("kwak", "gwak"),
    "성": ("sung", "seong", "song", "sŏng"),
    "차": ("cha", "ch'a"),
    "주": ("joo", "ju", "chu", "choo", "jou"),
    "우": ("woo", "u", "wu"),
    "구": ("koo", "ku", "gu", "goo"),
    "나": ("na", "ra", "rha", "nah"),
    "민": ("min",),
    "진": ("jin", "chin"),
    "지": ("ji", "chi", "jee"),
    "엄": ("eom", "um", "uhm", "ŏm", "om"),
    "원": ("won", "weon", "wŏn"),
    "천": ("cheon", "chun", "ch'ŏn", "chon"),
    "방": ("bang", "pang"),
    "공": ("kong", "gong"),
    "현": ("hyun", "hyeon", "hyŏn", "hyon"),
    "함": ("ham",),
    "변": ("byun", "byeon", "pyŏn", "pyon", "byon"),
    "염": ("yeom", "yum", "yŏm", "yom", "ryom", "ryeom"),
    "여": ("yeo", "yŏ", "yo", "yuh", "ryo", "ryeo"),
    "추": ("choo", "chu", "ch'u"),
    "도": ("do", "doh", "to"),
    "소": ("so", "soh"),
    "석": ("seok", "suk", "sŏk", "sok"),
    "선": ("sun", "seon", "sŏn", "son"),
    "설": ("seol", "sul", "sŏl", "sol"),
    "마": ("ma",),
    "길": ("gil", "kil"),
    "연": ("yeon", "yun", "yŏn", "yon", "ryon", "ryeon"),
    "위": ("wi", "wee"),
    "표": ("pyo", "p'yo"),
    "명": ("myung", "myeong", "myŏng", "myong"),
    "기": ("ki", "gi"),
    "반": ("ban", "pan"),
    "왕": ("wang",),
    "금": ("keum", "kum", "kŭm", "geum"),
    "옥": ("ok",),
    "육": ("yuk", "yook", "ryuk"),
    "인": ("in",),
    "맹": ("maeng",),
    "제": ("je", "che"),
    "모": ("mo",),
    "탁": ("tak", "t'ak"),
    "국": ("kook", "kuk", "guk"),
    "봉": ("bong", "pong"),
    "용": ("yong", "ryong", "lyong"),
    "계": ("kye", "gye"),
    "태": ("tae", "t'ae"),
    "방": ("bang", "pang"),
    "편": ("pyun", "pyeon", "p'yŏn"),
    "룡": (),
}
SURNAME_SPELLINGS.pop("룡")  # 룡 is written 용 in the South: the initial-sound law folds it into 용 above.

LATIN_TO_SURNAMES: dict[str, set[str]] = {}
for _hangul, _spellings in SURNAME_SPELLINGS.items():
    for _spelling in _spellings:
        LATIN_TO_SURNAMES.setdefault(latin_letters(_spelling), set()).add(_hangul)

# Double-letter tokens first; single letters after. Vowel groups fold to A, E, O, I, W(E); consonants to classes.
_TOKENS: list[tuple[str, str]] = [
    ("tch", "C"), ("eui", "I"), ("wae", "WE"), ("weo", "WO"),
    ("ch", "C"), ("sh", "S"), ("rh", "L"), ("kh", "K"), ("th", "T"), ("ph", "P"), ("jj", "C"),
    ("eo", "O"), ("eu", "O"), ("oo", "O"), ("ou", "O"), ("ee", "I"), ("ui", "I"), ("yi", "I"),
    ("ae", "E"), ("oe", "WE"), ("oi", "WE"), ("we", "WE"), ("ay", "E"),
    ("a", "A"), ("e", "E"), ("i", "I"), ("o", "O"), ("u", "O"), ("w", "W"), ("y", "Y"),
    ("g", "K"), ("k", "K"), ("q", "K"), ("c", "K"), ("x", "K"), ("d", "T"), ("t", "T"), ("b", "P"), ("p", "P"),
    ("f", "P"), ("v", "P"), ("j", "C"), ("z", "C"), ("s", "S"), ("h", "H"), ("l", "L"), ("r", "R"), ("m", "M"),
    ("n", "N"),
]
_VOWEL_SYMBOLS = {"A", "E", "I", "O"}


_TOKEN_RE = re.compile("|".join(re.escape(token) for token, _ in _TOKENS))
_TOKEN_SYMBOLS = dict(_TOKENS)


def _tokenize(letters: str) -> list[str]:
    out: list[str] = []
    for token in _TOKEN_RE.findall(letters):
        out.extend(_TOKEN_SYMBOLS[token])
    return out


def _is_vowel(symbol: str | None) -> bool:
    return symbol in _VOWEL_SYMBOLS


@lru_cache(maxsize=200_000)
def skeleton(text: str, law: bool = True) -> str:
    """Phonetic skeleton of one name part (Latin in any system, or Hangul). `law=False` for syllables inside
    a given name, where the initial-sound law does not apply."""
    if not text:
        return ""
    if is_hangul(text):
        text = "".join(romanize_syllable(s, "rr", first=i == 0) for i, s in enumerate(syllables(text)))
    symbols = _tokenize(latin_letters(text))
    cleaned: list[str] = []
    for i, sym in enumerate(symbols):
        nxt = symbols[i + 1] if i + 1 < len(symbols) else None
        prev = cleaned[-1] if cleaned else None
        if sym == "R":
            # Silent r of Park / Hur after a vowel and before a consonant or the end; otherwise r = l.
            if _is_vowel(prev) and not _is_vowel(nxt) and nxt not in ("Y", "W"):
                continue
            sym = "L"
        if sym == "H" and (not (_is_vowel(nxt) or nxt in ("Y", "W")) or prev in ("K", "T", "P", "C", "S")):
            continue  # final h of Roh, Ahn; aspiration mark of kh, th, ph
        if sym == "Y" and nxt == "I":
            continue
        if prev == sym:
            continue  # kk, ss, nn, ll collapse
        cleaned.append(sym)
    # Initial-sound law on the first sound.
    if not law:
        return "".join(cleaned)
    if len(cleaned) >= 2 and cleaned[0] in ("L", "N") and cleaned[1] in ("I", "Y"):
        cleaned = cleaned[1:]
    elif cleaned and cleaned[0] == "L":
        cleaned[0] = "N"
    return "".join(cleaned)


def surname_classes(family: str) -> frozenset[str]:
    """Canonical Hangul surnames this family name can stand for (empty if unknown)."""
    if not family:
        return frozenset()
    if is_hangul(family):
        return frozenset({southern_form(family)})
    return frozenset(LATIN_TO_SURNAMES.get(latin_letters(family), set()))


@lru_cache(maxsize=100_000)
def surname_key(family: str) -> str:
    """One key per surname class: the canonical Hangul when the spelling is known and unambiguous, else the
    skeleton. 성 (Sung) and 송 (Song) share the spelling "song"; both fall back to the skeleton there."""
    classes = surname_classes(family)
    if len(classes) == 1:
        return next(iter(classes))
    return "~" + skeleton(family) if family else ""


@dataclass(frozen=True)
class NameKeys:
    family_hangul: str  # southern form, '' if no Hangul
    given_hangul: str
    family_class: str  # canonical Hangul surname, or ~skeleton
    family_skel: str
    given_skel: str
    # Skeleton of the whole name, order-free (family+given sorted) for swapped and joined forms.
    full_skel: str


@lru_cache(maxsize=100_000)
def _south(text: str) -> str:
    return southern_form(text)


@lru_cache(maxsize=200_000)
def _part(text: str) -> tuple[str, str]:
    """(southern Hangul or '', source for the skeleton) of one name field."""
    text = (text or "").strip()
    if text and is_hangul(text):
        hangul = southern_form(text)
        return hangul, hangul
    return "", text


def name_keys(family_name: str = "", given_name: str = "", family_name_hangul: str = "",
              given_name_hangul: str = "") -> NameKeys:
    family_name, given_name = (family_name or "").strip(), (given_name or "").strip()
    fam_h = _south(family_name_hangul) if family_name_hangul else ""
    giv_h = _south(given_name_hangul) if given_name_hangul else ""
    # A Latin field that holds Hangul (common on imports) counts as Hangul.
    if not fam_h and family_name:
        fam_h = _part(family_name)[0]
    if not giv_h and given_name:
        giv_h = _part(given_name)[0]
    fam_src = fam_h or family_name
    giv_src = giv_h or given_name
    family_class = surname_key(fam_src)
    family_skel = skeleton(fam_src)
    given_skel = skeleton(giv_src)
    full = "".join(sorted(part for part in (family_skel, given_skel) if part))
    return NameKeys(fam_h, giv_h, family_class, family_skel, given_skel, full)


def split_full_name(text: str) -> tuple[str, str]:
    """'Ri Myong Chol' → ('Ri', 'Myong Chol'); 'MYONG-CHOL RI' stays family-first (use swapped comparison)."""
    parts = strip_marks(text or "").replace(",", " ").split()
    if not parts:
        return "", ""
    if len(parts) == 1 and is_hangul(parts[0]) and len(syllables(parts[0])) >= 2:
        sy = syllables(parts[0])
        return sy[0], "".join(sy[1:])
    return parts[0], " ".join(parts[1:])


@lru_cache(maxsize=200_000)
def given_syllable_skeletons(given: str) -> tuple[str, str] | None:
    """Skeletons of the first syllable and of the rest of a given name, when the cut is certain: Hangul, or
    Latin with a hyphen or space (Myong-chol, Tong Gu), or a joined form that only one two-syllable reading
    fits. Siblings and twins share one syllable and differ in the other; this lets the model see that."""
    given = (given or "").strip()
    if not given:
        return None
    if is_hangul(given):
        sy = syllables(given)
        if len(sy) < 2:
            return None
        return skeleton(sy[0]), skeleton_plain("".join(sy[1:]))
    parts = [p for p in strip_marks(given).replace("-", " ").split() if latin_letters(p)]
    if len(parts) >= 2:
        return skeleton(parts[0]), skeleton_plain("".join(parts[1:]))
    letters = latin_letters(given)
    cuts = {(skeleton(s[0]), skeleton_plain(s[1])) for s in segmentations(letters, max_syllables=2)
            if len(s) == 2}
    return next(iter(cuts)) if len(cuts) == 1 else None


def skeleton_plain(text: str) -> str:
    """Skeleton without the initial-sound law (for syllables inside a given name)."""
    if is_hangul(text):
        text = "".join(romanize_syllable(s, "rr", first=False) for s in syllables(text))
    return skeleton(text, law=False)
