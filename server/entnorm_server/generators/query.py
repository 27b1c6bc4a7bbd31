"""A query prepared for the generators: its keys now, its forms (romanizations, titles, a
possessive or a qualifier dropped, an inversion read) on first use, since a query settled by the
exact tiers never needs them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from entnorm_server import routes
from entnorm_server.evidence import Evidence
from entnorm_server.model import EntityType
from entnorm_server.normalize import exact_key, folded_key, numbers
from entnorm_server.qualifiers import inversion, split_possessive, split_qualifier
from entnorm_server.resolution import Query
from entnorm_server.routes import Step
from entnorm_server.scripts import script_of
from entnorm_server.titles import strip_titles
from entnorm_server.variants import Form, forms

# Keys of the original text, strictest first.
KEYS: dict[str, Callable[[str], str]] = {"exact": exact_key, "folded": folded_key}

PERSONS = frozenset({EntityType.PERSON})
NOT_PERSONS = frozenset(EntityType) - PERSONS


@dataclass(frozen=True, slots=True)
class QueryForm:
    form: Form
    # The entity types it may name, if not all: found by dropping a title, or by reading untagged
    # Han as Korean Hanja, only a person; found by dropping a qualifier, anything but a person
    # (a person's name with a comma is inverted: "Putin, Vladimir").
    types: frozenset[EntityType] | None = None
    # The numbers the form's name carries, when not the query's ("1차장" is a dropped title's).
    numbers: tuple[int, ...] | None = None
    # What the form was made from, when not the query: its text less a title, a possessive or a
    # qualifier ("김정은" of "김정은 위원장").
    source: str | None = None


def _no_ceiling(evidence: Evidence) -> float:
    return 1.0


class PreparedQuery:
    """A query with its keys, and its forms made on first use."""

    def __init__(self, query: Query) -> None:
        self.query = query
        self.keys = {name: key_of(query.text) for name, key_of in KEYS.items()}
        # Set by the resolver: a candidate scoring below `floor` cannot change the outcome, and
        # `ceiling` bounds what any candidate with given evidence can score.
        self.floor = 0.0
        self.ceiling: Callable[[Evidence], float] = _no_ceiling

    @cached_property
    def script(self) -> str:
        return script_of(self.query.text)

    @cached_property
    def numbers(self) -> tuple[int, ...]:
        return numbers(self.query.text)

    @cached_property
    def forms(self) -> tuple[QueryForm, ...]:
        query = self.query
        found = [
            QueryForm(f, PERSONS if _guessed_korean(f, query.language) else None)
            for f in forms(query.text, query.language, query=True)
        ]
        stripped, dropped = strip_titles(query.text)
        if dropped:
            route = tuple(routes.dropped_title(t) for t in dropped)
            found += _narrowed(stripped, route, PERSONS, query.language)
        if inverted := inversion(query.text):
            head, designator = inverted
            whole = f"{designator} {head}"
            found += _narrowed(whole, (routes.uninverted(designator),), None, query.language)
        if possessive := split_possessive(query.text):
            name, ending = possessive
            found += _narrowed(name, (routes.dropped_possessive(ending),), None, query.language)
        if qualified := split_qualifier(query.text):
            name, qualifier = qualified
            route = (routes.dropped_qualifier(qualifier),)
            found += _narrowed(name, route, NOT_PERSONS, query.language)
        return tuple(found)


def _narrowed(
    text: str, route: tuple[Step, ...], types: frozenset[EntityType] | None, language: str
) -> list[QueryForm]:
    """The forms of what is left of the query after dropping a part of it."""
    kept = numbers(text)
    return [
        QueryForm(Form(f.text, route + f.route, f.ascii), types, numbers=kept, source=text)
        for f in forms(text, language, query=True)
    ]


def _guessed_korean(form: Form, language: str) -> bool:
    """Untagged Han read as a Korean Hanja name: Korean people are written so, but Chinese and
    Japanese place names read in Korean met other places' names 7 times in 9 on GeoNames."""
    return not language and bool(form.route) and form.route[0].via == routes.HANJA
