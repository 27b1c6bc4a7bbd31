"""Context: what is known around a name settles what the name alone cannot.

A name that fits several entities equally ("Kim Tae-hyung", "NSC", "Kursk") stays AMBIGUOUS on
its own. Around it, a caller or a document may say more: entities already known (given as ids,
or found with certainty elsewhere in the text), a country, and role words near the mention
("deputy", "1차장"). Each candidate earns support from what the tables say of it: it is one of
the known entities, it is related to one, its role words stand near the mention, it belongs to
the context's country. A candidate whose support beats every plausible rival's is RESOLVED,
and the support is its explanation. Without context nothing changes.

Context only chooses among readings the name already allows: a candidate must score at least
the threshold, and a near name of someone else ("Shin Won-suk" for Shin Won-sik) is never
settled by context, because being related to the text is what a namesake's slip looks like too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from entnorm_server.evidence import Support, SupportKind
from entnorm_server.model import Entity, EntityType
from entnorm_server.normalize import folded_key
from entnorm_server.resolution import Candidate
from entnorm_server.scripts import script_of

COUNTRY_PREFIX = "country:"


@dataclass(frozen=True, slots=True)
class Sighting:
    """Where a known entity was seen: the text and its offset, or nothing for a caller's id."""

    text: str = ""
    start: int = -1
    mention: int = -1  # the index of the document's mention that found it


@dataclass(frozen=True, slots=True)
class Known:
    """What the context says is there."""

    entities: Mapping[str, Sighting] = field(default_factory=lambda: MappingProxyType({}))
    country: str = ""  # a country entity id, "country:kr"
    # The text around the mention, and its offset: where role words are looked for.
    nearby: str = ""
    nearby_start: int = -1

    def __bool__(self) -> bool:
        return bool(self.entities or self.country or self.nearby)


def country_id(value: str) -> str:
    """A caller's country as an entity id: "KR", "kr" and "country:kr" are all country:kr."""
    value = value.strip().casefold()
    return value if value.startswith(COUNTRY_PREFIX) else f"{COUNTRY_PREFIX}{value}"


def support(
    entity: Entity, known: Known, related_to: Mapping[str, frozenset[str]]
) -> list[Support]:
    """Every piece of context that speaks for entity, strongest kind first."""
    found: list[Support] = []
    seen = known.entities.get(entity.id)
    if seen is not None:
        found.append(Support(SupportKind.SAME_ENTITY, entity.id, seen.text, seen.start))
    for other in sorted(related_to.get(entity.id, frozenset())):
        sighting = known.entities.get(other)
        if sighting is not None:
            found.append(Support(SupportKind.RELATED, other, sighting.text, sighting.start))
    if known.nearby and entity.roles:
        nearby = folded_key(known.nearby)
        for role in entity.roles:
            if _has_role(nearby, folded_key(role)):
                at = known.nearby.casefold().find(role.casefold())
                where = known.nearby_start + at if at >= 0 and known.nearby_start >= 0 else -1
                found.append(Support(SupportKind.ROLE, entity.id, role, where))
    if (
        known.country
        and known.country in _countries(entity, related_to)
        and not any(s.entity_id == known.country for s in found)
    ):
        found.append(Support(SupportKind.COUNTRY, known.country))
    return found


def _has_role(text: str, role: str) -> bool:
    """Whether a role stands in text (both folded): as whole words, or in a script that writes
    particles onto words (1차장은) or no spaces at all, anywhere."""
    if not role:
        return False
    if role.isascii() or script_of(role) not in ATTACHING_SCRIPTS:
        return f" {role} " in f" {text} "
    return role in text


# Scripts whose words carry particles, or that have no spaces: a role is found inside words.
ATTACHING_SCRIPTS = frozenset({"Hang", "Hani", "Hira", "Kana", "Thai"})


def _countries(entity: Entity, related_to: Mapping[str, frozenset[str]]) -> set[str]:
    if entity.type is EntityType.COUNTRY:
        return {entity.id}
    return {r for r in related_to.get(entity.id, frozenset()) if r.startswith(COUNTRY_PREFIX)}


def strength(found: Sequence[Support]) -> tuple[int, int, int, int]:
    """Support compared: a role word beside the mention first ("the city of Kursk" says more
    than the oblast named elsewhere), then being the known entity itself (one sense per
    document), then how many known entities it is related to, then the country."""
    kinds = [s.kind for s in found]
    return (
        kinds.count(SupportKind.ROLE),
        SupportKind.SAME_ENTITY in kinds,
        kinds.count(SupportKind.RELATED),
        SupportKind.COUNTRY in kinds,
    )


@dataclass(frozen=True, slots=True)
class Settled:
    """The candidates re-ranked by context: the winner first, with its support, or None."""

    candidates: tuple[Candidate, ...]
    winner: Candidate | None


def settle(
    ranked: Sequence[Candidate],
    known: Known,
    related_to: Mapping[str, frozenset[str]],
    *,
    threshold: float,
    margin: float,
    can_settle: Callable[[Candidate], bool],
) -> Settled:
    """Choose among ranked (an AMBIGUOUS answer's candidates, best first) by context.

    The winner scores at least the threshold, may be settled by context (`can_settle`: its
    match needs context for a reason context can give), and has strictly more support than
    every rival scoring within the margin of the threshold or above it.
    """
    if not ranked or not known:
        return Settled(tuple(ranked), None)
    weighed = [(c, support(c.entity, known, related_to)) for c in ranked]
    plausible = [(c, s) for c, s in weighed if c.score >= threshold - margin]
    eligible = [(c, s) for c, s in plausible if c.score >= threshold and can_settle(c)]
    if not eligible:
        return Settled(tuple(ranked), None)
    best, best_support = max(eligible, key=lambda pair: strength(pair[1]))
    top = strength(best_support)
    if not any(top) or any(
        strength(s) >= top for c, s in plausible if c.entity.id != best.entity.id
    ):
        return Settled(tuple(ranked), None)
    winner = replace(
        best,
        context=tuple(best_support),
        explanation=f"{best.explanation}; settled by context: {describe(best_support)}",
    )
    rest = tuple(c for c in ranked if c.entity.id != best.entity.id)
    return Settled((winner, *rest), winner)


def describe(found: Sequence[Support]) -> str:
    words = []
    for s in found:
        where = f" ({s.text!r} at {s.start})" if s.text and s.start >= 0 else ""
        if s.kind is SupportKind.SAME_ENTITY:
            words.append(f"{s.entity_id} is named in the context{where}")
        elif s.kind is SupportKind.RELATED:
            words.append(f"related to {s.entity_id}{where}")
        elif s.kind is SupportKind.ROLE:
            at = f" (at {s.start})" if s.start >= 0 else ""
            words.append(f"role word {s.text!r} near the mention{at}")
        else:
            words.append(f"in the context's country, {s.entity_id}")
    return "; ".join(words)


def relations(entities: Sequence[Entity]) -> Mapping[str, frozenset[str]]:
    """`related` made symmetric: entity id -> ids related to it either way."""
    pairs: dict[str, set[str]] = {}
    for entity in entities:
        for other in entity.related:
            pairs.setdefault(entity.id, set()).add(other)
            pairs.setdefault(other, set()).add(entity.id)
    return MappingProxyType({k: frozenset(v) for k, v in pairs.items()})
