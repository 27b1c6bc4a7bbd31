"""Korean in Latin script: Revised Romanization, McCune-Reischauer, usual surname spellings.

`romanizations(text, language)` renders Hangul (or, with a `ko` language tag, Korean Hanja read
into Hangul) the ways a Korean name is met in Latin script. `latin_key(text)` folds any of those
spellings, RR, MR or press, to one skeleton so that they meet.

Person or not. A Hangul string is read as a personal name when it is a known surname followed by
a given name: a two-syllable surname (남궁, 선우, ...) with one or two more syllables, or a
one-syllable surname with one or two more. Four syllables after a one-syllable surname are too
often an organisation (한국은행) to call a name. Everything else is a word (a place, an
organisation) and gets whole-word RR with the sound-change rules, a syllable-by-syllable RR and
RR letter for letter (§8).
Two-syllable strings are ambiguous (서울 starts with the surname 서) and get both: the word
readings first, then the name readings. Longer names keep their whole-word reading last, with
the route suffix AS_WORD, since three syllables may still be an organisation (국정원).

The surnames and their usual spellings are data: data/rules/korean_surnames.yaml.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import cache

import hanja
from korean_romanizer.romanizer import Romanizer

from entnorm_server import rule_tables
from entnorm_server.routes import HANJA, Mark, Step, romanized
from entnorm_server.scripts import scripts_in
from entnorm_server.translit import hangul_loanwords
from entnorm_server.translit.base import Romanization, distinct, icu_transform
from entnorm_server.translit.hangul import SYLLABLES, Jamo, compose, decompose, is_syllable

MAX_RENDERINGS = 24
LOANWORD_ROUTE = romanized("Hang", "loanword reading", "ko")
LOANWORD_R_ROUTE = romanized(
    "Hang", "loanword reading", "ko", variant="initial ㄹ as r", marks=(Mark.SOUNDS_GUESSED,)
)
# The variant of the whole-word readings given beside a name's.
AS_WORD = "read as a word"
_HANGUL = romanized("Hang", "RR", "ko")
_HANJA = romanized("Hani", "RR", "ko", via=HANJA)

# --- Hangul syllables (translit/hangul.py) -----------------------------------------------------

# Jamo indices used by the rules below (positions in the Unicode initial/final orders).
_L_N, _L_R, _L_M = 2, 5, 6  # initials ㄴ ㄹ ㅁ
_L_S, _L_SS = 9, 10  # initials ㅅ ㅆ
_L_ASPIRATED = {0: 15, 3: 16, 12: 14}  # ㄱ ㄷ ㅈ → ㅋ ㅌ ㅊ
_L_VOICED_IN_MR = {0: "g", 3: "d", 7: "b", 12: "j"}  # ㄱ ㄷ ㅂ ㅈ after a voiced sound
_T_N, _T_L, _T_M, _T_NG = 4, 8, 16, 21  # finals ㄴ ㄹ ㅁ ㅇ
_T_L_CLUSTERS = {8, 13, 15}  # ㄹ ㄾ ㅀ: said [l] before ㄴ
_T_H_DROPPED = {6: _T_N, 15: _T_L}  # ㄶ ㅀ without their ㅎ: ㄴ ㄹ
_T_K_CLASS = {1, 2, 3, 9, 24}  # ㄱ ㄲ ㄳ ㄺ ㅋ: said [k] before a consonant
_T_T_CLASS = {7, 19, 20, 22, 23, 25, 27}  # ㄷ ㅅ ㅆ ㅈ ㅊ ㅌ ㅎ: said [t]
_T_P_CLASS = {14, 17, 18, 26}  # ㄿ ㅂ ㅄ ㅍ: said [p]


def _jamo(letters: str) -> list[str]:
    """A romanization table written as space-separated letters in Unicode jamo order."""
    return letters.split()


_RR_INITIALS = _jamo("g kk n d tt r m b pp s ss - j jj ch k t p h")
_RR_MEDIALS = _jamo("a ae ya yae eo e yeo ye o wa wae oe yo u wo we wi yu eu ui i")
_RR_FINALS = _jamo("- k k k n n n t l k m l l l p l m p p t t ng t t k t p t")
_MR_INITIALS = _jamo("k kk n t tt r m p pp s ss - ch tch ch k t p h")
_MR_MEDIALS = _jamo("a ae ya yae o e yo ye o wa wae oe yo u wo we wi yu u ui i")
_VOICED_FINALS = {"", "n", "l", "m", "ng"}

# MR spells the surname 이 (李) "Yi" by convention, not the letter-for-letter "I".
_MR_SURNAMES = {"이": "Yi"}
# Hanja whose reading as a surname differs from the dictionary reading hanja gives (金 is 금).
_HANJA_SURNAME_READINGS = {"金": "김"}


def _letters(table: list[str], index: int) -> str:
    return "" if table[index] == "-" else table[index]


def _rr_syllable(ch: str) -> str:
    j = decompose(ch)
    initial, final = _letters(_RR_INITIALS, j.initial), _letters(_RR_FINALS, j.final)
    return initial + _RR_MEDIALS[j.medial] + final


# RR §8, letter for letter, is ICU's Hangul-Latin, less the hyphen and apostrophe it puts where
# syllables could be read two ways ("sin-wonsig"): ㄱ ㄷ ㅂ ㄹ are always g d b l, and a final is
# written as spelled.
_icu_rr_letters = icu_transform("Hangul-Latin")


def _rr_letters(token: str) -> str:
    return SYLLABLES.sub(
        lambda run: _icu_rr_letters(run[0]).replace("-", "").replace("'", ""), token
    )


def _mr_syllables(syllables: str) -> list[str]:
    """MR syllable by syllable, voicing ㄱ ㄷ ㅂ ㅈ after a vowel or n, l, m, ng inside the word."""
    out: list[str] = []
    previous_final: str | None = None  # None at the start of the word: no voicing there
    for ch in syllables:
        j = decompose(ch)
        initial = _letters(_MR_INITIALS, j.initial)
        if previous_final in _VOICED_FINALS and j.initial in _L_VOICED_IN_MR:
            initial = _L_VOICED_IN_MR[j.initial]
        final = _letters(_RR_FINALS, j.final)
        out.append(initial + _MR_MEDIALS[j.medial] + final)
        previous_final = final
    return out


# --- Surname table ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Surname:
    hangul: str
    forms: tuple[str, ...]  # every Hangul form, `hangul` first
    spellings: tuple[str, ...]


@cache
def _surnames() -> tuple[_Surname, ...]:
    return tuple(
        _Surname(hangul=row.hangul, forms=(row.hangul, *row.also), spellings=row.spellings)
        for row in rule_tables.korean_surnames()
    )


@cache
def _surname_by_hangul() -> dict[str, _Surname]:
    return {form: s for s in _surnames() for form in s.forms}


def _surname_rr(hangul: str) -> str:
    return "".join(_rr_syllable(ch) for ch in hangul).capitalize()


def _surname_mr(hangul: str) -> str:
    return _MR_SURNAMES.get(hangul) or "".join(_mr_syllables(hangul)).capitalize()


@cache
def _surname_keys() -> dict[str, str]:
    """Lowercase spelling → key of its surname class.

    Surnames that share a spelling fall into one class (union-find over spellings): "Chun" is
    전 or 천, and ASCII-folded MR "Song" is 성 (Sŏng) or 송. The class key is the RR of its first
    surname in table order, so keys read like names ("gim", "i", "bak").
    """
    parent = list(range(len(_surnames())))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, surname in enumerate(_surnames()):
        for spelling in _all_spellings(surname):
            j = owner.setdefault(spelling, i)
            parent[max(root(i), root(j))] = min(root(i), root(j))
    return {
        spelling: _surname_rr(_surnames()[root(i)].hangul).lower() for spelling, i in owner.items()
    }


def _all_spellings(surname: _Surname) -> set[str]:
    computed = {f(form) for form in surname.forms for f in (_surname_rr, _surname_mr)}
    return {s.lower() for s in (*surname.spellings, *computed)}


# --- Renderings --------------------------------------------------------------------------------


def romanizations(text: str, language: str = "") -> list[Romanization]:
    """Latin renderings of a Korean name or word, most standard first, at most MAX_RENDERINGS.

    Hangul is always Korean. Han characters are read as Korean Hanja only when `language` is a
    `ko` tag (ko, ko-Hani, ko-KR): the same characters read in Mandarin are another module's job.
    Anything else gives [].
    """
    if "Hani" in scripts_in(text):
        if language.split("-")[0].lower() != "ko":
            return []
        reading = hanja.translate(text, "substitution")
        if not all(is_syllable(ch) or ch.isspace() for ch in reading):
            return []  # a character hanja could not read
        as_name = reading
        if text[0] in _HANJA_SURNAME_READINGS:
            as_name = _HANJA_SURNAME_READINGS[text[0]] + reading[1:]
        return _hangul_renderings(reading, as_name, _HANJA)
    if any(is_syllable(ch) for ch in text):
        found = _hangul_renderings(text, text, _HANGUL)
        loanword = hangul_loanwords.reading(text)
        # Last: a word shaped like a Korean name (리야드, 라시오) may still be a foreign one.
        if loanword:
            readings = [Romanization(_capitalized(loanword), LOANWORD_ROUTE)]
            with_r = hangul_loanwords.reading(text, initial_r=True)
            if with_r != loanword:  # weighed as a guess: a first ㄹ is l as often as r
                readings.append(Romanization(_capitalized(with_r), LOANWORD_R_ROUTE))
            found = _distinct([*found, *readings])
        return found
    return []


def _capitalized(words: str) -> str:
    return " ".join(w.capitalize() for w in words.split())


def _hangul_renderings(word: str, as_name: str, source: Step) -> list[Romanization]:
    compact = "".join(as_name.split())
    person = _split_person(compact)
    if person is None:
        return _word_renderings(word, source)
    if len(compact) == 2:
        # As often a place (서울, 인천) as a name (김구): the word goes first.
        words = _word_renderings(word, source)
        return _distinct(words + _name_renderings(*person, source))
    # A name, with its whole-word reading kept last: three syllables may be an organisation
    # (국정원, 민주당). The word is read as the name is (金 as 김).
    words = _word_renderings(as_name, source, as_word=True)
    return _distinct(_name_renderings(*person, source)[: MAX_RENDERINGS - len(words)] + words)


def _split_person(compact: str) -> tuple[str, str] | None:
    """(surname, given name) when the syllables read as a Korean personal name, else None."""
    if not all(is_syllable(ch) for ch in compact):
        return None
    known = _surname_by_hangul()
    if len(compact) in (3, 4) and compact[:2] in known:
        return compact[:2], compact[2:]
    if len(compact) in (2, 3) and compact[0] in known:
        return compact[:1], compact[1:]
    return None


def _given_forms(syllables: list[str]) -> list[str]:
    """The given name hyphenated, joined and spaced: Won-sik, Wonsik, Won Sik."""
    return [
        "-".join(syllables).capitalize(),
        "".join(syllables).capitalize(),
        " ".join(s.capitalize() for s in syllables),
    ]


def _name_renderings(surname: str, given: str, source: Step) -> list[Romanization]:
    # Names are romanized syllable by syllable: no sound change across syllables (RR §3.4).
    rr_given = _given_forms([_rr_syllable(ch) for ch in given])
    mr_given = _given_forms(_mr_syllables(given))
    usual = _surname_by_hangul()[surname].spellings
    rr, mr = source, replace(source, system="MR")
    usual_spelling = "usual surname spelling"
    # RR first (the standard), then the surname as its bearers spell it, then MR.
    systems = [
        (rr, [_surname_rr(surname)], rr_given),
        (replace(rr, variant=usual_spelling), list(usual), rr_given),
        (mr, [_surname_mr(surname)], mr_given),
        (replace(mr, variant=usual_spelling), list(usual), mr_given),
    ]
    return [
        Romanization(f"{family} {name}", route)
        for route, families, forms in systems
        for family in families
        for name in forms
    ]


def _word_renderings(word: str, source: Step, *, as_word: bool = False) -> list[Romanization]:
    tokens = word.split()
    spoken = " ".join(_initial_capital(_rr_word(t)) for t in tokens)
    spelled = " ".join(_initial_capital(_rr_spelled(t)) for t in tokens)
    by_syllable = "syllable by syllable" + (f", {AS_WORD}" if as_word else "")
    found = [
        Romanization(spoken, replace(source, variant=AS_WORD if as_word else "")),
        Romanization(spelled, replace(source, variant=by_syllable)),
    ]
    if not as_word:  # a word, not a name read as one
        lettered = " ".join(_initial_capital(_rr_letters(t)) for t in tokens)
        letters = replace(source, marks=source.marks | {Mark.LETTER_FOR_LETTER})
        found.append(Romanization(lettered, letters))
    return _distinct(found)


def _initial_capital(word: str) -> str:
    return word[:1].upper() + word[1:]  # not str.capitalize: "KBS" in 한국KBS stays as written


def _rr_spelled(token: str) -> str:
    return "".join(_rr_syllable(ch) if is_syllable(ch) else ch for ch in token)


def _rr_word(token: str) -> str:
    """RR of one word as pronounced: our assimilation rules, then korean-romanizer.

    korean-romanizer does liaison, cluster simplification and ㅎ aspiration but not nasal or
    lateral assimilation, and writes ㄹㄹ as "lr"; RR always writes ㄹㄹ as "ll".
    """
    romanized: str = Romanizer(_assimilate(token)).romanize()
    return romanized.replace("lr", "ll")


def _assimilate(token: str) -> str:
    """Consonant assimilation across syllables (Standard Pronunciation §12, §18-20).

    독립문 → 동님문 (Dongnimmun), 종로 → 종노 (Jongno), 신라 → 실라 (Silla), 많지 → 만치
    (manchi). Known gap: the lexical exceptions where ㄴ+ㄹ becomes ㄴㄴ (의견란) need a
    dictionary.
    """
    chars = list(token)
    for i, ch in enumerate(chars):
        if not is_syllable(ch):
            continue
        left = decompose(ch)
        if i + 1 < len(chars) and is_syllable(chars[i + 1]):
            left, right = _assimilate_pair(left, decompose(chars[i + 1]))
            chars[i + 1] = compose(right)
        elif left.final in _T_H_DROPPED:
            # §12: before no syllable the ㅎ of ㄶ ㅀ is not said (않 [안]). korean-romanizer
            # drops it only at the end of a word and fails on ㄶ ㅀ before anything else.
            left = Jamo(left.initial, left.medial, _T_H_DROPPED[left.final])
        chars[i] = compose(left)
    return "".join(chars)


def _assimilate_pair(left: Jamo, right: Jamo) -> tuple[Jamo, Jamo]:
    final, initial = left.final, right.initial
    if final in _T_H_DROPPED:  # first: what is left of ㄶ ㅀ is a ㄴ or ㄹ like any other
        final, initial = _h_cluster(final, initial)
    if initial == _L_R and final == _T_N:
        final = _T_L  # §20: ㄴ before ㄹ is said [l] (신라 [실라])
    elif initial == _L_R and final != _T_L and final != 0:
        initial = _L_N  # §19: ㄹ after any other consonant is said [n] (종로 [종노])
    elif initial == _L_N and final in _T_L_CLUSTERS:
        initial = _L_R  # §20: ㄴ after ㄹ is said [l] (설날 [설랄])
    if initial in (_L_N, _L_M):  # before ㄴ or ㅁ, §18: stops become nasals (백마 [뱅마])
        if final in _T_K_CLASS:
            final = _T_NG
        elif final in _T_T_CLASS:
            final = _T_N
        elif final in _T_P_CLASS:
            final = _T_M
    return Jamo(left.initial, left.medial, final), Jamo(initial, right.medial, right.final)


def _h_cluster(final: int, initial: int) -> tuple[int, int]:
    """§12 for the finals ㄶ ㅀ, whose ㅎ korean-romanizer has no reading for before most
    initials: it aspirates ㄱ ㄷ ㅈ (않다 [안타]), makes ㅅ ㅆ (싫소 [실쏘]), and is not said before
    ㄴ, a vowel or any other consonant (않네 [안네], 싫어 [시러])."""
    if initial in _L_ASPIRATED:
        initial = _L_ASPIRATED[initial]
    elif initial == _L_S:
        initial = _L_SS
    return _T_H_DROPPED[final], initial


def _distinct(items: list[Romanization]) -> list[Romanization]:
    return distinct(items, MAX_RENDERINGS, fold_case=False)


# --- Latin key ---------------------------------------------------------------------------------

_APOSTROPHES = "'\u2019\u02bc\u02bb\u2018`\u00b4"
_LATIN_NAME = re.compile(r"[a-z' -]+")
# One romanized syllable in any of RR, folded MR or press spelling: (initial) vowel (final).
_SYLLABLE = r"(?:tch|ch|sh|kk|gg|tt|dd|pp|bb|ss|jj|[kgtdpbsjhnmrl])?"
_SYLLABLE += r"[yw]?(?:eui|eo|eu|ae|ai|oe|oi|ee|oo|ou|ui|[aeiou])"
_SYLLABLE += r"(?:ng|kk|[kgtdpbnmlrh])?"
_GIVEN_PART = re.compile(rf"(?:{_SYLLABLE})+")

# Folding of the given name, in order: each rule merges spellings that one of RR, MR (folded to
# ASCII) or the press uses for the same Hangul.
# Folding rules of the given name, RR, MR and press spellings to one skeleton: data.
_GIVEN_RULES = rule_tables.korean_given_names().rules


def latin_key(text: str) -> str:
    """A skeleton of a romanized Korean name, equal across RR, MR and press spellings.

    "Shin Won-sik", "Sin Wŏn-sik" and "SHIN Wonsik" all give "sin wonsig"; "Jong-un Kim" gives
    the key of "Kim Jong-un". The surname is looked up in the surname table; the given name is
    folded by data/rules/korean_given_names.yaml. Returns "" when the text cannot be a romanized
    Korean name: other characters than Latin letters, spaces, hyphens and apostrophes, no known
    surname first or last, or a given name that is not a run of romanized syllables. Keys are
    only meant to be compared with other keys from this function.
    """
    tokens = _latin_tokens(text)
    if tokens is None or len(tokens) < 2:
        return ""
    split = _split_latin(tokens)
    if split is None:
        return ""
    surname_key, given_tokens = split
    parts = [p for token in given_tokens for p in token.split("-") if p]
    if not parts or not all(_GIVEN_PART.fullmatch(p) for p in parts):
        return ""
    return f"{surname_key} {_fold_given(''.join(parts))}"


def _latin_tokens(text: str) -> list[str] | None:
    stripped = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    folded = "".join("'" if ch in _APOSTROPHES else ch for ch in stripped).casefold()
    folded = " ".join(folded.split())
    if not _LATIN_NAME.fullmatch(folded):
        return None
    return [t for t in folded.replace("'", "").split() if t.strip("-")]


def _split_latin(tokens: list[str]) -> tuple[str, list[str]] | None:
    """(surname key, given-name tokens): surname first, else surname last ("Jong-un Kim")."""
    keys = _surname_keys()
    if len(tokens) >= 3 and "-" not in tokens[0] + tokens[1]:
        two = keys.get(tokens[0] + tokens[1])  # "Nam Goong Min": a two-syllable surname, spaced
        if two is not None and two in _two_syllable_keys():
            return two, tokens[2:]
    # A hyphenated token is a given name ("Jong-un"), never a surname.
    if "-" not in tokens[0] and tokens[0] in keys:
        return keys[tokens[0]], tokens[1:]
    if "-" not in tokens[-1] and tokens[-1] in keys:
        return keys[tokens[-1]], tokens[:-1]
    return None


@cache
def _two_syllable_keys() -> frozenset[str]:
    return frozenset(_surname_rr(s.hangul).lower() for s in _surnames() if len(s.hangul) == 2)


def _fold_given(given: str) -> str:
    for rule in _GIVEN_RULES:
        pattern, replacement = rule.match, rule.replacement
        given = pattern.sub(replacement, given)
    return given
