"""The checks `entnorm lint` makes on tables that load: mistakes that change answers.

The loader refuses what it cannot read; these tables read, but say something their editor did
not mean: an alias shared with another entity (which turns both AMBIGUOUS), a Cyrillic letter
inside a Latin word (which no query typed on a Latin keyboard meets), a tag whose script does not
fit the text, a misrendering with no word on where it was seen. Each finding has a level, a code,
where it is and how to fix it.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

import icu
import langcodes

from entnorm_server.model import CURATED, Alias, AliasKind, AliasTables, Entity, Location
from entnorm_server.normalize import exact_key, folded_key
from entnorm_server.scripts import script_of, scripts_in

Level = Literal["error", "warning"]
# Scripts written together in one word: Japanese, Korean with Hanja, Chinese with zhuyin.
_WRITTEN_TOGETHER = (
    frozenset({"Hani", "Hira", "Kana"}),
    frozenset({"Hang", "Hani"}),
    frozenset({"Hani", "Bopo"}),
)
# A writing system that is several scripts (ISO 15924 "Jpan", "Kore", ...).
_SCRIPT_SETS = {
    "Jpan": frozenset({"Hani", "Hira", "Kana"}),
    "Kore": frozenset({"Hang", "Hani"}),
    "Hans": frozenset({"Hani"}),
    "Hant": frozenset({"Hani"}),
}
# Invisible characters that change what a name is without showing: bidi controls, zero-width
# space, word joiner, byte-order mark, soft hyphen. ZWJ and ZWNJ are letters' business in
# Arabic-script and Indic names, so they are named only in other scripts.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_INVISIBLE = _BIDI | frozenset("\u200b\u2060\ufeff\u00ad")
_JOINERS = frozenset("\u200c\u200d")
_JOINER_SCRIPTS = frozenset(
    {"Arab", "Syrc", "Deva", "Beng", "Guru", "Gujr", "Orya", "Taml", "Telu", "Knda", "Mlym",
     "Sinh"}
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Finding:
    location: Location
    level: Level
    code: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        hint = f" (fix: {self.hint})" if self.hint else ""
        return f"{self.location}: {self.level.upper()} {self.code} {self.message}{hint}"


def check(tables: AliasTables) -> list[Finding]:
    """Every finding on tables that load, in file and line order. Findings are the editors':
    they fall on curated entries only (a curated alias that collides with an imported name
    included); a machine-made layer is checked by the loader, and mended by its importer."""
    curated = [e for e in tables.entities if any(a.layer == CURATED for a in e.aliases)]
    found = [
        *_shared(tables.entities),
        *(f for e in curated for f in _within(e)),
        *(f for e in curated for a in e.aliases if a.layer == CURATED for f in _text(e, a)),
    ]
    return sorted(found, key=lambda f: (f.location.file, f.location.line, f.location.column))


def _where(entity: Entity, alias: Alias | None = None) -> Location:
    location = (alias.location if alias else None) or entity.location
    return location or Location("?", 1)


def _shared(entities: Iterable[Entity]) -> Iterator[Finding]:
    """An alias on two entities, unless every one marks it context-only or the pair is declared
    (each names the other in `not_same_as`, on either side); an alias that is another entity's
    name, unless it is context-only or declared so."""
    owners: dict[str, list[tuple[Entity, Alias]]] = defaultdict(list)
    for entity in entities:
        for alias in entity.aliases:
            key = folded_key(alias.text)
            if key and all(e.id != entity.id for e, _ in owners[key]):
                owners[key].append((entity, alias))
    for sharers in owners.values():
        # A name is shared by namesakes; a context-only alias says it is. One message for the
        # rest, at the last of them: the copy, naming where the others are.
        flagged = [
            (e, a)
            for e, a in sharers
            if a.kind is not AliasKind.NAME
            and a.layer == CURATED
            and not a.context_only
            and not all(_declared(e, other) for other, _ in sharers if other.id != e.id)
        ]
        if len(sharers) < 2 or not flagged:
            continue
        entity, alias = max(flagged, key=lambda pair: _order_of(_where(*pair)))
        others = [(e, a) for e, a in sharers if e.id != entity.id]
        named = [e.id for e, a in others if a.kind is AliasKind.NAME]
        places = ", ".join(f"{e.id} ({_where(e, a)})" for e, a in others)
        code, what = (
            ("alias-is-name", f"is the name of {', '.join(named)}")
            if named
            else ("shared-alias", f"is also an alias of {places}")
        )
        yield Finding(
            _where(entity, alias),
            "error",
            code,
            f"{alias.text!r} of {entity.id} {what}: it resolves to neither",
            "mark it `context_only: true` on each where only context can settle it, declare the "
            "namesakes with `not_same_as`, or remove it",
        )


def _declared(one: Entity, other: Entity) -> bool:
    """Declared namesakes: one lists the other in `not_same_as`, so a name they share is meant
    to stay ambiguous."""
    return other.id in one.not_same_as or one.id in other.not_same_as


def _order_of(location: Location) -> tuple[str, int, int]:
    return location.file, location.line, location.column


def _within(entity: Entity) -> Iterator[Finding]:
    """The same alias on one entity under two tags (the loader refuses it twice under one): one
    of the tags is wrong."""
    seen: dict[str, Alias] = {}
    for alias in entity.aliases:
        key = exact_key(alias.text)
        first = seen.setdefault(key, alias)
        if first is not alias and first.language != alias.language and alias.layer == CURATED:
            yield Finding(
                _where(entity, alias),
                "warning",
                "duplicate-alias",
                f"{alias.text!r} is on {entity.id} twice, tagged {first.language or 'untagged'}"
                f" and {alias.language or 'untagged'}",
                "keep one, with the tag of the language it is written in",
            )


def _text(entity: Entity, alias: Alias) -> Iterator[Finding]:
    where, text = _where(entity, alias), alias.text
    if unicodedata.normalize("NFC", text) != text:
        yield Finding(
            where, "error", "not-nfc", f"{text!r} is not in Unicode NFC", "write it composed"
        )
    yield from _invisible(where, text)
    yield from _mixed(where, text)
    if alias.language:
        yield from _tag_fits(where, text, alias.language)
    if alias.kind in (AliasKind.MISRENDERING, AliasKind.MISTRANSLATION) and not (
        alias.source and alias.note
    ):
        missing = " and ".join(f for f in ("source", "note") if not getattr(alias, f))
        yield Finding(
            where,
            "error",
            "provenance",
            f"the {alias.kind.value} {text!r} has no {missing}",
            "say where it was seen (`source`) and what went wrong (`note`)",
        )


def _invisible(where: Location, text: str) -> Iterator[Finding]:
    scripts = set(scripts_in(text))
    for ch in dict.fromkeys(text):
        if ch in _INVISIBLE or (ch in _JOINERS and not scripts & _JOINER_SCRIPTS):
            yield Finding(
                where,
                "error",
                "invisible",
                f"{text!r} holds {unicodedata.name(ch, 'a control')} (U+{ord(ch):04X})",
                "delete it",
            )


def _mixed(where: Location, text: str) -> Iterator[Finding]:
    for word in text.split():
        scripts = set(scripts_in(word))
        if len(scripts) < 2 or any(scripts <= together for together in _WRITTEN_TOGETHER):
            continue
        main = max(scripts, key=lambda s: sum(script_of(ch) == s for ch in word))
        strays = [ch for ch in word if ch.isalpha() and script_of(ch) != main]
        fixed = "".join(_look_alike(ch, main) for ch in word)
        hint = f"write {fixed!r}" if fixed != word and set(scripts_in(fixed)) == {main} else ""
        names = ", ".join(f"{unicodedata.name(ch, '?').title()} {ch!r}" for ch in strays[:3])
        yield Finding(
            where,
            "error",
            "mixed-script",
            f"the word {word!r} mixes scripts ({', '.join(sorted(scripts))}): {names}",
            hint or "write the word in one script",
        )


def _look_alike(ch: str, script: str) -> str:
    """The character of `script` that `ch` is confusable with (Unicode's skeletons), if any."""
    if script_of(ch) == script:
        return ch
    skeleton = str(_spoof().getSkeleton(0, ch))
    return skeleton if len(skeleton) == 1 and script_of(skeleton) == script else ch


@cache
def _spoof() -> icu.SpoofChecker:
    return icu.SpoofChecker()


def _tag_fits(where: Location, text: str, tag: str) -> Iterator[Finding]:
    expected = _scripts_of_tag(tag)
    written = set(scripts_in(text))
    if not expected or not written:
        return
    stray = written - expected
    if not stray or (stray == {"Latn"} and written & expected):
        return  # Latin initials or an acronym inside a name of its script ("LG전자")
    yield Finding(
        where,
        "error",
        "tag-script",
        f"{text!r} is written in {', '.join(sorted(written))}, but {tag!r} is written in"
        f" {', '.join(sorted(expected))}",
        "tag it with the language it is written in (ko for Hangul, ko-Hani for Hanja, ...)",
    )


@cache
def _scripts_of_tag(tag: str) -> frozenset[str]:
    """The scripts a tag's names are written in: its script subtag, or its language's likely one
    (CLDR likely subtags); empty for a tag CLDR does not place."""
    try:
        script = langcodes.Language.get(tag).maximize().script or ""
    except (ValueError, LookupError):
        return frozenset()
    return _SCRIPT_SETS.get(script, frozenset({script}) if script else frozenset())
