"""The systems compared, each answering a query with its best candidate and that candidate's score.

- `ours`: the engine, as the server runs it (its own decision at its default threshold).
- `exact`: a dictionary of NFKC + casefolded names; a name of several entities abstains.
- `fuzzy`: rapidfuzz `extractOne` (WRatio) over every unidecoded name, brute force; a name of
  several entities abstains. Its cutoff is tuned on dev (suite/metrics.py).
- `opensanctions`: nomenklatura's logic-v2 (suite/opensanctions.py), at its default threshold
  and at a cutoff tuned on dev.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from unidecode import unidecode

from entnorm_server.model import Alias, AliasKind, AliasTables, Entity
from entnorm_server.normalize import exact_key
from entnorm_server.resolution import Outcome, Query
from entnorm_server.resolver import Resolver
from entnorm_server.snapshot import Snapshot, compile_snapshot
from suite.cases import Case
from suite.records import Record


@dataclass(frozen=True, slots=True)
class Answer:
    top: str | None = None  # the best candidate's id
    score: float = 0.0  # its score, on the system's own scale
    decided: bool = False  # the system's own decision: RESOLVED (for ours), a unique name (exact)
    candidates: tuple[str, ...] = ()

    def resolved(self, threshold: float | None = None) -> str | None:
        """The id this answer resolves to: by the system's own decision, or by a threshold."""
        if threshold is None:
            return self.top if self.decided else None
        return self.top if self.top is not None and self.score >= threshold else None


NOTHING = Answer()


# --- ours -------------------------------------------------------------------------------------


def build_snapshot(table: dict[str, Record]) -> tuple[Snapshot, float]:
    entities = tuple(
        Entity(
            id=record.id,
            type=record.type,
            display_name=record.names[0].text,
            aliases=tuple(
                Alias(n.text, AliasKind(n.kind), language=n.language) for n in record.names
            ),
        )
        for record in table.values()
    )
    started = time.perf_counter()
    snapshot = compile_snapshot(AliasTables(entities=entities, source_files=()))
    return snapshot, time.perf_counter() - started


def run_ours(snapshot: Snapshot, cases: Sequence[Case]) -> tuple[list[Answer], list[int]]:
    resolver = Resolver()
    resolver.warm_up(snapshot)  # as the server does before it reports SERVING
    answers, latencies = [], []
    for case in cases:
        query = Query(case.text, language=case.language)
        started = time.perf_counter_ns()
        resolution = resolver.resolve(snapshot, query)
        latencies.append(time.perf_counter_ns() - started)
        ids = tuple(c.entity.id for c in resolution.candidates)
        best = resolution.candidates[0] if resolution.candidates else None
        answers.append(
            Answer(
                top=ids[0] if ids else None,
                score=best.score if best else 0.0,
                decided=resolution.outcome is Outcome.RESOLVED,
                candidates=ids,
            )
        )
    return answers, latencies


# --- exact --------------------------------------------------------------------------------------


def run_exact(table: dict[str, Record], cases: Sequence[Case]) -> list[Answer]:
    owners: dict[str, set[str]] = defaultdict(set)
    for record in table.values():
        for name in record.names:
            owners[exact_key(name.text)].add(record.id)
    answers = []
    for case in cases:
        found = sorted(owners.get(exact_key(case.text), ()))
        top = found[0] if found else None
        answers.append(Answer(top, 1.0 if found else 0.0, len(found) == 1, tuple(found)))
    return answers


# --- fuzzy: brute force ------------------------------------------------------------------------

# Set before worker processes fork, so that they inherit the choices without pickling them.
_CHOICES: list[str] = []
_FLOOR = 70.0  # below any cutoff worth tuning; a higher floor is what keeps brute force affordable


def fuzzy_key(text: str) -> str:
    return str(utils.default_process(unidecode(text)))


def _fuzzy_chunk(keys: list[str]) -> list[tuple[int, float]]:
    out = []
    for key in keys:
        found = (
            process.extractOne(
                key, _CHOICES, scorer=fuzz.WRatio, processor=None, score_cutoff=_FLOOR
            )
            if key
            else None
        )
        out.append((-1, 0.0) if found is None else (found[2], float(found[1])))
    return out


def run_fuzzy(table: dict[str, Record], cases: Sequence[Case], jobs: int) -> list[Answer]:
    owners: dict[str, set[str]] = defaultdict(set)
    for record in table.values():
        for name in record.names:
            if key := fuzzy_key(name.text):
                owners[key].add(record.id)
    _CHOICES[:] = list(owners)
    keys = [fuzzy_key(c.text) for c in cases]
    chunks = [keys[i : i + 25] for i in range(0, len(keys), 25)]
    if jobs > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            found = [r for chunk in pool.map(_fuzzy_chunk, chunks) for r in chunk]
    else:
        found = [r for chunk in map(_fuzzy_chunk, chunks) for r in chunk]
    answers = []
    for position, score in found:
        if position < 0:
            answers.append(NOTHING)
            continue
        ids = sorted(owners[_CHOICES[position]])
        # A name of several entities abstains: no cutoff makes it one of them.
        answers.append(Answer(ids[0], score if len(ids) == 1 else 0.0, False, tuple(ids)))
    return answers
