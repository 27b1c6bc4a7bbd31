"""Precision and recall per phenomenon row, and cutoffs tuned for a target precision.

A query counts toward `overall`, toward `overall/decidable` unless only context could settle it
(`name_of_another`), toward its phenomenon and toward each of its sub-rows. Precision is over the
RESOLVED answers; recall over the queries that have a right answer. The precision target leaves
`name_of_another` out, as no system can tell such a query's entity from its name alone.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from suite.cases import NAME_OF_ANOTHER, Case
from suite.systems import Answer

TARGET_PRECISION = 0.99


def rows_of(case: Case) -> tuple[str, ...]:
    decidable = () if case.phenomenon == NAME_OF_ANOTHER else ("overall/decidable",)
    return ("overall", *decidable, case.phenomenon, *case.groups)


def tally(
    cases: Sequence[Case], answers: Sequence[Answer], threshold: float | None = None
) -> dict[str, dict[str, Any]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for case, answer in zip(cases, answers, strict=True):
        resolved = answer.resolved(threshold)
        right = resolved is not None and resolved == case.expected
        for row in rows_of(case):
            c = counts[row]
            c["n"] += 1
            c["positives"] += case.expected is not None
            c["resolved"] += resolved is not None
            c["right"] += right
            c["wrong"] += resolved is not None and not right
            c["in_candidates"] += case.expected in answer.candidates
    return {row: _ratios(c) for row, c in counts.items()}


def _ratios(c: Counter[str]) -> dict[str, Any]:
    return {
        **{k: c[k] for k in ("n", "positives", "resolved", "right", "wrong")},
        "precision": c["right"] / c["resolved"] if c["resolved"] else None,
        "recall": c["right"] / c["positives"] if c["positives"] else None,
        "in_candidates": c["in_candidates"] / c["positives"] if c["positives"] else None,
    }


def tune(
    cases: Sequence[Case], answers: Sequence[Answer], target: float = TARGET_PRECISION
) -> dict[str, Any]:
    """The lowest score cutoff whose RESOLVED answers keep precision >= target on these (dev)
    queries that a name can decide. When none does, the cutoff of highest precision, said so."""
    scored = sorted(
        (a.score, a.top == c.expected)
        for c, a in zip(cases, answers, strict=True)
        if a.top is not None and a.score > 0 and c.phenomenon != NAME_OF_ANOTHER
    )
    positives = sum(c.expected is not None and c.phenomenon != NAME_OF_ANOTHER for c in cases)
    best: dict[str, Any] | None = None
    right = sum(ok for _, ok in scored)
    kept = len(scored)
    for i, (score, ok) in enumerate(scored):
        if i and scored[i - 1][0] == score:  # a cutoff sits between distinct scores
            right -= ok
            kept -= 1
            continue
        point = {
            "cutoff": score,
            "precision": right / kept,
            "recall": right / positives if positives else 0.0,
            "resolved": kept,
        }
        if point["precision"] >= target:
            return {**point, "reached": True, "queries": len(cases)}
        if best is None or point["precision"] > best["precision"]:
            best = point
        right -= ok
        kept -= 1
    if best is None:
        return {
            "cutoff": float("inf"),
            "precision": None,
            "recall": 0.0,
            "resolved": 0,
            "reached": False,
            "queries": len(cases),
        }
    return {**best, "reached": False, "queries": len(cases)}
