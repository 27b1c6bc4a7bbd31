"""The OpenSanctions matcher as a baseline: nomenklatura's `logic-v2` over FollowTheMoney entities.

This is what a sanctions-screening user reaches for: yente's `/match` endpoint scores the
candidates its search returns with nomenklatura's `logic-v2` and calls a result a match at
score ≥ 0.70 (`SCORE_THRESHOLD`, yente's and the hosted API's default `threshold`).

It runs in a separate virtualenv, in a worker process. nomenklatura needs `normality`, which
needs the `pyicu` distribution: pip builds it from source against the system ICU (72.1 here)
into the same `icu/` package our `pyicu-wheels` (ICU 77.1) installs, silently replacing it, and
`pip check` sees nothing wrong. Under ICU 72.1, 6,677 of 131,303 GeoNames city names with
non-Latin letters romanize differently through our `Any-Latin; Latin-ASCII` (Urdu ہ ے, Pashto
ګ, Kazakh ө), so installing it beside the engine would change the engine's answers.
`bench/opensanctions_env.sh` builds the worker's virtualenv (pinned versions); this module
finds it through `$ENTNORM_OPENSANCTIONS_PYTHON`, else `$ENTNORM_OPENSANCTIONS_VENV/bin/python`
(default `/tmp/entnorm-opensanctions`), else the running interpreter when it can import
nomenklatura. The worker is this file run as a script (`--worker`): JSON lines on stdin and
stdout. It takes some 10 s to start (its imports, and rigour building its name tagger).

Choices, each as a user of OpenSanctions would make it:

- Schemata. person → `Person`, organization → `Organization`. logic-v2 matches names only for
  entities its name engine types as a person, an organization or a legal entity (rigour's
  `NameTypeTag` PER, ORG, ENT). FtM's `Territory` is not one of them and scores 0.0 even
  against itself; an `Address` is compared only with an `Address` query, as a postal address
  (`address_entity_match`), and never with a name query of another schema. So country and
  place → `LegalEntity`, the neutral ENT: names matched by the full engine (transliteration,
  symbols, fuzzy parts), with no organization-word or person-name rules.
- Names. The record's first name is `name`; other names, translations and short names are
  `alias` (as OpenSanctions writes them; logic-v2 treats the two alike); former names
  `previousName`; abbreviations `abbreviation` and nicknames `weakAlias`, which logic-v2 only
  matches whole and exactly (its `weak_alias_match`, weight 0.8). Languages are dropped: an
  FtM value has none, and logic-v2 does not use it.
- Query. A name alone is a `LegalEntity` with that `name`: the schema OpenSanctions' matching
  guide gives for "a more general entity type that matches both people and companies"; a
  `Thing` query matches nothing. logic-v2 then reads the name by the candidate's schema (a
  `LegalEntity` query against a `Person` is compared as a person's name).
- Retrieval. yente's candidates come from Elasticsearch, which we do not have. nomenklatura's
  own blocker (`nomenklatura.blocker.Index`) is a DuckDB batch job over a statement store;
  `Blocker` below is an in-memory port of its matching query for one entity: the same tokens
  (`tokenize_entity`: name parts, rigour name symbols, name fingerprints), weights (field boost
  × idf, parts and symbols damped by √(number of names)), per-field score
  max weight × (1 + ln shared tokens), stopwords (a token on more than 60² entities), top 75
  and the 0.1 ratio floor. Its tokens are whole words, so a typo in a one-word name would never
  be retrieved; the top 50 records by character trigram overlap (Dice) with any of their names
  (rigour's comparable form) are added, as Elasticsearch's fuzzy name queries would. Every
  candidate of either list is scored; `candidates()` gives the list, for retrieval recall.
- Decision. The top candidate when its score ≥ the threshold, and no margin over the runner-up
  at the default (a user sees every result ≥ 0.70 flagged as a match); but two different
  records tied at the top score name no one, so `resolve()` abstains then.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

if TYPE_CHECKING:
    from suite.records import Record

DEFAULT_THRESHOLD = 0.70  # yente's SCORE_THRESHOLD: a result at or above it is `match: true`
DEFAULT_VENV = Path("/tmp/entnorm-opensanctions")
QUERY_SCHEMA = "LegalEntity"
SCHEMA = {
    "person": "Person",
    "organization": "Organization",
    "country": "LegalEntity",
    "place": "LegalEntity",
}
PROPERTY = {  # Name.kind → FtM property, for every name but the first
    "name": "alias",
    "translation": "alias",
    "short_name": "alias",
    "former_name": "previousName",
    "abbreviation": "abbreviation",
    "nickname": "weakAlias",
}
BLOCKER_CANDIDATES = 75  # nomenklatura.blocker.Index: max_candidates
NGRAM_CANDIDATES = 50
RESULTS = 10  # ranked results returned per query (yente's MAX_MATCHES)

Ranking = list[tuple[str, float]]


class OpenSanctionsUnavailableError(RuntimeError):
    """No interpreter that can run nomenklatura: run bench/opensanctions_env.sh."""


def worker_python() -> str | None:
    """The interpreter the worker runs in, or None when there is none."""
    if explicit := os.environ.get("ENTNORM_OPENSANCTIONS_PYTHON"):
        return explicit
    venv = Path(os.environ.get("ENTNORM_OPENSANCTIONS_VENV") or DEFAULT_VENV)
    if (venv / "bin" / "python").exists():
        return str(venv / "bin" / "python")
    if importlib.util.find_spec("nomenklatura") is not None:
        return sys.executable
    return None


def entity_of(record: Record) -> dict[str, Any]:
    """The FtM entity of a record, as the worker reads it."""
    properties: dict[str, list[str]] = defaultdict(list)
    for position, name in enumerate(record.names):
        prop = "name" if position == 0 else PROPERTY.get(name.kind, "alias")
        properties[prop].append(name.text)
    return {"id": record.id, "schema": SCHEMA[str(record.type)], "properties": properties}


def resolve(ranking: Ranking, threshold: float, margin: float = 0.0) -> str | None:
    """The record a ranking resolves to: its top when the score clears the threshold and leads
    the runner-up by the margin; a tie at the top resolves to no one."""
    if not ranking or ranking[0][1] < threshold:
        return None
    if len(ranking) > 1:
        lead = ranking[0][1] - ranking[1][1]
        if lead <= 0.0 or lead < margin:
            return None
    return ranking[0][0]


class OpenSanctionsMatcher:
    """logic-v2 over the records, in a worker process; close it, or use it as a context."""

    name = "opensanctions logic-v2"
    default_threshold: float = DEFAULT_THRESHOLD

    def __init__(
        self,
        records: Sequence[Record],
        *,
        python: str | None = None,
        blocker_candidates: int = BLOCKER_CANDIDATES,
        ngram_candidates: int = NGRAM_CANDIDATES,
        results: int = RESULTS,
    ) -> None:
        interpreter = python or worker_python()
        if interpreter is None:
            raise OpenSanctionsUnavailableError(
                "nomenklatura is not installed: run bench/opensanctions_env.sh, or set "
                "ENTNORM_OPENSANCTIONS_PYTHON to an interpreter that has it"
            )
        self._proc: subprocess.Popen[str] | None = subprocess.Popen(
            [interpreter, "-I", str(Path(__file__).resolve()), "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        started = time.perf_counter()
        reply = self._call(
            {
                "op": "load",
                "entities": [entity_of(r) for r in records],
                "blocker_candidates": blocker_candidates,
                "ngram_candidates": ngram_candidates,
                "results": results,
            }
        )
        self.versions: dict[str, str] = reply["versions"]
        self.index_seconds: float = reply["seconds"]  # building entities and both indexes
        self.startup_seconds = time.perf_counter() - started  # with the worker's imports

    def match(self, text: str, language: str = "") -> Ranking:
        """Ranked (record id, score), best first; only scores above 0. The language is unused:
        FtM names carry none."""
        rankings, _ = self.match_batch([text])
        return rankings[0]

    def match_batch(self, texts: Sequence[str]) -> tuple[list[Ranking], list[int]]:
        """Rankings of many queries, and each query's time in the worker (retrieval and
        scoring, in ns; without the pipe)."""
        reply = self._call({"op": "match", "texts": list(texts)})
        rankings = [[(str(i), float(s)) for i, s in ranking] for ranking in reply["rankings"]]
        return rankings, [int(ns) for ns in reply["ns"]]

    def candidates(self, text: str) -> list[str]:
        """The records retrieved for scoring: the blocker's, then the trigram list's."""
        reply = self._call({"op": "candidates", "text": text})
        return [str(i) for i in reply["ids"]]

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _call(self, request: dict[str, Any]) -> dict[str, Any]:
        proc = self._proc
        if proc is None or proc.stdin is None or proc.stdout is None:
            raise RuntimeError("the OpenSanctions worker is closed")
        try:
            proc.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
            proc.stdin.flush()
            line = proc.stdout.readline()
        except BrokenPipeError:
            line = ""
        if not line:
            self.close()
            raise RuntimeError("the OpenSanctions worker exited (its error is on stderr)")
        reply: dict[str, Any] = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"the OpenSanctions worker failed: {reply['error']}")
        return reply


# --- the worker: runs in the virtualenv that has nomenklatura ----------------------------------

# nomenklatura.blocker.index.Index, as of nomenklatura 4.17.
BOOSTS = {"np": 5.0, "wd": 0.5, "name": 15.0, "phone": 10.0, "email": 10.0, "identifier": 10.0}
DAMPED_FIELDS = ("np", "sy")  # name parts and symbols: weight / √(number of names)
MAX_BUCKET_SIZE = 60  # a query token on more entities than 60 × 60 is a stopword
MIN_SCORE_RATIO = 0.1
TOKEN_LENGTH = 40


class Blocker:
    """nomenklatura's blocking index for one query entity at a time, in memory."""

    def __init__(
        self, ids: Sequence[str], tokenized: Sequence[Iterable[tuple[str, str]]], limit: int
    ) -> None:
        self.ids = ids
        self.limit = limit
        counts = [Counter((f, t[:TOKEN_LENGTH]) for f, t in tokens) for tokens in tokenized]
        df: Counter[str] = Counter(t for c in counts for (_, t) in c)
        total = len(counts)
        self.postings: dict[tuple[str, str], list[tuple[int, float]]] = defaultdict(list)
        for position, entity_counts in enumerate(counts):
            n_names = max(1, sum(n for (f, _), n in entity_counts.items() if f == "name"))
            for field, token in entity_counts:
                weight = BOOSTS.get(field, 1.0) * (1.0 + math.log(total / df[token]))
                if field in DAMPED_FIELDS:
                    weight /= math.sqrt(n_names)
                self.postings[(field, token)].append((position, weight))

    def query(self, tokens: Iterable[tuple[str, str]]) -> list[int]:
        fields: dict[tuple[int, str], list[float]] = defaultdict(list)
        for field, token in {(f, t[:TOKEN_LENGTH]) for f, t in tokens}:
            posting = self.postings.get((field, token), [])
            if len(posting) > MAX_BUCKET_SIZE * MAX_BUCKET_SIZE:
                continue
            for position, weight in posting:
                fields[(position, field)].append(weight)
        scores: dict[int, float] = defaultdict(float)
        for (position, _), weights in fields.items():
            scores[position] += max(weights) * (1.0 + math.log(len(weights)))
        ranked = sorted(scores.items(), key=lambda item: (-item[1], self.ids[item[0]]))
        ranked = ranked[: self.limit]
        if not ranked:
            return []
        floor = ranked[0][1] * MIN_SCORE_RATIO
        return [position for position, score in ranked if score >= floor]


def trigrams(text: str) -> set[str]:
    padded = f" {text} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class TrigramIndex:
    """Records by character trigram overlap (Dice) of the query with any of their names."""

    def __init__(self, names: Sequence[Iterable[str]], limit: int) -> None:
        self.limit = limit
        self.owner: list[int] = []
        self.sizes: list[int] = []
        self.postings: dict[str, list[int]] = defaultdict(list)
        for position, texts in enumerate(names):
            for text in set(texts):
                grams = trigrams(text)
                key = len(self.owner)
                self.owner.append(position)
                self.sizes.append(len(grams))
                for gram in grams:
                    self.postings[gram].append(key)

    def query(self, texts: Iterable[str]) -> list[int]:
        best: dict[int, float] = {}
        for text in set(texts):
            grams = trigrams(text)
            shared: Counter[int] = Counter()
            for gram in grams:
                shared.update(self.postings.get(gram, ()))
            for key, n in shared.items():
                dice = 2.0 * n / (len(grams) + self.sizes[key])
                position = self.owner[key]
                if dice > best.get(position, 0.0):
                    best[position] = dice
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        return [position for position, _ in ranked[: self.limit]]


def _serve() -> None:  # pragma: no cover - runs in the worker's interpreter
    from importlib import metadata

    import icu
    from followthemoney import model
    from followthemoney.names import entity_names
    from nomenklatura.blocker.tokenizer import tokenize_entity
    from nomenklatura.matching import LogicV2

    config = LogicV2.default_config()
    entities: list[Any] = []
    blocker = Blocker([], [], BLOCKER_CANDIDATES)
    grams = TrigramIndex([], NGRAM_CANDIDATES)
    results = RESULTS
    queries = 0

    def comparable(entity: Any) -> list[str]:
        return [str(n.comparable) for n in entity_names(entity) if n.comparable]

    def query_entity(text: str) -> Any:
        nonlocal queries
        queries += 1
        entity = model.make_entity(QUERY_SCHEMA)
        # Unique: logic-v2 caches a query's names by entity id.
        entity.id = f"entnorm-query-{queries}"
        entity.add("name", text)
        return entity

    def retrieve(entity: Any) -> list[int]:
        found = blocker.query(tokenize_entity(entity))
        seen = set(found)
        found.extend(p for p in grams.query(comparable(entity)) if p not in seen)
        return found

    def rank(text: str) -> list[tuple[str, float]]:
        entity = query_entity(text)
        scored = []
        for order, position in enumerate(retrieve(entity)):
            score = float(LogicV2.compare(entity, entities[position], config).score)
            if score > 0.0:
                scored.append((-score, order, entities[position].id))
        scored.sort()
        return [(str(i), -s) for s, _, i in scored[:results]]

    def handle(request: dict[str, Any]) -> dict[str, Any]:
        nonlocal entities, blocker, grams, results
        if request["op"] == "load":
            started = time.perf_counter()
            entities = []
            for data in request["entities"]:
                entity = model.make_entity(data["schema"])
                entity.id = data["id"]
                for prop, values in data["properties"].items():
                    entity.add(prop, values)
                entities.append(entity)
            blocker = Blocker(
                [e.id for e in entities],
                [tokenize_entity(e) for e in entities],
                request["blocker_candidates"],
            )
            grams = TrigramIndex([comparable(e) for e in entities], request["ngram_candidates"])
            results = request["results"]
            versions = {
                p: metadata.version(p) for p in ("nomenklatura", "followthemoney", "rigour")
            }
            versions["icu"] = str(icu.ICU_VERSION)
            versions["python"] = sys.version.split()[0]
            return {"versions": versions, "seconds": time.perf_counter() - started}
        if request["op"] == "match":
            rankings, times = [], []
            for text in request["texts"]:
                started = time.perf_counter_ns()
                rankings.append(rank(text))
                times.append(time.perf_counter_ns() - started)
            return {"rankings": rankings, "ns": times}
        if request["op"] == "candidates":
            return {"ids": [entities[p].id for p in retrieve(query_entity(request["text"]))]}
        raise ValueError(f"unknown op {request['op']!r}")

    for line in sys.stdin:
        try:
            reply = handle(json.loads(line))
        except Exception as exc:  # the caller raises it, with the worker's traceback text
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(reply, ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:  # pragma: no cover
    _serve()
