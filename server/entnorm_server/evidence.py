"""What a candidate rests on: the facts a generator found, as data.

A generator says how the query met an alias (which index, which key family, how many letters the
match rests on, which edits, which written vowels agree); the route says how each side reached
the key. From these the score is made and the explanation worded. Nothing reads them back from
text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from entnorm_server.fuzzy import Edits


class Tier(StrEnum):
    """The index a candidate came from."""

    EXACT = "exact"  # equal after NFKC and case folding
    FOLDED = "folded"  # equal after punctuation and space folding
    VARIANT = "variant"  # a shared key of a variant family (see `family`)
    FUZZY = "fuzzy"  # near in the trigram index
    KANA_CONSONANTS = "kana_consonants"  # a kana query's consonant skeleton
    CYRILLIC_TRANSCRIPTION = "cyrillic_transcription"  # a Latin query as Cyrillic writes it


@dataclass(frozen=True, slots=True)
class Evidence:
    tier: Tier
    family: str = ""  # the variant family: ascii, compact, sorted, initials, part, cons, …
    letters: int = 0  # letters of the key the match rests on
    edits: Edits | None = None  # for a fuzzy match
    vowels: int = 0  # vowels an abjad or Indic name writes that agree with the Latin name's
    consonants: int = 0  # consonants met alongside them
    numbers_agree: bool = True  # "Lyon 3" and "Lyon" do not
    kana_as_written: bool = False  # equal as kana writes Latin (l as r, m as n)
    consonants_kept: str = ""  # kana consonant classes a Latin name keeps, "b-s-b-n"
    # Met through a name in another script, though the entity has names in the query's own
    # script that the query did not meet ("Angon" through Янгон, not through Yangon).
    own_script_missed: bool = False
    # What is left of the query (less a title, a possessive, a qualifier) equals the alias as
    # written: "exact" or "folded" (normalize.py's keys), as the exact tiers would say of it.
    written_equal: str = ""
    # For a fuzzy match: another entity's name is as near to the query, or one edit further.
    rival_near: bool = False


@dataclass(frozen=True, slots=True)
class Term:
    """One feature's share of a score: value × weight, added to the log-odds."""

    feature: str
    value: float
    weight: float

    @property
    def contribution(self) -> float:
        return self.value * self.weight


class SupportKind(StrEnum):
    SAME_ENTITY = "same_entity"  # the candidate is itself known in the context
    RELATED = "related"  # the tables relate it to a known entity
    ROLE = "role"  # one of its role words stands near the mention
    COUNTRY = "country"  # it belongs to the context's country


@dataclass(frozen=True, slots=True)
class Support:
    """One piece of context that speaks for a candidate."""

    kind: SupportKind
    entity_id: str = ""  # the known entity that speaks for it (for a role: the candidate)
    text: str = ""  # where that entity was seen, or the role word
    start: int = -1  # code-point offset of `text` in the context text or document, if any
