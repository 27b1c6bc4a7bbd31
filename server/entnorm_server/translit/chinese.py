"""Romanizations of Han-script names by their Mandarin reading (pypinyin, toneless).

A short name (2-4 characters) is read as a personal name, surname first: "Xi Jinping", and the
forms older and Taiwanese texts print ("Xi Jin-ping", Wade-Giles "Hsi Chin-p'ing"). Any name is
also read as words, as pypinyin segments them ("Wukelan", "Lianheguo Anquanlishihui"). A Korean
Hanja name (language "ko-Hani") gets the same Mandarin reading, which is how Chinese sources
print Korean names ("Shen Yuanshi" for 申源湜).
"""

from __future__ import annotations

import re
from dataclasses import replace

from pypinyin import Style, lazy_pinyin
from pypinyin.core import Pinyin
from pypinyin.style import convert

from entnorm_server.routes import MANDARIN, WADE_GILES, Step, romanized
from entnorm_server.scripts import script_of
from entnorm_server.translit.base import Romanization, distinct

# Characters that read differently as a surname than in running text. pypinyin 0.55 has no
# surname mode (its heteronyms list the readings but not which one a surname takes), so the
# well-known cases are listed here, from the standard surname readings (百家姓).
_SURNAME_READINGS: dict[str, str] = {
    "单": "shan",
    "單": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "區": "ou",
    "朴": "piao",  # the Korean surname Park in Chinese texts
    "查": "zha",
    "盖": "ge",
    "蓋": "ge",
    "乐": "yue",
    "樂": "yue",
    "缪": "miao",
    "繆": "miao",
    "覃": "qin",
    "任": "ren",
    "秘": "bi",
    "召": "shao",
    "种": "chong",
    "種": "chong",
    "折": "she",
    "员": "yun",
    "員": "yun",
    "句": "gou",
    "翟": "zhai",
    "宓": "mi",
    "贲": "ben",
    "賁": "ben",
    "隗": "wei",
    "沈": "shen",
    "长孙": "zhang sun",
    "長孫": "zhang sun",
    "尉迟": "yu chi",
    "尉遲": "yu chi",
    "万俟": "mo qi",
    "萬俟": "mo qi",
}

# Two-character surnames, so 欧阳修 is Ouyang Xiu and not Ou Yangxiu.
_COMPOUND_SURNAMES = frozenset(
    {
        "欧阳",
        "歐陽",
        "司马",
        "司馬",
        "诸葛",
        "諸葛",
        "上官",
        "东方",
        "東方",
        "夏侯",
        "皇甫",
        "公孙",
        "公孫",
        "慕容",
        "令狐",
        "司徒",
        "宇文",
        "长孙",
        "長孫",
        "尉迟",
        "尉遲",
        "万俟",
        "萬俟",
        "轩辕",
        "軒轅",
        "端木",
        "西门",
        "西門",
        "独孤",
        "獨孤",
        "南宫",
        "南宮",
        "百里",
        "呼延",
        "澹台",
        "澹臺",
        "公冶",
        "太史",
        "申屠",
        "闻人",
        "聞人",
        "鲜于",
        "鮮于",
        "钟离",
        "鍾離",
    }
)

# Middle dots and the like separate the words of foreign names written in Han (弗拉基米尔·普京).
_SEPARATORS = re.compile(r"[\s·・•‧･\-‐－]+")

_PINYIN = Pinyin()


def _is_han(ch: str) -> bool:
    return script_of(ch) == "Hani"


def han_parts(text: str) -> list[str]:
    """The Han words of text split at separators, or [] if any letter is not Han."""
    parts = [p for p in _SEPARATORS.split(text.strip()) if p]
    if not parts or not all(_is_han(ch) for part in parts for ch in part if ch.isalpha()):
        return []
    if not any(_is_han(ch) for part in parts for ch in part):
        return []
    return parts


def _syllables(text: str) -> list[str]:
    return [s for s in lazy_pinyin(text, style=Style.NORMAL, v_to_u=True, errors="ignore") if s]


def _wade_giles(syllable: str) -> str:
    # pypinyin writes ü as v in Wade-Giles too ("yvan"); Wade-Giles itself writes ü.
    return convert(syllable.replace("ü", "v"), Style.WADEGILES, strict=True).replace("v", "ü")


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _split_name(name: str) -> tuple[list[str], list[str]]:
    """(surname syllables, given-name syllables) of a personal name, the surname read as one."""
    cut = 2 if len(name) > 2 and name[:2] in _COMPOUND_SURNAMES else 1
    surname = name[:cut]
    listed = _SURNAME_READINGS.get(surname)
    if listed is not None:
        surname_syllables = listed.split()
    else:
        surname_syllables = [_SURNAME_READINGS.get(ch) or "".join(_syllables(ch)) for ch in surname]
    # The given name is read in the context of the whole name, so phrase readings still apply.
    return surname_syllables, _syllables(name)[cut:]


def _name_forms(name: str, route: Step) -> list[Romanization]:
    surname_syllables, given = _split_name(name)
    if not given:
        return []
    surname = _cap("".join(surname_syllables))
    joined = _cap("".join(given))
    wade_giles = " ".join(
        [
            _cap("".join(_wade_giles(s) for s in surname_syllables)),
            _cap("-".join(_wade_giles(s) for s in given)),
        ]
    )
    return [
        Romanization(f"{surname} {joined}", route),
        Romanization(
            f"{surname} {' '.join(map(_cap, given))}", replace(route, variant="syllables")
        ),
        Romanization(f"{surname} {_cap('-'.join(given))}", replace(route, variant="hyphenated")),
        Romanization(wade_giles, replace(route, system=WADE_GILES)),
    ]


def _words(part: str) -> list[str]:
    """pypinyin's segmentation, with runs of one-character segments joined into one word.

    Transliterated foreign names (乌克兰 Ukraine) come out one character per segment, and are
    still one word."""
    words: list[str] = []
    run = ""
    for segment in _PINYIN.seg(part):
        if len(segment) == 1:
            run += segment
            continue
        if run:
            words.append(run)
            run = ""
        words.append(segment)
    if run:
        words.append(run)
    return words


def _word_forms(parts: list[str], route: Step) -> list[Romanization]:
    by_word = [_cap("".join(_syllables(w))) for part in parts for w in _words(part)]
    by_part = [_cap("".join(_syllables(part))) for part in parts]
    spaced = [_cap(s) for part in parts for s in _syllables(part)]
    return [
        Romanization(" ".join(by_word), route),
        Romanization(" ".join(by_part), replace(route, variant="joined")),
        Romanization(" ".join(spaced), replace(route, variant="syllables")),
    ]


def romanizations(text: str, language: str = "") -> list[Romanization]:
    """Latin renderings of a Han-script name by its Mandarin reading; [] for other text.

    `language`: "zh", "zh-Hans", "zh-Hant" or "" read Chinese; "ko-Hani" (or any "ko" tag) reads a
    Korean Hanja name in Mandarin, routed "ko Hani → zh (Mandarin reading) → Latn (pinyin)".
    """
    parts = han_parts(text)
    if not parts:
        return []
    korean = language.split("-")[0].lower() == "ko"
    route = (
        romanized("Hani", "pinyin", "ko", via=MANDARIN)
        if korean
        else romanized("Hani", "pinyin", "zh")
    )
    is_name = len(parts) == 1 and 2 <= len(parts[0]) <= 4
    found: list[Romanization] = []
    if is_name:
        found += _name_forms(parts[0], route)
    if not (korean and is_name):
        found += _word_forms(parts, route)
    return distinct(found)
