"""The script registry: which script a text is written in (ICU's Unicode Script property, the one
detector of the engine) and what the engine knows of each script (data/scripts.yaml).

A profile names a script's readers (the romanizers of translit/readers.py, by language), whether
it writes its vowels, and the letters it writes alike. Adding a script is a profile plus, at most,
one reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache, lru_cache
from types import MappingProxyType
from typing import Annotated, Literal

import icu
from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from entnorm_server import data_files

# Characters no one script owns (ICU's Common and Inherited: digits, punctuation, combining
# marks, the kana length mark) and unassigned ones.
NOT_A_SCRIPT = frozenset({"Zyyy", "Zinh", "Zzzz"})
ANY = "*"  # the readers' key for a language a profile does not name
UNTAGGED = "und"  # ... and for a name with no language tag


@lru_cache(maxsize=16384)
def _script_of_char(ch: str) -> str:
    return str(icu.Script.getScript(ord(ch)).getShortName())


def scripts_in(text: str) -> tuple[str, ...]:
    """The ISO 15924 codes of text's scripts, in order of first appearance."""
    found: list[str] = []
    for ch in text:
        script = "Latn" if ch.isascii() and ch.isalpha() else _script_of_char(ch)
        if script not in NOT_A_SCRIPT and script not in found:
            found.append(script)
    return tuple(found)


def script_of(text: str) -> str:
    """The script a name is read by: its first script other than Latin, else "Latn" (Latin
    initials or numerals inside a Hangul name leave it Hangul; a name of digits is "Latn")."""
    for ch in text:
        if ch.isascii():
            continue
        script = _script_of_char(ch)
        if script not in NOT_A_SCRIPT and script != "Latn":
            return script
    return "Latn"


def _iso15924(code: str) -> str:
    if code != ANY and not icu.Script.getCode(code):
        raise ValueError(f"{code!r} is not an ISO 15924 script code ICU knows")
    return code


ScriptCode = Annotated[str, AfterValidator(_iso15924)]


class ScriptProfile(BaseModel):
    """What the engine knows of one script (or of several written alike, as the two kanas)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    scripts: tuple[ScriptCode, ...] = Field(min_length=1)
    name: str
    # The script's main language, named in routes when a name is untagged.
    language: str = ""
    # Whether the script writes its vowels: "unwritten" for abjads (all short vowels left out)
    # and abugidas (a bare consonant's vowel left for the reader to guess).
    vowels: Literal["written", "unwritten"] = "written"
    # Which module reads the vowels a name does write, to check them against a Latin name's.
    vowel_reader: Literal["abjad", "indic"] | None = None
    # Language (primary subtag, `und` untagged, `*` any other) -> reader names, in order.
    readers: Mapping[str, tuple[str, ...]]
    # Readers also tried for an untagged query, never for a table name: a guess at its language.
    guessed: tuple[str, ...] = ()
    # Groups of Latin letters the script writes alike (kana: l and r); the first stands for all.
    merges: tuple[str, ...] = ()

    def readers_for(self, language: str, guess: bool = False) -> tuple[str, ...]:
        primary = language.split("-")[0].lower() or UNTAGGED
        found = self.readers.get(primary) or self.readers.get(ANY, ())
        return found + self.guessed if guess and primary == UNTAGGED else found

    def merged(self) -> dict[int, str]:
        """A str.translate table that writes each merged letter as its group's first."""
        return {ord(ch): group[0] for group in self.merges for ch in group[1:]}


class _Profiles(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    profiles: tuple[ScriptProfile, ...]


@cache
def _registry() -> Mapping[str, ScriptProfile]:
    loaded = data_files.load("scripts.yaml", _Profiles).profiles
    by_script: dict[str, ScriptProfile] = {}
    for profile in loaded:
        for script in profile.scripts:
            if script in by_script:
                raise data_files.RuleTableError(
                    f"entnorm_server/data/scripts.yaml: {script} has two profiles"
                )
            by_script[script] = profile
    if ANY not in by_script:
        raise data_files.RuleTableError(
            "entnorm_server/data/scripts.yaml: no default profile (scripts: ['*'])"
        )
    return MappingProxyType(by_script)


def profiles() -> tuple[ScriptProfile, ...]:
    """Every profile, once each, the default last."""
    return tuple({id(p): p for p in _registry().values()}.values())


def profile_of(script: str) -> ScriptProfile:
    """The profile of an ISO 15924 script code; the default one for a script none names."""
    registry = _registry()
    return registry.get(script) or registry[ANY]


def scripts_where(**fields: object) -> frozenset[str]:
    """The scripts whose profiles have these field values: scripts_where(vowels="unwritten")."""
    return frozenset(
        script
        for script, profile in _registry().items()
        if script != ANY and all(getattr(profile, k) == v for k, v in fields.items())
    )
