"""A candidate's evidence as named numeric features, for the one scorer.

Fitting (bench/fit_scorer.py) and scoring read the same function, so a feature means the same
thing in both. Features are sparse: a name is present only when its value is not 0.
"""

from __future__ import annotations

from entnorm_server import routes
from entnorm_server.model import EntityType
from entnorm_server.resolution import Candidate
from entnorm_server.routes import Kind, Mark, Side

Features = dict[str, float]


def group(candidate: Candidate) -> str:
    """The kind of match, whose evidence means its own thing: a letter count weighs differently
    for an equal key, a skeleton and a fuzzy match, so each group's evidence is its own feature."""
    evidence = candidate.evidence
    if evidence is None:
        return "other"
    if evidence.tier.value == "variant":
        return f"variant:{evidence.family}"
    return evidence.tier.value


def features(candidate: Candidate) -> Features:
    found: Features = {}
    evidence = candidate.evidence
    kind = group(candidate)
    found[f"{kind}"] = 1.0
    if evidence is not None:
        letters = min(evidence.letters, 24)
        found[f"{kind}|letters"] = letters / 8
        for bound in (4, 6, 8, 11):
            if letters < bound:
                found[f"{kind}|letters<{bound}"] = 1.0
        if evidence.edits is not None:
            edits = evidence.edits
            found["edits:letters"] = float(edits.letters)
            found["edits:at_edges"] = float(edits.at_edges)
            found["edits:in_short_tokens"] = float(edits.in_short_tokens)
            found["edits:share"] = edits.letters / max(edits.length, 1)
            # One edit means more the longer the name: the share above, and a count of the
            # letters left intact.
            found["edits:intact"] = max(0, edits.length - edits.letters) / 8
        if evidence.vowels:
            found["vowels"] = float(min(evidence.vowels, 6))
            found["vowels:consonants"] = float(min(evidence.consonants, 10))
        if not evidence.numbers_agree:
            found["numbers_differ"] = 1.0
        if evidence.kana_as_written:
            found["kana_as_written"] = 1.0
        if evidence.consonants_kept:
            found["consonants_kept"] = float(evidence.consonants_kept.count("-") + 1)
    _route_features(candidate, found)
    if found.get("lossy_steps"):
        found[f"{kind}|lossy"] = found["lossy_steps"]
    if found.get("both_transliterated"):
        found[f"{kind}|both_transliterated"] = 1.0
    alias = candidate.alias
    found[f"alias:{alias.kind.value}"] = 1.0
    if alias.context_only:
        found["context_only"] = 1.0
    # Not the entity type, nor the script as such: in the data they stand for which data set a
    # query came from, and a scorer that learns that would not hold on other data.
    return found


def _route_features(candidate: Candidate, found: Features) -> None:
    route = candidate.route
    for step in route:
        side = step.side.value or "none"
        if routes.transliterates(step):
            found[f"translit:{side}"] = 1.0
        for mark in step.marks:
            key = f"mark:{mark.value}"
            found[key] = found.get(key, 0.0) + 1.0
        if step.kind is Kind.DROP_TITLE:
            found["dropped_title"] = 1.0
        if step.kind is Kind.DROP_QUALIFIER:
            found["dropped_qualifier"] = 1.0
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
    if routes.uses(route, routes.WADE_GILES) and candidate.entity.type is not EntityType.PERSON:
        found["wade_giles_not_person"] = 1.0
