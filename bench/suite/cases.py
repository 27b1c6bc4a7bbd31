"""From a data set's records to a table and labelled queries, the same way for every data set.

- Split: every record falls in fit, dev or test by a hash of its id (40/20/40), so a record's
  queries all land in one split, and constants fitted on fit and dev never see a test entity's
  query. Curated queries take their record's split.
- Negatives: a tenth of the records are left out of the table; their names are queries whose
  right answer is "not RESOLVED". Records that curated queries point at always stay in.
- Held-out names: a tenth of a record's names, from two to eight (never its display name, and
  only if it keeps at least two), are taken out of the table and asked, labelled by what
  separates them from the names it keeps: exact, punctuation, diacritics, token order, spelling,
  or another script.
- Typos: one typing error (suite/typos.py) in a name the table keeps, for half the records.
- Token order: a multi-word Latin name reversed, for a tenth of the records.
- A query that is, up to case, accents, punctuation, spacing or script, a name of another
  record of the data set is relabelled `name_of_another`: only context can settle it, so the
  "decidable" rows leave it out.

Conditions: `main` (the table keeps every name but the held-out ones) and `latin_led` (the table
keeps only Latin names; the queries are the records' names in other scripts).
"""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from entnorm_server.normalize import ascii_key, exact_key, folded_key
from entnorm_server.variants import Form, compact_key
from suite.records import DataSet, Name, Record
from suite.scripts import bucket, script_of
from suite.typos import TypoMaker

SPLITS = ("fit", "dev", "test")
NAME_OF_ANOTHER = "name_of_another"
HELD_OUT = (2, 8)  # names held out of a record: a tenth of them, within these bounds
TYPO_SHARE = 0.5
TOKEN_ORDER_SHARE = 0.1
NEGATIVE_SHARE = 0.1
LONG_TYPO_LETTERS = 8


@dataclass(frozen=True, slots=True)
class Case:
    text: str
    expected: str | None  # record id; None for a negative
    phenomenon: str
    split: str
    groups: tuple[str, ...] = ()  # sub-rows, e.g. "typo/8+", "cross_script:other/Deva"
    language: str = ""


@dataclass(frozen=True)
class Condition:
    name: str
    table: dict[str, Record]  # the records the engine is given, with the names it keeps
    cases: tuple[Case, ...]


def split_of(record_id: str, seed: int) -> str:
    digest = hashlib.sha256(f"{seed}:{record_id}".encode()).digest()
    share = int.from_bytes(digest[:4], "big") / 2**32
    return "fit" if share < 0.4 else "dev" if share < 0.6 else "test"


def conditions(data: DataSet, seed: int) -> list[Condition]:
    rng = random.Random(f"{data.name}:{seed}")
    curated = {q.expected for q in data.queries if q.expected}
    left_out = {r.id for r in data.records if r.id not in curated and rng.random() < NEGATIVE_SHARE}
    positives = [r for r in data.records if r.id not in left_out]
    negatives = [r for r in data.records if r.id in left_out]
    owners = _owners(positives)  # a left-out record's own names make no namesake
    split = {r.id: split_of(r.id, seed) for r in data.records}
    held: dict[str, tuple[Name, ...]] = {}
    least, most = HELD_OUT
    for record in positives:
        spare = list(record.names[1:])
        count = min(most, max(least, len(record.names) // 10))
        if len(record.names) >= 1 + count + 1:
            held[record.id] = tuple(rng.sample(spare, count))
    main_table = {
        r.id: Record(r.id, r.type, tuple(n for n in r.names if n not in held.get(r.id, ())))
        for r in positives
    }
    typos = TypoMaker(n.text for r in data.records for n in r.names)
    main_cases: list[Case] = []
    for record in positives:
        kept = main_table[record.id].names
        s = split[record.id]
        for name in held.get(record.id, ()):
            phenomenon, groups = label(name.text, [n.text for n in kept])
            main_cases.append(Case(name.text, record.id, phenomenon, s, groups))
        main_cases += _derived(record, kept, s, typos, rng, owners)
    main_cases += _negative_cases(negatives, split, rng, latin_only=False)
    main_cases += [
        Case(
            q.text,
            q.expected,
            q.phenomenon,
            split[q.expected] if q.expected else split_of(q.text, seed),
            language=q.language,
        )
        for q in data.queries
    ]
    latin_table, latin_cases = _latin_led(positives, negatives, split, rng)
    return [
        Condition("main", main_table, tuple(_settled(main_cases, owners))),
        Condition("latin_led", latin_table, tuple(_settled(latin_cases, owners))),
    ]


def _derived(
    record: Record,
    kept: Sequence[Name],
    split: str,
    typos: TypoMaker,
    rng: random.Random,
    owners: dict[str, set[str]],
) -> list[Case]:
    """Typo and token-order queries made from the names a record keeps in the table. A typo of
    a long name that no other record shares is also in `typo/8+unique`: issue 16's target row."""
    out = []
    if rng.random() < TYPO_SHARE:
        name = rng.choice(kept)
        typo = typos.make(name.text, rng)
        if typo is not None:
            letters = sum(ch.isalpha() for ch in name.text)
            size = f"typo/{LONG_TYPO_LETTERS}+" if letters >= LONG_TYPO_LETTERS else "typo/short"
            groups: tuple[str, ...] = (
                size,
                f"typo/{typo.kind}",
                f"typo/{typo.place}",
                f"typo/{bucket(script_of(name.text))}",
            )
            if letters >= LONG_TYPO_LETTERS and owners[homonym_key(name.text)] == {record.id}:
                groups += (f"typo/{LONG_TYPO_LETTERS}+unique",)
            out.append(Case(typo.text, record.id, "typo", split, groups))
    multi = [n for n in kept if len(n.text.split()) > 1 and script_of(n.text) == "Latn"]
    if multi and rng.random() < TOKEN_ORDER_SHARE:
        reversed_name = " ".join(reversed(rng.choice(multi).text.split()))
        if exact_key(reversed_name) not in {exact_key(n.text) for n in kept}:
            out.append(Case(reversed_name, record.id, "token_order", split))
    return out


def _negative_cases(
    records: Iterable[Record], split: dict[str, str], rng: random.Random, latin_only: bool
) -> list[Case]:
    out = []
    for record in records:
        names = [n for n in record.names if not latin_only or script_of(n.text) != "Latn"]
        for name in rng.sample(names, min(2, len(names))):
            script = "Latn" if script_of(name.text) == "Latn" else "non-Latn"
            out.append(Case(name.text, None, "negative", split[record.id], (f"negative/{script}",)))
    return out


def _latin_led(
    positives: Sequence[Record],
    negatives: Sequence[Record],
    split: dict[str, str],
    rng: random.Random,
) -> tuple[dict[str, Record], list[Case]]:
    table: dict[str, Record] = {}
    cases: list[Case] = []
    for record in positives:
        latin = tuple(n for n in record.names if script_of(n.text) == "Latn")
        others = [n for n in record.names if script_of(n.text) != "Latn"]
        if not latin:
            continue
        table[record.id] = Record(record.id, record.type, latin)
        for name in rng.sample(others, min(2, len(others))):
            script = script_of(name.text)
            groups = () if bucket(script) != "other" else (f"cross_script:other/{script}",)
            cases.append(
                Case(
                    name.text, record.id, f"cross_script:{bucket(script)}", split[record.id], groups
                )
            )
    cases += _negative_cases(negatives, split, rng, latin_only=True)
    return table, cases


def label(query: str, names: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """The phenomenon that separates a query from the names its record keeps in the table."""
    if exact_key(query) in {exact_key(n) for n in names}:
        return "exact", ()
    if folded_key(query) in {folded_key(n) for n in names}:
        return "punctuation", ()
    script = script_of(query)
    if script != "Latn":
        group = () if bucket(script) != "other" else (f"cross_script:other/{script}",)
        return f"cross_script:{bucket(script)}", group
    latin = [n for n in names if script_of(n) == "Latn"]
    key = ascii_key(query)
    if key in {ascii_key(n) for n in latin}:
        return "diacritics", ()
    if _tokens(query) in {_tokens(n) for n in latin}:
        return "token_order", ()
    nearest = max((fuzz.ratio(key, ascii_key(n)) for n in latin), default=0.0)
    return "spelling", ("spelling/near" if nearest >= 80 else "spelling/far",)


def _tokens(text: str) -> tuple[str, ...]:
    return tuple(sorted(ascii_key(text).split()))


def homonym_key(text: str) -> str:
    """Equal for names that differ only by case, accents, punctuation, spacing or script (as
    unidecode reads it): "Abadán", "Abadan" and "Абадан" are one name of several cities."""
    return compact_key(Form.of(text))


def _owners(records: Iterable[Record]) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = defaultdict(set)
    for record in records:
        for name in record.names:
            owners[homonym_key(name.text)].add(record.id)
    return owners


def _settled(cases: Iterable[Case], owners: dict[str, set[str]]) -> list[Case]:
    """Relabel as NAME_OF_ANOTHER each query that is a name of another record in the table: any
    of its names in the data, kept in this condition's table or not ("Troy" names two cities
    even when the table spells one of them only as Трой). A negative that is a table record's
    name is one too: refusing it is not something a name alone can do."""
    settled = []
    for case in cases:
        if owners.get(homonym_key(case.text), set()) - {case.expected}:
            group = f"{NAME_OF_ANOTHER}/{case.phenomenon}"
            case = Case(
                case.text, case.expected, NAME_OF_ANOTHER, case.split, (group,), case.language
            )
        settled.append(case)
    return settled
