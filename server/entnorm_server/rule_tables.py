"""The shapes of the transliteration rule tables in data/rules/, checked when first read.

Ordered rewrites are the common form: each rule's pattern is a regular expression (compiled at
load, so a bad one fails with its file and place) and what it is rewritten to, or the several
readings a spelling may have.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

from entnorm_server import data_files


class Rule(BaseModel):
    """One rewrite: text matching `match` becomes `to` (or is read each of several ways)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    match: re.Pattern[str]
    to: str | tuple[str, ...]
    why: str = ""

    @model_validator(mode="after")
    def _groups_exist(self) -> Rule:
        for to in (self.to,) if isinstance(self.to, str) else self.to:
            for ref in re.findall(r"\\(\d+)", to):
                if int(ref) > self.match.groups:
                    raise ValueError(
                        f"{to!r} refers to group {ref}, which {self.match.pattern!r} lacks"
                    )
        return self

    @property
    def replacement(self) -> str:
        if not isinstance(self.to, str):
            raise TypeError(f"rule {self.match.pattern!r} has readings, not one replacement")
        return self.to

    @property
    def readings(self) -> tuple[str, ...]:
        return (self.to,) if isinstance(self.to, str) else self.to


def apply(rules: tuple[Rule, ...], text: str) -> str:
    """Every rule in turn, each over the whole text."""
    for rule in rules:
        text = rule.match.sub(rule.replacement, text)
    return text


class KoreanGivenNames(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: tuple[Rule, ...] = Field(min_length=1)


class SlavicSkeleton(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    letters: Mapping[str, str]
    placeholders: Mapping[str, str]
    rules: tuple[Rule, ...] = Field(min_length=1)


class KanaReadings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    latin: tuple[Rule, ...] = Field(min_length=1)
    kana_also: tuple[tuple[str, str], ...]


class SourceLanguage(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    spelled_like: re.Pattern[str] | None = None
    rules: tuple[Rule, ...] = Field(min_length=1)


class CyrillicTranscription(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    placeholders: Mapping[str, str]
    cyrillic: Mapping[str, str]
    letters: Mapping[str, str]
    own_letters: Mapping[str, Mapping[str, str]]
    common: tuple[Rule, ...]
    languages: Mapping[str, SourceLanguage]


class KoreanSurname(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    hangul: str = Field(min_length=1)
    also: tuple[str, ...] = ()
    spellings: tuple[str, ...] = Field(min_length=1)


class KoreanSurnames(RootModel[tuple[KoreanSurname, ...]]):
    pass


class Titles(BaseModel):
    """Titles that may stand before or after a name, by language."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    before: Mapping[str, tuple[str, ...]]
    after: Mapping[str, tuple[str, ...]]


@cache
def korean_surnames() -> tuple[KoreanSurname, ...]:
    return data_files.load("rules/korean_surnames.yaml", KoreanSurnames).root


@cache
def titles() -> Titles:
    return data_files.load("rules/titles.yaml", Titles)


@cache
def korean_given_names() -> KoreanGivenNames:
    return data_files.load("rules/korean_given_names.yaml", KoreanGivenNames)


@cache
def slavic_skeleton() -> SlavicSkeleton:
    return data_files.load("rules/slavic_skeleton.yaml", SlavicSkeleton)


@cache
def kana_readings() -> KanaReadings:
    return data_files.load("rules/kana_readings.yaml", KanaReadings)


@cache
def cyrillic_transcription() -> CyrillicTranscription:
    return data_files.load("rules/cyrillic_transcription.yaml", CyrillicTranscription)
