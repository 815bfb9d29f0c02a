"""Hangul ⇄ Latin for Korean personal names, one syllable at a time.

Forward: Revised Romanization (RR), McCune-Reischauer (MR, with or without its
breves and apostrophes) and the North Korean official system (DPRK), applied
per syllable with only the voicing rule MR and DPRK write inside a name
(Kim Chŏng-ŭn, Pak Tong Gu), never the cross-syllable sound changes that a
whole-word romanizer applies (윤석열 must not become "yunseogyeol").

Backward: no package converts a romanized name back to Hangul, so this module
builds its own table from every way each syllable is written (RR, MR with and
without marks, voiced and unvoiced, DPRK, and the conventional spellings that
passports and Western forms use: Lee, Park, Choi, Young, Sung, Shin, Myung,
Chul, Hee, Yoo) and segments a name into syllables against it.

The decomposition itself is arithmetic on the code point
(lead = (c − 0xAC00) // 588, vowel = (c − 0xAC00) % 588 // 28, tail = % 28);
the `jamo` package does the same, and is not needed for that alone.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from itertools import product

SBASE, SCOUNT, NCOUNT, TCOUNT = 0xAC00, 11172, 588, 28

LEADS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
TAILS = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ", "ㅁ", "ㅂ",
         "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]

RR_LEAD = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
MR_LEAD = ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch'", "k'", "t'", "p'", "h"]
DPRK_LEAD = ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "kh", "th", "ph", "h"]
# Plain stops ㄱ ㄷ ㅂ ㅈ are voiced inside a name after a vowel or n, m, ng, l (MR and DPRK write the sound).
VOICED = {0: "g", 3: "d", 7: "b", 12: "j"}

RR_VOWEL = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
            "yu", "eu", "ui", "i"]
MR_VOWEL = ["a", "ae", "ya", "yae", "ŏ", "e", "yŏ", "ye", "o", "wa", "wae", "oe", "yo", "u", "wŏ", "we", "wi",
            "yu", "ŭ", "ŭi", "i"]
DPRK_VOWEL = ["a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
              "yu", "u", "ui", "i"]

RR_TAIL = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
           "ng", "t", "t", "k", "t", "p", "t"]
MR_TAIL = RR_TAIL
DPRK_TAIL = RR_TAIL

SYSTEMS = ("rr", "mr", "mr_plain", "dprk")

# Extra spellings seen on passports and Western forms, per jamo (used only for the reverse table).
CONVENTIONAL_VOWEL = {
    "ㅓ": ["u", "o", "eo", "ou"], "ㅕ": ["yu", "you", "yo", "yeo"], "ㅡ": ["u", "eu", "oo"], "ㅜ": ["oo", "u", "ou"],
    "ㅣ": ["ee", "i"], "ㅢ": ["ee", "i", "eui", "ui"], "ㅚ": ["oi", "oe", "we"], "ㅗ": ["o"],
    "ㅝ": ["wo", "weo", "wu"], "ㅐ": ["ae", "ay", "e"], "ㅔ": ["e", "ae"], "ㅠ": ["yu", "yoo", "you"],
    "ㅛ": ["yo"], "ㅏ": ["a"],
}
CONVENTIONAL_LEAD = {
    "ㄱ": ["g", "k"], "ㄷ": ["d", "t"], "ㅂ": ["b", "p"], "ㅈ": ["j", "ch"], "ㅊ": ["ch", "chh"],
    "ㅋ": ["k", "kh"], "ㅌ": ["t", "th"], "ㅍ": ["p", "ph"], "ㄹ": ["r", "l", "rh"], "ㅅ": ["s", "sh"],
    "ㄴ": ["n"], "ㅁ": ["m"], "ㅎ": ["h"], "ㅇ": [""], "ㄲ": ["kk", "gg", "k"], "ㄸ": ["tt", "dd"],
    "ㅃ": ["pp", "bb"], "ㅆ": ["ss", "s"], "ㅉ": ["jj", "tch", "ch"],
}
CONVENTIONAL_TAIL = {"ㄹ": ["l", "r"], "ㄱ": ["k", "g", "rk"], "ㅂ": ["p", "b"], "ㅅ": ["t", "s"]}


def is_hangul_syllable(ch: str) -> bool:
    return len(ch) == 1 and SBASE <= ord(ch) < SBASE + SCOUNT


def is_hangul(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(is_hangul_syllable(ch) for ch in letters)


def decompose(syllable: str) -> tuple[int, int, int]:
    """(lead, vowel, tail) indices of one Hangul syllable."""
    code = ord(syllable) - SBASE
    if not 0 <= code < SCOUNT:
        raise ValueError(f"not a Hangul syllable: {syllable!r}")
    return code // NCOUNT, code % NCOUNT // TCOUNT, code % TCOUNT


def compose(lead: int, vowel: int, tail: int = 0) -> str:
    return chr(SBASE + lead * NCOUNT + vowel * TCOUNT + tail)


def syllables(text: str) -> list[str]:
    return [ch for ch in unicodedata.normalize("NFC", text or "") if is_hangul_syllable(ch)]


# Initial-sound law (두음법칙): the South writes these at the start of a name, the North does not.
_Y_OR_I_VOWELS = {VOWELS.index(v) for v in "ㅑㅒㅕㅖㅛㅠㅣ"}
_L, _N, _NULL = LEADS.index("ㄹ"), LEADS.index("ㄴ"), LEADS.index("ㅇ")


def southern_initial(syllable: str) -> str:
    """리→이, 류→유, 림→임, 량→양, 룡→용, 녀→여 (ㄹ/ㄴ before i/y drops); 로→노, 라→나 (ㄹ→ㄴ)."""
    if not is_hangul_syllable(syllable):
        return syllable
    lead, vowel, tail = decompose(syllable)
    if lead in (_L, _N) and vowel in _Y_OR_I_VOWELS:
        return compose(_NULL, vowel, tail)
    if lead == _L:
        return compose(_N, vowel, tail)
    return syllable


def southern_form(hangul: str) -> str:
    """The name part as the South writes it: initial-sound law on its first syllable."""
    sy = syllables(hangul)
    if not sy:
        return ""
    return southern_initial(sy[0]) + "".join(sy[1:])


def northern_variants(syllable: str) -> set[str]:
    """Every syllable that becomes `syllable` under the initial-sound law (이 → {이, 리, 니})."""
    lead, vowel, tail = decompose(syllable)
    out = {syllable}
    if lead == _NULL and vowel in _Y_OR_I_VOWELS:
        out |= {compose(_L, vowel, tail), compose(_N, vowel, tail)}
    if lead == _N and vowel not in _Y_OR_I_VOWELS:
        out.add(compose(_L, vowel, tail))
    return out


def _tables(system: str) -> tuple[list[str], list[str], list[str]]:
    if system == "rr":
        return RR_LEAD, RR_VOWEL, RR_TAIL
    if system in ("mr", "mr_plain"):
        return MR_LEAD, MR_VOWEL, MR_TAIL
    if system == "dprk":
        return DPRK_LEAD, DPRK_VOWEL, DPRK_TAIL
    raise ValueError(f"unknown romanization system {system!r}")


def strip_marks(text: str) -> str:
    """Myŏngch'ŏl → Myongchol: no breves, no apostrophes."""
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", kept).replace("'", "").replace("’", "").replace("ʼ", "").replace("‘", "")


def romanize_syllable(syllable: str, system: str = "rr", *, voiced: bool = False, first: bool = True) -> str:
    lead_t, vowel_t, tail_t = _tables(system)
    lead, vowel, tail = decompose(syllable)
    onset = lead_t[lead]
    if first and lead == _L and system == "rr":
        onset = "r"
    if voiced and system != "rr" and lead in VOICED:
        onset = VOICED[lead]
    text = onset + vowel_t[vowel] + tail_t[tail]
    return strip_marks(text) if system == "mr_plain" else text


def romanize(hangul: str, system: str = "rr", *, separator: str = "-") -> str:
    """One name part, syllable by syllable (명철 → myeong-cheol / myŏng-ch'ŏl / myong-chol)."""
    out: list[str] = []
    prev_tail_voiced = False
    for i, syl in enumerate(syllables(hangul)):
        out.append(romanize_syllable(syl, system, voiced=i > 0 and prev_tail_voiced, first=i == 0))
        _, _, tail = decompose(syl)
        prev_tail_voiced = TAILS[tail] in ("", "ㄴ", "ㅁ", "ㅇ", "ㄹ")
    if not out:
        return ""
    if separator == "-":
        return out[0] + ("-" + "".join(out[1:]) if len(out) > 1 else "")
    return separator.join(out)


def romanize_name(family: str, given: str, system: str = "rr") -> tuple[str, str]:
    """Family and given name written the way each system prints them (DPRK spaces the syllables)."""
    fam = "".join(romanize_syllable(s, system) for s in syllables(family)).capitalize()
    if system == "dprk":
        giv = romanize(given, system, separator=" ").title()
    else:
        giv = romanize(given, system)
        giv = giv[:1].upper() + giv[1:]
    return fam, giv


# --- Latin → Hangul -------------------------------------------------------------------------------------------


def latin_letters(text: str) -> str:
    """Lower case ASCII letters only: diacritics, apostrophes, hyphens and spaces removed."""
    return "".join(ch for ch in strip_marks(text).lower() if "a" <= ch <= "z")


def _syllable_spellings(syllable: str) -> set[str]:
    lead, vowel, tail = decompose(syllable)
    spellings = set()
    for system in SYSTEMS:
        for voiced in (False, True):
            spellings.add(latin_letters(romanize_syllable(syllable, system, voiced=voiced)))
    leads = CONVENTIONAL_LEAD.get(LEADS[lead], [RR_LEAD[lead]])
    vowels = CONVENTIONAL_VOWEL.get(VOWELS[vowel], []) + [RR_VOWEL[vowel], latin_letters(MR_VOWEL[vowel])]
    tails = CONVENTIONAL_TAIL.get(TAILS[tail], []) + [RR_TAIL[tail]]
    for onset, nucleus, coda in product(leads, vowels, tails):
        if onset == "sh" and not nucleus.startswith(("i", "y", "w", "e")):
            continue
        spellings.add(onset + nucleus + coda)
    if VOWELS[vowel] in "ㅗㅏㅛ":  # Roh, Oh, Ahn, Hahn: a silent h after the vowel
        spellings |= {onset + nucleus + "h" + coda for onset, nucleus, coda in product(leads, vowels, tails)}
    if LEADS[lead] == "ㅇ" and VOWELS[vowel] == "ㅣ":
        spellings |= {"yi" + coda for coda in tails}  # Yi, Yim
    spellings.discard("")
    return spellings


@lru_cache(maxsize=1)
def reverse_table() -> dict[str, frozenset[str]]:
    """Latin spelling of one syllable → every Hangul syllable it can stand for."""
    table: dict[str, set[str]] = {}
    for code in range(SCOUNT):
        syl = chr(SBASE + code)
        _, _, tail = decompose(syl)
        if TAILS[tail] not in ("", "ㄱ", "ㄴ", "ㄹ", "ㅁ", "ㅂ", "ㅇ", "ㅅ"):
            continue  # double and rare finals do not occur in names
        for spelling in _syllable_spellings(syl):
            table.setdefault(spelling, set()).add(syl)
    return {key: frozenset(value) for key, value in table.items()}


MAX_SYLLABLE_LETTERS = 7


def segmentations(letters: str, *, max_syllables: int = 4, limit: int = 64) -> list[list[str]]:
    """Ways to cut a joined romanized name into syllable spellings found in the table."""
    table = reverse_table()
    results: list[list[str]] = []

    def walk(pos: int, acc: list[str]) -> None:
        if len(results) >= limit:
            return
        if pos == len(letters):
            results.append(list(acc))
            return
        if len(acc) >= max_syllables:
            return
        for end in range(min(len(letters), pos + MAX_SYLLABLE_LETTERS), pos, -1):
            piece = letters[pos:end]
            if piece in table:
                acc.append(piece)
                walk(end, acc)
                acc.pop()

    walk(0, [])
    return results


def hangul_candidates(latin: str, *, max_syllables: int = 4) -> list[list[frozenset[str]]]:
    """For each way of reading a romanized name part, the candidate Hangul syllables per position.

    Spaces and hyphens are taken as syllable boundaries when present (Myong-chol, Tong Gu); a joined
    form (Myongchol, Minseo) is segmented against the table.
    """
    table = reverse_table()
    cleaned = strip_marks(latin or "").lower().replace("-", " ")
    pieces = [latin_letters(piece) for piece in cleaned.split()]
    pieces = [piece for piece in pieces if piece]
    if not pieces:
        return []
    per_piece: list[list[list[str]]] = [segmentations(piece, max_syllables=max_syllables) for piece in pieces]
    if any(not options for options in per_piece):
        return []
    readings: list[list[frozenset[str]]] = []
    for combo in product(*per_piece):
        spelling = [syl for part in combo for syl in part]
        if len(spelling) <= max_syllables:
            readings.append([table[s] for s in spelling])
        if len(readings) >= 64:
            break
    return readings


def could_be(latin: str, hangul: str, *, initial_law: bool = True) -> bool:
    """Can this romanized name part be a writing of this Hangul? (Ri ↔ 이, Myong-chol ↔ 명철.)"""
    target = syllables(hangul)
    if not target:
        return False
    for reading in hangul_candidates(latin, max_syllables=max(4, len(target))):
        if len(reading) != len(target):
            continue
        ok = True
        for i, (options, syl) in enumerate(zip(reading, target)):
            accepted = {southern_initial(o) for o in options} if (initial_law and i == 0) else options
            wanted = southern_initial(syl) if (initial_law and i == 0) else syl
            if wanted not in accepted:
                ok = False
                break
        if ok:
            return True
    return False
