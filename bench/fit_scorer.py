"""Fit the one scorer: a logistic regression from candidate evidence to the probability that the
candidate is right, with the decision's threshold and margin chosen on dev.

    .venv/bin/python bench/fit_scorer.py                  # fit, report, write the model
    .venv/bin/python bench/fit_scorer.py --cities 8000    # a quicker fit

Data: the evaluation suite's queries (bench/suite/), every data set and both conditions. Each
query is resolved with every generator run fully (`Resolver(exhaustive=True)`); each entity's
best candidate is a row, labelled right when it is the query's entity. Queries that only context
can settle (`name_of_another`) are left out: a name alone cannot tell which is meant.

- Fit on the fit split. Each data set weighs the same in total, so the 60,000 city queries do
  not drown the curated people. L2 strength chosen on dev by log-loss.
- Decision on dev: RESOLVED when the best probability reaches the threshold and leads the
  runner-up by the margin; the pair chosen is the one with the most right answers whose
  precision is at least 0.99 on every data set's dev queries.
- Report on test, beside the current engine's own decisions on the same queries.

Writes the model to bench/results/scorer-model.json (`--out`) and every figure to
bench/results/scorer.json. The server does not read the model yet: the engine still decides by
its hand-placed scores, which this fit is measured against.
"""

from __future__ import annotations

import argparse
import json
import math
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from quality import load
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

from entnorm_server.features import Features, features
from entnorm_server.resolution import Candidate, Outcome, Query
from entnorm_server.resolver import Resolver, needs_context
from suite.cases import NAME_OF_ANOTHER, Case, conditions
from suite.records import DataSet
from suite.systems import build_snapshot

ROOT = Path(__file__).resolve().parent.parent
# Where the server will read it once it scores with it; until then, beside the other results.
MODEL = ROOT / "bench" / "results" / "scorer-model.json"
RESULTS = ROOT / "bench" / "results" / "scorer.json"
TARGET = 0.99
CANDIDATES = 10


@dataclass
class Row:
    """One query and its candidates (each entity's best), as the scorer sees them."""

    where: str  # "people/main"
    case: Case
    candidates: list[Candidate]
    legacy_resolved: str | None

    @property
    def ids(self) -> list[str]:
        return [c.entity.id for c in self.candidates]

    @property
    def labels(self) -> list[bool]:
        return [c.entity.id == self.case.expected for c in self.candidates]

    @property
    def features(self) -> list[Features]:
        return [features(c) for c in self.candidates]

    @property
    def needs_context(self) -> list[bool]:
        return [needs_context(c) for c in self.candidates]


def collect(data: DataSet, seed: int) -> list[Row]:
    rows = []
    resolver = Resolver(exhaustive=True)
    current = Resolver()
    for condition in conditions(data, seed):
        snapshot, _ = build_snapshot(condition.table)
        for case in condition.cases:
            if case.phenomenon == NAME_OF_ANOTHER:
                continue
            query = Query(case.text, language=case.language, max_candidates=CANDIDATES)
            found = resolver.resolve(snapshot, query)
            legacy = current.resolve(snapshot, query)
            decided = legacy.candidates[0].entity.id if legacy.outcome is Outcome.RESOLVED else None
            rows.append(Row(f"{data.name}/{condition.name}", case, list(found.candidates), decided))
    return rows


def fit(rows: Sequence[Row], dev: Sequence[Row]) -> tuple[DictVectorizer, LogisticRegression]:
    per_set: dict[str, int] = defaultdict(int)
    for row in rows:
        per_set[row.where.split("/")[0]] += len(row.labels)
    x_rows, y, weights = [], [], []
    for row in rows:
        weight = 1.0 / per_set[row.where.split("/")[0]]
        for f, label in zip(row.features, row.labels, strict=True):
            x_rows.append(f)
            y.append(label)
            weights.append(weight)
    vectorizer = DictVectorizer(sparse=True)
    x = vectorizer.fit_transform(x_rows)
    w = np.asarray(weights) * len(weights) / sum(weights)
    dev_x = vectorizer.transform([f for r in dev for f in r.features])
    dev_y = [label for r in dev for label in r.labels]
    best: tuple[float, LogisticRegression] | None = None
    for c in (0.1, 0.3, 1.0, 3.0, 10.0):
        model = LogisticRegression(C=c, max_iter=2000)
        model.fit(x, y, sample_weight=w)
        loss = log_loss(dev_y, model.predict_proba(dev_x)[:, 1], labels=[False, True])
        print(f"  C={c}: dev log-loss {loss:.4f}")
        if best is None or loss < best[0]:
            best = (loss, model)
    assert best is not None
    return vectorizer, best[1]


def probabilities(rows: Sequence[Row], vectorizer: DictVectorizer, model: Any) -> list[list[float]]:
    flat = [f for r in rows for f in r.features]
    p = model.predict_proba(vectorizer.transform(flat))[:, 1] if flat else []
    out, i = [], 0
    for row in rows:
        out.append([float(v) for v in p[i : i + len(row.features)]])
        i += len(row.features)
    return out


def decide(row: Row, p: list[float], threshold: float, margin: float) -> str | None:
    """The entity the scorer resolves to, if any: the likeliest, by threshold and margin."""
    if not p:
        return None
    order = sorted(range(len(p)), key=lambda i: -p[i])
    best = order[0]
    second = p[order[1]] if len(order) > 1 else 0.0
    if p[best] < threshold or p[best] - second < margin or row.needs_context[best]:
        return None
    return row.ids[best]


def score(rows: Sequence[Row], decided: Sequence[str | None]) -> dict[str, dict[str, Any]]:
    tally: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row, answer in zip(rows, decided, strict=True):
        keys = ("all", row.where, f"{row.where}:{row.case.phenomenon}")
        for key in keys:
            t = tally[key]
            t["n"] += 1
            t["positives"] += row.case.expected is not None
            t["resolved"] += answer is not None
            t["right"] += answer is not None and answer == row.case.expected
    return {
        k: {
            **t,
            "precision": t["right"] / t["resolved"] if t["resolved"] else None,
            "recall": t["right"] / t["positives"] if t["positives"] else None,
        }
        for k, t in tally.items()
    }


def wilson_upper(right: int, total: int, z: float = 1.96) -> float:
    """The upper end of the 95% Wilson interval of a precision: a set of 15 answers with one wrong
    is not evidence of a precision below 0.99, one of 500 with ten wrong is."""
    if total == 0:
        return 1.0
    p = right / total
    centre = p + z * z / (2 * total)
    spread = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    return (centre + spread) / (1 + z * z / total)


def choose(rows: Sequence[Row], p: Sequence[list[float]]) -> tuple[float, float, dict[str, Any]]:
    """The threshold and margin with the most right answers whose precision is at least TARGET
    over all dev queries, and not shown to be below it (Wilson upper bound) on any data set."""
    best: tuple[int, float, float] | None = None
    for threshold in np.arange(0.50, 0.995, 0.01):
        for margin in (0.0, 0.02, 0.05, 0.1, 0.2, 0.3):
            decided = [decide(r, q, float(threshold), margin) for r, q in zip(rows, p, strict=True)]
            tally = score(rows, decided)
            sets = [k for k in tally if k != "all" and ":" not in k]
            pooled = tally["all"]["precision"] or 1.0
            if pooled >= TARGET and all(
                wilson_upper(tally[k]["right"], tally[k]["resolved"]) >= TARGET for k in sets
            ):
                right = tally["all"]["right"]
                if best is None or right > best[0]:
                    best = (right, float(threshold), margin)
    if best is None:
        return 0.995, 0.3, {"reached": False}
    return best[1], best[2], {"reached": True, "right": best[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="cities,countries,people,organizations")
    parser.add_argument("--cities", type=int)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--out", type=Path, default=MODEL)
    args = parser.parse_args()
    rows: list[Row] = []
    for name in args.sets.split(","):
        data = load(name)
        if name == "cities" and args.cities:
            rng = random.Random(args.seed)
            picked = rng.sample(data.records, min(args.cities, len(data.records)))
            data = DataSet(data.name, data.source, tuple(picked), data.queries)
        print(f"[{datetime.now(UTC):%H:%M:%S}] collecting {name}", flush=True)
        rows += collect(data, args.seed)
    by_split = {s: [r for r in rows if r.case.split == s] for s in ("fit", "dev", "test")}
    print({s: len(v) for s, v in by_split.items()})
    vectorizer, model = fit(by_split["fit"], by_split["dev"])
    dev_p = probabilities(by_split["dev"], vectorizer, model)
    threshold, margin, how = choose(by_split["dev"], dev_p)
    print(f"threshold {threshold:.2f}, margin {margin} ({how})")
    test = by_split["test"]
    test_p = probabilities(test, vectorizer, model)
    ours = score(test, [decide(r, q, threshold, margin) for r, q in zip(test, test_p, strict=True)])
    legacy = score(test, [r.legacy_resolved for r in test])
    report = {
        "threshold": threshold,
        "margin": margin,
        "choice": how,
        "test": ours,
        "legacy_test": legacy,
    }
    print(f"{'rows (test)':<52}{'n':>6}   scorer prec / rec   legacy prec / rec")
    for key in sorted(ours, key=lambda k: (k != "all", k)):
        a, b = ours[key], legacy[key]
        if a["n"] < 30 and ":" in key:
            continue
        print(
            f"{key:<52}{a['n']:>6}   {_pct(a['precision'])} / {_pct(a['recall'])}"
            f"      {_pct(b['precision'])} / {_pct(b['recall'])}"
        )
    names = vectorizer.get_feature_names_out()
    weights = {str(n): round(float(w), 6) for n, w in zip(names, model.coef_[0], strict=True)}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(
            {
                "name": "entnorm-logistic",
                "version": datetime.now(UTC).strftime("%Y-%m-%d"),
                "bias": round(float(model.intercept_[0]), 6),
                "weights": dict(sorted(weights.items())),
                "threshold": round(threshold, 4),
                "margin": margin,
                "fitted_on": {s: len(v) for s, v in by_split.items()},
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n"
    )
    RESULTS.write_text(json.dumps(report, indent=1, default=str) + "\n")
    return 0


def _pct(value: float | None) -> str:
    return "   —" if value is None or math.isnan(value) else f"{100 * value:5.1f}"


if __name__ == "__main__":
    raise SystemExit(main())
