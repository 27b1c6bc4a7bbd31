"""A candidate's evidence as named numeric features, for the one scorer.

Fitting (bench/fit_scorer.py) and scoring read the same function, so a feature means the same
thing in both. Features are sparse: a name is present only when its value is not 0.
"""

from __future__ import annotations

from functools import lru_cache

from entnorm_server import routes
from entnorm_server.model import EntityType
from entnorm_server.resolution import Candidate
from entnorm_server.routes import Kind, Mark, Side, Step

Features = dict[str, float]


# An equal key is also an equal key after folding, and that an equal ascii key: the exact and
# folded tiers are the ascii group (see group) with bonuses for each stricter equality, so an
# exact match never scores below the same alias met by its romanization (the fit keeps the
# bonuses at or above 0).
EQUALITY = {"exact": ("equal:folded", "equal:exact"), "folded": ("equal:folded",)}


# Route facts that mean a reading guessed something (vowels, sounds, the language).
GUESSES = (
    "lossy_steps",
    "hebrew_reading",
    "japanese_guessed",
    "hanja_guessed",
    "mark:language guessed",
)


def group(candidate: Candidate) -> str:
    """The kind of match, whose evidence means its own thing: a letter count weighs differently
    for an equal key, a skeleton and a fuzzy match, so each group's evidence is its own feature."""
    evidence = candidate.evidence
    if evidence is None:
        return "other"
    if evidence.tier.value == "variant":
        return f"variant:{evidence.family}"
    if evidence.tier.value in EQUALITY:
        return "variant:ascii"
    return evidence.tier.value


def features(candidate: Candidate) -> Features:
    found: Features = {}
    evidence = candidate.evidence
    kind = group(candidate)
    found[kind] = 1.0
    if evidence is not None:
        for bonus in EQUALITY.get(evidence.written_equal or evidence.tier.value, ()):
            found[bonus] = 1.0
        letters = min(evidence.letters, 24)
        found[f"{kind}|letters"] = letters / 8
        for bound in (4, 6, 8, 11):
            if letters < bound:
                found[f"{kind}|letters<{bound}"] = 1.0
        if evidence.edits is not None:
            edits = evidence.edits
            found["edits:letters"] = float(edits.letters)
            # Each edit more is more doubt than the last: one is a slip, three another name.
            for most in (2, 3):
                if edits.letters >= most:
                    found[f"edits:{most}+"] = 1.0
            found["edits:at_edges"] = float(edits.at_edges)
            found["edits:in_short_tokens"] = float(edits.in_short_tokens)
            found["edits:share"] = edits.letters / max(edits.length, 1)
            found["edits:token_share"] = edits.token_share
            if edits.part_changed:  # a rival by policy; as a rival, weaker
                found["edits:part_changed"] = 1.0
            # One edit means more the longer the name: the share above, and a count of the
            # letters left intact.
            found["edits:intact"] = min(max(0, edits.length - edits.letters), 24) / 8
        if evidence.vowels:
            found["vowels"] = float(min(evidence.vowels, 6))
            found["vowels:consonants"] = float(min(evidence.consonants, 10))
        if not evidence.numbers_agree:
            found["numbers_differ"] = 1.0
        if evidence.kana_as_written:
            found["kana_as_written"] = 1.0
        if evidence.own_script_missed:
            found["own_script_missed"] = 1.0
        if evidence.rival_near:
            # A slip in one name is likely only where no other name is as near: in a table of
            # few names most slips are, in a gazetteer of look-alikes many are not.
            found["rival_near"] = 1.0
        if evidence.consonants_kept:
            found["consonants_kept"] = float(evidence.consonants_kept.count("-") + 1)
    _route_features(candidate, found)
    if found.get("lossy_steps"):
        found[f"{kind}|lossy"] = found["lossy_steps"]
    if evidence is not None and any(found.get(g) for g in GUESSES):
        # A guess on the way weighs more on a short name: "Baja" read from Μπατζά is a guess
        # on four letters, "Sacramento" read from סקרמנטו one on ten.
        for bound in (6, 8):
            if evidence.letters < bound:
                found[f"guess|letters<{bound}"] = 1.0
    if found.get("both_transliterated"):
        found[f"{kind}|both_transliterated"] = 1.0
    # Not the alias kind, the entity type or the script as such: in the data they stand for
    # which data set a query came from, and a scorer that learns that would not hold on other
    # data. A context-only alias is never an answer anyway (resolver.needs_context).
    return found


# The sign each weight must keep, by its name: evidence for a match may only raise the score,
# a reason for doubt only lower it. The fit (bench/fit_scorer.py) holds the weights to these.
RAISES = ("|letters", "equal:", "edits:intact", "vowels", "consonants_kept")
LOWERS = (
    "|letters<",
    "edits:letters",
    "edits:at_edges",
    "edits:in_short_tokens",
    "edits:share",
    "edits:token_share",
    "edits:2+",
    "edits:part_changed",
    "edits:3+",
    "translit:",
    "mark:",
    "lossy",
    "|both_transliterated",
    "both_transliterated",
    "dropped_",
    "numbers_differ",
    "japanese_guessed",
    "hanja_guessed",
    "wade_giles_not_person",
    "hebrew_reading",
    "own_script_missed",
    "rival_near",
)


def sign(feature: str) -> int:
    """+1 if the feature's weight may not be negative, -1 if it may not be positive, else 0."""
    if any(part in feature for part in LOWERS):
        return -1
    if any(part in feature for part in RAISES):
        return 1
    return 0


def _route_features(candidate: Candidate, found: Features) -> None:
    facts, wade_giles = _route_facts(candidate.route)
    found.update(facts)
    if wade_giles and candidate.entity.type is not EntityType.PERSON:
        found["wade_giles_not_person"] = 1.0


# Routes recur (the snapshot interns the table's; a query's forms share theirs across
# candidates), and reading one is most of the cost of scoring a candidate.
@lru_cache(maxsize=8192)
def _route_facts(route: tuple[Step, ...]) -> tuple[tuple[tuple[str, float], ...], bool]:
    """The route's features, and whether it goes through Wade-Giles (a feature only for a
    name that is not a person's)."""
    found: Features = {}
    for step in route:
        side = step.side.value or "none"
        if routes.transliterates(step):
            found[f"translit:{side}"] = 1.0
        for mark in step.marks:
            key = f"mark:{mark.value}"
            found[key] = found.get(key, 0.0) + 1.0
        if dropped := _DROPPED.get(step.kind):
            found[dropped] = 1.0
        if step.via == routes.HANJA and step.side is Side.QUERY and not step.language:
            found["hanja_guessed"] = 1.0
    if routes.both_transliterated(route):
        found["both_transliterated"] = 1.0
    if routes.one_script(route):
        found["one_script"] = 1.0
    if routes.accents_only(route):
        found["accents_only"] = 1.0
    if routes.spelled_out(route):
        found["spelled_out"] = 1.0
    lossy = routes.lossy_steps(route)
    if lossy:
        found["lossy_steps"] = float(lossy)
    if routes.uses(route, routes.HEBREW_READER):
        found["hebrew_reading"] = 1.0
    if routes.uses(route, routes.JAPANESE_READING, Mark.LANGUAGE_GUESSED):
        found["japanese_guessed"] = 1.0
    return tuple(found.items()), routes.uses(route, routes.WADE_GILES)


# The route facts whose weight may be positive (features.sign 0): an upper bound on a score
# counts them at their most (Scorer.ceiling).
ROUTE_FACTS_THAT_MAY_RAISE = ("one_script", "accents_only", "spelled_out")

# Not the qualifier: a name met without it is a rival, never an answer (resolver.needs_context),
# and as a rival it counts at the strength of the name it met.
_DROPPED = {
    Kind.DROP_TITLE: "dropped_title",
    Kind.DROP_POSSESSIVE: "dropped_possessive",
    Kind.DROP_DESIGNATOR: "dropped_designator",
}
